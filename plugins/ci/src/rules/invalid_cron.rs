//! ## What it does
//! Flags a `schedule:` cron that is not five valid fields (minute, hour,
//! day of month, month, day of week; `*`, numbers in range, `a-b` ranges,
//! `/n` steps, lists, month and weekday names), and one that runs more
//! often than every five minutes, which GitHub does not do.
//!
//! ## Why is this bad?
//! An invalid cron makes the workflow file invalid (reported only in the
//! Actions tab), and a schedule under five minutes runs less often than
//! written: the nightly backup or the dependency check you rely on does not
//! run as you think, and nobody is notified.
//!
//! ## Example
//! ```yaml
//! on:
//!   schedule:
//!     - cron: "0 3 * *"
//! ```
//!
//! ## Use instead
//! ```yaml
//! on:
//!   schedule:
//!     - cron: "0 3 * * *"
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an invalid cron schedule",
    severity: Severity::High,
    tags: &["correctness"],
    aliases: &["events"],
    ..Meta::DEFAULT
};

const MONTHS: &[&str] = &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

fn value(s: &str, min: u32, max: u32, names: &[&str]) -> Option<u32> {
    if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
        return Some(i as u32 + min);
    }
    s.parse::<u32>().ok().filter(|v| *v >= min && *v <= max)
}

/// Checks one field; `Err` says why it is invalid.
fn field(f: &str, min: u32, max: u32, names: &[&str]) -> Result<(), String> {
    for part in f.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, Some(s)),
            None => (part, None),
        };
        if let Some(s) = step {
            if s.parse::<u32>().ok().filter(|v| *v > 0).is_none() {
                return Err(format!("`{s}` is not a valid step"));
            }
        }
        if range == "*" {
            continue;
        }
        let (a, b) = range.split_once('-').unwrap_or((range, range));
        let (Some(x), Some(y)) = (value(a, min, max, names), value(b, min, max, names)) else {
            return Err(format!("`{range}` is outside {min}-{max}"));
        };
        if x > y {
            return Err(format!("the range `{range}` is backwards"));
        }
    }
    Ok(())
}

/// Why a cron expression is invalid, if it is.
pub fn problem(cron: &str) -> Option<String> {
    let fields: Vec<&str> = cron.split_whitespace().collect();
    if fields.len() != 5 {
        return Some(format!("has {} fields, not 5 (minute hour day-of-month month day-of-week)", fields.len()));
    }
    let specs = [("minute", 0, 59, &[][..]), ("hour", 0, 23, &[][..]), ("day of month", 1, 31, &[][..]), ("month", 1, 12, MONTHS), ("day of week", 0, 7, DAYS)];
    for (f, (name, min, max, names)) in fields.iter().zip(specs) {
        if let Err(e) = field(f, min, max, names) {
            return Some(format!("{name}: {e}"));
        }
    }
    let minute = fields[0];
    let every = |s: &str| s.strip_prefix("*/").and_then(|n| n.parse::<u32>().ok());
    if minute == "*" || every(minute).is_some_and(|n| n < 5) {
        return Some("runs more often than every 5 minutes, the shortest interval GitHub schedules".into());
    }
    None
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        let Some(schedule) = wf.on_node().and_then(|on| on.value.get("schedule")) else { continue };
        for item in schedule.items() {
            let Some(node) = item.get("cron") else { continue };
            let Some(cron) = node.as_str().filter(|c| !c.starts_with('$')) else { continue };
            if let Some(why) = problem(cron) {
                cx.report_in(wf.doc, node.span.clone(), format!("cron `{cron}` {why}"))
                    .help("use five fields, e.g. `0 3 * * *` for 03:00 UTC every day");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn crons() {
        for ok in ["0 3 * * *", "*/15 * * * 1-5", "30 2 1,15 * SUN", "0 0 * JAN-MAR 0", "5 4 * * 7"] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        for bad in ["0 3 * *", "60 * * * *", "0 24 * * *", "0 0 0 * *", "0 0 * 13 *", "* * * * *", "*/2 * * * *", "0 0 * * 8", "5-1 * * * *", "0/0 * * * *"] {
            assert!(problem(bad).is_some(), "{bad}");
        }
    }
}

//! `opslint explain <criterion>` (`manual-backup`, `maturity/manual-backup`)
//! and `opslint explain maturity` (every criterion): what the built-in rubric
//! judges, what counts as evidence and what does not.
use std::fmt::Write as _;

use super::rubric::{self, Criterion, Rubric};

fn builtin() -> Rubric {
    rubric::parse(rubric::BUILTIN_NAME, rubric::BUILTIN).expect("the built-in rubric parses (tested)")
}

/// The criterion's docs, or `None` when `query` names no criterion.
pub fn criterion(query: &str) -> Option<String> {
    let id = query.strip_prefix("maturity/").unwrap_or(query);
    let r = builtin();
    let c = r.criteria.iter().find(|c| c.id == id)?;
    Some(render(&r, c))
}

/// `opslint explain maturity`: every criterion, level by level.
pub fn all() -> String {
    let r = builtin();
    let mut o = String::from(
        "The maturity criteria of the built-in rubric (policies/maturity.toml); `opslint explain <id>` prints one.\n\
         Gating criteria decide the level; advisory ones are judged and planned but never block a level\n\
         (`--rubric strict` makes every criterion gating).\n",
    );
    for l in &r.levels {
        let _ = writeln!(o, "\nLevel {} ({}): {}", l.level, l.name, l.summary);
        for c in r.criteria.iter().filter(|c| c.level == l.level) {
            let _ = writeln!(o, "  {:<24} {:<9} {}", c.id, c.role(), c.title);
        }
    }
    o
}

fn render(r: &Rubric, c: &Criterion) -> String {
    let level = r.levels.iter().find(|l| l.level == c.level).map_or("", |l| l.name.as_str());
    let mut o = String::new();
    let _ = writeln!(o, "# maturity/{}: {}\n", c.id, c.title);
    let role = if c.advisory {
        "advisory: judged and in the improvement plan, never blocks a level (gating with `--rubric strict`)"
    } else {
        "gating: the level is not reached unless it passes"
    };
    let _ = writeln!(o, "Level {} ({level}), {role}.\n", c.level);
    let _ = writeln!(o, "## What it checks\n\n{}\n", c.description);
    if let Some(t) = &c.counts {
        let _ = writeln!(o, "## What counts as evidence\n\n{t}\n");
    }
    if let Some(t) = &c.does_not_count {
        let _ = writeln!(o, "## What does not count\n\n{t}\n");
    }
    let keys: Vec<String> = c.when.keys().iter().map(|k| format!("`{k}`")).collect();
    let _ = writeln!(o, "## Evidence keys\n\n{}", keys.join(", "));
    if let Some(u) = &c.unknown_when {
        let keys: Vec<String> = u.keys().iter().map(|k| format!("`{k}`")).collect();
        let _ = writeln!(o, "Not assessed (instead of a pass) when any of {} is present: something that could decide it could not be read.", keys.join(", "));
    }
    if !c.needs.is_empty() {
        let _ = writeln!(o, "Needs the plugins: {}.", c.needs.join(", "));
    }
    let _ = writeln!(o, "\n## How to pass\n\n{}", c.hint);
    o
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_criterion_is_explained() {
        let r = super::builtin();
        for c in &r.criteria {
            let text = super::criterion(&format!("maturity/{}", c.id)).unwrap();
            assert!(text.contains("What counts as evidence") && text.contains("What does not count"), "{text}");
            assert!(super::all().contains(&c.id));
        }
        assert!(super::criterion("no-such-criterion").is_none());
    }
}

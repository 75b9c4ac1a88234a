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

/// Where docs/maturity.md holds the generated criteria section.
pub const DOCS_BEGIN: &str = "<!-- generated from policies/maturity.toml: criteria begin -->";
pub const DOCS_END: &str = "<!-- generated from policies/maturity.toml: criteria end -->";

/// The criteria section of docs/maturity.md, between its markers (a test keeps it current).
pub fn docs_section() -> String {
    let r = builtin();
    let mut o = format!("{DOCS_BEGIN}\n");
    for l in &r.levels {
        for c in r.criteria.iter().filter(|c| c.level == l.level) {
            let _ = writeln!(o, "\n#### `{}` — {} (L{}, {})\n", c.id, c.title, c.level, c.role());
            let _ = writeln!(o, "{}\n", c.description);
            if let Some(t) = &c.counts {
                let _ = writeln!(o, "- Counts: {t}");
            }
            if let Some(t) = &c.does_not_count {
                let _ = writeln!(o, "- Does not count: {t}");
            }
            let keys: Vec<String> = c.when.keys().iter().map(|k| format!("`{k}`")).collect();
            let _ = write!(o, "- Evidence keys: {}", keys.join(", "));
            if let Some(u) = &c.unknown_when {
                let keys: Vec<String> = u.keys().iter().map(|k| format!("`{k}`")).collect();
                let _ = write!(o, "; not assessed when {} is present", keys.join(", "));
            }
            o.push('\n');
        }
    }
    o.push_str(DOCS_END);
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

    /// docs/maturity.md describes every criterion as the rubric does;
    /// `OPSLINT_UPDATE_DOCS=1` rewrites the generated section.
    #[test]
    fn the_docs_describe_every_criterion_as_the_rubric_does() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/maturity.md");
        let text = std::fs::read_to_string(&path).unwrap();
        let (start, end) = (text.find(super::DOCS_BEGIN).unwrap(), text.find(super::DOCS_END).unwrap());
        let want = super::docs_section();
        let have = &text[start..end + super::DOCS_END.len()];
        if have != want && std::env::var("OPSLINT_UPDATE_DOCS").as_deref() == Ok("1") {
            std::fs::write(&path, text.replace(have, &want)).unwrap();
            return;
        }
        assert_eq!(have, want, "docs/maturity.md is stale: run with OPSLINT_UPDATE_DOCS=1");
    }
}

//! `opslint runbook`: the core runbook documents drafted from the evidence.
//! Each missing document is written once from its template (policies/runbook/);
//! afterwards opslint owns only the block between its markers and refreshes it,
//! keeping every other byte a person wrote.
pub mod facts;
pub mod render;

pub use opslint_knowledge::blocks::{RUNBOOK_BEGIN as BEGIN, RUNBOOK_END as END};

/// A core runbook document: its file name (what the maturity `runbook` criterion
/// recognises), the topic it covers, and its template.
pub struct Doc {
    pub file: &'static str,
    pub topic: &'static str,
    pub template: &'static str,
}

pub const DOCS: &[Doc] = &[
    Doc {
        file: "environment-overview.md",
        topic: "environment",
        template: include_str!("../../../policies/runbook/environment-overview.md"),
    },
    Doc {
        file: "deployment-guide.md",
        topic: "deployment",
        template: include_str!("../../../policies/runbook/deployment-guide.md"),
    },
    Doc {
        file: "monitoring-and-alerts.md",
        topic: "monitoring",
        template: include_str!("../../../policies/runbook/monitoring-and-alerts.md"),
    },
    Doc {
        file: "backup-and-recovery.md",
        topic: "backup",
        template: include_str!("../../../policies/runbook/backup-and-recovery.md"),
    },
    Doc {
        file: "troubleshooting.md",
        topic: "troubleshooting",
        template: include_str!("../../../policies/runbook/troubleshooting.md"),
    },
    Doc {
        file: "incident-response.md",
        topic: "incident-response",
        template: include_str!("../../../policies/runbook/incident-response.md"),
    },
];

/// Where the drafts go when the repository has no runbook folder yet.
pub const DEFAULT_DIR: &str = "docs/ops-runbook";

/// The runbook folder the repository already uses: the folder holding most of
/// its runbook documents (one named for runbooks, not the repository root), else the default.
pub fn folder(runbook_docs: &[String]) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for p in runbook_docs {
        let Some((dir, _)) = p.rsplit_once('/') else { continue };
        let named = dir.rsplit('/').next().is_some_and(|d| {
            let d = d.to_ascii_lowercase();
            d.contains("runbook") || matches!(d.as_str(), "ops" | "operations" | "sre" | "on-call" | "oncall")
        });
        if named {
            *counts.entry(dir).or_default() += 1;
        }
    }
    // Most documents first; on a tie the shortest path, then by name (deterministic).
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.len().cmp(&a.0.len())).then(b.0.cmp(a.0)))
        .map_or(DEFAULT_DIR.to_string(), |(d, _)| d.to_string())
}

/// The template filled: the whole document (`whole`) or its block only (marker lines included).
pub fn fill(template: &str, facts: &facts::Facts, cite: &render::Cite, whole: bool) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in template.lines() {
        let t = line.trim();
        if t == BEGIN {
            inside = true;
        }
        if inside || whole {
            match t.strip_prefix("{{").and_then(|r| r.strip_suffix("}}")) {
                Some(name) => {
                    for l in render::fill(name.trim(), facts, cite) {
                        out.push_str(&l);
                        out.push('\n');
                    }
                }
                None => {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        if t == END {
            inside = false;
        }
    }
    out
}

/// The byte range of the block in `text` (from its begin line to the end of its end line),
/// or why it cannot be refreshed. None: no markers at all.
pub fn block_range(text: &str) -> Result<Option<(usize, usize)>, String> {
    let begins: Vec<usize> = text.match_indices(BEGIN).map(|(i, _)| i).collect();
    let ends: Vec<usize> = text.match_indices(END).map(|(i, _)| i).collect();
    match (begins.as_slice(), ends.as_slice()) {
        ([], []) => Ok(None),
        ([b], [e]) if b < e => {
            let start = text[..*b].rfind('\n').map_or(0, |i| i + 1);
            let after = e + END.len();
            let end = text[after..].find('\n').map_or(text.len(), |i| after + i + 1);
            Ok(Some((start, end)))
        }
        _ => Err(format!(
            "{} begin and {} end markers: keep exactly one `{BEGIN}` line before one `{END}` line",
            begins.len(),
            ends.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_is_the_one_in_use() {
        assert_eq!(folder(&[]), DEFAULT_DIR);
        assert_eq!(folder(&["RUNBOOK.md".into()]), DEFAULT_DIR);
        let docs = ["docs/runbooks/a.md".to_string(), "docs/runbooks/b.md".into(), "ops/x.md".into()];
        assert_eq!(folder(&docs), "docs/runbooks");
    }

    #[test]
    fn block_markers() {
        let t = format!("# A\n{BEGIN}\nx\n{END}\nmine\n");
        let (s, e) = block_range(&t).unwrap().unwrap();
        assert_eq!(&t[..s], "# A\n");
        assert_eq!(&t[e..], "mine\n");
        assert!(block_range(&format!("{END}\n{BEGIN}\n")).is_err());
        assert!(block_range("none").unwrap().is_none());
    }
}

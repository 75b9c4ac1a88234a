//! `.opslint-baseline.json`: the findings a team has accepted for now, by
//! fingerprint. `opslint baseline` writes it (sorted, no timestamps, so it
//! diffs cleanly); `check --baseline` hides the findings it lists.
use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::finding::Finding;

pub const DEFAULT_NAME: &str = ".opslint-baseline.json";
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// One accepted finding. Only `fingerprint` is matched; the rest is for readers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub fingerprint: String,
    pub message: String,
}

/// The file's text for these findings: sorted by path, rule, fingerprint.
pub fn render(findings: &[Finding]) -> String {
    let mut entries: Vec<Entry> = findings
        .iter()
        .map(|f| Entry {
            path: f.rel.clone(),
            rule: f.rule.clone(),
            fingerprint: f.fingerprint.clone(),
            message: f.message.clone(),
        })
        .collect();
    entries.sort();
    entries.dedup();
    let mut s = serde_json::to_string_pretty(&Baseline { version: VERSION, findings: entries }).expect("serialisable");
    s.push('\n');
    s
}

/// The fingerprints a baseline file accepts.
pub fn read(path: &Path) -> Result<HashSet<String>, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Usage {
        message: format!("cannot read the baseline {}: {e}", path.display()),
        help: Some("create it with `opslint baseline`, or drop `--baseline`".into()),
    })?;
    let b: Baseline = serde_json::from_str(&text).map_err(|e| Error::Usage {
        message: format!("{} is not an opslint baseline: {e}", path.display()),
        help: Some("rewrite it with `opslint baseline`".into()),
    })?;
    if b.version != VERSION {
        return Err(Error::Usage {
            message: format!("{}: baseline version {} (this opslint reads {VERSION})", path.display(), b.version),
            help: Some("rewrite it with `opslint baseline`".into()),
        });
    }
    Ok(b.findings.into_iter().map(|e| e.fingerprint).collect())
}

//! One repository's result file: versioned, deterministic (no time, no
//! absolute path), the maturity document inside, finding counts beside it.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;

pub const SCHEMA: &str = "opslint-audit-result";
/// Bumped when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct RubricId {
    pub name: String,
    pub revision: u32,
    /// SHA-256 of the rubric's text: an edited rubric is another rubric.
    pub sha256: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Counts {
    pub total: usize,
    /// Suppressed in the repository (not in `total`).
    pub suppressed: usize,
    pub by_severity: BTreeMap<String, usize>,
    /// rule id → severity → count.
    pub by_rule: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            if f.suppression.is_some() {
                c.suppressed += 1;
                continue;
            }
            c.total += 1;
            let sev = f.severity.as_str().to_string();
            *c.by_severity.entry(sev.clone()).or_default() += 1;
            *c.by_rule.entry(f.rule.clone()).or_default().entry(sev).or_default() += 1;
        }
        c
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RepoResult {
    pub schema: String,
    pub schema_version: u32,
    pub name: String,
    pub source: String,
    /// Absent for a folder that is not a clean git checkout (never resumed).
    pub commit: Option<String>,
    pub opslint_version: String,
    pub rubric: RubricId,
    /// SHA-256 of the configuration files in effect.
    pub config_sha256: String,
    /// Why the repository has no verdicts (clone or run failed); then the fields below are absent.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub level: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub findings: Option<Counts>,
    /// The `opslint maturity --format json` document (paths relative to the repository).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub maturity: Option<serde_json::Value>,
}

/// What a result must match to be kept instead of run again.
pub struct Identity<'a> {
    pub rubric: &'a RubricId,
    pub config_sha256: &'a str,
}

impl RepoResult {
    pub fn render(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a result serialises");
        s.push('\n');
        s
    }

    /// A result already there for the same repository, commit, opslint, rubric and configuration.
    pub fn current(&self, name: &str, commit: Option<&str>, id: &Identity) -> bool {
        self.schema == SCHEMA
            && self.schema_version == SCHEMA_VERSION
            && self.error.is_none()
            && self.name == name
            && commit.is_some()
            && self.commit.as_deref() == commit
            && self.opslint_version == env!("CARGO_PKG_VERSION")
            && self.rubric == *id.rubric
            && self.config_sha256 == id.config_sha256
    }
}

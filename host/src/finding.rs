//! Findings and evidence as the host holds them: full rule ids, resolved
//! positions, displayed paths. Made from plugins' output (WIT types) in one
//! place, `app/check/accept.rs`.
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Severity::High, Severity::Medium, Severity::Low, Severity::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|x| x.as_str().eq_ignore_ascii_case(s))
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A resolved place in a file: byte span plus 1-based line and column
/// (columns count Unicode scalar values).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub path: String,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub start: u32,
    pub end: u32,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub applicability: &'static str,
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `<plugin>/<rule>`, stable forever.
    pub rule: String,
    pub aliases: Vec<String>,
    pub severity: Severity,
    /// Path as shown to the user (relative to the working directory when possible).
    pub path: String,
    /// `None`: the finding is about the whole file.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// Stable across line shifts: for baselines and SARIF partialFingerprints.
    pub fingerprint: String,
    /// Set when an in-source comment or a Kubernetes annotation suppresses the finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<Suppression>,
    /// Path relative to the project root, `/`-separated (what fingerprints hash).
    #[serde(skip)]
    pub rel: String,
}

/// Why a finding is suppressed, and where that was said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// `comment` (an `opslint: ignore…` comment) or `annotation` (`opslint.dev/ignore`).
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// 1-based line of the comment or annotation.
    pub line: u32,
}

impl Finding {
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        let (line, col) = self.position.as_ref().map_or((0, 0), |p| (p.line, p.column));
        (&self.path, line, col, &self.rule, &self.message)
    }
}

/// A fact a plugin states about the repository (a database, a CI job): not a
/// judgement, but what evidence-phase plugins and the maturity rubric read.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// `<plugin>/<fact>`.
    pub key: String,
    pub value: EvidenceValue,
    /// Path as shown to the user, like a finding's; `None`: about the repository.
    pub path: Option<String>,
    pub line: Option<u32>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub enum EvidenceValue {
    Flag(bool),
    Count(u64),
    Text(String),
    Items(Vec<String>),
}

impl EvidenceValue {
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            EvidenceValue::Flag(b) => (*b).into(),
            EvidenceValue::Count(n) => (*n).into(),
            EvidenceValue::Text(t) => t.clone().into(),
            EvidenceValue::Items(items) => items.clone().into(),
        }
    }
}

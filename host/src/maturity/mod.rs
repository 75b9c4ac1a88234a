//! The maturity assessment (`opslint maturity`, `opslint --maturity`): the
//! rubric as data, judged against every plugin's evidence, written as a
//! managed block of `maturity-assessment.md` (docs/maturity.md).
pub mod assess;
pub mod block;
pub mod explain;
pub mod json;
pub mod report;
pub mod rubric;

/// Folders whose files describe something other than the assessed service
/// (test inputs, samples, vendored code, dev containers): the assessment does
/// not read them, so no plugin's evidence or findings come from them. The
/// list is the plugins' own (`opslint-knowledge`), so the maturity plugin
/// skips the same folders when run otherwise.
pub use opslint_knowledge::paths::NOT_THE_SERVICE;

/// Where the report goes under the assessed directory unless configured.
pub const DEFAULT_REPORT: &str = "docs/ops-runbook/maturity-assessment.md";

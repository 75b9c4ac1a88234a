//! The maturity assessment (`opslint maturity`, `opslint --maturity`): the
//! rubric as data, judged against every plugin's evidence, written as a
//! managed block of `maturity-assessment.md` (docs/maturity.md).
pub mod assess;
pub mod block;
pub mod report;
pub mod rubric;

/// Where the report goes under the assessed directory unless configured.
pub const DEFAULT_REPORT: &str = "docs/ops-runbook/maturity-assessment.md";

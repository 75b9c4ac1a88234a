use crate::{Ctx, FixAvailability, RuleStatus, Severity};

/// What a rule file declares about itself (its id comes from the file name,
/// its docs from the file's `//!` comment).
#[derive(Debug, Clone, Copy)]
pub struct Meta {
    /// One line: what is flagged.
    pub summary: &'static str,
    pub severity: Severity,
    pub enabled: bool,
    pub status: RuleStatus,
    pub since: &'static str,
    pub fix: FixAvailability,
    pub tags: &'static [&'static str],
    /// Other tools' ids for the same check.
    pub aliases: &'static [&'static str],
}

impl Meta {
    /// Start from this: `Meta { summary: "...", ..Meta::DEFAULT }`.
    pub const DEFAULT: Meta = Meta {
        summary: "",
        severity: Severity::Medium,
        enabled: true,
        status: RuleStatus::Stable,
        since: "0.1.0",
        fix: FixAvailability::None,
        tags: &[],
        aliases: &[],
    };
}

/// A rule as listed in the generated registry.
pub struct Registered<D: 'static> {
    pub id: &'static str,
    pub docs: &'static str,
    pub meta: Meta,
    pub check: fn(&mut Ctx, &D),
}

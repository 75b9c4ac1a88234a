//! Rules the host itself reports (id prefix `opslint/`): files it could not
//! hand to a plugin, and plugins that failed. Their docs are what `opslint explain` prints.
use crate::config::Settings;
use crate::finding::{Finding, Severity};

pub struct HostRule {
    pub id: &'static str,
    pub summary: &'static str,
    pub severity: Severity,
    pub docs: &'static str,
}

pub const PLUGIN_FAILED: &str = "opslint/plugin-failed";
pub const UNREADABLE_FILE: &str = "opslint/unreadable-file";
pub const BINARY_FILE: &str = "opslint/binary-file";
pub const INVALID_UTF8: &str = "opslint/invalid-utf8";
pub const FILE_TOO_LARGE: &str = "opslint/file-too-large";
pub const INVALID_SUPPRESSION: &str = "opslint/invalid-suppression";
pub const SUPPRESSION_WITHOUT_REASON: &str = "opslint/suppression-without-reason";
pub const SUPPRESSION_EXPIRED: &str = "opslint/suppression-expired";
pub const UNUSED_SUPPRESSION: &str = "opslint/unused-suppression";

/// Rules no suppression comment can silence: a failed plugin, and the
/// findings about suppressions themselves (turn those off in opslint.toml).
pub const NOT_SUPPRESSIBLE: &[&str] =
    &[PLUGIN_FAILED, INVALID_SUPPRESSION, SUPPRESSION_WITHOUT_REASON, SUPPRESSION_EXPIRED, UNUSED_SUPPRESSION];

pub static HOST_RULES: &[HostRule] = &[
    HostRule {
        id: BINARY_FILE,
        summary: "a file that should be text is binary",
        severity: Severity::Medium,
        docs: "## What it does\nReports a file that opslint would check (by its name) but that holds binary data (a NUL byte in its first 8 KiB).\n\n## Why is this bad?\nA binary file named like a Dockerfile or manifest is almost always a mistake: a build artefact committed by accident, or a corrupted file. It is not checked.\n\n## Example\nA `Dockerfile` that is a gzip archive.\n\n## Use instead\nCommit the text file, or exclude the path in `opslint.toml` (`[files] exclude`).\n",
    },
    HostRule {
        id: FILE_TOO_LARGE,
        summary: "a file is larger than the configured limit and was not checked",
        severity: Severity::Medium,
        docs: "## What it does\nReports a file over `max-file-size` (bytes, default 5 MiB) that opslint would otherwise check.\n\n## Why is this bad?\nNo hand-written Dockerfile, manifest or migration is that large; such a file is generated or vendored, and checking it would slow every run. It is reported, not silently skipped.\n\n## Example\nA 40 MB `dump.sql` matched by the sql plugin.\n\n## Use instead\nExclude the path (`[files] exclude`) or raise `max-file-size` in `opslint.toml`.\n",
    },
    HostRule {
        id: INVALID_UTF8,
        summary: "a file is not valid UTF-8",
        severity: Severity::Low,
        docs: "## What it does\nReports the first byte sequence that is not UTF-8 in a file opslint checks. The file is still checked, with the bad bytes replaced by U+FFFD.\n\n## Why is this bad?\nDocker, Kubernetes and CI systems read their files as UTF-8; a Latin-1 byte in a Dockerfile or manifest may be mangled or rejected.\n\n## Example\nA comment saved in Windows-1252 (`# Caf\\xe9`).\n\n## Use instead\nRe-save the file as UTF-8.\n",
    },
    HostRule {
        id: INVALID_SUPPRESSION,
        summary: "a suppression comment or annotation cannot be understood",
        severity: Severity::Medium,
        docs: "## What it does\nReports an `opslint:` comment or an `opslint.dev/ignore` annotation that does not follow the suppression grammar (`opslint: ignore[RULE, …] reason=\"…\" until=YYYY-MM-DD`, or `ignore-file[…]`), names no rule, names a rule opslint does not know, or has an impossible date.\n\n## Why is this bad?\nA suppression that is not understood suppresses nothing: the finding it was meant for is still reported, and the reader of the file believes otherwise.\n\n## Example\n```dockerfile\n# opslint: ignore[dockerfile/latest-tags] reason=\"pinned upstream\"\nFROM nginx:latest\n```\n\n## Use instead\n```dockerfile\n# opslint: ignore[dockerfile/latest-tag] reason=\"pinned upstream\"\nFROM nginx:latest\n```\n",
    },
    HostRule {
        id: PLUGIN_FAILED,
        summary: "a plugin trapped, ran out of time or memory, or returned invalid output",
        severity: Severity::High,
        docs: "## What it does\nReports a plugin that could not check a batch of files: it trapped (panicked), exceeded its time limit or memory cap, or returned output the host refused (findings for files it was not given or rules it did not declare, or more findings than a batch may hold). A plugin that rejects its options is a configuration error instead (exit 2). This rule cannot be disabled. The finding names the plugin and the files; every other plugin and batch still reports, and the exit code is 3.\n\n## Why is this bad?\nThe files named were not checked by that plugin, so its rules say nothing about them.\n\n## Example\nA third-party plugin that loops forever on one manifest.\n\n## Use instead\nRaise `[plugins.NAME] timeout` or `memory-mib` if the input is legitimately large; otherwise report the file to the plugin's authors, or exclude it.\n",
    },
    HostRule {
        id: SUPPRESSION_EXPIRED,
        summary: "a suppression is past its `until` date",
        severity: Severity::Low,
        docs: "## What it does\nReports a suppression whose `until=` date has passed (the date itself is the last day it applies; today is UTC, or `OPSLINT_TODAY`). An expired suppression no longer applies, so the findings it covered are reported again beside this one.\n\n## Why is this bad?\nAn accepted risk had an end date so that someone would look at it again. That day has come.\n\n## Example\n```yaml\n# opslint: ignore[k8s/image-tag] reason=\"until the 2.0 release\" until=2024-01-31\n```\n\n## Use instead\nFix the finding and delete the comment, or, if the risk is still accepted, give a new date and reason.\n",
    },
    HostRule {
        id: SUPPRESSION_WITHOUT_REASON,
        summary: "a suppression does not say why",
        severity: Severity::Medium,
        docs: "## What it does\nReports a suppression comment or annotation without a non-empty `reason=\"…\"`. The suppression still applies; this finding takes the place of the ones it hides.\n\n## Why is this bad?\nA suppression accepts a risk. Without a reason, the next reader cannot tell an informed decision from a way to make the build pass.\n\n## Example\n```sql\n-- opslint: ignore[sql/index-without-concurrently]\nCREATE INDEX idx_orders_user ON orders (user_id);\n```\n\n## Use instead\n```sql\n-- opslint: ignore[sql/index-without-concurrently] reason=\"table created in this migration, still empty\"\nCREATE INDEX idx_orders_user ON orders (user_id);\n```\n",
    },
    HostRule {
        id: UNREADABLE_FILE,
        summary: "a file could not be read",
        severity: Severity::High,
        docs: "## What it does\nReports a file opslint would check but could not read (permissions, a broken link, an I/O error).\n\n## Why is this bad?\nAn unread file is an unchecked file; a CI gate must not pass silently over it.\n\n## Example\nA `Dockerfile` with mode 000.\n\n## Use instead\nFix the file's permissions, or exclude it in `opslint.toml`.\n",
    },
    HostRule {
        id: UNUSED_SUPPRESSION,
        summary: "a suppression suppresses nothing",
        severity: Severity::Low,
        docs: "## What it does\nReports a rule named in a suppression comment or annotation when no finding of that rule was suppressed by it: the problem was fixed, the line moved away from the comment, or the comment names the wrong rule. Only rules that were enabled and ran on the file are judged, so a suppression for a rule another policy pack turns off is not reported.\n\n## Why is this bad?\nA stale suppression hides the next real finding on that line, and tells readers a risk exists that does not.\n\n## Example\n```dockerfile\n# opslint: ignore[dockerfile/latest-tag] reason=\"pinned upstream\"\nFROM nginx:1.27\n```\n\n## Use instead\nDelete the comment (or the rule id that no longer applies).\n",
    },
];

/// A host finding, or `None` when the user disabled that host rule.
pub fn finding(
    settings: &Settings,
    rule: &str,
    path: &str,
    message: String,
    position: Option<crate::finding::Position>,
) -> Option<Finding> {
    let severity = *settings.enabled.get(rule)?;
    let help = match rule {
        PLUGIN_FAILED => "see `opslint explain opslint/plugin-failed`; raise the plugin's timeout or memory-mib if the input is legitimately large",
        FILE_TOO_LARGE => "exclude the file in opslint.toml ([files] exclude) or raise max-file-size",
        BINARY_FILE => "commit the text file, or exclude the path in opslint.toml",
        INVALID_UTF8 => "re-save the file as UTF-8",
        INVALID_SUPPRESSION => "write `opslint: ignore[RULE-ID] reason=\"…\" until=YYYY-MM-DD` (see `opslint explain opslint/invalid-suppression`)",
        SUPPRESSION_WITHOUT_REASON => "add `reason=\"…\"` saying why the risk is accepted",
        SUPPRESSION_EXPIRED => "fix the finding and delete the suppression, or renew it with a new date and reason",
        UNUSED_SUPPRESSION => "delete the suppression, or the rule ids in it that no longer apply",
        _ => "fix the file's permissions or exclude it in opslint.toml",
    };
    Some(Finding {
        rule: rule.to_string(),
        aliases: Vec::new(),
        severity,
        path: path.to_string(),
        position,
        message,
        help: Some(help.to_string()),
        related: Vec::new(),
        fix: None,
        fingerprint: String::new(),
        suppression: None,
        rel: String::new(),
    })
}

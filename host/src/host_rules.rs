//! Rules the host itself reports (id prefix `opslint/`): files it could not
//! hand to a plugin, and plugins that failed. Their docs are what `opslint explain` prints.
use crate::finding::Severity;

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
        id: PLUGIN_FAILED,
        summary: "a plugin trapped, ran out of time or memory, or returned invalid output",
        severity: Severity::High,
        docs: "## What it does\nReports a plugin that could not check a batch of files: it trapped (panicked), exceeded its time limit or memory cap, or returned output the host refused (findings for files it was not given or rules it did not declare, or more findings than a batch may hold). A plugin that rejects its options is a configuration error instead (exit 2). This rule cannot be disabled. The finding names the plugin and the files; every other plugin and batch still reports, and the exit code is 3.\n\n## Why is this bad?\nThe files named were not checked by that plugin, so its rules say nothing about them.\n\n## Example\nA third-party plugin that loops forever on one manifest.\n\n## Use instead\nRaise `[plugins.NAME] timeout` or `memory-mib` if the input is legitimately large; otherwise report the file to the plugin's authors, or exclude it.\n",
    },
    HostRule {
        id: UNREADABLE_FILE,
        summary: "a file could not be read",
        severity: Severity::High,
        docs: "## What it does\nReports a file opslint would check but could not read (permissions, a broken link, an I/O error).\n\n## Why is this bad?\nAn unread file is an unchecked file; a CI gate must not pass silently over it.\n\n## Example\nA `Dockerfile` with mode 000.\n\n## Use instead\nFix the file's permissions, or exclude it in `opslint.toml`.\n",
    },
];

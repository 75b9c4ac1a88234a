//! ## What it does
//! Flags a backup script that can fail silently: it neither stops on errors
//! (`set -e`, `set -o errexit`) nor checks exit codes (`|| exit`, `if !`,
//! `$?`, `PIPESTATUS`), or it pipes a dump (`pg_dump … | gzip`) without
//! `set -o pipefail`, so a failed dump still leaves a small, valid-looking
//! compressed file. Makefiles stop on a failing line, so only the pipe
//! counts there (unless `.SHELLFLAGS` has `-o pipefail`).
//!
//! ## Why is this bad?
//! The job reports success every night and the file it keeps is empty. The
//! failure is found on the day of the restore.
//!
//! ## Example
//! ```sh
//! #!/bin/sh
//! pg_dump -h db shop | gzip > /backups/shop.sql.gz
//! ```
//!
//! ## Use instead
//! ```sh
//! #!/bin/bash
//! set -euo pipefail
//! pg_dump -h db shop | gzip > /backups/shop.sql.gz
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a backup script does not stop on errors",
    severity: Severity::Medium,
    tags: &["backup", "reliability"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for s in &repo.scripts {
        if !s.errexit && !s.checks_status {
            cx.report_in(s.doc, s.first.clone(), format!("backup script `{}` goes on after a failed command: looked for `set -e`/`set -o errexit` or exit-code checks, found none", s.path))
                .help("start the script with `set -euo pipefail`");
            continue;
        }
        if let (Some(range), false) = (&s.piped, s.pipefail || s.checks_status && !s.makefile) {
            let how = if s.makefile {
                "the Makefile's shell has no `-o pipefail`"
            } else {
                "the script does not `set -o pipefail`"
            };
            cx.report_in(
                s.doc,
                range.clone(),
                format!("a failed dump in `{}` is hidden by the pipe after it: {how}", s.path),
            )
            .help(if s.makefile {
                "add `SHELL := bash` and `.SHELLFLAGS := -eu -o pipefail -c`"
            } else {
                "add `set -o pipefail` (or `set -euo pipefail`)"
            });
        }
    }
}

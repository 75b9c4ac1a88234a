//! ## What it does
//! Flags a password written into a backup or restore command: `PGPASSWORD=…`
//! or `MYSQL_PWD=…` with a literal value, `mysqldump -p'…'`,
//! `--password=…`, `RESTIC_PASSWORD=…`, a connection URL with
//! `user:password@`, in scripts and in backup CronJob commands. Values read
//! from variables (`$PGPASSWORD`, `${DB_PASS}`) and placeholders a script
//! substitutes (`__DB_PASSWORD__`, `@@PASS@@`, `<password>`) are fine.
//!
//! ## Why is this bad?
//! The password is in the repository's history for good, readable by
//! everyone with access, and it shows in `ps` output on the host.
//!
//! ## Example
//! ```sh
//! PGPASSWORD=s3cr3t pg_dump -h db -U shop shop > shop.sql
//! ```
//!
//! ## Use instead
//! ```sh
//! # PGPASSWORD comes from a Secret or the CI secret store; or use ~/.pgpass
//! pg_dump -h db -U shop shop > shop.sql
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a backup command has a password written in it",
    severity: Severity::High,
    tags: &["backup", "security"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for s in &repo.scripts {
        for (range, what) in &s.credentials {
            cx.report_in(s.doc, range.clone(), format!("backup script `{}` has a {what} written in it", s.path))
                .help("read it from the environment (a Secret, the CI secret store) or a credentials file such as ~/.pgpass, and rotate this one");
        }
    }
    for (doc, range, what, job) in &repo.job_credentials {
        cx.report_in(*doc, range.clone(), format!("backup {job} has a {what} written in its command"))
            .help("pass it from a Secret (`env.valueFrom.secretKeyRef`), and rotate this one");
    }
}

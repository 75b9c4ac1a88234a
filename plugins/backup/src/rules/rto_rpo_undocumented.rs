//! ## What it does
//! Flags a repository that deploys databases but whose documentation never
//! states a recovery time objective (RTO: how long a restore may take) and
//! a recovery point objective (RPO: how much data may be lost). Looked for
//! the words RTO and RPO, or "recovery time objective" and "recovery point
//! objective", in Markdown, reStructuredText and AsciiDoc files; lines
//! saying TODO or TBD do not count. Reported once, at the first database.
//!
//! Off by default (turn it on with `extend-select`, or read the same judgement in
//! `opslint maturity`): whether and how a database is backed up is often settled outside
//! the repository (the application's own backup settings, a managed service, a platform
//! team's tooling, an operator's runbook), and many repositories that deploy a database are
//! samples or distributions others run. On the labelled sample of real repositories
//! (tests/precision/labels.toml) most findings of this rule could not be confirmed from
//! the files, so a gate would cry wolf.
//!
//! ## Why is this bad?
//! Without targets nobody can say whether a nightly dump is enough, or how
//! often the restore drill must run and how fast it must be.
//!
//! ## Example
//! A runbook that explains backups but not how much data may be lost.
//!
//! ## Use instead
//! ```markdown
//! ## Backup and recovery
//! RPO: 15 minutes (WAL archiving). RTO: 1 hour (restore drill: 25 minutes).
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "RTO and RPO are not documented",
    severity: Severity::Low,
    tags: &["backup", "documentation"],
    enabled: false,
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    if repo.rto.is_some() && repo.rpo.is_some() {
        return;
    }
    let dbs: Vec<&Database> = repo.judged().collect();
    let Some(first) = dbs.first() else { return };
    let missing = match (&repo.rto, &repo.rpo) {
        (Some(_), None) => "an RPO",
        (None, Some(_)) => "an RTO",
        _ => "an RTO or RPO",
    };
    let names: Vec<String> = dbs.iter().map(|d| format!("`{}`", d.name)).collect();
    at_db(cx, first, format!("no document states {missing} for the databases of this repository ({}): looked for RTO/RPO or recovery time/point objective in docs, found none", names.join(", ")), &[])
        .help("state how long a restore may take (RTO) and how much data may be lost (RPO), e.g. in docs/ops-runbook/backup-and-recovery.md");
}

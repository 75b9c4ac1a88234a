//! Reporting at a repository line (a database may be defined in a file
//! another plugin read: the host allows evidence-phase findings there).
use opslint_sdk::{Ctx, Finding, Label, Location};

use crate::model::{Database, Loc};

/// A finding of the running rule at `loc`.
pub fn at<'c>(cx: &'c mut Ctx, loc: &Loc, message: String) -> &'c mut Finding {
    cx.report_line(&loc.path, loc.line, message)
}

/// A finding at a database's definition, with `also` as related locations.
pub fn at_db<'c>(cx: &'c mut Ctx, db: &Database, message: String, also: &[(&Loc, &str)]) -> &'c mut Finding {
    let f = cx.report_line(&db.at.path, db.at.line, message);
    for (loc, what) in also {
        f.related.push(Label {
            path: Some(loc.path.clone()),
            location: Location::Line(loc.line),
            message: Some(what.to_string()),
        });
    }
    f
}

/// The backup tools and settings looked for, for messages.
pub fn looked_for(db: &Database) -> String {
    let tools = match db.engine.as_str() {
        "postgres" => "pg_dump, pg_dumpall, pg_basebackup, pgBackRest, WAL-G or barman",
        "mysql" | "mariadb" => "mysqldump, mariadb-dump, xtrabackup/mariabackup or WAL-G",
        "mongodb" => "mongodump or WAL-G",
        "redis" => "redis-cli BGSAVE/--rdb",
        _ => "a dump tool of the engine",
    };
    let place = match db.source {
        crate::model::Source::Terraform => "automated backups of the managed service (retention above 0), ",
        crate::model::Source::K8s => "operator backup settings, Velero schedules, ",
        // The provider's own backups (Heroku Continuous Protection, Render's daily backups) depend
        // on the plan and are not visible in the repository: a schedule set up or a dump must be.
        crate::model::Source::Platform if db.managed.is_some() => {
            "a provider backup schedule set up (`heroku pg:backups:schedule`) or a dump, since the provider's own backups are not visible in the repository, "
        }
        _ => "",
    };
    format!("looked for {place}{tools}, restic or borg in scripts, CronJobs and CI jobs")
}

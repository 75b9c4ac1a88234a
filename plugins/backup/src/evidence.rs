//! Facts for the maturity assessment: one per database, and summary flags.
use opslint_sdk::{Ctx, EvidenceMeta, EvidenceValue};

use crate::model::{Database, Loc, Repo};

pub fn meta() -> Vec<EvidenceMeta> {
    let e = |key: &str, description: &str| EvidenceMeta { key: key.into(), description: description.into() };
    vec![
        e("backup/database", "a database the repository deploys (one per database, located at its definition): name, engine, source and whether it is backed up, on a schedule, off-site, with a verified and a documented restore"),
        e("backup/database-count", "how many databases the repository deploys (local development ones included)"),
        e("backup/all-databases-backed-up", "every deployed database has a backup (located at the first backup)"),
        e("backup/backups-automated", "every deployed database has a scheduled backup"),
        e("backup/restore-verified", "every deployed database has an automated restore drill"),
        e("backup/restore-documented", "every deployed database has a written restore procedure"),
        e("backup/rto-rpo-documented", "documentation states RTO and RPO"),
        e("backup/backup-alerting", "an alert rule watches backups (failure or staleness)"),
        e("backup/manual-backup-possible", "a script or a documented command can back up each deployed database"),
        e("backup/backup", "a backup of a database (one per database and backup, located at the backup): `database=`, `kind=`, `name=`, `tools=`, `scheduled=`, `target=` (off-site store, local path or empty), `retention-days=` and `retention-at=` (file:line; empty when unset)"),
        e("backup/restore", "a way to restore a database (one per database and restore, located): `database=`, `how=`, `automated=`, `documented=`"),
        e("backup/compose-service", "a compose service (one each, located): `name=`, `image=`, `ports=` (comma-separated), `depends-on=` (comma-separated), `development=` (a local development compose file)"),
        e("backup/unreadable", "a file that could define databases and was not read in full (one per file, located): a compose or Helm values file that does not parse, a compose template, an image named by an unset variable. While one exists no database flag is true and \"no database deployed\" is never said: the database criteria are not assessed"),
    ]
}

fn yn(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// A flag located at `first` when it holds, at the first database lacking it otherwise.
fn flag(cx: &mut Ctx, key: &str, holds: bool, at: Option<&Loc>, note: Option<String>) {
    match at {
        Some(l) => cx.evidence_line(Some(&l.path), l.line, key, EvidenceValue::Flag(holds), note),
        None => cx.evidence_line(None, 0, key, EvidenceValue::Flag(holds), note),
    }
}

pub fn collect(cx: &mut Ctx, repo: &Repo) {
    cx.evidence_line(None, 0, "backup/database-count", EvidenceValue::Count(repo.databases.len() as u64), None);
    for u in &repo.unreadable {
        let text = format!("{} `{}` not read in full: {}", u.what, u.at.path, u.message);
        cx.evidence_line(Some(&u.at.path), u.at.line, "backup/unreadable", EvidenceValue::Text(text), None);
    }
    for svc in &repo.compose_services {
        let items = vec![
            format!("name={}", svc.name),
            format!("image={}", svc.image),
            format!("ports={}", svc.ports.join(",")),
            format!("depends-on={}", svc.depends_on.join(",")),
            format!("development={}", yn(svc.dev)),
        ];
        cx.evidence_line(Some(&svc.at.path), svc.at.line, "backup/compose-service", EvidenceValue::Items(items), None);
    }
    // Unknown is not a pass: with a file unread, no database flag can hold.
    let unknown = !repo.unreadable.is_empty();
    for db in &repo.databases {
        let backups: Vec<_> = repo.backups_of(db).collect();
        let restores: Vec<_> = repo.restores_of(db).collect();
        let mut items = vec![
            format!("name={}", db.name),
            format!("engine={}", db.engine),
            format!("source={}", db.source.name()),
            format!("backup={}", yn(!backups.is_empty())),
            format!("scheduled={}", yn(backups.iter().any(|b| b.scheduled))),
            format!("offsite={}", yn(backups.iter().any(|b| b.offsite.is_some()))),
            format!("verified={}", yn(restores.iter().any(|r| r.automated))),
            format!("restore-documented={}", yn(restores.iter().any(|r| r.documented))),
        ];
        if db.dev {
            items.push("environment=development".into());
        }
        // What a runbook's backup table shows, each at its own source.
        for b in repo.manual_backups_of(db) {
            let items = vec![
                format!("database={}", db.name),
                format!("kind={:?}", b.kind).to_ascii_lowercase(),
                format!("name={}", b.name),
                format!("tools={}", b.tools.join(" ")),
                format!("scheduled={}", yn(b.scheduled)),
                format!("target={}", b.offsite.map(str::to_string).or_else(|| b.local.clone()).unwrap_or_default()),
                format!("retention-days={}", b.retention.as_ref().map(|(d, _)| d.to_string()).unwrap_or_default()),
                format!("retention-at={}", b.retention.as_ref().map(|(_, l)| l.to_string()).unwrap_or_default()),
            ];
            cx.evidence_line(Some(&b.at.path), b.at.line, "backup/backup", EvidenceValue::Items(items), None);
        }
        for r in &restores {
            let items = vec![
                format!("database={}", db.name),
                format!("how={}", r.what),
                format!("automated={}", yn(r.automated)),
                format!("documented={}", yn(r.documented)),
            ];
            cx.evidence_line(Some(&r.at.path), r.at.line, "backup/restore", EvidenceValue::Items(items), None);
        }
        cx.evidence_line(
            Some(&db.at.path),
            db.at.line,
            "backup/database",
            EvidenceValue::Items(items),
            Some(db.describe()),
        );
    }
    let judged: Vec<&Database> = repo.judged().collect();
    let flags = [
        "backup/all-databases-backed-up",
        "backup/backups-automated",
        "backup/restore-verified",
        "backup/restore-documented",
        "backup/manual-backup-possible",
    ];
    if judged.is_empty() && unknown {
        // Nothing to say: the databases of the unread files are unknown.
    } else if judged.is_empty() {
        let note = if repo.databases.is_empty() {
            "no database deployed".to_string()
        } else {
            "no database deployed (only local development databases)".to_string()
        };
        for key in flags {
            flag(cx, key, true, None, Some(note.clone()));
        }
    } else {
        // (key, what supports it for one database)
        type Support<'a> = Box<dyn Fn(&Database) -> Option<Loc> + 'a>;
        let supports: [(&str, Support); 5] = [
            (flags[0], Box::new(|db| repo.backups_of(db).next().map(|b| b.at.clone()))),
            (flags[1], Box::new(|db| repo.backups_of(db).find(|b| b.scheduled).map(|b| b.at.clone()))),
            (flags[2], Box::new(|db| repo.restores_of(db).find(|r| r.automated).map(|r| r.at.clone()))),
            (flags[3], Box::new(|db| repo.restores_of(db).find(|r| r.documented).map(|r| r.at.clone()))),
            (flags[4], Box::new(|db| repo.manual_backups_of(db).next().map(|b| b.at.clone()))),
        ];
        for (key, support) in supports {
            let found: Vec<(&Database, Option<Loc>)> = judged.iter().map(|db| (*db, support(db))).collect();
            match found.iter().find(|(_, s)| s.is_none()) {
                Some((db, _)) => flag(cx, key, false, Some(&db.at), Some(format!("not for the {}", db.describe()))),
                None if unknown => {}
                None => {
                    let first = found.iter().filter_map(|(_, s)| s.clone()).min();
                    flag(cx, key, true, first.as_ref(), None)
                }
            }
        }
    }
    match (&repo.rto, &repo.rpo) {
        (Some(rto), Some(_)) => flag(cx, "backup/rto-rpo-documented", true, Some(rto), None),
        _ if judged.is_empty() && unknown => {}
        _ if judged.is_empty() => {
            flag(cx, "backup/rto-rpo-documented", true, None, Some("no database deployed".into()))
        }
        _ => flag(cx, "backup/rto-rpo-documented", false, None, None),
    }
    match repo.alerts.first() {
        Some((name, at)) => flag(cx, "backup/backup-alerting", true, Some(at), Some(format!("alert `{name}`"))),
        None if judged.is_empty() && unknown => {}
        None if judged.is_empty() => {
            flag(cx, "backup/backup-alerting", true, None, Some("no database deployed".into()))
        }
        None => flag(cx, "backup/backup-alerting", false, None, None),
    }
}

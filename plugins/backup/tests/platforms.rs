//! Databases that platforms run from a manifest (issue 12: a Kamal MySQL
//! accessory and a Heroku Postgres add-on read as "no database deployed", a
//! false pass on every database criterion), and what counts as their backups.
use opslint_plugin_backup::BackupPlugin;
use opslint_sdk::{check_repo, CheckOutput, CheckRequest, Document, EvidenceValue, RepoPlugin};

fn run(docs: &[(&str, &str)]) -> CheckOutput {
    let request = CheckRequest {
        documents: docs
            .iter()
            .map(|(p, t)| Document { path: p.to_string(), kind: "yaml".into(), text: t.to_string() })
            .collect(),
        rules: BackupPlugin::rules().iter().map(|r| r.id.to_string()).collect(),
        options: "{}".into(),
    };
    check_repo::<BackupPlugin>(request).expect("check")
}

fn dbs(out: &CheckOutput) -> Vec<Vec<String>> {
    out.evidence
        .iter()
        .filter(|e| e.key == "backup/database")
        .filter_map(|e| match &e.value {
            EvidenceValue::Items(v) => Some(v.clone()),
            _ => None,
        })
        .collect()
}

fn db(out: &CheckOutput, name: &str) -> Vec<String> {
    dbs(out)
        .into_iter()
        .find(|v| v.contains(&format!("name={name}")))
        .unwrap_or_else(|| panic!("no backup/database for {name}: {:#?}", out.evidence))
}

fn has(v: &[String], item: &str) -> bool {
    v.iter().any(|x| x == item)
}

fn flag(out: &CheckOutput, key: &str) -> Option<bool> {
    out.evidence.iter().find(|e| e.key == key).map(|e| matches!(e.value, EvidenceValue::Flag(true)))
}

const KAMAL: &str = "service: shop\nimage: acme/shop\nservers:\n  web:\n    - 10.0.1.10\naccessories:\n  db:\n    image: postgres:16\n    host: 10.0.1.20\n    directories:\n      - data:/var/lib/postgresql/data\n  cache:\n    image: redis:7\n    host: 10.0.1.20\n";

#[test]
fn a_kamal_accessory_running_a_database_is_a_database() {
    let out = run(&[("config/deploy.yml", KAMAL)]);
    let v = db(&out, "db");
    assert!(has(&v, "engine=postgres") && has(&v, "source=platform") && has(&v, "backup=no"), "{v:?}");
    assert_eq!(flag(&out, "backup/all-databases-backed-up"), Some(false));
    // A dump through `kamal accessory exec`, and a restore fed through it, count.
    let ops = "## Backup\n\n```sh\nbin/kamal accessory exec db \"pg_dump -U shop shop\" > shop.dump\n```\n\n## Restore\n\n```sh\nbin/kamal accessory exec --interactive db \"psql -U shop shop\" < shop.dump\n```\n";
    let out = run(&[("config/deploy.yml", KAMAL), ("docs/ops.md", ops)]);
    let v = db(&out, "db");
    assert!(has(&v, "restore-documented=yes"), "{v:?}");
    assert_eq!(flag(&out, "backup/manual-backup-possible"), Some(true));
    // Not automated: a documented command is not a schedule.
    assert_eq!(flag(&out, "backup/backups-automated"), Some(false));
}

#[test]
fn a_deploy_yml_that_is_not_kamals_declares_no_database() {
    let other = "stages:\n  - prod\naccessories:\n  db:\n    image: postgres:16\n";
    let out = run(&[("config/deploy.yml", other)]);
    assert!(dbs(&out).is_empty());
}

const APP_JSON: &str = "{\n  \"name\": \"ledger\",\n  \"addons\": [{ \"plan\": \"heroku-postgresql:standard-0\" }],\n  \"buildpacks\": [{ \"url\": \"heroku/python\" }]\n}\n";

#[test]
fn a_heroku_addon_is_a_managed_database_whose_provider_backups_are_not_seen() {
    let out = run(&[("app.json", APP_JSON)]);
    let v = db(&out, "heroku-postgresql");
    assert!(has(&v, "engine=postgres") && has(&v, "backup=no"), "{v:?}");
    // Nothing in the repository shows a backup: no backup criterion holds.
    for key in ["backup/all-databases-backed-up", "backup/backups-automated", "backup/manual-backup-possible"] {
        assert_eq!(flag(&out, key), Some(false), "{key}");
    }
    // The finding says what was looked for, the provider's schedule among it.
    let f = out.findings.iter().find(|f| f.rule == "no-backup").expect("no-backup finding");
    assert!(f.message.contains("heroku-postgresql"), "{}", f.message);
}

#[test]
fn heroku_backups_by_hand_and_on_the_providers_schedule_count() {
    let readme = "## Backups\n\nNightly: `heroku pg:backups:schedule DATABASE_URL --at '02:00 UTC' --app ledger`.\nBy hand: `heroku pg:backups:capture --app ledger`.\n\n## Restore\n\n`heroku pg:backups:restore b101 DATABASE_URL --app ledger`\n";
    let out = run(&[("app.json", APP_JSON), ("README.md", readme)]);
    let v = db(&out, "heroku-postgresql");
    assert!(has(&v, "backup=yes") && has(&v, "scheduled=yes") && has(&v, "restore-documented=yes"), "{v:?}");
    assert!(has(&v, "verified=no"), "{v:?}");
    // Capture alone is a manual backup, not an automated one.
    let readme = "Before risky changes: `heroku pg:backups:capture --app ledger`.\n";
    let out = run(&[("app.json", APP_JSON), ("README.md", readme)]);
    assert_eq!(flag(&out, "backup/manual-backup-possible"), Some(true));
    assert_eq!(flag(&out, "backup/backups-automated"), Some(false));
}

#[test]
fn a_heroku_command_does_not_back_up_a_database_of_another_kind() {
    let compose = "services:\n  db:\n    image: postgres:16\n    volumes:\n      - pgdata:/var/lib/postgresql/data\nvolumes:\n  pgdata:\n";
    let readme = "`heroku pg:backups:capture --app ledger`\n";
    let out = run(&[("docker-compose.yml", compose), ("README.md", readme)]);
    assert!(has(&db(&out, "db"), "backup=no"));
}

#[test]
fn render_digitalocean_and_fly_databases_are_found() {
    let render = "services:\n  - type: web\n    name: api\ndatabases:\n  - name: shop-db\n    plan: basic-256mb\n";
    let out = run(&[("render.yaml", render)]);
    assert!(has(&db(&out, "shop-db"), "engine=postgres"));
    let app =
        "name: shop\nservices:\n  - name: web\ndatabases:\n  - name: db\n    engine: MYSQL\n    production: true\n";
    let out = run(&[(".do/app.yaml", app)]);
    assert!(has(&db(&out, "db"), "engine=mysql"));
    let readme =
        "## Set up\n\n```sh\nfly launch\nfly postgres create --name shop-db\nfly postgres attach shop-db\n```\n";
    let out = run(&[("fly.toml", "app = \"shop\"\n"), ("README.md", readme)]);
    assert!(has(&db(&out, "postgres"), "backup=no"));
    assert_eq!(flag(&out, "backup/all-databases-backed-up"), Some(false));
}

#[test]
fn a_client_fed_the_dump_written_above_restores_it_without_a_restore_heading() {
    let kamal = "service: b\nimage: a/b\nservers:\n  - 10.0.0.1\naccessories:\n  db:\n    image: mysql:8.4\n";
    let ops = "# Operations\n\nDump: `bin/kamal accessory exec db \"mysqldump -u root bookings\" > bookings.sql`\n\nLoad it back: `bin/kamal accessory exec --interactive db \"mysql -u root bookings\" < bookings.sql`\n";
    let out = run(&[("config/deploy.yml", kamal), ("docs/ops.md", ops)]);
    assert!(has(&db(&out, "db"), "restore-documented=yes"), "{:?}", db(&out, "db"));
    // A plain .sql file no command above wrote is a migration or a seed, not a restore.
    let seed = "# Setup\n\nSeed: `bin/kamal accessory exec --interactive db \"mysql -u root bookings\" < seed.sql`\n";
    let out = run(&[("config/deploy.yml", kamal), ("docs/ops.md", seed)]);
    assert!(has(&db(&out, "db"), "restore-documented=no"));
}

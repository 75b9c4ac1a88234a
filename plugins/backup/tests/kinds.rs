//! One test per kind of mistake issue 12 found in the backup verdicts (each
//! would fail if the kind came back): restores not spelled as a tool,
//! databases of other publishers, refused or templated compose files, and an
//! absence judged as a pass.
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

/// `name=…` → the items of its `backup/database` record.
fn db(out: &CheckOutput, name: &str) -> Vec<String> {
    out.evidence
        .iter()
        .filter(|e| e.key == "backup/database")
        .find_map(|e| match &e.value {
            EvidenceValue::Items(v) if v.contains(&format!("name={name}")) => Some(v.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no backup/database for {name}: {:#?}", out.evidence))
}

fn has(v: &[String], item: &str) -> bool {
    v.iter().any(|x| x == item)
}

fn flag(out: &CheckOutput, key: &str) -> Option<bool> {
    out.evidence.iter().find(|e| e.key == key).map(|e| matches!(e.value, EvidenceValue::Flag(true)))
}

const PG_COMPOSE: &str = "services:\n  api:\n    image: ghcr.io/acme/api:1\n  db:\n    image: postgres:16\n    volumes:\n      - pgdata:/var/lib/postgresql/data\nvolumes:\n  pgdata:\n";

#[test]
fn a_dump_piped_into_a_client_through_compose_or_kubectl_is_a_restore() {
    for doc in [
        "## Restore\n\n```sh\ngunzip -c backups/shop.sql.gz | docker compose exec -T db psql -U shop shop\n```\n",
        "Restore: `zcat /backups/latest.sql.gz | kubectl exec -i postgres-0 -- psql -U shop`\n",
        "To restore, run `docker compose exec -T db psql -U shop shop < dump.sql`.\n",
    ] {
        let out = run(&[("docker-compose.yml", PG_COMPOSE), ("docs/ops.md", doc)]);
        assert!(has(&db(&out, "db"), "restore-documented=yes"), "{doc}");
    }
}

#[test]
fn restore_steps_in_prose_under_a_restore_heading_are_documented() {
    let readme = "# shop\n\n## Restore\n\nStop the api container first. Copy the dump you want to the host, drop and\nrecreate the database, then load the dump into it inside the db container.\n";
    let out = run(&[("docker-compose.yml", PG_COMPOSE), ("README.md", readme)]);
    assert!(has(&db(&out, "db"), "restore-documented=yes"));
    // A heading alone, or prose that only mentions the word, is not a procedure.
    for readme in ["## Restore\n\nTODO: write the restore steps.\n", "## Password recovery\n\nUsers reset their password from the login page and load their profile again from the database.\n"] {
        let out = run(&[("docker-compose.yml", PG_COMPOSE), ("README.md", readme)]);
        assert!(has(&db(&out, "db"), "restore-documented=no"), "{readme}");
    }
}

#[test]
fn a_scheduled_restore_check_known_only_by_its_name_verifies_restores() {
    let cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: shop-restore-drill\nspec:\n  schedule: \"0 4 * * 0\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: drill\n              image: ghcr.io/acme/db-tools:1\n              command: [/scripts/drill.sh]\n";
    let out = run(&[("docker-compose.yml", PG_COMPOSE), ("k8s/drill.yaml", cron)]);
    assert!(has(&db(&out, "db"), "verified=yes"));
    // A systemd timer whose service runs `pg-restore-check` is one too.
    let timer = "[Timer]\nOnCalendar=weekly\n";
    let service = "[Service]\nExecStart=/usr/local/bin/pg-restore-check\n";
    let out = run(&[
        ("docker-compose.yml", PG_COMPOSE),
        ("files/pg-restore-check.timer", timer),
        ("files/pg-restore-check.service", service),
    ]);
    assert!(has(&db(&out, "db"), "verified=yes"));
}

#[test]
fn databases_from_other_publishers_images_are_databases() {
    let compose = "services:\n  a:\n    image: bitnami/postgresql:16\n  b:\n    image: postgis/postgis:16-3.4\n  c:\n    image: pgautoupgrade/pgautoupgrade:16-alpine\n  d:\n    image: timescale/timescaledb:latest-pg16\n  e:\n    image: mariadb:11\n  f:\n    image: percona:8\n  exporter:\n    image: prometheuscommunity/postgres-exporter\n";
    let out = run(&[("compose.yml", compose)]);
    for (name, engine) in
        [("a", "postgres"), ("b", "postgres"), ("c", "postgres"), ("d", "postgres"), ("e", "mariadb"), ("f", "mysql")]
    {
        assert!(has(&db(&out, name), &format!("engine={engine}")), "{name}");
    }
    assert!(!out.evidence.iter().any(|e| e.key == "backup/database"
        && matches!(&e.value, EvidenceValue::Items(v) if v.contains(&"name=exporter".to_string()))));
}

#[test]
fn a_database_named_by_its_data_directory_or_a_dot_env_image_is_found() {
    let compose = "services:\n  accounts-db:\n    image: registry.acme.dev/accounts-db:3\n    volumes:\n      - data:/var/lib/postgresql/data\n  astronomy:\n    image: ${POSTGRES_IMAGE}\n";
    let out = run(&[("compose.yaml", compose), (".env", "POSTGRES_IMAGE=postgres:18 # pinned\n")]);
    assert!(has(&db(&out, "accounts-db"), "engine=postgres"));
    assert!(has(&db(&out, "astronomy"), "engine=postgres"));
    assert!(!out.evidence.iter().any(|e| e.key == "backup/unreadable"));
}

#[test]
fn a_compose_file_whatever_its_name_holds_databases() {
    let out = run(&[("manual-install/latest.yml", PG_COMPOSE)]);
    let v = db(&out, "db");
    assert!(!has(&v, "environment=development"), "latest.yml is not a test file: {v:?}");
}

#[test]
fn a_compose_file_the_yaml_layer_refuses_is_not_a_pass() {
    // Not YAML at all (a merge conflict left in): the database is still found line by line,
    // the file is named, and no database flag is true.
    let broken = "services:\n  db:\n    image: postgres:16\n<<<<<<< HEAD\n  api:\n    image: [\n";
    let out = run(&[("docker-compose.yml", broken)]);
    assert!(has(&db(&out, "db"), "engine=postgres"));
    let unread: Vec<_> = out.evidence.iter().filter(|e| e.key == "backup/unreadable").collect();
    assert_eq!(unread.len(), 1, "{:#?}", out.evidence);
    assert_eq!(unread[0].path.as_deref(), Some("docker-compose.yml"));
    for key in [
        "backup/all-databases-backed-up",
        "backup/manual-backup-possible",
        "backup/restore-documented",
        "backup/backups-automated",
        "backup/restore-verified",
        "backup/backup-alerting",
        "backup/rto-rpo-documented",
    ] {
        assert_ne!(flag(&out, key), Some(true), "{key}");
    }
    // Nothing else: still never "no database deployed".
    let out = run(&[("docker-compose.yml", "services:\n  x: [\n")]);
    assert!(out.evidence.iter().all(|e| e.note.as_deref() != Some("no database deployed")), "{:#?}", out.evidence);
    assert!(out.evidence.iter().any(|e| e.key == "backup/unreadable"));
}

#[test]
fn a_templated_compose_file_is_read_and_not_judged_as_complete() {
    let j2 = "services:\n  web:\n    image: \"{{ web_image }}\"\n{% if with_db %}\n  db:\n    image: postgres:{{ pg_version }}\n{% endif %}\n";
    let out = run(&[("deploy/docker-compose.yml.j2", j2)]);
    assert!(has(&db(&out, "db"), "engine=postgres"));
    assert!(out
        .evidence
        .iter()
        .any(|e| e.key == "backup/unreadable" && e.path.as_deref() == Some("deploy/docker-compose.yml.j2")));
    assert_ne!(flag(&out, "backup/manual-backup-possible"), Some(true));
}

#[test]
fn no_database_is_said_only_when_nothing_was_unread() {
    let out = run(&[("docker-compose.yml", "services:\n  web:\n    image: nginx:1.27\n")]);
    assert_eq!(flag(&out, "backup/manual-backup-possible"), Some(true));
    let note = out.evidence.iter().find(|e| e.key == "backup/manual-backup-possible").and_then(|e| e.note.clone());
    assert_eq!(note.as_deref(), Some("no database deployed"));
}

#[test]
fn a_schema_only_dump_is_not_a_backup() {
    let script = "#!/bin/sh\nset -eu\npg_dump --schema-only -h db shop > schema.sql\n";
    let out = run(&[("docker-compose.yml", PG_COMPOSE), ("scripts/schema.sh", script)]);
    assert!(has(&db(&out, "db"), "backup=no"));
}

#[test]
fn timers_cron_nomad_and_extensionless_scripts_schedule_backups() {
    let backup = "#!/bin/sh\nset -eu\nsudo -u postgres pg_dump -Fc ledger | restic backup --stdin\n";
    let service = "[Service]\nExecStart=/usr/local/bin/pg-backup\n";
    let out = run(&[
        ("docker-compose.yml", PG_COMPOSE),
        ("roles/pg/files/pg-backup", backup),
        ("roles/pg/files/pg-backup.service", service),
        ("roles/pg/files/pg-backup.timer", "[Timer]\nOnCalendar=daily\n"),
    ]);
    let v = db(&out, "db");
    assert!(has(&v, "backup=yes") && has(&v, "scheduled=yes") && has(&v, "offsite=yes"), "{v:?}");
    // A service without a timer is not a schedule.
    let out = run(&[
        ("docker-compose.yml", PG_COMPOSE),
        ("roles/pg/files/pg-backup", backup),
        ("roles/pg/files/pg-backup.service", service),
    ]);
    assert!(has(&db(&out, "db"), "scheduled=no"));
    // A periodic Nomad job; its database is a Nomad task.
    let db_job = "job \"pg\" {\n  group \"db\" {\n    task \"postgres\" {\n      config {\n        image = \"postgres:15\"\n      }\n    }\n  }\n}\n";
    let backup_job = "job \"pg-backup\" {\n  periodic {\n    crons = [\"0 2 * * *\"]\n  }\n  group \"b\" {\n    task \"dump\" {\n      config {\n        args = [\"-ec\", \"pg_dump -h pg -Fc app | restic -r s3:https://s3.amazonaws.com/b backup --stdin\"]\n      }\n    }\n  }\n}\n";
    let out = run(&[("nomad/pg.nomad.hcl", db_job), ("nomad/pg-backup.nomad.hcl", backup_job)]);
    let v = db(&out, "postgres");
    assert!(has(&v, "source=nomad") && has(&v, "scheduled=yes"), "{v:?}");
}

#[test]
fn managed_databases_of_terraform_modules_and_self_installed_ones_are_found() {
    let tf = "module \"cloudsql_production\" {\n  source           = \"GoogleCloudPlatform/sql-db/google//modules/postgresql\"\n  database_version = \"POSTGRES_14\"\n}\n";
    let out = run(&[("iac/env-production.tf", tf)]);
    let v = db(&out, "cloudsql_production");
    assert!(has(&v, "engine=postgres") && has(&v, "backup=no"), "{v:?}");
    let tasks =
        "- name: Install PostgreSQL\n  ansible.builtin.apt:\n    name: [postgresql-16, restic]\n    state: present\n";
    let out = run(&[("roles/postgres/tasks/main.yml", tasks)]);
    assert!(has(&db(&out, "postgres"), "source=script"));
}

#[test]
fn redis_that_persists_its_data_is_judged() {
    let compose = "services:\n  cache:\n    image: redis:7\n  store:\n    image: valkey/valkey:8\n    command: valkey-server --appendonly yes\n";
    let out = run(&[("docker-compose.yml", compose)]);
    // The cache is inventoried, not judged; the persistent store needs a backup.
    assert_eq!(flag(&out, "backup/manual-backup-possible"), Some(false));
    let at =
        out.evidence.iter().find(|e| e.key == "backup/manual-backup-possible").and_then(|e| e.note.clone()).unwrap();
    assert!(at.contains("`store`"), "{at}");
}

#[test]
fn a_script_that_installs_its_own_cron_entry_schedules_the_backup() {
    let entrypoint = "#!/bin/bash\nset -e\nappBackup() {\n  pg_dump -Fc -h db app > /data/backups/app.dump\n}\nprintf '%s cd /;/sbin/entrypoint.sh app:backup\\n' \"$INTERVAL\" >/etc/cron.d/autobackup\n";
    let out = run(&[("docker-compose.yml", PG_COMPOSE), ("entrypoint.sh", entrypoint)]);
    assert!(has(&db(&out, "db"), "scheduled=yes"));
}

#[test]
fn the_restore_part_of_a_scheduled_backup_script_is_not_a_drill() {
    let entrypoint = "#!/bin/bash\nset -e\nappBackup() {\n  pg_dump -Fc -h db app > /data/backups/app.dump\n}\nappRestore() {\n  pg_restore -h db -d app \"$1\"\n}\nprintf '%s /sbin/entrypoint.sh app:backup\\n' \"$INTERVAL\" >/etc/cron.d/autobackup\n";
    let out = run(&[("docker-compose.yml", PG_COMPOSE), ("entrypoint.sh", entrypoint)]);
    let v = db(&out, "db");
    assert!(has(&v, "scheduled=yes") && has(&v, "restore-documented=yes") && has(&v, "verified=no"), "{v:?}");
}

#[test]
fn helm_subcharts_on_by_default_and_database_images_in_values() {
    let chart = "apiVersion: v2\nname: wiki\ndependencies:\n  - name: postgresql\n    version: 15.x\n    repository: oci://registry-1.docker.io/bitnamicharts\n    condition: postgresql.enabled\n  - name: redis\n    version: 19.x\n    repository: oci://registry-1.docker.io/bitnamicharts\n    condition: redis.enabled\n";
    let values = "redis:\n  enabled: false\npostgresql:\n  auth:\n    database: wiki\ndb:\n  image:\n    repository: postgis/postgis\n    tag: 16-3.4\nbackup:\n  image:\n    repository: postgres\n";
    let out = run(&[("chart/Chart.yaml", chart), ("chart/values.yaml", values)]);
    assert!(has(&db(&out, "postgresql"), "source=helm"));
    assert!(has(&db(&out, "db"), "engine=postgres"));
    let names: Vec<String> = out
        .evidence
        .iter()
        .filter(|e| e.key == "backup/database")
        .filter_map(|e| match &e.value {
            EvidenceValue::Items(v) => v.first().cloned(),
            _ => None,
        })
        .collect();
    assert!(!names.contains(&"name=redis".to_string()) && !names.contains(&"name=backup".to_string()), "{names:?}");
}

#[test]
fn a_database_ci_installs_for_the_tests_is_not_the_services() {
    let setup = "#!/bin/sh\nset -e\napt-get install -y postgresql-16\n";
    let out = run(&[(".github/scripts/setup-db.sh", setup)]);
    assert!(out.evidence.iter().all(|e| e.key != "backup/database"), "{:#?}", out.evidence);
}

#[test]
fn a_gitops_object_or_helmfile_release_installing_a_database_chart_is_a_database() {
    let release = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: inventory-mongodb\nspec:\n  chart:\n    spec:\n      chart: mongodb\n      sourceRef:\n        kind: HelmRepository\n        name: bitnami\n";
    let out = run(&[("apps/inventory/mongodb.yaml", release)]);
    assert!(has(&db(&out, "inventory-mongodb"), "engine=mongodb"));
    let app = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: pg\nspec:\n  source:\n    repoURL: https://charts.bitnami.com/bitnami\n    chart: postgresql\n";
    assert!(has(&db(&run(&[("argocd/pg.yaml", app)]), "pg"), "engine=postgres"));
    let helmfile = "releases:\n  - name: cache\n    chart: bitnami/redis\n  - name: db\n    chart: bitnami/postgresql\n  - name: web\n    chart: ./charts/web\n";
    let out = run(&[("helmfile.yaml", helmfile)]);
    assert!(has(&db(&out, "db"), "engine=postgres"));
}

/// Issue 12: a restore that serves any engine covered every database, a
/// cluster-level restore (Velero, Backup for GKE) a managed Cloud SQL instance too.
#[test]
fn a_restore_of_any_engine_covers_only_the_databases_it_reaches() {
    let sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: ledger-db\nspec:\n  template:\n    spec:\n      containers:\n        - name: db\n          image: postgres:16\n";
    let tf = "resource \"google_sql_database_instance\" \"orders\" {\n  database_version = \"POSTGRES_15\"\n}\n";
    let evidence = "[{\"key\":\"k8s/database\",\"value\":\"postgres: StatefulSet/ledger-db\",\"path\":\"k8s/db.yaml\",\"line\":3}]";
    let gke = "# Backup for GKE\n\n```sh\ngcloud beta container backup-restore backups create nightly --backup-plan=plan\ngcloud beta container backup-restore restores create r1 --restore-plan=plan --backup=nightly\n```\n";
    let out =
        run(&[(".opslint/evidence.json", evidence), ("k8s/db.yaml", sts), ("iac/sql.tf", tf), ("docs/gke.md", gke)]);
    let k8s = db(&out, "ledger-db");
    assert!(has(&k8s, "restore-documented=yes") && has(&k8s, "backup=no"), "{k8s:?}");
    let managed = db(&out, "orders");
    assert!(has(&managed, "restore-documented=no"), "{managed:?}");
    assert_eq!(flag(&out, "backup/manual-backup-possible"), Some(false));
    // A provider's restore reaches the managed database, not the cluster's.
    let pitr = "## Restore\n\nRun `gcloud sql backups restore 42 --restore-instance=orders`.\n";
    let out = run(&[
        (".opslint/evidence.json", evidence),
        ("k8s/db.yaml", sts),
        ("iac/sql.tf", tf),
        ("docs/restore.md", pitr),
    ]);
    assert!(has(&db(&out, "orders"), "restore-documented=yes"));
    // A written "Restore" procedure (files, a client) reaches the databases the team runs, not a managed one.
    let compose = "services:\n  db:\n    image: postgres:16\n    volumes:\n      - pgdata:/var/lib/postgresql/data\nvolumes:\n  pgdata:\n";
    let prose = "## Restore\n\nStop the api, copy the dump back from the bucket, drop and recreate the database, then load the dump into it.\n";
    let out = run(&[("docker-compose.yml", compose), ("iac/sql.tf", tf), ("README.md", prose)]);
    assert!(has(&db(&out, "db"), "restore-documented=yes"));
    assert!(has(&db(&out, "orders"), "restore-documented=no"));
}

/// Issue 12: a database run from the repository's own image (`build: ./db`,
/// `db/Dockerfile` says `FROM postgres`) with no volume or server variables was not found.
#[test]
fn a_compose_service_built_from_a_database_image_is_a_database() {
    let compose =
        "services:\n  api:\n    build: .\n  db:\n    build:\n      context: ./db\n  search:\n    build: ./search\n";
    // What the dockerfile plugin read (its `dockerfile/final-base` evidence).
    let evidence = "[{\"key\":\"dockerfile/final-base\",\"value\":\"node:20-slim\",\"path\":\"Dockerfile\",\"line\":1},{\"key\":\"dockerfile/final-base\",\"value\":\"postgis/postgis:16-3.4\",\"path\":\"db/Dockerfile\",\"line\":1},{\"key\":\"dockerfile/final-base\",\"value\":\"getmeili/meilisearch:v1.8\",\"path\":\"search/Dockerfile\",\"line\":1}]";
    let docs = [("docker-compose.yml", compose), (".opslint/evidence.json", evidence)];
    let out = run(&docs);
    assert!(has(&db(&out, "db"), "engine=postgres"));
    let names: Vec<String> = out
        .evidence
        .iter()
        .filter(|e| e.key == "backup/database")
        .filter_map(|e| match &e.value {
            EvidenceValue::Items(v) => v.iter().find(|x| x.starts_with("name=")).cloned(),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["name=db"], "the app and the search engine are not databases");
}

/// Issue 12: a k8s workload running the repository's own image built `FROM postgres`, with no
/// data-directory mount or server variables, was not a database.
#[test]
fn a_k8s_workload_running_an_image_built_from_a_database_image_is_a_database() {
    let evidence = "[{\"key\":\"k8s/container-image\",\"value\":\"ghcr.io/acme/orders-db:1.2 StatefulSet/orders-db\",\"path\":\"k8s/db.yaml\",\"line\":12},{\"key\":\"k8s/container-image\",\"value\":\"ghcr.io/acme/api:1.2 Deployment/api\",\"path\":\"k8s/api.yaml\",\"line\":10},{\"key\":\"dockerfile/final-base\",\"value\":\"postgres:16-alpine\",\"path\":\"src/orders-db/Dockerfile\",\"line\":1},{\"key\":\"dockerfile/final-base\",\"value\":\"gcr.io/distroless/static\",\"path\":\"src/api/Dockerfile\",\"line\":2}]";
    let docs = [(".opslint/evidence.json", evidence)];
    let out = run(&docs);
    assert!(has(&db(&out, "orders-db"), "engine=postgres"));
    assert!(!out
        .evidence
        .iter()
        .any(|e| matches!(&e.value, EvidenceValue::Items(v) if v.contains(&"name=api".to_string()))));
}

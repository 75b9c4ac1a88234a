//! The backup plugin through the real binary: the evidence phase (k8s
//! databases reach it through the host's evidence document), findings in
//! files other plugins read, named-file runs, suppressions there, and the
//! example repository.
mod common;
use common::*;

fn findings(run: &Run) -> Vec<serde_json::Value> {
    run.json()["findings"].as_array().unwrap().clone()
}

fn of_rule<'a>(all: &'a [serde_json::Value], rule: &str) -> Vec<&'a serde_json::Value> {
    all.iter().filter(|f| f["rule"] == rule).collect()
}

const POSTGRES: &str = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: orders-db
spec:
  serviceName: orders-db
  selector:
    matchLabels: {app: orders-db}
  template:
    metadata:
      labels: {app: orders-db}
    spec:
      containers:
        - name: postgres
          image: postgres:16
";

const BACKUP_CRONJOB: &str = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: orders-backup
spec:
  schedule: \"0 3 * * *\"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: dump
              image: postgres:16
              command: [\"/bin/sh\", \"-c\", \"pg_dump -h orders-db orders | gzip > /backups/orders.sql.gz\"]
              volumeMounts:
                - {name: backups, mountPath: /backups}
          volumes:
            - name: backups
              persistentVolumeClaim:
                claimName: orders-backups
";

const RUNBOOK: &str = "# Orders\n\n## Database\n\n- Backups: nightly pg_dump.\n- Restore: TODO.\n";

const SCRIPT: &str = "#!/bin/sh\npg_dump -h orders-db orders > /var/backups/orders.sql\n";

fn sample() -> tempfile::TempDir {
    let dir = tree(&[
        ("k8s/postgres.yaml", POSTGRES.as_bytes()),
        ("k8s/backup.yaml", BACKUP_CRONJOB.as_bytes()),
        ("docs/runbook.md", RUNBOOK.as_bytes()),
        ("scripts/backup.sh", SCRIPT.as_bytes()),
        ("api/Dockerfile", b"FROM python:3.12-slim\nUSER 1000\n"),
    ]);
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    dir
}

#[test]
fn a_statefulset_backed_up_to_a_pvc_is_judged_where_it_is_defined() {
    let dir = sample();
    let run =
        opslint(dir.path(), &["check", "--format", "json", "--fail-on", "info", "--extend-select", "backup", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let all = findings(&run);
    assert!(of_rule(&all, "opslint/plugin-failed").is_empty(), "{all:#?}");

    // Found through the k8s plugin's evidence, reported in the k8s file at the image line.
    let same = of_rule(&all, "backup/backup-on-same-host");
    assert_eq!(same.len(), 1, "{all:#?}");
    let f = same[0];
    assert_eq!((f["path"].as_str(), f["line"].as_u64()), (Some("k8s/postgres.yaml"), Some(15)), "{f:#?}");
    let msg = f["message"].as_str().unwrap();
    assert!(msg.contains("`orders-db`") && msg.contains("StatefulSet/orders-db"), "{msg}");
    assert!(msg.contains("PersistentVolumeClaim orders-backups"), "{msg}");
    assert!(!f["fingerprint"].as_str().unwrap_or("").is_empty(), "{f:#?}");

    for rule in [
        "backup/backup-job-limits",
        "backup/restore-undocumented",
        "backup/restore-not-verified",
        "backup/no-backup-alert",
        "backup/rto-rpo-undocumented",
        "backup/no-point-in-time-recovery",
        "backup/backup-not-scheduled",
        "backup/backup-script-ignores-errors",
    ] {
        assert_eq!(of_rule(&all, rule).len(), 1, "{rule}: {all:#?}");
    }
    assert!(of_rule(&all, "backup/no-backup").is_empty(), "{all:#?}");

    let evidence = run.json()["evidence"].as_array().unwrap().clone();
    let db = evidence.iter().find(|e| e["key"] == "backup/database").expect("a backup/database fact");
    assert_eq!(db["path"], "k8s/postgres.yaml");
    let items: Vec<&str> = db["value"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    for want in
        ["name=orders-db", "engine=postgres", "source=k8s", "backup=yes", "scheduled=yes", "offsite=no", "verified=no"]
    {
        assert!(items.contains(&want), "{want}: {items:?}");
    }
    let flag = |key: &str| evidence.iter().find(|e| e["key"] == key).map(|e| e["value"].clone());
    assert_eq!(flag("backup/all-databases-backed-up"), Some(serde_json::Value::Bool(true)));
    assert_eq!(flag("backup/restore-verified"), Some(serde_json::Value::Bool(false)));
    assert_eq!(flag("backup/database-count"), Some(serde_json::json!(1)));
}

#[test]
fn selecting_only_a_backup_rule_still_reads_the_k8s_evidence() {
    let dir = tree(&[("k8s/postgres.yaml", POSTGRES.as_bytes())]);
    let run = opslint(dir.path(), &["check", "--format", "json", "--select", "backup/no-backup", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let all = findings(&run);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!((all[0]["path"].as_str(), all[0]["line"].as_u64()), (Some("k8s/postgres.yaml"), Some(15)));
}

#[test]
fn named_files_get_the_whole_repository_evidence_and_only_their_findings() {
    let dir = sample();
    let run = opslint(
        dir.path(),
        &["check", "--format", "json", "--fail-on", "info", "--extend-select", "backup", "scripts/backup.sh"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let all = findings(&run);
    assert!(all.iter().all(|f| f["path"] == "scripts/backup.sh"), "only the named file: {all:#?}");
    // The database comes from a k8s file that was not named.
    let unscheduled = of_rule(&all, "backup/backup-not-scheduled");
    assert_eq!(unscheduled.len(), 1, "{all:#?}");
    assert!(unscheduled[0]["message"].as_str().unwrap().contains("k8s/postgres.yaml:15"), "{unscheduled:#?}");

    // A Dockerfile-only run does not run the backup plugin over the repository.
    let run = opslint(dir.path(), &["check", "--format", "json", "--fail-on", "info", "api/Dockerfile"]);
    let json = run.json();
    assert!(json["findings"].as_array().unwrap().iter().all(|f| f["path"] == "api/Dockerfile"), "{json:#?}");
    assert!(json["evidence"].as_array().unwrap().iter().all(|e| !e["key"].as_str().unwrap().starts_with("backup/")));
}

#[test]
fn a_finding_in_another_plugins_file_can_be_suppressed_there() {
    let suppressed = POSTGRES.replace(
        "          image: postgres:16\n",
        "          # opslint: ignore[backup/no-backup] reason=\"restored from the upstream service\"\n          image: postgres:16\n",
    );
    let dir = tree(&[("k8s/postgres.yaml", suppressed.as_bytes())]);
    let run = opslint(dir.path(), &["check", "--format", "json", "--select", "backup/no-backup", "."]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json = run.json();
    assert_eq!(json["suppressed"].as_array().unwrap().len(), 1, "{json:#?}");
}

#[test]
fn a_file_at_the_evidence_path_is_not_read_as_evidence() {
    let fake = r#"[{"plugin":"k8s","key":"k8s/database","value":"postgres: StatefulSet/ghost","path":"k8s/ghost.yaml","line":1}]"#;
    let dir = tree(&[(".opslint/evidence.json", fake.as_bytes()), ("README.md", b"# nothing\n")]);
    let run = opslint(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json = run.json();
    let evidence = json["evidence"].as_array().unwrap();
    let count = evidence.iter().find(|e| e["key"] == "backup/database-count").expect("the plugin ran");
    assert_eq!(count["value"], 0, "{evidence:#?}");
    let flag = evidence.iter().find(|e| e["key"] == "backup/all-databases-backed-up").unwrap();
    assert_eq!((&flag["value"], flag["note"].as_str()), (&serde_json::Value::Bool(true), Some("no database deployed")));
}

#[test]
fn the_example_repository() {
    let run = opslint(&repo().join("examples"), &["check", "--format", "json", "--select", "backup", "."]);
    let all = findings(&run);
    let rules: std::collections::BTreeSet<&str> = all.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    for want in [
        "backup/backup-on-same-host",
        "backup/backup-not-scheduled",
        "backup/backup-script-ignores-errors",
        "backup/backup-job-limits",
        "backup/restore-undocumented",
        "backup/rto-rpo-undocumented",
    ] {
        assert!(rules.contains(want), "{want}: {all:#?}");
    }
    // The nightly restore drill in CI counts as verification; the compose stack is for development.
    assert!(!rules.contains("backup/restore-not-verified"), "{all:#?}");
    assert!(all.iter().all(|f| f["path"] != "shop/docker-compose.yml"), "{all:#?}");
}

#[test]
fn a_scheduled_ci_dump_to_object_storage_is_an_offsite_backup() {
    let workflow = "name: backup
on:
  schedule:
    - cron: \"0 2 * * *\"
permissions: {}
jobs:
  dump:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - name: Dump and upload
        env:
          PGPASSWORD: ${{ secrets.PGPASSWORD }}
        run: |
          set -euo pipefail
          pg_dump -h orders-db -Fc orders > orders.dump
          aws s3 cp orders.dump s3://orders-backups/$(date +%F).dump
";
    let docs = "# Backup and recovery\n\nRPO 24 h, RTO 4 h.\n\n## Restore\n\n```sh\npg_restore -h orders-db -d orders --clean orders.dump\n```\n";
    let dir = tree(&[
        ("k8s/postgres.yaml", POSTGRES.as_bytes()),
        (".github/workflows/backup.yml", workflow.as_bytes()),
        ("docs/backup.md", docs.as_bytes()),
    ]);
    let run = opslint(dir.path(), &["check", "--format", "json", "--select", "backup", "."]);
    let all = findings(&run);
    let rules: Vec<&str> = all.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    for absent in
        ["backup/no-backup", "backup/backup-on-same-host", "backup/restore-undocumented", "backup/rto-rpo-undocumented"]
    {
        assert!(!rules.contains(&absent), "{absent}: {all:#?}");
    }
    let unencrypted = of_rule(&all, "backup/backup-not-encrypted");
    assert_eq!(unencrypted.len(), 1, "{all:#?}");
    assert_eq!(unencrypted[0]["path"], ".github/workflows/backup.yml");
    let evidence = run.json()["evidence"].as_array().unwrap().clone();
    let db = evidence.iter().find(|e| e["key"] == "backup/database").unwrap();
    let items: Vec<&str> = db["value"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(items.contains(&"offsite=yes") && items.contains(&"restore-documented=yes"), "{items:?}");
}

//! Which databases and backups the plugin finds, natively: operators, Helm
//! values, Terraform, compose scoping, and the evidence it gives the
//! maturity assessment.
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

fn rules(out: &CheckOutput) -> Vec<String> {
    let mut r: Vec<String> = out.findings.iter().map(|f| f.rule.clone()).collect();
    r.sort();
    r.dedup();
    r
}

fn items(out: &CheckOutput, name: &str) -> Vec<String> {
    out.evidence
        .iter()
        .filter(|e| e.key == "backup/database")
        .find_map(|e| match &e.value {
            EvidenceValue::Items(v) if v.contains(&format!("name={name}")) => Some(v.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no backup/database for {name}: {:#?}", out.evidence))
}

fn flag(out: &CheckOutput, key: &str) -> bool {
    match out.evidence.iter().find(|e| e.key == key).map(|e| &e.value) {
        Some(EvidenceValue::Flag(b)) => *b,
        other => panic!("{key}: {other:?}"),
    }
}

const EVIDENCE_CNPG: &str = r#"[{"plugin":"k8s","key":"k8s/database","value":"postgres (CloudNativePG): Cluster/orders","path":"k8s/orders.yaml","line":2}]"#;

#[test]
fn cloudnativepg_cluster_with_object_store_and_scheduled_backup() {
    let cluster = "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: orders\nspec:\n  instances: 3\n  backup:\n    retentionPolicy: \"30d\"\n    barmanObjectStore:\n      destinationPath: s3://orders-backups/\n---\napiVersion: postgresql.cnpg.io/v1\nkind: ScheduledBackup\nmetadata:\n  name: orders-nightly\nspec:\n  schedule: \"0 0 3 * * *\"\n  cluster:\n    name: orders\n";
    let out = run(&[(".opslint/evidence.json", EVIDENCE_CNPG), ("k8s/orders.yaml", cluster)]);
    let v = items(&out, "orders");
    assert!(v.contains(&"backup=yes".to_string()) && v.contains(&"offsite=yes".to_string()), "{v:?}");
    assert!(v.contains(&"scheduled=yes".to_string()) && v.contains(&"source=k8s".to_string()), "{v:?}");
    let r = rules(&out);
    for absent in
        ["no-backup", "backup-on-same-host", "no-point-in-time-recovery", "short-retention", "backup-not-scheduled"]
    {
        assert!(!r.contains(&absent.to_string()), "{absent} fired: {:#?}", out.findings);
    }
    // No drill, no alert, no docs: those still fire, at the Cluster's evidence line.
    let f = out.findings.iter().find(|f| f.rule == "restore-not-verified").expect("fires");
    assert_eq!(f.path, "k8s/orders.yaml");
    assert!(matches!(f.primary.location, opslint_sdk::Location::Line(2)));
}

#[test]
fn cloudnativepg_backup_without_schedule_is_not_scheduled() {
    let cluster = "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: orders\nspec:\n  backup:\n    barmanObjectStore:\n      destinationPath: s3://orders-backups/\n";
    let out = run(&[(".opslint/evidence.json", EVIDENCE_CNPG), ("k8s/orders.yaml", cluster)]);
    assert!(rules(&out).contains(&"backup-not-scheduled".to_string()), "{:#?}", out.findings);
}

#[test]
fn helm_values_enable_a_bundled_database() {
    let values = "postgresql:\n  enabled: true\n  auth:\n    database: shop\nredis:\n  enabled: false\nmongodb:\n  enabled: true\n  backup:\n    enabled: true\n";
    let out = run(&[("charts/shop/values.yaml", values)]);
    assert_eq!(items(&out, "postgresql")[2], "source=helm");
    assert_eq!(items(&out, "mongodb")[3], "backup=yes");
    assert!(out
        .evidence
        .iter()
        .all(|e| !matches!(&e.value, EvidenceValue::Items(v) if v.contains(&"name=redis".to_string()))));
    let same_host: Vec<_> = out.findings.iter().filter(|f| f.rule == "backup-on-same-host").collect();
    assert_eq!(same_host.len(), 1, "the mongodb backup goes to a PVC: {:#?}", out.findings);
    assert!(out.findings.iter().any(|f| f.rule == "no-backup" && f.message.contains("`postgresql`")));
}

#[test]
fn terraform_databases_of_three_clouds() {
    let tf = r#"
resource "aws_rds_cluster" "orders" {
  engine                  = "aurora-postgresql"
  backup_retention_period = 0
  storage_encrypted       = true
  deletion_protection     = true
}

resource "google_sql_database_instance" "billing" {
  database_version    = "MYSQL_8_0"
  deletion_protection = false
  settings {
    backup_configuration {
      enabled            = true
      binary_log_enabled = true
    }
  }
}

resource "azurerm_postgresql_flexible_server" "ledger" {
  backup_retention_days = 3
}

resource "aws_s3_bucket" "not_a_database" {}
"#;
    let out = run(&[("infra/main.tf", tf)]);
    assert_eq!(items(&out, "orders")[1], "engine=postgres");
    assert_eq!(items(&out, "billing")[1], "engine=mysql");
    assert_eq!(items(&out, "ledger")[1], "engine=postgres");
    let by = |rule: &str| -> Vec<String> {
        out.findings.iter().filter(|f| f.rule == rule).map(|f| f.message.clone()).collect()
    };
    assert!(by("no-backup").iter().any(|m| m.contains("`orders`") && m.contains("retention 0")), "{:#?}", out.findings);
    assert!(by("deletion-protection-off").iter().any(|m| m.contains("`billing`")));
    assert!(by("short-retention").iter().any(|m| m.contains("ledger") && m.contains("3 day")));
    assert!(!by("no-point-in-time-recovery").iter().any(|m| m.contains("`billing`")), "binary logs give PITR");
    assert!(out.evidence.iter().filter(|e| e.key == "backup/database").count() == 3);
}

#[test]
fn a_compose_backup_service_reaches_only_its_own_compose_project() {
    let a = "services:\n  db:\n    image: postgres:16\n  backup:\n    image: prodrigestivill/postgres-backup-local\n    environment:\n      SCHEDULE: \"@daily\"\n";
    let b = "services:\n  db:\n    image: mysql:8\n";
    let out = run(&[("a/docker-compose.yml", a), ("b/docker-compose.yml", b)]);
    let no_backup: Vec<&str> = out.findings.iter().filter(|f| f.rule == "no-backup").map(|f| f.path.as_str()).collect();
    assert_eq!(no_backup, ["b/docker-compose.yml"], "{:#?}", out.findings);
}

#[test]
fn development_compose_files_are_inventoried_not_judged() {
    let dev = "# Local development stack\nservices:\n  db:\n    image: postgres:16\n";
    let out = run(&[("docker-compose.yml", dev)]);
    assert!(out.findings.is_empty(), "{:#?}", out.findings);
    assert!(items(&out, "db").contains(&"environment=development".to_string()));
    assert!(flag(&out, "backup/all-databases-backed-up"));
}

#[test]
fn no_database_gives_true_flags_and_a_zero_count() {
    let out = run(&[("README.md", "# nothing here\n")]);
    assert!(out.findings.is_empty());
    let count = out.evidence.iter().find(|e| e.key == "backup/database-count").unwrap();
    assert!(matches!(count.value, EvidenceValue::Count(0)));
    for key in [
        "backup/all-databases-backed-up",
        "backup/backups-automated",
        "backup/restore-verified",
        "backup/restore-documented",
        "backup/rto-rpo-documented",
        "backup/backup-alerting",
        "backup/manual-backup-possible",
    ] {
        assert!(flag(&out, key), "{key}");
        let e = out.evidence.iter().find(|e| e.key == key).unwrap();
        assert_eq!(e.note.as_deref(), Some("no database deployed"), "{key}");
    }
}

#[test]
fn velero_schedule_retention_and_coverage() {
    let ev = r#"[{"plugin":"k8s","key":"k8s/database","value":"mongodb: StatefulSet/catalog","path":"k8s/catalog.yaml","line":9}]"#;
    let schedule = "apiVersion: velero.io/v1\nkind: Schedule\nmetadata:\n  name: daily\nspec:\n  schedule: \"0 1 * * *\"\n  template:\n    ttl: 72h0m0s\n";
    let out = run(&[(".opslint/evidence.json", ev), ("k8s/velero.yaml", schedule)]);
    let v = items(&out, "catalog");
    assert!(v.contains(&"offsite=yes".to_string()) && v.contains(&"scheduled=yes".to_string()), "{v:?}");
    let short = out.findings.iter().find(|f| f.rule == "short-retention").expect("3 days < 7");
    assert_eq!(short.path, "k8s/velero.yaml");
    assert!(flag(&out, "backup/backups-automated"));
    assert!(!flag(&out, "backup/restore-verified"));
}

#[test]
fn hostile_input_does_not_panic() {
    let evidence_garbage = "{not json";
    let deep = "[".repeat(5000);
    let out = run(&[
        (".opslint/evidence.json", evidence_garbage),
        ("a.tf", &deep),
        ("b.sh", "pg_dump \\"),
        ("c.yaml", "services: [1, 2"),
        ("d.md", "```\n## restore\n"),
        ("docker-compose.yml", "services:\n  x: 3\n"),
        ("e.sh", "mysqldump -p\u{e9}\u{e9} | gzip > /x\nPGPASSWORD='unterminated pg_dump\n"),
    ]);
    let _ = out;
}

#[test]
fn read_replicas_and_backup_tool_deployments_are_not_databases() {
    let tf = "resource \"aws_db_instance\" \"replica\" {\n  replicate_source_db = aws_db_instance.main.identifier\n}\n";
    let ev = r#"[{"plugin":"k8s","key":"k8s/database","value":"postgres: Deployment/pg-backup","path":"k8s/b.yaml","line":3}]"#;
    let out = run(&[("infra/db.tf", tf), (".opslint/evidence.json", ev)]);
    assert!(out.findings.is_empty(), "{:#?}", out.findings);
    let count = out.evidence.iter().find(|e| e.key == "backup/database-count").unwrap();
    assert!(matches!(count.value, EvidenceValue::Count(0)));
}

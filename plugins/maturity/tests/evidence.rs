//! The maturity plugin's evidence, natively: each detector on a small repository.
use opslint_plugin_maturity::scan::{date_in, without_block};
use opslint_plugin_maturity::MaturityPlugin;
use opslint_sdk::{CheckRequest, Document, EvidenceValue};

/// (key, path:line, value) of every fact, through the plugin's own entry point.
fn facts(docs: &[(&str, &str)]) -> Vec<(String, String, String)> {
    let request = CheckRequest {
        documents: docs
            .iter()
            .map(|(p, t)| Document { path: p.to_string(), kind: "any".into(), text: t.to_string() })
            .collect(),
        rules: Vec::new(),
        options: "{}".into(),
    };
    let out = opslint_sdk::check_repo::<MaturityPlugin>(request).expect("check");
    assert!(out.findings.is_empty());
    out.evidence
        .into_iter()
        .map(|e| {
            let value = match e.value {
                EvidenceValue::Text(t) => t,
                EvidenceValue::Count(n) => n.to_string(),
                EvidenceValue::Flag(b) => b.to_string(),
                EvidenceValue::Items(i) => i.join(","),
            };
            (e.key, format!("{}:{}", e.path.unwrap_or_default(), e.line.unwrap_or(0)), value)
        })
        .collect()
}

fn keys(docs: &[(&str, &str)]) -> Vec<String> {
    let mut k: Vec<String> = facts(docs).into_iter().map(|f| f.0).collect();
    k.sort();
    k.dedup();
    k
}

#[test]
fn runbook_files_are_named_by_topic_and_need_content() {
    let docs = [
        ("docs/ops-runbook/environment-overview.md", "# Environment\n\nProduction runs in eu-west-1 on EKS.\n"),
        ("docs/ops-runbook/deployment-guide.md", "# Deploying\n\nMerge to main; CI deploys.\n"),
        ("docs/ops-runbook/monitoring-and-alerts.md", "# Monitoring\n\nTODO\n"),
        (
            "docs/ops-runbook/troubleshooting.md",
            "# Troubleshooting\n\n## API 5xx\n\nCheck `kubectl logs deploy/api`.\n",
        ),
    ];
    let f = facts(&docs);
    let has = |k: &str, at: &str| f.iter().any(|x| x.0 == k && x.1 == at);
    assert!(has("maturity/runbook-environment", "docs/ops-runbook/environment-overview.md:1"), "{f:?}");
    assert!(has("maturity/runbook-deployment", "docs/ops-runbook/deployment-guide.md:1"));
    assert!(has("maturity/runbook-troubleshooting", "docs/ops-runbook/troubleshooting.md:1"));
    assert!(has("maturity/log-docs", "docs/ops-runbook/troubleshooting.md:5"));
    // A placeholder is not a document.
    assert!(!f.iter().any(|x| x.0 == "maturity/runbook-monitoring"), "{f:?}");
}

#[test]
fn one_runbook_with_sections_counts_section_by_section() {
    let text = "# Runbook\n\n## Deployment\n\nhelm upgrade shop ./chart\n\n## Backup and recovery\n\nRTO: 4 hours. RPO: 24 hours.\n\n## Incident response\n\nTBD\n\n## On-call\n\nPage the primary via PagerDuty.\n";
    let f = facts(&[("RUNBOOK.md", text)]);
    let at = |k: &str| f.iter().filter(|x| x.0 == k).map(|x| x.1.clone()).collect::<Vec<_>>();
    assert_eq!(at("maturity/runbook-deployment"), ["RUNBOOK.md:3"]);
    assert_eq!(at("maturity/runbook-backup"), ["RUNBOOK.md:7"]);
    assert_eq!(at("maturity/rto-rpo"), ["RUNBOOK.md:9"]);
    // "Incident response" is only TBD; "On-call" has content.
    assert_eq!(at("maturity/runbook-incident-response"), ["RUNBOOK.md:15"]);
}

#[test]
fn rto_rpo_left_as_todo_is_not_stated() {
    let f = keys(&[("docs/runbooks/backup.md", "# Backup\n\nNightly pg_dump.\n\nRTO: TODO\nRPO: TODO\n")]);
    assert!(f.contains(&"maturity/runbook-backup".to_string()));
    assert!(!f.contains(&"maturity/rto-rpo".to_string()));
}

#[test]
fn docs_outside_runbook_places_are_not_runbooks() {
    let f = keys(&[("README.md", "# shop\n\n## Deployment\n\nRun make deploy.\n")]);
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn deploy_config_of_each_kind() {
    let docs = [
        ("chart/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 1.0.0\n"),
        ("deploy/overlays/prod/kustomization.yaml", "resources:\n- ../../base\n"),
        ("infra/main.tf", "terraform {}\n\nresource \"aws_db_instance\" \"db\" {\n  multi_az = true\n}\n"),
        ("infra/network.tf", "module \"vpc\" {\n  source = \"x\"\n}\n"),
        ("docker-compose.yml", "services:\n  api:\n    image: x\n"),
        ("Makefile", "build:\n\tdocker build .\n\ndeploy: build\n\tkubectl apply -f k8s/\n"),
        (
            "scripts/release.sh",
            "#!/bin/sh\n# kubectl apply is commented\nset -eu\nhelm upgrade --install shop ./chart\n",
        ),
    ];
    let f = facts(&docs);
    let deploy: Vec<(String, String)> =
        f.iter().filter(|x| x.0 == "maturity/deploy-config").map(|x| (x.1.clone(), x.2.clone())).collect();
    assert_eq!(
        deploy,
        [
            ("Makefile:4".to_string(), "`makefile` target `deploy`".to_string()),
            ("chart/Chart.yaml:2".into(), "Helm chart `shop`".into()),
            ("deploy/overlays/prod/kustomization.yaml:1".into(), "kustomization".into()),
            ("docker-compose.yml:1".into(), "compose file `docker-compose.yml`".into()),
            ("infra/main.tf:3".into(), "Terraform in infra/ (2 files)".into()),
            ("scripts/release.sh:4".into(), "deploy script runs `helm upgrade`".into()),
        ]
    );
    assert!(f.iter().any(|x| x.0 == "maturity/multi-zone" && x.1 == "infra/main.tf:4"));
}

#[test]
fn logging_metrics_dashboards_and_alert_rules() {
    let docs = [
        ("api/requirements.txt", "fastapi==0.1\nstructlog==24.1\nprometheus-client==0.20\n"),
        ("worker/package.json", "{\n  \"description\": \"uses pinot\",\n  \"dependencies\": {\n    \"pino\": \"9.0.0\"\n  }\n}\n"),
        ("k8s/api.yaml", "env:\n  - name: LOG_FORMAT\n    value: json\n"),
        ("deploy/.env", "LOG_FORMAT=json\n"),
        ("monitoring/dashboards/api.json", "{\n  \"title\": \"API\",\n  \"panels\": [],\n  \"schemaVersion\": 39\n}\n"),
        (
            "monitoring/alerts.yml",
            "groups:\n- name: api\n  rules:\n  - alert: ApiDown\n    expr: up == 0\n    annotations:\n      runbook_url: https://x/runbook#api-down\n  - alert: ApiSlow\n    expr: x > 1\n",
        ),
        ("monitoring/prometheus.yml", "global: {}\nscrape_configs:\n- job_name: api\n"),
        ("monitoring/vector.yaml", "sources: {}\n"),
    ];
    let f = facts(&docs);
    let at = |k: &str| f.iter().filter(|x| x.0 == k).map(|x| format!("{} {}", x.1, x.2)).collect::<Vec<_>>();
    assert_eq!(
        at("maturity/structured-logging"),
        [
            "api/requirements.txt:2 structured logging library `structlog`",
            "deploy/.env:1 LOG_FORMAT=json",
            "worker/package.json:4 structured logging library `pino`"
        ]
    );
    assert_eq!(
        at("maturity/prometheus-metrics"),
        [
            "api/requirements.txt:3 metrics library `prometheus-client`",
            "monitoring/prometheus.yml:2 Prometheus scrape configuration"
        ]
    );
    assert_eq!(at("maturity/grafana-dashboard"), ["monitoring/dashboards/api.json:2 Grafana dashboard \"API\""]);
    // A rules file that parses is the prometheus plugin's to count (one reader of alert rules).
    assert!(at("maturity/alert-rules").is_empty());
    assert!(at("maturity/alert-runbooks").is_empty());
    assert_eq!(at("maturity/log-shipping"), ["monitoring/vector.yaml:1 Vector configuration"]);
    // `value: json` on its own is not a logging key; the k8s env var is judged by the k8s plugin's reader, not here.
    assert!(!f.iter().any(|x| x.1.starts_with("k8s/api.yaml")), "{f:?}");
}

#[test]
fn slos_drills_postmortems_and_chaos() {
    let docs = [
        ("slo/api.yaml", "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: api-availability\n"),
        ("docs/slos.md", "# SLOs\n\nAvailability SLO 99.9%, error budget 43 minutes a month.\n"),
        (
            "docs/dr/2026-03-14-restore-drill.md",
            "# Restore drill\n\nRestored last night's dump into staging in 38 minutes.\n",
        ),
        (
            "docs/ops-runbook/drills.md",
            "# Drills\n\n| date | what |\n|---|---|\n| 2026-02-02 | restore drill of orders DB |\n",
        ),
        ("docs/postmortems/2026-01-09-checkout-outage.md", "# Checkout outage\n\n## Timeline\n\n09:12 alerts fire.\n"),
        ("docs/postmortems/TEMPLATE.md", "# Postmortem template\n\n## Timeline\n"),
        (
            "chaos/kill-api.json",
            "{\n  \"title\": \"kill api\",\n  \"steady-state-hypothesis\": {},\n  \"method\": []\n}\n",
        ),
    ];
    let f = facts(&docs);
    let at = |k: &str| f.iter().filter(|x| x.0 == k).map(|x| format!("{} {}", x.1, x.2)).collect::<Vec<_>>();
    assert_eq!(
        at("maturity/slo"),
        ["docs/slos.md:3 SLO with an error budget in `slos.md`", "slo/api.yaml:2 OpenSLO SLO"]
    );
    assert_eq!(
        at("maturity/dr-drill"),
        [
            "docs/dr/2026-03-14-restore-drill.md:1 drill record dated 2026-03-14",
            "docs/ops-runbook/drills.md:5 drill record dated 2026-02-02"
        ]
    );
    assert_eq!(
        at("maturity/postmortem"),
        ["docs/postmortems/2026-01-09-checkout-outage.md:1 postmortem `2026-01-09-checkout-outage.md`"]
    );
    assert_eq!(at("maturity/chaos-experiment"), ["chaos/kill-api.json:3 Chaos Toolkit experiment"]);
}

#[test]
fn the_managed_block_of_the_report_is_not_evidence() {
    let text = "# Assessment\n\nOur RTO is 1h and RPO 15m (2026-01-01).\n<!-- opslint:maturity:begin -->\n## Deployment\n\nrestore drill 2026-01-01\n<!-- opslint:maturity:end -->\n";
    let blanked = without_block(text);
    assert_eq!(blanked.lines().count(), text.lines().count());
    assert!(!blanked.contains("restore drill"));
    let f = keys(&[("docs/ops-runbook/maturity-assessment.md", text)]);
    assert_eq!(f, ["maturity/rto-rpo", "maturity/runbook-docs"]);
}

#[test]
fn dates() {
    assert_eq!(date_in("on 2026-03-14."), Some("2026-03-14".into()));
    assert_eq!(date_in("v12026-03-14"), None);
    assert_eq!(date_in("2026-13-01"), None);
    assert_eq!(date_in("short"), None);
}

#[test]
fn test_inputs_samples_and_vendored_code_are_not_the_service() {
    let docs = [
        ("tests/maturity/level3/docs/ops-runbook/deployment-guide.md", "# Deploying\n\nMerge to main.\n"),
        ("plugins/x/fixtures/ok/main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n"),
        ("examples/shop/docker-compose.yml", "services:\n  a: {}\n"),
        ("vendor/lib/Chart.yaml", "name: lib\n"),
    ];
    assert!(keys(&docs).is_empty(), "{:?}", keys(&docs));
}

#[test]
fn a_drill_mentioned_in_passing_with_some_date_elsewhere_is_no_record() {
    let changelog = "# Changelog\n\n## 1.2.0 (2026-01-05)\n\n- The runbook explains the restore drill.\n";
    assert!(keys(&[("CHANGELOG.md", changelog)]).is_empty());
    let record = "# Restore drill\n\nHeld on 2026-01-05; 40 minutes.\n";
    assert_eq!(keys(&[("docs/notes.md", record)]), ["maturity/dr-drill"]);
}

#[test]
fn prose_about_rto_and_slos_is_not_a_value() {
    let guide = "# Guide\n\nWrite down the RTO and RPO (level 2 of 3).\n\nSLOs with error budgets come at level 3.\n";
    assert!(keys(&[("docs/guide.md", guide)]).is_empty());
    let table = "# Objectives\n\n| | target |\n|---|---|\n| RTO | 4 h |\n| RPO | 15 min |\n";
    assert_eq!(keys(&[("docs/objectives.md", table)]), ["maturity/rto-rpo"]);
}

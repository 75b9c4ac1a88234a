//! One test per kind of evidence issue 12 found missing from the maturity
//! plugin (each would fail if the kind came back), and the near misses that
//! must stay silent.
use opslint_plugin_maturity::MaturityPlugin;
use opslint_sdk::{CheckRequest, Document};

fn keys(docs: &[(&str, &str)]) -> Vec<String> {
    let request = CheckRequest {
        documents: docs
            .iter()
            .map(|(p, t)| Document { path: p.to_string(), kind: "any".into(), text: t.to_string() })
            .collect(),
        rules: Vec::new(),
        options: "{}".into(),
    };
    let out = opslint_sdk::check_repo::<MaturityPlugin>(request).expect("check");
    let mut k: Vec<String> = out.evidence.into_iter().map(|e| e.key).collect();
    k.sort();
    k.dedup();
    k
}

fn has(docs: &[(&str, &str)], key: &str) -> bool {
    keys(docs).iter().any(|k| k == key)
}

#[test]
fn log_viewing_documented_in_a_readme_or_any_guide() {
    for (path, text) in [
        ("README.md", "# shop\n\n## Logs\n\nOn the host, `docker compose logs -f api` shows the application's log.\n"),
        ("docs/troubleshooting.md", "# Troubleshooting\n\nRun `kubectl logs <pod-name>` to see why a pod fails.\n"),
        ("README.md", "# app\n\nCheck the logs with <kbd>docker compose logs</kbd>.\n"),
        ("README.md", "# app\n\nView the container logs: `./launcher logs my_container`\n"),
        ("docs/ops.md", "# Ops\n\n## Logging\n\nLogs go to Loki; open Grafana Explore and pick the `app` stream.\n"),
        ("README.md", "# app\n\nOn the VM: `journalctl -u ledger -n 200`.\n"),
    ] {
        assert!(has(&[(path, text)], "maturity/log-docs"), "{path}: {text}");
    }
    for (path, text) in [
        (".github/ISSUE_TEMPLATE/bug.md", "Paste the output of `docker compose logs netbox` here.\n"),
        ("README.md", "# app\n\n## Logging\n\nTODO\n"),
        ("CHANGELOG.md", "## 1.2\n\n- `docker compose logs` no longer shows secrets\n"),
    ] {
        assert!(!has(&[(path, text)], "maturity/log-docs"), "{path}: {text}");
    }
}

#[test]
fn deployments_described_by_nomad_jobs_launchers_and_readme_compose_blocks() {
    assert!(has(&[("nomad/api.nomad.hcl", "job \"api\" {\n  group \"web\" {}\n}\n")], "maturity/deploy-config"));
    let launcher = "#!/bin/bash\nrun_start() {\n  $docker_path run --shm-size=512m $restart_policy -d $image\n}\n";
    assert!(has(&[("launcher", launcher)], "maturity/deploy-config"));
    let readme = "# pi\n\n## Quick start\n\n```yaml\nservices:\n  pihole:\n    image: pihole/pihole:latest\n```\n";
    assert!(has(&[("README.md", readme)], "maturity/deploy-config"));
    // A one-off container is not a deployment.
    assert!(!has(&[("scripts/x.sh", "#!/bin/sh\ndocker run --rm alpine true\n")], "maturity/deploy-config"));
}

#[test]
fn gitops_objects_that_sync_by_themselves() {
    let app = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: gateway\nspec:\n  syncPolicy:\n    automated:\n      prune: true\n";
    assert!(has(&[("argocd/app.yaml", app)], "maturity/gitops-sync"));
    let manual = app.replace("    automated:\n      prune: true\n", "    syncOptions: [CreateNamespace=true]\n");
    assert!(!has(&[("argocd/app.yaml", &manual)], "maturity/gitops-sync"));
}

#[test]
fn ci_systems_opslint_does_not_read_are_named() {
    assert!(has(
        &[("Jenkinsfile", "pipeline { stages { stage('test') { steps { sh './gradlew test' } } } }\n")],
        "maturity/ci-unreadable"
    ));
    assert!(has(
        &[(".github/cloudbuild/ci-pr.yaml", "steps:\n  - name: gcr.io/k8s-skaffold/skaffold\n")],
        "maturity/ci-unreadable"
    ));
    // CircleCI and Woodpecker are read by the ci plugin; GitHub Actions too.
    assert!(!has(&[(".circleci/config.yml", "version: 2.1\njobs: {}\n")], "maturity/ci-unreadable"));
    assert!(!has(&[(".github/workflows/ci.yml", "on: push\njobs: {}\n")], "maturity/ci-unreadable"));
}

#[test]
fn metrics_dashboards_and_alerts_in_other_shapes() {
    let prom = "global:\n  scrape_interval: 60s\notlp:\n  keep_identifying_resource_attributes: true\n";
    assert!(has(&[("src/prometheus/prometheus-config.yaml", prom)], "maturity/prometheus-metrics"));
    let gcm = "{\n  \"displayName\": \"Bank\",\n  \"mosaicLayout\": {\n    \"tiles\": [{\"widget\": {}}]\n  },\n  \"widgets\": []\n}\n";
    assert!(has(&[("extras/metrics-dashboard/dashboard.json", gcm)], "maturity/grafana-dashboard"));
    let grafana_alerts = "apiVersion: 1\ngroups:\n  - name: app\n    rules:\n      - uid: a1\n        title: High error rate\n        condition: C\n        data:\n          - refId: A\n";
    assert!(has(&[("grafana/provisioning/alerting/app.yml", grafana_alerts)], "maturity/alert-rules"));
    let tf = "resource \"aws_cloudwatch_metric_alarm\" \"errors\" {\n  alarm_name = \"api-5xx\"\n}\n";
    assert!(has(&[("infra/alarms.tf", tf)], "maturity/alert-rules"));
    let helm = "{{- if .Values.metrics.enabled }}\napiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n    - name: backup\n      rules:\n        - alert: BackupFailed\n          expr: x > 0\n{{- end }}\n";
    assert!(has(&[("chart/templates/prometheusrule.yaml", helm)], "maturity/alert-rules"));
    // Templated only inside values YAML accepts: the prometheus plugin parses it, not counted here.
    let quoted = "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: \"{{ .Release.Name }}\"\nspec:\n  groups:\n    - name: a\n      rules:\n        - alert: Down\n          expr: up == 0\n";
    assert!(!has(&[("chart/templates/prometheusrule.yaml", quoted)], "maturity/alert-rules"));
}

#[test]
fn zone_redundancy_spelled_by_other_clouds_and_metrics_switched_on_in_chart_values() {
    let tf = "resource \"azurerm_postgresql_flexible_server\" \"main\" {\n  high_availability {\n    mode = \"ZoneRedundant\"\n  }\n}\n";
    assert!(has(&[("infra/main.tf", tf)], "maturity/multi-zone"));
    let one_zone = "resource \"azurerm_postgresql_flexible_server\" \"main\" {\n  zone = \"1\"\n}\n";
    assert!(!has(&[("infra/main.tf", one_zone)], "maturity/multi-zone"));
    let release = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  values:\n    metrics:\n      enabled: true\n      serviceMonitor:\n        enabled: true\n";
    assert!(has(&[("apps/db.yaml", release)], "maturity/prometheus-metrics"));
}

#[test]
fn platform_manifests_describe_the_deployment() {
    for (path, text) in [
        ("config/deploy.yml", "service: shop\nimage: acme/shop\nservers:\n  - 10.0.0.1\n"),
        ("app.json", "{\"name\": \"x\", \"addons\": [\"heroku-postgresql\"]}\n"),
        ("heroku.yml", "build:\n  docker:\n    web: Dockerfile\n"),
        ("Procfile", "web: gunicorn app.wsgi\nrelease: python manage.py migrate\n"),
        ("fly.toml", "app = \"shop\"\nprimary_region = \"ams\"\n"),
        ("render.yaml", "services:\n  - type: web\n    name: api\n"),
        ("railway.toml", "[build]\nbuilder = \"nixpacks\"\n"),
        (".do/app.yaml", "name: shop\nservices:\n  - name: web\n"),
    ] {
        assert!(has(&[(path, text)], "maturity/deploy-config"), "{path}");
    }
    // Near misses: Expo's app.json, a foreman Procfile of workers, a CI deploy.yml.
    for (path, text) in [
        ("app.json", "{\"expo\": {\"name\": \"x\"}}\n"),
        ("Procfile", "worker: celery -A app worker\n"),
        ("config/deploy.yml", "stages:\n  - prod\n"),
    ] {
        assert!(!has(&[(path, text)], "maturity/deploy-config"), "{path}");
    }
}

#[test]
fn platforms_that_deploy_every_push_and_scrape_metrics() {
    let render = "services:\n  - type: web\n    name: api\n    autoDeploy: true\n";
    assert!(has(&[("render.yaml", render)], "maturity/platform-autodeploy"));
    let off = "services:\n  - type: web\n    name: api\n    autoDeploy: false\n";
    assert!(!has(&[("render.yaml", off)], "maturity/platform-autodeploy"));
    let fly = "app = \"quotes\"\n\n[metrics]\n  port = 9091\n  path = \"/metrics\"\n";
    assert!(has(&[("fly.toml", fly)], "maturity/prometheus-metrics"));
    assert!(!has(&[("fly.toml", "app = \"quotes\"\n")], "maturity/prometheus-metrics"));
}

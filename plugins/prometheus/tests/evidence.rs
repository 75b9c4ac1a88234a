//! The facts the maturity assessment reads for its alerting criteria
//! (`alert-rules`, `alert-runbooks` in policies/maturity.toml): this plugin is
//! the one reader of Prometheus alert rules, wherever they are written.
use opslint_plugin_prometheus::PrometheusPlugin;
use opslint_sdk::{check_repo, CheckRequest, Document, EvidenceValue, RepoPlugin};

fn evidence(docs: &[(&str, &str)]) -> Vec<(String, String)> {
    let request = CheckRequest {
        documents: docs
            .iter()
            .map(|(p, t)| Document { path: p.to_string(), kind: "yaml".into(), text: t.to_string() })
            .collect(),
        rules: PrometheusPlugin::rules().iter().map(|r| r.id.to_string()).collect(),
        options: "{}".into(),
    };
    let out = check_repo::<PrometheusPlugin>(request).expect("check");
    out.evidence
        .into_iter()
        .filter(|e| e.key == "prometheus/alert-rules" || e.key == "prometheus/alert-runbooks")
        .map(|e| {
            let v = match e.value {
                EvidenceValue::Count(n) => n.to_string(),
                EvidenceValue::Text(t) => t,
                other => format!("{other:?}"),
            };
            (e.key, v)
        })
        .collect()
}

const RULES: &str = "groups:\n  - name: api\n    rules:\n      - alert: ApiErrors\n        expr: sum(rate(http_requests_total{code=~\"5..\"}[5m])) > 1\n        for: 5m\n        annotations:\n          runbook_url: https://runbooks.example/api-errors\n      - alert: ApiDown\n        expr: up{job=\"api\"} == 0\n        for: 5m\n      - record: job:http_requests:rate5m\n        expr: sum by (job) (rate(http_requests_total[5m]))\n";

#[test]
fn alert_rules_and_their_runbook_share_per_file() {
    let kv = |k: &str, v: &str| (k.to_string(), v.to_string());
    assert_eq!(
        evidence(&[("monitoring/alerts.yml", RULES)]),
        vec![kv("prometheus/alert-rules", "2"), kv("prometheus/alert-runbooks", "1/2")]
    );
    // The same rules in a PrometheusRule object.
    let object = format!(
        "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: api\nspec:\n{}",
        RULES.lines().map(|l| format!("  {l}\n")).collect::<String>()
    );
    assert_eq!(
        evidence(&[("k8s/rules.yaml", &object)]),
        vec![kv("prometheus/alert-rules", "2"), kv("prometheus/alert-runbooks", "1/2")]
    );
}

#[test]
fn recording_rules_and_grafana_alerting_are_not_prometheus_alerts() {
    let recording = "groups:\n  - name: r\n    rules:\n      - record: job:x:rate5m\n        expr: sum by (job) (rate(x_total[5m]))\n";
    assert!(evidence(&[("rules.yml", recording)]).is_empty());
    let grafana = "apiVersion: 1\ngroups:\n  - orgId: 1\n    name: cart\n    folder: demo\n    interval: 1m\n    rules:\n      - uid: abc\n        title: errors\n        condition: B\n        data: []\n";
    assert!(evidence(&[("alerting.yaml", grafana)]).is_empty());
}

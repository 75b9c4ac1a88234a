//! Where rules are found (rule files, PrometheusRule objects, Helm values)
//! and what the PromQL analysis concludes on typical expressions.
use opslint_plugin_prometheus::{promql, PrometheusPlugin};
use opslint_sdk::testing::check_repo_texts;

fn rules_fired(files: &[(&str, &str)]) -> Vec<String> {
    // The rules that are on by default (the runbook and naming rules are opt-in).
    let mut v: Vec<String> = check_repo_texts::<PrometheusPlugin>(files, "{}")
        .into_iter()
        .map(|f| f.rule)
        .filter(|r| r != "missing-runbook-url" && r != "recording-rule-name")
        .collect();
    v.sort();
    v
}

const BAD_ALERT: &str = "alert: Errors\n  expr: rate(http_errors_total[5m])\n  for: 5m\n  labels: {severity: critical}\n  annotations: {summary: errors}";

#[test]
fn rules_are_found_in_prometheus_rule_objects_and_helm_values() {
    let indent = |s: &str, n: usize| s.lines().map(|l| format!("{}{l}", " ".repeat(n))).collect::<Vec<_>>().join("\n");
    let object = format!(
        "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {{name: api}}\nspec:\n  groups:\n  - name: api\n    rules:\n    - {}\n",
        indent(BAD_ALERT, 4).trim_start()
    );
    let additional = format!(
        "additionalPrometheusRules:\n  - name: api\n    groups:\n      - name: api\n        rules:\n          - {}\n",
        indent(BAD_ALERT, 10).trim_start()
    );
    let bare = format!("prometheusRule:\n  enabled: true\n  rules:\n    - {}\n", indent(BAD_ALERT, 4).trim_start());
    let server_files = format!(
        "serverFiles:\n  alerting_rules.yml:\n    groups:\n      - name: api\n        rules:\n          - {}\n",
        indent(BAD_ALERT, 10).trim_start()
    );
    for (path, text) in [
        ("rule.yaml", &object),
        ("values.yaml", &additional),
        ("chart/values.yaml", &bare),
        ("values-prom.yaml", &server_files),
    ] {
        assert_eq!(rules_fired(&[(path, text)]), vec!["alert-without-comparison"], "{path}:\n{text}");
    }
}

#[test]
fn grafana_provisioning_and_templated_expressions_are_not_judged() {
    let grafana = "apiVersion: 1\ngroups:\n  - orgId: 1\n    name: cart\n    folder: demo\n    interval: 1m\n    rules:\n      - uid: abc\n        title: errors\n        condition: B\n        data: []\n";
    assert!(rules_fired(&[("alerting.yaml", grafana)]).is_empty());
    let helm = "groups:\n  - name: x\n    rules:\n      - alert: Down\n        expr: up{job=\"{{ .Values.job }}\"} == 0\n        for: 5m\n        labels: {severity: critical}\n        annotations: {summary: down}\n";
    assert!(rules_fired(&[("templates/rules.yaml", helm)]).is_empty());
}

#[test]
fn kept_labels_follow_aggregations_and_functions() {
    let kept = |q: &str| {
        promql::kept_labels(&promql_parser::parser::parse(q).unwrap()).map(|s| s.into_iter().collect::<Vec<_>>())
    };
    assert_eq!(kept("sum by (job) (rate(x[5m])) > 1"), Some(vec!["job".to_string()]));
    assert_eq!(kept("sum(rate(x[5m])) by (job, instance) > 1"), Some(vec!["instance".into(), "job".into()]));
    assert_eq!(kept("rate(x[5m]) > 1"), None);
    assert_eq!(kept("sum without (pod) (x) > 1"), None);
    assert_eq!(kept("absent(up{job=\"a\", env=~\"p.*\"})"), Some(vec!["job".to_string()]));
    assert_eq!(
        kept("label_replace(sum by (a) (x), \"b\", \"$1\", \"a\", \"(.*)\")"),
        Some(vec!["a".into(), "b".into()])
    );
    assert_eq!(kept("histogram_quantile(0.9, sum by (le, job) (rate(x_bucket[5m])))"), Some(vec!["job".to_string()]));
    assert_eq!(kept("sum by (a) (x) / on (a) group_left (b) sum by (a, b) (y)"), Some(vec!["a".into(), "b".into()]));
    assert_eq!(kept("sum by (a) (x) > 1 and on (a) sum by (a, c) (y) > 2"), Some(vec!["a".to_string()]));
    assert_eq!(kept("count(x) == 0"), Some(vec![]));
}

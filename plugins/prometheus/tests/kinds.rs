//! The kinds of alert each judgement rule must and must not report, from the
//! labelled findings on real rule files (tests/precision/prometheus-labels.toml).
use opslint_plugin_prometheus::PrometheusPlugin;
use opslint_sdk::testing::check_repo_texts;

/// The rules that fire on one alert with this expression, `for:` (None: no key) and severity.
fn fired(expr: &str, for_: Option<&str>, severity: &str) -> Vec<String> {
    let for_line = for_.map(|f| format!("        for: {f}\n")).unwrap_or_default();
    let text = format!(
        "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: '{expr}'\n{for_line}        labels: {{severity: {severity}}}\n        annotations: {{summary: s, runbook_url: 'https://x'}}\n"
    );
    check_repo_texts::<PrometheusPlugin>(&[("rules.yml", &text)], "{}").into_iter().map(|f| f.rule).collect()
}

fn fires(rule: &str, expr: &str, for_: Option<&str>, severity: &str) -> bool {
    fired(expr, for_, severity).iter().any(|r| r == rule)
}

#[test]
fn alert_without_for_reports_thresholds_and_states_read_once() {
    assert!(fires("alert-without-for", "elasticsearch_cluster_health_relocating_shards > 0", None, "info"));
    for (expr, for_) in [
        ("ipmi_temperature_state == 2", Some("0m")),
        ("elasticsearch_cluster_health_relocating_shards > 0", None),
        ("ipmi_temperature_state == 2", None),
        ("elasticsearch_cluster_health_status{color=\"yellow\"} == 1", Some("0s")),
        ("rate(cortex_ingester_tsdb_wal_truncations_failed_total[5m]) > 0.05", Some("0m")),
        // A reloader retries: the mixins wait 10m.
        ("prometheus_config_last_reload_successful != 1", Some("0m")),
        // A target rescheduled vanishes for a moment.
        ("absent(up{job=\"prometheus\"})", None),
        ("mongodb_replset_member_optime_date - mongodb_replset_member_optime_date > 10", None),
        ("apcupsd_battery_time_left_seconds < 900", None),
        // Levels and trends cross a threshold for a moment.
        ("deriv(mysql_global_status_innodb_log_waits[15m]) > 10", Some("0m")),
        ("predict_linear(kubelet_volume_stats_available_bytes[6h], 4 * 24 * 3600) < 0", None),
        // Still noise when it flaps.
        ("elasticsearch_cluster_health_initializing_shards > 0", Some("0m")),
        // A spec flag beside observed state.
        ("kube_cronjob_status_active == 0 and kube_cronjob_spec_suspend == 0", None),
        ("rate(cache_expirations_total[5m]) > 100", None),
    ] {
        assert!(fires("alert-without-for", expr, for_, "critical"), "{expr} for: {for_:?}");
    }
}

#[test]
fn explicit_zero_for_is_reported_lower_than_a_missing_one() {
    let sev = |for_: Option<&str>| {
        let for_line = for_.map(|f| format!("        for: {f}\n")).unwrap_or_default();
        let text = format!("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: x == 2\n{for_line}        labels: {{severity: critical}}\n");
        let found = check_repo_texts::<PrometheusPlugin>(&[("rules.yml", &text)], "{}");
        let f = found.into_iter().find(|f| f.rule == "alert-without-for").unwrap();
        format!("{:?}", f.severity)
    };
    assert_eq!(sev(None), "None", "the rule's own severity (medium)");
    assert_eq!(sev(Some("0m")), "Some(Severity::Low)");
}

#[test]
fn alert_without_for_leaves_windows_ages_specs_and_watchdogs() {
    for (expr, severity) in [
        ("increase(prometheus_tsdb_compactions_failed_total[1m]) > 0", "critical"),
        ("delta(redis_connected_slaves[1m]) < 0", "critical"),
        ("min_over_time(prometheus_notifications_queue_length[10m]) > 0", "warning"),
        ("count by (instance) (x offset 2h) unless count by (instance) (x)", "critical"),
        // Ages against time().
        ("time() - container_last_seen > 60", "warning"),
        ("min by (user, job) (time() - cortex_bucket_index_last_successful_update_timestamp_seconds) > 2100", "critical"),
        ("ssl_verified_cert_not_after{chain_no=\"0\"} - time() < 86400 * 7", "warning"),
        ("time() - pg_postmaster_start_time_seconds < 60", "critical"),
        ("kube_job_status_start_time > 0 and absent(kube_job_status_completion_time) and (time() - kube_job_status_start_time) > 3600", "warning"),
        // Metrics that are an age, an uptime or a time to expiry.
        ("aws_sqs_approximate_age_of_oldest_message_maximum > 3600", "warning"),
        ("mysql_global_status_uptime < 60", "warning"),
        ("sysUpTime / 100 < 300", "warning"),
        ("envoy_server_days_until_first_cert_expiring < 7", "warning"),
        // Declared configuration.
        ("kube_cronjob_spec_suspend != 0", "warning"),
        // Latched values: a wear level, a finished Job's failure.
        ("smartctl_device_available_spare < smartctl_device_available_spare_threshold", "critical"),
        ("smartctl_device_percentage_used > 90", "warning"),
        ("kube_job_status_failed > 0", "warning"),
        ("(node_edac_uncorrectable_errors_total > 0)", "warning"),
        ("smartctl_device_smart_status != 1", "critical"),
        ("((node_md_disks_required - ignoring(state) node_md_disks{state=\"active\"}) > 0)", "critical"),
        ("vector(1)", "critical"),
    ] {
        for for_ in [None, Some("0m")] {
            assert!(!fires("alert-without-for", expr, for_, severity), "{expr} ({severity}) for: {for_:?}");
        }
    }
    // `or` with one branch that is not an age still pages on a blip.
    assert!(fires("alert-without-for", "time() - x_timestamp > 60 or y > 1", None, "critical"));
    // A wear level next to a live value is judged as the live value.
    assert!(fires(
        "alert-without-for",
        "smartctl_device_percentage_used > 90 and smartctl_device_temperature > 60",
        None,
        "warning"
    ));
}

#[test]
fn alert_without_comparison_leaves_presence_by_pattern_or_info_metric() {
    for expr in [
        "pg_general_index_info_pg_relation_size{indexrelname=~\".*ccnew.*\"}",
        "count by (node) (kube_node_info{kernel_version=\"5.4.0\"})",
    ] {
        assert!(!fires("alert-without-comparison", expr, Some("5m"), "warning"), "{expr}");
    }
    for expr in [
        "kube_pod_status_phase{phase=\"Failed\"}",
        "kube_pod_status_phase{phase=~\"Failed|Unknown\"}",
        "sum by (path) (rate(http_requests_total{path=~\"/api/.*\"}[5m]))",
        "kube_node_info",
    ] {
        assert!(fires("alert-without-comparison", expr, Some("5m"), "warning"), "{expr}");
    }
}

#[test]
fn counter_without_rate_leaves_uncorrectable_hardware_errors() {
    assert!(!fires("counter-without-rate", "node_edac_uncorrectable_errors_total > 0", Some("5m"), "warning"));
    assert!(fires("counter-without-rate", "node_edac_correctable_errors_total > 0", Some("5m"), "warning"));
    assert!(fires("counter-without-rate", "kube_pod_container_status_restarts_total > 3", Some("5m"), "warning"));
}

/// ClickHouse's error metrics count since start without `_total`; each branch of an `or`
/// is a condition of its own; where the counter is the problem, a missing `for:` is not reported.
#[test]
fn counters_by_family_and_per_or_branch_and_one_finding_per_problem() {
    let ch = "ClickHouseErrorMetric_ALL_REPLICAS_ARE_STALE == 1 or ClickHouseErrorMetric_ALL_REPLICAS_LOST == 1";
    assert!(fires("counter-without-rate", ch, Some("0m"), "critical"));
    assert!(!fires("alert-without-for", ch, Some("0m"), "critical"));
    assert!(!fires("alert-without-for", "http_requests_errors_total > 5", None, "critical"));
    assert!(fires("counter-without-rate", "up == 0 or errors_total > 5", Some("5m"), "critical"));
    // Two counters joined by `and` still mean "since start" on purpose.
    assert!(!fires("counter-without-rate", "failed_total > 0 and completed_total == 0", Some("5m"), "warning"));
    assert!(!fires("counter-without-rate", "ClickHouseProfileEvents_Query > 0", Some("5m"), "warning"));
}

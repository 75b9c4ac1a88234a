//! `PROMETHEUS_BENCH_DIR=… cargo test --release -p opslint-plugin-prometheus --test timing -- --ignored --nocapture`:
//! where the plugin spends its time, natively, over a folder's YAML files.
#[test]
#[ignore]
fn time_a_directory() {
    let Ok(dir) = std::env::var("PROMETHEUS_BENCH_DIR") else { return };
    let yaml = |p: &str| [".yaml", ".yml", ".rules"].iter().any(|x| p.ends_with(x)).then(|| "yaml".to_string());
    let documents = opslint_sdk::testing::documents_under(std::path::Path::new(&dir), yaml);
    opslint_sdk::testing::time_documents::<opslint_plugin_prometheus::PrometheusPlugin>(documents);
}

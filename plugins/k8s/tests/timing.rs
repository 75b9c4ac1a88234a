//! `K8S_BENCH_DIR=… cargo test --release -p opslint-plugin-k8s --test timing -- --ignored --nocapture`:
//! where the plugin spends its time, natively, over a directory of manifests.
#[test]
#[ignore]
fn time_a_directory() {
    if let Ok(dir) = std::env::var("K8S_BENCH_DIR") {
        opslint_sdk::testing::time_rules::<opslint_plugin_k8s::K8sPlugin>(std::path::Path::new(&dir));
    }
}

/// Same folder, the split path: extract, then join (`K8S_BENCH_DIR`).
#[test]
#[ignore]
fn time_the_split() {
    if let Ok(dir) = std::env::var("K8S_BENCH_DIR") {
        let yaml = |p: &str| (p.ends_with(".yaml") || p.ends_with(".yml")).then(|| "yaml".to_string());
        let docs = opslint_sdk::testing::documents_under(std::path::Path::new(&dir), yaml);
        opslint_sdk::testing::time_split::<opslint_plugin_k8s::K8sPlugin>(docs);
    }
}

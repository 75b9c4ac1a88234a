//! `K8S_BENCH_DIR=… cargo test --release -p opslint-plugin-k8s --test timing -- --ignored --nocapture`:
//! where the plugin spends its time, natively, over a directory of manifests.
#[test]
#[ignore]
fn time_a_directory() {
    if let Ok(dir) = std::env::var("K8S_BENCH_DIR") {
        opslint_sdk::testing::time_rules::<opslint_plugin_k8s::K8sPlugin>(std::path::Path::new(&dir));
    }
}

//! `YAML_BENCH_DIR=… cargo test --release -p opslint-yaml --test timing -- --ignored --nocapture`:
//! how fast the parser reads a folder's YAML files, natively (best of 10).
#[test]
#[ignore]
fn time_a_directory() {
    let Ok(dir) = std::env::var("YAML_BENCH_DIR") else { return };
    let mut texts = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                texts.push(std::fs::read_to_string(&p).unwrap_or_default());
            }
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let rounds = std::env::var("YAML_BENCH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(10);
    let best = (0..rounds)
        .map(|_| {
            let started = std::time::Instant::now();
            let nodes: usize = texts.iter().map(|t| opslint_yaml::parse(t).docs.len()).sum();
            std::hint::black_box(nodes);
            started.elapsed()
        })
        .min()
        .unwrap_or_default();
    let mb_s = bytes as f64 / best.as_secs_f64() / 1e6;
    eprintln!("{} files, {bytes} bytes: {best:?} (best of {rounds}), {mb_s:.1} MB/s", texts.len());
}

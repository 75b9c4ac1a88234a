//! `YAML_BENCH_DIR=… cargo test --release -p opslint-yaml --test timing -- --ignored --nocapture`:
//! how fast the parser reads a folder's YAML files, natively (best of 10).
/// The YAML files under `YAML_BENCH_DIR`, if it is set.
fn yaml_texts() -> Option<Vec<String>> {
    let dir = std::env::var("YAML_BENCH_DIR").ok()?;
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
    Some(texts)
}

#[test]
#[ignore]
fn time_a_directory() {
    let Some(texts) = yaml_texts() else { return };
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

/// Same folder: writing every parsed tree with `codec` and reading it back, against parsing.
#[test]
#[ignore]
fn time_the_codec() {
    let Some(texts) = yaml_texts() else { return };
    let best = |f: &dyn Fn() -> usize| {
        (0..10)
            .map(|_| {
                let t = std::time::Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .min()
            .unwrap_or_default()
    };
    let parse = best(&|| texts.iter().map(|t| opslint_yaml::parse(t).docs.len()).sum());
    let encoded: Vec<Vec<u8>> = texts
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            opslint_yaml::parse(t).docs.iter().for_each(|d| opslint_yaml::codec::write(&d.root, t, &mut out));
            out
        })
        .collect();
    let write = best(&|| {
        let docs: Vec<_> = texts.iter().map(|t| opslint_yaml::parse(t)).collect();
        let t = std::time::Instant::now();
        let mut n = 0;
        for (s, text) in docs.iter().zip(&texts) {
            let mut out = Vec::new();
            s.docs.iter().for_each(|d| opslint_yaml::codec::write(&d.root, text, &mut out));
            n += out.len();
        }
        std::hint::black_box(n);
        eprintln!("write: {:?}", t.elapsed());
        n
    });
    let _ = write;
    let read = best(&|| {
        encoded
            .iter()
            .zip(&texts)
            .map(|(b, text)| {
                let mut input = &b[..];
                let mut n = 0;
                while let Some(node) = opslint_yaml::codec::read(&mut input, text) {
                    n += node.span.len();
                }
                n
            })
            .sum()
    });
    let bytes: usize = texts.iter().map(String::len).sum();
    let enc: usize = encoded.iter().map(Vec::len).sum();
    eprintln!("{} files, {bytes} bytes of YAML, {enc} encoded: parse {parse:?}, read {read:?}", texts.len());
}

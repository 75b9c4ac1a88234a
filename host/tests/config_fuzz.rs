//! Config loading under mutation (issue 9): the host crate links wasmtime, too
//! heavy to build instrumented for cargo fuzz on these machines, so config
//! loading is fuzzed here instead, deterministically: every policy pack and
//! sample configuration, mutated (bytes flipped, TOML tokens inserted,
//! ranges deleted, duplicated or spliced from another input), is parsed,
//! loaded from a file with its `extends` chain (which may point back at
//! itself), and any error rendered with its source span, as the CLI does.
//! Nothing may panic. `OPSLINT_CONFIG_FUZZ_ITERATIONS` runs it longer; a
//! failing case is written to target/tmp/config-fuzz-failure.toml.
use std::path::Path;

const TOKENS: &[&str] = &[
    "[",
    "]",
    "[[",
    "]]",
    "=",
    "\"",
    "'",
    "'''",
    "\"\"\"",
    "\n",
    "\n[rules]\n",
    "\n[files]\n",
    "\n[plugins.x]\n",
    "\n[rules.severity]\n",
    "\n[rules.options]\n",
    "extends = [",
    "extends = \"other.toml\"\n",
    "select = [\"",
    "\"]",
    "ignore = [",
    "fail-on = ",
    "max-file-size = ",
    "timeout = ",
    "memory-mib = ",
    "sha256 = ",
    "path = ",
    "1e999",
    "-1",
    "18446744073709551616",
    "inf",
    "nan",
    "0x",
    "true",
    "{",
    "}",
    ",",
    ".",
    "#",
    "\\u",
    "\\",
    "\u{0}",
    "é",
    "\u{feff}",
    "\r\n",
    "\t",
    "\u{1F600}",
    "dockerfile/",
    "k8s/*",
    "*",
    "**",
    "opslint/plugin-failed",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn inputs() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut out = Vec::new();
    for dir in ["policies", "."] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "toml") && !p.ends_with("Cargo.toml") {
                out.push(std::fs::read(&p).unwrap());
            }
        }
    }
    out.push(b"extends = [\"strict\", \"./other.toml\"]\nfail-on = \"low\"\nmax-file-size = 100\n[files]\nexclude = [\"vendor/**\"]\n[rules]\nselect = [\"dockerfile\"]\nignore = [\"dockerfile/latest-tag\"]\n[rules.severity]\n\"k8s/missing-pdb\" = \"high\"\n[plugins.dockerfile]\ntimeout = 2.5\nmemory-mib = 64\n".to_vec());
    out
}

fn mutate(rng: &mut Rng, base: &[u8], all: &[Vec<u8>]) -> Vec<u8> {
    let mut v = base.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(6) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                v.splice(at..at, t.iter().copied());
            }
            2 => {
                let end = (at + rng.below(64)).min(v.len());
                v.drain(at..end);
            }
            3 => {
                let end = (at + rng.below(64)).min(v.len());
                let piece = v[at..end].to_vec();
                v.splice(at..at, piece);
            }
            4 => {
                let other = &all[rng.below(all.len())];
                let from = rng.below(other.len() + 1);
                let end = (from + rng.below(200)).min(other.len());
                v.splice(at..at, other[from..end].iter().copied());
            }
            _ => v.truncate(at),
        }
    }
    v
}

fn render(err: &opslint::error::Error) -> String {
    let mut out = String::new();
    let _ = miette::GraphicalReportHandler::new().render_report(&mut out, err);
    out
}

#[test]
fn mutated_configs_never_panic() {
    let iterations: usize =
        std::env::var("OPSLINT_CONFIG_FUZZ_ITERATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let all = inputs();
    let dir = tempfile::tempdir().unwrap();
    let (main, other) = (dir.path().join("opslint.toml"), dir.path().join("other.toml"));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut errors = 0;
    for i in 0..iterations {
        let bytes = mutate(&mut rng, &all[i % all.len()], &all);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let outcome = std::panic::catch_unwind(|| {
            if let Err(e) = opslint::config::parse("fuzz.toml", &text) {
                render(&e);
                1
            } else {
                0
            }
        });
        let failed = |what: &str| {
            let keep = Path::new(env!("CARGO_TARGET_TMPDIR")).join("config-fuzz-failure.toml");
            std::fs::write(&keep, &bytes).unwrap();
            panic!("{what} panicked on input {i}, saved to {}", keep.display());
        };
        match outcome {
            Ok(n) => errors += n,
            Err(_) => failed("config::parse"),
        }
        // Every tenth input also goes through a file and its `extends` chain,
        // where other.toml extends opslint.toml back.
        if i % 10 == 0 {
            std::fs::write(&main, &bytes).unwrap();
            let back = mutate(&mut rng, b"extends = [\"opslint.toml\"]\n", &all);
            std::fs::write(&other, &back).unwrap();
            let loaded = std::panic::catch_unwind(|| {
                if let Err(e) = opslint::config::load(Some(&main)) {
                    render(&e);
                }
            });
            if loaded.is_err() {
                failed("config::load");
            }
        }
    }
    assert!(errors > iterations / 10, "the mutations reach the error paths: {errors} errors");
}

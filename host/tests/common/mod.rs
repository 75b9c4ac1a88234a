//! Drives the real binary. Every test shares one compiled-plugin cache under
//! the target directory, so only the first run of a test binary compiles.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_opslint");

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.stdout, self.stderr))
    }

    /// Full rule ids of the findings in a JSON run.
    pub fn rules(&self) -> Vec<String> {
        self.json()["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect()
    }
}

pub fn opslint(cwd: &Path, args: &[&str]) -> Run {
    let out: Output = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("OPSLINT_CACHE_DIR", cache_dir())
        .env("NO_COLOR", "1")
        .output()
        .expect("run opslint");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs opslint with `input` on standard input.
pub fn opslint_stdin(cwd: &Path, args: &[&str], input: &[u8]) -> Run {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("OPSLINT_CACHE_DIR", cache_dir())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run opslint");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("plugin-cache")
}

/// The repository root (where `Cargo.toml`, `plugins/`, `examples/` live).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// A folder of real-world inputs beside the checkout (`../shared/corpus`,
/// `../shared/repos`), which CI has and a fresh clone does not. Absent: a
/// one-line notice and `None`, so the test skips; absent with `CI=true`: a
/// failure, so CI never passes by skipping.
pub fn shared_input(name: &str) -> Option<PathBuf> {
    let dir = repo().parent().unwrap().join("shared").join(name);
    if dir.is_dir() {
        return Some(dir);
    }
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
    assert!(!in_ci, "CI=true but {} is missing (CI checks out the shared inputs beside the repository)", dir.display());
    // Written past the test harness's capture, so the skip shows in a passing run.
    use std::io::Write;
    let test = std::thread::current().name().unwrap_or("test").to_string();
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: no {} (shared inputs absent outside CI)", dir.display());
    None
}

/// A temporary directory with the given files (path, contents).
pub fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, body) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    dir
}

/// The misbehaving test plugin, built by host/build.rs but never shipped.
pub fn misbehave_plugin() -> (PathBuf, String) {
    let path = Path::new(env!("OPSLINT_BUILT_PLUGINS_DIR")).join("misbehave.wasm");
    let bytes = std::fs::read(&path).unwrap();
    use sha2::Digest;
    let sha: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    (path, sha)
}

/// A replicated Deployment (`web`, image tag `latest`) without a disruption budget.
pub const WEB_DEPLOYMENT: &str = include_str!("../data/web-deployment.yaml");
/// The PodDisruptionBudget that covers [`WEB_DEPLOYMENT`].
pub const WEB_PDB: &str = include_str!("../data/web-pdb.yaml");

//! A real editor against `opslint server`: Neovim's built-in LSP client,
//! headless, driven by tests/editors/neovim.lua. Skipped with a notice when
//! `nvim` is not installed, except in CI (scripts/setup installs it).
mod common;
use common::*;

#[test]
fn neovim_sees_diagnostics_code_actions_and_cross_file_updates() {
    if std::process::Command::new("nvim").arg("--version").output().is_err() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but nvim is not installed");
        eprintln!("SKIPPED neovim test: no nvim (apt-get install neovim)");
        return;
    }
    let dir = tree(&[
        ("Dockerfile", b"FROM python:latest\nMAINTAINER Jane\n"),
        ("k8s/web.yaml", WEB_DEPLOYMENT.as_bytes()),
        ("k8s/pdb.yaml", b"# the budget comes here\n"),
    ]);
    let root = dir.path().canonicalize().unwrap();
    let out = root.join("seen.json");
    let script = repo().join("host/tests/editors/neovim.lua");
    let run = std::process::Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .current_dir(&root)
        .env("OPSLINT_BIN", BIN)
        .env("OPSLINT_CACHE_DIR", cache_dir())
        .env("ROOT", &root)
        .env("OUT", &out)
        .env("PDB", WEB_PDB.trim_end())
        .env("XDG_STATE_HOME", root.join(".state"))
        .env("XDG_DATA_HOME", root.join(".data"))
        .output()
        .unwrap();
    let seen: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap_or_else(|e| {
        panic!(
            "no {} ({e}): {}{}",
            out.display(),
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        )
    }))
    .unwrap();
    let has = |key: &str, code: &str| seen[key].as_array().is_some_and(|a| a.iter().any(|c| c == code));
    assert_eq!(seen["errors"], serde_json::json!([]), "{seen}");
    assert!(has("dockerfile", "dockerfile/latest-tag"), "{seen}");
    assert!(has("actions", "dockerfile/maintainer-deprecated: replace with a LABEL"), "{seen}");
    assert!(has("actions", "Suppress dockerfile/maintainer-deprecated here (with a reason)"), "{seen}");
    assert!(has("web_before", "k8s/missing-pdb"), "{seen}");
    assert!(!has("web_after", "k8s/missing-pdb"), "the budget typed in pdb.yaml covers web.yaml: {seen}");
    eprintln!("neovim: cross-file change to updated diagnostics in {} ms", seen["cross_file_ms"]);
}

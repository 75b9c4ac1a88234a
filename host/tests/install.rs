//! Installing opslint without building it, with the binary these tests built
//! (nothing is compiled twice): the prebuilt plugins are what the binary
//! embeds; the wheel (scripts/pack-wheel) installs into a fresh virtualenv
//! and runs with no Rust on PATH; pre-commit installs the mirror template's
//! `language: python` hook from that wheel; the Action's shell steps install
//! it and run; the sdist carries the prebuilt plugins; the release workflow,
//! the Action and the GitLab template pass zizmor and opslint's ci-gate.
//! A test whose tool (python3 with venv, pre-commit, zizmor, maturin) is
//! missing skips with a notice, except in CI (`CI=true`), where scripts/setup
//! installs them. The container image is built only where a daemon answers.
mod common;
use common::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Skips (a notice past the harness's capture) unless in CI, where it fails.
fn skip(test: &str, why: &str) {
    assert!(!in_ci(), "CI=true but {test} cannot run: {why} (scripts/setup installs it)");
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

fn works(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd).args(args).output().is_ok_and(|o| o.status.success())
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    out
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The components the binary embeds, and their sha256 by name.
fn sums(dir: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    text.lines()
        .map(|l| {
            let (sha, file) = l.split_once("  ").unwrap();
            (file.trim_end_matches(".wasm").to_string(), sha.to_string())
        })
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_binary_embeds_the_prebuilt_plugins_byte_for_byte() {
    let origin = env!("OPSLINT_PLUGINS_ORIGIN");
    let Some(dir) = origin.strip_prefix("prebuilt ") else {
        skip(
            "the_binary_embeds_the_prebuilt_plugins_byte_for_byte",
            &format!("plugins {origin} (scripts/test sets OPSLINT_PLUGINS_DIR)"),
        );
        return;
    };
    let want = sums(Path::new(dir));
    let listed = opslint(&repo(), &["plugins", "--format", "json"]).json();
    let builtins: Vec<_> = listed.as_array().unwrap().iter().filter(|p| p["source"] == "builtin").collect();
    assert_eq!(builtins.len(), want.keys().filter(|n| *n != "misbehave").count(), "{listed}");
    for p in builtins {
        let name = p["name"].as_str().unwrap();
        assert_eq!(p["sha256"].as_str(), want.get(name).map(String::as_str), "{name}: `opslint plugins` vs SHA256SUMS");
        // The bytes include_bytes! took, hashed here rather than trusted from the table.
        let embedded =
            std::fs::read(Path::new(env!("OPSLINT_BUILT_PLUGINS_DIR")).join(format!("{name}.wasm"))).unwrap();
        assert_eq!(Some(&sha256_hex(&embedded)), want.get(name), "{name}: embedded bytes vs SHA256SUMS");
    }
}

/// The tested binary packed as a wheel (scripts/pack-wheel), once per run:
/// the folder holding it (for `--find-links`) and its path.
fn wheel() -> &'static (PathBuf, PathBuf) {
    static WHEEL: std::sync::OnceLock<(PathBuf, PathBuf)> = std::sync::OnceLock::new();
    WHEEL.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("install-test-wheels");
        let _ = std::fs::remove_dir_all(&dir);
        let out = run(Command::new("python3").arg(repo().join("scripts/pack-wheel")).arg(BIN).arg(&dir));
        assert!(out.status.success(), "{}", text(&out));
        (dir, PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
    })
}

fn python_with_venv() -> bool {
    works("python3", &["-c", "import venv, ensurepip"])
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// A command with an environment that has no Rust: only `path` on PATH.
fn bare(program: impl AsRef<std::ffi::OsStr>, path: &str, home: &Path) -> Command {
    let mut c = Command::new(program);
    c.env_clear().env("PATH", path).env("HOME", home).env("NO_COLOR", "1");
    c.env("OPSLINT_CACHE_DIR", home.join("cache"));
    c
}

#[test]
fn the_wheel_installs_in_a_fresh_virtualenv_and_runs_without_rust() {
    if !python_with_venv() {
        return skip("the_wheel_installs_in_a_fresh_virtualenv_and_runs_without_rust", "no python3 with venv");
    }
    let tmp = tree(&[]);
    let (wheels, whl) = wheel();
    let name = whl.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with(&format!("opslint-{}-py3-none-", version())), "{name}");
    let venv = tmp.path().join("venv");
    let started = Instant::now();
    assert!(run(Command::new("python3").args(["-m", "venv"]).arg(&venv)).status.success());
    let pip = run(Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--no-index", "--find-links"])
        .arg(wheels)
        .arg("opslint"));
    assert!(pip.status.success(), "{}", text(&pip));
    let _ =
        writeln!(std::io::stderr(), "wheel: fresh virtualenv + install in {:.1} s", started.elapsed().as_secs_f64());

    let path = venv.join("bin").display().to_string();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let which = run(bare("/bin/sh", &path, &home).args(["-c", "command -v cargo rustc; command -v opslint"]));
    assert_eq!(
        String::from_utf8_lossy(&which.stdout).trim(),
        venv.join("bin/opslint").display().to_string(),
        "only the wheel's opslint on PATH, no cargo"
    );

    let check = run(bare(venv.join("bin/opslint"), &path, &home).args(["check", "examples/shop"]).current_dir(repo()));
    assert_eq!(check.status.code(), Some(1), "the sample repository has findings:\n{}", text(&check));
    assert!(text(&check).contains("dockerfile/"), "{}", text(&check));

    let shop = tmp.path().join("shop");
    copy(&repo().join("examples/shop"), &shop);
    let maturity = run(bare(venv.join("bin/opslint"), &path, &home).arg("--maturity").current_dir(&shop));
    assert!(maturity.status.code().is_some_and(|c| c <= 1), "{}", text(&maturity));
    let report = std::fs::read_to_string(shop.join("docs/ops-runbook/maturity-assessment.md")).unwrap();
    assert!(report.contains("Level"), "{report}");
}

/// The pre-commit framework: the `pre-commit` command or the Python module.
fn pre_commit() -> Option<Vec<String>> {
    let candidates: [&[&str]; 2] = [&["pre-commit"], &["python3", "-m", "pre_commit"]];
    candidates
        .iter()
        .find(|c| works(c[0], &[&c[1..], &["--version"]].concat()))
        .map(|c| c.iter().map(|s| s.to_string()).collect())
}

fn git(dir: &Path, args: &[&str]) {
    let out = run(Command::new("git")
        .args(["-c", "user.name=opslint", "-c", "user.email=opslint@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE"));
    assert!(out.status.success(), "git {args:?}: {}", text(&out));
}

/// Where pip finds setuptools with no index: the wheels virtualenv embeds (pre-commit depends on virtualenv).
fn setuptools_wheels() -> Option<String> {
    let out = run(Command::new("python3").args([
        "-c",
        "import os, virtualenv; print(os.path.join(os.path.dirname(virtualenv.__file__), 'seed', 'wheels', 'embed'))",
    ]));
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn the_mirror_hook_installs_the_wheel_with_pre_commit() {
    let test = "the_mirror_hook_installs_the_wheel_with_pre_commit";
    let mirror = repo().join("packaging/pre-commit-mirror");
    let pyproject = std::fs::read_to_string(mirror.join("pyproject.toml")).unwrap();
    assert!(pyproject.contains(&format!("\"opslint=={}\"", version())), "the mirror pins this version:\n{pyproject}");
    assert!(pyproject.contains(&format!("version = \"{}\"", version())), "{pyproject}");
    let (Some(cmd), Some(embed)) = (pre_commit(), setuptools_wheels()) else {
        return skip(test, "pre-commit (with virtualenv) is not installed");
    };
    let tmp = tree(&[]);
    let (wheels, _) = wheel();

    let hooks = tmp.path().join("mirror");
    copy(&mirror, &hooks);
    git(&hooks, &["init", "-q", "-b", "main"]);
    git(&hooks, &["add", "."]);
    git(&hooks, &["commit", "-q", "-m", "mirror"]);
    let rev = String::from_utf8_lossy(&run(Command::new("git").args(["rev-parse", "HEAD"]).current_dir(&hooks)).stdout)
        .trim()
        .to_string();

    let sample = tmp.path().join("sample");
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: opslint\n        args: [--select, dockerfile/latest-tag]\n",
        hooks.display()
    );
    std::fs::create_dir_all(sample.join("api")).unwrap();
    std::fs::write(sample.join(".pre-commit-config.yaml"), config).unwrap();
    std::fs::write(sample.join("api/Dockerfile"), "FROM python:latest\n").unwrap();
    git(&sample, &["init", "-q", "-b", "main"]);
    git(&sample, &["add", "."]);

    // No opslint on PATH: the hook must use the one pre-commit installed from the wheel.
    let path: Vec<String> = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|d| !d.join("opslint").exists())
        .map(|d| d.display().to_string())
        .collect();
    let started = Instant::now();
    let out = run(Command::new(&cmd[0])
        .args(&cmd[1..])
        .args(["run", "--files", "api/Dockerfile"])
        .current_dir(&sample)
        .env("PATH", path.join(":"))
        .env("PRE_COMMIT_HOME", tmp.path().join("pre-commit-home"))
        .env("PIP_NO_INDEX", "1")
        .env("PIP_FIND_LINKS", format!("{} {embed}", wheels.display()))
        .env("OPSLINT_CACHE_DIR", cache_dir())
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE"));
    let _ = writeln!(
        std::io::stderr(),
        "pre-commit: hook environment from the wheel + run in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "the hook fails on the finding:\n{shown}");
    assert!(shown.contains("dockerfile/latest-tag"), "{shown}");
    let envs = tmp.path().join("pre-commit-home");
    let installed = walk_files(&envs).into_iter().any(|p| p.ends_with("bin/opslint"));
    assert!(installed, "pre-commit installed opslint from the wheel in its hook environment");
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// action.yml as JSON (through PyYAML, which pre-commit brings).
fn action_steps() -> Option<serde_json::Value> {
    let out = run(Command::new("python3")
        .args(["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))"])
        .arg(repo().join("action.yml")));
    out.status.success().then(|| serde_json::from_slice(&out.stdout).unwrap())
}

/// `${{ … }}` of the action's steps: inputs, github.action_path, runner.temp,
/// step outputs and `a || b`; anything else is a test failure, so a new
/// expression gets taught here rather than silently mis-run.
fn expand(text: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("closed expression") + start;
        let expr = rest[start + 3..end].trim();
        let value = expr
            .split("||")
            .map(|alt| vars.get(alt.trim()).unwrap_or_else(|| panic!("unknown expression in action.yml: {alt}")))
            .find(|v| !v.is_empty())
            .cloned()
            .unwrap_or_default();
        out.push_str(&value);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// `if:` of a step: absent, or `inputs.X == 'v'` / `!= 'v'`.
fn condition(cond: Option<&str>, vars: &BTreeMap<String, String>) -> bool {
    let Some(cond) = cond else { return true };
    let cond = cond.trim().trim_start_matches("${{").trim_end_matches("}}").trim();
    let (lhs, rhs, eq) = if let Some((l, r)) = cond.split_once("!=") {
        (l, r, false)
    } else if let Some((l, r)) = cond.split_once("==") {
        (l, r, true)
    } else {
        panic!("condition not understood by this test: {cond}")
    };
    let value = vars.get(lhs.trim()).unwrap_or_else(|| panic!("unknown in condition: {lhs}"));
    (value == rhs.trim().trim_matches('\'')) == eq
}

#[test]
fn the_action_installs_the_wheel_and_runs() {
    let test = "the_action_installs_the_wheel_and_runs";
    if !python_with_venv() {
        return skip(test, "no python3 with venv");
    }
    let Some(action) = action_steps() else { return skip(test, "no PyYAML for python3 (pre-commit brings it)") };
    let tmp = tree(&[]);
    let (wheels, _) = wheel();
    let runner_temp = tmp.path().join("runner-temp");
    std::fs::create_dir_all(&runner_temp).unwrap();

    let mut vars = BTreeMap::new();
    for (name, input) in action["inputs"].as_object().unwrap() {
        vars.insert(format!("inputs.{name}"), input["default"].as_str().unwrap_or_default().to_string());
    }
    vars.insert("inputs.paths".into(), "examples/shop".into());
    vars.insert("inputs.sarif-file".into(), tmp.path().join("opslint.sarif").display().to_string());
    vars.insert("github.action_path".into(), repo().display().to_string());
    vars.insert("runner.temp".into(), runner_temp.display().to_string());

    for round in ["install", "from the cache"] {
        let started = Instant::now();
        let mut last = None;
        for step in action["runs"]["steps"].as_array().unwrap() {
            if step.get("uses").is_some() {
                continue; // actions/cache (a miss here; the second round finds the install) and the SARIF upload
            }
            let id = step["id"].as_str().unwrap_or_default();
            if !condition(step["if"].as_str(), &vars) {
                // A skipped step's outputs are empty (`a || b` then takes the other).
                vars.entry(format!("steps.{id}.outputs.path")).or_default();
                continue;
            }
            let output = tmp.path().join(format!("output-{id}"));
            std::fs::write(&output, "").unwrap();
            let mut cmd = Command::new("bash");
            cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
                .arg(step["run"].as_str().unwrap())
                .current_dir(repo())
                .env("GITHUB_OUTPUT", &output)
                .env("RUNNER_OS", "Linux")
                .env("RUNNER_TEMP", &runner_temp)
                .env("PIP_NO_INDEX", "1")
                .env("PIP_FIND_LINKS", wheels)
                .env("OPSLINT_CACHE_DIR", cache_dir())
                .env("NO_COLOR", "1");
            for (k, v) in step["env"].as_object().into_iter().flatten() {
                cmd.env(k, expand(v.as_str().unwrap(), &vars));
            }
            let out = run(&mut cmd);
            let name = step["name"].as_str().unwrap();
            for line in std::fs::read_to_string(&output).unwrap().lines() {
                let (k, v) = line.split_once('=').unwrap();
                vars.insert(format!("steps.{id}.outputs.{k}"), v.to_string());
            }
            if name == "Install opslint" && round == "from the cache" {
                assert!(!text(&out).contains("Collecting"), "installed again:\n{}", text(&out));
            }
            last = Some((name.to_string(), out));
            if last.as_ref().unwrap().1.status.code() != Some(0) {
                break;
            }
        }
        let (name, out) = last.unwrap();
        assert_eq!((name.as_str(), out.status.code()), ("Fail on findings", Some(1)), "{}", text(&out));
        assert_eq!(vars["steps.check.outputs.exit-code"], "1");
        let _ = writeln!(std::io::stderr(), "action ({round}): steps ran in {:.1} s", started.elapsed().as_secs_f64());
    }
    let version_dir = runner_temp.join("opslint").join(version());
    assert_eq!(vars["steps.install.outputs.path"], version_dir.join("bin/opslint").display().to_string());
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("opslint.sarif")).unwrap()).unwrap();
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
}

const DISTRIBUTION_FILES: &[&str] = &[".github/workflows/release.yml", "action.yml", "Dockerfile"];

#[test]
fn release_workflow_action_gitlab_template_and_dockerfile_pass_the_ci_gate() {
    let mut args = vec!["check", "--config", "opslint.dogfood.toml", "--format", "json"];
    args.extend(DISTRIBUTION_FILES);
    let run = opslint(&repo(), &args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.json()["summary"]["files_checked"].as_u64(), Some(DISTRIBUTION_FILES.len() as u64));
    // The GitLab template as the pipeline of a project that uses it (opslint
    // reads `.gitlab-ci.yml` and what it includes, not templates by name).
    let template = std::fs::read(repo().join("templates/gitlab/opslint.gitlab-ci.yml")).unwrap();
    let project = tree(&[(".gitlab-ci.yml", &template), ("opslint.toml", b"extends = [\"ci-gate\"]\n")]);
    let run = opslint(project.path(), &["check", "--format", "json", "."]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json = run.json();
    assert!(
        json["evidence"].as_array().unwrap().iter().any(|e| e["path"] == ".gitlab-ci.yml"),
        "read as GitLab CI: {json}"
    );
}

#[test]
fn release_workflow_and_action_pass_zizmor() {
    let zizmor = if works("zizmor", &["--version"]) {
        vec!["zizmor"]
    } else if works("python3", &["-m", "zizmor", "--version"]) {
        vec!["python3", "-m", "zizmor"]
    } else {
        return skip("release_workflow_and_action_pass_zizmor", "zizmor is not installed");
    };
    // zizmor audits GitHub Actions only; the GitLab template is covered by the ci-gate test.
    let out = run(Command::new(zizmor[0])
        .args(&zizmor[1..])
        .args(["--offline", "--no-progress", ".github/workflows/release.yml", "action.yml"])
        .current_dir(repo()));
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn the_sdist_carries_the_prebuilt_plugins_and_resolves_alone() {
    let test = "the_sdist_carries_the_prebuilt_plugins_and_resolves_alone";
    let maturin = if works("maturin", &["--version"]) {
        vec!["maturin"]
    } else if works("python3", &["-m", "maturin", "--version"]) {
        vec!["python3", "-m", "maturin"]
    } else {
        return skip(test, "maturin is not installed");
    };
    // A copy of the checkout (tracked and new files), with the plugins this binary
    // embeds as host/prebuilt-plugins, where the release workflow puts them.
    let tmp = tree(&[]);
    let src = tmp.path().join("src");
    let files = run(Command::new("git")
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        .current_dir(repo()));
    assert!(files.status.success(), "{}", text(&files));
    for f in files.stdout.split(|b| *b == 0).filter(|f| !f.is_empty()) {
        let rel = String::from_utf8_lossy(f).into_owned();
        let from = repo().join(&rel);
        if from.is_file() {
            std::fs::create_dir_all(src.join(&rel).parent().unwrap()).unwrap();
            std::fs::copy(&from, src.join(&rel)).unwrap();
        }
    }
    let prebuilt = src.join("host/prebuilt-plugins");
    std::fs::create_dir_all(&prebuilt).unwrap();
    let mut listing = String::new();
    for name in ["dockerfile", "sql", "k8s", "ci", "backup", "maturity", "prometheus", "compose"] {
        let bytes = std::fs::read(Path::new(env!("OPSLINT_BUILT_PLUGINS_DIR")).join(format!("{name}.wasm"))).unwrap();
        listing.push_str(&format!("{}  {name}.wasm\n", sha256_hex(&bytes)));
        std::fs::write(prebuilt.join(format!("{name}.wasm")), bytes).unwrap();
    }
    std::fs::write(prebuilt.join("SHA256SUMS"), &listing).unwrap();
    let dist = tmp.path().join("dist");
    let out = run(Command::new(maturin[0]).args(&maturin[1..]).arg("sdist").arg("--out").arg(&dist).current_dir(&src));
    assert!(out.status.success(), "{}", text(&out));
    let sdist = dist.join(format!("opslint-{}.tar.gz", version()));
    let unpacked = tmp.path().join("unpacked");
    std::fs::create_dir_all(&unpacked).unwrap();
    assert!(run(Command::new("tar").arg("xzf").arg(&sdist).current_dir(&unpacked)).status.success());
    let root = unpacked.join(format!("opslint-{}", version()));
    assert_eq!(std::fs::read_to_string(root.join("host/prebuilt-plugins/SHA256SUMS")).unwrap(), listing);
    assert!(root.join("policies/maturity.toml").is_file() && root.join("host/build/plugins.rs").is_file());
    // The unpacked sdist is a workspace cargo can load on its own (no plugins workspace, no xtask).
    let meta = run(Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(&root));
    assert!(meta.status.success(), "{}", text(&meta));
}

#[test]
fn the_container_image_builds_and_checks_a_mounted_repository() {
    // Only where a container builder answers; building compiles everything (minutes).
    if !works("docker", &["info"]) {
        let _ = writeln!(std::io::stderr(), "SKIPPED the_container_image_builds_and_checks_a_mounted_repository: no container builder (`docker info` fails)");
        return;
    }
    if std::env::var_os("OPSLINT_TEST_IMAGE").is_none() {
        let _ = writeln!(std::io::stderr(), "SKIPPED the_container_image_builds_and_checks_a_mounted_repository: set OPSLINT_TEST_IMAGE=1 to build the image (a full release build)");
        return;
    }
    let tag = "opslint-test-image";
    let build = run(Command::new("docker").args(["build", "-t", tag, "."]).current_dir(repo()));
    assert!(build.status.success(), "{}", text(&build));
    let shop = repo().join("examples/shop");
    let out = run(Command::new("docker")
        .args(["run", "--rm", "-v"])
        .arg(format!("{}:/src:ro", shop.display()))
        .arg(tag)
        .args(["check", "."]));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("dockerfile/"), "{}", text(&out));
}

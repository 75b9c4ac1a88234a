//! The hostile-input matrix (issue 9). Every case runs the real binary over a
//! repository holding the hostile file(s) and one ordinary Dockerfile, and
//! checks the same things: a clear finding (or error) for the hostile input,
//! no panic, the ordinary file still reported (the rest of the run
//! completes), the repository byte-for-byte unchanged (nothing is written but
//! the requested report), and peak memory (ru_maxrss of the child) under a
//! bound. Time is never asserted; a hang would show as a test that never ends.
//!
//! Cases already covered in bad_input.rs (a binary Dockerfile with a NUL in
//! its head, an invalid byte located by line and column, a file over a small
//! `max-file-size`, chmod 000) are not repeated; the variants here are the
//! larger or nastier ones.
mod common;
use common::*;

use std::collections::BTreeMap;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// The ordinary file every case carries: its finding proves the run completed.
const SENTINEL: (&str, &[u8]) = ("sentinel/Dockerfile", b"FROM ubuntu:latest\n");
const MIB: u64 = 1024;

struct Outcome {
    code: i32,
    json: serde_json::Value,
    stderr: String,
    /// Peak resident set of the opslint process, KiB.
    rss_kib: u64,
}

impl Outcome {
    fn findings(&self) -> &[serde_json::Value] {
        self.json["findings"].as_array().unwrap()
    }

    fn rules_at(&self, path: &str) -> Vec<String> {
        let at = self.findings().iter().filter(|f| f["path"] == path);
        at.map(|f| f["rule"].as_str().unwrap().to_string()).collect()
    }

    fn message(&self, path: &str, rule: &str) -> String {
        let f = self.findings().iter().find(|f| f["path"] == path && f["rule"] == rule);
        let f = f.unwrap_or_else(|| panic!("no {rule} at {path}: {:#?}", self.findings()));
        f["message"].as_str().unwrap().to_string()
    }
}

/// Every file under `dir` (symlinks not followed) with its type and a hash of its contents.
fn snapshot(dir: &Path) -> BTreeMap<Vec<u8>, String> {
    use sha2::Digest;
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            let key = p.strip_prefix(dir).unwrap().as_os_str().as_bytes().to_vec();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            let t = meta.file_type();
            let what = if t.is_symlink() {
                format!("link -> {}", std::fs::read_link(&p).unwrap().display())
            } else if t.is_dir() {
                stack.push(p.clone());
                "dir".to_string()
            } else if t.is_file() {
                match std::fs::read(&p) {
                    Ok(bytes) => format!("file {:x}", sha2::Sha256::digest(&bytes)),
                    Err(_) => format!("unreadable file, {} bytes", meta.len()),
                }
            } else {
                "special".to_string()
            };
            out.insert(key, what);
        }
    }
    out
}

/// Runs `opslint check --format json ARGS` in `dir` and checks the invariants
/// every hostile case shares; `max_rss_mib` bounds the process's peak memory.
fn hostile(dir: &Path, args: &[&str], max_rss_mib: u64) -> Outcome {
    let before = snapshot(dir);
    let out_dir = tempfile::tempdir().unwrap();
    let (stdout_path, stderr_path) = (out_dir.path().join("stdout"), out_dir.path().join("stderr"));
    let child = std::process::Command::new(BIN)
        .args(["check", "--format", "json"])
        .args(args)
        .current_dir(dir)
        .env("OPSLINT_CACHE_DIR", cache_dir())
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).unwrap())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .expect("run opslint");
    let (code, rss_kib) = wait_with_peak(child);
    let stdout = std::fs::read_to_string(&stdout_path).unwrap();
    let stderr = std::fs::read_to_string(&stderr_path).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!([0, 1, 3].contains(&code), "exit {code}\n{stdout}\n{stderr}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\n{stderr}"));
    let outcome = Outcome { code, json, stderr, rss_kib };
    assert!(
        outcome.rules_at(SENTINEL.0).contains(&"dockerfile/latest-tag".to_string()),
        "the ordinary file was not reported: the run did not complete\n{:#?}\n{}",
        outcome.findings(),
        outcome.stderr
    );
    assert_eq!(snapshot(dir), before, "the run changed the repository");
    assert!(
        outcome.rss_kib < max_rss_mib * MIB,
        "peak memory {} MiB over the {max_rss_mib} MiB bound",
        outcome.rss_kib / MIB
    );
    eprintln!("peak memory: {} MiB", outcome.rss_kib / MIB);
    outcome
}

/// Waits for the child; returns its exit code and peak RSS (KiB): the
/// high-water mark `VmHWM` of /proc/PID/status, read every 5 ms until it
/// exits. (wait4's ru_maxrss would count this test process's own memory,
/// which a spawned child carries until it execs.) Only the last few ms
/// before exit can be missed; the kernel keeps the mark, so no earlier peak is.
fn wait_with_peak(mut child: std::process::Child) -> (i32, u64) {
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status.code().unwrap_or(-1), peak);
        }
        let hwm = std::fs::read_to_string(&status_file).ok().and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?.to_string();
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        });
        peak = peak.max(hwm.unwrap_or(0));
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// A repository with the sentinel and `files`.
fn repo_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let mut all = files.to_vec();
    all.push(SENTINEL);
    tree(&all)
}

fn misbehave_config(extra: &str) -> String {
    let (path, sha) = misbehave_plugin();
    format!("[plugins.misbehave]\npath = {:?}\nsha256 = \"{sha}\"\n{extra}", path.display().to_string())
}

#[test]
fn binary_file_named_dockerfile_with_a_text_head_or_utf16() {
    // Text for the first 8 KiB (so the NUL sniff passes), then 2 MB of machine code and NULs.
    let mut elf = "# looks like text\n".repeat(500).into_bytes();
    elf.extend((0..2_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    // A Dockerfile saved as UTF-16 without a byte order mark: every other byte is NUL
    // (with the mark it is text: bad_input.rs).
    let utf16: Vec<u8> = "FROM ubuntu:latest\r\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let dir = repo_with(&[("elf/Dockerfile", &elf), ("utf16/Dockerfile", &utf16)]);
    let out = hostile(dir.path(), &[], 150);
    assert_eq!(out.rules_at("utf16/Dockerfile"), ["opslint/binary-file"]);
    let elf_rules = out.rules_at("elf/Dockerfile");
    assert!(elf_rules.contains(&"opslint/invalid-utf8".to_string()), "{elf_rules:?}");
    assert!(!elf_rules.contains(&"opslint/plugin-failed".to_string()), "{elf_rules:?}");
}

#[test]
fn invalid_utf8_on_every_line_of_each_kind_of_file() {
    // Latin-1 text: a byte ≥ 0x80 on every line, 1 MB per file.
    let latin1 = |head: &str| {
        let mut v = head.as_bytes().to_vec();
        for i in 0..20_000 {
            v.extend_from_slice(b"# caf\xe9 ");
            v.extend_from_slice(format!("{i}\n").as_bytes());
        }
        v
    };
    let manifest = latin1(WEB_DEPLOYMENT);
    let sql = latin1("CREATE INDEX idx ON orders (id);\n");
    let workflow = latin1("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n");
    let dir =
        repo_with(&[("k8s/web.yaml", &manifest), ("db/V1__x.sql", &sql), (".github/workflows/ci.yml", &workflow)]);
    let out = hostile(dir.path(), &[], 150);
    for path in ["k8s/web.yaml", "db/V1__x.sql", ".github/workflows/ci.yml"] {
        let rules = out.rules_at(path);
        assert_eq!(
            rules.iter().filter(|r| *r == "opslint/invalid-utf8").count(),
            1,
            "{path}: once per file: {rules:?}"
        );
        assert!(rules.len() > 1, "{path} was still checked: {rules:?}");
        assert!(!rules.contains(&"opslint/plugin-failed".to_string()), "{path}: {rules:?}");
    }
}

#[test]
fn hundred_megabyte_file_is_refused_without_reading_it_all() {
    let dir = repo_with(&[]);
    let line = b"RUN echo padding padding padding padding padding padding padding padding\n";
    let mut body = b"FROM ubuntu:latest\n".to_vec();
    while body.len() < 100 << 20 {
        body.extend_from_slice(line);
    }
    std::fs::write(dir.path().join("Dockerfile"), &body).unwrap();
    std::fs::write(dir.path().join("huge.yaml"), body.repeat(1)).unwrap();
    drop(body);
    // Under the default max-file-size (5 MiB) only that much is ever read.
    let out = hostile(dir.path(), &[], 150);
    assert_eq!(out.rules_at("Dockerfile"), ["opslint/file-too-large"]);
    assert_eq!(out.rules_at("huge.yaml"), ["opslint/file-too-large"]);
    assert!(out.message("Dockerfile", "opslint/file-too-large").contains("max-file-size"));
}

#[test]
fn single_ten_megabyte_line_in_each_kind_of_file() {
    let big = "a".repeat(10 << 20);
    let docker = format!("FROM ubuntu:22.04\nRUN echo {big}\n");
    let manifest = format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  k: {big}\n");
    let sql = format!("CREATE INDEX idx ON t (c); INSERT INTO t VALUES ('{big}');\n");
    let workflow = format!("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo {big}\n");
    let dir = repo_with(&[
        ("opslint.toml", b"max-file-size = 33554432\n"),
        ("big/Dockerfile", docker.as_bytes()),
        ("k8s/big.yaml", manifest.as_bytes()),
        ("db/V1__big.sql", sql.as_bytes()),
        (".github/workflows/big.yml", workflow.as_bytes()),
    ]);
    drop(big);
    let out = hostile(dir.path(), &[], 400);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let failed: Vec<_> = out.findings().iter().filter(|f| f["rule"] == "opslint/plugin-failed").collect();
    assert!(failed.is_empty(), "{failed:#?}");
    // Each file was really checked: a rule of its plugin fired on it.
    assert!(out.rules_at("big/Dockerfile").contains(&"dockerfile/root-user".to_string()));
    assert!(
        out.rules_at("db/V1__big.sql").iter().any(|r| r.starts_with("sql/")),
        "{:?}",
        out.rules_at("db/V1__big.sql")
    );
    assert!(out.rules_at(".github/workflows/big.yml").iter().any(|r| r.starts_with("ci/")));
}

/// Nine levels of ten aliases each: a billion "lol"s if expanded.
fn billion_laughs(head: &str) -> String {
    let mut s = format!("{head}  a0: &a0 [{}]\n", ["\"lol\""; 10].join(","));
    for i in 1..10 {
        s.push_str(&format!("  a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 10].join(",")));
    }
    s
}

#[test]
fn yaml_billion_laughs() {
    let manifest = billion_laughs("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n");
    let workflow = billion_laughs("on: push\njobs:\n");
    let dir = repo_with(&[("k8s/lol.yaml", manifest.as_bytes()), (".github/workflows/lol.yml", workflow.as_bytes())]);
    let out = hostile(dir.path(), &[], 150);
    assert!(out.message("k8s/lol.yaml", "k8s/parse-error").contains("billion laughs"));
    assert!(out.message(".github/workflows/lol.yml", "ci/parse-error").contains("billion laughs"));
}

#[test]
fn yaml_nested_a_hundred_thousand_deep() {
    let n = 100_000;
    let flow = format!("apiVersion: v1\nkind: ConfigMap\ndata: {}{}\n", "[".repeat(n), "]".repeat(n));
    let maps = format!("a: {}1{}\n", "{a: ".repeat(n), "}".repeat(n));
    let block = format!("{}x\n", "- ".repeat(n));
    let unclosed = format!("on: {}\n", "[".repeat(n));
    let dir = repo_with(&[
        ("k8s/flow.yaml", flow.as_bytes()),
        ("k8s/maps.yaml", maps.as_bytes()),
        ("k8s/block.yaml", block.as_bytes()),
        (".github/workflows/deep.yml", unclosed.as_bytes()),
    ]);
    let out = hostile(dir.path(), &[], 150);
    for path in ["k8s/flow.yaml", "k8s/maps.yaml", "k8s/block.yaml"] {
        let msg = out.message(path, "k8s/parse-error");
        assert!(msg.contains("nested more than") || msg.contains("recursion limit"), "{path}: {msg}");
    }
    let msg = out.message(".github/workflows/deep.yml", "ci/parse-error");
    assert!(msg.contains("nested more than") || msg.contains("recursion limit"), "{msg}");
}

#[test]
fn symlink_loops() {
    let dir = repo_with(&[("k8s/web.yaml", WEB_DEPLOYMENT.as_bytes())]);
    let p = dir.path();
    std::os::unix::fs::symlink("Dockerfile.b", p.join("Dockerfile.a")).unwrap();
    std::os::unix::fs::symlink("Dockerfile.a", p.join("Dockerfile.b")).unwrap();
    std::os::unix::fs::symlink("..", p.join("k8s/up")).unwrap();
    std::os::unix::fs::symlink("self", p.join("self")).unwrap();
    // Walked: symlinks are not followed, so neither loop is entered.
    let out = hostile(p, &[], 150);
    assert!(out.rules_at("k8s/web.yaml").contains(&"k8s/missing-pdb".to_string()), "{:#?}", out.findings());
    // Named: the file cannot be opened, which is said.
    let out = hostile(p, &["Dockerfile.a", "k8s/up/k8s/web.yaml", SENTINEL.0], 150);
    let msg = out.message("Dockerfile.a", "opslint/unreadable-file");
    assert!(msg.contains("symbolic links"), "{msg}");
}

#[test]
fn unreadable_files_even_as_root() {
    let dir = repo_with(&[("locked/Dockerfile", b"FROM alpine:3.20\n")]);
    let p = dir.path();
    // A read error that root gets too: /proc/self/mem at offset 0 is unmapped (EIO).
    std::os::unix::fs::symlink("/proc/self/mem", p.join("Dockerfile")).unwrap();
    // A named pipe would block a reader forever.
    let fifo = std::ffi::CString::new(p.join("pipe/Dockerfile").as_os_str().as_bytes()).unwrap();
    std::fs::create_dir(p.join("pipe")).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let out = hostile(p, &["Dockerfile", "pipe/Dockerfile", SENTINEL.0], 150);
    assert!(out.message("Dockerfile", "opslint/unreadable-file").contains("cannot read"));
    assert!(out.message("pipe/Dockerfile", "opslint/unreadable-file").contains("named pipe"));

    // Permissions: only when they apply (not as root).
    use std::os::unix::fs::PermissionsExt;
    let locked = p.join("locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read_dir(&locked).is_ok() {
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipped the chmod 000 case: running as root, permissions do not stop reads");
        return;
    }
    let out = hostile(p, &[], 150);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(out.rules_at("locked").contains(&"opslint/unreadable-file".to_string()), "{:#?}", out.findings());
}

#[test]
fn non_utf8_file_name() {
    let dir = repo_with(&[]);
    let bad = std::ffi::OsStr::from_bytes(b"caf\xe9");
    std::fs::create_dir(dir.path().join(bad)).unwrap();
    std::fs::write(dir.path().join(bad).join("Dockerfile"), b"FROM ubuntu:latest\n").unwrap();
    std::fs::write(dir.path().join(std::ffi::OsStr::from_bytes(b"db\xff.sql")), b"CREATE INDEX i ON t (c);\n").unwrap();
    let out = hostile(dir.path(), &[], 150);
    // Shown (and matched by globs) with U+FFFD for the bad byte; still checked.
    assert!(out.rules_at("caf\u{fffd}/Dockerfile").contains(&"dockerfile/latest-tag".to_string()));
    assert!(out.rules_at("db\u{fffd}.sql").iter().any(|r| r.starts_with("sql/")), "{:#?}", out.findings());
}

#[test]
fn a_hundred_thousand_empty_files() {
    let dir = repo_with(&[]);
    for d in 0..100 {
        std::fs::create_dir_all(dir.path().join(format!("d{d:02}"))).unwrap();
    }
    for i in 0..100_000 {
        let d = format!("d{:02}", i % 100);
        let name = match i % 4 {
            0 => format!("{d}/f{i}.txt"),
            1 => format!("{d}/f{i}.yaml"),
            2 => format!("{d}/V{i}__m.sql"),
            _ => format!("{d}/f{i}.Dockerfile"),
        };
        std::fs::File::create(dir.path().join(name)).unwrap();
    }
    let out = hostile(dir.path(), &[], 300);
    assert_eq!(out.json["summary"]["files_checked"], 75_001, "{}", out.json["summary"]);
    // An empty Dockerfile is a parse error; empty YAML and SQL are fine.
    let n = out.findings().iter().filter(|f| f["rule"] == "dockerfile/parse-error").count();
    assert_eq!(n, 25_000);
    assert!(out.findings().iter().all(|f| f["rule"] != "opslint/plugin-failed"));
}

#[test]
fn a_plugin_returning_a_million_findings() {
    let cfg = misbehave_config("memory-mib = 1024\n");
    let dir = repo_with(&[
        ("opslint.toml", cfg.as_bytes()),
        ("a.misbehave", b"flood 1000000\n"),
        ("b.misbehave", b"flood 50000\n"),
        ("c.misbehave", b"hello\n"),
    ]);
    let out = hostile(dir.path(), &[], 600);
    assert_eq!(out.code, 3);
    // A million findings are more than the host copies out of a plugin (64 MiB).
    let msg = out.message("a.misbehave", "opslint/plugin-failed");
    assert!(msg.contains("more than 64 MiB"), "{msg}");
    assert_eq!(out.rules_at("a.misbehave"), ["opslint/plugin-failed"]);
    // Fewer, but over the 10,000 a plugin may report for one file: the first 10,000 are kept, and the excess said.
    let msg = out.message("b.misbehave", "opslint/plugin-failed");
    assert!(msg.contains("returned 50000 findings for `b.misbehave`") && msg.contains("first 10000"), "{msg}");
    assert_eq!(out.rules_at("b.misbehave").iter().filter(|r| *r == "misbehave/echo").count(), 10_000);
    assert_eq!(out.rules_at("c.misbehave"), ["misbehave/echo"]);
}

#[test]
fn a_large_repository_scope_batch_keeps_all_its_findings() {
    // 1,200 manifests in one k8s batch, about 10 findings each (default rules): over
    // 10,000 for the batch, far under the per-file cap; none may be dropped.
    let manifests: Vec<(String, String)> = (0..1200)
        .map(|i| (format!("k8s/web-{i:04}.yaml"), WEB_DEPLOYMENT.replace("name: web", &format!("name: web-{i}"))))
        .collect();
    let files: Vec<(&str, &[u8])> = manifests.iter().map(|(p, t)| (p.as_str(), t.as_bytes())).collect();
    let dir = repo_with(&files);
    let out = hostile(dir.path(), &[], 600);
    assert!(out.findings().iter().all(|f| f["rule"] != "opslint/plugin-failed"), "{}", out.stderr);
    let k8s = out.findings().iter().filter(|f| f["rule"].as_str().unwrap().starts_with("k8s/")).count();
    assert!(k8s > 10_000, "{k8s} k8s findings");
    assert_eq!(out.rules_at("k8s/web-1199.yaml"), out.rules_at("k8s/web-0000.yaml"));
}

#[test]
fn a_plugin_returning_a_gigabyte_string() {
    let cfg = misbehave_config("");
    let dir = repo_with(&[
        ("opslint.toml", cfg.as_bytes()),
        ("a.misbehave", b"huge 1073741824\n"),
        ("b.misbehave", b"huge 100000000\n"),
        ("c.misbehave", b"huge 5000\n"),
    ]);
    let out = hostile(dir.path(), &[], 600);
    assert_eq!(out.code, 3);
    // 1 GiB does not fit in the plugin's memory (512 MiB by default), let alone its output.
    let msg = out.message("a.misbehave", "opslint/plugin-failed");
    assert!(msg.contains("memory limit of 512 MiB"), "{msg}");
    // 100 MB fits in memory but not in the output limit.
    let msg = out.message("b.misbehave", "opslint/plugin-failed");
    assert!(msg.contains("more than 64 MiB"), "{msg}");
    // A long message that gets through is cut at 2,000 bytes.
    let msg = out.message("c.misbehave", "misbehave/echo");
    assert!(msg.len() <= 2004 && msg.ends_with('…'), "{} bytes", msg.len());
}

#[test]
fn only_the_requested_report_is_written() {
    let dir = repo_with(&[("k8s/web.yaml", WEB_DEPLOYMENT.as_bytes()), ("Dockerfile", b"\0\x01binary")]);
    let before = snapshot(dir.path());
    let run = opslint(dir.path(), &["check", "--format", "sarif", "--output", "report.sarif"]);
    assert!(run.code == 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.stdout, "", "the report goes to the file only");
    let mut after = snapshot(dir.path());
    assert!(after.remove(b"report.sarif".as_slice()).is_some(), "{after:?}");
    assert_eq!(after, before);
}

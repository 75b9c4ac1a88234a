//! The incremental findings cache (plugin/results.rs, one SQLite file:
//! plugin/findings_store.rs): a repeated run gives the same output from the
//! cache, an edit re-checks only what it touches, damaged or forged entries
//! and a damaged file are ignored and rewritten, entries unused for N runs or
//! past the size bound are evicted, concurrent runs share it, `--no-cache`
//! bypasses it, and repository-scope plugins see cross-file changes.
mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A cache directory of its own (so counts are this test's), sharing the
/// compiled plugins (and their checksums) of the common cache through symbolic links.
fn own_cache() -> tempfile::TempDir {
    let warm = tree(&[("Dockerfile", b"FROM alpine:3.20\n")]);
    opslint(warm.path(), &["check"]); // fills the common compiled-plugin cache
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(cache_dir()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "cwasm" || x == "mac") {
            std::os::unix::fs::symlink(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    dir
}

struct Out {
    code: i32,
    stdout: String,
    /// (documents reused, documents checked by plugins), from `-v`.
    counts: (usize, usize),
}

fn run(dir: &Path, cache: &Path, extra: &[&str]) -> Out {
    run_env(dir, cache, extra, &[]).0
}

/// A run with extra environment variables; also gives its stderr.
fn run_env(dir: &Path, cache: &Path, extra: &[&str], env: &[(&str, &str)]) -> (Out, String) {
    let out = Command::new(BIN)
        .args(["check", "-v"])
        .args(if extra.contains(&"--format") { &[][..] } else { &["--format", "json"][..] })
        .args(extra)
        .current_dir(dir)
        .env("OPSLINT_CACHE_DIR", cache)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let line = stderr.lines().find(|l| l.starts_with("findings cache: ")).unwrap_or_else(|| panic!("{stderr}"));
    let nums: Vec<usize> = line.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    let code = out.status.code().unwrap();
    (Out { code, stdout: String::from_utf8(out.stdout).unwrap(), counts: (nums[0], nums[1]) }, stderr)
}

fn rules_at(stdout: &str, path: &str) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(stdout).unwrap();
    let at = json["findings"].as_array().unwrap().iter().filter(|f| f["path"] == path);
    at.map(|f| f["rule"].as_str().unwrap().to_string()).collect()
}

fn store(cache: &Path) -> PathBuf {
    cache.join("findings-v2.sqlite")
}

/// The keys of the stored entries, sorted.
fn entries(cache: &Path) -> Vec<Vec<u8>> {
    if !store(cache).exists() {
        return Vec::new();
    }
    let db = rusqlite::Connection::open(store(cache)).unwrap();
    let mut st = db.prepare("SELECT key FROM entries ORDER BY key").unwrap();
    let keys = st.query_map([], |r| r.get(0)).unwrap().map(|k| k.unwrap()).collect();
    keys
}

const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n";

fn sample() -> tempfile::TempDir {
    let mut files: Vec<(String, Vec<u8>)> = (0..40)
        .map(|i| (format!("svc{i:02}/Dockerfile"), format!("FROM ubuntu:latest\nRUN echo {i}\n").into_bytes()))
        .collect();
    files.push(("k8s/web.yaml".into(), WEB_DEPLOYMENT.as_bytes().to_vec()));
    files.push(("k8s/service.yaml".into(), SERVICE.as_bytes().to_vec()));
    files.push(("db/V1__idx.sql".into(), b"CREATE INDEX idx ON orders (id);\n".to_vec()));
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
    tree(&refs)
}

#[test]
fn a_second_run_is_answered_from_the_cache_with_identical_output() {
    let (repo, cache) = (sample(), own_cache());
    let first = run(repo.path(), cache.path(), &[]);
    assert_eq!(first.counts.0, 0, "nothing cached yet");
    assert!(first.counts.1 >= 43, "{:?}", first.counts);
    let second = run(repo.path(), cache.path(), &[]);
    assert_eq!(second.stdout, first.stdout);
    assert_eq!(second.code, first.code);
    assert_eq!(second.counts, (first.counts.1, 0), "every document reused");
    // The other formats render from the same cached findings.
    let sarif = |c: &Path| run(repo.path(), c, &["--format", "sarif"]).stdout;
    assert_eq!(sarif(cache.path()), sarif(own_cache().path()));
}

/// The store is written on a thread of its own while the report is made:
/// a run that checks several times in one process (`--fix` checks again
/// after each fix pass) keeps every pass's entries, the last one's too
/// (the process waits for that write before it exits).
#[test]
fn every_pass_of_a_run_is_written_before_it_exits() {
    let fixable = "FROM alpine:3.20\nRUN apt-get update && apt-get install curl\n";
    let (repo, cache) = (tree(&[("Dockerfile", fixable.as_bytes())]), own_cache());
    let dockerfile = repo.path().join("Dockerfile");
    let fix = run(repo.path(), cache.path(), &["--fix"]);
    assert!(fix.counts.1 >= 2, "the file and its fixed text checked: {:?}", fix.counts);
    let fixed = std::fs::read_to_string(&dockerfile).unwrap();
    assert_ne!(fixed, fixable);
    let last = run(repo.path(), cache.path(), &[]);
    assert_eq!(last.counts.1, 0, "the last pass's entries were written: {:?}", last.counts);
    std::fs::write(&dockerfile, fixable).unwrap();
    let first = run(repo.path(), cache.path(), &[]);
    assert_eq!(first.counts.1, 0, "the first pass's entries were written: {:?}", first.counts);
}

#[test]
fn editing_a_file_rechecks_that_file_only() {
    let (repo, cache) = (sample(), own_cache());
    let first = run(repo.path(), cache.path(), &[]);
    std::fs::write(repo.path().join("svc07/Dockerfile"), "FROM alpine:3.20\nUSER app\n").unwrap();
    let second = run(repo.path(), cache.path(), &[]);
    // One Dockerfile checked again (dockerfile is file scope: the other files of
    // its batch are not), plus the evidence phase's batch (the backup plugin:
    // the evidence document and the two manifests), as the Dockerfile's evidence changed.
    assert!(second.counts.1 <= 4, "{:?}", second.counts);
    assert!(rules_at(&first.stdout, "svc07/Dockerfile").contains(&"dockerfile/latest-tag".to_string()));
    assert!(rules_at(&second.stdout, "svc07/Dockerfile").is_empty(), "{}", second.stdout);
    // Everything else reported as before.
    for i in [0, 6, 8, 39] {
        let p = format!("svc{i:02}/Dockerfile");
        assert_eq!(rules_at(&first.stdout, &p), rules_at(&second.stdout, &p), "{p}");
    }
    assert_eq!(rules_at(&first.stdout, "k8s/web.yaml"), rules_at(&second.stdout, "k8s/web.yaml"));
    // And the same as a run that uses no cache at all.
    let fresh = run(repo.path(), cache.path(), &["--no-cache"]);
    assert_eq!(fresh.stdout, second.stdout);
}

#[test]
fn damaged_or_forged_entries_are_ignored_and_rewritten() {
    let (repo, cache) = (sample(), own_cache());
    let first = run(repo.path(), cache.path(), &[]);
    let all = entries(cache.path());
    assert!(all.len() >= 43, "{}", all.len());
    // Flip a byte in one value, truncate another, empty a third, replace a
    // fourth with valid JSON saying "no findings" (its MAC no longer matches),
    // and give a fifth the MAC of a sixth.
    let db = rusqlite::Connection::open(store(cache.path())).unwrap();
    let value =
        |k: &[u8]| -> Vec<u8> { db.query_row("SELECT value FROM entries WHERE key = ?1", [k], |r| r.get(0)).unwrap() };
    let set = |k: &[u8], v: &[u8]| db.execute("UPDATE entries SET value = ?2 WHERE key = ?1", (k, v)).unwrap();
    let mac_of =
        |k: &[u8]| -> Vec<u8> { db.query_row("SELECT mac FROM entries WHERE key = ?1", [k], |r| r.get(0)).unwrap() };
    // The entries damaged below are ones with a value to damage: keys are
    // hashes, so which entries come first changes with every plugin build,
    // and a one-byte fact cannot lose its last but one byte.
    let mut all = all;
    all.sort_by_key(|k| value(k).len() < 4);
    let originals: Vec<(Vec<u8>, Vec<u8>)> = all[..5].iter().map(|k| (value(k), mac_of(k))).collect();
    let mut flipped = value(&all[0]);
    let last = flipped.len() - 2;
    flipped[last] ^= 0x20;
    set(&all[0], &flipped);
    let half = value(&all[1]);
    set(&all[1], &half[..half.len() / 2]);
    set(&all[2], b"");
    set(&all[3], br#"{"output":{"findings":[],"evidence":[]},"logs":[]}"#);
    let mac: Vec<u8> = db.query_row("SELECT mac FROM entries WHERE key = ?1", [&all[5]], |r| r.get(0)).unwrap();
    db.execute("UPDATE entries SET mac = ?2 WHERE key = ?1", (&all[4], &mac)).unwrap();
    // Every other entry forged too (a MAC of zeros): a file's fact for a plugin
    // that splits its work (plugin/split.rs) is read only when its batch's
    // entry does not answer, so this makes the run read every entry.
    for k in &all[5..] {
        db.execute("UPDATE entries SET mac = zeroblob(length(mac)) WHERE key = ?1", [k]).unwrap();
    }
    drop(db);
    let second = run(repo.path(), cache.path(), &[]);
    assert_eq!(second.stdout, first.stdout, "damaged entries change nothing");
    // Each damaged entry was checked again and written back as it was. (How many
    // documents that re-checks depends on which batches the first five keys are.)
    assert!(second.counts.1 >= 1, "the damaged ones were checked again: {:?}", second.counts);
    let now = |k: &[u8]| -> (Vec<u8>, Vec<u8>) {
        let db = rusqlite::Connection::open(store(cache.path())).unwrap();
        db.query_row("SELECT value, mac FROM entries WHERE key = ?1", [k], |r| Ok((r.get(0)?, r.get(1)?))).unwrap()
    };
    for (k, original) in all[..5].iter().zip(&originals) {
        assert!(now(k) == *original, "entry {k:?} rewritten as it was");
    }
    let third = run(repo.path(), cache.path(), &[]);
    assert_eq!(third.stdout, first.stdout);
    assert_eq!(third.counts.1, 0, "and rewritten: {:?}", third.counts);
}

#[test]
fn a_damaged_store_is_rebuilt_with_a_warning() {
    let (repo, cache) = (sample(), own_cache());
    let first = run(repo.path(), cache.path(), &[]);
    let len = std::fs::metadata(store(cache.path())).unwrap().len();
    let garbage: Vec<u8> = (0..len).map(|i| (i * 7919 % 251) as u8).collect();
    type Damage<'a> = Box<dyn Fn(&Path) + 'a>;
    let damage: [(&str, Damage); 3] = [
        ("garbage", Box::new(|p| std::fs::write(p, &garbage).unwrap())),
        ("truncated", Box::new(|p| std::fs::OpenOptions::new().write(true).open(p).unwrap().set_len(len / 3).unwrap())),
        (
            "a page overwritten",
            Box::new(|p| {
                let mut bytes = std::fs::read(p).unwrap();
                bytes[4096..8192].fill(0x5a);
                std::fs::write(p, bytes).unwrap();
            }),
        ),
    ];
    for (what, damage) in damage {
        damage(&store(cache.path()));
        let (second, stderr) = run_env(repo.path(), cache.path(), &[], &[]);
        assert_eq!(second.stdout, first.stdout, "{what}: the same findings");
        assert!(stderr.contains("findings cache") && stderr.contains("damaged"), "{what}: warned: {stderr}");
        let third = run(repo.path(), cache.path(), &[]);
        assert_eq!(third.stdout, first.stdout, "{what}");
        assert_eq!(third.counts.1, 0, "{what}: rebuilt, then reused: {:?}", third.counts);
    }
}

#[test]
fn entries_written_under_another_key_are_not_trusted() {
    let (repo, cache) = (sample(), own_cache());
    let keys = tempfile::tempdir().unwrap();
    let (a, b) = (keys.path().join("a.key"), keys.path().join("b.key"));
    let with = |k: &Path| run_env(repo.path(), cache.path(), &[], &[("OPSLINT_CACHE_KEY_FILE", k.to_str().unwrap())]).0;
    let first = with(&a);
    assert_eq!(with(&a).counts.1, 0, "the same key reuses everything");
    let other = with(&b);
    assert_eq!(other.counts.0, 0, "another user's (or a restored) store is checked again: {:?}", other.counts);
    assert_eq!(other.stdout, first.stdout);
}

#[test]
fn entries_unused_for_n_runs_or_past_the_size_bound_are_evicted() {
    let (repo, cache) = (sample(), own_cache());
    let other = tree(&[("Dockerfile", b"FROM alpine:3.20\n")]);
    let runs = [("OPSLINT_FINDINGS_CACHE_RUNS", "2")];
    // A run on the other repository that stores something (a new Dockerfile each time).
    let mut n = 0;
    let mut elsewhere = || {
        n += 1;
        std::fs::write(other.path().join("Dockerfile"), format!("FROM alpine:3.{n}\n")).unwrap();
        run_env(other.path(), cache.path(), &[], &runs);
    };
    run_env(repo.path(), cache.path(), &[], &runs);
    let stored = entries(cache.path()).len();
    // A run that only reuses entries writes nothing and does not count.
    assert_eq!(run_env(repo.path(), cache.path(), &[], &runs).0.counts.1, 0);
    elsewhere();
    elsewhere();
    assert!(entries(cache.path()).len() > stored, "kept for 2 unused runs");
    // The third evicts them; the other repository's stay.
    elsewhere();
    let left = entries(cache.path()).len();
    assert!(left > 0 && left < stored, "{left} of {stored}");
    let again = run_env(repo.path(), cache.path(), &[], &runs).0;
    assert!(again.counts.1 >= 43, "the sample is checked again: {:?}", again.counts);
    // A bound of 0 MiB keeps nothing.
    elsewhere();
    std::fs::write(repo.path().join("new.sql"), "CREATE INDEX i ON t (c);\n").unwrap();
    run_env(repo.path(), cache.path(), &[], &[("OPSLINT_FINDINGS_CACHE_MIB", "0")]);
    assert!(entries(cache.path()).is_empty());
    assert_eq!(run(repo.path(), cache.path(), &[]).counts.0, 0);
}

#[test]
fn the_one_file_per_entry_cache_of_older_versions_is_removed() {
    let (repo, cache) = (sample(), own_cache());
    let old = cache.path().join("findings-v1").join("ab");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join("ab01"), b"old entry").unwrap();
    run(repo.path(), cache.path(), &[]);
    assert!(!cache.path().join("findings-v1").exists());
}

#[test]
fn no_cache_neither_reads_nor_writes_it() {
    let (repo, cache) = (sample(), own_cache());
    let first = run(repo.path(), cache.path(), &["--no-cache"]);
    assert_eq!(first.counts.0, 0);
    assert!(entries(cache.path()).is_empty(), "nothing written");
    run(repo.path(), cache.path(), &[]);
    let bypass = run(repo.path(), cache.path(), &["--no-cache"]);
    assert_eq!(bypass.counts.0, 0, "nothing read");
    assert_eq!(bypass.stdout, first.stdout);
}

#[test]
fn cross_file_rules_see_a_change_in_another_file() {
    let (repo, cache) = (sample(), own_cache());
    let selects_nothing =
        |out: &Out| rules_at(&out.stdout, "k8s/service.yaml").contains(&"k8s/selects-nothing".to_string());
    let first = run(repo.path(), cache.path(), &[]);
    assert!(!selects_nothing(&first), "the Service selects the Deployment's pods: {}", first.stdout);
    // Only the Deployment's labels change; the Service's file is untouched.
    let relabelled = WEB_DEPLOYMENT.replace("app: web", "app: web-v2");
    assert_ne!(relabelled, WEB_DEPLOYMENT);
    std::fs::write(repo.path().join("k8s/web.yaml"), relabelled).unwrap();
    let second = run(repo.path(), cache.path(), &[]);
    assert!(selects_nothing(&second), "{}", second.stdout);
    // And back: the first run's entry answers again.
    std::fs::write(repo.path().join("k8s/web.yaml"), WEB_DEPLOYMENT).unwrap();
    let third = run(repo.path(), cache.path(), &[]);
    assert_eq!(third.stdout, first.stdout);
    assert_eq!(third.counts.1, 0, "{:?}", third.counts);
}

#[test]
fn concurrent_runs_share_the_cache_safely() {
    let (repo, cache) = (sample(), own_cache());
    let expected = run(repo.path(), cache.path(), &["--no-cache"]).stdout;
    let outs: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4).map(|_| s.spawn(|| run(repo.path(), cache.path(), &[]).stdout)).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for out in outs {
        assert_eq!(out, expected);
    }
    let after = run(repo.path(), cache.path(), &[]);
    assert_eq!(after.stdout, expected);
    assert_eq!(after.counts.1, 0);
    // Nothing but the compiled plugins (code, MAC, metadata), the store and kept walks.
    for e in std::fs::read_dir(cache.path()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        let walk = name.starts_with("walk-") && name.ends_with(".bin");
        let ours =
            [".cwasm", ".mac", ".meta"].iter().any(|x| name.ends_with(x)) || name == "findings-v2.sqlite" || walk;
        assert!(ours, "{name}");
    }
}

#[test]
fn concurrent_runs_on_different_files_lose_no_entries() {
    let cache = own_cache();
    let repos: Vec<_> = (0..3).map(|_| sample()).collect();
    for (i, r) in repos.iter().enumerate() {
        std::fs::write(r.path().join("extra.sql"), format!("CREATE INDEX i{i} ON t (c);\n")).unwrap();
    }
    let expected: Vec<String> = repos.iter().map(|r| run(r.path(), cache.path(), &["--no-cache"]).stdout).collect();
    let cache_dir = cache.path();
    std::thread::scope(|s| {
        for (r, want) in repos.iter().zip(&expected) {
            s.spawn(move || assert_eq!(&run(r.path(), cache_dir, &[]).stdout, want));
        }
    });
    for (r, want) in repos.iter().zip(&expected) {
        let after = run(r.path(), cache.path(), &[]);
        assert_eq!(&after.stdout, want);
        assert_eq!(after.counts.1, 0, "every run's entries were written: {:?}", after.counts);
    }
}

#[test]
fn a_run_over_named_files_reuses_the_full_scans_entries() {
    let (repo, cache) = (sample(), own_cache());
    let full = run(repo.path(), cache.path(), &[]);
    assert!(full.counts.1 > 0, "{:?}", full.counts);
    // What a pre-commit hook runs: a manifest and a Dockerfile. The k8s plugin
    // still reads every manifest, and asks what the full scan asked.
    let named = run(repo.path(), cache.path(), &["k8s/service.yaml", "svc03/Dockerfile"]);
    assert_eq!(named.counts.1, 0, "nothing checked again: {:?}", named.counts);
    assert!(named.counts.0 > 0);
    let fresh = run(repo.path(), own_cache().path(), &["k8s/service.yaml", "svc03/Dockerfile"]);
    assert_eq!(named.stdout, fresh.stdout);
}

/// A run whose every input is an earlier run's replays that run's record
/// (app/check/memo.rs): the same output, counted the same. A change to any
/// input (a file, the configuration, the arguments, the date that decides
/// whether a suppression has expired) is a run of its own.
#[test]
fn an_unchanged_run_is_replayed_and_any_changed_input_runs_again() {
    let (repo, cache) = (sample(), own_cache());
    let suppressed = "# opslint: ignore[dockerfile/latest-tag] reason=\"pinned by the mirror\" until=2026-12-31\nFROM ubuntu:latest\n";
    std::fs::write(repo.path().join("svc00/Dockerfile"), suppressed).unwrap();
    let go = |extra: &[&str], today: &str| {
        let (out, stderr) = run_env(repo.path(), cache.path(), extra, &[("OPSLINT_TODAY", today)]);
        (out, stderr.contains("from the findings cache (inputs unchanged)"))
    };
    let (first, replayed) = go(&[], "2026-06-15");
    assert!(!replayed);
    let (second, replayed) = go(&[], "2026-06-15");
    assert!(replayed, "an unchanged run is replayed");
    assert_eq!((second.stdout.as_str(), second.code), (first.stdout.as_str(), first.code));
    assert_eq!(second.counts, (first.counts.1, 0), "counted as the run it replays");
    // Another format is another run; then replayed in turn.
    assert!(!go(&["--format", "sarif"], "2026-06-15").1);
    assert!(go(&["--format", "sarif"], "2026-06-15").1);
    assert!(!go(&["--select", "dockerfile"], "2026-06-15").1);
    // The suppression expires with the date alone.
    let (expired, replayed) = go(&[], "2027-01-02");
    assert!(!replayed, "a new date is a new run");
    assert!(expired.stdout.contains("opslint/suppression-expired"), "{}", expired.stdout);
    // The configuration: a rule's severity.
    std::fs::write(repo.path().join("opslint.toml"), "[rules.severity]\n\"dockerfile/latest-tag\" = \"low\"\n")
        .unwrap();
    let (configured, replayed) = go(&[], "2026-06-15");
    assert!(!replayed, "a new configuration is a new run");
    assert_ne!(configured.stdout, first.stdout);
    std::fs::remove_file(repo.path().join("opslint.toml")).unwrap();
    assert!(go(&[], "2026-06-15").1, "the first configuration's record again");
    // A file. The run's entries and its record are written as one run of the store's count.
    let runs = || -> i64 {
        let db = rusqlite::Connection::open(store(cache.path())).unwrap();
        db.query_row("SELECT value FROM meta WHERE name = 'run'", [], |r| r.get(0)).unwrap()
    };
    let before = runs();
    std::fs::write(repo.path().join("svc07/Dockerfile"), "FROM alpine:3.20\nUSER app\n").unwrap();
    let (edited, replayed) = go(&[], "2026-06-15");
    assert!(!replayed, "an edit is a new run");
    assert_eq!(runs(), before + 1);
    assert!(go(&[], "2026-06-15").1, "and its record is kept");
    assert!(rules_at(&edited.stdout, "svc07/Dockerfile").is_empty(), "{}", edited.stdout);
}

/// A replayed run's report, as rendered, is kept too and written out again
/// when nothing else it depends on changed: not when coloured where it was
/// not, nor when the baseline it is filtered by was edited (then the run's
/// record is rendered anew, and that report is kept in turn).
#[test]
fn a_kept_report_is_written_out_again_only_for_the_same_colour_and_baseline() {
    let (repo, cache) = (sample(), own_cache());
    // A finding `--fix` fixes: the report's notes say so.
    std::fs::write(repo.path().join("svc00/Dockerfile"), "FROM alpine:3.20\nADD app.py /app/\n").unwrap();
    let how = |stderr: &str| {
        if stderr.contains("the run's report from the findings cache (inputs unchanged)") {
            "report"
        } else if stderr.contains("the run's record from the findings cache (inputs unchanged)") {
            "record"
        } else {
            "run"
        }
    };
    let go = |extra: &[&str]| {
        let args: Vec<&str> = ["--format", "human"].iter().chain(extra).copied().collect();
        let (out, stderr) = run_env(repo.path(), cache.path(), &args, &[]);
        (out, how(&stderr).to_string(), stderr)
    };
    let (first, seen, first_err) = go(&[]);
    assert_eq!(seen, "run");
    let (second, seen, second_err) = go(&[]);
    assert_eq!(seen, "report");
    assert_eq!(
        (second.stdout.as_str(), second.code, second.counts),
        (first.stdout.as_str(), first.code, (first.counts.1, 0))
    );
    let notes = |e: &str| e.lines().filter(|l| l.starts_with("hint:")).map(str::to_string).collect::<Vec<_>>();
    assert!(!notes(&first_err).is_empty(), "{first_err}");
    assert_eq!(notes(&second_err), notes(&first_err));
    // Coloured: the record rendered anew, then that report kept.
    let (colored, seen, _) = go(&["--color", "always"]);
    assert_eq!(seen, "record");
    assert!(colored.stdout.contains("\x1b["), "{}", colored.stdout);
    assert_eq!(go(&["--color", "always"]).1, "report");
    assert_eq!(go(&[]).0.stdout, first.stdout, "the plain report is still the plain one");
    // A baseline (outside the tree, so not one of its files) accepting every
    // finding, then one accepting none. The baseline's path is an argument: a run of its own.
    let outside = tempfile::tempdir().unwrap();
    let path = outside.path().join("accepted.json");
    let path_arg = path.to_str().unwrap();
    let out = Command::new(BIN)
        .args(["baseline", "--output", path_arg])
        .current_dir(repo.path())
        .env("OPSLINT_CACHE_DIR", cache.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (all_accepted, seen, _) = go(&["--baseline", path_arg]);
    assert_eq!(seen, "run");
    assert_eq!(all_accepted.code, 0, "{}", all_accepted.stdout);
    assert_eq!(go(&["--baseline", path_arg]).1, "report");
    let mut baseline: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    baseline["findings"] = serde_json::json!([]);
    std::fs::write(&path, serde_json::to_string(&baseline).unwrap()).unwrap();
    let (none_accepted, seen, _) = go(&["--baseline", path_arg]);
    assert_eq!(seen, "record", "an edited baseline is a report of its own");
    assert_eq!((none_accepted.stdout.as_str(), none_accepted.code), (first.stdout.as_str(), first.code));
    assert_eq!(go(&["--baseline", path_arg]).1, "report");
}

/// A run in which a plugin failed keeps no record: the failure (a trap here; a
/// timeout or a memory overrun alike) is not a function of the inputs, and the
/// next run checks the files again.
#[test]
fn a_run_in_which_a_plugin_failed_is_not_replayed() {
    let (path, sha) = misbehave_plugin();
    let cfg = format!("[plugins.misbehave]\npath = {:?}\nsha256 = \"{sha}\"\n", path.display().to_string());
    let repo =
        tree(&[("opslint.toml", cfg.as_bytes()), ("a.misbehave", b"trap\n"), ("Dockerfile", b"FROM alpine:3.20\n")]);
    let cache = own_cache();
    let replayed = |stderr: &str| stderr.contains("from the findings cache (inputs unchanged)");
    let (first, stderr) = run_env(repo.path(), cache.path(), &[], &[]);
    assert!(first.stdout.contains("opslint/plugin-failed") && !replayed(&stderr), "{}", first.stdout);
    let (second, stderr) = run_env(repo.path(), cache.path(), &[], &[]);
    assert!(!replayed(&stderr), "{stderr}");
    assert!(second.counts.1 >= 1, "the failed file is checked again: {:?}", second.counts);
    assert_eq!(second.stdout, first.stdout);
}

/// A folder-scope plugin (the SQL plugin) checks a large repository in
/// several batches of whole folders: a migration's other files in its
/// folder still count (a table created by one step is new to the next), and
/// an edit re-checks the edited file's batch only, not every SQL file.
#[test]
fn a_folder_scope_plugin_rechecks_the_edited_folders_batch_only() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    for f in 0..40 {
        for i in 0..12 {
            let table = format!("t{f}_{i}");
            write(
                &format!("svc{f}/db/migrations/V{i}__add_{table}.sql"),
                &format!("CREATE TABLE {table} (id bigint PRIMARY KEY, note text, created_at timestamptz);\n"),
            );
        }
    }
    // One migration in two files (a step each): the index is on a table its first step made.
    let unit = "svc7/persistence/sql/migrations";
    write(&format!("{unit}/20210410175418000001_jobs.postgres.up.sql"), "CREATE TABLE jobs (id bigint);\n");
    write(&format!("{unit}/20210410175418000002_jobs.postgres.up.sql"), "CREATE INDEX jobs_id ON jobs (id);\n");
    // The same index in a folder of its own: on a table that exists already.
    write(
        "svc8/persistence/sql/migrations/20210410175418000002_jobs.postgres.up.sql",
        "CREATE INDEX jobs_id ON jobs (id);\n",
    );
    let cache = own_cache();
    let args = ["--select", "sql", "--fail-on", "high", "."];
    let (first, stderr) = run_env(dir.path(), cache.path(), &args, &[]);
    let total = 40 * 12 + 3;
    assert_eq!(first.counts, (0, total), "{stderr}");
    let batches = stderr.lines().filter(|l| l.starts_with("[sql] batch of ")).count();
    assert!((2..=8).contains(&batches), "{batches} batches:\n{stderr}");
    let index_findings = |stdout: &str| -> Vec<String> {
        let json: serde_json::Value = serde_json::from_str(stdout).unwrap();
        let findings = json["findings"].as_array().unwrap().iter();
        let index = findings.filter(|f| f["rule"] == "sql/create-index-non-concurrently");
        index.map(|f| f["path"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(
        index_findings(&first.stdout),
        ["svc8/persistence/sql/migrations/20210410175418000002_jobs.postgres.up.sql"]
    );

    write("svc3/db/migrations/V5__add_t3_5.sql", "CREATE TABLE t3_5 (id bigint PRIMARY KEY);\nDELETE FROM t3_4;\n");
    let (edited, stderr) = run_env(dir.path(), cache.path(), &args, &[]);
    let (reused, checked) = edited.counts;
    assert_eq!(reused + checked, total);
    // The edited file's batch: its folder's 12 files and the other folders hashed with it.
    assert!((12..total / 2).contains(&checked), "{checked} checked:\n{stderr}");
    assert_eq!(index_findings(&edited.stdout), index_findings(&first.stdout));
    assert!(rules_at(&edited.stdout, "svc3/db/migrations/V5__add_t3_5.sql").contains(&"sql/missing-where".to_string()));
}

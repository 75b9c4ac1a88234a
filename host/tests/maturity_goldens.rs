//! The maturity assessment measured against hand-judged verdicts: every
//! sample repository under tests/maturity/samples/<name>/ (golden
//! tests/maturity/samples/<name>.toml) and every real repository snapshot in
//! ../shared/repos/<repo> (golden tests/maturity/real/<repo>.toml), each run
//! through the real binary with `opslint maturity --format json` (which writes
//! nothing, so the snapshots stay read-only).
//!
//! A golden records the truth as judged by reading the repository: per
//! criterion a `verdict` (pass / fail / not-assessed), a one-line `why`,
//! optionally `also` (another verdict that is right too, e.g. "not assessed"
//! where opslint cannot read the CI system) and `known-wrong = "why"` where
//! opslint is still wrong: the test reports those (never silently) and fails
//! on any other difference, and on a `known-wrong` that has become right.
//!
//! `OPSLINT_GOLDENS_MARK=1` rewrites only the `known-wrong` markers (never a
//! verdict): removes those that became right, adds one (with opslint's
//! reason) for each new difference. Read the diff before committing it.
//!
//! The table of right / false pass / false fail per repository is printed
//! (`cargo test --test maturity_goldens -- --nocapture`) and written to
//! target/tmp/maturity-goldens.md.
mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use common::{opslint, repo, shared_input};

struct Golden {
    file: PathBuf,
    name: String,
    dir: PathBuf,
    level: u32,
    level_known_wrong: Option<String>,
    criteria: BTreeMap<String, Expected>,
}

struct Expected {
    verdict: String,
    also: Option<String>,
    known_wrong: Option<String>,
}

fn load(file: &Path, dir: PathBuf) -> Golden {
    let text = std::fs::read_to_string(file).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let s = |t: &toml::Table, k: &str| t.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let criteria = doc["criteria"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(id, v)| {
            let t = v.as_table().unwrap();
            for key in t.keys() {
                assert!(
                    ["verdict", "why", "also", "known-wrong"].contains(&key.as_str()),
                    "{}: {id}.{key}",
                    file.display()
                );
            }
            let e =
                Expected { verdict: s(t, "verdict").unwrap(), also: s(t, "also"), known_wrong: s(t, "known-wrong") };
            assert!(s(t, "why").is_some_and(|w| !w.is_empty()), "{}: {id} needs a why", file.display());
            for v in std::iter::once(&e.verdict).chain(&e.also) {
                assert!(["pass", "fail", "not-assessed"].contains(&v.as_str()), "{}: {id}: {v}", file.display());
            }
            (id.clone(), e)
        })
        .collect();
    Golden {
        file: file.to_path_buf(),
        name: file.file_stem().unwrap().to_string_lossy().into_owned(),
        dir,
        level: doc["level"].as_integer().unwrap() as u32,
        level_known_wrong: s(&doc, "level-known-wrong"),
        criteria,
    }
}

fn goldens(folder: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join(folder))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[derive(Default)]
struct Tally {
    right: usize,
    false_pass: usize,
    false_fail: usize,
    other: usize,
    known: usize,
}

struct Outcome {
    /// Per criterion: `Some(why)` when opslint is wrong on it (for the marker), `None` when right.
    wrong: BTreeMap<String, Option<String>>,
    /// `Some(why)` when the level is wrong.
    level_wrong: Option<String>,
    tally: Tally,
    level: (u32, u32),
    problems: Vec<String>,
    notes: Vec<String>,
}

fn judge(g: &Golden) -> Outcome {
    let run = opslint(&repo(), &["maturity", "--format", "json", g.dir.to_str().unwrap()]);
    assert!(run.code == 0 || run.code == 1, "{}: exit {}\n{}", g.name, run.code, run.stderr);
    let doc = run.json();
    let mut out = Outcome {
        wrong: BTreeMap::new(),
        level_wrong: None,
        tally: Tally::default(),
        level: (0, 0),
        problems: Vec::new(),
        notes: Vec::new(),
    };
    let got: BTreeMap<String, (String, String)> = doc["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let id = c["id"].as_str().unwrap().to_string();
            (id, (c["verdict"].as_str().unwrap().to_string(), c["reason"].as_str().unwrap_or("").to_string()))
        })
        .collect();
    for id in got.keys() {
        if !g.criteria.contains_key(id) {
            out.problems.push(format!("{}: criterion `{id}` has no golden verdict", g.name));
        }
    }
    for (id, e) in &g.criteria {
        let Some((verdict, reason)) = got.get(id) else {
            out.problems.push(format!("{}: golden criterion `{id}` is not in the rubric", g.name));
            continue;
        };
        let right = verdict == &e.verdict || e.also.as_ref() == Some(verdict);
        out.wrong.insert(id.clone(), (!right).then(|| format!("opslint says {verdict}: {reason}")));
        let t = &mut out.tally;
        if right {
            t.right += 1;
        } else if verdict == "pass" {
            t.false_pass += 1;
        } else if e.verdict == "pass" {
            t.false_fail += 1;
        } else {
            t.other += 1;
        }
        match (&e.known_wrong, right) {
            (Some(why), false) => {
                t.known += 1;
                out.notes.push(format!(
                    "{}: {id}: known wrong ({why}): opslint says {verdict}, expected {}",
                    g.name, e.verdict
                ));
            }
            (Some(_), true) => out.problems.push(format!(
                "{}: {id} is marked known-wrong but opslint is now right ({verdict}): remove the marker",
                g.name
            )),
            (None, false) => out
                .problems
                .push(format!("{}: {id}: opslint says {verdict} ({reason}), the golden says {}", g.name, e.verdict)),
            (None, true) => {}
        }
    }
    let level = doc["level"].as_u64().unwrap() as u32;
    out.level = (level, g.level);
    out.level_wrong = (level != g.level).then(|| format!("opslint says level {level}"));
    match (&g.level_known_wrong, level == g.level) {
        (Some(why), false) => {
            out.notes.push(format!("{}: level known wrong ({why}): {level}, expected {}", g.name, g.level))
        }
        (Some(_), true) => {
            out.problems.push(format!("{}: level is marked known-wrong but is now right: remove the marker", g.name))
        }
        (None, false) => out.problems.push(format!("{}: level {level}, the golden says {}", g.name, g.level)),
        (None, true) => {}
    }
    out
}

fn measure(set: &str, goldens: &[Golden]) -> (String, Vec<String>) {
    let mut table = format!(
        "### {set}\n\n| repository | right | false pass | false fail | other | known-wrong | level (got / truth) |\n|---|---|---|---|---|---|---|\n"
    );
    let mut problems = Vec::new();
    let mut total = Tally::default();
    let mut levels_right = 0;
    for g in goldens {
        let o = judge(g);
        let t = &o.tally;
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} | {} | {} | {} / {}{} |",
            g.name,
            t.right,
            t.false_pass,
            t.false_fail,
            t.other,
            t.known,
            o.level.0,
            o.level.1,
            if o.level.0 == o.level.1 { "" } else { " ✗" }
        );
        levels_right += usize::from(o.level.0 == o.level.1);
        total.right += t.right;
        total.false_pass += t.false_pass;
        total.false_fail += t.false_fail;
        total.other += t.other;
        total.known += t.known;
        for n in &o.notes {
            eprintln!("notice: {n}");
        }
        if std::env::var("OPSLINT_GOLDENS_MARK").as_deref() == Ok("1") {
            mark(g, &o);
        } else {
            problems.extend(o.problems);
        }
    }
    let n = total.right + total.false_pass + total.false_fail + total.other;
    let _ = writeln!(
        table,
        "| **total** | {} ({:.1} %) | {} | {} | {} | {} | {levels_right}/{} right |",
        total.right,
        100.0 * total.right as f64 / n.max(1) as f64,
        total.false_pass,
        total.false_fail,
        total.other,
        total.known,
        goldens.len()
    );
    (table, problems)
}

/// Rewrites the golden's `known-wrong` markers to what this run found (verdicts untouched).
fn mark(g: &Golden, o: &Outcome) {
    let text = std::fs::read_to_string(&g.file).unwrap();
    let quote = |s: &str| format!("{:?}", s.replace('`', "'"));
    let mut out = String::new();
    let mut section: Option<String> = None;
    for line in text.lines() {
        if line.starts_with("known-wrong = ") || line.starts_with("level-known-wrong = ") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if let Some(id) = line.strip_prefix("[criteria.").and_then(|l| l.strip_suffix(']')) {
            section = Some(id.to_string());
        }
        if line.starts_with("level-why = ") {
            if let Some(why) = &o.level_wrong {
                out.push_str(&format!("level-known-wrong = {}\n", quote(why)));
            }
        }
        if line.starts_with("why = ") {
            if let Some(Some(why)) = section.as_ref().and_then(|id| o.wrong.get(id)) {
                out.push_str(&format!("known-wrong = {}\n", quote(why)));
            }
        }
    }
    std::fs::write(&g.file, out).unwrap();
}

fn report(table: &str) {
    eprintln!("{table}");
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let file = out.join("maturity-goldens.md");
    let mut text = std::fs::read_to_string(&file).unwrap_or_default();
    // One section per set, replaced on each run.
    let head = table.lines().next().unwrap_or("").to_string();
    if let Some(start) = text.find(&head) {
        let end = text[start + head.len()..].find("\n### ").map_or(text.len(), |i| start + head.len() + i + 1);
        text.replace_range(start..end, "");
    }
    text.push_str(table);
    text.push('\n');
    std::fs::write(file, text).unwrap();
}

#[test]
fn sample_repositories_match_their_golden_verdicts() {
    let goldens: Vec<Golden> = goldens("tests/maturity/samples")
        .iter()
        .map(|f| {
            let dir = f.with_extension("");
            assert!(dir.is_dir(), "{} has no sample folder", f.display());
            load(f, dir)
        })
        .collect();
    assert!(goldens.len() >= 12, "at least 12 sample repositories");
    for level in 0..=3 {
        assert!(goldens.iter().any(|g| g.level == level), "a sample at level {level}");
    }
    let (table, problems) = measure("sample repositories", &goldens);
    report(&table);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn real_repositories_match_their_golden_verdicts() {
    let Some(shared) = shared_input("repos") else { return };
    let goldens: Vec<Golden> = goldens("tests/maturity/real")
        .iter()
        .map(|f| {
            let name = f.file_stem().unwrap().to_string_lossy().into_owned();
            load(f, shared.join(&name))
        })
        .filter(|g| {
            let here = g.dir.is_dir();
            if !here {
                eprintln!("notice: {} is absent; its golden is skipped", g.dir.display());
            }
            here
        })
        .collect();
    let (table, problems) = measure("real repositories", &goldens);
    report(&table);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

//! `opslint --maturity` end to end: the sample repositories under
//! tests/maturity/ get the levels they should (golden reports), the text a
//! person wrote around the managed block survives, writes are atomic and
//! refused on a read-only file, `--check` and `--min-level` gate.
mod common;

use std::path::{Path, PathBuf};

use common::{opslint, repo, Run};

const REPORT: &str = "docs/ops-runbook/maturity-assessment.md";

/// A copy of `tests/maturity/<name>` in a temporary directory (the run writes into it).
fn sample(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy(&repo().join("tests/maturity").join(name), dir.path());
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn report(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(REPORT)).unwrap()
}

fn scrub(text: &str) -> String {
    text.replace(&format!("opslint {}", env!("CARGO_PKG_VERSION")), "opslint [version]")
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".opslint"))
        .collect()
}

fn assert_level(run: &Run, level: u32) {
    assert!(
        run.stdout.contains(&format!("Maturity of .: level {level} ")),
        "expected level {level}:\n{}\n{}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn sample_repositories_get_their_levels() {
    for level in 0..=3 {
        let dir = sample(&format!("level{level}"));
        let run = opslint(dir.path(), &["--maturity", "."]);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        assert_level(&run, level);
        assert!(run.stdout.contains(&format!("wrote {REPORT}")), "{}", run.stdout);
        insta::assert_snapshot!(format!("maturity_level{level}"), scrub(&report(dir.path())));
    }
}

#[test]
fn the_subcommand_and_the_flag_write_the_same_report() {
    let a = sample("level1");
    let b = sample("level1");
    assert_eq!(opslint(a.path(), &["--maturity"]).code, 0);
    let run = opslint(b.path().parent().unwrap(), &["maturity", b.path().file_name().unwrap().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(report(a.path()), report(b.path()));
    // `--maturity=PATH` after global options is the same command; after a subcommand it is not.
    let c = sample("level1");
    let run = opslint(c.path(), &["--color", "never", "--maturity=.", "--check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    assert_eq!(opslint(c.path(), &["check", "--maturity"]).code, 2);
}

#[test]
fn text_around_the_managed_block_survives_two_runs() {
    let dir = sample("level2");
    let before = "# Our maturity\r\n\r\nWritten by the team; keep this.  \n\n";
    let after = "\n## Notes\n\nWe accept level 2 until Q3.\n(no newline at the end)";
    let file = dir.path().join(REPORT);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(
        &file,
        format!("{before}<!-- opslint:maturity:begin -->\nold\n<!-- opslint:maturity:end -->\n{after}"),
    )
    .unwrap();
    let first = opslint(dir.path(), &["--maturity", "."]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let once = report(dir.path());
    assert!(once.starts_with(before), "{once}");
    assert!(once.ends_with(after), "{once}");
    assert!(!once.contains("\nold\n"));
    let second = opslint(dir.path(), &["--maturity", "."]);
    assert_eq!(second.code, 0);
    assert!(second.stdout.contains("is up to date"), "{}", second.stdout);
    assert_eq!(report(dir.path()), once);
    assert!(temp_files(file.parent().unwrap()).is_empty());
}

#[test]
fn a_report_without_markers_gets_the_block_appended() {
    let dir = sample("level0");
    let file = dir.path().join(REPORT);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "# Notes\n\nMine.\n").unwrap();
    assert_eq!(opslint(dir.path(), &["--maturity", "."]).code, 0);
    let text = report(dir.path());
    assert!(text.starts_with("# Notes\n\nMine.\n\n<!-- opslint:maturity:begin -->\n"), "{text}");
}

#[cfg(unix)]
#[test]
fn a_read_only_report_is_refused_and_left_whole() {
    use std::os::unix::fs::PermissionsExt;
    let dir = sample("level1");
    let file = dir.path().join(REPORT);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "kept\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let run = opslint(dir.path(), &["--maturity", "."]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("maturity-assessment.md is read-only;"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "kept\n");
    assert!(temp_files(file.parent().unwrap()).is_empty());
}

#[cfg(unix)]
#[test]
fn a_rewrite_keeps_the_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = sample("level0");
    let file = dir.path().join("assessment.md");
    std::fs::write(&file, "x\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let run = opslint(dir.path(), &["--maturity", ".", "--report", "assessment.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("x\n\n<!-- opslint:maturity:begin -->"));
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o640);
    assert!(!dir.path().join(REPORT).exists(), "--report replaces the default path");
}

#[test]
fn malformed_markers_are_an_error_and_the_file_is_untouched() {
    let dir = sample("level0");
    let file = dir.path().join(REPORT);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let text = "# Mine\n<!-- opslint:maturity:begin -->\nno end marker\n";
    std::fs::write(&file, text).unwrap();
    let run = opslint(dir.path(), &["--maturity", "."]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("a begin marker (line 2) without an end marker"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn check_says_whether_the_report_is_stale_without_writing() {
    let dir = sample("level2");
    let missing = opslint(dir.path(), &["--maturity", ".", "--check"]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("does not exist"), "{}", missing.stderr);
    assert!(!dir.path().join(REPORT).exists());

    assert_eq!(opslint(dir.path(), &["--maturity", "."]).code, 0);
    let fresh = opslint(dir.path(), &["maturity", "--check"]);
    assert_eq!(fresh.code, 0, "{}{}", fresh.stdout, fresh.stderr);
    assert!(fresh.stdout.contains("is up to date"));

    // The repository changes: the report on disk no longer says what it is.
    std::fs::remove_file(dir.path().join("monitoring/dashboards/orders-api.json")).unwrap();
    let before = report(dir.path());
    let stale = opslint(dir.path(), &["--maturity", ".", "--check"]);
    assert_eq!(stale.code, 1);
    assert!(stale.stderr.contains("is stale"), "{}", stale.stderr);
    assert_eq!(report(dir.path()), before, "--check never writes");
}

#[test]
fn min_level_gates() {
    let dir = sample("level1");
    assert_eq!(opslint(dir.path(), &["--maturity", ".", "--min-level", "1"]).code, 0);
    let below = opslint(dir.path(), &["--maturity", ".", "--min-level", "2"]);
    assert_eq!(below.code, 1);
    assert!(below.stderr.contains("maturity level 1 is below the required level 2"), "{}", below.stderr);
    // From the configuration too; the flag wins.
    std::fs::write(dir.path().join("opslint.toml"), "[maturity]\nmin-level = 3\n").unwrap();
    assert_eq!(opslint(dir.path(), &["--maturity", "."]).code, 1);
    assert_eq!(opslint(dir.path(), &["--maturity", ".", "--min-level", "0"]).code, 0);
}

#[test]
fn a_disabled_plugin_makes_its_criteria_not_assessed() {
    let dir = sample("level2");
    std::fs::write(dir.path().join("opslint.toml"), "[plugins.backup]\nenabled = false\n").unwrap();
    let run = opslint(dir.path(), &["--maturity", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Level 1 needs the backup plugin's evidence: nothing is reached, and nothing passes for it.
    assert_level(&run, 0);
    assert!(
        run.stdout.contains("[not assessed] Every database can be backed up by hand (manual-backup)"),
        "{}",
        run.stdout
    );
    let text = report(dir.path());
    assert!(text.contains("- **NOT ASSESSED** Every database can be backed up by hand (`manual-backup`)\n"), "{text}");
    assert!(text.contains("Not assessed: plugin `backup` is disabled in the configuration."), "{text}");
    assert!(text.contains("Plugins that did not run: `backup` (disabled)."), "{text}");
    // Criteria the other plugins can judge still pass.
    assert!(
        text.contains("- **PASS** Recovery objectives (RTO and RPO) are written down (`rto-rpo`, advisory)"),
        "{text}"
    );
}

#[test]
fn configured_report_and_rubric_paths() {
    let dir = sample("level0");
    let rubric = "version = 1\n[[level]]\nlevel = 1\nname = \"tiny\"\nsummary = \"a README\"\n[[criterion]]\nid = \"readme\"\nlevel = 1\ntitle = \"Has docs\"\ndescription = \"d\"\nhint = \"h\"\nwhen = { any = [\"maturity/runbook-docs\", \"k8s/workloads\"] }\n";
    std::fs::write(dir.path().join("rubric.toml"), rubric).unwrap();
    std::fs::write(dir.path().join("opslint.toml"), "[maturity]\nrubric = \"rubric.toml\"\nreport = \"MATURITY.md\"\n")
        .unwrap();
    let run = opslint(dir.path(), &["--maturity", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("level 0 of 1"), "{}", run.stdout);
    let text = std::fs::read_to_string(dir.path().join("MATURITY.md")).unwrap();
    assert!(text.contains("against the rubric `rubric.toml`"), "{text}");
    // A broken rubric is a clear error.
    std::fs::write(dir.path().join("rubric.toml"), rubric.replace("any =", "every =")).unwrap();
    let bad = opslint(dir.path(), &["--maturity", "."]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("invalid maturity rubric") && bad.stderr.contains("every"), "{}", bad.stderr);
}

#[test]
fn a_file_instead_of_a_directory_is_a_usage_error() {
    let dir = sample("level0");
    let run = opslint(dir.path(), &["--maturity", "README.md"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not a directory"), "{}", run.stderr);
}

#[test]
fn the_example_lands_at_level_1_with_evidence_for_every_criterion() {
    let dir = tempfile::tempdir().unwrap();
    copy(&repo().join("examples/shop"), dir.path());
    let _ = std::fs::remove_file(dir.path().join(REPORT));
    let run = opslint(dir.path(), &["--maturity", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_level(&run, 1);
    let text = report(dir.path());
    // Every passing criterion cites a record; every failing one says what was looked for or what speaks against it.
    for block in text.split("\n- **").skip(1) {
        let block = block.split("\n### ").next().unwrap();
        if block.starts_with("PASS") {
            assert!(block.contains("  - Evidence: "), "{block}");
        } else {
            assert!(
                block.contains("Looked for and not found")
                    || block.contains("Against: ")
                    || block.contains("Finding: "),
                "{block}"
            );
        }
    }
}

#[test]
fn a_plugin_that_fails_leaves_its_criteria_not_assessed() {
    let dir = sample("level0");
    let (plugin, sha) = common::misbehave_plugin();
    std::fs::write(dir.path().join("x.misbehave"), "trap\n").unwrap();
    let rubric = "version = 1\n[[level]]\nlevel = 1\nname = \"one\"\nsummary = \"s\"\n[[criterion]]\nid = \"echo\"\nlevel = 1\ntitle = \"Echoes\"\ndescription = \"d\"\nhint = \"h\"\nwhen = { any = [\"misbehave/echo\"] }\n";
    std::fs::write(dir.path().join("rubric.toml"), rubric).unwrap();
    let config = format!(
        "[maturity]\nrubric = \"rubric.toml\"\n[plugins.misbehave]\npath = {:?}\nsha256 = \"{sha}\"\n",
        plugin.display().to_string()
    );
    std::fs::write(dir.path().join("opslint.toml"), config).unwrap();
    let run = opslint(dir.path(), &["--maturity", "."]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("[not assessed] Echoes (echo)"), "{}", run.stdout);
    let text = report(dir.path());
    assert!(text.contains("Not assessed: plugin `misbehave` failed (on 1 file, first `x.misbehave`)."), "{text}");
    assert!(text.contains("`misbehave` (failed: on 1 file, first `x.misbehave`)"), "{text}");
}

/// `--format json`: the versioned verdict document, the same bytes on every
/// run, nothing written; each criterion with its role, verdict, reason and
/// evidence locations.
#[test]
fn json_verdicts_are_versioned_deterministic_and_write_nothing() {
    let dir = sample("level2");
    let first = opslint(dir.path(), &["maturity", "--format", "json", "."]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(!dir.path().join(REPORT).exists(), "--format json writes no report");
    let again = opslint(dir.path().parent().unwrap(), &["maturity", "--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(first.stdout, again.stdout, "the same document from another working directory");
    let doc = first.json();
    assert_eq!(doc["schema"], "opslint-maturity");
    assert_eq!(doc["schema-version"], 1);
    assert_eq!(doc["level"], 2);
    for c in doc["criteria"].as_array().unwrap() {
        assert!(["gating", "advisory"].contains(&c["role"].as_str().unwrap()), "{c}");
        assert!(["pass", "fail", "not-assessed"].contains(&c["verdict"].as_str().unwrap()), "{c}");
        assert!(!c["reason"].as_str().unwrap().is_empty(), "{c}");
        for e in c["evidence"].as_array().unwrap() {
            if let Some(at) = e["location"].as_str() {
                assert!(!at.starts_with('/') && !at.contains('\\'), "relative, /-separated: {at}");
            }
        }
    }
    insta::assert_snapshot!(
        "maturity_level2_json",
        scrub(&first.stdout).replace(
            &format!("\"opslint-version\": \"{}\"", env!("CARGO_PKG_VERSION")),
            "\"opslint-version\": \"[version]\""
        )
    );
    // `--check` compares the Markdown report: it does not go with JSON.
    assert_eq!(opslint(dir.path(), &["maturity", "--format", "json", "--check", "."]).code, 2);
    // The gate still applies.
    let gated = opslint(dir.path(), &["maturity", "--format", "json", "--min-level", "3", "."]);
    assert_eq!(gated.code, 1, "{}", gated.stderr);
    assert!(gated.stderr.contains("below the required level 3"), "{}", gated.stderr);
}

/// Advisory criteria do not block a level in the built-in rubric; the strict
/// rubric makes them gating.
#[test]
fn the_strict_rubric_makes_advisory_criteria_gating() {
    let dir = tempfile::tempdir().unwrap();
    copy(&repo().join("tests/maturity/samples/k8s-cnpg"), dir.path());
    let default = opslint(dir.path(), &["maturity", "--format", "json", "."]).json();
    assert_eq!(default["level"], 3);
    let progressive =
        default["criteria"].as_array().unwrap().iter().find(|c| c["id"] == "progressive-delivery").unwrap();
    assert_eq!(progressive["role"], "advisory");
    assert_eq!(progressive["verdict"], "fail");
    let strict = opslint(dir.path(), &["maturity", "--format", "json", "--rubric", "strict", "."]).json();
    assert_eq!(strict["level"], 2, "progressive delivery and postmortems block level 3");
    assert_eq!(strict["rubric"]["name"], "policies/maturity-strict.toml (built in)");
    assert!(strict["criteria"].as_array().unwrap().iter().all(|c| c["role"] == "gating"));
    let run = opslint(dir.path(), &["--maturity", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("level 3 (advanced) of 3"), "{}", run.stdout);
    assert!(run.stdout.contains("Advisory (not blocking a level): 2 open"), "{}", run.stdout);
    assert!(report(dir.path()).contains("(`postmortems`, advisory)"));
}

#[test]
fn explain_describes_maturity_criteria() {
    let dir = tempfile::tempdir().unwrap();
    let one = opslint(dir.path(), &["explain", "manual-backup"]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    for part in ["gating", "What counts as evidence", "What does not count", "backup/unreadable", "How to pass"] {
        assert!(one.stdout.contains(part), "{part}:\n{}", one.stdout);
    }
    assert_eq!(opslint(dir.path(), &["explain", "maturity/manual-backup"]).stdout, one.stdout);
    let all = opslint(dir.path(), &["explain", "maturity"]);
    assert_eq!(all.code, 0);
    assert!(all.stdout.contains("postmortems") && all.stdout.contains("advisory"), "{}", all.stdout);
    assert_eq!(opslint(dir.path(), &["explain", "no-such-criterion"]).code, 2);
}

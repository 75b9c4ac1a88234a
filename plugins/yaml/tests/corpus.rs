//! Every YAML file of ../shared/corpus and ../shared/repos that PyYAML reads
//! (listed by scripts/yaml-accepted in pyyaml-accepted.txt) must parse here
//! too: a valid file reported as unreadable is a false finding.
use std::path::PathBuf;

#[test]
fn every_file_pyyaml_reads_parses() {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = here.join("../../../shared");
    if !shared.join("corpus").is_dir() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "../shared is missing on CI");
        eprintln!("skipped: {} is absent", shared.display());
        return;
    }
    let list = std::fs::read_to_string(here.join("tests/pyyaml-accepted.txt")).unwrap();
    let mut failures = Vec::new();
    let mut read = 0;
    for rel in list.lines().filter(|l| !l.is_empty()) {
        let path = shared.join(rel);
        let Ok(text) = std::fs::read_to_string(&path) else {
            failures.push(format!("{rel}: listed but missing or not UTF-8 (re-run scripts/yaml-accepted)"));
            continue;
        };
        read += 1;
        if let Some(e) = opslint_yaml::parse(&text).error {
            let (line, col) = opslint_yaml::line_col(&text, e.span.start);
            failures.push(format!("{rel}:{line}:{col}: {}", e.message));
        }
    }
    assert!(read > 1000, "only {read} files read");
    assert!(
        failures.is_empty(),
        "{} of {read} files PyYAML reads are refused:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every event with its marks, read through the str input (which takes runs
/// of plain-scalar characters in one step, vendor patch 5) or through the
/// character iterator (one character at a time, upstream's path).
fn events(text: &str, fast: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |next: Option<Result<(saphyr_parser::Event, saphyr_parser::Span), saphyr_parser::ScanError>>| {
        match next {
            Some(Ok((e, s))) => out.push(format!("{e:?} {:?} {:?}", s.start, s.end)),
            Some(Err(e)) => out.push(format!("error {e:?}")),
            None => return false,
        }
        !matches!(out.last().map(String::as_str), Some(l) if l.starts_with("error"))
    };
    if fast {
        let mut p = saphyr_parser::Parser::new_from_str(text);
        while push(p.next_event()) {}
    } else {
        let mut p = saphyr_parser::Parser::new_from_iter(text.chars());
        while push(p.next_event()) {}
    }
    out
}

#[test]
fn plain_scalar_runs_read_as_one_character_at_a_time() {
    let cases = [
        "image: nginx:1.25\nurl: http://x.example/a?b=c#d\nk: a:b: c\n",
        "a: b # comment\nc: d#not-a-comment\n",
        "{a: b,c: d:e, f: [g,h:i, j]}\n",
        "[a:b, c: d, {e: f}]\n- x\n",
        "[a:]\n",
        "{a:,b: c}\n",
        "[k:[x], y:{z}]\n",
        "k: caf\u{e9}-bar:baz qux\nn: \u{feff}x\n",
        "multi: line\n  plain\n  scalar\nnext: 1\n",
        "k: a\u{0}b\n",
        "key: value:\n",
        "- a:\n- b: {c:d}\n",
        "k: x\r\ny: z\r\n",
        "k: \u{2028}a b\u{85}c\n",
        "- a\t b\n- '#x'\n",
    ];
    for text in cases {
        assert_eq!(events(text, true), events(text, false), "{text:?}");
    }
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let list = std::fs::read_to_string(here.join("tests/pyyaml-accepted.txt")).unwrap();
    let mut compared = 0;
    for rel in list.lines().filter(|l| !l.is_empty()) {
        let Ok(text) = std::fs::read_to_string(here.join("../../../shared").join(rel)) else { continue };
        assert_eq!(events(&text, true), events(&text, false), "{rel}");
        compared += 1;
    }
    assert!(compared > 1000 || std::env::var("CI").as_deref() != Ok("true"), "only {compared} files compared");
}

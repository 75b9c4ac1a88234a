//! Replays every saved input under fuzz/regressions/<target>/ (crashes the
//! fuzzers found, now fixed, and seeds), so CI runs them without cargo fuzz.
use std::path::Path;

#[test]
fn saved_inputs_do_not_crash() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../regressions");
    let mut replayed = 0;
    for (name, run) in harness::TARGETS {
        let dir = root.join(name);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).unwrap();
            eprintln!("{name}: {}", file.display());
            run(&data);
            replayed += 1;
        }
    }
    eprintln!("replayed {replayed} inputs");
}

#[test]
fn every_target_takes_empty_and_odd_inputs() {
    for (_, run) in harness::TARGETS {
        for data in [&b""[..], b"\0", b"\xff\xfe", b"${{", b"# opslint: ignore[", b"- - - [{"] {
            run(data);
        }
    }
}

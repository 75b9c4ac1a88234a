//! A third-party plugin cannot speak for another: the name in its metadata
//! must be the one it is configured under, its rule ids are local to it, and
//! a finding under a rule it did not declare is refused. Also what
//! `opslint plugins` says about an external plugin.
mod common;
use common::*;

#[test]
fn a_plugin_calling_itself_by_another_name_is_refused() {
    // The built-in dockerfile plugin's own component, configured as `foo`.
    let bytes = std::fs::read(std::path::Path::new(env!("OPSLINT_BUILT_PLUGINS_DIR")).join("dockerfile.wasm")).unwrap();
    use sha2::Digest;
    let sha: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    let cfg = format!("[plugins.foo]\npath = \"foo.wasm\"\nsha256 = \"{sha}\"\n");
    let dir = tree(&[("opslint.toml", cfg.as_bytes()), ("foo.wasm", &bytes), ("Dockerfile", b"FROM alpine\n")]);
    let run = opslint(dir.path(), &["check"]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    let flat = run.stderr.split_whitespace().filter(|w| *w != "│").collect::<Vec<_>>().join(" ");
    assert!(flat.contains("plugin `foo`") && flat.contains("it calls itself `dockerfile`"), "{flat}");
}

#[test]
fn a_built_in_name_cannot_be_taken() {
    let (path, sha) = misbehave_plugin();
    let cfg = format!("[plugins.dockerfile]\npath = {:?}\nsha256 = \"{sha}\"\n", path.display().to_string());
    let dir = tree(&[("opslint.toml", cfg.as_bytes())]);
    let run = opslint(dir.path(), &["plugins"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("would replace the built-in plugin"), "{}", run.stderr);
}

#[test]
fn findings_under_rules_the_plugin_did_not_declare_are_refused() {
    let (path, sha) = misbehave_plugin();
    let cfg = format!("[plugins.misbehave]\npath = {:?}\nsha256 = \"{sha}\"\n", path.display().to_string());
    let dir = tree(&[
        ("opslint.toml", cfg.as_bytes()),
        ("a.misbehave", b"claim dockerfile/latest-tag\n"),
        ("b.misbehave", b"claim undeclared\n"),
        ("c.misbehave", b"hello\n"),
    ]);
    let run = opslint(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    let json = run.json();
    let got: Vec<(&str, &str, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["rule"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(got.len(), 3, "{got:#?}");
    assert_eq!(got[0].0, "a.misbehave");
    assert_eq!(got[0].1, "opslint/plugin-failed");
    assert!(got[0].2.contains("undeclared rule `dockerfile/latest-tag`"), "{}", got[0].2);
    assert!(got[1].1 == "opslint/plugin-failed" && got[1].2.contains("undeclared rule `undeclared`"), "{got:?}");
    assert_eq!((got[2].0, got[2].1), ("c.misbehave", "misbehave/echo"));
}

#[test]
fn plugins_lists_an_external_plugin_with_source_hash_and_rules() {
    let (path, sha) = misbehave_plugin();
    let bytes = std::fs::read(&path).unwrap();
    let cfg = format!("[plugins.misbehave]\npath = \"tools/misbehave.wasm\"\nsha256 = \"{sha}\"\n");
    let dir = tree(&[("opslint.toml", cfg.as_bytes()), ("tools/misbehave.wasm", &bytes)]);
    let scrub = |s: &str| s.replace(&sha, "<sha256>").replace(&dir.path().display().to_string(), "<dir>");

    let human = opslint(dir.path(), &["plugins"]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    let line = human.stdout.lines().find(|l| l.starts_with("misbehave ")).unwrap();
    insta::assert_snapshot!("plugins_external_line", scrub(line));
    assert!(human.stdout.lines().any(|l| l.starts_with("dockerfile 0.1.0 (built-in), interface 0.1.1")));

    let json = opslint(dir.path(), &["plugins", "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let list = json.json();
    let entry = list.as_array().unwrap().iter().find(|p| p["name"] == "misbehave").unwrap();
    insta::assert_snapshot!("plugins_external_json", scrub(&serde_json::to_string_pretty(entry).unwrap()));
    let builtin = list.as_array().unwrap().iter().find(|p| p["name"] == "dockerfile").unwrap();
    assert_eq!(builtin["source"], "builtin");
    assert_eq!(builtin["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn packaging_refuses_what_could_never_load() {
    let dir = tree(&[("junk.wasm", b"hello"), ("empty.wasm", b"\0asm\x01\0\0\0")]);
    let run = opslint(dir.path(), &["plugins", "package", "junk.wasm"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("is not a WebAssembly module"), "{}", run.stderr);
    let run = opslint(dir.path(), &["plugins", "package", "empty.wasm"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let flat = run.stderr.split_whitespace().filter(|w| *w != "│").collect::<Vec<_>>().join(" ");
    assert!(flat.contains("does not export opslint:plugin/plugin"), "{flat}");
    // A built-in's own component: packaged under that name it could never be configured.
    let builtin = std::path::Path::new(env!("OPSLINT_BUILT_PLUGINS_DIR")).join("sql.wasm");
    let run = opslint(dir.path(), &["plugins", "package", builtin.to_str().unwrap(), "-o", "x.wasm"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let flat = run.stderr.split_whitespace().filter(|w| *w != "│").collect::<Vec<_>>().join(" ");
    assert!(flat.contains("the name of a built-in plugin"), "{flat}");
    assert!(!dir.path().join("x.wasm").exists());
    // The misbehave test plugin packages (it is a component already) and prints its pin.
    let (path, sha) = misbehave_plugin();
    let run = opslint(dir.path(), &["plugins", "package", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!("[plugins.misbehave]\npath = \"misbehave.wasm\"\nsha256 = \"{sha}\"\n")),
        "{}",
        run.stdout
    );
    assert_eq!(std::fs::read(dir.path().join("misbehave.wasm")).unwrap(), std::fs::read(&path).unwrap());
}

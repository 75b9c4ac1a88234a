//! Components the host must refuse before running them: a plugin speaking
//! another interface version, and one importing something other than WASI.
//! They are assembled here from WAT, with the real WIT (or a variant of it).
mod common;
use common::*;

const CORE: &str = r#"(module
  IMPORTS
  (memory (export "memory") 1)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 8)
  (func (export "opslint:plugin/plugin@VERSION#metadata") (result i32) i32.const 0)
  (func (export "opslint:plugin/plugin@VERSION#check") (param i32 i32 i32 i32 i32 i32) (result i32) i32.const 0))"#;

/// The interface version of the project's WIT.
const WIT_VERSION: &str = "0.1.1";

/// The project's WIT with its package at `version`.
fn wit_at(version: &str) -> String {
    let wit = std::fs::read_to_string(repo().join("wit/plugin.wit")).unwrap();
    assert!(wit.contains(&format!("package opslint:plugin@{WIT_VERSION};")), "WIT_VERSION is out of date");
    wit.replace(&format!("@{WIT_VERSION}"), &format!("@{version}"))
}

/// Builds a component of `world` from the project's WIT at `version`, plus `extra` WIT.
fn component(version: &str, extra_wit: &str, world: &str, imports: &str) -> Vec<u8> {
    let wit = wit_at(version) + extra_wit;
    let mut resolve = wit_parser::Resolve::default();
    let pkg = resolve.push_str("plugin.wit", &wit).unwrap();
    let world = resolve.select_world(&[pkg], Some(world)).unwrap();
    let core = CORE.replace("VERSION", version).replace("IMPORTS", imports);
    let mut module = wat::parse_str(core).unwrap();
    wit_component::embed_component_metadata(&mut module, &resolve, world, wit_component::StringEncoding::UTF8).unwrap();
    wit_component::ComponentEncoder::default().module(&module).unwrap().validate(true).encode().unwrap()
}

fn load(bytes: &[u8]) -> Run {
    use sha2::Digest;
    let sha: String = sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
    let cfg = format!("[plugins.odd]\npath = \"odd.wasm\"\nsha256 = \"{sha}\"\n");
    let dir = tree(&[("opslint.toml", cfg.as_bytes()), ("odd.wasm", bytes)]);
    opslint(dir.path(), &["plugins"])
}

#[test]
fn newer_interface_version_is_refused_with_both_versions() {
    let run = load(&component("0.2.0", "", "linter", ""));
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("plugin `odd`"), "{}", run.stderr);
    assert!(run.stderr.contains("opslint:plugin@0.2.0") && run.stderr.contains("0.1.x"), "{}", run.stderr);
    assert!(run.stderr.contains("upgrade opslint"), "{}", run.stderr);
}

#[test]
fn import_other_than_wasi_is_refused() {
    let extra = "\ninterface net { connect: func(host: string) -> u32; }\nworld sneaky { import net; import host; export plugin; }\n";
    let imports = r#"(import "opslint:plugin/net@0.1.1" "connect" (func (param i32 i32) (result i32)))"#;
    let run = load(&component(WIT_VERSION, extra, "sneaky", imports));
    assert_eq!(run.code, 3, "{}", run.stderr);
    let flat = run.stderr.split_whitespace().filter(|w| *w != "│").collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("imports interface `opslint:plugin/ net@0.1.1`")
            || flat.contains("imports interface `opslint:plugin/net@0.1.1`"),
        "{flat}"
    );
    assert!(flat.contains("which opslint does not provide"), "{flat}");
}

#[test]
fn older_interface_version_is_refused_with_a_rebuild_hint() {
    let run = load(&component("0.0.9", "", "linter", ""));
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("plugin `odd`"), "{}", run.stderr);
    assert!(run.stderr.contains("opslint:plugin@0.0.9") && run.stderr.contains("0.1.x"), "{}", run.stderr);
    assert!(run.stderr.contains("rebuild it with a newer opslint-sdk"), "{}", run.stderr);
}

/// A component of `world` (from the project's WIT plus `extra_wit`, after the
/// packages in `deps`) whose `metadata` returns the record laid out at address 0
/// by the WAT data segments `data`: name `odd` (at 100), version `0.1.0` (at 104).
fn with_metadata(deps: &[&str], extra_wit: &str, world: &str, imports: &str, data: &str) -> Vec<u8> {
    with_metadata_at(WIT_VERSION, deps, extra_wit, world, imports, data)
}

/// [`with_metadata`] speaking interface `version`.
fn with_metadata_at(version: &str, deps: &[&str], extra_wit: &str, world: &str, imports: &str, data: &str) -> Vec<u8> {
    let mut resolve = wit_parser::Resolve::default();
    for (i, dep) in deps.iter().enumerate() {
        resolve.push_str(format!("dep{i}.wit"), dep).unwrap();
    }
    let wit = wit_at(version) + extra_wit;
    let pkg = resolve.push_str("plugin.wit", &wit).unwrap();
    let world = resolve.select_world(&[pkg], Some(world)).unwrap();
    let data = format!(
        r#"(data (i32.const 0) "\64\00\00\00\03\00\00\00\68\00\00\00\05\00\00\00")
  (data (i32.const 100) "odd")
  (data (i32.const 104) "0.1.0")
  {data}"#
    );
    let core = CORE
        .replace("VERSION", version)
        .replace("(result i32) i32.const 0))", "(result i32) i32.const 2048))")
        .replace("IMPORTS", imports)
        .replace("(memory (export \"memory\") 1)", &format!("(memory (export \"memory\") 1)\n  {data}"));
    let mut module = wat::parse_str(core).unwrap();
    wit_component::embed_component_metadata(&mut module, &resolve, world, wit_component::StringEncoding::UTF8).unwrap();
    wit_component::ComponentEncoder::default().module(&module).unwrap().validate(true).encode().unwrap()
}

/// What a wasm32-wasip2 build looks like to the host: a component that imports
/// WASI besides `opslint:plugin/host`. It loads (the WASI functions are defined
/// as traps, never granted) and reports its name and version. An import that
/// returns a list is lowered through shim modules, so the component has several
/// core instances, as a real wasip2 build (with its WASI adapter) does.
#[test]
fn a_component_importing_wasi_loads() {
    let env =
        "package wasi:cli@0.2.0;\ninterface environment { get-environment: func() -> list<tuple<string, string>>; }\n";
    let extra = "\nworld wasip2 { import wasi:cli/environment@0.2.0; import host; export plugin; }\n";
    let imports = r#"(import "wasi:cli/environment@0.2.0" "get-environment" (func (param i32)))"#;
    let run = load(&with_metadata(&[env], extra, "wasip2", imports, ""));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("odd 0.1.0 (") && run.stdout.contains("0 rules"), "{}", run.stdout);
}

/// Interface 0.1.1 only added `facts`: a plugin built against 0.1.0 (which
/// imports `host@0.1.0` and exports `plugin@0.1.0`, and no `facts`) still
/// loads, links its log import, and runs through `check`.
#[test]
fn a_plugin_of_interface_0_1_0_still_loads_and_runs() {
    let imports = r#"(import "opslint:plugin/host@0.1.0" "log" (func (param i32 i32 i32)))"#;
    // files (at 28): one matcher at 400, kind `text` (at 420), globs at 432: `Dockerfile` (at 440);
    // rules (at 36): one rule-meta at 200, id `x` (at 300), off by default (selected below).
    let data = r#"(data (i32.const 36) "\c8\00\00\00\01\00\00\00")
  (data (i32.const 200) "\2c\01\00\00\01\00\00\00")
  (data (i32.const 300) "x")
  (data (i32.const 28) "\90\01\00\00\01\00\00\00")
  (data (i32.const 400) "\a4\01\00\00\04\00\00\00\b0\01\00\00\01\00\00\00")
  (data (i32.const 420) "text")
  (data (i32.const 432) "\b8\01\00\00\0a\00\00\00")
  (data (i32.const 440) "Dockerfile")"#;
    let bytes = with_metadata_at("0.1.0", &[], "", "linter", imports, data);
    let run = load(&bytes);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("odd 0.1.0 (") && run.stdout.contains("interface 0.1.0, 1 rule"), "{}", run.stdout);
    // A check that runs it: its `check` answers an empty output (all zeros), no findings.
    use sha2::Digest;
    let sha: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    let cfg = format!("[plugins.odd]\npath = \"odd.wasm\"\nsha256 = \"{sha}\"\n");
    let dir = tree(&[("opslint.toml", cfg.as_bytes()), ("odd.wasm", &bytes), ("Dockerfile", b"FROM alpine:3.20\n")]);
    let check =
        opslint(dir.path(), &["check", "-v", "--format", "json", "--no-cache", "--extend-select", "odd/x", "."]);
    assert!(check.code == 0 || check.code == 1, "{}", check.stderr);
    // It ran (its batch is timed) and answered: no `plugin-failed` finding.
    assert!(check.stderr.contains("[odd] batch of 1 file(s)"), "{}", check.stderr);
    assert!(!check.stdout.contains("plugin-failed"), "{}", check.stdout);
}

/// Rule ids are local: one with a `/` would put a rule under another plugin's name.
#[test]
fn a_rule_id_outside_the_plugin_is_refused() {
    // rules (at 36): one rule-meta at 200 whose id (ptr 300, len 21) is `dockerfile/latest-tag`.
    let data = r#"(data (i32.const 36) "\c8\00\00\00\01\00\00\00")
  (data (i32.const 200) "\2c\01\00\00\15\00\00\00")
  (data (i32.const 300) "dockerfile/latest-tag")"#;
    let run = load(&with_metadata(&[], "", "linter", "", data));
    assert_eq!(run.code, 3, "{}", run.stderr);
    let flat = run.stderr.split_whitespace().filter(|w| *w != "│").collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("plugin `odd`") && flat.replace("/ ", "/").contains("declares rule id `dockerfile/latest-tag`"),
        "{flat}"
    );
}

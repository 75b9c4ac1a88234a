//! What `check` looks at by default (issue 13): test inputs, samples and
//! vendored code are left out below the directories walked, named paths are
//! always checked, and the configuration can turn that off or route more
//! files to a plugin; every Dockerfile spelling is read; a `.dockerignore`
//! that is a link inside the repository is followed.
mod common;
use common::*;

const LATEST: &[u8] = b"FROM ubuntu\n";

fn paths(run: &Run) -> Vec<String> {
    let mut p: Vec<String> =
        run.json()["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap().to_string()).collect();
    p.sort();
    p.dedup();
    p
}

fn latest(dir: &std::path::Path, extra: &[&str]) -> Run {
    let mut args = vec!["check", "--format", "json", "--select", "dockerfile/latest-tag"];
    args.extend_from_slice(extra);
    opslint(dir, &args)
}

#[test]
fn test_inputs_samples_and_vendored_code_are_left_out_by_default() {
    let dir = tree(&[
        ("app/Dockerfile", LATEST),
        ("testdata/Dockerfile", LATEST),
        ("pkg/test-data/Dockerfile", LATEST),
        ("web/__fixtures__/Dockerfile", LATEST),
        ("tests/e2e/Dockerfile", LATEST),
        ("examples/demo/Dockerfile", LATEST),
        ("vendor/lib/Dockerfile", LATEST),
        (".devcontainer/Dockerfile", LATEST),
        // A folder whose name only contains a word of the list is the service.
        ("contest/Dockerfile", LATEST),
    ]);
    let run = latest(dir.path(), &[]);
    assert_eq!(paths(&run), ["app/Dockerfile", "contest/Dockerfile"]);

    // -v says what was left out and how to check it.
    let verbose = opslint(dir.path(), &["-v", "check", "-q", "--select", "dockerfile/latest-tag"]);
    for d in [".devcontainer/", "examples/", "pkg/test-data/", "testdata/", "tests/", "vendor/", "web/__fixtures__/"] {
        assert!(verbose.stderr.contains(d), "{d} in {}", verbose.stderr);
    }
    assert!(verbose.stderr.contains("default-exclude = false"), "{}", verbose.stderr);
}

#[test]
fn named_paths_are_always_checked_unless_forced() {
    let dir =
        tree(&[("app/Dockerfile", LATEST), ("testdata/bad/Dockerfile", LATEST), ("examples/shop/Dockerfile", LATEST)]);
    assert_eq!(paths(&latest(dir.path(), &["testdata"])), ["testdata/bad/Dockerfile"]);
    assert_eq!(paths(&latest(dir.path(), &["examples/shop"])), ["examples/shop/Dockerfile"]);
    assert_eq!(paths(&latest(dir.path(), &["testdata/bad/Dockerfile"])), ["testdata/bad/Dockerfile"]);
    // A hook that passes every changed file leaves test inputs out, as a full check does.
    let forced = latest(dir.path(), &["--force-exclude", "testdata/bad/Dockerfile", "app/Dockerfile"]);
    assert_eq!(paths(&forced), ["app/Dockerfile"]);
}

#[test]
fn the_bundled_example_stays_checkable_by_name() {
    let run = opslint(&repo(), &["check", "--format", "json", "examples/shop"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(paths(&run).iter().any(|p| p.starts_with("examples/shop/")), "{:?}", paths(&run));
}

#[test]
fn default_exclusion_can_be_turned_off() {
    let dir = tree(&[
        ("opslint.toml", b"[files]\ndefault-exclude = false\n"),
        ("app/Dockerfile", LATEST),
        ("tests/Dockerfile", LATEST),
    ]);
    assert_eq!(paths(&latest(dir.path(), &[])), ["app/Dockerfile", "tests/Dockerfile"]);
    let verbose = opslint(dir.path(), &["-v", "check", "-q", "--select", "dockerfile/latest-tag"]);
    assert!(verbose.stderr.contains("default exclusion off"), "{}", verbose.stderr);
}

#[test]
fn every_dockerfile_spelling_is_read() {
    let names = [
        "Dockerfile",
        "Dockerfile.prod",
        "Dockerfile-prod",
        "Dockerfile_prod",
        "api.Dockerfile",
        "api.dockerfile",
        "Containerfile",
        "Containerfile.ci",
        "Containerfile-ci",
        "ci.Containerfile",
        "ci.containerfile",
    ];
    let files: Vec<(String, &[u8])> = names.iter().map(|n| (format!("img/{n}"), LATEST)).collect();
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), *b)).collect();
    let dir = tree(&refs);
    let mut want: Vec<String> = names.iter().map(|n| format!("img/{n}")).collect();
    want.sort();
    assert_eq!(paths(&latest(dir.path(), &[])), want);
}

#[test]
fn extend_include_routes_more_files_to_a_plugin() {
    let dir = tree(&[
        ("opslint.toml", b"[files.extend-include]\ndockerfile = [\"docker/*.df\"]\n"),
        ("docker/api.df", LATEST),
        ("docker/notes.txt", LATEST),
    ]);
    assert_eq!(paths(&latest(dir.path(), &[])), ["docker/api.df"]);

    let typo = tree(&[("opslint.toml", b"[files.extend-include]\ndockerfle = [\"docker/*.df\"]\n")]);
    let run = latest(typo.path(), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `dockerfile/dockerfile`"), "{}", run.stderr);
    let key = tree(&[("opslint.toml", b"[files]\ndefault-exclud = false\n")]);
    let run = latest(key.path(), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `default-exclude`"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_linked_dockerignore_inside_the_repository_is_followed() {
    let dir = tree(&[("shared/dockerignore", b".git\n"), ("svc/Dockerfile", b"FROM alpine:3.20\nCOPY . .\n")]);
    let copy_all = |d: &std::path::Path| {
        opslint(d, &["check", "--format", "json", "--select", "dockerfile/copy-all-without-dockerignore"])
    };
    assert_eq!(paths(&copy_all(dir.path())), ["svc/Dockerfile"], "no .dockerignore yet");
    std::os::unix::fs::symlink("../shared/dockerignore", dir.path().join("svc/.dockerignore")).unwrap();
    assert!(paths(&copy_all(dir.path())).is_empty(), "the link is followed");

    // A link that leaves the repository is not followed.
    let outside = tree(&[(".dockerignore", b".git\n")]);
    let repo = tree(&[("svc/Dockerfile", b"FROM alpine:3.20\nCOPY . .\n")]);
    std::os::unix::fs::symlink(outside.path().join(".dockerignore"), repo.path().join("svc/.dockerignore")).unwrap();
    assert_eq!(paths(&copy_all(repo.path())), ["svc/Dockerfile"]);
}

//! Kinds of mistakes found by reading real findings (issue 13): each case of
//! the fixtures is checked by what it flags, so a kind that comes back fails here.
use std::path::Path;

use opslint_plugin_ci::CiPlugin;
use opslint_sdk::testing::check_repo_texts;
use opslint_sdk::{Finding, Location};

fn fixture(rule: &str, case: &str, file: &str) -> (String, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rule).join(case).join(file);
    (file.to_string(), std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// The flagged text of `rule` in one fixture file.
fn flagged(rule: &str, case: &str, file: &str) -> Vec<String> {
    let (path, text) = fixture(rule, case, file);
    let found: Vec<Finding> = check_repo_texts::<CiPlugin>(&[(&path, &text)], "{}");
    found
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| match &f.primary.location {
            Location::Span(s) => text[s.start as usize..s.end as usize].to_string(),
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn caches_on_by_default_and_other_cache_actions_are_seen() {
    let got = flagged("cache-in-release", "bad", ".github/workflows/binaries.yml");
    assert_eq!(
        got,
        [
            "actions/setup-go@v5",
            "actions/setup-go@0aaccfd150d50ccaeb58ebd88d36e91967a5f35b",
            "Swatinem/rust-cache@v2",
            "\"true\"",
            "true",
            "actions/cache/restore@v4"
        ]
    );
    assert!(flagged("cache-in-release", "ok", ".github/workflows/binaries.yml").is_empty());
    // A deploy step ships what the cache built, as a publish does.
    assert_eq!(flagged("cache-in-release", "bad", ".github/workflows/deploy.yml"), ["actions/cache@v4"]);
    assert!(flagged("cache-in-release", "ok", ".github/workflows/ci.yml").is_empty());
    // Only jobs that reach what is shipped: not the tests of a tag push.
    assert!(flagged("cache-in-release", "ok", ".github/workflows/tests-and-release.yml").is_empty());
    assert_eq!(flagged("cache-in-release", "bad", ".github/workflows/build-then-release.yml"), ["actions/setup-go@v5"]);
}

#[test]
fn self_hosted_labels_are_followed_into_the_matrix() {
    assert_eq!(flagged("self-hosted-runner", "bad", ".github/workflows/matrix.yml"), ["self-hosted", "self-hosted"]);
    assert!(flagged("self-hosted-runner", "ok", ".github/workflows/matrix.yml").is_empty());
}

#[test]
fn a_variable_registry_does_not_hide_a_missing_tag() {
    let got = flagged("unpinned-image", "bad", ".gitlab-ci.yml");
    assert!(got.contains(&"$CI_REGISTRY_IMAGE/ci".to_string()), "{got:?}");
    assert!(got.contains(&"${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/node:latest".to_string()), "{got:?}");
    let gh = flagged("unpinned-image", "bad", ".github/workflows/ci.yml");
    assert!(gh.contains(&"ghcr.io/${{ github.repository }}/builder".to_string()), "{gh:?}");
    assert!(flagged("unpinned-image", "ok", ".gitlab-ci.yml").is_empty());
    assert!(flagged("unpinned-image", "ok", ".github/workflows/ci.yml").is_empty());
}

/// Issue 13: pull_request_target for labelling (no code fetched) is the
/// documented use; a workflow that checks out code on it is flagged.
#[test]
fn privileged_triggers_are_flagged_when_code_is_checked_out() {
    assert_eq!(
        flagged("dangerous-trigger", "bad", ".github/workflows/triage.yml"),
        ["pull_request_target", "workflow_run"]
    );
    assert!(flagged("dangerous-trigger", "ok", ".github/workflows/labeler.yml").is_empty());
    assert!(flagged("dangerous-trigger", "ok", ".github/workflows/paths-label.yml").is_empty());
}

#[test]
fn adhoc_installs_in_a_deploy_job_with_secrets() {
    let file = ".github/workflows/deploy-api-doc.yml";
    assert_eq!(flagged("unpinned-install-in-deploy", "bad", file), ["wrangler@latest", "firebase-tools", "awscli"]);
    assert!(flagged("unpinned-install-in-deploy", "ok", file).is_empty());
}

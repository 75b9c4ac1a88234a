//! The ci plugin through the real binary: a GitLab pipeline with local
//! includes, exact locations inside block scalars, options, evidence, and
//! every CI file of the shared corpus.
mod common;
use common::*;

fn findings(run: &Run) -> Vec<serde_json::Value> {
    run.json()["findings"].as_array().unwrap().clone()
}

fn of_rule<'a>(all: &'a [serde_json::Value], rule: &str) -> Vec<&'a serde_json::Value> {
    all.iter().filter(|f| f["rule"] == rule).collect()
}

fn at(f: &serde_json::Value) -> (String, u64, u64) {
    (f["path"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap())
}

#[test]
fn a_gitlab_pipeline_is_read_with_its_local_includes() {
    let dir = tree(&[
        (
            ".gitlab-ci.yml",
            b"include:\n  - local: /ci/stages.yml\n  - local: ci/jobs/*.yml\n\nbuild:\n  stage: build\n  script: make\n",
        ),
        ("ci/stages.yml", b"stages: [build, test, release]\n"),
        (
            "ci/jobs/test.yml",
            b"include: ci/templates.yml\ntest:\n  extends: .python\n  stage: test\n  needs: [build]\n",
        ),
        ("ci/templates.yml", b".python:\n  image: python\n  script: pytest\n"),
        (
            "ci/jobs/release.yml",
            b"release:\n  stage: relase\n  needs: [tset]\n  script: ./release.sh\n",
        ),
        // Never included: not linted as GitLab CI.
        ("ci/unused.yml", b"orphan:\n  stage: nowhere\n"),
    ]);
    let run = opslint(dir.path(), &["check", "--format", "json", "--fail-on", "info", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let all = findings(&run);
    let ci: Vec<_> = all.iter().filter(|f| f["rule"].as_str().unwrap().starts_with("ci/")).collect();
    // The template's job script comes through `extends:` from a nested include: no missing script.
    assert!(ci.iter().all(|f| f["rule"] != "ci/invalid-structure" || f["path"] == "ci/jobs/release.yml"), "{ci:#?}");
    let stage = of_rule(&all, "ci/invalid-structure");
    assert_eq!(stage.len(), 1, "{stage:#?}");
    assert_eq!(at(stage[0]), ("ci/jobs/release.yml".into(), 2, 10));
    assert!(stage[0]["message"].as_str().unwrap().contains("`relase`"));
    let needs = of_rule(&all, "ci/unknown-needs");
    assert_eq!(needs.len(), 1, "{needs:#?}");
    assert_eq!(at(needs[0]), ("ci/jobs/release.yml".into(), 3, 11));
    assert!(needs[0]["message"].as_str().unwrap().contains("did you mean `test`?"));
    // The image is in the template, in the file that defines it.
    let image = of_rule(&all, "ci/unpinned-image");
    assert_eq!(image.len(), 1, "{image:#?}");
    assert_eq!(at(image[0]), ("ci/templates.yml".into(), 2, 10));
    assert!(ci.iter().all(|f| f["path"] != "ci/unused.yml"), "{ci:#?}");
}

#[test]
fn expressions_are_located_inside_block_scalars() {
    let wf = "on: pull_request_target\npermissions: {}\njobs:\n  greet:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 5\n    steps:\n      - name: greet\n        run: |\n          echo start\n          echo \"${{ github.event.pull_request.title }}\" > title.txt\n";
    let dir = tree(&[(".github/workflows/greet.yml", wf.as_bytes())]);
    let run = opslint(dir.path(), &["check", "--format", "json", "--select", "ci/template-injection", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let all = findings(&run);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(at(&all[0]), (".github/workflows/greet.yml".into(), 11, 17));
}

#[test]
fn unpinned_action_options_come_from_the_config() {
    let wf = "on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: my-org/setup@v2\n      - uses: other/setup@v1\n      - uses: actions/checkout@v4\n";
    let dir = tree(&[
        (".github/workflows/ci.yml", wf.as_bytes()),
        ("opslint.toml", b"[plugins.ci.options]\nallowed-owners = [\"my-org\"]\nallow-first-party-tags = false\n"),
    ]);
    let run = opslint(dir.path(), &["check", "--format", "json", "--select", "ci/unpinned-action", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<u64> = findings(&run).iter().map(|f| f["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, vec![7, 8]);
}

#[test]
fn evidence_says_what_runs_where() {
    let dir = tree(&[
        (
            ".github/workflows/ci.yml",
            b"on: [pull_request]\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: go test ./...\n      - uses: github/codeql-action/analyze@v3\n",
        ),
        (
            ".github/workflows/deploy.yml",
            b"on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-24.04\n    environment: production\n    steps:\n      - run: helm upgrade --install api chart/\n",
        ),
        (
            ".github/workflows/backup.yml",
            b"on:\n  schedule:\n    - cron: '0 3 * * *'\njobs:\n  dump:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: pg_dump -Fc shop > shop.dump\n",
        ),
        (".github/dependabot.yml", b"version: 2\nupdates:\n  - package-ecosystem: gomod\n    directory: /\n    schedule: {interval: weekly}\n"),
        ("renovate.json", b"{\"extends\": [\"config:recommended\"]}\n"),
        (
            ".gitlab-ci.yml",
            b"deploy-prod:\n  stage: deploy\n  environment: production\n  script: ./deploy.sh\n  when: manual\nvelero:\n  script: velero backup create nightly-$CI_PIPELINE_ID\n  rules:\n    - if: $CI_PIPELINE_SOURCE == 'schedule'\n",
        ),
    ]);
    let run = opslint(dir.path(), &["check", "--format", "json", "."]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let json = run.json();
    let evidence: Vec<(String, String, String)> = json["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["key"].as_str().unwrap().starts_with("ci/"))
        .map(|e| {
            (
                e["key"].as_str().unwrap().to_string(),
                e["value"].to_string(),
                e["path"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let has = |key: &str, needle: &str| evidence.iter().any(|(k, v, _)| k == key && v.contains(needle));
    assert!(has("ci/systems", "github-actions") && has("ci/systems", "gitlab-ci"), "{evidence:#?}");
    assert!(has("ci/tests-on-pull-requests", "go test"), "{evidence:#?}");
    assert!(has("ci/deploy", "helm upgrade") && has("ci/deploy", "environment `production`"), "{evidence:#?}");
    assert!(has("ci/production-approval", "required reviewers"), "{evidence:#?}");
    assert!(has("ci/production-approval", "when: manual"), "{evidence:#?}");
    assert!(has("ci/scheduled", "0 3 * * *") && has("ci/scheduled", "pg_dump"), "{evidence:#?}");
    assert!(has("ci/backup-job", "pg_dump"), "{evidence:#?}");
    assert!(has("ci/backup-job", "GitLab job `velero` runs velero, scheduled"), "{evidence:#?}");
    assert!(has("ci/scheduled", "backup (velero)"), "{evidence:#?}");
    assert!(
        has("ci/dependency-updates", "gomod (weekly)") && has("ci/dependency-updates", "renovate"),
        "{evidence:#?}"
    );
    assert!(has("ci/security-scanning", "codeql"), "{evidence:#?}");
}

#[test]
fn the_example_shows_ci_findings() {
    let run = opslint(&repo(), &["check", "--format", "json", "examples/shop"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let rules = run.rules();
    for rule in
        ["ci/template-injection", "ci/unpinned-action", "ci/curl-pipe-shell", "ci/production-deploy-without-gate"]
    {
        assert!(rules.iter().any(|r| r == rule), "{rule} missing: {rules:?}");
    }
    // The push-to-main deploy has no environment: no approval gate, and the evidence says so.
    let json = run.json();
    let gate: Vec<_> =
        json["evidence"].as_array().unwrap().iter().filter(|e| e["key"] == "ci/production-approval").collect();
    assert_eq!(gate.len(), 1, "{gate:?}");
    assert_eq!(gate[0]["value"], false);
    assert_eq!(gate[0]["path"], "examples/shop/.github/workflows/deploy.yml");
}

/// Every workflow (also the starter templates outside `.github/workflows`),
/// action and GitLab file of the corpus, copied into one repository.
#[test]
fn every_corpus_ci_file_scans_without_a_plugin_failure() {
    let Some(corpus) = shared_input("corpus") else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    let mut stack = vec![corpus.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p.strip_prefix(&corpus).unwrap().to_string_lossy().replace('\\', "/");
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
            let target = if yaml && (rel.contains("/workflows/") || rel.starts_with("actions+starter-workflows/")) {
                format!("w{n}/.github/workflows/{name}")
            } else if name.contains("gitlab-ci") && yaml {
                format!("g{n}/.gitlab-ci.yml")
            } else if name == "action.yml" || name == "action.yaml" {
                format!("a{n}/{name}")
            } else {
                continue;
            };
            n += 1;
            let out = dir.path().join(target);
            std::fs::create_dir_all(out.parent().unwrap()).unwrap();
            std::fs::copy(&p, out).unwrap();
        }
    }
    assert!(n > 500, "{n} CI files");
    let run = opslint(dir.path(), &["check", "--format", "json", "--select", "ci", "."]);
    assert!(run.code == 0 || run.code == 1, "exit {}: {}", run.code, run.stderr);
    let json = run.json();
    let failures: Vec<_> =
        json["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "opslint/plugin-failed").collect();
    assert!(failures.is_empty(), "{failures:?}");
    assert!(json["summary"]["files_checked"].as_u64().unwrap() >= n as u64, "{}", json["summary"]);
}

//! opslint's maturity plugin: evidence, read from files, of how a service is
//! run — runbook docs, deployment config, readable logs, dashboards and alert
//! rules as code, SLOs, disaster-recovery drills, postmortems and chaos
//! experiments. It has no rules: the host's maturity assessment
//! (`opslint --maturity`) weighs its evidence with the other plugins' against
//! the rubric in `policies/maturity.toml`. It runs only for that assessment.
#![forbid(unsafe_code)]

pub mod scan;
pub mod rules {
    include!(concat!(env!("OUT_DIR"), "/rules.rs"));
}

use opslint_sdk::{Ctx, EvidenceMeta, FileMatcher, Registered, RepoPlugin};

pub struct MaturityPlugin;

/// What the (absent) rules would see: the evidence is gathered while building it.
pub struct Repo;

/// The marker that starts the block opslint writes into `maturity-assessment.md`:
/// the text between it and the end marker is not evidence (it quotes the rubric).
pub const BLOCK_BEGIN: &str = "<!-- opslint:maturity:begin -->";
pub const BLOCK_END: &str = "<!-- opslint:maturity:end -->";

impl RepoPlugin for MaturityPlugin {
    type File = ();
    type Repo = Repo;
    const NAME: &'static str = "maturity";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str =
        "Evidence for the maturity assessment: runbooks, deploy config, logging, dashboards, SLOs, drills";

    fn files() -> Vec<FileMatcher> {
        let g = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        vec![
            FileMatcher { kind: "docs".into(), globs: g(&["**/*.md", "**/*.markdown", "**/*.rst", "**/*.adoc"]) },
            FileMatcher { kind: "yaml".into(), globs: g(&["**/*.yaml", "**/*.yml"]) },
            FileMatcher { kind: "json".into(), globs: g(&["**/*.json"]) },
            // Platform manifests that are neither YAML nor JSON.
            FileMatcher { kind: "platform".into(), globs: g(&["**/Procfile", "**/fly.toml", "**/railway.toml"]) },
            FileMatcher { kind: "jsonnet".into(), globs: g(&["**/*.jsonnet", "**/*.libsonnet"]) },
            FileMatcher { kind: "terraform".into(), globs: g(&["**/*.tf"]) },
            FileMatcher { kind: "nomad".into(), globs: g(&["**/*.nomad", "**/*.nomad.hcl"]) },
            FileMatcher {
                kind: "ci".into(),
                globs: g(&["**/Jenkinsfile", "**/Jenkinsfile.*", "**/*.jenkinsfile", "**/.teamcity/*"]),
            },
            FileMatcher {
                kind: "script".into(),
                globs: g(&[
                    "**/*.sh",
                    "**/*.bash",
                    "**/Makefile",
                    "**/GNUmakefile",
                    "**/*.mk",
                    "**/Justfile",
                    "**/justfile",
                    // Extensionless launchers (`./launcher`, `bin/deploy`), read when they start with `#!`.
                    "*",
                    "**/bin/*",
                    "**/script/*",
                    "**/scripts/*",
                ]),
            },
            FileMatcher {
                kind: "manifest".into(),
                globs: g(&[
                    "**/requirements*.txt",
                    "**/pyproject.toml",
                    "**/Pipfile",
                    "**/setup.cfg",
                    "**/package.json",
                    "**/go.mod",
                    "**/Cargo.toml",
                    "**/Gemfile",
                    "**/pom.xml",
                    "**/build.gradle",
                    "**/build.gradle.kts",
                    "**/*.csproj",
                    "**/composer.json",
                ]),
            },
            FileMatcher {
                kind: "logging".into(),
                globs: g(&[
                    "**/logback*.xml",
                    "**/log4j2*.xml",
                    "**/logging.conf",
                    "**/logging.ini",
                    "**/fluent-bit.conf",
                    "**/fluent.conf",
                    "**/vector.toml",
                    "**/.env",
                    "**/*.env",
                ]),
            },
        ]
    }

    fn rules() -> &'static [Registered<Repo>] {
        rules::RULES
    }

    fn evidence() -> Vec<EvidenceMeta> {
        scan::meta()
    }

    fn parse(_cx: &mut Ctx) -> Option<()> {
        Some(())
    }

    fn build(_files: Vec<(usize, ())>, cx: &mut Ctx) -> Repo {
        let docs: Vec<(&str, &str)> = cx.documents().to_vec();
        for fact in scan::scan(&docs) {
            cx.evidence_line(Some(&fact.path), fact.line, fact.key, fact.value, fact.note);
        }
        Repo
    }
}

opslint_sdk::export_repo_plugin!(MaturityPlugin);

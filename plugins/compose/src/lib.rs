//! opslint's Docker Compose plugin: compose files read and merged the way
//! `docker compose config` reads them (default file and override, overlays,
//! `COMPOSE_FILE`, `extends:`, `include:`, `${VAR}` interpolation with the
//! `.env` beside the file), then judged service by service. One batch per
//! repository: projects span files.
#![forbid(unsafe_code)]

mod evidence;
pub mod files;
pub mod interpolate;
pub mod model;
mod prelude;
pub mod rules {
    include!(concat!(env!("OUT_DIR"), "/rules.rs"));
}

use model::{File, Repo};
use opslint_sdk::{Ctx, EvidenceMeta, FileMatcher, Registered, RepoPlugin};

pub struct ComposePlugin;

impl RepoPlugin for ComposePlugin {
    type File = File;
    type Repo = Repo;
    const NAME: &'static str = "compose";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str = "Docker Compose files: security, data that survives, start-up order, resources";

    fn files() -> Vec<FileMatcher> {
        let g = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        vec![
            // Listed, not read: `.dockerignore` files, and sources a build context may hold.
            // (Disjoint from the globs below: the first matcher that matches a file decides its kind.)
            FileMatcher {
                kind: "context-files".into(),
                globs: g(&[
                    "**/.dockerignore",
                    "**/*.dockerignore",
                    "**/*.py",
                    "**/*.go",
                    "**/*.js",
                    "**/*.ts",
                    "**/*.java",
                    "**/*.rb",
                    "**/*.php",
                    "**/*.rs",
                    "**/*.cs",
                    "**/*.json",
                    "**/*.lock",
                    "**/*.txt",
                    "**/*.html",
                    "**/go.mod",
                    "**/Gemfile",
                    "**/pom.xml",
                    "**/build.gradle",
                    "**/Cargo.toml",
                    "**/*.csproj",
                ]),
            },
            FileMatcher {
                kind: "compose".into(),
                globs: g(&[
                    "**/compose.yaml",
                    "**/compose.yml",
                    "**/compose.*.yaml",
                    "**/compose.*.yml",
                    "**/compose-*.yaml",
                    "**/compose-*.yml",
                    "**/docker-compose.yaml",
                    "**/docker-compose.yml",
                    "**/docker-compose.*.yaml",
                    "**/docker-compose.*.yml",
                    "**/docker-compose-*.yaml",
                    "**/docker-compose-*.yml",
                ]),
            },
            // Samples copied into place (an override with the secrets the default file uses).
            FileMatcher {
                kind: "compose-sample".into(),
                globs: g(&[
                    "**/compose*.y*ml.example",
                    "**/docker-compose*.y*ml.example",
                    "**/compose*.y*ml.dist",
                    "**/docker-compose*.y*ml.dist",
                    "**/compose*.y*ml.sample",
                    "**/docker-compose*.y*ml.sample",
                ]),
            },
            // Variables the files interpolate.
            FileMatcher { kind: "env".into(), globs: g(&["**/.env"]) },
            // Files a compose file includes or extends under another name (read only then).
            FileMatcher { kind: "yaml".into(), globs: g(&["**/*.yaml", "**/*.yml"]) },
        ]
    }

    fn rules() -> &'static [Registered<Repo>] {
        rules::RULES
    }

    fn evidence() -> Vec<EvidenceMeta> {
        evidence::meta()
    }

    fn parse(cx: &mut Ctx) -> Option<File> {
        model::parse(cx)
    }

    fn build(files: Vec<(usize, File)>, cx: &mut Ctx) -> Repo {
        model::build(files, cx)
    }

    fn collect_evidence(cx: &mut Ctx, repo: &Repo) {
        evidence::collect(cx, repo);
    }
}

opslint_sdk::export_repo_plugin!(ComposePlugin);

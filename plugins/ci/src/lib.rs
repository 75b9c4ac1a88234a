//! opslint's CI plugin: GitHub Actions workflows and actions, GitLab CI
//! pipelines with their local includes, and dependency-update configuration.
//! Every matching file is in one batch (a pipeline's includes and the
//! Dependabot file are other files), read with `opslint-yaml`, one rule per file.
#![forbid(unsafe_code)]

pub mod adhoc;
pub mod detect;
pub mod edit;
mod evidence;
pub mod expr;
pub mod fact;
pub mod model;
pub mod other;
mod prelude;
pub mod rules {
    include!(concat!(env!("OUT_DIR"), "/rules.rs"));
}

use model::{File, Repo};
use opslint_sdk::{Ctx, EvidenceMeta, FactPlugin, FileMatcher, Registered, RepoPlugin};

pub struct CiPlugin;

const OPTIONS_SCHEMA: &str = r#"{
  "type": "object",
  "properties": {
    "allowed-owners": {
      "description": "unpinned-action: owners (or owner/repo) whose actions may be referenced by tag",
      "type": "array",
      "items": { "type": "string" }
    },
    "allow-first-party-tags": {
      "description": "unpinned-action: allow tags for actions/* and github/* (default true)",
      "type": "boolean"
    },
    "production-environments": {
      "description": "environment names treated as production (default: names containing `prod`, and `live`)",
      "type": "array",
      "items": { "type": "string" }
    }
  }
}"#;

impl RepoPlugin for CiPlugin {
    type File = File;
    type Repo = Repo;
    const NAME: &'static str = "ci";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str =
        "GitHub Actions and GitLab CI: injection, pinning, permissions, structure, deploy gates";

    fn files() -> Vec<FileMatcher> {
        let g = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        vec![
            FileMatcher {
                kind: "github-workflow".into(),
                globs: g(&["**/.github/workflows/*.yml", "**/.github/workflows/*.yaml"]),
            },
            FileMatcher { kind: "github-action".into(), globs: g(&["**/action.yml", "**/action.yaml"]) },
            FileMatcher { kind: "gitlab-ci".into(), globs: g(&["**/.gitlab-ci.yml", "**/.gitlab-ci.yaml"]) },
            FileMatcher {
                kind: "dependency-updates".into(),
                globs: g(&[
                    "**/.github/dependabot.yml",
                    "**/.github/dependabot.yaml",
                    "**/renovate.json",
                    "**/renovate.json5",
                    "**/.renovaterc",
                    "**/.renovaterc.json",
                    "**/.renovaterc.json5",
                    "**/.github/renovate.json",
                    "**/.github/renovate.json5",
                    "**/.gitlab/renovate.json",
                ]),
            },
            // Candidates for a GitLab `include: local:`; read only when included.
            FileMatcher { kind: "yaml".into(), globs: g(&["**/*.yml", "**/*.yaml"]) },
            // Wrappers a job runs (`./ci/check.sh`, `make ci`): read only to see whether they run tests.
            FileMatcher {
                kind: "script".into(),
                globs: g(&[
                    "**/*.sh",
                    "**/*.bash",
                    "**/Makefile",
                    "**/GNUmakefile",
                    "**/Justfile",
                    "**/justfile",
                    "**/script/*",
                    "**/scripts/*",
                    "**/bin/*",
                ]),
            },
        ]
    }

    fn rules() -> &'static [Registered<Repo>] {
        rules::RULES
    }

    fn evidence() -> Vec<EvidenceMeta> {
        evidence::meta()
    }

    fn options_schema() -> Option<String> {
        Some(OPTIONS_SCHEMA.to_string())
    }

    fn parse(cx: &mut Ctx) -> Option<File> {
        Some(model::parse_file(cx))
    }

    fn build(files: Vec<(usize, File)>, cx: &mut Ctx) -> Repo {
        model::build(files, cx)
    }

    fn collect_evidence(cx: &mut Ctx, repo: &Repo) {
        if std::env::var_os("NO_EVIDENCE").is_none() {
            evidence::collect(cx, repo);
        }
    }
}

/// Every rule reads the repository's model (a pipeline's includes, the
/// Dependabot file beside the workflows), so all run in the join; `extract`
/// parses each file on every core, and scans a workflow's job scripts (what
/// each job deploys, tests, backs up: `fact.rs`). Its fact is the file's
/// YAML roots, then the job facts of a workflow or of a GitLab file that
/// includes nothing (its kind comes from its path again in the join).
impl FactPlugin for CiPlugin {
    fn in_join(_rule: &str) -> bool {
        true
    }

    fn extract(cx: &mut Ctx, file: File, _rules: &[&'static Registered<Repo>], out: &mut Vec<u8>) {
        // Plain YAML (most of a repository's): an empty fact, which the join
        // knows without asking the path again.
        if matches!(file.kind, model::Kind::Yaml) {
            return;
        }
        opslint_yaml::codec::write_usize(file.roots.len(), out);
        for root in &file.roots {
            opslint_yaml::codec::write(root, cx.text, out);
        }
        // What each job does: the costliest part of the model, made here on every core.
        let facts = match file.kind {
            model::Kind::Workflow => file
                .roots
                .into_iter()
                .next()
                .filter(|r| r.is_map())
                .map(|root| model::Workflow::new(0, root, None).into_job_facts()),
            model::Kind::GitLab => model::standalone_pipeline_facts(&file.roots, cx.path, cx),
            _ => None,
        };
        match facts {
            Some(facts) => {
                out.push(1);
                fact::write(&facts, out);
            }
            None => out.push(0),
        }
    }

    fn join(facts: Vec<(usize, &[u8])>, cx: &mut Ctx) -> Option<Repo> {
        let mut files = Vec::with_capacity(facts.len());
        for (i, mut fact) in facts {
            let (path, text) = *cx.documents().get(i)?;
            if fact.is_empty() {
                files.push((i, File { kind: model::Kind::Yaml, roots: Vec::new(), job_facts: None }));
                continue;
            }
            let n = opslint_yaml::codec::read_usize(&mut fact)?;
            let roots = (0..n).map(|_| opslint_yaml::codec::read(&mut fact, text)).collect::<Option<Vec<_>>>()?;
            let (&tag, mut rest) = fact.split_first()?;
            let job_facts = match tag {
                0 => None,
                _ => fact::read(&mut rest, i)?,
            };
            files.push((i, File { kind: model::classify(path), roots, job_facts }));
        }
        Some(Self::build(files, cx))
    }
}

opslint_sdk::export_fact_plugin!(CiPlugin);

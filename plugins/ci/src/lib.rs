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
use opslint_sdk::{
    read_findings, run_rules, write_findings, Ctx, EvidenceMeta, FactPlugin, FileMatcher, Registered, RepoPlugin,
};

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

/// The rules judge each item of the model alone (a workflow, an action, a
/// pipeline with what it includes), so `extract` judges every file whose
/// items come from it alone, on every core, and keeps the findings in its
/// fact; the join judges only the GitLab files that include others (with
/// every rule: the SDK passes on only the enabled ones' findings) and
/// collects the evidence, which reads other files (a job's wrapper script). Also in the fact: the file's
/// YAML roots and what each job deploys, tests, backs up (`fact.rs`), the
/// costliest part of the model. Its kind comes from its path again in the join.
impl FactPlugin for CiPlugin {
    fn in_join(_rule: &str) -> bool {
        false
    }

    fn extract(cx: &mut Ctx, file: File, rules: &[&'static Registered<Repo>], out: &mut Vec<u8>) {
        // Plain YAML (most of a repository's): an empty fact, which the join
        // knows without asking the path again.
        if matches!(file.kind, model::Kind::Yaml) {
            return;
        }
        opslint_yaml::codec::write_usize(file.roots.len(), out);
        for root in &file.roots {
            opslint_yaml::codec::write(root, cx.text, out);
        }
        let kind = file.kind;
        let Some(repo) = model::alone(file, cx) else {
            // Its job facts and findings are the join's.
            out.extend_from_slice(&[0, 0]);
            return;
        };
        let facts = match kind {
            model::Kind::Workflow => repo.workflows.first().map(model::Workflow::job_facts),
            model::Kind::GitLab => repo.pipelines.first().map(model::Pipeline::job_facts),
            _ => None,
        };
        match facts {
            Some(facts) => {
                out.push(1);
                fact::write(facts, out);
            }
            None => out.push(0),
        }
        let findings = run_rules(cx, rules, &repo);
        out.push(1);
        write_findings(findings, cx.path, out);
    }

    fn join(facts: Vec<(usize, &[u8])>, cx: &mut Ctx) -> Option<Repo> {
        let mut files = Vec::with_capacity(facts.len());
        let mut including = std::collections::BTreeSet::new();
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
            match rest.split_first()? {
                (0, _) => drop(including.insert(i)),
                // The last part of the fact: passed over unread when the run does not report the file.
                (_, mut found) if cx.reports_doc(i) => cx.keep_findings(read_findings(&mut found, path)?),
                _ => {}
            }
            files.push((i, File { kind: model::classify(path), roots, job_facts }));
        }
        let mut repo = Self::build(files, cx);
        if !including.is_empty() {
            let (judged, others) =
                std::mem::take(&mut repo.pipelines).into_iter().partition(|p| including.contains(&p.doc));
            let view = Repo { pipelines: judged, paths: std::mem::take(&mut repo.paths), ..Repo::default() };
            let rules: Vec<&'static Registered<Repo>> = Self::rules().iter().collect();
            let found = run_rules(cx, &rules, &view);
            cx.keep_findings(found);
            repo.paths = view.paths;
            repo.pipelines = others;
            repo.pipelines.extend(view.pipelines);
            repo.pipelines.sort_by_key(|p| p.doc);
        }
        Some(repo)
    }
}

opslint_sdk::export_fact_plugin!(CiPlugin);

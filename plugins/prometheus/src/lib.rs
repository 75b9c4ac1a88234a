//! opslint's Prometheus plugin: alerting and recording rules (rule files,
//! PrometheusRule objects, rules embedded in Helm values) with their PromQL
//! parsed by `promql-parser`, and Alertmanager routing. One batch per
//! repository: the scrape interval of a `prometheus.yml` and the files a
//! relative `runbook_url` names are read across files.
#![forbid(unsafe_code)]

pub mod duration;
mod evidence;
mod latched;
pub mod model;
mod prelude;
pub mod promql;
pub mod template;
pub mod rules {
    include!(concat!(env!("OUT_DIR"), "/rules.rs"));
}

use model::{File, Repo};
use opslint_sdk::{Ctx, EvidenceMeta, FileMatcher, Registered, RepoPlugin};

pub struct PrometheusPlugin;

const OPTIONS_SCHEMA: &str = r#"{
  "type": "object",
  "properties": {
    "severities": {
      "description": "The values an alert's `severity` label may take",
      "type": "array", "items": { "type": "string" }
    },
    "scrape-interval": {
      "description": "The scrape interval rate() ranges are judged against (a Prometheus duration such as `30s`), when no prometheus.yml in the repository says it",
      "type": "string"
    }
  }
}"#;

impl RepoPlugin for PrometheusPlugin {
    type File = File;
    type Repo = Repo;
    const NAME: &'static str = "prometheus";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str = "Prometheus alerting and recording rules, PromQL and Alertmanager routing";

    fn files() -> Vec<FileMatcher> {
        let g = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        vec![
            // Runbooks a relative `runbook_url` may name: listed, not read.
            FileMatcher {
                kind: "context-docs".into(),
                globs: g(&["**/*.md", "**/*.adoc", "**/*.rst", "**/*.txt", "**/*.html"]),
            },
            FileMatcher { kind: "yaml".into(), globs: g(&["**/*.yaml", "**/*.yml", "**/*.rules"]) },
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
        Some(model::parse_file(cx.text))
    }

    fn build(files: Vec<(usize, File)>, cx: &mut Ctx) -> Repo {
        let paths = cx.documents().iter().map(|d| d.0.to_string()).collect();
        model::build(files, paths)
    }

    fn collect_evidence(cx: &mut Ctx, repo: &Repo) {
        evidence::collect(cx, repo);
    }
}

opslint_sdk::export_repo_plugin!(PrometheusPlugin);

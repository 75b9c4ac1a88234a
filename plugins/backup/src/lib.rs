//! opslint's backup plugin: which databases the repository deploys and
//! whether each one is backed up off-site, on a schedule, with a restore that
//! is written down and tried. It runs in the evidence phase: besides its own
//! files (Helm values, Terraform, scripts, docs, YAML) it reads what the other
//! plugins found (k8s databases, CI backup jobs and restore drills, the
//! Dockerfiles the dockerfile plugin read, the compose services the compose
//! plugin read) from the host's evidence document. Compose files that plugin
//! did not read (templates, samples, files under other names, files that are
//! not YAML) are still read here, line by line where need be.
#![forbid(unsafe_code)]

pub mod compose;
mod evidence;
pub mod hcl;
pub mod model;
mod prelude;
mod report;
pub mod shell;
pub mod rules {
    include!(concat!(env!("OUT_DIR"), "/rules.rs"));
}

use model::{File, Repo};
use opslint_sdk::{Ctx, EvidenceMeta, FactPlugin, FileMatcher, Registered, RepoPlugin};

pub struct BackupPlugin;

/// Default shortest retention, in days, that `short-retention` accepts.
pub const MIN_RETENTION_DAYS: f64 = 7.0;

const OPTIONS_SCHEMA: &str = r#"{
  "type": "object",
  "properties": {
    "min-retention-days": {
      "description": "Shortest backup retention, in days, that short-retention accepts (default 7)",
      "type": "number",
      "minimum": 0
    }
  }
}"#;

impl RepoPlugin for BackupPlugin {
    type File = File;
    type Repo = Repo;
    const NAME: &'static str = "backup";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str =
        "Backup coverage: every database backed up off-site on a schedule, restores documented and verified";

    fn files() -> Vec<FileMatcher> {
        let g = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        vec![
            // Puts the plugin in the evidence phase; the globs name the evidence it reads
            // (k8s databases and the images of other containers, CI backup jobs and restore
            // drills, the Dockerfiles and compose services other plugins read): each key
            // the model reads and no other, so the evidence document holds no record it
            // skips (a repository's every workload and Service).
            FileMatcher { kind: "evidence".into(), globs: g(model::EVIDENCE_KEYS) },
            FileMatcher { kind: "terraform".into(), globs: g(&["**/*.tf"]) },
            FileMatcher { kind: "nomad".into(), globs: g(&["**/*.nomad", "**/*.nomad.hcl"]) },
            FileMatcher { kind: "yaml".into(), globs: g(&["**/*.yaml", "**/*.yml"]) },
            // Compose and values files rendered from templates, or copied from samples, and the
            // `.env` files that name their images.
            FileMatcher {
                kind: "yaml-template".into(),
                globs: g(&[
                    "**/*.yml.j2",
                    "**/*.yaml.j2",
                    "**/*.yml.jinja",
                    "**/*.yml.jinja2",
                    "**/*.yml.tpl",
                    "**/*.yaml.tpl",
                    "**/*.yml.tmpl",
                    "**/*.yaml.tmpl",
                    "**/*.yml.template",
                    "**/*.yaml.template",
                    "**/*.yaml.gotmpl",
                    "**/docker-compose*.yml.example",
                    "**/docker-compose*.yml.dist",
                ]),
            },
            FileMatcher {
                kind: "env".into(),
                globs: g(&[
                    "**/.env",
                    "**/*.env",
                    "**/.env.example",
                    "**/env.example",
                    "**/.env.dist",
                    "**/.env.sample",
                ]),
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
                    // Extensionless scripts (read when they start with `#!`).
                    "**/bin/*",
                    "**/sbin/*",
                    "**/script/*",
                    "**/scripts/*",
                    "**/files/*",
                ]),
            },
            FileMatcher {
                kind: "scheduler".into(),
                globs: g(&["**/crontab", "**/*.crontab", "**/*.cron", "**/cron.d/*", "**/*.timer", "**/*.service"]),
            },
            // Platform manifests that declare databases and are not YAML (Heroku's app.json).
            FileMatcher { kind: "platform".into(), globs: g(&["**/app.json"]) },
            FileMatcher { kind: "docs".into(), globs: g(&["**/*.md", "**/*.markdown", "**/*.rst", "**/*.adoc"]) },
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
        model::parse(cx.path, cx.kind, cx.text)
    }

    fn build(files: Vec<(usize, File)>, cx: &mut Ctx) -> Repo {
        cx.set_rule("short-retention");
        let min = cx.option::<f64>("min-retention-days").unwrap_or(MIN_RETENTION_DAYS);
        cx.set_rule("");
        let docs: Vec<(&str, &str)> = cx.documents().to_vec();
        model::assemble(&docs, files, min)
    }

    fn collect_evidence(cx: &mut Ctx, repo: &Repo) {
        evidence::collect(cx, repo);
    }
}

/// Every rule judges the repository as a whole, so all run in the join;
/// `extract` parses the YAML, the costly part, on every core before the
/// evidence phase. A YAML file's fact is its stream, or only a mark when it
/// gives the model nothing (most manifests: `model::yields_nothing`); any
/// other file is read again in the join (scripts, Terraform, the evidence
/// document: cheap).
impl FactPlugin for BackupPlugin {
    fn in_join(_rule: &str) -> bool {
        true
    }

    fn extract(cx: &mut Ctx, file: File, _rules: &[&'static Registered<Repo>], out: &mut Vec<u8>) {
        match file {
            File::Yaml(stream) if model::yields_nothing(cx.path, cx.text, &stream) => out.push(2),
            File::YamlUnused => out.push(2),
            File::Yaml(stream) => {
                out.push(1);
                opslint_yaml::codec::write_stream(&stream, cx.text, out);
            }
            _ => out.push(0),
        }
    }

    fn join(facts: Vec<(usize, &[u8])>, cx: &mut Ctx) -> Option<Repo> {
        let docs: Vec<(&str, &str)> = cx.documents().to_vec();
        let mut files = Vec::with_capacity(facts.len());
        for (i, fact) in facts {
            let (&tag, mut rest) = fact.split_first()?;
            let file = match tag {
                1 => File::Yaml(opslint_yaml::codec::read_stream(&mut rest, docs[i].1)?),
                2 => File::YamlUnused,
                // Read again; the kind only matters natively (model::classify).
                _ => model::parse(docs[i].0, "", docs[i].1)?,
            };
            files.push((i, file));
        }
        Some(Self::build(files, cx))
    }
}

opslint_sdk::export_fact_plugin!(BackupPlugin);

//! opslint's Kubernetes plugin: every manifest of the repository in one
//! batch (a Service and its Deployment may sit in two files), read with
//! `opslint-yaml` (exact spans, bounded aliases and depth), one rule per file.
#![forbid(unsafe_code)]

mod evidence;
mod fact;
pub mod model;
mod others;
mod prelude;
pub mod rules {
    include!(concat!(env!("OUT_DIR"), "/rules.rs"));
}

use std::collections::BTreeMap;

use model::{File, Repo};
use opslint_sdk::{run_rules, Ctx, EvidenceMeta, FactPlugin, FileMatcher, FindingExt, Registered, RepoPlugin};

pub struct K8sPlugin;

const OPTIONS_SCHEMA: &str = r#"{
  "type": "object",
  "properties": {
    "workload-kinds": {
      "description": "Custom resources that run pods: their kind and the path to their pod spec",
      "type": "array",
      "items": {
        "type": "object",
        "required": ["kind", "pod-spec"],
        "properties": { "kind": { "type": "string" }, "pod-spec": { "type": "string" } }
      }
    }
  }
}"#;

impl RepoPlugin for K8sPlugin {
    type File = File;
    type Repo = Repo;
    const NAME: &'static str = "k8s";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str = "Kubernetes manifests: security, reliability and cross-object checks";

    fn files() -> Vec<FileMatcher> {
        let g = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        vec![
            FileMatcher { kind: "helm-chart".into(), globs: g(&["**/Chart.yaml"]) },
            FileMatcher { kind: "yaml".into(), globs: g(&["**/*.yaml", "**/*.yml"]) },
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
        // A GitHub Actions workflow or a `.gitlab-ci.yml` is never a manifest:
        // the ci plugin reads it (and reports its YAML errors); parsed here
        // too, it gave nothing but a second report of a limit it exceeds.
        use opslint_knowledge::ci::{system_of, GITHUB_ACTIONS, GITLAB_CI};
        if system_of(cx.path).is_some_and(|s| s.id == GITHUB_ACTIONS.id || s.id == GITLAB_CI.id) {
            return Some(File::default());
        }
        Some(model::parse_file(cx.path, cx.text))
    }

    fn build(files: Vec<(usize, File)>, cx: &mut Ctx) -> Repo {
        let paths: Vec<&str> = cx.documents().iter().map(|d| d.0).collect();
        // Chart directories ("" for the root), with their Chart.yaml.
        let charts: Vec<(String, usize, String, std::ops::Range<usize>)> = files
            .iter()
            .filter_map(|(i, f)| {
                let (name, span) = f.chart.clone()?;
                Some((parent(paths[*i]).to_string(), *i, name, span))
            })
            .collect();
        let mut helm: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut objects = Vec::new();
        // Files a kustomization applies as patches: partial objects, whose
        // object-level rules would judge fields the base already has.
        let patches: std::collections::BTreeSet<String> = files
            .iter()
            .flat_map(|(i, f)| f.patches.iter().filter_map(|p| model::join_path(parent(paths[*i]), p)))
            .collect();
        let mut patch_objects = Vec::new();
        let built_images: std::collections::BTreeSet<String> =
            files.iter().flat_map(|(_, f)| f.built_images.iter().cloned()).collect();
        for (i, mut file) in files {
            if patches.contains(paths[i]) {
                patch_objects.extend(std::mem::take(&mut file.objects).into_iter().map(|mut o| {
                    o.doc = i;
                    o
                }));
            }
            let path = &paths[i];
            if let Some(e) = &file.error {
                let chart_dir = charts
                    .iter()
                    .filter(|(dir, ..)| path.starts_with(&format!("{}templates/", with_slash(dir))))
                    .map(|(dir, ..)| dir.clone())
                    .max_by_key(String::len);
                let helm_dir = chart_dir.or_else(|| {
                    file.template_at.as_ref()?;
                    Some(match path.find("templates/") {
                        Some(at) if at == 0 || path[..at].ends_with('/') => path[..at].trim_end_matches('/').into(),
                        _ => parent(path).to_string(),
                    })
                });
                if model::is_limit(e) {
                    cx.report_in(i, e.span.clone(), e.message.clone())
                        .help("this file cannot be analysed safely; remove the deep nesting or the alias expansion");
                } else if let Some(dir) = helm_dir {
                    helm.entry(dir).or_default().push(i);
                } else if file.looks_like_manifest {
                    let (line, col) = opslint_yaml::line_col(cx.documents()[i].1, e.span.start);
                    cx.report_in(i, e.span.clone(), format!("{} (line {line}, column {col})", e.message)).help(
                        "fix the YAML syntax; `kubectl apply --dry-run=client -f FILE` shows what Kubernetes reads",
                    );
                }
            }
            objects.extend(file.objects.into_iter().map(|mut o| {
                o.doc = i;
                o
            }));
        }
        cx.set_rule("helm-template-not-analysed");
        for (dir, docs) in helm {
            let chart = charts.iter().find(|(d, ..)| *d == dir);
            let shown = if dir.is_empty() { ".".to_string() } else { dir.clone() };
            let names: Vec<&str> = docs.iter().take(3).map(|&i| paths[i]).collect();
            let more = if docs.len() > 3 { format!(" and {} more", docs.len() - 3) } else { String::new() };
            let message = format!(
                "Helm chart {}: {} template(s) are not plain YAML and were not analysed ({}{more})",
                chart.map_or(shown.clone(), |c| format!("\"{}\" ({shown})", c.2)),
                docs.len(),
                names.join(", ")
            );
            let (doc, span) = match chart {
                Some((_, i, _, span)) => (*i, span.clone()),
                None => {
                    let text = cx.documents()[docs[0]].1;
                    let at = text.find("{{").unwrap_or(0);
                    (docs[0], at..(at + 2).min(text.len()))
                }
            };
            let cd = if dir.is_empty() { String::new() } else { format!("cd {dir} && ") };
            cx.report_in(doc, span, message).help(format!(
                "lint the rendered manifests instead: `{cd}helm template . | opslint check - --stdin-filename rendered.yaml`"
            ));
        }
        cx.set_rule("parse-error");
        let extra_kinds = cx.option::<Vec<model::ExtraKind>>("workload-kinds").unwrap_or_default();
        let mut repo = Repo::new(objects, extra_kinds);
        repo.patches = patch_objects;
        repo.built_images = built_images;
        repo
    }

    fn collect_evidence(cx: &mut Ctx, repo: &Repo) {
        evidence::collect(cx, repo);
    }
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(p, _)| p)
}

fn with_slash(dir: &str) -> String {
    if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    }
}

/// Rules that look across files (a Service and the Deployment it selects,
/// a PDB, an HPA, a kustomization's images, the role bindings of a role, a
/// Helm chart's templates): they run in the join; the others judge one
/// object at a time and run per file in `extract`.
const JOIN_RULES: &[&str] = &[
    "parse-error",
    "helm-template-not-analysed",
    "image-tag",
    "missing-pdb",
    "missing-readiness-probe",
    "no-anti-affinity",
    "pdb-blocks-eviction",
    "pod-exec-access",
    "selects-nothing",
    "single-replica",
];

/// The one-file rules that judge a kustomize patch's objects too (they read
/// [`Repo::workloads_and_patches`]): they find the same in a file whether the
/// join learns it is a patch or not. A file's fact lists those of them that
/// found something; the join drops the other rules' findings in a patch.
const PATCH_RULES: &[&str] =
    &["dangerous-capabilities", "host-namespace", "host-path", "host-port", "privileged-container", "secret-in-env"];

impl FactPlugin for K8sPlugin {
    fn in_join(rule: &str) -> bool {
        JOIN_RULES.contains(&rule)
    }

    fn extract(cx: &mut Ctx, mut file: File, rules: &[&'static Registered<Repo>], out: &mut Vec<u8>) {
        cx.set_rule("parse-error");
        let extra_kinds = cx.option::<Vec<model::ExtraKind>>("workload-kinds").unwrap_or_default();
        // The file's objects as `build` would hold them.
        let repo = Repo::new(std::mem::take(&mut file.objects), extra_kinds);
        let findings = run_rules(cx, rules, &repo);
        // The objects' own evidence goes into the fact, the rest stays in `cx`.
        let before = cx.take_evidence();
        evidence::per_object(cx, &repo);
        // Its path is the file's: the join puts it back.
        let evidence = cx.take_evidence().into_iter().map(|e| opslint_sdk::Evidence { path: None, ..e }).collect();
        cx.keep_evidence(before);
        file.objects = repo.objects;
        // Known from the rules, not found by running them all again over the
        // file's objects as a patch (a sixteenth of the extract).
        let mut patch_rules: Vec<String> =
            findings.iter().filter(|f| PATCH_RULES.contains(&f.rule.as_str())).map(|f| f.rule.clone()).collect();
        patch_rules.sort_unstable();
        patch_rules.dedup();
        fact::write(fact::Fact { file, findings, patch_rules, evidence }, cx.path, cx.text, out);
    }

    fn join(facts: Vec<(usize, &[u8])>, cx: &mut Ctx) -> Option<Repo> {
        let mut files = Vec::with_capacity(facts.len());
        let mut found = Vec::with_capacity(facts.len());
        // The objects of files the run does not report, only as far as the
        // rules and the evidence read other files' objects.
        let custom_kinds = cx.option::<Vec<model::ExtraKind>>("workload-kinds").is_some_and(|k| !k.is_empty());
        let others = (!custom_kinds).then_some(others::OBJECT);
        for (i, bytes) in facts {
            let reported = cx.reports_doc(i);
            let fact = fact::read(bytes, *cx.documents().get(i)?, reported, if reported { None } else { others })?;
            files.push((i, fact.file));
            found.push((i, fact.findings, fact.patch_rules, fact.evidence));
        }
        let mut repo = Self::build(files, cx);
        let patch_docs: std::collections::BTreeSet<usize> = repo.patches.iter().map(|o| o.doc).collect();
        for (i, mut findings, patch_rules, evidence) in found {
            if patch_docs.contains(&i) {
                findings.retain(|f| patch_rules.contains(&f.rule));
            } else {
                let path = cx.documents()[i].0.to_string();
                cx.keep_evidence(evidence.into_iter().map(|e| opslint_sdk::Evidence { path: Some(path.clone()), ..e }));
            }
            cx.keep_findings(findings);
        }
        repo.object_evidence_kept = true;
        Some(repo)
    }
}

opslint_sdk::export_fact_plugin!(K8sPlugin);

#[cfg(test)]
mod tests {
    /// The one-file rules whose code reads patches are exactly
    /// [`super::PATCH_RULES`] (cross-file rules that read them judge patches
    /// in the join, and are left out).
    #[test]
    fn the_patch_rules_are_the_rules_that_read_patches() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        let mut reading: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let code = std::fs::read_to_string(p).unwrap();
                code.contains("workloads_and_patches") || code.contains(".patches")
            })
            .map(|p| p.file_stem().unwrap().to_str().unwrap().replace('_', "-"))
            .filter(|rule| !super::JOIN_RULES.contains(&rule.as_str()))
            .collect();
        reading.sort();
        assert_eq!(reading, super::PATCH_RULES);
    }
}

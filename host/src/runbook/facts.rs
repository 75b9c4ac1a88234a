//! The facts a runbook draft is filled from, read from the plugins' evidence
//! (never by re-reading files): each with the `file:line` it was found at.
use std::collections::BTreeMap;

use serde::Serialize;

use crate::report::Evidence;

/// Where a fact was found: `path:line` (path relative to the repository).
pub type Source = String;

#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub name: String,
    /// `compose service`, `Deployment`, `Service`…
    pub kind: String,
    pub image: String,
    pub ports: String,
    pub depends_on: Vec<String>,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct Database {
    pub name: String,
    pub engine: String,
    pub object: String,
    pub development: bool,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct Backup {
    pub database: String,
    pub kind: String,
    pub name: String,
    pub tools: String,
    pub scheduled: bool,
    pub target: String,
    pub retention_days: String,
    pub retention_source: String,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct Restore {
    pub database: String,
    pub how: String,
    pub automated: bool,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct Alert {
    pub name: String,
    pub expr: String,
    #[serde(rename = "for")]
    pub for_: String,
    pub severity: String,
    pub runbook: String,
    pub source: Source,
}

/// A fact that is one line of text (`Helm chart `shop``, `staging (kustomize overlay)`).
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub text: String,
    pub source: Source,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Facts {
    pub services: Vec<Service>,
    pub databases: Vec<Database>,
    pub backups: Vec<Backup>,
    pub restores: Vec<Restore>,
    pub environments: Vec<Line>,
    pub deploy_config: Vec<Line>,
    pub ci_deploys: Vec<Line>,
    pub gitops: Vec<Line>,
    /// CI systems opslint does not read: their deploys are unknown.
    pub ci_unread: Vec<Line>,
    pub workloads: Vec<Line>,
    pub metrics: Vec<Line>,
    pub dashboards: Vec<Line>,
    pub alerts: Vec<Alert>,
    pub rto_rpo: Vec<Line>,
    pub logs: Vec<Line>,
    /// Documents already covering a runbook topic (`deployment` → their sources).
    #[serde(skip)]
    pub topics: BTreeMap<String, Vec<Source>>,
    /// Runbook documents found (their paths), to find the folder the repository uses.
    #[serde(skip)]
    pub runbook_docs: Vec<String>,
}

/// `key=value` items as a map.
fn items(v: &serde_json::Value) -> BTreeMap<String, String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i.as_str()?.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
        .collect()
}

fn text(v: &serde_json::Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

impl Facts {
    /// `evidence` with paths relative to the repository root (`rel` turns a displayed path into one).
    pub fn from_evidence(evidence: &[Evidence], rel: &dyn Fn(&str) -> String) -> Facts {
        let mut f = Facts::default();
        for e in evidence {
            let Some(path) = e.path.as_deref() else { continue };
            let path = rel(path);
            let source = format!("{path}:{}", e.line.unwrap_or(1).max(1));
            let line = |t: String| Line { text: t, source: source.clone() };
            let m = items(&e.value);
            let get = |k: &str| m.get(k).cloned().unwrap_or_default();
            let yes = |k: &str| m.get(k).is_some_and(|v| v == "yes");
            let list = |k: &str| get(k).split(',').filter(|s| !s.is_empty()).map(str::to_string).collect::<Vec<_>>();
            match e.key.as_str() {
                "backup/compose-service" => f.services.push(Service {
                    name: get("name"),
                    kind: "compose service".into(),
                    image: get("image"),
                    ports: list("ports").join(", "),
                    depends_on: list("depends-on"),
                    source,
                }),
                "k8s/workload" => {
                    let name = get("name");
                    let (kind, short) = name.split_once('/').unwrap_or(("", &name));
                    f.services.push(Service {
                        name: short.to_string(),
                        kind: kind.to_string(),
                        image: list("images").join(", "),
                        ports: list("ports").join(", "),
                        depends_on: Vec::new(),
                        source,
                    })
                }
                "k8s/service" => f.services.push(Service {
                    name: get("name"),
                    kind: format!("Service ({})", get("type")),
                    image: String::new(),
                    ports: list("ports").join(", "),
                    depends_on: Vec::new(),
                    source,
                }),
                "backup/database" => f.databases.push(Database {
                    name: get("name"),
                    engine: get("engine"),
                    object: e.note.clone().unwrap_or_default(),
                    development: get("environment") == "development",
                    source,
                }),
                "backup/backup" => f.backups.push(Backup {
                    database: get("database"),
                    kind: get("kind"),
                    name: get("name"),
                    tools: get("tools"),
                    scheduled: yes("scheduled"),
                    target: get("target"),
                    retention_days: get("retention-days"),
                    retention_source: get("retention-at"),
                    source,
                }),
                "backup/restore" => f.restores.push(Restore {
                    database: get("database"),
                    how: get("how"),
                    automated: yes("automated"),
                    source,
                }),
                "prometheus/alert-detail" => f.alerts.push(Alert {
                    name: get("name"),
                    expr: get("expr"),
                    for_: get("for"),
                    severity: get("severity"),
                    runbook: get("runbook"),
                    source,
                }),
                "maturity/environment" => f.environments.extend(text(&e.value).map(line)),
                "maturity/deploy-config" => f.deploy_config.extend(text(&e.value).map(line)),
                "ci/deploy" => f.ci_deploys.extend(text(&e.value).map(line)),
                "maturity/gitops-sync" => f.gitops.extend(text(&e.value).map(line)),
                "k8s/workloads" => {
                    let objs: Vec<&str> = e.value.as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
                    if !objs.is_empty() {
                        f.deploy_config.push(line(format!("Kubernetes manifests: {}", objs.join(", "))));
                    }
                }
                "maturity/ci-unreadable" => f.ci_unread.extend(text(&e.value).map(line)),
                "maturity/prometheus-metrics" => f.metrics.extend(text(&e.value).map(line)),
                "k8s/monitoring" => {
                    let objs: Vec<String> = e
                        .value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect();
                    if !objs.is_empty() {
                        f.metrics.push(line(objs.join(", ")));
                    }
                }
                "maturity/grafana-dashboard" => f.dashboards.extend(text(&e.value).map(line)),
                "maturity/rto-rpo" => f.rto_rpo.extend(text(&e.value).map(line)),
                "maturity/log-docs" | "maturity/structured-logging" | "maturity/log-shipping" => {
                    f.logs.extend(text(&e.value).map(line))
                }
                "maturity/runbook-docs" => f.runbook_docs.push(path.clone()),
                k if k.starts_with("maturity/runbook-") => {
                    f.topics.entry(k["maturity/runbook-".len()..].to_string()).or_default().push(source)
                }
                _ => {}
            }
        }
        // CI deploys also name environments.
        let envs: Vec<Line> = f
            .ci_deploys
            .iter()
            .filter_map(|d| {
                let env = d.text.split("to environment `").nth(1)?.split('`').next()?;
                Some(Line { text: format!("{env} (CI deploy environment)"), source: d.source.clone() })
            })
            .collect();
        f.environments.extend(envs);
        f
    }

    /// Databases that are not caches, and caches, each without local development ones.
    pub fn stores(&self) -> (Vec<&Database>, Vec<&Database>) {
        let live = self.databases.iter().filter(|d| !d.development);
        live.partition(|d| !is_cache(&d.engine))
    }
}

pub fn is_cache(engine: &str) -> bool {
    matches!(engine, "redis" | "memcached" | "valkey" | "keydb" | "dragonfly")
}

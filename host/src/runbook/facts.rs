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
    pub namespace: String,
    /// Part of a local development stack, not a deployment.
    pub development: bool,
    pub source: Source,
    /// Other definitions of the same service (overlays, variants under extras/…).
    pub also: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Database {
    pub name: String,
    pub engine: String,
    pub object: String,
    pub development: bool,
    pub source: Source,
    pub also: usize,
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
    /// Other places saying the same (`kustomization` in 30 folders).
    pub also: usize,
}

/// A schedule found for a job: `CronJob/x` or ``workflow `nightly` `` in `file`.
#[derive(Debug, Clone, Serialize)]
pub struct Schedule {
    pub file: String,
    pub job: String,
    pub cron: String,
    pub source: Source,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Facts {
    pub services: Vec<Service>,
    pub databases: Vec<Database>,
    pub backups: Vec<Backup>,
    pub restores: Vec<Restore>,
    pub schedules: Vec<Schedule>,
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
            let line = |t: String| Line { text: t, source: source.clone(), also: 0 };
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
                    namespace: String::new(),
                    development: yes("development"),
                    source,
                    also: 0,
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
                        namespace: get("namespace"),
                        development: false,
                        source,
                        also: 0,
                    })
                }
                "k8s/service" => f.services.push(Service {
                    name: get("name"),
                    kind: format!("Service ({})", get("type")),
                    image: String::new(),
                    ports: list("ports").join(", "),
                    depends_on: Vec::new(),
                    namespace: get("namespace"),
                    development: false,
                    source,
                    also: 0,
                }),
                "backup/database" => f.databases.push(Database {
                    name: get("name"),
                    engine: get("engine"),
                    object: e.note.clone().unwrap_or_default(),
                    development: get("environment") == "development",
                    source,
                    also: 0,
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
                "k8s/cronjob" => {
                    // `CronJob/x schedule "0 3 * * *" runs pg_dump`
                    let t = text(&e.value).unwrap_or_default();
                    if let (Some(name), Some(cron)) = (t.split(' ').next(), t.split('"').nth(1)) {
                        f.schedules.push(Schedule {
                            file: path.clone(),
                            job: name.to_string(),
                            cron: cron.into(),
                            source,
                        });
                    }
                }
                "ci/scheduled" => {
                    // `workflow `nightly` cron `30 2 * * *` runs: …`
                    let t = text(&e.value).unwrap_or_default();
                    if let (Some(wf), Some(cron)) = (t.split(" cron `").next(), t.split(" cron `").nth(1)) {
                        let cron = cron.split('`').next().unwrap_or("").to_string();
                        f.schedules.push(Schedule { file: path.clone(), job: wf.to_string(), cron, source });
                    }
                }
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
                Some(Line { text: format!("{env} (CI deploy environment)"), source: d.source.clone(), also: 0 })
            })
            .collect();
        f.environments.extend(envs);
        // One row per thing: the same service, database or deploy file in several
        // variants (overlays, extras/, per-component copies) is cited once, at its
        // shallowest definition, with how many more there are.
        f.services = group(
            std::mem::take(&mut f.services),
            |s| (s.kind.clone(), s.name.clone()),
            |s| rank(&s.source, s.development),
            |s, n| s.also = n,
        );
        f.databases = group(
            std::mem::take(&mut f.databases),
            |d| (d.engine.clone(), d.name.clone()),
            |d| rank(&d.source, d.development),
            |d, n| d.also = n,
        );
        // The workloads fact sits at the first workload of the walk, often a variant under
        // extras/: cite the workload the service table cites instead.
        let best = f
            .services
            .iter()
            .filter(|s| s.kind != "compose service" && !s.kind.starts_with("Service "))
            .min_by_key(|s| rank(&s.source, s.development));
        if let Some(best) = best {
            for l in f.deploy_config.iter_mut().filter(|l| l.text.starts_with("Kubernetes manifests")) {
                l.source = best.source.clone();
            }
        }
        for lines in [&mut f.deploy_config, &mut f.environments] {
            *lines = group(std::mem::take(lines), |l| l.text.clone(), |l| rank(&l.source, false), |l, n| l.also = n);
        }
        f
    }

    /// The schedule of a backup, when its job's schedule was found.
    pub fn schedule_of(&self, b: &Backup) -> Option<&Schedule> {
        let file = b.source.rsplit_once(':').map_or(b.source.as_str(), |(p, _)| p);
        self.schedules
            .iter()
            .find(|s| s.file == file && (b.name == s.job || b.name.starts_with(&format!("{} ", s.job))))
    }

    /// Whether every compose service defined in `file` belongs to a local development stack.
    pub fn development_file(&self, file: &str) -> bool {
        let mut in_file =
            self.services.iter().filter(|s| s.source.rsplit_once(':').is_some_and(|(p, _)| p == file)).peekable();
        in_file.peek().is_some() && in_file.all(|s| s.development)
    }

    /// Databases that are not caches, and caches, each without local development ones.
    pub fn stores(&self) -> (Vec<&Database>, Vec<&Database>) {
        let live = self.databases.iter().filter(|d| !d.development);
        live.partition(|d| !is_cache(&d.engine))
    }
}

/// A file for tests, examples or local overrides (`docker-compose.test.yml`,
/// `docker-compose.override.yml.example`): a variant of the real definition.
pub fn variant_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.split(['.', '-', '_'])
        .any(|w| matches!(w, "test" | "tests" | "example" | "sample" | "override" | "dev" | "local" | "ci"))
}

/// Which of several definitions of one thing a runbook cites: the real one (not local
/// development, not a test or example file), then the shallowest, then by path.
fn rank(source: &str, development: bool) -> (u8, usize, String) {
    let path = source.rsplit_once(':').map_or(source, |(p, _)| p);
    (development as u8 + variant_file(path) as u8, path.matches('/').count(), path.to_string())
}

/// Items grouped by `key`: the best ranked kept, in the order of first appearance,
/// with the number of others.
fn group<T, K: Ord + Clone, R: Ord>(
    items: Vec<T>,
    key: impl Fn(&T) -> K,
    rank: impl Fn(&T) -> R,
    set_also: impl Fn(&mut T, usize),
) -> Vec<T> {
    let mut order: Vec<K> = Vec::new();
    let mut best: BTreeMap<K, (T, usize)> = BTreeMap::new();
    for it in items {
        let k = key(&it);
        match best.get_mut(&k) {
            Some((kept, n)) => {
                *n += 1;
                if rank(&it) < rank(kept) {
                    *kept = it;
                }
            }
            None => {
                order.push(k.clone());
                best.insert(k, (it, 0));
            }
        }
    }
    order
        .into_iter()
        .filter_map(|k| best.remove(&k))
        .map(|(mut it, n)| {
            set_also(&mut it, n);
            it
        })
        .collect()
}

pub fn is_cache(engine: &str) -> bool {
    matches!(engine, "redis" | "memcached" | "valkey" | "keydb" | "dragonfly")
}

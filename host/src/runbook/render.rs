//! Filling a template: each `{{name}}` line becomes the facts of that name,
//! each fact citing its source as a link, each gap a `TODO(opslint): …` line.
use super::facts::{is_cache, Facts, Line, Service};

/// How a fact's source is shown: a link from the document to `path#Lline`.
pub struct Cite {
    /// `../../` from the document's folder back to the repository root.
    pub up: String,
}

impl Cite {
    pub fn src(&self, source: &str) -> String {
        let (path, line) = source.rsplit_once(':').unwrap_or((source, "1"));
        format!("[{source}]({}{path}#L{line})", self.up)
    }
}

/// Markdown table cell: one line, pipes escaped, long text cut.
fn cell(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one.chars().take(120).collect();
    if one.chars().count() > 120 {
        out.push('…');
    }
    out.replace('|', "\\|")
}

fn code(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("`{}`", cell(s).replace('`', "'"))
    }
}

fn bullets(lines: &[Line], c: &Cite) -> Vec<String> {
    lines.iter().map(|l| format!("- {}{} ({})", cell(&l.text), more(l.also), c.src(&l.source))).collect()
}

/// `, and N more places` after a fact found in several.
fn more(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => ", and 1 more place".to_string(),
        n => format!(", and {n} more places"),
    }
}

/// The lines for placeholder `name`.
pub fn fill(name: &str, f: &Facts, c: &Cite) -> Vec<String> {
    match name {
        "services" => services(f, c),
        "topology" => topology(f, c),
        "environments" => {
            if f.environments.is_empty() {
                vec!["TODO(opslint): no environment found (no CI deploy `environment:`, kustomize overlay, `values-<env>.yaml` or compose override): list the environments (development, staging, production…).".into()]
            } else {
                bullets(&f.environments, c)
            }
        }
        "deploy" => {
            let mut out: Vec<String> = f
                .deploy_config
                .iter()
                .map(|l| {
                    let dev = if is_dev_compose(f, l) {
                        " (a local development, test or example stack, not a deployment)"
                    } else {
                        ""
                    };
                    format!("- {}{dev}{} ({})", cell(&l.text), more(l.also), c.src(&l.source))
                })
                .collect();
            out.extend(bullets(&f.gitops, c));
            if out.is_empty() {
                out.push("TODO(opslint): nothing in the repository deploys the service (no manifests, chart, compose file, Terraform or deploy script): write how it is deployed.".into());
            }
            out
        }
        "ci-deploys" => {
            let unread = f.ci_unread.iter().map(|l| {
                format!(
                    "- TODO(opslint): CI not read by opslint: {}; write what its deploy jobs do ({})",
                    cell(&l.text),
                    c.src(&l.source)
                )
            });
            if !f.ci_unread.is_empty() && f.ci_deploys.is_empty() {
                unread.collect()
            } else if f.ci_deploys.is_empty() && f.gitops.is_empty() {
                vec!["TODO(opslint): no CI job deploys the service and no GitOps controller syncs it: write who deploys, from where, with which command.".into()]
            } else if f.ci_deploys.is_empty() {
                f.gitops
                    .iter()
                    .map(|l| format!("- no CI deploy job; synced by: {} ({})", cell(&l.text), c.src(&l.source)))
                    .collect()
            } else {
                bullets(&f.ci_deploys, c)
            }
        }
        "rollback" => rollback(f, c),
        "metrics" => {
            let mut out = bullets(&f.metrics, c);
            if out.is_empty() {
                out.push("TODO(opslint): no metrics found (no ServiceMonitor, scrape configuration, scrape annotation or Prometheus client library): say how the service is monitored.".into());
            }
            if f.dashboards.is_empty() {
                out.push("TODO(opslint): no dashboard as code found: link the dashboards people use.".into());
            } else {
                out.extend(
                    f.dashboards.iter().map(|d| format!("- dashboard: {} ({})", cell(&d.text), c.src(&d.source))),
                );
            }
            out
        }
        "alerts" => alerts(f, c),
        "paging" => {
            let paging: Vec<_> = f
                .alerts
                .iter()
                .filter(|a| {
                    matches!(a.severity.to_ascii_lowercase().as_str(), "critical" | "page" | "high" | "error" | "p1")
                })
                .collect();
            if paging.is_empty() {
                vec!["TODO(opslint): no alert rule with a paging severity (`critical`, `page`) found: say which alerts wake someone up.".into()]
            } else {
                paging
                    .iter()
                    .map(|a| format!("- `{}` (severity `{}`) ({})", cell(&a.name), cell(&a.severity), c.src(&a.source)))
                    .collect()
            }
        }
        "backups" => backups(f, c),
        "restores" => {
            if f.restores.is_empty() {
                vec!["TODO(opslint): no restore command, script or documented procedure found for any database.".into()]
            } else {
                // One line per way of restoring, with the databases it serves (a documented
                // procedure serves every database of its engines).
                let mut ways: Vec<(&str, &str, bool, Vec<&str>)> = Vec::new();
                for r in &f.restores {
                    match ways.iter_mut().find(|w| w.0 == r.how && w.1 == r.source) {
                        Some(w) if !w.3.contains(&r.database.as_str()) => w.3.push(&r.database),
                        Some(_) => {}
                        None => ways.push((&r.how, &r.source, r.automated, vec![&r.database])),
                    }
                }
                ways.iter()
                    .map(|(how, source, automated, dbs)| {
                        let auto = if *automated { ", runs on a schedule (restore drill)" } else { "" };
                        let dbs: Vec<String> = dbs.iter().map(|d| format!("`{}`", cell(d))).collect();
                        format!("- {}: {}{auto} ({})", dbs.join(", "), cell(how), c.src(source))
                    })
                    .collect()
            }
        }
        "rto-rpo" => {
            if f.rto_rpo.is_empty() {
                vec![
                    "- RTO: TODO(opslint): no recovery time objective found in the repository's documents.".into(),
                    "- RPO: TODO(opslint): no recovery point objective found in the repository's documents.".into(),
                ]
            } else {
                f.rto_rpo.iter().map(|l| format!("- stated: {} ({})", cell(&l.text), c.src(&l.source))).collect()
            }
        }
        "logs" => logs(f, c),
        "checks" => checks(f, c),
        other => vec![format!("TODO(opslint): the template names `{{{{{other}}}}}`, which opslint does not know.")],
    }
}

/// The database a service runs: defined at the same place, or in the same file under its name.
fn db_of<'a>(f: &'a Facts, s: &Service) -> Option<&'a super::facts::Database> {
    let file = |src: &str| src.rsplit_once(':').map_or(src, |(p, _)| p).to_string();
    f.databases
        .iter()
        .find(|d| d.source == s.source)
        .or_else(|| f.databases.iter().find(|d| d.name == s.name && file(&d.source) == file(&s.source)))
}

fn services(f: &Facts, c: &Cite) -> Vec<String> {
    if f.services.is_empty() {
        return vec!["TODO(opslint): no service found (no compose service, Kubernetes workload or Service): list what runs and on which ports.".into()];
    }
    let mut out = vec!["| Service | Kind | Image | Ports | Source |".to_string(), "|---|---|---|---|---|".to_string()];
    for s in &f.services {
        let mut kind = match db_of(f, s) {
            Some(d) if is_cache(&d.engine) => format!("{} (cache: {})", s.kind, d.engine),
            Some(d) => format!("{} (database: {})", s.kind, d.engine),
            None => s.kind.clone(),
        };
        if s.development {
            kind.push_str(", local development");
        }
        let image = if s.image.is_empty() { "—".to_string() } else { code(&s.image) };
        let ports = if s.ports.is_empty() { "none declared".to_string() } else { cell(&s.ports) };
        if s.also > 0 {
            kind.push_str(&format!(" (+{} more definition{})", s.also, if s.also == 1 { "" } else { "s" }));
        }
        out.push(format!("| `{}` | {} | {} | {} | {} |", cell(&s.name), cell(&kind), image, ports, c.src(&s.source)));
    }
    out
}

fn topology(f: &Facts, c: &Cite) -> Vec<String> {
    let mut out = Vec::new();
    let (dbs, caches) = f.stores();
    for s in f.services.iter().filter(|s| db_of(f, s).is_none() && !s.depends_on.is_empty()) {
        let deps: Vec<String> = s
            .depends_on
            .iter()
            .map(|d| {
                match f
                    .services
                    .iter()
                    .find(|o| &o.name == d && o.source.split(':').next() == s.source.split(':').next())
                    .and_then(|o| db_of(f, o))
                {
                    Some(db) if is_cache(&db.engine) => format!("`{d}` (cache: {})", db.engine),
                    Some(db) => format!("`{d}` (database: {})", db.engine),
                    None => format!("`{d}`"),
                }
            })
            .collect();
        let dev = if s.development { " (local development)" } else { "" };
        out.push(format!("- service `{}`{dev} → {} ({})", cell(&s.name), deps.join(", "), c.src(&s.source)));
    }
    for d in &dbs {
        out.push(format!("- database: {} `{}`{} ({})", d.engine, cell(&d.name), more(d.also), c.src(&d.source)));
    }
    for d in &caches {
        out.push(format!("- cache: {} `{}`{} ({})", d.engine, cell(&d.name), more(d.also), c.src(&d.source)));
    }
    let mut targets: Vec<(&str, &str)> =
        f.backups.iter().filter(|b| !b.target.is_empty()).map(|b| (b.target.as_str(), b.source.as_str())).collect();
    targets.sort();
    targets.dedup_by(|a, b| a.0 == b.0);
    for (t, src) in targets {
        out.push(format!("- storage: backups go to {} ({})", cell(t), c.src(src)));
    }
    if dbs.is_empty() && caches.is_empty() {
        out.push("TODO(opslint): no database or cache found in compose files, manifests, Helm values or Terraform: say where the service keeps its data, or that it keeps none.".into());
    }
    if out.iter().all(|l| !l.starts_with("- storage")) {
        out.push("TODO(opslint): no storage found (no backup target such as a bucket): say where files and backups are kept.".into());
    }
    out
}

fn alerts(f: &Facts, c: &Cite) -> Vec<String> {
    if f.alerts.is_empty() {
        return vec!["TODO(opslint): no alerting rule found (Prometheus rule files, PrometheusRule objects, rules in Helm values): list the alerts and where they are defined.".into()];
    }
    let mut out = vec![
        "| Alert | Expression | For | Severity | Runbook | Source |".to_string(),
        "|---|---|---|---|---|---|".to_string(),
    ];
    for a in &f.alerts {
        let or = |s: &str, none: &str| if s.is_empty() { none.to_string() } else { code(s) };
        let runbook =
            if a.runbook.is_empty() { "TODO(opslint): no `runbook_url`".to_string() } else { cell(&a.runbook) };
        out.push(format!(
            "| `{}` | {} | {} | {} | {} | {} |",
            cell(&a.name),
            or(&a.expr, "none"),
            or(&a.for_, "none (fires at once)"),
            or(&a.severity, "none"),
            runbook,
            c.src(&a.source)
        ));
    }
    out
}

fn backups(f: &Facts, c: &Cite) -> Vec<String> {
    let (dbs, caches) = f.stores();
    let all: Vec<_> =
        dbs.iter().chain(caches.iter().filter(|d| f.backups.iter().any(|b| b.database == d.name))).collect();
    if all.is_empty() {
        return vec![
            "TODO(opslint): no database found: if the service keeps data, say where and how it is backed up.".into()
        ];
    }
    let mut out = vec![
        "| Database | Tool | Schedule | Target | Retention | Restore | Source |".to_string(),
        "|---|---|---|---|---|---|---|".to_string(),
    ];
    for d in all {
        let restore = f
            .restores
            .iter()
            .find(|r| r.database == d.name)
            .map_or("none found".to_string(), |r| format!("{} ({})", cell(&r.how), c.src(&r.source)));
        let name = format!("`{}` ({}){}", cell(&d.name), d.engine, more(d.also));
        let mut mine: Vec<_> = f.backups.iter().filter(|b| b.database == d.name).collect();
        // A documented command is shown only when nothing else backs the database up.
        if mine.iter().any(|b| b.kind != "doc") {
            mine.retain(|b| b.kind != "doc");
        }
        if mine.is_empty() {
            out.push(format!(
                "| {name} | TODO(opslint): no backup found | — | — | — | {restore} | {} |",
                c.src(&d.source)
            ));
        }
        for b in mine {
            let tool =
                if b.tools.is_empty() { cell(&b.name) } else { format!("{} ({})", code(&b.tools), cell(&b.name)) };
            let sched = match (f.schedule_of(b), b.scheduled) {
                (Some(s), _) => format!("`{}` ({})", cell(&s.cron), c.src(&s.source)),
                (None, true) => "scheduled".to_string(),
                (None, false) => "not scheduled in the repository".to_string(),
            };
            let target =
                if b.target.is_empty() { "TODO(opslint): no target found".to_string() } else { cell(&b.target) };
            let retention = if b.retention_days.is_empty() {
                "not set".to_string()
            } else {
                format!("{} days ({})", b.retention_days, c.src(&b.retention_source))
            };
            out.push(format!(
                "| {name} | {tool} | {sched} | {target} | {retention} | {restore} | {} |",
                c.src(&b.source)
            ));
        }
    }
    out
}

fn rollback(f: &Facts, c: &Cite) -> Vec<String> {
    let mut out = Vec::new();
    let has = |w: &str| f.deploy_config.iter().chain(&f.ci_deploys).any(|l| l.text.to_ascii_lowercase().contains(w));
    for l in f.deploy_config.iter().filter(|l| l.text.starts_with("Helm chart")) {
        let chart = l.text.split('`').nth(1).unwrap_or("");
        out.push(format!(
            "- Helm: `helm history {chart}` then `helm rollback {chart} <REVISION>` (release assumed named after the chart `{chart}`; `helm list -A` shows the real name) ({})",
            c.src(&l.source)
        ));
    }
    // Releases roll back; a database's StatefulSet is not rolled back with them.
    for s in f.services.iter().filter(|s| rollable(s) && db_of(f, s).is_none()) {
        out.push(format!(
            "- Kubernetes: `kubectl rollout undo {}{}` (`kubectl rollout history` lists the revisions) ({})",
            workload(s),
            namespace(s),
            c.src(&s.source)
        ));
    }
    // Compose files are merged into one stack: one line, at the base file (shortest name).
    let mut compose: Vec<&Line> =
        // (A compose file shown in a document, `compose file in `README.md``, is not part of the stack.)
        f.deploy_config.iter().filter(|l| l.text.starts_with("compose file `") && !is_dev_compose(f, l)).collect();
    compose.sort_by_key(|l| (l.source.len(), l.source.clone()));
    if let Some(first) = compose.first() {
        let others = match compose.len() {
            1 => String::new(),
            2 => " (and the file merged with it)".to_string(),
            n => format!(" (and the {} files merged with it)", n - 1),
        };
        out.push(format!(
            "- Compose: set each service's image tag back to the previous release in {}{others} and run `docker compose up -d` ({})",
            first.text.trim_start_matches("compose file "),
            c.src(&first.source)
        ));
    }
    for l in f.gitops.iter() {
        out.push(format!(
            "- GitOps: revert the commit that changed the release; the controller syncs it back ({})",
            c.src(&l.source)
        ));
    }
    for l in f.deploy_config.iter().filter(|l| l.text.starts_with("Terraform")) {
        out.push(format!(
            "- Terraform: revert the change and `terraform apply` the previous configuration ({})",
            c.src(&l.source)
        ));
    }
    if out.is_empty() {
        let why = if has("deploy") || !f.deploy_config.is_empty() {
            "opslint knows no rollback command for the deploy style found"
        } else {
            "no deployment style found"
        };
        out.push(format!("TODO(opslint): {why}: write how to roll back a release."));
    }
    out
}

fn rollable(s: &Service) -> bool {
    matches!(s.kind.as_str(), "Deployment" | "StatefulSet" | "DaemonSet")
}

/// `deployment/api`
fn workload(s: &Service) -> String {
    format!("{}/{}", s.kind.to_ascii_lowercase(), s.name)
}

/// ` -n shop` when the manifest names the namespace, else a placeholder to replace.
fn namespace(s: &Service) -> String {
    if s.namespace.is_empty() {
        " -n <namespace>".to_string()
    } else {
        format!(" -n {}", s.namespace)
    }
}

/// A compose deploy-config line of a local development stack, or of a test or example file.
fn is_dev_compose(f: &Facts, l: &Line) -> bool {
    let file = l.source.rsplit_once(':').map_or("", |(p, _)| p);
    l.text.starts_with("compose file") && (f.development_file(file) || super::facts::variant_file(file))
}

fn logs(f: &Facts, c: &Cite) -> Vec<String> {
    let mut out = bullets(&f.logs, c);
    for s in &f.services {
        let cmd = match s.kind.as_str() {
            "compose service" => format!("docker compose logs -f {}", s.name),
            "Deployment" | "StatefulSet" | "DaemonSet" => {
                format!("kubectl logs {}{} --all-containers", workload(s), namespace(s))
            }
            _ => continue,
        };
        out.push(format!("- `{}`: `{cmd}` ({})", cell(&s.name), c.src(&s.source)));
    }
    if out.is_empty() {
        out.push("TODO(opslint): no log configuration, log command or service found: say where the logs are and how to read them.".into());
    }
    out
}

fn checks(f: &Facts, c: &Cite) -> Vec<String> {
    let mut out = Vec::new();
    for s in &f.services {
        let cmd = match s.kind.as_str() {
            "compose service" => format!("docker compose ps {}", s.name),
            "Deployment" | "StatefulSet" | "DaemonSet" => {
                let (w, n) = (workload(s), namespace(s));
                format!("kubectl rollout status {w}{n} && kubectl describe {w}{n}")
            }
            _ => continue,
        };
        out.push(format!("- `{}`: `{cmd}` ({})", cell(&s.name), c.src(&s.source)));
    }
    if out.is_empty() {
        out.push("TODO(opslint): no service found to check: write the first checks (is it running, is it healthy, can it reach its database).".into());
    }
    out
}

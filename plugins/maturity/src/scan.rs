//! The detectors: each reads (path, text) documents and returns located facts.
//! They look at names, headings and a few tell-tale keys only; a fact names
//! the file and line a person can open to check it.
use std::collections::BTreeMap;

use opslint_sdk::{EvidenceMeta, EvidenceValue};

use crate::{BLOCK_BEGIN, BLOCK_END};

/// One located fact.
#[derive(Debug, Clone)]
pub struct Fact {
    pub key: &'static str,
    pub value: EvidenceValue,
    pub path: String,
    /// 1-based; 0 = the whole file.
    pub line: u32,
    pub note: Option<String>,
}

/// The runbook topics the rubric asks for, with the words that name them in a
/// file name or a heading. Evidence key: `maturity/runbook-<topic>`.
pub const TOPICS: &[(&str, &[&str])] = &[
    (
        "environment",
        &["environment", "environments", "overview", "architecture", "infrastructure", "topology", "inventory"],
    ),
    (
        "deployment",
        &[
            "deploy",
            "deploying",
            "deployment",
            "deployments",
            "release",
            "releases",
            "releasing",
            "rollout",
            "rollback",
        ],
    ),
    (
        "monitoring",
        &["monitoring", "alert", "alerts", "alerting", "observability", "dashboard", "dashboards", "metrics"],
    ),
    ("backup", &["backup", "backups", "restore", "restoring", "recovery", "dr", "disaster"]),
    (
        "troubleshooting",
        &["troubleshooting", "troubleshoot", "debugging", "diagnosis", "diagnosing", "diagnostics", "faq"],
    ),
    (
        "incident-response",
        &["incident", "incidents", "on-call", "oncall", "escalation", "escalations", "paging", "pager"],
    ),
];

const LOG_WORDS: &[&str] = &["log", "logs", "logging"];
/// A command that reads logs: `kubectl -n x logs …`, `docker compose logs`, `journalctl`, `stern`…
fn log_command(line: &str) -> bool {
    opslint_knowledge::commands::log_command(line).is_some()
}

pub fn meta() -> Vec<EvidenceMeta> {
    let e = |key: &str, description: &str| EvidenceMeta { key: key.into(), description: description.into() };
    let mut out = vec![
        e("maturity/runbook-docs", "documents found in a runbook place (docs/ops-runbook/, docs/runbooks/, RUNBOOK.md, docs/operations/…)"),
        e("maturity/runbook-environment", "a runbook document or section on the environment (overview, architecture, infrastructure)"),
        e("maturity/runbook-deployment", "a runbook document or section on deploying and rolling back"),
        e("maturity/runbook-monitoring", "a runbook document or section on monitoring, dashboards and alerts"),
        e("maturity/runbook-backup", "a runbook document or section on backup, restore and recovery"),
        e("maturity/runbook-troubleshooting", "a runbook document or section on troubleshooting"),
        e("maturity/runbook-incident-response", "a runbook document or section on incident response and on-call"),
        e("maturity/rto-rpo", "a document stating both a recovery time objective (RTO) and a recovery point objective (RPO)"),
        e("maturity/deploy-config", "deployment described in the repository: Helm chart, kustomization, helmfile, skaffold, Terraform (one record per folder), compose file (also a compose block in a README), Argo CD / Flux object, Ansible playbook, Nomad job, platform manifest (Kamal config/deploy.yml, Heroku app.json / heroku.yml / Procfile, fly.toml, render.yaml, Railway, DigitalOcean .do/app.yaml), a deploy script or launcher, a Makefile / Justfile deploy target"),
        e("maturity/structured-logging", "structured (JSON) logging: a logging library or configuration, or LOG_FORMAT=json"),
        e("maturity/log-shipping", "a log collection pipeline configured (Fluent Bit, Fluentd, Vector, Promtail, Filebeat, OpenTelemetry logs)"),
        e("maturity/log-docs", "where the logs are and how to read them, in any document but issue templates and changelogs: a Logs section, or a log command (`kubectl logs`, `docker compose logs`, `journalctl -u`, `./launcher logs`, `fly logs`, `heroku logs`…)"),
        e("maturity/prometheus-metrics", "Prometheus metrics exposed or scraped: a client library in a dependency manifest, a scrape configuration, scrape annotations, chart values that enable a ServiceMonitor, a Prometheus server in a compose file, fly.toml `[metrics]`"),
        e("maturity/grafana-dashboard", "a dashboard as code: Grafana dashboard JSON, grafonnet / jsonnet, a GrafanaDashboard object, a grafana_dashboard ConfigMap, Terraform dashboards (Grafana, CloudWatch, Datadog), Google Cloud Monitoring dashboard JSON"),
        e("maturity/platform-autodeploy", "a platform manifest that has the platform deploy every push by itself (Render `autoDeploy: true`, DigitalOcean `deploy_on_push: true`)"),
        e("maturity/alert-rules", "alerting rules the prometheus plugin cannot parse (a Helm-templated rules file, read line by line) and other systems' alerts (Grafana alerting provisioning, Terraform alarm resources), as a count per file"),
        e("maturity/alert-runbooks", "alerting rules of a Helm-templated rules file with a runbook_url annotation, as `M/N`"),
        e("maturity/slo", "an SLO with an error budget: OpenSLO, Sloth, Pyrra, Terraform SLO resources, or a document naming SLOs and an error budget"),
        e("maturity/dr-drill", "a dated record of a restore drill / disaster-recovery test / game day"),
        e("maturity/postmortem", "a postmortem (incident review) on record"),
        e("maturity/chaos-experiment", "a chaos experiment as code (Chaos Toolkit, Litmus, Chaos Mesh, AWS FIS)"),
        e("maturity/autoscaling", "autoscaling outside Kubernetes HPAs: KEDA ScaledObjects, cloud autoscaling resources"),
        e("maturity/gitops-sync", "a GitOps object that deploys by itself: an Argo CD Application with syncPolicy.automated, a Flux Kustomization or HelmRelease"),
        e("maturity/ci-unreadable", "a CI system opslint does not read (Jenkins, Cloud Build, Azure Pipelines, Bitbucket, Travis, Buildkite…), located at its file: the CI criteria it could decide are not assessed"),
        e("maturity/environment", "an environment the repository deploys to, named by a file: a kustomize overlay (`overlays/<env>/`), a Helm values file (`values-<env>.yaml`), a compose override (`docker-compose.<env>.yml`)"),
        e("maturity/multi-zone", "multi-zone placement outside Kubernetes: multi_az, zone_redundant / ZoneRedundant, a REGIONAL Cloud SQL instance, several availability zones"),
    ];
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}

fn tv(s: impl Into<String>) -> EvidenceValue {
    EvidenceValue::Text(s.into())
}

fn fact(key: &'static str, value: EvidenceValue, path: &str, line: u32) -> Fact {
    Fact { key, value, path: path.to_string(), line, note: None }
}

/// Lowercased path, its segments and the file name.
struct P<'a> {
    path: &'a str,
    lower: String,
    name: String,
}

impl<'a> P<'a> {
    fn new(path: &'a str) -> Self {
        let lower = path.replace('\\', "/").to_ascii_lowercase();
        let name = lower.rsplit('/').next().unwrap_or("").to_string();
        P { path, lower, name }
    }
    fn ext(&self) -> &str {
        self.name.rsplit_once('.').map_or("", |(_, e)| e)
    }
    fn stem(&self) -> &str {
        self.name.split_once('.').map_or(self.name.as_str(), |(s, _)| s)
    }
    fn dirs(&self) -> impl Iterator<Item = &str> {
        let n = self.lower.matches('/').count();
        self.lower.split('/').take(n)
    }
    fn is_doc(&self) -> bool {
        matches!(self.ext(), "md" | "markdown" | "rst" | "adoc")
    }
}

/// Folders whose files describe something other than the service itself (test inputs,
/// samples, vendored code): their runbooks and manifests are not evidence.
pub use opslint_knowledge::paths::NOT_THE_SERVICE;

/// Every fact of a repository, sorted by path and line.
pub fn scan(docs: &[(&str, &str)]) -> Vec<Fact> {
    let mut out = Vec::new();
    let mut terraform: BTreeMap<String, Vec<(&str, u32)>> = BTreeMap::new();
    for &(path, raw) in docs {
        let p = P::new(path);
        if p.dirs().any(opslint_knowledge::paths::not_the_service_dir) {
            continue;
        }
        if p.is_doc() {
            let text = without_block(raw);
            docs_facts(&p, &text, &mut out);
            continue;
        }
        let text = raw;
        if let Some((env, what)) = environment_of(&p) {
            out.push(fact("maturity/environment", tv(format!("{env} ({what})")), path, 1));
        }
        match p.ext() {
            "yaml" | "yml" => yaml_facts(&p, text, &mut out),
            "json" => json_facts(&p, text, &mut out),
            "jsonnet" | "libsonnet" => {
                if let Some(l) = find_line(text, |l| l.contains("grafonnet") || l.contains("grafana")) {
                    out.push(fact("maturity/grafana-dashboard", tv("grafonnet/jsonnet dashboard"), path, l));
                }
            }
            "nomad" | "hcl" if p.name.ends_with(".nomad") || p.name.ends_with(".nomad.hcl") => {
                if let Some(l) = find_line(text, |l| l.trim_start().starts_with("job ")) {
                    out.push(fact("maturity/deploy-config", tv(format!("Nomad job `{}`", p.name)), path, l));
                }
            }
            "tf" => {
                if let Some(l) = find_line(text, |l| {
                    let t = l.trim_start();
                    t.starts_with("resource ") || t.starts_with("module ")
                }) {
                    let dir = path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
                    terraform.entry(dir).or_default().push((path, l));
                }
                terraform_facts(&p, text, &mut out);
            }
            _ => {}
        }
        if let Some(sys) =
            opslint_knowledge::ci::system_of(path).filter(|s| !s.read && !matches!(p.ext(), "yml" | "yaml"))
        {
            out.push(fact("maturity/ci-unreadable", tv(format!("{} (`{}`)", sys.name, p.name)), path, 1));
        }
        // A platform's manifest (Kamal, Heroku, Fly.io, Render…) describes the deployment.
        if let Some(platform) = opslint_knowledge::platforms::manifest(path, text) {
            out.push(fact("maturity/deploy-config", tv(format!("{platform} manifest `{}`", p.name)), path, 1));
            if let Some((l, what)) = opslint_knowledge::platforms::deploys_on_push(platform, text) {
                out.push(fact("maturity/platform-autodeploy", tv(what), path, l));
            }
            if let Some(l) = opslint_knowledge::platforms::scraped_metrics(platform, text) {
                out.push(fact(
                    "maturity/prometheus-metrics",
                    tv("Fly.io scrapes the service's metrics ([metrics])"),
                    path,
                    l,
                ));
            }
        }
        let shell_script = !p.name.contains('.')
            && text.lines().next().is_some_and(|l| {
                l.starts_with("#!")
                    && l.split(['/', ' ']).any(|w| matches!(w, "sh" | "bash" | "dash" | "ksh" | "zsh" | "ash"))
            });
        if matches!(p.ext(), "sh" | "bash") || is_make(&p) || shell_script {
            script_facts(&p, text, &mut out);
        }
        manifest_facts(&p, text, &mut out);
        logging_config_facts(&p, text, &mut out);
    }
    for (dir, files) in terraform {
        let (first, line) = files[0];
        let shown = if dir.is_empty() { "the repository root".to_string() } else { format!("{dir}/") };
        let n = files.len();
        let value = format!("Terraform in {shown} ({n} file{})", if n == 1 { "" } else { "s" });
        out.push(fact("maturity/deploy-config", tv(value), first, line));
    }
    out.sort_by(|a, b| (&a.path, a.line, a.key).cmp(&(&b.path, b.line, b.key)));
    out.dedup_by(|a, b| a.path == b.path && a.line == b.line && a.key == b.key);
    out
}

/// The environment a deployment file is for, by its name: `overlays/staging/kustomization.yaml`,
/// `values-prod.yaml`, `docker-compose.prod.yml`. Local and test variants are not environments.
fn environment_of(p: &P) -> Option<(String, &'static str)> {
    if !matches!(p.ext(), "yaml" | "yml") {
        return None;
    }
    let segs: Vec<&str> = p.lower.split('/').collect();
    let base = p.name.trim_end_matches(".yaml").trim_end_matches(".yml");
    let (name, what) = if p.stem() == "kustomization" && segs.len() >= 3 && segs[segs.len() - 3] == "overlays" {
        (segs[segs.len() - 2].to_string(), "kustomize overlay")
    } else if let Some(env) = base.strip_prefix("values").and_then(|r| r.strip_prefix(['-', '.', '_'])) {
        (env.to_string(), "Helm values file")
    } else {
        let env = ["docker-compose.", "docker-compose-", "compose."].iter().find_map(|pre| base.strip_prefix(pre))?;
        (env.to_string(), "compose override")
    };
    let not_env = ["override", "local", "dev-local", "test", "tests", "ci", "example", "sample", "schema", "default"];
    let plain = name.chars().all(|c| c.is_alphanumeric() || "-_".contains(c));
    // A compose or values file's suffix names a feature as often as an environment
    // (`compose.observability.yaml`, `values-minimal.yaml`): only environment words count.
    const ENV_WORDS: &[&str] = &[
        "prod",
        "production",
        "staging",
        "stage",
        "stg",
        "dev",
        "development",
        "qa",
        "uat",
        "preprod",
        "sandbox",
        "live",
    ];
    let env_word = name.split(['-', '_']).any(|w| ENV_WORDS.contains(&w));
    let named_env = what == "kustomize overlay" || env_word;
    (!name.is_empty() && plain && named_env && !not_env.contains(&name.as_str())).then_some((name, what))
}

fn is_make(p: &P) -> bool {
    matches!(p.name.as_str(), "makefile" | "gnumakefile" | "justfile") || p.ext() == "mk"
}

/// The document with opslint's own managed blocks blanked, lines kept: the maturity
/// report's (it quotes the rubric) and a runbook draft's (it restates evidence).
pub fn without_block(text: &str) -> String {
    let text = opslint_knowledge::blocks::blank_runbook(text);
    let (Some(b), Some(e)) = (text.find(BLOCK_BEGIN), text.find(BLOCK_END)) else {
        return text.into_owned();
    };
    if e < b {
        return text.into_owned();
    }
    let end = e + BLOCK_END.len();
    let blank: String = text[b..end].chars().filter(|&c| c == '\n').collect();
    format!("{}{}{}", &text[..b], blank, &text[end..])
}

/// 1-based line of the first line matching.
fn find_line(text: &str, f: impl Fn(&str) -> bool) -> Option<u32> {
    text.lines().position(f).map(|i| i as u32 + 1)
}

fn words(s: &str) -> Vec<String> {
    // "backup-and-recovery" names both; "on-call" stays one word too.
    opslint_knowledge::words::title_words(s)
}

fn topics_of(s: &str) -> Vec<&'static str> {
    let ws = words(s);
    TOPICS.iter().filter(|(_, keys)| keys.iter().any(|k| ws.iter().any(|w| w == k))).map(|(t, _)| *t).collect()
}

fn placeholder(line: &str) -> bool {
    let t = line.trim().trim_start_matches(['-', '*', '>', ' ']).to_ascii_lowercase();
    // A gap `opslint runbook` left in a draft, wherever it sits on the line (`RTO: TODO(opslint): …`).
    t.contains("todo(opslint)")
        || t.is_empty()
        || t.starts_with("todo")
        || t.starts_with("tbd")
        || t.starts_with("fixme")
        || t == "..."
        || t == "n/a"
        || t.ends_with(": todo")
        || t.ends_with(": tbd")
        || t.ends_with(": todo.")
}

/// A heading: (1-based line, level, title). Markdown `#`, AsciiDoc `=`, reStructuredText underlines.
fn headings(text: &str) -> Vec<(u32, usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut fenced = false;
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_end();
        if t.trim_start().starts_with("```") || t.trim_start().starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        for mark in ['#', '='] {
            let level = t.chars().take_while(|&c| c == mark).count();
            if (1..=6).contains(&level) && t[level..].starts_with(' ') {
                out.push((i as u32 + 1, level, t[level..].trim().trim_end_matches(mark).trim().to_string()));
            }
        }
        if let Some(next) = lines.get(i + 1) {
            let n = next.trim_end();
            let underline = n.len() >= 3 && n.chars().all(|c| c == '=' || c == '-') && !t.trim().is_empty();
            if underline && t.len() <= n.len() + 2 && !t.starts_with(['#', '=', '-', ' ']) {
                out.push((i as u32 + 1, if n.starts_with('=') { 1 } else { 2 }, t.trim().to_string()));
            }
        }
    }
    out
}

/// Whether the lines from `from` (0-based) to `to` hold something other than headings and placeholders.
fn substantive(lines: &[&str], from: usize, to: usize) -> bool {
    lines[from.min(lines.len())..to.min(lines.len())].iter().any(|l| {
        let t = l.trim();
        !placeholder(t)
            && !t.starts_with('#')
            && !t.chars().all(|c| c == '=' || c == '-')
            && t.chars().filter(|c| c.is_alphanumeric()).count() >= 3
    })
}

/// Where runbooks live: a path segment naming them, or a top-level RUNBOOK / OPERATIONS document.
pub fn runbook_place(path: &str) -> bool {
    let p = P::new(path);
    let named = |s: &str| {
        s.contains("runbook")
            || s.contains("playbook")
            || matches!(s, "ops" | "operations" | "sre" | "on-call" | "oncall" | "operating")
    };
    p.dirs().any(named) || named(p.stem())
}

fn docs_facts(p: &P, text: &str, out: &mut Vec<Fact>) {
    let path = p.path;
    let lines: Vec<&str> = text.lines().collect();
    let heads = headings(text);
    if runbook_place(path) {
        let first = heads.first().map_or(1, |h| h.0);
        out.push(fact("maturity/runbook-docs", tv(format!("runbook document `{}`", p.name)), path, first));
        // The file's name says its topic, when it has content.
        let title_topics = topics_of(p.stem());
        if substantive(&lines, 0, lines.len()) {
            for t in &title_topics {
                out.push(Fact {
                    key: topic_key(t),
                    value: tv(format!("`{}`", p.name)),
                    path: path.to_string(),
                    line: first,
                    note: None,
                });
            }
        }
        // Sections: a heading naming a topic with something under it.
        for (i, (line, level, title)) in heads.iter().enumerate() {
            // The section runs to the next heading of the same or a higher level.
            let end = heads[i + 1..].iter().find(|h| h.1 <= *level).map_or(lines.len(), |h| h.0 as usize - 1);
            if !substantive(&lines, *line as usize, end) {
                continue;
            }
            for t in topics_of(title) {
                if !title_topics.contains(&t) {
                    out.push(fact(topic_key(t), tv(format!("section \"{}\"", short(title))), path, *line));
                }
            }
            if words(title).iter().any(|w| LOG_WORDS.contains(&w.as_str())) {
                out.push(fact("maturity/log-docs", tv(format!("section \"{}\"", short(title))), path, *line));
            }
        }
        if let Some(l) = find_line(text, log_command) {
            let cmd = lines[l as usize - 1].trim().trim_start_matches(['-', '*', ' ']);
            let cmd = cmd.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches(['.', ')', ' ']);
            let cmd = cmd.replace('`', "");
            out.push(fact("maturity/log-docs", tv(format!("log command `{}`", short(&cmd))), path, l));
        }
    }
    // Reading the logs, documented anywhere a person looks (a README "Logs" section, a
    // troubleshooting guide): a log command, or a logs section that says where they are.
    // Issue and pull-request templates and change logs are not such places.
    let meta_doc = p.lower.starts_with(".github/")
        || p.lower.contains("/.github/")
        || matches!(p.stem(), "changelog" | "changes" | "history" | "contributing" | "code_of_conduct" | "security");
    if !runbook_place(path) && !meta_doc {
        log_docs_anywhere(p, text, &lines, &heads, out);
    }
    // A compose file in a document's code block (a README's quick start) describes the deployment.
    if !meta_doc {
        if let Some(l) = compose_block(&lines) {
            out.push(fact("maturity/deploy-config", tv(format!("compose file in `{}`", p.name)), path, l));
        }
    }
    // RTO and RPO stated (not left as TODO), in any document.
    // A value: a number soon after the name ("RTO: 1 hour", "| RPO | 15 min |"), not prose about RTOs.
    let states = |l: &&str, short_name: &str, long: &str| {
        let t = l.to_ascii_lowercase();
        let at =
            find_word(l, short_name).map(|i| i + short_name.len()).or_else(|| t.find(long).map(|i| i + long.len()));
        let Some(at) = at else { return false };
        !t.contains("todo") && !t.contains("tbd") && value_follows(&l[at..])
    };
    let rto = lines.iter().position(|l| states(l, "RTO", "recovery time objective"));
    let rpo = lines.iter().position(|l| states(l, "RPO", "recovery point objective"));
    if let (Some(a), Some(b)) = (rto, rpo) {
        let value = if a == b {
            short(lines[a].trim()).to_string()
        } else {
            format!("{} / {}", short(lines[a].trim()), short(lines[b].trim()))
        };
        out.push(fact("maturity/rto-rpo", tv(value), path, a.min(b) as u32 + 1));
    }
    // SLOs with an error budget: an objective with a target ("SLO 99.9%") and an error budget.
    let lower = text.to_ascii_lowercase();
    if lower.contains("error budget") || lower.contains("error-budget") {
        if let Some(l) = find_line(text, |l| {
            (words(l).iter().any(|w| w == "slo" || w == "slos")
                || l.to_ascii_lowercase().contains("service level objective"))
                && percentage(l)
        }) {
            out.push(fact("maturity/slo", tv(format!("SLO with an error budget in `{}`", p.name)), path, l));
        }
    }
    // Disaster-recovery drills with a date.
    let drill_words = [
        "restore drill",
        "restore test",
        "dr drill",
        "dr test",
        "dr exercise",
        "disaster recovery drill",
        "disaster recovery test",
        "disaster recovery exercise",
        "game day",
        "gameday",
        "failover drill",
        "failover test",
        "recovery drill",
    ];
    let drill_path = p.lower.contains("drill") || p.lower.contains("game-day") || p.lower.contains("gameday");
    let mentions = drill_path || drill_words.iter().any(|w| lower.contains(w));
    if mentions {
        let dated = lines.iter().enumerate().find(|(_, l)| {
            let t = l.to_ascii_lowercase();
            date_in(l).is_some() && (drill_path || drill_words.iter().any(|w| t.contains(w)))
        });
        // A drill record by its title (or its path): then any date in it dates it.
        let titled = heads.first().is_some_and(|h| {
            let t = h.2.to_ascii_lowercase();
            drill_words.iter().any(|w| t.contains(w)) || t.contains("drill")
        });
        let dated = dated.or_else(|| {
            (titled || drill_path).then(|| lines.iter().enumerate().find(|(_, l)| date_in(l).is_some())).flatten()
        });
        let from_name = date_in(p.path);
        match (dated, from_name) {
            (Some((i, l)), _) => out.push(fact(
                "maturity/dr-drill",
                tv(format!("drill record dated {}", date_in(l).unwrap_or_default())),
                path,
                i as u32 + 1,
            )),
            (None, Some(d)) if drill_path => {
                out.push(fact("maturity/dr-drill", tv(format!("drill record dated {d}")), path, 1))
            }
            _ => {}
        }
    }
    // Postmortems.
    let pm_dir = p.dirs().any(|d| {
        matches!(
            d,
            "postmortems"
                | "post-mortems"
                | "postmortem"
                | "post-mortem"
                | "incidents"
                | "incident-reports"
                | "retrospectives"
        )
    });
    let not_index = !matches!(p.stem(), "readme" | "index" | "_index") && !p.name.contains("template");
    let pm_head = heads.iter().find(|(_, _, t)| {
        let t = t.to_ascii_lowercase();
        t.contains("postmortem")
            || t.contains("post-mortem")
            || t.contains("post-incident")
            || t.contains("incident review")
    });
    let has_cause = lower.contains("root cause") || lower.contains("timeline") || lower.contains("contributing factor");
    if not_index
        && ((pm_dir && substantive(&lines, 0, lines.len()))
            || (pm_head.is_some() && has_cause && !runbook_template(&lower)))
    {
        let line = pm_head.map_or(heads.first().map_or(1, |h| h.0), |h| h.0);
        out.push(fact("maturity/postmortem", tv(format!("postmortem `{}`", p.name)), path, line));
    }
}

/// Log commands and logs sections of a document outside the runbook places.
fn log_docs_anywhere(p: &P, text: &str, lines: &[&str], heads: &[(u32, usize, String)], out: &mut Vec<Fact>) {
    let path = p.path;
    if let Some(l) = find_line(text, log_command) {
        let cmd = lines[l as usize - 1].trim().replace('`', "");
        out.push(fact("maturity/log-docs", tv(format!("log command `{}`", short(&cmd))), path, l));
        return;
    }
    for (i, (line, level, title)) in heads.iter().enumerate() {
        if !words(title).iter().any(|w| LOG_WORDS.contains(&w.as_str())) {
            continue;
        }
        let end = heads[i + 1..].iter().find(|h| h.1 <= *level).map_or(lines.len(), |h| h.0 as usize - 1);
        let body = lines[(*line as usize).min(lines.len())..end.min(lines.len())].join("\n").to_ascii_lowercase();
        // Where they are: a place that shows them, a path, a command in code.
        let says_where = opslint_knowledge::commands::LOG_PLACES.iter().any(|w| body.contains(w))
            || body.contains("/var/log")
            || body.contains('`');
        if substantive(lines, *line as usize, end) && says_where {
            out.push(fact("maturity/log-docs", tv(format!("section \"{}\"", short(title))), path, *line));
            return;
        }
    }
}

/// The first line of a fenced code block holding a compose file (`services:` with an `image:`).
fn compose_block(lines: &[&str]) -> Option<u32> {
    let mut start: Option<usize> = None;
    let (mut services, mut image) = (false, false);
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            match start {
                None => {
                    start = Some(i);
                    services = false;
                    image = false;
                }
                Some(s) => {
                    if services && image {
                        return Some(s as u32 + 1);
                    }
                    start = None;
                }
            }
            continue;
        }
        if start.is_some() {
            services |= t == "services:";
            image |= t.starts_with("image:");
        }
    }
    None
}

fn runbook_template(lower: &str) -> bool {
    lower.contains("{{") && lower.contains("}}")
}

fn topic_key(topic: &str) -> &'static str {
    match topic {
        "environment" => "maturity/runbook-environment",
        "deployment" => "maturity/runbook-deployment",
        "monitoring" => "maturity/runbook-monitoring",
        "backup" => "maturity/runbook-backup",
        "troubleshooting" => "maturity/runbook-troubleshooting",
        _ => "maturity/runbook-incident-response",
    }
}

fn short(s: &str) -> &str {
    let mut end = s.len().min(100);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Byte offset of `word` in `line` as a whole word (case-sensitive: `RTO`, not `photo`).
fn find_word(line: &str, word: &str) -> Option<usize> {
    line.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = line[..i].chars().next_back();
        let after = line[i + word.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Whether a number comes next after a name, past separators and a few
/// linking words: `: 1 hour`, ` | 4 h |`, ` is under 15 minutes`, `/RPO: 1h/15m`.
fn value_follows(rest: &str) -> bool {
    const LINKING: &[&str] = &[
        "is",
        "of",
        "target",
        "targets",
        "objective",
        "objectives",
        "under",
        "within",
        "max",
        "maximum",
        "at",
        "most",
        "about",
        "approx",
        "approximately",
        "rto",
        "rpo",
        "~",
    ];
    let tokens = rest.split(|c: char| c.is_whitespace() || ":=|()*`,;<>/≤[]".contains(c)).filter(|t| !t.is_empty());
    for t in tokens.take(6) {
        if t.starts_with(|c: char| c.is_ascii_digit()) {
            return true;
        }
        if !LINKING.contains(&t.to_ascii_lowercase().as_str()) {
            return false;
        }
    }
    false
}

/// Whether `line` holds a percentage such as `99.9%` or `99.95 %`.
fn percentage(line: &str) -> bool {
    line.match_indices('%').any(|(i, _)| line[..i].trim_end().ends_with(|c: char| c.is_ascii_digit()))
}

/// A `YYYY-MM-DD` date in `s`.
pub fn date_in(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let digits = |r: std::ops::Range<usize>| w[r].iter().all(u8::is_ascii_digit);
        let ok = digits(0..4) && w[4] == b'-' && digits(5..7) && w[7] == b'-' && digits(8..10);
        if !ok {
            return None;
        }
        let before = i == 0 || !b[i - 1].is_ascii_digit();
        let after = b.get(i + 10).is_none_or(|c| !c.is_ascii_digit());
        let month = (w[5] - b'0') * 10 + (w[6] - b'0');
        let day = (w[8] - b'0') * 10 + (w[9] - b'0');
        (before && after && (1..=12).contains(&month) && (1..=31).contains(&day) && w[0] >= b'1')
            .then(|| s[i..i + 10].to_string())
    })
}

/// The value of a top-level or nested `key:` line, unquoted.
fn yaml_value<'t>(line: &'t str, key: &str) -> Option<&'t str> {
    let t = line.trim_start().trim_start_matches("- ");
    let rest = t.strip_prefix(key)?.strip_prefix(':')?;
    Some(rest.trim().trim_matches(['"', '\'']))
}

fn yaml_facts(p: &P, text: &str, out: &mut Vec<Fact>) {
    let path = p.path;
    let line_of = |f: &dyn Fn(&str) -> bool| find_line(text, f);
    let kind_line = |kind: &str| line_of(&|l: &str| yaml_value(l, "kind") == Some(kind));
    let has = |s: &str| text.contains(s);
    // Deployment config.
    let name = p.name.as_str();
    if name == "chart.yaml" {
        if let Some(l) = line_of(&|l: &str| yaml_value(l, "name").is_some() && !l.starts_with(' ')) {
            let chart = text.lines().nth(l as usize - 1).and_then(|x| yaml_value(x, "name")).unwrap_or("");
            out.push(fact("maturity/deploy-config", text_v(format!("Helm chart `{chart}`")), path, l));
        }
    }
    if matches!(name, "kustomization.yaml" | "kustomization.yml") {
        out.push(fact("maturity/deploy-config", text_v("kustomization"), path, 1));
    }
    if matches!(name, "helmfile.yaml" | "helmfile.yml" | "skaffold.yaml" | "skaffold.yml") {
        out.push(fact("maturity/deploy-config", text_v(format!("`{name}`")), path, 1));
    }
    let compose = p.stem().contains("compose") && has("services:");
    if compose {
        let l = line_of(&|l: &str| l.starts_with("services:")).unwrap_or(1);
        out.push(fact("maturity/deploy-config", text_v(format!("compose file `{name}`")), path, l));
    }
    // GitOps objects that sync by themselves deploy automatically (no CI job needed).
    if has("argoproj.io") && has("automated") {
        if let Some(l) = kind_line("Application").or_else(|| kind_line("ApplicationSet")) {
            let at = line_of(&|l: &str| l.trim_start().starts_with("automated")).unwrap_or(l);
            out.push(fact("maturity/gitops-sync", text_v("Argo CD Application with syncPolicy.automated"), path, at));
        }
    }
    if has("fluxcd.io") {
        if let Some(l) = kind_line("Kustomization").or_else(|| kind_line("HelmRelease")) {
            let what = if kind_line("HelmRelease").is_some() {
                "Flux HelmRelease (syncs by itself)"
            } else {
                "Flux Kustomization (syncs by itself)"
            };
            out.push(fact("maturity/gitops-sync", text_v(what), path, l));
        }
    }
    // A chart's values that switch on its ServiceMonitor (`metrics.serviceMonitor.enabled: true`).
    if let Some(l) = line_of(&|l: &str| l.trim_start().starts_with("serviceMonitor:")) {
        let after: Vec<&str> = text.lines().skip(l as usize).take(3).collect();
        if after.iter().any(|a| yaml_value(a, "enabled") == Some("true")) {
            out.push(fact("maturity/prometheus-metrics", text_v("chart values enable a ServiceMonitor"), path, l));
        }
    }
    // Prometheus run by the repository: its configuration, or its image in a compose file.
    if p.stem().starts_with("prometheus")
        && has("global:")
        && !has("scrape_configs:")
        && (has("scrape_interval") || has("rule_files"))
    {
        // (A scrape configuration says more, below.)
        let l = line_of(&|l: &str| l.starts_with("global:")).unwrap_or(1);
        out.push(fact("maturity/prometheus-metrics", text_v(format!("Prometheus configuration `{name}`")), path, l));
    }
    if has("services:") {
        if let Some(l) = line_of(&|l: &str| {
            yaml_value(l, "image").is_some_and(|i| {
                i.contains("prom/prometheus") || i.contains("prometheus/prometheus") || i.contains("bitnami/prometheus")
            })
        }) {
            out.push(fact("maturity/prometheus-metrics", text_v("a Prometheus server in the compose file"), path, l));
        }
    }
    // Grafana alerting provisioning: rules with a condition and queries.
    if has("groups:") && has("condition:") && has("uid:") && (has("data:") || has("datasourceUid")) && !has("kind:") {
        let n = text.lines().filter(|l| yaml_value(l, "condition").is_some()).count();
        let l = line_of(&|l: &str| yaml_value(l, "condition").is_some()).unwrap_or(1);
        out.push(fact("maturity/alert-rules", EvidenceValue::Count(n as u64), path, l));
    }
    // CI systems opslint does not read.
    if let Some(sys) = opslint_knowledge::ci::system_of(path).filter(|s| !s.read) {
        out.push(fact("maturity/ci-unreadable", text_v(format!("{} (`{}`)", sys.name, name)), path, 1));
    }
    for (api, kind, what) in [
        ("argoproj.io", "Application", "Argo CD Application"),
        ("argoproj.io", "ApplicationSet", "Argo CD ApplicationSet"),
        ("fluxcd.io", "Kustomization", "Flux Kustomization"),
        ("fluxcd.io", "HelmRelease", "Flux HelmRelease"),
    ] {
        if has(api) {
            if let Some(l) = kind_line(kind) {
                out.push(fact("maturity/deploy-config", text_v(what), path, l));
            }
        }
    }
    if has("hosts:")
        && (has("tasks:") || has("roles:"))
        && text.trim_start().starts_with(['-', '#'])
        && !has("apiVersion:")
    {
        let l = line_of(&|l: &str| yaml_value(l, "hosts").is_some()).unwrap_or(1);
        out.push(fact("maturity/deploy-config", text_v("Ansible playbook"), path, l));
    }
    // Logging.
    if let Some(l) = line_of(&|l: &str| json_log_setting(l)) {
        out.push(fact(
            "maturity/structured-logging",
            text_v(short(text.lines().nth(l as usize - 1).unwrap_or("").trim())),
            path,
            l,
        ));
    }
    let shipper = [
        ("promtail", "Promtail"),
        ("filebeat", "Filebeat"),
        ("fluent-bit", "Fluent Bit"),
        ("fluentbit", "Fluent Bit"),
        ("fluentd", "Fluentd"),
        ("vector", "Vector"),
    ]
    .iter()
    .find(|(n, _)| p.stem().contains(n));
    if let Some((_, what)) = shipper {
        out.push(fact("maturity/log-shipping", text_v(format!("{what} configuration")), path, 1));
    } else if (has("receivers:") && has("exporters:") && has("logs:")) && !has("apiVersion:") {
        let l = line_of(&|l: &str| l.trim() == "logs:").unwrap_or(1);
        out.push(fact("maturity/log-shipping", text_v("OpenTelemetry Collector logs pipeline"), path, l));
    }
    // Metrics.
    if let Some(l) = line_of(&|l: &str| l.starts_with("scrape_configs:")) {
        out.push(fact("maturity/prometheus-metrics", text_v("Prometheus scrape configuration"), path, l));
    }
    if let Some(l) = line_of(&|l: &str| l.contains("prometheus.io/scrape") && l.contains("true")) {
        out.push(fact("maturity/prometheus-metrics", text_v("prometheus.io/scrape annotation"), path, l));
    }
    // Dashboards.
    if let Some(l) = kind_line("GrafanaDashboard") {
        out.push(fact("maturity/grafana-dashboard", text_v("GrafanaDashboard object"), path, l));
    } else if has("grafana_dashboard") && has("ConfigMap") {
        let l = line_of(&|l: &str| l.contains("grafana_dashboard")).unwrap_or(1);
        out.push(fact("maturity/grafana-dashboard", text_v("dashboard ConfigMap (grafana_dashboard label)"), path, l));
    }
    // Prometheus alert rules are the prometheus plugin's (it parses them): read here only in a
    // Helm template the YAML layer refuses (`name: {{ .Release.Name }}-rules`), line by line.
    if has("groups:") && template_breaks_yaml(text) {
        let alerts: Vec<usize> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| yaml_value(l, "alert").is_some_and(|v| !v.is_empty()))
            .map(|(i, _)| i)
            .collect();
        if let Some(&first) = alerts.first() {
            let lines: Vec<&str> = text.lines().collect();
            let mut with = 0;
            for (n, &a) in alerts.iter().enumerate() {
                let end = alerts.get(n + 1).copied().unwrap_or(lines.len());
                if lines[a..end].iter().any(|l| l.contains("runbook_url") || l.contains("runbook:")) {
                    with += 1;
                }
            }
            let line = first as u32 + 1;
            out.push(fact("maturity/alert-rules", EvidenceValue::Count(alerts.len() as u64), path, line));
            out.push(fact("maturity/alert-runbooks", text_v(format!("{with}/{}", alerts.len())), path, line));
        }
    }
    // SLOs.
    let slo = if has("openslo/") {
        kind_line("SLO").map(|l| (l, "OpenSLO SLO"))
    } else if has("sloth.slok.dev") || (has("prometheus/v1") && has("slos:")) {
        line_of(&|l: &str| l.starts_with("slos:") || yaml_value(l, "kind") == Some("PrometheusServiceLevel"))
            .map(|l| (l, "Sloth SLOs"))
    } else if has("pyrra.dev") {
        kind_line("ServiceLevelObjective").map(|l| (l, "Pyrra ServiceLevelObjective"))
    } else {
        None
    };
    if let Some((l, what)) = slo {
        out.push(fact("maturity/slo", text_v(what), path, l));
    }
    // Chaos experiments.
    chaos_facts(path, text, out);
    // Autoscaling outside HPAs.
    if has("keda.sh") {
        if let Some(l) = kind_line("ScaledObject") {
            out.push(fact("maturity/autoscaling", text_v("KEDA ScaledObject"), path, l));
        }
    }
}

fn chaos_facts(path: &str, text: &str, out: &mut Vec<Fact>) {
    let has = |s: &str| text.contains(s);
    if has("steady-state-hypothesis") && has("method") {
        let l = find_line(text, |l| l.contains("steady-state-hypothesis")).unwrap_or(1);
        out.push(fact("maturity/chaos-experiment", text_v("Chaos Toolkit experiment"), path, l));
        return;
    }
    for (api, what) in [("litmuschaos.io", "Litmus"), ("chaos-mesh.org", "Chaos Mesh")] {
        if has(api) {
            if let Some(l) = find_line(text, |l| {
                yaml_value(l, "kind").is_some_and(|k| {
                    k.contains("Chaos") || k.ends_with("Experiment") || k == "Workflow" || k == "Schedule"
                })
            }) {
                let kind = text.lines().nth(l as usize - 1).and_then(|x| yaml_value(x, "kind")).unwrap_or("");
                out.push(fact("maturity/chaos-experiment", text_v(format!("{what} {kind}")), path, l));
            }
        }
    }
}

/// A template action where YAML expects a value or a line (`key: {{ .Values.x }}`,
/// `{{- if .Values.rules }}`): the file does not parse as YAML before it is rendered.
pub fn template_breaks_yaml(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim_start().trim_start_matches("- ");
        t.starts_with("{{")
            || t.split_once(": ").is_some_and(|(k, v)| !k.contains(' ') && v.trim_start().starts_with("{{"))
    })
}

fn text_v(s: impl Into<String>) -> EvidenceValue {
    tv(s)
}

/// `LOG_FORMAT=json`, `log_format: json`, `LOGGING_FORMAT: "json"`, `log.format = json`…
fn json_log_setting(line: &str) -> bool {
    let t = line.trim().trim_start_matches("- ").to_ascii_lowercase();
    if t.starts_with('#') {
        return false;
    }
    let Some((k, v)) = t.split_once(['=', ':']) else { return false };
    let k = k.trim().trim_matches(['"', '\'']).replace(['.', '-'], "_");
    let v = v.trim().trim_matches(['"', '\'', ',']).trim();
    let key = k.contains("log")
        && (k.ends_with("format") || k.ends_with("formatter") || k.ends_with("encoder") || k.ends_with("encoding"));
    key && (v == "json" || v == "ecs" || v == "logfmt" || v == "gelf")
}

fn json_facts(p: &P, text: &str, out: &mut Vec<Fact>) {
    let path = p.path;
    if p.name == "package-lock.json" || p.name == "composer.lock" {
        return;
    }
    if text.contains("\"panels\"") && (text.contains("\"schemaVersion\"") || text.contains("\"dashboard\"")) {
        let l = find_line(text, |l| l.contains("\"title\"")).unwrap_or(1);
        let title = text
            .lines()
            .nth(l as usize - 1)
            .and_then(|x| {
                x.split_once("\"title\"")
                    .map(|(_, r)| r.trim_start_matches([':', ' ']).trim_end_matches(',').trim_matches('"').to_string())
            })
            .unwrap_or_default();
        out.push(fact(
            "maturity/grafana-dashboard",
            text_v(format!("Grafana dashboard \"{}\"", short(&title))),
            path,
            l,
        ));
    }
    // Google Cloud Monitoring dashboards: a layout of widgets.
    if (text.contains("\"mosaicLayout\"") || text.contains("\"gridLayout\"") || text.contains("\"columnLayout\""))
        && text.contains("\"widgets\"")
    {
        let l = find_line(text, |l| l.contains("\"displayName\"")).unwrap_or(1);
        out.push(fact("maturity/grafana-dashboard", text_v("Cloud Monitoring dashboard"), path, l));
    }
    if text.contains("\"steady-state-hypothesis\"") {
        chaos_facts(path, text, out);
    }
}

fn terraform_facts(p: &P, text: &str, out: &mut Vec<Fact>) {
    let path = p.path;
    let resource = |types: &[&str]| {
        find_line(text, |l| {
            let t = l.trim_start();
            t.starts_with("resource ") && types.iter().any(|ty| t.contains(&format!("\"{ty}\"")))
        })
    };
    if let Some(l) = resource(&["grafana_dashboard"]) {
        out.push(fact("maturity/grafana-dashboard", text_v("Terraform grafana_dashboard"), path, l));
    }
    if let Some(l) = resource(&[
        "aws_cloudwatch_dashboard",
        "google_monitoring_dashboard",
        "datadog_dashboard",
        "datadog_dashboard_json",
        "azurerm_portal_dashboard",
    ]) {
        out.push(fact("maturity/grafana-dashboard", text_v("dashboard resource in Terraform"), path, l));
    }
    let alerts = [
        "aws_cloudwatch_metric_alarm",
        "google_monitoring_alert_policy",
        "datadog_monitor",
        "azurerm_monitor_metric_alert",
        "grafana_rule_group",
        "newrelic_alert_condition",
        "newrelic_nrql_alert_condition",
    ];
    let n = text
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            t.starts_with("resource ") && alerts.iter().any(|ty| t.contains(&format!("\"{ty}\"")))
        })
        .count();
    if let Some(l) = resource(&alerts) {
        out.push(fact("maturity/alert-rules", EvidenceValue::Count(n as u64), path, l));
    }
    if let Some(l) =
        resource(&["google_monitoring_slo", "datadog_service_level_objective", "newrelic_service_level", "nobl9_slo"])
    {
        out.push(fact("maturity/slo", text_v("SLO resource in Terraform"), path, l));
    }
    if let Some(l) = resource(&[
        "google_cloudbuild_trigger",
        "aws_codebuild_project",
        "aws_codepipeline",
        "azuredevops_build_definition",
    ]) {
        out.push(fact(
            "maturity/ci-unreadable",
            text_v("a CI/CD pipeline defined in Terraform (Cloud Build, CodePipeline, Azure DevOps)"),
            path,
            l,
        ));
    }
    if let Some(l) = resource(&["aws_fis_experiment_template"]) {
        out.push(fact("maturity/chaos-experiment", text_v("AWS FIS experiment template"), path, l));
    }
    if let Some(l) = resource(&[
        "aws_autoscaling_group",
        "aws_appautoscaling_target",
        "aws_appautoscaling_policy",
        "google_compute_autoscaler",
        "google_compute_region_autoscaler",
        "azurerm_monitor_autoscale_setting",
    ]) {
        out.push(fact("maturity/autoscaling", text_v("autoscaling resource in Terraform"), path, l));
    }
    let multi = find_line(text, |l| {
        let t: String = l.split('#').next().unwrap_or("").chars().filter(|c| !c.is_whitespace()).collect();
        t == "multi_az=true"
            || t == "zone_redundant=true"
            || t == "zone_balance=true"
            || (t.starts_with("availability_zones=[") && t.matches(',').count() >= 1 && t.matches('"').count() >= 4)
            || t == "availability_type=\"REGIONAL\""
            || t == "mode=\"ZoneRedundant\""
            || t == "zone_balancing_enabled=true"
            || (t.starts_with("zones=[") && t.matches(',').count() >= 1 && t.matches('"').count() >= 4)
    });
    if let Some(l) = multi {
        out.push(fact(
            "maturity/multi-zone",
            text_v(short(text.lines().nth(l as usize - 1).unwrap_or("").trim())),
            path,
            l,
        ));
    }
}

fn script_facts(p: &P, text: &str, out: &mut Vec<Fact>) {
    let path = p.path;
    if is_make(p) {
        let target = find_line(text, |l| {
            let name = l.split_once(':').map(|(n, _)| n.trim()).unwrap_or("");
            !l.starts_with(['\t', ' ', '#', '.'])
                && !l.contains(":=")
                && (name == "deploy"
                    || name.starts_with("deploy-")
                    || name.starts_with("deploy_")
                    || name == "release"
                    || name == "rollout")
        });
        if let Some(l) = target {
            let name = text.lines().nth(l as usize - 1).and_then(|x| x.split_once(':')).map_or("", |(n, _)| n.trim());
            out.push(fact("maturity/deploy-config", text_v(format!("`{}` target `{name}`", p.name)), path, l));
            return;
        }
    }
    // A script run against a server: `docker compose up` there is a deploy.
    let cmd = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| opslint_knowledge::commands::deploy_command(l, true).map(|c| (i as u32 + 1, c)));
    if let Some((l, c)) = cmd {
        out.push(fact("maturity/deploy-config", text_v(format!("deploy script runs `{c}`")), path, l));
    }
}

/// Libraries whose presence in a dependency manifest means logs are structured, and metrics exposed.
const LOG_LIBS: &[&str] = &[
    "structlog",
    "python-json-logger",
    "json-logging",
    "ecs-logging",
    "pino",
    "winston",
    "bunyan",
    "go.uber.org/zap",
    "github.com/rs/zerolog",
    "github.com/sirupsen/logrus",
    "log/slog",
    "tracing-subscriber",
    "slog-json",
    "logstash-logback-encoder",
    "log4j-layout-template-json",
    "ecs-logging-java",
    "lograge",
    "semantic_logger",
    "serilog",
    "monolog/monolog",
];
const METRIC_LIBS: &[&str] = &[
    "prometheus_client",
    "prometheus-client",
    "prometheus-fastapi-instrumentator",
    "starlette-exporter",
    "django-prometheus",
    "prom-client",
    "github.com/prometheus/client_golang",
    "micrometer-registry-prometheus",
    "opentelemetry-exporter-prometheus",
    "@opentelemetry/exporter-prometheus",
    "metrics-exporter-prometheus",
    "prometheus-net",
];

fn manifest_facts(p: &P, text: &str, out: &mut Vec<Fact>) {
    let manifest = p.name.starts_with("requirements") && p.ext() == "txt"
        || matches!(
            p.name.as_str(),
            "pyproject.toml"
                | "pipfile"
                | "setup.cfg"
                | "package.json"
                | "go.mod"
                | "cargo.toml"
                | "gemfile"
                | "pom.xml"
                | "build.gradle"
                | "build.gradle.kts"
                | "composer.json"
        )
        || p.ext() == "csproj";
    if !manifest {
        return;
    }
    let find = |libs: &[&'static str]| {
        text.lines().enumerate().find_map(|(i, l)| {
            let t = l.trim().to_ascii_lowercase();
            if t.starts_with('#') || t.starts_with("//") {
                return None;
            }
            libs.iter().find(|lib| names_dependency(&t, lib)).map(|lib| (i as u32 + 1, *lib))
        })
    };
    if let Some((l, lib)) = find(LOG_LIBS) {
        out.push(fact("maturity/structured-logging", text_v(format!("structured logging library `{lib}`")), p.path, l));
    }
    if let Some((l, lib)) = find(METRIC_LIBS) {
        out.push(fact("maturity/prometheus-metrics", text_v(format!("metrics library `{lib}`")), p.path, l));
    }
}

/// Whether a manifest line names `lib` as a whole dependency name (not `pinot` for `pino`).
fn names_dependency(line: &str, lib: &str) -> bool {
    let mut from = 0;
    while let Some(i) = line[from..].find(lib) {
        let at = from + i;
        let before = line[..at].chars().next_back();
        let after = line[at + lib.len()..].chars().next();
        let starts = before.is_none_or(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '>' | ':' | '('));
        let ends = after.is_none_or(|c| c.is_whitespace() || "\"'=<>~^![,:;)@".contains(c));
        if starts && ends {
            return true;
        }
        from = at + lib.len();
    }
    false
}

fn logging_config_facts(p: &P, text: &str, out: &mut Vec<Fact>) {
    let path = p.path;
    let name = p.name.as_str();
    if name.starts_with("logback") || name.starts_with("log4j2") {
        if let Some(l) = find_line(text, |l| {
            ["LogstashEncoder", "JsonLayout", "JsonTemplateLayout", "JsonEncoder", "EcsLayout"]
                .iter()
                .any(|k| l.contains(k))
        }) {
            out.push(fact("maturity/structured-logging", text_v(format!("JSON layout in `{name}`")), path, l));
        }
    }
    if matches!(name, "logging.conf" | "logging.ini") {
        if let Some(l) =
            find_line(text, |l| l.contains("jsonlogger") || l.contains("JsonFormatter") || l.contains("json_formatter"))
        {
            out.push(fact("maturity/structured-logging", text_v(format!("JSON formatter in `{name}`")), path, l));
        }
    }
    if matches!(name, "fluent-bit.conf" | "fluent.conf" | "vector.toml") {
        let what = if name.starts_with("fluent-bit") {
            "Fluent Bit"
        } else if name.starts_with("fluent") {
            "Fluentd"
        } else {
            "Vector"
        };
        out.push(fact("maturity/log-shipping", text_v(format!("{what} configuration")), path, 1));
    }
    if name == ".env" || p.ext() == "env" {
        if let Some(l) = find_line(text, json_log_setting) {
            out.push(fact(
                "maturity/structured-logging",
                text_v(short(text.lines().nth(l as usize - 1).unwrap_or("").trim())),
                path,
                l,
            ));
        }
    }
}

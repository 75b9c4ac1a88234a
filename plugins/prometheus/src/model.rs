//! What the rules see: the alerting and recording rules of every file (rule
//! files, PrometheusRule objects, rules embedded in Helm values), the
//! Alertmanager configurations, and the scrape interval when a Prometheus
//! configuration says it. Each YAML file is parsed once; each expression once.
use std::ops::Range;

use opslint_yaml::Node;
use promql_parser::parser::Expr;

use crate::duration;

/// A group of rules (`groups[i]`), or the rules list a Helm chart takes directly.
pub struct Group {
    pub doc: usize,
    /// `None` for a bare `rules:` list (Helm values such as `prometheusRule.rules`).
    pub name: Option<(String, Range<usize>)>,
    pub rules: Vec<Rule>,
    /// Where the group sits (`groups:` key or the list) for group-level findings.
    pub span: Range<usize>,
    /// The list of groups it belongs to (its start offset): names are unique per list.
    pub list: usize,
}

pub struct Rule {
    pub doc: usize,
    pub node: Node,
    /// `alert:` or `record:` value with its span; `None` when neither is set.
    pub alert: Option<(String, Range<usize>)>,
    pub record: Option<(String, Range<usize>)>,
    pub expr: Option<Expression>,
}

pub struct Expression {
    pub text: String,
    pub span: Range<usize>,
    /// The parsed PromQL; `Err` with the parser's message. `None` when the
    /// text is a template of another tool (Helm, Jsonnet, envsubst): not PromQL yet.
    pub parsed: Option<Result<Expr, String>>,
}

impl Rule {
    pub fn is_alert(&self) -> bool {
        self.alert.is_some()
    }
    pub fn name(&self) -> &str {
        self.alert.as_ref().or(self.record.as_ref()).map_or("", |(n, _)| n.as_str())
    }
    /// The parsed expression, when it parsed.
    pub fn ast(&self) -> Option<&Expr> {
        self.expr.as_ref()?.parsed.as_ref()?.as_ref().ok()
    }
    pub fn expr_span(&self) -> Range<usize> {
        self.expr.as_ref().map_or_else(|| self.key_span(), |e| e.span.clone())
    }
    /// The `alert:`/`record:` value, else the rule's first key.
    pub fn key_span(&self) -> Range<usize> {
        self.alert
            .as_ref()
            .or(self.record.as_ref())
            .map(|(_, s)| s.clone())
            .unwrap_or_else(|| self.node.entries().first().map_or(self.node.span.clone(), |e| e.key.span.clone()))
    }
    pub fn labels(&self) -> &[opslint_yaml::Entry] {
        self.node.get("labels").map(Node::entries).unwrap_or(&[])
    }
    pub fn annotations(&self) -> &[opslint_yaml::Entry] {
        self.node.get("annotations").map(Node::entries).unwrap_or(&[])
    }
    pub fn label(&self, key: &str) -> Option<&Node> {
        self.node.get("labels")?.get(key)
    }
    pub fn annotation(&self, key: &str) -> Option<&Node> {
        self.node.get("annotations")?.get(key)
    }
}

/// An Alertmanager configuration (a file, a Helm value or an AlertmanagerConfig's spec).
pub struct Alertmanager {
    pub doc: usize,
    pub node: Node,
}

/// A service Prometheus scrapes: a ServiceMonitor/PodMonitor, a `scrape_configs` job, an annotated pod or service.
pub struct Scraped {
    pub doc: usize,
    pub name: String,
    pub span: Range<usize>,
}

pub struct Repo {
    pub paths: Vec<String>,
    pub scraped: Vec<Scraped>,
    pub other_alerting: bool,
    pub groups: Vec<Group>,
    pub alertmanagers: Vec<Alertmanager>,
    /// The smallest `global.scrape_interval` of the repository's Prometheus configurations, in seconds.
    pub scrape_interval: Option<(u64, usize, Range<usize>)>,
}

impl Repo {
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.groups.iter().flat_map(|g| g.rules.iter())
    }
    pub fn alerts(&self) -> impl Iterator<Item = &Rule> {
        self.rules().filter(|r| r.is_alert())
    }
}

/// One file's share: its groups and Alertmanager configurations.
#[derive(Default)]
pub struct File {
    pub groups: Vec<Group>,
    pub alertmanagers: Vec<Alertmanager>,
    pub scrape_interval: Option<(u64, Range<usize>)>,
    pub scraped: Vec<Scraped>,
    /// Alerting rules of another system here (Grafana alerting provisioning): signals unknown.
    pub other_alerting: bool,
}

impl File {
    /// Nothing found: no rule, route, scrape interval or scraped service.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
            && self.alertmanagers.is_empty()
            && self.scrape_interval.is_none()
            && self.scraped.is_empty()
            && !self.other_alerting
    }
}

/// Cheap test before parsing: files that cannot hold rules, routes or a scrape interval are skipped.
/// Rules need an `expr` (a Grafana alerting rule, `condition` and `data`): a
/// `rules:` key alone is a Role's, an Ingress's or a GitLab job's.
///
/// Every YAML file of a repository is asked, on every run that edits one:
/// each marker's searcher is built once, not at every search.
pub fn worth_parsing(text: &str) -> bool {
    use memchr::memmem::Finder;
    static MARKERS: std::sync::OnceLock<[Finder<'static>; 8]> = std::sync::OnceLock::new();
    let [rules, expr, condition, data, others @ ..] = MARKERS.get_or_init(|| {
        ["rules", "expr", "condition", "data", "receivers", "scrape_", "Monitor", "prometheus.io/scrape"]
            .map(Finder::new)
    });
    let has = |f: &Finder| f.find(text.as_bytes()).is_some();
    has(rules) && (has(expr) || has(condition) && has(data)) || others.iter().any(has)
}

pub fn parse_file(text: &str) -> File {
    match worth_parsing(text) {
        true => parse_any(text),
        false => File::default(),
    }
}

/// What [`parse_file`] finds, without the test before parsing.
pub fn parse_any(text: &str) -> File {
    let mut file = File::default();
    let stream = opslint_yaml::parse(text);
    for doc in &stream.docs {
        walk(&doc.root, &mut file, 0);
    }
    file
}

/// Finds rule groups, bare rule lists and Alertmanager configurations anywhere
/// in a document (Helm values nest them under chart-specific keys).
fn walk(node: &Node, file: &mut File, depth: usize) {
    if depth > 12 {
        return;
    }
    if let Some(entries) = node.as_map() {
        if node.get("route").is_some_and(Node::is_map) && node.get("receivers").is_some_and(Node::is_seq) {
            file.alertmanagers.push(Alertmanager { doc: 0, node: node.clone() });
        }
        if let Some(g) = node.get("global").and_then(|g| g.get("scrape_interval")) {
            if let Some(secs) = g.as_str().and_then(duration::seconds) {
                if file.scrape_interval.as_ref().is_none_or(|(s, _)| secs < *s) {
                    file.scrape_interval = Some((secs, g.span.clone()));
                }
            }
        }
        scrape_targets(node, file);
        for e in entries {
            match e.key_str() {
                Some("groups") if grafana_groups(&e.value) => file.other_alerting = true,
                Some("groups") if is_group_list(&e.value) => {
                    for g in e.value.items() {
                        file.groups.push(group(g, e.value.span.start));
                    }
                }
                Some("rules") if is_rule_list(&e.value) => {
                    file.groups.push(Group {
                        doc: 0,
                        name: None,
                        rules: e.value.items().iter().filter_map(rule).collect(),
                        span: e.key.span.clone(),
                        list: e.value.span.start,
                    });
                }
                _ => walk(&e.value, file, depth + 1),
            }
        }
    } else if let Some(items) = node.as_seq() {
        for i in items {
            walk(i, file, depth + 1);
        }
    }
}

/// Grafana alerting provisioning: `groups:` whose rules have `condition` and `data`.
fn grafana_groups(node: &Node) -> bool {
    node.items().iter().any(|g| {
        g.get("rules")
            .is_some_and(|r| r.items().iter().any(|r| r.get("condition").is_some() && r.get("data").is_some()))
    })
}

/// Services this mapping says Prometheus scrapes.
fn scrape_targets(node: &Node, file: &mut File) {
    if let (Some(kind), Some(name)) =
        (node.get("kind").and_then(Node::as_str), node.get("metadata").and_then(|m| m.get("name")))
    {
        if kind == "ServiceMonitor" || kind == "PodMonitor" {
            file.scraped.push(Scraped {
                doc: 0,
                name: format!("{kind}/{}", name.as_str().unwrap_or("")),
                span: name.span.clone(),
            });
        }
    }
    if let Some(jobs) = node.get("scrape_configs") {
        for j in jobs.items() {
            if let Some(n) = j.get("job_name") {
                file.scraped.push(Scraped {
                    doc: 0,
                    name: format!("job {}", n.as_str().unwrap_or("")),
                    span: n.span.clone(),
                });
            }
        }
    }
    if let Some(v) = node.get("prometheus.io/scrape") {
        if v.as_str() == Some("true") || v.as_bool() == Some(true) {
            file.scraped.push(Scraped { doc: 0, name: "an annotated pod or service".into(), span: v.span.clone() });
        }
    }
}

/// `groups:` as Prometheus reads it: a list of mappings, each with `rules:`
/// holding Prometheus rules (`expr`); Grafana's alerting provisioning files
/// have `groups:` with `rules:` too, of another shape (`uid`, `condition`, `data`).
fn is_group_list(node: &Node) -> bool {
    let items = node.items();
    !items.is_empty()
        && items.iter().all(|g| g.is_map())
        && items.iter().any(|g| g.get("rules").is_some_and(|r| r.items().iter().any(|r| r.get("expr").is_some())))
}

/// A bare rule list: every item a mapping with `expr` and `alert` or `record`.
fn is_rule_list(node: &Node) -> bool {
    let items = node.items();
    !items.is_empty()
        && items.iter().all(|r| r.get("expr").is_some() && (r.get("alert").is_some() || r.get("record").is_some()))
}

fn group(node: &Node, list: usize) -> Group {
    let name = node.get("name").and_then(|n| Some((n.as_str()?.to_string(), n.span.clone())));
    let rules = node.get("rules").map(Node::items).unwrap_or(&[]).iter().filter_map(rule).collect();
    Group { doc: 0, name, rules, span: node.entries().first().map_or(node.span.clone(), |e| e.key.span.clone()), list }
}

fn rule(node: &Node) -> Option<Rule> {
    if !node.is_map() {
        return None;
    }
    let text = |key: &str| node.get(key).and_then(|n| Some((n.as_str()?.to_string(), n.span.clone())));
    let expr = node.get("expr").map(|n| {
        let text = n.as_scalar().map(|s| s.text.clone()).unwrap_or_default();
        let parsed = if templated(&text) { None } else { Some(promql_parser::parser::parse(&text)) };
        Expression { text, span: n.span.clone(), parsed }
    });
    Some(Rule { doc: 0, node: node.clone(), alert: text("alert"), record: text("record"), expr })
}

/// Text another tool fills in before Prometheus reads it (Helm/Go templates,
/// Jsonnet or Python format strings, envsubst): not judged as PromQL.
pub fn templated(text: &str) -> bool {
    text.contains("{{") || text.contains("%(") || text.contains("${") || text.contains("[[")
}

/// A value written by another templating layer: Helm's own template markers.
pub fn helm_templated(text: &str) -> bool {
    [".Values", ".Release", ".Chart", "{{ \"{{", "{{`", "{{- ", " -}}", "include \"", "tpl "]
        .iter()
        .any(|m| text.contains(m))
}

pub fn build(files: Vec<(usize, File)>, paths: Vec<String>) -> Repo {
    let mut repo = Repo {
        paths,
        scraped: Vec::new(),
        other_alerting: false,
        groups: Vec::new(),
        alertmanagers: Vec::new(),
        scrape_interval: None,
    };
    for (i, f) in files {
        for mut g in f.groups {
            g.doc = i;
            for r in &mut g.rules {
                r.doc = i;
            }
            repo.groups.push(g);
        }
        repo.alertmanagers.extend(f.alertmanagers.into_iter().map(|mut a| {
            a.doc = i;
            a
        }));
        repo.other_alerting |= f.other_alerting;
        repo.scraped.extend(f.scraped.into_iter().map(|mut s| {
            s.doc = i;
            s
        }));
        if let Some((secs, span)) = f.scrape_interval {
            if repo.scrape_interval.as_ref().is_none_or(|(s, ..)| secs < *s) {
                repo.scrape_interval = Some((secs, i, span));
            }
        }
    }
    repo
}

#[cfg(test)]
mod tests {
    /// What [`super::worth_parsing`] answers, with `str::contains`.
    fn by_search(text: &str) -> bool {
        let rules =
            text.contains("rules") && (text.contains("expr") || text.contains("condition") && text.contains("data"));
        rules || ["receivers", "scrape_", "Monitor", "prometheus.io/scrape"].iter().any(|w| text.contains(w))
    }

    /// The test with prebuilt searchers answers as plain searches do, on
    /// crafted texts and every real file of the shared corpora.
    #[test]
    fn prebuilt_searchers_answer_as_plain_searches() {
        let texts = [
            "",
            "kind: Role\nrules:\n- verbs: [get]\n",
            "groups:\n- rules:\n  - expr: up == 0\n",
            "rules: []\ncondition: A\n",
            "rules: []\ncondition: A\ndata: []\n",
            "datarules condition",
            "annotations: {prometheus.io/scrape: 'true'}",
            "prometheus.io/scrap",
            "kind: ServiceMonitor",
            "global: {scrape_interval: 15s}",
            "receivers: []",
            "exprrules",
        ];
        for t in texts {
            assert_eq!(super::worth_parsing(t), by_search(t), "{t:?}");
        }
        for name in ["corpus", "repos"] {
            let Some(dir) = opslint_sdk::testing::shared_input(name) else { continue };
            let yaml = |p: &str| (p.ends_with(".yaml") || p.ends_with(".yml")).then(|| "yaml".to_string());
            for d in opslint_sdk::testing::documents_under(&dir, yaml) {
                assert_eq!(super::worth_parsing(&d.text), by_search(&d.text), "{}", d.path);
            }
        }
    }
}

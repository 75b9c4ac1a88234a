//! What the rules see: GitHub workflows and actions, GitLab pipelines (with
//! their local includes resolved), and dependency-update configurations.
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use opslint_sdk::{Ctx, FindingExt};
use opslint_yaml::{Entry, Node, Value};

use crate::expr::{self, Expr};

/// What a file is, from its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Workflow,
    Action,
    GitLab,
    Dependabot,
    Renovate,
    /// CircleCI, Woodpecker or Drone: read for evidence only (no rules).
    OtherCi(&'static str),
    /// Any other YAML: read only if a GitLab pipeline includes it.
    Yaml,
}

pub fn classify(path: &str) -> Kind {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    if yaml && (dir == ".github/workflows" || dir.ends_with("/.github/workflows")) {
        Kind::Workflow
    } else if name == "action.yml" || name == "action.yaml" {
        Kind::Action
    } else if name == ".gitlab-ci.yml" || name == ".gitlab-ci.yaml" {
        Kind::GitLab
    } else if yaml && name.starts_with("dependabot.") && (dir == ".github" || dir.ends_with("/.github")) {
        Kind::Dependabot
    } else if matches!(
        name,
        "renovate.json" | "renovate.json5" | ".renovaterc" | ".renovaterc.json" | ".renovaterc.json5"
    ) {
        Kind::Renovate
    } else if let Some(sys) =
        opslint_knowledge::ci::system_of(path).filter(|s| s.read && s.id != "github-actions" && s.id != "gitlab-ci")
    {
        Kind::OtherCi(sys.id)
    } else {
        Kind::Yaml
    }
}

/// One document of the request, parsed (or not, for plain YAML nobody includes yet).
pub struct File {
    pub kind: Kind,
    /// The documents' roots (GitLab files may hold a `spec:` header document).
    pub roots: Vec<Node>,
    /// A workflow's or a standalone pipeline's job facts computed before
    /// (read from its fact), else computed by `build`.
    pub job_facts: Option<Vec<JobFacts>>,
}

/// Parses one file, reporting syntax errors of the files this plugin owns.
pub fn parse_file(cx: &mut Ctx) -> File {
    let kind = classify(cx.path);
    if matches!(kind, Kind::Yaml | Kind::Renovate) {
        return File { kind, roots: Vec::new(), job_facts: None };
    }
    let stream = opslint_yaml::parse(cx.text);
    if let (Some(e), false) = (&stream.error, matches!(kind, Kind::OtherCi(_))) {
        report_parse_error(cx, e);
    }
    let roots: Vec<Node> = stream.docs.into_iter().map(|d| d.root).filter(|r| !r.is_null()).collect();
    if stream.error.is_none() && matches!(kind, Kind::Workflow | Kind::Action) {
        match roots.first() {
            Some(r) if r.is_map() => {}
            Some(r) => {
                cx.report(r.span.clone(), "the file is not a YAML mapping")
                    .help("a workflow is a mapping with `on:` and `jobs:`");
            }
            None => {
                cx.report(0..0, "the file is empty")
                    .help("a workflow needs `on:` and `jobs:`; delete the file if it is unused");
            }
        }
    }
    File { kind, roots, job_facts: None }
}

fn report_parse_error(cx: &mut Ctx, e: &opslint_yaml::Error) {
    let (line, col) = opslint_yaml::line_col(cx.text, e.span.start);
    cx.report(e.span.clone(), format!("{} (line {line}, column {col})", e.message))
        .help("fix the YAML; nothing in this file was checked");
}

/// A GitHub Actions workflow.
pub struct Workflow {
    pub doc: usize,
    pub root: Node,
    /// Event names with the span of each (key or list item).
    pub triggers: Vec<(String, Range<usize>)>,
    /// What each job (in [`Workflow::jobs`] order) does, computed once.
    facts: Vec<JobFacts>,
}

/// What a job does, from its scripts: computed once, read by rules and evidence.
#[derive(Debug, Clone, Default)]
pub struct JobFacts {
    pub deploy: Option<Deploy>,
    /// A deploy of a documentation site: not the service (so not `deploy`),
    /// but it still ships what the job built with the job's deploy token.
    pub site: Option<Deploy>,
    /// The test command, the document and span of the script running it.
    pub tests: Option<(&'static str, usize, Range<usize>)>,
    pub backups: Vec<&'static str>,
    pub restores: Vec<&'static str>,
}

/// Triggers whose runs hold secrets and a write token while the event's
/// content (branch, title, comment) comes from someone outside the repository.
pub const PRIVILEGED_TRIGGERS: &[&str] = &[
    "pull_request_target",
    "workflow_run",
    "issue_comment",
    "issues",
    "discussion",
    "discussion_comment",
    "pull_request_review_comment",
    "pull_request_review",
];

/// Triggers that run for outside contributors' code or text.
pub const PR_TRIGGERS: &[&str] = &[
    "pull_request",
    "pull_request_target",
    "issue_comment",
    "pull_request_review",
    "pull_request_review_comment",
    "merge_group",
];

impl Workflow {
    /// The workflow of document `doc`, with its job facts (`known`, else computed).
    pub fn new(doc: usize, root: Node, known: Option<Vec<JobFacts>>) -> Self {
        let mut triggers = Vec::new();
        if let Some(on) = root.entry("on").or_else(|| root.entry("true")).map(|e| &e.value) {
            match &on.value {
                Value::Scalar(s) => triggers.push((s.text.clone(), on.span.clone())),
                Value::Seq(items) => {
                    triggers.extend(items.iter().filter_map(|i| Some((i.as_str()?.to_string(), i.span.clone()))))
                }
                Value::Map(entries) => {
                    triggers.extend(entries.iter().filter_map(|e| Some((e.key_str()?.to_string(), e.key.span.clone()))))
                }
            }
        }
        let mut wf = Workflow { doc, root, triggers, facts: Vec::new() };
        wf.facts = known.unwrap_or_else(|| wf.compute_job_facts());
        wf
    }

    /// What each job does, in [`Workflow::jobs`] order.
    pub fn job_facts(&self) -> &[JobFacts] {
        &self.facts
    }

    /// [`Workflow::job_facts`], kept when the workflow is not.
    pub fn into_job_facts(self) -> Vec<JobFacts> {
        self.facts
    }

    fn compute_job_facts(&self) -> Vec<JobFacts> {
        let empty = JobFacts::default();
        let wf_name = self.root.str("name").unwrap_or("").to_string();
        let views = self.job_views(&empty);
        let mut facts: Vec<JobFacts> = views.iter().map(|j| j.compute_facts(self.doc, &wf_name)).collect();
        // A job only its name calls a deploy ("Deploy test environment"), needed by a job that
        // does deploy, prepares that deploy (names, a deployment record): one deploy, not two.
        let prepares: Vec<bool> = views
            .iter()
            .map(|j| {
                views.iter().zip(&facts).any(|(other, f)| {
                    f.deploy.as_ref().is_some_and(|d| !d.by_name)
                        && other.needs().iter().any(|n| n.as_str() == Some(j.id))
                })
            })
            .collect();
        for (f, prepares) in facts.iter_mut().zip(prepares) {
            if prepares && f.deploy.as_ref().is_some_and(|d| d.by_name) {
                f.deploy = None;
            }
        }
        facts
    }

    pub fn on(&self, event: &str) -> bool {
        self.triggers.iter().any(|(t, _)| t == event)
    }

    pub fn trigger_span(&self, event: &str) -> Option<Range<usize>> {
        self.triggers.iter().find(|(t, _)| t == event).map(|(_, s)| s.clone())
    }

    /// The first privileged trigger, if any.
    pub fn privileged(&self) -> Option<&(String, Range<usize>)> {
        self.triggers.iter().find(|(t, _)| PRIVILEGED_TRIGGERS.contains(&t.as_str()))
    }

    pub fn pr_triggered(&self) -> Option<&(String, Range<usize>)> {
        self.triggers.iter().find(|(t, _)| PR_TRIGGERS.contains(&t.as_str()))
    }

    /// The `on:` node (YAML 1.1 reads a bare `on` as `true`; the parser keeps the text).
    pub fn on_node(&self) -> Option<&Entry> {
        self.root.entry("on")
    }

    pub fn jobs(&self) -> Vec<GhJob<'_>> {
        let mut jobs = self.job_views(&EMPTY_FACTS);
        for (j, f) in jobs.iter_mut().zip(&self.facts) {
            j.facts = f;
        }
        jobs
    }

    fn job_views<'a>(&'a self, facts: &'a JobFacts) -> Vec<GhJob<'a>> {
        self.root
            .get("jobs")
            .map(|j| {
                j.entries()
                    .iter()
                    .filter_map(|e| Some(GhJob { id: e.key_str()?, key: &e.key, node: &e.value, facts }))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The workflow's display name, else its file name.
    pub fn name<'a>(&'a self, path: &'a str) -> &'a str {
        self.root.str("name").unwrap_or_else(|| path.rsplit('/').next().unwrap_or(path))
    }
}

/// A job of a workflow.
#[derive(Clone, Copy)]
pub struct GhJob<'a> {
    pub id: &'a str,
    pub key: &'a Node,
    pub node: &'a Node,
    pub facts: &'a JobFacts,
}

static EMPTY_FACTS: JobFacts =
    JobFacts { deploy: None, site: None, tests: None, backups: Vec::new(), restores: Vec::new() };

impl<'a> GhJob<'a> {
    pub fn steps(&self) -> &'a [Node] {
        self.node.get("steps").map_or(&[], Node::items)
    }

    /// A reusable-workflow call (`uses:` at job level).
    pub fn is_call(&self) -> bool {
        self.node.get("uses").is_some()
    }

    /// Literal `runs-on` labels (a string, a list, or `labels:` of a group).
    pub fn runs_on(&self) -> Vec<&'a Node> {
        let Some(r) = self.node.get("runs-on") else { return Vec::new() };
        let r = r.get("labels").unwrap_or(r);
        match &r.value {
            Value::Scalar(_) => vec![r],
            Value::Seq(items) => items.iter().collect(),
            Value::Map(_) => Vec::new(),
        }
    }

    /// The `needs:` job ids with their nodes.
    pub fn needs(&self) -> Vec<&'a Node> {
        match self.node.get("needs") {
            Some(n) if n.as_str().is_some() => vec![n],
            Some(n) => n.items().iter().filter(|i| i.as_str().is_some()).collect(),
            None => Vec::new(),
        }
    }

    /// The environment name and its node.
    pub fn environment(&self) -> Option<(&'a str, &'a Node)> {
        let e = self.node.get("environment")?;
        let name = e.get("name").unwrap_or(e);
        Some((name.as_str()?, name))
    }

    pub fn label(&self) -> &'a str {
        self.node.str("name").filter(|n| !n.contains("${{")).unwrap_or(self.id)
    }
}

/// A composite or Docker action (`action.yml`).
pub struct Action {
    pub doc: usize,
    pub root: Node,
}

impl Action {
    pub fn steps(&self) -> &[Node] {
        self.root.at("runs.steps").map_or(&[], Node::items)
    }
}

/// A step of a workflow job or of a composite action.
#[derive(Clone, Copy)]
pub struct Step<'a> {
    pub doc: usize,
    pub node: &'a Node,
    pub workflow: Option<&'a Workflow>,
    pub job: Option<GhJob<'a>>,
}

impl<'a> Step<'a> {
    pub fn uses(&self) -> Option<&'a str> {
        self.node.str("uses")
    }

    pub fn run(&self) -> Option<&'a Node> {
        self.node.get("run").filter(|r| r.as_str().is_some())
    }

    pub fn with(&self, key: &str) -> Option<&'a Node> {
        self.node.get("with")?.get(key)
    }

    /// `uses:` names this action (owner/repo, case-insensitive, any ref).
    pub fn uses_action(&self, action: &str) -> bool {
        self.uses().is_some_and(|u| {
            let name = u.split('@').next().unwrap_or(u);
            name.eq_ignore_ascii_case(action)
        })
    }
}

/// A job of a GitLab pipeline.
pub struct GlJob {
    /// Index in [`Pipeline::jobs`].
    pub idx: usize,
    pub doc: usize,
    pub name: String,
    pub key: Range<usize>,
    pub node: Node,
}

impl GlJob {
    pub fn hidden(&self) -> bool {
        self.name.starts_with('.')
    }
}

/// A `.gitlab-ci.yml` with the files it includes locally.
pub struct Pipeline {
    pub doc: usize,
    /// (document, root) of the main file then each included file, in include order.
    pub files: Vec<(usize, Node)>,
    /// Jobs in definition order; a later definition of a name overrides an earlier one.
    pub jobs: Vec<GlJob>,
    /// Declared `stages:` (last declaration wins), with its document and node.
    pub stages: Option<(usize, Vec<String>)>,
    /// Some include is remote, a project, a template, a component or not found:
    /// jobs, stages and templates may come from there.
    pub unresolved: bool,
    /// Job name → index of its last definition in `jobs`.
    pub index: std::collections::HashMap<String, usize>,
    /// What each job does (by index into `jobs`).
    facts: Vec<JobFacts>,
}

/// A lookup through `extends:` that may end in a file we do not have.
pub enum Lookup<'a> {
    Found(&'a GlJob, &'a Entry),
    Missing,
    Unknown,
}

const GITLAB_RESERVED: &[&str] = &[
    "image",
    "services",
    "stages",
    "types",
    "before_script",
    "after_script",
    "variables",
    "cache",
    "include",
    "default",
    "workflow",
    "spec",
];

impl Pipeline {
    /// What each job does, by index into `jobs`.
    pub fn job_facts(&self) -> &[JobFacts] {
        &self.facts
    }

    /// The effective definition of a job name (the last one).
    pub fn job(&self, name: &str) -> Option<&GlJob> {
        self.index.get(name).map(|&i| &self.jobs[i])
    }

    /// Jobs as they run: the last definition of each visible name.
    pub fn visible_jobs(&self) -> Vec<&GlJob> {
        let mut seen = BTreeSet::new();
        let mut out: Vec<&GlJob> =
            self.jobs.iter().rev().filter(|j| !j.hidden() && seen.insert(j.name.as_str())).collect();
        out.reverse();
        out
    }

    /// A job key, following `extends:` (and the `default:` section for inheritable keys).
    pub fn lookup<'a>(&'a self, job: &'a GlJob, key: &str) -> Lookup<'a> {
        let mut todo = vec![(job, 0usize)];
        let mut unknown = false;
        // Each template once: a diamond of `extends:` must not multiply the work.
        let mut seen: BTreeSet<*const GlJob> = BTreeSet::new();
        while let Some((j, depth)) = todo.pop() {
            if !seen.insert(j as *const GlJob) {
                continue;
            }
            if let Some(e) = j.node.entry(key) {
                return Lookup::Found(j, e);
            }
            if depth > 11 {
                unknown = true;
                continue;
            }
            let parents: Vec<&str> = match j.node.get("extends") {
                Some(n) if n.as_str().is_some() => vec![n.as_str().unwrap_or_default()],
                Some(n) => n.items().iter().filter_map(Node::as_str).collect(),
                None => Vec::new(),
            };
            // Later parents override earlier ones: look at them first.
            for p in parents {
                match self.job(p) {
                    Some(pj) if !std::ptr::eq(pj, j) => todo.push((pj, depth + 1)),
                    _ => unknown = true,
                }
            }
        }
        if unknown || self.unresolved {
            Lookup::Unknown
        } else {
            Lookup::Missing
        }
    }

    /// The stage of a job (`test` when unset).
    pub fn stage_of(&self, job: &GlJob) -> Option<String> {
        match self.lookup(job, "stage") {
            Lookup::Found(_, e) => e.value.as_str().map(str::to_string),
            Lookup::Missing => Some("test".into()),
            Lookup::Unknown => None,
        }
    }

    pub fn stage_list(&self) -> Vec<String> {
        match &self.stages {
            Some((_, s)) => s.clone(),
            None => [".pre", "build", "test", "deploy", ".post"].iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Top-level entries of every file (`variables`, `image`, …) with their document.
    pub fn top(&self, key: &str) -> Vec<(usize, &Entry)> {
        self.files.iter().filter_map(|(d, root)| Some((*d, root.entry(key)?))).collect()
    }
}

/// Everything of the batch.
#[derive(Default)]
pub struct Repo {
    pub paths: Vec<String>,
    pub workflows: Vec<Workflow>,
    pub actions: Vec<Action>,
    pub pipelines: Vec<Pipeline>,
    /// (document, "dependabot" | "renovate").
    pub dep_configs: Vec<(usize, Kind)>,
    /// CircleCI, Woodpecker and Drone files: (document, system id, roots).
    pub other_ci: Vec<(usize, &'static str, Vec<Node>)>,
}

impl Repo {
    /// Every step of every workflow job and composite action.
    pub fn steps(&self) -> Vec<Step<'_>> {
        let mut out = Vec::new();
        for wf in &self.workflows {
            for job in wf.jobs() {
                for s in job.steps() {
                    out.push(Step { doc: wf.doc, node: s, workflow: Some(wf), job: Some(job) });
                }
            }
        }
        for a in &self.actions {
            for s in a.steps() {
                out.push(Step { doc: a.doc, node: s, workflow: None, job: None });
            }
        }
        out
    }
}

/// Builds the repository view: files by kind, GitLab pipelines with their includes.
pub fn build(files: Vec<(usize, File)>, cx: &mut Ctx) -> Repo {
    let paths: Vec<String> = cx.documents().iter().map(|d| d.0.to_string()).collect();
    let mut repo = Repo {
        paths: Vec::new(),
        workflows: Vec::new(),
        actions: Vec::new(),
        pipelines: Vec::new(),
        dep_configs: Vec::new(),
        other_ci: Vec::new(),
    };
    let mut gitlab = Vec::new();
    let mut parsed = Vec::with_capacity(files.len());
    for (i, f) in files {
        parsed.push(i);
        match f.kind {
            Kind::Workflow => {
                if let Some(root) = f.roots.into_iter().next().filter(Node::is_map) {
                    repo.workflows.push(Workflow::new(i, root, f.job_facts));
                }
            }
            Kind::Action => {
                if let Some(root) = f.roots.into_iter().next().filter(Node::is_map) {
                    repo.actions.push(Action { doc: i, root });
                }
            }
            Kind::GitLab => gitlab.push((i, f.roots, f.job_facts)),
            Kind::Dependabot | Kind::Renovate => repo.dep_configs.push((i, f.kind)),
            Kind::OtherCi(sys) => repo.other_ci.push((i, sys, f.roots)),
            Kind::Yaml => {}
        }
    }
    // The files a GitLab include may name: made only when there is one (a
    // repository of manifests has thousands of YAML files and no pipeline).
    let by_path: BTreeMap<String, usize> = match gitlab.is_empty() {
        true => BTreeMap::new(),
        false => parsed.into_iter().map(|i| (paths[i].clone(), i)).collect(),
    };
    for (doc, roots, known) in gitlab {
        repo.pipelines.push(build_pipeline(doc, roots, &paths, &by_path, cx, known));
    }
    repo.paths = paths;
    repo
}

/// The model of one file alone, as [`build`] makes it of a repository that
/// holds only that file: what `extract` judges a file by. `None` for a
/// GitLab file that includes others (its pipeline is made of them too).
/// Every other item of the model comes from one file (a workflow, an
/// action, a standalone pipeline), and the rules judge each item alone.
pub fn alone(file: File, cx: &mut Ctx) -> Option<Repo> {
    let includes = |roots: &[Node]| roots.iter().any(|r| r.is_map() && r.get("include").is_some());
    if file.kind == Kind::GitLab && includes(&file.roots) {
        return None;
    }
    Some(build(vec![(0, file)], cx))
}

/// Matches a repo path against an include pattern with `*` and `**`.
fn glob_match(pattern: &str, path: &str) -> bool {
    fn go(p: &[u8], s: &[u8], budget: &mut usize) -> bool {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        match p.first() {
            None => s.is_empty(),
            Some(b'*') if p.get(1) == Some(&b'*') => {
                let rest = &p[2..];
                let rest = rest.strip_prefix(b"/").unwrap_or(rest);
                (0..=s.len()).any(|i| go(rest, &s[i..], budget))
            }
            Some(b'*') => {
                (0..=s.len()).take_while(|&i| i == 0 || s[i - 1] != b'/').any(|i| go(&p[1..], &s[i..], budget))
            }
            Some(c) => s.first() == Some(c) && go(&p[1..], &s[1..], budget),
        }
    }
    let mut budget = 100_000;
    go(pattern.as_bytes(), path.as_bytes(), &mut budget)
}

fn build_pipeline(
    doc: usize,
    roots: Vec<Node>,
    paths: &[String],
    by_path: &BTreeMap<String, usize>,
    cx: &mut Ctx,
    known: Option<Vec<JobFacts>>,
) -> Pipeline {
    let base = paths[doc].rsplit_once('/').map_or(String::new(), |(d, _)| format!("{d}/"));
    let mut p = Pipeline {
        doc,
        files: Vec::new(),
        jobs: Vec::new(),
        stages: None,
        unresolved: false,
        index: Default::default(),
        facts: Vec::new(),
    };
    let mut queue: Vec<(usize, Vec<Node>)> = vec![(doc, roots)];
    let mut seen = BTreeSet::from([doc]);
    let mut order = Vec::new();
    while let Some((d, roots)) = queue.pop() {
        // Merge the documents of a file: a `spec:` header, then the jobs.
        for root in roots.into_iter().filter(Node::is_map) {
            let mut includes = Vec::new();
            if let Some(inc) = root.get("include") {
                let items: Vec<&Node> = if inc.is_seq() { inc.items().iter().collect() } else { vec![inc] };
                for item in items {
                    let (local, other) = match (&item.value, item.get("local")) {
                        (Value::Scalar(s), _) if s.text.starts_with("http://") || s.text.starts_with("https://") => {
                            (None, true)
                        }
                        (Value::Scalar(s), _) => (Some(s.text.clone()), false),
                        (_, Some(l)) => (l.as_str().map(str::to_string), l.as_str().is_none()),
                        _ => (None, true),
                    };
                    if other {
                        p.unresolved = true;
                    }
                    let Some(local) = local else { continue };
                    if local.contains('$') {
                        p.unresolved = true;
                        continue;
                    }
                    let want = format!("{base}{}", local.trim_start_matches('/'));
                    let found: Vec<usize> = if want.contains('*') {
                        by_path.iter().filter(|(k, _)| glob_match(&want, k)).map(|(_, &v)| v).collect()
                    } else {
                        by_path.get(&want).copied().into_iter().collect()
                    };
                    if found.is_empty() {
                        p.unresolved = true;
                    }
                    includes.extend(found);
                }
            }
            order.push((d, root));
            // Included files are read before the including file's own keys override them.
            for i in includes.into_iter().rev() {
                if seen.insert(i) && seen.len() <= 150 {
                    let (path, text) = cx.documents()[i];
                    let stream = opslint_yaml::parse(text);
                    if let Some(e) = &stream.error {
                        let (line, col) = opslint_yaml::line_col(text, e.span.start);
                        let _ = path;
                        cx.report_in(i, e.span.clone(), format!("{} (line {line}, column {col})", e.message))
                            .help("fix the YAML; nothing in this included file was checked");
                    }
                    queue.push((i, stream.docs.into_iter().map(|d| d.root).collect()));
                }
            }
        }
    }
    // Included files first (in include order), then the main file, so later definitions win.
    let (main, included): (Vec<_>, Vec<_>) = order.into_iter().partition(|(d, _)| *d == doc);
    for (d, root) in included.into_iter().chain(main) {
        for e in root.entries() {
            let Some(name) = e.key_str() else { continue };
            if name == "stages" {
                let list: Vec<String> = e.value.items().iter().filter_map(|n| n.as_str().map(str::to_string)).collect();
                p.stages = Some((d, list));
            }
            if GITLAB_RESERVED.contains(&name) || !e.value.is_map() {
                continue;
            }
            p.jobs.push(GlJob {
                idx: 0,
                doc: d,
                name: name.to_string(),
                key: e.key.span.clone(),
                node: e.value.clone(),
            });
        }
        p.files.push((d, root));
    }
    p.index = p.jobs.iter().enumerate().map(|(i, j)| (j.name.clone(), i)).collect();
    for (i, j) in p.jobs.iter_mut().enumerate() {
        j.idx = i;
    }
    // Facts from `extract` hold for a file that merged no other (one per job).
    p.facts = match known {
        Some(facts) if p.files.iter().all(|(d, _)| *d == doc) && facts.len() == p.jobs.len() => facts,
        _ => p.jobs.iter().map(|j| p.compute_facts(j)).collect(),
    };
    p
}

/// An expression in a YAML scalar: where `${{ … }}` is in the file, and its parse.
pub struct Located {
    pub span: Range<usize>,
    pub expr: Option<Expr>,
    pub source: String,
}

/// The expressions of a scalar node, located in the file text. Plain and
/// block scalars are scanned as written (exact positions, also inside a
/// block); quoted ones are parsed from their unescaped value and located by
/// order of appearance in the raw text.
pub fn expressions(text: &str, node: &Node) -> Vec<Located> {
    let Some(s) = node.as_scalar() else { return Vec::new() };
    if opslint_knowledge::words::find(&s.text, "${{").is_none() {
        return Vec::new();
    }
    let raw = text.get(node.span.clone()).unwrap_or("");
    let quoted = raw.starts_with('\'') || raw.starts_with('"');
    let raw_found = expr::find_all(raw);
    let offset = node.span.start;
    if !quoted && !raw_found.is_empty() {
        return raw_found
            .into_iter()
            .filter(|f| f.terminated)
            .map(|f| {
                let inner = &raw[f.inner.clone()];
                Located {
                    span: offset + f.span.start..offset + f.span.end,
                    expr: expr::parse(inner).ok(),
                    source: inner.trim().to_string(),
                }
            })
            .collect();
    }
    let cooked = expr::find_all(&s.text);
    let pair = raw_found.len() == cooked.len();
    cooked
        .into_iter()
        .enumerate()
        .filter(|(_, f)| f.terminated)
        .map(|(i, f)| {
            let inner = &s.text[f.inner.clone()];
            let span = match raw_found.get(i) {
                Some(r) if pair => offset + r.span.start..offset + r.span.end,
                _ => node.span.clone(),
            };
            Located { span, expr: expr::parse(inner).ok(), source: inner.trim().to_string() }
        })
        .collect()
}

/// The shell lines of a GitLab `script:`-like node (a string or nested lists), with their nodes.
pub fn script_lines(node: &Node) -> Vec<&Node> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Scalar(_) => {
                if n.as_str().is_some() {
                    out.push(n);
                }
            }
            Value::Seq(items) => stack.extend(items.iter().rev()),
            Value::Map(_) => {}
        }
    }
    out
}

/// The byte range of `needle` inside a scalar node's raw text, if it is
/// written there verbatim; else the node's span.
pub fn find_in(text: &str, node: &Node, needle: &str) -> Range<usize> {
    let raw = text.get(node.span.clone()).unwrap_or("");
    match raw.find(needle) {
        Some(i) => node.span.start + i..node.span.start + i + needle.len(),
        None => node.span.clone(),
    }
}

/// Secret-looking variable names: a word PASSWORD, TOKEN, SECRET, API_KEY, PRIVATE_KEY …
pub use opslint_knowledge::secrets::secret_name;

/// A literal value that looks like a credential rather than a placeholder.
/// A value in the format of a real service's token (`ghp_…`, `AKIA…`).
pub fn known_token(value: &str) -> bool {
    const PREFIXES: &[&str] =
        &["ghp_", "gho_", "ghs_", "github_pat_", "glpat-", "AKIA", "xoxb-", "xoxp-", "sk_live_", "npm_", "pypi-"];
    PREFIXES.iter().any(|p| value.trim().starts_with(p))
}

pub fn looks_like_credential(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || v.contains("${{") || v.starts_with('$') || v.contains("${") {
        return false;
    }
    if known_token(v) {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    const PLACEHOLDERS: &[&str] =
        &["changeme", "example", "dummy", "test", "placeholder", "xxx", "<", "true", "false", "none", "null"];
    v.len() >= 8 && !PLACEHOLDERS.iter().any(|p| lower.contains(p))
}

/// Whether an environment name is production: one of `names` if given,
/// else a name containing `prod` (production, prod-eu, prd) or `live`.
pub fn is_production(env: &str, names: Option<&[String]>) -> bool {
    let e = env.to_ascii_lowercase();
    match names {
        Some(list) => list.iter().any(|n| n.eq_ignore_ascii_case(env)),
        None => e.contains("prod") || e == "prd" || e == "live" || e.starts_with("prd-") || e.ends_with("-prd"),
    }
}

/// The production environment names configured by the user, if any.
pub fn production_names(cx: &Ctx) -> Option<Vec<String>> {
    cx.option::<Vec<String>>("production-environments")
}

/// Why a job counts as a deploy, and where.
#[derive(Debug, Clone)]
pub struct Deploy {
    pub reason: String,
    pub span: Range<usize>,
    pub environment: Option<String>,
    /// Only the job's name says it deploys.
    pub by_name: bool,
}

impl Deploy {
    /// The environment, else the job's name or id, says this is not production.
    pub fn non_production(&self, job: &str) -> bool {
        match &self.environment {
            Some(e) => non_production(e),
            None => non_production(job),
        }
    }
}

impl<'a> GhJob<'a> {
    /// The job deploys: a deploy action or command, a deploy-like `environment:`, or a job named `deploy…`.
    pub fn deploys(&self) -> Option<Deploy> {
        self.facts.deploy.clone()
    }

    /// What [`GhJob::deploys`] finds, or else a documentation site it deploys:
    /// either way the job ships what it built.
    pub fn deploys_or_site(&self) -> Option<Deploy> {
        self.facts.deploy.clone().or_else(|| self.facts.site.clone())
    }

    /// The job runs tests: the test command and the span of its script.
    pub fn tests(&self) -> Option<(&'static str, Range<usize>)> {
        self.facts.tests.as_ref().map(|(c, _, s)| (*c, s.clone()))
    }

    fn compute_facts(&self, doc: usize, workflow: &str) -> JobFacts {
        let mut facts = self.compute_facts_of_steps(doc);
        // A documentation site published by a static host is not a deploy of the service.
        if facts.deploy.is_some() && self.publishes_docs_site(workflow) {
            facts.site = facts.deploy.take();
        }
        // A job that starts a kind/k3d/minikube cluster deploys into it to test: nowhere.
        let throwaway = self.steps().iter().any(|s| {
            s.str("uses").is_some_and(opslint_knowledge::commands::throwaway_cluster_action)
                || s.str("run").is_some_and(|r| opslint_knowledge::commands::throwaway_cluster(r).is_some())
        });
        if throwaway {
            facts.deploy = None;
            facts.site = None;
        }
        facts
    }

    /// The job uploads a static site (GitHub Pages always; Cloudflare, Netlify, Vercel or
    /// an S3 sync when the workflow, job or its steps name documentation).
    fn publishes_docs_site(&self, workflow: &str) -> bool {
        let steps = self.steps();
        let uses = |s: &Node| s.str("uses").and_then(crate::detect::deploy_action);
        if steps.iter().filter_map(uses).any(|a| PAGES_ACTIONS.contains(&a)) {
            return true;
        }
        let static_host = steps.iter().filter_map(uses).any(|a| STATIC_HOST_ACTIONS.contains(&a))
            || steps.iter().filter_map(|s| s.str("run")).any(|r| {
                let r = r.to_ascii_lowercase();
                r.contains("aws s3 sync") || r.contains("wrangler pages") || r.contains("netlify deploy")
            });
        if !static_host {
            return false;
        }
        let mut text = vec![workflow, self.id, self.node.str("name").unwrap_or("")];
        for s in steps {
            text.extend(s.str("name"));
            text.extend(s.str("run"));
            if let Some(with) = s.get("with") {
                text.extend(with.entries().iter().filter_map(|e| e.value.as_str()));
            }
        }
        text.iter().any(|t| names_docs(t))
    }

    fn compute_facts_of_steps(&self, doc: usize) -> JobFacts {
        let mut facts = JobFacts::default();
        let environment = self.environment().map(|(n, _)| n.to_string());
        let env_span = self.environment().map(|(_, node)| node.span.clone());
        for s in self.steps() {
            if facts.deploy.is_none() {
                if let Some(a) = s.str("uses").and_then(crate::detect::deploy_action) {
                    let span = s.value_span("uses").unwrap_or(s.span.clone());
                    let span = env_span.clone().unwrap_or(span);
                    facts.deploy = Some(Deploy {
                        reason: format!("uses {a}"),
                        span,
                        environment: environment.clone(),
                        by_name: false,
                    });
                }
            }
            let Some(run) = s.get("run").filter(|r| r.as_str().is_some()) else { continue };
            let scan = crate::detect::scan(run.as_str().unwrap_or(""));
            if let (None, Some(c)) = (&facts.deploy, scan.deploy) {
                let span = env_span.clone().unwrap_or(run.span.clone());
                facts.deploy = Some(Deploy {
                    reason: format!("runs `{c}`"),
                    span,
                    environment: environment.clone(),
                    by_name: false,
                });
            }
            if let (None, Some(c)) = (&facts.tests, scan.test) {
                facts.tests = Some((c, doc, run.span.clone()));
            }
            add_unique(&mut facts.backups, scan.backups);
            add_unique(&mut facts.restores, scan.restores);
        }
        if facts.deploy.is_some() {
            return facts;
        }
        if let (Some(e), Some(span)) = (&environment, env_span) {
            // Environments also scope secrets (`discord-notifier`): only deploy-like names count.
            const TARGETS: &[&str] = &[
                "prod", "prd", "stag", "preview", "uat", "qa", "live", "dev", "pages", "deploy", "demo", "sandbox",
                "canary",
            ];
            let lower = e.to_ascii_lowercase();
            if TARGETS.iter().any(|t| lower.contains(t)) {
                facts.deploy = Some(Deploy {
                    reason: format!("environment `{e}`"),
                    span,
                    environment: environment.clone(),
                    by_name: false,
                });
                return facts;
            }
        }
        let id = self.id.to_ascii_lowercase();
        let name = self.node.str("name").unwrap_or("").to_ascii_lowercase();
        if (names_deploy(&id) || names_deploy(&name)) && !self.is_call() {
            facts.deploy = Some(Deploy {
                reason: format!("job `{}`", self.id),
                span: self.key.span.clone(),
                environment,
                by_name: true,
            });
        }
        facts
    }
}

/// A name with the word `deploy` (`deploy`, `deploy-api`, `Deploy to prod`; not `deployments`).
fn names_deploy(name: &str) -> bool {
    name.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w == "deploy")
}

/// Actions that publish a GitHub Pages site: a project's site or docs, not its service.
const PAGES_ACTIONS: &[&str] =
    &["actions/deploy-pages", "peaceiris/actions-gh-pages", "jamesives/github-pages-deploy-action"];

/// Actions that upload to a static or edge host, which serves services and docs alike.
const STATIC_HOST_ACTIONS: &[&str] =
    &["cloudflare/wrangler-action", "nwtgck/actions-netlify", "amondnet/vercel-action"];

/// A text naming documentation or a docs generator (`api-doc`, `build:docs`, `mkdocs build`).
fn names_docs(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "doc",
        "docs",
        "documentation",
        "storybook",
        "typedoc",
        "mkdocs",
        "sphinx",
        "docusaurus",
        "javadoc",
        "mdbook",
        "jekyll",
        "hugo",
        "antora",
        "vitepress",
        "docsify",
        "rustdoc",
    ];
    let lower = text.to_ascii_lowercase();
    lower.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| WORDS.contains(&w))
}

/// A job or environment name that says it is not production (previews, tests, staging…).
pub fn non_production(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "test",
        "tests",
        "testing",
        "preview",
        "staging",
        "stage",
        "stg",
        "dev",
        "develop",
        "review",
        "qa",
        "sandbox",
        "demo",
        "ephemeral",
        "pr",
        "local",
        "integration",
        "e2e",
    ];
    let lower = name.to_ascii_lowercase();
    lower.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| WORDS.contains(&w)) || lower.starts_with("test")
}

fn add_unique(to: &mut Vec<&'static str>, from: Vec<&'static str>) {
    for x in from {
        if !to.contains(&x) {
            to.push(x);
        }
    }
}

impl Pipeline {
    /// The environment a GitLab job deploys to (not `action: stop` and the like).
    pub fn environment<'a>(&'a self, job: &'a GlJob) -> Option<(String, &'a GlJob, &'a Node)> {
        let Lookup::Found(j, e) = self.lookup(job, "environment") else { return None };
        let env = &e.value;
        let action = env.str("action").unwrap_or("start");
        if !matches!(action, "start" | "") {
            return None;
        }
        let name = env.get("name").unwrap_or(env);
        let tier = env.str("deployment_tier");
        let mut n = name.as_str()?.to_string();
        if tier == Some("production") && !n.to_ascii_lowercase().contains("prod") {
            n = format!("{n} (tier production)");
        }
        Some((n, j, name))
    }

    /// Every shell line of a job (before_script, script, after_script, following `extends:`).
    pub fn script<'a>(&'a self, job: &'a GlJob) -> Vec<(usize, &'a Node)> {
        let mut out = Vec::new();
        for key in ["before_script", "script", "after_script"] {
            if let Lookup::Found(j, e) = self.lookup(job, key) {
                out.extend(script_lines(&e.value).into_iter().map(|n| (j.doc, n)));
            }
        }
        out
    }

    pub fn deploys(&self, job: &GlJob) -> Option<Deploy> {
        self.facts.get(job.idx).and_then(|f| f.deploy.clone())
    }

    /// The test command, and the document and span of the script line running it.
    pub fn tests(&self, job: &GlJob) -> Option<(&'static str, usize, Range<usize>)> {
        self.facts.get(job.idx).and_then(|f| f.tests.clone())
    }

    pub fn facts(&self, job: &GlJob) -> &JobFacts {
        self.facts.get(job.idx).unwrap_or(&EMPTY_FACTS)
    }

    fn compute_facts(&self, job: &GlJob) -> JobFacts {
        let mut facts = JobFacts::default();
        let environment = self.environment(job).map(|(n, ..)| n);
        for (d, line) in self.script(job) {
            let scan = crate::detect::scan(line.as_str().unwrap_or(""));
            if let (None, Some(c)) = (&facts.deploy, scan.deploy) {
                facts.deploy = Some(Deploy {
                    reason: format!("runs `{c}`"),
                    span: job.key.clone(),
                    environment: environment.clone(),
                    by_name: false,
                });
            }
            if let (None, Some(c)) = (&facts.tests, scan.test) {
                facts.tests = Some((c, d, line.span.clone()));
            }
            add_unique(&mut facts.backups, scan.backups);
            add_unique(&mut facts.restores, scan.restores);
        }
        if facts.deploy.is_none() {
            if let Some(e) = &environment {
                facts.deploy = Some(Deploy {
                    reason: format!("environment `{e}`"),
                    span: job.key.clone(),
                    environment: environment.clone(),
                    by_name: false,
                });
            } else if names_deploy(&job.name.to_ascii_lowercase()) {
                facts.deploy = Some(Deploy {
                    reason: format!("job `{}`", job.name),
                    span: job.key.clone(),
                    environment,
                    by_name: true,
                });
            }
        }
        facts
    }

    /// The job runs only when started by hand (`when: manual`, in the job or every rule that runs it).
    pub fn manual(&self, job: &GlJob) -> bool {
        if let Lookup::Found(_, e) = self.lookup(job, "when") {
            if e.value.as_str() == Some("manual") {
                return true;
            }
        }
        if let Lookup::Found(_, e) = self.lookup(job, "rules") {
            let runs: Vec<&Node> = e.value.items().iter().filter(|r| r.str("when") != Some("never")).collect();
            return !runs.is_empty() && runs.iter().all(|r| r.str("when") == Some("manual"));
        }
        false
    }

    /// The job runs for scheduled pipelines (`only: [schedules]` or a rule on `$CI_PIPELINE_SOURCE == "schedule"`).
    pub fn scheduled(&self, job: &GlJob) -> bool {
        if let Lookup::Found(_, e) = self.lookup(job, "only") {
            let refs = e.value.get("refs").unwrap_or(&e.value);
            if script_lines(refs).iter().any(|n| n.as_str() == Some("schedules")) {
                return true;
            }
        }
        if let Lookup::Found(_, e) = self.lookup(job, "rules") {
            return e.value.items().iter().any(|r| {
                r.str("when") != Some("never")
                    && r.str("if").is_some_and(|c| {
                        c.contains("CI_PIPELINE_SOURCE")
                            && (c.contains("\"schedule\"") || c.contains("'schedule'"))
                            && c.contains("==")
                    })
            });
        }
        false
    }
}

/// Every scalar under a node (iteratively; the YAML layer bounds the depth).
pub fn scalars(node: &Node) -> Vec<&Node> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Scalar(_) => out.push(n),
            Value::Seq(items) => stack.extend(items.iter().rev()),
            Value::Map(entries) => stack.extend(entries.iter().rev().map(|e| &e.value)),
        }
    }
    out
}

/// Maps a byte range of a scalar's unescaped text to the file: the rest of
/// its line is searched in the raw text (exact for plain and block scalars,
/// also inside a block, where indentation differs). Falls back to the node.
pub fn locate_cooked(text: &str, node: &Node, cooked: Range<usize>) -> Range<usize> {
    let Some(s) = node.as_scalar() else { return node.span.clone() };
    let line_end = s.text[cooked.start..].find('\n').map_or(s.text.len(), |i| cooked.start + i);
    let needle = &s.text[cooked.start..line_end.max(cooked.end)];
    let raw = text.get(node.span.clone()).unwrap_or("");
    match raw.find(needle) {
        Some(i) => node.span.start + i..node.span.start + i + (cooked.end - cooked.start),
        None => node.span.clone(),
    }
}

/// An environment variable or GitLab variable definition.
pub struct Var<'a> {
    pub doc: usize,
    pub entry: &'a Entry,
    /// The value node (GitLab's `{value: …}` form is unwrapped).
    pub value: &'a Node,
    pub gitlab: bool,
}

impl Repo {
    /// `env:` of workflows, jobs and steps (not of containers and services),
    /// and GitLab `variables:` (top level and jobs).
    pub fn vars(&self) -> Vec<Var<'_>> {
        let mut out = Vec::new();
        fn push<'a>(doc: usize, map: Option<&'a Node>, gitlab: bool, out: &mut Vec<Var<'a>>) {
            let Some(map) = map else { return };
            for e in map.entries() {
                let value = if gitlab { e.value.get("value").unwrap_or(&e.value) } else { &e.value };
                out.push(Var { doc, entry: e, value, gitlab });
            }
        }
        for wf in &self.workflows {
            push(wf.doc, wf.root.get("env"), false, &mut out);
            for job in wf.jobs() {
                push(wf.doc, job.node.get("env"), false, &mut out);
                for s in job.steps() {
                    push(wf.doc, s.get("env"), false, &mut out);
                }
            }
        }
        for a in &self.actions {
            for s in a.steps() {
                push(a.doc, s.get("env"), false, &mut out);
            }
        }
        for p in &self.pipelines {
            for (d, e) in p.top("variables") {
                push(d, Some(&e.value), true, &mut out);
            }
            for j in &p.jobs {
                push(j.doc, j.node.get("variables"), true, &mut out);
            }
        }
        out
    }
}

/// Whether an image reference is untagged or `latest` (and not a digest or a variable).
pub fn floating_image(image: &str) -> Option<&'static str> {
    let image = image.trim();
    if image.is_empty() || image.contains('@') {
        return None;
    }
    // Name and tag are after the last `/` outside `${…}`: a variable registry
    // or path (`$CI_REGISTRY_IMAGE/ci`) does not hide a missing tag.
    let mut depth = 0usize;
    let (mut last, mut colon) = (0, None);
    let bytes = image.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' if i > 0 && (bytes[i - 1] == b'$' || depth > 0) => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b'/' if depth == 0 => (last, colon) = (i + 1, None),
            b':' if depth == 0 => colon = Some(i),
            _ => {}
        }
    }
    let (name, tag) = match colon {
        Some(c) => (&image[last..c], Some(&image[c + 1..])),
        None => (&image[last..], None),
    };
    match tag {
        // A variable name may carry its own tag; a variable tag is decided at run time.
        None if name.contains('$') => None,
        None => Some("has no tag"),
        Some(t) if t.contains('$') => None,
        Some("latest") => Some("uses the `latest` tag"),
        Some(_) => None,
    }
}

/// The closest known key, if close enough to be a typo.
pub fn suggest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    if known.len() > 300 || key.len() > 100 {
        return None;
    }
    known
        .iter()
        .copied()
        .map(|k| (opslint_knowledge::words::edit_distance(key, k), k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

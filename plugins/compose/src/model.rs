//! The compose projects of a repository, merged the way `docker compose
//! config` merges them: per folder the default file and its override (or the
//! `COMPOSE_FILE` list of `.env`), overlays over the default file, `extends:`
//! and `include:`. Every value keeps the document and span it came from, so
//! a finding points at the key that set it.
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use opslint_sdk::{Ctx, FindingExt};
use opslint_yaml::{Entry, Node};

use crate::files::{compose_name, default_rank, dir_of, file_name, is_override, join};
use crate::interpolate;

/// One parsed document.
pub enum File {
    /// The first document, and whether more followed.
    Compose(Node, bool),
    Env(BTreeMap<String, String>),
    /// A sample compose file: what it declares completes its folder's projects.
    Sample(Node),
    /// Any other YAML: read only when a compose file includes or extends it.
    Other,
}

pub fn parse(cx: &mut Ctx) -> Option<File> {
    let name = file_name(cx.path);
    if name == ".env" {
        return Some(File::Env(interpolate::parse_env(cx.text)));
    }
    if crate::files::sample_name(cx.path) {
        let stream = opslint_yaml::parse(cx.text);
        let root = stream.docs.into_iter().next().map(|d| d.root).filter(Node::is_map);
        return Some(root.map_or(File::Other, File::Sample));
    }
    if !compose_name(cx.path) {
        return Some(File::Other);
    }
    let stream = opslint_yaml::parse(cx.text);
    if let Some(e) = &stream.error {
        cx.report(e.span.clone(), format!("this compose file is not valid YAML: {}", e.message))
            .help("fix the YAML so `docker compose config` can read the file; nothing in it was checked");
        return None;
    }
    let multi = stream.docs.len() > 1;
    let root = stream.docs.into_iter().next()?.root;
    root.is_map().then_some(File::Compose(root, multi))
}

/// A compose file of the repository.
pub struct ComposeFile {
    pub doc: usize,
    pub path: String,
    pub root: Node,
    /// Format 1: services at the top level, no `services:` key.
    pub v1: bool,
    /// Named as a compose file (else read because another one includes or extends it).
    pub named: bool,
    /// For local development or tests (its name, folder or opening comment says so).
    pub dev: bool,
    /// A sample (`.example`): not judged, not part of a project.
    pub sample: bool,
    /// More than one YAML document (only the first is read).
    pub multi: bool,
}

impl ComposeFile {
    fn new(doc: usize, path: &str, root: Node, named: bool) -> Option<ComposeFile> {
        let v1 = root.get("services").is_none()
            && root.get("version").is_none()
            && root.entries().iter().any(|e| e.value.get("image").is_some() || e.value.get("build").is_some());
        let is_compose = v1 || root.get("services").is_some_and(|s| s.is_map() || s.is_null());
        is_compose.then(|| ComposeFile {
            doc,
            path: path.to_string(),
            root,
            v1,
            named,
            dev: false,
            sample: false,
            multi: false,
        })
    }

    /// The `services` entries (format 1: the top-level entries that are not extensions).
    pub fn services(&self) -> impl Iterator<Item = &Entry> {
        let node = if self.v1 { Some(&self.root) } else { self.root.get("services") };
        node.map(Node::entries)
            .unwrap_or(&[])
            .iter()
            .filter(|e| e.value.is_map() && e.key_str().is_some_and(|k| !k.starts_with("x-")))
    }

    pub fn dir(&self) -> &str {
        dir_of(&self.path)
    }
}

/// A piece of a service's definition, from one file.
pub struct Layer {
    pub doc: usize,
    /// The index of its file in [`Repo::files`].
    pub file: usize,
    /// The span of the service's name.
    pub key: Range<usize>,
    pub node: Node,
    /// From a service this one `extends`.
    pub inherited: bool,
}

pub struct Service {
    pub name: String,
    /// Base first: extended services, then each file of the project in order.
    pub layers: Vec<Layer>,
    /// Judged in this project (a service of another project's file is judged there).
    pub judged: bool,
}

/// A value and where it is.
pub struct At<'a> {
    pub doc: usize,
    pub entry: &'a Entry,
}

impl<'a> At<'a> {
    pub fn key_span(&self) -> Range<usize> {
        self.entry.key.span.clone()
    }
    pub fn value(&self) -> &'a Node {
        &self.entry.value
    }
}

/// A published or exposed port.
pub struct Port {
    pub doc: usize,
    pub span: Range<usize>,
    pub host_ip: Option<String>,
    /// The host port or range (`8080`, `8000-8010`); `None` when only the container port is given.
    pub published: Option<String>,
    pub target: String,
    pub protocol: String,
}

/// A volume mount.
pub struct Mount {
    pub doc: usize,
    pub span: Range<usize>,
    pub kind: MountKind,
    pub source: String,
    pub target: String,
    pub read_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MountKind {
    Named,
    Bind,
    Anonymous,
    Tmpfs,
}

/// An environment variable a service sets.
pub struct EnvVar {
    pub doc: usize,
    pub name: String,
    /// As written; `None` for a bare name (passed through from the shell).
    pub value: Option<String>,
    /// Where the value is (the whole item for a `K=V` list entry).
    pub span: Range<usize>,
    /// Whether the value was quoted or plain in YAML (a plain `123` is a number).
    pub plain: bool,
}

/// A `depends_on` (or format 1 `links`) entry.
pub struct Dep {
    pub doc: usize,
    pub name: String,
    pub condition: Option<String>,
    pub span: Range<usize>,
    /// `links:` rather than `depends_on:`.
    pub link: bool,
}

impl Service {
    /// The last layer that sets `key`.
    pub fn get(&self, key: &str) -> Option<At<'_>> {
        self.layers.iter().rev().find_map(|l| l.node.entry(key).map(|entry| At { doc: l.doc, entry }))
    }

    /// Every layer's value of `key`, base first.
    pub fn all(&self, key: &str) -> Vec<At<'_>> {
        self.layers.iter().filter_map(|l| l.node.entry(key).map(|entry| At { doc: l.doc, entry })).collect()
    }

    /// The layer findings about the whole service point at: its own definition
    /// in the first file of the project that defines it.
    pub fn home(&self) -> &Layer {
        self.layers.iter().find(|l| !l.inherited).unwrap_or(&self.layers[0])
    }

    /// A scalar, interpolated (`None`: unset or not known before run time).
    pub fn str(&self, view: &View, key: &str) -> Option<String> {
        let v = self.get(key)?;
        view.resolve(v.value().as_str()?)
    }

    pub fn image(&self, view: &View) -> Option<String> {
        self.str(view, "image")
    }

    /// Defined in a file for local development or tests.
    pub fn dev(&self, repo: &Repo) -> bool {
        repo.files[self.home().file].dev
    }

    /// A development set-up: built from the source it bind-mounts (`.:/app`, `..:/app`), or watched (`develop:`).
    pub fn dev_setup(&self, view: &View) -> bool {
        self.get("develop").is_some()
            || (self.builds()
                && self
                    .mounts(view)
                    .iter()
                    .any(|m| m.kind == MountKind::Bind && m.source.starts_with('.') && !m.source.starts_with(".env")))
    }

    /// Only settings for a service defined elsewhere (an overlay applied with
    /// `-f` from another folder): nothing is known about what it lacks.
    pub fn fragment(&self) -> bool {
        !["image", "build", "extends"].iter().any(|k| self.get(k).is_some())
    }

    pub fn builds(&self) -> bool {
        self.get("build").is_some()
    }

    /// A true boolean (`true`, `"true"`).
    pub fn flag(&self, key: &str) -> Option<At<'_>> {
        self.get(key).filter(|a| a.value().as_bool() == Some(true) || a.value().as_str() == Some("true"))
    }

    pub fn ports(&self, view: &View) -> Vec<Port> {
        let mut out = Vec::new();
        for at in self.all("ports") {
            for item in at.value().items() {
                if let Some(p) = port(view, at.doc, item) {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Mounts, merged by container path (a later file's mount at the same path wins).
    pub fn mounts(&self, view: &View) -> Vec<Mount> {
        let mut by_target: Vec<Mount> = Vec::new();
        for at in self.all("volumes") {
            for item in at.value().items() {
                if let Some(m) = mount(view, at.doc, item) {
                    by_target.retain(|o| o.target != m.target);
                    by_target.push(m);
                }
            }
        }
        for at in self.all("tmpfs") {
            let items: Vec<&Node> =
                if at.value().is_seq() { at.value().items().iter().collect() } else { vec![at.value()] };
            for item in items {
                if let Some(t) = item.as_str() {
                    let target = t.split(':').next().unwrap_or(t).to_string();
                    by_target.retain(|o| o.target != target);
                    by_target.push(Mount {
                        doc: at.doc,
                        span: item.span.clone(),
                        kind: MountKind::Tmpfs,
                        source: String::new(),
                        target,
                        read_only: false,
                    });
                }
            }
        }
        by_target
    }

    /// Environment variables (`environment:` map or `K=V` list), merged by name.
    pub fn env(&self) -> Vec<EnvVar> {
        let mut out: Vec<EnvVar> = Vec::new();
        for at in self.all("environment") {
            let v = at.value();
            let mut add = |e: EnvVar| {
                out.retain(|o| o.name != e.name);
                out.push(e);
            };
            if v.is_map() {
                for e in v.entries() {
                    let Some(name) = e.key_str() else { continue };
                    let scalar = e.value.as_scalar();
                    add(EnvVar {
                        doc: at.doc,
                        name: name.to_string(),
                        value: if e.value.is_null() { None } else { scalar.map(|s| s.text.clone()) },
                        span: e.value.span.clone(),
                        plain: scalar.is_some_and(|s| s.plain),
                    });
                }
            } else {
                for item in v.items() {
                    let Some(s) = item.as_str() else { continue };
                    let (name, value) = match s.split_once('=') {
                        Some((k, v)) => (k, Some(v.to_string())),
                        None => (s, None),
                    };
                    add(EnvVar {
                        doc: at.doc,
                        name: name.trim().to_string(),
                        value,
                        span: item.span.clone(),
                        plain: false,
                    });
                }
            }
        }
        out
    }

    /// `depends_on` (list or map with conditions) and `links`, merged by name.
    pub fn deps(&self) -> Vec<Dep> {
        let mut out: Vec<Dep> = Vec::new();
        let own = self.layers.iter().filter(|l| !l.inherited);
        for l in own {
            for key in ["depends_on", "links"] {
                let Some(v) = l.node.get(key) else { continue };
                let link = key == "links";
                let mut add = |name: &str, condition: Option<String>, span: Range<usize>| {
                    let name = if link { name.split(':').next().unwrap_or(name) } else { name };
                    out.retain(|d| d.name != name || d.link != link);
                    out.push(Dep { doc: l.doc, name: name.to_string(), condition, span, link });
                };
                if v.is_map() {
                    for e in v.entries() {
                        if let Some(n) = e.key_str() {
                            add(n, e.value.str("condition").map(str::to_string), e.key.span.clone());
                        }
                    }
                } else {
                    for i in v.items() {
                        if let Some(n) = i.as_str() {
                            add(n, None, i.span.clone());
                        }
                    }
                }
            }
        }
        out
    }

    /// A healthcheck that runs (not `disable: true`, not `test: [NONE]`).
    pub fn healthcheck(&self) -> Option<At<'_>> {
        let hc = self.get("healthcheck")?;
        let v = hc.value();
        let disabled = v.get("disable").and_then(Node::as_bool) == Some(true)
            || v.get("test").is_some_and(|t| t.items().first().and_then(Node::as_str) == Some("NONE"));
        (!disabled).then_some(hc)
    }

    /// `profiles:` the service is in (none: always started).
    pub fn profiles(&self) -> Vec<String> {
        self.get("profiles")
            .map(|p| p.value().items().iter().filter_map(|i| i.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    }

    /// Replicas asked for (`deploy.replicas`, `scale`), when more than one is written.
    pub fn replicas(&self) -> Option<(At<'_>, i64)> {
        if let Some(d) = self.get("deploy") {
            if let Some(e) = d.value().entry("replicas") {
                let n = e.value.as_i64().or_else(|| e.value.as_str().and_then(|s| s.parse().ok()))?;
                return Some((At { doc: d.doc, entry: e }, n));
            }
        }
        let s = self.get("scale")?;
        let n = s.value().as_i64()?;
        Some((s, n))
    }
}

fn port(view: &View, doc: usize, item: &Node) -> Option<Port> {
    let span = item.span.clone();
    if item.is_map() {
        let text = |k: &str| item.get(k).and_then(|n| n.as_str()).and_then(|s| view.resolve(s));
        return Some(Port {
            doc,
            span,
            host_ip: text("host_ip"),
            published: text("published").filter(|p| !p.is_empty()),
            target: text("target")?,
            protocol: text("protocol").unwrap_or_else(|| "tcp".into()),
        });
    }
    let raw = view.resolve(item.as_str()?)?;
    let (spec, protocol) = match raw.rsplit_once('/') {
        Some((s, p)) => (s.to_string(), p.to_string()),
        None => (raw.clone(), "tcp".to_string()),
    };
    // `[::1]:8080:80`, `127.0.0.1:8080:80`, `8080:80`, `80`.
    let (host_ip, rest) = if let Some(r) = spec.strip_prefix('[') {
        let (ip, rest) = r.split_once("]:")?;
        (Some(ip.to_string()), rest.to_string())
    } else {
        let parts: Vec<&str> = spec.split(':').collect();
        match parts.len() {
            3 => (Some(parts[0].to_string()), format!("{}:{}", parts[1], parts[2])),
            _ => (None, spec.clone()),
        }
    };
    let (published, target) = match rest.split_once(':') {
        Some((p, t)) => (Some(p.to_string()).filter(|p| !p.is_empty()), t.to_string()),
        None => (None, rest),
    };
    Some(Port { doc, span, host_ip: host_ip.filter(|h| !h.is_empty()), published, target, protocol })
}

fn mount(view: &View, doc: usize, item: &Node) -> Option<Mount> {
    let span = item.span.clone();
    let classify = |source: &str| {
        if source.is_empty() {
            MountKind::Anonymous
        } else if source.starts_with(['/', '.', '~']) || source.contains('/') || source.starts_with('$') {
            MountKind::Bind
        } else {
            MountKind::Named
        }
    };
    if item.is_map() {
        let text =
            |k: &str| item.get(k).and_then(|n| n.as_str()).map(|s| view.resolve(s).unwrap_or_else(|| s.to_string()));
        let target = text("target")?;
        let source = text("source").unwrap_or_default();
        let kind = match text("type").as_deref() {
            Some("bind") => MountKind::Bind,
            Some("tmpfs") => MountKind::Tmpfs,
            Some("volume") if source.is_empty() => MountKind::Anonymous,
            Some("volume") => MountKind::Named,
            _ => classify(&source),
        };
        let read_only = item.get("read_only").and_then(Node::as_bool) == Some(true);
        return Some(Mount { doc, span, kind, source, target, read_only });
    }
    let raw = item.as_str()?;
    let text = view.resolve(raw).unwrap_or_else(|| raw.to_string());
    let parts: Vec<&str> = text.split(':').collect();
    let (source, target, mode) = match parts.as_slice() {
        [t] => ("", *t, ""),
        [s, t] if t.starts_with('/') => (*s, *t, ""),
        [t, m] => ("", *t, *m),
        [s, t, m, ..] => (*s, *t, *m),
        _ => return None,
    };
    // A source that was a reference left unresolved is a host path chosen at run time.
    let kind = if raw.split(':').next().is_some_and(interpolate::has_reference) && view.resolve(raw).is_none() {
        MountKind::Bind
    } else {
        classify(source)
    };
    let read_only = mode.split(',').any(|m| m == "ro");
    Some(Mount { doc, span, kind, source: source.to_string(), target: target.to_string(), read_only })
}

/// What `docker compose` reads together: files merged in order.
pub struct View {
    /// Indexes into [`Repo::files`], base first.
    pub files: Vec<usize>,
    pub services: Vec<Service>,
    /// Top-level names declared by any file of the project (`volumes`, `networks`, `secrets`, `configs`).
    pub declared: BTreeMap<&'static str, BTreeSet<String>>,
    /// The same names, and `services`, of every compose file of the project's folder
    /// (samples included): a project may be run with any of them (`-f a -f b`).
    pub folder: BTreeMap<&'static str, BTreeSet<String>>,
    env: BTreeMap<String, String>,
}

impl View {
    pub fn resolve(&self, text: &str) -> Option<String> {
        interpolate::resolve(text, &|v| self.env.get(v).cloned())
    }

    pub fn judged(&self) -> impl Iterator<Item = &Service> {
        self.services.iter().filter(|s| s.judged)
    }

    /// Written to be run for real: some service has a restart policy or `deploy:`
    /// settings. A project with neither is a local stack, where a missing
    /// restart policy or memory limit says nothing.
    pub fn deployed(&self) -> bool {
        self.services.iter().any(|s| {
            s.get("restart").is_some_and(|r| r.value().as_str().is_some_and(|v| v != "no")) || s.get("deploy").is_some()
        })
    }

    /// Whether some compose file of the folder declares `name` under `key` (`services`, `volumes`…).
    pub fn folder_has(&self, key: &str, name: &str) -> bool {
        self.folder.get(key).is_some_and(|s| s.contains(name))
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }
}

pub struct Repo {
    pub files: Vec<ComposeFile>,
    pub views: Vec<View>,
    /// The repository's paths the host listed, when it did.
    pub context_files: Option<BTreeSet<String>>,
    reported: RefCell<BTreeSet<(&'static str, usize, usize)>>,
}

impl Repo {
    /// Whether this rule has not yet reported at this place (a file shared by
    /// two projects is judged in both).
    pub fn first(&self, cx: &Ctx, doc: usize, span: &Range<usize>) -> bool {
        self.reported.borrow_mut().insert((cx.rule(), doc, span.start))
    }

    pub fn file_of(&self, doc: usize) -> Option<&ComposeFile> {
        self.files.iter().find(|f| f.doc == doc)
    }
}

/// Reads documents on demand (included and extended files).
struct Loader<'a> {
    docs: &'a [(&'a str, &'a str)],
    by_path: HashMap<&'a str, usize>,
}

pub fn build(parsed: Vec<(usize, File)>, cx: &mut Ctx) -> Repo {
    let docs: Vec<(&str, &str)> = cx.documents().to_vec();
    let loader = Loader { by_path: docs.iter().enumerate().map(|(i, (p, _))| (*p, i)).collect(), docs: &docs };
    let mut envs: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut files = Vec::new();
    for (doc, f) in parsed {
        match f {
            File::Compose(root, multi) => files.extend(ComposeFile::new(doc, docs[doc].0, root, true).map(|mut f| {
                f.multi = multi;
                f
            })),
            File::Sample(root) => files.extend(ComposeFile::new(doc, docs[doc].0, root, false).map(|mut f| {
                f.sample = true;
                f
            })),
            File::Env(vars) => {
                envs.insert(dir_of(docs[doc].0).to_string(), vars);
            }
            File::Other => {}
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    for f in &mut files {
        f.dev = crate::files::dev_file(&f.path, docs[f.doc].1);
    }
    let context_files = cx.option::<Vec<String>>("context_files").map(|v| v.into_iter().collect());
    let mut repo = Repo { files, views: Vec::new(), context_files, reported: RefCell::new(BTreeSet::new()) };
    for (dir, lists) in projects(&repo.files, &envs) {
        for (list, judged_from) in lists {
            let env = envs.get(&dir).cloned().unwrap_or_default();
            let view = assemble(&mut repo.files, &loader, list, judged_from, env);
            repo.views.push(view);
        }
    }
    repo
}

/// Per folder, the file lists `docker compose` reads: (indexes, first index whose services are judged there).
fn projects(
    files: &[ComposeFile],
    envs: &BTreeMap<String, BTreeMap<String, String>>,
) -> BTreeMap<String, Vec<(Vec<usize>, usize)>> {
    let mut by_dir: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate().filter(|(_, f)| !f.sample) {
        by_dir.entry(f.dir().to_string()).or_default().push(i);
    }
    let mut out: BTreeMap<String, Vec<(Vec<usize>, usize)>> = BTreeMap::new();
    for (dir, idx) in by_dir {
        let mut lists = Vec::new();
        let mut used = BTreeSet::new();
        // `COMPOSE_FILE=a.yml:b.yml` in `.env`.
        if let Some(list) = envs.get(&dir).and_then(|e| e.get("COMPOSE_FILE")) {
            let sep = envs[&dir].get("COMPOSE_PATH_SEPARATOR").map_or(":", String::as_str);
            let named: Vec<usize> = list
                .split(sep)
                .filter_map(|n| join(&dir, n))
                .filter_map(|p| idx.iter().copied().find(|&i| files[i].path == p))
                .collect();
            if !named.is_empty() {
                used.extend(named.iter().copied());
                lists.push((named, 0));
            }
        }
        let base = idx
            .iter()
            .copied()
            .filter(|&i| default_rank(&files[i].path).is_some())
            .min_by_key(|&i| default_rank(&files[i].path));
        let base = base.filter(|b| !used.contains(b));
        if let Some(b) = base {
            let stem = file_name(&files[b].path).split('.').next().unwrap_or("").to_string();
            let over = idx.iter().copied().find(|&i| {
                is_override(&files[i].path)
                    && file_name(&files[i].path).starts_with(&format!("{stem}."))
                    && !used.contains(&i)
            });
            let mut list = vec![b];
            list.extend(over);
            used.extend(list.iter().copied());
            lists.push((list, 0));
        }
        for &i in &idx {
            if used.contains(&i) {
                continue;
            }
            // An overlay: a service with neither image nor build (a fragment of one defined
            // in the default file), or a dependency on a service only the default file defines.
            let overlay = base.is_some_and(|b| {
                let base_names: BTreeSet<&str> = files[b].services().filter_map(Entry::key_str).collect();
                let own: BTreeSet<&str> = files[i].services().filter_map(Entry::key_str).collect();
                files[i].services().any(|s| {
                    let fragment = s.value.get("image").is_none()
                        && s.value.get("build").is_none()
                        && s.value.get("extends").is_none();
                    let deps = s.value.get("depends_on").map(|d| {
                        if d.is_map() {
                            d.entries().iter().filter_map(Entry::key_str).collect::<Vec<_>>()
                        } else {
                            d.items().iter().filter_map(Node::as_str).collect()
                        }
                    });
                    fragment || deps.unwrap_or_default().iter().any(|n| !own.contains(n) && base_names.contains(n))
                })
            });
            match base {
                Some(b) if overlay => lists.push((vec![b, i], 1)),
                _ => lists.push((vec![i], 0)),
            }
        }
        out.insert(dir, lists);
    }
    out
}

const TOP_LEVEL_SETS: &[&str] = &["volumes", "networks", "secrets", "configs"];

fn assemble(
    files: &mut Vec<ComposeFile>,
    loader: &Loader,
    list: Vec<usize>,
    judged_from: usize,
    env: BTreeMap<String, String>,
) -> View {
    let mut services: Vec<Service> = Vec::new();
    let mut declared: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    let mut order = list.clone();
    // `include:`: the included files' services join the project.
    let mut k = 0;
    while k < order.len() && order.len() < 64 {
        let f = &files[order[k]];
        let dir = f.dir().to_string();
        let includes: Vec<String> = f
            .root
            .get("include")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .flat_map(|i| {
                let paths = i.get("path").unwrap_or(i);
                let mut v: Vec<String> = paths.as_str().map(|s| vec![s.to_string()]).unwrap_or_default();
                v.extend(paths.items().iter().filter_map(|n| n.as_str().map(str::to_string)));
                v
            })
            .filter_map(|p| join(&dir, &p))
            .collect();
        for p in includes {
            if let Some(i) = load(files, loader, &p) {
                if !order.contains(&i) {
                    order.push(i);
                }
            }
        }
        k += 1;
    }
    for (pos, &fi) in order.iter().enumerate() {
        let f = &files[fi];
        for key in TOP_LEVEL_SETS {
            if let Some(n) = f.root.get(key) {
                declared
                    .entry(key)
                    .or_default()
                    .extend(n.entries().iter().filter_map(|e| e.key_str().map(str::to_string)));
            }
        }
        let included = pos >= list.len();
        // An included file named as a compose file is judged as its own project.
        let judged = if included { !f.named } else { pos >= judged_from };
        let entries: Vec<(String, Range<usize>, Node)> = f
            .services()
            .map(|e| (e.key_str().unwrap_or("").to_string(), e.key.span.clone(), e.value.clone()))
            .collect();
        let doc = f.doc;
        for (name, key, node) in entries {
            let mut layers = Vec::new();
            extended(files, loader, fi, &node, 0, &mut layers);
            layers.push(Layer { doc, file: fi, key, node, inherited: false });
            match services.iter_mut().find(|s| s.name == name) {
                Some(s) => {
                    s.layers.extend(layers);
                    s.judged |= judged;
                }
                None => services.push(Service { name, layers, judged }),
            }
        }
    }
    let dir = files[list[0]].dir().to_string();
    let mut folder: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    for f in files.iter().filter(|f| f.dir() == dir) {
        for key in TOP_LEVEL_SETS {
            if let Some(n) = f.root.get(key) {
                folder
                    .entry(key)
                    .or_default()
                    .extend(n.entries().iter().filter_map(|e| e.key_str().map(str::to_string)));
            }
        }
        folder.entry("services").or_default().extend(f.services().filter_map(|e| e.key_str().map(str::to_string)));
    }
    View { files: list, services, declared, folder, env }
}

/// The layers of the service `node` extends (`extends: base`, `extends: {service, file}`), base first.
fn extended(files: &mut Vec<ComposeFile>, loader: &Loader, fi: usize, node: &Node, depth: usize, out: &mut Vec<Layer>) {
    let Some(ext) = node.get("extends") else { return };
    if depth > 8 {
        return;
    }
    let (service, file) = match ext.as_str() {
        Some(s) => (s.to_string(), None),
        None => match ext.str("service") {
            Some(s) => (s.to_string(), ext.str("file").map(str::to_string)),
            None => return,
        },
    };
    let target = match file {
        Some(f) => match join(files[fi].dir(), &f).and_then(|p| load(files, loader, &p)) {
            Some(t) => t,
            None => return,
        },
        None => fi,
    };
    let Some((key, base)) =
        files[target].services().find(|e| e.key_str() == Some(&service)).map(|e| (e.key.span.clone(), e.value.clone()))
    else {
        return;
    };
    extended(files, loader, target, &base, depth + 1, out);
    // Dependencies are not inherited.
    let mut node = base;
    if let opslint_yaml::Value::Map(entries) = &mut node.value {
        entries.retain(|e| !matches!(e.key_str(), Some("depends_on" | "links" | "volumes_from")));
    }
    out.push(Layer { doc: files[target].doc, file: target, key, node, inherited: true });
}

/// The compose file at `path`, parsed now if no matcher named it.
fn load(files: &mut Vec<ComposeFile>, loader: &Loader, path: &str) -> Option<usize> {
    if let Some(i) = files.iter().position(|f| f.path == path) {
        return Some(i);
    }
    let &doc = loader.by_path.get(path)?;
    let stream = opslint_yaml::parse(loader.docs[doc].1);
    let root = stream.docs.into_iter().next()?.root;
    let mut f = ComposeFile::new(doc, path, root, false)?;
    f.dev = crate::files::dev_file(path, loader.docs[doc].1);
    files.push(f);
    Some(files.len() - 1)
}

//! What the rules see: every Kubernetes object of the batch, and views of
//! workloads (pod templates) and their containers.
use std::collections::HashMap;
use std::ops::Range;

use opslint_yaml::{Entry, ErrorKind, Node};

/// One document of the request, parsed.
#[derive(Default)]
pub struct File {
    /// Objects of the file (`doc` is set by [`crate::K8sPlugin`]'s `build`).
    pub objects: Vec<Object>,
    /// The error that stopped the YAML parse.
    pub error: Option<opslint_yaml::Error>,
    /// A Helm `Chart.yaml`: its `name` and where it is.
    pub chart: Option<(String, Range<usize>)>,
    /// The text holds Go template actions (`{{`): the first one. Looked
    /// for only when the parse failed (what an error is reported as).
    pub template_at: Option<Range<usize>>,
    /// `apiVersion:` and `kind:` lines: meant as a manifest (only when the parse failed).
    pub looks_like_manifest: bool,
    /// A `kustomization.yaml`: the files it names as patches (relative to its directory).
    pub patches: Vec<String>,
    /// Images the repository's own tooling builds and tags at deploy time:
    /// Skaffold `build.artifacts`, kustomize `images:` given a tag or digest.
    pub built_images: Vec<String>,
}

/// A Kubernetes object (a document, or an item of a `kind: List`).
pub struct Object {
    /// Index of its document in the request.
    pub doc: usize,
    pub node: Node,
    pub kind: String,
    pub api_version: String,
    pub name: String,
    pub namespace: Option<String>,
}

impl Object {
    pub(crate) fn from_node(node: Node) -> Option<Object> {
        let kind = node.str("kind")?.to_string();
        let api_version = node.str("apiVersion").unwrap_or("").to_string();
        let name = node.str_at("metadata.name").or_else(|| node.str_at("metadata.generateName")).unwrap_or("");
        let name = name.to_string();
        let namespace = node.str_at("metadata.namespace").map(str::to_string);
        Some(Object { doc: 0, node, kind, api_version, name, namespace })
    }

    /// `Deployment/api`.
    pub fn display(&self) -> String {
        if self.name.is_empty() {
            self.kind.clone()
        } else {
            format!("{}/{}", self.kind, self.name)
        }
    }

    /// Where to point for the object as a whole: the `name:` value, else `kind:`.
    pub fn anchor(&self) -> Range<usize> {
        self.node
            .value_span("metadata.name")
            .or_else(|| self.node.value_span("kind"))
            .unwrap_or_else(|| self.node.span.clone())
    }

    /// The API group (`apps` of `apps/v1`; empty for the core group).
    pub fn group(&self) -> &str {
        self.api_version.rsplit_once('/').map_or("", |(g, _)| g)
    }

    /// Same namespace; an object without one may be applied to any namespace.
    pub fn same_namespace(&self, other: &Object) -> bool {
        match (&self.namespace, &other.namespace) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
    }
}

/// Reads one document. Parse problems are kept for `build`, which knows the
/// other files (Helm charts).
pub fn parse_file(path: &str, text: &str) -> File {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stream = opslint_yaml::parse(text);
    // Both decide only how a parse error is reported: a scan of the whole
    // text spared for the files that parse (a tenth of a manifest's parse).
    let failed = stream.error.is_some();
    // Go template actions; `${{ … }}` is a GitHub Actions expression, not Helm.
    let template_at = match failed {
        true => text.match_indices("{{").find(|(i, _)| !text[..*i].ends_with('$')).map(|(i, _)| i..i + 2),
        false => None,
    };
    let looks_like_manifest = failed && looks_like_manifest(text);
    if name == "Chart.yaml" {
        let root = stream.docs.first().map(|d| &d.root);
        let chart = root.and_then(|r| Some((r.str("name")?.to_string(), r.value_span("name")?)));
        let chart = chart.or_else(|| Some((String::new(), 0..0)));
        return File {
            objects: Vec::new(),
            error: None,
            chart,
            template_at,
            looks_like_manifest: false,
            patches: Vec::new(),
            built_images: Vec::new(),
        };
    }
    let kustomization = matches!(name, "kustomization.yaml" | "kustomization.yml" | "Kustomization");
    let patches = match kustomization {
        true => stream.docs.first().map(|d| patch_paths(&d.root)).unwrap_or_default(),
        false => Vec::new(),
    };
    let mut objects = Vec::new();
    let mut built_images = Vec::new();
    for doc in &stream.docs {
        built_images.extend(built_by_tooling(&doc.root, kustomization));
    }
    for doc in stream.docs {
        let root = doc.root;
        if !root.is_map() || root.str("apiVersion").is_none() || root.str("kind").is_none() {
            continue;
        }
        let is_list = root.str("kind").is_some_and(|k| k.ends_with("List")) && root.get("items").is_some();
        if is_list {
            let Some(opslint_yaml::Value::Map(entries)) = Some(root.value) else { continue };
            let items = entries.into_iter().rev().find(|e| e.key_str() == Some("items")).map(|e| e.value);
            if let Some(Node { value: opslint_yaml::Value::Seq(items), .. }) = items {
                objects.extend(items.into_iter().filter(|n| n.is_map()).filter_map(Object::from_node));
            }
        } else if let Some(o) = Object::from_node(root) {
            objects.push(o);
        }
    }
    File { objects, error: stream.error, chart: None, template_at, looks_like_manifest, patches, built_images }
}

/// Image names a Skaffold config builds (`build.artifacts[].image`, also per
/// profile) or a kustomization retags (`images:` with `newTag`, `digest` or
/// `newName`): the manifests name them bare, and the tool puts the tag in.
fn built_by_tooling(root: &Node, kustomization: bool) -> Vec<String> {
    let names = |list: Option<&Node>, key: &str, retagged: bool| -> Vec<String> {
        list.map(Node::items)
            .unwrap_or(&[])
            .iter()
            .filter(|i| !retagged || ["newTag", "digest", "newName"].iter().any(|k| i.get(k).is_some()))
            .filter_map(|i| i.str(key).map(str::to_string))
            .collect()
    };
    if kustomization {
        return names(root.get("images"), "name", true);
    }
    if !root.str("apiVersion").is_some_and(|v| v.starts_with("skaffold/")) {
        return Vec::new();
    }
    let mut out = names(root.at("build.artifacts"), "image", false);
    for profile in root.get("profiles").map(Node::items).unwrap_or(&[]) {
        out.extend(names(profile.at("build.artifacts"), "image", false));
    }
    out
}

/// The files a kustomization applies as patches: `patchesStrategicMerge:`
/// entries, and `path:` of `patches:` and `patchesJson6902:` (inline patches
/// are not files). They hold partial objects, not whole ones.
fn patch_paths(root: &Node) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["patches", "patchesStrategicMerge", "patchesJson6902"] {
        for item in root.get(key).map(Node::items).unwrap_or(&[]) {
            let path = item.as_str().or_else(|| item.str("path"));
            // A multi-line string is an inline patch.
            out.extend(path.filter(|p| !p.contains('\n') && !p.trim().is_empty()).map(|p| p.trim().to_string()));
        }
    }
    out
}

/// `dir/../x/./y.yaml` → `x/y.yaml` (None when it leaves the repository).
pub fn join_path(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// `apiVersion:` and `kind:` at the start of lines (also as list items).
pub fn looks_like_manifest(text: &str) -> bool {
    let mut api = false;
    let mut kind = false;
    for line in text.lines() {
        let l = line.trim_start();
        let l = l.strip_prefix("- ").unwrap_or(l);
        api |= l.starts_with("apiVersion:");
        kind |= l.starts_with("kind:");
    }
    api && kind
}

/// Whether a parse error is one of the limits (always reported: a hostile file).
pub fn is_limit(e: &opslint_yaml::Error) -> bool {
    matches!(e.kind, ErrorKind::TooDeep | ErrorKind::AliasExpansion)
}

/// A kind declared by the `workload-kinds` option.
#[derive(serde::Deserialize, Debug, Clone)]
pub struct ExtraKind {
    pub kind: String,
    #[serde(rename = "pod-spec")]
    pub pod_spec: String,
}

/// Every object of the batch.
pub struct Repo {
    pub objects: Vec<Object>,
    /// Objects of files a kustomization applies as patches: partial, so only
    /// what they set is judged ([`Repo::workloads_and_patches`]), never what they lack.
    pub patches: Vec<Object>,
    /// Image names the repository's Skaffold or kustomize configuration builds or retags.
    pub built_images: std::collections::BTreeSet<String>,
    pub extra_kinds: Vec<ExtraKind>,
    /// The join kept each object's own evidence from the files' facts.
    pub object_evidence_kept: bool,
    index: Index,
}

/// Lookups the cross-object rules make for every object: built once, so a
/// repository of thousands of workloads and Services is not matched pair by
/// pair. Values are indices into `objects`, ascending.
#[derive(Default)]
struct Index {
    by_kind_name: HashMap<u64, Vec<usize>, Fx>,
    /// Workloads (the object, and the routes to its pod spec and pod
    /// metadata), and workloads by each `key: value` label of their pod
    /// template (positions in `workloads`). Every rule asks for the workloads,
    /// and finding the pod spec by its keys each time cost a tenth of a join.
    workloads: Vec<(usize, Route, Option<Route>)>,
    pods_by_label: HashMap<u64, Vec<usize>, Fx>,
    /// HorizontalPodAutoscalers by the kind and name of their target.
    hpas_by_target: HashMap<u64, Vec<usize>, Fx>,
}

type Fx = std::hash::BuildHasherDefault<rustc_hash::FxHasher>;

/// The index's key of two strings (kind and name, label key and value):
/// hashed, not copied, for every object; a lookup checks what it finds.
fn pair(a: &str, b: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    (a, b).hash(&mut h);
    h.finish()
}

/// An entry's `key: value` when both are scalars: a label, or a selector's requirement.
pub fn label_pair(e: &Entry) -> Option<(&str, &str)> {
    Some((e.key_str()?, e.value.as_scalar()?.text.as_str()))
}

/// The first `key: value` requirement of a selector mapping, which every pod
/// it matches must carry; `None` when it has none to narrow by.
pub fn first_pair(map: Option<&Node>) -> Option<(&str, &str)> {
    label_pair(map?.entries().first()?)
}

/// Objects with a selector, filed under its first `key: value` (every pod it
/// matches carries that label), so that a workload is matched only against
/// those its labels name, and those with nothing to narrow by.
pub struct BySelector<'a, T> {
    by_label: HashMap<(&'a str, &'a str), Vec<T>>,
    always: Vec<T>,
}

impl<T> Default for BySelector<'_, T> {
    fn default() -> Self {
        BySelector { by_label: HashMap::new(), always: Vec::new() }
    }
}

impl<'a, T> BySelector<'a, T> {
    /// `first`: the selector's [`first_pair`]; `None` makes it a candidate for every workload.
    pub fn insert(&mut self, first: Option<(&'a str, &'a str)>, item: T) {
        match first {
            Some(pair) => self.by_label.entry(pair).or_default().push(item),
            None => self.always.push(item),
        }
    }

    /// What may select pods with these labels: the caller still matches each.
    pub fn candidates<'b>(&'b self, labels: Option<&'b Node>) -> impl Iterator<Item = &'b T> + 'b {
        let pairs = labels.map(Node::entries).unwrap_or(&[]).iter().filter_map(label_pair);
        let by_label = pairs.flat_map(|pair| self.by_label.get(&pair).into_iter().flatten());
        self.always.iter().chain(by_label)
    }
}

/// Built-in kinds with a pod template, the path to the pod spec, and to the
/// pod's metadata (beside the spec).
const WORKLOAD_KINDS: &[(&str, &str, &str)] = &[
    ("Pod", "spec", "metadata"),
    ("Deployment", "spec.template.spec", "spec.template.metadata"),
    ("StatefulSet", "spec.template.spec", "spec.template.metadata"),
    ("DaemonSet", "spec.template.spec", "spec.template.metadata"),
    ("ReplicaSet", "spec.template.spec", "spec.template.metadata"),
    ("ReplicationController", "spec.template.spec", "spec.template.metadata"),
    ("Job", "spec.template.spec", "spec.template.metadata"),
    ("CronJob", "spec.jobTemplate.spec.template.spec", "spec.jobTemplate.spec.template.metadata"),
    ("Rollout", "spec.template.spec", "spec.template.metadata"),
    ("DeploymentConfig", "spec.template.spec", "spec.template.metadata"),
];

/// An object that runs pods.
pub struct Workload<'a> {
    pub obj: &'a Object,
    /// The pod spec.
    pub spec: &'a Node,
    /// The pod template's (or Pod's) metadata.
    pub meta: Option<&'a Node>,
}

/// A container of a workload.
pub struct Container<'a> {
    pub node: &'a Node,
    pub name: &'a str,
    pub init: bool,
}

impl Repo {
    pub fn new(objects: Vec<Object>, extra_kinds: Vec<ExtraKind>) -> Repo {
        let mut repo = Repo {
            objects,
            patches: Vec::new(),
            built_images: Default::default(),
            extra_kinds,
            object_evidence_kept: false,
            index: Index::default(),
        };
        let mut index = Index::default();
        for (i, o) in repo.objects.iter().enumerate() {
            index.by_kind_name.entry(pair(&o.kind, &o.name)).or_default().push(i);
            if o.kind == "HorizontalPodAutoscaler" {
                if let (Some(k), Some(n)) =
                    (o.node.str_at("spec.scaleTargetRef.kind"), o.node.str_at("spec.scaleTargetRef.name"))
                {
                    index.hpas_by_target.entry(pair(k, n)).or_default().push(i);
                }
            }
            let Some(w) = repo.workload(o) else { continue };
            let at = index.workloads.len();
            for (k, v) in w.labels().map(Node::entries).unwrap_or(&[]).iter().filter_map(label_pair) {
                let pods = index.pods_by_label.entry(pair(k, v)).or_default();
                if pods.last() != Some(&at) {
                    pods.push(at);
                }
            }
            let (path, meta) = repo.pod_paths(o).expect("a workload's kind");
            let spec = route(&o.node, path).expect("the path its pod spec was found at");
            index.workloads.push((i, spec, route(&o.node, &meta)));
        }
        repo.index = index;
        repo
    }

    pub fn workloads(&self) -> Vec<Workload<'_>> {
        (0..self.index.workloads.len()).map(|at| self.indexed(at)).collect()
    }

    /// The workloads of the files the run reports (every file, unless it
    /// names some), the others passed over unbuilt: what a rule that judges
    /// workloads one at a time iterates.
    pub fn reported_workloads(&self, cx: &opslint_sdk::Ctx) -> Vec<Workload<'_>> {
        let index = &self.index.workloads;
        (0..index.len())
            .filter(|&at| cx.reports_doc(self.objects[index[at].0].doc))
            .map(|at| self.indexed(at))
            .collect()
    }

    /// [`Repo::workloads_and_patches`] of the files the run reports.
    pub fn reported_workloads_and_patches(&self, cx: &opslint_sdk::Ctx) -> Vec<Workload<'_>> {
        let patches = self.patches.iter().filter(|o| cx.reports_doc(o.doc)).filter_map(|o| self.workload(o));
        self.reported_workloads(cx).into_iter().chain(patches).collect()
    }

    /// The workload at a position of the index, by its routes.
    fn indexed(&self, at: usize) -> Workload<'_> {
        let (i, spec, meta) = &self.index.workloads[at];
        let obj = &self.objects[*i];
        let spec = follow(&obj.node, spec).expect("a route made from this node");
        Workload { obj, spec, meta: meta.as_ref().and_then(|m| follow(&obj.node, m)) }
    }

    /// Workloads and the workload parts of kustomize patches: for rules that
    /// judge what is set (`privileged: true`, a host path, a literal secret),
    /// which a patch adds as much as a whole object does.
    pub fn workloads_and_patches(&self) -> Vec<Workload<'_>> {
        let patches = self.patches.iter().filter_map(|o| self.workload(o));
        self.workloads().into_iter().chain(patches).collect()
    }

    /// Objects of a kind with a name (any namespace).
    pub fn named<'a>(&'a self, kind: &'a str, name: &'a str) -> impl Iterator<Item = &'a Object> + 'a {
        let found = self.index.by_kind_name.get(&pair(kind, name));
        let found = found.map_or(&[][..], Vec::as_slice).iter().map(|&i| &self.objects[i]);
        found.filter(move |o| o.kind == kind && o.name == name)
    }

    /// The HorizontalPodAutoscaler that targets a workload, if any.
    pub fn hpa_for(&self, w: &Workload) -> Option<&Object> {
        let found = self.index.hpas_by_target.get(&pair(&w.obj.kind, &w.obj.name))?;
        let targets = |h: &&Object| {
            h.node.str_at("spec.scaleTargetRef.kind") == Some(w.obj.kind.as_str())
                && h.node.str_at("spec.scaleTargetRef.name") == Some(w.obj.name.as_str())
        };
        found.iter().map(|&i| &self.objects[i]).filter(targets).find(|h| h.same_namespace(w.obj))
    }

    /// Workloads that a selector mapping (a Service's `spec.selector`, a
    /// label selector's `matchLabels`) may match, in file order: those whose
    /// pod labels hold its first `key: value`, or every workload when it has
    /// none. The caller still matches each one.
    pub fn pods_for(&self, selector: Option<&Node>) -> Vec<Workload<'_>> {
        let Some((k, v)) = first_pair(selector) else { return self.workloads() };
        let found = self.index.pods_by_label.get(&pair(k, v));
        found.map_or(&[][..], Vec::as_slice).iter().map(|&at| self.indexed(at)).collect()
    }

    pub fn workload<'a>(&'a self, obj: &'a Object) -> Option<Workload<'a>> {
        let (path, meta) = self.pod_paths(obj)?;
        let spec = obj.node.at(path)?;
        spec.get("containers")?.as_seq()?;
        Some(Workload { obj, spec, meta: obj.node.at(&meta) })
    }

    /// Where a workload kind has its pod spec and the pod's metadata. A
    /// built-in kind's metadata path is in the table; a declared kind's is
    /// beside its pod spec.
    fn pod_paths<'a>(&'a self, obj: &Object) -> Option<(&'a str, std::borrow::Cow<'a, str>)> {
        Some(match self.extra_kinds.iter().find(|k| k.kind == obj.kind) {
            Some(extra) => {
                let path = extra.pod_spec.as_str();
                let meta = path.rsplit_once('.').map_or("metadata".into(), |(parent, _)| format!("{parent}.metadata"));
                (path, meta.into())
            }
            None => WORKLOAD_KINDS.iter().find(|(k, ..)| *k == obj.kind).map(|(_, p, m)| (*p, (*m).into()))?,
        })
    }

    /// Objects of one kind.
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Object> + 'a {
        self.objects.iter().filter(move |o| o.kind == kind)
    }
}

/// Positions from a node down to one of its descendants: an entry's in a
/// mapping, an item's in a sequence.
type Route = Vec<u32>;

/// The route to the node at `path` (as [`Node::at`] finds it: the last entry of a repeated key).
fn route(root: &Node, path: &str) -> Option<Route> {
    let mut node = root;
    let mut out = Vec::new();
    for seg in opslint_yaml::path_segments(path) {
        let at = match seg {
            opslint_yaml::Segment::Key(k) => node.as_map()?.iter().rposition(|e| e.key_str() == Some(k))?,
            opslint_yaml::Segment::Index(i) => node.as_seq().map(|_| i)?,
        };
        out.push(at as u32);
        node = follow(node, &[at as u32])?;
    }
    Some(out)
}

fn follow<'a>(root: &'a Node, route: &[u32]) -> Option<&'a Node> {
    route.iter().try_fold(root, |n, &at| match n.as_map() {
        Some(entries) => entries.get(at as usize).map(|e| &e.value),
        None => n.items().get(at as usize),
    })
}

impl<'a> Workload<'a> {
    /// Containers, then init containers.
    pub fn containers(&self) -> Vec<Container<'a>> {
        let mut out = Vec::new();
        for (key, init) in [("containers", false), ("initContainers", true)] {
            for node in self.spec.get(key).map(Node::items).unwrap_or(&[]) {
                if node.is_map() {
                    out.push(Container { node, name: node.str("name").unwrap_or(""), init });
                }
            }
        }
        out
    }

    /// The pod template's labels.
    pub fn labels(&self) -> Option<&'a Node> {
        self.meta?.get("labels")
    }

    /// `spec.replicas` (None when absent).
    pub fn replicas(&self) -> Option<i64> {
        self.obj.node.i64_at("spec.replicas")
    }

    /// A node agent: one pod per node whose job is the node itself (log and
    /// metrics collectors, CNI/CSI drivers, device installers), so host
    /// namespaces, host paths and privilege are what it is for. A DaemonSet, or
    /// the shape of one from before DaemonSets: a ReplicationController or
    /// Deployment whose `hostPort` keeps its pods one per node, and that
    /// mounts the node's files under a host view (`/host/proc`, `/rootfs`),
    /// the convention of agents that read their node. Neither alone is enough:
    /// a web server with a hostPort is no agent, and a Deployment mounting the
    /// node's root (a demo, a debug pod) is what the host rules are for.
    pub fn is_node_agent(&self) -> bool {
        self.obj.kind == "DaemonSet" || (self.host_port() && self.mounts_host_view())
    }

    fn host_port(&self) -> bool {
        self.containers().iter().any(|c| {
            c.node
                .get("ports")
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .any(|p| p.get("hostPort").is_some_and(|v| v.as_i64().is_some_and(|n| n > 0)))
        })
    }

    /// A hostPath volume mounted under `/host`, `/rootfs` or `/hostfs`.
    fn mounts_host_view(&self) -> bool {
        let volumes = self.spec.get("volumes").map(Node::items).unwrap_or(&[]);
        let host_volume =
            |name: &str| volumes.iter().any(|v| v.str("name") == Some(name) && v.at("hostPath").is_some());
        self.containers().iter().any(|c| {
            c.node.get("volumeMounts").map(Node::items).unwrap_or(&[]).iter().any(|m| {
                let at = m.str("mountPath").unwrap_or("").trim_end_matches('/');
                let view = ["/host", "/rootfs", "/hostfs"]
                    .iter()
                    .any(|v| at == *v || at.strip_prefix(v).is_some_and(|r| r.starts_with('/')));
                view && m.str("name").is_some_and(host_volume)
            })
        })
    }

    /// Runs to completion (Job, CronJob, bare Pod with restartPolicy Never/OnFailure).
    pub fn is_batch(&self) -> bool {
        matches!(self.obj.kind.as_str(), "Job" | "CronJob")
            || self.spec.str("restartPolicy").is_some_and(|p| p != "Always")
    }

    /// A value of the pod-level security context.
    pub fn pod_security(&self, key: &str) -> Option<&'a Node> {
        self.spec.get("securityContext")?.get(key)
    }
}

/// Extended resources device plugins serve: GPUs, TPUs and other accelerators.
pub const DEVICE_RESOURCES: &[&str] =
    &["nvidia.com/gpu", "amd.com/gpu", "google.com/tpu", "habana.ai/gaudi", "aws.amazon.com/neuron"];

impl<'a> Container<'a> {
    /// The first accelerator the container asks for (limits or requests).
    pub fn device_resource(&self) -> Option<&'static str> {
        ["resources.limits", "resources.requests"].iter().find_map(|at| {
            self.node
                .at(at)?
                .entries()
                .iter()
                .find_map(|e| DEVICE_RESOURCES.iter().find(|r| e.key_str() == Some(**r)).copied())
        })
    }

    /// Whether a `containerPort` is `port`.
    pub fn serves_port(&self, port: i64) -> bool {
        self.node
            .get("ports")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .any(|p| p.get("containerPort").and_then(Node::as_i64) == Some(port))
    }

    /// `Deployment/api container "web"`.
    pub fn display(&self, w: &Workload) -> String {
        let what = if self.init { "init container" } else { "container" };
        format!("{} {what} \"{}\"", w.obj.display(), self.name)
    }

    /// Where to point when a key is missing: the container's `name:` value.
    pub fn anchor(&self) -> Range<usize> {
        self.node
            .value_span("name")
            .or_else(|| self.node.entries().first().map(|e| e.key.span.clone()))
            .unwrap_or_else(|| self.node.span.clone())
    }

    /// A value of the container's security context.
    pub fn security(&self, key: &str) -> Option<&'a Node> {
        self.node.get("securityContext")?.get(key)
    }

    /// The container's value, else the pod's (for keys valid at both levels).
    pub fn effective(&self, w: &Workload<'a>, key: &str) -> Option<&'a Node> {
        self.security(key).or_else(|| w.pod_security(key))
    }

    pub fn image(&self) -> Option<&'a str> {
        self.node.str("image")
    }

    /// `containerPort` numbers and port names.
    pub fn ports(&self) -> Vec<(Option<i64>, Option<&'a str>)> {
        self.node
            .get("ports")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .map(|p| (p.i64_at("containerPort"), p.str("name")))
            .collect()
    }
}

/// Whether every `key: value` of a selector mapping is among the labels.
pub fn selects(selector: &Node, labels: Option<&Node>) -> bool {
    let entries = selector.entries();
    !entries.is_empty()
        && entries.iter().all(|e| {
            let (Some(k), Some(v)) = (e.key_str(), e.value.as_scalar()) else { return false };
            labels.and_then(|l| l.get(k)).and_then(|n| n.as_scalar()).is_some_and(|l| l.text == v.text)
        })
}

/// A label selector (`matchLabels` + `matchExpressions`) against labels.
/// `None` when it cannot be judged (expressions other than In/NotIn/Exists/DoesNotExist).
pub fn label_selector_matches(selector: &Node, labels: Option<&Node>) -> Option<bool> {
    let label = |k: &str| labels.and_then(|l| l.get(k)).and_then(|n| n.as_scalar()).map(|s| s.text.as_str());
    for e in selector.get("matchLabels").map(Node::entries).unwrap_or(&[]) {
        let (Some(k), Some(v)) = (e.key_str(), e.value.as_scalar()) else { return None };
        if label(k) != Some(v.text.as_str()) {
            return Some(false);
        }
    }
    for expr in selector.get("matchExpressions").map(Node::items).unwrap_or(&[]) {
        let key = expr.str("key")?;
        let values: Vec<&str> =
            expr.get("values").map(Node::items).unwrap_or(&[]).iter().filter_map(Node::as_str).collect();
        let ok = match expr.str("operator")? {
            "In" => label(key).is_some_and(|v| values.contains(&v)),
            "NotIn" => label(key).is_none_or(|v| !values.contains(&v)),
            "Exists" => label(key).is_some(),
            "DoesNotExist" => label(key).is_none(),
            _ => return None,
        };
        if !ok {
            return Some(false);
        }
    }
    Some(true)
}

/// Whether a text holds an unrendered template (Helm, Jinja, envsubst).
pub fn templated(s: &str) -> bool {
    s.contains("{{") || s.contains("${") || s.contains("{%")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The workloads the index keeps by route are the ones found by path:
    /// a built-in kind, a CronJob's nested template, a declared kind, and a
    /// repeated key (the last one counts).
    #[test]
    fn indexed_workloads_are_those_found_by_path() {
        let text = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: a}
spec:
  template:
    metadata: {labels: {app: old}}
    metadata: {labels: {app: a}}
    spec: {containers: [{name: c, image: a:1}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: b}
spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c}]}}}}}
---
apiVersion: example.com/v1
kind: Worker
metadata: {name: w}
spec: {pod: {metadata: {labels: {app: w}}, spec: {containers: [{name: c}]}}}
---
apiVersion: v1
kind: Service
metadata: {name: s}
";
        let file = parse_file("k.yaml", text);
        let extra = vec![ExtraKind { kind: "Worker".into(), pod_spec: "spec.pod.spec".into() }];
        let repo = Repo::new(file.objects, extra);
        let indexed = repo.workloads();
        let by_path: Vec<Workload> = repo.objects.iter().filter_map(|o| repo.workload(o)).collect();
        assert_eq!(indexed.len(), 3);
        assert_eq!(indexed.len(), by_path.len());
        for (a, b) in indexed.iter().zip(&by_path) {
            assert!(std::ptr::eq(a.obj, b.obj) && std::ptr::eq(a.spec, b.spec));
            assert_eq!(a.meta.map(|m| m as *const Node), b.meta.map(|m| m as *const Node));
        }
        assert_eq!(indexed[0].labels().and_then(|l| l.str("app")), Some("a"));
        assert_eq!(indexed[2].labels().and_then(|l| l.str("app")), Some("w"));
        assert!(indexed[1].meta.is_none());
        assert_eq!(repo.pods_for(indexed[2].labels()).len(), 1);
    }
}

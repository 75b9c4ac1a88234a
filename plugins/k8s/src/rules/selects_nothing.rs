//! ## What it does
//! Flags an object that refers to pods or objects absent from the linted
//! files: a Service whose selector matches no pod template, an Ingress
//! backend naming a Service that is not defined, a HorizontalPodAutoscaler
//! whose `scaleTargetRef` is not defined, a PodDisruptionBudget or
//! NetworkPolicy whose selector matches no pod template. Namespaces must
//! agree (an object without one matches any). To stay quiet on partial
//! repositories and operator-made pods, a selector is only judged when its
//! directory also holds a workload and no custom resource (an operator's
//! `Cluster`, `LeaderWorkerSet`, the Prometheus operator's `Prometheus` and
//! `Alertmanager`… may create the pods), nor when its labels name such a
//! resource anywhere in the files (`app.kubernetes.io/name: prometheus`,
//! `cnpg.io/cluster: <its name>`), and never when the files define no
//! workload at all. Files a kustomization applies as patches are partial
//! objects and are not judged as objects. A label selector (Service, PDB,
//! NetworkPolicy) is only reported when it nearly matches pods of the files:
//! some workload (in any namespace) carries every one of its keys with the
//! same or a similar value (`app: shopp` for `app: shop`, `web-api` for
//! `web`), so the likely mistake is a typo or a wrong namespace. A selector
//! unlike every pod template of the files (`component: vtgate` beside a
//! `component: guestbook` Deployment) names pods made elsewhere: a chart, an
//! operator, a script that fills a template, the platform. Points at the
//! selector or the name that does not resolve.
//!
//! ## Why is this bad?
//! A typo in a label or a name is silent in Kubernetes: the Service has no
//! endpoints, the Ingress answers 503, the autoscaler or budget protects
//! nothing, the policy isolates nothing.
//!
//! ## Example
//! ```yaml
//! kind: Service
//! spec:
//!   selector: {app: api}    # the Deployment's pods are labelled app: shop-api
//! ```
//!
//! ## Use instead
//! ```yaml
//! kind: Service
//! spec:
//!   selector: {app: shop-api}
//! ```
use crate::model::label_pair;
use crate::prelude::*;
use opslint_knowledge::words;

pub const META: Meta = Meta {
    summary: "a Service, Ingress, HPA, PDB or NetworkPolicy selects nothing defined in the files",
    severity: Severity::Medium,
    tags: &["correctness"],
    aliases: &[
        "dangling-service", "dangling-ingress", "dangling-horizontalpodautoscaler", "dangling-networkpolicy",
        "service-targets-pod", "ingress-targets-service", "horizontalpodautoscaler-has-target", "networkpolicy-targets-pod",
    ],
    ..Meta::DEFAULT
};

fn has_template(n: &Node) -> bool {
    let mut t = false;
    for e in n.entries() {
        t |= e.key_str().is_some_and(templated) || e.value.as_str().is_some_and(templated);
    }
    t
}

/// API groups whose objects never create pods.
const BUILTIN_GROUPS: &[&str] = &["", "apps", "batch", "policy", "autoscaling", "extensions"];
const PASSIVE_GROUPS: &[&str] =
    &["monitoring.coreos.com", "cert-manager.io", "networking.gke.io", "cloud.google.com", "velero.io", "keda.sh"];
/// Kinds of passive groups that do run pods: the Prometheus operator makes a
/// StatefulSet for each.
const POD_MAKING: &[&str] = &["Prometheus", "Alertmanager", "ThanosRuler", "PrometheusAgent"];

/// A custom resource an operator may turn into pods.
fn makes_pods(repo: &Repo, o: &Object) -> bool {
    let g = o.group();
    repo.workload(o).is_none()
        && !BUILTIN_GROUPS.contains(&g)
        && !g.ends_with(".k8s.io")
        && (!PASSIVE_GROUPS.contains(&g) || POD_MAKING.contains(&o.kind.as_str()))
}

/// Whether a selector names pods an operator makes for one of these custom
/// resources: a label value is the resource's name or its kind
/// (`app.kubernetes.io/name: prometheus`, `prometheus: k8s`,
/// `cnpg.io/cluster: pg`, `strimzi.io/cluster: kafka`), or a key is its kind.
fn operator_pods(sel: &Node, operators: &[&Object]) -> bool {
    let pairs = sel.entries().iter().chain(sel.get("matchLabels").map(Node::entries).unwrap_or(&[]));
    let pairs: Vec<(&str, &str)> = pairs.filter_map(label_pair).collect();
    operators.iter().any(|o| {
        let kind = o.kind.to_ascii_lowercase();
        pairs.iter().any(|(k, v)| {
            (!o.name.is_empty() && *v == o.name) || v.eq_ignore_ascii_case(&kind) || k.eq_ignore_ascii_case(&kind)
        })
    })
}

/// Labels the control plane puts on pods itself: a selector using them cannot
/// be judged from the manifests (a headless Service for a Job's pods, say).
const AUTO_LABELS: &[&str] = &[
    "job-name",
    "controller-uid",
    "pod-template-hash",
    "controller-revision-hash",
    "statefulset.kubernetes.io/pod-name",
    "apps.kubernetes.io/pod-index",
    "batch.kubernetes.io/job-name",
    "batch.kubernetes.io/controller-uid",
    "batch.kubernetes.io/job-completion-index",
];

fn uses_auto_label(sel: &Node) -> bool {
    let keys = sel.entries().iter().filter_map(|e| e.key_str());
    let labels = sel.get("matchLabels").map(|m| m.entries()).unwrap_or(&[]).iter().filter_map(|e| e.key_str());
    let exprs = sel.get("matchExpressions").map(Node::items).unwrap_or(&[]).iter().filter_map(|e| e.str("key"));
    keys.chain(labels).chain(exprs).any(|k| AUTO_LABELS.contains(&k))
}

/// Whether some pod template of the files nearly carries the selector's
/// labels: each `key: value` has a similar key with a similar value there.
/// `pods`: each workload with its pod labels, gathered once per run of the rule.
fn near_miss(pods: &[(&Workload, Vec<(&str, &str)>)], sel: &Node) -> Option<String> {
    let pairs = sel.entries().iter().chain(sel.get("matchLabels").map(Node::entries).unwrap_or(&[]));
    let pairs: Vec<(&str, &str)> = pairs.filter_map(label_pair).collect();
    if pairs.is_empty() {
        // Only expressions: no value to compare, judged as before.
        return Some(String::new());
    }
    pods.iter().find_map(|(w, labels)| {
        let near = pairs.iter().all(|(k, v)| labels.iter().any(|(lk, lv)| words::near_miss(k, lk) && words::near_miss(v, lv)));
        near.then(|| w.obj.display())
    })
}

fn dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn closest(near: &str) -> String {
    if near.is_empty() { String::new() } else { format!("; the closest pods are {near}'s") }
}

/// The kinds this rule judges.
const JUDGED: &[&str] = &["Service", "PodDisruptionBudget", "NetworkPolicy", "HorizontalPodAutoscaler", "Ingress"];

pub fn check(cx: &mut Ctx, repo: &Repo) {
    // A run over named files judges only theirs: when none of them holds a
    // selector or a reference, what the judging needs of every other object
    // is not gathered.
    if !repo.objects.iter().any(|o| cx.reports_doc(o.doc) && JUDGED.contains(&o.kind.as_str())) {
        return;
    }
    let workloads = repo.workloads();
    if workloads.is_empty() {
        return;
    }
    let paths: Vec<String> = cx.documents().iter().map(|d| d.0.to_string()).collect();
    let dir_of = |o: &Object| dir(paths.get(o.doc).map_or("", String::as_str));
    // Directories with a workload, and directories with a custom resource that may create pods.
    let with_workload: std::collections::BTreeSet<&str> = workloads.iter().map(|w| dir_of(w.obj)).collect();
    let operators: Vec<&Object> = repo.objects.iter().filter(|o| makes_pods(repo, o)).collect();
    let with_operator: std::collections::BTreeSet<&str> = operators.iter().map(|o| dir_of(o)).collect();
    // A namespace no workload of the files is in holds pods made elsewhere (a chart, the
    // platform's own agents in `monitoring` or `gke-managed-system`): not judged.
    // (The namespaces with a workload, gathered once: asked per object, a scan of every workload was quadratic.)
    let pods: Vec<(&Workload, Vec<(&str, &str)>)> = workloads
        .iter()
        .map(|w| (w, w.labels().map(Node::entries).unwrap_or(&[]).iter().filter_map(label_pair).collect()))
        .collect();
    let with_pods: std::collections::BTreeSet<&str> = workloads.iter().filter_map(|w| w.obj.namespace.as_deref()).collect();
    let foreign_namespace = |o: &Object| o.namespace.as_deref().is_some_and(|ns| !with_pods.contains(ns));
    let judged = |o: &Object| {
        with_workload.contains(dir_of(o)) && !with_operator.contains(dir_of(o)) && !foreign_namespace(o)
    };
    let pods_match = |obj: &Object, selector: &Node, label_selector: bool| {
        let narrow_by = if label_selector { selector.get("matchLabels") } else { Some(selector) };
        repo.pods_for(narrow_by).iter().any(|w| {
            w.obj.same_namespace(obj)
                && if label_selector { label_selector_matches(selector, w.labels()) != Some(false) } else { selects(selector, w.labels()) }
        })
    };
    for o in &repo.objects {
        // A run over named files reports only theirs.
        if !cx.reports_doc(o.doc) {
            continue;
        }
        match o.kind.as_str() {
            _ if !judged(o) && o.kind != "Ingress" => {}
            "Service" => {
                let Some(sel) = o.node.at("spec.selector").filter(|s| !s.entries().is_empty()) else { continue };
                if !judged(o)
                    || has_template(sel)
                    || uses_auto_label(sel)
                    || operator_pods(sel, &operators)
                    || pods_match(o, sel, false)
                {
                    continue;
                }
                let Some(near) = near_miss(&pods, sel) else { continue };
                cx.report_in(o.doc, sel.span.clone(), format!("{}: the selector matches no pod template in these files", o.display()))
                    .help(format!("make the selector equal to labels of the pods it should route to (spec.template.metadata.labels){}", closest(&near)));
            }
            "PodDisruptionBudget" | "NetworkPolicy" => {
                let path = if o.kind == "NetworkPolicy" { "spec.podSelector" } else { "spec.selector" };
                let Some(sel) = o.node.at(path) else { continue };
                let empty = sel.get("matchLabels").is_none_or(|m| m.entries().is_empty())
                    && sel.get("matchExpressions").is_none_or(|m| m.items().is_empty());
                if empty
                    || !judged(o)
                    || has_template(sel.get("matchLabels").unwrap_or(sel))
                    || uses_auto_label(sel)
                    || operator_pods(sel, &operators)
                    || pods_match(o, sel, true)
                {
                    continue;
                }
                let Some(near) = near_miss(&pods, sel) else { continue };
                cx.report_in(o.doc, sel.span.clone(), format!("{}: `{path}` matches no pod template in these files", o.display()))
                    .help(format!("make the selector match the labels of the pods it is meant for{}", closest(&near)));
            }
            "HorizontalPodAutoscaler" => {
                let Some(target) = o.node.at("spec.scaleTargetRef") else { continue };
                let (Some(kind), Some(name)) = (target.str("kind"), target.get("name")) else { continue };
                let Some(n) = name.as_str() else { continue };
                if !judged(o) || templated(n) || repo.named(kind, n).any(|t| t.same_namespace(o)) {
                    continue;
                }
                cx.report_in(o.doc, name.span.clone(), format!("{}: its target {kind}/{n} is not defined in these files", o.display()))
                    .help("point `scaleTargetRef` at the workload's kind and name");
            }
            "Ingress" => {
                let mut backends: Vec<&Node> = Vec::new();
                for b in [o.node.at("spec.defaultBackend"), o.node.at("spec.backend")].into_iter().flatten() {
                    backends.push(b);
                }
                for rule in o.node.at("spec.rules").map(Node::items).unwrap_or(&[]) {
                    for p in rule.at("http.paths").map(Node::items).unwrap_or(&[]) {
                        backends.extend(p.get("backend"));
                    }
                }
                for b in backends {
                    let Some(name) = b.at("service.name").or_else(|| b.get("serviceName")) else { continue };
                    let Some(n) = name.as_str() else { continue };
                    if !judged(o) || templated(n) || repo.named("Service", n).any(|s| s.same_namespace(o)) {
                        continue;
                    }
                    cx.report_in(o.doc, name.span.clone(), format!("{}: the backend Service `{n}` is not defined in these files", o.display()))
                        .help("name a Service defined next to the Ingress (same namespace)");
                }
            }
            _ => {}
        }
    }
}

//! ## What it does
//! Flags state that dies with its pod: a Deployment or StatefulSet (also a
//! ReplicaSet, ReplicationController, Argo Rollout or DeploymentConfig) whose
//! container runs a database, a message broker, an object store or an
//! observability store (Prometheus, Grafana, Loki, Elasticsearch…; images from
//! opslint's shared knowledge) and
//! - mounts an `emptyDir` (or generic `ephemeral`) volume at the service's data
//!   directory (`/var/lib/postgresql/data`, `/prometheus`, a path given by
//!   `PGDATA` or `--storage.tsdb.path`), pointing at that `mountPath`; or
//! - has no persistent volume at all (only ConfigMaps, Secrets, `emptyDir`),
//!   pointing at the container's name.
//!
//! A volume mounted at the data directory is also recognised without a known
//! image (a team's own `accounts-db` image built `FROM postgres`). Redis and
//! its forks count only when their arguments switch persistence on
//! (`--appendonly yes`, `--save …`): otherwise they are caches. Prometheus in
//! agent mode, Grafana with an external database and Elasticsearch nodes
//! that hold no data (`NODE_DATA=false`) keep nothing that matters; an image
//! named after a database whose container declares ports, none of them the
//! engine's, is an application (`wildfly-mysql-javaee7` on 8080), and a
//! container whose name or program names another role (`discovery`,
//! `etcd-discovery.sh`, `sentinel`, `backup`) is a tool beside the store. Also flags a Prometheus operator `Prometheus` or `Alertmanager`
//! object without `spec.storage` (the operator then uses an `emptyDir`).
//!
//! ## Why is this bad?
//! An `emptyDir` is deleted when the pod leaves its node, and a container's
//! own filesystem when the container restarts: a rollout, an eviction or a
//! node upgrade wipes the database, the queue, the metrics history or the
//! dashboards, and a second replica does not share it.
//!
//! ## Example
//! ```yaml
//! kind: StatefulSet
//! spec:
//!   template:
//!     spec:
//!       containers:
//!         - name: db
//!           image: postgres:16
//!           volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
//!       volumes:
//!         - name: data
//!           emptyDir: {}
//! ```
//!
//! ## Use instead
//! ```yaml
//! kind: StatefulSet
//! spec:
//!   template:
//!     spec:
//!       containers:
//!         - name: db
//!           image: postgres:16
//!           volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
//!   volumeClaimTemplates:
//!     - metadata: {name: data}
//!       spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 20Gi}}}
//! ```
use opslint_knowledge::databases::redis_persistence;
use opslint_knowledge::stateful::{covers, data_dir_service, engine_ports, image_service, names_a_tool, Service};

use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a database, broker or metrics store keeps its data on emptyDir or in the container",
    severity: Severity::High,
    tags: &["reliability", "data"],
    ..Meta::DEFAULT
};

const LONG_RUNNING: &[&str] =
    &["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout", "DeploymentConfig"];

/// How a volume keeps what is written to it.
#[derive(PartialEq)]
enum Keeps {
    /// Gone with the pod: `emptyDir`, generic `ephemeral`.
    Nothing,
    /// Read-only inputs: ConfigMaps, Secrets, the downward API.
    Config,
    /// A claim, a cloud disk, NFS, a host path, or a volume not in the file.
    Data,
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads() {
        if LONG_RUNNING.contains(&w.obj.kind.as_str()) {
            check_workload(cx, &w);
        }
    }
    for obj in &repo.objects {
        let operator_store = obj.group() == "monitoring.coreos.com" && matches!(obj.kind.as_str(), "Prometheus" | "Alertmanager");
        if operator_store && obj.node.at("spec.storage").is_none() && obj.node.get("spec").is_some() {
            cx.report_in(obj.doc, obj.anchor(), format!("{} has no `spec.storage`: the operator keeps its data on an emptyDir, lost when the pod is rescheduled", obj.display()))
                .help("add `spec.storage.volumeClaimTemplate` with a storage request so each replica gets a PersistentVolumeClaim");
        }
    }
}

fn check_workload(cx: &mut Ctx, w: &Workload) {
    let claims: Vec<&str> = w
        .obj
        .node
        .at("spec.volumeClaimTemplates")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(|t| t.str_at("metadata.name"))
        .collect();
    let keeps = |name: &str| -> Keeps {
        if claims.contains(&name) {
            return Keeps::Data;
        }
        let volumes = w.spec.get("volumes").map(Node::items).unwrap_or(&[]);
        let Some(vol) = volumes.iter().find(|v| v.str("name") == Some(name)) else { return Keeps::Data };
        let kinds: Vec<&str> = vol.entries().iter().filter_map(Entry::key_str).filter(|k| *k != "name").collect();
        match kinds.first().copied() {
            Some("emptyDir" | "ephemeral") => Keeps::Nothing,
            Some("configMap" | "secret" | "downwardAPI" | "projected") => Keeps::Config,
            _ => Keeps::Data,
        }
    };
    for c in w.containers().into_iter().filter(|c| !c.init) {
        let mounts: Vec<(&str, Range, Keeps)> = c
            .node
            .get("volumeMounts")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(|m| Some((m.str("mountPath")?, m.value_span("mountPath")?, keeps(m.str("name")?))))
            .collect();
        let by_mount = mounts.iter().find_map(|(p, _, _)| data_dir_service(p));
        if in_another_role(&c) {
            continue;
        }
        let by_image = c.image().and_then(image_service).filter(|s| serves(s, &c));
        let Some(service) = by_image.or(by_mount) else { continue };
        let text = command_text(c.node);
        if !keeps_data(&service, &c, &text) {
            continue;
        }
        let mut dirs: Vec<&str> = service.data_dirs.to_vec();
        dirs.extend(declared_data_paths(c.node, &text));
        let on_empty_dir = mounts.iter().find(|(p, _, k)| *k == Keeps::Nothing && dirs.iter().any(|d| covers(p, d)));
        let what = format!("{} runs {}", c.display(w), service.name);
        if let Some((path, span, _)) = on_empty_dir {
            cx.report_in(w.obj.doc, span.clone(), format!("{what} with its data at `{path}` on an emptyDir volume: deleted with the pod"))
                .help(help(w));
        } else if !mounts.iter().any(|(_, _, k)| *k == Keeps::Data) {
            cx.report_in(w.obj.doc, c.anchor(), format!("{what} without a persistent volume: its data is lost when the container restarts or the pod moves"))
                .help(help(w));
        }
    }
}

type Range = std::ops::Range<usize>;

fn help(w: &Workload) -> &'static str {
    if w.obj.kind == "StatefulSet" {
        "mount a PersistentVolumeClaim at the data directory (`volumeClaimTemplates` gives each replica its own)"
    } else {
        "run it as a StatefulSet with `volumeClaimTemplates`, or mount a PersistentVolumeClaim at its data directory"
    }
}

/// `command`, `args` and `env` values as one text.
fn command_text(node: &Node) -> String {
    let mut out = String::new();
    for key in ["command", "args"] {
        for item in node.get(key).map(Node::items).unwrap_or(&[]) {
            out.push_str(item.as_str().unwrap_or(""));
            out.push(' ');
        }
    }
    out
}

/// A store's image run as a tool beside it: the container's name or its
/// command's program says so (`name: discovery`, `args: [etcd-discovery.sh]`).
fn in_another_role(c: &Container) -> bool {
    let program = ["command", "args"].iter().find_map(|k| c.node.get(k).map(Node::items).and_then(|i| i.first()?.as_str()));
    c.node.str("name").is_some_and(names_a_tool) || program.and_then(|p| p.split_whitespace().next()).is_some_and(names_a_tool)
}

/// Whether the container serves the engine its image is named after: an
/// application image that mentions its database declares its own ports.
fn serves(service: &Service, c: &Container) -> bool {
    let known = engine_ports(service.name);
    let ports = c.ports();
    known.is_empty() || ports.is_empty() || ports.iter().any(|(p, _)| p.is_some_and(|p| known.contains(&p)))
}

/// Whether this configuration of the service keeps anything worth keeping.
fn keeps_data(service: &Service, c: &Container, text: &str) -> bool {
    let env = |name: &str| {
        c.node.get("env").map(Node::items).unwrap_or(&[]).iter().find(|e| e.str("name") == Some(name)).and_then(|e| e.str("value"))
    };
    match service.name {
        // A cache unless persistence is switched on in its arguments.
        "redis" => redis_persistence(text) || (text.contains("--save ") && !text.contains("--save \"\"") && !text.contains("--save ''")),
        // Agent mode forwards samples and keeps only a write-ahead log.
        "Prometheus" => !text.contains("--enable-feature=agent") && !text.contains("--agent"),
        // Dashboards and users live in the database named here.
        // Elasticsearch client and master-only nodes hold no index data.
        "elasticsearch" => {
            env("NODE_DATA").is_none_or(|v| v != "false") && !text.contains("node.data=false") && !text.contains("node.roles=master")
        }
        "Grafana" => env("GF_DATABASE_TYPE").is_none_or(|t| t == "sqlite3") && env("GF_DATABASE_URL").is_none(),
        _ => true,
    }
}

/// Data paths the container names: `PGDATA`, `*_DATA_DIR`-style variables and
/// `--storage.tsdb.path=/x`, `--data-dir /x`, `--datadir=/x` arguments.
fn declared_data_paths<'a>(node: &'a Node, text: &'a str) -> Vec<&'a str> {
    let mut out = Vec::new();
    for e in node.get("env").map(Node::items).unwrap_or(&[]) {
        let (Some(name), Some(value)) = (e.str("name"), e.str("value")) else { continue };
        let n = name.to_ascii_uppercase();
        if value.starts_with('/') && (n == "PGDATA" || n.contains("DATA_DIR") || n.ends_with("_DATA") || n.contains("DATA_PATH")) {
            out.push(value);
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let Some(flag) = w.strip_prefix("--") else { continue };
        let (key, value) = match flag.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (flag, words.get(i + 1).copied()),
        };
        let k = key.to_ascii_lowercase();
        let named = k.contains("data") || k.contains("tsdb.path") || k == "dbpath" || k == "storage.path";
        if let Some(v) = value.filter(|v| named && v.starts_with('/')) {
            out.push(v.trim_matches(['"', '\'']));
        }
    }
    out
}

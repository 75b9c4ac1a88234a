//! Facts for the backup and maturity plugins.
use opslint_sdk::{Ctx, EvidenceMeta, EvidenceValue};
use opslint_yaml::Node;

use crate::model::{Object, Repo};

pub fn meta() -> Vec<EvidenceMeta> {
    let e = |key: &str, description: &str| EvidenceMeta { key: key.into(), description: description.into() };
    vec![
        e("k8s/workloads", "objects that run pods (`Kind/name`)"),
        e("k8s/workload", "a long-running workload (one each, located), for a runbook's service table: `name=Kind/name`, `namespace=`, `images=`, `ports=` (container ports, comma-separated)"),
        e("k8s/service", "a Service (one each, located): `name=`, `namespace=`, `ports=` (`port->targetPort/protocol`, comma-separated), `type=`"),
        e("k8s/hpa", "HorizontalPodAutoscalers: `HPA/name -> Kind/target min=N max=M`"),
        e("k8s/pdb", "PodDisruptionBudgets (`PodDisruptionBudget/name`)"),
        e("k8s/zone-spread", "workloads spreading pods across zones (topologySpreadConstraints or podAntiAffinity on a zone key), counted"),
        e("k8s/probe-coverage", "long-running containers with a readiness / liveness probe, as `readiness R/N, liveness L/N`"),
        e("k8s/resources-coverage", "containers with CPU and memory requests and a memory limit, as `M/N`"),
        e("k8s/monitoring", "ServiceMonitor, PodMonitor and PrometheusRule objects"),
        e("k8s/database", "a database deployed (one fact per database, located): engine and object"),
        e("k8s/container-image", "the image of a StatefulSet's, Deployment's or Pod's container that runs no known database image (`image Kind/name`): the backup plugin matches it with the repository's Dockerfiles"),
        e("k8s/cronjob", "a CronJob (one fact each, located): schedule and the backup tools it runs"),
        e("k8s/velero-schedules", "Velero Schedule and Backup objects"),
        e("k8s/chaos-experiments", "Chaos Mesh and Litmus experiments"),
        e("k8s/progressive-delivery", "Argo Rollouts and Flagger Canaries"),
    ]
}

use opslint_knowledge::backup::{tools_in, BACKUP_TOOLS};
use opslint_knowledge::databases::{
    data_dir_engine, image_engine, operator_database, redis_persistence, server_env_engine,
};

fn words(node: &Node, out: &mut String) {
    // Bounded: the YAML layer limits depth.
    match &node.value {
        opslint_yaml::Value::Scalar(s) => {
            out.push_str(&s.text);
            out.push(' ');
        }
        opslint_yaml::Value::Seq(items) => items.iter().for_each(|n| words(n, out)),
        opslint_yaml::Value::Map(entries) => entries.iter().for_each(|e| words(&e.value, out)),
    }
}

/// Every fact of the objects: those of each object alone ([`per_object`],
/// unless the join kept them from the files' facts), then those of the whole.
pub fn collect(cx: &mut Ctx, repo: &Repo) {
    if !repo.object_evidence_kept {
        per_object(cx, repo);
    }
    let Some(first) = repo.objects.first() else { return };
    let loc = |o: &Object| Some(o.anchor());
    let workloads = repo.workloads();
    let at = workloads.first().map_or(first, |w| w.obj);
    let names: Vec<String> = workloads.iter().map(|w| w.obj.display()).collect();
    cx.evidence_in(at.doc, "k8s/workloads", EvidenceValue::Items(names), loc(at));

    let list =
        |kinds: &[&str]| -> Vec<&Object> { repo.objects.iter().filter(|o| kinds.contains(&o.kind.as_str())).collect() };
    let items = |cx: &mut Ctx, key: &str, objs: Vec<&Object>, text: &dyn Fn(&Object) -> String| {
        if let Some(o) = objs.first() {
            let doc = o.doc;
            let span = loc(o);
            cx.evidence_in(doc, key, EvidenceValue::Items(objs.iter().map(|o| text(o)).collect()), span);
        }
    };
    items(cx, "k8s/hpa", list(&["HorizontalPodAutoscaler"]), &|o| {
        let target = o.node.at("spec.scaleTargetRef");
        format!(
            "{} -> {}/{} min={} max={}",
            o.display(),
            target.and_then(|t| t.str("kind")).unwrap_or("?"),
            target.and_then(|t| t.str("name")).unwrap_or("?"),
            o.node.i64_at("spec.minReplicas").unwrap_or(1),
            o.node.i64_at("spec.maxReplicas").map_or("?".into(), |m| m.to_string())
        )
    });
    items(cx, "k8s/pdb", list(&["PodDisruptionBudget"]), &|o| o.display());
    items(cx, "k8s/monitoring", list(&["ServiceMonitor", "PodMonitor", "PrometheusRule"]), &|o| o.display());
    items(
        cx,
        "k8s/velero-schedules",
        list(&["Schedule", "Backup"]).into_iter().filter(|o| o.group() == "velero.io").collect(),
        &|o| format!("{} schedule={}", o.display(), o.node.str_at("spec.schedule").unwrap_or("-")),
    );
    let chaos: Vec<&Object> = repo
        .objects
        .iter()
        .filter(|o| o.group() == "chaos-mesh.org" || o.group() == "litmuschaos.io" && o.kind.starts_with("Chaos"))
        .collect();
    items(cx, "k8s/chaos-experiments", chaos, &|o| o.display());
    let progressive: Vec<&Object> = repo
        .objects
        .iter()
        .filter(|o| {
            o.kind == "Rollout" && o.group() == "argoproj.io" || o.kind == "Canary" && o.group() == "flagger.app"
        })
        .collect();
    items(cx, "k8s/progressive-delivery", progressive, &|o| o.display());

    // Zone spread.
    let zone = |n: &Node| {
        let mut s = String::new();
        words(n, &mut s);
        s.contains("topology.kubernetes.io/zone") || s.contains("failure-domain.beta.kubernetes.io/zone")
    };
    let spread: Vec<_> = workloads
        .iter()
        .filter(|w| {
            w.spec.get("topologySpreadConstraints").is_some_and(zone)
                || w.spec.at("affinity.podAntiAffinity").is_some_and(zone)
        })
        .collect();
    if !workloads.is_empty() {
        let at = spread.first().map_or(workloads[0].obj, |w| w.obj);
        cx.evidence_in(at.doc, "k8s/zone-spread", EvidenceValue::Count(spread.len() as u64), loc(at));
        // Coverage.
        let mut n = 0;
        let (mut ready, mut live, mut res, mut total) = (0, 0, 0, 0);
        for w in &workloads {
            for c in w.containers() {
                total += 1;
                if c.node.at("resources.requests.cpu").is_some()
                    && c.node.at("resources.requests.memory").is_some()
                    && c.node.at("resources.limits.memory").is_some()
                {
                    res += 1;
                }
                if c.init || w.is_batch() {
                    continue;
                }
                n += 1;
                ready += c.node.get("readinessProbe").is_some() as u32;
                live += c.node.get("livenessProbe").is_some() as u32;
            }
        }
        let w0 = workloads[0].obj;
        cx.evidence_in(
            w0.doc,
            "k8s/probe-coverage",
            EvidenceValue::Text(format!("readiness {ready}/{n}, liveness {live}/{n}")),
            loc(w0),
        );
        cx.evidence_in(w0.doc, "k8s/resources-coverage", EvidenceValue::Text(format!("{res}/{total}")), loc(w0));
    }

    // (Alert rules and their runbook links are the prometheus plugin's facts: one reader.)
}

/// The facts each object makes alone (a workload, a Service, a database, a
/// CronJob): made per file in `extract` and kept in its fact, so a join does
/// not redo them (nor index the lines of every file they point into).
pub fn per_object(cx: &mut Ctx, repo: &Repo) {
    let loc = |o: &Object| Some(o.anchor());
    let workloads = repo.workloads();
    for w in workloads.iter().filter(|w| !w.is_batch()) {
        let cs: Vec<_> = w.containers().into_iter().filter(|c| !c.init).collect();
        let images: Vec<&str> = cs.iter().filter_map(|c| c.image()).collect();
        let ports: Vec<String> = cs
            .iter()
            .flat_map(|c| c.ports())
            .filter_map(|(n, name)| n.map(|n| name.map_or(n.to_string(), |m| format!("{n} ({m})"))))
            .collect();
        let items = vec![
            format!("name={}", w.obj.display()),
            format!("namespace={}", w.obj.namespace.as_deref().unwrap_or("")),
            format!("images={}", images.join(",")),
            format!("ports={}", ports.join(",")),
        ];
        cx.evidence_in(w.obj.doc, "k8s/workload", EvidenceValue::Items(items), loc(w.obj));
    }
    for o in repo.objects.iter().filter(|o| o.kind == "Service" && o.api_version == "v1") {
        let ports: Vec<String> = o
            .node
            .at("spec.ports")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(|p| {
                let port = p.get("port")?.as_str()?;
                let target = p.get("targetPort").and_then(Node::as_str).unwrap_or(port);
                let proto = p.str("protocol").unwrap_or("TCP");
                Some(format!("{port}->{target}/{proto}"))
            })
            .collect();
        let items = vec![
            format!("name={}", o.name),
            format!("namespace={}", o.namespace.as_deref().unwrap_or("")),
            format!("ports={}", ports.join(",")),
            format!("type={}", o.node.str_at("spec.type").unwrap_or("ClusterIP")),
        ];
        cx.evidence_in(o.doc, "k8s/service", EvidenceValue::Items(items), loc(o));
    }

    // Databases.
    for o in &repo.objects {
        if let Some(engine) = operator_database(o.group(), &o.kind) {
            cx.evidence_in(o.doc, "k8s/database", EvidenceValue::Text(format!("{engine}: {}", o.display())), loc(o));
        }
    }
    for w in &workloads {
        if !matches!(w.obj.kind.as_str(), "StatefulSet" | "Deployment" | "Pod") {
            continue;
        }
        for c in w.containers().iter().filter(|c| !c.init) {
            // By image; else (a team's own image built on one) by the data directory its
            // volume is mounted at, or by the server set-up in its environment.
            let mounts: Vec<&str> = c
                .node
                .get("volumeMounts")
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .filter_map(|m| m.str("mountPath"))
                .collect();
            let env: Vec<&str> =
                c.node.get("env").map(Node::items).unwrap_or(&[]).iter().filter_map(|e| e.str("name")).collect();
            let engine = c
                .image()
                .filter(|i| !i.to_ascii_lowercase().contains("backup"))
                .and_then(image_engine)
                .or_else(|| mounts.iter().find_map(|m| data_dir_engine(m)))
                .or_else(|| server_env_engine(env.iter().copied()));
            if let Some(engine) = engine {
                let mut args = String::new();
                for part in ["command", "args"] {
                    if let Some(n) = c.node.get(part) {
                        words(n, &mut args);
                    }
                }
                // Redis that keeps its data on disk is a store, not a cache.
                let persistent = if engine == "redis" && redis_persistence(&args) { " (persistent)" } else { "" };
                let span = c.node.value_span("image");
                cx.evidence_in(
                    w.obj.doc,
                    "k8s/database",
                    EvidenceValue::Text(format!("{engine}{persistent}: {}", w.obj.display())),
                    span,
                );
                break;
            }
            // A team's own image: the backup plugin looks for the Dockerfile that builds it
            // (`FROM postgres` in `db/Dockerfile` for an image named `db`).
            if let Some(image) = c.image() {
                cx.evidence_in(
                    w.obj.doc,
                    "k8s/container-image",
                    EvidenceValue::Text(format!("{image} {}", w.obj.display())),
                    c.node.value_span("image"),
                );
            }
        }
    }

    // CronJobs and what they run.
    for w in workloads.iter().filter(|w| w.obj.kind == "CronJob") {
        let mut text = String::new();
        for c in w.containers() {
            words(
                c.node.get("command").unwrap_or(&Node { span: 0..0, value: opslint_yaml::Value::Seq(vec![]) }),
                &mut text,
            );
            words(
                c.node.get("args").unwrap_or(&Node { span: 0..0, value: opslint_yaml::Value::Seq(vec![]) }),
                &mut text,
            );
            text.push_str(c.image().unwrap_or(""));
            text.push(' ');
        }
        let mut tools: Vec<&str> = tools_in(&text, BACKUP_TOOLS).iter().map(|(t, _)| t.name).collect();
        tools.dedup();
        let schedule = w.obj.node.str_at("spec.schedule").unwrap_or("?");
        let runs = if tools.is_empty() { String::new() } else { format!(" runs {}", tools.join(", ")) };
        cx.evidence_in(
            w.obj.doc,
            "k8s/cronjob",
            EvidenceValue::Text(format!("{} schedule \"{schedule}\"{runs}", w.obj.display())),
            loc(w.obj),
        );
    }
}

use opslint_plugin_k8s::rules::secret_in_env::secret_name;
use opslint_plugin_k8s::K8sPlugin;
use opslint_sdk::testing::check_repo_texts;
use opslint_sdk::Location;

#[test]
fn secret_names_are_matched_by_word() {
    for yes in ["DB_PASSWORD", "STRIPE_API_KEY", "github-token", "CLIENT_SECRET", "AWS_SECRET_ACCESS_KEY"] {
        assert!(secret_name(yes), "{yes}");
    }
    for no in ["MAX_TOTAL_TOKENS", "PASSWORD_FILE", "TOKEN_TTL", "LOG_LEVEL", "AWS_ACCESS_KEY_ID", "SECRET_NAME"] {
        assert!(!secret_name(no), "{no}");
    }
}

#[test]
fn findings_point_at_the_value_in_a_list_item() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n    containers:\n    - name: c\n      image: nginx:1.27\n      securityContext: {privileged: true}\n";
    let f = check_repo_texts::<K8sPlugin>(&[("pod.yaml", text)], "{}");
    let p = f.iter().find(|f| f.rule == "privileged-container").expect("fires");
    let Location::Span(s) = &p.primary.location else { panic!() };
    assert_eq!(&text[s.start as usize..s.end as usize], "true");
    assert_eq!(p.message, "Pod/p container \"c\" runs privileged");
}

/// The cross-object rules look pods up by their first selector label
/// (model.rs `Index`): labels in another order, expressions only, and
/// namespaces must give what matching every pair gave.
#[test]
fn cross_object_lookups_match_what_pairwise_matching_found() {
    let deploy = |name: &str, ns: &str, labels: &str, replicas: u32| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {labels}}}\n  template:\n    metadata: {{labels: {labels}}}\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.27\n"
        )
    };
    let files = [
        ("a/shop.yaml", deploy("shop", "prod", "{tier: web, app: shop}", 3)),
        ("a/api.yaml", deploy("api", "prod", "{app: api}", 2)),
        ("a/lonely.yaml", deploy("lonely", "prod", "{app: lonely}", 3)),
        ("a/other-ns.yaml", deploy("elsewhere", "dev", "{app: elsewhere}", 3)),
        (
            "a/pdbs.yaml",
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: shop, namespace: prod}\nspec:\n  minAvailable: 3\n  selector: {matchLabels: {app: shop, tier: web}}\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: api, namespace: prod}\nspec:\n  maxUnavailable: 1\n  selector:\n    matchExpressions: [{key: app, operator: In, values: [api]}]\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: elsewhere, namespace: prod}\nspec:\n  maxUnavailable: 1\n  selector: {matchLabels: {app: elsewhere}}\n".into(),
        ),
        (
            "a/services.yaml",
            "apiVersion: v1\nkind: Service\nmetadata: {name: shop, namespace: prod}\nspec:\n  selector: {app: shop, tier: web}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: typo, namespace: prod}\nspec:\n  selector: {app: shopp}\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: api, namespace: prod}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: gone, namespace: prod}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: gone}\n".into(),
        ),
    ];
    let texts: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let found = check_repo_texts::<K8sPlugin>(&texts, "{}");
    let mut got: Vec<String> = found
        .iter()
        .filter(|f| matches!(f.rule.as_str(), "missing-pdb" | "selects-nothing" | "pdb-blocks-eviction"))
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            "missing-pdb: Deployment/elsewhere is replicated but no PodDisruptionBudget covers its pods",
            "missing-pdb: Deployment/lonely is replicated but no PodDisruptionBudget covers its pods",
            "pdb-blocks-eviction: PodDisruptionBudget/shop: `minAvailable: 3` with 3 replica(s) of Deployment/shop forbids every eviction",
            "selects-nothing: HorizontalPodAutoscaler/gone: its target Deployment/gone is not defined in these files",
            "selects-nothing: PodDisruptionBudget/elsewhere: `spec.selector` matches no pod template in these files",
            "selects-nothing: Service/typo: the selector matches no pod template in these files",
        ]
    );
}

/// Issue 13: a kustomization's patch files are partial objects (not judged
/// as whole ones), and pods an operator makes for a custom resource are
/// selected by its labels.
#[test]
fn kustomize_patches_and_operator_pods_are_not_findings() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let read = |p: &str| std::fs::read_to_string(dir.join(p)).unwrap();
    let files = [
        "missing-resources/ok/deployment.yaml",
        "missing-resources/ok/overlay/kustomization.yaml",
        "missing-resources/ok/overlay/replicas.yaml",
        "missing-resources/ok/overlay/env.yaml",
    ];
    let texts: Vec<String> = files.iter().map(|p| read(p)).collect();
    let docs: Vec<(&str, &str)> = files.iter().zip(&texts).map(|(p, t)| (*p, t.as_str())).collect();
    let found = check_repo_texts::<K8sPlugin>(&docs, "{}");
    let on_patches: Vec<_> = found.iter().filter(|f| f.path.contains("/overlay/")).collect();
    assert!(on_patches.is_empty(), "{on_patches:#?}");
    // What a patch sets is judged; what it lacks is not.
    let pfiles = [
        "privileged-container/bad/base.yaml",
        "privileged-container/bad/overlay/kustomization.yaml",
        "privileged-container/bad/overlay/debug.yaml",
    ];
    let ptexts: Vec<String> = pfiles.iter().map(|p| read(p)).collect();
    let pdocs: Vec<(&str, &str)> = pfiles.iter().zip(&ptexts).map(|(p, t)| (*p, t.as_str())).collect();
    let found = check_repo_texts::<K8sPlugin>(&pdocs, "{}");
    let on_patch: Vec<&str> =
        found.iter().filter(|f| f.path.ends_with("debug.yaml")).map(|f| f.rule.as_str()).collect();
    assert_eq!(on_patch, ["privileged-container"], "{found:#?}");
    // The same patch file without its kustomization is a whole (bad) object.
    let alone = check_repo_texts::<K8sPlugin>(&[(files[3], &texts[3])], "{}");
    assert!(alone.iter().any(|f| f.rule == "missing-resources"), "{alone:#?}");

    let files = ["selects-nothing/ok/monitoring/prometheus.yaml", "selects-nothing/ok/operator/operator.yaml"];
    let texts: Vec<String> = files.iter().map(|p| read(p)).collect();
    let docs: Vec<(&str, &str)> = files.iter().zip(&texts).map(|(p, t)| (*p, t.as_str())).collect();
    let found = check_repo_texts::<K8sPlugin>(&docs, "{}");
    assert!(!found.iter().any(|f| f.rule == "selects-nothing"), "{found:#?}");
    // Without the Prometheus resource the budget's selector is a near miss of the operator's
    // own pods (`prometheus` in `prometheus-operator`); the Service's `prometheus: k8s` is on
    // no pod template at all, so its pods are made elsewhere.
    let found = check_repo_texts::<K8sPlugin>(&docs[1..], "{}");
    let flagged: Vec<&str> = found.iter().filter(|f| f.rule == "selects-nothing").map(|f| f.message.as_str()).collect();
    assert_eq!(
        flagged,
        ["PodDisruptionBudget/prometheus-k8s: `spec.selector` matches no pod template in these files"],
        "{found:#?}"
    );
}

/// Issue 13: a GitHub workflow the YAML layer refuses holds `${{ }}`, which is not a Helm template.
#[test]
fn github_expressions_are_not_helm_templates() {
    let text = "on: push\njobs:\n  a:\n    steps:\n      - run: echo ${{ matrix.x }}\n        bad: [\n";
    let f = check_repo_texts::<K8sPlugin>(&[(".github/workflows/a.yaml", text)], "{}");
    assert!(!f.iter().any(|f| f.rule == "helm-template-not-analysed"), "{f:#?}");
    let helm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n  labels: [\n";
    let f = check_repo_texts::<K8sPlugin>(&[("chart/templates/cm.yaml", helm)], "{}");
    assert!(f.iter().any(|f| f.rule == "helm-template-not-analysed"), "{f:#?}");
}

/// A GitHub Actions workflow or a `.gitlab-ci.yml` is the ci plugin's (which
/// reports what it cannot read): never read as a manifest, not even one past
/// the YAML layer's limits; the same text elsewhere is.
#[test]
fn ci_configurations_are_not_read_as_manifests() {
    let deep = format!("apiVersion: v1\nkind: ConfigMap\ndata: {}{}\n", "[".repeat(300), "]".repeat(300));
    for path in [".github/workflows/deploy.yml", "svc/.gitlab-ci.yml"] {
        let f = check_repo_texts::<K8sPlugin>(&[(path, deep.as_str())], "{}");
        assert!(f.is_empty(), "{path}: {f:#?}");
    }
    let f = check_repo_texts::<K8sPlugin>(&[("k8s/deep.yaml", deep.as_str())], "{}");
    assert!(f.iter().any(|f| f.rule == "parse-error"), "{f:#?}");
}

/// Issue 13: node agents (DaemonSets) use the node on purpose; the same pod
/// spec in a Deployment is still flagged, and a DaemonSet's runtime socket too.
#[test]
fn node_agents_are_not_flagged_for_using_their_node() {
    let agent = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/host-namespace/ok/node-agent.yaml"),
    )
    .unwrap();
    let host_rules = ["host-namespace", "host-path", "privileged-container"];
    let f = check_repo_texts::<K8sPlugin>(&[("agent.yaml", &agent)], "{}");
    assert!(!f.iter().any(|f| host_rules.contains(&f.rule.as_str())), "{f:#?}");
    // Not silence: the access stays visible, once per agent, in the opt-in inventory rule.
    let inventory: Vec<&str> =
        f.iter().filter(|f| f.rule == "node-agent-host-access").map(|f| f.message.as_str()).collect();
    assert_eq!(
        inventory,
        ["node agent DaemonSet/node-exporter takes from its node: privileged container \"node-exporter\", `hostNetwork`, `hostPID`, the node's `/`, the node's `/sys`"]
    );
    let deployment = agent.replace("kind: DaemonSet", "kind: Deployment");
    let f = check_repo_texts::<K8sPlugin>(&[("app.yaml", &deployment)], "{}");
    for rule in host_rules {
        assert!(f.iter().any(|f| f.rule == rule), "{rule}: {f:#?}");
    }
    let socket = agent.replace("path: /var/log", "path: /var/run/docker.sock");
    let f = check_repo_texts::<K8sPlugin>(&[("agent.yaml", &socket)], "{}");
    assert_eq!(f.iter().filter(|f| f.rule == "host-path").count(), 1, "{f:#?}");
    // The pre-DaemonSet shape: kept one per node by a hostPort, reading the node under /host.
    let legacy = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/host-namespace/ok/legacy-node-agent.yaml"),
    )
    .unwrap();
    let f = check_repo_texts::<K8sPlugin>(&[("agent.yaml", &legacy)], "{}");
    assert!(!f.iter().any(|f| host_rules.contains(&f.rule.as_str())), "{f:#?}");
    // Without the one-per-node pinning it is an ordinary pod using the node.
    let spread = legacy.replace("              hostPort: 6666\n", "");
    let f = check_repo_texts::<K8sPlugin>(&[("agent.yaml", &spread)], "{}");
    for rule in host_rules {
        assert!(f.iter().any(|f| f.rule == rule), "{rule}: {f:#?}");
    }
}

/// Issue 16: every store of the bad fixture is found, each once, at the data
/// path or the container (or the operator object); the ok fixture is silent.
#[test]
fn state_that_dies_with_its_pod() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ephemeral-state");
    let bad = std::fs::read_to_string(dir.join("bad/stores.yaml")).unwrap();
    let f = check_repo_texts::<K8sPlugin>(&[("stores.yaml", &bad)], "{}");
    let flagged: Vec<&str> = f
        .iter()
        .filter(|f| f.rule == "ephemeral-state")
        .map(|f| {
            let Location::Span(s) = &f.primary.location else { panic!() };
            &bad[s.start as usize..s.end as usize]
        })
        .collect();
    assert_eq!(
        flagged,
        ["/var/lib/postgresql/data", "prometheus", "/var/lib/grafana", "/var/lib/postgresql/data", "redis", "k8s"],
        "{f:#?}"
    );
    let ok = std::fs::read_to_string(dir.join("ok/stores.yaml")).unwrap();
    let f = check_repo_texts::<K8sPlugin>(&[("stores.yaml", &ok)], "{}");
    assert!(!f.iter().any(|f| f.rule == "ephemeral-state"), "{f:#?}");
}

/// Issue 13: a Deployment that cannot run two pods (Recreate, a disk one node
/// attaches) is not told to; a shared (ReadWriteMany) disk does not excuse it.
#[test]
fn singletons_by_design_are_not_single_replica_findings() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/single-replica");
    let ok = std::fs::read_to_string(dir.join("ok/singletons.yaml")).unwrap();
    let f = check_repo_texts::<K8sPlugin>(&[("singletons.yaml", &ok)], "{}");
    assert!(!f.iter().any(|f| f.rule == "single-replica"), "{f:#?}");
    let bad = std::fs::read_to_string(dir.join("bad/shared-disk.yaml")).unwrap();
    let claim = std::fs::read_to_string(dir.join("bad/shared-disk-claim.yaml")).unwrap();
    let f = check_repo_texts::<K8sPlugin>(&[("shared-disk.yaml", &bad), ("shared-disk-claim.yaml", &claim)], "{}");
    assert_eq!(f.iter().filter(|f| f.rule == "single-replica").count(), 1, "{f:#?}");
    // A client serving nothing is not told to replicate; once a Service of its folder selects it, it serves.
    let lg = std::fs::read_to_string(dir.join("ok/load-generator.yaml")).unwrap();
    let client = lg.replace("loadgenerator", "mailer");
    let count = |docs: &[(&str, &str)]| {
        check_repo_texts::<K8sPlugin>(docs, "{}").iter().filter(|f| f.rule == "single-replica").count()
    };
    assert_eq!(count(&[("a/mailer.yaml", &client)]), 0);
    let service = "apiVersion: v1\nkind: Service\nmetadata: {name: m}\nspec:\n  selector: {app: mailer}\n";
    assert_eq!(count(&[("a/mailer.yaml", &client), ("a/svc.yaml", service)]), 1);
    assert_eq!(count(&[("a/mailer.yaml", &client), ("b/svc.yaml", service)]), 0);
    // A load generator with a UI Service is still test tooling.
    let lg_service = service.replace("mailer", "loadgenerator");
    assert_eq!(count(&[("a/lg.yaml", &lg), ("a/svc.yaml", &lg_service)]), 0);
}

/// Issue 13: exec granted to a namespace's own automation (ServiceAccounts,
/// RoleBindings) is its job; granted to people, or cluster-wide, it is not.
#[test]
fn pod_exec_for_namespaced_automation_only() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pod-exec-access");
    let ok = std::fs::read_to_string(dir.join("ok/namespaced-automation.yaml")).unwrap();
    let count = |text: &str| {
        check_repo_texts::<K8sPlugin>(&[("rbac.yaml", text)], "{}")
            .iter()
            .filter(|f| f.rule == "pod-exec-access")
            .count()
    };
    assert_eq!(count(&ok), 0);
    assert_eq!(
        count(&ok.replace("  - kind: ServiceAccount\n    name: chaos-runner", "  - kind: User\n    name: alice")),
        1
    );
    let cluster =
        ok.replace("kind: Role\n", "kind: ClusterRole\n").replace("kind: RoleBinding", "kind: ClusterRoleBinding");
    assert_eq!(count(&cluster), 1);
    // Granted by no binding in the files: its subjects are unknown.
    let unbound = ok.split("---").take(2).collect::<Vec<_>>().join("---");
    assert_eq!(count(&unbound), 1);
    let people = std::fs::read_to_string(dir.join("bad/people.yaml")).unwrap();
    assert_eq!(count(&people), 1);
}

/// Issue 13: a wildcard that can only read (named non-core groups with read
/// verbs, the metrics APIs) grants nothing to escalate with.
#[test]
fn read_only_wildcards_are_not_rbac_findings() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rbac-wildcard");
    let count = |text: &str| {
        check_repo_texts::<K8sPlugin>(&[("rbac.yaml", text)], "{}").iter().filter(|f| f.rule == "rbac-wildcard").count()
    };
    assert_eq!(count(&std::fs::read_to_string(dir.join("ok/read-only.yaml")).unwrap()), 0);
    assert_eq!(count(&std::fs::read_to_string(dir.join("bad/writes.yaml")).unwrap()), 2);
}

/// Issue 13: a selector unlike every pod template of the files selects pods
/// made elsewhere (a script, a chart); a near miss is the typo the rule is for.
#[test]
fn selects_nothing_reports_near_misses_only() {
    let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: guestbook}\nspec:\n  selector: {matchLabels: {component: guestbook, app: vitess}}\n  template:\n    metadata: {labels: {component: guestbook, app: vitess}}\n    spec:\n      containers: [{name: c, image: nginx:1.27}]\n";
    let service =
        |sel: &str| format!("apiVersion: v1\nkind: Service\nmetadata: {{name: s}}\nspec:\n  selector: {sel}\n");
    let found = |sel: &str| {
        let svc = service(sel);
        check_repo_texts::<K8sPlugin>(&[("a/deploy.yaml", deploy), ("a/svc.yaml", &svc)], "{}")
            .into_iter()
            .filter(|f| f.rule == "selects-nothing")
            .count()
    };
    assert_eq!(found("{component: vtgate, app: vitess}"), 0);
    assert_eq!(found("{component: guestbok, app: vitess}"), 1);
    assert_eq!(found("{component: guestbook-web}"), 1);
    assert_eq!(found("{component: guestbook, app: vitess}"), 0);
}

#[test]
fn moving_tags_are_flagged_and_pinned_channel_builds_are_not() {
    let pod = |image: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n  - name: c\n    image: {image}\n"
        )
    };
    let fired = |image: &str| {
        check_repo_texts::<K8sPlugin>(&[("pod.yaml", &pod(image))], "{}").iter().any(|f| f.rule == "image-tag")
    };
    for moving in ["axolotlai/axolotl:main-latest", "alpine:edge", "app:nightly", "nginx:stable-alpine", "x:master-cpu"]
    {
        assert!(fired(moving), "{moving}");
    }
    for pinned in ["app:nightly-20240101", "app:main-3f2a1bc", "nginx:1.27.3", "python:3.12-alpine", "app@sha256:abc"] {
        assert!(!fired(pinned), "{pinned}");
    }
}

/// Issue 13 (found on bank-of-anthos): `image: contacts` in a base that Skaffold builds and
/// tags (`build.artifacts`), or that a kustomization retags, is not an untagged image.
#[test]
fn images_built_by_the_repository_tooling_are_not_untagged() {
    let deploy = |image: &str| {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app}}\nspec:\n  selector: {{matchLabels: {{app: a}}}}\n  template:\n    metadata: {{labels: {{app: a}}}}\n    spec:\n      containers:\n        - name: app\n          image: {image}\n")
    };
    let skaffold = "apiVersion: skaffold/v4beta1\nkind: Config\nbuild:\n  artifacts:\n    - image: contacts\n      context: .\nprofiles:\n  - name: dev\n    build:\n      artifacts:\n        - image: frontend\n";
    let kustomization = "resources: [deploy.yaml]\nimages:\n  - name: ledger\n    newTag: v1.2.3\n  - name: other\n";
    let tags = |docs: &[(&str, &str)]| -> usize {
        check_repo_texts::<K8sPlugin>(docs, "{}").iter().filter(|f| f.rule == "image-tag").count()
    };
    for (image, built) in [
        ("contacts", true),
        ("frontend", true),
        ("ledger", true),
        ("other", false),
        ("nginx", false),
        ("contacts:latest", false),
    ] {
        let d = deploy(image);
        let docs =
            [("skaffold.yaml", skaffold), ("k8s/kustomization.yaml", kustomization), ("k8s/deploy.yaml", d.as_str())];
        assert_eq!(tags(&docs), usize::from(!built), "{image}");
    }
}

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
    // Without the Prometheus resource the selectors do select nothing.
    let found = check_repo_texts::<K8sPlugin>(&docs[1..], "{}");
    assert_eq!(found.iter().filter(|f| f.rule == "selects-nothing").count(), 2, "{found:#?}");
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
    let deployment = agent.replace("kind: DaemonSet", "kind: Deployment");
    let f = check_repo_texts::<K8sPlugin>(&[("app.yaml", &deployment)], "{}");
    for rule in host_rules {
        assert!(f.iter().any(|f| f.rule == rule), "{rule}: {f:#?}");
    }
    let socket = agent.replace("path: /var/log", "path: /var/run/docker.sock");
    let f = check_repo_texts::<K8sPlugin>(&[("agent.yaml", &socket)], "{}");
    assert_eq!(f.iter().filter(|f| f.rule == "host-path").count(), 1, "{f:#?}");
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
    let f = check_repo_texts::<K8sPlugin>(&[("shared-disk.yaml", &bad)], "{}");
    assert_eq!(f.iter().filter(|f| f.rule == "single-replica").count(), 1, "{f:#?}");
}

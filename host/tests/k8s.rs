//! The k8s plugin through the real binary: multi-document files and Lists,
//! Helm charts, hostile YAML (billion laughs, deep nesting), the shared corpus.
mod common;
use common::*;

fn findings(run: &Run) -> Vec<serde_json::Value> {
    run.json()["findings"].as_array().unwrap().clone()
}

fn of_rule<'a>(all: &'a [serde_json::Value], rule: &str) -> Vec<&'a serde_json::Value> {
    all.iter().filter(|f| f["rule"] == rule).collect()
}

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: web
          image: nginx:latest
";

#[test]
fn multi_document_and_list_files_are_all_linted() {
    let list = "apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: worker}
    spec:
      selector: {matchLabels: {app: worker}}
      template:
        metadata: {labels: {app: worker}}
        spec:
          containers:
            - name: w
              image: busybox
";
    let multi = format!(
        "{DEPLOYMENT}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector: {{app: api}}\n"
    );
    let dir = tree(&[("k8s/multi.yaml", multi.as_bytes()), ("k8s/list.yaml", list.as_bytes())]);
    let run = opslint(dir.path(), &["check", "--format", "json", "--select", "k8s/image-tag,k8s/selects-nothing", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let all = findings(&run);
    let tags = of_rule(&all, "k8s/image-tag");
    assert_eq!(tags.len(), 2, "{all:#?}");
    let multi_tag = tags.iter().find(|f| f["path"] == "k8s/multi.yaml").unwrap();
    assert_eq!((multi_tag["line"].as_u64(), multi_tag["column"].as_u64()), (Some(14), Some(18)), "{multi_tag:#?}");
    let list_tag = tags.iter().find(|f| f["path"] == "k8s/list.yaml").unwrap();
    assert_eq!((list_tag["line"].as_u64(), list_tag["column"].as_u64()), (Some(14), Some(22)), "{list_tag:#?}");
    assert!(list_tag["message"].as_str().unwrap().contains("Deployment/worker container \"w\""));
    // The Service in the second document selects the Deployment of the first.
    assert!(of_rule(&all, "k8s/selects-nothing").is_empty(), "{all:#?}");
}

#[test]
fn a_helm_chart_is_reported_once() {
    let dir = tree(&[
        ("charts/shop/Chart.yaml", b"apiVersion: v2\nname: shop\nversion: 0.1.0\n"),
        ("charts/shop/values.yaml", b"replicas: 2\nimage:\n  tag: \"1.0\"\n"),
        (
            "charts/shop/templates/deployment.yaml",
            b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.x }}\n{{- if .Values.y }}\n  paused: true\n{{- end }}\n",
        ),
        (
            "charts/shop/templates/service.yaml",
            b"apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    {{- include \"shop.labels\" . | nindent 4 }}\n",
        ),
        ("charts/shop/templates/_helpers.tpl", b"{{- define \"shop.labels\" -}}\napp: shop\n{{- end }}\n"),
    ]);
    let run = opslint(dir.path(), &["check", "--format", "json", "--fail-on", "info", "."]);
    let all = findings(&run);
    let k8s: Vec<_> = all.iter().filter(|f| f["rule"].as_str().unwrap().starts_with("k8s/")).collect();
    assert_eq!(k8s.len(), 1, "{k8s:#?}");
    let f = k8s[0];
    assert_eq!(f["rule"], "k8s/helm-template-not-analysed");
    assert_eq!(f["severity"], "info");
    assert_eq!(f["path"], "charts/shop/Chart.yaml");
    assert!(f["message"].as_str().unwrap().contains("2 template(s)"), "{f:#?}");
    assert!(f["help"].as_str().unwrap().contains("helm template . | opslint check - --stdin-filename rendered.yaml"));
}

fn billion_laughs() -> String {
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!("  a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    text
}

#[test]
fn hostile_yaml_is_a_parse_error_not_a_plugin_failure() {
    let deep_block: String = "- ".repeat(5000) + "x\n";
    let deep_flow: String = "a: ".to_string() + &"{b: ".repeat(5000) + "1" + &"}".repeat(5000) + "\n";
    let dir = tree(&[
        ("laughs.yaml", billion_laughs().as_bytes()),
        ("deep-block.yaml", deep_block.as_bytes()),
        ("deep-flow.yml", deep_flow.as_bytes()),
    ]);
    let started = std::time::Instant::now();
    let run = opslint(dir.path(), &["check", "--format", "json", "."]);
    assert_ne!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    assert!(started.elapsed().as_secs() < 30);
    let all = findings(&run);
    assert!(of_rule(&all, "opslint/plugin-failed").is_empty(), "{all:#?}");
    let errors = of_rule(&all, "k8s/parse-error");
    for path in ["laughs.yaml", "deep-block.yaml", "deep-flow.yml"] {
        let f = errors.iter().find(|f| f["path"] == path).unwrap_or_else(|| panic!("{path}: {all:#?}"));
        let message = f["message"].as_str().unwrap();
        if path == "laughs.yaml" {
            assert!(message.contains("aliases expand to more than"), "{message}");
        } else {
            assert!(message.contains("nested more than 200 levels"), "{message}");
        }
    }
}

#[test]
fn broken_non_manifest_yaml_is_left_alone() {
    let dir = tree(&[
        (".github/workflows/ci.yml", b"on: [push\njobs: {}\n"),
        ("docker-compose.yml", b"services:\n  web:\n    image: nginx:latest\n"),
        ("kustomization.yaml", b"resources:\n  - deployment.yaml\n"),
    ]);
    let run = opslint(dir.path(), &["check", "--format", "json", "--fail-on", "info", "."]);
    let all = findings(&run);
    assert!(all.iter().all(|f| !f["rule"].as_str().unwrap().starts_with("k8s/")), "{all:#?}");
}

#[test]
fn custom_workload_kinds_come_from_options() {
    let crd = "apiVersion: example.com/v1
kind: WebApp
metadata: {name: shop}
spec:
  pod:
    spec:
      containers:
        - name: app
          image: example/shop:latest
";
    let config = "[plugins.k8s.options]\nworkload-kinds = [{ kind = \"WebApp\", pod-spec = \"spec.pod.spec\" }]\n";
    let dir = tree(&[("app.yaml", crd.as_bytes()), ("opslint.toml", config.as_bytes())]);
    let run = opslint(dir.path(), &["check", "--format", "json", "--select", "k8s/image-tag", "."]);
    assert_eq!(run.rules(), ["k8s/image-tag"], "{}{}", run.stdout, run.stderr);
    let plain = tree(&[("app.yaml", crd.as_bytes())]);
    let run = opslint(plain.path(), &["check", "--format", "json", "--select", "k8s/image-tag", "."]);
    assert!(run.rules().is_empty());
}

#[test]
fn the_corpus_manifests_scan_without_plugin_failures() {
    let Some(corpus) = shared_input("corpus") else { return };
    let run = opslint(&corpus, &["check", "--format", "json", "--select", "k8s", "."]);
    assert!(run.code == 0 || run.code == 1, "exit {}: {}", run.code, run.stderr);
    let all = findings(&run);
    assert!(of_rule(&all, "opslint/plugin-failed").is_empty());
    assert!(all.iter().any(|f| f["rule"] == "k8s/image-tag"), "the corpus has Kubernetes examples");
}

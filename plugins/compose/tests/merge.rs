//! Files read together as `docker compose config` reads them: the override,
//! overlays, `COMPOSE_FILE`, `extends:`, `include:`, `.env` interpolation.
use opslint_plugin_compose::ComposePlugin;
use opslint_sdk::testing::check_repo_texts;

fn fired(files: &[(&str, &str)]) -> Vec<String> {
    let mut v: Vec<String> =
        check_repo_texts::<ComposePlugin>(files, "{}").into_iter().map(|f| format!("{} {}", f.rule, f.path)).collect();
    v.sort();
    v.retain(|r| !r.starts_with("missing-") && !r.starts_with("port-all-interfaces"));
    v
}

#[test]
fn the_override_is_merged_over_the_default_file() {
    let base =
        "services:\n  db:\n    image: postgres:16\n    volumes: [pg:/var/lib/postgresql/data]\nvolumes:\n  pg:\n";
    let over = "services:\n  db:\n    ports: [\"5432:5432\"]\n";
    assert_eq!(
        fired(&[("compose.yaml", base), ("compose.override.yaml", over)]),
        ["database-port-published compose.override.yaml"]
    );
    // An overlay read with `-f compose.yaml -f compose.prod.yaml` is judged merged too.
    assert_eq!(
        fired(&[("compose.yaml", base), ("compose.prod.yaml", over)]),
        ["database-port-published compose.prod.yaml"]
    );
}

#[test]
fn variables_come_from_the_env_file_beside_it() {
    let c = "services:\n  web:\n    image: nginx:${TAG}\n";
    assert_eq!(fired(&[("app/compose.yaml", c), ("app/.env", "TAG=latest\n")]), ["image-latest app/compose.yaml"]);
    assert!(fired(&[("app/compose.yaml", c), ("app/.env", "TAG=1.27\n")]).is_empty());
    // Unknown until run time: not judged.
    assert!(fired(&[("app/compose.yaml", c)]).is_empty());
    let d = "services:\n  web:\n    image: ${IMAGE:-nginx}\n";
    assert_eq!(fired(&[("compose.yaml", d)]), ["image-latest compose.yaml"]);
}

#[test]
fn extends_and_include_bring_their_services() {
    let common = "services:\n  base:\n    image: example/app:1.0\n    privileged: true\n";
    let main = "services:\n  app:\n    extends: {file: common.yml, service: base}\n";
    assert_eq!(fired(&[("compose.yaml", main), ("common.yml", common)]), ["privileged common.yml"]);
    let inc = "include:\n  - db/db.yaml\nservices:\n  api:\n    image: example/api:1.0\n    depends_on:\n      db: {condition: service_healthy}\n";
    let db = "services:\n  db:\n    image: postgres:16\n    volumes: [pg:/var/lib/postgresql/data]\n    healthcheck: {test: [\"CMD\", \"pg_isready\"]}\nvolumes:\n  pg:\n";
    assert!(fired(&[("compose.yaml", inc), ("db/db.yaml", db)]).is_empty());
    assert_eq!(
        fired(&[("compose.yaml", inc)]),
        ["undefined-service compose.yaml"],
        "without the included file the dependency is undefined"
    );
}

#[test]
fn compose_file_in_env_names_the_files() {
    let a = "services:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n";
    let b = "services:\n  admin:\n    image: example/admin:1.0\n    ports: [\"8080:80\"]\n";
    let files = [("compose.yaml", a), ("compose.extra.yaml", b)];
    assert!(fired(&files).is_empty(), "read apart, nothing clashes");
    let env = (".env", "COMPOSE_FILE=compose.yaml:compose.extra.yaml\n");
    assert_eq!(fired(&[files[0], files[1], env]), ["duplicate-host-port compose.extra.yaml"]);
}

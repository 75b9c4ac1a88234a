//! How ports, mounts and environment entries are read, through the rules that use them.
use opslint_plugin_compose::ComposePlugin;
use opslint_sdk::testing::check_repo_texts;

fn rules(compose: &str) -> Vec<String> {
    let mut v: Vec<String> =
        check_repo_texts::<ComposePlugin>(&[("compose.yaml", compose)], "{}").into_iter().map(|f| f.rule).collect();
    v.retain(|r| !r.starts_with("missing-") && r != "port-all-interfaces" && r != "image-latest");
    v.sort();
    v.dedup();
    v
}

fn db_with_port(port: &str) -> String {
    format!("services:\n  db:\n    image: postgres:16\n    volumes: [pg:/var/lib/postgresql/data]\n    ports: [{port}]\nvolumes:\n  pg:\n")
}

#[test]
fn port_syntaxes() {
    for fires in [
        "\"5432:5432\"",
        "\"0.0.0.0:5432:5432\"",
        "\"[::]:15432:5432\"",
        "\"5432:5432/tcp\"",
        "{target: 5432, published: \"5432\"}",
    ] {
        assert_eq!(rules(&db_with_port(fires)), ["database-port-published"], "{fires}");
    }
    for silent in [
        "\"127.0.0.1:5432:5432\"",
        "\"[::1]:5432:5432\"",
        "\"5432\"",
        "\"8080:80\"",
        "{target: 5432, host_ip: 127.0.0.1, published: \"5432\"}",
    ] {
        assert!(rules(&db_with_port(silent)).is_empty(), "{silent}");
    }
}

#[test]
fn mount_kinds() {
    let db = |volumes: &str| {
        format!("services:\n  db:\n    image: postgres:16\n    volumes: [{volumes}]\nvolumes:\n  pg:\n")
    };
    // A named volume or a bind mount keeps the data; an anonymous volume or a tmpfs does not.
    assert!(rules(&db("pg:/var/lib/postgresql/data")).is_empty());
    assert!(rules(&db("./data:/var/lib/postgresql/data")).is_empty());
    assert!(rules(&db("{type: volume, source: pg, target: /var/lib/postgresql}")).is_empty());
    assert_eq!(rules(&db("/var/lib/postgresql/data")), ["state-without-volume"]);
    assert_eq!(rules(&db("pg:/srv/other")), ["state-without-volume"]);
    // A named volume nobody declares.
    assert_eq!(
        rules("services:\n  db:\n    image: postgres:16\n    volumes: [data:/var/lib/postgresql/data]\n"),
        ["undefined-volume"]
    );
}

#[test]
fn environment_forms() {
    let env = |e: &str| format!("services:\n  api:\n    image: example/api:1.0\n    environment:\n{e}");
    assert_eq!(rules(&env("      DB_PASSWORD: hunter2-prod\n")), ["secret-in-environment"]);
    assert_eq!(rules(&env("      - DB_PASSWORD=hunter2-prod\n")), ["secret-in-environment"]);
    for silent in [
        "      DB_PASSWORD: ${DB_PASSWORD}\n",
        "      - DB_PASSWORD\n",
        "      DB_PASSWORD_FILE: /run/secrets/db\n",
        "      DB_PASSWORD: \"\"\n",
        "      MINIO_ACCESS_KEY: minio\n",
        "      PASSWORD_ENABLED: \"true\"\n",
    ] {
        assert!(rules(&env(silent)).is_empty(), "{silent}");
    }
}

#[test]
fn moving_tags_are_latest_too() {
    let fired = |image: &str| {
        let c = format!("services:\n  web:\n    image: {image}\n");
        check_repo_texts::<ComposePlugin>(&[("compose.yaml", &c)], "{}").iter().any(|f| f.rule == "image-latest")
    };
    for moving in ["postgres", "app:latest", "timescale/timescaledb:latest-pg16", "alpine:edge", "nginx:stable-alpine"]
    {
        assert!(fired(moving), "{moving}");
    }
    for pinned in
        ["postgres:16.4", "app:nightly-20240101", "nginx:1.27-alpine", "minio/minio:RELEASE.2025-04-03T14-56-28Z"]
    {
        assert!(!fired(pinned), "{pinned}");
    }
}

//! `dockerfile/final-base`: what the final stage starts from, which the backup
//! plugin reads to find a database run from the repository's own image.
use opslint_plugin_dockerfile::DockerfilePlugin;
use opslint_sdk::{check, CheckRequest, Document, EvidenceValue};

fn final_base(text: &str) -> Option<String> {
    let request = CheckRequest {
        documents: vec![Document { path: "db/Dockerfile".into(), kind: "dockerfile".into(), text: text.into() }],
        rules: Vec::new(),
        options: "{}".into(),
    };
    let out = check::<DockerfilePlugin>(request).expect("check");
    out.evidence.into_iter().find(|e| e.key == "dockerfile/final-base").map(|e| match e.value {
        EvidenceValue::Text(t) => t,
        other => format!("{other:?}"),
    })
}

#[test]
fn the_final_stage_is_followed_to_the_image_it_starts_from() {
    assert_eq!(
        final_base("FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/\n").as_deref(),
        Some("postgres:16")
    );
    let multi = "FROM golang:1.22 AS build\nRUN go build\nFROM mysql:8.4 AS db\nFROM db\nCOPY x /y\n";
    assert_eq!(final_base(multi).as_deref(), Some("mysql:8.4"));
    assert_eq!(
        final_base("FROM --platform=linux/amd64 postgis/postgis:16-3.4\n").as_deref(),
        Some("postgis/postgis:16-3.4")
    );
    assert_eq!(final_base("FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build /app /app\n"), None);
}

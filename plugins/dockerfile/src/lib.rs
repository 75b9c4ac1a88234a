//! opslint's Dockerfile plugin: a parser that keeps exact spans, and one rule per file in `rules/`.
#![forbid(unsafe_code)]

pub mod parse;
mod prelude;
mod util;
pub mod rules {
    include!(concat!(env!("OUT_DIR"), "/rules.rs"));
}

use opslint_sdk::{Ctx, EvidenceMeta, EvidenceValue, FileMatcher, Plugin, Registered};

pub struct DockerfilePlugin;

impl Plugin for DockerfilePlugin {
    type Doc = parse::Dockerfile;
    const NAME: &'static str = "dockerfile";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str = "Dockerfile and Containerfile checks";

    fn files() -> Vec<FileMatcher> {
        // Every spelling real repositories use: `Dockerfile.prod`, `Dockerfile-prod`,
        // `Dockerfile_prod`, `prod.Dockerfile`, `Containerfile.prod`… More in
        // `[files.extend-include] dockerfile = […]` (docs/configuration.md).
        let globs = [
            "**/Dockerfile",
            "**/dockerfile",
            "**/Dockerfile.*",
            "**/Dockerfile-*",
            "**/Dockerfile_*",
            "**/*.Dockerfile",
            "**/*.dockerfile",
            "**/Containerfile",
            "**/containerfile",
            "**/Containerfile.*",
            "**/Containerfile-*",
            "**/Containerfile_*",
            "**/*.Containerfile",
            "**/*.containerfile",
        ];
        // Context first: `Dockerfile.dockerignore` must not be read as a Dockerfile.
        let ignores = ["**/.dockerignore", "**/*.dockerignore"];
        vec![
            FileMatcher { kind: "context-dockerignore".into(), globs: ignores.iter().map(|g| g.to_string()).collect() },
            FileMatcher { kind: "dockerfile".into(), globs: globs.iter().map(|g| g.to_string()).collect() },
        ]
    }

    fn rules() -> &'static [Registered<parse::Dockerfile>] {
        rules::RULES
    }

    fn parse(cx: &mut Ctx) -> Option<parse::Dockerfile> {
        parse::parse_reporting(cx)
    }

    fn evidence() -> Vec<EvidenceMeta> {
        let e = |key: &str, description: &str| EvidenceMeta { key: key.into(), description: description.into() };
        vec![
            e("dockerfile/base-images", "images the stages are built FROM (earlier stages and scratch excluded)"),
            e("dockerfile/exposed-ports", "ports the final image EXPOSEs"),
            e("dockerfile/healthcheck", "whether the final image declares a HEALTHCHECK (NONE counts)"),
            e("dockerfile/non-root-user", "whether the final image runs as a non-root USER"),
            e("dockerfile/multi-stage", "whether the Dockerfile has more than one stage"),
            e("dockerfile/final-base", "the image the final stage starts from, through the stages it builds on (a compose service or a k8s workload running this image runs that: `FROM postgres` is a database)"),
        ]
    }

    fn collect_evidence(cx: &mut Ctx, df: &parse::Dockerfile) {
        let Some(last) = df.final_stage() else { return };
        let lineage = df.lineage(last);
        let images: Vec<String> = df
            .stages
            .iter()
            .filter(|s| s.parent.is_none() && !s.image.is_scratch() && !s.image.text.is_empty())
            .map(|s| s.image.text.clone())
            .collect();
        let first = df.stages.first().map(|s| s.image_span.clone());
        cx.evidence("dockerfile/base-images", EvidenceValue::Items(images), first);
        let mut ports = Vec::new();
        for s in &lineage {
            for ins in util::in_stage(df, s, "EXPOSE") {
                ports.extend(ins.words.iter().map(|w| w.value.clone()));
            }
        }
        let expose = lineage.iter().find_map(|s| util::in_stage(df, s, "EXPOSE").next()).map(|i| i.span.clone());
        cx.evidence("dockerfile/exposed-ports", EvidenceValue::Items(ports), expose);
        let hc = lineage.iter().find_map(|s| util::in_stage(df, s, "HEALTHCHECK").last());
        cx.evidence("dockerfile/healthcheck", EvidenceValue::Flag(hc.is_some()), hc.map(|i| i.span.clone()));
        let user = lineage.iter().find_map(|s| util::in_stage(df, s, "USER").last());
        let non_root = user.is_some_and(|u| {
            let name = u.words.first().map_or("", |w| w.value.split(':').next().unwrap_or(""));
            !name.is_empty() && name != "root" && name != "0"
        }) || user.is_none() && last.image.tag.as_deref().is_some_and(|t| t.contains("nonroot"));
        cx.evidence("dockerfile/non-root-user", EvidenceValue::Flag(non_root), user.map(|i| i.span.clone()));
        cx.evidence("dockerfile/multi-stage", EvidenceValue::Flag(df.stages.len() > 1), Some(last.image_span.clone()));
        if let Some(root) = lineage.last().filter(|s| !s.image.is_scratch() && !s.image.text.is_empty()) {
            cx.evidence(
                "dockerfile/final-base",
                EvidenceValue::Text(root.image.text.clone()),
                Some(root.image_span.clone()),
            );
        }
    }
}

opslint_sdk::export_plugin!(DockerfilePlugin);

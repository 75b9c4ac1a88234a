//! opslint's Dockerfile plugin: a parser that keeps exact spans, and one rule per file in `rules/`.
#![forbid(unsafe_code)]

pub mod parse;
mod prelude;
pub mod rules {
    include!(concat!(env!("OUT_DIR"), "/rules.rs"));
}

use opslint_sdk::{Ctx, FileMatcher, Plugin, Registered};

pub struct DockerfilePlugin;

impl Plugin for DockerfilePlugin {
    type Doc = parse::Dockerfile;
    const NAME: &'static str = "dockerfile";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str = "Dockerfile and Containerfile checks";

    fn files() -> Vec<FileMatcher> {
        let globs = [
            "**/Dockerfile",
            "**/Dockerfile.*",
            "**/*.Dockerfile",
            "**/*.dockerfile",
            "**/Containerfile",
            "**/Containerfile.*",
        ];
        vec![FileMatcher { kind: "dockerfile".into(), globs: globs.iter().map(|g| g.to_string()).collect() }]
    }

    fn rules() -> &'static [Registered<parse::Dockerfile>] {
        rules::RULES
    }

    fn parse(cx: &mut Ctx) -> Option<parse::Dockerfile> {
        parse::parse_reporting(cx)
    }
}

opslint_sdk::export_plugin!(DockerfilePlugin);

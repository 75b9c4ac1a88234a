//! ## What it does
//! Flags `COPY --from=<name>` where `<name>` is not a stage defined before
//! the instruction: a later stage, a stage index that does not exist yet, or
//! a bare name that is a near miss of a stage name (`build` for `builder`,
//! `asets` for `assets`: a typo, which Docker then pulls as an image).
//! References that are clearly images (`--from=nginx:1.27`,
//! `--from=ghcr.io/org/tool`) and variables are fine. A bare name unlike
//! every stage (`--from=templates` beside stages `mailpit` and
//! `repo-fetcher`) is most often a named build context that the build
//! supplies (`docker buildx build --build-context templates=../templates`,
//! a bake file's `contexts`, compose's `additional_contexts`), which one
//! Dockerfile cannot show; it is not reported.
//!
//! ## Why is this bad?
//! A misspelt stage name does not fail: Docker tries to pull an image with
//! that name (from Docker Hub, `latest`), which either fails late with a
//! confusing error or, worse, succeeds with someone else's image.
//!
//! ## Example
//! ```dockerfile
//! FROM golang:1.22 AS builder
//! RUN go build -o /out/app .
//! FROM gcr.io/distroless/static:nonroot
//! COPY --from=build /out/app /app
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM golang:1.22 AS builder
//! RUN go build -o /out/app .
//! FROM gcr.io/distroless/static:nonroot
//! COPY --from=builder /out/app /app
//! ```
use crate::prelude::*;
use opslint_knowledge::words;

pub const META: Meta = Meta {
    summary: "COPY --from a stage that is not defined before it",
    severity: Severity::Medium,
    aliases: &["DL3022"],
    tags: &["correctness", "supply-chain"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for ins in df.instructions.iter().filter(|i| i.is("COPY") || i.is("ADD")) {
        let (Some(flag), Some(cur)) = (ins.flag("from"), ins.stage) else { continue };
        let Some(v) = flag.value.as_deref() else { continue };
        if v.is_empty() || v.contains('$') || v.contains(':') || v.contains('/') || v.contains('@') {
            continue;
        }
        match df.stage_ref(v) {
            Some(s) if s.index < cur => {}
            Some(s) if s.index == cur => {} // copy-from-own-stage
            Some(s) => {
                cx.report(flag.span.clone(), format!("`--from={v}` refers to stage {} which is defined later", s.index))
                    .related(df.instructions[s.from].span.clone(), "defined here")
                    .help("move the stage above this instruction");
            }
            None if v.bytes().all(|b| b.is_ascii_digit()) => {
                cx.report(flag.span.clone(), format!("`--from={v}`: there is no stage {v} before this instruction"))
                    .help("use the name (`AS name`) of an earlier stage");
            }
            None => {
                let names: Vec<&str> =
                    df.stages[..cur.min(df.stages.len())].iter().filter_map(|s| s.name.as_ref().map(|n| n.value.as_str())).collect();
                // Unlike every stage: a named build context given at build time.
                let Some(near) = names.iter().find(|n| words::near_miss(v, n)) else { continue };
                cx.report(flag.span.clone(), format!("`--from={v}` is not a stage (did you mean `{near}`?); Docker would pull an image `{v}`"))
                    .help("fix the stage name, or write the image with its tag (`--from=image:tag`)");
            }
        }
    }
}

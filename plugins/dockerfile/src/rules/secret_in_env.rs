//! ## What it does
//! Flags `ENV` and `ARG` instructions that put a secret into the image: a
//! variable named like a credential (`DB_PASSWORD`, `NPM_TOKEN`, `API_KEY`,
//! `AWS_SECRET_ACCESS_KEY`) given a literal value, and any value holding a
//! URL with a password (`postgres://app:s3cret@db/app`). A secret-named `ARG`
//! without a default is reported at a lower severity: its value is still
//! recorded in the image history when a `RUN` uses it. Names that point at a
//! secret rather than hold one (`TOKEN_FILE`, `PASSWORD_PATH`, `API_KEY_ID`)
//! and switches (`USE_TOKEN=true`) are not flagged, nor are values that
//! stand for a secret (`<your-token>`, `changeme`, `__TOKEN__`, `xxxx`, and
//! in an `ENV` a counting run of digits such as `123456`, the universal dummy
//! default that the container's start script replaces): an `ARG` with such
//! a default is reported as a build argument without one.
//!
//! ## Why is this bad?
//! `ENV` values are stored in the image config and `ARG` values in its
//! history: anyone who can pull the image (or read the Dockerfile in git) can
//! read them, and rotating the secret means rebuilding every image.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12-slim
//! ENV DATABASE_PASSWORD=s3cr3t
//! ARG NPM_TOKEN=npm_abc123
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM python:3.12-slim
//! # at build time: a secret mount, never stored in a layer
//! RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
//! # at run time: inject DATABASE_PASSWORD from the orchestrator's secret store
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "secret in an ENV or ARG value",
    severity: Severity::High,
    aliases: &["SecretsUsedInArgOrEnv"],
    tags: &["security", "secrets"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for ins in df.instructions.iter().filter(|i| i.is("ENV") || i.is("ARG")) {
        for kv in ins.pairs() {
            if let Some(v) = &kv.value {
                if let Some(r) = url_credentials(&v.value) {
                    let secret = &v.value[r.clone()];
                    let example = !is_reference(secret) && opslint_knowledge::secrets::placeholder("", secret);
                    if !example && (!is_reference(secret) || ins.is("ENV")) {
                        let span = sub_span(cx.text, v, r);
                        cx.report(span, format!("`{} {}` holds a URL with credentials", ins.keyword, kv.key))
                            .help("pass the credentials at run time (or with a build secret mount), not in the Dockerfile");
                        continue;
                    }
                }
            }
            if !is_secret_name(&kv.key) {
                continue;
            }
            match &kv.value {
                Some(v) if is_trivial_value(&v.value) => {}
                // `<your-token>`, `changeme`, `__TOKEN__`: an example to replace, not a
                // secret; an ENV is then set at run time, an ARG at build time (below).
                Some(v)
                    if ins.is("ENV")
                        && !is_reference(&v.value)
                        && (opslint_knowledge::secrets::placeholder(&kv.key, &v.value) || counting_digits(&v.value)) => {}
                Some(v) if is_reference(&v.value) => {
                    if ins.is("ENV") {
                        cx.report(kv.span.clone(), format!("`ENV {}` copies `{}` into the image configuration", kv.key, v.value))
                            .severity(Severity::Medium)
                            .help("set it at run time instead; at build time use `RUN --mount=type=secret`");
                    }
                }
                Some(v) if !opslint_knowledge::secrets::placeholder(&kv.key, &v.value) => {
                    cx.report(v.span.clone(), format!("`{} {}` has a literal secret value", ins.keyword, kv.key))
                        .help("remove the value from the Dockerfile; use `RUN --mount=type=secret` at build time or inject it at run time");
                }
                // No value, or an example one: the real value comes with `--build-arg`.
                _ => {
                    cx.report(kv.key_span.clone(), format!("build argument `{}` looks like a secret; build arguments are kept in the image history", kv.key))
                        .severity(Severity::Medium)
                        .help(format!("use `RUN --mount=type=secret,id={},env={}` and `docker build --secret` instead", kv.key.to_ascii_lowercase(), kv.key));
                }
            }
        }
    }
}

/// `1234`, `123456`, `0123456789`: digits counting up, a dummy nobody uses as a secret.
fn counting_digits(v: &str) -> bool {
    let b = v.trim_matches(|c| c == '"' || c == '\'').as_bytes();
    b.len() >= 4 && b.iter().all(u8::is_ascii_digit) && b.windows(2).all(|w| w[1] == w[0] + 1)
}

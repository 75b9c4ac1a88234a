//! ## What it does
//! Flags `RUN` instructions that handle credentials without a secret mount:
//! URLs with a password or token (`git clone https://user:pass@…`), literal
//! `--password`/`--token` options and `docker login -p`, `curl -u user:pass`,
//! `npm config set …_authToken`, and credentials written into files such as
//! `~/.npmrc`, `~/.netrc`, `~/.pypirc`, `~/.git-credentials` or
//! `~/.docker/config.json`. A `RUN` with `--mount=type=secret` (or `ssh`) is
//! trusted to read its secrets from the mount.
//!
//! ## Why is this bad?
//! Every `RUN` leaves its command line in the image history and its files in
//! a layer. Deleting the file in a later step does not remove it from the
//! earlier layer; anyone who pulls the image can read the credential.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20-slim
//! ARG NPM_TOKEN
//! RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc && npm ci
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM node:20-slim
//! RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "credentials handled in RUN without a secret mount",
    severity: Severity::High,
    tags: &["security", "secrets"],
    ..Meta::DEFAULT
};

const CREDENTIAL_FILES: &[&str] =
    &[".npmrc", ".netrc", ".pypirc", ".git-credentials", ".docker/config.json", ".aws/credentials", ".yarnrc.yml", "pip.conf"];
const SECRET_OPTIONS: &[&str] =
    &["--password", "--passwd", "--token", "--api-key", "--apikey", "--secret", "--client-secret", "--auth-token"];

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for (_, ins) in runs(df) {
        if ins.has_secret_mount() {
            continue;
        }
        for cmd in &ins.commands {
            check_command(cx, cmd);
        }
    }
}

fn check_command(cx: &mut Ctx, cmd: &Command) {
    let name = cmd.name().to_string();
    for w in &cmd.words {
        if let Some(r) = url_credentials(&w.value) {
            let span = sub_span(cx.text, w, r);
            cx.report(span, format!("`{name}` is given a URL with credentials"))
                .help("mount the credential with `RUN --mount=type=secret` (or use `--mount=type=ssh` for git) instead of putting it in the URL");
            return;
        }
    }
    let args = cmd.args();
    for (k, a) in args.iter().enumerate() {
        let v = a.value.as_str();
        let (opt, value) = match v.split_once('=') {
            Some((o, val)) if o.starts_with("--") => (o, Some(val)),
            _ => (v, args.get(k + 1).map(|n| n.value.as_str())),
        };
        let is_secret_opt = SECRET_OPTIONS.contains(&opt)
            || opt == "-p" && matches!(name.as_str(), "docker" | "podman" | "buildah" | "skopeo" | "helm")
                && cmd.subcommand().is_some_and(|s| s.value == "login");
        let is_curl_user = (opt == "-u" || opt == "--user") && matches!(name.as_str(), "curl" | "wget");
        // Only an option that takes a credential has its value judged (most arguments are none).
        let (true, Some(value)) = (is_secret_opt || is_curl_user, value) else { continue };
        // A variable is a build argument kept in the image history (a secret
        // mount would have skipped this RUN); `<password>` or `changeme` is an example.
        let example = !value.starts_with('$') && opslint_knowledge::secrets::placeholder("", value.rsplit(':').next().unwrap_or(value));
        if !example && ((is_secret_opt && !value.starts_with('-')) || (is_curl_user && value.contains(':'))) {
            cx.report(a.span.clone(), format!("`{name} {opt}` passes a credential on the command line"))
                .help("read it from a secret mount (`RUN --mount=type=secret,id=…`), e.g. with `--password-stdin`");
            return;
        }
    }
    if name == "npm" || name == "yarn" || name == "pnpm" {
        if let Some(w) = args.iter().find(|w| w.value.contains("_authToken") || w.value.contains("_auth=") || w.value == "_auth") {
            if args.iter().any(|a| a.value == "set") {
                cx.report(w.span.clone(), format!("`{name} config set` stores a registry token in the image"))
                    .help("mount an .npmrc with `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc` instead");
                return;
            }
        }
    }
    if name == "aws" && args.iter().any(|a| a.value == "configure") {
        if let Some(w) = args.iter().find(|a| a.value == "aws_secret_access_key" || a.value == "aws_session_token") {
            cx.report(w.span.clone(), "`aws configure set` stores AWS credentials in the image")
                .help("mount the credentials with `RUN --mount=type=secret,id=aws,target=/root/.aws/credentials`");
            return;
        }
    }
    if matches!(name.as_str(), "echo" | "printf" | "cat" | "tee") {
        let target = cmd
            .redirects
            .iter()
            .filter(|r| r.op == ">" || r.op == ">>")
            .filter_map(|r| r.target.as_ref())
            .chain(if name == "tee" { args.iter().filter(|a| !a.value.starts_with('-')).collect::<Vec<_>>() } else { Vec::new() })
            .find(|t| CREDENTIAL_FILES.iter().any(|f| t.value.ends_with(f)));
        let Some(target) = target else { return };
        let content = args.iter().map(|a| a.value.to_ascii_lowercase()).collect::<Vec<_>>().join(" ");
        let secretish = ["auth", "token", "password", "secret", "login ", "aws_secret"].iter().any(|k| content.contains(k));
        if secretish || (name == "tee" || name == "cat") && cmd.piped {
            cx.report(target.span.clone(), format!("credentials are written to `{}` in an image layer", target.value))
                .help("mount the file with `RUN --mount=type=secret,id=…,target=…` so it never lands in a layer");
        }
    }
}

//! ## What it does
//! Flags `COPY . …` / `ADD . …` (the whole build context) when the
//! repository has no `.dockerignore` that could apply: none in the
//! Dockerfile's directory or any directory above it, and no
//! `<Dockerfile>.dockerignore` beside it. The host passes the `.dockerignore`
//! files it found as the `context_files` option; without that option the
//! rule stays silent.
//!
//! ## Why is this bad?
//! Without a `.dockerignore`, `COPY . .` puts everything into the image:
//! `.git` history, `.env` files with credentials, local build output and
//! `node_modules`. It also busts the layer cache on every unrelated change.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20-slim
//! WORKDIR /app
//! COPY . .
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! # with a .dockerignore listing .git, .env, node_modules, …
//! FROM node:20-slim
//! WORKDIR /app
//! COPY . .
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "whole build context copied without a .dockerignore",
    severity: Severity::Medium,
    tags: &["security", "image-size"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    let Some(files) = cx.option::<Vec<String>>("context_files") else { return };
    if has_dockerignore(cx.path, &files) {
        return;
    }
    for ins in df.instructions.iter().filter(|i| i.is("COPY") || i.is("ADD")) {
        if ins.flag("from").is_some() {
            continue;
        }
        let (srcs, _) = ins.sources_and_dest();
        if let Some(src) = srcs.iter().find(|s| matches!(s.value.as_str(), "." | "./" | "*" | "./*")) {
            cx.report(src.span.clone(), format!("`{} {}` copies the whole build context and there is no .dockerignore", ins.keyword, src.value))
                .help("add a .dockerignore (at least `.git`, `.env*`, build output), or copy only the paths you need");
        }
    }
}

/// Whether a `.dockerignore` sits in the Dockerfile's directory or above, or
/// is the Dockerfile-specific `<path>.dockerignore`.
pub fn has_dockerignore(dockerfile: &str, files: &[String]) -> bool {
    let norm = |p: &str| p.replace('\\', "/").trim_start_matches("./").to_string();
    let path = norm(dockerfile);
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    files.iter().map(|f| norm(f)).any(|f| {
        if f == format!("{path}.dockerignore") {
            return true;
        }
        let Some(fdir) = f.strip_suffix(".dockerignore").map(|d| d.trim_end_matches('/')) else { return false };
        fdir.is_empty() || dir == fdir || dir.starts_with(&format!("{fdir}/"))
    })
}

#[cfg(test)]
mod tests {
    use super::has_dockerignore;

    #[test]
    fn finds_dockerignore_files() {
        let f = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(has_dockerignore("svc/api/Dockerfile", &f(&["svc/api/.dockerignore"])));
        assert!(has_dockerignore("svc/api/Dockerfile", &f(&[".dockerignore"])));
        assert!(has_dockerignore("svc/api/Dockerfile", &f(&["svc/.dockerignore"])));
        assert!(has_dockerignore("app.Dockerfile", &f(&["app.Dockerfile.dockerignore"])));
        assert!(!has_dockerignore("svc/api/Dockerfile", &f(&["svc/web/.dockerignore", "svc/api2/.dockerignore"])));
        assert!(!has_dockerignore("Dockerfile", &f(&[])));
    }
}

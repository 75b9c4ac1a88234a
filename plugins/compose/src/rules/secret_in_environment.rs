//! ## What it does
//! Flags an `environment:` variable whose name says it holds a secret
//! (`POSTGRES_PASSWORD`, `API_KEY`, `JWT_SECRET`) set to a literal value.
//! Not flagged: references filled in at run time (`${DB_PASSWORD}`), the
//! `_FILE` forms that name a mounted secret, and placeholders (`changeme`,
//! `<your-key>`, an empty value).
//!
//! ## Why is this bad?
//! The value is in the repository, its history and every clone, and in
//! `docker inspect` of the container. A default password committed here is
//! the password of every deployment that did not change it.
//!
//! ## Example
//! ```yaml
//! services:
//!   db:
//!     image: postgres:16
//!     environment:
//!       POSTGRES_PASSWORD: s3cr3t-pw
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   db:
//!     image: postgres:16
//!     environment:
//!       POSTGRES_PASSWORD_FILE: /run/secrets/db_password
//!     secrets: [db_password]
//! secrets:
//!   db_password:
//!     file: ./db_password.txt
//! ```
use crate::prelude::*;
use opslint_knowledge::secrets::{placeholder, secret_name};

pub const META: Meta = Meta {
    summary: "a secret written as a literal `environment:` value",
    severity: Severity::High,
    tags: &["security", "secrets"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        for s in view.judged() {
            for e in s.env() {
                let Some(value) = e.value.as_deref() else { continue };
                if !secret_name(&e.name) || key_id(&e.name) || literal_boolean(value) || crate::interpolate::has_reference(value) {
                    continue;
                }
                if placeholder(&e.name, value) {
                    continue;
                }
                if repo.first(cx, e.doc, &e.span) {
                    cx.report_in(e.doc, e.span.clone(), format!("service `{}`: `{}` is set to a literal value in the compose file", s.name, e.name))
                        .help("read it from the environment (`${VAR}` with the value in an uncommitted `.env`) or from a secret file (`secrets:` and the image's `_FILE` variable)");
                }
            }
        }
    }
}

/// `AWS_ACCESS_KEY`, `MINIO_ACCESS_KEY`: an S3 access key is the user name of the
/// pair; its secret is the `…SECRET…` variable beside it.
fn key_id(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    upper.ends_with("ACCESS_KEY") && !upper.contains("SECRET")
}

/// `true`/`false`/`yes`/`no`, numbers of one or two digits: settings, not secrets
/// (`POSTGRES_HOST_AUTH_METHOD`-like switches named after a secret).
fn literal_boolean(v: &str) -> bool {
    let v = v.trim().to_ascii_lowercase();
    matches!(v.as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "0" | "1") || (v.len() <= 2 && v.chars().all(|c| c.is_ascii_digit()))
}

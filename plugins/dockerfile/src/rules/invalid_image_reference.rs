//! ## What it does
//! Flags a `FROM` image that is not a valid image reference, so the build
//! stops before its first step: a digest written with `:` instead of `@`
//! (`image:sha256:…`), an upper-case repository name, a character outside
//! the reference grammar, an empty or over-long tag, or a digest that is not
//! `algorithm:hex`. Names of earlier stages, `scratch` and references that
//! depend on a build argument without a default (or with an empty one, to be
//! passed with `--build-arg`) are not checked.
//!
//! ## Why is this bad?
//! Docker refuses the reference ("invalid reference format") and nothing is
//! built; a digest pasted after a `:` is the usual way to get there when
//! pinning an image.
//!
//! ## Example
//! ```dockerfile
//! FROM python:sha256:3f1ca7d5e8b4f0f6c3d4a9e2b7c1d0e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM python@sha256:3f1ca7d5e8b4f0f6c3d4a9e2b7c1d0e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "FROM image that is not a valid image reference",
    severity: Severity::High,
    aliases: &["DL1000"],
    tags: &["correctness"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for stage in &df.stages {
        let img = &stage.image;
        if !img.known || img.text.is_empty() || img.is_scratch() || stage.parent.is_some() || img.text.contains('$') {
            continue;
        }
        // `ARG V=` then `FROM x:${V}`: an empty default means "always passed with --build-arg".
        let raw = cx.text.get(stage.image_span.clone()).unwrap_or("");
        let empty_arg = df.global_args.iter().any(|(k, v)| v.as_deref() == Some("") && raw.contains(k.as_str()));
        if raw.contains('$') && empty_arg {
            continue;
        }
        let Some(problem) = problem(img) else { continue };
        let f = cx.report(stage.image_span.clone(), format!("`{}` is not a valid image reference: {problem}", img.text));
        match digest_after_colon(&img.text) {
            Some(fixed) => f.help(format!("write the digest after `@`: `{fixed}`")),
            None => f.help("write the image as `[registry/]name[:tag][@algorithm:digest]`, the name in lower case"),
        };
    }
}

fn problem(img: &ImageRef) -> Option<String> {
    if digest_after_colon(&img.text).is_some() {
        return Some("a digest must follow `@`, not `:`".into());
    }
    if let Some(host) = &img.registry {
        let (name, port) = host.split_once(':').unwrap_or((host, "1"));
        let host_ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
        if !host_ok || port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return Some(format!("registry `{host}` is not a host name with an optional port"));
        }
    }
    if img.name.is_empty() {
        return Some("the repository name is empty".into());
    }
    if img.name.bytes().any(|b| b.is_ascii_uppercase()) {
        return Some(format!("repository name `{}` must be lower case", img.name));
    }
    if !img.name.split('/').all(path_component) {
        return Some(format!("repository name `{}` has a character or separator a name cannot have", img.name));
    }
    if let Some(tag) = &img.tag {
        let first_ok = tag.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !first_ok || tag.len() > 128 || !tag.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b)) {
            return Some(format!("tag `{tag}` is not 1-128 letters, digits, `_`, `.` or `-` (not starting with `.` or `-`)"));
        }
    }
    if let Some(d) = &img.digest {
        let ok = d.split_once(':').is_some_and(|(alg, hex)| {
            !alg.is_empty()
                && alg.bytes().all(|b| b.is_ascii_alphanumeric() || b"+.-_".contains(&b))
                && hex.len() >= 32
                && hex.bytes().all(|b| b.is_ascii_hexdigit())
        });
        if !ok {
            return Some(format!("digest `{d}` is not `algorithm:hex`"));
        }
    }
    None
}

/// A path component: lower-case letters and digits, separated by `.`, `_`, `__` or dashes.
fn path_component(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_lowercase() || b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let sep_len = b[i..].iter().take_while(|x| !x.is_ascii_alphanumeric()).count();
        let sep = &c[i..i + sep_len];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-')) {
            return false;
        }
        i += sep_len;
    }
    true
}

/// `name:sha256:<hex>` → `name@sha256:<hex>` (also after a tag: `name:1.2:sha256:<hex>`).
fn digest_after_colon(text: &str) -> Option<String> {
    if text.contains('@') {
        return None;
    }
    let at = text.find(":sha256:").or_else(|| text.find(":sha512:"))?;
    let hex = &text[at + 8..];
    (hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| format!("{}@{}", &text[..at], &text[at + 1..]))
}

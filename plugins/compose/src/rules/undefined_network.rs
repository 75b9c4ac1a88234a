//! ## What it does
//! Flags a service network (`networks: [backend]`) that no top-level
//! `networks:` of the project declares (`default` needs no declaration).
//!
//! ## Why is this bad?
//! `docker compose up` refuses the project ("service refers to undefined
//! network").
//!
//! ## Example
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//!     networks: [backend]
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//!     networks: [backend]
//! networks:
//!   backend:
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a network the project does not declare",
    severity: Severity::High,
    tags: &["correctness"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        let declared = view.declared.get("networks");
        for s in view.judged() {
            for at in s.all("networks") {
                let v = at.value();
                let names: Vec<(&str, std::ops::Range<usize>)> = if v.is_map() {
                    v.entries().iter().filter_map(|e| Some((e.key_str()?, e.key.span.clone()))).collect()
                } else {
                    v.items().iter().filter_map(|i| Some((i.as_str()?, i.span.clone()))).collect()
                };
                for (name, span) in names {
                    if name == "default" || name.contains('$') || declared.is_some_and(|d| d.contains(name)) || view.folder_has("networks", name) {
                        continue;
                    }
                    if repo.first(cx, at.doc, &span) {
                        cx.report_in(at.doc, span, format!("service `{}` joins network `{name}`, which no top-level `networks:` declares", s.name))
                            .help("declare it under top-level `networks:` (with `external: true` if another project creates it)");
                    }
                }
            }
        }
    }
}

//! ## What it does
//! Flags a reference to a service the project does not define:
//! `depends_on`, `links`, `volumes_from` and `network_mode: service:NAME`
//! (the project: the file with its override or the files it is merged with,
//! `include:`d files, `extends:`).
//!
//! ## Why is this bad?
//! `docker compose up` refuses the project ("depends on undefined service"):
//! usually a service renamed in one place and not the other.
//!
//! ## Example
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//!     depends_on: [database]
//!   db:
//!     image: postgres:16
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//!     depends_on: [db]
//!   db:
//!     image: postgres:16
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a reference to a service the project does not define",
    severity: Severity::High,
    tags: &["correctness"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        for s in view.judged() {
            let mut refs: Vec<(usize, String, std::ops::Range<usize>, &str)> =
                s.deps().into_iter().map(|d| (d.doc, d.name, d.span, if d.link { "links" } else { "depends_on" })).collect();
            for at in s.all("volumes_from") {
                for i in at.value().items() {
                    let Some(t) = i.as_str() else { continue };
                    // `service:name`, `container:name` (not a service), or a bare service name.
                    let name = match t.split_once(':') {
                        Some(("container", _)) => continue,
                        Some(("service", n)) => n,
                        _ => t,
                    };
                    let name = name.split(':').next().unwrap_or(name);
                    refs.push((at.doc, name.to_string(), i.span.clone(), "volumes_from"));
                }
            }
            for key in ["network_mode", "pid", "ipc"] {
                if let Some(at) = s.get(key) {
                    if let Some(n) = at.value().as_str().and_then(|v| v.strip_prefix("service:")) {
                        refs.push((at.doc, n.to_string(), at.value().span.clone(), key));
                    }
                }
            }
            for (doc, name, span, key) in refs {
                if name.contains('$') || view.service(&name).is_some() || view.folder_has("services", &name) {
                    continue;
                }
                if repo.first(cx, doc, &span) {
                    cx.report_in(doc, span, format!("service `{}` refers to `{name}` in `{key}`, but the project defines no such service", s.name))
                        .help("name a service of the project (check for a rename), or add the file that defines it (`include:`)");
                }
            }
        }
    }
}

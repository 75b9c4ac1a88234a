//! Which plugin reads which file, from each plugin's declared file matchers.
//! Matchers whose kind starts with `context` are not linted: their paths are
//! passed to the plugin as `context_files` in its options (e.g. `.dockerignore`).
//! Matchers of kind `evidence` name evidence keys, not files (`app/phases.rs`).
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::plugin::Loaded;
use crate::walk::Target;

pub struct Router {
    /// Per plugin: (kind, globs) in declaration order.
    plugins: Vec<Vec<(String, GlobSet)>>,
}

impl Router {
    pub fn new(plugins: &[&Loaded]) -> Router {
        let plugins = plugins
            .iter()
            .map(|p| {
                p.meta
                    .files
                    .iter()
                    .map(|m| {
                        // An `evidence` matcher's globs name evidence keys, never files.
                        if m.kind == EVIDENCE_KIND {
                            return (m.kind.clone(), GlobSet::empty());
                        }
                        let mut b = GlobSetBuilder::new();
                        for g in &m.globs {
                            if let Ok(glob) = GlobBuilder::new(g).literal_separator(true).build() {
                                b.add(glob);
                            }
                        }
                        (m.kind.clone(), b.build().unwrap_or_else(|_| GlobSet::empty()))
                    })
                    .collect()
            })
            .collect();
        Router { plugins }
    }

    /// The kind plugin `index` reads `target` as, if any.
    pub fn kind(&self, index: usize, target: &Target) -> Option<&str> {
        self.plugins[index].iter().find(|(_, set)| set.is_match(&target.rel)).map(|(k, _)| k.as_str())
    }
}

/// The matcher kind that puts a plugin in the evidence phase (`app/phases.rs`).
pub const EVIDENCE_KIND: &str = "evidence";

pub fn is_context(kind: &str) -> bool {
    kind.starts_with("context")
}

//! Which plugin reads which file, from each plugin's declared file matchers.
//! Matchers whose kind starts with `context` are not linted: their paths are
//! passed to the plugin as `context_files` in its options (e.g. `.dockerignore`).
//! Matchers of kind `evidence` name evidence keys, not files (`app/check/evidence.rs`).
use globset::{Candidate, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::plugin::Loaded;
use crate::walk::Target;

pub struct Router {
    /// Per plugin: (kind, globs) in declaration order.
    plugins: Vec<Vec<(String, GlobSet)>>,
}

impl Router {
    /// `extra`: (plugin, kind, globs) the configuration adds (`[files.extend-include]`);
    /// they come first after the plugin's context matchers, so they win over its own globs.
    pub fn new(plugins: &[&Loaded], extra: &[(String, String, GlobSet)]) -> Router {
        let plugins = plugins
            .iter()
            .map(|p| {
                let (context, own): (Vec<_>, Vec<_>) = p.meta.files.iter().partition(|m| is_context(&m.kind));
                let added =
                    extra.iter().filter(|(name, _, _)| *name == p.name).map(|(_, k, set)| (k.clone(), set.clone()));
                let context = context.into_iter().map(|m| matcher(&m.kind, &m.globs));
                context.chain(added).chain(own.into_iter().map(|m| matcher(&m.kind, &m.globs))).collect()
            })
            .collect();
        Router { plugins }
    }

    /// The kind plugin `index` reads `target` as, if any.
    pub fn kind(&self, index: usize, target: &Target) -> Option<&str> {
        self.kind_of(index, &Candidate::new(&target.rel))
    }

    /// The kind each plugin reads `target` as: its path prepared for matching
    /// once, not once per matcher of every plugin.
    pub fn kinds(&self, target: &Target) -> Vec<Option<&str>> {
        let candidate = Candidate::new(&target.rel);
        (0..self.plugins.len()).map(|i| self.kind_of(i, &candidate)).collect()
    }

    fn kind_of(&self, index: usize, candidate: &Candidate) -> Option<&str> {
        self.plugins[index].iter().find(|(_, set)| set.is_match_candidate(candidate)).map(|(k, _)| k.as_str())
    }
}

/// The matcher kind that puts a plugin in the evidence phase (`app/check/evidence.rs`).
pub const EVIDENCE_KIND: &str = "evidence";

pub fn is_context(kind: &str) -> bool {
    kind.starts_with("context")
}

fn matcher(kind: &str, globs: &[String]) -> (String, GlobSet) {
    // An `evidence` matcher's globs name evidence keys, never files.
    if kind == EVIDENCE_KIND {
        return (kind.to_string(), GlobSet::empty());
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        if let Ok(glob) = GlobBuilder::new(g).literal_separator(true).build() {
            b.add(glob);
        }
    }
    (kind.to_string(), b.build().unwrap_or_else(|_| GlobSet::empty()))
}

//! Which plugin reads which file, from each plugin's declared file matchers.
//! Matchers whose kind starts with `context` are not linted: their paths are
//! passed to the plugin as `context_files` in its options (e.g. `.dockerignore`).
//! Matchers of kind `evidence` name evidence keys, not files (`app/check/evidence.rs`);
//! one of kind `folder-scope` names none.
use globset::{Candidate, Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::plugin::bindings::FileMatcher;
use crate::plugin::Loaded;
use crate::walk::Target;

pub struct Router {
    /// Every plugin's declared globs in one set, so a path is matched once
    /// for all plugins: glob `i` stands for matcher `owners[i]` = (plugin, matcher).
    all: GlobSet,
    owners: Vec<(usize, usize)>,
    /// Per plugin: its matchers' kinds in order, with a set of their own for
    /// those the configuration adds (already built as sets).
    plugins: Vec<Vec<(String, Option<GlobSet>)>>,
}

impl Router {
    /// `extra`: (plugin, kind, globs) the configuration adds (`[files.extend-include]`);
    /// they come first after the plugin's context matchers, so they win over its own globs.
    pub fn new(plugins: &[&Loaded], extra: &[(String, String, GlobSet)]) -> Router {
        let mut globs: Vec<(Glob, (usize, usize))> = Vec::new();
        let mut matchers: Vec<Vec<(String, Option<GlobSet>)>> = Vec::new();
        for (pi, p) in plugins.iter().enumerate() {
            let (context, own): (Vec<_>, Vec<_>) = p.meta.files.iter().partition(|m| is_context(&m.kind));
            let added = extra.iter().filter(|(name, _, _)| *name == p.name).map(|(_, k, set)| (k, &[][..], Some(set)));
            let order = context.into_iter().map(declared).chain(added).chain(own.into_iter().map(declared));
            let mut list: Vec<(String, Option<GlobSet>)> = Vec::new();
            for (kind, patterns, set) in order {
                if kind != EVIDENCE_KIND {
                    for g in patterns {
                        if let Ok(glob) = GlobBuilder::new(g).literal_separator(true).build() {
                            globs.push((glob, (pi, list.len())));
                        }
                    }
                }
                list.push((kind.clone(), set.cloned()));
            }
            matchers.push(list);
        }
        let mut b = GlobSetBuilder::new();
        for (glob, _) in &globs {
            b.add(glob.clone());
        }
        if let Ok(all) = b.build() {
            let owners = globs.into_iter().map(|(_, o)| o).collect();
            return Router { all, owners, plugins: matchers };
        }
        // Too large for one set: a set per matcher (one that cannot be built matches nothing).
        let mut each: std::collections::BTreeMap<(usize, usize), GlobSetBuilder> = Default::default();
        for (glob, at) in globs {
            each.entry(at).or_insert_with(GlobSetBuilder::new).add(glob);
        }
        for ((pi, mi), b) in each {
            matchers[pi][mi].1 = Some(b.build().unwrap_or_else(|_| GlobSet::empty()));
        }
        Router { all: GlobSet::empty(), owners: Vec::new(), plugins: matchers }
    }

    /// Each plugin's kind for `target`: its first matcher that matches.
    pub fn kinds(&self, target: &Target) -> Vec<Option<&str>> {
        let candidate = Candidate::new(&target.rel);
        let mut first: Vec<Option<usize>> = vec![None; self.plugins.len()];
        for i in self.all.matches_candidate(&candidate) {
            let (pi, mi) = self.owners[i];
            first[pi] = Some(first[pi].map_or(mi, |f| f.min(mi)));
        }
        for (pi, list) in self.plugins.iter().enumerate() {
            for (mi, (_, own)) in list.iter().enumerate() {
                let Some(set) = own else { continue };
                if first[pi].is_none_or(|f| mi < f) && set.is_match_candidate(&candidate) {
                    first[pi] = Some(mi);
                }
            }
        }
        first.iter().enumerate().map(|(pi, f)| f.map(|mi| self.plugins[pi][mi].0.as_str())).collect()
    }
}

/// The matcher kind that puts a plugin in the evidence phase (`app/check/evidence.rs`).
pub const EVIDENCE_KIND: &str = "evidence";

/// The matcher kind by which a repository-scope plugin says its cross-file
/// work stays within a folder: its batch may be split by folder (`app/check/batches.rs`).
pub const FOLDER_SCOPE_KIND: &str = "folder-scope";

pub fn is_context(kind: &str) -> bool {
    kind.starts_with("context")
}

/// A matcher the plugin declares: its kind and globs, matched in the one set.
fn declared(m: &FileMatcher) -> (&String, &[String], Option<&GlobSet>) {
    (&m.kind, &m.globs, None)
}

//! `check --fix` and `--diff`: which fixes apply, applying them pass after
//! pass to the texts the plugins saw, then writing each changed file once
//! (atomically, permissions kept) or printing unified diffs.
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use super::check::SourceFile;
use crate::error::Error;
use crate::finding::Finding;

/// Passes at most: a fix that keeps producing fixes (or two that undo each
/// other) cannot loop for ever.
pub const MAX_PASSES: usize = 10;

/// Whether `--fix` applies this finding's fix.
pub fn applies(f: &Finding, unsafe_fixes: bool) -> bool {
    f.suppression.is_none()
        && f.fix.as_ref().is_some_and(|x| {
            !x.edits.is_empty()
                && match x.applicability {
                    "safe" => true,
                    "unsafe" => unsafe_fixes,
                    _ => false,
                }
        })
}

/// One file being fixed.
struct FileFix {
    abs: PathBuf,
    /// Standard input: diffed, never written.
    stdin: bool,
    /// A UTF-8 byte-order mark the plugins did not see, put back on write.
    bom: bool,
    original: String,
    text: String,
}

#[derive(Default)]
pub struct Fixer {
    unsafe_fixes: bool,
    /// By displayed path, so output is in path order.
    files: BTreeMap<String, FileFix>,
    /// Fixes applied, over every pass.
    pub fixed: usize,
    /// Files with fixes left alone, and why (their text is not the file's bytes).
    pub refused: BTreeMap<String, String>,
}

impl Fixer {
    pub fn new(unsafe_fixes: bool) -> Fixer {
        Fixer { unsafe_fixes, ..Fixer::default() }
    }

    /// Applies the fixes in `findings` (one pass); returns how many applied.
    pub fn pass(&mut self, findings: &[Finding], sources: &[SourceFile]) -> usize {
        let mut by_file: BTreeMap<&str, Vec<Vec<opslint_fix::Edit>>> = BTreeMap::new();
        for f in findings.iter().filter(|f| applies(f, self.unsafe_fixes)) {
            let edits = f.fix.as_ref().map_or_else(Vec::new, |x| {
                x.edits
                    .iter()
                    .map(|e| opslint_fix::Edit {
                        range: e.start as usize..e.end as usize,
                        replacement: e.replacement.clone(),
                    })
                    .collect()
            });
            by_file.entry(f.path.as_str()).or_default().push(edits);
        }
        let mut applied = 0;
        for (path, fixes) in by_file {
            if self.refused.contains_key(path) {
                continue;
            }
            let Some(source) = sources.iter().find(|s| s.display == path && !s.extra) else { continue };
            if !self.files.contains_key(path) {
                match FileFix::open(source) {
                    Ok(file) => self.files.insert(path.to_string(), file),
                    Err(why) => {
                        self.refused.insert(path.to_string(), why);
                        continue;
                    }
                };
            }
            let file = self.files.get_mut(path).expect("inserted above");
            // The findings were made on the text of the last pass, which is `file.text`.
            let (new, done) = opslint_fix::apply(&file.text, &fixes);
            if new != file.text {
                file.text = new;
                applied += done.len();
            }
        }
        self.fixed += applied;
        applied
    }

    /// The fixed texts by absolute path: what the next pass reads instead of
    /// the disk (or of standard input, which was read once).
    pub fn texts(&self) -> HashMap<PathBuf, String> {
        self.files.values().filter(|f| f.text != f.original).map(|f| (f.abs.clone(), f.text.clone())).collect()
    }

    /// Files whose text changed.
    pub fn changed(&self) -> usize {
        self.files.values().filter(|f| f.text != f.original).count()
    }

    /// Writes every changed file; each once, atomically, keeping its permissions.
    pub fn write(&self) -> Result<(), Error> {
        for f in self.files.values().filter(|f| f.text != f.original && !f.stdin) {
            let mut bytes = Vec::with_capacity(f.text.len() + 3);
            if f.bom {
                bytes.extend_from_slice("\u{feff}".as_bytes());
            }
            bytes.extend_from_slice(f.text.as_bytes());
            crate::output::write_atomic(&f.abs, &bytes)?;
        }
        Ok(())
    }

    /// Unified diffs of the changed files, in path order.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for (path, f) in self.files.iter().filter(|(_, f)| f.text != f.original) {
            let diff = similar::TextDiff::from_lines(&f.original, &f.text);
            let mut unified = diff.unified_diff();
            unified.context_radius(3).header(&format!("a/{path}"), &format!("b/{path}"));
            out.push_str(&unified.to_string());
            if !out.ends_with('\n') {
                out.push('\n');
            }
        }
        out
    }
}

impl FileFix {
    /// The file as it is on disk, when that is exactly the text the plugins
    /// saw (the host may have replaced invalid UTF-8 or blanked the maturity
    /// block; offsets into such a text would write the wrong bytes).
    fn open(source: &SourceFile) -> Result<FileFix, String> {
        let Some(abs) = &source.abs else { return Err("the host made it".into()) };
        let fresh = |bom| FileFix {
            abs: abs.clone(),
            stdin: source.stdin,
            bom,
            original: source.text.clone(),
            text: source.text.clone(),
        };
        if source.stdin {
            return Ok(fresh(false));
        }
        let bytes = std::fs::read(abs).map_err(|e| format!("cannot read it again: {e}"))?;
        let (bom, body) = match bytes.strip_prefix("\u{feff}".as_bytes()) {
            Some(rest) => (true, rest),
            None => (false, &bytes[..]),
        };
        if body != source.text.as_bytes() {
            return Err("its text is not what the plugins checked (invalid UTF-8, or it changed during the run)".into());
        }
        Ok(fresh(bom))
    }
}

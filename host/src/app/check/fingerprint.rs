//! Fingerprint: the id a finding keeps across runs (baselines, SARIF).
use rustc_hash::FxHashMap;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::read::SourceFile;
use crate::finding::Finding;

/// sha256 of rule, the project-relative path, the trimmed source line and the
/// message, plus an occurrence counter: stable when lines move, when other
/// lines change and whatever the working directory; distinct for repeats.
/// `findings` are sorted, so each file's are together: files in parallel, the
/// counters in order.
pub(super) fn assign(findings: &mut [Finding], sources: &[SourceFile]) {
    let by_display: FxHashMap<&str, &SourceFile> = sources.iter().map(|s| (s.display.as_str(), s)).collect();
    let keys: Vec<[u8; 32]> = findings
        .par_chunk_by_mut(|a, b| a.path == b.path)
        .flat_map_iter(|file| {
            let source = by_display.get(file[0].path.as_str());
            let lines = source.map(|s| s.lines());
            let keys: Vec<[u8; 32]> = file
                .iter_mut()
                .map(|f| {
                    let line_text = match (&f.position, &lines) {
                        (Some(p), Some(lines)) => lines.line_text(p.line),
                        _ => "",
                    };
                    f.rel = source.map_or_else(|| f.path.clone(), |s| s.rel.clone());
                    let mut h = Sha256::new();
                    for part in [f.rule.as_str(), f.rel.as_str(), line_text, f.message.as_str()] {
                        h.update(part.as_bytes());
                        h.update([0]);
                    }
                    h.finalize().into()
                })
                .collect();
            keys
        })
        .collect();
    // The counters in order; the hashes on every core.
    let mut seen: FxHashMap<[u8; 32], u32> = FxHashMap::default();
    let counted: Vec<([u8; 32], u32)> = keys
        .into_iter()
        .map(|key| {
            let n = seen.entry(key).or_insert(0);
            *n += 1;
            (key, *n)
        })
        .collect();
    findings.par_iter_mut().zip(counted).for_each(|(f, (key, n))| {
        let mut h = Sha256::new();
        h.update(key);
        h.update(n.to_le_bytes());
        f.fingerprint = hex(&h.finalize()[..8]);
    });
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

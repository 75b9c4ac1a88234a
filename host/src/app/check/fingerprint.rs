//! Fingerprint: the id a finding keeps across runs (baselines, SARIF).
use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::read::SourceFile;
use crate::finding::Finding;
use crate::locate::Lines;

/// sha256 of rule, the project-relative path, the trimmed source line and the
/// message, plus an occurrence counter: stable when lines move, when other
/// lines change and whatever the working directory; distinct for repeats.
pub(super) fn assign(findings: &mut [Finding], sources: &[SourceFile]) {
    let texts: HashMap<&str, &str> = sources.iter().map(|s| (s.display.as_str(), s.text.as_str())).collect();
    let rels: HashMap<&str, &str> = sources.iter().map(|s| (s.display.as_str(), s.rel.as_str())).collect();
    let mut lines_cache: HashMap<String, Lines> = HashMap::new();
    let mut seen: HashMap<[u8; 32], u32> = HashMap::new();
    for f in findings.iter_mut() {
        let line_text = match (&f.position, texts.get(f.path.as_str())) {
            (Some(p), Some(text)) => {
                lines_cache.entry(f.path.clone()).or_insert_with(|| Lines::new(text)).line_text(p.line).to_string()
            }
            _ => String::new(),
        };
        f.rel = rels.get(f.path.as_str()).map_or_else(|| f.path.clone(), |r| r.to_string());
        let mut h = Sha256::new();
        for part in [f.rule.as_str(), f.rel.as_str(), line_text.as_str(), f.message.as_str()] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        let key: [u8; 32] = h.finalize().into();
        let n = seen.entry(key).or_insert(0);
        *n += 1;
        let mut h = Sha256::new();
        h.update(key);
        h.update(n.to_le_bytes());
        f.fingerprint = h.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect();
    }
}

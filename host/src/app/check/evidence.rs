//! The evidence phase. A plugin that declares a file matcher of kind
//! `evidence` runs after the plugins whose evidence it reads (phase 2; the
//! others run beside it) and receives, besides
//! its own documents, one synthetic document at [`EVIDENCE_PATH`]: a JSON
//! array of the evidence records phase 1 produced that it reads. Its findings may point at
//! any file named in that evidence (where a database is defined), not only at
//! its own documents. The matcher's globs name the evidence keys it reads
//! (`k8s/*`), and its document holds those records only: in named-file runs,
//! those plugins read the whole repository, so the request is the full scan's.
use serde::Serialize;

use super::read::SourceFile;
use crate::finding::{Evidence, EvidenceValue};
use crate::plugin::Loaded;

pub use crate::route::EVIDENCE_KIND;
/// Path of the synthetic evidence document (never a file on disk).
pub const EVIDENCE_PATH: &str = ".opslint/evidence.json";

/// Whether `plugin` runs in the evidence phase.
pub fn is_evidence_plugin(plugin: &Loaded) -> bool {
    plugin.meta.files.iter().any(|m| m.kind == EVIDENCE_KIND)
}

/// Whether evidence-phase plugin `reader` reads the evidence of plugin
/// `producer`: the globs of its `evidence` matcher name evidence keys
/// (`k8s/*`, `ci/*`; `*/*` for every plugin), by the part before the `/`.
/// A pattern in that part (`k*/x`, whose `*` may also span a `/`) is taken to
/// read every plugin's evidence: the run then waits for all of them.
pub fn reads_evidence_of(reader: &Loaded, producer: &str) -> bool {
    reader.meta.files.iter().filter(|m| m.kind == EVIDENCE_KIND).flat_map(|m| &m.globs).any(|g| glob_reads(g, producer))
}

fn glob_reads(glob: &str, producer: &str) -> bool {
    let plugin = glob.split('/').next().unwrap_or("");
    plugin == producer || plugin.contains(GLOB_META)
}

/// The characters that make a glob a pattern; a glob without them is a plain key.
const GLOB_META: [char; 5] = ['*', '?', '[', '{', '\\'];

/// The records of `evidence` whose key the globs of `reader`'s `evidence` matcher name.
pub fn read_by<'e>(reader: &Loaded, evidence: &[&'e Evidence]) -> Vec<&'e Evidence> {
    let globs = reader.meta.files.iter().filter(|m| m.kind == EVIDENCE_KIND).flat_map(|m| &m.globs);
    matching(&globs.map(String::as_str).collect::<Vec<_>>(), evidence)
}

/// The records whose key one of `globs` matches. Globs that are plain keys
/// (`k8s/database`, as the built-in backup plugin's are) are a set of
/// strings: tens of thousands of records are looked up, not matched, while
/// the next phase waits.
fn matching<'e>(globs: &[&str], evidence: &[&'e Evidence]) -> Vec<&'e Evidence> {
    if globs.iter().all(|g| !g.contains(GLOB_META)) {
        let keys: rustc_hash::FxHashSet<&str> = globs.iter().copied().collect();
        return evidence.iter().copied().filter(|e| keys.contains(e.key.as_str())).collect();
    }
    let mut set = globset::GlobSetBuilder::new();
    for g in globs {
        if let Ok(g) = globset::Glob::new(g) {
            set.add(g);
        }
    }
    let Ok(set) = set.build() else { return Vec::new() };
    evidence.iter().copied().filter(|e| set.is_match(&e.key)).collect()
}

/// Whether any rule of `plugin` is enabled (else it does not run, and nobody reads evidence for it).
pub fn has_enabled_rule(plugin: &Loaded, settings: &crate::config::Settings) -> bool {
    let prefix = format!("{}/", plugin.name);
    settings.enabled.keys().any(|id| id.starts_with(&prefix))
}

/// What a record of the evidence document is sorted by (borrowed from the evidence).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Record<'a> {
    /// Repository-relative, like document paths.
    path: Option<&'a str>,
    line: Option<u32>,
    plugin: &'a str,
    key: &'a str,
    /// The value as JSON text.
    value: String,
    note: Option<&'a str>,
}

/// An evidence value as JSON: a boolean, a number, a string or an array of strings.
#[derive(Serialize)]
#[serde(untagged)]
enum Value<'a> {
    Flag(bool),
    Count(u64),
    Text(&'a str),
    Items(&'a [String]),
}

impl<'a> From<&'a EvidenceValue> for Value<'a> {
    fn from(v: &'a EvidenceValue) -> Self {
        match v {
            EvidenceValue::Flag(b) => Value::Flag(*b),
            EvidenceValue::Count(n) => Value::Count(*n),
            EvidenceValue::Text(t) => Value::Text(t),
            EvidenceValue::Items(items) => Value::Items(items),
        }
    }
}

/// The evidence document's text: every phase-1 record with its path made
/// repository-relative, sorted by path, line, plugin, key, value and note.
/// Each record is written on every core, straight from the evidence, and
/// the document joins them: the next phase waits for it (tens of thousands
/// of records in a large repository).
pub fn evidence_document(evidence: &[&Evidence], sources: &[SourceFile]) -> String {
    use rayon::prelude::*;
    let rel_of: rustc_hash::FxHashMap<&str, &str> =
        sources.iter().map(|s| (s.display.as_str(), s.rel.as_str())).collect();
    let mut records: Vec<(Record, String)> = evidence
        .par_iter()
        .map(|e| {
            let path = e.path.as_deref().map(|p| rel_of.get(p).copied().unwrap_or(p));
            let plugin = e.key.split_once('/').map_or("", |(p, _)| p);
            let value = serde_json::to_string(&Value::from(&e.value)).unwrap_or_default();
            let record = Record { path, line: e.line, plugin, key: &e.key, value, note: e.note.as_deref() };
            let text = shown(&record);
            (record, text)
        })
        .collect();
    records.par_sort_by(|a, b| a.0.cmp(&b.0));
    records.dedup_by(|a, b| a.0 == b.0);
    let mut out = String::with_capacity(2 + records.iter().map(|r| r.1.len() + 1).sum::<usize>());
    out.push('[');
    for (i, (_, text)) in records.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(text);
    }
    out.push(']');
    out
}

/// A record as the document shows it, its fields in this order: what
/// serde_json writes for the record as an object, with the value's text
/// (made once, for sorting) put in as it is.
fn shown(r: &Record) -> String {
    let json = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let or_null = |v: Option<String>| v.unwrap_or_else(|| "null".into());
    format!(
        "{{\"plugin\":{},\"key\":{},\"value\":{},\"path\":{},\"line\":{},\"note\":{}}}",
        json(r.plugin),
        json(r.key),
        r.value,
        or_null(r.path.map(json)),
        or_null(r.line.map(|l| l.to_string())),
        or_null(r.note.map(json)),
    )
}

/// Source indices of the files named in `evidence`: where an evidence-phase
/// plugin may also point its findings.
pub fn reach(evidence: &[&Evidence], sources: &[SourceFile]) -> Vec<usize> {
    let named: rustc_hash::FxHashSet<&str> = evidence.iter().filter_map(|e| e.path.as_deref()).collect();
    sources.iter().enumerate().filter(|(_, s)| named.contains(s.display.as_str())).map(|(i, _)| i).collect()
}

/// The synthetic source holding the evidence document. It is never reported
/// on: like a file read only for repository-scope plugins, it is `extra`.
pub fn evidence_source(text: String) -> SourceFile {
    let digest = super::read::digest(&text);
    SourceFile {
        display: EVIDENCE_PATH.into(),
        rel: EVIDENCE_PATH.into(),
        digest,
        text,
        abs: None,
        stdin: false,
        extra: true,
        starts: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::EvidenceValue;

    fn src(display: &str, rel: &str) -> SourceFile {
        SourceFile {
            display: display.into(),
            rel: rel.into(),
            text: String::new(),
            digest: [0; 32],
            abs: None,
            stdin: false,
            extra: false,
            starts: Default::default(),
        }
    }

    #[test]
    fn a_glob_reads_its_plugins_evidence_and_a_pattern_reads_every_plugins() {
        assert!(glob_reads("k8s/*", "k8s") && glob_reads("compose/service", "compose"));
        assert!(!glob_reads("k8s/*", "sql") && !glob_reads("k8s/*", "k8"));
        // `*` may span a `/`: `*s/x` matches `a/bs/x`, the evidence of plugin `a`.
        for pattern in ["*/*", "**", "*s/x", "k?s/*", "{k8s,ci}/*", "[kc]*/x"] {
            assert!(glob_reads(pattern, "sql"), "{pattern}");
        }
    }

    /// Plain keys are looked up, patterns matched: the same records either way.
    #[test]
    fn plain_keys_and_patterns_select_the_same_records() {
        let ev = |key: &str| Evidence {
            key: key.into(),
            value: EvidenceValue::Flag(true),
            path: None,
            line: None,
            note: None,
        };
        let owned = [ev("k8s/database"), ev("k8s/databases"), ev("ci/backup-job"), ev("K8s/database"), ev("sql/table")];
        let evidence: Vec<&Evidence> = owned.iter().collect();
        let keys = |globs: &[&str]| matching(globs, &evidence).iter().map(|e| e.key.as_str()).collect::<Vec<_>>();
        assert_eq!(keys(&["k8s/database", "ci/backup-job"]), ["k8s/database", "ci/backup-job"]);
        // The same globs through the glob matcher (a pattern among them).
        assert_eq!(keys(&["k8s/database", "ci/backup-job", "none/[x]"]), ["k8s/database", "ci/backup-job"]);
        assert_eq!(keys(&["k8s/*"]), ["k8s/database", "k8s/databases"]);
        assert!(keys(&[]).is_empty());
    }

    #[test]
    fn records_are_sorted_with_repository_relative_paths() {
        let ev = |key: &str, path: &str, line: u32, value: EvidenceValue| Evidence {
            key: key.into(),
            value,
            path: Some(path.into()),
            line: Some(line),
            note: None,
        };
        let owned = [
            ev("k8s/cronjob", "shop/k8s/b.yaml", 5, EvidenceValue::Text("CronJob/x".into())),
            ev("k8s/database", "shop/k8s/a.yaml", 9, EvidenceValue::Text("postgres: StatefulSet/db".into())),
            ev("ci/systems", "shop/ci.yml", 1, EvidenceValue::Items(vec!["github-actions".into()])),
        ];
        let evidence: Vec<&Evidence> = owned.iter().collect();
        let sources = vec![src("shop/k8s/a.yaml", "k8s/a.yaml"), src("shop/k8s/b.yaml", "k8s/b.yaml")];
        let doc: serde_json::Value = serde_json::from_str(&evidence_document(&evidence, &sources)).unwrap();
        let paths: Vec<&str> = doc.as_array().unwrap().iter().map(|r| r["path"].as_str().unwrap()).collect();
        assert_eq!(paths, ["k8s/a.yaml", "k8s/b.yaml", "shop/ci.yml"]);
        assert_eq!(doc[0]["plugin"], "k8s");
        assert_eq!(doc[0]["value"], "postgres: StatefulSet/db");
        assert_eq!(doc[2]["value"][0], "github-actions");
        assert_eq!(reach(&evidence, &sources), [0, 1]);
    }

    /// Written record by record, the document is the text serde_json makes
    /// of the records as values: every kind of value, escapes, absent fields,
    /// and a record repeated (kept once).
    #[test]
    fn the_document_is_the_records_as_json_values() {
        let ev = |key: &str, path: Option<&str>, line: Option<u32>, value: EvidenceValue, note: Option<&str>| {
            Evidence { key: key.into(), value, path: path.map(str::to_string), line, note: note.map(str::to_string) }
        };
        let owned = [
            ev("k8s/zone-spread", Some("k/a.yaml"), Some(3), EvidenceValue::Count(7), None),
            ev("ci/deploys", Some("ci.yml"), None, EvidenceValue::Flag(true), Some("a \"quoted\" note")),
            ev("k8s/hpa", None, None, EvidenceValue::Items(vec!["HPA/a -> x".into(), "é\t\u{1}".into()]), None),
            ev("k8s/database", Some("k/a.yaml"), Some(9), EvidenceValue::Text("line\nbreak </script>".into()), None),
            ev("k8s/database", Some("k/a.yaml"), Some(9), EvidenceValue::Text("line\nbreak </script>".into()), None),
            ev("k8s/pdb", Some("k/a.yaml"), Some(1), EvidenceValue::Items(Vec::new()), None),
        ];
        let evidence: Vec<&Evidence> = owned.iter().collect();
        let doc = evidence_document(&evidence, &[]);
        // Sorted by path, line, key and value; then the record as a value.
        type Expected<'a> = ((Option<&'a str>, Option<u32>, &'a str, String), serde_json::Value);
        let mut expected: Vec<Expected> = owned
            .iter()
            .map(|e| {
                let shown = serde_json::json!({
                    "plugin": e.key.split_once('/').unwrap().0,
                    "key": e.key,
                    "value": e.value.to_json(),
                    "path": e.path,
                    "line": e.line,
                    "note": e.note,
                });
                ((e.path.as_deref(), e.line, e.key.as_str(), e.value.to_json().to_string()), shown)
            })
            .collect();
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        expected.dedup_by(|a, b| a.1 == b.1);
        let texts: Vec<String> = expected
            .iter()
            .map(|r| {
                let v = &r.1;
                format!(
                    "{{\"plugin\":{},\"key\":{},\"value\":{},\"path\":{},\"line\":{},\"note\":{}}}",
                    v["plugin"], v["key"], v["value"], v["path"], v["line"], v["note"]
                )
            })
            .collect();
        assert_eq!(doc, format!("[{}]", texts.join(",")));
        assert_eq!(doc.matches("k8s/database").count(), 1);
    }
}

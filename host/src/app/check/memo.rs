//! A run answered whole. When every input of a run is what an earlier run
//! had (the plugins, the effective configuration, the arguments, the working
//! directory, the date that decides expired suppressions, every file read
//! with its digest, and the batches with the kinds their documents are read
//! as), that run's record (its findings sorted, fingerprinted and
//! suppressions marked, and its evidence) is replayed from the findings cache:
//! a rescan of an unchanged tree, a pre-commit run repeated, skips looking up,
//! decoding, accepting, suppressing and sorting each batch's answer.
//!
//! Its report, as rendered for the format asked for, is kept beside it under
//! a key of its own that adds what else a report depends on (colour, the
//! baseline's bytes): a run that would render it again writes it out instead.
//!
//! Every part of the key is something the run's output is a function of, so
//! a record is only ever the output the run would make. A run in which a
//! plugin failed (a timeout, a trap, a memory overrun, none of which the key
//! can predict) keeps no record, as the batch cache keeps no failed answer.
use serde::{Deserialize, Serialize};

use std::path::Path;

use super::batches::{Kinds, Work};
use super::read::SourceFile;
use super::report::Rendered;
use crate::app::Session;
use crate::cli::CheckArgs;
use crate::config::Settings;
use crate::finding::{Edit, Evidence, EvidenceValue, Finding, Fix, Position, Related, Severity, Suppression};
use crate::host_rules;

/// Part of every key: a record of another layout is never decoded as this one.
const LAYOUT: &str = "opslint run record v1";
const REPORT_LAYOUT: &str = "opslint run report v1";
/// Largest record kept (the whole shared corpus makes about 15 MB): past it,
/// records of a few full scans would crowd the batches' entries out of the
/// store's bound (128 MiB by default).
const MAX_RECORD: usize = 16 << 20;

/// What a run's output is a function of, once its files are read and its batches made.
pub(super) struct Inputs<'a, 's> {
    pub session: &'a Session,
    pub args: &'a CheckArgs,
    pub settings: &'a Settings,
    pub sources: &'a [SourceFile],
    pub work: &'a [Work<'s>],
    pub kinds: &'a Kinds,
    /// The findings made before any plugin runs (unreadable files, the walk's).
    pub planned: &'a [Finding],
}

pub(super) type Key = [u8; 32];

/// The key of a run: every input, each part length-prefixed. The parts go
/// into one buffer hashed at once: a repository's tens of thousands of small
/// parts, each its own `update`, cost 13 ms of a 100 ms pre-commit run.
pub(super) fn key(i: &Inputs) -> Key {
    let mut buf: Vec<u8> =
        Vec::with_capacity(64 * (i.sources.len() + i.work.iter().map(|w| w.docs.len()).sum::<usize>()));
    let mut part = |bytes: &[u8]| {
        buf.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        buf.extend_from_slice(bytes);
    };
    part(LAYOUT.as_bytes());
    part(env!("CARGO_PKG_VERSION").as_bytes());
    part(format!("{:?}", i.session.cwd).as_bytes());
    for p in &i.session.plugins {
        part(format!("{}\0{}\0{}", p.name, p.sha256, p.source).as_bytes());
    }
    // The arguments as given; the texts of `--fix` passes and editors are the sources' below.
    let mut args = i.args.clone();
    args.texts.clear();
    part(format!("{args:?}").as_bytes());
    let s = i.settings;
    // What the walk and routing made of the globs is in the sources and batches below.
    let include: Vec<(&str, &str)> = s.extend_include.iter().map(|(p, k, _)| (p.as_str(), k.as_str())).collect();
    part(
        format!(
            "{:?} {} {:?} {include:?} {:?} {:?} {:?} {:?} {:?} {:?}",
            s.fail_on,
            s.max_file_size,
            s.default_exclude,
            s.enabled,
            s.pinned_severity,
            s.disabled_plugins,
            s.options,
            s.timeouts,
            s.memory
        )
        .as_bytes(),
    );
    part(crate::suppress::date::Date::today().to_string().as_bytes());
    for f in i.sources {
        part(f.display.as_bytes());
        part(f.rel.as_bytes());
        part(f.abs.as_ref().map_or(&b"\0"[..], |p| p.as_os_str().as_encoded_bytes()));
        part(&[u8::from(f.extra), u8::from(f.stdin)]);
        part(&f.digest);
    }
    for w in i.work {
        part(format!("{}\0{}\0{}\0{}", w.plugin.name, w.index, w.rules.join(","), w.options).as_bytes());
        for &d in &w.docs {
            part(&(d as u64).to_le_bytes());
            part(i.kinds.get(&(w.index, d)).map_or(b"", |k| k.as_bytes()));
        }
    }
    part(format!("{:?}", i.planned).as_bytes());
    blake3::hash(&buf).into()
}

/// The record of an earlier run with this key: its findings and evidence, and
/// the documents its batches counted.
pub(super) fn replay(session: &Session, key: Key) -> Option<(Vec<Finding>, Vec<Evidence>, usize)> {
    let (documents, findings, evidence) = decode(&session.runtime.run_record(key)?)?;
    // Counted as the run it replays counted them, so `check -v` reads the same.
    session.runtime.count_reused(documents);
    Some((findings, evidence, documents))
}

/// The key of a run's report: the run's key, whether it is coloured, and the
/// baseline it is filtered by (its path and bytes; one that cannot be read
/// fails the report, which is then never kept).
pub(super) fn report_key(run: &Key, color: bool, baseline: Option<&Path>) -> Key {
    let mut h = blake3::Hasher::new();
    h.update(REPORT_LAYOUT.as_bytes());
    h.update(run);
    h.update(&[u8::from(color)]);
    if let Some(path) = baseline {
        let bytes = std::fs::read(path).ok();
        h.update(path.as_os_str().as_encoded_bytes());
        h.update(&[0, u8::from(bytes.is_some())]);
        h.update(blake3::hash(bytes.as_deref().unwrap_or_default()).as_bytes());
    }
    h.finalize().into()
}

/// The report of an earlier run with this report key.
pub(super) fn replay_report(session: &Session, key: Key) -> Option<Rendered> {
    let (documents, rendered): (usize, Rendered) = postcard::from_bytes(&session.runtime.run_record(key)?).ok()?;
    session.runtime.count_reused(documents);
    Some(rendered)
}

/// Keeps a run's report (a run whose record [`keep`] kept).
pub(super) fn keep_report(session: &Session, key: Key, documents: usize, rendered: &Rendered) {
    if let Some(bytes) = postcard::to_stdvec(&(documents, rendered)).ok().filter(|b| b.len() <= MAX_RECORD) {
        session.runtime.put_run_record(key, bytes);
    }
}

/// Keeps the record of a run whose batches held `documents` documents in
/// all; whether it was kept (not when a plugin failed, nor past the bound).
pub(super) fn keep(session: &Session, key: Key, findings: &[Finding], evidence: &[Evidence], documents: usize) -> bool {
    if findings.iter().any(|f| f.rule == host_rules::PLUGIN_FAILED) {
        return false;
    }
    match encode(documents, findings, evidence).filter(|b| b.len() <= MAX_RECORD) {
        Some(bytes) => {
            session.runtime.put_run_record(key, bytes);
            true
        }
        None => false,
    }
}

/// A record, encoded from borrows as [`Record`] decodes: a first scan copies
/// no finding to keep it.
fn encode(documents: usize, findings: &[Finding], evidence: &[Evidence]) -> Option<Vec<u8>> {
    let findings: Vec<_> = findings.iter().map(lent_finding).collect();
    let evidence: Vec<_> = evidence.iter().map(|e| (&e.key, &e.value, &e.path, e.line, &e.note)).collect();
    postcard::to_stdvec(&(documents, findings, evidence)).ok()
}

fn decode(bytes: &[u8]) -> Option<(usize, Vec<Finding>, Vec<Evidence>)> {
    let record: Record = postcard::from_bytes(bytes).ok()?;
    let findings = record.findings.into_iter().map(Finding::from).collect();
    let evidence = record
        .evidence
        .into_iter()
        .map(|e| Evidence { key: e.key, value: e.value, path: e.path, line: e.line, note: e.note })
        .collect();
    Some((record.documents, findings, evidence))
}

/// A run's output as stored (postcard: no skipped or flattened fields).
#[derive(Deserialize)]
struct Record {
    documents: usize,
    findings: Vec<StoredFinding>,
    evidence: Vec<StoredEvidence>,
}

#[derive(Deserialize)]
struct StoredFinding {
    rule: String,
    aliases: Vec<String>,
    severity: Severity,
    path: String,
    position: Option<Position>,
    message: String,
    help: Option<String>,
    related: Vec<(String, Option<Position>, Option<String>)>,
    fix: Option<StoredFix>,
    fingerprint: String,
    /// (annotation rather than comment, reason, until, line).
    suppression: Option<(bool, Option<String>, Option<String>, u32)>,
    rel: String,
}

/// (title, applicability by its index in [`APPLICABILITY`], edits as (start, end, replacement)).
type StoredFix = (String, u8, Vec<(u32, u32, String)>);
type LentFix<'a> = (&'a str, u8, Vec<(u32, u32, &'a str)>);

/// The applicabilities a fix may have (accept.rs), by their index here.
const APPLICABILITY: [&str; 3] = ["safe", "unsafe", "display-only"];

/// A finding encoded from borrows, field by field as [`StoredFinding`]
/// decodes (postcard writes a `&str` as a `String`, a slice as a `Vec`).
#[derive(Serialize)]
struct LentFinding<'a> {
    rule: &'a str,
    aliases: &'a [String],
    severity: Severity,
    path: &'a str,
    position: &'a Option<Position>,
    message: &'a str,
    help: &'a Option<String>,
    related: Vec<(&'a str, &'a Option<Position>, &'a Option<String>)>,
    fix: Option<LentFix<'a>>,
    fingerprint: &'a str,
    suppression: Option<(bool, &'a Option<String>, &'a Option<String>, u32)>,
    rel: &'a str,
}

fn lent_finding(f: &Finding) -> LentFinding<'_> {
    LentFinding {
        rule: &f.rule,
        aliases: &f.aliases,
        severity: f.severity,
        path: &f.path,
        position: &f.position,
        message: &f.message,
        help: &f.help,
        related: f.related.iter().map(|r| (r.path.as_str(), &r.position, &r.message)).collect(),
        fix: f.fix.as_ref().map(|x| {
            let applicability = APPLICABILITY.iter().position(|a| *a == x.applicability).unwrap_or(2) as u8;
            (
                x.title.as_str(),
                applicability,
                x.edits.iter().map(|e| (e.start, e.end, e.replacement.as_str())).collect(),
            )
        }),
        fingerprint: &f.fingerprint,
        suppression: f.suppression.as_ref().map(|s| (s.kind == "annotation", &s.reason, &s.until, s.line)),
        rel: &f.rel,
    }
}

impl From<StoredFinding> for Finding {
    fn from(f: StoredFinding) -> Finding {
        Finding {
            rule: f.rule,
            aliases: f.aliases,
            severity: f.severity,
            path: f.path,
            position: f.position,
            message: f.message,
            help: f.help,
            related: f
                .related
                .into_iter()
                .map(|(path, position, message)| Related { path, position, message })
                .collect(),
            fix: f.fix.map(|(title, applicability, edits)| Fix {
                title,
                applicability: APPLICABILITY.get(usize::from(applicability)).copied().unwrap_or("display-only"),
                edits: edits.into_iter().map(|(start, end, replacement)| Edit { start, end, replacement }).collect(),
            }),
            fingerprint: f.fingerprint,
            suppression: f.suppression.map(|(annotation, reason, until, line)| Suppression {
                kind: if annotation { "annotation" } else { "comment" },
                reason,
                until,
                line,
            }),
            rel: f.rel,
        }
    }
}

#[derive(Deserialize)]
struct StoredEvidence {
    key: String,
    value: EvidenceValue,
    path: Option<String>,
    line: Option<u32>,
    note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(applicability: &'static str, kind: &'static str) -> Finding {
        let at = Position { line: 3, column: 2, end_line: 3, end_column: 9, start: 20, end: 27 };
        Finding {
            rule: "k8s/image-tag".into(),
            aliases: vec!["CKV_K8S_14".into()],
            severity: Severity::Medium,
            path: "shop/k8s/a.yaml".into(),
            position: Some(at.clone()),
            message: "m".into(),
            help: Some("h".into()),
            related: vec![Related { path: "b.yaml".into(), position: Some(at), message: None }],
            fix: Some(Fix {
                title: "t".into(),
                applicability,
                edits: vec![Edit { start: 1, end: 2, replacement: "x".into() }],
            }),
            fingerprint: "0123456789abcdef".into(),
            suppression: Some(Suppression { kind, reason: Some("r".into()), until: None, line: 2 }),
            rel: "k8s/a.yaml".into(),
        }
    }

    #[test]
    fn a_record_gives_back_the_findings_and_evidence_it_was_made_from() {
        let findings: Vec<Finding> = APPLICABILITY
            .iter()
            .flat_map(|a| ["comment", "annotation"].map(|k| finding(a, k)))
            .chain([Finding { position: None, fix: None, suppression: None, help: None, ..finding("safe", "comment") }])
            .collect();
        let evidence: Vec<Evidence> = [
            EvidenceValue::Flag(true),
            EvidenceValue::Count(7),
            EvidenceValue::Text("postgres".into()),
            EvidenceValue::Items(vec!["a".into(), "b".into()]),
        ]
        .into_iter()
        .map(|value| Evidence {
            key: "k8s/x".into(),
            value,
            path: Some("a".into()),
            line: None,
            note: Some("n".into()),
        })
        .collect();
        let (documents, back, back_evidence) = decode(&encode(3, &findings, &evidence).unwrap()).unwrap();
        assert_eq!((documents, back, back_evidence), (3, findings, evidence));
    }
}

//! Interface 0.1.1 `facts`: a repository-scope plugin's work in two steps.
//! `extract` parses each file and runs the rules that judge one file alone,
//! and keeps what the join needs in a per-file fact; the host runs it on
//! every core and caches each file's fact. `join` rebuilds the repository
//! from the facts and runs the rules that look across files. `check` stays
//! the one-step path over the same code, so both give the same output.
use std::collections::BTreeSet;

use crate::driver::{discard, finish_repo, parse_options, RepoPlugin};
use crate::{CheckOutput, CheckRequest, Ctx, Evidence, Finding, JoinRequest, PluginError, Registered};

/// A [`RepoPlugin`] that splits into a per-file `extract` and a cross-file `join`.
pub trait FactPlugin: RepoPlugin {
    /// Whether a rule looks across files: it runs in the join; the others in `extract`.
    fn in_join(rule: &str) -> bool;
    /// Appends one parsed file's fact to `out`. `cx` is focused on the
    /// document; `rules` are its enabled one-file rules, for the plugin to run
    /// (see [`run_rules`]) and keep what they find in the fact.
    fn extract(cx: &mut Ctx, file: Self::File, rules: &[&'static Registered<Self::Repo>], out: &mut Vec<u8>);
    /// The rules' view from the facts of the files that parsed (index into the
    /// request, fact); the one-file findings kept in them are reported here
    /// ([`Ctx::keep_findings`]). `None`: a fact this plugin did not write.
    fn join(facts: Vec<(usize, &[u8])>, cx: &mut Ctx) -> Option<Self::Repo>;
}

/// Runs `rules` over `view` and returns what they reported (`cx` keeps the rest).
pub fn run_rules<V>(cx: &mut Ctx, rules: &[&'static Registered<V>], view: &V) -> Vec<Finding> {
    let before = cx.take_findings();
    for rule in rules {
        cx.set_rule(rule.id);
        (rule.check)(cx, view);
    }
    cx.set_rule("");
    std::mem::replace(&mut cx.findings, before)
}

/// What the parse and `extract` reported into the context (not into the
/// fact): passed on by the join as it is.
#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Kept {
    findings: Vec<Finding>,
    evidence: Vec<Evidence>,
}

/// Encodes one file's findings for its fact (postcard), less the path
/// nearly all of them carry, the file's own, which the reader knows (a
/// tenth of a manifest's fact; the findings, two thirds of it, are read only
/// for the files a run reports, yet fetched and copied for every file).
pub fn write_findings(mut findings: Vec<Finding>, path: &str, out: &mut Vec<u8>) {
    let own: Vec<bool> = findings.iter().map(|f| f.path == path).collect();
    for (f, _) in findings.iter_mut().zip(&own).filter(|(_, own)| **own) {
        f.path = String::new();
    }
    put_block(&postcard::to_allocvec(&(own, findings)).unwrap_or_default(), out);
}

/// Reads what [`write_findings`] wrote for the file at `path`, advancing `input`.
pub fn read_findings(input: &mut &[u8], path: &str) -> Option<Vec<Finding>> {
    let (own, mut findings): (Vec<bool>, Vec<Finding>) = postcard::from_bytes(take_block(input)?).ok()?;
    if own.len() != findings.len() {
        return None;
    }
    for (f, _) in findings.iter_mut().zip(own).filter(|(_, own)| *own) {
        f.path = path.to_string();
    }
    Some(findings)
}

/// Passes over what [`write_findings`] wrote, advancing `input` (findings
/// the run will not report: a fact's decoding was most of a join's).
pub fn skip_findings(input: &mut &[u8]) -> Option<()> {
    take_block(input).map(drop)
}

/// Encodes evidence for a fact (postcard).
pub fn write_evidence(evidence: &[Evidence], out: &mut Vec<u8>) {
    put_block(&postcard::to_allocvec(evidence).unwrap_or_default(), out);
}

/// Reads what [`write_evidence`] wrote, advancing `input`.
pub fn read_evidence(input: &mut &[u8]) -> Option<Vec<Evidence>> {
    postcard::from_bytes(take_block(input)?).ok()
}

fn put_block(block: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(&(block.len() as u32).to_le_bytes());
    out.extend_from_slice(block);
}

fn take_block<'a>(input: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = u32::from_le_bytes(input.get(..4)?.try_into().ok()?) as usize;
    let block = input.get(4..4usize.checked_add(len)?)?;
    *input = &input[4 + len..];
    Some(block)
}

/// Per document: a block of [`Kept`] (postcard), a parsed flag, the plugin's fact.
pub fn extract_repo<P: FactPlugin>(request: CheckRequest) -> Result<Vec<Vec<u8>>, PluginError> {
    let options = parse_options(&request.options)?;
    let enabled: BTreeSet<&str> = request.rules.iter().map(String::as_str).collect();
    let rules: Vec<&'static Registered<P::Repo>> =
        P::rules().iter().filter(|r| enabled.contains(r.id) && !P::in_join(r.id)).collect();
    let mut out = Vec::with_capacity(request.documents.len());
    for doc in &request.documents {
        let mut cx = Ctx::new(&doc.path, &doc.kind, &doc.text, &options);
        cx.set_rule("parse-error");
        let parsed = P::parse(&mut cx);
        let mut fact = Vec::new();
        let flag = parsed.is_some();
        if let Some(file) = parsed {
            P::extract(&mut cx, file, &rules, &mut fact);
        }
        let kept = Kept {
            findings: cx.findings.into_iter().filter(|f| enabled.contains(f.rule.as_str())).collect(),
            evidence: cx.evidence,
        };
        let block =
            postcard::to_allocvec(&kept).map_err(|e| PluginError::Failed((Some(doc.path.clone()), e.to_string())))?;
        let mut bytes = Vec::with_capacity(block.len() + 5 + fact.len());
        put_block(&block, &mut bytes);
        bytes.push(flag as u8);
        bytes.extend_from_slice(&fact);
        out.push(bytes);
    }
    // The request too (a batch's texts, a join's facts), freed with the instance.
    drop(enabled);
    discard(request);
    Ok(out)
}

/// The batch's output from the facts `extract_repo` made: what `check_repo` gives.
pub fn join_repo<P: FactPlugin>(request: JoinRequest) -> Result<CheckOutput, PluginError> {
    let options = parse_options(&request.options)?;
    let enabled: BTreeSet<&str> = request.rules.iter().map(String::as_str).collect();
    if request.facts.len() != request.documents.len() {
        return Err(PluginError::Failed((None, "join: one fact per document expected".into())));
    }
    let mut out = CheckOutput { findings: Vec::new(), evidence: Vec::new() };
    let mut facts = Vec::new();
    let reported = crate::ctx::Reported::of(&options);
    for (i, bytes) in request.facts.iter().enumerate() {
        let unreadable = || PluginError::Failed((Some(request.documents[i].path.clone()), "unreadable fact".into()));
        let mut input = &bytes[..];
        let kept: Kept = take_block(&mut input).and_then(|b| postcard::from_bytes(b).ok()).ok_or_else(unreadable)?;
        out.findings.extend(kept.findings.into_iter().filter(|f| reported.holds(&f.path)));
        out.evidence.extend(kept.evidence);
        let (&flag, fact) = input.split_first().ok_or_else(unreadable)?;
        if flag == 1 {
            facts.push((i, fact));
        }
    }
    let mut cx = Ctx::for_batch(&request.documents, &options);
    cx.set_rule("parse-error");
    let repo = P::join(facts, &mut cx).ok_or_else(|| PluginError::Failed((None, "unreadable fact".into())))?;
    finish_repo::<P>(cx, repo, &enabled, P::in_join, &mut out);
    // The request too (a batch's texts, a join's facts), freed with the instance.
    drop(enabled);
    discard(request);
    Ok(out)
}

/// What a plugin that does not split its work answers `extract` and `join` with.
pub fn facts_unsupported() -> PluginError {
    PluginError::Failed((None, "this plugin does not split its work into extract and join".into()))
}

/// `extract` of a plugin that does not split its work.
pub fn extract_unsupported(_: CheckRequest) -> Result<Vec<Vec<u8>>, PluginError> {
    Err(facts_unsupported())
}

/// `join` of a plugin that does not split its work.
pub fn join_unsupported(_: JoinRequest) -> Result<CheckOutput, PluginError> {
    Err(facts_unsupported())
}

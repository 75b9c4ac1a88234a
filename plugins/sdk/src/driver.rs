use std::collections::BTreeSet;

use crate::{
    CheckOutput, CheckRequest, Ctx, EvidenceMeta, FileMatcher, PluginError, PluginMeta, Registered, RuleMeta, Scope,
};

/// A linter plugin: how to read one document and which rules run over it.
pub trait Plugin {
    /// The parsed form every rule receives.
    type Doc: 'static;
    const NAME: &'static str;
    const VERSION: &'static str;
    const DESCRIPTION: &'static str;

    fn files() -> Vec<FileMatcher>;
    fn rules() -> &'static [Registered<Self::Doc>];
    fn evidence() -> Vec<EvidenceMeta> {
        Vec::new()
    }
    fn options_schema() -> Option<String> {
        None
    }
    /// Parses `cx.text`. Problems are reported as `parse-error` findings
    /// (the running rule); `None` means nothing could be read.
    fn parse(cx: &mut Ctx) -> Option<Self::Doc>;
    /// Facts about the document, recorded with [`Ctx::evidence`].
    fn collect_evidence(_cx: &mut Ctx, _doc: &Self::Doc) {}
}

/// Builds the plugin's metadata from its registry.
pub fn metadata<P: Plugin>() -> PluginMeta {
    metadata_of(P::NAME, P::VERSION, P::DESCRIPTION, P::files(), P::rules(), P::evidence(), P::options_schema())
}

fn metadata_of<D>(
    name: &str,
    version: &str,
    description: &str,
    files: Vec<FileMatcher>,
    rules: &[Registered<D>],
    evidence: Vec<EvidenceMeta>,
    options_schema: Option<String>,
) -> PluginMeta {
    let owned = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
    PluginMeta {
        name: name.to_string(),
        version: version.to_string(),
        description: description.to_string(),
        scope: Scope::File,
        files,
        rules: rules
            .iter()
            .map(|r| RuleMeta {
                id: r.id.to_string(),
                summary: r.meta.summary.to_string(),
                docs: r.docs.to_string(),
                default_severity: r.meta.severity,
                default_enabled: r.meta.enabled,
                status: r.meta.status,
                since: r.meta.since.to_string(),
                fix: r.meta.fix,
                tags: owned(r.meta.tags),
                aliases: owned(r.meta.aliases),
            })
            .collect(),
        evidence,
        options_schema,
    }
}

pub(crate) fn parse_options(options: &str) -> Result<serde_json::Value, PluginError> {
    if options.trim().is_empty() {
        return Ok(serde_json::Value::Object(Default::default()));
    }
    serde_json::from_str(options).map_err(|e| PluginError::InvalidOptions(vec![format!("options are not JSON: {e}")]))
}

/// Runs the enabled rules over every document of the request.
pub fn check<P: Plugin>(request: CheckRequest) -> Result<CheckOutput, PluginError> {
    let options = parse_options(&request.options)?;
    let enabled: BTreeSet<&str> = request.rules.iter().map(String::as_str).collect();
    let mut out = CheckOutput { findings: Vec::new(), evidence: Vec::new() };
    for doc in &request.documents {
        let mut cx = Ctx::new(&doc.path, &doc.kind, &doc.text, &options);
        cx.set_rule("parse-error");
        if let Some(parsed) = P::parse(&mut cx) {
            for rule in P::rules().iter().filter(|r| enabled.contains(r.id)) {
                cx.set_rule(rule.id);
                (rule.check)(&mut cx, &parsed);
            }
            cx.set_rule("");
            P::collect_evidence(&mut cx, &parsed);
        }
        out.findings.extend(cx.findings.into_iter().filter(|f| enabled.contains(f.rule.as_str())));
        out.evidence.extend(cx.evidence);
    }
    // The request too (a batch's texts, a join's facts), freed with the instance.
    drop(enabled);
    discard(request);
    Ok(out)
}

/// A plugin whose rules see every document of the repository at once
/// (cross-file rules: a Service and the Deployment it selects in two files).
/// Each document is parsed on its own; rules receive what [`RepoPlugin::build`]
/// makes of all of them and report with [`Ctx::report_in`].
pub trait RepoPlugin {
    /// One parsed document.
    type File: 'static;
    /// What every rule receives.
    type Repo: 'static;
    const NAME: &'static str;
    const VERSION: &'static str;
    const DESCRIPTION: &'static str;

    fn files() -> Vec<FileMatcher>;
    fn rules() -> &'static [Registered<Self::Repo>];
    fn evidence() -> Vec<EvidenceMeta> {
        Vec::new()
    }
    fn options_schema() -> Option<String> {
        None
    }
    /// Parses one document (`cx` is focused on it); problems are `parse-error` findings.
    fn parse(cx: &mut Ctx) -> Option<Self::File>;
    /// Builds the rules' view from the parsed documents, by index into the request.
    fn build(files: Vec<(usize, Self::File)>, cx: &mut Ctx) -> Self::Repo;
    fn collect_evidence(_cx: &mut Ctx, _repo: &Self::Repo) {}
    /// `true` when [`RepoPlugin::build`] and the rules relate only files of
    /// the same folder (folders compared without regard to ASCII case): the
    /// host may then split a large repository into several batches, each
    /// holding whole folders, and run them on every core.
    const FOLDER_SCOPE: bool = false;
}

/// The matcher kind by which a repository-scope plugin says its cross-file
/// work stays within a folder ([`RepoPlugin::FOLDER_SCOPE`]; wit/README.md).
pub const FOLDER_SCOPE_KIND: &str = "folder-scope";

/// Metadata of a repository-scope plugin.
pub fn metadata_repo<P: RepoPlugin>() -> PluginMeta {
    let mut files = P::files();
    if P::FOLDER_SCOPE {
        files.push(FileMatcher { kind: FOLDER_SCOPE_KIND.into(), globs: Vec::new() });
    }
    let mut meta =
        metadata_of(P::NAME, P::VERSION, P::DESCRIPTION, files, P::rules(), P::evidence(), P::options_schema());
    meta.scope = Scope::Repository;
    meta
}

/// Parses every document, then runs the enabled rules once over the whole batch.
pub fn check_repo<P: RepoPlugin>(request: CheckRequest) -> Result<CheckOutput, PluginError> {
    let options = parse_options(&request.options)?;
    let enabled: BTreeSet<&str> = request.rules.iter().map(String::as_str).collect();
    let mut out = CheckOutput { findings: Vec::new(), evidence: Vec::new() };
    let mut files = Vec::new();
    let reported = crate::ctx::Reported::of(&options);
    for (i, doc) in request.documents.iter().enumerate() {
        let mut cx = Ctx::new(&doc.path, &doc.kind, &doc.text, &options);
        cx.set_rule("parse-error");
        if let Some(parsed) = P::parse(&mut cx) {
            files.push((i, parsed));
        }
        let reports = reported.holds(&doc.path);
        out.findings.extend(cx.findings.into_iter().filter(|f| reports && enabled.contains(f.rule.as_str())));
        out.evidence.extend(cx.evidence);
    }
    let mut cx = Ctx::for_batch(&request.documents, &options);
    cx.set_rule("parse-error");
    let repo = P::build(files, &mut cx);
    finish_repo::<P>(cx, repo, &enabled, |_| true, &mut out);
    // The request too (a batch's texts, a join's facts), freed with the instance.
    drop(enabled);
    discard(request);
    Ok(out)
}

/// Runs the enabled rules `runs` picks over the repository model, collects
/// its evidence, and adds what the context holds (enabled rules only) to `out`.
pub(crate) fn finish_repo<P: RepoPlugin>(
    mut cx: Ctx,
    repo: P::Repo,
    enabled: &BTreeSet<&str>,
    runs: impl Fn(&str) -> bool,
    out: &mut CheckOutput,
) {
    for rule in P::rules().iter().filter(|r| enabled.contains(r.id) && runs(r.id)) {
        cx.set_rule(rule.id);
        (rule.check)(&mut cx, &repo);
    }
    cx.set_rule("");
    P::collect_evidence(&mut cx, &repo);
    // In a run over named files, the others' findings would only be dropped by the host.
    let findings = std::mem::take(&mut cx.findings);
    out.findings.extend(findings.into_iter().filter(|f| enabled.contains(f.rule.as_str()) && cx.reports(&f.path)));
    out.evidence.extend(cx.evidence);
    discard(repo);
}

/// Drops a batch's model or request, except in a plugin instance: the host
/// throws the instance away after the call, and freeing every node of
/// thousands of parsed files (or every text and fact) one by one cost a
/// tenth of a join.
pub(crate) fn discard<T>(model: T) {
    #[cfg(target_arch = "wasm32")]
    std::mem::forget(model);
    #[cfg(not(target_arch = "wasm32"))]
    drop(model);
}

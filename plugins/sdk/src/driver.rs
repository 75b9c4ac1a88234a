use std::collections::BTreeSet;

use crate::{
    CheckOutput, CheckRequest, Ctx, EvidenceMeta, FileMatcher, PluginError, PluginMeta, Registered,
    RuleMeta, Scope,
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
    let owned = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
    PluginMeta {
        name: P::NAME.to_string(),
        version: P::VERSION.to_string(),
        description: P::DESCRIPTION.to_string(),
        scope: Scope::File,
        files: P::files(),
        rules: P::rules()
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
        evidence: P::evidence(),
        options_schema: P::options_schema(),
    }
}

/// Runs the enabled rules over every document of the request.
pub fn check<P: Plugin>(request: CheckRequest) -> Result<CheckOutput, PluginError> {
    let options: serde_json::Value = if request.options.trim().is_empty() {
        serde_json::Value::Object(Default::default())
    } else {
        serde_json::from_str(&request.options)
            .map_err(|e| PluginError::InvalidOptions(vec![format!("options are not JSON: {e}")]))?
    };
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
    Ok(out)
}

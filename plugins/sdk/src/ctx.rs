use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::{
    Applicability, DocPath, Edit, Evidence, EvidenceValue, Finding, Fix, Label, LineIndex, Location, PathSegment,
    Severity, Span,
};

/// Everything a rule sees of one document, and where its findings go.
pub struct Ctx<'a> {
    pub path: &'a str,
    pub kind: &'a str,
    pub text: &'a str,
    /// Made at the first line asked for: most documents of a run report nothing.
    lines: std::cell::OnceCell<LineIndex>,
    options: &'a serde_json::Value,
    rule: &'static str,
    /// Every document of the batch (path, text): what repository-scope rules report into.
    all: Vec<(&'a str, &'a str)>,
    /// Line indexes of `all`'s documents, made at their first evidence record:
    /// one per document, not one per record (a manifest of many objects).
    all_lines: Vec<Option<LineIndex>>,
    /// The files whose findings the run reports.
    reported: Reported<'a>,
    /// [`Ctx::reports_doc`] of each of `all`, asked once: rules ask it of
    /// every object of the repository, in every rule.
    reported_docs: Vec<bool>,
    pub(crate) findings: Vec<Finding>,
    pub(crate) evidence: Vec<Evidence>,
}

impl<'a> Ctx<'a> {
    pub fn new(path: &'a str, kind: &'a str, text: &'a str, options: &'a serde_json::Value) -> Self {
        Ctx {
            path,
            kind,
            text,
            lines: std::cell::OnceCell::new(),
            options,
            rule: "",
            all: vec![(path, text)],
            all_lines: Vec::new(),
            reported: Reported::default(),
            reported_docs: Vec::new(),
            findings: Vec::new(),
            evidence: Vec::new(),
        }
    }

    /// The document's line index.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(self.text))
    }

    /// A context over a whole batch (repository scope): no current document;
    /// rules report with [`Ctx::report_in`].
    pub fn for_batch(docs: &'a [crate::Document], options: &'a serde_json::Value) -> Self {
        let mut cx = Ctx::new("", "", "", options);
        cx.all = docs.iter().map(|d| (d.path.as_str(), d.text.as_str())).collect();
        cx.reported = Reported::of(options);
        cx.reported_docs = cx.all.iter().map(|d| cx.reported.holds(d.0)).collect();
        cx
    }

    /// Whether findings in the file at `path` are reported: a run over named
    /// files reports only theirs, so a cross-file rule may skip judging the
    /// others (their evidence is still wanted, whole).
    pub fn reports(&self, path: &str) -> bool {
        self.reported.holds(path)
    }

    /// [`Ctx::reports`] of document `doc` (index into [`Ctx::documents`]).
    pub fn reports_doc(&self, doc: usize) -> bool {
        match self.reported_docs.get(doc) {
            Some(&reported) => reported,
            None => self.all.get(doc).is_none_or(|d| self.reports(d.0)),
        }
    }

    /// The batch's documents as (path, text), in request order.
    pub fn documents(&self) -> &[(&'a str, &'a str)] {
        &self.all
    }

    /// Reports a finding of the running rule in document `doc` (index into [`Ctx::documents`]).
    pub fn report_in(&mut self, doc: usize, span: Range<usize>, message: impl Into<String>) -> &mut Finding {
        let path = self.all.get(doc).map_or(self.path, |d| d.0);
        self.push_at(path, Location::Span(to_span(span)), message.into())
    }

    /// A context focused on document `doc` of the batch, as a file-scope rule
    /// sees it (its path and text, the running rule, the options): lets a
    /// repository-scope plugin run per-file rule code over a model built from
    /// every document. Hand it back with [`Ctx::absorb`].
    pub fn for_document(&self, doc: usize) -> Ctx<'a> {
        let (path, text) = self.all.get(doc).copied().unwrap_or((self.path, self.text));
        let mut cx = Ctx::new(path, self.kind, text, self.options);
        cx.rule = self.rule;
        cx
    }

    /// Takes the findings reported so far (a [`crate::FactPlugin`] keeps them in a fact).
    pub fn take_findings(&mut self) -> Vec<Finding> {
        std::mem::take(&mut self.findings)
    }

    /// Reports findings made earlier, as they are (a fact's, in the join).
    pub fn keep_findings(&mut self, findings: impl IntoIterator<Item = Finding>) {
        self.findings.extend(findings);
    }

    /// Takes the evidence recorded so far (for a plugin to keep in a fact).
    pub fn take_evidence(&mut self) -> Vec<Evidence> {
        std::mem::take(&mut self.evidence)
    }

    /// Records evidence an earlier step made (kept in a fact), as it is.
    pub fn keep_evidence(&mut self, evidence: impl IntoIterator<Item = Evidence>) {
        self.evidence.extend(evidence);
    }

    /// Takes over what a [`Ctx::for_document`] context reported.
    pub fn absorb(&mut self, other: Ctx<'_>) {
        self.findings.extend(other.findings);
        self.evidence.extend(other.evidence);
    }

    /// Records a fact located in document `doc`.
    pub fn evidence_in(&mut self, doc: usize, key: &str, value: EvidenceValue, at: Option<Range<usize>>) {
        let Some(&(path, text)) = self.all.get(doc) else { return };
        if self.all_lines.len() < self.all.len() {
            self.all_lines.resize(self.all.len(), None);
        }
        let lines = &mut self.all_lines[doc];
        let line = at.map(|r| lines.get_or_insert_with(|| LineIndex::new(text)).line(r.start) as u32);
        self.evidence.push(Evidence { key: key.to_string(), value, path: Some(path.to_string()), line, note: None });
    }

    /// Reports a finding of the running rule at a 1-based line of any file the
    /// host named in the evidence document (evidence-phase plugins, see
    /// `wit/README.md`), or of a document of the batch.
    pub fn report_line(&mut self, path: &str, line: u32, message: impl Into<String>) -> &mut Finding {
        let location = if line == 0 { Location::WholeFile } else { Location::Line(line) };
        self.findings.push(Finding {
            rule: self.rule.to_string(),
            path: path.to_string(),
            severity: None,
            message: message.into(),
            help: None,
            primary: Label { path: None, location, message: None },
            related: Vec::new(),
            fix: None,
        });
        self.findings.last_mut().expect("just pushed")
    }

    /// Records a fact at a 1-based line of a file (`line` 0: the whole file);
    /// `path: None`: a fact about the repository as a whole.
    pub fn evidence_line(
        &mut self,
        path: Option<&str>,
        line: u32,
        key: &str,
        value: EvidenceValue,
        note: Option<String>,
    ) {
        let line = (line > 0 && path.is_some()).then_some(line);
        self.evidence.push(Evidence { key: key.to_string(), value, path: path.map(str::to_string), line, note });
    }

    /// The local id of the rule now running.
    pub fn rule(&self) -> &'static str {
        self.rule
    }

    pub fn set_rule(&mut self, rule: &'static str) {
        self.rule = rule;
    }

    /// Reports a finding of the running rule at a byte range of this document.
    pub fn report(&mut self, span: Range<usize>, message: impl Into<String>) -> &mut Finding {
        self.push(Location::Span(to_span(span)), message.into())
    }

    /// Reports a finding of the running rule at a YAML (or JSON) path of this
    /// document, such as `spec.containers[0].image` in its `document`-th
    /// YAML document (from 0); the host resolves it to the value (a scalar)
    /// or its key (a mapping or sequence). For plugins that do not keep
    /// spans; a path past what the document holds points at the deepest node
    /// it reaches.
    pub fn report_path(&mut self, document: u32, path: &str, message: impl Into<String>) -> &mut Finding {
        let segments = path_segments(path);
        self.push(Location::Path(DocPath { document, segments }), message.into())
    }

    /// Reports a finding about the document as a whole.
    pub fn report_file(&mut self, message: impl Into<String>) -> &mut Finding {
        self.push(Location::WholeFile, message.into())
    }

    fn push(&mut self, location: Location, message: String) -> &mut Finding {
        self.push_at(self.path, location, message)
    }

    fn push_at(&mut self, path: &str, location: Location, message: String) -> &mut Finding {
        self.findings.push(Finding {
            rule: self.rule.to_string(),
            path: path.to_string(),
            severity: None,
            message,
            help: None,
            primary: Label { path: None, location, message: None },
            related: Vec::new(),
            fix: None,
        });
        self.findings.last_mut().expect("just pushed")
    }

    /// A rule option: `options["<rule-id>"][key]`, else the plugin-wide `options[key]`.
    pub fn option<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        let rule = self.options.get(self.rule).and_then(|o| o.get(key));
        let value = rule.or_else(|| self.options.get(key))?;
        serde_json::from_value(value.clone()).ok()
    }

    /// Records a fact for cross-file plugins and the maturity assessment.
    pub fn evidence(&mut self, key: &str, value: EvidenceValue, at: Option<Range<usize>>) {
        let line = at.map(|r| self.lines().line(r.start) as u32);
        self.evidence.push(Evidence {
            key: key.to_string(),
            value,
            path: Some(self.path.to_string()),
            line,
            note: None,
        });
    }
}

/// The host's `reported_files` option (wit/plugin.wit, `join-request`): in
/// a run over named files, the only paths whose findings it reports.
#[derive(Default)]
pub(crate) struct Reported<'a>(Option<std::collections::HashSet<&'a str>>);

impl<'a> Reported<'a> {
    pub(crate) fn of(options: &'a serde_json::Value) -> Self {
        let files = options.get(REPORTED_FILES).and_then(serde_json::Value::as_array);
        Reported(files.map(|files| files.iter().filter_map(serde_json::Value::as_str).collect()))
    }

    /// Whether findings in the file at `path` are reported (all are without the option).
    pub(crate) fn holds(&self, path: &str) -> bool {
        self.0.as_ref().is_none_or(|r| r.contains(path))
    }
}

/// The option key of [`Reported`].
pub(crate) const REPORTED_FILES: &str = "reported_files";

fn to_span(r: Range<usize>) -> Span {
    Span { start: r.start as u32, end: r.end.max(r.start) as u32 }
}

/// Builder-style additions to a reported finding.
pub trait FindingExt {
    fn help(&mut self, help: impl Into<String>) -> &mut Self;
    fn severity(&mut self, severity: Severity) -> &mut Self;
    fn related(&mut self, span: Range<usize>, message: impl Into<String>) -> &mut Self;
    fn fix(
        &mut self,
        title: impl Into<String>,
        applicability: Applicability,
        edits: Vec<(Range<usize>, String)>,
    ) -> &mut Self;
}

impl FindingExt for Finding {
    fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    fn severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = Some(severity);
        self
    }

    fn related(&mut self, span: Range<usize>, message: impl Into<String>) -> &mut Self {
        self.related.push(Label { path: None, location: Location::Span(to_span(span)), message: Some(message.into()) });
        self
    }

    fn fix(
        &mut self,
        title: impl Into<String>,
        applicability: Applicability,
        edits: Vec<(Range<usize>, String)>,
    ) -> &mut Self {
        self.fix = Some(Fix {
            title: title.into(),
            applicability,
            edits: edits.into_iter().map(|(r, replacement)| Edit { span: to_span(r), replacement }).collect(),
        });
        self
    }
}

/// `a.b[0].c` as key, key, index, key (keys holding dots cannot be written
/// this way). The grammar of `opslint_yaml::path_segments`, which the rules
/// use on their side; the SDK does not depend on the YAML layer, so that a
/// plugin that reads no YAML does not carry a YAML parser.
fn path_segments(path: &str) -> Vec<PathSegment> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, indices) = part.split_once('[').map_or((part, ""), |(k, rest)| (k, rest));
        if !key.is_empty() {
            out.push(PathSegment::Key(key.to_string()));
        }
        for index in indices.split('[').map(|i| i.trim_end_matches(']')).filter(|i| !i.is_empty()) {
            if let Ok(i) = index.parse() {
                out.push(PathSegment::Index(i));
            }
        }
    }
    out
}

#[cfg(test)]
mod path_tests {
    use super::*;

    #[test]
    fn paths_split_into_keys_and_indices() {
        let shown = |p: &str| {
            let parts: Vec<String> = path_segments(p)
                .into_iter()
                .map(|s| match s {
                    PathSegment::Key(k) => k,
                    PathSegment::Index(i) => format!("#{i}"),
                })
                .collect();
            parts.join(" ")
        };
        assert_eq!(shown("spec.containers[0].image"), "spec containers #0 image");
        assert_eq!(shown("m[1][2]"), "m #1 #2");
        assert_eq!(shown(""), "");
    }
}

#[cfg(test)]
mod evidence_tests {
    use super::*;

    #[test]
    fn evidence_lines_are_those_of_each_records_own_document() {
        let doc =
            |path: &str, text: &str| crate::Document { path: path.into(), kind: "yaml".into(), text: text.into() };
        let docs = [doc("a.yaml", "a: 1\nb: 2\nc: 3\n"), doc("b.yaml", "x\n\ny\n")];
        let options = serde_json::Value::Null;
        let mut cx = Ctx::for_batch(&docs, &options);
        let value = || EvidenceValue::Text("t".into());
        // Several records per document, in any order: each located in its own text.
        cx.evidence_in(0, "k", value(), Some(10..11));
        cx.evidence_in(1, "k", value(), Some(3..4));
        cx.evidence_in(0, "k", value(), Some(0..1));
        cx.evidence_in(1, "k", value(), None);
        cx.evidence_in(2, "k", value(), Some(0..1));
        let got: Vec<(Option<String>, Option<u32>)> = cx.evidence.iter().map(|e| (e.path.clone(), e.line)).collect();
        let want = [("a.yaml", Some(3)), ("b.yaml", Some(3)), ("a.yaml", Some(1)), ("b.yaml", None)];
        assert_eq!(got, want.map(|(p, l)| (Some(p.to_string()), l)));
    }

    #[test]
    fn a_documents_line_index_is_made_when_a_line_is_asked_for() {
        let options = serde_json::Value::Null;
        let text = "FROM a\nRUN b\n";
        let mut cx = Ctx::new("Dockerfile", "dockerfile", text, &options);
        // A repository-scope plugin focuses a context per rule and file: most report nothing.
        let quiet = cx.for_document(0);
        assert!(quiet.lines.get().is_none());
        cx.evidence("k", EvidenceValue::Text("t".into()), Some(7..10));
        assert_eq!(cx.evidence[0].line, Some(2));
        assert_eq!(cx.lines().line_count(), 3);
    }
}

//! Human output through miette: code = rule id, the source snippet with the
//! span labelled, help, and a summary line.
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use rayon::prelude::*;

use super::source::Indexed;
use super::{summary, Report};
use crate::finding::{Finding, Severity};

struct Shown<'a> {
    finding: &'a Finding,
    source: Option<Indexed>,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(_) => f.write_str(&self.finding.message),
            None => write!(f, "{}: {}", self.finding.path, self.finding.message),
        }
    }
}

impl std::error::Error for Shown<'_> {}

impl Diagnostic for Shown<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::High | Severity::Medium => miette::Severity::Error,
            Severity::Low => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.finding.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = self.finding.position.as_ref()?;
        let f = self.finding;
        let head = LabeledSpan::new_primary_with_span(Some(f.severity.to_string()), span(primary));
        let related = f.related.iter().filter(|r| r.path == f.path).filter_map(|r| {
            let p = r.position.as_ref()?;
            Some(LabeledSpan::new_with_span(r.message.clone(), span(p)))
        });
        Some(Box::new(std::iter::once(head).chain(related)))
    }
}

fn span(p: &crate::finding::Position) -> miette::SourceSpan {
    (p.start as usize, (p.end - p.start) as usize).into()
}

fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    GraphicalReportHandler::new_themed(theme).with_links(false).with_width(100).with_context_lines(1)
}

/// The findings, then the summary line.
pub fn render(report: &Report, texts: &HashMap<&str, &str>, color: bool) -> String {
    let mut out = render_findings(report, texts, color);
    out.push_str(&summary(report));
    out.push('\n');
    out
}

/// The findings alone (`--quiet`). Rendered on every core (miette's
/// wrapping of each message is most of the time of a report of thousands of
/// findings), then joined in the report's order.
pub fn render_findings(report: &Report, texts: &HashMap<&str, &str>, color: bool) -> String {
    let mut sources: HashMap<&str, Indexed> = HashMap::new();
    for f in report.findings.iter().filter(|f| f.position.is_some()) {
        if let Some(text) = texts.get(f.path.as_str()) {
            sources.entry(f.path.as_str()).or_insert_with(|| Indexed::new(&f.path, Arc::from(*text)));
        }
    }
    let shown: Vec<String> =
        report.findings.par_iter().map_init(|| handler(color), |handler, f| render_one(handler, f, &sources)).collect();
    shown.concat()
}

fn render_one(handler: &GraphicalReportHandler, f: &Finding, sources: &HashMap<&str, Indexed>) -> String {
    let mut out = String::new();
    let source = f.position.as_ref().and_then(|_| sources.get(f.path.as_str())).cloned();
    let shown = Shown { finding: f, source };
    if handler.render_report(&mut out, &shown).is_err() {
        out.push_str(&format!("{}: {} [{}]\n", f.path, f.message, f.rule));
    }
    // Related locations in other files are listed after the snippet.
    for r in f.related.iter().filter(|r| r.path != f.path) {
        let at = r.position.as_ref().map(|p| format!(":{}:{}", p.line, p.column)).unwrap_or_default();
        out.push_str(&format!(
            "  related: {}{at}{}\n",
            r.path,
            r.message.as_ref().map(|m| format!(": {m}")).unwrap_or_default()
        ));
    }
    out.push('\n');
    out
}

pub fn render_error(err: &dyn Diagnostic, color: bool) -> String {
    let mut out = String::new();
    if handler(color).render_report(&mut out, err).is_err() {
        out = err.to_string();
    }
    out
}

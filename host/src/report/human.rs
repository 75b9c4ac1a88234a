//! Human output: findings grouped by file, in line order; each location's
//! source line shown once, under every finding that points at it, with the
//! spans underlined; then the summary line. Errors (config, usage) still go
//! through miette.
use std::collections::HashMap;
use std::fmt::Write;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

use super::{summary, Report};
use crate::finding::{Finding, Severity};
use crate::locate::Lines;

/// How findings are drawn.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// The source line under each location (`--no-show-source` turns it off).
    pub source: bool,
}

/// Longest part of a source line shown; longer lines are cut around the span.
const MAX_LINE: usize = 120;

/// The findings, then the summary line.
pub fn render(report: &Report, texts: &HashMap<&str, &str>, style: Style) -> String {
    let mut out = render_findings(report, texts, style);
    out.push_str(&summary(report));
    out.push('\n');
    out
}

/// The findings alone (`--quiet`).
pub fn render_findings(report: &Report, texts: &HashMap<&str, &str>, style: Style) -> String {
    let mut out = String::new();
    let paint = Paint(style.color);
    // Findings are sorted by path, then line: each file's findings are one run.
    for group in report.findings.chunk_by(|a, b| a.path == b.path) {
        let path = &group[0].path;
        let lines = texts.get(path.as_str()).map(|t| Lines::new(t));
        let _ = writeln!(out, "{}", paint.bold(path));
        for at in group.chunk_by(|a, b| start_line(a) == start_line(b)) {
            for f in at {
                let place =
                    f.position.as_ref().map_or_else(|| "file".to_string(), |p| format!("{}:{}", p.line, p.column));
                let _ = writeln!(
                    out,
                    "  {} {}{} {} {}",
                    paint.dim(&place),
                    paint.severity(f.severity),
                    " ".repeat(6 - f.severity.as_str().len()),
                    paint.dim(&f.rule),
                    f.message
                );
                if let Some(help) = &f.help {
                    let _ = writeln!(out, "      {} {help}", paint.cyan("help:"));
                }
                for r in &f.related {
                    let line = r.position.as_ref().map(|p| format!("{}:{}", p.line, p.column));
                    // In the same file the line is enough.
                    let place = match (r.path == f.path, line) {
                        (true, Some(l)) => l,
                        (false, Some(l)) => format!("{}:{l}", r.path),
                        (_, None) => r.path.clone(),
                    };
                    let note = r.message.as_ref().map(|m| format!(": {m}")).unwrap_or_default();
                    let _ = writeln!(out, "      {} {place}{note}", paint.cyan("related:"));
                }
            }
            if let (true, Some(lines), Some(line)) = (style.source, &lines, start_line(&at[0])) {
                snippet(&mut out, lines, line, at, paint);
            }
        }
        out.push('\n');
    }
    out
}

fn start_line(f: &Finding) -> Option<u32> {
    f.position.as_ref().map(|p| p.line)
}

/// The source line once, with each finding's span on it underlined.
fn snippet(out: &mut String, lines: &Lines, line: u32, at: &[Finding], paint: Paint) {
    let Some(whole) = lines.line_position(line) else { return };
    let text: Vec<char> = lines.text_of(&whole).chars().map(|c| if c == '\t' { ' ' } else { c }).collect();
    let mut marks = vec![false; text.len() + 1];
    for p in at.iter().filter_map(|f| f.position.as_ref()) {
        let from = (p.column as usize).saturating_sub(1).min(text.len());
        let to = if p.end_line == line { (p.end_column as usize).saturating_sub(1) } else { text.len() };
        let to = to.clamp(from + 1, text.len().max(from + 1));
        let to = to.min(marks.len());
        for m in &mut marks[from..to] {
            *m = true;
        }
    }
    // Cut long lines to a window that starts a little before the first mark.
    let first = marks.iter().position(|&m| m).unwrap_or(0);
    let start = if text.len() > MAX_LINE { first.saturating_sub(MAX_LINE / 3) } else { 0 };
    let end = (start + MAX_LINE).min(text.len());
    let shown: String = text[start..end].iter().collect();
    let (lead, tail) = (if start > 0 { "…" } else { "" }, if end < text.len() { "…" } else { "" });
    let number = line.to_string();
    let pad = " ".repeat(number.len());
    let _ = writeln!(out, "    {} {} {lead}{shown}{tail}", paint.dim(&number), paint.dim("│"));
    let under: String = marks[start..end.max(start).min(marks.len())]
        .iter()
        .map(|&m| if m { '^' } else { ' ' })
        .collect::<String>()
        .trim_end()
        .to_string();
    let lead = if start > 0 { " " } else { "" };
    let _ = writeln!(out, "    {pad} {} {lead}{}", paint.dim("│"), paint.red(&under));
}

/// ANSI colours when wanted.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn wrap(self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn dim(self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn cyan(self, s: &str) -> String {
        self.wrap("36", s)
    }
    fn red(self, s: &str) -> String {
        self.wrap("31", s)
    }
    fn severity(self, s: Severity) -> String {
        let code = match s {
            Severity::High => "1;31",
            Severity::Medium => "33",
            Severity::Low => "34",
            Severity::Info => "36",
        };
        self.wrap(code, s.as_str())
    }
}

/// `--format concise`: `path:line:col: severity rule message`, one line per
/// finding (line and column 1 for a finding about the whole file), the form
/// editors' and CI logs' error matchers read.
pub fn render_concise(report: &Report, summary_line: bool) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let (line, col) = f.position.as_ref().map_or((1, 1), |p| (p.line, p.column));
        let message = f.message.replace(['\n', '\r'], " ");
        let _ = writeln!(out, "{}:{line}:{col}: {} {} {message}", f.path, f.severity, f.rule);
    }
    if summary_line {
        out.push_str(&summary(report));
        out.push('\n');
    }
    out
}

fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    GraphicalReportHandler::new_themed(theme).with_links(false).with_width(100).with_context_lines(1)
}

pub fn render_error(err: &dyn Diagnostic, color: bool) -> String {
    let mut out = String::new();
    if handler(color).render_report(&mut out, err).is_err() {
        out = err.to_string();
    }
    out
}

//! `--format github`: one workflow command per finding, which GitHub Actions
//! shows as an annotation on the pull request's diff. Findings at or above
//! `fail-on` are errors, others warnings (info: notices). Suppressed and
//! baselined findings are not annotated.
use std::fmt::Write;

use super::Report;
use crate::finding::{Finding, Severity};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let _ = writeln!(out, "{}", annotation(f, report.fail_on));
    }
    out
}

fn annotation(f: &Finding, fail_on: Severity) -> String {
    let command = if f.severity >= fail_on {
        "error"
    } else if f.severity == Severity::Info {
        "notice"
    } else {
        "warning"
    };
    let mut props = vec![format!("file={}", property(&f.path))];
    if let Some(p) = &f.position {
        props.push(format!("line={}", p.line));
        props.push(format!("col={}", p.column));
        props.push(format!("endLine={}", p.end_line));
        // GitHub's endColumn is inclusive only on one line; ours is the column after the span.
        if p.end_line == p.line {
            props.push(format!("endColumn={}", p.end_column.max(p.column + 1) - 1));
        }
    }
    props.push(format!("title={}", property(&format!("{} ({})", f.rule, f.severity))));
    let mut message = f.message.clone();
    if let Some(help) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{command} {}::{}", props.join(","), data(&message))
}

/// Escaping for the message part of a workflow command.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escaping for a property value: also `:` and `,`, which delimit properties.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes() {
        assert_eq!(super::data("50%\nnext\r"), "50%25%0Anext%0D");
        assert_eq!(super::property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}

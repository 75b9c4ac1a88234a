//! Text positions for fixes that add YAML: where a line ends, the
//! indentation a new key needs. Edits insert whole lines so nothing else on
//! a line (a trailing comment, a value) moves.

/// Byte offset of the end of the line holding `at` (before its newline).
pub fn line_end(text: &str, at: usize) -> usize {
    text[at.min(text.len())..].find('\n').map_or(text.len(), |i| at + i)
}

/// Byte offset of the start of the line holding `at`.
pub fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// Spaces up to `at` on its line (a `- ` sequence marker counts as indentation
/// of the key after it); `None` when anything else comes before `at`, such
/// as a flow mapping's `{`.
pub fn indent_before(text: &str, at: usize) -> Option<String> {
    let before = &text[line_start(text, at)..at];
    before.chars().all(|c| c == ' ' || c == '-').then(|| " ".repeat(before.len()))
}

/// The line ending the document uses (`\r\n` or `\n`).
pub fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let t = "a:\n  - uses: x # v1\n  - {uses: y}\n";
        let uses = t.find("uses").unwrap();
        assert_eq!(&t[line_start(t, uses)..line_end(t, uses)], "  - uses: x # v1");
        assert_eq!(indent_before(t, uses).as_deref(), Some("    "));
        assert_eq!(indent_before(t, t.rfind("uses").unwrap()), None);
        assert_eq!(line_end("no newline", 3), 10);
    }
}

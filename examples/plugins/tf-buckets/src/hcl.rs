//! A tolerant scanner for the subset of HCL that Terraform resources use:
//! blocks (`type "label" … { … }`) and attributes (`key = expression`), with
//! byte spans. Expressions are kept as text; strings, heredocs, comments and
//! brackets are skipped correctly so their braces never end a block.
//! Anything it does not understand is skipped to the end of the line.
use std::ops::Range;

/// Deeper nesting than this is skipped, not recorded (hostile input cannot overflow the stack).
const MAX_DEPTH: usize = 32;

#[derive(Debug, Default, Clone)]
pub struct Body {
    pub attrs: Vec<Attr>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
pub struct Attr {
    pub key: String,
    /// The expression, trimmed.
    pub value: String,
    pub key_span: Range<usize>,
    pub value_span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    /// From the block type to the last label.
    pub header: Range<usize>,
    pub body: Body,
}

/// A parsed file, and the offset of a block left open at the end, if any.
pub struct File {
    pub body: Body,
    pub unclosed: Option<usize>,
}

impl Body {
    pub fn attr(&self, key: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.key == key)
    }

    pub fn block(&self, kind: &str) -> Option<&Block> {
        self.blocks.iter().find(|b| b.kind == kind)
    }

    /// The first attribute named `key` at any depth.
    pub fn find_attr(&self, key: &str) -> Option<&Attr> {
        self.attr(key).or_else(|| self.blocks.iter().find_map(|b| b.body.find_attr(key)))
    }
}

impl Attr {
    /// The value as a literal string (`"x"` without interpolation), or a bare `true`/`false`/number.
    pub fn literal(&self) -> Option<&str> {
        let v = self.value.as_str();
        match v.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            Some(inner) if !inner.contains("${") && !inner.contains('"') => Some(inner),
            Some(_) => None,
            None if !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') => Some(v),
            None => None,
        }
    }

    pub fn is_true(&self) -> bool {
        self.literal() == Some("true")
    }
}

pub fn parse(text: &str) -> File {
    let mut s = Scanner { b: text.as_bytes(), text, i: 0, unclosed: None };
    let (body, _) = s.body(0);
    File { body, unclosed: s.unclosed }
}

struct Scanner<'a> {
    b: &'a [u8],
    text: &'a str,
    i: usize,
    unclosed: Option<usize>,
}

impl<'a> Scanner<'a> {
    fn peek(&self, ahead: usize) -> u8 {
        self.b.get(self.i + ahead).copied().unwrap_or(0)
    }

    /// Parses statements until a closing `}` (consumed; `true`) or the end of the text (`false`).
    fn body(&mut self, depth: usize) -> (Body, bool) {
        let mut body = Body::default();
        loop {
            self.skip_space(true);
            if self.i >= self.b.len() {
                return (body, false);
            }
            if self.peek(0) == b'}' {
                self.i += 1;
                return (body, true);
            }
            let start = self.i;
            let Some(ident) = self.ident() else {
                self.skip_line();
                continue;
            };
            self.skip_space(false);
            if self.peek(0) == b'=' && self.peek(1) != b'=' {
                self.i += 1;
                self.skip_space(false);
                let value = self.expression();
                let raw = &self.text[value.clone()];
                let trimmed = raw.trim_end();
                let value_span = value.start..value.start + trimmed.len();
                body.attrs.push(Attr {
                    key: ident.to_string(),
                    value: trimmed.to_string(),
                    key_span: start..start + ident.len(),
                    value_span,
                });
                continue;
            }
            let mut labels = Vec::new();
            let mut header_end = self.i;
            loop {
                self.skip_space(false);
                match self.peek(0) {
                    b'"' => {
                        let from = self.i;
                        self.string();
                        let end = if self.b[self.i - 1] == b'"' && self.i > from + 1 { self.i - 1 } else { self.i };
                        labels.push(self.text[from + 1..end].to_string());
                        header_end = self.i;
                    }
                    b'{' => {
                        self.i += 1;
                        let open = self.i - 1;
                        let inner = if depth >= MAX_DEPTH {
                            self.skip_balanced();
                            Body::default()
                        } else {
                            let (inner, closed) = self.body(depth + 1);
                            if !closed {
                                self.unclosed = Some(open);
                            }
                            inner
                        };
                        let header = start..header_end.max(start + ident.len());
                        body.blocks.push(Block { kind: ident.to_string(), labels, header, body: inner });
                        break;
                    }
                    _ => match self.ident() {
                        Some(label) => {
                            labels.push(label.to_string());
                            header_end = self.i;
                        }
                        None => {
                            self.skip_line();
                            break;
                        }
                    },
                }
            }
        }
    }

    fn ident(&mut self) -> Option<&'a str> {
        let start = self.i;
        if !(self.peek(0).is_ascii_alphabetic() || self.peek(0) == b'_') {
            return None;
        }
        while self.peek(0).is_ascii_alphanumeric() || self.peek(0) == b'_' || self.peek(0) == b'-' {
            self.i += 1;
        }
        Some(&self.text[start..self.i])
    }

    /// Skips blanks and comments; newlines too when `newlines`.
    fn skip_space(&mut self, newlines: bool) {
        loop {
            match self.peek(0) {
                b' ' | b'\t' | b'\r' => self.i += 1,
                b'\n' if newlines => self.i += 1,
                b'#' => self.skip_to_eol(),
                b'/' if self.peek(1) == b'/' => self.skip_to_eol(),
                b'/' if self.peek(1) == b'*' => {
                    self.i += 2;
                    while self.i < self.b.len() && !(self.peek(0) == b'*' && self.peek(1) == b'/') {
                        self.i += 1;
                    }
                    self.i = (self.i + 2).min(self.b.len());
                }
                _ => return,
            }
        }
    }

    fn skip_to_eol(&mut self) {
        while self.i < self.b.len() && self.peek(0) != b'\n' {
            self.i += 1;
        }
    }

    fn skip_line(&mut self) {
        self.skip_to_eol();
        self.i = (self.i + 1).min(self.b.len());
    }

    /// An expression: up to a newline or an unmatched `}` outside brackets, strings and heredocs.
    fn expression(&mut self) -> Range<usize> {
        let start = self.i;
        let mut depth = 0usize;
        if self.peek(0) == b'<' && self.peek(1) == b'<' {
            self.heredoc();
            return start..self.i;
        }
        while self.i < self.b.len() {
            match self.peek(0) {
                b'"' => self.string(),
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    self.i += 1;
                }
                b')' | b']' | b'}' if depth > 0 => {
                    depth -= 1;
                    self.i += 1;
                }
                b'}' => break,
                b'\n' if depth == 0 => break,
                b'#' if depth == 0 => return start..self.i,
                b'#' => self.skip_to_eol(),
                b'/' if self.peek(1) == b'/' || self.peek(1) == b'*' => {
                    let before = self.i;
                    self.skip_space(depth > 0);
                    if depth == 0 {
                        return start..before;
                    }
                }
                _ => self.i += 1,
            }
        }
        start..self.i
    }

    /// A quoted string, with escapes and `${ … }` interpolations that may hold strings.
    fn string(&mut self) {
        self.i += 1;
        while self.i < self.b.len() {
            match self.peek(0) {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return;
                }
                b'\n' => return,
                b'$' | b'%' if self.peek(1) == b'{' => {
                    self.i += 2;
                    let mut depth = 1usize;
                    while self.i < self.b.len() && depth > 0 {
                        match self.peek(0) {
                            b'"' => self.string(),
                            b'{' => {
                                depth += 1;
                                self.i += 1;
                            }
                            b'}' => {
                                depth -= 1;
                                self.i += 1;
                            }
                            b'\n' => return,
                            _ => self.i += 1,
                        }
                    }
                }
                _ => self.i += 1,
            }
        }
        self.i = self.i.min(self.b.len());
    }

    /// `<<EOF` or `<<-EOF` up to the line that is only the marker.
    fn heredoc(&mut self) {
        self.i += 2;
        if self.peek(0) == b'-' {
            self.i += 1;
        }
        let marker = self.ident().unwrap_or("").to_string();
        self.skip_line();
        while self.i < self.b.len() {
            let line_start = self.i;
            self.skip_to_eol();
            let line = self.text[line_start..self.i].trim();
            if !marker.is_empty() && line == marker {
                return;
            }
            self.i = (self.i + 1).min(self.b.len());
        }
    }

    /// After a `{` too deep to record: up to its matching `}`.
    fn skip_balanced(&mut self) {
        let mut depth = 1usize;
        while self.i < self.b.len() && depth > 0 {
            match self.peek(0) {
                b'"' => self.string(),
                b'#' => self.skip_to_eol(),
                b'{' => {
                    depth += 1;
                    self.i += 1;
                }
                b'}' => {
                    depth -= 1;
                    self.i += 1;
                }
                _ => self.i += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_attributes_and_spans() {
        let src = "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"acme-logs\" # name\n  tags = {\n    a = \"}\"\n  }\n  versioning { enabled = true }\n}\n";
        let f = parse(src);
        assert!(f.unclosed.is_none());
        let r = &f.body.blocks[0];
        assert_eq!((r.kind.as_str(), r.labels.clone()), ("resource", vec!["aws_s3_bucket".into(), "logs".into()]));
        assert_eq!(&src[r.header.clone()], "resource \"aws_s3_bucket\" \"logs\"");
        let bucket = r.body.attr("bucket").unwrap();
        assert_eq!(&src[bucket.value_span.clone()], "\"acme-logs\"");
        assert_eq!(bucket.literal(), Some("acme-logs"));
        assert!(r.body.attr("tags").unwrap().value.ends_with('}'));
        assert!(r.body.block("versioning").unwrap().body.attr("enabled").unwrap().is_true());
    }

    #[test]
    fn heredocs_interpolations_and_unclosed_blocks() {
        let src = "resource \"a\" \"b\" {\n  policy = <<EOF\n{ \"x\": \"}\" }\nEOF\n  name = \"${var.env == \"p\" ? \"}\" : \"x\"}\"\n}\nresource \"c\" \"d\" {\n";
        let f = parse(src);
        assert_eq!(f.body.blocks.len(), 2);
        assert_eq!(f.body.blocks[0].body.attrs.len(), 2);
        assert!(f.unclosed.is_some());
    }

    #[test]
    fn deep_nesting_is_skipped_not_recursed() {
        let src = "a {".repeat(10_000) + &"}".repeat(10_000);
        let f = parse(&src);
        assert_eq!(f.body.blocks.len(), 1);
    }
}

//! Terraform files as blocks with their labels and attributes with their raw
//! value text and 1-based line. Read with `hcl-edit` (which keeps spans);
//! when that fails (a syntax error anywhere in the file, or nesting deeper
//! than [`MAX_NESTING`], which a recursive parser should not be given), a
//! small tolerant line scanner reads what it can instead, so one broken file
//! still yields its databases. Expressions are kept as text either way.

/// Deepest bracket nesting handed to the real parser.
pub const MAX_NESTING: i32 = 64;

/// One block: `resource "aws_db_instance" "main" { … }`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    pub line: u32,
    pub attrs: Vec<Attr>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    pub key: String,
    /// The expression as written, trimmed (`true`, `"s3://x"`, `var.days`).
    pub value: String,
    pub line: u32,
}

impl Block {
    /// An attribute by dotted path through nested blocks: `settings.backup_configuration.enabled`.
    pub fn attr(&self, path: &str) -> Option<&Attr> {
        match path.split_once('.') {
            None => self.attrs.iter().find(|a| a.key == path),
            Some((block, rest)) => self.blocks.iter().filter(|b| b.kind == block).find_map(|b| b.attr(rest)),
        }
    }

    /// `true` / `false` when the attribute is a literal boolean.
    pub fn bool(&self, path: &str) -> Option<bool> {
        match self.attr(path)?.value.trim_matches('"') {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// A literal integer (quoted or not).
    pub fn int(&self, path: &str) -> Option<i64> {
        self.attr(path)?.value.trim_matches('"').parse().ok()
    }

    /// A literal string without its quotes.
    pub fn string(&self, path: &str) -> Option<&str> {
        let v = self.attr(path)?.value.as_str();
        v.strip_prefix('"')?.strip_suffix('"')
    }
}

/// Removes a `#` or `//` comment outside strings; `in_block` tracks `/* */` across lines.
fn strip_comment(line: &str, in_block: &mut bool) -> String {
    let mut out = String::new();
    let mut chars = line.char_indices().peekable();
    let mut in_str = false;
    while let Some((_, c)) = chars.next() {
        if *in_block {
            if c == '*' && chars.peek().is_some_and(|(_, n)| *n == '/') {
                chars.next();
                *in_block = false;
            }
            continue;
        }
        if in_str {
            out.push(c);
            if c == '\\' {
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                }
            } else if c == '"' {
                in_str = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                out.push(c);
            }
            '#' => break,
            '/' if chars.peek().is_some_and(|(_, n)| *n == '/') => break,
            '/' if chars.peek().is_some_and(|(_, n)| *n == '*') => {
                chars.next();
                *in_block = true;
            }
            _ => out.push(c),
        }
    }
    out
}

/// Net `{`/`[`/`(` depth of a line, outside strings.
fn depth(s: &str) -> i32 {
    let mut d = 0;
    let mut in_str = false;
    let mut prev = ' ';
    for c in s.chars() {
        if in_str {
            if c == '"' && prev != '\\' {
                in_str = false;
            }
        } else {
            match c {
                '"' => in_str = true,
                '{' | '[' | '(' => d += 1,
                '}' | ']' | ')' => d -= 1,
                _ => {}
            }
        }
        prev = c;
    }
    d
}

fn is_ident(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `resource "a" "b" {` → ("resource", ["a", "b"]).
fn block_header(s: &str) -> Option<(String, Vec<String>)> {
    let head = s.strip_suffix('{')?.trim();
    let mut parts = head.split_whitespace();
    let kind = parts.next()?;
    if !is_ident(kind) {
        return None;
    }
    let mut labels = Vec::new();
    for p in parts {
        let label = p.trim_matches('"');
        if !is_ident(label) && !p.starts_with('"') {
            return None;
        }
        labels.push(label.to_string());
    }
    Some((kind.to_string(), labels))
}

/// `key = value` → (key, value).
fn attribute(s: &str) -> Option<(&str, &str)> {
    let (k, v) = s.split_once('=')?;
    let k = k.trim();
    if !is_ident(k) || v.starts_with('=') || v.starts_with('>') {
        return None;
    }
    Some((k, v.trim()))
}

/// The top-level blocks of a Terraform file.
pub fn parse(text: &str) -> Vec<Block> {
    if max_nesting(text) <= MAX_NESTING {
        if let Ok(body) = hcl_edit::parser::parse_body(text) {
            let lines = Lines::new(text);
            return body_blocks(&body, text, &lines).1;
        }
    }
    scan(text)
}

/// Line starts, to turn byte offsets into 1-based lines.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        Lines(std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }
    fn line(&self, offset: usize) -> u32 {
        self.0.partition_point(|&s| s <= offset) as u32
    }
}

/// Attributes and blocks of a parsed body.
fn body_blocks(body: &hcl_edit::structure::Body, text: &str, lines: &Lines) -> (Vec<Attr>, Vec<Block>) {
    use hcl_edit::structure::{BlockLabel, Structure};
    use hcl_edit::Span;
    let mut attrs = Vec::new();
    let mut blocks = Vec::new();
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let at = a.span().or_else(|| a.key.span()).map_or(0, |r| r.start);
                let value = a.value.span().and_then(|r| text.get(r)).unwrap_or("").trim().to_string();
                attrs.push(Attr { key: a.key.as_str().to_string(), value, line: lines.line(at) });
            }
            Structure::Block(b) => {
                let at = b.span().or_else(|| b.ident.span()).map_or(0, |r| r.start);
                let labels = b
                    .labels
                    .iter()
                    .map(|l| match l {
                        BlockLabel::Ident(i) => i.as_str().to_string(),
                        BlockLabel::String(s) => s.as_str().to_string(),
                    })
                    .collect();
                let (attrs, inner) = body_blocks(&b.body, text, lines);
                blocks.push(Block {
                    kind: b.ident.as_str().to_string(),
                    labels,
                    line: lines.line(at),
                    attrs,
                    blocks: inner,
                });
            }
        }
    }
    (attrs, blocks)
}

/// Deepest `{`/`[`/`(` nesting outside strings and comments.
fn max_nesting(text: &str) -> i32 {
    let mut in_comment = false;
    let (mut d, mut max) = (0i32, 0i32);
    for raw in text.lines() {
        let clean = strip_comment(raw, &mut in_comment);
        let mut in_str = false;
        let mut prev = ' ';
        for c in clean.chars() {
            if in_str {
                in_str = !(c == '"' && prev != '\\');
            } else {
                match c {
                    '"' => in_str = true,
                    '{' | '[' | '(' => {
                        d += 1;
                        max = max.max(d);
                    }
                    '}' | ']' | ')' => d -= 1,
                    _ => {}
                }
            }
            prev = c;
        }
    }
    max
}

/// The tolerant line scanner: top-level blocks of a file `hcl-edit` refused.
pub fn scan(text: &str) -> Vec<Block> {
    let mut stack: Vec<Block> = vec![Block::default()];
    let mut in_comment = false;
    let mut heredoc: Option<String> = None;
    // An attribute whose value spans lines: (depth still open).
    let mut open_value = 0i32;
    for (n, raw) in text.lines().enumerate() {
        let line = n as u32 + 1;
        if let Some(end) = &heredoc {
            if raw.trim() == end {
                heredoc = None;
            }
            continue;
        }
        let clean = strip_comment(raw, &mut in_comment);
        let s = clean.trim();
        if open_value > 0 {
            open_value += depth(s);
            continue;
        }
        if s.is_empty() {
            continue;
        }
        if let Some((kind, labels)) = block_header(s) {
            stack.push(Block { kind, labels, line, ..Block::default() });
            continue;
        }
        if s == "}" || s.starts_with('}') {
            if stack.len() > 1 {
                let done = stack.pop().expect("len > 1");
                stack.last_mut().expect("root").blocks.push(done);
            }
            continue;
        }
        // One-line block: `lifecycle { prevent_destroy = true }`.
        if let Some((head, body)) = s.split_once('{') {
            if let (Some((kind, labels)), Some(body)) = (block_header(&format!("{head}{{")), body.strip_suffix('}')) {
                let mut b = Block { kind, labels, line, ..Block::default() };
                for part in body.split([',', ';']) {
                    if let Some((k, v)) = attribute(part.trim()) {
                        b.attrs.push(Attr { key: k.into(), value: v.into(), line });
                    }
                }
                stack.last_mut().expect("root").blocks.push(b);
                continue;
            }
        }
        if let Some((k, v)) = attribute(s) {
            if let Some(tag) = v.strip_prefix("<<") {
                heredoc = Some(tag.trim_start_matches('-').trim().to_string());
            } else {
                open_value = depth(v).max(0);
            }
            stack.last_mut().expect("root").attrs.push(Attr { key: k.into(), value: v.into(), line });
        }
    }
    while stack.len() > 1 {
        let done = stack.pop().expect("len > 1");
        stack.last_mut().expect("root").blocks.push(done);
    }
    stack.pop().map(|b| b.blocks).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_nested_blocks_and_lines() {
        let text = r#"# the database
resource "aws_db_instance" "orders" {
  engine                  = "postgres" // inline comment
  backup_retention_period = 3
  tags = {
    team = "shop"
  }
  /* storage_encrypted = true */
  policy = <<EOF
  { "x": 1 }
EOF
  lifecycle { prevent_destroy = true }
  skip_final_snapshot = true
}

resource "google_sql_database_instance" "main" {
  settings {
    backup_configuration {
      enabled = true
      point_in_time_recovery_enabled = false
    }
  }
}
"#;
        assert_eq!(parse(text)[0].attr("tags").unwrap().value, "{\n    team = \"shop\"\n  }");
        // Both readers agree on everything the rules read.
        for blocks in [parse(text), scan(text)] {
            facts(&blocks);
        }
    }

    fn facts(blocks: &[Block]) {
        assert_eq!(blocks.len(), 2);
        let rds = &blocks[0];
        assert_eq!(
            (rds.kind.as_str(), rds.labels.as_slice(), rds.line),
            ("resource", &["aws_db_instance".to_string(), "orders".to_string()][..], 2)
        );
        assert_eq!(rds.string("engine"), Some("postgres"));
        assert_eq!(rds.int("backup_retention_period"), Some(3));
        assert_eq!(rds.attr("backup_retention_period").unwrap().line, 4);
        assert!(rds.attr("storage_encrypted").is_none());
        assert!(rds.attr("team").is_none(), "nested map values are not attributes");
        assert_eq!(rds.bool("lifecycle.prevent_destroy"), Some(true));
        assert_eq!(rds.attr("skip_final_snapshot").unwrap().line, 13);
        let sql = &blocks[1];
        assert_eq!(sql.bool("settings.backup_configuration.enabled"), Some(true));
        assert_eq!(sql.bool("settings.backup_configuration.point_in_time_recovery_enabled"), Some(false));
    }

    #[test]
    fn tolerates_broken_input() {
        for text in ["resource \"x\" \"y\" {\n  a = [\n", "}}}\n{{{", "a = <<EOT\nnever ends", "\"unterminated = {"] {
            let _ = parse(text);
        }
        let deep = format!("a = {}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(max_nesting(&deep) > MAX_NESTING);
        let _ = parse(&deep);
    }

    #[test]
    fn a_syntax_error_elsewhere_still_yields_the_database() {
        let text =
            "resource \"aws_db_instance\" \"orders\" {\n  backup_retention_period = 0\n}\n\nlocals {\n  x = ???\n}\n";
        assert!(hcl_edit::parser::parse_body(text).is_err());
        let blocks = parse(text);
        assert_eq!(blocks[0].int("backup_retention_period"), Some(0));
        assert_eq!(blocks[0].attr("backup_retention_period").unwrap().line, 2);
    }
}

//! Python calls as a migration writes them (`migrations.AddField(model_name="book", ...)`,
//! `op.add_column("book", sa.Column(...))`): their arguments, and the SQL that
//! stands for them, every byte mapped into the call (`django.rs`, `alembic.rs`).
use std::ops::Range;

use crate::extract::{python_literal, python_literal_end, skip_ws, Builder, Chunk};

/// One argument of a call: `key=value` or a positional value.
pub(crate) struct Arg {
    pub(crate) key: Option<String>,
    pub(crate) value: Range<usize>,
}

/// The arguments of the call whose `(` is at `open`, and the index after its `)`.
pub(crate) fn call_args(text: &str, open: usize) -> (Vec<Arg>, usize) {
    let b = text.as_bytes();
    let mut args = Vec::new();
    let mut depth = 0u32;
    let mut start = open + 1;
    let mut i = open + 1;
    let push = |args: &mut Vec<Arg>, s: usize, e: usize| {
        let part = &text[s..e];
        if part.trim().is_empty() {
            return;
        }
        let lead = s + (part.len() - part.trim_start().len());
        let trimmed = part.trim();
        let key_len = trimmed.bytes().take_while(|c| c.is_ascii_alphanumeric() || *c == b'_').count();
        let after = trimmed[key_len..].trim_start();
        if key_len > 0 && after.starts_with('=') && !after.starts_with("==") {
            let v = lead + trimmed.find('=').unwrap_or(0) + 1;
            let v = skip_ws(b, v);
            args.push(Arg { key: Some(trimmed[..key_len].to_string()), value: v..lead + trimmed.len() });
        } else {
            args.push(Arg { key: None, value: lead..lead + trimmed.len() });
        }
    };
    while i < b.len() {
        let c = b[i];
        if c == b'#' {
            i = text[i..].find('\n').map_or(b.len(), |p| i + p);
            continue;
        }
        let in_name = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        if c == b'"' || c == b'\'' || (c.is_ascii_alphabetic() && !in_name) {
            if let Some(end) = python_literal_end(text, i) {
                i = end;
                continue;
            }
        }
        match c {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth > 0 => depth -= 1,
            b')' => {
                push(&mut args, start, i);
                return (args, i + 1);
            }
            b',' if depth == 0 => {
                push(&mut args, start, i);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    push(&mut args, start, b.len());
    (args, b.len())
}

/// A string literal value: its text and the range of its body in the file.
pub(crate) fn string(text: &str, r: &Range<usize>) -> Option<(String, Range<usize>)> {
    let (end, lit) = python_literal(text, r.start)?;
    (end >= r.end).then(|| {
        let q = text[r.start..].find(['"', '\'']).map_or(r.start, |p| r.start + p + 1);
        (lit.text, q..(end - 1).max(q + 1))
    })
}

/// A call value (`models.ForeignKey(...)`): its last name and its arguments.
pub(crate) fn call(text: &str, r: &Range<usize>) -> Option<(String, Vec<Arg>)> {
    let v = &text[r.clone()];
    let paren = v.find('(')?;
    let name = v[..paren].trim().rsplit('.').next()?.to_string();
    if name.is_empty() || !name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
        return None;
    }
    Some((name, call_args(text, r.start + paren).0))
}

pub(crate) fn arg<'a>(args: &'a [Arg], key: &str, position: usize) -> Option<&'a Arg> {
    args.iter()
        .find(|a| a.key.as_deref() == Some(key))
        .or_else(|| args.iter().filter(|a| a.key.is_none()).nth(position))
}

pub(crate) fn str_arg(text: &str, args: &[Arg], key: &str, position: usize) -> Option<(String, Range<usize>)> {
    string(text, &arg(args, key, position)?.value)
}

pub(crate) fn is_true(text: &str, args: &[Arg], key: &str) -> bool {
    args.iter().any(|a| a.key.as_deref() == Some(key) && text[a.value.clone()].trim() == "True")
}

pub(crate) fn has(args: &[Arg], key: &str) -> bool {
    args.iter().any(|a| a.key.as_deref() == Some(key))
}

/// The strings of a list or tuple value (`fields=['a', 'b']`).
pub(crate) fn strings(text: &str, r: &Range<usize>) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = r.start;
    while i < r.end {
        match python_literal(text, i).filter(|_| matches!(text.as_bytes()[i], b'"' | b'\'')) {
            Some((end, lit)) => {
                out.push(lit.text);
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// The tuples of a list value (`fields=[("id", models.AutoField()), ...]`): each one's items.
pub(crate) fn tuples(text: &str, r: &Range<usize>) -> Vec<Vec<Arg>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let Some(open) = text[r.clone()].find('[').map(|p| r.start + p) else { return out };
    let mut i = open + 1;
    while i < r.end.min(b.len()) {
        match b[i] {
            b'(' => {
                let (items, end) = call_args(text, i);
                out.push(items);
                i = end;
            }
            b'#' => i = text[i..].find('\n').map_or(b.len(), |p| i + p),
            b'"' | b'\'' => i = python_literal_end(text, i).map_or(i + 1, |end| end),
            b']' => break,
            _ => i += 1,
        }
    }
    out
}

/// SQL for one operation, built piece by piece with the source each piece stands for.
pub(crate) struct Sql<'a> {
    b: Builder,
    op: Range<usize>,
    text: &'a str,
}

impl<'a> Sql<'a> {
    /// Keywords and punctuation: they point at the operation's name.
    pub(crate) fn kw(&mut self, s: &str) -> &mut Self {
        self.b.push_synthetic(s, self.op.clone());
        self
    }
    /// A name given by a string of the migration: it points at that string.
    pub(crate) fn name(&mut self, s: &str, at: &Range<usize>) -> &mut Self {
        let ident: String = s.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
        self.b.push_synthetic(if ident.is_empty() { "_" } else { &ident }, at.clone());
        self
    }
    pub(crate) fn new(op: Range<usize>, text: &'a str) -> Sql<'a> {
        Sql { b: Builder::new(), op, text }
    }
    pub(crate) fn done(self) -> Chunk {
        let mut chunk = self.b.finish(self.text.len());
        chunk.synthetic = true;
        chunk
    }
}

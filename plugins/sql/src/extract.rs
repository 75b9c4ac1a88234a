//! Finds SQL where it lives: whole `.sql` files, strings passed to `execute`
//! in Rails migrations, `RunSQL`/`op.execute` in Django and Alembic
//! migrations, `psql -c`/`mysql -e`/heredocs in shell scripts. Every byte of
//! an extracted string maps back to a byte of the original file.
use std::ops::Range;

/// Where the SQL came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sql,
    Ruby,
    Python,
    Shell,
}

impl Kind {
    /// The kind of a path, from its extension (the matcher kind is not relied on).
    pub fn of(path: &str) -> Kind {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".rb") {
            Kind::Ruby
        } else if lower.ends_with(".py") {
            Kind::Python
        } else if lower.ends_with(".sh") || lower.ends_with(".bash") {
            Kind::Shell
        } else {
            Kind::Sql
        }
    }
}

/// A piece of SQL text and where each of its bytes sits in the file.
#[derive(Debug, Clone)]
pub struct Chunk {
    pub text: String,
    /// `map[i]` is the file offset of `text[i]`; `None`: `base + i`.
    map: Option<Vec<usize>>,
    base: usize,
    file_len: usize,
    /// Rollback code (`def down`, `downgrade()`, `reverse_sql`).
    pub rollback: bool,
    /// Runs outside any migration transaction (`autocommit_block`, `psql` without `-1`).
    pub no_tx: bool,
    /// Runs inside a single transaction (`psql -1`).
    pub single_tx: bool,
    /// Sent by the `mysql`/`mariadb` client.
    pub mysql: bool,
    /// SQL written for a Django operation (`django.rs`), not by the user.
    pub synthetic: bool,
}

impl Chunk {
    pub fn whole(text: &str) -> Chunk {
        Chunk {
            text: text.to_string(),
            map: None,
            base: 0,
            file_len: text.len(),
            rollback: false,
            no_tx: false,
            single_tx: false,
            mysql: false,
            synthetic: false,
        }
    }

    fn mapped(text: String, map: Vec<usize>, file_len: usize) -> Chunk {
        Chunk {
            text,
            map: Some(map),
            base: 0,
            file_len,
            rollback: false,
            no_tx: false,
            single_tx: false,
            mysql: false,
            synthetic: false,
        }
    }

    /// File offsets of a range of `text`; always inside the file.
    pub fn to_file(&self, r: Range<usize>) -> Range<usize> {
        let at = |i: usize| match &self.map {
            None => self.base + i,
            Some(m) => m.get(i).copied().or_else(|| m.last().copied()).unwrap_or(0),
        };
        let start = at(r.start).min(self.file_len);
        let end = if r.end > r.start {
            let last = at(r.end - 1);
            match &self.map {
                // An escape (`\"`) ends where the next byte starts.
                Some(m) if r.end < m.len() && m[r.end] > last && m[r.end] - last <= 2 => m[r.end],
                _ => last + 1,
            }
        } else {
            start
        };
        start..end.clamp(start, self.file_len)
    }
}

impl Chunk {
    /// The interpolations (`$VAR`, `#{x}`, `{x}`) inside `r` of `text`, which
    /// the extracted SQL holds as runs of `_`: (range relative to `r.start`,
    /// the source as written), so messages can show what the user wrote.
    pub fn interpolations(&self, r: Range<usize>, file: &str) -> Vec<(Range<usize>, String)> {
        let Some(map) = &self.map else { return Vec::new() };
        let b = self.text.as_bytes();
        let src = file.as_bytes();
        let mut out = Vec::new();
        let mut i = r.start;
        while i < r.end.min(b.len()) {
            // A placeholder starts where the source has `$`, `#{` or `{`, and
            // runs on over `_` bytes standing for consecutive source bytes.
            let opens = b[i] == b'_' && map.get(i).is_some_and(|&m| matches!(src.get(m), Some(b'$' | b'#' | b'{')));
            if !opens {
                i += 1;
                continue;
            }
            let start = i;
            i += 1;
            while i < r.end.min(b.len()) && b[i] == b'_' && map.get(i) == Some(&(map[i - 1] + 1)) {
                i += 1;
            }
            let (from, to) = (map[start], map[i - 1] + 1);
            if let Some(written) = file.get(from..to) {
                out.push((start - r.start..i - r.start, written.to_string()));
            }
        }
        out
    }
}

/// Builds an extracted string byte by byte.
pub(crate) struct Builder {
    text: String,
    map: Vec<usize>,
    /// Source offset just after the last byte consumed.
    src_end: usize,
}

impl Builder {
    pub(crate) fn new() -> Self {
        Builder { text: String::new(), map: Vec::new(), src_end: 0 }
    }
    fn push_str(&mut self, s: &str, at: usize) {
        self.text.push_str(s);
        self.map.extend(at..at + s.len());
        self.src_end = at + s.len();
    }
    fn push_char(&mut self, c: char, at: usize) {
        let before = self.text.len();
        self.text.push(c);
        self.map.extend(std::iter::repeat_n(at, self.text.len() - before));
    }
    /// Stands for an interpolation of `len` source bytes at `at`: an identifier of the same length.
    fn placeholder(&mut self, at: usize, len: usize) {
        for k in 0..len.max(1) {
            self.text.push('_');
            self.map.push(at + k);
        }
    }
    /// Text that is not in the file (SQL standing for a Django operation):
    /// its bytes point into `src`, the last ones at its last byte.
    pub(crate) fn push_synthetic(&mut self, s: &str, src: Range<usize>) {
        let last = src.end.max(src.start + 1) - 1;
        self.text.push_str(s);
        self.map.extend((0..s.len()).map(|k| (src.start + k).min(last)));
        self.src_end = self.src_end.max(last + 1);
    }
    pub(crate) fn finish(mut self, file_len: usize) -> Chunk {
        // Sentinel: where the text ends in the file.
        self.map.push(self.src_end);
        Chunk::mapped(self.text, self.map, file_len)
    }
}

pub fn extract(kind: Kind, text: &str) -> Vec<Chunk> {
    extract_with(kind, text, &mut crate::django::State::new())
}

/// [`extract`], with the Django fields the earlier migrations of the file's folder left.
pub fn extract_with(kind: Kind, text: &str, django: &mut crate::django::State) -> Vec<Chunk> {
    match kind {
        Kind::Sql => vec![Chunk::whole(text)],
        Kind::Ruby => ruby(text),
        Kind::Python => python(text, django),
        Kind::Shell => shell(text),
    }
}

pub(crate) fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn word_at(text: &str, i: usize, w: &str) -> bool {
    let b = text.as_bytes();
    text[i..].starts_with(w)
        && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'.' && w != "execute"))
        && !b.get(i + w.len()).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

fn line_start(text: &str, i: usize) -> usize {
    text[..i].rfind('\n').map_or(0, |p| p + 1)
}

fn next_line(text: &str, i: usize) -> usize {
    text[i..].find('\n').map_or(text.len(), |p| i + p + 1)
}

/// Name of the `def` enclosing offset `i` (the nearest preceding `def name`).
pub(crate) fn enclosing_def(text: &str, i: usize) -> Option<&str> {
    let before = &text[..i];
    let mut pos = before.len();
    while let Some(p) = before[..pos].rfind("def ") {
        let ls = line_start(before, p);
        if before[ls..p].trim().is_empty() {
            let name = before[p + 4..].split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')).next()?;
            return Some(name.trim_start_matches("self."));
        }
        pos = p;
    }
    None
}

/// Reads a heredoc body starting at the line after `from`; returns (body start, body end, end of terminator line).
fn heredoc_body(text: &str, from: usize, tag: &str, indented: bool) -> Option<(usize, usize, usize)> {
    let body = next_line(text, from);
    let mut ls = body;
    while ls < text.len() {
        let le = text[ls..].find('\n').map_or(text.len(), |p| ls + p);
        let line = text[ls..le].trim_end_matches('\r');
        let line = if indented { line.trim_start() } else { line };
        if line == tag {
            return Some((body, ls, le));
        }
        ls = le + 1;
    }
    None
}

// ---------------------------------------------------------------- Ruby

fn ruby(text: &str) -> Vec<Chunk> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = text[i..].find("execute") {
        let at = i + p;
        i = at + 7;
        if !word_at(text, at, "execute") {
            continue;
        }
        let mut j = skip_ws(b, i);
        if b.get(j) == Some(&b'(') {
            j = skip_ws(b, j + 1);
        }
        let Some(mut chunk) = ruby_string(text, j) else { continue };
        chunk.rollback = matches!(enclosing_def(text, at), Some("down"));
        out.push(chunk);
    }
    out.extend(crate::rails::operations(text));
    out.sort_by_key(|c| c.to_file(0..0).start);
    out
}

fn ruby_string(text: &str, j: usize) -> Option<Chunk> {
    let b = text.as_bytes();
    let mut bld = Builder::new();
    match *b.get(j)? {
        q @ (b'"' | b'\'') => {
            string_body(text, j + 1, q, q == b'"', Interp::Ruby, &mut bld);
        }
        b'%' => {
            let (interp, open_at) = match b.get(j + 1)? {
                b'q' => (false, j + 2),
                b'Q' => (true, j + 2),
                c if !c.is_ascii_alphanumeric() => (true, j + 1),
                _ => return None,
            };
            let open = *b.get(open_at)?;
            let close = match open {
                b'{' => b'}',
                b'(' => b')',
                b'[' => b']',
                b'<' => b'>',
                c => c,
            };
            string_body(text, open_at + 1, close, interp, if interp { Interp::Ruby } else { Interp::None }, &mut bld);
        }
        b'<' if text[j..].starts_with("<<") => {
            let mut k = j + 2;
            let indented = matches!(b.get(k), Some(b'~' | b'-'));
            if indented {
                k += 1;
            }
            let quoted = matches!(b.get(k), Some(b'\'' | b'"'));
            let ts = if quoted { k + 1 } else { k };
            let mut te = ts;
            while te < b.len() && (b[te].is_ascii_alphanumeric() || b[te] == b'_') {
                te += 1;
            }
            if te == ts {
                return None;
            }
            let raw = quoted && b[k] == b'\'';
            let (bs, be, _) = heredoc_body(text, te, &text[ts..te], indented)?;
            if raw {
                bld.push_str(&text[bs..be], bs);
            } else {
                string_body(&text[..be], bs, 0, true, Interp::Ruby, &mut bld);
            }
        }
        _ => return None,
    }
    Some(bld.finish(text.len()))
}

#[derive(Clone, Copy, PartialEq)]
enum Interp {
    None,
    /// `#{...}`
    Ruby,
    /// `{...}` in f-strings
    Python,
    /// `$VAR`, `${VAR}`, `$(...)`
    Shell,
}

/// Copies a quoted string body from `i` up to the closing `close` byte (0: to
/// the end of `text`), decoding escapes when `escapes`. Returns the index after the closing quote.
fn string_body(text: &str, mut i: usize, close: u8, escapes: bool, interp: Interp, bld: &mut Builder) -> usize {
    let b = text.as_bytes();
    while i < b.len() {
        bld.src_end = i;
        let c = b[i];
        if close != 0 && c == close {
            return i + 1;
        }
        if c == b'\\' && escapes && i + 1 < b.len() {
            let e = b[i + 1];
            let decoded = match e {
                b'n' => Some('\n'),
                b't' => Some('\t'),
                b'r' => Some('\r'),
                b'\n' => None,
                _ if e.is_ascii_punctuation() || e == b' ' => Some(e as char),
                _ => {
                    // Unknown escape: keep it verbatim.
                    bld.push_str(&text[i..i + 1], i);
                    i += 1;
                    continue;
                }
            };
            if let Some(ch) = decoded {
                bld.push_char(ch, i);
            }
            i += 2;
            continue;
        }
        if c == b'\\' && close != 0 && !escapes && (b.get(i + 1) == Some(&close) || b.get(i + 1) == Some(&b'\\')) {
            // Single-quoted strings still escape the quote and the backslash.
            bld.push_char(b[i + 1] as char, i);
            i += 2;
            continue;
        }
        let interp_end = match interp {
            Interp::Ruby if text[i..].starts_with("#{") => text[i..].find('}').map(|p| i + p + 1),
            Interp::Python if c == b'{' && b.get(i + 1) != Some(&b'{') => text[i..].find('}').map(|p| i + p + 1),
            Interp::Shell if c == b'$' => {
                let n = b.get(i + 1).copied().unwrap_or(0);
                if n == b'{' || n == b'(' {
                    let cl = if n == b'{' { '}' } else { ')' };
                    text[i..].find(cl).map(|p| i + p + 1)
                } else if n.is_ascii_alphabetic() || n == b'_' {
                    let mut k = i + 1;
                    while k < b.len() && (b[k].is_ascii_alphanumeric() || b[k] == b'_') {
                        k += 1;
                    }
                    Some(k)
                } else {
                    None
                }
            }
            _ => None,
        };
        if let Some(end) = interp_end {
            bld.placeholder(i, end - i);
            i = end;
            continue;
        }
        let ch_len = text[i..].chars().next().map_or(1, char::len_utf8);
        bld.push_str(&text[i..i + ch_len], i);
        i += ch_len;
    }
    bld.src_end = b.len();
    b.len()
}

// ---------------------------------------------------------------- Python

fn python(text: &str, django: &mut crate::django::State) -> Vec<Chunk> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for call in ["RunSQL", "op.execute"] {
        let mut i = 0;
        while let Some(p) = text[i..].find(call) {
            let at = i + p;
            i = at + call.len();
            let prev_ok = at == 0 || !(b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_');
            let mut j = skip_ws(b, i);
            if !prev_ok || b.get(j) != Some(&b'(') {
                continue;
            }
            j += 1;
            let rollback_def = matches!(enclosing_def(text, at), Some("downgrade"));
            let no_tx = call == "op.execute" && in_autocommit_block(text, at);
            // Arguments: for RunSQL, the first is the forward SQL, `reverse_sql` the rollback.
            let mut arg = 0;
            let mut depth = 0u32;
            let mut parts = Builder::new();
            let mut rollback = false;
            while j < b.len() {
                let c = b[j];
                if c.is_ascii_whitespace() {
                    j += 1;
                    continue;
                }
                if c == b'#' {
                    j = next_line(text, j);
                    continue;
                }
                if let Some((end, lit)) = python_literal(text, j) {
                    if !lit.text.is_empty() {
                        // Adjacent literals concatenate, as in Python.
                        parts.text.push_str(&lit.text);
                        parts.map.extend(lit.map.iter().copied().flatten());
                        parts.src_end = lit.src_end;
                    }
                    j = end;
                    continue;
                }
                let flush = |parts: &mut Builder, out: &mut Vec<Chunk>, rollback: bool| {
                    if !parts.text.trim().is_empty() {
                        let mut ch = std::mem::replace(parts, Builder::new()).finish(text.len());
                        ch.rollback = rollback || rollback_def;
                        ch.no_tx = no_tx;
                        out.push(ch);
                    } else {
                        *parts = Builder::new();
                    }
                };
                match c {
                    b'(' | b'[' | b'{' => depth += 1,
                    b']' | b'}' => {
                        depth = depth.saturating_sub(1);
                        flush(&mut parts, &mut out, rollback);
                    }
                    b')' => {
                        if depth == 0 {
                            flush(&mut parts, &mut out, rollback);
                            break;
                        }
                        depth -= 1;
                    }
                    b',' => {
                        flush(&mut parts, &mut out, rollback);
                        if depth == 0 {
                            arg += 1;
                            rollback = call == "RunSQL" && arg >= 1;
                        }
                    }
                    _ if b[j..].starts_with(b"reverse_sql") => {
                        rollback = true;
                        j += "reverse_sql".len();
                        continue;
                    }
                    _ if b[j..].starts_with(b"sql") && call == "RunSQL" => {
                        rollback = false;
                        j += 3;
                        continue;
                    }
                    _ if c.is_ascii_alphanumeric() || c == b'_' => {
                        // A name (state_operations=, a variable): not SQL we can read.
                        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'.') {
                            j += 1;
                        }
                        parts = Builder::new();
                        continue;
                    }
                    _ => {}
                }
                j += 1;
            }
        }
    }
    out.extend(crate::django::operations(text, django));
    out.extend(crate::alembic::operations(text));
    out.sort_by_key(|c| c.to_file(0..0).start);
    out
}

pub(crate) struct Literal {
    src_end: usize,
    pub(crate) text: String,
    map: Vec<Option<usize>>,
}

/// A Python string literal (with prefixes and triple quotes) at `i`: (end, decoded).
pub(crate) fn python_literal(text: &str, i: usize) -> Option<(usize, Literal)> {
    let Bounds { raw, fstr, open, end_body, end } = literal_bounds(text, i)?;
    let mut bld = Builder::new();
    let interp = if fstr { Interp::Python } else { Interp::None };
    string_body(&text[..end_body], open, 0, !raw, interp, &mut bld);
    Some((end, Literal { src_end: bld.src_end, map: bld.map.into_iter().map(Some).collect(), text: bld.text }))
}

/// The index after the string literal starting at `i`, if one does: what
/// [`python_literal`] returns without decoding the body (a call's arguments
/// skip over every literal they hold).
pub(crate) fn python_literal_end(text: &str, i: usize) -> Option<usize> {
    literal_bounds(text, i).map(|b| b.end)
}

/// Where a literal's parts are: its prefix (`r`, `f`), the body's start and end, its end.
struct Bounds {
    raw: bool,
    fstr: bool,
    open: usize,
    end_body: usize,
    end: usize,
}

fn literal_bounds(text: &str, i: usize) -> Option<Bounds> {
    let b = text.as_bytes();
    let mut k = i;
    let mut raw = false;
    let mut fstr = false;
    while k < b.len() && k < i + 2 && b[k].is_ascii_alphabetic() {
        match b[k].to_ascii_lowercase() {
            b'r' => raw = true,
            b'f' => fstr = true,
            b'b' | b'u' => {}
            _ => return None,
        }
        k += 1;
    }
    let q = *b.get(k)?;
    if q != b'"' && q != b'\'' {
        return None;
    }
    let triple = b.get(k + 1) == Some(&q) && b.get(k + 2) == Some(&q);
    let open = if triple { k + 3 } else { k + 1 };
    let closing: &[u8] = if triple { &b[k..k + 3] } else { &b[k..k + 1] };
    // Find the end, honouring backslashes.
    let mut e = open;
    let end_body = loop {
        if e >= b.len() {
            break b.len();
        }
        if b[e] == b'\\' {
            e += 2;
            continue;
        }
        if b[e..].starts_with(closing) {
            break e;
        }
        if !triple && b[e] == b'\n' {
            break e;
        }
        e += 1;
    };
    let end = (end_body + closing.len()).min(b.len());
    Some(Bounds { raw, fstr, open, end_body, end })
}

/// Whether offset `i` sits inside a `with ...autocommit_block():` block (by indentation).
pub(crate) fn in_autocommit_block(text: &str, i: usize) -> bool {
    let ls = line_start(text, i);
    let indent = |s: &str| s.len() - s.trim_start().len();
    let my = indent(&text[ls..next_line(text, ls)]);
    let mut pos = ls;
    while pos > 0 {
        let prev = line_start(text, pos - 1);
        let line = &text[prev..pos];
        if !line.trim().is_empty() {
            let ind = indent(line);
            if ind < my {
                if line.contains("autocommit_block") {
                    return true;
                }
                if line.trim_start().starts_with("def ") {
                    return false;
                }
            }
        }
        pos = prev;
    }
    false
}

// ---------------------------------------------------------------- Shell

const CLIENTS: &[(&str, &[&str])] =
    &[("psql", &["-c", "--command"]), ("mysql", &["-e", "--execute"]), ("mariadb", &["-e", "--execute"])];

fn shell(text: &str) -> Vec<Chunk> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for (client, flags) in CLIENTS {
        let mut i = 0;
        while let Some(p) = text[i..].find(client) {
            let at = i + p;
            i = at + client.len();
            let boundary_before =
                at == 0 || matches!(b[at - 1], b' ' | b'\t' | b'\n' | b'/' | b'(' | b'|' | b';' | b'&' | b'`' | b'"');
            if !boundary_before
                || b.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-' || *c == b'.')
            {
                continue;
            }
            // The command runs to an unquoted newline that is not escaped, or a `|`, `;`, `&`.
            let mut j = i;
            let mut single_tx = false;
            while j < b.len() {
                let c = b[j];
                if c == b'\\' && b.get(j + 1) == Some(&b'\n') {
                    j += 2;
                    continue;
                }
                if matches!(c, b'\n' | b'|' | b';' | b'&' | b')') {
                    break;
                }
                if c.is_ascii_whitespace() {
                    j += 1;
                    continue;
                }
                if c == b'"' || c == b'\'' {
                    // A quoted argument that is not SQL (a URL, a file name).
                    j = text[j + 1..].find(c as char).map_or(b.len(), |p| j + 2 + p);
                    continue;
                }
                // One argument.
                let arg_start = j;
                if text[j..].starts_with("<<") {
                    let mut k = j + 2;
                    if b.get(k) == Some(&b'-') {
                        k += 1;
                    }
                    let indented = k > j + 2;
                    if b.get(k) == Some(&b'<') {
                        // here-string <<<
                        j = k + 1;
                        continue;
                    }
                    k = skip_ws(b, k);
                    let quoted = matches!(b.get(k), Some(b'\'' | b'"'));
                    let ts = if quoted { k + 1 } else { k };
                    let mut te = ts;
                    while te < b.len() && (b[te].is_ascii_alphanumeric() || b[te] == b'_') {
                        te += 1;
                    }
                    if te > ts {
                        if let Some((bs, be, _)) = heredoc_body(text, te, &text[ts..te], indented) {
                            let mut bld = Builder::new();
                            if quoted {
                                bld.push_str(&text[bs..be], bs);
                            } else {
                                string_body(&text[..be], bs, 0, false, Interp::Shell, &mut bld);
                            }
                            let mut ch = bld.finish(text.len());
                            ch.single_tx = single_tx || rest_has_single_tx(text, te);
                            ch.no_tx = !ch.single_tx;
                            ch.mysql = *client != "psql";
                            out.push(ch);
                        }
                    }
                    j = te.max(j + 2);
                    continue;
                }
                let mut k = j;
                while k < b.len() && !b[k].is_ascii_whitespace() && !matches!(b[k], b'\'' | b'"' | b'=' | b'|' | b';') {
                    k += 1;
                }
                let word = &text[arg_start..k];
                if word == "-1" || word == "--single-transaction" {
                    single_tx = true;
                }
                let is_flag = flags.contains(&word)
                    || (word.len() > 2 && word.get(..2) == Some(flags[0]) && !word.starts_with("--"));
                if flags.contains(&word) || is_flag {
                    let mut v = if word.len() > 2 && !word.starts_with("--") { arg_start + 2 } else { k };
                    if b.get(v) == Some(&b'=') {
                        v += 1;
                    }
                    v = skip_ws(b, v);
                    if let Some(&q @ (b'"' | b'\'')) = b.get(v) {
                        let mut bld = Builder::new();
                        let end = if q == b'"' {
                            string_body(text, v + 1, b'"', true, Interp::Shell, &mut bld)
                        } else {
                            let close = text[v + 1..].find('\'').map_or(b.len(), |p| v + 1 + p);
                            bld.push_str(&text[v + 1..close], v + 1);
                            (close + 1).min(b.len())
                        };
                        let mut ch = bld.finish(text.len());
                        ch.single_tx = single_tx || rest_has_single_tx(text, end);
                        ch.no_tx = !ch.single_tx;
                        ch.mysql = *client != "psql";
                        out.push(ch);
                        j = end;
                        continue;
                    }
                }
                j = if k > j { k } else { j + 1 };
            }
        }
    }
    out.sort_by_key(|c| c.to_file(0..0).start);
    out
}

/// `-1` / `--single-transaction` later on the same command line.
fn rest_has_single_tx(text: &str, from: usize) -> bool {
    let line = &text[from.min(text.len())..next_line(text, from.min(text.len()))];
    line.split_whitespace().any(|w| w == "-1" || w == "--single-transaction")
}

/// Offsets of backup steps in a file: `pg_dump`, `mysqldump`, `pg_basebackup`, snapshots...
pub fn backup_steps(text: &str) -> Vec<Range<usize>> {
    const WORDS: &[&str] = &[
        "pg_dump",
        "pg_dumpall",
        "mysqldump",
        "mariadb-dump",
        "pg_basebackup",
        "pgbackrest",
        "barman",
        "wal-g",
        "snapshot",
    ];
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    for w in WORDS {
        let mut i = 0;
        while let Some(p) = lower[i..].find(w) {
            let at = i + p;
            out.push(at..at + w.len());
            i = at + w.len();
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(text: &'a str, c: &Chunk, needle: &str) -> &'a str {
        let p = c.text.find(needle).expect("needle in chunk");
        &text[c.to_file(p..p + needle.len())]
    }

    #[test]
    fn shell_flag_followed_by_a_multibyte_character() {
        // Found by fuzzing: `-` then a 3-byte character was cut at byte 2 when compared with `-c`.
        for (client, flag) in [("psql", "-c"), ("mysql", "-e")] {
            let sh = format!("{client} \"$DATABASE_URL\" -\u{fffd}x {flag} \"DROP TABLE a\"\n");
            assert_eq!(shell(&sh).len(), 1, "{sh}");
        }
    }

    #[test]
    fn shell_psql_c_and_heredoc() {
        let sh = "#!/bin/sh\nset -e\npsql \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -c \"DELETE FROM \\\"users\\\"\"\nmysql -u root -e 'TRUNCATE logs' app\npsql -1 <<'EOF'\nDROP TABLE a;\nEOF\n";
        let chunks = shell(sh);
        assert_eq!(chunks.len(), 3, "{chunks:?}");
        assert_eq!(chunks[0].text, "DELETE FROM \"users\"");
        assert_eq!(at(sh, &chunks[0], "\"users\""), "\\\"users\\\"");
        assert_eq!(at(sh, &chunks[0], "DELETE"), "DELETE");
        assert!(chunks[0].no_tx);
        assert_eq!(at(sh, &chunks[1], "TRUNCATE logs"), "TRUNCATE logs");
        assert_eq!(chunks[2].text, "DROP TABLE a;\n");
        assert!(chunks[2].single_tx);
        assert_eq!(at(sh, &chunks[2], "DROP TABLE a"), "DROP TABLE a");
    }

    #[test]
    fn shell_variables_become_identifiers_of_the_same_length() {
        let sh = "psql -c \"DROP TABLE ${SCHEMA}.t\"";
        let c = &shell(sh)[0];
        assert_eq!(c.text, "DROP TABLE _________.t");
        assert_eq!(at(sh, c, ".t"), ".t");
    }

    #[test]
    fn ruby_strings_and_heredocs() {
        let rb = "class X < ActiveRecord::Migration[7.1]\n  def up\n    execute \"ALTER TABLE a ADD COLUMN #{col} int\"\n    execute <<~SQL\n      CREATE INDEX i ON t (c);\n    SQL\n  end\n  def down\n    execute('DROP INDEX i')\n  end\nend\n";
        let chunks = ruby(rb);
        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks[0].text, "ALTER TABLE a ADD COLUMN ______ int");
        assert_eq!(at(rb, &chunks[0], "int"), "int");
        assert_eq!(at(rb, &chunks[1], "CREATE INDEX"), "CREATE INDEX");
        assert!(!chunks[1].rollback);
        assert!(chunks[2].rollback);
        assert_eq!(at(rb, &chunks[2], "DROP INDEX i"), "DROP INDEX i");
    }

    #[test]
    fn python_call_arguments_with_multibyte_characters() {
        // Found by fuzzing: stepping byte by byte through a call's arguments, a
        // multibyte character made the next `reverse_sql` check slice it.
        let py = "ops = [migrations.RunSQL(\u{e9}\u{fffd}, sql='DROP TABLE a')]\n";
        assert_eq!(python(py, &mut Default::default()).len(), 1, "{py}");
    }

    #[test]
    fn python_backslash_before_a_multibyte_character() {
        // Found by fuzzing: the escape skipped two bytes into a 3-byte character.
        let py = "def upgrade():\n    op.execute(\"DROP TABLE a \\\u{fffd} b\")\n    op.execute('DROP TABLE c')\n";
        assert_eq!(python(py, &mut Default::default()).len(), 2, "{py}");
    }

    #[test]
    fn python_runsql_and_alembic() {
        let py = "ops = [\n    migrations.RunSQL(\n        sql=\"ALTER TABLE a \"\n        \"DROP COLUMN b\",\n        reverse_sql='DROP TABLE a',\n    ),\n]\ndef upgrade():\n    op.execute(\"\"\"UPDATE t SET x = 1\\nWHERE y\"\"\")\n";
        let chunks = python(py, &mut Default::default());
        assert_eq!(chunks.len(), 3, "{chunks:?}");
        assert_eq!(chunks[0].text, "ALTER TABLE a DROP COLUMN b");
        assert_eq!(at(py, &chunks[0], "DROP COLUMN b"), "DROP COLUMN b");
        assert!(!chunks[0].rollback);
        assert!(chunks[1].rollback);
        assert_eq!(chunks[2].text, "UPDATE t SET x = 1\nWHERE y");
        assert_eq!(at(py, &chunks[2], "WHERE y"), "WHERE y");
        assert_eq!(at(py, &chunks[2], "1\nWHERE"), "1\\nWHERE");
    }

    #[test]
    fn spans_never_leave_the_file() {
        for text in ["psql -c \"", "execute <<~SQL\nx", "op.execute(\"\\", "execute '", "RunSQL(f\"{"] {
            for kind in [Kind::Ruby, Kind::Python, Kind::Shell] {
                for c in extract(kind, text) {
                    let r = c.to_file(0..c.text.len() + 5);
                    assert!(r.end <= text.len() && r.start <= r.end);
                }
            }
        }
    }
}

//! A hand-written Dockerfile parser that keeps exact byte spans.
//!
//! It follows what BuildKit does where it matters to rules: parser directives
//! (`# escape=`, `# syntax=`) only at the top, line continuations with the
//! escape character (comment and blank lines inside a continuation are
//! dropped), exec form as a JSON string array (invalid JSON falls back to
//! shell form), heredocs on `RUN`/`COPY`/`ADD`, leading `--flags`, stages, and
//! global `ARG`s expanded in `FROM`. It never panics, is linear in the input,
//! and keeps going after an error so the other rules still run.
mod image;
mod shell;
mod text;

use std::collections::HashMap;
use std::ops::Range;

use opslint_sdk::{Ctx, FindingExt};

pub use image::{expand, ImageRef};
pub use shell::{Command, Redirect, Sep};
pub use text::Text;

/// A word: unquoted value, and its span in the original document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub value: String,
    pub span: Range<usize>,
    pub quoted: bool,
}

/// A leading `--name[=value]` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// Lowercase, without the dashes.
    pub name: String,
    pub value: Option<String>,
    pub span: Range<usize>,
}

impl Flag {
    /// `type=secret,id=npm` → [("type", "secret"), ("id", "npm")].
    pub fn options(&self) -> Vec<(&str, &str)> {
        let v = self.value.as_deref().unwrap_or("");
        v.split(',').filter(|p| !p.is_empty()).map(|p| p.split_once('=').unwrap_or((p, ""))).collect()
    }
}

/// A heredoc (`<<EOF` … `EOF`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    pub delimiter: String,
    /// `<<-`: leading tabs are stripped.
    pub strip_tabs: bool,
    /// `<<"EOF"` / `<<'EOF'`: no expansion in the body.
    pub quoted: bool,
    /// The `<<EOF` word.
    pub marker: Range<usize>,
    /// The body, without the closing delimiter line.
    pub body: Text,
    pub terminated: bool,
}

/// `key=value` of ENV, ARG and LABEL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    pub key: String,
    pub key_span: Range<usize>,
    /// None: `ARG NAME` without a default.
    pub value: Option<Word>,
    pub span: Range<usize>,
}

/// One instruction (a logical line, plus its heredoc bodies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// Uppercase.
    pub keyword: String,
    pub keyword_span: Range<usize>,
    /// From the keyword to the end of the logical line (heredoc bodies excluded).
    pub span: Range<usize>,
    /// The logical line, continuations joined, mapped to the original.
    pub text: Text,
    pub flags: Vec<Flag>,
    /// The arguments after the flags: a range of `text.value`.
    pub args: Range<usize>,
    /// Exec (JSON) form arguments; for HEALTHCHECK, those after `CMD`.
    pub exec: Option<Vec<Word>>,
    /// The arguments split into words (quotes removed).
    pub words: Vec<Word>,
    pub heredocs: Vec<Heredoc>,
    /// `RUN` only: the commands it runs (shell form split, heredoc scripts included).
    pub commands: Vec<Command>,
    /// The instruction an `ONBUILD` wraps.
    pub onbuild: Option<Box<Instruction>>,
    /// Index into [`Dockerfile::stages`]; None before the first FROM.
    pub stage: Option<usize>,
}

impl Instruction {
    pub fn is(&self, keyword: &str) -> bool {
        self.keyword == keyword
    }

    /// The arguments as written (continuations joined).
    pub fn args_str(&self) -> &str {
        self.text.value.get(self.args.clone()).unwrap_or("")
    }

    /// Span of the arguments in the original document.
    pub fn args_span(&self) -> Range<usize> {
        if self.args.is_empty() {
            return self.span.end..self.span.end;
        }
        self.text.span(self.args.clone())
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// Whether a `--mount=type=secret` (or ssh) is attached.
    pub fn has_secret_mount(&self) -> bool {
        self.flags
            .iter()
            .filter(|f| f.name == "mount")
            .any(|f| f.options().iter().any(|(k, v)| *k == "type" && (*v == "secret" || *v == "ssh")))
    }

    /// Shell form (not exec form) CMD/ENTRYPOINT/RUN.
    pub fn is_shell_form(&self) -> bool {
        self.exec.is_none()
    }

    /// `ENV`/`ARG`/`LABEL` pairs.
    pub fn pairs(&self) -> Vec<KeyValue> {
        let mut out = Vec::new();
        if self.is("ENV") && self.words.len() >= 2 && !self.words[0].value.contains('=') {
            // Legacy `ENV key value with spaces`.
            let key = &self.words[0];
            let vstart = self.words[1].span.start;
            let vend = self.words.last().map_or(vstart, |w| w.span.end);
            let value = self.words[1..].iter().map(|w| w.value.as_str()).collect::<Vec<_>>().join(" ");
            let quoted = self.words[1..].iter().any(|w| w.quoted);
            out.push(KeyValue {
                key: key.value.clone(),
                key_span: key.span.clone(),
                value: Some(Word { value, span: vstart..vend, quoted }),
                span: key.span.start..vend,
            });
            return out;
        }
        for w in &self.words {
            match w.value.split_once('=') {
                Some((k, v)) => {
                    let kend = (w.span.start + k.len()).min(w.span.end);
                    let vstart = (kend + 1).min(w.span.end);
                    out.push(KeyValue {
                        key: k.to_string(),
                        key_span: w.span.start..kend,
                        value: Some(Word { value: v.to_string(), span: vstart..w.span.end, quoted: w.quoted }),
                        span: w.span.clone(),
                    });
                }
                None => out.push(KeyValue {
                    key: w.value.clone(),
                    key_span: w.span.clone(),
                    value: None,
                    span: w.span.clone(),
                }),
            }
        }
        out
    }

    /// COPY/ADD: (sources, destination), heredoc sources excluded.
    pub fn sources_and_dest(&self) -> (Vec<&Word>, Option<&Word>) {
        let words: Vec<&Word> = match &self.exec {
            Some(e) => e.iter().collect(),
            None => self.words.iter().collect(),
        };
        let Some((dest, srcs)) = words.split_last() else { return (Vec::new(), None) };
        let srcs = srcs.iter().copied().filter(|w| !self.heredocs.iter().any(|h| h.marker == w.span)).collect();
        (srcs, Some(dest))
    }
}

/// A build stage: a FROM and the instructions up to the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// Index of the FROM instruction.
    pub from: usize,
    pub image: ImageRef,
    pub image_span: Range<usize>,
    /// `AS name` (value lowercased, as Docker compares names).
    pub name: Option<Word>,
    /// The earlier stage this one builds on (`FROM builder`).
    pub parent: Option<usize>,
    /// Indices into [`Dockerfile::instructions`], FROM included.
    pub instructions: Range<usize>,
}

/// A parse problem, reported as a `parse-error` finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// None: about the whole file.
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dockerfile {
    pub escape: char,
    /// `# syntax=` directive value.
    pub syntax: Option<Word>,
    pub instructions: Vec<Instruction>,
    pub stages: Vec<Stage>,
    /// ARGs declared before the first FROM, with their defaults.
    pub global_args: HashMap<String, Option<String>>,
    pub errors: Vec<ParseError>,
}

impl Dockerfile {
    pub fn stage_instructions(&self, stage: &Stage) -> &[Instruction] {
        self.instructions.get(stage.instructions.clone()).unwrap_or(&[])
    }

    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The stage called `name` (case-insensitive) or with that index.
    pub fn stage_ref(&self, name: &str) -> Option<&Stage> {
        if let Ok(n) = name.parse::<usize>() {
            return self.stages.get(n);
        }
        let lower = name.to_ascii_lowercase();
        self.stages.iter().find(|s| s.name.as_ref().is_some_and(|n| n.value == lower))
    }

    /// The stage and its ancestors (`FROM builder`), nearest first.
    pub fn lineage<'a>(&'a self, stage: &'a Stage) -> Vec<&'a Stage> {
        let mut out = vec![stage];
        let mut cur = stage;
        while let Some(p) = cur.parent.and_then(|p| self.stages.get(p)) {
            if p.index >= cur.index {
                break;
            }
            out.push(p);
            cur = p;
        }
        out
    }
}

pub const KEYWORDS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// Shells whose heredoc body is a script (`RUN <<EOF`, `RUN bash <<EOF`).
const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh"];

/// Parses and reports problems as findings of the running rule (`parse-error`).
pub fn parse_reporting(cx: &mut Ctx) -> Option<Dockerfile> {
    let df = parse(cx.text);
    for e in &df.errors {
        let f = match &e.span {
            Some(s) => cx.report(s.clone(), e.message.clone()),
            None => cx.report_file(e.message.clone()),
        };
        f.help(e.help.clone());
    }
    Some(df)
}

struct Line {
    start: usize,
    /// End without the line break (and without a `\r` before `\n`).
    end: usize,
    /// Start of the next line.
    next: usize,
}

fn split_lines(src: &str, from: usize) -> Vec<Line> {
    let mut out = Vec::new();
    let b = src.as_bytes();
    let mut start = from;
    while start < b.len() {
        let nl = memchr(b'\n', &b[start..]).map(|k| start + k);
        let (mut end, next) = match nl {
            Some(n) => (n, n + 1),
            None => (b.len(), b.len()),
        };
        if end > start && b[end - 1] == b'\r' {
            end -= 1;
        }
        out.push(Line { start, end, next });
        start = next;
    }
    out
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == needle)
}

/// `# key=value` → (key, value, value offset in the line).
fn directive(line: &str) -> Option<(&str, &str, usize)> {
    let t = line.trim_start();
    let after = t.strip_prefix('#')?.trim_start();
    let klen = after.bytes().take_while(|b| b.is_ascii_alphanumeric()).count();
    if klen == 0 {
        return None;
    }
    let key = &after[..klen];
    let rest = after[klen..].trim_start().strip_prefix('=')?;
    let value = rest.trim();
    if value.is_empty() {
        return None;
    }
    let vpos = line.len() - rest.len() + (rest.len() - rest.trim_start().len());
    Some((key, value, vpos))
}

/// Parses a Dockerfile. Never fails: problems are in [`Dockerfile::errors`].
pub fn parse(src: &str) -> Dockerfile {
    let bom = if src.starts_with('\u{feff}') { 3 } else { 0 };
    let lines = split_lines(src, bom);
    let mut df = Dockerfile { escape: '\\', ..Dockerfile::default() };
    let mut errors = Vec::new();
    let mut i = 0;

    // Parser directives: only before anything else.
    while i < lines.len() {
        let l = &src[lines[i].start..lines[i].end];
        let Some((key, value, vpos)) = directive(l) else { break };
        let vspan = lines[i].start + vpos..lines[i].start + vpos + value.len();
        match key.to_ascii_lowercase().as_str() {
            "escape" => match value {
                "\\" => df.escape = '\\',
                "`" => df.escape = '`',
                _ => errors.push(ParseError {
                    span: Some(vspan),
                    message: format!("invalid escape character `{value}`"),
                    help: "the escape directive accepts only `\\` or `` ` ``".into(),
                }),
            },
            "syntax" => df.syntax = Some(Word { value: value.to_string(), span: vspan, quoted: false }),
            _ => {}
        }
        i += 1;
    }
    let esc = df.escape;

    while i < lines.len() {
        let content = &src[lines[i].start..lines[i].end];
        let body = content.trim_start();
        if body.is_empty() || body.starts_with('#') {
            i += 1;
            continue;
        }
        let start = lines[i].end - body.len();
        let mut logical = Text::default();
        let mut piece_start = start;
        let mut end;
        loop {
            let piece = &src[piece_start..lines[i].end];
            let trimmed = piece.trim_end_matches([' ', '\t']);
            if trimmed.ends_with(esc) {
                let cut = trimmed.len() - esc.len_utf8();
                logical.push(&piece[..cut], piece_start);
                end = piece_start + cut + 1;
                i += 1;
                while i < lines.len() {
                    let t = src[lines[i].start..lines[i].end].trim_start();
                    if t.is_empty() || t.starts_with('#') {
                        i += 1;
                    } else {
                        break;
                    }
                }
                if i >= lines.len() {
                    errors.push(ParseError {
                        span: Some(end - 1..end),
                        message: "line continuation at the end of the file".into(),
                        help: format!("remove the trailing `{esc}` or add the missing line"),
                    });
                    break;
                }
                piece_start = lines[i].start;
            } else {
                logical.push(trimmed, piece_start);
                end = piece_start + trimmed.len();
                i += 1;
                break;
            }
        }
        if logical.value.trim().is_empty() {
            continue;
        }
        let span = start..end;
        let mut ins = parse_instruction(logical, span, esc, &mut errors, false);

        // Heredoc bodies follow the logical line.
        if matches!(ins.keyword.as_str(), "RUN" | "COPY" | "ADD") && ins.exec.is_none() {
            for (delimiter, strip_tabs, quoted, marker) in heredoc_markers(src, &ins) {
                let body_start = lines.get(i).map_or(src.len(), |l| l.start);
                let mut body_end = body_start;
                let mut terminated = false;
                while i < lines.len() {
                    let l = &src[lines[i].start..lines[i].end];
                    let cmp = if strip_tabs { l.trim_start_matches('\t') } else { l };
                    i += 1;
                    if cmp.trim_end() == delimiter {
                        terminated = true;
                        break;
                    }
                    body_end = lines[i - 1].next;
                }
                if !terminated {
                    errors.push(ParseError {
                        span: Some(marker.clone()),
                        message: format!("heredoc `{delimiter}` is never terminated"),
                        help: format!("end the heredoc with a line containing only `{delimiter}`"),
                    });
                }
                ins.heredocs.push(Heredoc {
                    delimiter,
                    strip_tabs,
                    quoted,
                    marker,
                    body: Text::contiguous(&src[body_start..body_end], body_start),
                    terminated,
                });
            }
        }
        if ins.is("RUN") {
            ins.commands = run_commands(&ins);
        }
        if KEYWORDS.contains(&ins.keyword.as_str()) && ins.args.is_empty() && ins.heredocs.is_empty() {
            errors.push(ParseError {
                span: Some(ins.keyword_span.clone()),
                message: format!("`{}` has no arguments", ins.keyword),
                help: format!("give `{}` its arguments or remove the line", ins.keyword),
            });
        }
        df.instructions.push(ins);
    }

    build_stages(&mut df, &mut errors);
    if df.instructions.is_empty() {
        errors.push(ParseError {
            span: None,
            message: "the Dockerfile has no instructions".into(),
            help: "add a `FROM` instruction naming the base image".into(),
        });
    } else if df.stages.is_empty() {
        errors.push(ParseError {
            span: Some(df.instructions[0].keyword_span.clone()),
            message: "the Dockerfile has no `FROM` instruction".into(),
            help: "start the build with `FROM <image>`".into(),
        });
    }
    df.errors = errors;
    df
}

fn takes_flags(keyword: &str) -> bool {
    matches!(keyword, "FROM" | "RUN" | "COPY" | "ADD" | "HEALTHCHECK")
}

fn skip_ws(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn parse_instruction(
    text: Text,
    span: Range<usize>,
    esc: char,
    errors: &mut Vec<ParseError>,
    nested: bool,
) -> Instruction {
    let v = text.value.as_str();
    let kw_end = v.find(|c: char| c.is_ascii_whitespace()).unwrap_or(v.len());
    let keyword = v[..kw_end].to_ascii_uppercase();
    let keyword_span = text.span(0..kw_end);
    let mut pos = skip_ws(v, kw_end);
    let mut flags = Vec::new();
    if takes_flags(&keyword) {
        while v[pos..].starts_with("--") {
            let e = v[pos..].find(|c: char| c.is_ascii_whitespace()).map_or(v.len(), |k| pos + k);
            let tok = &v[pos + 2..e];
            let (name, value) = match tok.split_once('=') {
                Some((n, val)) => (n, Some(val.to_string())),
                None => (tok, None),
            };
            // `COPY --from build …`: Docker stops at a flag that needs a value and has no `=`.
            if value.is_none() && !matches!(name.to_ascii_lowercase().as_str(), "link" | "parents" | "keep-git-dir") {
                errors.push(ParseError {
                    span: Some(text.span(pos..e)),
                    message: format!("`--{name}` needs a value: Docker rejects the flag without `=`"),
                    help: format!("write `--{name}=<value>` (no space before the value)"),
                });
            }
            flags.push(Flag { name: name.to_ascii_lowercase(), value, span: text.span(pos..e) });
            pos = skip_ws(v, e);
        }
    }
    let args = pos..v.len();
    let words = split_words(&text, args.clone(), esc);
    let mut exec = None;
    let exec_start = match keyword.as_str() {
        "RUN" | "CMD" | "ENTRYPOINT" | "SHELL" | "VOLUME" | "COPY" | "ADD" => Some(pos),
        "HEALTHCHECK" if words.first().is_some_and(|w| w.value.eq_ignore_ascii_case("CMD")) => {
            Some(skip_ws(v, pos + 3))
        }
        _ => None,
    };
    if let Some(es) = exec_start.filter(|&es| v[es..].starts_with('[')) {
        match json_array(&text, es) {
            Ok(ws) => exec = Some(ws),
            Err(Some(q)) if matches!(keyword.as_str(), "RUN" | "CMD" | "ENTRYPOINT" | "SHELL" | "HEALTHCHECK") => {
                errors.push(ParseError {
                    span: Some(text.span(q..v.len())),
                    message: format!("unterminated string in the exec form of `{keyword}`"),
                    help: "close the string with `\"`; Docker would run this line as a shell command instead".into(),
                })
            }
            Err(_) => {}
        }
    }
    let mut onbuild = None;
    if keyword == "ONBUILD" && !args.is_empty() {
        let inner_text = text.sub(args.clone());
        let inner_span = text.span(args.clone());
        let inner = parse_instruction(inner_text, inner_span, esc, errors, true);
        if matches!(inner.keyword.as_str(), "ONBUILD" | "FROM" | "MAINTAINER") {
            errors.push(ParseError {
                span: Some(inner.keyword_span.clone()),
                message: format!("`ONBUILD` cannot trigger `{}`", inner.keyword),
                help: "move the instruction out of ONBUILD".into(),
            });
        }
        onbuild = Some(Box::new(inner));
    }
    if !KEYWORDS.contains(&keyword.as_str()) {
        errors.push(ParseError {
            span: Some(keyword_span.clone()),
            message: format!("unknown instruction `{}`", &v[..kw_end]),
            help: if nested {
                "ONBUILD takes a Dockerfile instruction such as `RUN` or `COPY`".into()
            } else {
                format!(
                    "use a Dockerfile instruction; if this line continues the previous one, end that line with `{esc}`"
                )
            },
        });
    }
    Instruction {
        keyword,
        keyword_span,
        span,
        text,
        flags,
        args,
        exec,
        words,
        heredocs: Vec::new(),
        commands: Vec::new(),
        onbuild,
        stage: None,
    }
}

/// Splits on whitespace; quotes group and are removed; the escape character escapes.
fn split_words(text: &Text, r: Range<usize>, esc: char) -> Vec<Word> {
    let s = &text.value;
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start: Option<usize> = None;
    let mut quoted = false;
    let mut quote: Option<char> = None;
    let mut it = s[r.clone()].char_indices().map(|(k, c)| (k + r.start, c)).peekable();
    while let Some((k, c)) = it.next() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            } else if c == esc && q == '"' && it.peek().is_some_and(|&(_, n)| n == '"' || n == esc) {
                cur.push(it.next().map_or(c, |(_, n)| n));
            } else {
                cur.push(c);
            }
            continue;
        }
        if c.is_whitespace() {
            if let Some(st) = start.take() {
                out.push(Word { value: std::mem::take(&mut cur), span: text.span(st..k), quoted });
                quoted = false;
            }
            continue;
        }
        start.get_or_insert(k);
        if c == '"' || c == '\'' {
            quote = Some(c);
            quoted = true;
        } else if c == esc {
            match it.next() {
                Some((_, n)) => {
                    if n != '"' && n != '\'' && n != esc && n != '$' && n != ' ' {
                        cur.push(c);
                    }
                    cur.push(n);
                }
                None => cur.push(c),
            }
        } else {
            cur.push(c);
        }
    }
    if let Some(st) = start {
        out.push(Word { value: cur, span: text.span(st..r.end), quoted });
    }
    out
}

/// Parses a JSON array of strings starting at `start` (the `[`), to the end of
/// the text. Err(Some(pos)): an unterminated string opened at `pos`;
/// Err(None): not a JSON string array (Docker then uses the shell form).
fn json_array(text: &Text, start: usize) -> Result<Vec<Word>, Option<usize>> {
    let s = &text.value;
    let b = s.as_bytes();
    let mut i = skip_ws(s, start + 1);
    let mut out = Vec::new();
    if b.get(i) == Some(&b']') {
        return if skip_ws(s, i + 1) == b.len() { Ok(out) } else { Err(None) };
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return Err(None);
        }
        let open = i;
        i += 1;
        let mut val = String::new();
        loop {
            let Some(&c) = b.get(i) else { return Err(Some(open)) };
            match c {
                b'"' => break,
                b'\\' => {
                    let Some(&n) = b.get(i + 1) else { return Err(Some(open)) };
                    match n {
                        b'"' => val.push('"'),
                        b'\\' => val.push('\\'),
                        b'/' => val.push('/'),
                        b'n' => val.push('\n'),
                        b't' => val.push('\t'),
                        b'r' => val.push('\r'),
                        b'b' => val.push('\u{8}'),
                        b'f' => val.push('\u{c}'),
                        b'u' => {
                            let hex = s.get(i + 2..i + 6).ok_or(None)?;
                            let cp = u32::from_str_radix(hex, 16).map_err(|_| None)?;
                            val.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                            i += 4;
                        }
                        _ => return Err(None),
                    }
                    i += 2;
                }
                _ => {
                    let mut j = i + 1;
                    while j < b.len() && !s.is_char_boundary(j) {
                        j += 1;
                    }
                    val.push_str(&s[i..j]);
                    i = j;
                }
            }
        }
        out.push(Word { value: val, span: text.span(open..i + 1), quoted: true });
        i = skip_ws(s, i + 1);
        match b.get(i) {
            Some(b',') => i = skip_ws(s, i + 1),
            Some(b']') => {
                return if skip_ws(s, i + 1) == b.len() { Ok(out) } else { Err(None) };
            }
            _ => return Err(None),
        }
    }
}

/// Heredoc markers of the logical line: (delimiter, strip tabs, quoted, span).
fn heredoc_markers(src: &str, ins: &Instruction) -> Vec<(String, bool, bool, Range<usize>)> {
    let mut out = Vec::new();
    for w in &ins.words {
        let raw = src.get(w.span.clone()).unwrap_or("");
        let digits = raw.bytes().take_while(u8::is_ascii_digit).count();
        let Some(rest) = raw[digits..].strip_prefix("<<") else { continue };
        let (strip, rest) = match rest.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        if rest.is_empty() || rest.contains('<') {
            continue;
        }
        let quoted = rest.contains('"') || rest.contains('\'');
        let delim: String = rest.chars().filter(|&c| c != '"' && c != '\'').collect();
        if delim.is_empty() {
            continue;
        }
        out.push((delim, strip, quoted, w.span.clone()));
    }
    out
}

/// The commands a RUN executes: its shell-form line, plus heredoc bodies that
/// are shell scripts (`RUN <<EOF`, `RUN bash <<EOF`; not `RUN python3 <<EOF`).
fn run_commands(ins: &Instruction) -> Vec<Command> {
    if let Some(exec) = &ins.exec {
        if exec.is_empty() {
            return Vec::new();
        }
        let span = exec[0].span.start..exec[exec.len() - 1].span.end;
        return vec![Command {
            words: exec.clone(),
            redirects: Vec::new(),
            span,
            sep: Sep::End,
            sep_span: None,
            piped: false,
        }];
    }
    let mut cmds = shell::split(&ins.text, ins.args.clone());
    for h in &ins.heredocs {
        let owner = cmds.iter().find(|c| {
            c.redirects
                .iter()
                .any(|r| r.op.starts_with("<<") && r.target.as_ref().is_some_and(|t| t.value == h.delimiter))
        });
        let is_script = match owner {
            None => true,
            Some(c) => c.words.is_empty() || (SHELLS.contains(&c.name()) && !c.args().iter().any(|a| a.value == "-c")),
        };
        let shebang = h.body.value.trim_start().starts_with("#!")
            && !SHELLS.iter().any(|sh| {
                h.body
                    .value
                    .lines()
                    .next()
                    .is_some_and(|l| l.ends_with(&format!("/{sh}")) || l.ends_with(&format!(" {sh}")))
            });
        if is_script && !shebang {
            cmds.extend(shell::split(&h.body, 0..h.body.value.len()));
        }
    }
    cmds.retain(|c| !c.words.is_empty());
    cmds
}

fn build_stages(df: &mut Dockerfile, errors: &mut Vec<ParseError>) {
    let mut vars: HashMap<String, Option<String>> = HashMap::new();
    let esc = df.escape;
    for idx in 0..df.instructions.len() {
        let ins = &df.instructions[idx];
        if ins.is("FROM") {
            if let Some(last) = df.stages.last_mut() {
                last.instructions.end = idx;
            }
            let words = &ins.words;
            let Some(img) = words.first() else {
                df.instructions[idx].stage = Some(df.stages.len());
                push_stage(df, idx, ImageRef::parse("", false), ins_span_end(&df.instructions[idx]), None);
                continue;
            };
            let mut name = None;
            if words.len() == 3 && words[1].value.eq_ignore_ascii_case("as") {
                name = Some(Word { value: words[2].value.to_ascii_lowercase(), ..words[2].clone() });
            } else if words.len() != 1 {
                errors.push(ParseError {
                    span: Some(ins.args_span()),
                    message: "`FROM` takes an image and an optional `AS name`".into(),
                    help: "write `FROM <image> [AS <name>]`".into(),
                });
            }
            let (expanded, known) = expand(&img.value, &vars, esc);
            let image = ImageRef::parse(&expanded, known);
            let span = img.span.clone();
            df.instructions[idx].stage = Some(df.stages.len());
            push_stage(df, idx, image, span, name);
        } else if df.stages.is_empty() {
            if ins.is("ARG") {
                for kv in ins.pairs() {
                    let value = kv.value.map(|w| expand(&w.value, &vars, esc)).and_then(|(v, ok)| ok.then_some(v));
                    vars.insert(kv.key, value);
                }
            } else if KEYWORDS.contains(&ins.keyword.as_str()) {
                errors.push(ParseError {
                    span: Some(ins.keyword_span.clone()),
                    message: format!("`{}` before the first `FROM`", ins.keyword),
                    help: "only `ARG` may come before `FROM`; move this instruction into a stage".into(),
                });
            }
        } else {
            df.instructions[idx].stage = Some(df.stages.len() - 1);
        }
    }
    if let Some(last) = df.stages.last_mut() {
        last.instructions.end = df.instructions.len();
    }
    df.global_args = vars;
}

fn ins_span_end(ins: &Instruction) -> Range<usize> {
    ins.span.end..ins.span.end
}

fn push_stage(df: &mut Dockerfile, from: usize, image: ImageRef, image_span: Range<usize>, name: Option<Word>) {
    let index = df.stages.len();
    let parent = if image.known {
        let lower = image.text.to_ascii_lowercase();
        df.stages.iter().position(|s| s.name.as_ref().is_some_and(|n| n.value == lower))
    } else {
        None
    };
    df.stages.push(Stage { index, from, image, image_span, name, parent, instructions: from..from + 1 });
}

#[cfg(test)]
mod tests;

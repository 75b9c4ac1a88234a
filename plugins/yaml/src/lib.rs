//! YAML with exact byte spans, for opslint plugins (k8s, ci, backup).
//!
//! [`parse`] reads a stream of documents into small owned trees. Every node
//! keeps the byte range of its text, and every mapping entry keeps its key
//! as a node of its own, so a finding can point at the key or at the value.
//! The builder never recurses: nesting deeper than [`Limits::max_depth`] and
//! aliases that would expand past [`Limits::max_alias_nodes`] nodes stop the
//! parse with an [`Error`] (a billion-laughs file is a finding, not a hang).
//! Comments are not kept. Merge keys (`<<: *base`) are applied.
#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle};

/// Bounds on what one stream may cost.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest nesting of sequences and mappings (aliases included).
    pub max_depth: usize,
    /// Nodes that aliases may add to the stream in total (an alias adds a copy of its anchor).
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 200, max_alias_nodes: 100_000 }
    }
}

/// What stopped a parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Not YAML.
    Syntax,
    /// Nested deeper than [`Limits::max_depth`].
    TooDeep,
    /// Aliases would expand past [`Limits::max_alias_nodes`].
    AliasExpansion,
}

/// A problem that ended the parse; documents completed before it are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    /// Byte range in the text (one character, or empty at the end).
    pub span: Range<usize>,
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The documents of a stream, and the error that stopped reading, if any.
#[derive(Debug, Clone, Default)]
pub struct Stream {
    pub docs: Vec<Document>,
    pub error: Option<Error>,
}

/// One document of a stream.
#[derive(Debug, Clone)]
pub struct Document {
    /// Position in the stream, from 0.
    pub index: usize,
    pub root: Node,
}

/// A node with the byte range of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Range<usize>,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A scalar's text after unquoting and folding; `plain` when it was unquoted
/// (only plain scalars are null, booleans or numbers).
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub text: String,
    pub plain: bool,
}

/// A mapping entry: the key keeps its own span.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Entry {
    /// The key's text, if it is a scalar.
    pub fn key_str(&self) -> Option<&str> {
        self.key.as_str()
    }

    /// From the start of the key to the end of the value.
    pub fn span(&self) -> Range<usize> {
        self.key.span.start..self.value.span.end.max(self.key.span.end)
    }
}

/// One step of a path: `spec.containers[0].image` is key, key, index, key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// Splits `a.b[0].c` into segments. Keys holding dots cannot be written this way; use [`Node::get`].
pub fn path_segments(path: &str) -> Vec<Segment<'_>> {
    segments(path).collect()
}

/// The segments of a path as they are read (no list: rules ask for paths on
/// every object of a repository).
fn segments(path: &str) -> impl Iterator<Item = Segment<'_>> {
    path.split('.').filter(|p| !p.is_empty()).flat_map(|part| {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        let key = (!key.is_empty()).then_some(Segment::Key(key));
        let indices = std::iter::from_fn(move || loop {
            let stripped = rest.strip_prefix('[')?;
            let close = stripped.find(']')?;
            rest = &stripped[close + 1..];
            if let Ok(n) = stripped[..close].parse() {
                return Some(Segment::Index(n));
            }
        });
        key.into_iter().chain(indices)
    })
}

impl Node {
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar that is not null.
    pub fn as_str(&self) -> Option<&str> {
        self.as_scalar().filter(|s| !s.is_null()).map(|s| s.text.as_str())
    }

    /// A plain boolean (`true`, `false`, and YAML 1.1's `yes`/`no`/`on`/`off`, any case).
    pub fn as_bool(&self) -> Option<bool> {
        let s = self.as_scalar().filter(|s| s.plain)?;
        match s.text.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "y" => Some(true),
            "false" | "no" | "off" | "n" => Some(false),
            _ => None,
        }
    }

    /// An integer, plain or quoted (`"3"` counts: many tools write numbers quoted).
    pub fn as_i64(&self) -> Option<i64> {
        let t = self.as_scalar()?.text.trim();
        let t = t.strip_prefix('+').unwrap_or(t);
        if let Some(hex) = t.strip_prefix("0x") {
            return i64::from_str_radix(hex, 16).ok();
        }
        t.replace('_', "").parse().ok()
    }

    pub fn is_null(&self) -> bool {
        self.as_scalar().is_some_and(Scalar::is_null)
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    pub fn is_seq(&self) -> bool {
        matches!(self.value, Value::Seq(_))
    }

    /// The items of a sequence; nothing for any other node.
    pub fn items(&self) -> &[Node] {
        self.as_seq().unwrap_or(&[])
    }

    /// The entries of a mapping; nothing for any other node.
    pub fn entries(&self) -> &[Entry] {
        self.as_map().unwrap_or(&[])
    }

    /// The entry of a mapping with this scalar key (the last one if repeated).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().rev().find(|e| e.key_str() == Some(key))
    }

    /// The value of a mapping at this scalar key.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The string at this key (not null, a scalar).
    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key)?.as_str()
    }

    /// The node at a path (`spec.template.spec.containers[0].image`).
    pub fn at(&self, path: &str) -> Option<&Node> {
        segments(path).try_fold(self, |node, seg| node.step(&seg))
    }

    pub fn at_segments(&self, segments: &[Segment]) -> Option<&Node> {
        segments.iter().try_fold(self, |node, seg| node.step(seg))
    }

    fn step(&self, seg: &Segment) -> Option<&Node> {
        match seg {
            Segment::Key(k) => self.get(k),
            Segment::Index(i) => self.as_seq()?.get(*i),
        }
    }

    /// The mapping entry a path ends at (its last segment must be a key).
    pub fn entry_at(&self, path: &str) -> Option<&Entry> {
        let segs = path_segments(path);
        let (last, parent) = segs.split_last()?;
        let Segment::Key(k) = last else { return None };
        self.at_segments(parent)?.entry(k)
    }

    /// The span of the key a path ends at.
    pub fn key_span(&self, path: &str) -> Option<Range<usize>> {
        self.entry_at(path).map(|e| e.key.span.clone())
    }

    /// The span of the value at a path.
    pub fn value_span(&self, path: &str) -> Option<Range<usize>> {
        self.at(path).map(|n| n.span.clone())
    }

    pub fn str_at(&self, path: &str) -> Option<&str> {
        self.at(path)?.as_str()
    }

    pub fn bool_at(&self, path: &str) -> Option<bool> {
        self.at(path)?.as_bool()
    }

    pub fn i64_at(&self, path: &str) -> Option<i64> {
        self.at(path)?.as_i64()
    }
}

impl Scalar {
    pub fn is_null(&self) -> bool {
        self.plain && matches!(self.text.as_str(), "" | "~" | "null" | "Null" | "NULL")
    }
}

/// Parses a YAML stream with the default [`Limits`].
pub fn parse(text: &str) -> Stream {
    parse_with(text, Limits::default())
}

/// Maps the parser's character indexes to byte offsets.
struct Offsets<'a> {
    text: &'a str,
    /// Byte offset of every 64th character; empty for ASCII text.
    checkpoints: Vec<usize>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let checkpoints =
            if text.is_ascii() { Vec::new() } else { text.char_indices().step_by(64).map(|(i, _)| i).collect() };
        Offsets { text, checkpoints }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.checkpoints.is_empty() {
            return char_index.min(self.text.len());
        }
        let Some(&start) = self.checkpoints.get(char_index / 64) else { return self.text.len() };
        let rest = char_index % 64;
        self.text[start..].char_indices().nth(rest).map_or(self.text.len(), |(i, _)| start + i)
    }

    /// One character from `char_index` (empty at the end).
    fn char_span(&self, char_index: usize) -> Range<usize> {
        let start = self.byte(char_index);
        let len = self.text[start..].chars().next().map_or(0, char::len_utf8);
        start..start + len
    }
}

enum Frame {
    Seq { start: usize, anchor: usize, items: Vec<Node>, size: usize, height: usize },
    Map { start: usize, anchor: usize, entries: Vec<Entry>, key: Option<Node>, size: usize, height: usize },
}

/// A completed node, its node count and its height (a scalar is 0).
struct Built {
    node: Node,
    size: usize,
    height: usize,
}

/// Parses a YAML stream. Never recurses; stops at the first error.
pub fn parse_with(text: &str, limits: Limits) -> Stream {
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut stream = Stream::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Node, usize, usize)> = HashMap::new();
    let mut expanded = 0usize;
    let mut root: Option<Node> = None;
    let error = |kind, at: Range<usize>, message: String| Error { kind, span: at, message };

    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(e) => e,
            Err(e) => {
                let at = offsets.char_span(e.marker().index());
                stream.error = Some(error(ErrorKind::Syntax, at, format!("invalid YAML: {}", e.info())));
                break;
            }
        };
        let start = offsets.byte(span.start.index());
        let end = offsets.byte(span.end.index()).max(start);
        let completed = match event {
            Event::StreamStart | Event::Nothing => None,
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                root = None;
                anchors.clear();
                None
            }
            Event::DocumentEnd => {
                let node = root.take().unwrap_or(Node {
                    span: start..start,
                    value: Value::Scalar(Scalar { text: String::new(), plain: true }),
                });
                stream.docs.push(Document { index: stream.docs.len(), root: node });
                None
            }
            Event::Scalar(value, style, anchor, _tag) => {
                let plain = matches!(style, ScalarStyle::Plain);
                let node = Node { span: start..end, value: Value::Scalar(Scalar { text: value.into_owned(), plain }) };
                Some((Built { node, size: 1, height: 0 }, anchor))
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= limits.max_depth {
                    stream.error = Some(error(
                        ErrorKind::TooDeep,
                        offsets.char_span(span.start.index()),
                        format!("the YAML is nested more than {} levels deep", limits.max_depth),
                    ));
                    break;
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq { start, anchor, items: Vec::new(), size: 1, height: 0 }
                } else {
                    Frame::Map { start, anchor, entries: Vec::new(), key: None, size: 1, height: 0 }
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq { start, anchor, items, size, height }) => {
                    let end = collection_end(text, start, end, items.last().map(|n| n.span.end));
                    let node = Node { span: start..end, value: Value::Seq(items) };
                    Some((Built { node, size, height: height + 1 }, anchor))
                }
                Some(Frame::Map { start, anchor, entries, key, size, height }) => {
                    let end =
                        collection_end(text, start, end, entries.last().map(|e| e.value.span.end.max(e.key.span.end)));
                    let mut entries = entries;
                    if let Some(key) = key {
                        // A key without a value (should not happen): keep it with a null value.
                        let at = key.span.end;
                        let null = Value::Scalar(Scalar { text: String::new(), plain: true });
                        entries.push(Entry { key, value: Node { span: at..at, value: null } });
                    }
                    let node = Node { span: start..end, value: Value::Map(apply_merge_keys(entries)) };
                    Some((Built { node, size, height: height + 1 }, anchor))
                }
                None => None,
            },
            Event::Alias(id) => {
                let Some((node, size, height)) = anchors.get(&id) else {
                    stream.error = Some(error(
                        ErrorKind::Syntax,
                        start..end.max(start + 1).min(text.len()),
                        "unknown alias".into(),
                    ));
                    break;
                };
                expanded += size;
                if expanded > limits.max_alias_nodes {
                    stream.error = Some(error(
                        ErrorKind::AliasExpansion,
                        start..end,
                        format!(
                            "aliases expand to more than {} nodes (a \"billion laughs\" document?); not analysed",
                            limits.max_alias_nodes
                        ),
                    ));
                    break;
                }
                if stack.len() + height > limits.max_depth {
                    stream.error = Some(error(
                        ErrorKind::TooDeep,
                        start..end,
                        format!("the YAML is nested more than {} levels deep (through an alias)", limits.max_depth),
                    ));
                    break;
                }
                Some((Built { node: node.clone(), size: *size, height: *height }, 0))
            }
        };
        let Some((built, anchor)) = completed else { continue };
        if anchor != 0 {
            anchors.insert(anchor, (built.node.clone(), built.size, built.height));
        }
        match stack.last_mut() {
            None => root = Some(built.node),
            Some(Frame::Seq { items, size, height, .. }) => {
                *size += built.size;
                *height = (*height).max(built.height);
                items.push(built.node);
            }
            Some(Frame::Map { entries, key, size, height, .. }) => {
                *size += built.size;
                *height = (*height).max(built.height);
                match key.take() {
                    None => *key = Some(built.node),
                    Some(k) => entries.push(Entry { key: k, value: built.node }),
                }
            }
        }
    }
    stream
}

/// A flow collection ends at its closing bracket; a block one at its last
/// child (the parser's end event sits at the next token, past blank lines).
fn collection_end(text: &str, start: usize, event_end: usize, last_child: Option<usize>) -> usize {
    let flow = matches!(text.as_bytes().get(start), Some(b'{' | b'['));
    match last_child {
        Some(child) if !flow => child,
        Some(child) => event_end.max(child),
        None => event_end,
    }
}

/// `<<: *base` (or a list of them): the merged mappings' entries whose keys
/// the mapping does not set itself are appended; the `<<` entry is removed.
fn apply_merge_keys(entries: Vec<Entry>) -> Vec<Entry> {
    let is_merge = |e: &Entry| e.key.as_scalar().is_some_and(|s| s.plain && s.text == "<<");
    if !entries.iter().any(|e| is_merge(e) && (e.value.is_map() || e.value.is_seq())) {
        return entries;
    }
    let (merges, mut own): (Vec<Entry>, Vec<Entry>) =
        entries.into_iter().partition(|e| is_merge(e) && (e.value.is_map() || e.value.is_seq()));
    for merge in merges {
        let sources = match merge.value.value {
            Value::Map(m) => vec![m],
            Value::Seq(items) => items
                .into_iter()
                .filter_map(|n| match n.value {
                    Value::Map(m) => Some(m),
                    _ => None,
                })
                .collect(),
            Value::Scalar(_) => Vec::new(),
        };
        for source in sources {
            for e in source {
                let key = e.key_str().map(str::to_string);
                if key.is_none() || !own.iter().any(|o| o.key_str() == key.as_deref()) {
                    own.push(e);
                }
            }
        }
    }
    own
}

/// 1-based line and column (in characters) of a byte offset, for messages.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

pub mod codec;
#[cfg(test)]
mod tests;

//! A compact binary form of a node tree, for plugins that hand a parsed file
//! to a later step (the host keeps it opaque and caches it): spans as
//! varints, and a scalar's text only where it differs from the source at
//! its span (quoted, folded), since the reader has the source too. Reading
//! it back costs a fraction of parsing the YAML again.
use std::ops::Range;

use crate::{Document, Entry, Error, ErrorKind, Node, Scalar, Stream, Value};

const SCALAR: u8 = 0;
const PLAIN: u8 = 1;
const SEQ: u8 = 2;
const MAP: u8 = 3;
/// A scalar whose text is the source at its span: no text written.
const SCALAR_AS_SOURCE: u8 = 4;
const PLAIN_AS_SOURCE: u8 = 5;

/// Appends `node`, parsed from `source`, to `out`.
pub fn write(node: &Node, source: &str, out: &mut Vec<u8>) {
    match &node.value {
        Value::Scalar(s) => {
            let verbatim = source.get(node.span.clone()) == Some(s.text.as_str());
            out.push(match (s.plain, verbatim) {
                (true, true) => PLAIN_AS_SOURCE,
                (false, true) => SCALAR_AS_SOURCE,
                (true, false) => PLAIN,
                (false, false) => SCALAR,
            });
            span(node, out);
            if !verbatim {
                write_str(&s.text, out);
            }
        }
        Value::Seq(items) => {
            out.push(SEQ);
            span(node, out);
            write_usize(items.len(), out);
            items.iter().for_each(|n| write(n, source, out));
        }
        Value::Map(entries) => {
            out.push(MAP);
            span(node, out);
            write_usize(entries.len(), out);
            for e in entries {
                write(&e.key, source, out);
                write(&e.value, source, out);
            }
        }
    }
}

/// Reads a node [`write`] wrote from the same `source`, advancing `input`;
/// `None` on bytes it did not write.
pub fn read(input: &mut &[u8], source: &str) -> Option<Node> {
    read_depth(input, source, 0)
}

/// Deeper than the parser allows: not bytes [`write`] wrote.
const MAX_DEPTH: usize = 1024;

fn read_depth(input: &mut &[u8], source: &str, depth: usize) -> Option<Node> {
    if depth > MAX_DEPTH {
        return None;
    }
    let (&tag, rest) = input.split_first()?;
    *input = rest;
    let span = read_range(input)?;
    let value = match tag {
        SCALAR | PLAIN => Value::Scalar(Scalar { text: read_str(input)?, plain: tag == PLAIN }),
        SCALAR_AS_SOURCE | PLAIN_AS_SOURCE => {
            Value::Scalar(Scalar { text: source.get(span.clone())?.to_string(), plain: tag == PLAIN_AS_SOURCE })
        }
        SEQ => {
            let n = read_usize(input)?;
            let mut items = Vec::with_capacity(n.min(input.len()));
            for _ in 0..n {
                items.push(read_depth(input, source, depth + 1)?);
            }
            Value::Seq(items)
        }
        MAP => {
            let n = read_usize(input)?;
            let mut entries = Vec::with_capacity(n.min(input.len() / 2));
            for _ in 0..n {
                let key = read_depth(input, source, depth + 1)?;
                let value = read_depth(input, source, depth + 1)?;
                entries.push(Entry { key, value });
            }
            Value::Map(entries)
        }
        _ => return None,
    };
    Some(Node { span, value })
}

/// Which parts of a tree [`read_shaped`] builds; the rest is passed over
/// unbuilt (no node, no text copied). A reader that needs a few fields of
/// many trees reads them at a fraction of the cost of reading them whole.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// The whole subtree.
    All,
    /// A mapping's entries under these keys, each to its shape; the other
    /// entries are left out. A node that is not a mapping is read whole.
    Keys(&'static [(&'static str, Shape)]),
    /// A sequence's items, each to this shape. A node that is not a
    /// sequence is read whole.
    Items(&'static Shape),
}

/// Reads what [`write`] wrote, building only the parts `shape` names (a
/// mapping keeps its span, and the entries kept, in their order).
pub fn read_shaped(input: &mut &[u8], source: &str, shape: Shape) -> Option<Node> {
    read_shaped_depth(input, source, shape, 0)
}

fn read_shaped_depth(input: &mut &[u8], source: &str, shape: Shape, depth: usize) -> Option<Node> {
    let tag = *input.first()?;
    let keys = match (shape, tag) {
        (Shape::Keys(keys), MAP) => keys,
        (Shape::Items(item), SEQ) => {
            *input = &input[1..];
            let span = read_range(input)?;
            let n = read_usize(input)?;
            let mut items = Vec::with_capacity(n.min(input.len()));
            for _ in 0..n {
                items.push(read_shaped_depth(input, source, *item, depth + 1)?);
            }
            return Some(Node { span, value: Value::Seq(items) });
        }
        _ => return read_depth(input, source, depth),
    };
    if depth > MAX_DEPTH {
        return None;
    }
    *input = &input[1..];
    let span = read_range(input)?;
    let n = read_usize(input)?;
    let mut entries = Vec::new();
    for _ in 0..n {
        let key = read_depth(input, source, depth + 1)?;
        let wanted = key.as_scalar().and_then(|k| keys.iter().find(|(name, _)| *name == k.text));
        match wanted {
            Some((_, shape)) => {
                let value = read_shaped_depth(input, source, *shape, depth + 1)?;
                entries.push(Entry { key, value });
            }
            None => skip(input, depth + 1)?,
        }
    }
    Some(Node { span, value: Value::Map(entries) })
}

/// Passes over one node [`write`] wrote, building nothing.
fn skip(input: &mut &[u8], depth: usize) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    let (&tag, rest) = input.split_first()?;
    *input = rest;
    read_usize(input)?;
    read_usize(input)?;
    match tag {
        SCALAR | PLAIN => {
            let n = read_usize(input)?;
            *input = input.get(n..)?;
        }
        SCALAR_AS_SOURCE | PLAIN_AS_SOURCE => {}
        SEQ => {
            for _ in 0..read_usize(input)? {
                skip(input, depth + 1)?;
            }
        }
        MAP => {
            for _ in 0..read_usize(input)? {
                skip(input, depth + 1)?;
                skip(input, depth + 1)?;
            }
        }
        _ => return None,
    }
    Some(())
}

/// Appends a whole stream parsed from `source`: its documents and the error that ended it.
pub fn write_stream(stream: &Stream, source: &str, out: &mut Vec<u8>) {
    write_usize(stream.docs.len(), out);
    for d in &stream.docs {
        write_usize(d.index, out);
        write(&d.root, source, out);
    }
    write_error(stream.error.as_ref(), out);
}

/// Reads what [`write_stream`] wrote from the same `source`.
pub fn read_stream(input: &mut &[u8], source: &str) -> Option<Stream> {
    let n = read_usize(input)?;
    let mut docs = Vec::with_capacity(n.min(input.len()));
    for _ in 0..n {
        docs.push(Document { index: read_usize(input)?, root: read(input, source)? });
    }
    Some(Stream { docs, error: read_error(input)? })
}

/// Appends a parse error, or its absence.
pub fn write_error(error: Option<&Error>, out: &mut Vec<u8>) {
    let Some(e) = error else {
        out.push(0);
        return;
    };
    out.push(match e.kind {
        ErrorKind::Syntax => 1,
        ErrorKind::TooDeep => 2,
        ErrorKind::AliasExpansion => 3,
    });
    write_range(&e.span, out);
    write_str(&e.message, out);
}

/// Reads what [`write_error`] wrote: `Some(None)` for no error.
pub fn read_error(input: &mut &[u8]) -> Option<Option<Error>> {
    let (&tag, rest) = input.split_first()?;
    *input = rest;
    let kind = match tag {
        0 => return Some(None),
        1 => ErrorKind::Syntax,
        2 => ErrorKind::TooDeep,
        3 => ErrorKind::AliasExpansion,
        _ => return None,
    };
    Some(Some(Error { kind, span: read_range(input)?, message: read_str(input)? }))
}

fn span(node: &Node, out: &mut Vec<u8>) {
    write_range(&node.span, out);
}

/// Appends a byte range as its start and length.
pub fn write_range(r: &Range<usize>, out: &mut Vec<u8>) {
    write_usize(r.start, out);
    write_usize(r.end.saturating_sub(r.start), out);
}

/// Reads what [`write_range`] wrote.
pub fn read_range(input: &mut &[u8]) -> Option<Range<usize>> {
    let start = read_usize(input)?;
    Some(start..start.checked_add(read_usize(input)?)?)
}

pub fn write_usize(mut v: usize, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub fn read_usize(input: &mut &[u8]) -> Option<usize> {
    let mut v: usize = 0;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = input.split_first()?;
        *input = rest;
        v |= ((b & 0x7f) as usize).checked_shl(shift)?;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

pub fn write_str(s: &str, out: &mut Vec<u8>) {
    write_usize(s.len(), out);
    out.extend_from_slice(s.as_bytes());
}

pub fn read_str(input: &mut &[u8]) -> Option<String> {
    let n = read_usize(input)?;
    if n > input.len() {
        return None;
    }
    let (s, rest) = input.split_at(n);
    *input = rest;
    String::from_utf8(s.to_vec()).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_stream_reads_back_as_written() {
        for text in ["a: 1\n---\nb: [2]\n", "a: [1\n", "- &x [*x]\n"] {
            let stream = crate::parse(text);
            let mut bytes = Vec::new();
            super::write_stream(&stream, text, &mut bytes);
            let mut input = &bytes[..];
            let back = super::read_stream(&mut input, text).expect("reads");
            assert!(input.is_empty());
            assert_eq!(back.error, stream.error);
            let roots = |s: &crate::Stream| s.docs.iter().map(|d| (d.index, d.root.clone())).collect::<Vec<_>>();
            assert_eq!(roots(&back), roots(&stream));
        }
    }

    #[test]
    fn a_tree_reads_back_as_written() {
        let text = "a: 1\nb: [x, 'y', {c: d}]\n---\n- \"q\"\n- |\n  block\n";
        for doc in crate::parse(text).docs {
            let mut bytes = Vec::new();
            super::write(&doc.root, text, &mut bytes);
            let mut input = &bytes[..];
            assert_eq!(super::read(&mut input, text), Some(doc.root));
            assert!(input.is_empty());
            // Truncated or damaged bytes are refused, never a panic.
            for cut in 0..bytes.len() {
                let mut short = &bytes[..cut];
                assert_eq!(super::read(&mut short, text), None);
            }
            // Read against another source: refused or different, never a panic.
            let _ = super::read(&mut &bytes[..], "x");
        }
    }

    /// A shaped read builds the named entries and items, the rest passed
    /// over: the same tree as the whole one with those entries removed.
    #[test]
    fn a_shaped_read_keeps_what_the_shape_names() {
        use super::Shape::{All, Items, Keys};
        const ITEM: super::Shape = Keys(&[("name", All)]);
        const SHAPE: super::Shape = Keys(&[("b", Items(&ITEM)), ("c", Keys(&[("d", All)])), ("e", All)]);
        let text = "a: {x: [1, 2]}\nb: [{name: n, skip: 's'}, plain]\nc: [listed]\ne: {kept: \"q\"}\n";
        let expected = "b: [{name: n}, plain]\nc: [listed]\ne: {kept: \"q\"}\n";
        let root = crate::parse(text).docs.remove(0).root;
        let mut bytes = Vec::new();
        super::write(&root, text, &mut bytes);
        let mut input = &bytes[..];
        let shaped = super::read_shaped(&mut input, text, SHAPE).expect("reads");
        assert!(input.is_empty());
        // Spans stay those of the whole text; values compared without them.
        let want = crate::parse(expected).docs.remove(0).root;
        let texts = |n: &crate::Node| format!("{:?}", strip(n));
        assert_eq!(texts(&shaped), texts(&want));
        assert_eq!(shaped.span, root.span);
        assert_eq!(shaped.at("e.kept").map(|n| n.span.clone()), root.at("e.kept").map(|n| n.span.clone()));
        // Truncated bytes are refused, never a panic.
        for cut in 0..bytes.len() {
            assert_eq!(super::read_shaped(&mut &bytes[..cut], text, SHAPE), None);
        }
    }

    /// A tree's values without spans.
    fn strip(n: &crate::Node) -> crate::Value {
        match &n.value {
            crate::Value::Scalar(s) => crate::Value::Scalar(s.clone()),
            crate::Value::Seq(items) => crate::Value::Seq(items.iter().map(|i| bare(strip(i))).collect()),
            crate::Value::Map(entries) => crate::Value::Map(
                entries
                    .iter()
                    .map(|e| crate::Entry { key: bare(strip(&e.key)), value: bare(strip(&e.value)) })
                    .collect(),
            ),
        }
    }

    fn bare(value: crate::Value) -> crate::Node {
        crate::Node { span: 0..0, value }
    }
}

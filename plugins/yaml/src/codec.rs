//! A compact binary form of a node tree, for plugins that hand a parsed file
//! to a later step (the host keeps it opaque and caches it): spans as
//! varints, scalars as length-prefixed text. Reading it back costs a
//! fraction of parsing the YAML again.
use crate::{Entry, Node, Scalar, Value};

const SCALAR: u8 = 0;
const PLAIN: u8 = 1;
const SEQ: u8 = 2;
const MAP: u8 = 3;

/// Appends `node` to `out`.
pub fn write(node: &Node, out: &mut Vec<u8>) {
    match &node.value {
        Value::Scalar(s) => {
            out.push(if s.plain { PLAIN } else { SCALAR });
            span(node, out);
            write_str(&s.text, out);
        }
        Value::Seq(items) => {
            out.push(SEQ);
            span(node, out);
            write_usize(items.len(), out);
            items.iter().for_each(|n| write(n, out));
        }
        Value::Map(entries) => {
            out.push(MAP);
            span(node, out);
            write_usize(entries.len(), out);
            for e in entries {
                write(&e.key, out);
                write(&e.value, out);
            }
        }
    }
}

/// Reads a node [`write`] wrote, advancing `input`; `None` on bytes it did not write.
pub fn read(input: &mut &[u8]) -> Option<Node> {
    read_depth(input, 0)
}

/// Deeper than the parser allows: not bytes [`write`] wrote.
const MAX_DEPTH: usize = 1024;

fn read_depth(input: &mut &[u8], depth: usize) -> Option<Node> {
    if depth > MAX_DEPTH {
        return None;
    }
    let (&tag, rest) = input.split_first()?;
    *input = rest;
    let start = read_usize(input)?;
    let span = start..start.checked_add(read_usize(input)?)?;
    let value = match tag {
        SCALAR | PLAIN => Value::Scalar(Scalar { text: read_str(input)?, plain: tag == PLAIN }),
        SEQ => {
            let n = read_usize(input)?;
            let mut items = Vec::with_capacity(n.min(input.len()));
            for _ in 0..n {
                items.push(read_depth(input, depth + 1)?);
            }
            Value::Seq(items)
        }
        MAP => {
            let n = read_usize(input)?;
            let mut entries = Vec::with_capacity(n.min(input.len() / 2));
            for _ in 0..n {
                let key = read_depth(input, depth + 1)?;
                let value = read_depth(input, depth + 1)?;
                entries.push(Entry { key, value });
            }
            Value::Map(entries)
        }
        _ => return None,
    };
    Some(Node { span, value })
}

fn span(node: &Node, out: &mut Vec<u8>) {
    write_usize(node.span.start, out);
    write_usize(node.span.end.saturating_sub(node.span.start), out);
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
    fn a_tree_reads_back_as_written() {
        let text = "a: 1\nb: [x, 'y', {c: d}]\n---\n- \"q\"\n- |\n  block\n";
        for doc in crate::parse(text).docs {
            let mut bytes = Vec::new();
            super::write(&doc.root, &mut bytes);
            let mut input = &bytes[..];
            assert_eq!(super::read(&mut input), Some(doc.root));
            assert!(input.is_empty());
            // Truncated or damaged bytes are refused, never a panic.
            for cut in 0..bytes.len() {
                let mut short = &bytes[..cut];
                assert_eq!(super::read(&mut short), None);
            }
        }
    }
}

//! Turning what plugins return (byte spans, lines, YAML paths) into lines and columns.
use std::cell::OnceCell;

use crate::finding::Position;
use crate::plugin::bindings::{DocPath, Location, PathSegment};

/// Line starts of one text, for offset → (line, column).
pub struct Lines<'a> {
    text: &'a str,
    starts: std::borrow::Cow<'a, [usize]>,
    /// The text read as YAML (JSON included), once, when a path location needs it.
    yaml: OnceCell<opslint_yaml::Stream>,
}

/// Byte offsets where the lines of `text` start.
pub fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    starts
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        Lines { text, starts: line_starts(text).into(), yaml: OnceCell::new() }
    }

    /// Over line starts made before ([`line_starts`] of the same text).
    pub fn with_starts(text: &'a str, starts: &'a [usize]) -> Lines<'a> {
        Lines { text, starts: starts.into(), yaml: OnceCell::new() }
    }

    /// Largest char boundary not after `offset`, within the text.
    fn clamp(&self, offset: usize) -> usize {
        let mut o = offset.min(self.text.len());
        while !self.text.is_char_boundary(o) {
            o -= 1;
        }
        o
    }

    /// 1-based line and column (in Unicode scalar values) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let o = self.clamp(offset);
        let line = self.starts.partition_point(|&s| s <= o);
        let start = self.starts[line - 1];
        let col = self.text[start..o].chars().count() + 1;
        (line as u32, col as u32)
    }

    pub fn position(&self, start: usize, end: usize) -> Position {
        let (s, e) = (self.clamp(start), self.clamp(end.max(start)));
        let (line, column) = self.line_col(s);
        let (end_line, end_column) = self.line_col(e);
        Position { line, column, end_line, end_column, start: s as u32, end: e as u32 }
    }

    /// The span of 1-based `line` without its line break.
    pub fn line_position(&self, line: u32) -> Option<Position> {
        let i = (line as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let mut end = self.starts.get(i + 1).map_or(self.text.len(), |n| n - 1);
        if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        Some(self.position(start, end))
    }

    /// The text a position covers.
    pub fn text_of(&self, p: &Position) -> &'a str {
        self.text.get(p.start as usize..p.end as usize).unwrap_or("")
    }

    /// The trimmed text of 1-based `line` (used in fingerprints).
    pub fn line_text(&self, line: u32) -> &'a str {
        match self.line_position(line) {
            Some(p) => self.text[p.start as usize..p.end as usize].trim(),
            None => "",
        }
    }

    /// Resolves a plugin location; `None` means the whole file.
    pub fn resolve(&self, location: &Location) -> Option<Position> {
        match location {
            Location::Span(s) => Some(self.position(s.start as usize, s.end as usize)),
            Location::Line(n) => self.line_position(*n),
            Location::Path(p) => self.path_position(p),
            Location::WholeFile => None,
        }
    }

    /// A YAML path: the value it names when that is a scalar, else the key
    /// naming it (or an item's first line). A path that goes further than the
    /// document points at the deepest node it reaches, where the missing key
    /// would go; a text that is not YAML, or a document that is not there, is
    /// the whole file.
    fn path_position(&self, path: &DocPath) -> Option<Position> {
        let stream = self.yaml.get_or_init(|| opslint_yaml::parse(self.text));
        let mut node = &stream.docs.get(path.document as usize)?.root;
        let mut key = None;
        for segment in &path.segments {
            let next = match segment {
                PathSegment::Key(k) => node.entry(k).map(|e| (&e.value, Some(&e.key))),
                PathSegment::Index(i) => node.items().get(*i as usize).map(|n| (n, None)),
            };
            let Some((n, k)) = next else { break };
            (node, key) = (n, k);
        }
        let span = match (node.as_scalar(), key) {
            (Some(_), _) => node.span.clone(),
            (None, Some(k)) => k.span.clone(),
            (None, None) => {
                let start = node.span.start.min(self.text.len());
                let line_end = self.text[start..].find('\n').map_or(self.text.len(), |i| start + i);
                start..line_end.min(node.span.end.max(start))
            }
        };
        Some(self.position(span.start, span.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_clamp() {
        let l = Lines::new("ab\nçé x\n");
        assert_eq!(l.line_col(0), (1, 1));
        assert_eq!(l.line_col(3), (2, 1));
        assert_eq!(l.line_col(8), (2, 4));
        // inside a multi-byte char: clamped back to its start
        assert_eq!(l.line_col(4), (2, 1));
        // past the end
        assert_eq!(l.line_col(999), (3, 1));
        assert_eq!(l.line_text(2), "çé x");
        assert!(l.line_position(9).is_none());
    }

    fn path(document: u32, segments: &[&str]) -> Location {
        let segments = segments
            .iter()
            .map(|s| match s.parse::<u32>() {
                Ok(i) => PathSegment::Index(i),
                Err(_) => PathSegment::Key(s.to_string()),
            })
            .collect();
        Location::Path(DocPath { document, segments })
    }

    #[test]
    fn yaml_paths_resolve_to_the_value_or_the_key() {
        let text = "a: 1\n---\nkind: Pod\nspec:\n  containers:\n  - name: web\n    image: nginx:latest\n";
        let l = Lines::new(text);
        let at = |loc: Location| {
            let p = l.resolve(&loc).expect("resolved");
            (p.line, p.column, text[p.start as usize..p.end as usize].to_string())
        };
        assert_eq!(at(path(1, &["spec", "containers", "0", "image"])), (7, 12, "nginx:latest".into()));
        // A collection: its key; an item that is a mapping: its first line.
        assert_eq!(at(path(1, &["spec", "containers"])), (5, 3, "containers".into()));
        assert_eq!(at(path(1, &["spec", "containers", "0"])), (6, 5, "name: web".into()));
        // Past what the document holds: the deepest node reached.
        assert_eq!(at(path(1, &["spec", "containers", "0", "resources", "limits"])), (6, 5, "name: web".into()));
        assert_eq!(at(path(0, &["a"])), (1, 4, "1".into()));
        assert!(l.resolve(&path(2, &["a"])).is_none(), "no third document: the whole file");
        // JSON is YAML.
        let json = "{\"steps\": [{\"uses\": \"actions/checkout@v4\"}]}";
        let j = Lines::new(json);
        let p = j.resolve(&path(0, &["steps", "0", "uses"])).unwrap();
        assert_eq!(&json[p.start as usize..p.end as usize], "\"actions/checkout@v4\"");
    }
}

//! Turning what plugins return (byte spans, lines) into lines and columns.
use crate::finding::Position;
use crate::plugin::bindings::Location;

/// Line starts of one text, for offset → (line, column).
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
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
            // Structured paths need the YAML layer (k8s plugin); until then, the file.
            Location::Path(_) | Location::WholeFile => None,
        }
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
}

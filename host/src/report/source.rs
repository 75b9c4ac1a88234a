//! A miette source with a line index. miette's own `[u8]` source scans the
//! file from its start for every snippet, which made rendering thousands of
//! findings in big manifests quadratic.
use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

#[derive(Debug, Clone)]
pub struct Indexed {
    name: String,
    text: Arc<str>,
    /// Byte offset where each line starts; always begins with 0.
    starts: Arc<[usize]>,
}

impl Indexed {
    pub fn new(name: &str, text: Arc<str>) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Indexed { name: name.to_string(), text, starts }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// Where line `line` ends, its newline included.
    fn line_end(&self, line: usize) -> usize {
        self.starts.get(line + 1).copied().unwrap_or(self.text.len())
    }
}

impl SourceCode for Indexed {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (offset, len) = (span.offset(), span.len());
        if offset + len > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = self.line_of(offset);
        let last_line = self.line_of((offset + len).saturating_sub(1).max(offset));
        let (start, line, column) = if before == 0 {
            (offset, first_line, offset - self.starts[first_line])
        } else {
            let line = first_line.saturating_sub(before);
            (self.starts[line], line, 0)
        };
        let end_line = (last_line + after).min(self.starts.len() - 1);
        let end = self.line_end(end_line).max(start);
        // Same meaning as miette's: newlines from the start of the file to the end of the snippet.
        let line_count = self.starts.partition_point(|&s| s <= end).saturating_sub(1);
        let data = &self.text.as_bytes()[start..end];
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            (start, end - start).into(),
            line,
            column,
            line_count,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Same snippets as miette's own source for spans across a small file.
    #[test]
    fn matches_miette() {
        let text = "a: 1\nbb: 22\n\nccc: 333\nlast";
        let ours = Indexed::new("f", Arc::from(text));
        for offset in 0..text.len() {
            for len in 0..=(text.len() - offset).min(7) {
                for ctx in 0..3 {
                    let span: SourceSpan = (offset, len).into();
                    let theirs = text.as_bytes().read_span(&span, ctx, ctx).unwrap();
                    let mine = ours.read_span(&span, ctx, ctx).unwrap();
                    let at = format!("offset {offset} len {len} ctx {ctx}");
                    assert_eq!(mine.line(), theirs.line(), "line, {at}");
                    assert_eq!(mine.column(), theirs.column(), "column, {at}");
                    assert_eq!(mine.span().offset(), theirs.span().offset(), "start, {at}");
                }
            }
        }
    }
}

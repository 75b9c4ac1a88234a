//! Logical text (continuation lines joined) mapped back to byte offsets of the original.
use std::ops::Range;

/// A string assembled from pieces of the original document, with the map
/// from its byte offsets back to the original's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    /// (offset in `value`, offset in the original) at the start of each piece.
    segs: Vec<(usize, usize)>,
}

impl Text {
    /// A text that is one contiguous slice of the original starting at `orig`.
    pub fn contiguous(value: &str, orig: usize) -> Text {
        let mut t = Text::default();
        t.push(value, orig);
        t
    }

    pub fn push(&mut self, piece: &str, orig: usize) {
        if piece.is_empty() {
            return;
        }
        self.segs.push((self.value.len(), orig));
        self.value.push_str(piece);
    }

    /// Original offset of logical offset `pos`.
    pub fn orig(&self, pos: usize) -> usize {
        let i = self.segs.partition_point(|&(l, _)| l <= pos);
        if i == 0 {
            return self.segs.first().map_or(0, |s| s.1);
        }
        let (l, o) = self.segs[i - 1];
        o + (pos - l)
    }

    /// Original byte span of a logical range.
    pub fn span(&self, r: Range<usize>) -> Range<usize> {
        let start = self.orig(r.start);
        if r.end <= r.start {
            return start..start;
        }
        let end = self.orig(r.end - 1) + 1;
        start..end.max(start)
    }

    /// The part of this text in the logical range `r`, keeping the map.
    pub fn sub(&self, r: Range<usize>) -> Text {
        let r = r.start.min(self.value.len())..r.end.min(self.value.len());
        let mut t = Text::default();
        if r.is_empty() || !self.value.is_char_boundary(r.start) || !self.value.is_char_boundary(r.end) {
            return t;
        }
        let first = self.segs.partition_point(|&(l, _)| l <= r.start).saturating_sub(1);
        for (k, &(l, o)) in self.segs.iter().enumerate().skip(first) {
            let seg_end = self.segs.get(k + 1).map_or(self.value.len(), |s| s.0);
            if l >= r.end {
                break;
            }
            let a = l.max(r.start);
            let b = seg_end.min(r.end);
            if a < b {
                t.push(&self.value[a..b], o + (a - l));
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::Text;

    #[test]
    fn maps_pieces_back() {
        let orig = "RUN a \\\n  b";
        let mut t = Text::default();
        t.push("RUN a ", 0);
        t.push("  b", 8);
        assert_eq!(t.value, "RUN a   b");
        assert_eq!(&orig[t.span(8..9)], "b");
        assert_eq!(&orig[t.span(4..9)], "a \\\n  b");
        let s = t.sub(4..9);
        assert_eq!(s.value, "a   b");
        assert_eq!(&orig[s.span(4..5)], "b");
        assert_eq!(t.span(9..9), 11..11);
    }
}

//! Applying fixes to one text. A fix is a list of edits (byte range +
//! replacement) that stand or fall together. The host's `check --fix` and the
//! plugins' fix fixtures use this one function, so a fixture proves what the
//! binary will write.
#![forbid(unsafe_code)]

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

/// The new text and the indices (into `fixes`) of the fixes applied.
///
/// Deterministic: fixes are taken in order of their first edit's start (ties
/// keep the input order). A fix is skipped whole when one of its edits is out
/// of the text or not on a character boundary, when its own edits overlap,
/// or when an edit overlaps or touches an edit already accepted: two edits at
/// the same place have no order that is obviously right, and the next pass
/// (after the file is checked again) applies what is still wanted.
pub fn apply(text: &str, fixes: &[Vec<Edit>]) -> (String, Vec<usize>) {
    let mut order: Vec<usize> = (0..fixes.len()).filter(|&i| !fixes[i].is_empty()).collect();
    order.sort_by_key(|&i| fixes[i].iter().map(|e| e.range.start).min().unwrap_or(0));
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = Vec::new();
    for i in order {
        let mut edits: Vec<&Edit> = fixes[i].iter().collect();
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        let valid = edits.iter().all(|e| {
            e.range.start <= e.range.end
                && e.range.end <= text.len()
                && text.is_char_boundary(e.range.start)
                && text.is_char_boundary(e.range.end)
        });
        let disjoint = edits.windows(2).all(|w| w[0].range.end < w[1].range.start);
        let free = edits.iter().all(|e| taken.iter().all(|t| !conflict(&e.range, &t.range)));
        if valid && disjoint && free {
            taken.extend(edits);
            applied.push(i);
        }
    }
    taken.sort_by_key(|e| e.range.start);
    let mut out = String::with_capacity(text.len() + taken.iter().map(|e| e.replacement.len()).sum::<usize>());
    let mut at = 0;
    for e in taken {
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.replacement);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    applied.sort_unstable();
    (out, applied)
}

/// Overlapping, or touching (an insertion at either end of the other).
fn conflict(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start <= b.end && b.start <= a.end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(start: usize, end: usize, r: &str) -> Edit {
        Edit { range: start..end, replacement: r.into() }
    }

    #[test]
    fn applies_disjoint_fixes_in_any_input_order() {
        let text = "RUN apt install curl";
        let fixes = vec![vec![e(8, 15, "install -y")], vec![e(4, 7, "apt-get")]];
        assert_eq!(apply(text, &fixes), ("RUN apt-get install -y curl".to_string(), vec![0, 1]));
    }

    #[test]
    fn first_by_start_wins_an_overlap_and_the_loser_is_skipped_whole() {
        let text = "abcdef";
        let fixes = vec![vec![e(2, 4, "X"), e(5, 6, "Y")], vec![e(0, 3, "Z")]];
        assert_eq!(apply(text, &fixes), ("Zdef".to_string(), vec![1]));
    }

    #[test]
    fn touching_edits_and_twin_insertions_wait_for_the_next_pass() {
        assert_eq!(apply("ab", &[vec![e(1, 1, "x")], vec![e(1, 1, "y")]]), ("axb".to_string(), vec![0]));
        assert_eq!(apply("abc", &[vec![e(0, 1, "x")], vec![e(1, 2, "y")]]), ("xbc".to_string(), vec![0]));
    }

    #[test]
    fn invalid_edits_are_refused() {
        let text = "héllo";
        assert_eq!(apply(text, &[vec![e(2, 3, "e")]]).1, Vec::<usize>::new(), "inside a character");
        assert_eq!(apply(text, &[vec![e(3, 99, "")]]).1, Vec::<usize>::new(), "past the end");
        assert_eq!(apply(text, &[vec![e(0, 2, "a"), e(1, 3, "b")]]).1, Vec::<usize>::new(), "self-overlap");
        assert_eq!(apply(text, &[vec![]]), (text.to_string(), vec![]), "no edit is no fix");
    }

    #[test]
    fn nothing_outside_the_spans_changes() {
        let text = "line one\nline two\n";
        let (out, _) = apply(text, &[vec![e(5, 8, "1")]]);
        assert_eq!(out, "line 1\nline two\n");
    }
}

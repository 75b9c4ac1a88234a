//! Word matching over command lines and prose: whole words, not substrings
//! (`pg_dump` in `/usr/bin/pg_dump`, not in `my-pg_dump-wrapper` or `pg_dump.log`).

/// A character that continues a command or file name.
pub const fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Byte offset of the first place `word` stands alone in `text`: not inside a
/// longer name, and not followed by `.` (a file such as `pg_dump.log`).
pub fn find_word(text: &str, word: &str) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(i) = find(&text[from..], word) {
        let at = from + i;
        let end = at + word.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(word_char) && !after.is_some_and(|c| word_char(c) || c == '.') {
            return Some(at);
        }
        from = at + word[..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Byte offset of the first `needle` in `hay` (`str::find`, by `memchr`'s
/// searcher, which has SIMD on wasm32 where the standard library's has none).
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    memchr::memmem::find(hay.as_bytes(), needle.as_bytes())
}

/// Distinct words, sorted, and the set of their first bytes: most names looked
/// up are ruled out by their first byte, the rest by a binary search. Not a
/// hash set: most texts searched are one short line, where hashing every name
/// looked up cost more than the search it saves.
pub struct WordSet<'t> {
    words: Vec<&'t str>,
    firsts: [u64; 4],
}

impl<'t> WordSet<'t> {
    fn of(words: impl Iterator<Item = &'t str>) -> WordSet<'t> {
        let mut firsts = [0u64; 4];
        let mut words: Vec<&str> = words.inspect(|w| mark(&mut firsts, w)).collect();
        words.sort_unstable();
        words.dedup();
        WordSet { words, firsts }
    }

    pub fn contains(&self, word: &str) -> bool {
        let ruled_out =
            word.as_bytes().first().is_some_and(|&b| self.firsts[usize::from(b >> 6)] & (1 << (b & 63)) == 0);
        !ruled_out && self.words.binary_search_by(|w| (*w).cmp(word)).is_ok()
    }
}

fn mark(firsts: &mut [u64; 4], word: &str) {
    if let Some(&b) = word.as_bytes().first() {
        firsts[usize::from(b >> 6)] |= 1 << (b & 63);
    }
}

/// The space-separated words of `norm`, empty ones included (as `str::split`
/// gives them), found byte by byte: the words are short, and a search per word
/// cost more than the scan.
fn spaced(norm: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(norm);
    std::iter::from_fn(move || {
        let text = rest?;
        match text.bytes().position(|b| b == b' ') {
            Some(i) => {
                rest = Some(&text[i + 1..]);
                Some(&text[..i])
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}

/// The words of `text` (runs of [`word_char`]), for ruling out names cheaply
/// before [`find_word`] searches for them.
pub fn word_set(text: &str) -> WordSet<'_> {
    WordSet::of(text.split(|c: char| !word_char(c)).filter(|w| !w.is_empty()))
}

/// Whether `word` can stand alone in the text `words` came from: a name made of
/// word characters must be one of its words; any other name may be.
pub fn may_hold(words: &WordSet, word: &str) -> bool {
    !word.chars().all(word_char) || words.contains(word)
}

/// Whether `words` may hold one of `names` (none held: no line of the text
/// the set came from names one either, since a line's words are the text's).
pub fn may_hold_any<'n>(words: &WordSet, mut names: impl Iterator<Item = &'n str>) -> bool {
    names.any(|n| may_hold(words, n))
}

/// Lower-cased words separated by single spaces, with a space at each end;
/// shell punctuation (`;`, `&`, `|`, brackets, quotes, backticks) separates words.
pub fn normalise(script: &str) -> String {
    let mut out = String::with_capacity(script.len() + 2);
    out.push(' ');
    let mut space = true;
    for c in script.chars() {
        let sep = c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')' | '`' | '"' | '\'' | '\\');
        if sep {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
            space = false;
        }
    }
    if !space {
        out.push(' ');
    }
    out
}

/// Whether `norm` (from [`normalise`]) holds `words` (space-separated, lower case) as whole words.
pub fn has_words(norm: &str, words: &str) -> bool {
    let b = norm.as_bytes();
    let mut from = 0;
    while let Some(i) = find(&norm[from..], words) {
        let at = from + i;
        let end = at + words.len();
        if at > 0 && b[at - 1] == b' ' && b.get(end) == Some(&b' ') {
            return true;
        }
        from = at + 1;
        while !norm.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// The first of `patterns` found in `norm` (from [`normalise`]) as whole words.
pub fn first_of(norm: &str, patterns: &'static [&'static str]) -> Option<&'static str> {
    // One pass over the text's words, each looked up among the patterns'
    // first words (indexed once per table): only the patterns starting with
    // a word of the text are compared, and a table costs nothing per text
    // (a megabytes-long `run:` line met hundreds of patterns; a CI job's
    // every step meets a dozen tables).
    let order: Vec<&str> = spaced(norm).collect();
    let index = by_first_word(patterns);
    let mut first: Option<usize> = None;
    for w in &order {
        let Ok(at) = index.binary_search_by(|(f, _)| (*f).cmp(w)) else { continue };
        // Ascending: the first that holds is this word's earliest pattern.
        let found =
            index[at].1.iter().take_while(|&&i| first.is_none_or(|f| i < f)).find(|&&i| holds_in(&order, patterns[i]));
        if let Some(&i) = found {
            first = Some(i);
        }
    }
    first.map(|i| patterns[i])
}

/// A table's patterns by first word (sorted), each word's in table order.
type Index = Vec<(&'static str, Vec<usize>)>;

/// The index of a table, made at its first use: tables are `'static`, so
/// one's address and length name it for the run.
fn by_first_word(patterns: &'static [&'static str]) -> std::sync::Arc<Index> {
    use std::sync::{Arc, Mutex};
    static MADE: Mutex<Vec<(usize, usize, Arc<Index>)>> = Mutex::new(Vec::new());
    let id = (patterns.as_ptr() as usize, patterns.len());
    let mut made = MADE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, _, index)) = made.iter().find(|(p, n, _)| (*p, *n) == id) {
        return index.clone();
    }
    let mut index: Index = Vec::new();
    for (i, p) in patterns.iter().enumerate() {
        let word = spaced(p).next().unwrap_or(p);
        match index.iter_mut().find(|(w, _)| *w == word) {
            Some((_, list)) => list.push(i),
            None => index.push((word, vec![i])),
        }
    }
    index.sort_by(|a, b| a.0.cmp(b.0));
    let index = Arc::new(index);
    made.push((id.0, id.1, index.clone()));
    index
}

/// [`has_words`] over the text's words in order (`spaced`): the pattern's
/// words at some place with a word before and after them, which is what a
/// space on each side of the pattern in the text is. Comparing words spares
/// a substring searcher for every pattern and text.
fn holds_in(order: &[&str], pattern: &str) -> bool {
    let first = spaced(pattern).next().unwrap_or(pattern);
    let n = spaced(pattern).count();
    order.len() >= n + 2
        && (1..order.len() - n).any(|i| order[i] == first && spaced(pattern).eq(order[i..i + n].iter().copied()))
}

/// Lower-cased words of a title or a file name: `Backup-and-Recovery.md` →
/// `backup`, `and`, `recovery`, `md` (and `backup-and-recovery` whole).
pub fn title_words(s: &str) -> Vec<String> {
    s.to_ascii_lowercase()
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .flat_map(|w| {
            let mut v: Vec<String> = w.split('-').filter(|x| !x.is_empty()).map(str::to_string).collect();
            if w.contains('-') {
                v.push(w.to_string());
            }
            v
        })
        .collect()
}

/// Edit distance between two short strings, by characters ("did you mean").
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// A typo of a name written elsewhere: the same ignoring case, one inside the
/// other (`build` in `builder`, `web` in `web-api`), or two edits apart (one
/// for names shorter than five).
pub fn near_miss(a: &str, b: &str) -> bool {
    // Decided without allocating where it can be: a Service selecting
    // nothing is compared with every pod's labels of the repository.
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    let shorter = a.len().min(b.len());
    if shorter >= 3 && (contains_ignoring_case(a, b) || contains_ignoring_case(b, a)) {
        return true;
    }
    let limit = if shorter >= 5 { 2 } else { 1 };
    // Each edit changes the length by one character at most (counted as
    // bytes when both are ASCII: counting characters was a tenth of a join).
    let length = |s: &str| if s.is_ascii() { s.len() } else { s.chars().count() };
    if length(a).abs_diff(length(b)) > limit {
        return false;
    }
    within_edits(a, b, limit)
}

/// `edit_distance` of the lowercased texts is at most `limit`: for ASCII
/// names, on the stack and stopping at the first row past the limit (a row's
/// least value never falls below the one before it).
fn within_edits(a: &str, b: &str, limit: usize) -> bool {
    const MAX: usize = 64;
    if !(a.is_ascii() && b.is_ascii() && b.len() < MAX) {
        return edit_distance(&a.to_ascii_lowercase(), &b.to_ascii_lowercase()) <= limit;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut row = [0usize; MAX + 1];
    for (j, r) in row.iter_mut().enumerate().take(b.len() + 1) {
        *r = j;
    }
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        let mut least = row[0];
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(!ca.eq_ignore_ascii_case(cb))).min(row[j] + 1).min(cur + 1);
            least = least.min(row[j + 1]);
            prev = cur;
        }
        if least > limit {
            return false;
        }
    }
    row[b.len()] <= limit
}

/// `haystack.to_ascii_lowercase().contains(&needle.to_ascii_lowercase())`, without the copies.
fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_what_the_lowercased_comparison_says() {
        let slow = |a: &str, b: &str| {
            let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
            let shorter = a.len().min(b.len());
            a == b
                || (shorter >= 3 && (a.contains(&b) || b.contains(&a)))
                || edit_distance(&a, &b) <= if shorter >= 5 { 2 } else { 1 }
        };
        let words = [
            "web",
            "Web",
            "web-api",
            "wbe",
            "webb",
            "api",
            "API-web",
            "frontend",
            "frontnd",
            "é",
            "éweb",
            "x",
            "",
            "db",
            "DB1",
            "postgres",
            "postgress",
            "pg",
            "svc0001-c0",
            "svc0010-c1",
            "SVC0001-C00",
            "abcdef",
            "abcfed",
            "bcdefa",
        ];
        for a in words {
            for b in words {
                assert_eq!(near_miss(a, b), slow(a, b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn first_of_finds_what_a_search_for_each_pattern_finds() {
        let texts = [
            "go test ./...",
            "  npm   run test && make  ",
            "x go test",
            "go test",
            "cargo test --all; pytest -q",
            "a b c d e f g",
            "helm upgrade --install app ./chart",
            "",
            " ",
            "kubectl apply -f k8s/ && kubectl rollout status deploy/app",
        ];
        static PATTERNS: [&str; 14] = [
            "go test",
            "test",
            "cargo test",
            "pytest",
            "a b c d e",
            "b c d e f g",
            "c d e f g h",
            "helm upgrade",
            "kubectl apply",
            "rollout status",
            "npm run test",
            "make",
            "x",
            "g",
        ];
        for text in texts {
            let norm = normalise(text);
            for n in 0..PATTERNS.len() {
                for m in n..=PATTERNS.len() {
                    let some = &PATTERNS[n..m];
                    let slow = some.iter().copied().find(|p| has_words(&norm, p));
                    assert_eq!(first_of(&norm, some), slow, "{text:?} {some:?}");
                }
            }
            // Texts not from `normalise` too (no space at an end, spaces doubled).
            for raw in [text, text.trim()] {
                let slow = PATTERNS.iter().copied().find(|p| has_words(raw, p));
                assert_eq!(first_of(raw, &PATTERNS), slow, "{raw:?}");
            }
        }
    }

    #[test]
    fn bounded_edits_agree_with_the_whole_distance() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "kitten",
            "sitting",
            "Kitten",
            "flaw",
            "lawn",
            "svc0001-c0",
            "svc0100-c0",
            "svc0001-c00",
            "intention",
            "execution",
            "é",
            "aé",
            "abcdefghij",
            "jihgfedcba",
        ];
        for a in words {
            for b in words {
                let d = edit_distance(&a.to_ascii_lowercase(), &b.to_ascii_lowercase());
                for limit in 0..4 {
                    assert_eq!(within_edits(a, b, limit), d <= limit, "{a:?} {b:?} {limit}");
                }
            }
        }
    }

    #[test]
    fn whole_words() {
        assert_eq!(find_word("/usr/bin/pg_dump -h db", "pg_dump"), Some(9));
        assert_eq!(find_word("tail pg_dump.log", "pg_dump"), None);
        assert_eq!(find_word("my-pg_dump-wrapper", "pg_dump"), None);
        assert_eq!(find_word("pg_dumpall", "pg_dump"), None);
        assert_eq!(find_word("é psql x", "psql"), Some(3));
    }

    #[test]
    fn spaced_words_are_those_of_split() {
        for text in ["", " ", "  a  b ", " kubectl apply -f x ", "é ü", "one"] {
            assert_eq!(spaced(text).collect::<Vec<_>>(), text.split(' ').collect::<Vec<_>>(), "{text:?}");
        }
        let words = WordSet::of(spaced(" helm upgrade  "));
        assert!(words.contains("helm") && words.contains("upgrade") && words.contains(""));
        assert!(!words.contains("kubectl") && !words.contains("hel") && !words.contains("upgrades"));
    }

    #[test]
    fn word_sets_rule_out_absent_names_only() {
        let line = "PGPASSWORD=x /usr/bin/pg_dump -h db | gzip > a.gz";
        let words = word_set(line);
        assert!(may_hold(&words, "pg_dump") && may_hold(&words, "gzip"));
        assert!(!may_hold(&words, "mysqldump"));
        // A name with other characters is never ruled out here.
        assert!(may_hold(&words, "velero backup"));
        assert!(!may_hold(&word_set(&"a".repeat(1 << 20)), "pg_dump"));
    }

    #[test]
    fn normalised_words() {
        let n = normalise("npm ci && npm  test;echo \"done\"");
        assert_eq!(n, " npm ci npm test echo done ");
        assert!(has_words(&n, "npm test"));
        assert!(!has_words(&n, "pm test"));
        assert_eq!(first_of(&n, &["yarn test", "npm test"]), Some("npm test"));
        assert_eq!(title_words("Backup-and-Recovery.md"), ["backup", "and", "recovery", "backup-and-recovery", "md"]);
    }
}

//! A tolerant SQL lexer and the statement splitter built on it. It never
//! fails: an unterminated quote or comment runs to the end of the text.
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    /// Keyword or unquoted identifier.
    Word,
    /// `"ident"` or `` `ident` ``.
    Quoted,
    /// `'string'`, `E'..'`, `$tag$..$tag$`.
    Str,
    Number,
    /// Any other single character (`;`, `(`, `,`, `\`...).
    Punct,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub kind: TokKind,
    pub range: Range<usize>,
    /// Parenthesis depth at the token (a `(` has the outer depth).
    pub depth: u32,
    /// A string, quoted name or dollar quote that is never closed.
    pub open: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Postgres,
    MySql,
    Sqlite,
}

fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Tokens of `text`, comments and whitespace skipped.
pub fn lex(text: &str, flavor: Flavor) -> Vec<Token> {
    let b = text.as_bytes();
    let n = b.len();
    let mut out = Vec::new();
    let mut i = 0;
    let mut depth: u32 = 0;
    while i < n {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let kind;
        let mut open = false;
        if c == b'-' && b.get(i + 1) == Some(&b'-') || (c == b'#' && flavor == Flavor::MySql) {
            while i < n && b[i] != b'\n' {
                i += 1;
            }
            continue;
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let mut nest = 1;
            i += 2;
            while i < n && nest > 0 {
                if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    nest -= 1;
                    i += 2;
                } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') && flavor == Flavor::Postgres {
                    nest += 1;
                    i += 2;
                } else {
                    i += 1;
                }
            }
            continue;
        } else if c == b'\'' {
            let backslash = flavor == Flavor::MySql || (start > 0 && matches!(b[start - 1], b'E' | b'e'));
            (i, open) = skip_quoted(b, i, b'\'', backslash);
            kind = TokKind::Str;
        } else if c == b'"' || (c == b'`' && flavor != Flavor::Postgres) {
            (i, open) = skip_quoted(b, i, c, flavor == Flavor::MySql && c == b'"');
            kind = if flavor == Flavor::MySql && c == b'"' { TokKind::Str } else { TokKind::Quoted };
        } else if c == b'$' && flavor == Flavor::Postgres {
            // $tag$ ... $tag$, or a $1 parameter.
            let mut j = i + 1;
            while j < n && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] >= 0x80) {
                j += 1;
            }
            let tag_ok = j < n && b[j] == b'$' && !b.get(i + 1).is_some_and(u8::is_ascii_digit);
            if tag_ok {
                let tag = &text[i..=j];
                (i, open) = match text[j + 1..].find(tag) {
                    Some(p) => (j + 1 + p + tag.len(), false),
                    None => (n, true),
                };
                kind = TokKind::Str;
            } else {
                i = j.max(i + 1);
                kind = TokKind::Word;
            }
        } else if is_word_start(c) {
            if matches!(c, b'E' | b'e' | b'N' | b'n' | b'B' | b'b' | b'X' | b'x' | b'U' | b'u')
                && b.get(i + 1) == Some(&b'\'')
            {
                i += 1;
                let backslash = matches!(c, b'E' | b'e') || flavor == Flavor::MySql;
                (i, open) = skip_quoted(b, i, b'\'', backslash);
                kind = TokKind::Str;
            } else {
                while i < n && is_word_byte(b[i]) {
                    i += 1;
                }
                kind = TokKind::Word;
            }
        } else if c.is_ascii_digit() {
            while i < n && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                i += 1;
            }
            kind = TokKind::Number;
        } else {
            i += 1;
            kind = TokKind::Punct;
            if c == b')' {
                depth = depth.saturating_sub(1);
            }
        }
        out.push(Token { kind, range: start..i, depth, open });
        if c == b'(' {
            depth += 1;
        }
    }
    out
}

/// Index after the closing quote (doubled quote = escaped), and whether the
/// quote is never closed (then the index is `b.len()`).
fn skip_quoted(b: &[u8], open: usize, q: u8, backslash: bool) -> (usize, bool) {
    let mut i = open + 1;
    while i < b.len() {
        if backslash && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == q {
            if b.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return (i + 1, false);
        }
        i += 1;
    }
    (b.len(), true)
}

/// One statement found by [`split`]: its text range (without the delimiter)
/// and its tokens (indices into the token list).
#[derive(Debug, Clone)]
pub struct Piece {
    pub range: Range<usize>,
    pub tokens: Range<usize>,
    /// A psql meta-command (`\set`, `\connect`) or a `DELIMITER` line: not SQL.
    pub meta: bool,
}

fn word_is(text: &str, t: &Token, w: &str) -> bool {
    t.kind == TokKind::Word && text[t.range.clone()].eq_ignore_ascii_case(w)
}

/// Splits `text` into statements at `;` (or a MySQL `DELIMITER`), keeping
/// quotes, dollar quotes, comments and `BEGIN ... END` routine bodies whole.
pub fn split(text: &str, toks: &[Token]) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut delim = String::from(";");
    let mut start: Option<usize> = None;
    let mut routine = false;
    let mut block: u32 = 0;
    let mut i = 0;
    let close = |out: &mut Vec<Piece>, s: usize, e: usize, meta: bool| {
        if e > s {
            out.push(Piece { range: toks[s].range.start..toks[e - 1].range.end, tokens: s..e, meta });
        }
    };
    while i < toks.len() {
        let t = &toks[i];
        let Some(s) = start else {
            // First token of a statement.
            let line_end = text[t.range.start..].find('\n').map_or(text.len(), |p| t.range.start + p);
            let is_meta = t.kind == TokKind::Punct && &text[t.range.clone()] == "\\";
            if is_meta || word_is(text, t, "DELIMITER") {
                if !is_meta {
                    let d = text[t.range.end..line_end].trim();
                    if !d.is_empty() {
                        delim = d.to_string();
                    }
                }
                let mut j = i;
                while j < toks.len() && toks[j].range.start < line_end {
                    j += 1;
                }
                let end = toks[j - 1].range.end.min(line_end).max(t.range.end);
                out.push(Piece { range: t.range.start..end, tokens: i..j, meta: true });
                i = j;
                continue;
            }
            if delim == ";" && &text[t.range.clone()] == ";" {
                i += 1;
                continue;
            }
            start = Some(i);
            routine = false;
            block = 0;
            continue;
        };
        if delim != ";" {
            if text[t.range.start..].starts_with(delim.as_str()) {
                close(&mut out, s, i, false);
                start = None;
                let stop = t.range.start + delim.len();
                while i < toks.len() && toks[i].range.start < stop {
                    i += 1;
                }
                continue;
            }
            i += 1;
            continue;
        }
        if t.kind == TokKind::Word {
            if i > s
                && (word_is(text, t, "FUNCTION") || word_is(text, t, "PROCEDURE") || word_is(text, t, "TRIGGER"))
                && word_is(text, &toks[s], "CREATE")
            {
                routine = true;
            }
            if routine && t.depth == 0 {
                let next = toks.get(i + 1);
                let opens = word_is(text, t, "BEGIN") && next.is_none_or(|n| &text[n.range.clone()] != ";");
                if opens || (word_is(text, t, "CASE") && block > 0) {
                    block += 1;
                } else if word_is(text, t, "END") && block > 0 {
                    let closes_other = next
                        .is_some_and(|n| ["IF", "LOOP", "WHILE", "REPEAT", "FOR"].iter().any(|w| word_is(text, n, w)));
                    if !closes_other {
                        block -= 1;
                    }
                }
            }
        } else if &text[t.range.clone()] == ";" && block == 0 {
            close(&mut out, s, i, false);
            start = None;
        }
        i += 1;
    }
    if let Some(s) = start {
        close(&mut out, s, toks.len(), false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(sql: &str) -> Vec<&str> {
        let toks = lex(sql, Flavor::Postgres);
        split(sql, &toks).into_iter().map(|p| &sql[p.range]).collect()
    }

    #[test]
    fn splits_on_semicolons_outside_quotes_and_comments() {
        let sql = "SELECT 'a;b'; -- c;d\nSELECT \"x;y\" /* e; /* nested; */ f; */ ;\n\nDELETE FROM t";
        assert_eq!(pieces(sql), ["SELECT 'a;b'", "SELECT \"x;y\"", "DELETE FROM t"]);
    }

    #[test]
    fn keeps_dollar_quoted_bodies_whole() {
        let sql = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nDO $body$ BEGIN PERFORM 1; END $body$;\nSELECT $1;";
        assert_eq!(
            pieces(sql),
            [
                "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
                "DO $body$ BEGIN PERFORM 1; END $body$",
                "SELECT $1"
            ]
        );
    }

    #[test]
    fn keeps_begin_end_routine_bodies_whole() {
        let sql = "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET x = 1; SELECT CASE WHEN 1 THEN 2 END; END;\nBEGIN;\nCOMMIT;";
        assert_eq!(
            pieces(sql),
            [
                "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET x = 1; SELECT CASE WHEN 1 THEN 2 END; END",
                "BEGIN",
                "COMMIT"
            ]
        );
    }

    #[test]
    fn escaped_strings_and_unterminated_input() {
        assert_eq!(
            pieces("SELECT E'it\\'s; ok'; SELECT 'it''s'; SELECT 'open"),
            ["SELECT E'it\\'s; ok'", "SELECT 'it''s'", "SELECT 'open"]
        );
        assert_eq!(pieces("/* never closed; "), Vec::<&str>::new());
    }

    #[test]
    fn meta_commands_and_delimiter() {
        let sql = "\\set ON_ERROR_STOP on\nDROP TABLE a;\nDELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END //\nDELIMITER ;\nSELECT 2;";
        let toks = lex(sql, Flavor::MySql);
        let got: Vec<(&str, bool)> = split(sql, &toks).into_iter().map(|p| (&sql[p.range], p.meta)).collect();
        assert_eq!(
            got,
            [
                ("\\set ON_ERROR_STOP on", true),
                ("DROP TABLE a", false),
                ("DELIMITER //", true),
                ("CREATE PROCEDURE p() BEGIN SELECT 1; END", false),
                ("DELIMITER ;", true),
                ("SELECT 2", false)
            ]
        );
    }
}

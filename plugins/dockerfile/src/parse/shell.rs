//! A small POSIX-shell splitter: enough structure for rules to find commands,
//! their arguments, pipes and redirections, with spans. It is not a shell:
//! expansions are kept verbatim inside words, and nothing is evaluated.
use std::ops::Range;

use super::text::Text;
use super::Word;

/// What separates a command from the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sep {
    And,
    Or,
    Pipe,
    Semi,
    Background,
    Newline,
    End,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// `>`, `>>`, `<`, `<<`, `2>`, `&>`, ...
    pub op: String,
    pub target: Option<Word>,
    pub span: Range<usize>,
}

/// One simple command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    /// From the first to the last token, in the original document.
    pub span: Range<usize>,
    /// What follows this command, and where (the operator's span).
    pub sep: Sep,
    pub sep_span: Option<Range<usize>>,
    /// The previous command's output is piped into this one.
    pub piped: bool,
}

impl Command {
    /// Index of the program word: skips `VAR=value` prefixes, the shell's
    /// keywords that lead a command (`then`, `else`, `do`, `if`, `!`…) and
    /// wrappers such as `sudo`, `env`, `nice`, `time`, `command`, `exec`.
    pub fn program_index(&self) -> Option<usize> {
        let mut i = 0;
        while i < self.words.len() {
            let w = &self.words[i].value;
            if is_assignment(w) {
                i += 1;
                continue;
            }
            match self.words[i].value.as_str() {
                // `if …; then apt-get install …`: the command is after the keyword.
                "if" | "then" | "else" | "elif" | "do" | "while" | "until" | "!" | "{" => i += 1,
                "sudo" | "env" | "nice" | "time" | "command" | "exec" | "nohup" | "doas" | "eatmydata" => {
                    i += 1;
                    while i < self.words.len()
                        && (self.words[i].value.starts_with('-') || is_assignment(&self.words[i].value))
                    {
                        i += 1;
                    }
                }
                _ => return Some(i),
            }
        }
        None
    }

    /// The program word (see [`Command::program_index`]).
    pub fn program(&self) -> Option<&Word> {
        self.program_index().map(|i| &self.words[i])
    }

    /// The program's base name (`/usr/bin/apt-get` → `apt-get`).
    pub fn name(&self) -> &str {
        self.program().map_or("", |w| w.value.rsplit('/').next().unwrap_or(""))
    }

    /// Words after the program.
    pub fn args(&self) -> &[Word] {
        match self.program_index() {
            Some(i) => &self.words[i + 1..],
            None => &[],
        }
    }

    /// The first argument that is not an option (`apt-get -y install` → `install`).
    pub fn subcommand(&self) -> Option<&Word> {
        self.args().iter().find(|w| !w.value.starts_with('-'))
    }

    /// Whether an argument is one of `names` (`-y`, `--yes`) or a bundle of
    /// short options containing `short` (`-qy`).
    pub fn has_option(&self, names: &[&str], short: Option<char>) -> bool {
        self.args().iter().any(|w| {
            let v = w.value.as_str();
            names.iter().any(|n| v == *n || (n.starts_with("--") && v.starts_with(&format!("{n}="))))
                || short.is_some_and(|c| v.starts_with('-') && !v.starts_with("--") && v[1..].contains(c))
        })
    }
}

impl Command {
    /// The commands run inside the `$(…)` substitutions of this command's
    /// words (one level), split from the original document `doc` so their
    /// spans are the document's. `$((…))` is arithmetic, not a command.
    pub fn substitutions(&self, doc: &str) -> Vec<Command> {
        let mut out = Vec::new();
        for w in &self.words {
            let Some(raw) = doc.get(w.span.clone()) else { continue };
            let b = raw.as_bytes();
            let mut i = 0;
            while let Some(k) = raw[i..].find("$(") {
                let open = i + k + 1;
                if b.get(open + 1) == Some(&b'(') {
                    i = open + 1;
                    continue;
                }
                let close = matching(b, open, b.len());
                let end = if b[close - 1] == b')' && close - 1 > open { close - 1 } else { close };
                let inner = open + 1..end;
                if let Some(text) = raw.get(inner.clone()) {
                    let t = Text::contiguous(text, w.span.start + inner.start);
                    out.extend(split(&t, 0..text.len()));
                }
                i = close.max(open + 1);
            }
        }
        out
    }
}

fn is_assignment(w: &str) -> bool {
    match w.find('=') {
        Some(i) if i > 0 => {
            w[..i].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !w.as_bytes()[0].is_ascii_digit()
        }
        _ => false,
    }
}

#[derive(Debug)]
enum Tok {
    Word(Word),
    Op(&'static str, Range<usize>),
}

/// Splits the logical range `r` of `text` into commands.
pub fn split(text: &Text, r: Range<usize>) -> Vec<Command> {
    let toks = tokenize(text, r);
    let mut out = Vec::new();
    let mut cur = new_cmd(false);
    let mut piped = false;
    let mut it = toks.into_iter().peekable();
    while let Some(t) = it.next() {
        match t {
            Tok::Word(w) => {
                extend(&mut cur.span, &w.span);
                cur.words.push(w);
            }
            Tok::Op(op, span) if is_redirect(op) => {
                extend(&mut cur.span, &span);
                let mut target = None;
                if let Some(Tok::Word(_)) = it.peek() {
                    if let Some(Tok::Word(w)) = it.next() {
                        extend(&mut cur.span, &w.span);
                        target = Some(w);
                    }
                }
                let full = span.start..target.as_ref().map_or(span.end, |w| w.span.end);
                cur.redirects.push(Redirect { op: op.to_string(), target, span: full });
            }
            Tok::Op(op, span) => {
                let sep = match op {
                    "&&" => Sep::And,
                    "||" => Sep::Or,
                    "|" | "|&" => Sep::Pipe,
                    "&" => Sep::Background,
                    "\n" => Sep::Newline,
                    _ => Sep::Semi,
                };
                if cur.words.is_empty() && cur.redirects.is_empty() {
                    // `( … )`, `;;`, blank lines: nothing to close.
                    if sep == Sep::Pipe {
                        piped = true;
                    }
                    continue;
                }
                cur.sep = sep;
                cur.sep_span = Some(span);
                cur.piped = piped;
                piped = sep == Sep::Pipe;
                out.push(std::mem::replace(&mut cur, new_cmd(false)));
            }
        }
    }
    if !cur.words.is_empty() || !cur.redirects.is_empty() {
        cur.piped = piped;
        out.push(cur);
    }
    out
}

#[allow(clippy::reversed_empty_ranges)] // widened by `extend`
fn new_cmd(piped: bool) -> Command {
    Command { words: Vec::new(), redirects: Vec::new(), span: usize::MAX..0, sep: Sep::End, sep_span: None, piped }
}

fn extend(span: &mut Range<usize>, by: &Range<usize>) {
    span.start = span.start.min(by.start);
    span.end = span.end.max(by.end);
}

fn is_redirect(op: &str) -> bool {
    op.contains('<') || op.contains('>')
}

#[allow(unused_assignments)]
fn tokenize(text: &Text, r: Range<usize>) -> Vec<Tok> {
    let s = &text.value;
    let b = s.as_bytes();
    let end = r.end.min(b.len());
    let mut i = r.start.min(end);
    let mut toks = Vec::new();
    let mut word = String::new();
    let mut wstart: Option<usize> = None;
    let mut quoted = false;
    // Heredoc delimiters of the current line: their bodies are skipped at the newline.
    let mut pending: Vec<(String, bool)> = Vec::new();
    let mut expect_delim: Option<bool> = None;

    macro_rules! flush {
        ($at:expr) => {
            if let Some(ws) = wstart.take() {
                let w = Word { value: std::mem::take(&mut word), span: text.span(ws..$at), quoted };
                if let Some(strip) = expect_delim.take() {
                    pending.push((w.value.clone(), strip));
                }
                toks.push(Tok::Word(w));
                quoted = false;
            }
        };
    }

    while i < end {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' => {
                flush!(i);
                i += 1;
            }
            b'\n' => {
                flush!(i);
                toks.push(Tok::Op("\n", text.span(i..i + 1)));
                i += 1;
                // Skip the bodies of heredocs opened on this line.
                for (delim, strip) in pending.drain(..) {
                    while i < end {
                        let line_end = s[i..end].find('\n').map_or(end, |k| i + k);
                        let mut line = s[i..line_end].trim_end_matches('\r');
                        if strip {
                            line = line.trim_start_matches('\t');
                        }
                        i = (line_end + 1).min(end);
                        if line == delim {
                            break;
                        }
                    }
                }
            }
            b'#' if wstart.is_none() => {
                while i < end && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'\'' => {
                wstart.get_or_insert(i);
                quoted = true;
                let close = s[i + 1..end].find('\'').map_or(end, |k| i + 1 + k);
                word.push_str(&s[i + 1..close]);
                i = (close + 1).min(end);
            }
            b'"' => {
                wstart.get_or_insert(i);
                quoted = true;
                i += 1;
                while i < end && b[i] != b'"' {
                    if b[i] == b'\\' && i + 1 < end && matches!(b[i + 1], b'"' | b'\\' | b'$' | b'`' | b'\n') {
                        if b[i + 1] != b'\n' {
                            word.push(b[i + 1] as char);
                        }
                        i += 2;
                        continue;
                    }
                    let ch_end = next_char(s, i);
                    word.push_str(&s[i..ch_end]);
                    i = ch_end;
                }
                i = (i + 1).min(end);
            }
            b'\\' => {
                if i + 1 < end && b[i + 1] == b'\n' {
                    i += 2;
                    continue;
                }
                wstart.get_or_insert(i);
                i += 1;
                if i < end {
                    let ch_end = next_char(s, i);
                    word.push_str(&s[i..ch_end]);
                    i = ch_end;
                }
            }
            b'$' if i + 1 < end && (b[i + 1] == b'(' || b[i + 1] == b'{') => {
                wstart.get_or_insert(i);
                let close = matching(b, i + 1, end);
                word.push_str(&s[i..close]);
                i = close;
            }
            b'`' => {
                wstart.get_or_insert(i);
                let close = s[i + 1..end].find('`').map_or(end, |k| i + 2 + k).min(end);
                word.push_str(&s[i..close]);
                i = close;
            }
            b'&' | b'|' | b';' | b'(' | b')' => {
                // `2>&1`, `>&2`: part of a redirection.
                flush!(i);
                let two = if i + 1 < end { s.get(i..i + 2).unwrap_or("") } else { "" };
                let (op, n): (&'static str, usize) = match two {
                    "&&" => ("&&", 2),
                    "||" => ("||", 2),
                    "|&" => ("|&", 2),
                    ";;" => (";;", 2),
                    "&>" => {
                        let n = if s[i..end].starts_with("&>>") { 3 } else { 2 };
                        toks.push(Tok::Op("&>", text.span(i..i + n)));
                        i += n;
                        continue;
                    }
                    _ => match c {
                        b'&' => ("&", 1),
                        b'|' => ("|", 1),
                        b';' => (";", 1),
                        b'(' => ("(", 1),
                        _ => (")", 1),
                    },
                };
                toks.push(Tok::Op(op, text.span(i..i + n)));
                i += n;
            }
            b'<' | b'>' => {
                // A word of digits right before is a file descriptor.
                let mut op_start = i;
                if let Some(ws) = wstart {
                    if !quoted && !word.is_empty() && word.bytes().all(|d| d.is_ascii_digit()) {
                        op_start = ws;
                        wstart = None;
                        word.clear();
                    } else {
                        flush!(i);
                    }
                }
                let mut j = i + 1;
                while j < end && j < i + 3 && matches!(b[j], b'<' | b'>' | b'&' | b'-' | b'|') {
                    j += 1;
                }
                let op_text = &s[i..j];
                let op: &'static str = if op_text.starts_with("<<<") {
                    "<<<"
                } else if op_text.starts_with("<<") {
                    expect_delim = Some(op_text.starts_with("<<-"));
                    if op_text.starts_with("<<-") {
                        "<<-"
                    } else {
                        "<<"
                    }
                } else if op_text.starts_with(">>") {
                    ">>"
                } else if op_text.starts_with(">&") || op_text.starts_with("<&") {
                    ">&"
                } else if c == b'>' {
                    ">"
                } else {
                    "<"
                };
                let n = op.len().min(j - i).max(1);
                toks.push(Tok::Op(op, text.span(op_start..i + n)));
                i += n;
                // `>&1`: the descriptor is the target; `2>&1` keeps it as a word.
            }
            _ => {
                wstart.get_or_insert(i);
                let ch_end = next_char(s, i);
                word.push_str(&s[i..ch_end]);
                i = ch_end;
            }
        }
    }
    flush!(end);
    toks
}

fn next_char(s: &str, i: usize) -> usize {
    let mut j = i + 1;
    while j < s.len() && !s.is_char_boundary(j) {
        j += 1;
    }
    j
}

/// Index just past the bracket matching the one at `open` (`(` or `{`), quote-aware.
fn matching(b: &[u8], open: usize, end: usize) -> usize {
    let (o, c) = if b[open] == b'(' { (b'(', b')') } else { (b'{', b'}') };
    let mut depth = 0usize;
    let mut i = open;
    while i < end {
        match b[i] {
            x if x == o => depth += 1,
            x if x == c => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b'\\' => i += 1,
            b'\'' => {
                i += 1;
                while i < end && b[i] != b'\'' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmds(s: &str) -> Vec<Command> {
        let t = Text::contiguous(s, 0);
        split(&t, 0..s.len())
    }

    fn words(c: &Command) -> Vec<&str> {
        c.words.iter().map(|w| w.value.as_str()).collect()
    }

    #[test]
    fn operator_before_a_multibyte_character() {
        // Found by fuzzing: `;` then a 3-byte character sliced the text mid-character.
        for op in [";", "&", "|", "(", ")"] {
            let s = format!("echo a {op}\u{fffd}b");
            assert!(!cmds(&s).is_empty(), "{s}");
        }
    }

    #[test]
    fn splits_on_operators() {
        let s = "apt-get update && apt-get install -y curl; curl -fsSL https://x | sh || true";
        let c = cmds(s);
        assert_eq!(c.len(), 5);
        assert_eq!(words(&c[1]), ["apt-get", "install", "-y", "curl"]);
        assert_eq!(c[2].sep, Sep::Pipe);
        assert!(c[3].piped);
        assert_eq!(c[3].name(), "sh");
        assert_eq!(&s[c[1].span.clone()], "apt-get install -y curl");
    }

    #[test]
    fn quotes_and_redirects() {
        let s = r#"echo "a && b" 'c|d' > /tmp/x 2>&1 && FOO=1 sudo -E /usr/bin/apt-get -qy install x"#;
        let c = cmds(s);
        assert_eq!(c.len(), 2);
        assert_eq!(words(&c[0]), ["echo", "a && b", "c|d"]);
        assert_eq!(c[0].redirects.len(), 2);
        assert_eq!(c[0].redirects[0].target.as_ref().unwrap().value, "/tmp/x");
        assert_eq!(c[1].name(), "apt-get");
        assert!(c[1].has_option(&["-y", "--yes"], Some('y')));
        assert_eq!(c[1].subcommand().unwrap().value, "install");
    }

    #[test]
    fn subshells_and_heredoc_bodies() {
        let s = "sh -c \"$(curl -fsSL https://x | bash)\"\ncat <<EOF > /etc/x\nrm -rf /\nEOF\necho done\n";
        let c = cmds(s);
        assert_eq!(c.len(), 3, "{c:?}");
        assert_eq!(c[0].words[2].value, "$(curl -fsSL https://x | bash)");
        assert_eq!(c[1].redirects[0].op, "<<");
        assert_eq!(words(&c[2]), ["echo", "done"]);
    }

    #[test]
    fn commands_inside_substitutions() {
        let s = "runDeps=\"$(scanelf --needed /usr | awk '{ print $2 }' | sort -u)\" x=$((1 + 2)) y=$(echo";
        let c = cmds(s);
        let inner = c[0].substitutions(s);
        assert_eq!(inner.iter().map(|c| c.name()).collect::<Vec<_>>(), ["scanelf", "awk", "sort", "echo"]);
        assert_eq!(inner[0].sep, Sep::Pipe);
        assert_eq!(&s[inner[0].sep_span.clone().unwrap()], "|");
        assert_eq!(&s[inner[2].span.clone()], "sort -u");
    }

    #[test]
    fn unterminated_quotes_do_not_panic() {
        for s in ["echo \"abc", "echo 'abc", "echo $(abc", "echo `x", "a \\", "x >", "é\"é", "<<"] {
            let _ = cmds(s);
        }
    }
}

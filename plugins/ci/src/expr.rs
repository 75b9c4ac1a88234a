//! GitHub Actions expressions (`${{ … }}`): finding them in a string, parsing
//! them into a small tree, and asking which attacker-controlled contexts
//! flow into their value.
//!
//! The grammar: literals (`null`, `true`, `false`, numbers, `'strings'` with
//! `''` escapes), contexts (`github`, `env`, …), property access (`a.b`),
//! object filters (`a.*.b`), index (`a['b']`, `a[0]`), function calls
//! (`contains(a, 'x')`), `!`, `<`, `<=`, `>`, `>=`, `==`, `!=`, `&&`, `||`
//! and parentheses. Nesting is bounded ([`MAX_DEPTH`]), so a hostile
//! expression is an error, never a stack overflow.
use std::ops::Range;

/// Deepest nesting the parser accepts.
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    /// A top-level name: `github`, `secrets`, `matrix`.
    Context(String),
    /// `a.b`
    Property(Box<Expr>, String),
    /// `a.*`
    Filter(Box<Expr>),
    /// `a[b]`
    Index(Box<Expr>, Box<Expr>),
    /// `f(a, b)`; the name as written.
    Call(String, Vec<Expr>),
    Not(Box<Expr>),
    Binary(Op, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Where an expression is in a string and what is inside the braces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// From `${{` to `}}` included (or to the end when unterminated).
    pub span: Range<usize>,
    /// Between the braces.
    pub inner: Range<usize>,
    pub terminated: bool,
}

/// Every `${{ … }}` of `text`, in order. A `}}` inside a quoted string does not end one.
pub fn find_all(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = opslint_knowledge::words::find(&text[i..], "${{") {
        let start = i + at;
        let inner_start = start + 3;
        let mut j = inner_start;
        let mut in_str = false;
        let mut end = None;
        while j < bytes.len() {
            let b = bytes[j];
            if in_str {
                if b == b'\'' {
                    if bytes.get(j + 1) == Some(&b'\'') {
                        j += 1;
                    } else {
                        in_str = false;
                    }
                }
            } else if b == b'\'' {
                in_str = true;
            } else if b == b'}' && bytes.get(j + 1) == Some(&b'}') {
                end = Some(j);
                break;
            }
            j += 1;
        }
        match end {
            Some(e) => {
                out.push(Found { span: start..e + 2, inner: inner_start..e, terminated: true });
                i = e + 2;
            }
            None => {
                out.push(Found { span: start..text.len(), inner: inner_start..text.len(), terminated: false });
                break;
            }
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Num(f64),
    Str(String),
    Punct(&'static str),
}

/// A syntax error, with the byte offset in the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub at: usize,
    pub message: String,
}

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, ParseError> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |at: usize, m: &str| ParseError { at, message: m.to_string() };
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c == b'\'' {
            let mut s = String::new();
            i += 1;
            loop {
                let Some(rest) = src.get(i..) else { return Err(err(start, "unterminated string")) };
                let Some(q) = rest.find('\'') else { return Err(err(start, "unterminated string")) };
                s.push_str(&rest[..q]);
                i += q + 1;
                if b.get(i) == Some(&b'\'') {
                    s.push('\'');
                    i += 1;
                } else {
                    break;
                }
            }
            out.push((Tok::Str(s), start));
            continue;
        }
        if c.is_ascii_digit() || (c == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            i += 1;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'_') {
                if (b[i] == b'e' || b[i] == b'E') && matches!(b.get(i + 1), Some(b'-' | b'+')) {
                    i += 1;
                }
                i += 1;
            }
            let text = &src[start..i];
            let value = if let Some(hex) = text.strip_prefix("0x") {
                i64::from_str_radix(hex, 16).ok().map(|v| v as f64)
            } else {
                text.parse::<f64>().ok()
            };
            let Some(v) = value else { return Err(err(start, "invalid number")) };
            out.push((Tok::Num(v), start));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'-') {
                i += 1;
            }
            out.push((Tok::Ident(src[start..i].to_string()), start));
            continue;
        }
        const PUNCTS: &[&str] = &["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", ".", "[", "]", "(", ")", ",", "*"];
        let Some(p) = PUNCTS.iter().find(|p| src[i..].starts_with(**p)) else {
            return Err(err(start, &format!("unexpected character `{}`", src[i..].chars().next().unwrap_or('?'))));
        };
        out.push((Tok::Punct(p), start));
        i += p.len();
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    depth: usize,
    len: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.0)
    }

    fn at(&self) -> usize {
        self.toks.get(self.pos).map_or(self.len, |t| t.1)
    }

    fn err<T>(&self, m: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError { at: self.at(), message: m.into() })
    }

    fn eat(&mut self, p: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Punct(q)) if *q == p) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, p: &str) -> Result<(), ParseError> {
        if self.eat(p) {
            Ok(())
        } else {
            self.err(format!("expected `{p}`"))
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err(format!("expression nested more than {MAX_DEPTH} levels deep"));
        }
        Ok(())
    }

    fn binary(&mut self, level: usize) -> Result<Expr, ParseError> {
        const LEVELS: &[&[(&str, Op)]] = &[
            &[("||", Op::Or)],
            &[("&&", Op::And)],
            &[("==", Op::Eq), ("!=", Op::Ne)],
            &[("<=", Op::Le), (">=", Op::Ge), ("<", Op::Lt), (">", Op::Gt)],
        ];
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut left = self.binary(level + 1)?;
        'outer: loop {
            for (p, op) in LEVELS[level] {
                if self.eat(p) {
                    let right = self.binary(level + 1)?;
                    left = Expr::Binary(*op, Box::new(left), Box::new(right));
                    continue 'outer;
                }
            }
            return Ok(left);
        }
    }

    fn expr(&mut self) -> Result<Expr, ParseError> {
        self.enter()?;
        let e = self.binary(0);
        self.depth -= 1;
        e
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.eat("!") {
            self.enter()?;
            let e = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(e)));
        }
        let mut e = self.primary()?;
        loop {
            if self.eat(".") {
                if self.eat("*") {
                    e = Expr::Filter(Box::new(e));
                    continue;
                }
                match self.peek().cloned() {
                    Some(Tok::Ident(name)) => {
                        self.pos += 1;
                        e = Expr::Property(Box::new(e), name);
                    }
                    _ => return self.err("expected a property name after `.`"),
                }
            } else if self.eat("[") {
                let index = if self.eat("*") { None } else { Some(self.expr()?) };
                self.expect("]")?;
                e = match index {
                    Some(i) => Expr::Index(Box::new(e), Box::new(i)),
                    None => Expr::Filter(Box::new(e)),
                };
            } else {
                return Ok(e);
            }
        }
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        let Some(tok) = self.peek().cloned() else { return self.err("expected a value") };
        self.pos += 1;
        match tok {
            Tok::Num(n) => Ok(Expr::Number(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Punct("(") => {
                let e = self.expr()?;
                self.expect(")")?;
                Ok(e)
            }
            Tok::Ident(name) => {
                if self.eat("(") {
                    let mut args = Vec::new();
                    if !self.eat(")") {
                        loop {
                            args.push(self.expr()?);
                            if self.eat(")") {
                                break;
                            }
                            self.expect(",")?;
                        }
                    }
                    return Ok(Expr::Call(name, args));
                }
                Ok(match name.as_str() {
                    "null" => Expr::Null,
                    "true" => Expr::Bool(true),
                    "false" => Expr::Bool(false),
                    _ => Expr::Context(name),
                })
            }
            Tok::Punct(p) => {
                self.pos -= 1;
                self.err(format!("unexpected `{p}`"))
            }
        }
    }
}

/// Parses the text between `${{` and `}}` (or a bare `if:` condition).
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    let toks = lex(src)?;
    let mut p = Parser { toks, pos: 0, depth: 0, len: src.len() };
    let e = p.expr()?;
    if p.pos < p.toks.len() {
        return p.err("unexpected text after the expression");
    }
    Ok(e)
}

impl Expr {
    /// The context path of a property chain, lower-cased, with `*` for
    /// filters and for indexes that are not string literals:
    /// `github.event.commits[0].message` → `github.event.commits.*.message`.
    pub fn path(&self) -> Option<Vec<String>> {
        match self {
            Expr::Context(name) => Some(vec![name.to_ascii_lowercase()]),
            Expr::Property(base, name) => {
                let mut p = base.path()?;
                p.push(name.to_ascii_lowercase());
                Some(p)
            }
            Expr::Filter(base) => {
                let mut p = base.path()?;
                p.push("*".into());
                Some(p)
            }
            Expr::Index(base, index) => {
                let mut p = base.path()?;
                p.push(match index.as_ref() {
                    Expr::Str(s) => s.to_ascii_lowercase(),
                    _ => "*".into(),
                });
                Some(p)
            }
            _ => None,
        }
    }

    /// Attacker-controlled context paths whose text can end up in this
    /// expression's value (`contains(…)` is a boolean: nothing flows).
    pub fn tainted(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.taint_into(false, &mut out);
        out
    }

    fn taint_into(&self, serialised: bool, out: &mut Vec<String>) {
        match self {
            Expr::Null | Expr::Bool(_) | Expr::Number(_) | Expr::Str(_) | Expr::Not(_) => {}
            Expr::Context(_) | Expr::Property(..) | Expr::Filter(_) | Expr::Index(..) => {
                if let Some(p) = self.path() {
                    if untrusted(&p, serialised) {
                        out.push(p.join("."));
                    }
                }
            }
            Expr::Call(name, args) => match name.to_ascii_lowercase().as_str() {
                "contains" | "startswith" | "endswith" | "success" | "always" | "failure" | "cancelled"
                | "hashfiles" => {}
                "tojson" | "join" => args.iter().for_each(|a| a.taint_into(true, out)),
                _ => args.iter().for_each(|a| a.taint_into(serialised, out)),
            },
            Expr::Binary(Op::And | Op::Or, l, r) => {
                l.taint_into(serialised, out);
                r.taint_into(serialised, out);
            }
            Expr::Binary(..) => {}
        }
    }

    /// Calls every node of the tree (pre-order).
    pub fn walk(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        match self {
            Expr::Property(b, _) | Expr::Filter(b) | Expr::Not(b) => b.walk(f),
            Expr::Index(a, b) | Expr::Binary(_, a, b) => {
                a.walk(f);
                b.walk(f);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.walk(f)),
            _ => {}
        }
    }
}

/// Fields of events that whoever opens a pull request, an issue or a
/// comment, or pushes a branch, writes freely. `*` matches any one segment.
pub const UNTRUSTED: &[&str] = &[
    "github.head_ref",
    "github.event.issue.title",
    "github.event.issue.body",
    "github.event.pull_request.title",
    "github.event.pull_request.body",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.label",
    "github.event.pull_request.head.repo.default_branch",
    "github.event.pull_request.head.repo.description",
    "github.event.pull_request.head.repo.homepage",
    "github.event.comment.body",
    "github.event.review.body",
    "github.event.review_comment.body",
    "github.event.discussion.title",
    "github.event.discussion.body",
    "github.event.pages.*.page_name",
    "github.event.commits.*.message",
    "github.event.commits.*.author.email",
    "github.event.commits.*.author.name",
    "github.event.head_commit.message",
    "github.event.head_commit.author.email",
    "github.event.head_commit.author.name",
    "github.event.head_commit.committer.email",
    "github.event.head_commit.committer.name",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.display_title",
    "github.event.workflow_run.head_commit.message",
    "github.event.workflow_run.head_commit.author.email",
    "github.event.workflow_run.head_commit.author.name",
    "github.event.workflow_run.pull_requests.*.head.ref",
    "github.event.workflow_run.head_repository.description",
    "github.event.check_suite.head_branch",
    "github.event.check_run.check_suite.head_branch",
    "github.event.merge_group.head_commit.message",
];

/// Whether a context path is attacker-controlled. With `serialised`
/// (inside `toJSON`/`join`), an object holding such a field counts too.
pub fn untrusted(path: &[String], serialised: bool) -> bool {
    UNTRUSTED.iter().any(|pattern| {
        let pat: Vec<&str> = pattern.split('.').collect();
        let seg_eq = |a: &str, b: &str| a == "*" || b == "*" || a == b;
        if path.len() >= pat.len() {
            pat.iter().zip(path).all(|(a, b)| seg_eq(a, b))
        } else {
            serialised && path.iter().zip(&pat).all(|(b, a)| seg_eq(a, b))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Expr {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    fn ctx(path: &str) -> Expr {
        let mut parts = path.split('.');
        let mut e = Expr::Context(parts.next().unwrap().into());
        for part in parts {
            e = Expr::Property(Box::new(e), part.into());
        }
        e
    }

    #[test]
    fn literals() {
        assert_eq!(p("null"), Expr::Null);
        assert_eq!(p("true"), Expr::Bool(true));
        assert_eq!(p(" false "), Expr::Bool(false));
        assert_eq!(p("42"), Expr::Number(42.0));
        assert_eq!(p("-1.5"), Expr::Number(-1.5));
        assert_eq!(p("0xff"), Expr::Number(255.0));
        assert_eq!(p("1e3"), Expr::Number(1000.0));
        assert_eq!(p("'it''s'"), Expr::Str("it's".into()));
        assert_eq!(p("''"), Expr::Str(String::new()));
    }

    #[test]
    fn property_index_and_filter() {
        assert_eq!(p("github.event.issue.title"), ctx("github.event.issue.title"));
        let e = p("github.event.commits[0].message");
        assert_eq!(e.path().unwrap().join("."), "github.event.commits.*.message");
        let e = p("github.event['pull_request'].TITLE");
        assert_eq!(e.path().unwrap().join("."), "github.event.pull_request.title");
        let e = p("github.event.pages.*.page_name");
        assert_eq!(e.path().unwrap().join("."), "github.event.pages.*.page_name");
        let e = p("matrix.os-name");
        assert_eq!(e.path().unwrap().join("."), "matrix.os-name");
        let e = p("secrets[format('{0}_TOKEN', matrix.env)]");
        assert_eq!(e.path().unwrap().join("."), "secrets.*");
    }

    #[test]
    fn calls_and_operators() {
        let e = p("contains(github.event.pull_request.labels.*.name, 'ok') && !cancelled()");
        let Expr::Binary(Op::And, l, r) = e else { panic!() };
        assert!(matches!(*l, Expr::Call(ref n, ref a) if n == "contains" && a.len() == 2));
        assert_eq!(*r, Expr::Not(Box::new(Expr::Call("cancelled".into(), vec![]))));
        // && binds tighter than ||, comparison tighter than &&.
        let e = p("a == 1 || b && c != 'x'");
        let Expr::Binary(Op::Or, _, r) = e else { panic!() };
        assert!(matches!(*r, Expr::Binary(Op::And, _, ref c) if matches!(**c, Expr::Binary(Op::Ne, ..))));
        let e = p("(a || b) && c");
        assert!(matches!(e, Expr::Binary(Op::And, ref l, _) if matches!(**l, Expr::Binary(Op::Or, ..))));
        assert!(matches!(p("a <= 2"), Expr::Binary(Op::Le, ..)));
        assert!(matches!(p("format('{0}', a)"), Expr::Call(..)));
    }

    #[test]
    fn errors() {
        for bad in ["", "a.", "a ==", "(a", "'open", "a b", "f(a,", "a[1", "#", "a.(b)"] {
            assert!(parse(bad).is_err(), "{bad:?} should not parse");
        }
        let deep = format!("{}a{}", "(".repeat(500), ")".repeat(500));
        assert!(parse(&deep).unwrap_err().message.contains("nested"));
        let nots = "!".repeat(10_000) + "a";
        assert!(parse(&nots).is_err());
    }

    #[test]
    fn taint_flows_through_values_not_booleans() {
        assert_eq!(p("github.event.issue.title").tainted(), vec!["github.event.issue.title"]);
        assert_eq!(p("github.head_ref").tainted(), vec!["github.head_ref"]);
        assert_eq!(p("github.event.commits[3].author.email").tainted().len(), 1);
        assert_eq!(p("format('x {0}', github.event.comment.body)").tainted().len(), 1);
        assert_eq!(p("github.event.pull_request.title || 'none'").tainted().len(), 1);
        assert!(p("contains(github.event.pull_request.title, 'wip')").tainted().is_empty());
        assert!(p("github.event.issue.title == 'x'").tainted().is_empty());
        assert!(p("github.event.pull_request.head.sha").tainted().is_empty());
        assert!(p("github.event.pull_request.number").tainted().is_empty());
        assert!(p("github.sha").tainted().is_empty());
        // An object serialised whole carries its untrusted fields.
        assert_eq!(p("toJSON(github.event)").tainted(), vec!["github.event"]);
        assert!(p("github.event.pull_request").tainted().is_empty());
    }

    #[test]
    fn finds_expressions_in_text() {
        let t = "echo ${{ a }} and ${{ '}}' }} ${{ b";
        let f = find_all(t);
        assert_eq!(f.len(), 3);
        assert_eq!(&t[f[0].span.clone()], "${{ a }}");
        assert_eq!(&t[f[0].inner.clone()], " a ");
        assert_eq!(&t[f[1].span.clone()], "${{ '}}' }}");
        assert!(!f[2].terminated);
        assert!(find_all("no $ {{ here").is_empty());
    }
}

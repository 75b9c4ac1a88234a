//! Image references (`registry/name:tag@digest`) and ARG expansion in `FROM`.
use std::collections::HashMap;

/// A parsed image reference. `known` is false when a variable could not be
/// resolved: nothing can be said about its tag then.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageRef {
    /// The reference after ARG expansion (verbatim where unresolved).
    pub text: String,
    pub known: bool,
    pub registry: Option<String>,
    /// Repository path without registry (`library/python`, `python`).
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(text: &str, known: bool) -> ImageRef {
        let mut r = ImageRef { text: text.to_string(), known, ..ImageRef::default() };
        let (rest, digest) = match text.split_once('@') {
            Some((a, d)) => (a, Some(d.to_string())),
            None => (text, None),
        };
        r.digest = digest;
        let (registry, path) = match rest.split_once('/') {
            Some((first, p)) if first.contains('.') || first.contains(':') || first == "localhost" => {
                (Some(first.to_string()), p)
            }
            _ => (None, rest),
        };
        r.registry = registry;
        let last = path.rfind('/').map_or(0, |i| i + 1);
        match path[last..].rfind(':') {
            Some(i) => {
                r.name = path[..last + i].to_string();
                r.tag = Some(path[last + i + 1..].to_string());
            }
            None => r.name = path.to_string(),
        }
        r
    }

    pub fn is_scratch(&self) -> bool {
        self.known && self.text.eq_ignore_ascii_case("scratch")
    }
}

/// Expands `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
/// `${VAR:+alt}` and `${VAR+alt}` with the known variables (None: declared
/// without a default). Returns the text and whether everything resolved.
pub fn expand(s: &str, vars: &HashMap<String, Option<String>>, escape: char) -> (String, bool) {
    let mut out = String::with_capacity(s.len());
    let mut known = true;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == escape {
            if let Some((_, n)) = chars.next() {
                if n != '$' {
                    out.push(c);
                }
                out.push(n);
            }
            continue;
        }
        if c != '$' {
            out.push(c);
            continue;
        }
        let rest = &s[i + 1..];
        if let Some(body) = rest.strip_prefix('{') {
            let Some(close) = body.find('}') else {
                out.push_str(&s[i..]);
                return (out, false);
            };
            let inner = &body[..close];
            let name_len = inner.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
            let (name, op) = inner.split_at(name_len);
            let value = vars.get(name).cloned().flatten();
            let (text, ok) = if let Some(d) = op.strip_prefix(":-") {
                match &value {
                    Some(v) if !v.is_empty() => (v.clone(), true),
                    Some(_) => (d.to_string(), true),
                    None => (d.to_string(), true),
                }
            } else if let Some(d) = op.strip_prefix('-') {
                match &value {
                    Some(v) => (v.clone(), true),
                    None => (d.to_string(), true),
                }
            } else if let Some(a) = op.strip_prefix(":+").or_else(|| op.strip_prefix('+')) {
                match &value {
                    Some(v) if !v.is_empty() || op.starts_with('+') => (a.to_string(), true),
                    Some(_) => (String::new(), true),
                    None => (String::new(), false),
                }
            } else {
                match &value {
                    Some(v) => (v.clone(), op.is_empty()),
                    None => (String::new(), false),
                }
            };
            if !ok {
                out.push_str(&s[i..i + 2 + close + 1]);
                known = false;
            } else {
                out.push_str(&text);
            }
            while chars.peek().is_some_and(|&(j, _)| j < i + 2 + close + 1) {
                chars.next();
            }
            continue;
        }
        let name_len = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
        if name_len == 0 {
            out.push('$');
            continue;
        }
        let name = &rest[..name_len];
        match vars.get(name).cloned().flatten() {
            Some(v) => out.push_str(&v),
            None => {
                out.push('$');
                out.push_str(name);
                known = false;
            }
        }
        while chars.peek().is_some_and(|&(j, _)| j < i + 1 + name_len) {
            chars.next();
        }
    }
    (out, known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        let r = ImageRef::parse("registry.example.com:5000/team/app:1.2@sha256:abc", true);
        assert_eq!(r.registry.as_deref(), Some("registry.example.com:5000"));
        assert_eq!(r.name, "team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = ImageRef::parse("localhost:5000/app", true);
        assert_eq!((r.name.as_str(), r.tag.as_deref()), ("app", None));
        let r = ImageRef::parse("python", true);
        assert_eq!((r.registry.as_deref(), r.name.as_str(), r.tag.as_deref()), (None, "python", None));
        assert!(ImageRef::parse("SCRATCH", true).is_scratch());
    }

    #[test]
    fn expansion() {
        let mut vars = HashMap::new();
        vars.insert("TAG".to_string(), Some("latest".to_string()));
        vars.insert("BASE".to_string(), None);
        assert_eq!(expand("python:$TAG", &vars, '\\'), ("python:latest".into(), true));
        assert_eq!(expand("python:${TAG}-slim", &vars, '\\'), ("python:latest-slim".into(), true));
        assert_eq!(expand("${BASE}:3", &vars, '\\'), ("${BASE}:3".into(), false));
        assert_eq!(expand("${BASE:-alpine}:3", &vars, '\\'), ("alpine:3".into(), true));
        assert_eq!(expand("x:$NOPE", &vars, '\\'), ("x:$NOPE".into(), false));
        assert!(!expand("é${TAGé", &vars, '\\').1);
        assert!(!expand("${é}x", &vars, '\\').1);
    }
}

//! `${VAR}` interpolation as `docker compose config` does it: `$VAR`,
//! `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}` (unset),
//! `${VAR:?error}`/`${VAR?error}` (required), `${VAR:+alt}`/`${VAR+alt}`,
//! `$$` for a literal `$`; defaults may themselves hold references.
use std::collections::BTreeMap;

/// Variables of the `.env` file beside a compose file (`KEY=value`, `export`,
/// quotes and trailing ` #` comments stripped).
pub fn parse_env(text: &str) -> BTreeMap<String, String> {
    let mut vars = BTreeMap::new();
    for l in text.lines() {
        let t = l.trim();
        let t = t.strip_prefix("export ").unwrap_or(t);
        if t.starts_with('#') {
            continue;
        }
        let Some((k, v)) = t.split_once('=') else { continue };
        let v = v.trim();
        let v = if (v.starts_with('"') && v.ends_with('"') || v.starts_with('\'') && v.ends_with('\'')) && v.len() >= 2
        {
            &v[1..v.len() - 1]
        } else {
            v.find(" #").map_or(v, |i| v[..i].trim_end())
        };
        vars.insert(k.trim().to_string(), v.to_string());
    }
    vars
}

/// The text with every reference replaced; `None` when a variable is neither
/// set nor defaulted (its value is not known before run time).
pub fn resolve(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(a) = after.strip_prefix('$') {
            out.push('$');
            rest = a;
        } else if let Some(inner) = after.strip_prefix('{') {
            let end = closing_brace(inner)?;
            out.push_str(&expand(&inner[..end], lookup)?);
            rest = &inner[end + 1..];
        } else {
            let n = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
            if n == 0 {
                out.push('$');
                rest = after;
                continue;
            }
            out.push_str(&lookup(&after[..n])?);
            rest = &after[n..];
        }
    }
    out.push_str(rest);
    Some(out)
}

/// Whether the text holds a reference (a value filled in at run time).
pub fn has_reference(text: &str) -> bool {
    text.replace("$$", "").contains('$')
}

/// The offset of the `}` closing a `${`, nested references skipped.
fn closing_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn expand(body: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let n = body.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(body.len());
    let (var, op) = body.split_at(n);
    let value = lookup(var);
    let set_nonempty = value.as_deref().is_some_and(|v| !v.is_empty());
    for (prefix, needs_nonempty) in [(":-", true), ("-", false)] {
        if let Some(default) = op.strip_prefix(prefix) {
            let use_value = if needs_nonempty { set_nonempty } else { value.is_some() };
            return if use_value { value } else { resolve(default, lookup) };
        }
    }
    for (prefix, needs_nonempty) in [(":+", true), ("+", false)] {
        if let Some(alt) = op.strip_prefix(prefix) {
            let use_alt = if needs_nonempty { set_nonempty } else { value.is_some() };
            return if use_alt { resolve(alt, lookup) } else { Some(String::new()) };
        }
    }
    // `${VAR}`, `${VAR:?err}`, `${VAR?err}`: the value, or unknown.
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(v: &str) -> Option<String> {
        match v {
            "TAG" => Some("1.2".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn every_form() {
        let r = |t: &str| resolve(t, &env);
        assert_eq!(r("app:${TAG}").as_deref(), Some("app:1.2"));
        assert_eq!(r("app:$TAG").as_deref(), Some("app:1.2"));
        assert_eq!(r("${NOPE:-postgres:16}").as_deref(), Some("postgres:16"));
        assert_eq!(r("${EMPTY:-d}").as_deref(), Some("d"));
        assert_eq!(r("${EMPTY-d}").as_deref(), Some(""));
        assert_eq!(r("${NOPE-d}").as_deref(), Some("d"));
        assert_eq!(r("${TAG:?set it}").as_deref(), Some("1.2"));
        assert_eq!(r("${NOPE:?set it}"), None);
        assert_eq!(r("${NOPE}"), None);
        assert_eq!(r("${TAG:+on}").as_deref(), Some("on"));
        assert_eq!(r("${NOPE:-${TAG}}").as_deref(), Some("1.2"));
        assert_eq!(r("a$$b").as_deref(), Some("a$b"));
        assert!(!has_reference("a$$b"));
        assert!(has_reference("${X}"));
    }

    #[test]
    fn env_files() {
        let v = parse_env("# c\nA=1\nexport B=\"two words\"\nC=x # note\nD='q'\n");
        assert_eq!(v["A"], "1");
        assert_eq!(v["B"], "two words");
        assert_eq!(v["C"], "x");
        assert_eq!(v["D"], "q");
    }
}

//! What the tests share.

/// The kind the host gives a file of the plugin's (its matchers, by path).
pub fn kind(path: &str) -> Option<&'static str> {
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    match path.rsplit_once('.').map(|(_, x)| x) {
        Some("sql" | "SQL") => Some("sql"),
        Some("rb") if dir.ends_with("db/migrate") => Some("ruby-migration"),
        Some("py") if dir.ends_with("migrations") || dir.ends_with("versions") => Some("python-migration"),
        Some("sh" | "bash") => Some("shell"),
        _ => None,
    }
}

//! Which files are compose files, and which of them `docker compose` reads
//! together: the default file of a folder and its override, a `COMPOSE_FILE`
//! list in `.env`, overlays (`docker-compose.prod.yml`) applied over the
//! default file.

/// The default file names, in the order `docker compose` looks for them.
pub const DEFAULT_NAMES: &[&str] = &["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

/// A compose file by its name: `compose.yaml`, `docker-compose.yml`, overlays
/// and overrides of them (`compose.prod.yaml`, `docker-compose.override.yml`,
/// `docker-compose-dev.yml`).
pub fn compose_name(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    let Some(stem) = name.strip_suffix(".yml").or_else(|| name.strip_suffix(".yaml")) else { return false };
    ["compose", "docker-compose"]
        .iter()
        .any(|b| stem == *b || stem.strip_prefix(b).is_some_and(|r| r.starts_with('.') || r.starts_with('-')))
}

/// A sample a person copies into place (`compose.override.yaml.example`,
/// `docker-compose.yml.dist`): read for the names it declares, never judged.
pub fn sample_name(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".example", ".dist", ".sample"].iter().any(|s| lower.strip_suffix(s).is_some_and(compose_name))
}

/// The default file of a folder's project (`compose.yaml` first).
pub fn default_rank(path: &str) -> Option<usize> {
    let name = file_name(path).to_ascii_lowercase();
    DEFAULT_NAMES.iter().position(|n| *n == name)
}

/// `compose.override.yaml`, `docker-compose.override.yml`: merged over the default file.
pub fn is_override(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    ["compose.override.", "docker-compose.override."].iter().any(|p| name.starts_with(p))
}

/// A file for local development or tests: a word of its name (`docker-compose.dev.yml`,
/// `compose.override.yaml`, `docker-compose.test.yml`) or of a folder (`dev/`, `e2e/`),
/// or its opening comment says so.
pub fn dev_file(path: &str, text: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.split('/').collect();
    let name = parts.pop().unwrap_or("");
    let words = |s: &str| s.split(|c: char| !c.is_ascii_alphanumeric()).map(str::to_string).collect::<Vec<_>>();
    let dev = |w: &str| {
        matches!(
            w,
            "dev"
                | "devel"
                | "develop"
                | "development"
                | "devenv"
                | "local"
                | "localdev"
                | "test"
                | "tests"
                | "testing"
                | "ci"
                | "e2e"
        )
    };
    if words(name).iter().any(|w| dev(w) || w == "override") || parts.iter().any(|d| words(d).iter().any(|w| dev(w))) {
        return true;
    }
    text.lines().take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#')).any(|l| {
        let l = l.to_ascii_lowercase();
        l.contains("development") || l.contains("local dev") || l.contains("for local") || l.contains("testing")
    })
}

pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

pub fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `rel` (as written in a compose file) from the folder `dir`, normalised:
/// `None` when it leaves the repository or is absolute.
pub fn join(dir: &str, rel: &str) -> Option<String> {
    if rel.starts_with('/') || rel.starts_with('~') || rel.contains("://") {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for p in dir.split('/').chain(rel.split('/')) {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for p in [
            "compose.yaml",
            "a/docker-compose.yml",
            "docker-compose.prod.yml",
            "compose.override.yaml",
            "docker-compose-dev.yaml",
        ] {
            assert!(compose_name(p), "{p}");
        }
        for p in ["values.yaml", "composer.yml", "docker-compose.yml.j2", "my-compose.txt"] {
            assert!(!compose_name(p), "{p}");
        }
        assert_eq!(default_rank("x/compose.yaml"), Some(0));
        assert!(is_override("docker-compose.override.yml"));
        assert_eq!(join("a/b", "../c/./d.yml").as_deref(), Some("a/c/d.yml"));
        assert_eq!(join("", "../x"), None);
    }
}

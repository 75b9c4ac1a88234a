//! Package-manager arguments: which name a package from a registry, and when
//! such a package is pinned to a version, the way each manager writes a pin.
//!
//! Shared by `dockerfile/unpinned-packages` (what an image installs) and
//! `ci/unpinned-install-in-deploy` (what a deploy job installs at run time),
//! so a pin means the same in both.

/// A package manager, by how it writes a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manager {
    Apk,
    Pip,
    Npm,
    Gem,
    /// yum, dnf, microdnf: `name-1.2.3`.
    Rpm,
    Zypper,
    Go,
    Cargo,
}

/// Moving npm dist-tags and go pseudo-versions: they name whatever was published last.
const MOVING: &[&str] = &["latest", "next", "canary", "nightly", "beta", "alpha", "rc", "insiders", "experimental"];

/// A word naming a package from a registry: not a path, a file, a URL (but a
/// pip `git+` source, judged by its ref), a variable or a package group.
pub fn registry_package(word: &str) -> bool {
    const FILES: &[&str] = &[".apk", ".rpm", ".whl", ".tar.gz", ".tgz", ".zip", ".gem", ".txt", ".toml"];
    let not_a_name = word.is_empty()
        || word.contains('$')
        || (word.contains("://") && !word.starts_with("git+"))
        || word.starts_with(['.', '/', '~'])
        || word.starts_with("file:")
        || word.starts_with("github:")
        || (word.starts_with('@') && !word.contains('/'))
        || FILES.iter().any(|f| word.ends_with(f));
    !not_a_name
}

/// Whether `word` (a package of `manager`) names a version; `words` are the
/// whole command's, for pins given as options (`gem install x -v 1.2`).
pub fn pinned(manager: Manager, word: &str, words: &[&str]) -> bool {
    let option = |names: &[&str]| {
        words
            .iter()
            .any(|o| names.contains(o) || names.iter().any(|n| n.starts_with("--") && o.starts_with(&format!("{n}="))))
    };
    match manager {
        Manager::Apk => word.contains(['=', '~', '<', '>']),
        // `git+https://host/repo.git@v1.2`: the ref after the path pins it.
        Manager::Pip if word.starts_with("git+") => word
            .split_once("://")
            .and_then(|(_, rest)| rest.split_once('/'))
            .is_some_and(|(_, path)| path.contains('@')),
        // Upgrading the installer itself is not the application's pin.
        Manager::Pip => {
            matches!(word.to_ascii_lowercase().as_str(), "pip" | "setuptools" | "wheel")
                || word.contains(['=', '<', '>', '@', '!', '~'])
                || word.contains('/')
        }
        // `@scope/name@1.2.3`; a `user/repo` or `#ref` is a git source, not the registry.
        Manager::Npm => match word.strip_prefix('@').unwrap_or(word).rsplit_once('@') {
            Some((_, v)) => !v.is_empty() && v != "*" && !MOVING.contains(&v),
            None => word.contains(['/', '#']) && !word.starts_with('@'),
        },
        Manager::Gem => word.contains(':') || option(&["-v", "--version"]),
        Manager::Rpm => word.contains(['=', '<', '>']) || version_suffix(word),
        Manager::Zypper => word.contains(['=', '<', '>']),
        // A module path has a dot in its first element; anything else is a local package.
        Manager::Go => {
            word.rsplit_once('@').is_some_and(|(_, v)| !matches!(v, "latest" | "master" | "main"))
                || !word.contains('.')
        }
        Manager::Cargo => word.contains('@') || option(&["--version", "--vers", "--rev", "--tag", "--path", "--git"]),
    }
}

/// `nginx-1.24.0`, `java-17-openjdk-17.0.9`: a hyphen followed by a digit
/// after the name's first part.
fn version_suffix(word: &str) -> bool {
    word.match_indices('-').any(|(i, _)| i > 0 && word[i + 1..].starts_with(|c: char| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_by_manager() {
        for (m, word, words, pin) in [
            (Manager::Apk, "curl=8.5.0-r0", &[][..], true),
            (Manager::Apk, "curl", &[], false),
            (Manager::Pip, "requests==2.32.3", &[], true),
            (Manager::Pip, "uvicorn[standard]", &[], false),
            (Manager::Pip, "pip", &[], true),
            (Manager::Pip, "git+https://github.com/a/b.git", &[], false),
            (Manager::Pip, "git+ssh://git@github.com/a/b.git@v1", &[], true),
            (Manager::Npm, "@scope/tool@1.2.3", &[], true),
            (Manager::Npm, "wrangler@latest", &[], false),
            (Manager::Npm, "left-pad", &[], false),
            (Manager::Gem, "rake", &["gem", "install", "rake", "-v", "13.2.1"], true),
            (Manager::Gem, "rake", &["gem", "install", "rake"], false),
            (Manager::Rpm, "nginx-1.24.0", &[], true),
            (Manager::Rpm, "python3-devel", &[], false),
            (Manager::Go, "github.com/x/y@v1.2.3", &[], true),
            (Manager::Go, "github.com/x/y@latest", &[], false),
            (Manager::Cargo, "ripgrep", &["cargo", "install", "ripgrep", "--version=14.1.0"], true),
            (Manager::Cargo, "ripgrep", &["cargo", "install", "ripgrep"], false),
        ] {
            assert_eq!(pinned(m, word, words), pin, "{m:?} {word}");
        }
        assert!(registry_package("@scope/tool") && !registry_package("@group") && !registry_package("./vendor/pkg"));
        assert!(registry_package("git+https://h/x.git") && !registry_package("https://h/x.tgz"));
    }
}

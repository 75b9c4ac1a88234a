//! Image tags that move: the same reference names different images over time.
//!
//! Used by every rule that judges an image's tag (Dockerfile `FROM`, k8s
//! containers, compose services), so `main-latest` means the same everywhere.

/// Release channels: a tag that is (or starts with) one of these follows the
/// channel (`nginx:stable`, `alpine:edge`, `app:master-cpu`, `node:lts-alpine`).
const CHANNELS: &[&str] = &[
    "latest", "nightly", "edge", "main", "master", "develop", "dev", "stable", "lts", "canary", "unstable", "mainline",
];

/// The moving word of `tag` when the tag moves: `latest` anywhere among its
/// words (`main-latest`, `latest-pg16`, `2022-latest`, `vllm011.latest`), or
/// a channel name as its first word with nothing after it that pins a build
/// (a date, a commit hash, a version number): `nightly-py312-tpu` moves,
/// `nightly-20240101` and `main-3f2a1bc` do not.
pub fn moving_tag(tag: &str) -> Option<&'static str> {
    let words: Vec<&str> = tag.split(['-', '_', '.']).filter(|w| !w.is_empty()).collect();
    if words.iter().any(|w| w.eq_ignore_ascii_case("latest")) {
        return Some("latest");
    }
    let first = tag.split(['-', '_']).next()?;
    let channel = CHANNELS.iter().find(|c| first.eq_ignore_ascii_case(c))?;
    let pinned = tag.split(['-', '_']).skip(1).any(pins_a_build);
    (!pinned).then_some(*channel)
}

/// A date (`20240101`, `2024`), a commit hash (`3f2a1bc`) or a version (`1.2`, `v3`).
fn pins_a_build(word: &str) -> bool {
    let digits = word.bytes().filter(u8::is_ascii_digit).count();
    let hex = word.len() >= 7 && word.bytes().all(|b| b.is_ascii_hexdigit()) && digits > 0;
    let version = word.strip_prefix(['v', 'V']).unwrap_or(word);
    let numeric = !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    hex || numeric
}

#[cfg(test)]
mod tests {
    use super::moving_tag;

    #[test]
    fn moving_tags_from_real_files() {
        for (tag, word) in [
            ("latest", "latest"),
            ("main-latest", "latest"),
            ("latest-pg16", "latest"),
            ("2022-latest", "latest"),
            ("vllm011.latest", "latest"),
            ("computer-use-demo-latest", "latest"),
            ("nightly", "nightly"),
            ("nightly-py312-tpu", "nightly"),
            ("edge", "edge"),
            ("main", "main"),
            ("master-cpu", "master"),
            ("stable-alpine", "stable"),
            ("lts-alpine-jdk21", "lts"),
            ("develop", "develop"),
        ] {
            assert_eq!(moving_tag(tag), Some(word), "{tag}");
        }
    }

    #[test]
    fn pinned_tags_from_real_files() {
        for tag in [
            "1.27.3",
            "3.12-slim",
            "alpine",
            "alpine3.18",
            "nightly-20240101",
            "nightly-2024-01-01",
            "main-3f2a1bc",
            "master-v1.2",
            "stable-1.27",
            "RELEASE.2025-04-03T14-56-28Z",
            "mainframe",
            "development-tools-1.0",
            "edge-2.3",
            "latestish",
            "",
        ] {
            assert_eq!(moving_tag(tag), None, "{tag}");
        }
    }
}

//! Folders whose files describe something other than the service itself:
//! test inputs, samples, vendored code, development containers. A compose file
//! under `tests/` starts a test database, a runbook under `examples/` is a
//! sample: neither is evidence about the service, nor a database it deploys.

/// Folder names (any depth, compared case-insensitively) that are not the service.
pub const NOT_THE_SERVICE: &[&str] = &[
    "fixtures",
    "__fixtures__",
    "testdata",
    "test-data",
    "test_data",
    "test",
    "tests",
    "__tests__",
    "__mocks__",
    "__snapshots__",
    // Test doubles (a library's stub migrations, stub services).
    "stub",
    "stubs",
    "examples",
    "example",
    "samples",
    "vendor",
    "node_modules",
    "third_party",
    "third-party",
    ".devcontainer",
];

/// Whether a folder name is one of [`NOT_THE_SERVICE`].
pub fn not_the_service_dir(name: &str) -> bool {
    NOT_THE_SERVICE.iter().any(|d| d.eq_ignore_ascii_case(name))
}

/// Whether a repository-relative path (`/` or `\` separated) lies in a folder
/// that is not the service. The file's own name does not count (`tests.md` is read).
pub fn not_the_service(path: &str) -> bool {
    let norm = path.replace('\\', "/");
    let mut dirs: Vec<&str> = norm.split('/').collect();
    dirs.pop();
    dirs.iter().any(|d| not_the_service_dir(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_that_are_not_the_service() {
        for p in [
            "tests/fixtures/docker-compose.yml",
            "plugins/x/fixtures/ok/a.yaml",
            "web/__fixtures__/db.json",
            "pkg/testdata/values.yaml",
            "e2e/test-data/compose.yml",
            ".devcontainer/docker-compose.yml",
            "examples/shop/k8s/db.yaml",
            "Vendor/lib/runbook.md",
            "a\\tests\\b.yml",
            "oryx/popx/stub/migrations/1_x.up.sql",
        ] {
            assert!(not_the_service(p), "{p}");
        }
        for p in ["docker-compose.yml", "docs/tests.md", "deploy/k8s/db.yaml", "latest/compose.yml", "contest/a.yml"] {
            assert!(!not_the_service(p), "{p}");
        }
    }
}

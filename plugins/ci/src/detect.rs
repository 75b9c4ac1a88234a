//! Recognising what a CI job does from its commands and actions: tests,
//! deploys, security scanners, backups, and `curl | sh`.
use std::ops::Range;

pub use opslint_knowledge::words::{has_words, normalise};

/// The first of `patterns` (space-separated words) found as whole words in a normalised script.
pub fn find_words(norm: &str, patterns: &'static [&'static str]) -> Option<&'static str> {
    opslint_knowledge::words::first_of(norm, patterns)
}

/// What one script does, from one pass over its words.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub deploy: Option<&'static str>,
    pub test: Option<&'static str>,
    pub backups: Vec<&'static str>,
    pub restores: Vec<&'static str>,
}

pub fn scan(script: &str) -> Scan {
    Scan {
        deploy: deploy_command(script),
        test: knowledge::test_command(script),
        backups: backup_tools(script),
        restores: restore_tools(script),
    }
}

use opslint_knowledge::commands as knowledge;

pub fn test_command(script: &str) -> Option<&'static str> {
    knowledge::test_command(script)
}

/// A test suite run through the repository's own wrapper, one level deep: a script the
/// job runs (`./ci/check.sh`, `bash scripts/ci`) or a make/just target (`make ci`) whose
/// body runs a test command. `docs`: the batch's (path, text).
pub fn wrapped_test(script: &str, docs: &[(&str, &str)]) -> Option<String> {
    let words: Vec<&str> = script
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')' | '"' | '\''))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        // `make ci`, `just check`, `make -C api ci`.
        if matches!(*w, "make" | "just" | "gmake") {
            let Some(target) = words[i + 1..].iter().take(3).find(|t| !t.starts_with('-') && !t.contains('/')) else {
                continue;
            };
            let files: &[&str] = if *w == "just" { &["justfile", "Justfile"] } else { &["Makefile", "GNUmakefile"] };
            for (path, text) in docs.iter().filter(|(p, _)| files.contains(&p.rsplit('/').next().unwrap_or(p))) {
                if let Some(cmd) = target_body(text, target).as_deref().and_then(knowledge::test_command) {
                    return Some(format!("`{w} {target}` ({path} runs `{cmd}`)"));
                }
            }
            continue;
        }
        let path = w.trim_start_matches("./");
        if !(w.ends_with(".sh") || w.ends_with(".bash") || w.contains('/')) || w.contains("://") || path.is_empty() {
            continue;
        }
        // `path` or `<dir>/path`, without building `/path` for every document.
        let found =
            docs.iter().find(|(p, _)| p.strip_suffix(path).is_some_and(|dir| dir.is_empty() || dir.ends_with('/')));
        if let Some(cmd) = found.and_then(|(_, text)| knowledge::test_command(text)) {
            return Some(format!("`{w}` (runs `{cmd}`)"));
        }
    }
    None
}

/// The recipe of a make or just target (its indented lines).
fn target_body(text: &str, target: &str) -> Option<String> {
    let mut lines = text.lines();
    lines.find(|l| {
        !l.starts_with([' ', '\t']) && l.split(':').next().is_some_and(|n| n.split_whitespace().any(|t| t == target))
    })?;
    let body: Vec<&str> = lines.take_while(|l| l.starts_with([' ', '\t']) || l.trim().is_empty()).collect();
    Some(body.join("\n"))
}

/// A deploy command (not a rehearsal such as `--dry-run`, and not into a
/// cluster the same script creates to test against), or a static-site upload.
pub fn deploy_command(script: &str) -> Option<&'static str> {
    if knowledge::throwaway_cluster(script).is_some() {
        return None;
    }
    knowledge::deploy_command(script, false)
        .or_else(|| find_words(&normalise(script), knowledge::UPLOAD_DEPLOY_COMMANDS))
}

/// Actions (owner/repo prefix, lower case) that deploy.
pub const DEPLOY_ACTIONS: &[&str] = &[
    "aws-actions/amazon-ecs-deploy-task-definition",
    "azure/webapps-deploy",
    "azure/k8s-deploy",
    "azure/functions-action",
    "azure/container-apps-deploy-action",
    "google-github-actions/deploy-cloudrun",
    "google-github-actions/deploy-appengine",
    "google-github-actions/deploy-cloud-functions",
    "actions/deploy-pages",
    "peaceiris/actions-gh-pages",
    "jamesives/github-pages-deploy-action",
    "superfly/flyctl-actions",
    "amondnet/vercel-action",
    "nwtgck/actions-netlify",
    "cloudflare/wrangler-action",
    "appleboy/ssh-action",
    "easingthemes/ssh-deploy",
    "akhileshns/heroku-deploy",
    "ibm/deploy",
    "digitalocean/app_action",
    "tencentcloud/tke-cluster-credential-action",
    "okteto/deploy-stack",
    "openshift/oc-login",
];

pub fn deploy_action(uses: &str) -> Option<&'static str> {
    let name = uses.split('@').next().unwrap_or(uses).to_ascii_lowercase();
    DEPLOY_ACTIONS.iter().copied().find(|a| name == *a || name.starts_with(&format!("{a}/")))
}

/// Security scanners: (needle in an action name or a script, tool name).
pub const SCANNERS: &[(&str, &str)] = &[
    ("github/codeql-action", "codeql"),
    ("codeql", "codeql"),
    ("aquasecurity/trivy-action", "trivy"),
    ("trivy", "trivy"),
    ("snyk", "snyk"),
    ("gitleaks", "gitleaks"),
    ("trufflehog", "trufflehog"),
    ("semgrep", "semgrep"),
    ("zizmor", "zizmor"),
    ("opslint", "opslint"),
    ("anchore/scan-action", "grype"),
    ("grype", "grype"),
    ("ossf/scorecard-action", "scorecard"),
    ("actions/dependency-review-action", "dependency-review"),
    ("bandit", "bandit"),
    ("gosec", "gosec"),
    ("govulncheck", "govulncheck"),
    ("cargo audit", "cargo-audit"),
    ("cargo deny", "cargo-deny"),
    ("npm audit", "npm-audit"),
    ("pip-audit", "pip-audit"),
    ("checkov", "checkov"),
    ("tfsec", "tfsec"),
    ("hadolint", "hadolint"),
    ("kube-linter", "kube-linter"),
    ("kubesec", "kubesec"),
    ("sonarsource/sonarcloud", "sonarcloud"),
    ("sonar-scanner", "sonarqube"),
    ("osv-scanner", "osv-scanner"),
    ("dependency-check", "owasp-dependency-check"),
    ("brakeman", "brakeman"),
];

/// GitLab templates (`include: template:`) that add scanning jobs.
pub const GITLAB_SCAN_TEMPLATES: &[(&str, &str)] = &[
    ("SAST", "gitlab-sast"),
    ("Secret-Detection", "gitlab-secret-detection"),
    ("Dependency-Scanning", "gitlab-dependency-scanning"),
    ("Container-Scanning", "gitlab-container-scanning"),
    ("DAST", "gitlab-dast"),
    ("License-Scanning", "gitlab-license-scanning"),
];

/// The scanner an action reference names.
pub fn scanner_action(uses: &str) -> Option<&'static str> {
    let name = uses.split('@').next().unwrap_or(uses).to_ascii_lowercase();
    SCANNERS.iter().find(|(n, _)| n.contains('/') && name.starts_with(n)).map(|(_, t)| *t).or_else(|| {
        let repo = name.split('/').nth(1).unwrap_or("");
        SCANNERS.iter().find(|(n, _)| !n.contains('/') && !n.contains(' ') && repo.contains(n)).map(|(_, t)| *t)
    })
}

/// The scanner a script runs (as a command word).
pub fn scanner_command(script: &str) -> Option<&'static str> {
    // The command names in order, so that `first_of` (which rules out the
    // names whose first word the script lacks) finds the one a search per name would.
    static NAMES: std::sync::LazyLock<Vec<&'static str>> =
        std::sync::LazyLock::new(|| SCANNERS.iter().map(|(n, _)| *n).filter(|n| !n.contains('/')).collect());
    let name = find_words(&normalise(script), &NAMES)?;
    SCANNERS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// What [`backup_tools`] and [`restore_tools`] give for a script that calls
/// a backup or restore script or target rather than a tool.
pub const BACKUP_SCRIPT: &str = "backup";
pub const RESTORE_SCRIPT: &str = "restore";

/// The `&'static` form of a name [`backup_tools`] or [`restore_tools`] gives.
pub fn tool_named(name: &str) -> Option<&'static str> {
    [BACKUP_SCRIPT, RESTORE_SCRIPT].into_iter().find(|t| *t == name).or_else(|| backup::tool_named(name))
}

/// Backup tools a script runs (`pg_dump`, `restic backup`; not a schema-only dump), or, when
/// none, a backup script or target it calls (`./scripts/backup.sh`, `make backup`): `backup`.
pub fn backup_tools(script: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    // A line's words are the script's: one that names no tool is not searched line by line.
    let tools_named = may_hold_any(&word_set(script), backup::BACKUP_TOOLS.iter().map(|t| t.name));
    for line in script.lines().filter(|_| tools_named) {
        for t in backup::backups_in(line) {
            if !out.contains(&t.name) {
                out.push(t.name);
            }
        }
    }
    if out.is_empty() {
        let norm = normalise(script);
        if mentions(&norm, "backup") && !mentions(&norm, "restore") {
            out.push(BACKUP_SCRIPT);
        }
    }
    out
}

/// Restore tools a script runs (`pg_restore`, `velero restore`, a dump fed to `psql`), or,
/// when none, a restore script or target it calls (`./restore.sh`): `restore`.
pub fn restore_tools(script: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    let words = word_set(script);
    let tools_named = may_hold_any(&words, backup::RESTORE_TOOLS.iter().map(|t| t.name));
    let clients_named = may_hold_any(&words, backup::CLIENTS.iter().map(|(c, _)| *c));
    for line in script.lines() {
        let found = if tools_named { backup::tools_in(line, backup::RESTORE_TOOLS) } else { Vec::new() };
        for (t, _) in found {
            if !out.contains(&t.name) {
                out.push(t.name);
            }
        }
        if let Some(engines) = clients_named.then(|| backup::client_restore(line)).flatten() {
            let client = backup::CLIENTS.iter().find(|(_, e)| *e == engines).map_or("psql", |(c, _)| *c);
            if !out.contains(&client) {
                out.push(client);
            }
        }
    }
    if out.is_empty() && (mentions(&normalise(script), "restore") || backup::verify_command(script)) {
        out.push(RESTORE_SCRIPT);
    }
    out
}

use opslint_knowledge::backup;
use opslint_knowledge::words::{may_hold_any, word_set};

/// A word (or a path ending in the word, or the word followed by `.`, `-`, `_`).
fn mentions(norm: &str, word: &str) -> bool {
    let mut from = 0;
    while let Some(i) = norm[from..].find(word) {
        let at = from + i;
        let before = norm[..at].chars().next_back();
        let after = norm[at + word.len()..].chars().next();
        let ok_before = matches!(before, Some(' ' | '/' | '-' | '_' | '.'));
        let ok_after = matches!(after, Some(' ' | '.' | '-' | '_' | ':'));
        if ok_before && ok_after {
            return true;
        }
        from = at + word.len();
    }
    false
}

const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "python", "python3", "perl", "ruby", "node"];

/// `curl … | sh`, `wget -O- … | bash`, `bash <(curl …)`, `sh -c "$(curl …)"`:
/// the range of the downloading command word in `script`.
pub fn pipe_to_shell(script: &str) -> Option<Range<usize>> {
    let mut line_start = 0;
    // Join continuation lines: a logical line runs until a newline not preceded by `\`.
    let bytes = script.as_bytes();
    let mut i = 0;
    while i <= bytes.len() {
        let end_of_line = i == bytes.len() || (bytes[i] == b'\n' && (i == 0 || bytes[i - 1] != b'\\'));
        if end_of_line {
            if let Some(r) = pipe_in_line(&script[line_start..i]) {
                return Some(line_start + r.start..line_start + r.end);
            }
            line_start = i + 1;
        }
        i += 1;
    }
    None
}

fn pipe_in_line(line: &str) -> Option<Range<usize>> {
    for tool in ["curl", "wget"] {
        let mut from = 0;
        while let Some(i) = line[from..].find(tool) {
            let at = from + i;
            from = at + tool.len();
            let before = line[..at].chars().next_back();
            let after = line[at + tool.len()..].chars().next();
            if !matches!(before, None | Some(' ' | '(' | '\t' | '$' | '"' | '`' | ';' | '&' | '|'))
                || !matches!(after, Some(' ' | '\t'))
            {
                continue;
            }
            // Process substitution fed to a shell: `bash <(curl …)`, `sh -c "$(curl …)"`.
            let head = line[..at].trim_end();
            if head.ends_with("<(") || head.ends_with("\"$(") || head.ends_with("$(") {
                let cmd = head.trim_end_matches(['<', '(', '$', '"']).trim_end();
                let cmd = cmd.trim_end_matches("-c").trim_end();
                let word = cmd.rsplit([' ', ';', '&', '|']).next().unwrap_or("");
                let word = word.rsplit('/').next().unwrap_or(word);
                if SHELLS.contains(&word) {
                    return Some(at..at + tool.len());
                }
            }
            // A pipe into a shell later on the line.
            let rest = &line[at..];
            for (j, _) in rest.match_indices('|') {
                if rest[j..].starts_with("||") || (j > 0 && rest.as_bytes()[j - 1] == b'|') {
                    continue;
                }
                let mut words = rest[j + 1..].split_whitespace();
                let mut w = words.next().unwrap_or("");
                while w == "sudo" || w == "env" || w.starts_with('-') || w.contains('=') {
                    w = words.next().unwrap_or("");
                }
                let w = w.rsplit('/').next().unwrap_or(w);
                if SHELLS.contains(&w) {
                    return Some(at..at + tool.len());
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes_to_a_shell() {
        for yes in [
            "curl -sSL https://x.sh | sh",
            "curl -fsSL https://get.docker.com | sudo bash -s",
            "wget -qO- https://x | bash",
            "bash <(curl -s https://x)",
            "sh -c \"$(curl -fsSL https://x)\"",
            "set -e\ncurl https://a \\\n  | /bin/bash",
            "curl -s https://x | sudo -E python3 -",
            "curl -s https://é.example/x é| sh",
        ] {
            assert!(pipe_to_shell(yes).is_some(), "{yes}");
        }
        for no in [
            "curl -o x.sh https://x && sha256sum -c x.sha && sh x.sh",
            "curl https://x | jq .",
            "curl https://x | tee out || bash fail.sh",
            "echo curl | grep sh",
            "curlie https://x | sh",
        ] {
            assert!(pipe_to_shell(no).is_none(), "{no}");
        }
        let s = "echo hi\ncurl -s x | sh";
        assert_eq!(&s[pipe_to_shell(s).unwrap()], "curl");
    }

    #[test]
    fn recognises_tests_deploys_and_backups() {
        assert_eq!(test_command("pip install .\npytest -q"), Some("pytest"));
        assert_eq!(test_command("npm ci && npm test"), Some("npm test"));
        assert_eq!(test_command("npm run build"), None);
        assert_eq!(deploy_command("kubectl apply -f k8s/"), Some("kubectl apply"));
        assert_eq!(deploy_command("echo kubectl"), None);
        assert_eq!(backup_tools("pg_dump -Fc shop > x.dump"), vec!["pg_dump"]);
        assert_eq!(backup_tools("./scripts/backup.sh"), vec!["backup"]);
        assert_eq!(restore_tools("pg_restore -d scratch x.dump"), vec!["pg_restore"]);
        assert_eq!(restore_tools("./restore.sh latest"), vec!["restore"]);
        assert_eq!(backup_tools("velero backup create nightly"), vec!["velero"]);
        assert!(backup_tools("velero restore create r1 --from-schedule nightly").is_empty());
        assert_eq!(restore_tools("velero restore create r1 --from-schedule nightly"), vec!["velero"]);
        assert_eq!(restore_tools("gunzip -c /b/latest.sql.gz | psql -h scratch shop"), vec!["psql"]);
        assert!(backup_tools("pg_dump --schema-only shop > schema.sql").is_empty());
        assert_eq!(test_command("./unit-test.sh"), Some("a test script"));
        let docs = [
            ("ci/check.sh", "#!/bin/sh\nset -e\nnpm ci\nnpm test\n"),
            ("Makefile", "build:\n\tgo build ./...\nci: build\n\tgo test ./...\n"),
        ];
        assert!(wrapped_test("./ci/check.sh", &docs).is_some());
        assert!(wrapped_test("make ci", &docs).is_some());
        assert!(wrapped_test("make build", &docs).is_none());
        assert!(wrapped_test("./ci/deploy.sh", &docs).is_none());
        assert_eq!(deploy_command("kustomize build overlays/prod > out.yaml"), None);
        assert_eq!(deploy_command("kind create cluster\nkubectl apply -f k8s/"), None);
        assert_eq!(deploy_command("kubectl apply --dry-run=server -f k8s/"), None);
        assert_eq!(scanner_action("aquasecurity/trivy-action@master"), Some("trivy"));
        assert_eq!(scanner_action("github/codeql-action/init@v3"), Some("codeql"));
        assert_eq!(scanner_action("actions/checkout@v4"), None);
        assert_eq!(scanner_command("gitleaks detect --source ."), Some("gitleaks"));
    }

    #[test]
    fn a_scanner_command_is_the_first_name_a_search_for_each_finds() {
        let slow = |script: &str| {
            let norm = normalise(script);
            SCANNERS.iter().find(|(n, _)| !n.contains('/') && has_words(&norm, n)).map(|(_, t)| *t)
        };
        let mut scripts = vec!["", "echo hi", "npm test && trivy fs . && gitleaks detect", "semgrep-ish run"];
        let mut made = Vec::new();
        for (name, _) in SCANNERS {
            made.push(format!("run {name} --flag"));
            made.push(name.to_string());
            made.push(format!("x{name} y"));
            made.push(format!("echo 1; {} && {name}", name.to_uppercase()));
        }
        scripts.extend(made.iter().map(String::as_str));
        for script in scripts {
            assert_eq!(scanner_command(script), slow(script), "{script:?}");
        }
    }
}

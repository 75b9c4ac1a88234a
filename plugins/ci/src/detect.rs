//! Recognising what a CI job does from its commands and actions: tests,
//! deploys, security scanners, backups, and `curl | sh`.
use std::ops::Range;

/// Lower-cased words separated by single spaces, shell punctuation removed.
pub fn normalise(script: &str) -> String {
    let mut out = String::with_capacity(script.len() + 2);
    out.push(' ');
    let mut space = true;
    for c in script.chars() {
        let sep = c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')' | '`' | '"' | '\'' | '\\');
        if sep {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.extend(c.to_lowercase());
            space = false;
        }
    }
    if !space {
        out.push(' ');
    }
    out
}

/// The first of `patterns` (space-separated words) found as whole words in a normalised script.
pub fn find_words(norm: &str, patterns: &[&'static str]) -> Option<&'static str> {
    // One pass over the words, then only the patterns whose first word occurs are searched.
    let words: std::collections::HashSet<&str> = norm.split(' ').collect();
    patterns.iter().copied().find(|p| words.contains(p.split(' ').next().unwrap_or(p)) && has_words(norm, p))
}

/// `norm` (from [`normalise`]: starts and ends with a space) holds `words` between spaces.
fn has_words(norm: &str, words: &str) -> bool {
    let b = norm.as_bytes();
    let mut from = 0;
    while let Some(i) = norm[from..].find(words) {
        let at = from + i;
        let end = at + words.len();
        if at > 0 && b[at - 1] == b' ' && b.get(end) == Some(&b' ') {
            return true;
        }
        from = at + 1;
        while !norm.is_char_boundary(from) {
            from += 1;
        }
    }
    false
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
    let norm = normalise(script);
    let words: std::collections::HashSet<&str> = norm.split(' ').collect();
    let find = |patterns: &[&'static str]| {
        patterns.iter().copied().find(|p| words.contains(p.split(' ').next().unwrap_or(p)) && has_words(&norm, p))
    };
    Scan {
        deploy: find(DEPLOY_COMMANDS),
        test: find(TEST_COMMANDS),
        backups: specific_in(&without_restores(&norm), BACKUP_TOOLS),
        restores: specific_in(&norm, RESTORE_TOOLS),
    }
}

pub const TEST_COMMANDS: &[&str] = &[
    "pytest",
    "python -m pytest",
    "python -m unittest",
    "manage.py test",
    "tox",
    "nox",
    "npm test",
    "npm run test",
    "npm t",
    "yarn test",
    "yarn run test",
    "pnpm test",
    "pnpm run test",
    "bun test",
    "jest",
    "vitest",
    "mocha",
    "go test",
    "cargo test",
    "cargo nextest",
    "mvn test",
    "mvn verify",
    "mvn -b verify",
    "mvn --batch-mode verify",
    "./mvnw verify",
    "./mvnw test",
    "gradle test",
    "gradle check",
    "./gradlew test",
    "./gradlew check",
    "make test",
    "make check",
    "rspec",
    "bundle exec rspec",
    "bundle exec rake test",
    "rake test",
    "phpunit",
    "vendor/bin/phpunit",
    "dotnet test",
    "mix test",
    "ctest",
    "bazel test",
    "swift test",
    "flutter test",
    "deno test",
    "playwright test",
    "cypress run",
    "behave",
];

pub fn test_command(script: &str) -> Option<&'static str> {
    find_words(&normalise(script), TEST_COMMANDS)
}

pub const DEPLOY_COMMANDS: &[&str] = &[
    "kubectl apply",
    "kubectl set image",
    "kubectl rollout restart",
    "kubectl create",
    "helm upgrade",
    "helm install",
    "helmfile apply",
    "helmfile sync",
    "kustomize build",
    "argocd app sync",
    "terraform apply",
    "tofu apply",
    "pulumi up",
    "cdk deploy",
    "gcloud run deploy",
    "gcloud app deploy",
    "gcloud functions deploy",
    "aws ecs update-service",
    "aws lambda update-function-code",
    "aws s3 sync",
    "aws deploy",
    "az webapp deploy",
    "az containerapp update",
    "flyctl deploy",
    "fly deploy",
    "vercel deploy",
    "vercel --prod",
    "netlify deploy",
    "serverless deploy",
    "sls deploy",
    "kamal deploy",
    "cap production deploy",
    "eb deploy",
    "heroku container:release",
    "docker stack deploy",
    "ansible-playbook",
    "wrangler deploy",
    "wrangler publish",
    "firebase deploy",
    "skaffold run",
];

pub fn deploy_command(script: &str) -> Option<&'static str> {
    find_words(&normalise(script), DEPLOY_COMMANDS)
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
    let norm = normalise(script);
    SCANNERS.iter().find(|(n, _)| !n.contains('/') && has_words(&norm, n)).map(|(_, t)| *t)
}

pub const BACKUP_TOOLS: &[&str] = &[
    "pg_dump",
    "pg_dumpall",
    "pg_basebackup",
    "mysqldump",
    "mariadb-dump",
    "mongodump",
    "velero",
    "restic",
    "wal-g",
    "pgbackrest",
    "barman",
    "borg",
    "rclone",
    "redis-cli",
    "etcdctl",
    "backup",
];

pub const RESTORE_TOOLS: &[&str] = &["pg_restore", "mongorestore", "velero restore", "restic restore", "restore"];

/// Backup tools a script mentions (as words or word prefixes: `pg_dump`, `backup.sh`).
pub fn backup_tools(script: &str) -> Vec<&'static str> {
    specific_in(&without_restores(&normalise(script)), BACKUP_TOOLS)
}

/// `velero restore …` and `restic restore …` restore: their tool word is not a backup.
fn without_restores(norm: &str) -> String {
    norm.replace(" velero restore ", " restore ").replace(" restic restore ", " restore ")
}

pub fn restore_tools(script: &str) -> Vec<&'static str> {
    specific(script, RESTORE_TOOLS)
}

/// The tools mentioned, without a generic word another found tool contains (`restore` of `pg_restore`).
fn specific(script: &str, tools: &[&'static str]) -> Vec<&'static str> {
    specific_in(&normalise(script), tools)
}

fn specific_in(norm: &str, tools: &[&'static str]) -> Vec<&'static str> {
    if !tools.iter().any(|t| norm.contains(t)) {
        return Vec::new();
    }
    let found: Vec<&'static str> = tools.iter().copied().filter(|t| mentions(norm, t)).collect();
    // The generic word (`backup`, `restore`: last of each list) only counts alone.
    let generic = tools.last().copied();
    found.iter().copied().filter(|t| !found.iter().any(|u| u != t && (u.contains(t) || Some(*t) == generic))).collect()
}

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
        assert_eq!(restore_tools("velero restore create r1 --from-schedule nightly"), vec!["velero restore"]);
        assert_eq!(scanner_action("aquasecurity/trivy-action@master"), Some("trivy"));
        assert_eq!(scanner_action("github/codeql-action/init@v3"), Some("codeql"));
        assert_eq!(scanner_action("actions/checkout@v4"), None);
        assert_eq!(scanner_command("gitleaks detect --source ."), Some("gitleaks"));
    }
}

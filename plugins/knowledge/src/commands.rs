//! Commands that deploy, that only look like deploys, that run tests, and that read logs.
//! Patterns are lower-case words matched as whole words in a [`normalise`]d script.
use crate::words::{first_of, has_words, normalise};

/// Commands that change what runs somewhere: a deploy wherever they appear.
pub const DEPLOY_COMMANDS: &[&str] = &[
    "kubectl apply",
    "kubectl rollout restart",
    "kubectl rollout undo",
    "kubectl set image",
    "kubectl create -f",
    "kubectl replace",
    "helm upgrade",
    "helm install",
    "helmfile apply",
    "helmfile sync",
    "argocd app sync",
    "terraform apply",
    "tofu apply",
    "terragrunt apply",
    "terragrunt run-all apply",
    "pulumi up",
    "cdk deploy",
    "gcloud run deploy",
    "gcloud app deploy",
    "gcloud functions deploy",
    "aws ecs update-service",
    "aws lambda update-function-code",
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
    "git push heroku",
    "git push dokku",
    "docker stack deploy",
    "ansible-playbook",
    "wrangler deploy",
    "wrangler publish",
    "firebase deploy",
    "skaffold run",
    "skaffold deploy",
    "nomad job run",
    "nomad run",
    "waypoint up",
    "juju deploy",
];

/// Deploys of a host's own containers: a deploy in a script run against a
/// server, but in CI usually a throwaway stack for tests.
pub const HOST_DEPLOY_COMMANDS: &[&str] =
    &["docker compose up", "docker-compose up", "podman-compose up", "docker compose pull", "docker-compose pull"];

/// Uploads that deploy a static site from CI (in a script they may as well be a backup upload).
pub const UPLOAD_DEPLOY_COMMANDS: &[&str] = &["aws s3 sync"];

/// Commands that look like deploys and are not: they render, compare, rehearse
/// or start a throwaway cluster.
pub const NOT_DEPLOYS: &[&str] = &[
    "kustomize build",
    "kubectl kustomize",
    "helm template",
    "helm lint",
    "kubectl diff",
    "terraform plan",
    "tofu plan",
    "--dry-run",
    "--dry-run=client",
    "--dry-run=server",
    "kind create cluster",
    "k3d cluster create",
    "minikube start",
    "ct install",
    "mkdocs gh-deploy",
];

/// Clusters created to test against, not to serve: a job that makes one deploys nowhere.
pub const THROWAWAY_CLUSTERS: &[&str] =
    &["kind create cluster", "kind load", "k3d cluster create", "k3d image import", "minikube start", "ct install"];

/// GitHub Actions that start such a cluster.
pub const THROWAWAY_CLUSTER_ACTIONS: &[&str] = &[
    "helm/kind-action",
    "engineerd/setup-kind",
    "container-tools/kind-action",
    "absaoss/k3d-action",
    "nolar/setup-k3d-k3s",
    "medyagh/setup-minikube",
    "manusa/actions-setup-minikube",
];

/// Whether an action (`owner/repo@ref`) starts a throwaway cluster.
pub fn throwaway_cluster_action(uses: &str) -> bool {
    let name = uses.split('@').next().unwrap_or(uses).to_ascii_lowercase();
    THROWAWAY_CLUSTER_ACTIONS.iter().any(|a| name == *a)
}

/// Commands that publish an artifact (a package, an image, a chart), not deploy a service.
pub const PUBLISH_COMMANDS: &[&str] = &[
    "npm publish",
    "pnpm publish",
    "yarn publish",
    "yarn npm publish",
    "twine upload",
    "poetry publish",
    "uv publish",
    "cargo publish",
    "gem push",
    "docker push",
    "docker buildx build --push",
    "helm push",
    "helm package",
    "cr upload",
    "gh release create",
    "goreleaser release",
];

/// Words of a workflow's or job's name saying it publishes documentation, design assets or
/// packages (`plugins-deploy-api-doc.yml`, `Plugins/package deployer`): not the service.
/// (Not `site` or `website`: a web site may be the service itself.)
pub fn names_docs(name: &str) -> bool {
    name.to_ascii_lowercase().split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
        matches!(w, "doc" | "docs" | "documentation" | "pages" | "storybook" | "styleguide" | "package" | "packages")
    })
}

/// GitHub Actions that publish a documentation site: not the service.
pub const DOCS_SITE_ACTIONS: &[&str] =
    &["actions/deploy-pages", "peaceiris/actions-gh-pages", "jamesives/github-pages-deploy-action"];

/// The deploy command a script runs (`kubectl apply`), unless the same line only rehearses it
/// (`kubectl apply --dry-run=client`). `host`: count `docker compose up` (a script for a server).
pub fn deploy_command(script: &str, host: bool) -> Option<&'static str> {
    for line in script.lines() {
        let t = line.trim();
        if t.starts_with('#') || t.starts_with("//") {
            continue;
        }
        let norm = normalise(t);
        if NOT_DEPLOYS.iter().any(|n| n.starts_with("--") && norm.contains(n)) {
            continue;
        }
        if let Some(c) = first_of(&norm, DEPLOY_COMMANDS) {
            return Some(c);
        }
        if host {
            if let Some(c) = first_of(&norm, HOST_DEPLOY_COMMANDS) {
                return Some(c);
            }
            // A launcher that starts the service's long-running container: `docker run -d`, `--restart`.
            let run = has_words(&norm, "docker run")
                || has_words(&norm, "podman run")
                || norm.contains(" run --") && norm.contains("docker");
            let long_running =
                [" -d ", " --detach ", " --restart", " -dit ", " -itd "].iter().any(|f| norm.contains(f))
                    || norm.contains("restart_policy");
            if run && long_running {
                return Some("docker run (a long-running container)");
            }
        }
    }
    None
}

/// Whether a script starts a throwaway cluster (its deploys go there).
pub fn throwaway_cluster(script: &str) -> Option<&'static str> {
    first_of(&normalise(script), THROWAWAY_CLUSTERS)
}

/// Whether an action (`owner/repo@ref`) publishes a documentation site.
pub fn docs_site_action(uses: &str) -> bool {
    let name = uses.split('@').next().unwrap_or(uses).to_ascii_lowercase();
    DOCS_SITE_ACTIONS.iter().any(|a| name == *a || name.starts_with(&format!("{a}/")))
}

/// Commands that run a test suite.
pub const TEST_COMMANDS: &[&str] = &[
    "pytest",
    "py.test",
    "python -m pytest",
    "python3 -m pytest",
    "python -m unittest",
    "python3 -m unittest",
    "manage.py test",
    "tox",
    "nox",
    "hatch test",
    "hatch run test",
    "npm test",
    "npm run test",
    "npm t",
    "npm run-script test",
    "yarn test",
    "yarn run test",
    "pnpm test",
    "pnpm run test",
    "bun test",
    "jest",
    "vitest",
    "mocha",
    "ava",
    "go test",
    "gotestsum",
    "ginkgo",
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
    "./gradlew build",
    "sbt test",
    "lein test",
    "make test",
    "make tests",
    "make check",
    "just test",
    "task test",
    "rspec",
    "bundle exec rspec",
    "bundle exec rake test",
    "bundle exec rails test",
    "rails test",
    "rake test",
    "rake spec",
    "phpunit",
    "vendor/bin/phpunit",
    "pest",
    "php artisan test",
    "composer test",
    "dotnet test",
    "mix test",
    "ctest",
    "meson test",
    "bazel test",
    "swift test",
    "flutter test",
    "dart test",
    "deno test",
    "playwright test",
    "cypress run",
    "behave",
    "bats",
    "shellspec",
    "stack test",
    "cabal test",
    "zig build test",
    "helm unittest",
];

/// What [`test_command`] says of a script that runs a package script, a
/// make/just/task target or a wrapper script named for tests.
pub const PACKAGE_TEST_SCRIPT: &str = "a package script named for tests";
pub const TEST_TARGET: &str = "a make/just/task target named for tests";
pub const TEST_SCRIPT: &str = "a test script";

/// The `&'static` form of a name [`test_command`] gives, for a plugin that
/// reads one back from a stored fact.
pub fn test_command_named(name: &str) -> Option<&'static str> {
    let fixed = [PACKAGE_TEST_SCRIPT, TEST_TARGET, TEST_SCRIPT];
    TEST_COMMANDS.iter().chain(&fixed).find(|c| **c == name).copied()
}

/// The test command a script runs: a known runner (`pytest`, `go test`), a
/// package-script or make/just/task target named for tests (`npm run test:unit`,
/// `make unit-test`), or a wrapper script named for tests (`./unit-test.sh`,
/// `scripts/run_tests.sh`, `script/test`).
pub fn test_command(script: &str) -> Option<&'static str> {
    let norm = normalise(script);
    if let Some(c) = first_of(&norm, TEST_COMMANDS) {
        return Some(c);
    }
    let words: Vec<&str> = norm.split(' ').filter(|w| !w.is_empty()).collect();
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        let after = words.get(i + 2).copied().unwrap_or("");
        // `npm run test:unit`, `yarn test:ci`, `pnpm run test-e2e`.
        if matches!(*w, "npm" | "yarn" | "pnpm" | "bun") {
            let target = if next == "run" || next == "run-script" { after } else { next };
            if names_tests(target) {
                return Some(PACKAGE_TEST_SCRIPT);
            }
        }
        // `make unit-test`, `just test-all`, `task tests:unit`, `make -C api test`.
        if matches!(*w, "make" | "just" | "task" | "gmake") {
            let targets = words[i + 1..].iter().take(4).take_while(|t| !is_command(t));
            if targets.filter(|t| !t.starts_with('-')).any(|t| names_tests(t)) {
                return Some(TEST_TARGET);
            }
        }
        if test_script(w) {
            return Some(TEST_SCRIPT);
        }
    }
    None
}

fn is_command(w: &str) -> bool {
    matches!(w, "make" | "just" | "task" | "npm" | "yarn" | "cd" | "echo" | "then" | "do" | "fi" | "done")
}

/// A target or script name that says tests: `test`, `tests`, `unit-test`, `test:e2e`, `run_tests`, `check`.
fn names_tests(name: &str) -> bool {
    let n = name.trim_start_matches("./");
    n == "check"
        || n == "ci"
        || n.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
            matches!(w, "test" | "tests" | "unittest" | "unittests" | "spec" | "specs" | "e2e" | "integration")
        })
}

/// A script path named for tests: `./unit-test.sh`, `scripts/test`, `bin/run-tests`, `ci/test.bash`.
pub fn test_script(word: &str) -> bool {
    let w = word.trim_matches(['"', '\'']);
    let scripty = w.starts_with("./") || w.contains('/') || [".sh", ".bash", ".ps1"].iter().any(|e| w.ends_with(e));
    if !scripty || w.contains("://") || w.starts_with('-') {
        return false;
    }
    let file = w.rsplit('/').next().unwrap_or(w);
    let stem = file.split('.').next().unwrap_or(file);
    let has_ext = file.contains('.');
    // A path without an extension must look like a script folder (`script/test`, `bin/test`).
    let script_dir =
        w.starts_with("./") || ["script/", "scripts/", "bin/", "ci/", "hack/", "tools/"].iter().any(|d| w.contains(d));
    if !has_ext && !script_dir {
        return false;
    }
    if has_ext && ![".sh", ".bash", ".ps1", ".py"].iter().any(|e| file.ends_with(e)) {
        return false;
    }
    // `test/run.sh`, `tests/all.sh`: a script of the tests' own folder.
    let in_test_dir = w.split('/').rev().skip(1).any(|d| matches!(d, "test" | "tests" | "spec" | "e2e"));
    (names_tests(stem) && stem != "ci") || (in_test_dir && has_ext)
}

/// A command that reads a service's logs: `kubectl logs`, `docker compose logs -f api`,
/// `journalctl -u app`, `stern`, `logcli`, `aws logs tail`, `gcloud logging read`.
pub fn log_command(line: &str) -> Option<&'static str> {
    // `<kbd>docker compose logs</kbd>`: markup is not part of the command.
    let norm = normalise(&line.replace(['`', '<', '>'], " "));
    // A project's own tool with a logs command: `./launcher logs app`, `bin/ctl logs api`.
    let words: Vec<&str> = norm.split(' ').filter(|w| !w.is_empty()).collect();
    if words.windows(2).any(|p| (p[0].starts_with("./") || p[0].starts_with("bin/")) && p[1] == "logs") {
        return Some("a repository script's logs command");
    }
    const SIMPLE: &[&str] = &["journalctl", "stern", "logcli", "kubetail", "lnav"];
    if let Some(c) = first_of(&norm, SIMPLE) {
        return Some(c);
    }
    for tool in
        ["kubectl", "docker", "docker-compose", "podman", "heroku", "oc", "flyctl", "fly", "nomad", "kamal", "railway"]
    {
        if has_words(&norm, tool) && has_words(&norm, "logs") {
            return Some(tool);
        }
    }
    if has_words(&norm, "aws") && has_words(&norm, "logs") {
        return Some("aws logs");
    }
    if has_words(&norm, "gcloud") && has_words(&norm, "logging") {
        return Some("gcloud logging");
    }
    if has_words(&norm, "az") && (has_words(&norm, "log") || has_words(&norm, "logs")) && has_words(&norm, "tail") {
        return Some("az logs");
    }
    None
}

/// Places that show logs, named in prose: Grafana Explore, Loki, Kibana, CloudWatch Logs…
pub const LOG_PLACES: &[&str] = &[
    "grafana explore",
    "loki",
    "kibana",
    "cloudwatch logs",
    "log explorer",
    "logs explorer",
    "papertrail",
    "datadog logs",
    "opensearch dashboards",
    "graylog",
    "seq",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deploys_and_rehearsals() {
        assert_eq!(deploy_command("kubectl apply -f k8s/", false), Some("kubectl apply"));
        assert_eq!(deploy_command("kubectl apply --dry-run=client -f k8s/", false), None);
        assert_eq!(deploy_command("kustomize build . > out.yaml", false), None);
        assert_eq!(deploy_command("helm template x ./chart", false), None);
        assert_eq!(deploy_command("kustomize build overlays/prod | kubectl apply -f -", false), Some("kubectl apply"));
        assert_eq!(deploy_command("echo kubectl", false), None);
        assert_eq!(deploy_command("# kubectl apply -f x", false), None);
        assert_eq!(deploy_command("ssh prod 'docker compose up -d'", true), Some("docker compose up"));
        assert_eq!(deploy_command("docker compose up -d", false), None);
        assert_eq!(
            deploy_command("$docker_path run --shm-size=512m $restart_policy -d $image", true),
            Some("docker run (a long-running container)")
        );
        assert_eq!(deploy_command("docker run --rm -v $PWD:/src alpine tar czf x.tgz /src", true), None);
        assert_eq!(
            throwaway_cluster("kind create cluster --name e2e\nkubectl apply -f x"),
            Some("kind create cluster")
        );
        assert!(docs_site_action("actions/deploy-pages@v4"));
        assert!(!docs_site_action("azure/webapps-deploy@v3"));
    }

    #[test]
    fn tests_and_their_wrappers() {
        for (script, yes) in [
            ("pip install .\npytest -q", true),
            ("npm ci && npm test", true),
            ("./unit-test.sh", true),
            ("bash scripts/run_tests.sh --ci", true),
            ("script/test", true),
            ("make test", true),
            ("make -C api unit-test", true),
            ("just test", true),
            ("tox -e py312", true),
            ("npm run test:unit", true),
            ("yarn test:ci", true),
            ("docker compose run --rm api python -m pytest", true),
            ("./gradlew check", true),
            ("helm unittest helm/zulip", true),
            ("bash test/run.sh", true),
            ("npm run build", false),
            ("make build", false),
            ("./deploy.sh", false),
            ("echo testing", false),
            ("cat tests.txt", false),
            ("docker build -t test .", false),
            ("scripts/contest.sh", false),
        ] {
            assert_eq!(test_command(script).is_some(), yes, "{script}");
        }
    }

    #[test]
    fn log_commands() {
        for l in [
            "docker compose logs -f api",
            "`kubectl logs -n shop deploy/api`",
            "journalctl -u app -f",
            "stern api",
            "aws logs tail /ecs/api --follow",
        ] {
            assert!(log_command(l).is_some(), "{l}");
        }
        for l in ["kubectl get pods", "logs are shipped to Loki", "docker compose up"] {
            assert!(log_command(l).is_none(), "{l}");
        }
    }
}

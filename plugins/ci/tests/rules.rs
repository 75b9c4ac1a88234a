//! Locations, GitLab includes and hostile inputs, natively.
use opslint_plugin_ci::CiPlugin;
use opslint_sdk::testing::check_repo_texts;
use opslint_sdk::{Finding, Location};

fn run(docs: &[(&str, &str)]) -> Vec<Finding> {
    check_repo_texts::<CiPlugin>(docs, "{}")
}

fn spans<'a>(f: &[Finding], rule: &str, text: &'a str) -> Vec<&'a str> {
    f.iter()
        .filter(|f| f.rule == rule)
        .map(|f| match &f.primary.location {
            Location::Span(s) => &text[s.start as usize..s.end as usize],
            _ => panic!("{f:?}"),
        })
        .collect()
}

#[test]
fn expressions_in_quoted_scalars_are_located() {
    let wf = "on: issues\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: \"echo \\\"${{ github.event.issue.title }}\\\"\"\n      - run: 'echo ${{ github.event.issue.body || ''none'' }}'\n";
    let f = run(&[(".github/workflows/x.yml", wf)]);
    assert_eq!(
        spans(&f, "template-injection", wf),
        vec!["${{ github.event.issue.title }}", "${{ github.event.issue.body || ''none'' }}"]
    );
}

#[test]
fn gitlab_include_cycles_terminate() {
    let main = "include: [a.yml]\njob:\n  script: echo\n";
    let a = "include: [b.yml]\na:\n  script: echo\n";
    let b = "include: [a.yml, .gitlab-ci.yml]\nb:\n  stage: nowhere\n  script: echo\n";
    let f = run(&[(".gitlab-ci.yml", main), ("a.yml", a), ("b.yml", b)]);
    let stage: Vec<&Finding> = f.iter().filter(|f| f.rule == "invalid-structure").collect();
    assert_eq!(stage.len(), 1, "{f:#?}");
    assert_eq!(stage[0].path, "b.yml");
}

#[test]
fn wide_extends_diamonds_stay_cheap() {
    // Every template extends every earlier one (10 levels, within GitLab's 11): each is visited once.
    let mut text = String::from(".t0:\n  image: alpine:3.20\n");
    for i in 1..10 {
        let parents: Vec<String> = (0..i).map(|p| format!(".t{p}")).collect();
        text.push_str(&format!(".t{i}:\n  extends: [{}]\n", parents.join(", ")));
    }
    for i in 0..50 {
        text.push_str(&format!("job{i}:\n  extends: .t9\n  stage: deploy\n  environment: production\n"));
    }
    let f = run(&[(".gitlab-ci.yml", &text)]);
    // No script anywhere in the chain: every job is reported, once.
    assert_eq!(f.iter().filter(|f| f.rule == "invalid-structure").count(), 50);
}

#[test]
fn big_needs_graphs_and_deep_expressions_are_bounded() {
    let mut wf = String::from("on: push\njobs:\n");
    for i in 0..3000 {
        let need = if i == 0 { "j2999".to_string() } else { format!("j{}", i - 1) };
        wf.push_str(&format!("  j{i}:\n    needs: [{need}, missing{i}]\n    runs-on: x\n    steps: [{{run: make}}]\n"));
    }
    let deep = format!("{}a{}", "(".repeat(5000), ")".repeat(5000));
    wf.push_str(&format!("  deep:\n    runs-on: x\n    steps:\n      - run: echo ${{{{ {deep} }}}}\n"));
    let f = run(&[(".github/workflows/big.yml", &wf)]);
    assert_eq!(f.iter().filter(|f| f.rule == "needs-cycle").count(), 1);
    assert_eq!(f.iter().filter(|f| f.rule == "unknown-needs").count(), 3000);
    assert_eq!(f.iter().filter(|f| f.rule == "invalid-expression").count(), 1);
}

#[test]
fn hostile_yaml_is_a_parse_error() {
    let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (i, prev) in ["a", "b", "c", "d", "e", "f", "g"].iter().enumerate() {
        let name = ["b", "c", "d", "e", "f", "g", "h"][i];
        laughs.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    let f = run(&[(".github/workflows/lol.yml", &laughs)]);
    let p: Vec<&Finding> = f.iter().filter(|f| f.rule == "parse-error").collect();
    assert_eq!(p.len(), 1, "{f:#?}");
    assert!(p[0].message.contains("aliases"), "{}", p[0].message);
}

#[test]
fn workflows_that_are_not_mappings_are_reported() {
    let f = run(&[(".github/workflows/a.yml", "- just\n- a list\n"), (".github/workflows/b.yml", "")]);
    assert_eq!(f.iter().filter(|f| f.rule == "parse-error").count(), 2, "{f:#?}");
}

#[test]
fn a_docs_site_upload_is_not_a_deploy_of_the_service() {
    // Same job shape twice: a wrangler deploy of built docs, and of the service itself.
    let job = |name: &str, build: &str| {
        format!("name: {name}\non:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n      - run: {build}\n      - uses: cloudflare/wrangler-action@v3\n        with:\n          command: deploy\n")
    };
    let deploy_rules = ["deploy-without-tests", "production-deploy-without-gate", "deploy-without-concurrency"];
    let docs = job("Plugins/api-doc deployer", "pnpm run build:doc");
    let f = run(&[(".github/workflows/docs.yml", &docs)]);
    assert!(f.iter().all(|f| !deploy_rules.contains(&f.rule.as_str())), "{f:?}");
    let pages = "on: push\njobs:\n  site:\n    runs-on: ubuntu-24.04\n    environment: github-pages\n    steps:\n      - uses: actions/deploy-pages@v4\n";
    let f = run(&[(".github/workflows/pages.yml", pages)]);
    assert!(f.iter().all(|f| !deploy_rules.contains(&f.rule.as_str())), "{f:?}");
    let service = job("Deploy API worker", "pnpm run build");
    let f = run(&[(".github/workflows/api.yml", &service)]);
    for rule in deploy_rules {
        assert!(f.iter().any(|f| f.rule == rule), "{rule} silent on a service deploy: {f:?}");
    }
}

/// Issue 13: a job only named after the deploy it prepares is not a second
/// deploy; test environments race harmlessly; a merged pull request or a
/// manual dispatch was tested before it reached the deploy.
#[test]
fn deploy_rules_follow_what_the_deploy_is() {
    let count =
        |rule: &str, wf: &str| run(&[(".github/workflows/d.yml", wf)]).iter().filter(|f| f.rule == rule).count();
    let prepared = "on: push\njobs:\n  prepare:\n    name: Deploy the service\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo hi\n  ship:\n    needs: prepare\n    runs-on: ubuntu-24.04\n    environment: production\n    steps:\n      - run: kubectl apply -f k8s/\n";
    assert_eq!(count("deploy-without-concurrency", prepared), 1, "only `ship` deploys");
    let alone = prepared.replace("    needs: prepare\n", "");
    assert_eq!(count("deploy-without-concurrency", &alone), 2, "without the need, the named job is judged");
    let test_env = prepared.replace("environment: production", "environment: preview");
    assert_eq!(count("deploy-without-concurrency", &test_env), 0);
    let merged = prepared.replace("on: push", "on:\n  pull_request:\n    types: [closed]");
    assert_eq!(count("deploy-without-tests", &merged), 0);
    assert_eq!(count("deploy-without-tests", &prepared.replace("on: push", "on: [workflow_dispatch]")), 0);
    assert_eq!(count("deploy-without-tests", &prepared.replace("on: push", "on: [push, workflow_dispatch]")), 1);
    let opened = prepared.replace("on: push", "on:\n  pull_request:\n    types: [opened, closed]");
    assert_eq!(count("deploy-without-tests", &opened), 1);
}

/// Issue 13: a test instance's password named as one is a fixture; a real token format is not.
#[test]
fn test_credentials_of_the_instance_under_test() {
    let wf = |name: &str, value: &str| {
        format!("on: push\nenv:\n  {name}: {value}\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: ./e2e.sh\n")
    };
    let count = |name: &str, value: &str| {
        run(&[(".github/workflows/e.yml", &wf(name, value))])
            .iter()
            .filter(|f| f.rule == "hardcoded-credentials")
            .count()
    };
    assert_eq!(count("AIO_TEST_PASSWORD", "correct horse battery staple"), 0);
    assert_eq!(count("E2E_ADMIN_TOKEN", "s3cr3t-admin-pass"), 0);
    assert_eq!(count("TEST_GITHUB_TOKEN", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"), 1);
    assert_eq!(count("DEPLOY_PASSWORD", "correct horse battery staple"), 1);
}

/// Issue 13: a pull_request_target job gated on a dependency bot being the
/// pull request's author checks out the bot's branch; gated on the actor, it is spoofable.
#[test]
fn untrusted_checkout_of_an_update_bots_branch() {
    let wf = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/untrusted-checkout/ok/.github/workflows/dependabot.yml"),
    )
    .unwrap();
    let count = |text: &str| {
        run(&[(".github/workflows/r.yml", text)]).iter().filter(|f| f.rule == "untrusted-checkout").count()
    };
    assert_eq!(count(&wf), 0);
    assert_eq!(count(&wf.replace("github.event.pull_request.user.login", "github.actor")), 1);
    assert_eq!(
        count(
            &wf.replace("'dependabot[bot]'", "'dependabot[bot]' || github.event.pull_request.user.login == 'someone'")
        ),
        1
    );
}

#[test]
fn a_cache_in_a_job_that_deploys_a_docs_site_is_a_cache_in_release() {
    let wf = "name: api-doc deployer\non: {push: {branches: [main]}}\njobs:\n  deploy:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/cache@v4\n        with:\n          path: ${{ steps.pnpm-store.outputs.STORE_PATH }}\n          key: pnpm-${{ hashFiles('pnpm-lock.yaml') }}\n      - run: pnpm install && pnpm run build:doc\n      - uses: cloudflare/wrangler-action@v3\n        with:\n          apiToken: ${{ secrets.CLOUDFLARE_API_TOKEN }}\n          command: deploy --config wrangler-api-doc.toml\n";
    let f = run(&[(".github/workflows/deploy-api-doc.yml", wf)]);
    assert_eq!(spans(&f, "cache-in-release", wf), ["actions/cache@v4"]);
    // Still not a deploy of the service.
    assert!(spans(&f, "deploy-without-tests", wf).is_empty());
}

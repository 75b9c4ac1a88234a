//! Which fixes are safe: the rest of the behaviour is in fixtures/<rule>/fix/.
use opslint_plugin_ci::CiPlugin;
use opslint_sdk::testing::check_repo_texts;
use opslint_sdk::Applicability;

fn fixes(rule: &str, yaml: &str) -> Vec<Applicability> {
    check_repo_texts::<CiPlugin>(&[(".github/workflows/ci.yml", yaml)], "{}")
        .into_iter()
        .filter(|f| f.rule == rule)
        .filter_map(|f| f.fix.map(|x| x.applicability))
        .collect()
}

#[test]
fn persist_credentials_is_safe_only_when_no_later_step_may_use_git() {
    let wf = |later: &str| {
        format!("on: push\npermissions: {{}}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n{later}")
    };
    let rule = "checkout-persist-credentials";
    assert_eq!(
        fixes(rule, &wf("      - run: make test\n      - uses: actions/upload-artifact@v4\n")),
        [Applicability::Safe]
    );
    assert_eq!(fixes(rule, &wf("      - run: git push origin HEAD\n")), [Applicability::Unsafe]);
    assert_eq!(fixes(rule, &wf("      - run: gh release create v1\n")), [Applicability::Unsafe]);
    assert_eq!(fixes(rule, &wf("      - uses: peter-evans/create-pull-request@v7\n")), [Applicability::Unsafe]);
    // `make digest` is not git; `github` is not `gh`.
    assert_eq!(fixes(rule, &wf("      - run: echo $github_sha > digest\n")), [Applicability::Safe]);
}

#[test]
fn no_fix_where_the_yaml_is_not_block_style_or_the_choice_was_explicit() {
    let rule = "checkout-persist-credentials";
    let head = "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    steps:\n";
    assert!(fixes(rule, &format!("{head}      - {{uses: actions/checkout@v4}}\n")).is_empty());
    assert!(
        fixes(rule, &format!("{head}      - uses: actions/checkout@v4\n        with: {{fetch-depth: 0}}\n")).is_empty()
    );
    assert!(fixes(
        rule,
        &format!("{head}      - uses: actions/checkout@v4\n        with:\n          persist-credentials: true\n")
    )
    .is_empty());
}

#[test]
fn workflow_permissions_fix_is_unsafe() {
    let wf = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: make\n";
    assert_eq!(fixes("missing-permissions", wf), [Applicability::Unsafe]);
}

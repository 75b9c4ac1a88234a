use opslint_plugin_k8s::rules::secret_in_env::secret_name;
use opslint_plugin_k8s::K8sPlugin;
use opslint_sdk::testing::check_repo_texts;
use opslint_sdk::Location;

#[test]
fn secret_names_are_matched_by_word() {
    for yes in ["DB_PASSWORD", "STRIPE_API_KEY", "github-token", "CLIENT_SECRET", "AWS_SECRET_ACCESS_KEY"] {
        assert!(secret_name(yes), "{yes}");
    }
    for no in ["MAX_TOTAL_TOKENS", "PASSWORD_FILE", "TOKEN_TTL", "LOG_LEVEL", "AWS_ACCESS_KEY_ID", "SECRET_NAME"] {
        assert!(!secret_name(no), "{no}");
    }
}

#[test]
fn findings_point_at_the_value_in_a_list_item() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n    containers:\n    - name: c\n      image: nginx:1.27\n      securityContext: {privileged: true}\n";
    let f = check_repo_texts::<K8sPlugin>(&[("pod.yaml", text)], "{}");
    let p = f.iter().find(|f| f.rule == "privileged-container").expect("fires");
    let Location::Span(s) = &p.primary.location else { panic!() };
    assert_eq!(&text[s.start as usize..s.end as usize], "true");
    assert_eq!(p.message, "Pod/p container \"c\" runs privileged");
}

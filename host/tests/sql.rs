//! The sql plugin through the real binary: an unparsable statement does not
//! hide the findings around it, and real-world SQL never makes the plugin fail.
mod common;
use common::*;

#[test]
fn parse_error_between_two_findings() {
    let sql = "DELETE FROM sessions;\nALTER TABLE t ADD COLUMN;\nUPDATE users SET plan = 'free';\n";
    let dir = tree(&[("scripts/cleanup.sql", sql.as_bytes())]);
    let run = opslint(dir.path(), &["check", "--format", "json", "--fail-on", "info", "--no-cache", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    let findings = json["findings"].as_array().unwrap();
    let at = |rule: &str| -> Vec<(u64, String, u64, u64)> {
        findings
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| {
                let (s, e) = (f["start"].as_u64().unwrap(), f["end"].as_u64().unwrap());
                (f["line"].as_u64().unwrap(), f["severity"].as_str().unwrap().to_string(), s, e)
            })
            .collect()
    };
    let parse = at("sql/parse-error");
    assert_eq!(parse.len(), 1, "{findings:#?}");
    assert_eq!((parse[0].0, parse[0].1.as_str()), (2, "info"));
    assert_eq!(&sql[parse[0].2 as usize..parse[0].3 as usize], "ALTER TABLE t ADD COLUMN");
    let writes = at("sql/missing-where");
    assert_eq!(writes.iter().map(|w| (w.0, w.1.as_str())).collect::<Vec<_>>(), [(1, "high"), (3, "high")]);
    assert_eq!(&sql[writes[1].2 as usize..writes[1].3 as usize], "UPDATE");
}

#[test]
fn corpus_sql_never_fails_the_plugin() {
    let Some(corpus) = shared_input("corpus") else { return };
    let run = opslint(&corpus, &["check", "--format", "json", "--no-cache", "."]);
    assert!(run.code == 0 || run.code == 1, "exit {}: {}", run.code, run.stderr);
    let json = run.json();
    let findings = json["findings"].as_array().unwrap();
    let failures: Vec<_> = findings.iter().filter(|f| f["rule"] == "opslint/plugin-failed").collect();
    assert!(failures.is_empty(), "{failures:?}");
    assert!(findings.iter().any(|f| f["rule"].as_str().is_some_and(|r| r.starts_with("sql/"))));
}

use opslint_plugin_dockerfile::DockerfilePlugin;
use opslint_sdk::testing::{check_text, check_with};
use opslint_sdk::{Finding, Location};

fn spans<'a>(text: &'a str, findings: &[Finding], rule: &str) -> Vec<&'a str> {
    findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| match &f.primary.location {
            Location::Span(s) => &text[s.start as usize..s.end as usize],
            Location::WholeFile => "<file>",
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn latest_tag_resolves_global_args() {
    let df = "ARG TAG=latest\nFROM python:$TAG AS base\nFROM base\nFROM redis\nFROM $OTHER\n";
    let f = check_text::<DockerfilePlugin>("Dockerfile", df);
    assert_eq!(spans(df, &f, "latest-tag"), ["python:$TAG", "redis"]);
    let msg = &f.iter().find(|f| f.rule == "latest-tag").unwrap().message;
    assert!(msg.contains("python:latest"), "{msg}");
}

#[test]
fn package_manager_rules_point_at_the_subcommand() {
    let df = "FROM debian:12\nRUN apt-get update && apt-get install curl\n";
    let f = check_text::<DockerfilePlugin>("Dockerfile", df);
    assert_eq!(spans(df, &f, "apt-missing-yes"), ["install"]);
    assert_eq!(spans(df, &f, "apt-no-install-recommends"), ["install"]);
    assert_eq!(spans(df, &f, "apt-lists-not-cleaned"), ["update"]);
    let fix = f.iter().find(|f| f.rule == "apt-missing-yes").unwrap().fix.as_ref().unwrap();
    assert_eq!(fix.edits[0].replacement, " -y");
    assert_eq!(fix.edits[0].span.start as usize, df.find("install").unwrap() + "install".len());
}

#[test]
fn heredoc_scripts_are_checked() {
    let df = "FROM debian:12\nRUN <<EOF\nset -e\nsudo apt-get install -y --no-install-recommends curl\ncurl -fsSL https://x.example | sh\nEOF\n";
    let f = check_text::<DockerfilePlugin>("Dockerfile", df);
    assert_eq!(spans(df, &f, "sudo"), ["sudo"]);
    assert_eq!(spans(df, &f, "curl-pipe-shell"), ["curl -fsSL https://x.example | sh"]);
    assert_eq!(spans(df, &f, "pipe-without-pipefail"), ["|"]);
}

#[test]
fn dockerignore_presence_comes_from_options() {
    let df = "FROM node:20-slim\nCOPY . .\n";
    let none = check_with::<DockerfilePlugin>("svc/Dockerfile", df, r#"{"context_files": []}"#);
    assert_eq!(spans(df, &none, "copy-all-without-dockerignore"), ["."]);
    let present = check_with::<DockerfilePlugin>("svc/Dockerfile", df, r#"{"context_files": ["svc/.dockerignore"]}"#);
    assert!(spans(df, &present, "copy-all-without-dockerignore").is_empty());
    let unknown = check_text::<DockerfilePlugin>("svc/Dockerfile", df);
    assert!(spans(df, &unknown, "copy-all-without-dockerignore").is_empty());
}

#[test]
fn secrets_name_the_variable() {
    let df = "FROM a:1\nENV API_KEY=abc123 TOKEN_FILE=/run/secrets/t\n";
    let f = check_text::<DockerfilePlugin>("Dockerfile", df);
    assert_eq!(spans(df, &f, "secret-in-env"), ["abc123"]);
    assert!(f.iter().any(|f| f.rule == "secret-in-env" && f.message.contains("API_KEY")));
}

#[test]
fn parse_errors_do_not_stop_other_rules() {
    let df = "FROM ubuntu\nRUNN x\nMAINTAINER me\n";
    let f = check_text::<DockerfilePlugin>("Dockerfile", df);
    assert_eq!(spans(df, &f, "parse-error"), ["RUNN"]);
    assert_eq!(spans(df, &f, "maintainer-deprecated"), ["MAINTAINER"]);
    assert_eq!(spans(df, &f, "latest-tag"), ["ubuntu"]);
    let empty = check_text::<DockerfilePlugin>("Dockerfile", "");
    assert_eq!(spans("", &empty, "parse-error"), ["<file>"]);
}

#[test]
fn hostile_inputs_through_every_rule() {
    let garbage: Vec<u8> = (0..50_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8).collect();
    let mut long = String::from("FROM debian:12\nRUN set -eux \\\n");
    for i in 0..10_000 {
        long.push_str(&format!("  && apt-get install pkg{i} | tee /tmp/x \\\n"));
    }
    long.push_str("  && true\n");
    let inputs = [
        String::from_utf8_lossy(&garbage).into_owned(),
        long,
        "FROM a\nRUN <<EOF\nnever closed".into(),
        "FROM a\nCMD [\"x".into(),
        format!("FROM a\nRUN {}\n", "$(".repeat(50_000)),
        format!("FROM a\nENV {}\n", "A=\"".repeat(10_000)),
        "FROM a\nCOPY --from=\nADD\nEXPOSE\nUSER\nWORKDIR\n".into(),
    ];
    for s in &inputs {
        let _ = check_text::<DockerfilePlugin>("Dockerfile", s);
    }
}

/// Runs every rule over the real-world Dockerfiles in the shared corpus:
/// `cargo test -p opslint-plugin-dockerfile --test rules corpus -- --ignored --nocapture`.
#[test]
#[ignore]
fn corpus() {
    let Some(root) = opslint_sdk::testing::shared_input("corpus") else { return };
    let mut stack = vec![root.clone()];
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    let mut files = 0;
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.file_name().unwrap().to_string_lossy().to_lowercase();
            if !(name.starts_with("dockerfile") || name.ends_with(".dockerfile") || name.starts_with("containerfile")) {
                continue;
            }
            files += 1;
            let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
            let shown = p.strip_prefix(&root).unwrap().display().to_string();
            for f in check_with::<DockerfilePlugin>(&shown, &text, r#"{"context_files": []}"#) {
                *counts.entry(f.rule.clone()).or_default() += 1;
                if std::env::var("SHOW").is_ok_and(|r| r == f.rule) {
                    let at = match &f.primary.location {
                        Location::Span(s) => {
                            text[s.start as usize..s.end as usize].chars().take(80).collect::<String>()
                        }
                        _ => String::new(),
                    };
                    println!("{shown}: {} [{at}]", f.message);
                }
            }
        }
    }
    println!("{files} files");
    for (r, n) in counts {
        println!("{r:32} {n}");
    }
}

/// Issue 13: shell form with `exec` last or a `trap` handles signals; an SSH
/// port is fine where SSH is the image's purpose.
#[test]
fn shell_form_that_handles_signals_and_ssh_images_are_not_flagged() {
    let fixture = |p: &str| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(p);
        std::fs::read_to_string(path).unwrap()
    };
    let bad = fixture("shell-form-cmd/bad/Dockerfile");
    let f = check_text::<DockerfilePlugin>("Dockerfile", &bad);
    assert_eq!(
        spans(&bad, &f, "shell-form-cmd"),
        ["/usr/local/bin/docker-entrypoint.sh", "node server.js", "exec node server.js"]
    );
    let last = f.iter().rfind(|f| f.rule == "shell-form-cmd").unwrap();
    assert!(last.message.contains("ignores `CMD`"), "{}", last.message);
    let ok = fixture("shell-form-cmd/ok/signals/Dockerfile");
    assert!(spans(&ok, &check_text::<DockerfilePlugin>("Dockerfile", &ok), "shell-form-cmd").is_empty());
    for (path, fires) in [("bad/Dockerfile", true), ("ok/gitlab/Dockerfile", false), ("ok/sshd/Dockerfile", false)] {
        let text = fixture(&format!("expose-ssh/{path}"));
        let got = spans(&text, &check_text::<DockerfilePlugin>("app/Dockerfile", &text), "expose-ssh");
        assert_eq!(!got.is_empty(), fires, "{path}: {got:?}");
    }
    // The folder says what the image is for.
    let text = "FROM alpine:3.20\nEXPOSE 22\n";
    assert!(spans(text, &check_text::<DockerfilePlugin>("sftp/Dockerfile", text), "expose-ssh").is_empty());
    assert_eq!(spans(text, &check_text::<DockerfilePlugin>("api/Dockerfile", text), "expose-ssh"), ["22"]);
}

/// Issue 13: `apt-get -f install` after `dpkg -i` installs dependencies (and their recommends).
#[test]
fn fix_broken_install_needs_no_install_recommends() {
    let df = "FROM debian:12\nRUN dpkg -i /tmp/a.deb || apt-get -yf install\nRUN apt-get -f install --no-install-recommends\nRUN apt-get -y autoremove\n";
    let f = check_text::<DockerfilePlugin>("Dockerfile", df);
    assert_eq!(spans(df, &f, "apt-no-install-recommends"), ["install"]);
}

/// Issue 13: `a|b)` alternatives of a `case` pattern are not pipes.
#[test]
fn case_patterns_are_not_pipes() {
    let df = "FROM debian:12\nRUN case \"$ARCH\" in aarch64|arm64) A=1 ;; amd64|x86_64) A=2 ;; esac\nRUN curl -fsSL https://x.example/a.tgz | tar xz\n";
    let f = check_text::<DockerfilePlugin>("Dockerfile", df);
    assert_eq!(f.iter().filter(|f| f.rule == "pipe-without-pipefail").count(), 1, "{f:#?}");
    let line2 = df.find("RUN curl").unwrap();
    assert!(f.iter().filter(|f| f.rule == "pipe-without-pipefail").all(|f| match &f.primary.location {
        opslint_sdk::Location::Span(s) => s.start as usize > line2,
        _ => false,
    }));
}

/// Issue 13: a command after `then`/`else`/`do` is that command (apt-get
/// install inside an `if` is an install; its update is not alone).
#[test]
fn commands_after_shell_keywords_are_seen() {
    let df = "FROM debian:12\nRUN apt-get update && if [ \"$A\" = x ]; then apt-get install --no-install-recommends -y curl; else apt-get install -y --no-install-recommends wget; fi && rm -rf /var/lib/apt/lists/*\n";
    let f = check_text::<DockerfilePlugin>("Dockerfile", df);
    assert!(spans(df, &f, "apt-update-alone").is_empty(), "{f:#?}");
    let df = "FROM debian:12\nRUN for p in a b; do apt-get install $p; done\n";
    let f = check_text::<DockerfilePlugin>("Dockerfile", df);
    assert_eq!(spans(df, &f, "apt-missing-yes"), ["install"]);
}

/// Issue 13: a `--from` name like a stage is a typo; one unlike every stage
/// is a named build context the build supplies (bake `contexts`, `--build-context`).
#[test]
fn copy_from_reports_typos_of_stages_not_build_contexts() {
    let df = "FROM golang:1.22 AS builder\nRUN go build -o /out/app .\nFROM alpine:3.20\nCOPY --from=build /out/app /app\nCOPY --from=buidler /out/app /app2\nCOPY --from=templates /t.yml /t.yml\n";
    let f = check_text::<DockerfilePlugin>("Dockerfile", df);
    assert_eq!(spans(df, &f, "copy-from-unknown-stage"), ["--from=build", "--from=buidler"], "{f:#?}");
    let msg: Vec<&str> = f.iter().filter(|f| f.rule == "copy-from-unknown-stage").map(|f| f.message.as_str()).collect();
    assert!(msg[0].contains("did you mean `builder`?"), "{msg:?}");
}

/// Issue 13: `ENV TOKEN=123456` is the dummy default a start script replaces;
/// digits that do not count up are not.
#[test]
fn counting_digits_are_a_dummy_env_secret() {
    let df = "FROM alpine:3.20\nENV AIO_TOKEN=123456\nENV API_TOKEN=839201\n";
    let f = check_text::<DockerfilePlugin>("Dockerfile", df);
    assert_eq!(spans(df, &f, "secret-in-env"), ["839201"], "{f:#?}");
}

/// Issue 13: a configuration-only layer keeps its base image's start command and
/// user; once the Dockerfile installs, assembles or sets its own command, the missing
/// USER is its own.
#[test]
fn thin_layers_keep_their_base_images_user() {
    let thin = "FROM postgres:16.4\nCOPY init.sql /docker-entrypoint-initdb.d/\n";
    let f = check_text::<DockerfilePlugin>("Dockerfile", thin);
    assert!(!f.iter().any(|f| f.rule == "root-user"), "{f:#?}");
    let own = format!("{thin}CMD [\"postgres\"]\n");
    let f = check_text::<DockerfilePlugin>("Dockerfile", &own);
    assert_eq!(f.iter().filter(|f| f.rule == "root-user").count(), 1, "{f:#?}");
    let installs = format!("{thin}RUN apt-get update\n");
    let f = check_text::<DockerfilePlugin>("Dockerfile", &installs);
    assert_eq!(f.iter().filter(|f| f.rule == "root-user").count(), 1, "{f:#?}");
    let assembles = "FROM node:20 AS build\nRUN npm run build\nFROM nginx:1.27\nCOPY --from=build /app/dist /usr/share/nginx/html\n";
    let f = check_text::<DockerfilePlugin>("Dockerfile", assembles);
    assert_eq!(f.iter().filter(|f| f.rule == "root-user").count(), 1, "{f:#?}");
    let explicit = format!("{thin}USER root\n");
    let f = check_text::<DockerfilePlugin>("Dockerfile", &explicit);
    assert_eq!(f.iter().filter(|f| f.rule == "root-user").count(), 1, "{f:#?}");
    // Over an operating system or a runtime the inherited command is a root shell or interpreter.
    for base in [
        "alpine:3.20",
        "docker.io/library/debian:12",
        "python:3.12-slim",
        "mirror.example/docker/library/ubuntu:24.04",
        "arm64v8/alpine:3",
    ] {
        let f = check_text::<DockerfilePlugin>("Dockerfile", &format!("FROM {base}\nCOPY app.py /app/\n"));
        assert_eq!(f.iter().filter(|f| f.rule == "root-user").count(), 1, "{base}: {f:#?}");
    }
}

/// Issue 13: a start command that drops root itself (`--user=`, gosu) is not root-user.
#[test]
fn start_commands_that_step_down_are_not_root() {
    let base = "FROM alpine:3.20\nRUN apk add --no-cache dnsmasq\n";
    let count = |cmd: &str| {
        let df = format!("{base}{cmd}\n");
        check_text::<DockerfilePlugin>("Dockerfile", &df).iter().filter(|f| f.rule == "root-user").count()
    };
    assert_eq!(count(r#"ENTRYPOINT ["dnsmasq", "--keep-in-foreground", "--user=dnsmasq"]"#), 0);
    assert_eq!(count("CMD exec su-exec app /usr/local/bin/server"), 0);
    assert_eq!(count(r#"ENTRYPOINT ["dnsmasq", "--keep-in-foreground"]"#), 1);
    assert_eq!(count(r#"CMD ["server", "--user", "root"]"#), 1);
}

/// hadolint's pinning checks beyond apt (DL3018, DL3013, DL3016, DL3028, DL3033, DL3062), as one rule.
#[test]
fn unpinned_packages_by_manager() {
    let names = |df: &str| -> Vec<String> {
        let f = check_text::<DockerfilePlugin>("Dockerfile", df);
        f.iter()
            .filter(|f| f.rule == "unpinned-packages")
            .map(|f| f.message.split('`').nth(1).unwrap_or("").to_string())
            .collect()
    };
    let bad =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/unpinned-packages/bad/Dockerfile"))
            .unwrap();
    assert_eq!(
        names(&bad),
        ["gcc", "musl-dev", "gunicorn", "uvicorn[standard]", "pnpm@latest", "github.com/go-delve/delve/cmd/dlv@latest"]
    );
    assert_eq!(
        names("FROM x\nRUN python3 -m pip install flask && gem install rake && yum install -y httpd-devel && go get -d -v github.com/x/y\n"),
        ["flask", "rake", "httpd-devel", "github.com/x/y"]
    );
    assert_eq!(
        names("FROM x\nRUN pip install git+https://github.com/a/b.git git+ssh://git@github.com/a/c.git@v1 git+https://h/d.git@$REF\n"),
        ["git+https://github.com/a/b.git"]
    );
    assert!(names("FROM x\nRUN apk del curl && npm ci && pip download x && go build ./...\n").is_empty());
}

#[test]
fn cd_after_leading_set_options_is_still_the_first_command() {
    let df = "FROM debian:12\nRUN set -xe && cd /etc/raddb && make\nRUN set -ex; cd /srv && ./build\nRUN set -e && cd /tmp/src && make\nRUN set -e && make && cd /x && make\nRUN set -e && cd /x\n";
    let f = check_text::<DockerfilePlugin>("Dockerfile", df);
    assert_eq!(spans(df, &f, "cd-instead-of-workdir"), ["cd /etc/raddb", "cd /srv"]);
}

#[test]
fn pipes_inside_command_substitutions_need_pipefail() {
    let df = "FROM alpine:3.20\nRUN runDeps=\"$(scanelf --needed /usr/local | awk '{ print $2 }' | sort -u)\" && apk add $runDeps\nRUN v=\"$(echo $X | tr a b)\" && n=$((1 + 2))\nRUN set -o pipefail && d=\"$(ls /x | sort)\"\n";
    let f = check_text::<DockerfilePlugin>("Dockerfile", df);
    assert_eq!(spans(df, &f, "pipe-without-pipefail"), ["|"]);
    let msg = &f.iter().find(|f| f.rule == "pipe-without-pipefail").unwrap().message;
    assert!(msg.starts_with("`scanelf` is piped inside"), "{msg}");
}

#[test]
fn invalid_image_references_name_the_problem() {
    let df = "FROM spack/rocky:sha256:c530b10099eeedad9d384ffc7419f355d93289b2e615143256186406ee04e275\nFROM Ubuntu:22.04\nFROM app:-x\nFROM app@md5\nFROM a//b\nFROM ok_name:1.0\n";
    let f = check_text::<DockerfilePlugin>("Dockerfile", df);
    let got = spans(df, &f, "invalid-image-reference");
    assert_eq!(got.len(), 5, "{got:?}");
    let help = f.iter().find(|f| f.rule == "invalid-image-reference").unwrap().help.clone().unwrap_or_default();
    assert!(help.contains("spack/rocky@sha256:c530"), "{help}");
}

#[test]
fn moving_tags_are_flagged_like_latest() {
    let df = "FROM alpine:edge\nFROM mcr.microsoft.com/mssql/server:2022-latest\nFROM app:nightly-20240101\nFROM nginx:1.27-alpine\nFROM node:lts-alpine\n";
    let f = check_text::<DockerfilePlugin>("Dockerfile", df);
    assert_eq!(
        spans(df, &f, "latest-tag"),
        ["alpine:edge", "mcr.microsoft.com/mssql/server:2022-latest", "node:lts-alpine"]
    );
}

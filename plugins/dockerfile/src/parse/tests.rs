use super::*;

fn p(s: &str) -> Dockerfile {
    parse(s)
}

fn kws(df: &Dockerfile) -> Vec<&str> {
    df.instructions.iter().map(|i| i.keyword.as_str()).collect()
}

fn errs(df: &Dockerfile) -> Vec<&str> {
    df.errors.iter().map(|e| e.message.as_str()).collect()
}

#[test]
fn continuations_comments_and_blank_lines() {
    let s = "FROM alpine:3.19\nRUN apk add \\\n    # a comment\n\n    curl \\\n    git\nCMD [\"sh\"]\n";
    let df = p(s);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(kws(&df), ["FROM", "RUN", "CMD"]);
    let run = &df.instructions[1];
    assert_eq!(run.args_str(), "apk add     curl     git");
    let words: Vec<_> = run.words.iter().map(|w| &s[w.span.clone()]).collect();
    assert_eq!(words, ["apk", "add", "curl", "git"]);
    assert_eq!(&s[run.span.clone()], "RUN apk add \\\n    # a comment\n\n    curl \\\n    git");
    assert_eq!(run.commands.len(), 1);
    assert_eq!(run.commands[0].words.len(), 4);
}

#[test]
fn crlf_bom_and_lowercase_keywords() {
    let s = "\u{feff}from python:3.12 as build\r\nrun echo hi \\\r\n  there\r\n";
    let df = p(s);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(kws(&df), ["FROM", "RUN"]);
    assert_eq!(df.stages[0].name.as_ref().unwrap().value, "build");
    assert_eq!(&s[df.stages[0].image_span.clone()], "python:3.12");
    assert_eq!(df.instructions[1].args_str(), "echo hi   there");
}

#[test]
fn escape_directive_and_syntax() {
    let s = "# syntax=docker/dockerfile:1\n# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir C:\\ `\n  && echo ok\n";
    let df = p(s);
    assert_eq!(df.escape, '`');
    assert_eq!(df.syntax.as_ref().unwrap().value, "docker/dockerfile:1");
    assert_eq!(kws(&df), ["FROM", "RUN"]);
    assert_eq!(df.instructions[1].args_str(), "dir C:\\   && echo ok");
}

#[test]
fn directives_only_at_the_top() {
    let df = p("FROM alpine:3\n# escape=`\nRUN echo \\\n  hi\n");
    assert_eq!(df.escape, '\\');
    assert_eq!(df.instructions[1].args_str(), "echo   hi");
}

#[test]
fn exec_form_and_fallback() {
    let s = "FROM a:1\nCMD [\"node\", \"server.js\"]\nENTRYPOINT [ 'bad' ]\nRUN [\"sh\", \"-c\", \"echo \\\"x\\\"\"]\n";
    let df = p(s);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let cmd = df.instructions[1].exec.as_ref().unwrap();
    assert_eq!(cmd[1].value, "server.js");
    assert_eq!(&s[cmd[1].span.clone()], "\"server.js\"");
    assert!(df.instructions[2].exec.is_none());
    assert_eq!(df.instructions[3].exec.as_ref().unwrap()[2].value, "echo \"x\"");
}

#[test]
fn unterminated_exec_quote() {
    let s = "FROM a:1\nCMD [\"node\", \"server.js]\n";
    let df = p(s);
    assert_eq!(errs(&df), ["unterminated string in the exec form of `CMD`"]);
    assert_eq!(&s[df.errors[0].span.clone().unwrap()], "\"server.js]");
    assert!(df.instructions[1].exec.is_none());
}

#[test]
fn heredocs() {
    let s = "FROM a:1\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nCOPY <<-\"CONF\" <<X /etc/\n\tkey=1\n\tCONF\nx\nX\nRUN python3 <<PY\nimport os\nPY\nRUN echo done\n";
    let df = p(s);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(kws(&df), ["FROM", "RUN", "COPY", "RUN", "RUN"]);
    let run = &df.instructions[1];
    assert_eq!(run.heredocs[0].body.value, "apt-get update\napt-get install -y curl\n");
    assert_eq!(run.commands.len(), 2);
    assert_eq!(&s[run.commands[1].words[1].span.clone()], "install");
    let copy = &df.instructions[2];
    assert_eq!(copy.heredocs.len(), 2);
    assert!(copy.heredocs[0].strip_tabs && copy.heredocs[0].quoted);
    assert_eq!(copy.heredocs[1].body.value, "x\n");
    let (srcs, dest) = copy.sources_and_dest();
    assert!(srcs.is_empty());
    assert_eq!(dest.unwrap().value, "/etc/");
    assert_eq!(df.instructions[3].commands.len(), 1, "python body is not shell: {:?}", df.instructions[3].commands);
}

#[test]
fn unterminated_heredoc_points_at_marker() {
    let s = "FROM a:1\nRUN cat <<EOF > /x\nhello\n";
    let df = p(s);
    assert_eq!(errs(&df), ["heredoc `EOF` is never terminated"]);
    assert_eq!(&s[df.errors[0].span.clone().unwrap()], "<<EOF");
    assert_eq!(df.instructions.len(), 2);
}

#[test]
fn flags() {
    let s = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN --mount=type=secret,id=npm,target=/root/.npmrc --network=none npm ci\nCOPY --from=build --chown=app:app /out /app\n";
    let df = p(s);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.instructions[0].flag("platform").unwrap().value.as_deref(), Some("$BUILDPLATFORM"));
    assert_eq!(df.stages[0].image.text, "golang:1.22");
    assert!(df.instructions[1].has_secret_mount());
    assert_eq!(df.instructions[1].args_str(), "npm ci");
    assert_eq!(df.instructions[2].flag("from").unwrap().value.as_deref(), Some("build"));
    assert_eq!(&s[df.instructions[2].flags[1].span.clone()], "--chown=app:app");
}

#[test]
fn stages_and_args() {
    let s = "ARG BASE=python\nARG TAG=latest\nFROM ${BASE}:$TAG AS base\nFROM base AS test\nRUN pytest\nFROM $UNKNOWN\nARG TAG\n";
    let df = p(s);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.stages.len(), 3);
    assert_eq!(df.stages[0].image.text, "python:latest");
    assert_eq!(df.stages[0].image.tag.as_deref(), Some("latest"));
    assert_eq!(df.stages[1].parent, Some(0));
    assert_eq!(df.stages[1].instructions, 3..5);
    assert!(!df.stages[2].image.known);
    assert_eq!(df.instructions[6].stage, Some(2));
    assert_eq!(df.stage_ref("BASE").unwrap().index, 0);
}

#[test]
fn env_pairs() {
    let s = "FROM a:1\nENV A=1 B=\"two words\" \\\n    C=3\nENV LEGACY some value\nARG X\n";
    let df = p(s);
    let pairs = df.instructions[1].pairs();
    assert_eq!(pairs.len(), 3);
    assert_eq!(pairs[1].value.as_ref().unwrap().value, "two words");
    assert_eq!(&s[pairs[1].key_span.clone()], "B");
    assert_eq!(&s[pairs[2].span.clone()], "C=3");
    let legacy = df.instructions[2].pairs();
    assert_eq!(legacy[0].value.as_ref().unwrap().value, "some value");
    assert!(df.instructions[3].pairs()[0].value.is_none());
}

#[test]
fn onbuild_wraps_an_instruction() {
    let df = p("FROM a:1\nONBUILD COPY . /app\nONBUILD ONBUILD RUN x\n");
    let inner = df.instructions[1].onbuild.as_ref().unwrap();
    assert_eq!(inner.keyword, "COPY");
    assert_eq!(inner.words.len(), 2);
    assert_eq!(errs(&df), ["`ONBUILD` cannot trigger `ONBUILD`"]);
}

#[test]
fn errors_keep_parsing() {
    let s = "LABEL a=b\nFROM a:1\nRUNN echo\nCOPY . /app\nRUN echo \\";
    let df = p(s);
    assert_eq!(
        errs(&df),
        ["unknown instruction `RUNN`", "line continuation at the end of the file", "`LABEL` before the first `FROM`"]
    );
    assert_eq!(&s[df.errors[0].span.clone().unwrap()], "RUNN");
    assert_eq!(df.instructions.len(), 5);
    assert_eq!(errs(&p("")), ["the Dockerfile has no instructions"]);
    assert_eq!(errs(&p("# just a comment\n\n")), ["the Dockerfile has no instructions"]);
    assert_eq!(errs(&p("RUN echo\n")), ["`RUN` before the first `FROM`", "the Dockerfile has no `FROM` instruction"]);
    assert_eq!(errs(&p("FROM\n")), ["`FROM` has no arguments"]);
}

#[test]
fn hostile_inputs_do_not_panic() {
    let mut inputs: Vec<String> = vec![
        String::new(),
        "\u{feff}".into(),
        "\\".into(),
        "FROM a\nRUN [\"".into(),
        "FROM a\nRUN [\"\\u12\"]".into(),
        "FROM a\nRUN <<".into(),
        "FROM a\nRUN <<-\n".into(),
        "FROM a\nRUN <<'EOF\n".into(),
        "FROM a\nCOPY <<EOF\n".into(),
        "FROM a\nRUN echo \"unterminated\nRUN echo 'x\n".into(),
        "FROM a\nHEALTHCHECK CMD [\"x\"".into(),
        "FROM a\nHEALTHCHECK CMD".into(),
        "FROM a\nONBUILD".into(),
        "FROM a\nONBUILD \\\n".into(),
        "# escape=`\n`\n`".into(),
        "FROM ${\nFROM ${A:-\nFROM $".into(),
        "FROM é:${é}\nRUN é \\é\n\r\r\n".into(),
        "\r\n\r\n\r".into(),
        "FROM a\nRUN $(((((((((((((((((((((((".into(),
        "FROM a\nRUN echo `unterminated".into(),
        "FROM a\nENV =x ==y \"=\"\n".into(),
        "FROM a AS\nFROM a AS b c\nCOPY --from= . .\n".into(),
    ];
    let garbage: Vec<u8> = (0..20_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    inputs.push(String::from_utf8_lossy(&garbage).into_owned());
    inputs.push(format!("FROM a\nRUN {}", "(\"'`$({[\\".repeat(5_000)));
    inputs.push(format!("FROM a\nRUN echo {}\n", "x".repeat(1_000_000)));
    inputs.push(format!("FROM a\nRUN {}", "<<A ".repeat(2_000)));
    for s in &inputs {
        let df = parse(s);
        for e in &df.errors {
            if let Some(sp) = &e.span {
                assert!(sp.start <= sp.end && sp.end <= s.len(), "{sp:?} in {} bytes", s.len());
            }
        }
    }
}

#[test]
fn long_run_is_linear() {
    let mut s = String::from("FROM debian:12\nRUN set -eux \\\n");
    for i in 0..10_000 {
        s.push_str(&format!("  && echo line{i} | tee -a /tmp/log \\\n"));
    }
    s.push_str("  && true\n");
    let t = std::time::Instant::now();
    let df = parse(&s);
    assert_eq!(df.instructions[1].commands.len(), 20_002);
    assert!(t.elapsed().as_secs() < 5, "took {:?}", t.elapsed());
    let last = df.instructions[1].commands.last().unwrap();
    assert_eq!(&s[last.span.clone()], "true");
}

#[test]
fn a_value_flag_without_its_value_is_an_error() {
    let df =
        p("FROM nginx:1.27\nCOPY --from build /app/public/* /usr/share/nginx/html\nCOPY --link --from=build /a /b\n");
    assert_eq!(errs(&df), ["`--from` needs a value: Docker rejects the flag without `=`"]);
}

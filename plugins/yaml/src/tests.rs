use super::*;

fn slice<'a>(text: &'a str, span: &Range<usize>) -> &'a str {
    &text[span.clone()]
}

#[test]
fn spans_are_byte_offsets_with_non_ascii_text() {
    let text = "# café ☕\nnamé: \"żółw 🐢\"\nlist:\n  - ünïcödé\n  - key: värde\n";
    let s = parse(text);
    assert!(s.error.is_none(), "{:?}", s.error);
    let root = &s.docs[0].root;
    let e = root.entry("namé").unwrap();
    assert_eq!(slice(text, &e.key.span), "namé");
    assert_eq!(slice(text, &e.value.span), "\"żółw 🐢\"");
    assert_eq!(e.value.as_str(), Some("żółw 🐢"));
    assert_eq!(slice(text, &root.value_span("list[0]").unwrap()), "ünïcödé");
    assert_eq!(slice(text, &root.key_span("list[1].key").unwrap()), "key");
    assert_eq!(slice(text, &root.value_span("list[1].key").unwrap()), "värde");
    assert_eq!(line_col(text, root.value_span("list[1].key").unwrap().start), (5, 10));
}

#[test]
fn long_non_ascii_lines_map_past_checkpoints() {
    let text = format!("k: {}\nafter: ok\n", "é".repeat(300));
    let s = parse(&text);
    let root = &s.docs[0].root;
    assert_eq!(slice(&text, &root.value_span("after").unwrap()), "ok");
    assert_eq!(slice(&text, &root.key_span("after").unwrap()), "after");
}

#[test]
fn crlf_line_endings() {
    let text = "a: 1\r\nb:\r\n  c: two\r\n";
    let s = parse(text);
    let root = &s.docs[0].root;
    assert_eq!(slice(text, &root.value_span("b.c").unwrap()), "two");
}

#[test]
fn multi_document_streams() {
    let text = "---\nkind: A\n---\n# only a comment\n---\nkind: C\n...\n---\nkind: D\n";
    let s = parse(text);
    assert!(s.error.is_none());
    let kinds: Vec<_> = s.docs.iter().map(|d| d.root.str("kind")).collect();
    assert_eq!(kinds, [Some("A"), None, Some("C"), Some("D")]);
    assert_eq!(s.docs[3].index, 3);
    assert_eq!(slice(text, &s.docs[3].root.value_span("kind").unwrap()), "D");
}

#[test]
fn lists_and_paths() {
    let text = "kind: List\nitems:\n- kind: Service\n  metadata: {name: web}\n- kind: Deployment\n  spec:\n    template:\n      spec:\n        containers:\n        - name: app\n          image: nginx:1.25\n";
    let root = parse(text).docs.remove(0).root;
    assert_eq!(root.items().len(), 0);
    assert_eq!(root.get("items").unwrap().items().len(), 2);
    assert_eq!(root.str_at("items[0].metadata.name"), Some("web"));
    let image = root.at("items[1].spec.template.spec.containers[0].image").unwrap();
    assert_eq!(slice(text, &image.span), "nginx:1.25");
    assert!(root.at("items[2]").is_none());
    assert!(root.at("items[1].spec.nope").is_none());
}

#[test]
fn typed_getters() {
    let text = "a: true\nb: \"true\"\nc: 3\nd: \"8080\"\ne: ~\nf:\ng: off\nh: null\n";
    let root = parse(text).docs.remove(0).root;
    assert_eq!(root.bool_at("a"), Some(true));
    assert_eq!(root.bool_at("b"), None, "a quoted string is not a boolean");
    assert_eq!(root.i64_at("c"), Some(3));
    assert_eq!(root.i64_at("d"), Some(8080));
    assert!(root.get("e").unwrap().is_null() && root.get("f").unwrap().is_null());
    assert_eq!(root.str("e"), None);
    assert_eq!(root.bool_at("g"), Some(false));
    assert!(root.get("h").unwrap().is_null());
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let text = "base: &b\n  image: nginx\n  pull: Always\nx: *b\ny:\n  <<: *b\n  pull: Never\n";
    let root = parse(text).docs.remove(0).root;
    assert_eq!(root.str_at("x.image"), Some("nginx"));
    // The copy points at the anchored text.
    assert_eq!(slice(text, &root.value_span("x.image").unwrap()), "nginx");
    assert_eq!(root.str_at("y.pull"), Some("Never"));
    assert_eq!(root.str_at("y.image"), Some("nginx"));
    assert!(root.get("y").unwrap().get("<<").is_none());
}

#[test]
fn billion_laughs_is_bounded() {
    let mut text = String::from("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!("a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"));
    }
    let s = parse(&text);
    let err = s.error.expect("an error");
    assert_eq!(err.kind, ErrorKind::AliasExpansion);
    assert!(err.message.contains("billion laughs"));
    assert!(s.docs.is_empty());
    assert!(text[err.span.clone()].starts_with("*a"));
}

#[test]
fn small_alias_use_is_fine() {
    let text = "a: &a [1, 2]\nb: [*a, *a, *a]\n";
    let s = parse(text);
    assert!(s.error.is_none());
    assert_eq!(s.docs[0].root.get("b").unwrap().items().len(), 3);
}

#[test]
fn deep_block_nesting_is_an_error_not_an_overflow() {
    let mut text = String::new();
    for i in 0..5000 {
        text.push_str(&" ".repeat(i));
        text.push_str("k:\n");
    }
    let s = parse(&text);
    let err = s.error.expect("an error");
    assert_eq!(err.kind, ErrorKind::TooDeep);
    assert!(err.message.contains("nested more than 200 levels"), "{}", err.message);
}

#[test]
fn deep_flow_nesting_is_an_error_not_an_overflow() {
    let text = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let s = parse(&text);
    assert!(s.error.is_some());
    let text = format!("{}1{}", "{a: ".repeat(5000), "}".repeat(5000));
    assert!(parse(&text).error.is_some());
}

#[test]
fn deep_sequence_nesting_is_an_error() {
    let mut text = String::new();
    for i in 0..5000 {
        text.push_str(&"  ".repeat(i));
        text.push_str("-\n");
    }
    assert!(parse(&text).error.is_some());
}

#[test]
fn syntax_errors_keep_earlier_documents() {
    let text = "kind: A\n---\nkind: B\n  bad: [\n";
    let s = parse(text);
    assert_eq!(s.docs.len(), 1);
    let err = s.error.unwrap();
    assert_eq!(err.kind, ErrorKind::Syntax);
    assert!(err.span.start >= 12 && err.span.end <= text.len());
}

#[test]
fn path_segments_parse() {
    assert_eq!(
        path_segments("a.b[0][2].c"),
        [Segment::Key("a"), Segment::Key("b"), Segment::Index(0), Segment::Index(2), Segment::Key("c")]
    );
}

#[test]
fn block_collections_end_at_their_last_child() {
    let text = "a:\n  b: 1\n  c: [1, 2]\n\nd:\n  - x\n  - {y: z}\n\ne: 1\n";
    let root = parse(text).docs.remove(0).root;
    assert_eq!(slice(text, &root.value_span("a").unwrap()), "b: 1\n  c: [1, 2]");
    assert_eq!(slice(text, &root.value_span("a.c").unwrap()), "[1, 2]");
    assert_eq!(slice(text, &root.value_span("d").unwrap()), "- x\n  - {y: z}");
    assert_eq!(slice(text, &root.value_span("d[1]").unwrap()), "{y: z}");
}

/// What libyaml (PyYAML, Go's yaml) reads must read here too: the forked
/// scanner (plugins/vendor/saphyr-parser/PATCHES.md) ignores indentation inside
/// flow collections and quoted scalars, and takes a tab after `:`.
#[test]
fn indentation_as_lax_as_libyaml() {
    let ok = |text: &str| {
        let s = parse(text);
        assert!(s.error.is_none(), "{text:?}: {:?}", s.error);
        s.docs.into_iter().next().unwrap().root
    };
    // A flow sequence closed at its key's column (docker compose healthchecks).
    let root = ok("a:\n  test: [\n      \"CMD\",\n      \"x\"\n  ]\n  interval: 5s\n");
    assert_eq!(root.get("a").unwrap().get("test").unwrap().items().len(), 2);
    assert_eq!(root.str_at("a.interval"), Some("5s"));
    // Items at the key's column, and at column 0; flow mappings too.
    ok("a:\n  test: [\n  \"x\",\n  \"y\"\n  ]\n");
    ok("a:\n  test: [\n\"x\"\n]\n");
    ok("a:\n  b: {\n  x: 1\n}\n");
    ok("x:\n  - [a,\n  b]\n");
    ok("x:\n- a: [\n  1]\n");
    // Multi-line quoted scalars whose continuation lines are not indented; folded as libyaml does.
    assert_eq!(ok("a:\n  b: \"one\n  two\"\n").str_at("a.b"), Some("one two"));
    assert_eq!(ok("a:\n  b: 'one\ntwo'\n").str_at("a.b"), Some("one two"));
    assert_eq!(ok("a:\n  - \"x\n    y\"\n").str_at("a[0]"), Some("x y"));
    // A tab after the colon.
    let root = ok("a:\t1\nb:\t\tword\n");
    assert_eq!((root.str("a"), root.str("b")), (Some("1"), Some("word")));
}

/// What libyaml refuses stays refused (the fork is lax only where libyaml is).
#[test]
fn invalid_yaml_is_still_refused() {
    for text in ["a: b\n  c: d\n", "a:\n  - b\n - d\n", "a:\n\t- 1\n", "a: `x`\n", "a:\n  b: >\n    x\n   y\n"] {
        assert!(parse(text).error.is_some(), "{text:?} was read");
    }
}

#[test]
fn a_path_walked_as_read_is_its_segments() {
    let text = "a:\n  b:\n    - c: 1\n    - [x, {d: 2}]\n  e.f: 3\nk: [[4]]\n";
    let root = parse(text).docs.remove(0).root;
    let paths = [
        "",
        ".",
        "a",
        "a.b",
        "a.b[0]",
        "a.b[0].c",
        "a.b[1][1].d",
        "a.b[1][1]",
        "a.b[2]",
        "a.b[x]",
        "a.b[0",
        "a..b[0].c",
        "a.e.f",
        "k[0][0]",
        "k[0][1]",
        "[0]",
        "a.b[1][0]",
        "missing.path",
        "a.b.c",
    ];
    for p in paths {
        let walked = root.at(p).map(|n| n.span.clone());
        let split = root.at_segments(&path_segments(p)).map(|n| n.span.clone());
        assert_eq!(walked, split, "{p:?}");
    }
}

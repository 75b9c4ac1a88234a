//! `opslint server`: a Language Server over stdio. Open documents are checked
//! as one named run with their unsaved texts (repository-scope plugins still
//! read the rest of the repository, so a Service and its Deployment in two
//! files judge each other, and a change in one re-publishes the other's
//! diagnostics); the plugins' findings cache keeps unchanged files from
//! being checked again. Code actions apply a finding's fix or insert a
//! suppression comment with a reason to fill in; hover shows the rule's docs.
//! Unlike the rest of the library this module talks to its client directly:
//! the protocol is its output.
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;

use super::check;
use super::{Outcome, Session};
use crate::cli::{CheckArgs, Cli};
use crate::error::Error;
use crate::finding::{Finding, Severity};

/// Serves on stdin/stdout until the client says `exit`.
pub fn run(cli: &Cli) -> Result<Outcome, Error> {
    let (connection, io) = Connection::stdio();
    serve(&connection, cli)?;
    drop(connection);
    io.join().map_err(|e| Error::Internal(format!("language server I/O: {e}")))?;
    Ok(Outcome { stdout: String::new(), stderr: String::new(), code: 0 })
}

fn protocol(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("language server protocol: {e}"))
}

/// The whole conversation over one connection (tests use an in-memory one).
pub fn serve(conn: &Connection, cli: &Cli) -> Result<(), Error> {
    let caps = lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(lsp::TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(lsp::TextDocumentSyncKind::FULL),
            save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
            ..Default::default()
        })),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Simple(true)),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        ..Default::default()
    };
    let params = conn.initialize(serde_json::to_value(caps).map_err(protocol)?).map_err(protocol)?;
    let params: lsp::InitializeParams = serde_json::from_value(params).map_err(protocol)?;
    #[allow(deprecated)] // root_uri: older clients send only it
    let root = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| uri_path(&f.uri))
        .or_else(|| params.root_uri.as_ref().and_then(uri_path))
        .or_else(|| std::env::current_dir().ok())
        .ok_or_else(|| Error::Internal("no workspace folder and no working directory".into()))?;
    let watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);
    if watch {
        watch_config(conn)?;
    }
    let mut server = Server { cli, session: None, root, docs: BTreeMap::new() };
    server.reload(conn);
    loop {
        let Ok(msg) = conn.receiver.recv() else { return Ok(()) };
        let mut dirty = false;
        // Take everything already queued before checking: a burst of edits is checked once.
        let mut next = Some(msg);
        while let Some(msg) = next.take() {
            match msg {
                Message::Request(req) => {
                    if conn.handle_shutdown(&req).map_err(protocol)? {
                        return Ok(());
                    }
                    let resp = server.request(req);
                    conn.sender.send(Message::Response(resp)).map_err(protocol)?;
                }
                Message::Notification(n) => dirty |= server.notification(conn, n),
                Message::Response(_) => {}
            }
            next = conn.receiver.try_recv().ok();
        }
        if dirty {
            server.check(conn)?;
        }
    }
}

struct Doc {
    uri: lsp::Uri,
    text: String,
    /// Findings of the last check, by byte span into `text`.
    findings: Vec<Finding>,
}

struct Server<'c> {
    cli: &'c Cli,
    /// `None` while the configuration is broken (said to the client).
    session: Option<Session>,
    root: PathBuf,
    docs: BTreeMap<PathBuf, Doc>,
}

impl Server<'_> {
    /// (Re)loads configuration and plugins: at start and when `opslint.toml` changes.
    fn reload(&mut self, conn: &Connection) {
        self.session = match Session::open(self.cli, &self.root, Some(&self.root)) {
            Ok(s) => Some(s),
            Err(e) => {
                show(conn, lsp::MessageType::ERROR, &format!("opslint: {e}"));
                None
            }
        };
    }

    /// Handles a notification; true when the documents must be checked again.
    fn notification(&mut self, conn: &Connection, n: Notification) -> bool {
        use lsp::notification::Notification as _;
        match n.method.as_str() {
            lsp::notification::DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(n.params) else { return false };
                let Some(path) = uri_path(&p.text_document.uri) else { return false };
                let doc = Doc { uri: p.text_document.uri, text: p.text_document.text, findings: Vec::new() };
                self.docs.insert(path, doc);
                true
            }
            lsp::notification::DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(n.params) else { return false };
                let Some(doc) = uri_path(&p.text_document.uri).and_then(|path| self.docs.get_mut(&path)) else {
                    return false;
                };
                // Full sync: the last change holds the whole text.
                match p.content_changes.into_iter().last() {
                    Some(c) => {
                        doc.text = c.text;
                        true
                    }
                    None => false,
                }
            }
            lsp::notification::DidSaveTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidSaveTextDocumentParams>(n.params) else { return false };
                if uri_path(&p.text_document.uri).is_some_and(|p| is_config(&p)) {
                    self.reload(conn);
                }
                true
            }
            lsp::notification::DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(n.params) else { return false };
                if let Some(doc) = uri_path(&p.text_document.uri).and_then(|path| self.docs.remove(&path)) {
                    publish(conn, &doc.uri, Vec::new());
                }
                true
            }
            lsp::notification::DidChangeWatchedFiles::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeWatchedFilesParams>(n.params) else { return false };
                if p.changes.iter().any(|c| uri_path(&c.uri).is_some_and(|p| is_config(&p))) {
                    self.reload(conn);
                }
                true
            }
            _ => false,
        }
    }

    /// Checks every open document (unsaved texts included) and publishes their diagnostics.
    fn check(&mut self, conn: &Connection) -> Result<(), Error> {
        let Some(session) = &self.session else { return Ok(()) };
        // A buffer not yet saved to disk has no place in the repository walk.
        let paths: Vec<PathBuf> = self.docs.keys().filter(|p| p.exists()).cloned().collect();
        let mut found: HashMap<PathBuf, Vec<Finding>> = HashMap::new();
        if !paths.is_empty() {
            let texts = self.docs.iter().map(|(p, d)| (p.clone(), d.text.clone())).collect();
            let args = CheckArgs { paths, texts, ..CheckArgs::default() };
            match check::evaluate(session, &args) {
                Ok(ev) => {
                    let abs: HashMap<&str, &Path> =
                        ev.sources.iter().filter_map(|s| Some((s.display.as_str(), s.abs.as_deref()?))).collect();
                    for f in ev.findings.into_iter().filter(|f| f.suppression.is_none()) {
                        if let Some(p) = abs.get(f.path.as_str()) {
                            found.entry(p.to_path_buf()).or_default().push(f);
                        }
                    }
                }
                Err(e) => show(conn, lsp::MessageType::ERROR, &format!("opslint: {e}")),
            }
        }
        for (path, doc) in &mut self.docs {
            doc.findings = found.remove(path).unwrap_or_default();
            let diags = doc.findings.iter().map(|f| diagnostic(&doc.text, f)).collect();
            publish(conn, &doc.uri, diags);
        }
        Ok(())
    }

    fn request(&self, req: Request) -> Response {
        use lsp::request::Request as _;
        let id = req.id.clone();
        let result = match req.method.as_str() {
            lsp::request::CodeActionRequest::METHOD => {
                serde_json::from_value::<lsp::CodeActionParams>(req.params).ok().map(|p| self.code_actions(&p))
            }
            lsp::request::HoverRequest::METHOD => {
                serde_json::from_value::<lsp::HoverParams>(req.params).ok().map(|p| self.hover(&p))
            }
            _ => return unknown(id, &req.method),
        };
        match result {
            Some(value) => Response::new_ok(id, value),
            None => Response::new_err(id, lsp_server::ErrorCode::InvalidParams as i32, "invalid parameters".into()),
        }
    }

    fn doc(&self, uri: &lsp::Uri) -> Option<&Doc> {
        self.docs.get(&uri_path(uri)?)
    }

    /// The fixes of the findings in `range`, and a suppression comment for each.
    fn code_actions(&self, p: &lsp::CodeActionParams) -> serde_json::Value {
        let Some(doc) = self.doc(&p.text_document.uri) else { return serde_json::Value::Null };
        let mut actions: Vec<lsp::CodeActionOrCommand> = Vec::new();
        for f in doc.findings.iter().filter(|f| overlaps(&range(&doc.text, f), &p.range)) {
            let diag = diagnostic(&doc.text, f);
            if let Some(fix) = f.fix.as_ref().filter(|x| x.applicability != "display-only" && !x.edits.is_empty()) {
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| lsp::TextEdit {
                        range: lsp::Range {
                            start: position(&doc.text, e.start as usize),
                            end: position(&doc.text, e.end as usize),
                        },
                        new_text: e.replacement.clone(),
                    })
                    .collect();
                let caution = if fix.applicability == "safe" { "" } else { " (may change behaviour)" };
                actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title: format!("{}: {}{caution}", f.rule, fix.title),
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diag.clone()]),
                    edit: Some(workspace_edit(&doc.uri, edits)),
                    is_preferred: Some(fix.applicability == "safe"),
                    ..Default::default()
                }));
            }
            if f.rule.starts_with("opslint/") {
                // The host's own rules about suppressions cannot be suppressed.
                continue;
            }
            actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!("Suppress {} here (with a reason)", f.rule),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diag]),
                edit: Some(workspace_edit(&doc.uri, vec![suppression(&doc.uri, &doc.text, f)])),
                ..Default::default()
            }));
        }
        serde_json::to_value(actions).unwrap_or_default()
    }

    /// The docs of the rules whose findings cover the position.
    fn hover(&self, p: &lsp::HoverParams) -> serde_json::Value {
        let at = &p.text_document_position_params;
        let (Some(doc), Some(session)) = (self.doc(&at.text_document.uri), &self.session) else {
            return serde_json::Value::Null;
        };
        let here = lsp::Range { start: at.position, end: at.position };
        let mut rules: Vec<&str> =
            doc.findings.iter().filter(|f| overlaps(&range(&doc.text, f), &here)).map(|f| f.rule.as_str()).collect();
        rules.dedup();
        let docs: Vec<String> =
            rules.iter().filter_map(|r| session.catalog.get(r)).map(crate::report::rules::explain).collect();
        if docs.is_empty() {
            return serde_json::Value::Null;
        }
        let hover = lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: docs.join("\n---\n"),
            }),
            range: None,
        };
        serde_json::to_value(hover).unwrap_or_default()
    }
}

/// Asks the client to say when a configuration file changes, saved in the
/// editor or not (a `git checkout`, another editor).
fn watch_config(conn: &Connection) -> Result<(), Error> {
    use lsp::notification::Notification as _;
    use lsp::request::Request as _;
    let watchers = ["**/opslint.toml", "**/.opslint.toml"]
        .iter()
        .map(|g| lsp::FileSystemWatcher { glob_pattern: lsp::GlobPattern::String(g.to_string()), kind: None })
        .collect();
    let options = lsp::DidChangeWatchedFilesRegistrationOptions { watchers };
    let registration = lsp::Registration {
        id: "opslint-config".into(),
        method: lsp::notification::DidChangeWatchedFiles::METHOD.into(),
        register_options: serde_json::to_value(options).ok(),
    };
    let params = lsp::RegistrationParams { registrations: vec![registration] };
    let req = Request::new(
        RequestId::from("opslint-watch".to_string()),
        lsp::request::RegisterCapability::METHOD.into(),
        params,
    );
    conn.sender.send(Message::Request(req)).map_err(protocol)
}

fn unknown(id: RequestId, method: &str) -> Response {
    Response::new_err(id, lsp_server::ErrorCode::MethodNotFound as i32, format!("opslint does not answer `{method}`"))
}

fn is_config(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "opslint.toml" || n == ".opslint.toml")
}

fn show(conn: &Connection, typ: lsp::MessageType, message: &str) {
    use lsp::notification::Notification as _;
    let params = lsp::ShowMessageParams { typ, message: message.to_string() };
    let n = Notification::new(lsp::notification::ShowMessage::METHOD.to_string(), params);
    let _ = conn.sender.send(Message::Notification(n));
}

fn publish(conn: &Connection, uri: &lsp::Uri, diagnostics: Vec<lsp::Diagnostic>) {
    use lsp::notification::Notification as _;
    let params = lsp::PublishDiagnosticsParams { uri: uri.clone(), diagnostics, version: None };
    let n = Notification::new(lsp::notification::PublishDiagnostics::METHOD.to_string(), params);
    let _ = conn.sender.send(Message::Notification(n));
}

fn workspace_edit(uri: &lsp::Uri, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
    lsp::WorkspaceEdit { changes: Some(std::iter::once((uri.clone(), edits)).collect()), ..Default::default() }
}

fn diagnostic(text: &str, f: &Finding) -> lsp::Diagnostic {
    let severity = match f.severity {
        Severity::High | Severity::Medium => lsp::DiagnosticSeverity::ERROR,
        Severity::Low => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    };
    let message = match &f.help {
        Some(h) => format!("{}\nhelp: {h}", f.message),
        None => f.message.clone(),
    };
    lsp::Diagnostic {
        range: range(text, f),
        severity: Some(severity),
        code: Some(lsp::NumberOrString::String(f.rule.clone())),
        source: Some("opslint".into()),
        message,
        ..Default::default()
    }
}

/// A finding's range (a finding about the whole file: the start of the file).
fn range(text: &str, f: &Finding) -> lsp::Range {
    match &f.position {
        Some(p) => lsp::Range { start: position(text, p.start as usize), end: position(text, p.end as usize) },
        None => lsp::Range::default(),
    }
}

/// A byte offset as an LSP position: 0-based line, column in UTF-16 code units.
fn position(text: &str, offset: usize) -> lsp::Position {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    let line_start = text[..o].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..line_start].matches('\n').count();
    let character = text[line_start..o].encode_utf16().count();
    lsp::Position { line: line as u32, character: character as u32 }
}

fn overlaps(a: &lsp::Range, b: &lsp::Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// `# opslint: ignore[RULE] reason="…"` on the line above the finding (the
/// form every file type accepts), indented like that line; `ignore-file` at
/// the top for a finding about the whole file. `--` starts the comment in SQL.
fn suppression(uri: &lsp::Uri, text: &str, f: &Finding) -> lsp::TextEdit {
    let sql = uri.as_str().to_ascii_lowercase().ends_with(".sql");
    let mark = if sql { "--" } else { "#" };
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let reason = "reason=\"TODO: why this is accepted\"";
    let (at, line) = match &f.position {
        Some(p) => {
            let start = text[..(p.start as usize).min(text.len())].rfind('\n').map_or(0, |i| i + 1);
            let indent: String = text[start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
            (start, format!("{indent}{mark} opslint: ignore[{}] {reason}{nl}", f.rule))
        }
        None => (0, format!("{mark} opslint: ignore-file[{}] {reason}{nl}", f.rule)),
    };
    let pos = position(text, at);
    lsp::TextEdit { range: lsp::Range { start: pos, end: pos }, new_text: line }
}

/// The local path of a `file:` URI.
fn uri_path(uri: &lsp::Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///path` (empty host) or `file://localhost/path`.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).and_then(|b| hex(*b)), bytes.get(i + 2).and_then(|b| hex(*b))) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    let path = PathBuf::from(String::from_utf8(out).ok()?);
    path.is_absolute().then_some(path)
}

/// A `file:` URI for a local path.
#[cfg(test)]
fn path_uri(path: &Path) -> Option<lsp::Uri> {
    let mut s = String::from("file://");
    for b in path.to_str()?.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => s.push(b as char),
            _ => s.push_str(&format!("%{b:02X}")),
        }
    }
    std::str::FromStr::from_str(&s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_and_uris_round_trip() {
        let text = "a\nhé𝄞x\n";
        let x = text.find('x').unwrap();
        assert_eq!(position(text, x), lsp::Position { line: 1, character: 4 });
        let path = Path::new("/tmp/a b/Dockerfile");
        let uri = path_uri(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/Dockerfile");
        assert_eq!(uri_path(&uri).unwrap(), path);
    }
}

//! Read: every routed file once, as the text plugins and the renderer see.
use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::plan::Plan;
use crate::cli::CheckArgs;
use crate::config::Settings;
use crate::error::Error;
use crate::finding::Finding;
use crate::host_rules;
use crate::locate::Lines;
use crate::walk::Target;

/// A file's text as plugins and the renderer see it.
pub struct SourceFile {
    pub display: String,
    pub rel: String,
    pub text: String,
    /// blake3 of `text`: what the findings cache keys the text by, computed once.
    pub digest: [u8; 32],
    /// The file it is (for standard input: the file it is checked as); `None`: made by the host.
    pub abs: Option<PathBuf>,
    /// Read from standard input: never written back.
    pub stdin: bool,
    /// Read only so repository-scope plugins see the whole repository; its
    /// findings are not reported (the run names other files).
    pub extra: bool,
    /// Where its lines start, made once for every stage that locates findings.
    pub starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// The text's lines, their starts made at the first call.
    pub fn lines(&self) -> Lines<'_> {
        Lines::with_starts(&self.text, self.starts.get_or_init(|| crate::locate::line_starts(&self.text)))
    }
}

/// The files a run reads, each once.
pub(super) struct Read {
    pub sources: Vec<SourceFile>,
    /// Target index → index in `sources`.
    pub source_of: rustc_hash::FxHashMap<usize, usize>,
    /// What could not be read (or only in part), as findings: named files only.
    pub findings: Vec<Finding>,
}

/// Reads the targets `plan` wants, in parallel; `texts` (a later pass of
/// `--fix`) stands in for what is on disk.
pub(super) fn read_all(plan: &Plan, texts: &HashMap<PathBuf, String>) -> Read {
    let Plan { targets, named, settings, .. } = plan;
    let named = *named;
    let reads: Vec<(usize, Option<SourceFile>, Option<Finding>)> = plan
        .wanted
        .par_iter()
        .map(|&ti| {
            let (mut file, finding) = match texts.get(&targets[ti].abs) {
                // A later pass of `--fix`: the text as fixed so far.
                Some(text) => (Some(source(&targets[ti], text.clone())), None),
                None => read(&targets[ti], settings),
            };
            if let Some(f) = file.as_mut() {
                f.extra = ti >= named;
            }
            // A problem with a file the run did not name is not this run's to report.
            (ti, file, finding.filter(|_| ti < named))
        })
        .collect();
    let mut out = Read { sources: Vec::new(), source_of: Default::default(), findings: Vec::new() };
    for (ti, file, finding) in reads {
        out.findings.extend(finding);
        if let Some(f) = file {
            out.source_of.insert(ti, out.sources.len());
            out.sources.push(f);
        }
    }
    out
}

/// `check -`: the text comes from standard input, under `--stdin-filename`.
pub(super) fn read_stdin(args: &CheckArgs, settings: &Settings) -> Result<(String, Vec<u8>), Error> {
    use std::io::Read;
    let Some(name) = &args.stdin_filename else {
        return Err(Error::Usage {
            message: "`check -` reads standard input and needs `--stdin-filename`".into(),
            help: Some("name it as the file would be named, e.g. `--stdin-filename k8s/rendered.yaml`: the name decides which plugins read it".into()),
        });
    };
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(settings.max_file_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Io { path: "<stdin>".into(), message: e.to_string() })?;
    Ok((name.replace('\\', "/"), bytes))
}

/// Reads a routed file. Too large, binary or unreadable files are not
/// checked and become findings; invalid UTF-8 is reported and the file still
/// checked with the bad bytes replaced.
fn read(t: &Target, settings: &Settings) -> (Option<SourceFile>, Option<Finding>) {
    let skip = |rule: &str, msg: String| (None, host_rules::finding(settings, rule, &t.display, msg, None));
    let mut bytes = Vec::new();
    let opened = match &t.stdin {
        Some(b) => {
            bytes.extend_from_slice(b);
            Ok(b.len())
        }
        None => std::fs::File::open(&t.abs).and_then(|f| read_limited(f, settings.max_file_size + 1, &mut bytes)),
    };
    if let Err(e) = opened {
        return skip(host_rules::UNREADABLE_FILE, format!("cannot read `{}`: {e}", t.display));
    }
    if bytes.len() as u64 > settings.max_file_size {
        return skip(
            host_rules::FILE_TOO_LARGE,
            format!(
                "`{}` is larger than max-file-size ({} bytes) and was not checked",
                t.display, settings.max_file_size
            ),
        );
    }
    // UTF-16 text (Windows editors save it so) is text: its NUL bytes are half characters.
    let bytes = match utf16_text(&bytes) {
        Some(text) => text.into_bytes(),
        None => bytes,
    };
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return skip(host_rules::BINARY_FILE, format!("`{}` is a binary file and was not checked", t.display));
    }
    let (text, warning) = match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let pos = Lines::new(&lossy).position(at, at + 1);
            let msg = format!("`{}` is not valid UTF-8 (byte {at}); checked with the bad bytes replaced", t.display);
            (lossy, host_rules::finding(settings, host_rules::INVALID_UTF8, &t.display, msg, Some(pos)))
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    // The block `opslint maturity` writes into its report quotes the rubric's
    // words (RTO, restore…): no plugin may take it for the repository's own docs.
    let text = crate::maturity::block::blank(text);
    (Some(source(t, text)), warning)
}

/// Up to `limit` bytes of `f`. Most files fit the first read into a buffer
/// kept per thread, and are then copied out at their size: no stat for a
/// size hint (a tenth of the read stage's system calls on 10,000 files), no
/// doubling buffer.
fn read_limited(f: std::fs::File, limit: u64, bytes: &mut Vec<u8>) -> std::io::Result<usize> {
    use std::io::Read;
    const FIRST: usize = 64 << 10;
    thread_local! {
        static BUF: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; FIRST]);
    }
    let mut f = f.take(limit);
    let n = BUF.with_borrow_mut(|buf| -> std::io::Result<usize> {
        let n = loop {
            match f.read(buf) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                r => break r?,
            }
        };
        bytes.extend_from_slice(&buf[..n]);
        Ok(n)
    })?;
    // Zero: the end. Anything else: the rest, if any (a short read need not be the end).
    match n {
        0 => Ok(0),
        _ => Ok(n + f.read_to_end(bytes)?),
    }
}

fn source(t: &Target, text: String) -> SourceFile {
    SourceFile {
        display: t.display.clone(),
        rel: t.rel.clone(),
        digest: digest(&text),
        text,
        abs: Some(t.abs.clone()),
        stdin: t.stdin.is_some(),
        extra: false,
        starts: Default::default(),
    }
}

/// The digest of a source's text.
pub fn digest(text: &str) -> [u8; 32] {
    *blake3::hash(text.as_bytes()).as_bytes()
}

/// The text of a file that starts with a UTF-16 byte order mark (either
/// byte order), as UTF-8 with the mark kept (it is stripped like UTF-8's);
/// unpaired surrogates become U+FFFD.
fn utf16_text(bytes: &[u8]) -> Option<String> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = bytes.chunks(2).map(|p| match (p, little) {
        ([a, b], true) => u16::from_le_bytes([*a, *b]),
        ([a, b], false) => u16::from_be_bytes([*a, *b]),
        _ => 0xFFFD,
    });
    Some(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_whole_past_the_first_buffer_and_only_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        for len in [0usize, 1, 65_535, 65_536, 65_537, 300_000] {
            let text: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            let path = dir.path().join(format!("f{len}"));
            std::fs::write(&path, &text).unwrap();
            let mut bytes = Vec::new();
            let n = read_limited(std::fs::File::open(&path).unwrap(), 1 << 20, &mut bytes).unwrap();
            assert_eq!((n, &bytes), (len, &text), "{len} bytes");
            let mut cut = Vec::new();
            read_limited(std::fs::File::open(&path).unwrap(), 70_000, &mut cut).unwrap();
            assert_eq!(cut, text[..len.min(70_000)], "{len} bytes, limit 70,000");
        }
    }

    #[test]
    fn a_sources_line_starts_are_made_once_and_locate_like_a_fresh_index() {
        let t = Target { abs: PathBuf::from("/r/a.yaml"), rel: "a.yaml".into(), display: "a.yaml".into(), stdin: None };
        let s = source(&t, "a: 1\nbé: 2\n\nc: 3\n".to_string());
        assert!(s.starts.get().is_none());
        for offset in [0, 4, 5, 8, 12, 13, 17] {
            assert_eq!(s.lines().line_col(offset), Lines::new(&s.text).line_col(offset), "{offset}");
        }
        assert_eq!(s.starts.get().map(Vec::len), Some(5));
    }
}

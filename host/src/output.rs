//! Writing report and baseline files atomically: a temporary file in the same
//! directory, persisted (renamed) over the target, so a reader never sees half a file.
use std::io::Write;
use std::path::Path;

use crate::error::Error;

pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), Error> {
    let fail = |e: &dyn std::fmt::Display| Error::Io { path: path.display().to_string(), message: e.to_string() };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new().prefix(".opslint-").tempfile_in(dir).map_err(|e| fail(&e))?;
    tmp.write_all(contents).map_err(|e| fail(&e))?;
    tmp.as_file().sync_all().map_err(|e| fail(&e))?;
    tmp.persist(path).map_err(|e| fail(&e.error))?;
    Ok(())
}

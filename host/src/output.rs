//! Writing files atomically: a temporary file in the same directory, persisted
//! (renamed) over the target, so a reader never sees half a file. A file that
//! exists keeps its permissions (a fixed script stays executable); a new one
//! gets the usual ones (0666 less the umask), not the temporary file's 0600.
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), Error> {
    let fail = |e: &dyn std::fmt::Display| Error::Io { path: path.display().to_string(), message: e.to_string() };
    // Through a symbolic link: replace the file it points at, not the link.
    let path: PathBuf = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => path.canonicalize().map_err(|e| fail(&e))?,
        _ => path.to_path_buf(),
    };
    let existing = std::fs::metadata(&path).ok().map(|m| m.permissions());
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".opslint-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Given to open(2), so the umask applies as for any new file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(|e| fail(&e))?;
    tmp.write_all(contents).map_err(|e| fail(&e))?;
    if let Some(perms) = existing {
        tmp.as_file().set_permissions(perms).map_err(|e| fail(&e))?;
    }
    tmp.as_file().sync_all().map_err(|e| fail(&e))?;
    tmp.persist(&path).map_err(|e| fail(&e.error))?;
    Ok(())
}

//! Atomic file writes: an export either replaces its target whole or leaves nothing behind.
//!
//! The bytes go to a temporary file in the destination folder (same file system, so the
//! rename is atomic), are flushed to disk, and the file is renamed over the target. A failure
//! at any step removes the temporary file. Input files are never written over.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::ExportError;

/// The canonical form of a path that may not exist yet: its folder canonicalised, its name
/// kept (and the file itself canonicalised when it exists, so links are seen through).
fn canonical_target(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = fs::canonicalize(path) {
        return Some(p);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(fs::canonicalize(parent).ok()?.join(name))
}

/// True when writing `target` would replace one of `inputs` (compared as canonical paths).
pub fn would_overwrite(target: &Path, inputs: &[PathBuf]) -> bool {
    let Some(t) = canonical_target(target) else {
        return false;
    };
    inputs
        .iter()
        .filter_map(|i| fs::canonicalize(i).ok())
        .any(|i| i == t)
}

fn io_error(path: &Path, source: std::io::Error) -> ExportError {
    ExportError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Removes the temporary file unless it was renamed.
struct TempGuard {
    path: PathBuf,
    armed: bool,
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Writes `bytes` to `target` atomically, refusing to replace any of `inputs`
/// ([`ExportError::WouldOverwriteInput`]). A failed write leaves neither the target changed
/// nor a temporary file behind.
pub fn write_atomic(target: &Path, bytes: &[u8], inputs: &[PathBuf]) -> Result<(), ExportError> {
    if would_overwrite(target, inputs) {
        return Err(ExportError::WouldOverwriteInput(
            target.display().to_string(),
        ));
    }
    let name = target
        .file_name()
        .ok_or_else(|| {
            io_error(
                target,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
            )
        })?
        .to_string_lossy()
        .into_owned();
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if target.is_dir() {
        return Err(io_error(
            target,
            std::io::Error::new(std::io::ErrorKind::IsADirectory, "it is a folder"),
        ));
    }

    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let (tmp_path, file) = loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_error(target, e)),
        }
    };
    let mut guard = TempGuard {
        path: tmp_path,
        armed: true,
    };
    write_and_sync(file, bytes).map_err(|e| io_error(target, e))?;
    fs::rename(&guard.path, target).map_err(|e| io_error(target, e))?;
    guard.armed = false;
    // Make the rename itself durable (best effort: not every platform can open a folder).
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn write_and_sync(mut file: File, bytes: &[u8]) -> std::io::Result<()> {
    file.write_all(bytes)?;
    file.flush()?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("fig.png");
        write_atomic(&out, b"one", &[]).expect("write");
        write_atomic(&out, b"two", &[]).expect("rewrite");
        assert_eq!(fs::read(&out).expect("read"), b"two");
        assert_eq!(entries(dir.path()), vec!["fig.png"]);
    }

    #[test]
    fn refuses_to_overwrite_an_input() {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = dir.path().join("p.ron");
        fs::write(&input, "keep").expect("write");
        // The same file named another way.
        let other_name = dir.path().join(".").join("p.ron");
        let err = write_atomic(&other_name, b"x", std::slice::from_ref(&input)).unwrap_err();
        assert!(matches!(err, ExportError::WouldOverwriteInput(_)), "{err}");
        assert_eq!(fs::read_to_string(&input).expect("read"), "keep");
        assert_eq!(entries(dir.path()), vec!["p.ron"]);
    }

    #[test]
    fn failure_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("tempdir");
        // The target is a folder: the rename cannot happen.
        let target = dir.path().join("taken");
        fs::create_dir(&target).expect("mkdir");
        assert!(write_atomic(&target, b"x", &[]).is_err());
        assert_eq!(entries(dir.path()), vec!["taken"]);
        // A missing folder fails without creating anything.
        let missing = dir.path().join("no/such/folder/f.png");
        assert!(matches!(
            write_atomic(&missing, b"x", &[]),
            Err(ExportError::Io { .. })
        ));
        assert_eq!(entries(dir.path()), vec!["taken"]);
    }
}

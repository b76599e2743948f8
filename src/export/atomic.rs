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

/// A set of files by their canonical paths (links resolved), for asking which one an
/// output would replace. Paths that do not exist are left out (nothing to replace).
#[derive(Debug, Default)]
pub struct CanonicalSet {
    index: std::collections::HashMap<PathBuf, usize>,
}

impl CanonicalSet {
    /// The set of `paths`, each resolved once.
    pub fn new<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Self {
        let mut index = std::collections::HashMap::new();
        for (i, p) in paths.into_iter().enumerate() {
            if let Ok(c) = fs::canonicalize(p) {
                index.entry(c).or_insert(i);
            }
        }
        CanonicalSet { index }
    }

    /// The position (in the order given) of the file `target` would replace, if any.
    pub fn position(&self, target: &Path) -> Option<usize> {
        self.index.get(&canonical_target(target)?).copied()
    }
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
        let tmp = dir.join(temp_name(&name, std::process::id(), n));
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

/// The temporary file's name for the final `name`: `.NAME.PID-N.tmp`, with NAME cut (at a
/// character boundary) so the whole is never longer than `name` itself when that is long.
/// A name the file system accepts thus always leaves room for its temporary file (a
/// 244-byte name used to fail with "File name too long").
fn temp_name(name: &str, pid: u32, n: u64) -> String {
    let suffix = format!(".{pid}-{n}.tmp");
    // Short names may grow (no file system limits names to a few dozen bytes); long ones
    // give up as much of their stem as the suffix and the leading dot need.
    let budget = name.len().max(2 * suffix.len() + 8);
    let room = budget.saturating_sub(suffix.len() + 1);
    let mut cut = name.len().min(room);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(".{}{suffix}", &name[..cut])
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
    fn the_longest_legal_names_can_be_written() {
        // 80 CJK letters + ".png" is 244 bytes: legal, but its temporary file was ~15 bytes
        // longer and failed with "File name too long".
        let dir = tempfile::tempdir().expect("tempdir");
        for name in [
            format!("{}.png", "患".repeat(80)),
            format!("{}.svg", "a".repeat(251)),
        ] {
            let out = dir.path().join(&name);
            write_atomic(&out, b"fig", &[]).unwrap_or_else(|e| panic!("{} bytes: {e}", name.len()));
            assert_eq!(fs::read(&out).expect("read"), b"fig");
        }
        assert_eq!(entries(dir.path()).len(), 2);
    }

    #[test]
    fn temp_names_are_never_longer_than_a_long_final_name() {
        for name in ["a.png", &"x".repeat(40), &"患".repeat(85), &"é".repeat(127)] {
            for (pid, n) in [(1, 0), (4_194_304, u64::MAX)] {
                let t = temp_name(name, pid, n);
                assert!(t.starts_with('.') && t.ends_with(".tmp"), "{t}");
                if name.len() >= 100 {
                    assert!(t.len() <= name.len(), "{} > {}", t.len(), name.len());
                }
            }
        }
        assert_eq!(temp_name("fig.png", 7, 3), ".fig.png.7-3.tmp");
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

//! Watching the open file and the images it shows: each file's parent folder is watched
//! (editors and image tools replace files by rename), events are filtered to the files and
//! debounced, then the viewer reloads.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

/// How long the files must be quiet before they are reloaded.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// At most this many folders are watched (a timeline naming images in hundreds of folders
/// reloads on changes to the first ones only).
pub const MAX_FOLDERS: usize = 32;

/// A watch on some files.
pub struct FileWatch {
    _watcher: notify::RecommendedWatcher,
    rx: Receiver<()>,
    pending: Option<Instant>,
    files: Vec<PathBuf>,
}

impl FileWatch {
    /// Watches `files` (the timeline first, then its images); `wake` is called (from the
    /// watcher's thread) on every change, so the UI can poll [`FileWatch::due`].
    pub fn new(files: &[PathBuf], wake: impl Fn() + Send + 'static) -> notify::Result<Self> {
        // (folder, name) of each file, the folder resolved as the watcher reports it.
        let targets: BTreeSet<(PathBuf, OsString)> = files
            .iter()
            .filter_map(|f| {
                let f = canonical(f);
                let name = f.file_name()?.to_os_string();
                let dir = f
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| PathBuf::from("."));
                Some((dir, name))
            })
            .collect();
        let dirs: BTreeSet<PathBuf> = targets.iter().map(|(d, _)| d.clone()).collect();
        let wanted = targets.clone();
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
            let Ok(ev) = ev else { return };
            if matches!(ev.kind, notify::EventKind::Access(_)) {
                return;
            }
            let hit = ev.paths.iter().any(|p| match (p.parent(), p.file_name()) {
                (Some(d), Some(n)) => wanted.contains(&(d.to_path_buf(), n.to_os_string())),
                _ => false,
            });
            if hit && tx.send(()).is_ok() {
                wake();
            }
        })?;
        // The timeline's own folder is first in `files`: it must be watched.
        let first = targets
            .iter()
            .find(|(_, n)| Some(n.as_os_str()) == files.first().and_then(|f| f.file_name()))
            .map(|(d, _)| d.clone());
        let mut watched = 0;
        for d in first
            .iter()
            .chain(dirs.iter().filter(|d| Some(*d) != first.as_ref()))
        {
            if watched >= MAX_FOLDERS {
                break;
            }
            // A missing image's folder may not exist: watch the rest.
            if watcher.watch(d, RecursiveMode::NonRecursive).is_ok() {
                watched += 1;
            } else if Some(d) == first.as_ref() {
                watcher.watch(d, RecursiveMode::NonRecursive)?;
            }
        }
        Ok(FileWatch {
            _watcher: watcher,
            rx,
            pending: None,
            files: files.to_vec(),
        })
    }

    /// The files watched, as given.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// True once, when a file changed and then stayed quiet for [`DEBOUNCE`]. Otherwise
    /// returns how long to wait before asking again (`None`: nothing pending).
    pub fn due(&mut self, now: Instant) -> Result<bool, Option<Duration>> {
        while self.rx.try_recv().is_ok() {
            self.pending = Some(now);
        }
        match self.pending {
            Some(t) if now.duration_since(t) >= DEBOUNCE => {
                self.pending = None;
                Ok(true)
            }
            Some(t) => Err(Some(DEBOUNCE - now.duration_since(t))),
            None => Err(None),
        }
    }
}

fn canonical(p: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    // A file not there yet (a missing image): its folder resolved, its name kept.
    match (p.parent(), p.file_name()) {
        (Some(d), Some(n)) if !d.as_os_str().is_empty() => std::fs::canonicalize(d)
            .map(|d| d.join(n))
            .unwrap_or_else(|_| p.to_path_buf()),
        _ => p.to_path_buf(),
    }
}

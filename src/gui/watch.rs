//! Watching the open file: the parent folder is watched (editors replace files by
//! rename), events are filtered to the file and debounced, then the viewer reloads.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

/// How long the file must be quiet before it is reloaded.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// A watch on one file.
pub struct FileWatch {
    _watcher: notify::RecommendedWatcher,
    rx: Receiver<()>,
    pending: Option<Instant>,
}

impl FileWatch {
    /// Watches `path`; `wake` is called (from the watcher's thread) on every change, so the
    /// UI can poll [`FileWatch::due`].
    pub fn new(path: &Path, wake: impl Fn() + Send + 'static) -> notify::Result<Self> {
        let target = canonical(path);
        let name = target.file_name().map(|n| n.to_os_string());
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
            let Ok(ev) = ev else { return };
            if matches!(ev.kind, notify::EventKind::Access(_)) {
                return;
            }
            let hit = ev
                .paths
                .iter()
                .any(|p| p.file_name().map(|n| n.to_os_string()) == name);
            if hit && tx.send(()).is_ok() {
                wake();
            }
        })?;
        let dir = target
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        watcher.watch(&dir, RecursiveMode::NonRecursive)?;
        Ok(FileWatch {
            _watcher: watcher,
            rx,
            pending: None,
        })
    }

    /// True once, when the file changed and then stayed quiet for [`DEBOUNCE`]. Otherwise
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
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

//! The desktop viewer (feature `gui`): paints the scene with egui, never decides geometry.
//!
//! - [`state`]: the document, settings and [`Command`]s, without egui;
//! - [`paint`]: a [`crate::scene::Scene`] painted 1:1 as egui shapes;
//! - [`app`]: the window (menus, panels, canvas, export dialog);
//! - [`file_chooser`]: the in-window file chooser, where the desktop has no dialog;
//! - [`keys`]: the one table of keyboard shortcuts;
//! - [`watch`]: reload when the file changes on disk.

pub mod app;
pub mod file_chooser;
pub mod keys;
pub mod paint;
pub mod state;
pub mod watch;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub use app::{ScreenshotJob, ViewerApp};
pub use state::Command;

use eframe::egui;

/// The window size used for `--screenshot` (and the default window size).
pub const WINDOW_SIZE: [f32; 2] = [1600.0, 1000.0];

/// How the viewer window is opened.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The file to open.
    pub file: Option<PathBuf>,
    /// Render the window, save a screenshot of it to this PNG and exit.
    pub screenshot: Option<PathBuf>,
    /// The window's inner size in points (default [`WINDOW_SIZE`]).
    pub window_size: Option<[f32; 2]>,
    /// Wait this long before the screenshot (so a script can press keys or click first).
    pub screenshot_delay: std::time::Duration,
}

/// Opens the viewer window, on `file` when given. With `screenshot`, renders the window,
/// saves a screenshot of it to that path and exits.
pub fn run(opts: RunOptions) -> anyhow::Result<()> {
    let RunOptions {
        file,
        screenshot,
        window_size,
        screenshot_delay,
    } = opts;
    let result = Arc::new(Mutex::new(None));
    let job = screenshot.clone().map(|p| {
        let mut j = ScreenshotJob::new(p, result.clone());
        j.delay = screenshot_delay;
        j
    });
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("txline")
        .with_inner_size(window_size.unwrap_or(WINDOW_SIZE))
        .with_min_inner_size([640.0, 400.0])
        .with_drag_and_drop(true)
        .with_app_id("txline")
        // No icon rather than egui's logo.
        .with_icon(egui::IconData::default());
    if screenshot.is_some() {
        viewport = viewport.with_resizable(false);
    }
    let options = eframe::NativeOptions {
        viewport,
        renderer: eframe::Renderer::Glow,
        persist_window: screenshot.is_none(),
        ..Default::default()
    };
    eframe::run_native(
        "txline",
        options,
        Box::new(move |cc| {
            Ok(Box::new(ViewerApp::new(
                &cc.egui_ctx,
                cc.storage,
                file,
                job,
            )))
        }),
    )
    .map_err(|e| {
        anyhow::anyhow!(
            "could not open the viewer window: {e}; without a display (e.g. over ssh) use \
             `txline export` or `txline check`, which need no window"
        )
    })?;
    if let Some(path) = screenshot {
        let r = result.lock().ok().and_then(|mut g| g.take());
        match r {
            Some(Ok(())) => {}
            Some(Err(e)) => anyhow::bail!("screenshot failed: {e}"),
            None => anyhow::bail!(
                "screenshot failed: the window closed before {} was written",
                path.display()
            ),
        }
    }
    Ok(())
}

//! The desktop viewer (feature `gui`): paints the scene with egui, never decides geometry.

use std::path::PathBuf;

/// Opens the viewer window, on `file` when given. With `screenshot`, renders the window,
/// saves a screenshot of it to that path and exits.
pub fn run(file: Option<PathBuf>, screenshot: Option<PathBuf>) -> anyhow::Result<()> {
    let _ = (file, screenshot);
    anyhow::bail!("the viewer is not built yet")
}

//! `--screenshot`: render the window, save it as a PNG, close.

use super::*;

/// With `--screenshot` on a cohort: the tab to show (`swimmer`, `spider`, `waterfall`).
pub const SCREENSHOT_TAB: &str = "TXLINE_SCREENSHOT_TAB";

/// A `--screenshot` request: render, save the window, close.
pub struct ScreenshotJob {
    /// Where to write the PNG.
    pub path: PathBuf,
    /// Filled when done: `Ok` or why it failed. Read by [`super::run`] after the window closed.
    pub result: Arc<Mutex<Option<Result<(), String>>>>,
    /// How long to wait before capturing (so a script can press keys first).
    pub delay: Duration,
    started: Instant,
    frames: u32,
    requested: bool,
}

impl ScreenshotJob {
    /// A job writing to `path`.
    pub fn new(path: PathBuf, result: Arc<Mutex<Option<Result<(), String>>>>) -> Self {
        ScreenshotJob {
            path,
            result,
            delay: Duration::ZERO,
            started: Instant::now(),
            frames: 0,
            requested: false,
        }
    }

    pub(super) fn finish(&self, r: Result<(), String>) {
        if let Ok(mut g) = self.result.lock()
            && g.is_none()
        {
            *g = Some(r);
        }
    }

    pub(super) fn done(&self) -> bool {
        self.result.lock().map(|g| g.is_some()).unwrap_or(true)
    }
}

impl ViewerApp {
    pub(super) fn screenshot_step(&mut self, ctx: &egui::Context) {
        let Some(job) = &mut self.screenshot else {
            return;
        };
        if job.done() {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        job.frames += 1;
        if job.frames == 1
            && let Ok(name) = std::env::var(SCREENSHOT_TAB)
            && let Some(&tab) = CohortTab::ALL.iter().find(|t| t.name() == name)
        {
            // A cohort's other figures, for scripts and CI.
            self.queue.push(Command::SetCohortTab(tab));
        }
        if job.started.elapsed() > job.delay + Duration::from_secs(20) {
            job.finish(Err("timed out waiting for the window to render".into()));
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        // A cohort with nothing to draw shows its note: that is what there is to see.
        let list = self.cohort_note.is_some();
        let waited = job.started.elapsed() >= job.delay;
        match &self.doc {
            // The start screen (or whatever a script opened by then).
            None => {}
            Some(d) if d.timeline.is_none() && d.cohort.is_none() => {
                let msg = d
                    .problems
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("\n");
                job.finish(Err(msg));
                return;
            }
            _ => {}
        }
        if let Some(e) = &self.layout_error
            && self.cached.is_none()
        {
            job.finish(Err(e.clone()));
            return;
        }
        // A few frames so the window has its final size and textures are uploaded.
        // (A cohort figure with nothing to draw is shown with its note.)
        let shown = self.doc.is_none() || self.cached.is_some() || list;
        if job.frames >= 4 && waited && shown && !job.requested {
            job.requested = true;
            let path = job.path.clone();
            let result = job.result.clone();
            let ctx2 = ctx.clone();
            ctx.request_screenshot(move |img| {
                let r = save_png(&path, &img);
                if let Ok(mut g) = result.lock() {
                    *g = Some(r);
                }
                ctx2.request_repaint();
            });
        }
        ctx.request_repaint_after(Duration::from_millis(50));
    }
}

/// Writes an egui screenshot as PNG.
pub(super) fn save_png(path: &std::path::Path, img: &egui::ColorImage) -> Result<(), String> {
    let [w, h] = img.size;
    let mut rgba = Vec::with_capacity(w * h * 4);
    for c in &img.pixels {
        rgba.extend_from_slice(&c.to_srgba_unmultiplied());
    }
    let buf = image::RgbaImage::from_raw(w as u32, h as u32, rgba)
        .ok_or("screenshot has the wrong number of pixels")?;
    buf.save_with_format(path, image::ImageFormat::Png)
        .map_err(|e| format!("could not write {}: {e}", path.display()))
}

//! What the viewer's kittest suites share: waiting for the image a copy puts on the clipboard.

use eframe::egui;
use egui_kittest::Harness;
use txline::gui::ViewerApp;

/// Steps the viewer until it puts an image on the clipboard (the copy renders in the
/// background), for at most 20 s; `None` if it never does.
pub fn copied_image(h: &mut Harness<'_, ViewerApp>) -> Option<egui::ColorImage> {
    let t0 = std::time::Instant::now();
    while t0.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
        let copied = h
            .output()
            .platform_output
            .commands
            .iter()
            .find_map(|c| match c {
                egui::OutputCommand::CopyImage(img) => Some(img.clone()),
                _ => None,
            });
        if copied.is_some() {
            return copied;
        }
    }
    None
}

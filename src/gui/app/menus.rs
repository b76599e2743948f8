//! The menu bar (File, Edit, View, Help; F10 opens File) and Help ▸ Keyboard shortcuts,
//! both with the keys of [`crate::gui::keys::table`].

use super::*;
use crate::gui::keys;

/// A menu item running `command`, its shortcut shown from the one table.
fn item(ui: &mut egui::Ui, q: &mut Vec<Command>, enabled: bool, label: &str, command: Command) {
    let mut b = egui::Button::new(label);
    if let Some(k) = keys::key_of(&command) {
        b = b.shortcut_text(ui.ctx().format_shortcut(&k));
    }
    if ui.add_enabled(enabled, b).clicked() {
        q.push(command);
    }
}

impl ViewerApp {
    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let has_fig = self.has_figure();
        let zooms = has_fig && self.zooms();
        let can_back = self.cohort().is_some() && self.cohort_shown().is_none();
        let has_doc = self.doc.is_some();
        let q = &mut self.queue;
        let recent = &self.recent;
        let view = &self.view;
        let side = self.side_panel;
        let bar = egui::MenuBar::new().ui(ui, |ui| {
            let file = ui.menu_button("File", |ui| {
                item(ui, q, true, "Open…", Command::OpenDialog);
                item(ui, q, true, "Open folder…", Command::OpenFolderDialog);
                ui.menu_button("Open recent", |ui| {
                    if recent.files.is_empty() {
                        ui.label("No recent files");
                    }
                    for f in &recent.files {
                        if ui.button(f.display().to_string()).clicked() {
                            q.push(Command::Open(f.clone()));
                        }
                    }
                });
                item(ui, q, has_doc, "Reload", Command::Reload);
                ui.separator();
                item(ui, q, has_fig, "Export…", Command::ShowExport(true));
                ui.separator();
                item(ui, q, has_doc, "Close", Command::Close);
                item(ui, q, true, "Quit", Command::Quit);
            });
            ui.menu_button("Edit", |ui| {
                item(ui, q, has_fig, "Copy figure", Command::CopyFigure);
            });
            ui.menu_button("View", |ui| {
                item(ui, q, can_back, "Back to the cohort", Command::Back);
                item(ui, q, zooms, "Fit to window", Command::FitToWindow);
                item(ui, q, zooms, "Zoom in", Command::Zoom(keys::ZOOM_STEP));
                item(
                    ui,
                    q,
                    zooms,
                    "Zoom out",
                    Command::Zoom(1.0 / keys::ZOOM_STEP),
                );
                let mut b = egui::Button::new("Side panel").selected(side);
                if let Some(k) = keys::key_of(&Command::ToggleSidePanel) {
                    b = b.shortcut_text(ui.ctx().format_shortcut(&k));
                }
                if ui.add_enabled(has_fig, b).clicked() {
                    q.push(Command::ToggleSidePanel);
                }
                ui.separator();
                for &a in AxisMode::ALL {
                    if ui
                        .radio(view.axis == a, format!("Axis: {}", a.name()))
                        .clicked()
                    {
                        q.push(Command::SetAxis(a));
                    }
                }
                ui.separator();
                for &t in ThemeKind::ALL {
                    if ui
                        .radio(view.theme == t, format!("Theme: {}", t.name()))
                        .clicked()
                    {
                        q.push(Command::SetTheme(t));
                    }
                }
            });
            ui.menu_button("Help", |ui| {
                item(
                    ui,
                    q,
                    true,
                    "Keyboard shortcuts",
                    Command::ShowShortcuts(true),
                );
            });
            file.response.id
        });
        let file_id = bar.inner;
        if std::mem::take(&mut self.open_menu) {
            // The id `Popup::menu` gives the File button's menu (`Popup::default_response_id`).
            egui::Popup::open_id(ui.ctx(), file_id.with("popup"));
            ui.ctx().memory_mut(|m| m.request_focus(file_id));
            ui.ctx().request_repaint();
        }
    }

    /// Help ▸ Keyboard shortcuts: every key of the table, then the mouse.
    pub(super) fn shortcuts_window(&mut self, ctx: &egui::Context) {
        if !self.show_shortcuts {
            return;
        }
        let mut open = true;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| {
                egui::Grid::new("keys")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        let mut last = "";
                        for s in keys::table() {
                            if s.what == last {
                                continue; // a second key for the same thing (+ and =)
                            }
                            last = s.what;
                            ui.label(
                                RichText::new(ctx.format_shortcut(&s.key))
                                    .monospace()
                                    .strong(),
                            );
                            ui.label(s.what);
                            ui.end_row();
                        }
                        for (m, what) in keys::MOUSE {
                            ui.label(RichText::new(*m).monospace().strong());
                            ui.label(*what);
                            ui.end_row();
                        }
                    });
            });
        if !open {
            self.show_shortcuts = false;
        }
    }
}

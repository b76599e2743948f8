//! The menu bar.

use super::*;

impl ViewerApp {
    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let has_fig = self.timeline().is_some();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui
                    .add(egui::Button::new("Open…").shortcut_text(ui.ctx().format_shortcut(&OPEN)))
                    .clicked()
                {
                    self.queue.push(Command::OpenDialog);
                }
                ui.menu_button("Open recent", |ui| {
                    if self.recent.files.is_empty() {
                        ui.label("No recent files");
                    }
                    for f in self.recent.files.clone() {
                        if ui.button(f.display().to_string()).clicked() {
                            self.queue.push(Command::Open(f));
                        }
                    }
                });
                if ui
                    .add_enabled(
                        self.doc.is_some(),
                        egui::Button::new("Reload")
                            .shortcut_text(ui.ctx().format_shortcut(&RELOAD)),
                    )
                    .clicked()
                {
                    self.queue.push(Command::Reload);
                }
                ui.separator();
                if ui
                    .add_enabled(
                        has_fig,
                        egui::Button::new("Export…")
                            .shortcut_text(ui.ctx().format_shortcut(&EXPORT)),
                    )
                    .clicked()
                {
                    self.queue.push(Command::ShowExport(true));
                }
                ui.separator();
                if ui
                    .add_enabled(self.doc.is_some(), egui::Button::new("Close"))
                    .clicked()
                {
                    self.queue.push(Command::Close);
                }
                if ui
                    .add(egui::Button::new("Quit").shortcut_text(ui.ctx().format_shortcut(&QUIT)))
                    .clicked()
                {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("Edit", |ui| {
                if ui
                    .add_enabled(
                        has_fig,
                        egui::Button::new("Copy figure")
                            .shortcut_text(ui.ctx().format_shortcut(&COPY)),
                    )
                    .clicked()
                {
                    self.queue.push(Command::CopyFigure);
                }
            });
            ui.menu_button("View", |ui| {
                if ui
                    .add_enabled(
                        has_fig,
                        egui::Button::new("Fit to window")
                            .shortcut_text(ui.ctx().format_shortcut(&FIT)),
                    )
                    .clicked()
                {
                    self.queue.push(Command::FitToWindow);
                }
                ui.separator();
                for a in AxisMode::ALL {
                    if ui
                        .radio(self.view.axis == a, format!("Axis: {}", a.name()))
                        .clicked()
                    {
                        self.queue.push(Command::SetAxis(a));
                    }
                }
                ui.separator();
                for t in ThemeKind::ALL {
                    if ui
                        .radio(self.view.theme == t, format!("Theme: {}", t.name()))
                        .clicked()
                    {
                        self.queue.push(Command::SetTheme(t));
                    }
                }
            });
        });
    }
}

//! The side panel, the problems panel, the status bar and the start screen.

use super::*;

impl ViewerApp {
    pub(super) fn side_panel(&mut self, ui: &mut egui::Ui) {
        if !self.side_panel {
            return;
        }
        if self.cohort_shown().is_some() {
            egui::Panel::left("side")
                .default_size(260.0)
                .resizable(true)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| self.cohort_panel(ui));
                });
            return;
        }
        let Some(tl) = self.timeline().cloned() else {
            return;
        };
        let lanes = self
            .doc
            .as_ref()
            .map_or_else(|| Arc::from([]), |d| Arc::clone(&d.lanes));
        egui::Panel::left("side")
            .default_size(260.0)
            .resizable(true)
            .show(ui, |ui| {
                if self.cohort().is_some() {
                    let mut b = egui::Button::new(BACK);
                    if let Some(k) = crate::gui::keys::key_of(&Command::Back) {
                        b = b.shortcut_text(ui.ctx().format_shortcut(&k));
                    }
                    if ui.add(b).clicked() {
                        self.queue.push(Command::Back);
                    }
                }
                egui::ScrollArea::vertical().show(ui, |ui| {
                    ui.heading(&tl.patient.label);
                    egui::Grid::new("patient").num_columns(2).show(ui, |ui| {
                        for (k, v) in crate::details::patient_rows(&tl) {
                            ui.label(RichText::new(k).weak());
                            ui.label(v);
                            ui.end_row();
                        }
                    });
                    if !tl.intervals.is_empty() {
                        ui.separator();
                        let n = tl.intervals.len();
                        egui::CollapsingHeader::new(
                            RichText::new(format!("Intervals ({n})")).strong(),
                        )
                        .default_open(n <= 20)
                        .show(ui, |ui| {
                            for iv in &tl.intervals {
                                ui.label(iv.length_label()).on_hover_ui(|ui| {
                                    ui.label(crate::details::span_line(&tl, &iv.span));
                                });
                            }
                        });
                    }
                    ui.separator();
                    ui.label(RichText::new("View").strong());
                    ui.horizontal_wrapped(|ui| {
                        ui.label("Axis:");
                        for &a in AxisMode::ALL {
                            if ui.selectable_label(self.view.axis == a, a.name()).clicked() {
                                self.queue.push(Command::SetAxis(a));
                            }
                        }
                    });
                    ui.horizontal_wrapped(|ui| {
                        ui.label("Theme:");
                        for &t in ThemeKind::ALL {
                            if ui
                                .selectable_label(self.view.theme == t, t.name())
                                .clicked()
                            {
                                self.queue.push(Command::SetTheme(t));
                            }
                        }
                    });
                    let (n_gaps, threshold) = self.doc.as_ref().map_or((0, 0.0), |d| d.long_gaps);
                    let mut gaps = self.view.compress_gaps;
                    let r = ui
                        .add_enabled(
                            n_gaps > 0 || gaps,
                            egui::Checkbox::new(&mut gaps, "Compress long gaps"),
                        )
                        .on_hover_text(crate::layout::gaps::threshold_text(threshold))
                        .on_disabled_hover_text(crate::layout::gaps::NO_GAPS);
                    if r.changed() {
                        self.queue.push(Command::SetCompressGaps(gaps));
                    }
                    if !lanes.is_empty() {
                        ui.label(RichText::new("Lanes").strong());
                        for lane in lanes.iter() {
                            let mut on = !self.view.hidden_lanes.contains(lane);
                            if ui.checkbox(&mut on, lane).changed() {
                                self.queue.push(Command::SetLaneVisible(lane.clone(), on));
                            }
                        }
                    }
                    if !tl.measurements.is_empty() {
                        ui.label(RichText::new("Tracks").strong());
                        for (i, m) in tl.measurements.iter().enumerate() {
                            let mut on = !self.view.hidden_tracks.contains(&i);
                            if ui.checkbox(&mut on, &m.name).changed() {
                                self.queue.push(Command::SetTrackVisible(i, on));
                            }
                        }
                    }
                    if let Some((a, b)) = self.view.window {
                        ui.separator();
                        ui.label(format!(
                            "Showing {}",
                            crate::details::window_text(&tl, a, b)
                        ));
                        if ui.button("Whole timeline (Ctrl+0)").clicked() {
                            self.queue.push(Command::FitToWindow);
                        }
                    }
                });
            });
    }

    pub(super) fn problems_panel(&mut self, ui: &mut egui::Ui) {
        let Some(doc) = &self.doc else { return };
        if doc.problems.is_empty() && self.layout_error.is_none() {
            return;
        }
        let problems = &doc.problems;
        let name = doc.path.display().to_string();
        let (errs, warns) = (doc.errors(), doc.warnings());
        let (failed, has_fig) = (doc.failed, doc.timeline.is_some());
        let layout_error = &self.layout_error;
        let mut clicked: Option<String> = None;
        // As tall as its content, up to 40 % of the window (then it scrolls).
        let max_h = ui.ctx().content_rect().height() * 0.4;
        egui::Panel::bottom("problems")
            .resizable(false)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    let head = if failed {
                        format!(
                            "{name} did not load: {}, {}",
                            count(errs, "error"),
                            count(warns, "warning")
                        )
                    } else if errs > 0 {
                        // A cohort: the patients with errors are left out, the rest drawn.
                        format!(
                            "{name}: {}, {} — patients with errors are left out",
                            count(errs, "error"),
                            count(warns, "warning")
                        )
                    } else {
                        format!("{name}: {}", count(warns, "warning"))
                    };
                    ui.label(RichText::new(head).strong());
                    if failed && has_fig {
                        ui.label(
                            RichText::new("— showing the last good figure until the file is fixed")
                                .weak(),
                        );
                    }
                });
                ui.label(RichText::new("Click a problem to copy FILE:LINE:COL").weak());
                if let Some(e) = layout_error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                let scroll = egui::ScrollArea::vertical()
                    .max_height(max_h)
                    .min_scrolled_height(max_h)
                    .auto_shrink([false, true]);
                if problems.len() <= 100 {
                    scroll.show(ui, |ui| {
                        for d in problems {
                            if let Some(l) = problem_row(ui, d, true) {
                                clicked = Some(l);
                            }
                        }
                    });
                } else {
                    // Thousands of warnings: lay out only the rows in view, one line each.
                    let row_h = ui.text_style_height(&egui::TextStyle::Monospace);
                    scroll.show_rows(ui, row_h, problems.len(), |ui, range| {
                        for d in &problems[range] {
                            if let Some(l) = problem_row(ui, d, false) {
                                clicked = Some(l);
                            }
                        }
                    });
                }
            });
        if let Some(l) = clicked {
            self.queue.push(Command::CopyText(l));
        }
    }

    pub(super) fn status_bar(&mut self, ui: &mut egui::Ui) {
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                if self.busy.is_some() {
                    ui.spinner();
                }
                ui.label(&self.status);
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if let Some(d) = &self.doc {
                        ui.label(RichText::new(d.path.display().to_string()).weak());
                    }
                });
            });
        });
    }

    pub(super) fn start_screen(&mut self, ui: &mut egui::Ui) {
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() * 0.15);
            ui.heading("txline — treatment timeline viewer");
            ui.add_space(12.0);
            if ui
                .add(egui::Button::new(
                    RichText::new("Open a timeline…").size(18.0),
                ))
                .clicked()
            {
                self.queue.push(Command::OpenDialog);
            }
            ui.label(
                RichText::new("or drop a .ron file, a folder of them or a study on this window")
                    .weak(),
            );
            if !self.recent.files.is_empty() {
                ui.add_space(16.0);
                ui.label(RichText::new("Recent files").strong());
                for f in self.recent.files.clone() {
                    if ui.link(f.display().to_string()).clicked() {
                        self.queue.push(Command::Open(f));
                    }
                }
            }
            if !self.examples.is_empty() {
                ui.add_space(16.0);
                ui.label(RichText::new("Examples").strong());
                for f in &self.examples {
                    let name = f
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    if ui.link(name).clicked() {
                        self.queue.push(Command::Open(f.clone()));
                    }
                }
            }
        });
    }
}

/// The button from a patient back to its cohort.
pub(super) const BACK: &str = "← Back to the cohort";

/// One line of the problems panel; returns the location when clicked.
pub(super) fn problem_row(ui: &mut egui::Ui, d: &Diagnostic, wrap: bool) -> Option<String> {
    let (tag, col) = match d.severity {
        Severity::Error => ("error", ui.visuals().error_fg_color),
        Severity::Warning => ("warning", ui.visuals().warn_fg_color),
    };
    let loc = location(d);
    let full = format!("{loc}: {tag}: {}", d.message);
    let text = RichText::new(full.clone()).monospace().color(col);
    let mut label = egui::Label::new(text).sense(egui::Sense::click());
    if !wrap {
        label = label.truncate();
    }
    let r = ui.add(label).on_hover_ui(|ui| {
        if !wrap {
            ui.label(&full);
        }
        ui.label(format!("Click to copy {loc}"));
    });
    r.clicked().then_some(loc)
}

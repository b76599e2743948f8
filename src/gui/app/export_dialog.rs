//! The export dialog: format, size, theme, axis, time window, privacy, preview.

use super::*;

impl ViewerApp {
    pub(super) fn export_window(&mut self, ctx: &egui::Context) {
        if !self.show_export {
            return;
        }
        if !self.has_figure() {
            self.show_export = false;
            return;
        }
        let tl = self.timeline().cloned();
        let cohort_tab = self.cohort_shown().map(|c| c.view.tab);
        let screen = self.screen_options();
        let mut open = true;
        let mut s = self.export.clone();
        egui::Window::new("Export figure")
            .open(&mut open)
            .collapsible(false)
            .resizable(true)
            .default_width(900.0)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| {
                egui::Grid::new("export").num_columns(2).show(ui, |ui| {
                    ui.label("Format");
                    ui.horizontal(|ui| {
                        for &f in Format::ALL {
                            ui.selectable_value(&mut s.format, f, f.name().to_uppercase());
                        }
                    });
                    ui.end_row();
                    let size_label = ui.label("Size").id;
                    ui.horizontal(|ui| {
                        let label = match s.size {
                            Size::Preset(p) => preset_label(p),
                            Size::Pixels(w, h) => format!("{w} × {h} px"),
                        };
                        egui::ComboBox::from_id_salt("size")
                            .selected_text(label)
                            .show_ui(ui, |ui| {
                                for &p in Preset::ALL {
                                    ui.selectable_value(
                                        &mut s.size,
                                        Size::Preset(p),
                                        preset_label(p),
                                    );
                                }
                                let custom = match s.size {
                                    Size::Pixels(..) => s.size,
                                    Size::Preset(p) => {
                                        let pg = p.page();
                                        Size::Pixels(
                                            pg.width as u32,
                                            pg.height.unwrap_or(pg.width * 0.5625) as u32,
                                        )
                                    }
                                };
                                ui.selectable_value(&mut s.size, custom, "Custom pixels");
                            })
                            .response
                            .labelled_by(size_label);
                        if let Size::Pixels(w, h) = &mut s.size {
                            ui.add(
                                egui::DragValue::new(w)
                                    .range(200..=png::MAX_SIDE)
                                    .suffix(" px"),
                            );
                            ui.label("×");
                            ui.add(
                                egui::DragValue::new(h)
                                    .range(150..=png::MAX_SIDE)
                                    .suffix(" px"),
                            );
                        }
                    });
                    ui.end_row();
                    ui.label("Theme");
                    ui.horizontal(|ui| {
                        for &t in ThemeKind::ALL {
                            ui.selectable_value(&mut s.theme, t, t.name());
                        }
                        ui.checkbox(&mut s.transparent, "Transparent");
                    });
                    ui.end_row();
                    if cohort_tab.is_none() {
                        // Cohort figures count time from time zero, without gaps.
                        ui.label("Axis");
                        ui.horizontal(|ui| {
                            for &a in AxisMode::ALL {
                                ui.selectable_value(&mut s.axis, a, a.name());
                            }
                        });
                        ui.end_row();
                    }
                    ui.label("Time");
                    ui.horizontal(|ui| {
                        ui.selectable_value(&mut s.visible_window_only, false, "Whole timeline");
                        ui.add_enabled_ui(screen.window.is_some(), |ui| {
                            ui.selectable_value(&mut s.visible_window_only, true, "Visible window");
                        });
                        if cohort_tab.is_none() {
                            ui.checkbox(&mut s.compress_gaps, "Compress long gaps");
                        }
                    });
                    ui.end_row();
                    ui.label("Privacy");
                    ui.checkbox(&mut s.deidentify, "De-identify (no dates, names or IDs)");
                    ui.end_row();
                });
                if s.deidentify {
                    if cohort_tab.is_some() {
                        ui.label(DEID_COHORT);
                    } else {
                        ui.label(
                            RichText::new(crate::deidentify::BURNED_IN_WARNING)
                                .color(ui.visuals().warn_fg_color),
                        );
                        self.report_row(ui);
                    }
                }
                self.screen_row(ui, &mut s);
                ui.separator();
                self.export_preview(ui, &s);
                ui.separator();
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(self.busy.is_none(), egui::Button::new("Export…"))
                        .clicked()
                    {
                        self.queue.push(Command::ExportDialog);
                    }
                    if ui
                        .add_enabled(self.busy.is_none(), egui::Button::new("Copy to clipboard"))
                        .clicked()
                    {
                        self.queue.push(Command::CopyExport);
                    }
                    let name = match (&tl, cohort_tab) {
                        (_, Some(tab)) => s.cohort_name(tab),
                        (Some(tl), None) => s.default_name(tl),
                        (None, None) => String::new(),
                    };
                    ui.label(RichText::new(format!("Default name: {name}")).weak());
                });
                if let Some(e) = &self.export_error {
                    ui.colored_label(ui.visuals().error_fg_color, format!("Not exported: {e}"));
                }
            });
        if s.visible_window_only && screen.window.is_none() {
            s.visible_window_only = false;
        }
        self.export = s;
        if !open {
            self.show_export = false;
        }
    }

    /// Says how the export differs from the screen, with a button to match it.
    pub(super) fn screen_row(&self, ui: &mut egui::Ui, s: &mut ExportSettings) {
        let screen = self.screen_options();
        let mut diff = s.differences(&screen);
        if self.cohort_shown().is_some() {
            // A cohort figure has no calendar axis and no gaps to compress.
            diff.retain(|d| !d.starts_with("axis ") && !d.contains("gaps"));
        }
        ui.horizontal_wrapped(|ui| {
            if diff.is_empty() {
                ui.label("As on screen: theme, axis, lanes, tracks and time window.");
            } else {
                ui.label(
                    RichText::new(format!("Differs from the screen: {}.", diff.join("; ")))
                        .color(ui.visuals().warn_fg_color),
                );
                if ui.button("Match the screen").clicked() {
                    s.match_screen(&screen);
                }
            }
        });
    }

    /// The de-identification count, and buttons to show and save the report.
    pub(super) fn report_row(&mut self, ui: &mut egui::Ui) {
        use crate::deidentify::report::{REVIEW_HINT, SAVE_REPORT, SHOW_REPORT};
        let Some(report) = self.deid_report() else {
            return;
        };
        ui.horizontal(|ui| {
            ui.label(&report.0).on_hover_text(REVIEW_HINT);
            ui.toggle_value(&mut self.show_report, SHOW_REPORT);
            if ui
                .add_enabled(self.busy.is_none(), egui::Button::new(SAVE_REPORT))
                .clicked()
            {
                self.queue.push(Command::SaveReportDialog);
            }
        });
        if self.show_report {
            egui::ScrollArea::both()
                .id_salt("deid report")
                .max_height(160.0)
                .show(ui, |ui| {
                    ui.add(egui::Label::new(RichText::new(&report.1).monospace()).extend());
                });
        }
    }

    /// The open file's de-identification report (headline, text), made once per load.
    pub(super) fn deid_report(&mut self) -> Option<Arc<(String, String)>> {
        let doc = self.doc.as_ref()?;
        let tl = doc.timeline.clone()?;
        if let Some((g, r)) = &self.deid_report
            && *g == doc.generation
        {
            return Some(r.clone());
        }
        let report = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::deidentify::report_of(&tl, None)
        }))
        .ok()?;
        // The file loaded (so it is at most 32 MiB); read again only for positions.
        let source = std::fs::read_to_string(&doc.path).ok();
        let text = report.to_text(&doc.path.display().to_string(), source.as_deref());
        let r = Arc::new((report.headline(), text));
        self.deid_report = Some((doc.generation, r.clone()));
        Some(r)
    }

    pub(super) fn export_preview(&mut self, ui: &mut egui::Ui, s: &ExportSettings) {
        let Some(doc) = &self.doc else { return };
        let key = SceneKey {
            generation: doc.generation,
            options: s.options(&self.screen_options()),
            size: (0, 0),
            cohort: self.cohort_shown().map(|c| (c.view.tab, c.generation)),
        };
        let fresh = self
            .preview
            .as_ref()
            .is_some_and(|(k, ps, _)| *k == key && ps == s);
        if !fresh {
            match self.scene_with(s) {
                Ok(scene) => {
                    self.preview = Some((key, s.clone(), Arc::new(scene)));
                    self.preview_shapes = None;
                }
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                    return;
                }
            }
        }
        let Some((_, _, scene)) = &self.preview else {
            return;
        };
        let scene = scene.clone();
        let (w, h) = crate::export::png::pixel_size(&scene);
        ui.label(
            RichText::new(format!(
                "Preview — {w} × {h} px at {} dpi{}",
                scene.dpi,
                if matches!(s.format, Format::Svg | Format::Pdf) {
                    " (vector)"
                } else {
                    ""
                }
            ))
            .weak(),
        );
        let max = egui::vec2(ui.available_width().max(200.0), 420.0);
        let scale = (max.x / scene.width).min(max.y / scene.height).min(1.0);
        let (rect, _) = ui.allocate_exact_size(
            egui::vec2(scene.width * scale, scene.height * scale),
            egui::Sense::hover(),
        );
        let tr = Transform {
            offset: rect.min.to_vec2(),
            scale,
        };
        // Built once per preview scene and placement, not every frame the dialog is open.
        let shapes_key = (tr.offset, scale, ui.ctx().pixels_per_point());
        if self
            .preview_shapes
            .as_ref()
            .is_none_or(|(k, _)| *k != shapes_key)
        {
            let shapes = paint::scene_shapes(&scene, tr, ui.ctx(), &mut self.textures);
            self.preview_shapes = Some((shapes_key, shapes));
        }
        let painter = ui.painter_at(rect);
        if let Some((_, shapes)) = &self.preview_shapes {
            painter.extend(shapes.iter().cloned());
        }
        painter.rect_stroke(
            rect,
            0.0,
            ui.visuals().window_stroke,
            egui::StrokeKind::Outside,
        );
    }
}

/// What de-identifying a cohort figure does (as `txline cohort --deidentify`).
const DEID_COHORT: &str = "Patients become P001, P002… in input order; dates, names and \
                           identifiers are removed from every timeline before drawing.";

pub(super) fn preset_label(p: Preset) -> String {
    let pg = p.page();
    match pg.height {
        Some(h) => format!("{} ({} × {} px)", p.name(), pg.width, h),
        None => format!("{} ({} px wide, {} dpi)", p.name(), pg.width, pg.dpi),
    }
}

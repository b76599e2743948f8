//! A cohort on screen: the tabs (Swimmer | Spider | Waterfall), the figure the core lays
//! out at the canvas width (the swimmer grows in height and scrolls; only the shapes in
//! view are painted), and the side panel's cohort options. Hover and click go through the
//! canvas ([`ViewerApp::figure`]); every change is a [`Command`].

use super::canvas::canvas_size;
use super::*;
use crate::cohort::{Align, GroupBy};
use crate::gui::state::cohort::{ALIGNS, GROUPINGS, SORTS, figure};

impl ViewerApp {
    /// The open cohort (also while one of its patients is shown).
    pub fn cohort(&self) -> Option<&CohortDoc> {
        self.doc.as_ref()?.cohort.as_ref()
    }

    /// The cohort, when its figures are on screen (not one of its patients).
    pub fn cohort_shown(&self) -> Option<&CohortDoc> {
        let doc = self.doc.as_ref()?;
        doc.patient
            .is_none()
            .then_some(doc.cohort.as_ref())
            .flatten()
    }

    /// The swimmer's lane rows on screen, in figure pixels (empty for other figures).
    pub fn lane_rows(&self) -> &[crate::scene::Rect] {
        self.cached.as_ref().map_or(&[], |c| &c.lanes[..])
    }

    /// Why the cohort figure on screen has nothing to draw (e.g. no measurement).
    pub fn cohort_note(&self) -> Option<&str> {
        self.cohort_note.as_ref().map(|(_, n)| n.as_str())
    }

    /// Lays out the cohort figure for a canvas size when anything it depends on changed:
    /// at the canvas's width and the height it needs (800 labelled lanes make a tall
    /// figure that scrolls); a figure shorter than the canvas is laid out again at the
    /// canvas's height, as a single patient's is.
    pub(super) fn ensure_cohort_scene(&mut self, size: egui::Vec2) {
        let Some(doc) = &self.doc else { return };
        let Some(c) = self.cohort_shown() else { return };
        let opts = self.screen_options();
        let (tab, cohort) = (c.view.tab, c.cohort.clone());
        let key = SceneKey {
            // The document's load, and the cohort's build within it.
            generation: doc.generation,
            options: opts.clone(),
            size: canvas_size(size),
            cohort: Some((tab, c.generation)),
        };
        if self.cached.as_ref().is_some_and(|x| x.key == key)
            || self.cohort_note.as_ref().is_some_and(|(k, _)| *k == key)
        {
            return;
        }
        let (w, h) = (key.size.0 as f32, key.size.1 as f32);
        let page = Page {
            height: None,
            ..Page::pixels(w, MIN_CANVAS.1)
        };
        let laid_out = figure(&cohort, tab, &opts, &page).and_then(|cs| {
            if cs.scene.height + 1.0 >= h {
                return Ok(cs);
            }
            let fill = Page {
                height: Some(h),
                ..page
            };
            figure(&cohort, tab, &opts, &fill)
        });
        match laid_out {
            Ok(cs) => {
                self.cohort_note = None;
                self.cached = Some(Cached::new(key, cs.scene, cs.lanes));
            }
            Err(note) => {
                self.cached = None;
                self.cohort_note = Some((key, note));
            }
        }
    }

    /// The tabs and the cohort figure.
    pub(super) fn cohort_canvas(&mut self, ui: &mut egui::Ui) {
        let Some(c) = self.cohort_shown() else { return };
        let tab = c.view.tab;
        let q = &mut self.queue;
        ui.horizontal(|ui| {
            for &t in CohortTab::ALL {
                if ui.selectable_label(tab == t, t.title()).clicked() {
                    q.push(Command::SetCohortTab(t));
                }
            }
            ui.separator();
            ui.label(RichText::new(OPEN_LANE).weak());
        });
        let avail = ui.available_size();
        self.ensure_cohort_scene(avail);
        if let Some(note) = self.cohort_note() {
            let note = note.to_string();
            ui.vertical_centered(|ui| {
                ui.add_space(ui.available_height() * 0.3);
                ui.label(note);
                ui.label(RichText::new(NOTE_HINT).weak());
            });
            return;
        }
        let Some(cached) = &self.cached else { return };
        let scene = cached.scene.clone();
        if let Some(msg) = scene.left_out.message() {
            ui.colored_label(ui.visuals().warn_fg_color, msg);
        }
        let avail = ui.available_size();
        let scrolls = scene.height > avail.y + 0.5;
        // One scroll area per tab, so each keeps its place while a patient is shown.
        let area = if scene.width > avail.x + 0.5 {
            egui::ScrollArea::both()
        } else {
            egui::ScrollArea::vertical()
        };
        area.id_salt(("cohort", tab))
            .auto_shrink([false, false])
            .show(ui, |ui| self.figure(ui, &scene, scrolls));
    }

    /// The side panel of a cohort: how many patients, who was left out and why, and the
    /// options (lane order, groups, time zero, theme).
    pub(super) fn cohort_panel(&mut self, ui: &mut egui::Ui) {
        let Some(c) = self.cohort_shown() else { return };
        let cohort = c.cohort.clone();
        let view = c.view.clone();
        let inputs = c.inputs.len();
        let theme = self.view.theme;
        let measures = c.measures.clone();
        let q = &mut self.queue;
        ui.heading(
            cohort
                .options
                .title
                .clone()
                .unwrap_or_else(|| "Cohort".to_string()),
        );
        ui.label(format!(
            "{} of {}",
            count(cohort.members.len(), "patient"),
            count(inputs, "input")
        ));
        if !cohort.excluded.is_empty() {
            let n = cohort.excluded.len();
            egui::CollapsingHeader::new(format!("Left out ({n})"))
                .default_open(n <= 5)
                .show(ui, |ui| {
                    for e in &cohort.excluded {
                        ui.label(RichText::new(&e.name).strong())
                            .on_hover_text(&e.reason);
                        ui.label(RichText::new(&e.reason).weak());
                    }
                });
        }
        ui.separator();
        ui.label(RichText::new("Lane order").strong());
        ui.horizontal_wrapped(|ui| {
            for (s, name) in SORTS {
                if ui.selectable_label(view.sort == s, name).clicked() {
                    q.push(Command::SetCohortSort(s));
                }
            }
        });
        ui.label(RichText::new("Groups").strong());
        ui.horizontal_wrapped(|ui| {
            for g in GROUPINGS {
                let name = g.map_or("none", GroupBy::name);
                if ui.selectable_label(view.group_by == g, name).clicked() {
                    q.push(Command::SetCohortGroupBy(g));
                }
            }
        });
        ui.label(RichText::new("Time zero").strong());
        ui.horizontal_wrapped(|ui| {
            let mut aligns = ALIGNS.to_vec();
            if let Align::Phase(_) = &view.align {
                aligns.push(view.align.clone());
            }
            for a in aligns {
                if ui.selectable_label(view.align == a, a.origin()).clicked() {
                    q.push(Command::SetCohortAlign(a));
                }
            }
        });
        if !measures.is_empty() {
            ui.label(RichText::new("Measurement (spider, waterfall)").strong());
            ui.horizontal_wrapped(|ui| {
                if ui
                    .selectable_label(view.measure.is_none(), "default")
                    .clicked()
                {
                    q.push(Command::SetCohortMeasure(None));
                }
                for m in &measures {
                    let on = view.measure.as_deref() == Some(m.as_str());
                    if ui.selectable_label(on, m).clicked() {
                        q.push(Command::SetCohortMeasure(Some(m.clone())));
                    }
                }
            });
        }
        ui.label(RichText::new("Theme").strong());
        ui.horizontal_wrapped(|ui| {
            for &t in ThemeKind::ALL {
                if ui.selectable_label(theme == t, t.name()).clicked() {
                    q.push(Command::SetTheme(t));
                }
            }
        });
        if let Some((a, b)) = view.window.filter(|_| view.tab.zooms()) {
            ui.separator();
            ui.label(format!(
                "Showing days {:.0} to {:.0} from {}",
                a,
                b,
                cohort.options.align.origin()
            ));
            if ui.button("Whole time (Ctrl+0)").clicked() {
                q.push(Command::FitToWindow);
            }
        }
    }
}

/// Said under a figure's note (why it has nothing to draw).
const NOTE_HINT: &str = "The measurement, time zero and groups are chosen in the side panel.";

/// Said next to the tabs.
const OPEN_LANE: &str = "Click a patient to open the timeline; Alt+← or Backspace comes back";

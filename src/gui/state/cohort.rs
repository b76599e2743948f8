//! The viewer's cohort, without egui: the patients of a folder, a cBioPortal study or a
//! `cohort.ron` ([`CohortDoc`]), how the screen shows them ([`CohortView`]: tab, lane order,
//! grouping, time zero, time window) and the pure [`CohortView::apply`] that turns a
//! [`Command`] into a new view and the [`Effect`] the window must carry out.
//!
//! The figures themselves are the core's ([`crate::layout::cohort`]): [`figure`] is the one
//! function the screen, the export preview, the exported file and the clipboard call.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use super::{Command, ExportSettings, panic_text};
use crate::cohort::{Align, Cohort, CohortOptions, GroupBy, Input, SortBy};
use crate::diagnostics::Diagnostic;
use crate::layout::LayoutOptions;
use crate::layout::cohort::{CohortScene, spider, swimmer, waterfall};
use crate::load::Loaded;
use crate::page::Page;

/// The cohort figures, one tab each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, strum::VariantArray)]
pub enum CohortTab {
    /// One lane per patient.
    #[default]
    Swimmer,
    /// % change from baseline over time.
    Spider,
    /// Best % change per patient.
    Waterfall,
}

impl CohortTab {
    /// Every tab, in the order shown.
    pub const ALL: &'static [CohortTab] = <CohortTab as strum::VariantArray>::VARIANTS;

    /// The tab's title.
    pub fn title(self) -> &'static str {
        match self {
            CohortTab::Swimmer => "Swimmer",
            CohortTab::Spider => "Spider",
            CohortTab::Waterfall => "Waterfall",
        }
    }

    /// The figure's name in file names, as the CLI's `txline cohort NAME`.
    pub fn name(self) -> &'static str {
        match self {
            CohortTab::Swimmer => "swimmer",
            CohortTab::Spider => "spider",
            CohortTab::Waterfall => "waterfall",
        }
    }

    /// True when the figure has a time axis the viewer zooms and pans.
    pub fn zooms(self) -> bool {
        self == CohortTab::Swimmer
    }
}

/// The lane orders offered, in the order shown, with their names (as the CLI's `--sort`).
pub const SORTS: [(SortBy, &str); 4] = [
    (SortBy::Duration, "duration"),
    (SortBy::Group, "group"),
    (SortBy::Id, "id"),
    (SortBy::Input, "input"),
];

/// The groupings offered (as the CLI's `--group-by`; `None`: no groups).
pub const GROUPINGS: [Option<GroupBy>; 5] = [
    None,
    Some(GroupBy::Group),
    Some(GroupBy::Sex),
    Some(GroupBy::Diagnosis),
    Some(GroupBy::Stage),
];

/// The times zero offered (as the CLI's `--align`; a phase name only from a cohort file).
pub const ALIGNS: [Align; 2] = [Align::Day0, Align::FirstTherapy];

/// One input of a cohort: its name, and what it loaded (or its problems).
pub type CohortInput = (String, Result<Arc<Loaded>, Vec<Diagnostic>>);

/// The most measurement names offered.
pub const MAX_MEASURES: usize = 40;

/// How the screen shows a cohort: everything the user changes without reloading.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CohortView {
    /// The figure shown.
    pub tab: CohortTab,
    /// Lane order.
    pub sort: SortBy,
    /// Grouping (`None`: no groups).
    pub group_by: Option<GroupBy>,
    /// Time zero.
    pub align: Align,
    /// The spider's and waterfall's measurement (`None`: the cohort file's, else the
    /// default one).
    pub measure: Option<String>,
    /// The swimmer's time window, days from time zero (`None`: every lane whole).
    pub window: Option<(f64, f64)>,
}

/// What the window does after a cohort command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Nothing more: the figure follows the view (a new tab or time window).
    Redraw,
    /// Build the cohort again (order, groups or time zero changed).
    Rebuild,
    /// Show this input's timeline (an index into [`CohortDoc::inputs`]).
    OpenInput(usize),
    /// Back from a patient to the cohort.
    Back,
}

impl CohortView {
    /// The view a cohort opens with: the cohort file's options, grouped by `group` when
    /// any patient has one.
    pub fn of(saved: &CohortOptions, any_group: bool) -> Self {
        CohortView {
            tab: CohortTab::Swimmer,
            sort: saved.sort,
            group_by: saved.group_by.or(any_group.then_some(GroupBy::Group)),
            align: saved.align.clone(),
            measure: None,
            window: None,
        }
    }

    /// Applies a command to the view of `cohort` (shown when `on_screen`, else a patient
    /// of it is): the changed view and what the window must do, or `None` when the command
    /// is not the cohort's (the window handles it as for one patient).
    pub fn apply(&mut self, cohort: &Cohort, on_screen: bool, c: &Command) -> Option<Effect> {
        if !on_screen {
            // A patient of the cohort is shown: only Back concerns the cohort.
            return matches!(c, Command::Back).then_some(Effect::Back);
        }
        let rebuild = |changed: bool| {
            if changed {
                Effect::Rebuild
            } else {
                Effect::Redraw
            }
        };
        Some(match c {
            Command::SetCohortTab(t) => {
                self.tab = *t;
                Effect::Redraw
            }
            Command::SetCohortSort(s) => {
                let changed = self.sort != *s;
                self.sort = *s;
                rebuild(changed)
            }
            Command::SetCohortGroupBy(g) => {
                let changed = self.group_by != *g;
                self.group_by = *g;
                rebuild(changed)
            }
            Command::SetCohortAlign(a) => {
                let changed = self.align != *a;
                self.align = a.clone();
                // Days from another time zero: the old window means other days.
                self.window = None;
                rebuild(changed)
            }
            Command::SetCohortMeasure(m) => {
                let changed = self.measure != *m;
                self.measure = m.clone();
                rebuild(changed)
            }
            Command::OpenLane(i) => Effect::OpenInput(cohort.members.get(*i)?.input),
            Command::SetWindow(w) if self.tab.zooms() => {
                self.window = w.filter(|(a, b)| a.is_finite() && b.is_finite() && b > a);
                Effect::Redraw
            }
            Command::FitToWindow if self.tab.zooms() => {
                self.window = None;
                Effect::Redraw
            }
            // Nothing to go back to from the cohort itself.
            Command::Back => Effect::Redraw,
            _ => return None,
        })
    }

    /// The cohort's options: the file's, with the view's order, groups and time zero.
    pub fn options(&self, saved: &CohortOptions) -> CohortOptions {
        CohortOptions {
            sort: self.sort,
            group_by: self.group_by,
            align: self.align.clone(),
            measure: self.measure.clone().or_else(|| saved.measure.clone()),
            ..saved.clone()
        }
    }
}

/// A loaded cohort: every input, how the screen shows it, and the cohort built from them.
#[derive(Debug, Clone)]
pub struct CohortDoc {
    /// How the screen shows it.
    pub view: CohortView,
    /// Every input in input order: its name, and what it loaded (or its problems).
    pub inputs: Vec<CohortInput>,
    /// The options a `cohort.ron` gave (defaults for a folder or a study).
    pub saved: CohortOptions,
    /// The cohort as the view orders, groups and aligns it.
    pub cohort: Arc<Cohort>,
    /// The lanes' days from time zero, first start to last end (the zoom's limits).
    pub range: (i64, i64),
    /// The measurements the patients have, by name (first spelling, input order; at most
    /// [`MAX_MEASURES`]), for choosing the spider's and waterfall's.
    pub measures: Vec<String>,
    /// Bumped on every build (the figure cache's key).
    pub generation: u64,
}

impl CohortDoc {
    /// A cohort of loaded inputs, built for `view`.
    pub fn new(inputs: Vec<CohortInput>, saved: CohortOptions, view: CohortView) -> Self {
        let mut doc = CohortDoc {
            view,
            inputs,
            saved,
            cohort: Arc::new(Cohort::build(Vec::new(), CohortOptions::default())),
            range: (0, 1),
            measures: Vec::new(),
            generation: 0,
        };
        for (_, r) in &doc.inputs {
            let Ok(l) = r else { continue };
            for m in &l.timeline.measurements {
                if doc.measures.len() < MAX_MEASURES
                    && !doc.measures.iter().any(|n| n.eq_ignore_ascii_case(&m.name))
                {
                    doc.measures.push(m.name.clone());
                }
            }
        }
        doc.rebuild();
        doc
    }

    /// Applies a command ([`CohortView::apply`]) and builds the cohort again when the
    /// command changed its order, groups or time zero.
    pub fn apply(&mut self, on_screen: bool, c: &Command) -> Option<Effect> {
        let effect = self.view.apply(&self.cohort, on_screen, c)?;
        if effect == Effect::Rebuild {
            self.rebuild();
        }
        Some(effect)
    }

    /// The cohort's inputs for [`Cohort::build`] (timelines copied).
    fn build_inputs(&self) -> Vec<Input> {
        self.inputs
            .iter()
            .map(|(name, r)| {
                let tl = match r {
                    Ok(l) => Ok(l.timeline.clone()),
                    Err(d) => Err(format!(
                        "it did not load ({}, listed in the problems panel)",
                        crate::details::count(d.len(), "problem")
                    )),
                };
                (name.clone(), tl)
            })
            .collect()
    }

    /// Builds the cohort again for the view (its order, groups or time zero changed).
    pub fn rebuild(&mut self) {
        let cohort = Cohort::build(self.build_inputs(), self.view.options(&self.saved));
        let lanes = crate::cohort::swimmer::lanes(&cohort);
        self.range = (
            lanes.iter().map(|l| l.start).min().unwrap_or(0).min(0),
            lanes.iter().map(|l| l.end).max().unwrap_or(1).max(1),
        );
        self.cohort = Arc::new(cohort);
        self.generation += 1;
    }

    /// Every input's problems, in input order.
    pub fn problems(&self) -> Vec<Diagnostic> {
        self.inputs
            .iter()
            .flat_map(|(_, r)| match r {
                Ok(l) => l.warnings.clone(),
                Err(d) => d.clone(),
            })
            .collect()
    }
}

/// A cohort figure: `tab`'s figure of `cohort` on `page` — the swimmer, or the spider or
/// waterfall (`Err`: the core's words for why it has nothing to draw, e.g. no measurement).
/// A panic in layout becomes an `Err` too.
pub fn figure(
    cohort: &Cohort,
    tab: CohortTab,
    opts: &LayoutOptions,
    page: &Page,
) -> Result<CohortScene, String> {
    if cohort.members.is_empty() {
        return Err("No patient to draw: every input was left out (see the problems).".into());
    }
    catch_unwind(AssertUnwindSafe(|| match tab {
        CohortTab::Swimmer => Ok(swimmer(cohort, opts, page)),
        CohortTab::Spider => spider(cohort, opts, page),
        CohortTab::Waterfall => waterfall(cohort, opts, page),
    }))
    .unwrap_or_else(|p| Err(format!("internal error in layout: {}", panic_text(&*p))))
}

impl ExportSettings {
    /// The exported cohort figure: the same function the screen uses, on the export's
    /// page and theme, de-identified (ids `P001…` in input order, as the CLI) when asked.
    pub fn cohort_scene(
        &self,
        doc: &CohortDoc,
        screen: &LayoutOptions,
    ) -> Result<crate::scene::Scene, String> {
        let view = &doc.view;
        let opts = self.options(screen);
        let cohort = if self.deidentify && !doc.cohort.options.deidentify {
            let mut o = view.options(&doc.saved);
            o.deidentify = true;
            let built = catch_unwind(AssertUnwindSafe(|| Cohort::build(doc.build_inputs(), o)))
                .map_err(|p| format!("internal error in de-identification: {}", panic_text(&*p)))?;
            Arc::new(built)
        } else {
            doc.cohort.clone()
        };
        figure(&cohort, view.tab, &opts, &self.size.page()).map(|c| c.scene)
    }

    /// A cohort figure's default file name: `swimmer.png`, as `txline cohort swimmer`.
    pub fn cohort_name(&self, tab: CohortTab) -> String {
        format!("{}.{}", tab.name(), self.format.extension())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cohort::tests::fixture_inputs;

    fn fixture() -> Cohort {
        Cohort::build(fixture_inputs(), CohortOptions::default())
    }

    #[test]
    fn tabs_and_options_change_the_view_and_say_what_to_redo() {
        let c = fixture();
        let mut v = CohortView::of(&CohortOptions::default(), true);
        assert_eq!(
            v.group_by,
            Some(GroupBy::Group),
            "grouped when groups exist"
        );
        let e = v.apply(&c, true, &Command::SetCohortTab(CohortTab::Waterfall));
        assert_eq!((e, v.tab), (Some(Effect::Redraw), CohortTab::Waterfall));
        let e = v.apply(&c, true, &Command::SetCohortSort(SortBy::Id));
        assert_eq!((e, v.sort), (Some(Effect::Rebuild), SortBy::Id));
        assert_eq!(
            v.apply(&c, true, &Command::SetCohortSort(SortBy::Id)),
            Some(Effect::Redraw),
            "the same order again builds nothing"
        );
        let e = v.apply(&c, true, &Command::SetCohortGroupBy(None));
        assert_eq!((e, v.group_by), (Some(Effect::Rebuild), None));
        let m = Some("SLD".to_string());
        let e = v.apply(&c, true, &Command::SetCohortMeasure(m.clone()));
        assert_eq!((e, &v.measure), (Some(Effect::Rebuild), &m));
        assert_eq!(v.options(&CohortOptions::default()).measure, m);
        assert_eq!(v.options(&CohortOptions::default()).sort, SortBy::Id);
        // Other commands are the window's, as for one patient.
        assert_eq!(v.apply(&c, true, &Command::Reload), None);
    }

    #[test]
    fn the_time_window_is_the_swimmers_and_a_new_time_zero_drops_it() {
        let c = fixture();
        let mut v = CohortView::default();
        v.apply(&c, true, &Command::SetWindow(Some((10.0, 100.0))));
        assert_eq!(v.window, Some((10.0, 100.0)));
        assert_eq!(
            v.apply(&c, true, &Command::SetWindow(Some((5.0, f64::NAN)))),
            Some(Effect::Redraw)
        );
        assert_eq!(v.window, None, "a broken window is no window");
        v.apply(&c, true, &Command::SetWindow(Some((10.0, 100.0))));
        let e = v.apply(&c, true, &Command::SetCohortAlign(Align::FirstTherapy));
        assert_eq!((e, v.window), (Some(Effect::Rebuild), None));
        // The waterfall has no time axis: zoom commands are not the cohort's there.
        v.apply(&c, true, &Command::SetCohortTab(CohortTab::Waterfall));
        assert_eq!(v.apply(&c, true, &Command::FitToWindow), None);
    }

    #[test]
    fn a_lane_opens_its_input_and_back_returns_with_the_view_kept() {
        let c = fixture();
        let mut v = CohortView {
            window: Some((0.0, 90.0)),
            ..Default::default()
        };
        let before = v.clone();
        let lane = c.members.len() - 1;
        let input = c.members[lane].input;
        assert_eq!(
            v.apply(&c, true, &Command::OpenLane(lane)),
            Some(Effect::OpenInput(input))
        );
        assert_eq!(v.apply(&c, true, &Command::OpenLane(999)), None);
        // While the patient is shown, its own zoom is not the cohort's; Back is.
        assert_eq!(v.apply(&c, false, &Command::SetWindow(None)), None);
        assert_eq!(v.apply(&c, false, &Command::Back), Some(Effect::Back));
        assert_eq!(v, before, "tab, order and window kept");
    }

    #[test]
    fn a_deidentified_export_names_patients_p001_in_input_order() {
        let inputs = fixture_inputs()
            .into_iter()
            .map(|(n, r)| {
                let r = r.map(|timeline| {
                    Arc::new(Loaded {
                        timeline,
                        warnings: Vec::new(),
                    })
                });
                (n, r.map_err(|_| Vec::new()))
            })
            .collect();
        let doc = CohortDoc::new(inputs, CohortOptions::default(), CohortView::default());
        let s = ExportSettings {
            deidentify: true,
            ..Default::default()
        };
        let scene = s.cohort_scene(&doc, &LayoutOptions::default()).unwrap();
        let texts: Vec<&str> = scene.texts().map(|t| t.text.as_str()).collect();
        assert!(texts.contains(&"P001"), "{texts:?}");
        assert!(!texts.iter().any(|t| t.contains("Case 01")), "{texts:?}");
        assert_eq!(s.cohort_name(CohortTab::Swimmer), "swimmer.png");
    }
}

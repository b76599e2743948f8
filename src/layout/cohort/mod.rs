//! Cohort figures as scenes: the swimmer plot ([`swimmer`]), the waterfall and spider plots
//! ([`waterfall`], [`spider`]), built from the same parts as the single-patient figure — the
//! title, legend and relative-axis bands, the marker shapes and colours of the theme, the
//! one stacker and the one scene finish (`build::finish`) — so every exporter and the viewer
//! paint them unchanged. The numbers come from [`crate::cohort`]; only geometry is decided
//! here.

pub(crate) mod swimmer;
pub(crate) mod values;

#[cfg(test)]
mod tests;

use super::LayoutOptions;
use super::bands::context::{Context, Sizes};
use super::bands::stack::Sizing;
use crate::cohort::{Cohort, Excluded};
use crate::model::{DayZeroOrigin, Patient, Precision, Timeline, When};
use crate::page::Page;
use crate::scene::{Scene, TimeAxis};

pub use swimmer::swimmer;
pub use values::{spider, waterfall};

/// A cohort figure and the patients it could not show (besides those the cohort left out).
#[derive(Debug, Clone)]
pub struct CohortScene {
    /// The figure.
    pub scene: Scene,
    /// Patients not evaluable for this figure (no measurement, no baseline …), with why.
    pub not_shown: Vec<Excluded>,
    /// The swimmer's lane rows in lane order (`lanes[i]` is `Cohort::members[i]`'s), from
    /// the label column to the plot's right edge, so a pointer anywhere on a row finds its
    /// patient; empty for the waterfall and spider (their items carry the patient).
    pub lanes: Vec<crate::scene::Rect>,
}

impl CohortScene {
    /// The patient (`Cohort::members` index) at a figure point: the item under it
    /// ([`Scene::hit`]), else the swimmer lane whose row holds it.
    pub fn patient_at(&self, p: crate::scene::Point) -> Option<usize> {
        self.scene
            .hit(p)
            .and_then(crate::scene::ItemRef::patient)
            .or_else(|| lane_at(&self.lanes, p))
    }
}

/// The lane whose row ([`CohortScene::lanes`]) holds figure point `p`; rows are stacked
/// top-down without gaps, so this is a binary search.
pub fn lane_at(lanes: &[crate::scene::Rect], p: crate::scene::Point) -> Option<usize> {
    let i = lanes.partition_point(|r| r.max.y <= p.y);
    lanes.get(i).filter(|r| r.contains(p)).map(|_| i)
}

/// The timeline every cohort band's context points at: the cohort has no single timeline,
/// and the bands cohort figures use read only the title they are given.
fn stub_timeline(title: &str) -> Timeline {
    Timeline {
        source: None,
        patient: Patient {
            id: String::new(),
            label: title.to_string(),
            sex: None,
            age: None,
            age_band: None,
            diagnosis: None,
            stage: None,
            group: None,
        },
        day_zero: None,
        day_zero_origin: DayZeroOrigin::RelativeOnly,
        day_zero_precision: Precision::Day,
        data_cutoff: When::day(0),
        data_cutoff_given: false,
        phases: Vec::new(),
        statuses: Vec::new(),
        responses: Vec::new(),
        events: Vec::new(),
        intervals: Vec::new(),
        measurements: Vec::new(),
        images: Vec::new(),
    }
}

/// The horizontal frame of a cohort figure: a label column `column_w` wide, room `right_pad`
/// right of the last day (the ongoing arrows), and a linear axis over `days` — days from
/// time zero for the swimmer and spider, bar positions for the waterfall.
fn frame<'a>(
    stub: &'a Timeline,
    opt: &LayoutOptions,
    page: &Page,
    (mut day_lo, mut day_hi): (f64, f64),
    column_w: f32,
    right_pad: f32,
) -> Context<'a> {
    let sizes = Sizes::new(page, 1.0);
    let width = page.width.max(50.0);
    if !(day_lo.is_finite() && day_hi.is_finite()) {
        (day_lo, day_hi) = (0.0, 1.0);
    }
    if day_hi - day_lo < 1.0 {
        day_hi = day_lo + 1.0;
    }
    let plot_x0 = sizes.margin + column_w + sizes.space * 2.0;
    let plot_x1 = (width - sizes.margin).max(plot_x0 + 10.0);
    let plot_pad = sizes.marker;
    let axis_x0 = plot_x0 + plot_pad;
    let axis_x1 = (plot_x1 - plot_pad - right_pad).max(axis_x0 + 1.0);
    let time_axis = TimeAxis::linear(day_lo, day_hi, axis_x0, axis_x1);
    let px_per_day = f64::from(axis_x1 - axis_x0) / (day_hi - day_lo).max(1e-9);
    Context {
        timeline: stub,
        theme: opt.theme.theme(),
        width,
        day_lo,
        day_hi,
        windowed: false,
        axis_mode: super::AxisMode::Relative,
        time_axis,
        px_per_day,
        plot_x0,
        plot_x1,
        plot_pad,
        axis_x0,
        axis_x1,
        column_right: plot_x0 - sizes.space * 2.0,
        sizes,
    }
}

/// The sizing cohort bands are stacked at: one lane row of `lane_row`, nothing optional.
fn sizing(lane_row: f32) -> Sizing {
    Sizing {
        lane_row,
        track: 0.0,
        thumb: 0.0,
        caption_lines: 0,
        show_images: false,
        tracks_shown: 0,
        bar_labels: false,
        extra_gap: 0.0,
    }
}

/// The subtitle parts every cohort figure shares: how many patients, time zero, and how
/// many inputs the cohort left out.
fn common_subtitle(cohort: &Cohort, shown: usize, of: usize) -> Vec<String> {
    let mut sub = vec![match (shown, of) {
        (1, 1) => "1 patient".to_string(),
        (n, m) if n == m => format!("{n} patients"),
        (n, m) => format!("{n} of {m} patients shown"),
    }];
    sub.push(format!("time 0 = {}", cohort.options.align.origin()));
    match cohort.excluded.len() {
        0 => {}
        1 => sub.push("1 input left out (not loaded or not aligned)".to_string()),
        n => sub.push(format!("{n} inputs left out (not loaded or not aligned)")),
    }
    sub
}

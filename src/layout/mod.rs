//! Layout: a pure function from (validated timeline, options, page) to a [`Scene`].
//!
//! This is the only place that decides geometry. It measures every label with the bundled
//! font before placing it, moves labels that would collide (rows, leader lines) instead of
//! letting them overlap, and keeps everything inside the page.
//!
//! The figure, top to bottom: title and subtitle · legend · relative axis · events · interval
//! brackets · disease-status band · therapy lanes · responses · measurement tracks · calendar
//! axis · image strip. Layout runs in two passes: first everything horizontal (the time
//! axis, row packing of labels, bars and brackets — which fixes how many rows each band
//! needs; see [`bands`]), then a vertical budget (`budget`) that shares the page height between
//! the flexible parts (lane rows, track heights, thumbnails) through the one stacker, leaving
//! optional parts out on pages too small for them rather than shrinking text below the page's
//! minimum — and listing each in [`Scene::left_out`].
//!
//! What the figure promises its reader: a second sub-row in a lane means phases that overlap
//! in time (a label without room goes right, left, shortened, or in a text row under the
//! bar — never pushes a bar down); the legend lists only what this scene draws (after hidden
//! lanes and tracks, the time window and the page budget); a bar or bracket cut by the time
//! window fades / turns dashed at the cut instead of seeming to end there; `~` marks times
//! known only to the month or year, and the subtitle says so once.

pub mod axis;
pub mod cohort;
pub mod gaps;
pub mod pack;
pub mod text;

mod bands;
mod budget;
mod build;
pub use build::long_gaps;

#[cfg(test)]
mod band_tests;
#[cfg(test)]
mod contrast_tests;
#[cfg(test)]
mod golden_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_cases;

use std::collections::BTreeSet;

use crate::model::Timeline;
use crate::page::Page;
use crate::scene::Scene;
use crate::theme::ThemeKind;

/// Which time axis labels to draw.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, strum::VariantArray, strum::IntoStaticStr,
)]
#[strum(serialize_all = "lowercase")]
pub enum AxisMode {
    /// Calendar dates (years / quarters / months / weeks as the span needs).
    Dates,
    /// Days / weeks / months from day 0.
    Relative,
    /// Dates below the plot, months from day 0 above it.
    #[default]
    Both,
}

impl AxisMode {
    /// Every value, in the order of the declaration (the order shown to users).
    pub const ALL: &'static [AxisMode] = <AxisMode as strum::VariantArray>::VARIANTS;

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// What the axis shows, in `--help` and the viewer.
    pub fn description(self) -> &'static str {
        match self {
            AxisMode::Dates => "Calendar dates",
            AxisMode::Relative => "Days / months from day 0",
            AxisMode::Both => "Dates below, months from day 0 above",
        }
    }
}

/// Options that change the figure (not its size).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LayoutOptions {
    /// Time axis labels. A timeline without a calendar anchor always draws `Relative`.
    pub axis: AxisMode,
    /// Colours.
    pub theme: ThemeKind,
    /// No page background.
    pub transparent: bool,
    /// Only this window of days (after day 0) is shown, re-laid out to fill the width;
    /// `None` shows the whole timeline.
    pub window: Option<(f64, f64)>,
    /// Lanes not drawn, by lane name.
    pub hidden_lanes: BTreeSet<String>,
    /// Measurement tracks not drawn, by index into `measurements`.
    pub hidden_tracks: BTreeSet<usize>,
    /// Compress long quiet gaps into axis breaks.
    pub compress_gaps: bool,
}

/// Lays out a timeline on a page.
pub fn layout(timeline: &Timeline, options: &LayoutOptions, page: &Page) -> Scene {
    build::build(timeline, options, page)
}

/// The lanes a timeline draws, in clinical order (each therapy's own lane, then the custom
/// lanes of phases of that therapy in order of first appearance), only those used.
pub fn lane_order(timeline: &Timeline) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for &th in crate::model::Therapy::ALL {
        if timeline
            .phases
            .iter()
            .any(|p| p.therapy == th && p.lane.is_none())
            && !out.iter().any(|l| l == th.name())
        {
            out.push(th.name().to_string());
        }
        for p in timeline.phases.iter().filter(|p| p.therapy == th) {
            if let Some(l) = &p.lane
                && !out.iter().any(|x| x == l)
            {
                out.push(l.clone());
            }
        }
    }
    out
}

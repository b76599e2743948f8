//! The figure as a vertical stack of bands, top to bottom: title · legend · relative axis
//! (top) · events · intervals · status · therapy lanes · responses · measurement tracks ·
//! plot end · calendar axis · relative axis (bottom) · image strip.
//!
//! Each band is planned once from the shared [`Context`] (the horizontal pass: time axis,
//! packing into rows, label placement), then implements [`Band`]: its height at a
//! [`Sizing`] and its emission at the place the stacker gives it. [`stack::stack`] is the
//! one place that turns heights into places; the budget (`super::budget`) and the emission
//! both go through it.

pub(crate) mod calendar_axis;
pub(crate) mod context;
pub(crate) mod events;
pub(crate) mod images;
pub(crate) mod intervals;
pub(crate) mod lanes;
pub(crate) mod lanes_draw;
pub(crate) mod legend;
pub(crate) mod plot_end;
pub(crate) mod rel_axis;
pub(crate) mod responses;
pub(crate) mod shapes;
pub(crate) mod stack;
pub(crate) mod status;
pub(crate) mod title;
pub(crate) mod tracks;

use calendar_axis::CalendarAxisBand;
use context::Context;
use events::EventsBand;
use images::ImageStripBand;
use intervals::IntervalsBand;
use lanes::LabelColumn;
use lanes_draw::TherapyLanesBand;
use legend::LegendBand;
use plot_end::PlotEndBand;
use rel_axis::{AxisSide, RelativeAxisBand};
use responses::ResponsesBand;
use stack::Band;
use status::StatusBand;
use title::TitleBand;
use tracks::TracksBand;

use super::LayoutOptions;

/// Every band of one figure, planned.
pub(crate) struct Figure {
    pub title: TitleBand,
    pub legend: LegendBand,
    pub relative_top: RelativeAxisBand,
    pub events: EventsBand,
    pub intervals: IntervalsBand,
    pub status: StatusBand,
    pub lanes: TherapyLanesBand,
    pub responses: ResponsesBand,
    pub tracks: TracksBand,
    pub plot_end: PlotEndBand,
    pub calendar: CalendarAxisBand,
    pub relative_bottom: RelativeAxisBand,
    pub images: ImageStripBand,
}

impl Figure {
    /// The horizontal pass: plans every band in the context's frame.
    pub fn plan(cx: &Context, opt: &LayoutOptions, column: &LabelColumn) -> Figure {
        let title = TitleBand::plan(cx);
        let lanes = TherapyLanesBand {
            lanes: lanes::plan_lanes(cx, column),
        };
        let events = EventsBand::plan(cx);
        let intervals = IntervalsBand::plan(cx);
        let status = StatusBand::plan(cx);
        let responses = ResponsesBand::plan(cx);
        let tracks = TracksBand::plan(cx, &opt.hidden_tracks);
        let relative_top = RelativeAxisBand::plan(cx, AxisSide::Top);
        let relative_bottom = RelativeAxisBand::plan(cx, AxisSide::Bottom);
        let calendar = CalendarAxisBand::plan(cx);
        let images = ImageStripBand::plan(cx);
        let legend = LegendBand::plan(cx, &lanes, &responses, &events, &tracks);
        Figure {
            title,
            legend,
            relative_top,
            events,
            intervals,
            status,
            lanes,
            responses,
            tracks,
            plot_end: PlotEndBand,
            calendar,
            relative_bottom,
            images,
        }
    }

    /// The bands in stacking (and painting) order.
    pub fn bands(&self) -> [&dyn Band; 13] {
        [
            &self.title,
            &self.legend,
            &self.relative_top,
            &self.events,
            &self.intervals,
            &self.status,
            &self.lanes,
            &self.responses,
            &self.tracks,
            &self.plot_end,
            &self.calendar,
            &self.relative_bottom,
            &self.images,
        ]
    }
}

//! The stacker: the one place that decides where each band sits vertically. The budget asks
//! it for the total height of a [`Sizing`]; the emission asks it for every band's rectangle
//! at the sizing chosen. Both read the same [`Band::height`], so they cannot disagree.

use std::ops::Range;

use super::context::{Context, Out};
use crate::scene::{Point, Rect};

/// The flexible sizes chosen by the vertical budget: everything a band's height depends on
/// besides its own content.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sizing {
    /// Height of one sub-row of a therapy lane.
    pub lane_row: f32,
    /// Plot height of a measurement track.
    pub track: f32,
    /// Thumbnail height.
    pub thumb: f32,
    /// Lines under each thumbnail for its caption.
    pub caption_lines: usize,
    /// The image strip is drawn.
    pub show_images: bool,
    /// How many tracks (from the first) are drawn.
    pub tracks_shown: usize,
    /// Bars carry their labels (off when rows are too thin for text).
    pub bar_labels: bool,
    /// Extra space added to every gap between bands (negative: tightened).
    pub extra_gap: f32,
}

impl Sizing {
    /// The space between bands (scaled per band by the stacker's callers).
    pub fn gap(&self, cx: &Context) -> f32 {
        cx.sizes.space * 1.4 + self.extra_gap
    }
}

/// The bands, top to bottom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BandKind {
    /// Patient, diagnosis, stage; the subtitle.
    Title,
    /// What the colours and symbols mean.
    Legend,
    /// Days / months from day 0 above the plot.
    RelativeAxisTop,
    /// Event symbols and labels.
    Events,
    /// Interval brackets.
    Intervals,
    /// The disease-status band.
    Status,
    /// One lane per therapy (and custom lanes).
    TherapyLanes,
    /// Response markers.
    Responses,
    /// Measurement tracks.
    Tracks,
    /// The space closing the plot; draws the axis-break marks across it.
    PlotEnd,
    /// Calendar dates below the plot.
    CalendarAxis,
    /// Days / months from day 0 below the plot.
    RelativeAxisBottom,
    /// Thumbnails under the axis.
    ImageStrip,
    /// A cohort's swimmer lanes, one per patient.
    SwimLanes,
    /// A cohort's waterfall or spider plot with its value axis.
    ValuePlot,
}

/// One part of the figure, stacked vertically with the others.
pub(crate) trait Band {
    /// Which band this is.
    fn kind(&self) -> BandKind;
    /// The height the band takes at this sizing, its trailing space included (0 when it
    /// draws nothing).
    fn height(&self, cx: &Context, sizing: &Sizing) -> f32;
    /// Draws the band in the rectangle the stacker gave it (`stack` has every band's place,
    /// for the few marks that span the plot).
    fn emit(&self, cx: &Context, sizing: &Sizing, stack: &Placement, out: &mut Out);
}

/// Where the stacker put every band.
pub(crate) struct Placement {
    rects: Vec<(BandKind, Rect)>,
    /// Bottom of the last band plus the bottom margin.
    pub total: f32,
}

impl Placement {
    /// The rectangle of a band (an empty one at the top margin when the band is absent).
    pub fn rect(&self, kind: BandKind) -> Rect {
        self.rects
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, r)| *r)
            .unwrap_or(Rect::from_xywh(0.0, 0.0, 0.0, 0.0))
    }
    /// Top of a band.
    pub fn top(&self, kind: BandKind) -> f32 {
        self.rect(kind).min.y
    }
}

/// Stacks the bands from the top margin down at this sizing.
pub(crate) fn stack(bands: &[&dyn Band], cx: &Context, sizing: &Sizing) -> Placement {
    let margin = cx.sizes.margin;
    let mut y = margin;
    let mut rects = Vec::with_capacity(bands.len());
    for band in bands {
        let h = band.height(cx, sizing);
        rects.push((
            band.kind(),
            Rect::from_min_max(Point::new(0.0, y), Point::new(cx.width, y + h)),
        ));
        y += h;
    }
    Placement {
        rects,
        total: y + margin,
    }
}

/// The figure's height at this sizing.
pub(crate) fn total_height(bands: &[&dyn Band], cx: &Context, sizing: &Sizing) -> f32 {
    stack(bands, cx, sizing).total
}

/// What the emission did: where every band went and which items each band emitted.
pub(crate) struct Emitted {
    /// Every band's place.
    pub placement: Placement,
    /// Per band: the range of `Out::under` and of `Out::items` it emitted.
    spans: Vec<(BandKind, Range<usize>, Range<usize>)>,
}

/// Draws every band at its place, top to bottom.
pub(crate) fn emit(bands: &[&dyn Band], cx: &Context, sizing: &Sizing, out: &mut Out) -> Emitted {
    let placement = stack(bands, cx, sizing);
    let mut spans = Vec::with_capacity(bands.len());
    for band in bands {
        let (u0, i0) = (out.under.len(), out.items.len());
        band.emit(cx, sizing, &placement, out);
        spans.push((band.kind(), u0..out.under.len(), i0..out.items.len()));
    }
    Emitted { placement, spans }
}

impl Emitted {
    /// Items drawn outside their band's rectangle (by more than half a space), as
    /// "band: item" lines; empty when every band kept to the height it asked for. Event
    /// guides and axis-break marks may reach over the whole plot.
    pub fn overflows(&self, cx: &Context, out: &Out) -> Vec<String> {
        let slack = cx.sizes.space * 0.5;
        let plot = self
            .placement
            .rect(BandKind::Events)
            .union(&self.placement.rect(BandKind::PlotEnd));
        let mut found = Vec::new();
        for (kind, under, items) in &self.spans {
            let own = self.placement.rect(*kind);
            // Event guides (drawn under) run down the plot; the plot end's break marks span it.
            let under_area = match kind {
                BandKind::Events | BandKind::PlotEnd => own.union(&plot),
                _ => own,
            };
            let item_area = match kind {
                BandKind::PlotEnd => own.union(&plot),
                _ => own,
            };
            let layers = [
                (under_area, &out.under[under.clone()]),
                (item_area, &out.items[items.clone()]),
            ];
            for (area, layer) in layers {
                let (lo, hi) = (area.min.y - slack, area.max.y + slack);
                for it in layer {
                    let b = it.shape.bounds();
                    if b.min.y < lo || b.max.y > hi {
                        found.push(format!(
                            "{kind:?} band ({:.1}..{:.1}) drew {:?} at y {:.1}..{:.1}",
                            area.min.y, area.max.y, it.meaning, b.min.y, b.max.y
                        ));
                    }
                }
            }
        }
        found
    }
}

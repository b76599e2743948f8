//! The legend band: only what this scene draws — therapies with bars, response results and
//! event kinds in the window, and "normal range" while a drawn track shows one — packed into
//! rows that fit the page width.

use super::super::text;
use super::context::{Context, Out};
use super::events::EventsBand;
use super::lanes_draw::TherapyLanesBand;
use super::responses::ResponsesBand;
use super::shapes::{bar_shape, rect};
use super::stack::{Band, BandKind, Placement, Sizing};
use super::tracks::TracksBand;
use crate::model::{EventKind, ResponseResult, Therapy};
use crate::scene::{Anchor, Color, MarkerShape, Point, Rect, Shape, Stroke};
use crate::theme::{self, Hatch, Theme};

/// One legend entry: a swatch and its words.
#[derive(Clone)]
pub(crate) struct Entry {
    pub swatch: Swatch,
    pub label: String,
}

/// What a legend entry shows.
#[derive(Clone, Copy)]
pub(crate) enum Swatch {
    /// A therapy bar.
    Bar(Color, Hatch),
    /// A marker.
    Marker(MarkerShape, Color),
    /// A shaded band (normal range, group strip).
    Band(Color),
    /// A line (solid or dashed).
    Line(Stroke),
    /// An arrow pointing right ("ongoing").
    Arrow(Color),
}

/// The legend entry of a therapy: its bar and its name.
pub(crate) fn therapy_entry(th: &Theme, t: Therapy) -> Entry {
    Entry {
        swatch: Swatch::Bar(th.therapy(t), th.hatch(t)),
        label: t.name().to_string(),
    }
}

/// The legend entry of a response result: its marker, "PR partial response".
pub(crate) fn response_entry(th: &Theme, r: ResponseResult) -> Entry {
    Entry {
        swatch: Swatch::Marker(theme::response_shape(r), th.response(r)),
        label: format!("{} {}", r.name(), r.long_name().to_lowercase()),
    }
}

/// The legend entry of an event kind: its marker and display name.
pub(crate) fn event_entry(th: &Theme, k: EventKind) -> Entry {
    Entry {
        swatch: Swatch::Marker(theme::event_shape(k), th.event(k)),
        label: k.display().to_string(),
    }
}

/// A packed entry: the entry, its left x and width.
type Row = Vec<(Entry, f32, f32)>;

/// The legend, packed with and without its "normal range" entry.
pub(crate) struct LegendBand {
    rows: Vec<Row>,
    /// Without "normal range", for when the budget drops every track that shows one.
    rows_without_normal: Vec<Row>,
    /// Per track (in order), whether it shows a normal range.
    track_normal: Vec<bool>,
}

impl LegendBand {
    pub fn plan(
        cx: &Context,
        lanes: &TherapyLanesBand,
        responses: &ResponsesBand,
        events: &EventsBand,
        tracks: &TracksBand,
    ) -> LegendBand {
        let (th, tl) = (&cx.theme, cx.timeline);
        let mut legend = Vec::new();
        let mut therapies: Vec<Therapy> = Vec::new();
        for b in lanes.lanes.iter().flat_map(|l| &l.bars) {
            let t = tl.phases[b.idx].therapy;
            if !therapies.contains(&t) {
                therapies.push(t);
            }
        }
        therapies.sort();
        for t in therapies {
            legend.push(therapy_entry(th, t));
        }
        for &r in ResponseResult::ALL {
            if responses
                .responses
                .iter()
                .any(|p| tl.responses[p.idx].result == r)
            {
                legend.push(response_entry(th, r));
            }
        }
        for &k in EventKind::ALL {
            if events.events.iter().any(|p| tl.events[p.idx].kind == k) {
                legend.push(event_entry(th, k));
            }
        }
        let track_normal: Vec<bool> = tracks.tracks.iter().map(|t| t.normal).collect();
        if track_normal.iter().any(|n| *n) {
            legend.push(Entry {
                swatch: Swatch::Band(th.normal_range),
                label: "normal range".to_string(),
            });
        }
        let rows = pack(cx, legend.clone());
        let rows_without_normal = if legend.iter().any(|e| matches!(e.swatch, Swatch::Band(_))) {
            legend.retain(|e| !matches!(e.swatch, Swatch::Band(_)));
            pack(cx, legend)
        } else {
            rows.clone()
        };
        LegendBand {
            rows,
            rows_without_normal,
            track_normal,
        }
    }

    /// A legend of these entries, in this order (the cohort figures build their own).
    pub fn from_entries(cx: &Context, entries: Vec<Entry>) -> LegendBand {
        let rows = pack(cx, entries);
        LegendBand {
            rows_without_normal: rows.clone(),
            rows,
            track_normal: Vec::new(),
        }
    }

    /// The rows for what this sizing draws: "normal range" only while a drawn track shows
    /// one.
    fn rows_for(&self, sizing: &Sizing) -> &[Row] {
        if self
            .track_normal
            .iter()
            .take(sizing.tracks_shown)
            .any(|n| *n)
        {
            &self.rows
        } else {
            &self.rows_without_normal
        }
    }
}

fn row_height(cx: &Context) -> f32 {
    cx.sizes.body.height() * 1.35
}

/// Packs legend entries into rows that fit the page width.
fn pack(cx: &Context, legend: Vec<Entry>) -> Vec<Row> {
    let s = &cx.sizes;
    let w = cx.width;
    let swatch_w = s.body.size * 1.1;
    let avail_w = w - 2.0 * s.margin;
    let mut rows: Vec<Row> = Vec::new();
    let mut x = s.margin;
    let mut row: Row = Vec::new();
    for e in legend {
        let mut label = e.label.clone();
        let max_label = avail_w - swatch_w - s.space;
        if s.body.width(&label) > max_label {
            label = text::ellipsize(&label, s.body, max_label).unwrap_or_default();
        }
        let ew = swatch_w + s.space * 0.8 + s.body.width(&label);
        if !row.is_empty() && x + ew > w - s.margin {
            rows.push(std::mem::take(&mut row));
            x = s.margin;
        }
        row.push((Entry { label, ..e }, x, ew));
        x += ew + s.body.size * 1.4;
    }
    if !row.is_empty() {
        rows.push(row);
    }
    rows
}

impl Band for LegendBand {
    fn kind(&self) -> BandKind {
        BandKind::Legend
    }

    fn height(&self, cx: &Context, sizing: &Sizing) -> f32 {
        let rows = self.rows_for(sizing);
        if rows.is_empty() {
            return 0.0;
        }
        rows.len() as f32 * row_height(cx) + sizing.gap(cx) * 0.6
    }

    fn emit(&self, cx: &Context, sizing: &Sizing, stack: &Placement, out: &mut Out) {
        let mut y = stack.top(BandKind::Legend);
        for row in self.rows_for(sizing) {
            let cy = y + row_height(cx) / 2.0;
            for (e, x, _) in row {
                draw_entry(cx, e, *x, cy, out);
            }
            y += row_height(cx);
        }
    }
}

fn draw_entry(cx: &Context, e: &Entry, x: f32, cy: f32, out: &mut Out) {
    let (s, th) = (&cx.sizes, &cx.theme);
    let sw = s.body.size * 1.1;
    match e.swatch {
        Swatch::Bar(c, hatch) => {
            let r = Rect::from_xywh(x, cy - sw * 0.35, sw, sw * 0.7);
            bar_shape(out, r, c, hatch, th, None, s);
        }
        Swatch::Marker(shape, c) => out.shape(
            Shape::Marker {
                center: Point::new(x + sw / 2.0, cy),
                shape,
                size: s.marker,
                fill: c,
                stroke: Some(Stroke::solid(s.line * 0.8, th.marker_outline())),
            },
            None,
        ),
        Swatch::Band(c) => out.shape(
            rect(
                Rect::from_xywh(x, cy - sw * 0.35, sw, sw * 0.7),
                Some(c),
                None,
            ),
            None,
        ),
        Swatch::Line(st) => out.line(Point::new(x, cy), Point::new(x + sw, cy), st),
        Swatch::Arrow(c) => arrow(out, Point::new(x, cy), sw, sw * 0.55, c, s.line),
    }
    let t = s
        .body
        .centered(&e.label, x + sw + s.space * 0.8, cy, Anchor::Start, th.text);
    out.text(t, None);
}

/// A right-pointing arrow: a shaft from `from` and a filled head, `len` long, `h` tall
/// (the swimmer's "ongoing at the cut-off" and its legend entry).
pub(crate) fn arrow(out: &mut Out, from: Point, len: f32, h: f32, c: Color, line: f32) {
    let head = (h * 0.9).min(len * 0.6);
    let tip = Point::new(from.x + len, from.y);
    out.line(
        from,
        Point::new(tip.x - head * 0.5, tip.y),
        Stroke::solid((line * 1.6).max(h * 0.18), c),
    );
    out.shape(
        Shape::Path {
            points: vec![
                Point::new(tip.x - head, tip.y - h / 2.0),
                tip,
                Point::new(tip.x - head, tip.y + h / 2.0),
            ],
            closed: true,
            fill: Some(c),
            stroke: None,
        },
        None,
    );
}

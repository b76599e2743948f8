//! The events band: one symbol per event at its day, its label beside it (right, else left)
//! in the first of up to six rows where it fits, a faint guide down to the axis.

use super::super::pack::Rows;
use super::super::text;
use super::context::{Context, Out};
use super::stack::{Band, BandKind, Placement, Sizing};
use crate::scene::{Anchor, ItemRef, Point, Shape, Stroke};
use crate::theme;

/// Which side of its symbol a label sits on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LabelSide {
    /// Starts right of the symbol.
    Right,
    /// Ends left of the symbol.
    Left,
}

/// A placed event.
pub(crate) struct PlacedEvent {
    /// Index into `events`.
    pub idx: usize,
    x: f32,
    row: usize,
    label: Option<(String, LabelSide)>,
}

/// The events in the window, packed into rows.
pub(crate) struct EventsBand {
    pub events: Vec<PlacedEvent>,
    rows: usize,
}

const MAX_EVENT_ROWS: usize = 6;

impl EventsBand {
    pub fn plan(cx: &Context) -> EventsBand {
        let tl = cx.timeline;
        let mut rows = Rows::new(MAX_EVENT_ROWS);
        let mut idxs: Vec<usize> = (0..tl.events.len())
            .filter(|&i| cx.day_shown(tl.events[i].at.day as f64))
            .collect();
        idxs.sort_by_key(|&i| tl.events[i].at.day);
        let events = idxs
            .into_iter()
            .map(|i| place_event(cx, i, &mut rows))
            .collect();
        EventsBand {
            events,
            rows: rows.len(),
        }
    }
}

/// Places one event: its label right of the symbol, else left, in the first free row; the
/// symbol alone when no row has room for the label.
fn place_event(cx: &Context, i: usize, rows: &mut Rows) -> PlacedEvent {
    let (s, tl) = (&cx.sizes, cx.timeline);
    let (plot_x0, plot_x1, pad) = (cx.plot_x0, cx.plot_x1, cx.plot_pad);
    let e = &tl.events[i];
    let x = cx.x_of(e.at.day as f64);
    let m = s.marker;
    let mut label = String::new();
    if e.at.is_approximate() {
        label.push('~');
    }
    label.push_str(&e.label);
    if let Some(g) = e.grade {
        label.push_str(&format!(" (G{g})"));
    }
    let mut lw = s.body.width(&label);
    // A label wider than the room on either side of its symbol is shortened to the
    // wider side (with "…") rather than left out.
    let room_r = plot_x1 + pad - (x + m / 2.0 + s.space * 0.5);
    let room_l = x - m / 2.0 - s.space * 0.5 - plot_x0;
    if lw > room_r
        && lw > room_l
        && let Some(short) = text::ellipsize(&label, s.body, room_r.max(room_l))
    {
        label = short;
        lw = s.body.width(&label);
    }
    let right = (x - m / 2.0, x + m / 2.0 + s.space * 0.5 + lw);
    let left = (x - m / 2.0 - s.space * 0.5 - lw, x + m / 2.0);
    let right_ok = right.1 <= plot_x1 + pad;
    let left_ok = left.0 >= plot_x0;
    for r in 0..MAX_EVENT_ROWS {
        if right_ok && rows.is_free(r, right.0, right.1 + s.space) {
            rows.occupy(r, right.0, right.1 + s.space);
            return PlacedEvent {
                idx: i,
                x,
                row: r,
                label: Some((label, LabelSide::Right)),
            };
        }
        // Right labels keep `space` of air after them; a left label may start there.
        if left_ok && rows.is_free(r, left.0, left.1) {
            rows.occupy(r, left.0 - s.space, left.1);
            return PlacedEvent {
                idx: i,
                x,
                row: r,
                label: Some((label, LabelSide::Left)),
            };
        }
    }
    // No room for the label: the symbol alone, in a row where it fits.
    let r = rows.place(x - m / 2.0, x + m / 2.0).unwrap_or(0);
    PlacedEvent {
        idx: i,
        x,
        row: r,
        label: None,
    }
}

/// Height of one event row.
fn row_height(cx: &Context) -> f32 {
    let s = &cx.sizes;
    s.body.height().max(s.marker) * 1.2
}

impl Band for EventsBand {
    fn kind(&self) -> BandKind {
        BandKind::Events
    }

    fn height(&self, cx: &Context, _: &Sizing) -> f32 {
        self.rows as f32 * row_height(cx)
    }

    fn emit(&self, cx: &Context, _: &Sizing, stack: &Placement, out: &mut Out) {
        let (s, th, tl) = (&cx.sizes, &cx.theme, cx.timeline);
        let top = stack.top(BandKind::Events);
        let plot_bottom = stack.rect(BandKind::PlotEnd).max.y;
        let erh = row_height(cx);
        let labelled_events = self.events.iter().filter(|e| e.label.is_some()).count();
        for e in &self.events {
            let ev = &tl.events[e.idx];
            let cy = top + erh * (e.row as f32 + 0.5);
            // Guides only for labelled events, and only while they stay a few faint lines.
            if e.label.is_some() && labelled_events <= 60 {
                out.under(Shape::Line {
                    from: Point::new(e.x, cy + s.marker / 2.0),
                    to: Point::new(e.x, plot_bottom),
                    stroke: Stroke {
                        width: s.line * 0.8,
                        color: th.guide,
                        dash: Some((s.line * 3.0, s.line * 3.0)),
                    },
                });
            }
            out.shape(
                Shape::Marker {
                    center: Point::new(e.x, cy),
                    shape: theme::event_shape(ev.kind),
                    size: s.marker,
                    fill: th.event(ev.kind),
                    stroke: None,
                },
                Some(ItemRef::Event(e.idx)),
            );
            if let Some((label, side)) = &e.label {
                let t = match side {
                    LabelSide::Right => s.body.centered(
                        label,
                        e.x + s.marker / 2.0 + s.space * 0.5,
                        cy,
                        Anchor::Start,
                        th.text,
                    ),
                    LabelSide::Left => s.body.centered(
                        label,
                        e.x - s.marker / 2.0 - s.space * 0.5,
                        cy,
                        Anchor::End,
                        th.text,
                    ),
                };
                out.text(t, Some(ItemRef::Event(e.idx)));
            }
        }
        if !self.events.is_empty() {
            let t = s.bold.centered(
                "Events",
                cx.column_right,
                top + erh * 0.5,
                Anchor::End,
                th.text,
            );
            out.text(t, None);
        }
    }
}

//! The interval band: a bracket per interval (e.g. progression-free survival) with its name
//! and computed length above it, stacked in up to six rows; a side cut by the time window is
//! dashed instead of ending in a tick.

use super::super::pack::Rows;
use super::super::text;
use super::context::{Context, Cut, Out};
use super::stack::{Band, BandKind, Placement, Sizing};
use crate::scene::{Anchor, ItemRef, Point, Shape, Stroke};

struct Bracket {
    idx: usize,
    x0: f32,
    x1: f32,
    row: usize,
    label: String,
    label_x: f32,
    cut: Cut,
}

/// The brackets in the window.
pub(crate) struct IntervalsBand {
    brackets: Vec<Bracket>,
    rows: usize,
}

impl IntervalsBand {
    pub fn plan(cx: &Context) -> IntervalsBand {
        let (s, tl) = (&cx.sizes, cx.timeline);
        let (plot_x0, plot_x1) = (cx.plot_x0, cx.plot_x1);
        let mut rows = Rows::new(6);
        let mut brackets = Vec::new();
        let mut idxs: Vec<usize> = (0..tl.intervals.len())
            .filter(|&i| {
                let iv = &tl.intervals[i];
                cx.span_shown(iv.span.start.day as f64, iv.span.end.day as f64)
            })
            .collect();
        idxs.sort_by_key(|&i| {
            let sp = tl.intervals[i].span;
            (sp.start.day, std::cmp::Reverse(sp.end.day))
        });
        for i in idxs {
            let iv = &tl.intervals[i];
            let x0 = cx.x_of(iv.span.start.day as f64);
            let x1 = cx.x_of(iv.span.end.day as f64);
            let mut label = iv.length_label();
            // A name too wide for the plot is shortened with "…"; the computed length stays.
            if s.bold.width(&label) > plot_x1 - plot_x0
                && let Some(len) = label.strip_prefix(iv.label.as_str())
                && let Some(short) =
                    text::ellipsize(&iv.label, s.bold, plot_x1 - plot_x0 - s.bold.width(len))
            {
                label = format!("{short}{len}");
            }
            let lw = s.bold.width(&label);
            let label_x = ((x0 + x1) / 2.0).clamp(
                plot_x0 + lw / 2.0,
                (plot_x1 - lw / 2.0).max(plot_x0 + lw / 2.0),
            );
            let (e0, e1) = (x0.min(label_x - lw / 2.0), x1.max(label_x + lw / 2.0));
            if let Some(row) = rows.place(e0 - s.space, e1 + s.space) {
                brackets.push(Bracket {
                    idx: i,
                    x0,
                    x1,
                    row,
                    label,
                    label_x,
                    cut: Cut {
                        start: (iv.span.start.day as f64) < cx.day_lo,
                        end: (iv.span.end.day as f64) > cx.day_hi,
                    },
                });
            }
        }
        IntervalsBand {
            brackets,
            rows: rows.len(),
        }
    }
}

fn row_height(cx: &Context) -> f32 {
    cx.sizes.bold.height() + cx.sizes.space * 2.0
}

impl Band for IntervalsBand {
    fn kind(&self) -> BandKind {
        BandKind::Intervals
    }

    fn height(&self, cx: &Context, _: &Sizing) -> f32 {
        self.rows as f32 * row_height(cx)
    }

    fn emit(&self, cx: &Context, _: &Sizing, stack: &Placement, out: &mut Out) {
        let top = stack.top(BandKind::Intervals);
        for b in &self.brackets {
            draw_bracket(cx, b, top + row_height(cx) * b.row as f32, out);
        }
    }
}

/// One bracket with its label, in the row starting at `top`.
fn draw_bracket(cx: &Context, b: &Bracket, top: f32, out: &mut Out) {
    let (s, th) = (&cx.sizes, &cx.theme);
    let ly = top + s.bold.height();
    let line_y = ly + s.space * 0.5;
    let tick = s.space * 0.8;
    let st = Stroke::solid(s.line * 1.5, th.bracket);
    let m = Some(ItemRef::Interval(b.idx));
    // A side cut by the time window has no end tick: its last stretch is dashed, so
    // the bracket does not seem to start or end at the window's edge.
    let dash_len = (tick * 4.0).min((b.x1 - b.x0) * 0.3).max(0.0);
    let (sx0, sx1) = (
        if b.cut.start { b.x0 + dash_len } else { b.x0 },
        if b.cut.end { b.x1 - dash_len } else { b.x1 },
    );
    let mut points = Vec::with_capacity(4);
    if !b.cut.start {
        points.push(Point::new(b.x0, line_y + tick));
    }
    points.push(Point::new(sx0, line_y));
    points.push(Point::new(sx1, line_y));
    if !b.cut.end {
        points.push(Point::new(b.x1, line_y + tick));
    }
    out.shape(
        Shape::Path {
            points,
            closed: false,
            fill: None,
            stroke: Some(st),
        },
        m,
    );
    let dashed = Stroke {
        dash: Some((s.line * 3.0, s.line * 2.5)),
        ..st
    };
    for (on, a, z) in [(b.cut.start, b.x0, sx0), (b.cut.end, sx1, b.x1)] {
        if on && z > a {
            out.shape(
                Shape::Line {
                    from: Point::new(a, line_y),
                    to: Point::new(z, line_y),
                    stroke: dashed,
                },
                m,
            );
        }
    }
    if cx.timeline.intervals[b.idx].span.is_ongoing() && !b.cut.end && b.x1 - b.x0 > tick * 2.0 {
        // An open end: a small arrowhead.
        out.shape(
            Shape::Path {
                points: vec![
                    Point::new(b.x1 - tick, line_y - tick * 0.5),
                    Point::new(b.x1, line_y),
                    Point::new(b.x1 - tick, line_y + tick * 0.5),
                ],
                closed: false,
                fill: None,
                stroke: Some(st),
            },
            m,
        );
    }
    let t = s.bold.text(
        &b.label,
        b.label_x,
        ly - s.bold.descent(),
        Anchor::Middle,
        th.text,
    );
    out.text(t, m);
}

//! The disease-status band: one coloured segment per state with its label inside, or, when
//! the segment is too narrow, in rows alternating below and above the band with a leader.

use super::super::pack;
use super::context::{Context, Out};
use super::shapes::rect;
use super::stack::{Band, BandKind, Placement, Sizing};
use crate::scene::{Anchor, ItemRef, Point, Rect, Shape, Stroke};

struct Segment {
    idx: usize,
    pieces: Vec<(f32, f32)>,
    label: String,
    /// The piece holding the label, when it fits inside.
    inside: Option<usize>,
    /// (row, label centre x) for a label moved out of the band.
    out_row: Option<(usize, f32)>,
    anchor_x: f32,
}

/// The status segments in the window.
pub(crate) struct StatusBand {
    segments: Vec<Segment>,
    out_rows: usize,
}

impl StatusBand {
    pub fn plan(cx: &Context) -> StatusBand {
        let (s, tl) = (&cx.sizes, cx.timeline);
        let mut segments = Vec::new();
        let mut outside: Vec<(usize, f32, f32)> = Vec::new();
        let mut idxs: Vec<usize> = (0..tl.statuses.len())
            .filter(|&i| {
                let st = &tl.statuses[i];
                cx.span_shown(st.span.start.day as f64, st.span.end.day as f64)
            })
            .collect();
        idxs.sort_by_key(|&i| tl.statuses[i].span.start.day);
        for i in idxs {
            let st = &tl.statuses[i];
            let pieces = cx.pieces(st.span.start.day as f64, st.span.end.day as f64);
            // No `~` on states (as for bars): "~Active" says nothing a reader can use.
            let label = st.label.clone();
            let lw = s.small.width(&label);
            let widest = pieces
                .iter()
                .enumerate()
                .max_by(|x, y| (x.1.1 - x.1.0).total_cmp(&(y.1.1 - y.1.0)))
                .map(|(k, p)| (k, *p));
            let mut inside = None;
            let mut anchor_x = 0.0;
            if let Some((k, (p0, p1))) = widest {
                anchor_x = (p0 + p1) / 2.0;
                if lw + s.space * 1.2 <= p1 - p0 {
                    inside = Some(k);
                } else {
                    outside.push((segments.len(), anchor_x, lw));
                }
            }
            segments.push(Segment {
                idx: i,
                pieces,
                label,
                inside,
                out_row: None,
                anchor_x,
            });
        }
        let out_rows = spread_outside_labels(cx, &mut segments, outside);
        StatusBand { segments, out_rows }
    }
}

/// Labels that do not fit their segment go below the band, spread along rows in the order of
/// their segments (so leaders do not cross), each as near its segment as room allows; labels
/// alternate between rows when one row cannot hold them all. Returns the rows used.
fn spread_outside_labels(
    cx: &Context,
    segments: &mut [Segment],
    mut outside: Vec<(usize, f32, f32)>,
) -> usize {
    if outside.is_empty() {
        return 0;
    }
    outside.sort_by(|a, b| a.1.total_cmp(&b.1));
    let sep = cx.sizes.body.size * 1.2;
    for k in 1..=6usize {
        let mut rows_ok = Vec::new();
        for r in 0..k {
            let members: Vec<&(usize, f32, f32)> = outside.iter().skip(r).step_by(k).collect();
            let wanted: Vec<f32> = members.iter().map(|m| m.1 - m.2 / 2.0).collect();
            let widths: Vec<f32> = members.iter().map(|m| m.2).collect();
            match pack::spread(&wanted, &widths, sep, cx.plot_x0, cx.plot_x1) {
                Some(lefts) => rows_ok.push((members, lefts)),
                None => break,
            }
        }
        if rows_ok.len() == k {
            for (r, (members, lefts)) in rows_ok.into_iter().enumerate() {
                for (m, l) in members.into_iter().zip(lefts) {
                    if let Some(st) = segments.get_mut(m.0) {
                        st.out_row = Some((r, l + m.2 / 2.0));
                    }
                }
            }
            return k;
        }
    }
    0
}

fn band_height(cx: &Context) -> f32 {
    cx.sizes.small.height() * 1.45
}

fn row_height(cx: &Context) -> f32 {
    cx.sizes.small.height() * 1.15 + cx.sizes.space * 0.5
}

impl Band for StatusBand {
    fn kind(&self) -> BandKind {
        BandKind::Status
    }

    fn height(&self, cx: &Context, sizing: &Sizing) -> f32 {
        if self.segments.is_empty() {
            return 0.0;
        }
        let mut h = band_height(cx) + self.out_rows as f32 * row_height(cx) + sizing.gap(cx) * 0.5;
        if self.out_rows >= 2 {
            h += cx.sizes.space * 0.5;
        }
        h
    }

    fn emit(&self, cx: &Context, _: &Sizing, stack: &Placement, out: &mut Out) {
        if self.segments.is_empty() {
            return;
        }
        let (s, th) = (&cx.sizes, &cx.theme);
        // Labels moved out of the band alternate below it (rows 0, 2, …) and above it
        // (rows 1, 3, …), so a leader never crosses the labels of another row.
        let above_rows = self.out_rows / 2;
        let status_y = stack.top(BandKind::Status)
            + above_rows as f32 * row_height(cx)
            + if above_rows > 0 { s.space * 0.5 } else { 0.0 };
        let band = Rect::from_xywh(
            cx.plot_x0,
            status_y,
            cx.plot_x1 - cx.plot_x0,
            band_height(cx),
        );
        for seg in &self.segments {
            draw_segment(cx, seg, band, out);
        }
        let t = s.bold.centered(
            "Status",
            cx.column_right,
            status_y + band_height(cx) / 2.0,
            Anchor::End,
            th.text,
        );
        out.text(t, None);
    }
}

/// One state's pieces, its label inside or in an outside row with a leader.
fn draw_segment(cx: &Context, seg: &Segment, band: Rect, out: &mut Out) {
    let (s, th) = (&cx.sizes, &cx.theme);
    let item = &cx.timeline.statuses[seg.idx];
    let fill = th.status(item.state);
    let m = Some(ItemRef::Status(seg.idx));
    for (k, (x0, x1)) in seg.pieces.iter().enumerate() {
        let r = Rect::from_min_max(
            Point::new(*x0, band.min.y),
            Point::new(x1.max(x0 + 1.0), band.max.y),
        );
        out.shape(
            rect(
                r,
                Some(fill),
                th.bar_outline.map(|c| Stroke::solid(s.line * 0.6, c)),
            ),
            m,
        );
        if seg.inside == Some(k) {
            let t = s.small.centered(
                &seg.label,
                (x0 + x1) / 2.0,
                r.center().y,
                Anchor::Middle,
                th.text_on(fill),
            );
            out.text(t, m);
        }
    }
    let Some((row, label_x)) = seg.out_row else {
        return;
    };
    let rh = row_height(cx);
    let level = (row / 2) as f32;
    let (t, from, to_y) = if row % 2 == 0 {
        let top = band.max.y + s.space * 0.5 + level * rh;
        let t = s
            .small
            .at_top(&seg.label, label_x, top, Anchor::Middle, th.text);
        (t, band.max.y, top)
    } else {
        let bottom = band.min.y - s.space * 0.5 - level * rh;
        let t = s.small.at_top(
            &seg.label,
            label_x,
            bottom - s.small.height(),
            Anchor::Middle,
            th.text,
        );
        (t, band.min.y, bottom)
    };
    let lead_to = Point::new(seg.anchor_x.clamp(t.bbox.min.x, t.bbox.max.x), to_y);
    out.under(Shape::Line {
        from: Point::new(seg.anchor_x, from),
        to: lead_to,
        stroke: Stroke::solid(s.line * 0.8, th.leader),
    });
    out.text(t, m);
}

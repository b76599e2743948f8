//! The responses band: a marker per response assessment (shape and colour by result), its
//! result under it in up to three rows, and the criteria beside the header when all agree.

use super::super::pack::Rows;
use super::super::text;
use super::context::{Context, Out};
use super::stack::{Band, BandKind, Placement, Sizing};
use crate::scene::{Anchor, ItemRef, Point, Shape, Stroke};
use crate::theme;

/// A placed response.
pub(crate) struct PlacedResponse {
    /// Index into `responses`.
    pub idx: usize,
    x: f32,
    row: Option<usize>,
    label: String,
}

/// The responses in the window.
pub(crate) struct ResponsesBand {
    pub responses: Vec<PlacedResponse>,
    rows: usize,
}

impl ResponsesBand {
    pub fn plan(cx: &Context) -> ResponsesBand {
        let (s, tl) = (&cx.sizes, cx.timeline);
        let mut rows = Rows::new(3);
        let mut responses = Vec::new();
        let mut idxs: Vec<usize> = (0..tl.responses.len())
            .filter(|&i| cx.day_shown(tl.responses[i].at.day as f64))
            .collect();
        idxs.sort_by_key(|&i| tl.responses[i].at.day);
        for i in idxs {
            let r = &tl.responses[i];
            let x = cx.x_of(r.at.day as f64);
            let label = format!(
                "{}{}",
                if r.at.is_approximate() { "~" } else { "" },
                r.result.name()
            );
            let lw = s.small.width(&label);
            let label_x = x.clamp(cx.plot_x0 + lw / 2.0, cx.plot_x1 - lw / 2.0);
            let row = rows.place(
                label_x - lw / 2.0 - s.space * 0.4,
                label_x + lw / 2.0 + s.space * 0.4,
            );
            responses.push(PlacedResponse {
                idx: i,
                x,
                row,
                label,
            });
        }
        ResponsesBand {
            responses,
            rows: rows.len(),
        }
    }
}

impl Band for ResponsesBand {
    fn kind(&self) -> BandKind {
        BandKind::Responses
    }

    fn height(&self, cx: &Context, _: &Sizing) -> f32 {
        let s = &cx.sizes;
        if self.responses.is_empty() {
            0.0
        } else {
            s.marker * 1.4 + self.rows as f32 * s.small.height() * 1.05 + s.space * 0.5
        }
    }

    fn emit(&self, cx: &Context, _: &Sizing, stack: &Placement, out: &mut Out) {
        if self.responses.is_empty() {
            return;
        }
        let (s, th, tl) = (&cx.sizes, &cx.theme, cx.timeline);
        let top = stack.top(BandKind::Responses);
        let cy = top + s.marker * 0.7;
        for r in &self.responses {
            let res = tl.responses[r.idx].result;
            let m = Some(ItemRef::Response(r.idx));
            out.shape(
                Shape::Marker {
                    center: Point::new(r.x, cy),
                    shape: theme::response_shape(res),
                    size: s.marker,
                    fill: th.response(res),
                    stroke: Some(Stroke::solid(s.line * 0.7, th.marker_outline())),
                },
                m,
            );
            if let Some(row) = r.row {
                let label_top = top + s.marker * 1.4 + row as f32 * s.small.height() * 1.05;
                let mut t = s.small.at_top(
                    &r.label,
                    r.x,
                    label_top,
                    Anchor::Middle,
                    th.response_text(res),
                );
                text::clamp_x(&mut t, cx.plot_x0, cx.plot_x1);
                out.text(t, m);
            }
        }
        draw_header(cx, cy, out);
    }
}

/// "Response" in the label column, and under it the criteria when every response agrees.
fn draw_header(cx: &Context, cy: f32, out: &mut Out) {
    let (s, th, tl) = (&cx.sizes, &cx.theme, cx.timeline);
    let criteria = tl
        .responses
        .iter()
        .find_map(|r| r.criteria.clone())
        .filter(|c| {
            tl.responses
                .iter()
                .all(|r| r.criteria.as_deref().is_none_or(|x| x == c))
        });
    let head = s
        .bold
        .centered("Response", cx.column_right, cy, Anchor::End, th.text);
    out.text(head, None);
    if let Some(c) = criteria {
        let t = s.small.at_top(
            &c,
            cx.column_right,
            cy + s.bold.height() / 2.0,
            Anchor::End,
            th.muted,
        );
        if t.bbox.min.x >= s.margin * 0.5 {
            out.text(t, None);
        }
    }
}

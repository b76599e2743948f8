//! The therapy lanes band, drawn: per lane a grid line and its name in the label column, per
//! phase a bar (arrow when ongoing, fading chevron when cut by the window, slanted marks at
//! axis breaks), dose ticks, and the label where [`super::lanes`] placed it.

use super::context::{Context, Out};
use super::lanes::{Bar, LabelPlace, Lane};
use super::shapes::{bar_shape, break_mark, cut_fade};
use super::stack::{Band, BandKind, Placement, Sizing};
use crate::scene::{Anchor, Color, ItemRef, Point, Rect, Shape, Stroke, Text};

/// The lanes, top to bottom.
pub(crate) struct TherapyLanesBand {
    /// The planned lanes.
    pub lanes: Vec<Lane>,
}

impl TherapyLanesBand {
    /// Sub-rows over all lanes.
    pub fn total_rows(&self) -> usize {
        self.lanes.iter().map(|l| l.rows).sum()
    }
}

impl Band for TherapyLanesBand {
    fn kind(&self) -> BandKind {
        BandKind::TherapyLanes
    }

    fn height(&self, cx: &Context, sizing: &Sizing) -> f32 {
        self.total_rows() as f32 * sizing.lane_row + sizing.gap(cx) * 0.3
    }

    fn emit(&self, cx: &Context, sizing: &Sizing, stack: &Placement, out: &mut Out) {
        let mut lane_top = stack.top(BandKind::TherapyLanes);
        for lane in &self.lanes {
            draw_lane(cx, sizing, lane, lane_top, out);
            lane_top += lane.rows as f32 * sizing.lane_row;
        }
    }
}

fn draw_lane(cx: &Context, sizing: &Sizing, lane: &Lane, lane_top: f32, out: &mut Out) {
    let (s, th) = (&cx.sizes, &cx.theme);
    let lane_h = lane.rows as f32 * sizing.lane_row;
    if lane_h >= 1.0 {
        out.under(Shape::Line {
            from: Point::new(cx.plot_x0, lane_top + lane_h),
            to: Point::new(cx.plot_x1, lane_top + lane_h),
            stroke: Stroke::solid(s.line * 0.6, th.grid),
        });
    }
    // The lane's name beside its first row, or beside the whole lane when rows are
    // too thin to hold text.
    let label_cy = if sizing.lane_row >= s.body.height() * 0.9 {
        lane_top + sizing.lane_row / 2.0
    } else {
        lane_top + lane_h / 2.0
    };
    if lane_h >= s.body.height() * 0.9 {
        let lt = s
            .body
            .centered(&lane.label, cx.column_right, label_cy, Anchor::End, th.text);
        out.text(lt, None);
    }
    for b in &lane.bars {
        draw_bar(cx, sizing, b, lane_top, out);
    }
}

/// The vertical frame of a bar in its sub-row.
struct BarFrame {
    top: f32,
    height: f32,
    center_y: f32,
    arrow_len: f32,
    fill: Color,
}

fn draw_bar(cx: &Context, sizing: &Sizing, b: &Bar, lane_top: f32, out: &mut Out) {
    let (s, th) = (&cx.sizes, &cx.theme);
    let ph = &cx.timeline.phases[b.idx];
    let fill = th.therapy(ph.therapy);
    let m = Some(ItemRef::Phase(b.idx));
    let row_top = lane_top + b.row as f32 * sizing.lane_row;
    let bar_h = (sizing.lane_row * 0.74).max(1.0);
    let cy = row_top + sizing.lane_row / 2.0;
    let frame = BarFrame {
        top: cy - bar_h / 2.0,
        height: bar_h,
        center_y: cy,
        arrow_len: (s.body.size * 0.8).min(bar_h * 1.2),
        fill,
    };
    for k in 0..b.pieces.len() {
        draw_piece(cx, b, k, &frame, out);
    }
    let inside_label = inside_label(cx, sizing, b, &frame);
    let keep_clear = inside_label
        .as_ref()
        .map(|t| (t.bbox.min.x - s.space * 0.5, t.bbox.max.x + s.space * 0.5));
    draw_dose_ticks(cx, b, &frame, keep_clear, out);
    if !sizing.bar_labels {
        return;
    }
    if let Some(t) = inside_label {
        out.text(t, m);
    }
    let outside = match b.place {
        LabelPlace::Right => {
            Some(
                s.bold
                    .centered(&b.label, b.x1() + s.space, cy, Anchor::Start, th.text),
            )
        }
        LabelPlace::Left => {
            Some(
                s.bold
                    .centered(&b.label, b.x0() - s.space, cy, Anchor::End, th.text),
            )
        }
        LabelPlace::Below(row, x) => {
            let cy = lane_top + row as f32 * sizing.lane_row + sizing.lane_row / 2.0;
            Some(s.bold.centered(&b.label, x, cy, Anchor::Start, th.text))
        }
        LabelPlace::Inside(_) | LabelPlace::None => None,
    };
    if let Some(t) = outside {
        out.text(t, m);
    }
}

/// One visible piece of a bar: the bar, its arrowhead (ongoing, last piece), fades at the
/// window's edges, slanted marks where an axis break cuts it.
fn draw_piece(cx: &Context, b: &Bar, k: usize, f: &BarFrame, out: &mut Out) {
    let (s, th) = (&cx.sizes, &cx.theme);
    let ph = &cx.timeline.phases[b.idx];
    let m = Some(ItemRef::Phase(b.idx));
    let outline = th.bar_outline.map(|c| Stroke::solid(s.line * 0.8, c));
    let (x0, x1) = b.pieces[k];
    let last = k + 1 == b.pieces.len();
    let (top, bar_h, cy) = (f.top, f.height, f.center_y);
    let mut x1b = x1.max(x0 + 2.0f32.min(s.line * 3.0));
    if last && b.arrow {
        let tip = x1;
        let shaft_end = (tip - f.arrow_len).max(x0);
        let flare = bar_h * 0.12;
        out.shape(
            Shape::Path {
                points: vec![
                    Point::new(shaft_end, top - flare),
                    Point::new(tip, cy),
                    Point::new(shaft_end, top + bar_h + flare),
                ],
                closed: true,
                fill: Some(f.fill),
                stroke: outline,
            },
            m,
        );
        x1b = shaft_end;
    }
    // Cut by the time window: the bar fades out towards the plot edge and ends in
    // a chevron pointing on, so it does not read as stopping there.
    let fw = s.cut_fade_width().min((x1b - x0) * 0.45).max(0.0);
    let fade_l = k == 0 && b.cut.start && fw > 1.0;
    let fade_r = last && b.cut.end && fw > 1.0;
    let sx0 = if fade_l { x0 + fw } else { x0 };
    let sx1 = if fade_r { x1b - fw } else { x1b };
    if sx1 > sx0 {
        // Under the fade's first step, so the cut end shows no rounded corner.
        let hide = bar_h * 0.3;
        let (rx0, rx1) = (
            if fade_l { sx0 - hide } else { sx0 },
            if fade_r { sx1 + hide } else { sx1 },
        );
        let r = Rect::from_min_max(Point::new(rx0, top), Point::new(rx1, top + bar_h));
        bar_shape(out, r, f.fill, th.hatch(ph.therapy), th, m, s);
    }
    if fade_l {
        cut_fade(out, (sx0, x0), top, bar_h, f.fill, th, m, s);
    }
    if fade_r {
        cut_fade(out, (sx1, x1b), top, bar_h, f.fill, th, m, s);
    }
    // Broken bar across an axis break: slanted marks at the cut.
    if !last {
        break_mark(out, x1, cy, bar_h, th, s);
        if let Some((nx, _)) = b.pieces.get(k + 1) {
            break_mark(out, *nx, cy, bar_h, th, s);
        }
    }
}

/// The label inside the bar, if it goes there (dose ticks leave room for it).
fn inside_label(cx: &Context, sizing: &Sizing, b: &Bar, f: &BarFrame) -> Option<Text> {
    let (s, th) = (&cx.sizes, &cx.theme);
    let LabelPlace::Inside(k) = b.place else {
        return None;
    };
    if !sizing.bar_labels {
        return None;
    }
    let n = b.pieces.len();
    b.pieces.get(k).map(|(x0, x1)| {
        let fw = s.cut_fade_width().min((x1 - x0) * 0.45);
        let x1 = if k + 1 == n && b.arrow {
            x1 - f.arrow_len
        } else if k + 1 == n && b.cut.end {
            x1 - fw
        } else {
            *x1
        };
        let x0 = if k == 0 && b.cut.start { x0 + fw } else { *x0 };
        s.bold.centered(
            &b.label,
            (x0 + x1) / 2.0,
            f.center_y,
            Anchor::Middle,
            th.text_on(f.fill),
        )
    })
}

/// A short tick at each dose inside the bar (not under the label, not in a rounded corner).
fn draw_dose_ticks(
    cx: &Context,
    b: &Bar,
    f: &BarFrame,
    keep_clear: Option<(f32, f32)>,
    out: &mut Out,
) {
    let (s, th) = (&cx.sizes, &cx.theme);
    if f.height < 6.0 {
        return;
    }
    let ph = &cx.timeline.phases[b.idx];
    let m = Some(ItemRef::Phase(b.idx));
    let tick_c = {
        let c = th.text_on(f.fill);
        Color::rgba(c.r, c.g, c.b, 200)
    };
    for d in &ph.doses {
        let dd = d.day as f64;
        if dd < cx.day_lo || dd > cx.day_hi {
            continue;
        }
        let x = cx.time_axis.x_of(dd);
        if keep_clear.is_some_and(|(a, c)| x >= a && x <= c) {
            continue;
        }
        // Not in a rounded corner, where the tick would stick out of the bar.
        let corner = (f.height * 0.18).min(s.body.size * 0.3) + s.line;
        if b.pieces
            .iter()
            .any(|(a, c)| x >= *a + corner && x <= *c - corner)
        {
            out.shape(
                Shape::Line {
                    from: Point::new(x, f.top + f.height),
                    to: Point::new(x, f.top + f.height * 0.72),
                    stroke: Stroke::solid(s.line, tick_c),
                },
                m,
            );
        }
    }
}

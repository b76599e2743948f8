//! Small drawing helpers several bands share: rectangles, therapy bars (with hatching), the
//! fading end of a bar cut by the time window, axis-break marks, thumbnails, axis lines.

use std::sync::Arc;

use super::context::{Out, Sizes};
use crate::model::ImageData;
use crate::scene::{Color, ItemRef, Point, Rect, Shape, Stroke, TimeAxis};
use crate::theme::{Hatch, Theme};

/// A plain rectangle shape.
pub(crate) fn rect(r: Rect, fill: Option<Color>, stroke: Option<Stroke>) -> Shape {
    Shape::Rect {
        rect: r,
        corner: 0.0,
        fill,
        stroke,
    }
}

/// A thumbnail and its frame.
pub(crate) fn image_shape(
    out: &mut Out,
    r: Rect,
    data: Arc<ImageData>,
    m: Option<ItemRef>,
    th: &Theme,
    s: &Sizes,
) {
    out.shape(Shape::Image { rect: r, data }, m);
    out.shape(
        rect(r, None, Some(Stroke::solid(s.line * 0.8, th.muted))),
        m,
    );
}

/// The fading end of a bar cut by the time window: steps of falling opacity from `from.0`
/// (the solid bar's end) to `from.1` (the plot edge), and a chevron at the edge pointing
/// outwards.
#[allow(clippy::too_many_arguments)]
pub(crate) fn cut_fade(
    out: &mut Out,
    (inner, edge): (f32, f32),
    top: f32,
    bar_h: f32,
    fill: Color,
    th: &Theme,
    m: Option<ItemRef>,
    s: &Sizes,
) {
    const STEPS: usize = 5;
    let dir = if edge >= inner { 1.0 } else { -1.0 };
    let step = (edge - inner) / STEPS as f32;
    for i in 0..STEPS {
        let a = inner + step * i as f32;
        let b = a + step;
        let alpha = f32::from(fill.a) * (1.0 - i as f32 / STEPS as f32 * 0.85);
        let c = Color::rgba(
            fill.r,
            fill.g,
            fill.b,
            alpha.round().clamp(0.0, 255.0) as u8,
        );
        out.shape(
            rect(
                Rect::from_min_max(Point::new(a.min(b), top), Point::new(a.max(b), top + bar_h)),
                Some(c),
                None,
            ),
            m,
        );
    }
    // Chevron just inside the edge, in the text colour so it shows on any fill.
    let ch = (bar_h * 0.32).max(1.5);
    let tip = edge - dir * s.line * 1.5;
    let back = tip - dir * ch * 0.8;
    out.shape(
        Shape::Path {
            points: vec![
                Point::new(back, top + bar_h / 2.0 - ch),
                Point::new(tip, top + bar_h / 2.0),
                Point::new(back, top + bar_h / 2.0 + ch),
            ],
            closed: false,
            fill: None,
            stroke: Some(Stroke::solid(s.line * 1.3, th.text)),
        },
        m,
    );
}

/// A slanted mark where a bar crosses an axis break.
pub(crate) fn break_mark(out: &mut Out, x: f32, cy: f32, h: f32, th: &Theme, s: &Sizes) {
    let d = h * 0.3;
    out.shape(
        Shape::Line {
            from: Point::new(x - d * 0.5, cy + h * 0.6),
            to: Point::new(x + d * 0.5, cy - h * 0.6),
            stroke: Stroke::solid(s.line * 1.5, th.break_mark),
        },
        None,
    );
}

/// A bar: filled rect, outline in print, hatch lines when the theme hatches.
pub(crate) fn bar_shape(
    out: &mut Out,
    r: Rect,
    fill: Color,
    hatch: Hatch,
    th: &Theme,
    m: Option<ItemRef>,
    s: &Sizes,
) {
    out.shape(
        Shape::Rect {
            rect: r,
            corner: (r.height() * 0.18)
                .min(r.width() / 2.0)
                .min(s.body.size * 0.3),
            fill: Some(fill),
            stroke: th.bar_outline.map(|c| Stroke::solid(s.line * 0.8, c)),
        },
        m,
    );
    if !th.hatched || hatch == Hatch::None || r.width() < 2.0 || r.height() < 4.0 {
        return;
    }
    let c = th.text_on(fill);
    let st = Stroke::solid(s.line * 0.7, Color::rgba(c.r, c.g, c.b, 150));
    let step = (r.height() * 0.45).max(4.0);
    match hatch {
        Hatch::Vertical => {
            let mut x = r.min.x + step / 2.0;
            while x < r.max.x {
                out.shape(
                    Shape::Line {
                        from: Point::new(x, r.min.y),
                        to: Point::new(x, r.max.y),
                        stroke: st,
                    },
                    None,
                );
                x += step;
            }
        }
        Hatch::Horizontal => {
            let y = r.center().y;
            out.shape(
                Shape::Line {
                    from: Point::new(r.min.x, y),
                    to: Point::new(r.max.x, y),
                    stroke: st,
                },
                None,
            );
        }
        Hatch::Diagonal | Hatch::BackDiagonal => {
            // Lines at 45°, clipped to the rectangle.
            let hgt = r.height();
            let mut k = r.min.x - hgt;
            let mut n = 0;
            while k < r.max.x && n < 2000 {
                n += 1;
                // Line from (k, bottom) to (k + hgt, top), clipped in x.
                let (xa, xb) = (k.max(r.min.x), (k + hgt).min(r.max.x));
                if xb > xa {
                    let ya = r.max.y - (xa - k);
                    let yb = r.max.y - (xb - k);
                    let (fa, fb) = if hatch == Hatch::Diagonal {
                        (Point::new(xa, ya), Point::new(xb, yb))
                    } else {
                        // Mirror vertically inside the rect.
                        (
                            Point::new(xa, r.min.y + r.max.y - ya),
                            Point::new(xb, r.min.y + r.max.y - yb),
                        )
                    };
                    out.shape(
                        Shape::Line {
                            from: fa,
                            to: fb,
                            stroke: st,
                        },
                        None,
                    );
                }
                k += step;
            }
        }
        Hatch::None => {}
    }
}

/// True when `day` lies in a stretch compressed out of the axis.
pub(crate) fn in_break(axis: &TimeAxis, day: f64) -> bool {
    axis.segments
        .windows(2)
        .any(|w| day > w[0].day1 && day < w[1].day0)
}

/// An axis line, interrupted at the breaks.
pub(crate) fn axis_line(out: &mut Out, axis: &TimeAxis, y: f32, px0: f32, px1: f32, st: Stroke) {
    let mut x = px0;
    for (b0, b1) in axis.breaks() {
        out.line(Point::new(x, y), Point::new(b0, y), st);
        x = b1;
    }
    out.line(Point::new(x, y), Point::new(px1, y), st);
}

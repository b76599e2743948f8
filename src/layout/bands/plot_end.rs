//! The space that closes the plot (between the last track and the bottom axis). It also
//! draws what spans the whole plot: at each axis break, slanted marks at the plot's top and
//! bottom and a faint band through it marking the hidden stretch.

use super::super::AxisMode;
use super::context::{Context, Out};
use super::rel_axis::axis_label_height;
use super::shapes::rect;
use super::stack::{Band, BandKind, Placement, Sizing};
use crate::scene::{Color, Point, Rect, Shape, Stroke};

/// The plot's closing space and its axis-break marks.
pub(crate) struct PlotEndBand;

impl Band for PlotEndBand {
    fn kind(&self) -> BandKind {
        BandKind::PlotEnd
    }

    fn height(&self, cx: &Context, sizing: &Sizing) -> f32 {
        sizing.gap(cx) * 0.3
    }

    fn emit(&self, cx: &Context, _: &Sizing, stack: &Placement, out: &mut Out) {
        let (s, th) = (&cx.sizes, &cx.theme);
        let plot_top = stack.top(BandKind::Events);
        let plot_bottom = stack.rect(BandKind::PlotEnd).max.y;
        for (bx0, bx1) in cx.time_axis.breaks() {
            let center_x = (bx0 + bx1) / 2.0;
            let mark_h = s.body.size * 0.8;
            let top_mark = if cx.axis_mode == AxisMode::Both {
                stack.top(BandKind::RelativeAxisTop) + axis_label_height(cx)
            } else {
                plot_top + mark_h / 2.0
            };
            for yy in [top_mark, plot_bottom] {
                for dx in [-s.space * 0.35, s.space * 0.35] {
                    out.shape(
                        Shape::Line {
                            from: Point::new(center_x + dx - mark_h * 0.25, yy + mark_h / 2.0),
                            to: Point::new(center_x + dx + mark_h * 0.25, yy - mark_h / 2.0),
                            stroke: Stroke::solid(s.line * 1.5, th.break_mark),
                        },
                        None,
                    );
                }
            }
            // A faint band through the whole plot marks the hidden stretch.
            out.under(rect(
                Rect::from_min_max(Point::new(bx0, plot_top), Point::new(bx1, plot_bottom)),
                Some(Color::rgba(th.grid.r, th.grid.g, th.grid.b, 150)),
                None,
            ));
        }
    }
}

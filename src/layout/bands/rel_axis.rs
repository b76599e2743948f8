//! The relative time axis (days / weeks / months from day 0): above the plot when dates are
//! drawn below it, else below the plot.

use super::super::AxisMode;
use super::super::axis::{self, RelUnit, Tick};
use super::super::text;
use super::context::{Context, Out};
use super::shapes::{axis_line, in_break};
use super::stack::{Band, BandKind, Placement, Sizing};
use crate::scene::{Anchor, Point, Stroke};

/// Which side of the plot an axis is drawn on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AxisSide {
    /// Above the plot: tick labels above the line.
    Top,
    /// Below the plot: tick labels under the line.
    Bottom,
}

/// The relative axis on one side of the plot (no ticks when it is drawn on the other side
/// or not at all).
pub(crate) struct RelativeAxisBand {
    side: AxisSide,
    ticks: Option<(RelUnit, Vec<Tick>)>,
    /// What time zero is when it is not day 0 ("first therapy": "months from first therapy").
    origin: Option<String>,
}

/// Height of an axis line with its tick labels.
pub(crate) fn axis_label_height(cx: &Context) -> f32 {
    cx.sizes.small.height() + cx.sizes.space * 1.2
}

impl RelativeAxisBand {
    pub fn plan(cx: &Context, side: AxisSide) -> RelativeAxisBand {
        let wanted_side = match cx.axis_mode {
            AxisMode::Dates => None,
            AxisMode::Both => Some(AxisSide::Top),
            AxisMode::Relative => Some(AxisSide::Bottom),
        };
        RelativeAxisBand::plan_if(cx, side, wanted_side == Some(side))
    }

    /// The axis on `side` whatever the axis mode (a tall cohort figure has one on each side).
    pub fn plan_on(cx: &Context, side: AxisSide) -> RelativeAxisBand {
        RelativeAxisBand::plan_if(cx, side, true)
    }

    fn plan_if(cx: &Context, side: AxisSide, drawn: bool) -> RelativeAxisBand {
        let ticks = drawn.then(|| {
            let s = &cx.sizes;
            let label_width = |t: &str| s.small.width(t);
            // Calm ticks: at least four em apart.
            axis::relative_ticks(
                cx.day_lo,
                cx.day_hi,
                cx.px_per_day,
                &label_width,
                s.body.size * 3.0,
            )
        });
        RelativeAxisBand {
            side,
            ticks,
            origin: None,
        }
    }

    /// The axis counting from `origin` instead of day 0 (cohort figures).
    pub fn counting_from(mut self, origin: &str) -> RelativeAxisBand {
        self.origin = Some(origin.to_string());
        self
    }
}

impl Band for RelativeAxisBand {
    fn kind(&self) -> BandKind {
        match self.side {
            AxisSide::Top => BandKind::RelativeAxisTop,
            AxisSide::Bottom => BandKind::RelativeAxisBottom,
        }
    }

    fn height(&self, cx: &Context, _: &Sizing) -> f32 {
        let s = &cx.sizes;
        match (&self.ticks, self.side) {
            (None, _) => 0.0,
            (Some(_), AxisSide::Top) => axis_label_height(cx) + s.space + self.title_row(cx),
            (Some(_), AxisSide::Bottom) => axis_label_height(cx) + s.space + s.small.height(),
        }
    }

    fn emit(&self, cx: &Context, _: &Sizing, stack: &Placement, out: &mut Out) {
        let Some((unit, ticks)) = &self.ticks else {
            return;
        };
        let top = stack.top(self.kind());
        let line_y = match self.side {
            AxisSide::Top => top + self.title_row(cx) + axis_label_height(cx),
            AxisSide::Bottom => top,
        };
        draw_ticks(cx, ticks, line_y, self.side, out);
        let title = self.title(*unit);
        // Time zero must stay named: a cohort's axis title is never shortened to "months".
        let short = self.origin.is_none().then(|| unit.short_title());
        draw_title(cx, (&title, short), line_y, self.side, out);
    }
}

impl RelativeAxisBand {
    /// "months from day 0", or from the cohort's time zero.
    fn title(&self, unit: RelUnit) -> String {
        match &self.origin {
            Some(o) => format!("{} from {o}", unit.short_title()),
            None => unit.title().to_string(),
        }
    }

    /// The row an axis above the plot keeps over its tick labels for its title, when the
    /// title does not fit in the label column (under the line it would cover the first lane).
    fn title_row(&self, cx: &Context) -> f32 {
        match (&self.ticks, self.side) {
            (Some((unit, _)), AxisSide::Top) => {
                let short = self.origin.is_none().then(|| unit.short_title());
                if column_title(cx, (&self.title(*unit), short)).is_some() {
                    0.0
                } else {
                    cx.sizes.small.height() * 1.1
                }
            }
            _ => 0.0,
        }
    }
}

/// The axis line, its ticks and their labels (a label that would touch the previous one is
/// left out: the ticks are calm enough that the next one says the same).
fn draw_ticks(cx: &Context, ticks: &[Tick], line_y: f32, side: AxisSide, out: &mut Out) {
    let (s, th, axis) = (&cx.sizes, &cx.theme, &cx.time_axis);
    let (px0, px1) = (cx.plot_x0, cx.plot_x1);
    let st = Stroke::solid(s.line, th.axis);
    axis_line(out, axis, line_y, px0, px1, st);
    let tick_len = s.space * 0.7;
    let mut last_right = f32::NEG_INFINITY;
    for t in ticks {
        if t.day < cx.day_lo || t.day > cx.day_hi || in_break(axis, t.day) {
            continue;
        }
        let x = axis.x_of(t.day);
        let (a, b) = match side {
            AxisSide::Top => (line_y - tick_len, line_y),
            AxisSide::Bottom => (line_y, line_y + tick_len),
        };
        out.line(Point::new(x, a), Point::new(x, b), st);
        let mut txt = match side {
            AxisSide::Top => s.small.text(
                &t.label,
                x,
                line_y - tick_len - s.small.descent() - s.space * 0.2,
                Anchor::Middle,
                th.text,
            ),
            AxisSide::Bottom => s.small.at_top(
                &t.label,
                x,
                line_y + tick_len + s.space * 0.2,
                Anchor::Middle,
                th.text,
            ),
        };
        text::clamp_x(&mut txt, px0 - s.space, px1 + s.space * 0.5);
        if txt.bbox.min.x > last_right + s.space && out.text(txt.clone(), None) {
            last_right = txt.bbox.max.x;
        }
    }
}

/// The axis title that fits in the label column (the long one, else the short one), if any.
fn column_title<'a>(cx: &Context, (long, short): (&'a str, Option<&'a str>)) -> Option<&'a str> {
    let s = &cx.sizes;
    let avail = cx.column_right - s.margin;
    if s.small.width(long) <= avail {
        Some(long)
    } else {
        short.filter(|t| s.small.width(t) <= cx.column_right)
    }
}

/// The axis title ("months from day 0") in the label column, or at the axis' right end when
/// the column has no room: under the line below the plot, over the tick labels above it (in
/// the row [`RelativeAxisBand::title_row`] keeps).
fn draw_title(
    cx: &Context,
    (long, short): (&str, Option<&str>),
    line_y: f32,
    side: AxisSide,
    out: &mut Out,
) {
    let (s, th) = (&cx.sizes, &cx.theme);
    let tick_len = s.space * 0.7;
    if let Some(title) = column_title(cx, (long, short)) {
        let title_y = match side {
            AxisSide::Top => line_y - tick_len - s.small.height() / 2.0,
            AxisSide::Bottom => line_y + tick_len + s.small.height() / 2.0,
        };
        let t = s
            .small
            .centered(title, cx.column_right, title_y, Anchor::End, th.muted);
        out.text(t, None);
        return;
    }
    let top = match side {
        AxisSide::Top => line_y - axis_label_height(cx) - s.small.height() * 1.1,
        AxisSide::Bottom => line_y + tick_len + s.small.height() * 1.1,
    };
    let t = s.small.at_top(long, cx.plot_x1, top, Anchor::End, th.muted);
    out.text(t, None);
}

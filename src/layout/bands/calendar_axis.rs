//! The calendar axis under the plot: day / month / quarter / year ticks, and a second row of
//! context labels (the year under "Jan", "Apr 2021" under day ticks).

use super::super::AxisMode;
use super::super::axis::{self, CalendarTicks, Tick};
use super::super::text::{self, Style};
use super::context::{Context, Out};
use super::shapes::{axis_line, in_break};
use super::stack::{Band, BandKind, Placement, Sizing};
use crate::scene::{Anchor, Point, Stroke, TimeAxis};

/// The calendar ticks, when the figure draws dates.
pub(crate) struct CalendarAxisBand {
    ticks: Option<CalendarTicks>,
}

impl CalendarAxisBand {
    pub fn plan(cx: &Context) -> CalendarAxisBand {
        let s = &cx.sizes;
        let ticks = match (cx.axis_mode, cx.timeline.day_zero) {
            (AxisMode::Dates | AxisMode::Both, Some(z)) => {
                let zero = crate::time::days_from_civil(z);
                let label_width = |t: &str| s.bold.width(t).max(s.small.width(t));
                let mut c = axis::calendar_ticks(
                    zero,
                    cx.day_lo,
                    cx.day_hi,
                    cx.px_per_day,
                    &label_width,
                    s.space * 2.0,
                );
                label_segments(&mut c, &cx.time_axis, zero);
                Some(c)
            }
            _ => None,
        };
        CalendarAxisBand { ticks }
    }
}

impl Band for CalendarAxisBand {
    fn kind(&self) -> BandKind {
        BandKind::CalendarAxis
    }

    fn height(&self, cx: &Context, _: &Sizing) -> f32 {
        let s = &cx.sizes;
        match &self.ticks {
            Some(c) if !c.context.is_empty() => s.space * 1.2 + s.small.height() * 2.1,
            Some(_) => s.space * 1.2 + s.small.height() * 1.1,
            None => 0.0,
        }
    }

    fn emit(&self, cx: &Context, _: &Sizing, stack: &Placement, out: &mut Out) {
        if let Some(cal) = &self.ticks {
            let line_y = stack.top(BandKind::CalendarAxis);
            draw_ticks(cx, cal, line_y, out);
            draw_context(cx, cal, line_y, out);
        }
    }
}

/// The axis line, ticks (major ones longer, labels bold) and their labels.
fn draw_ticks(cx: &Context, cal: &CalendarTicks, line_y: f32, out: &mut Out) {
    let (s, th, axis) = (&cx.sizes, &cx.theme, &cx.time_axis);
    let (px0, px1) = (cx.plot_x0, cx.plot_x1);
    let st = Stroke::solid(s.line, th.axis);
    axis_line(out, axis, line_y, px0, px1, st);
    let tick_len = s.space * 0.7;
    let mut last_right = f32::NEG_INFINITY;
    for t in &cal.ticks {
        if in_break(axis, t.day) {
            continue;
        }
        let x = axis.x_of(t.day);
        let len = if t.major { tick_len * 1.6 } else { tick_len };
        out.line(Point::new(x, line_y), Point::new(x, line_y + len), st);
        let style = if t.major {
            Style::bold(s.small.size)
        } else {
            s.small
        };
        let mut txt = style.at_top(
            &t.label,
            x,
            line_y + tick_len * 1.6 + s.space * 0.1,
            Anchor::Middle,
            th.text,
        );
        text::clamp_x(&mut txt, px0 - s.space, px1 + s.space * 0.5);
        if txt.bbox.min.x > last_right + s.space * 0.5 && out.text(txt.clone(), None) {
            last_right = txt.bbox.max.x;
        }
    }
}

/// The context row (years, "Apr 2021"), placed right to left: when the partial first month
/// (named at the window's start) meets the next month's name, the full month keeps its name.
fn draw_context(cx: &Context, cal: &CalendarTicks, line_y: f32, out: &mut Out) {
    let (s, th, axis) = (&cx.sizes, &cx.theme, &cx.time_axis);
    let (px0, px1) = (cx.plot_x0, cx.plot_x1);
    let tick_len = s.space * 0.7;
    let mut first_left = f32::INFINITY;
    // A hair under the day numbers: boxes that merely touch must not count as overlapping
    // after rounding (it dropped every month name on some figures).
    let row2 = line_y + tick_len * 1.6 + s.space * 0.1 + s.small.height() * 1.02;
    let bold = Style::bold(s.small.size);
    for c in cal.context.iter().rev() {
        if in_break(axis, c.day) {
            continue;
        }
        let x = axis.x_of(c.day);
        // "Apr 2021" under day ticks starts at the month's first day (it names the days to
        // its right); a year under "Jan" stays centred on it.
        let anchor = if c.label.contains(' ') {
            Anchor::Start
        } else {
            Anchor::Middle
        };
        let mut txt = bold.at_top(&c.label, x, row2, anchor, th.text);
        let before = txt.bbox.min.x;
        text::clamp_x(&mut txt, px0 - s.space, px1 + s.space * 0.5);
        // A month pushed back under the previous month's days would name the wrong days.
        if anchor == Anchor::Start && txt.bbox.min.x < before - s.space {
            continue;
        }
        // A year centred on its tick may move left (still under its tick) to keep clear of
        // the next label, rather than leave a stretch without its year.
        let overlap = txt.bbox.max.x + s.space - first_left;
        if anchor == Anchor::Middle && overlap >= 0.0 && overlap < txt.bbox.width() * 0.4 {
            text::shift_x(&mut txt, -(overlap + 0.5));
        }
        if txt.bbox.max.x + s.space < first_left && out.text(txt.clone(), None) {
            first_left = txt.bbox.min.x;
        }
    }
}

/// After a break the ticks of a new stretch need their year (or month) again: each axis
/// segment whose first tick has no context label gets one there.
fn label_segments(c: &mut CalendarTicks, axis: &TimeAxis, zero: i64) {
    if axis.segments.len() < 2 || c.context.is_empty() {
        return;
    }
    let month_year = c.context.iter().any(|t| t.label.contains(' '));
    for seg in &axis.segments {
        let inside = |d: f64| d >= seg.day0 && d <= seg.day1;
        let Some(first) = c.ticks.iter().find(|t| inside(t.day)) else {
            continue;
        };
        // Named already at its first tick; a later "2020" under Jan would leave the ticks
        // before it reading as the year before the break.
        if c.context.iter().any(|t| t.day == first.day) {
            continue;
        }
        let (y, m, _) = crate::time::ymd_from_days(zero + first.day.floor() as i64);
        let label = if month_year {
            format!("{} {y}", axis::MONTHS[(m - 1).clamp(0, 11) as usize])
        } else {
            y.to_string()
        };
        c.context.push(Tick {
            day: first.day,
            label,
            major: true,
        });
    }
    c.context.sort_by(|a, b| a.day.total_cmp(&b.day));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::AxisSegment;

    #[test]
    fn the_first_tick_after_a_break_carries_its_year() {
        // Issue 8: "Oct 2012 // Apr Jul Oct Jan 2020" read a 2019 event as 2012.
        let zero = crate::time::days_from_civil(jiff::civil::date(2012, 1, 1));
        let day = |y: i16, m: i8, d: i8| {
            (crate::time::days_from_civil(jiff::civil::date(y, m, d)) - zero) as f64
        };
        let (a0, a1) = (day(2012, 8, 20), day(2012, 12, 20));
        let (b0, b1) = (day(2019, 3, 10), day(2020, 3, 1));
        let axis = TimeAxis {
            segments: vec![
                AxisSegment {
                    day0: a0,
                    day1: a1,
                    x0: 0.0,
                    x1: 200.0,
                },
                AxisSegment {
                    day0: b0,
                    day1: b1,
                    x0: 230.0,
                    x1: 800.0,
                },
            ],
        };
        let mut c = axis::calendar_ticks(zero, a0, b1, 0.6, &|_| 30.0, 10.0);
        label_segments(&mut c, &axis, zero);
        for (s0, s1, year) in [(a0, a1, "2012"), (b0, b1, "2019")] {
            let first = c
                .ticks
                .iter()
                .find(|t| t.day >= s0 && t.day <= s1)
                .expect("a tick in the segment");
            let context = c.context.iter().find(|t| t.day == first.day);
            assert_eq!(
                context.map(|t| t.label.as_str()),
                Some(year),
                "first tick {:?} of the segment {s0}..{s1}: {:?}",
                first.label,
                c.context
            );
        }
    }
}

//! The swimmer plot: title · legend · one lane per patient · relative axis ("months from
//! first therapy"), stacked by the one stacker.
//!
//! A lane: the label in the left column (shortened to fit), the group's colour strip
//! between column and plot, a thin grey line from the lane's start to its end (follow-up),
//! the therapy bars in the theme's therapy colours (overlapping phases in sub-rows, a
//! one-day phase at least a hairline wide), a dark line for the duration of response, the
//! marks with the single-patient figure's shapes and colours (marks closer than a marker
//! width are spread side by side around their mean, never dropped), and an arrow past the
//! end when a phase is ongoing at the cut-off. Reference lines are dashed, labelled "6 mo"
//! above the lanes.
//!
//! Height: a page that grows gives every lane a labelled row. A fixed page first shrinks
//! the rows to the label height, then draws thinner lanes without labels, then leaves the
//! last lanes out — each listed in `Scene::left_out` with the height that shows them all.

use super::super::LayoutOptions;
use super::super::bands::context::{Context, Out, Sizes};
use super::super::bands::legend::{
    self, Entry, LegendBand, Swatch, event_entry, response_entry, therapy_entry,
};
use super::super::bands::rel_axis::{AxisSide, RelativeAxisBand};
use super::super::bands::shapes::{bar_shape, rect};
use super::super::bands::stack::{self, Band, BandKind, Placement, Sizing};
use super::super::bands::title::TitleBand;
use super::super::build;
use super::super::pack::Rows;
use super::super::text;
use super::{CohortScene, common_subtitle, frame, sizing, stub_timeline};
use crate::cohort::swimmer::{Lane, Mark, MarkKind, lanes};
use crate::cohort::{Cohort, SortBy};
use crate::model::{EventKind, ResponseResult, Therapy};
use crate::page::Page;
use crate::scene::{
    Anchor, Color, ItemRef, LeftOut, LeftOutPart, PatientPart, Point, Rect, Shape, Stroke,
};
use crate::theme;

/// The lanes band.
pub(crate) struct SwimLanesBand {
    lanes: Vec<Lane>,
    /// Group index of each lane (into `Cohort::groups`).
    groups: Vec<Option<usize>>,
    labels: Vec<String>,
    /// Lanes drawn (the first ones).
    shown: usize,
    lane_row: f32,
    show_labels: bool,
    /// Reference lines, days from time zero.
    refs: Vec<f64>,
    /// Bars coloured by line of therapy.
    by_line: bool,
}

/// Row heights: a labelled lane, the most a lane's bar grows to (a row taller than that, on a
/// sparse slide, spreads the lanes out instead), the thinnest lane drawn.
pub(super) fn row_limits(s: &Sizes) -> (f32, f32, f32) {
    let label = s.small.height() * 1.1;
    (label, s.body.height() * 3.2, (s.line * 3.0).max(3.0))
}

/// Lane row, lanes shown and whether they carry labels, for `n` lanes in `avail` pixels
/// (`None`: the page grows).
fn plan_rows(n: usize, avail: Option<f32>, s: &Sizes) -> (f32, usize, bool) {
    let (label, _, min) = row_limits(s);
    let Some(avail) = avail else {
        return (label * 1.35, n, true);
    };
    if n == 0 {
        return (label, 0, true);
    }
    let per = avail / n as f32;
    if per >= label {
        // A few lanes on a slide fill its height, spaced out like a plot panel, rather than
        // leave half the slide white; their bars stop growing at the largest row (see `draw_lane`).
        (per, n, true)
    } else if per >= min {
        (per, n, false)
    } else {
        let shown = ((avail / min).floor().max(0.0) as usize).min(n);
        (
            if shown > 0 { avail / shown as f32 } else { min },
            shown,
            false,
        )
    }
}

impl SwimLanesBand {
    fn header(&self, cx: &Context) -> f32 {
        if self.refs.is_empty() {
            cx.sizes.space * 0.5
        } else {
            cx.sizes.small.height() * 1.2
        }
    }
}

impl Band for SwimLanesBand {
    fn kind(&self) -> BandKind {
        BandKind::SwimLanes
    }

    fn height(&self, cx: &Context, _: &Sizing) -> f32 {
        self.header(cx) + self.shown as f32 * self.lane_row + cx.sizes.space
    }

    fn emit(&self, cx: &Context, _: &Sizing, stack: &Placement, out: &mut Out) {
        let top = stack.top(BandKind::SwimLanes) + self.header(cx);
        let bottom = top + self.shown as f32 * self.lane_row;
        draw_refs(cx, &self.refs, top, bottom, out);
        for (i, lane) in self.lanes.iter().take(self.shown).enumerate() {
            let cy = top + (i as f32 + 0.5) * self.lane_row;
            self.draw_lane(cx, i, lane, cy, out);
        }
    }
}

/// Dashed reference lines through the lanes, labelled above them.
fn draw_refs(cx: &Context, refs: &[f64], top: f32, bottom: f32, out: &mut Out) {
    let (s, th) = (&cx.sizes, &cx.theme);
    for &d in refs {
        if !cx.day_shown(d) {
            continue;
        }
        let x = cx.x_of(d);
        let st = Stroke {
            width: s.line,
            color: th.muted,
            dash: Some((s.space * 0.8, s.space * 0.6)),
        };
        out.under(Shape::Line {
            from: Point::new(x, top),
            to: Point::new(x, bottom),
            stroke: st,
        });
        let months = d / crate::model::DAYS_PER_MONTH;
        let label = format!("{} mo", trim_number(months));
        let mut t = s
            .small
            .text(&label, x, top - s.small.descent(), Anchor::Middle, th.muted);
        text::clamp_x(&mut t, cx.plot_x0, cx.plot_x1);
        out.text(t, None);
    }
}

/// `6`, `1.5`: at most one decimal, none when whole.
pub(crate) fn trim_number(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

impl SwimLanesBand {
    fn draw_lane(&self, cx: &Context, i: usize, lane: &Lane, cy: f32, out: &mut Out) {
        let (s, th) = (&cx.sizes, &cx.theme);
        let m = Some(ItemRef::Patient(i));
        // Lanes spread out on a sparse page keep bars, marks and group strips at the
        // largest lane's size.
        let row = self.lane_row.min(row_limits(s).1);
        let bar_h = (row * 0.62).max(1.0);
        if self.show_labels {
            let avail = cx.column_right - s.margin;
            if let Some(label) = text::ellipsize(&self.labels[i], s.small, avail) {
                let t = s
                    .small
                    .centered(&label, cx.column_right, cy, Anchor::End, th.text);
                out.text(t, m);
            }
        }
        if let Some(g) = self.groups[i] {
            let r = Rect::from_min_max(
                Point::new(cx.column_right + s.space * 0.4, cy - row * 0.45),
                Point::new(cx.plot_x0 - s.space * 0.4, cy + row * 0.45),
            );
            out.shape(rect(r, Some(th.group(g)), None), m);
        }
        let (x0, x1) = (cx.x_of(lane.start as f64), cx.x_of(lane.end as f64));
        let follow = Color::rgba(th.muted.r, th.muted.g, th.muted.b, 140);
        let fh = (bar_h * 0.28).max(1.0);
        if cx.span_shown(lane.start as f64, lane.end as f64) {
            out.shape(
                rect(
                    Rect::from_min_max(
                        Point::new(x0, cy - fh / 2.0),
                        Point::new(x1, cy + fh / 2.0),
                    ),
                    Some(follow),
                    None,
                ),
                m,
            );
        }
        draw_segments(cx, i, lane, cy, bar_h, self.by_line, out);
        if let Some(r) = lane
            .response
            .filter(|r| cx.span_shown(r.start as f64, r.end as f64))
        {
            let (a, b) = (cx.x_of(r.start as f64), cx.x_of(r.end as f64));
            out.shape(
                Shape::Line {
                    from: Point::new(a, cy),
                    to: Point::new(b, cy),
                    stroke: Stroke::solid((bar_h * 0.16).max(s.line), th.text),
                },
                m,
            );
        }
        let size = s.marker.min(row * 0.9);
        if lane.ongoing && cx.day_shown(lane.end as f64) {
            let len = arrow_len(s);
            let from = Point::new(x1 + s.space * 0.3, cy);
            let before = out.items.len();
            legend::arrow(
                out,
                from,
                len,
                size.min(bar_h.max(size * 0.6)),
                th.text,
                s.line,
            );
            for it in &mut out.items[before..] {
                it.meaning = m;
            }
        }
        draw_marks(cx, i, lane, cy, size, out);
    }
}

/// More lanes than this get the time axis above them too.
const TOP_AXIS_LANES: usize = 30;

/// The axis above the lanes: drawn for more than [`TOP_AXIS_LANES`] lanes (a tall figure
/// repeats its axis), else an empty band.
fn top_axis(cx: &Context, lanes: usize, origin: &str) -> RelativeAxisBand {
    if lanes > TOP_AXIS_LANES {
        RelativeAxisBand::plan_on(cx, AxisSide::Top).counting_from(origin)
    } else {
        RelativeAxisBand::plan(cx, AxisSide::Top)
    }
}

/// Length of the ongoing arrow.
fn arrow_len(s: &Sizes) -> f32 {
    s.marker * 1.5
}

/// The therapy bars of a lane; overlapping phases in sub-rows of the bar's height.
fn draw_segments(
    cx: &Context,
    member: usize,
    lane: &Lane,
    cy: f32,
    bar_h: f32,
    by_line: bool,
    out: &mut Out,
) {
    let (s, th) = (&cx.sizes, &cx.theme);
    let min_w = s.line.max(1.5);
    let mut rows = Rows::new(4);
    let placed: Vec<(f32, f32, usize, Therapy, usize)> = lane
        .segments
        .iter()
        .filter(|g| cx.span_shown(g.start as f64, g.end as f64))
        .map(|g| {
            let (a, b) = (cx.x_of(g.start as f64), cx.x_of(g.end as f64));
            let b = b.max(a + min_w);
            // Overlap in time, not just touching ends, needs its own sub-row.
            let r = rows.place(a + 0.01, b - 0.01).unwrap_or(0);
            let swatch = if by_line {
                line_therapy(g.line)
            } else {
                g.therapy
            };
            (a, b, r, swatch, g.phase)
        })
        .collect();
    let n = rows.len().max(1) as f32;
    let sub = bar_h / n;
    for (a, b, r, t, phase) in placed {
        let y = cy - bar_h / 2.0 + r as f32 * sub;
        let rr = Rect::from_min_max(Point::new(a, y), Point::new(b, y + sub));
        let m = Some(ItemRef::PatientItem(member, PatientPart::Phase(phase)));
        bar_shape(out, rr, th.therapy(t), th.hatch(t), th, m, s);
    }
}

/// The therapy whose colour and hatch stand for a line of therapy: line 1 the first
/// therapy colour, line 2 the second …, cycling through seven; no line given: "Other" (grey).
fn line_therapy(line: Option<u32>) -> Therapy {
    match line {
        Some(n) => Therapy::ALL[(n.max(1) as usize - 1) % 7],
        None => Therapy::Other,
    }
}

/// The marks of a lane; those closer than a marker width are spread around their mean x.
fn draw_marks(cx: &Context, member: usize, lane: &Lane, cy: f32, size: f32, out: &mut Out) {
    let (s, th) = (&cx.sizes, &cx.theme);
    let marks: Vec<&Mark> = lane
        .marks
        .iter()
        .filter(|k| cx.day_shown(k.day as f64))
        .collect();
    let xs: Vec<f32> = marks.iter().map(|k| cx.x_of(k.day as f64)).collect();
    let mut i = 0;
    while i < xs.len() {
        let mut j = i + 1;
        while j < xs.len() && xs[j] - xs[j - 1] < size * 0.9 {
            j += 1;
        }
        let n = j - i;
        let step = size * 0.95;
        // The spread cluster stays inside the plot.
        let half = (n - 1) as f32 / 2.0 * step + size / 2.0;
        let mean = (xs[i..j].iter().sum::<f32>() / n as f32).clamp(
            cx.plot_x0 + half,
            (cx.plot_x1 - half).max(cx.plot_x0 + half),
        );
        for (k, mark) in marks[i..j].iter().enumerate() {
            let x = if n == 1 {
                xs[i]
            } else {
                mean + (k as f32 - (n - 1) as f32 / 2.0) * step
            };
            let (shape, fill) = mark_style(th, mark.kind);
            let part = match mark.kind {
                MarkKind::Response(_) => PatientPart::Response(mark.index),
                MarkKind::Event(_) => PatientPart::Event(mark.index),
            };
            let m = Some(ItemRef::PatientItem(member, part));
            out.shape(
                Shape::Marker {
                    center: Point::new(x, cy),
                    shape,
                    size,
                    fill,
                    stroke: Some(Stroke::solid(s.line * 0.6, th.marker_outline())),
                },
                m,
            );
        }
        i = j;
    }
}

/// Shape and colour of a mark: the single-patient figure's.
fn mark_style(th: &crate::theme::Theme, k: MarkKind) -> (crate::scene::MarkerShape, Color) {
    match k {
        MarkKind::Response(r) => (theme::response_shape(r), th.response(r)),
        MarkKind::Event(e) => (theme::event_shape(e), th.event(e)),
    }
}

/// The legend of what the shown lanes draw, in a fixed order: therapies, responses,
/// events, duration of response, ongoing, groups.
fn legend_entries(
    cx: &Context,
    cohort: &Cohort,
    lanes: &[Lane],
    groups: &[Option<usize>],
) -> Vec<Entry> {
    let th = &cx.theme;
    let mut out = Vec::new();
    if cohort.options.color_by_line {
        let mut lines: Vec<Option<u32>> = lanes
            .iter()
            .flat_map(|l| l.segments.iter().map(|g| g.line))
            .collect();
        // Line 1, 2 …, then "no line given".
        lines.sort_by_key(|l| l.map_or(u32::MAX, |n| n));
        lines.dedup();
        for l in lines {
            let mut e = therapy_entry(th, line_therapy(l));
            e.label = l.map_or("line not given".to_string(), |n| format!("line {n}"));
            out.push(e);
        }
    } else {
        for &t in Therapy::ALL {
            if lanes
                .iter()
                .any(|l| l.segments.iter().any(|g| g.therapy == t))
            {
                out.push(therapy_entry(th, t));
            }
        }
    }
    let has = |k: MarkKind| lanes.iter().any(|l| l.marks.iter().any(|x| x.kind == k));
    for &r in ResponseResult::ALL {
        if has(MarkKind::Response(r)) {
            out.push(response_entry(th, r));
        }
    }
    for &e in EventKind::ALL {
        if has(MarkKind::Event(e)) {
            out.push(event_entry(th, e));
        }
    }
    if lanes.iter().any(|l| l.response.is_some()) {
        out.push(Entry {
            swatch: Swatch::Line(Stroke::solid(cx.sizes.line * 2.0, th.text)),
            label: "duration of response".to_string(),
        });
    }
    if lanes.iter().any(|l| l.ongoing) {
        out.push(Entry {
            swatch: Swatch::Arrow(th.text),
            label: "treatment ongoing at data cut-off".to_string(),
        });
    }
    for (gi, g) in cohort.groups.iter().enumerate() {
        if groups.contains(&Some(gi)) {
            out.push(Entry {
                swatch: Swatch::Band(th.group(gi)),
                label: g.clone(),
            });
        }
    }
    out
}

/// The swimmer plot of a cohort on a page.
pub fn swimmer(cohort: &Cohort, opt: &LayoutOptions, page: &Page) -> CohortScene {
    let all = lanes(cohort);
    let groups: Vec<Option<usize>> = cohort
        .members
        .iter()
        .map(|m| {
            m.group
                .as_ref()
                .and_then(|g| cohort.groups.iter().position(|x| x == g))
        })
        .collect();
    let labels: Vec<String> = cohort.members.iter().map(|m| m.label.clone()).collect();
    let title = cohort
        .options
        .title
        .clone()
        .unwrap_or_else(|| "Swimmer plot".to_string());
    let stub = stub_timeline(&title);
    let refs = cohort.ref_days();
    let origin = cohort.options.align.origin();
    let sizes = Sizes::new(page, 1.0);
    // Room right of the last day: the ongoing arrows, or marks spread around a lane's end.
    let right_pad = if all.iter().any(|l| l.ongoing) {
        arrow_len(&sizes) + sizes.space * 0.6
    } else {
        sizes.marker
    };
    let range = |lanes: &[Lane]| {
        if let Some(w) = opt
            .window
            .filter(|(a, b)| a.is_finite() && b.is_finite() && b > a)
        {
            // Zoomed in time (the viewer): the window's days, whatever the lanes span.
            return w;
        }
        let lo = lanes.iter().map(|l| l.start).min().unwrap_or(0).min(0) as f64;
        let hi = lanes.iter().map(|l| l.end).max().unwrap_or(1) as f64;
        (lo, refs.iter().copied().fold(hi, f64::max))
    };
    let column_w = |show: bool, n: usize| {
        if !show {
            return 0.0;
        }
        let widest = labels[..n]
            .iter()
            .map(|l| sizes.small.width_up_to(l, page.width * 0.22))
            .fold(0.0f32, f32::max);
        // A little slack: the label is measured again when it is placed.
        (widest + sizes.space * 0.5).min(page.width * 0.22)
    };
    // Provisional frame: the heights of title, legend and axis do not depend on the column.
    let cx = frame(
        &stub,
        opt,
        page,
        range(&all),
        column_w(true, all.len()),
        right_pad,
    );
    let subtitle = |shown: usize| {
        let mut sub = common_subtitle(cohort, shown, all.len());
        if shown < all.len() {
            sub.push("the last lanes need a taller page".to_string());
        }
        sub.push(sort_words(cohort.options.sort).to_string());
        sub
    };
    let fixed = {
        let t = TitleBand::from_parts(&cx, std::slice::from_ref(&title), &subtitle(all.len()));
        let lg = LegendBand::from_entries(&cx, legend_entries(&cx, cohort, &all, &groups));
        let ax = RelativeAxisBand::plan(&cx, AxisSide::Bottom).counting_from(&origin);
        let empty = SwimLanesBand {
            lanes: Vec::new(),
            groups: Vec::new(),
            labels: Vec::new(),
            shown: 0,
            lane_row: 0.0,
            show_labels: true,
            refs: refs.clone(),
            by_line: false,
        };
        let top = top_axis(&cx, all.len(), &origin);
        stack::total_height(&[&t, &lg, &top, &empty, &ax], &cx, &sizing(0.0))
    };
    let avail = page.height.map(|h| (h - fixed - 1.0).max(0.0));
    let (lane_row, shown, show_labels) = plan_rows(all.len(), avail, &sizes);
    let mut left_out = LeftOut::default();
    let (label_row, _, _) = row_limits(&sizes);
    if shown < all.len() {
        left_out.parts.push(LeftOutPart::Patients {
            count: all.len() - shown,
        });
    }
    if !show_labels && shown > 0 {
        left_out
            .parts
            .push(LeftOutPart::LaneLabels { lanes: shown });
    }
    left_out.height_needed = Some(fixed + all.len() as f32 * label_row + 1.0);
    let lanes_shown = &all[..shown];
    let cx = frame(
        &stub,
        opt,
        page,
        range(lanes_shown),
        column_w(show_labels, shown),
        right_pad,
    );
    let title_band = TitleBand::from_parts(&cx, &[title], &subtitle(shown));
    let legend = LegendBand::from_entries(
        &cx,
        legend_entries(&cx, cohort, lanes_shown, &groups[..shown]),
    );
    let axis = RelativeAxisBand::plan(&cx, AxisSide::Bottom).counting_from(&origin);
    let top_axis = top_axis(&cx, all.len(), &origin);
    let band = SwimLanesBand {
        lanes: all,
        groups,
        labels,
        shown,
        lane_row,
        show_labels,
        refs,
        by_line: cohort.options.color_by_line,
    };
    let bands: [&dyn Band; 5] = [&title_band, &legend, &top_axis, &band, &axis];
    let composed = build::finish(
        &cx,
        &bands,
        &sizing(lane_row),
        left_out,
        opt.transparent,
        page,
        (BandKind::SwimLanes, BandKind::SwimLanes),
    );
    // Each shown lane's row, label column to plot edge: where a pointer means that patient.
    let top = composed.scene.plot.min.y + band.header(&cx);
    let lanes = (0..shown)
        .map(|i| {
            let y = top + i as f32 * lane_row;
            Rect::from_min_max(
                Point::new(cx.sizes.margin, y),
                Point::new(cx.plot_x1, y + lane_row),
            )
        })
        .collect();
    CohortScene {
        scene: composed.scene,
        not_shown: Vec::new(),
        lanes,
    }
}

/// The lane order in words, for the subtitle.
fn sort_words(sort: SortBy) -> &'static str {
    match sort {
        SortBy::Duration => "longest lane first",
        SortBy::Group => "by group, longest first",
        SortBy::Id => "by id",
        SortBy::Input => "in input order",
    }
}

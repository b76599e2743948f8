//! The layout proper: horizontal pass (time axis, packing), vertical budget, emission.

use std::sync::Arc;

use super::axis::{self, CalendarTicks, RelUnit, Tick};
use super::gaps;
use super::pack::Rows;
use super::text::{self, Style, TextIndex};
use super::{AxisMode, LayoutOptions, lane_order};
use crate::model::{EventKind, ImageData, Precision, Therapy, Timeline, When};
use crate::page::Page;
use crate::scene::{
    Anchor, Color, Item, ItemRef, MarkerShape, Point, Rect, Scene, Shape, Stroke, Text, TimeAxis,
};
use crate::theme::{self, Hatch, Theme};

/// Text styles and spacing derived from the page.
struct Sizes {
    body: Style,
    bold: Style,
    small: Style,
    title: Style,
    margin: f32,
    g: f32,
    marker: f32,
    line: f32,
}

impl Sizes {
    fn new(page: &Page) -> Sizes {
        let min = page.min_text_px.max(1.0);
        let mut base = page.width / 100.0;
        if let Some(h) = page.height {
            base = base.min(h / 50.0);
        }
        let body = base.max(min);
        let small = (body * 0.88).max(min);
        let title = (body * 1.45).max(min);
        Sizes {
            body: Style::regular(body),
            bold: Style::bold(body),
            small: Style::regular(small),
            title: Style::bold(title),
            margin: (body * 1.1).min(page.width * 0.04).max(2.0),
            g: body * 0.5,
            marker: body * 0.85,
            line: (body / 12.0).max(1.0),
        }
    }
}

/// Formats a time for labels: a date (`~` and shorter when approximate), or `day N` when
/// the timeline has no calendar anchor.
fn fmt_when(tl: &Timeline, w: When) -> String {
    let approx = if w.is_approximate() { "~" } else { "" };
    match tl.date_of(w.day) {
        None => format!("{approx}day {}", w.day),
        Some(d) => match w.precision {
            Precision::Day => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            Precision::Month => format!("~{:04}-{:02}", d.year(), d.month()),
            Precision::Year => format!("~{:04}", d.year()),
        },
    }
}

fn lane_short(name: &str) -> Option<&'static str> {
    Some(match name {
        "Surgery" => "Surg.",
        "Chemoradiotherapy" => "CRT",
        "Radiotherapy" => "RT",
        "Chemotherapy" => "Chemo",
        "Immunotherapy" => "Immuno",
        "Targeted" => "Target.",
        "Hormonal" => "Hormon.",
        _ => return None,
    })
}

/// Output collector: items in layers, and the index of placed text.
struct Out {
    under: Vec<Item>,
    items: Vec<Item>,
    texts: TextIndex,
    page: Rect,
}

impl Out {
    fn shape(&mut self, shape: Shape, meaning: Option<ItemRef>) {
        self.items.push(Item { shape, meaning });
    }
    fn under(&mut self, shape: Shape) {
        self.under.push(Item {
            shape,
            meaning: None,
        });
    }
    fn line(&mut self, from: Point, to: Point, stroke: Stroke) {
        self.shape(Shape::Line { from, to, stroke }, None);
    }
    fn text_free(&self, t: &Text) -> bool {
        self.page.contains_rect(&t.bbox) && !self.texts.collides(&t.bbox)
    }
    /// Adds a text when it is inside the page and free; returns whether it was added.
    fn text(&mut self, t: Text, meaning: Option<ItemRef>) -> bool {
        if !self.text_free(&t) {
            return false;
        }
        self.texts.insert(t.bbox);
        self.items.push(Item {
            shape: Shape::Text(t),
            meaning,
        });
        true
    }
}

fn rect(r: Rect, fill: Option<Color>, stroke: Option<Stroke>) -> Shape {
    Shape::Rect {
        rect: r,
        corner: 0.0,
        fill,
        stroke,
    }
}

/// A lane's phases, packed into sub-rows.
struct Lane {
    label: String,
    /// (phase index, sub-row, visible x pieces, label placement)
    bars: Vec<Bar>,
    rows: usize,
}

struct Bar {
    idx: usize,
    row: usize,
    pieces: Vec<(f32, f32)>,
    label: String,
    place: LabelPlace,
    arrow: bool,
    /// Runs on past the (left, right) edge of the time window.
    cut: (bool, bool),
}

#[derive(Clone, Copy, PartialEq)]
enum LabelPlace {
    Inside(usize),
    Right,
    Left,
    /// In a text-only sub-row of the lane (row, left x): for a bar with no room around it.
    Below(usize, f32),
    None,
}

/// How far a bar cut by the time window fades out before the plot edge.
fn cut_fade_w(s: &Sizes) -> f32 {
    s.body.size * 2.6
}

struct EventP {
    idx: usize,
    x: f32,
    row: usize,
    label: Option<(String, bool)>, // (text, on the right)
}

struct BracketP {
    idx: usize,
    x0: f32,
    x1: f32,
    row: usize,
    label: String,
    lx: f32,
    /// Runs on past the (left, right) edge of the time window.
    cut: (bool, bool),
}

struct StatusP {
    idx: usize,
    pieces: Vec<(f32, f32)>,
    label: String,
    inside: Option<usize>,
    out_row: Option<(usize, f32)>, // row, label centre x
    anchor_x: f32,
}

struct ResponseP {
    idx: usize,
    x: f32,
    row: Option<usize>,
    label: String,
}

struct TrackP {
    idx: usize,
    title: String,
    /// Draws a normal-range band.
    normal: bool,
    ticks: Vec<f64>,
    decimals: usize,
    lo: f64,
    hi: f64,
}

struct ImageP {
    idx: usize,
    x: f32,
    aspect: f32,
    date: String,
    caption: Option<String>,
}

#[derive(Clone)]
struct LegendEntry {
    swatch: Swatch,
    label: String,
}

#[derive(Clone, Copy)]
enum Swatch {
    Bar(Color, Hatch),
    Marker(MarkerShape, Color),
    Band(Color),
}

/// Everything decided in the horizontal pass.
struct Plan {
    title_lines: Vec<(String, Style, Color)>,
    legend_rows: Vec<Vec<(LegendEntry, f32, f32)>>, // entry, x, width
    /// The legend without its "normal range" entry, for when the budget drops every track
    /// that shows a normal range (the legend lists only what is drawn).
    legend_rows_bare: Vec<Vec<(LegendEntry, f32, f32)>>,
    rel: Option<(RelUnit, Vec<Tick>, bool)>, // unit, ticks, at top
    cal: Option<CalendarTicks>,
    events: Vec<EventP>,
    event_rows: usize,
    brackets: Vec<BracketP>,
    bracket_rows: usize,
    statuses: Vec<StatusP>,
    status_out_rows: usize,
    lanes: Vec<Lane>,
    responses: Vec<ResponseP>,
    response_rows: usize,
    tracks: Vec<TrackP>,
    images: Vec<ImageP>,
    caption_lines: usize,
    plot_x0: f32,
    plot_x1: f32,
}

/// The flexible heights chosen by the vertical budget.
#[derive(Clone, Copy)]
struct Flex {
    lane_row: f32,
    track: f32,
    thumb: f32,
    show_images: bool,
    show_tracks: bool,
    /// How many tracks (from the first) are drawn.
    n_tracks: usize,
    bar_labels: bool,
    extra_gap: f32,
}

pub(super) fn build(tl: &Timeline, opt: &LayoutOptions, page: &Page) -> Scene {
    let th = opt.theme.theme();
    let s = Sizes::new(page);
    let w = page.width.max(50.0);

    // Time range.
    let (mut lo, mut hi) = match opt.window {
        Some((a, b)) if a.is_finite() && b.is_finite() && b > a => (a, b),
        _ => {
            let (a, b) = tl.day_range();
            (a as f64, b as f64)
        }
    };
    if hi - lo < 1.0 {
        lo -= 15.0;
        hi += 15.0;
    }
    let windowed = opt.window.is_some();
    let mode = if tl.day_zero.is_none() {
        AxisMode::Relative
    } else {
        opt.axis
    };
    let span_in = |a: f64, b: f64| b >= lo && a <= hi;
    let pt_in = |d: f64| d >= lo && d <= hi;

    // --- Label column -------------------------------------------------------------
    let lanes_all = lane_order(tl);
    let lane_names: Vec<String> = lanes_all
        .into_iter()
        .filter(|l| !opt.hidden_lanes.contains(l))
        .collect();
    let col_cap = (w * 0.2).max(s.body.size * 3.0);
    let mut col_w: f32 = 0.0;
    let mut lane_labels = Vec::new();
    for name in &lane_names {
        let full = s.body.width(name);
        let label = if full <= col_cap {
            name.clone()
        } else if let Some(sh) = lane_short(name) {
            sh.to_string()
        } else {
            text::ellipsize(name, s.body, col_cap).unwrap_or_default()
        };
        col_w = col_w.max(s.body.width(&label));
        lane_labels.push(label);
    }
    let headers = ["Events", "Status", "Response"];
    for h in headers {
        col_w = col_w.max(s.bold.width(h).min(col_cap));
    }
    let tracks_vis: Vec<usize> = (0..tl.measurements.len())
        .filter(|i| !opt.hidden_tracks.contains(i))
        .collect();
    col_w = col_w.min(col_cap);
    let plot_x0 = s.margin + col_w + s.g * 2.0;
    let plot_x1 = (w - s.margin).max(plot_x0 + 10.0);
    let pad = s.marker;
    let ax0 = plot_x0 + pad;
    let ax1 = (plot_x1 - pad).max(ax0 + 1.0);

    // --- Time axis --------------------------------------------------------------
    let time_axis = if opt.compress_gaps {
        let mut pts: Vec<f64> = Vec::new();
        let mut see = |d: i64| {
            let d = d as f64;
            if pt_in(d) {
                pts.push(d);
            }
        };
        for p in &tl.phases {
            see(p.span.start.day);
            see(p.span.end.day);
            p.doses.iter().for_each(|x| see(x.day));
        }
        for st in &tl.statuses {
            see(st.span.start.day);
            see(st.span.end.day);
        }
        tl.responses.iter().for_each(|r| see(r.at.day));
        tl.events.iter().for_each(|e| see(e.at.day));
        for i in &tl.intervals {
            see(i.span.start.day);
            see(i.span.end.day);
        }
        for m in &tl.measurements {
            m.points.iter().for_each(|(x, _)| see(x.day));
        }
        tl.images.iter().for_each(|i| see(i.at.day));
        pts.push(lo);
        pts.push(hi);
        let g = gaps::find_gaps(&pts, gaps::default_threshold(hi - lo));
        gaps::broken_axis(lo, hi, ax0, ax1, &g, s.body.size * 1.6)
    } else {
        TimeAxis::linear(lo, hi, ax0, ax1)
    };
    let xo = |d: f64| time_axis.x_of(d.clamp(lo, hi));
    let ppd = {
        let sg = time_axis.segments[0];
        ((sg.x1 - sg.x0) as f64 / (sg.day1 - sg.day0).max(1e-9)).abs()
    };
    let pieces = |a: f64, b: f64| -> Vec<(f32, f32)> {
        gaps::pieces(&time_axis, a.max(lo), b.min(hi))
            .into_iter()
            .map(|(x0, x1)| (x0.max(ax0 - pad), x1.min(ax1 + pad)))
            .collect()
    };

    // --- Title --------------------------------------------------------------------
    let avail_w = w - 2.0 * s.margin;
    let mut title_lines = Vec::new();
    {
        let mut parts = vec![tl.patient.label.clone()];
        parts.extend(tl.patient.diagnosis.clone());
        parts.extend(tl.patient.stage.clone());
        for l in join_wrap(&parts, " · ", s.title, avail_w) {
            title_lines.push((l, s.title, th.text));
        }
        let mut sub = Vec::new();
        let age = tl
            .patient
            .age_band
            .clone()
            .map(|b| format!("{b} y"))
            .or(tl.patient.age.map(|a| format!("{a} y")));
        let who: Vec<String> = age.into_iter().chain(tl.patient.sex.clone()).collect();
        if !who.is_empty() {
            sub.push(who.join(", "));
        }
        if tl.day_zero.is_some() {
            // "~2018-09" when day 0 was written to the month: the reader must know that
            // every "day N" is counted from an approximate date.
            let z = fmt_when(
                tl,
                When {
                    day: 0,
                    precision: tl.day_zero_precision,
                },
            );
            let origin = match tl.day_zero_origin {
                crate::model::DayZeroOrigin::Diagnosis => " (diagnosis)",
                crate::model::DayZeroOrigin::Earliest => " (first record)",
                _ => "",
            };
            sub.push(format!("day 0 = {z}{origin}"));
        }
        sub.push(format!("data cut-off {}", fmt_when(tl, tl.data_cutoff)));
        // Say once what `~` means, when the figure shows one (events, responses, image
        // dates, interval lengths, day 0, the cut-off).
        let shows_tilde = tl.day_zero_precision != Precision::Day
            || tl.data_cutoff.is_approximate()
            || tl
                .events
                .iter()
                .any(|e| e.at.is_approximate() && pt_in(e.at.day as f64))
            || tl
                .responses
                .iter()
                .any(|r| r.at.is_approximate() && pt_in(r.at.day as f64))
            || tl
                .images
                .iter()
                .any(|i| i.at.is_approximate() && pt_in(i.at.day as f64))
            || tl.intervals.iter().any(|i| {
                (i.span.start.is_approximate() || i.span.end.is_approximate())
                    && span_in(i.span.start.day as f64, i.span.end.day as f64)
            });
        if shows_tilde {
            sub.push("~ known to the month or year only".to_string());
        }
        if windowed {
            sub.push(format!(
                "showing {} to {}",
                fmt_when(tl, When::day(lo.round() as i64)),
                fmt_when(tl, When::day(hi.round() as i64))
            ));
        }
        for l in join_wrap(&sub, " · ", s.body, avail_w) {
            title_lines.push((l, s.body, th.muted));
        }
    }

    // --- Lanes ----------------------------------------------------------------------
    let mut lanes: Vec<Lane> = Vec::new();
    let bar_label_gap = s.g;
    for (li, name) in lane_names.iter().enumerate() {
        let mut idxs: Vec<usize> = (0..tl.phases.len())
            .filter(|&i| {
                let p = &tl.phases[i];
                p.lane_name() == name && span_in(p.span.start.day as f64, p.span.end.day as f64)
            })
            .collect();
        idxs.sort_by_key(|&i| (tl.phases[i].span.start.day, tl.phases[i].span.end.day));
        // Pass 1: bars alone into sub-rows, so a second sub-row always means phases that
        // overlap in time (never a label that needed room).
        let air = s.g * 0.5;
        let mut bar_rows = Rows::new(usize::MAX);
        let mut bars = Vec::new();
        for i in idxs {
            let p = &tl.phases[i];
            let (a, b) = (p.span.start.day as f64, p.span.end.day as f64);
            let pcs = pieces(a, b);
            let (bx0, bx1) = (
                pcs.first().map(|p| p.0).unwrap_or(0.0),
                pcs.last().map(|p| p.1).unwrap_or(0.0),
            );
            let arrow = p.span.is_ongoing() && pt_in(p.span.end.day as f64);
            // Cut by the time window: the bar runs on past the plot edge.
            let cut = (a < lo, b > hi && !arrow);
            // No `~` on names: "~Sintilimab" reads as an approximate drug. The bar's place
            // on the axis carries its start; the viewer's details give its precision.
            let mut label = p.name.clone();
            if let Some(l) = p.line {
                label.push_str(&format!(" · L{l}"));
            }
            let row = bar_rows.place(bx0, bx1 + air).unwrap_or(0);
            bars.push(Bar {
                idx: i,
                row,
                pieces: pcs,
                label,
                place: LabelPlace::None,
                arrow,
                cut,
            });
        }
        // Pass 2: each label inside its bar, else right or left of it where its sub-row is
        // free (later bars included), else shortened inside, else in a text-only row below.
        let mut occ = bar_rows.clone();
        let fade = cut_fade_w(&s);
        for bar in &mut bars {
            let (bx0, bx1) = (
                bar.pieces.first().map(|p| p.0).unwrap_or(0.0),
                bar.pieces.last().map(|p| p.1).unwrap_or(0.0),
            );
            let lw = s.bold.width(&bar.label);
            let arrow_len = if bar.arrow { s.body.size * 0.8 } else { 0.0 };
            let n = bar.pieces.len();
            let inside = bar
                .pieces
                .iter()
                .enumerate()
                .map(|(k, (p0, p1))| {
                    let mut room = p1 - p0;
                    if k + 1 == n {
                        room -= arrow_len + if bar.cut.1 { fade } else { 0.0 };
                    }
                    if k == 0 && bar.cut.0 {
                        room -= fade;
                    }
                    (k, room - 2.0 * s.g)
                })
                .max_by(|x, y| x.1.total_cmp(&y.1));
            let r = bar.row;
            let right = (bx1 + bar_label_gap, bx1 + bar_label_gap + lw);
            let left = (bx0 - bar_label_gap - lw, bx0);
            bar.place = if let Some((k, _)) = inside.filter(|(_, room)| lw <= *room) {
                LabelPlace::Inside(k)
            } else if right.1 <= plot_x1 && occ.is_free(r, bx1 + air, right.1 + air) {
                occ.occupy(r, bx1 + air, right.1 + air);
                LabelPlace::Right
            } else if left.0 >= plot_x0 && occ.is_free(r, left.0 - air, left.1) {
                occ.occupy(r, left.0 - air, left.1);
                LabelPlace::Left
            } else if let Some((k, short)) = inside.and_then(|(k, room)| {
                // Cheap test first: 70 % of the letters need about half the width.
                if room < lw * 0.5 {
                    return None;
                }
                let short = text::ellipsize(&bar.label, s.bold, room)?;
                // Worth it only while most of the name survives.
                let kept = short.chars().count() as f32 - 1.0;
                (kept >= bar.label.chars().count() as f32 * 0.7).then_some((k, short))
            }) {
                bar.label = short;
                LabelPlace::Inside(k)
            } else {
                let lw = lw.min(plot_x1 - plot_x0);
                if lw < s.bold.width(&bar.label) {
                    bar.label = text::ellipsize(&bar.label, s.bold, lw).unwrap_or_default();
                }
                // Under the bar's start, or ending under its end near the right edge.
                let x = if bx0 + lw <= plot_x1 {
                    bx0.max(plot_x0)
                } else {
                    (bx1.min(plot_x1) - lw).max(plot_x0)
                };
                // In a lower bar row where it is free, else one text row under the lane; a
                // lane too crowded for that keeps the bar unlabelled (the viewer names it).
                let last = bar_rows.len();
                match (r + 1..=last).find(|&k| occ.is_free(k, x - air, x + lw + air)) {
                    Some(row) => {
                        occ.occupy(row, x - air, x + lw + air);
                        LabelPlace::Below(row, x)
                    }
                    None => LabelPlace::None,
                }
            };
        }
        let rows = occ;
        if !bars.is_empty() || !windowed {
            lanes.push(Lane {
                label: lane_labels[li].clone(),
                rows: rows.len().max(1),
                bars,
            });
        }
    }

    // --- Events ---------------------------------------------------------------------
    let mut events = Vec::new();
    let max_event_rows = 6;
    let mut erows = Rows::new(max_event_rows);
    {
        let mut idxs: Vec<usize> = (0..tl.events.len())
            .filter(|&i| pt_in(tl.events[i].at.day as f64))
            .collect();
        idxs.sort_by_key(|&i| tl.events[i].at.day);
        let m = s.marker;
        for i in idxs {
            let e = &tl.events[i];
            let x = xo(e.at.day as f64);
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
            let room_r = plot_x1 + pad - (x + m / 2.0 + s.g * 0.5);
            let room_l = x - m / 2.0 - s.g * 0.5 - plot_x0;
            if lw > room_r
                && lw > room_l
                && let Some(short) = text::ellipsize(&label, s.body, room_r.max(room_l))
            {
                label = short;
                lw = s.body.width(&label);
            }
            let right = (x - m / 2.0, x + m / 2.0 + s.g * 0.5 + lw);
            let left = (x - m / 2.0 - s.g * 0.5 - lw, x + m / 2.0);
            let right_ok = right.1 <= plot_x1 + pad;
            let left_ok = left.0 >= plot_x0;
            let mut placed = None;
            for r in 0..max_event_rows {
                if right_ok && erows.is_free(r, right.0, right.1 + s.g) {
                    erows.occupy(r, right.0, right.1 + s.g);
                    placed = Some((r, true));
                    break;
                }
                // Right labels keep `s.g` of air after them; a left label may start there.
                if left_ok && erows.is_free(r, left.0, left.1) {
                    erows.occupy(r, left.0 - s.g, left.1);
                    placed = Some((r, false));
                    break;
                }
            }
            match placed {
                Some((r, right)) => events.push(EventP {
                    idx: i,
                    x,
                    row: r,
                    label: Some((label, right)),
                }),
                None => {
                    // No room for the label: the symbol alone, in a row where it fits.
                    let r = erows.place(x - m / 2.0, x + m / 2.0).unwrap_or(0);
                    events.push(EventP {
                        idx: i,
                        x,
                        row: r,
                        label: None,
                    });
                }
            }
        }
    }
    let event_rows = erows.len();

    // --- Brackets -------------------------------------------------------------------
    let mut brackets = Vec::new();
    let mut brows = Rows::new(6);
    {
        let mut idxs: Vec<usize> = (0..tl.intervals.len())
            .filter(|&i| {
                let iv = &tl.intervals[i];
                span_in(iv.span.start.day as f64, iv.span.end.day as f64)
            })
            .collect();
        idxs.sort_by_key(|&i| {
            let sp = tl.intervals[i].span;
            (sp.start.day, std::cmp::Reverse(sp.end.day))
        });
        for i in idxs {
            let iv = &tl.intervals[i];
            let x0 = xo(iv.span.start.day as f64);
            let x1 = xo(iv.span.end.day as f64);
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
            let cx = ((x0 + x1) / 2.0).clamp(
                plot_x0 + lw / 2.0,
                (plot_x1 - lw / 2.0).max(plot_x0 + lw / 2.0),
            );
            let (e0, e1) = (x0.min(cx - lw / 2.0), x1.max(cx + lw / 2.0));
            if let Some(r) = brows.place(e0 - s.g, e1 + s.g) {
                brackets.push(BracketP {
                    idx: i,
                    x0,
                    x1,
                    row: r,
                    label,
                    lx: cx,
                    cut: (
                        (iv.span.start.day as f64) < lo,
                        (iv.span.end.day as f64) > hi,
                    ),
                });
            }
        }
    }
    let bracket_rows = brows.len();

    // --- Status band ----------------------------------------------------------------
    let mut statuses = Vec::new();
    let mut outside: Vec<(usize, f32, f32)> = Vec::new();
    {
        let mut idxs: Vec<usize> = (0..tl.statuses.len())
            .filter(|&i| {
                let st = &tl.statuses[i];
                span_in(st.span.start.day as f64, st.span.end.day as f64)
            })
            .collect();
        idxs.sort_by_key(|&i| tl.statuses[i].span.start.day);
        for i in idxs {
            let st = &tl.statuses[i];
            let pcs = pieces(st.span.start.day as f64, st.span.end.day as f64);
            // No `~` on states (as for bars): "~Active" says nothing a reader can use.
            let label = st.label.clone();
            let lw = s.small.width(&label);
            let widest = pcs
                .iter()
                .enumerate()
                .max_by(|x, y| (x.1.1 - x.1.0).total_cmp(&(y.1.1 - y.1.0)))
                .map(|(k, p)| (k, *p));
            let mut inside = None;
            let out_row = None;
            let mut anchor_x = 0.0;
            if let Some((k, (p0, p1))) = widest {
                anchor_x = (p0 + p1) / 2.0;
                if lw + s.g * 1.2 <= p1 - p0 {
                    inside = Some(k);
                } else {
                    outside.push((statuses.len(), anchor_x, lw));
                }
            }
            statuses.push(StatusP {
                idx: i,
                pieces: pcs,
                label,
                inside,
                out_row,
                anchor_x,
            });
        }
    }
    // Labels that do not fit their segment go below the band, spread along rows in the
    // order of their segments (so leaders do not cross), each as near its segment as room
    // allows; labels alternate between rows when one row cannot hold them all.
    let mut status_out_rows = 0;
    if !outside.is_empty() {
        outside.sort_by(|a, b| a.1.total_cmp(&b.1));
        let sep = s.body.size * 1.2;
        for k in 1..=6usize {
            let mut rows_ok = Vec::new();
            for r in 0..k {
                let members: Vec<&(usize, f32, f32)> = outside.iter().skip(r).step_by(k).collect();
                let wanted: Vec<f32> = members.iter().map(|m| m.1 - m.2 / 2.0).collect();
                let widths: Vec<f32> = members.iter().map(|m| m.2).collect();
                match super::pack::spread(&wanted, &widths, sep, plot_x0, plot_x1) {
                    Some(lefts) => rows_ok.push((members, lefts)),
                    None => break,
                }
            }
            if rows_ok.len() == k {
                for (r, (members, lefts)) in rows_ok.into_iter().enumerate() {
                    for (m, l) in members.into_iter().zip(lefts) {
                        if let Some(st) = statuses.get_mut(m.0) {
                            st.out_row = Some((r, l + m.2 / 2.0));
                        }
                    }
                }
                status_out_rows = k;
                break;
            }
        }
    }

    // --- Responses ------------------------------------------------------------------
    let mut responses = Vec::new();
    let mut rrows = Rows::new(3);
    {
        let mut idxs: Vec<usize> = (0..tl.responses.len())
            .filter(|&i| pt_in(tl.responses[i].at.day as f64))
            .collect();
        idxs.sort_by_key(|&i| tl.responses[i].at.day);
        for i in idxs {
            let r = &tl.responses[i];
            let x = xo(r.at.day as f64);
            let label = format!(
                "{}{}",
                if r.at.is_approximate() { "~" } else { "" },
                r.result.name()
            );
            let lw = s.small.width(&label);
            let cx = x.clamp(plot_x0 + lw / 2.0, plot_x1 - lw / 2.0);
            let row = rrows.place(cx - lw / 2.0 - s.g * 0.4, cx + lw / 2.0 + s.g * 0.4);
            responses.push(ResponseP {
                idx: i,
                x,
                row,
                label,
            });
        }
    }
    let response_rows = rrows.len();

    // --- Tracks ---------------------------------------------------------------------
    let mut tracks = Vec::new();
    for &i in &tracks_vis {
        let m = &tl.measurements[i];
        let vis: Vec<f64> = m
            .points
            .iter()
            .filter(|(d, _)| pt_in(d.day as f64))
            .map(|p| p.1)
            .collect();
        let mut vals = if vis.is_empty() {
            m.points.iter().map(|p| p.1).collect::<Vec<_>>()
        } else {
            vis
        };
        if vals.is_empty() {
            continue;
        }
        vals.extend(m.normal_min);
        vals.extend(m.normal_max);
        let vlo = vals
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min)
            .min(0.0_f64.max(vals.iter().copied().fold(f64::INFINITY, f64::min)));
        // Values that are all positive start the axis at 0 (sizes and markers).
        let vlo = if vlo > 0.0 { 0.0 } else { vlo };
        let vhi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let title = match &m.unit {
            Some(u) => format!("{} ({u})", m.name),
            None => m.name.clone(),
        };
        // The band the emitter draws (it clamps to axis ticks that contain these values).
        let normal = (m.normal_min.is_some() || m.normal_max.is_some())
            && m.normal_max.unwrap_or(vhi) > m.normal_min.unwrap_or(vlo);
        tracks.push(TrackP {
            idx: i,
            title,
            normal,
            ticks: Vec::new(),
            decimals: 0,
            lo: vlo,
            hi: vhi,
        });
    }

    // --- Axes -------------------------------------------------------------------------
    let lw_small = |t: &str| s.small.width(t);
    let lw_bold = |t: &str| s.bold.width(t).max(s.small.width(t));
    let rel = match mode {
        AxisMode::Dates => None,
        AxisMode::Relative | AxisMode::Both => {
            // Calm ticks: at least four em apart.
            let (u, t) = axis::relative_ticks(lo, hi, ppd, &lw_small, s.body.size * 3.0);
            Some((u, t, mode == AxisMode::Both))
        }
    };
    let cal = match (mode, tl.day_zero) {
        (AxisMode::Dates | AxisMode::Both, Some(z)) => {
            let zero = crate::time::days_from_civil(z);
            let mut c = axis::calendar_ticks(zero, lo, hi, ppd, &lw_bold, s.g * 2.0);
            label_segments(&mut c, &time_axis, zero);
            Some(c)
        }
        _ => None,
    };

    // --- Images -------------------------------------------------------------------------
    let mut images = Vec::new();
    {
        let mut idxs: Vec<usize> = (0..tl.images.len())
            .filter(|&i| pt_in(tl.images[i].at.day as f64))
            .collect();
        idxs.sort_by_key(|&i| tl.images[i].at.day);
        for i in idxs {
            let im = &tl.images[i];
            let aspect = match &im.data {
                Ok(d) if d.width > 0 && d.height > 0 => {
                    (d.width as f32 / d.height as f32).clamp(0.2, 5.0)
                }
                _ => 4.0 / 3.0,
            };
            images.push(ImageP {
                idx: i,
                x: xo(im.at.day as f64),
                aspect,
                date: fmt_when(tl, im.at),
                caption: im.caption.clone(),
            });
        }
    }

    // --- Legend -------------------------------------------------------------------------
    // Only what this scene draws: lanes, responses and events in the window (hidden lanes
    // have no bars here); "normal range" is chosen after the budget (see `legend_for`).
    let mut legend = Vec::new();
    {
        let mut seen_th: Vec<Therapy> = Vec::new();
        for lane in &lanes {
            for b in &lane.bars {
                let t = tl.phases[b.idx].therapy;
                if !seen_th.contains(&t) {
                    seen_th.push(t);
                }
            }
        }
        seen_th.sort();
        for t in seen_th {
            legend.push(LegendEntry {
                swatch: Swatch::Bar(th.therapy(t), th.hatch(t)),
                label: t.name().to_string(),
            });
        }
        for r in crate::model::ResponseResult::ALL {
            if responses.iter().any(|p| tl.responses[p.idx].result == r) {
                legend.push(LegendEntry {
                    swatch: Swatch::Marker(theme::response_shape(r), th.response(r)),
                    label: format!("{} {}", r.name(), r.long_name().to_lowercase()),
                });
            }
        }
        for k in EventKind::ALL {
            if events.iter().any(|p| tl.events[p.idx].kind == k) {
                legend.push(LegendEntry {
                    swatch: Swatch::Marker(theme::event_shape(k), th.event(k)),
                    label: k.display().to_string(),
                });
            }
        }
        if tracks.iter().any(|t| t.normal) {
            legend.push(LegendEntry {
                swatch: Swatch::Band(th.normal_range),
                label: "normal range".to_string(),
            });
        }
    }
    let legend_rows = pack_legend(legend.clone(), &s, w);
    let legend_rows_bare = if legend.iter().any(|e| matches!(e.swatch, Swatch::Band(_))) {
        legend.retain(|e| !matches!(e.swatch, Swatch::Band(_)));
        pack_legend(legend, &s, w)
    } else {
        legend_rows.clone()
    };

    let plan = Plan {
        title_lines,
        legend_rows,
        legend_rows_bare,
        rel,
        cal,
        events,
        event_rows,
        brackets,
        bracket_rows,
        statuses,
        status_out_rows,
        lanes,
        responses,
        response_rows,
        tracks,
        images,
        caption_lines: 0,
        plot_x0,
        plot_x1,
    };

    // --- Vertical budget ------------------------------------------------------------
    let total_lane_rows: usize = plan.lanes.iter().map(|l| l.rows).sum();
    let lane_nat = s.body.height() * 1.75;
    let lane_min = s.bold.height() * 1.3;
    let track_nat = s.body.size * 6.0;
    let track_min = s.small.height() * 2.2;
    let img_w_room = plot_x1 - plot_x0;
    let n_img = plan.images.len();
    let aspect_sum: f32 = plan
        .images
        .iter()
        .map(|i| i.aspect.max(MIN_SLOT_ASPECT))
        .sum();
    let thumb_max_by_w = if n_img > 0 {
        (img_w_room - s.g * 2.0 * n_img as f32) / aspect_sum.max(0.1)
    } else {
        0.0
    };
    let thumb_nat = (w * 0.09).min(thumb_max_by_w).min(s.body.size * 9.0);
    let thumb_min = s.body.size * 3.0;
    let has_images = n_img > 0 && thumb_max_by_w >= thumb_min;
    let mut plan = plan;
    // Lines the captions need at any thumbnail size the budget may choose (slots narrow
    // when thumbnails grow past their fair share of the strip).
    plan.caption_lines = [thumb_min, thumb_nat, thumb_max_by_w.min(s.body.size * 10.0)]
        .into_iter()
        .map(|t| caption_lines(&plan.images, t, &s, plot_x0, plot_x1))
        .max()
        .unwrap_or(0);

    let mut flex = Flex {
        lane_row: lane_nat,
        track: track_nat,
        thumb: thumb_nat,
        show_images: has_images,
        show_tracks: !plan.tracks.is_empty(),
        n_tracks: plan.tracks.len(),
        bar_labels: true,
        extra_gap: 0.0,
    };
    let mut height = page.height;
    // Very many lane rows: shrink rows so a page without a fixed height stays sane.
    let lanes_cap = w * 1.2;
    if total_lane_rows as f32 * lane_nat > lanes_cap {
        flex.lane_row = (lanes_cap / total_lane_rows as f32).max(1.0);
        flex.bar_labels = flex.lane_row >= lane_min;
    }
    if let Some(h) = page.height {
        let fits = |f: &Flex| total_height(&plan, &s, f) <= h;
        if fits(&flex) {
            // Grow the flexible parts into spare room.
            let spare = h - total_height(&plan, &s, &flex);
            let mut rest = spare;
            // Lanes first (the heart of the figure), then tracks, then thumbnails.
            if total_lane_rows > 0 {
                let n = total_lane_rows as f32;
                let grow = (lane_nat * 0.3 * n).min(rest * 0.4);
                flex.lane_row += grow / n;
                rest -= grow;
            }
            if flex.show_tracks && flex.n_tracks > 0 {
                let n = flex.n_tracks as f32;
                let grow = (track_nat * 0.8 * n).min(rest * 0.5);
                flex.track += grow / n;
                rest -= grow;
            }
            if flex.show_images {
                let grow = ((thumb_max_by_w.min(s.body.size * 10.0)) - flex.thumb)
                    .max(0.0)
                    .min(rest);
                flex.thumb += grow;
                rest -= grow;
            }
            // What is left widens the gaps between sections (up to a limit).
            let per_gap = total_height(
                &plan,
                &s,
                &Flex {
                    extra_gap: 1.0,
                    ..flex
                },
            ) - total_height(&plan, &s, &flex);
            if per_gap > 0.0 {
                flex.extra_gap = (rest / per_gap).clamp(0.0, s.body.size * 2.0);
            }
        } else {
            // Shrink towards the minimums together.
            let mut lo_t = 0.0f32;
            let mut hi_t = 1.0f32;
            let at = |t: f32, base: &Flex| Flex {
                lane_row: lane_min.min(base.lane_row) + (base.lane_row - lane_min).max(0.0) * t,
                track: track_min + (track_nat - track_min) * t,
                thumb: thumb_min.min(base.thumb) + (base.thumb - thumb_min).max(0.0) * t,
                ..*base
            };
            let mut f = at(0.0, &flex);
            if !fits(&f) && flex.show_images {
                flex.show_images = false;
                f = at(0.0, &flex);
            }
            // Fewer tracks (the last ones go first), then none.
            while !fits(&f) && flex.show_tracks {
                flex.n_tracks = flex.n_tracks.saturating_sub(1);
                if flex.n_tracks == 0 {
                    flex.show_tracks = false;
                }
                f.n_tracks = flex.n_tracks;
                f.show_tracks = flex.show_tracks;
            }
            if !fits(&f) {
                // Lane rows without labels can be thin.
                let mut f2 = f;
                f2.bar_labels = false;
                let others = total_height(
                    &plan,
                    &s,
                    &Flex {
                        lane_row: 0.0,
                        ..f2
                    },
                );
                f2.lane_row = ((h - others) / total_lane_rows.max(1) as f32).max(1.0);
                if f2.lane_row < lane_min {
                    f = f2;
                }
            }
            if fits(&f) {
                for _ in 0..20 {
                    let mid = (lo_t + hi_t) / 2.0;
                    let mut c = at(mid, &flex);
                    c.bar_labels = f.bar_labels;
                    if !f.bar_labels {
                        c.lane_row = f.lane_row;
                    }
                    if fits(&c) {
                        lo_t = mid;
                    } else {
                        hi_t = mid;
                    }
                }
                let mut c = at(lo_t, &flex);
                c.bar_labels = f.bar_labels;
                if !f.bar_labels {
                    c.lane_row = f.lane_row;
                }
                flex = c;
            } else {
                flex = f;
                // Still too tall: grow the page rather than overflow it, only if the
                // caller let us choose; otherwise emit and let the bounds check drop items.
                height = Some(h);
            }
        }
    }
    // The captions were budgeted for the worst thumbnail size; at the size chosen they may
    // need fewer lines: give the freed height to the thumbnails.
    if flex.show_images {
        let lh = s.small.height() * 1.05;
        for _ in 0..3 {
            let now = caption_lines(&plan.images, flex.thumb, &s, plot_x0, plot_x1);
            if now >= plan.caption_lines {
                break;
            }
            let freed = (plan.caption_lines - now) as f32 * lh;
            let bigger = (flex.thumb + freed).min(thumb_max_by_w.max(flex.thumb));
            if caption_lines(&plan.images, bigger, &s, plot_x0, plot_x1) <= now {
                flex.thumb = bigger;
            }
            let extra = (plan.caption_lines - now) as f32 * lh - (flex.thumb - (bigger - freed));
            plan.caption_lines = now;
            if extra > 0.5 && page.height.is_some() {
                // Whatever the thumbnails could not take widens the gaps a little.
                flex.extra_gap += extra / 8.0;
            }
        }
    }
    let h_total = match height {
        Some(h) => h,
        None => total_height(&plan, &s, &flex).ceil(),
    };

    let mut out = Out {
        under: Vec::new(),
        items: Vec::new(),
        texts: TextIndex::new(s.body.size * 4.0),
        page: Rect::from_xywh(0.0, 0.0, w, h_total),
    };
    let (plot_top, plot_bottom) = emit(tl, &plan, &s, &flex, &th, &time_axis, &mut out, lo, hi);

    let mut items = out.under;
    items.append(&mut out.items);
    // Safety net: nothing may fall outside the figure.
    let page_rect = Rect::from_xywh(0.0, 0.0, w, h_total);
    items.retain(|it| page_rect.contains_rect(&it.shape.bounds()));
    // A sparse timeline on a fixed-height page (a slide) leaves room the flexible parts could
    // not take: centre the figure vertically rather than leave it all at the top.
    let mut plot_shift = 0.0;
    if page.height.is_some() {
        let bottom = items
            .iter()
            .map(|it| it.shape.bounds().max.y)
            .fold(0.0f32, f32::max);
        let spare = h_total - s.margin - bottom;
        if spare > s.body.size * 2.0 {
            plot_shift = (spare / 2.0).floor();
            for it in &mut items {
                it.shape.translate(0.0, plot_shift);
            }
        }
    }
    let (plot_top, plot_bottom) = (plot_top + plot_shift, plot_bottom + plot_shift);

    Scene {
        width: w,
        height: h_total,
        background: if opt.transparent {
            None
        } else {
            Some(th.background)
        },
        dpi: page.dpi,
        items,
        plot: Rect::from_min_max(
            Point::new(plan.plot_x0, plot_top.min(plot_bottom)),
            Point::new(plan.plot_x1, plot_bottom),
        ),
        time_axis,
    }
}

/// The widths of the image slots: each as wide as its thumbnail, widened (within its fair
/// share of the strip) so its caption needs fewer lines.
fn slot_widths(images: &[ImageP], thumb_h: f32, s: &Sizes, px0: f32, px1: f32) -> Vec<f32> {
    let sep = s.g * 2.0;
    let n_img = images.len().max(1) as f32;
    let fair = ((px1 - px0) - sep * (n_img - 1.0)) / n_img;
    let mut widths: Vec<f32> = images
        .iter()
        .map(|i| {
            let tw = thumb_h * i.aspect;
            let want = i
                .caption
                .as_deref()
                .map(|c| s.small.width(c))
                .unwrap_or(0.0)
                .max(s.small.width(&i.date));
            tw.max(want.min(tw * 2.0).min(fair))
        })
        .collect();
    let total: f32 = widths.iter().sum::<f32>() + sep * (n_img - 1.0);
    if total > px1 - px0 {
        for (wd, i) in widths.iter_mut().zip(images) {
            *wd = (thumb_h * i.aspect).max(fair.min(*wd));
        }
    }
    widths
}

/// The number of caption lines the strip needs (at most 3).
fn caption_lines(images: &[ImageP], thumb_h: f32, s: &Sizes, px0: f32, px1: f32) -> usize {
    let widths = slot_widths(images, thumb_h, s, px0, px1);
    images
        .iter()
        .zip(widths)
        .map(|(i, w)| {
            i.caption
                .as_deref()
                .map(|c| text::wrap(c, s.small, w + s.g).len())
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0)
        .min(3)
}

/// Each image slot is at least as wide as the thumbnail is high (room for its caption).
const MIN_SLOT_ASPECT: f32 = 1.0;

/// The most lines a title block (the patient line, the line under it) wraps to; the last
/// one shown ends in "…" when there is more.
const MAX_TITLE_LINES: usize = 3;

/// Joins `parts` with `sep` into lines no wider than `max_w` (at most [`MAX_TITLE_LINES`]);
/// a part too long on its own is wrapped at spaces.
fn join_wrap(parts: &[String], sep: &str, st: Style, max_w: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for p in parts {
        let cand = if cur.is_empty() {
            p.clone()
        } else {
            format!("{cur}{sep}{p}")
        };
        if st.width(&cand) <= max_w {
            cur = cand;
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        if st.width(p) <= max_w {
            cur = p.clone();
        } else {
            let mut w = text::wrap(p, st, max_w);
            cur = w.pop().unwrap_or_default();
            lines.extend(w);
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    if lines.len() > MAX_TITLE_LINES {
        // Marks the cut even when the last kept line happens to fit whole.
        let last = format!("{}…", lines[MAX_TITLE_LINES - 1]);
        lines.truncate(MAX_TITLE_LINES - 1);
        lines.push(last);
    }
    lines
        .into_iter()
        .map(|l| {
            if st.width(&l) > max_w {
                text::ellipsize(&l, st, max_w).unwrap_or_default()
            } else {
                l
            }
        })
        .collect()
}

// --- Section heights (shared by the budget and the emitter) ---------------------------

fn title_h(p: &Plan, s: &Sizes) -> f32 {
    p.title_lines
        .iter()
        .map(|(_, st, _)| st.height() * 1.12)
        .sum::<f32>()
        + s.g
}
fn legend_row_h(s: &Sizes) -> f32 {
    s.body.height() * 1.35
}
fn axis_h(s: &Sizes) -> f32 {
    s.small.height() + s.g * 1.2
}
fn cal_h(p: &Plan, s: &Sizes) -> f32 {
    match &p.cal {
        Some(c) if !c.context.is_empty() => s.g * 1.2 + s.small.height() * 2.1,
        Some(_) => s.g * 1.2 + s.small.height() * 1.1,
        None => 0.0,
    }
}
fn event_row_h(s: &Sizes) -> f32 {
    s.body.height().max(s.marker) * 1.2
}
fn bracket_row_h(s: &Sizes) -> f32 {
    s.bold.height() + s.g * 2.0
}
fn status_h(s: &Sizes) -> f32 {
    s.small.height() * 1.45
}
fn status_row_h(s: &Sizes) -> f32 {
    s.small.height() * 1.15 + s.g * 0.5
}
fn response_h(p: &Plan, s: &Sizes) -> f32 {
    if p.responses.is_empty() {
        0.0
    } else {
        s.marker * 1.4 + p.response_rows as f32 * s.small.height() * 1.05 + s.g * 0.5
    }
}
fn track_title_h(s: &Sizes) -> f32 {
    s.small.height() * 1.15
}
fn image_h(p: &Plan, s: &Sizes, f: &Flex) -> f32 {
    s.body.size * 1.6 + f.thumb + s.g * 0.5 + s.small.height() * (1 + p.caption_lines) as f32 * 1.05
}

/// Packs legend entries into rows that fit the page width: (entry, x, width).
fn pack_legend(legend: Vec<LegendEntry>, s: &Sizes, w: f32) -> Vec<Vec<(LegendEntry, f32, f32)>> {
    let sw = s.body.size * 1.1;
    let avail_w = w - 2.0 * s.margin;
    let mut legend_rows: Vec<Vec<(LegendEntry, f32, f32)>> = Vec::new();
    let mut x = s.margin;
    let mut row: Vec<(LegendEntry, f32, f32)> = Vec::new();
    for e in legend {
        let mut label = e.label.clone();
        let max_label = avail_w - sw - s.g;
        if s.body.width(&label) > max_label {
            label = text::ellipsize(&label, s.body, max_label).unwrap_or_default();
        }
        let ew = sw + s.g * 0.8 + s.body.width(&label);
        if !row.is_empty() && x + ew > w - s.margin {
            legend_rows.push(std::mem::take(&mut row));
            x = s.margin;
        }
        row.push((LegendEntry { label, ..e }, x, ew));
        x += ew + s.body.size * 1.4;
    }
    if !row.is_empty() {
        legend_rows.push(row);
    }
    legend_rows
}

/// The legend rows for what this budget draws: "normal range" only while a drawn track
/// shows one.
fn legend_for<'a>(p: &'a Plan, f: &Flex) -> &'a [Vec<(LegendEntry, f32, f32)>] {
    let norm_drawn = f.show_tracks && p.tracks.iter().take(f.n_tracks).any(|t| t.normal);
    if norm_drawn {
        &p.legend_rows
    } else {
        &p.legend_rows_bare
    }
}

fn total_height(p: &Plan, s: &Sizes, f: &Flex) -> f32 {
    let gap = s.g * 1.4 + f.extra_gap;
    let mut h = s.margin + title_h(p, s);
    let legend = legend_for(p, f);
    if !legend.is_empty() {
        h += legend.len() as f32 * legend_row_h(s) + gap * 0.6;
    }
    if let Some((_, _, true)) = p.rel {
        h += axis_h(s) + s.g;
    }
    h += p.event_rows as f32 * event_row_h(s);
    h += p.bracket_rows as f32 * bracket_row_h(s);
    if !p.statuses.is_empty() {
        h += status_h(s) + p.status_out_rows as f32 * status_row_h(s) + gap * 0.5;
        if p.status_out_rows >= 2 {
            h += s.g * 0.5;
        }
    }
    let lane_rows: usize = p.lanes.iter().map(|l| l.rows).sum();
    h += lane_rows as f32 * f.lane_row + gap * 0.3;
    h += response_h(p, s);
    if f.show_tracks {
        h += f.n_tracks.min(p.tracks.len()) as f32 * (track_title_h(s) + f.track + gap * 0.5);
    }
    h += gap * 0.3;
    h += cal_h(p, s);
    if let Some((_, _, false)) = p.rel {
        h += axis_h(s) + s.g + s.small.height();
    }
    if f.show_images {
        h += image_h(p, s, f);
    }
    h + s.margin
}

#[allow(clippy::too_many_arguments)]
fn emit(
    tl: &Timeline,
    p: &Plan,
    s: &Sizes,
    f: &Flex,
    th: &Theme,
    axis: &TimeAxis,
    out: &mut Out,
    lo: f64,
    hi: f64,
) -> (f32, f32) {
    let gap = s.g * 1.4 + f.extra_gap;
    let (px0, px1) = (p.plot_x0, p.plot_x1);
    let col_right = px0 - s.g * 2.0;
    let thin = Stroke::solid(s.line, th.axis);
    let mut y = s.margin;

    // Title.
    for (l, st, c) in &p.title_lines {
        let t = st.at_top(l, s.margin, y, Anchor::Start, *c);
        out.text(t, None);
        y += st.height() * 1.12;
    }
    y += s.g;

    // Legend.
    let legend = legend_for(p, f);
    if !legend.is_empty() {
        for row in legend {
            let cy = y + legend_row_h(s) / 2.0;
            for (e, x, _) in row {
                let sw = s.body.size * 1.1;
                match e.swatch {
                    Swatch::Bar(c, hatch) => {
                        let r = Rect::from_xywh(*x, cy - sw * 0.35, sw, sw * 0.7);
                        bar_shape(out, r, c, hatch, th, None, s);
                    }
                    Swatch::Marker(shape, c) => out.shape(
                        Shape::Marker {
                            center: Point::new(x + sw / 2.0, cy),
                            shape,
                            size: s.marker,
                            fill: c,
                            stroke: Some(Stroke::solid(s.line * 0.8, th.marker_outline())),
                        },
                        None,
                    ),
                    Swatch::Band(c) => out.shape(
                        rect(
                            Rect::from_xywh(*x, cy - sw * 0.35, sw, sw * 0.7),
                            Some(c),
                            None,
                        ),
                        None,
                    ),
                }
                let t = s
                    .body
                    .centered(&e.label, x + sw + s.g * 0.8, cy, Anchor::Start, th.text);
                out.text(t, None);
            }
            y += legend_row_h(s);
        }
        y += gap * 0.6;
    }

    // Vertical positions of every section first (guides need the plot bottom).
    let rel_top_y = y;
    if let Some((_, _, true)) = p.rel {
        y += axis_h(s) + s.g;
    }
    let events_y = y;
    y += p.event_rows as f32 * event_row_h(s);
    let brackets_y = y;
    y += p.bracket_rows as f32 * bracket_row_h(s);
    // Labels moved out of the band alternate below it (rows 0, 2, …) and above it
    // (rows 1, 3, …), so a leader never crosses the labels of another row.
    let above_rows = p.status_out_rows / 2;
    let status_y =
        y + above_rows as f32 * status_row_h(s) + if above_rows > 0 { s.g * 0.5 } else { 0.0 };
    if !p.statuses.is_empty() {
        y += status_h(s) + p.status_out_rows as f32 * status_row_h(s) + gap * 0.5;
        if p.status_out_rows >= 2 {
            y += s.g * 0.5;
        }
    }
    let lanes_y = y;
    let lane_rows: usize = p.lanes.iter().map(|l| l.rows).sum();
    y += lane_rows as f32 * f.lane_row + gap * 0.3;
    let resp_y = y;
    y += response_h(p, s);
    let tracks_y = y;
    if f.show_tracks {
        y += f.n_tracks.min(p.tracks.len()) as f32 * (track_title_h(s) + f.track + gap * 0.5);
    }
    y += gap * 0.3;
    let bottom_axis_y = y;
    let plot_top = events_y;

    // Relative axis on top.
    if let Some((unit, ticks, true)) = &p.rel {
        let line_y = rel_top_y + axis_h(s);
        draw_rel_axis(
            out, s, th, axis, *unit, ticks, line_y, true, col_right, px0, px1, lo, hi,
        );
    }

    // Event guides (under everything) and symbols.
    let erh = event_row_h(s);
    let labelled_events = p.events.iter().filter(|e| e.label.is_some()).count();
    for e in &p.events {
        let ev = &tl.events[e.idx];
        let cy = events_y + erh * (e.row as f32 + 0.5);
        // Guides only for labelled events, and only while they stay a few faint lines.
        if e.label.is_some() && labelled_events <= 60 {
            out.under(Shape::Line {
                from: Point::new(e.x, cy + s.marker / 2.0),
                to: Point::new(e.x, bottom_axis_y),
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
        if let Some((label, right)) = &e.label {
            let t = if *right {
                s.body.centered(
                    label,
                    e.x + s.marker / 2.0 + s.g * 0.5,
                    cy,
                    Anchor::Start,
                    th.text,
                )
            } else {
                s.body.centered(
                    label,
                    e.x - s.marker / 2.0 - s.g * 0.5,
                    cy,
                    Anchor::End,
                    th.text,
                )
            };
            out.text(t, Some(ItemRef::Event(e.idx)));
        }
    }
    if !p.events.is_empty() {
        let t = s.bold.centered(
            "Events",
            col_right,
            events_y + erh * 0.5,
            Anchor::End,
            th.text,
        );
        out.text(t, None);
    }

    // Brackets.
    let brh = bracket_row_h(s);
    for b in &p.brackets {
        let top = brackets_y + brh * b.row as f32;
        let ly = top + s.bold.height();
        let line_y = ly + s.g * 0.5;
        let tick = s.g * 0.8;
        let st = Stroke::solid(s.line * 1.5, th.bracket);
        let m = Some(ItemRef::Interval(b.idx));
        // A side cut by the time window has no end tick: its last stretch is dashed, so
        // the bracket does not seem to start or end at the window's edge.
        let dash_len = (tick * 4.0).min((b.x1 - b.x0) * 0.3).max(0.0);
        let (sx0, sx1) = (
            if b.cut.0 { b.x0 + dash_len } else { b.x0 },
            if b.cut.1 { b.x1 - dash_len } else { b.x1 },
        );
        let mut points = Vec::with_capacity(4);
        if !b.cut.0 {
            points.push(Point::new(b.x0, line_y + tick));
        }
        points.push(Point::new(sx0, line_y));
        points.push(Point::new(sx1, line_y));
        if !b.cut.1 {
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
        for (on, a, z) in [(b.cut.0, b.x0, sx0), (b.cut.1, sx1, b.x1)] {
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
        if tl.intervals[b.idx].span.is_ongoing() && !b.cut.1 && b.x1 - b.x0 > tick * 2.0 {
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
            b.lx,
            ly - s.bold.descent(),
            Anchor::Middle,
            th.text,
        );
        out.text(t, m);
    }

    // Status band.
    if !p.statuses.is_empty() {
        let bh = status_h(s);
        let band = Rect::from_xywh(px0, status_y, px1 - px0, bh);
        for st in &p.statuses {
            let item = &tl.statuses[st.idx];
            let fill = th.status(item.state);
            let m = Some(ItemRef::Status(st.idx));
            for (k, (x0, x1)) in st.pieces.iter().enumerate() {
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
                if st.inside == Some(k) {
                    let t = s.small.centered(
                        &st.label,
                        (x0 + x1) / 2.0,
                        r.center().y,
                        Anchor::Middle,
                        th.text_on(fill),
                    );
                    out.text(t, m);
                }
            }
            if let Some((row, cx)) = st.out_row {
                let rh = status_row_h(s);
                let level = (row / 2) as f32;
                let (t, from, to_y) = if row % 2 == 0 {
                    let top = band.max.y + s.g * 0.5 + level * rh;
                    let t = s.small.at_top(&st.label, cx, top, Anchor::Middle, th.text);
                    (t, band.max.y, top)
                } else {
                    let bottom = band.min.y - s.g * 0.5 - level * rh;
                    let t = s.small.at_top(
                        &st.label,
                        cx,
                        bottom - s.small.height(),
                        Anchor::Middle,
                        th.text,
                    );
                    (t, band.min.y, bottom)
                };
                let lead_to = Point::new(st.anchor_x.clamp(t.bbox.min.x, t.bbox.max.x), to_y);
                out.under(Shape::Line {
                    from: Point::new(st.anchor_x, from),
                    to: lead_to,
                    stroke: Stroke::solid(s.line * 0.8, th.leader),
                });
                out.text(t, m);
            }
        }
        let t = s.bold.centered(
            "Status",
            col_right,
            status_y + bh / 2.0,
            Anchor::End,
            th.text,
        );
        out.text(t, None);
    }

    // Lanes.
    let mut ly = lanes_y;
    for lane in &p.lanes {
        let lh = lane.rows as f32 * f.lane_row;
        if lh >= 1.0 {
            out.under(Shape::Line {
                from: Point::new(px0, ly + lh),
                to: Point::new(px1, ly + lh),
                stroke: Stroke::solid(s.line * 0.6, th.grid),
            });
        }
        // The lane's name beside its first row, or beside the whole lane when rows are
        // too thin to hold text.
        let label_cy = if f.lane_row >= s.body.height() * 0.9 {
            ly + f.lane_row / 2.0
        } else {
            ly + lh / 2.0
        };
        if lh >= s.body.height() * 0.9 {
            let lt = s
                .body
                .centered(&lane.label, col_right, label_cy, Anchor::End, th.text);
            out.text(lt, None);
        }
        for b in &lane.bars {
            let ph = &tl.phases[b.idx];
            let fill = th.therapy(ph.therapy);
            let m = Some(ItemRef::Phase(b.idx));
            let row_top = ly + b.row as f32 * f.lane_row;
            let bar_h = (f.lane_row * 0.74).max(1.0);
            let cy = row_top + f.lane_row / 2.0;
            let top = cy - bar_h / 2.0;
            let outline = th.bar_outline.map(|c| Stroke::solid(s.line * 0.8, c));
            let n = b.pieces.len();
            let arrow_len = (s.body.size * 0.8).min(bar_h * 1.2);
            for (k, (x0, x1)) in b.pieces.iter().enumerate() {
                let last = k + 1 == n;
                let mut x1b = x1.max(x0 + 2.0f32.min(s.line * 3.0));
                if last && b.arrow {
                    let tip = *x1;
                    let shaft_end = (tip - arrow_len).max(*x0);
                    let flare = bar_h * 0.12;
                    out.shape(
                        Shape::Path {
                            points: vec![
                                Point::new(shaft_end, top - flare),
                                Point::new(tip, cy),
                                Point::new(shaft_end, top + bar_h + flare),
                            ],
                            closed: true,
                            fill: Some(fill),
                            stroke: outline,
                        },
                        m,
                    );
                    x1b = shaft_end;
                }
                // Cut by the time window: the bar fades out towards the plot edge and ends in
                // a chevron pointing on, so it does not read as stopping there.
                let fw = cut_fade_w(s).min((x1b - x0) * 0.45).max(0.0);
                let fade_l = k == 0 && b.cut.0 && fw > 1.0;
                let fade_r = last && b.cut.1 && fw > 1.0;
                let sx0 = if fade_l { x0 + fw } else { *x0 };
                let sx1 = if fade_r { x1b - fw } else { x1b };
                if sx1 > sx0 {
                    // Under the fade's first step, so the cut end shows no rounded corner.
                    let hide = bar_h * 0.3;
                    let (rx0, rx1) = (
                        if fade_l { sx0 - hide } else { sx0 },
                        if fade_r { sx1 + hide } else { sx1 },
                    );
                    let r = Rect::from_min_max(Point::new(rx0, top), Point::new(rx1, top + bar_h));
                    bar_shape(out, r, fill, th.hatch(ph.therapy), th, m, s);
                }
                if fade_l {
                    cut_fade(out, (sx0, *x0), top, bar_h, fill, th, m, s);
                }
                if fade_r {
                    cut_fade(out, (sx1, x1b), top, bar_h, fill, th, m, s);
                }
                // Broken bar across an axis break: slanted marks at the cut.
                if !last {
                    break_mark(out, *x1, cy, bar_h, th, s);
                    if let Some((nx, _)) = b.pieces.get(k + 1) {
                        break_mark(out, *nx, cy, bar_h, th, s);
                    }
                }
            }
            // The label inside the bar, if any (dose ticks leave room for it).
            let inside_label = match b.place {
                LabelPlace::Inside(k) if f.bar_labels => b.pieces.get(k).map(|(x0, x1)| {
                    let fw = cut_fade_w(s).min((x1 - x0) * 0.45);
                    let x1 = if k + 1 == n && b.arrow {
                        x1 - arrow_len
                    } else if k + 1 == n && b.cut.1 {
                        x1 - fw
                    } else {
                        *x1
                    };
                    let x0 = if k == 0 && b.cut.0 { x0 + fw } else { *x0 };
                    s.bold.centered(
                        &b.label,
                        (x0 + x1) / 2.0,
                        cy,
                        Anchor::Middle,
                        th.text_on(fill),
                    )
                }),
                _ => None,
            };
            let keep_clear = inside_label
                .as_ref()
                .map(|t| (t.bbox.min.x - s.g * 0.5, t.bbox.max.x + s.g * 0.5));
            // Dose ticks.
            let tick_c = {
                let c = th.text_on(fill);
                Color::rgba(c.r, c.g, c.b, 200)
            };
            if bar_h >= 6.0 {
                for d in &ph.doses {
                    let dd = d.day as f64;
                    if dd < lo || dd > hi {
                        continue;
                    }
                    let x = axis.x_of(dd);
                    if keep_clear.is_some_and(|(a, c)| x >= a && x <= c) {
                        continue;
                    }
                    // Not in a rounded corner, where the tick would stick out of the bar.
                    let corner = (bar_h * 0.18).min(s.body.size * 0.3) + s.line;
                    if b.pieces
                        .iter()
                        .any(|(a, c)| x >= *a + corner && x <= *c - corner)
                    {
                        out.shape(
                            Shape::Line {
                                from: Point::new(x, top + bar_h),
                                to: Point::new(x, top + bar_h * 0.72),
                                stroke: Stroke::solid(s.line, tick_c),
                            },
                            m,
                        );
                    }
                }
            }
            if !f.bar_labels {
                continue;
            }
            if let Some(t) = inside_label {
                out.text(t, m);
            }
            match b.place {
                LabelPlace::Inside(_) => {}
                LabelPlace::Right => {
                    let x1 = b.pieces.last().map(|p| p.1).unwrap_or(0.0);
                    let t = s
                        .bold
                        .centered(&b.label, x1 + s.g, cy, Anchor::Start, th.text);
                    out.text(t, m);
                }
                LabelPlace::Left => {
                    let x0 = b.pieces.first().map(|p| p.0).unwrap_or(0.0);
                    let t = s
                        .bold
                        .centered(&b.label, x0 - s.g, cy, Anchor::End, th.text);
                    out.text(t, m);
                }
                LabelPlace::Below(row, x) => {
                    let cy = ly + row as f32 * f.lane_row + f.lane_row / 2.0;
                    let t = s.bold.centered(&b.label, x, cy, Anchor::Start, th.text);
                    out.text(t, m);
                }
                LabelPlace::None => {}
            }
        }
        ly += lh;
    }

    // Responses.
    if !p.responses.is_empty() {
        let cy = resp_y + s.marker * 0.7;
        for r in &p.responses {
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
                let top = resp_y + s.marker * 1.4 + row as f32 * s.small.height() * 1.05;
                let mut t =
                    s.small
                        .at_top(&r.label, r.x, top, Anchor::Middle, th.response_text(res));
                text::clamp_x(&mut t, px0, px1);
                out.text(t, m);
            }
        }
        let crit = tl
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
            .centered("Response", col_right, cy, Anchor::End, th.text);
        out.text(head, None);
        if let Some(c) = crit {
            let t = s.small.at_top(
                &c,
                col_right,
                cy + s.bold.height() / 2.0,
                Anchor::End,
                th.muted,
            );
            if t.bbox.min.x >= s.margin * 0.5 {
                out.text(t, None);
            }
        }
    }

    // Tracks.
    if f.show_tracks {
        let mut ty = tracks_y;
        for tr in p.tracks.iter().take(f.n_tracks) {
            let m = &tl.measurements[tr.idx];
            let title = text::ellipsize(&tr.title, s.small, px1 - px0).unwrap_or_default();
            let tt = s.small.at_top(&title, px0, ty, Anchor::Start, th.text);
            out.text(tt, Some(ItemRef::Measurement(tr.idx)));
            ty += track_title_h(s);
            let top = ty + s.small.height() * 0.5;
            let bottom = ty + f.track;
            let ph = (bottom - top).max(1.0);
            let target = ((ph / (s.small.height() * 1.5)).floor() as usize).clamp(1, 4);
            let (ticks, dec) = if tr.ticks.is_empty() {
                axis::nice_ticks(tr.lo, tr.hi, target)
            } else {
                (tr.ticks.clone(), tr.decimals)
            };
            let (vlo, vhi) = (
                *ticks.first().unwrap_or(&tr.lo),
                *ticks.last().unwrap_or(&tr.hi),
            );
            let yv = |v: f64| bottom - ((v - vlo) / (vhi - vlo).max(1e-12)) as f32 * ph;
            // Normal range.
            if m.normal_min.is_some() || m.normal_max.is_some() {
                let a = m.normal_min.unwrap_or(vlo).clamp(vlo, vhi);
                let b = m.normal_max.unwrap_or(vhi).clamp(vlo, vhi);
                if b > a {
                    out.under(rect(
                        Rect::from_min_max(Point::new(px0, yv(b)), Point::new(px1, yv(a))),
                        Some(th.normal_range),
                        None,
                    ));
                }
            }
            // Y axis.
            out.line(Point::new(px0, top), Point::new(px0, bottom), thin);
            let mut last_top = f32::INFINITY;
            for v in &ticks {
                let yy = yv(*v);
                out.line(Point::new(px0 - s.g * 0.6, yy), Point::new(px0, yy), thin);
                let lbl = format!("{:.*}", dec, v);
                let t = s
                    .small
                    .centered(&lbl, px0 - s.g * 0.9, yy, Anchor::End, th.muted);
                if t.bbox.max.y <= last_top {
                    last_top = t.bbox.min.y;
                    out.text(t, None);
                }
            }
            // The line, clipped to the window.
            let mut pts: Vec<(f64, f64, usize)> = m
                .points
                .iter()
                .enumerate()
                .map(|(j, (d, v))| (d.day as f64, *v, j))
                .collect();
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut line: Vec<Point> = Vec::new();
            for k in 0..pts.len() {
                let (d, v, _) = pts[k];
                if k > 0 {
                    let (pd, pv, _) = pts[k - 1];
                    for edge in [lo, hi] {
                        if (pd < edge && d > edge) || (pd > edge && d < edge) {
                            let t = (edge - pd) / (d - pd);
                            let ev = pv + t * (v - pv);
                            line.push(Point::new(axis.x_of(edge), yv(ev)));
                        }
                    }
                }
                if d >= lo && d <= hi {
                    line.push(Point::new(axis.x_of(d), yv(v)));
                }
            }
            if line.len() >= 2 {
                out.shape(
                    Shape::Path {
                        points: line,
                        closed: false,
                        fill: None,
                        stroke: Some(Stroke::solid(s.line * 1.6, th.track_line)),
                    },
                    Some(ItemRef::Measurement(tr.idx)),
                );
            }
            for (d, v, j) in &pts {
                if *d >= lo && *d <= hi {
                    out.shape(
                        Shape::Marker {
                            center: Point::new(axis.x_of(*d), yv(*v)),
                            shape: MarkerShape::Circle,
                            size: s.marker * 0.55,
                            fill: th.track_line,
                            stroke: None,
                        },
                        Some(ItemRef::MeasurementPoint(tr.idx, *j)),
                    );
                }
            }
            ty = bottom + gap * 0.5;
        }
    }

    // Axis breaks: marks across the lanes' top and the axis.
    for (bx0, bx1) in axis.breaks() {
        let cx = (bx0 + bx1) / 2.0;
        let hgt = s.body.size * 0.8;
        let top_mark = match &p.rel {
            Some((_, _, true)) => rel_top_y + axis_h(s),
            _ => plot_top + hgt / 2.0,
        };
        for yy in [top_mark, bottom_axis_y] {
            for dx in [-s.g * 0.35, s.g * 0.35] {
                out.shape(
                    Shape::Line {
                        from: Point::new(cx + dx - hgt * 0.25, yy + hgt / 2.0),
                        to: Point::new(cx + dx + hgt * 0.25, yy - hgt / 2.0),
                        stroke: Stroke::solid(s.line * 1.5, th.break_mark),
                    },
                    None,
                );
            }
        }
        // A faint band through the whole plot marks the hidden stretch.
        out.under(rect(
            Rect::from_min_max(Point::new(bx0, plot_top), Point::new(bx1, bottom_axis_y)),
            Some(Color::rgba(th.grid.r, th.grid.g, th.grid.b, 150)),
            None,
        ));
    }

    // Bottom axis.
    let mut y = bottom_axis_y;
    if let Some(cal) = &p.cal {
        draw_cal_axis(out, s, th, axis, cal, y, px0, px1);
        y += cal_h(p, s);
    }
    if let Some((unit, ticks, false)) = &p.rel {
        let line_y = y;
        draw_rel_axis(
            out, s, th, axis, *unit, ticks, line_y, false, col_right, px0, px1, lo, hi,
        );
        y += axis_h(s) + s.g + s.small.height();
    }

    // Images.
    if f.show_images && !p.images.is_empty() {
        let strip_top = y + s.body.size * 1.6;
        let thumb_h = f.thumb;
        let sep = s.g * 2.0;
        let widths = slot_widths(&p.images, thumb_h, s, px0, px1);
        let mut lefts: Vec<f32> = Vec::with_capacity(widths.len());
        let mut prev = px0 - sep;
        for (i, im) in p.images.iter().enumerate() {
            let l = (im.x - widths[i] / 2.0).max(prev + sep).max(px0);
            lefts.push(l);
            prev = l + widths[i];
        }
        let mut next = px1 + sep;
        for i in (0..lefts.len()).rev() {
            let r = (lefts[i] + widths[i]).min(next - sep);
            lefts[i] = r - widths[i];
            next = lefts[i];
        }
        for (i, im) in p.images.iter().enumerate() {
            let slot_w = widths[i];
            let left = lefts[i];
            if left < px0 - 0.5 {
                continue;
            }
            let tw = thumb_h * im.aspect;
            let tr = Rect::from_xywh(left + (slot_w - tw) / 2.0, strip_top, tw, thumb_h);
            let meaning = Some(ItemRef::Image(im.idx));
            out.under(Shape::Path {
                points: vec![
                    Point::new(im.x, y - s.g * 0.2),
                    Point::new(im.x, y + s.body.size * 0.5),
                    Point::new(tr.center().x, strip_top - s.body.size * 0.3),
                    Point::new(tr.center().x, strip_top),
                ],
                closed: false,
                fill: None,
                stroke: Some(Stroke::solid(s.line, th.leader)),
            });
            match &tl.images[im.idx].data {
                Ok(data) => image_shape(out, tr, data.clone(), meaning, th, s),
                Err(_) => {
                    out.shape(
                        Shape::Rect {
                            rect: tr,
                            corner: 0.0,
                            fill: Some(th.placeholder),
                            stroke: Some(Stroke {
                                width: s.line,
                                color: th.muted,
                                dash: Some((s.line * 4.0, s.line * 3.0)),
                            }),
                        },
                        meaning,
                    );
                    let lines = text::wrap("image missing", s.small, tr.width() - s.g);
                    let lh = s.small.height();
                    let total = lh * lines.len() as f32;
                    if total <= tr.height() - s.g
                        && lines.iter().all(|l| s.small.width(l) <= tr.width() - s.g)
                    {
                        let mut yy = tr.center().y - total / 2.0;
                        for l in lines {
                            let t = s
                                .small
                                .at_top(&l, tr.center().x, yy, Anchor::Middle, th.muted);
                            out.text(t, meaning);
                            yy += lh;
                        }
                    }
                }
            }
            // Caption: date, then the caption wrapped to the slot.
            let mut cy = tr.max.y + s.g * 0.5;
            let cx = left + slot_w / 2.0;
            let date = s.small.at_top(&im.date, cx, cy, Anchor::Middle, th.muted);
            if out.text(date, meaning) {
                cy += s.small.height() * 1.05;
            }
            if let Some(c) = &im.caption {
                let mut lines = text::wrap(c, s.small, slot_w + sep * 0.5);
                let maxl = p.caption_lines.max(1);
                if lines.len() > maxl {
                    let rest = lines[maxl - 1..].join(" ");
                    lines.truncate(maxl - 1);
                    lines.push(rest);
                }
                for l in lines {
                    let l = text::ellipsize(&l, s.small, slot_w + sep * 0.5).unwrap_or_default();
                    let t = s.small.at_top(&l, cx, cy, Anchor::Middle, th.text);
                    out.text(t, meaning);
                    cy += s.small.height() * 1.05;
                }
            }
        }
    }
    (plot_top, bottom_axis_y)
}

fn image_shape(
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
fn cut_fade(
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

fn break_mark(out: &mut Out, x: f32, cy: f32, h: f32, th: &Theme, s: &Sizes) {
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
fn bar_shape(
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

/// After a break the ticks of a new stretch need their year (or month) again: each axis
/// segment with ticks but no context label gets one at its first tick.
fn label_segments(c: &mut CalendarTicks, axis: &TimeAxis, zero: i64) {
    if axis.segments.len() < 2 || c.context.is_empty() {
        return;
    }
    let month_year = c.context.iter().any(|t| t.label.contains(' '));
    for seg in &axis.segments {
        let inside = |d: f64| d >= seg.day0 && d <= seg.day1;
        if c.context.iter().any(|t| inside(t.day)) {
            continue;
        }
        let Some(first) = c.ticks.iter().find(|t| inside(t.day)) else {
            continue;
        };
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

/// True when `day` lies in a stretch compressed out of the axis.
fn in_break(axis: &TimeAxis, day: f64) -> bool {
    axis.segments
        .windows(2)
        .any(|w| day > w[0].day1 && day < w[1].day0)
}

/// An axis line, interrupted at the breaks.
fn axis_line(out: &mut Out, axis: &TimeAxis, y: f32, px0: f32, px1: f32, st: Stroke) {
    let mut x = px0;
    for (b0, b1) in axis.breaks() {
        out.line(Point::new(x, y), Point::new(b0, y), st);
        x = b1;
    }
    out.line(Point::new(x, y), Point::new(px1, y), st);
}

#[allow(clippy::too_many_arguments)]
fn draw_rel_axis(
    out: &mut Out,
    s: &Sizes,
    th: &Theme,
    axis: &TimeAxis,
    unit: RelUnit,
    ticks: &[Tick],
    line_y: f32,
    top: bool,
    col_right: f32,
    px0: f32,
    px1: f32,
    lo: f64,
    hi: f64,
) {
    let st = Stroke::solid(s.line, th.axis);
    axis_line(out, axis, line_y, px0, px1, st);
    let tl = s.g * 0.7;
    let mut last_right = f32::NEG_INFINITY;
    for t in ticks {
        if t.day < lo || t.day > hi || in_break(axis, t.day) {
            continue;
        }
        let x = axis.x_of(t.day);
        let (a, b) = if top {
            (line_y - tl, line_y)
        } else {
            (line_y, line_y + tl)
        };
        out.line(Point::new(x, a), Point::new(x, b), st);
        let mut txt = if top {
            s.small.text(
                &t.label,
                x,
                line_y - tl - s.small.descent() - s.g * 0.2,
                Anchor::Middle,
                th.text,
            )
        } else {
            s.small.at_top(
                &t.label,
                x,
                line_y + tl + s.g * 0.2,
                Anchor::Middle,
                th.text,
            )
        };
        text::clamp_x(&mut txt, px0 - s.g, px1 + s.g * 0.5);
        if txt.bbox.min.x > last_right + s.g && out.text(txt.clone(), None) {
            last_right = txt.bbox.max.x;
        }
    }
    let title_y = if top {
        line_y - tl - s.small.height() / 2.0
    } else {
        line_y + tl + s.small.height() / 2.0
    };
    let avail = col_right - s.margin;
    let title = if s.small.width(unit.title()) <= avail {
        unit.title()
    } else {
        unit.short_title()
    };
    let t = s
        .small
        .centered(title, col_right, title_y, Anchor::End, th.muted);
    if t.bbox.min.x >= 0.0 {
        out.text(t, None);
    } else {
        // No room in the column: under the axis, at its right end.
        let t2 = s.small.at_top(
            unit.title(),
            px1,
            line_y
                + if top {
                    s.g * 0.2
                } else {
                    tl + s.small.height() * 1.1
                },
            Anchor::End,
            th.muted,
        );
        out.text(t2, None);
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_cal_axis(
    out: &mut Out,
    s: &Sizes,
    th: &Theme,
    axis: &TimeAxis,
    cal: &CalendarTicks,
    line_y: f32,
    px0: f32,
    px1: f32,
) {
    let st = Stroke::solid(s.line, th.axis);
    axis_line(out, axis, line_y, px0, px1, st);
    let tl = s.g * 0.7;
    let mut last_right = f32::NEG_INFINITY;
    for t in &cal.ticks {
        if in_break(axis, t.day) {
            continue;
        }
        let x = axis.x_of(t.day);
        let len = if t.major { tl * 1.6 } else { tl };
        out.line(Point::new(x, line_y), Point::new(x, line_y + len), st);
        let style = if t.major {
            Style::bold(s.small.size)
        } else {
            s.small
        };
        let mut txt = style.at_top(
            &t.label,
            x,
            line_y + tl * 1.6 + s.g * 0.1,
            Anchor::Middle,
            th.text,
        );
        text::clamp_x(&mut txt, px0 - s.g, px1 + s.g * 0.5);
        if txt.bbox.min.x > last_right + s.g * 0.5 && out.text(txt.clone(), None) {
            last_right = txt.bbox.max.x;
        }
    }
    // Right to left: when the partial first month (named at the window's start) meets the
    // next month's name, the full month keeps its name.
    let mut first_left = f32::INFINITY;
    // A hair under the day numbers: boxes that merely touch must not count as overlapping
    // after rounding (it dropped every month name on some figures).
    let row2 = line_y + tl * 1.6 + s.g * 0.1 + s.small.height() * 1.02;
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
        text::clamp_x(&mut txt, px0 - s.g, px1 + s.g * 0.5);
        // A month pushed back under the previous month's days would name the wrong days.
        if anchor == Anchor::Start && txt.bbox.min.x < before - s.g {
            continue;
        }
        if txt.bbox.max.x + s.g < first_left && out.text(txt.clone(), None) {
            first_left = txt.bbox.min.x;
        }
    }
}

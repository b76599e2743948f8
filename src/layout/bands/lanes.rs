//! The therapy lanes, planned: the label column (lane names, shortened when too wide), then
//! per lane its bars packed into sub-rows — a second sub-row always means phases that overlap
//! in time — and each bar's label placed inside, right, left, shortened, or in a text row.
//! Drawing is in [`super::lanes_draw`].

use super::super::LayoutOptions;
use super::super::lane_order;
use super::super::pack::Rows;
use super::super::text;
use super::context::{Context, Cut, Sizes};
use crate::model::Timeline;

/// A lane's phases, packed into sub-rows.
pub(crate) struct Lane {
    /// The name in the label column.
    pub label: String,
    /// The bars, in start order.
    pub bars: Vec<Bar>,
    /// Sub-rows (bars and text-only rows).
    pub rows: usize,
}

/// A phase's bar.
pub(crate) struct Bar {
    /// Index into `phases`.
    pub idx: usize,
    /// Sub-row.
    pub row: usize,
    /// Visible x pieces (several across axis breaks).
    pub pieces: Vec<(f32, f32)>,
    /// The label (possibly shortened).
    pub label: String,
    /// Where the label goes.
    pub place: LabelPlace,
    /// Ongoing at the cut-off: ends in an arrow.
    pub arrow: bool,
    /// Runs on past the edges of the time window.
    pub cut: Cut,
}

impl Bar {
    /// Left edge of the first piece.
    pub fn x0(&self) -> f32 {
        self.pieces.first().map(|p| p.0).unwrap_or(0.0)
    }
    /// Right edge of the last piece.
    pub fn x1(&self) -> f32 {
        self.pieces.last().map(|p| p.1).unwrap_or(0.0)
    }
}

/// Where a bar's label goes.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum LabelPlace {
    /// Inside this piece.
    Inside(usize),
    /// Right of the bar.
    Right,
    /// Left of the bar.
    Left,
    /// In a text-only sub-row of the lane (row, left x): for a bar with no room around it.
    Below(usize, f32),
    /// Unlabelled (the viewer names it).
    None,
}

/// The label column: the drawn lanes' names as shown (shortened when too wide) and the
/// column's width.
pub(crate) struct LabelColumn {
    /// (lane name, label shown).
    pub lanes: Vec<(String, String)>,
    /// Width of the column's text.
    pub width: f32,
}

/// Lane names shown in the column, shortened when wider than a fifth of the page.
pub(crate) fn label_column(
    tl: &Timeline,
    opt: &LayoutOptions,
    s: &Sizes,
    width: f32,
) -> LabelColumn {
    let col_cap = (width * 0.2).max(s.body.size * 3.0);
    let mut col_w: f32 = 0.0;
    let mut lanes = Vec::new();
    for name in lane_order(tl)
        .into_iter()
        .filter(|l| !opt.hidden_lanes.contains(l))
    {
        let label = if s.body.width(&name) <= col_cap {
            name.clone()
        } else if let Some(sh) = lane_short(&name) {
            sh.to_string()
        } else {
            text::ellipsize(&name, s.body, col_cap).unwrap_or_default()
        };
        col_w = col_w.max(s.body.width(&label));
        lanes.push((name, label));
    }
    for h in ["Events", "Status", "Response"] {
        col_w = col_w.max(s.bold.width(h).min(col_cap));
    }
    LabelColumn {
        lanes,
        width: col_w.min(col_cap),
    }
}

/// The usual short name of a therapy lane.
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

/// Plans every lane (a lane with no bar in a time window is left out of that window).
pub(crate) fn plan_lanes(cx: &Context, column: &LabelColumn) -> Vec<Lane> {
    column
        .lanes
        .iter()
        .filter_map(|(name, label)| {
            let lane = plan_lane(cx, name, label);
            (!lane.bars.is_empty() || !cx.windowed).then_some(lane)
        })
        .collect()
}

fn plan_lane(cx: &Context, name: &str, label: &str) -> Lane {
    let tl = cx.timeline;
    let mut idxs: Vec<usize> = (0..tl.phases.len())
        .filter(|&i| {
            let p = &tl.phases[i];
            p.lane_name() == name && cx.span_shown(p.span.start.day as f64, p.span.end.day as f64)
        })
        .collect();
    idxs.sort_by_key(|&i| (tl.phases[i].span.start.day, tl.phases[i].span.end.day));
    let (mut bars, bar_rows) = pack_bars(cx, &idxs);
    // Pass 2: each label inside its bar, else right or left of it where its sub-row is
    // free (later bars included), else shortened inside, else in a text-only row below.
    let mut occupied = bar_rows.clone();
    for bar in &mut bars {
        place_label(cx, bar, &mut occupied, bar_rows.len());
    }
    Lane {
        label: label.to_string(),
        rows: occupied.len().max(1),
        bars,
    }
}

/// Pass 1: bars alone into sub-rows, so a second sub-row always means phases that overlap in
/// time (never a label that needed room).
fn pack_bars(cx: &Context, idxs: &[usize]) -> (Vec<Bar>, Rows) {
    let tl = cx.timeline;
    let air = cx.sizes.space * 0.5;
    let mut bar_rows = Rows::new(usize::MAX);
    let mut bars = Vec::new();
    for &i in idxs {
        let p = &tl.phases[i];
        let (a, b) = (p.span.start.day as f64, p.span.end.day as f64);
        let pieces = widen_to_a_mark(cx, cx.pieces(a, b));
        let (bx0, bx1) = (
            pieces.first().map(|p| p.0).unwrap_or(0.0),
            pieces.last().map(|p| p.1).unwrap_or(0.0),
        );
        let arrow = p.span.is_ongoing() && cx.day_shown(p.span.end.day as f64);
        // Cut by the time window: the bar runs on past the plot edge.
        let cut = Cut {
            start: a < cx.day_lo,
            end: b > cx.day_hi && !arrow,
        };
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
            pieces,
            label,
            place: LabelPlace::None,
            arrow,
            cut,
        });
    }
    (bars, bar_rows)
}

/// A bar narrower than a response marker (a one-day surgery, a seed implant, a single dose)
/// is widened, around its centre and inside the plot, to a clear mark that wide.
fn widen_to_a_mark(cx: &Context, mut pieces: Vec<(f32, f32)>) -> Vec<(f32, f32)> {
    let min_w = cx.sizes.marker;
    if let [(x0, x1)] = pieces.as_mut_slice()
        && *x1 - *x0 < min_w
    {
        let left = ((*x0 + *x1 - min_w) / 2.0)
            .min(cx.plot_x1 - min_w)
            .max(cx.plot_x0);
        *x0 = left;
        *x1 = left + min_w;
    }
    pieces
}

/// The widest piece's room for a label inside (after the arrow and cut fades).
fn inside_room(cx: &Context, bar: &Bar) -> Option<(usize, f32)> {
    let s = &cx.sizes;
    let fade = s.cut_fade_width();
    let arrow_len = if bar.arrow { s.body.size * 0.8 } else { 0.0 };
    let n = bar.pieces.len();
    bar.pieces
        .iter()
        .enumerate()
        .map(|(k, (p0, p1))| {
            let mut room = p1 - p0;
            if k + 1 == n {
                room -= arrow_len + if bar.cut.end { fade } else { 0.0 };
            }
            if k == 0 && bar.cut.start {
                room -= fade;
            }
            (k, room - 2.0 * s.space)
        })
        .max_by(|x, y| x.1.total_cmp(&y.1))
}

fn place_label(cx: &Context, bar: &mut Bar, occupied: &mut Rows, bar_row_count: usize) {
    let s = &cx.sizes;
    let (plot_x0, plot_x1) = (cx.plot_x0, cx.plot_x1);
    let air = s.space * 0.5;
    let gap = s.space;
    let (bx0, bx1) = (bar.x0(), bar.x1());
    let lw = s.bold.width(&bar.label);
    let inside = inside_room(cx, bar);
    let r = bar.row;
    let right = (bx1 + gap, bx1 + gap + lw);
    let left = (bx0 - gap - lw, bx0);
    bar.place = if let Some((k, _)) = inside.filter(|(_, room)| lw <= *room) {
        LabelPlace::Inside(k)
    } else if right.1 <= plot_x1 && occupied.is_free(r, bx1 + air, right.1 + air) {
        occupied.occupy(r, bx1 + air, right.1 + air);
        LabelPlace::Right
    } else if left.0 >= plot_x0 && occupied.is_free(r, left.0 - air, left.1) {
        occupied.occupy(r, left.0 - air, left.1);
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
        match (r + 1..=bar_row_count).find(|&k| occupied.is_free(k, x - air, x + lw + air)) {
            Some(row) => {
                occupied.occupy(row, x - air, x + lw + air);
                LabelPlace::Below(row, x)
            }
            None => LabelPlace::None,
        }
    };
}

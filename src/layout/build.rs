//! The layout proper: the horizontal frame (label column, time axis), the bands planned in
//! it, the vertical budget, then the emission through the stacker.

use super::bands::Figure;
use super::bands::context::{Context, Out, Sizes};
use super::bands::lanes::{LabelColumn, label_column};
use super::bands::stack::{self, Band, BandKind};
use super::budget;
use super::gaps;
use super::{AxisMode, LayoutOptions};
use crate::model::Timeline;
use crate::page::Page;
use crate::scene::{LeftOutPart, Point, Rect, Scene, TimeAxis};

/// Text scales a sparse figure on a fixed page tries, largest first.
const TEXT_SCALES: [f32; 4] = [1.5, 1.35, 1.2, 1.1];

/// A figure whose natural height is at most this share of a fixed page is sparse: its text
/// grows (up to [`TEXT_SCALES`]) while its natural height stays under this share.
const SPARSE_SHARE: f32 = 0.6;

pub(super) fn build(tl: &Timeline, opt: &LayoutOptions, page: &Page) -> Scene {
    let (cx, column) = frame(tl, opt, page, text_scale(tl, opt, page));
    let fig = Figure::plan(&cx, opt, &column);
    compose(&cx, &fig, &fig.bands(), opt, page).scene
}

/// The text scale for this figure: 1, or on a fixed page the largest of [`TEXT_SCALES`] at
/// which a sparse figure's natural height stays under [`SPARSE_SHARE`] of the page (a
/// timeline with three lanes should not sit in a thin band across a slide).
pub(super) fn text_scale(tl: &Timeline, opt: &LayoutOptions, page: &Page) -> f32 {
    let Some(h) = page.height else {
        return 1.0;
    };
    let natural = |scale: f32| {
        let (cx, column) = frame(tl, opt, page, scale);
        let fig = Figure::plan(&cx, opt, &column);
        let (sizing, _) = budget::choose(&cx, &fig, None);
        stack::total_height(&fig.bands(), &cx, &sizing)
    };
    if natural(1.0) > h * SPARSE_SHARE {
        return 1.0;
    }
    TEXT_SCALES
        .into_iter()
        .find(|&k| natural(k) <= h * SPARSE_SHARE)
        .unwrap_or(1.0)
}

/// A scene and what its emission noticed.
pub(super) struct Composed {
    /// The figure.
    pub scene: Scene,
    /// Items a band drew outside the height it asked for (see [`stack::Emitted::overflows`]).
    #[cfg_attr(not(test), allow(dead_code))]
    pub overflows: Vec<String>,
    /// Items removed because they fell outside the page (also listed in the scene's
    /// `left_out`).
    #[cfg_attr(not(test), allow(dead_code))]
    pub outside_page: usize,
}

/// The vertical pass: budget, stacking and emission of `bands` (the figure's own bands, or
/// in tests a tampered copy), then the vertical centring on a fixed page.
pub(super) fn compose(
    cx: &Context,
    fig: &Figure,
    bands: &[&dyn Band],
    opt: &LayoutOptions,
    page: &Page,
) -> Composed {
    let (sizing, left_out) = budget::choose(cx, fig, page.height);
    let plot_bands = (BandKind::Events, BandKind::PlotEnd);
    finish(
        cx,
        bands,
        &sizing,
        left_out,
        opt.transparent,
        page,
        plot_bands,
    )
}

/// Stacks and emits `bands` at `sizing` on the page (its height, or the stack's when it
/// grows), drops and counts items outside it into `left_out`, centres a short figure on a
/// fixed page, and makes the scene; its plot runs from the top of the first of
/// `plot_bands` to the bottom of the second. The single-patient figure and the cohort
/// figures both end here.
pub(super) fn finish(
    cx: &Context,
    bands: &[&dyn Band],
    sizing: &stack::Sizing,
    mut left_out: crate::scene::LeftOut,
    transparent: bool,
    page: &Page,
    plot_bands: (BandKind, BandKind),
) -> Composed {
    let sizing = *sizing;
    let height = match page.height {
        Some(h) => h,
        None => stack::total_height(bands, cx, &sizing).ceil(),
    };
    let page_rect = Rect::from_xywh(0.0, 0.0, cx.width, height);
    let mut out = Out::new(page_rect, cx.sizes.body.size * 4.0);
    let emitted = stack::emit(bands, cx, &sizing, &mut out);
    let overflows = emitted.overflows(cx, &out);
    let plot_top = emitted.placement.top(plot_bands.0);
    let plot_bottom = emitted.placement.rect(plot_bands.1).max.y;

    let mut items = out.under;
    items.append(&mut out.items);
    // Nothing may fall outside the figure (counted: the tests require none).
    let before = items.len();
    items.retain(|it| page_rect.contains_rect(&it.shape.bounds()));
    let outside_page = before - items.len();
    if outside_page > 0 {
        left_out.parts.push(LeftOutPart::Items {
            count: outside_page,
        });
    }
    left_out.page_height = height;
    if page.height.is_none() {
        // The page grows with the figure: more height would not help.
        left_out.height_needed = None;
    }
    // A sparse timeline on a fixed-height page (a slide) leaves room the flexible parts could
    // not take: centre the figure vertically rather than leave it all at the top.
    let mut plot_shift = 0.0;
    if page.height.is_some() {
        let bottom = items
            .iter()
            .map(|it| it.shape.bounds().max.y)
            .fold(0.0f32, f32::max);
        let spare = height - cx.sizes.margin - bottom;
        if spare > cx.sizes.body.size * 2.0 {
            plot_shift = (spare / 2.0).floor();
            for it in &mut items {
                it.shape.translate(0.0, plot_shift);
            }
        }
    }
    let (plot_top, plot_bottom) = (plot_top + plot_shift, plot_bottom + plot_shift);
    let scene = Scene {
        width: cx.width,
        height,
        background: if transparent {
            None
        } else {
            Some(cx.theme.background)
        },
        dpi: page.dpi,
        items,
        plot: Rect::from_min_max(
            Point::new(cx.plot_x0, plot_top.min(plot_bottom)),
            Point::new(cx.plot_x1, plot_bottom),
        ),
        time_axis: cx.time_axis.clone(),
        left_out,
    };
    Composed {
        scene,
        overflows,
        outside_page,
    }
}

/// The horizontal frame: sizes, the days shown, the label column, the plot's edges and the
/// time axis.
pub(super) fn frame<'a>(
    tl: &'a Timeline,
    opt: &LayoutOptions,
    page: &Page,
    text_scale: f32,
) -> (Context<'a>, LabelColumn) {
    let sizes = Sizes::new(page, text_scale);
    let width = page.width.max(50.0);
    let (mut day_lo, mut day_hi) = match opt.window {
        Some((a, b)) if a.is_finite() && b.is_finite() && b > a => (a, b),
        _ => {
            let (a, b) = tl.day_range();
            (a as f64, b as f64)
        }
    };
    if day_hi - day_lo < 1.0 {
        day_lo -= 15.0;
        day_hi += 15.0;
    }
    let axis_mode = if tl.day_zero.is_none() {
        AxisMode::Relative
    } else {
        opt.axis
    };
    let column = label_column(tl, opt, &sizes, width);
    let plot_x0 = sizes.margin + column.width + sizes.space * 2.0;
    let plot_x1 = (width - sizes.margin).max(plot_x0 + 10.0);
    let plot_pad = sizes.marker;
    let axis_x0 = plot_x0 + plot_pad;
    let axis_x1 = (plot_x1 - plot_pad).max(axis_x0 + 1.0);
    let time_axis = if opt.compress_gaps {
        let days = event_days(tl, day_lo, day_hi);
        let g = gaps::find_gaps(&days, gaps::default_threshold(day_hi - day_lo));
        gaps::broken_axis(day_lo, day_hi, axis_x0, axis_x1, &g, sizes.body.size * 1.6)
    } else {
        TimeAxis::linear(day_lo, day_hi, axis_x0, axis_x1)
    };
    let px_per_day = {
        let sg = time_axis.segments[0];
        ((sg.x1 - sg.x0) as f64 / (sg.day1 - sg.day0).max(1e-9)).abs()
    };
    let column_right = plot_x0 - sizes.space * 2.0;
    let cx = Context {
        timeline: tl,
        theme: opt.theme.theme(),
        sizes,
        width,
        day_lo,
        day_hi,
        windowed: opt.window.is_some(),
        axis_mode,
        time_axis,
        px_per_day,
        plot_x0,
        plot_x1,
        plot_pad,
        axis_x0,
        axis_x1,
        column_right,
    };
    (cx, column)
}

/// Every day something happens in the window, and the window's ends (for finding quiet gaps).
/// The long quiet gaps "compress long gaps" would break the axis at, for the days shown
/// (`window`, else the whole timeline), and the threshold a gap must exceed.
pub fn long_gaps(tl: &Timeline, window: Option<(f64, f64)>) -> (Vec<(f64, f64)>, f64) {
    let (lo, hi) = match window {
        Some((a, b)) if a.is_finite() && b.is_finite() && b > a => (a, b),
        _ => {
            let (a, b) = tl.day_range();
            (a as f64, b as f64)
        }
    };
    let threshold = gaps::default_threshold(hi - lo);
    (
        gaps::find_gaps(&event_days(tl, lo, hi), threshold),
        threshold,
    )
}

fn event_days(tl: &Timeline, lo: f64, hi: f64) -> Vec<f64> {
    let mut days: Vec<f64> = Vec::new();
    let mut see = |d: i64| {
        let d = d as f64;
        if d >= lo && d <= hi {
            days.push(d);
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
    days.push(lo);
    days.push(hi);
    days
}

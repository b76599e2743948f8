//! The vertical budget: chooses the [`Sizing`] (lane row height, track height, thumbnail
//! size, which optional parts are drawn, extra space between bands) so the stacked bands fit
//! a fixed page, or take their natural size on a page that grows with its content. Every
//! height it compares comes from the stacker, the same one the emission uses.
//!
//! On a fixed page too small for the content, in this order: (1) the space between bands
//! tightens to half; (2) lane rows, tracks and thumbnails shrink together towards their
//! legible minimums; (3) whole parts are left out — the image strip, then measurement
//! tracks from the last, then the therapy bars' labels (lane rows too thin for text). Every
//! part left out is listed in the scene's [`LeftOut`], with the page height that would show
//! it.

use super::bands::Figure;
use super::bands::context::Context;
use super::bands::images::MIN_SLOT_ASPECT;
use super::bands::stack::{Sizing, total_height};
use crate::scene::{LeftOut, LeftOutPart};

/// The natural and minimum sizes of the flexible parts.
struct Limits {
    lane_natural: f32,
    lane_min: f32,
    track_natural: f32,
    track_min: f32,
    thumb_natural: f32,
    thumb_min: f32,
    /// The largest thumbnail height the strip's width allows.
    thumb_max_by_width: f32,
}

impl Limits {
    fn new(cx: &Context, fig: &Figure) -> Limits {
        let s = &cx.sizes;
        let n_img = fig.images.images.len();
        let aspect_sum: f32 = fig
            .images
            .images
            .iter()
            .map(|i| i.aspect.max(MIN_SLOT_ASPECT))
            .sum();
        let thumb_max_by_width = if n_img > 0 {
            ((cx.plot_x1 - cx.plot_x0) - s.space * 2.0 * n_img as f32) / aspect_sum.max(0.1)
        } else {
            0.0
        };
        Limits {
            lane_natural: s.body.height() * 1.75,
            lane_min: s.bold.height() * 1.3,
            track_natural: s.body.size * 6.0,
            track_min: s.small.height() * 2.2,
            thumb_natural: (cx.width * 0.09)
                .min(thumb_max_by_width)
                .min(s.body.size * 9.0),
            thumb_min: s.body.size * 3.0,
            thumb_max_by_width,
        }
    }

    /// The largest thumbnail the budget grows to.
    fn thumb_max(&self, cx: &Context) -> f32 {
        self.thumb_max_by_width.min(cx.sizes.body.size * 10.0)
    }
}

/// The space between bands at its tightest (added to every gap: half the natural gap).
fn tight_gap(cx: &Context) -> f32 {
    -cx.sizes.space * 0.7
}

/// Chooses the sizing for this figure on a page of this fixed height (`None`: the page
/// takes the figure's height), and says what it left out.
pub(crate) fn choose(cx: &Context, fig: &Figure, page_height: Option<f32>) -> (Sizing, LeftOut) {
    let lim = Limits::new(cx, fig);
    let n_img = fig.images.images.len();
    // Lines the captions need at any thumbnail size the budget may choose (slots narrow
    // when thumbnails grow past their fair share of the strip).
    let caption_lines = [lim.thumb_min, lim.thumb_natural, lim.thumb_max(cx)]
        .into_iter()
        .map(|t| fig.images.caption_lines(cx, t))
        .max()
        .unwrap_or(0);
    let mut sizing = Sizing {
        lane_row: lim.lane_natural,
        track: lim.track_natural,
        thumb: lim.thumb_natural,
        caption_lines,
        show_images: n_img > 0 && lim.thumb_max_by_width >= lim.thumb_min,
        tracks_shown: fig.tracks.tracks.len(),
        bar_labels: true,
        extra_gap: 0.0,
    };
    // Very many lane rows: shrink rows so a page without a fixed height stays sane.
    let total_lane_rows = fig.lanes.total_rows();
    let lanes_cap = cx.width * 1.2;
    if total_lane_rows as f32 * lim.lane_natural > lanes_cap {
        sizing.lane_row = (lanes_cap / total_lane_rows as f32).max(1.0);
        sizing.bar_labels = sizing.lane_row >= lim.lane_min;
    }
    if let Some(h) = page_height {
        let bands = fig.bands();
        let height = total_height(&bands, cx, &sizing);
        sizing = if height <= h {
            grow(cx, fig, &lim, sizing, h)
        } else {
            shrink(cx, fig, &lim, sizing, h)
        };
    }
    fit_captions(cx, fig, &lim, &mut sizing, page_height.is_some());
    let left_out = left_out(cx, fig, &lim, &sizing, caption_lines);
    (sizing, left_out)
}

/// The parts this sizing does not draw, and the page height at which the smallest legible
/// sizes would draw them all.
fn left_out(cx: &Context, fig: &Figure, lim: &Limits, sizing: &Sizing, captions: usize) -> LeftOut {
    let mut parts = Vec::new();
    let n_img = fig.images.images.len();
    if n_img > 0 && !sizing.show_images {
        parts.push(LeftOutPart::ImageStrip { images: n_img });
    }
    for t in fig.tracks.tracks.iter().skip(sizing.tracks_shown) {
        parts.push(LeftOutPart::Track {
            name: cx.timeline.measurements[t.idx].name.clone(),
        });
    }
    let bars: usize = fig.lanes.lanes.iter().map(|l| l.bars.len()).sum();
    if !sizing.bar_labels && bars > 0 {
        parts.push(LeftOutPart::BarLabels { bars });
    }
    let everything = Sizing {
        lane_row: lim.lane_min,
        track: lim.track_min,
        thumb: lim.thumb_min,
        caption_lines: captions,
        show_images: n_img > 0 && lim.thumb_max_by_width >= lim.thumb_min,
        tracks_shown: fig.tracks.tracks.len(),
        bar_labels: true,
        extra_gap: tight_gap(cx),
    };
    LeftOut {
        parts,
        height_needed: Some(total_height(&fig.bands(), cx, &everything).ceil()),
        page_height: 0.0,
    }
}

/// Grows the flexible parts into the room a page of height `h` leaves: lanes first (the
/// heart of the figure), then tracks, then thumbnails; what is left widens the gaps between
/// bands (up to a limit). A sparse figure then takes the rest (see [`fill`]).
fn grow(cx: &Context, fig: &Figure, lim: &Limits, mut sizing: Sizing, h: f32) -> Sizing {
    let s = &cx.sizes;
    let bands = fig.bands();
    let mut rest = h - total_height(&bands, cx, &sizing);
    let total_lane_rows = fig.lanes.total_rows();
    if total_lane_rows > 0 {
        let n = total_lane_rows as f32;
        let grow = (lim.lane_natural * 0.3 * n).min(rest * 0.4);
        sizing.lane_row += grow / n;
        rest -= grow;
    }
    if sizing.tracks_shown > 0 {
        let n = sizing.tracks_shown as f32;
        let grow = (lim.track_natural * 0.8 * n).min(rest * 0.5);
        sizing.track += grow / n;
        rest -= grow;
    }
    if sizing.show_images {
        let grow = (lim.thumb_max(cx) - sizing.thumb).max(0.0).min(rest);
        sizing.thumb += grow;
        rest -= grow;
    }
    let per_gap = total_height(
        &bands,
        cx,
        &Sizing {
            extra_gap: 1.0,
            ..sizing
        },
    ) - total_height(&bands, cx, &sizing);
    if per_gap > 0.0 {
        sizing.extra_gap = (rest / per_gap).clamp(0.0, s.body.size * 2.0);
    }
    fill(cx, fig, lim, sizing, h)
}

/// The share of a fixed page's height a figure's bands span at least (issue 8: a sparse
/// timeline on a slide uses the room instead of sitting in a band across its middle).
pub(crate) const FILL_TARGET: f32 = 0.98;

/// Only a figure spanning less than this share of the page is filled.
const FILL_TRIGGER: f32 = 0.9;

/// A figure still shorter than [`FILL_TARGET`] of the page: its lane rows grow up to twice
/// their natural height, its tracks up to 2.5 times, then the rest widens the gaps between
/// bands.
fn fill(cx: &Context, fig: &Figure, lim: &Limits, mut sizing: Sizing, h: f32) -> Sizing {
    let bands = fig.bands();
    let target = h * FILL_TARGET;
    if total_height(&bands, cx, &sizing) >= h * FILL_TRIGGER {
        // Dense enough: keep its look.
        return sizing;
    }
    let short = target - total_height(&bands, cx, &sizing);
    let rows = fig.lanes.total_rows();
    if short > 0.0 && rows > 0 {
        let per_row =
            (short * 0.6 / rows as f32).min((lim.lane_natural * 2.0 - sizing.lane_row).max(0.0));
        sizing.lane_row += per_row;
    }
    let short = target - total_height(&bands, cx, &sizing);
    if short > 0.0 && sizing.tracks_shown > 0 {
        let n = sizing.tracks_shown as f32;
        let per_track = (short * 0.6 / n).min((lim.track_natural * 2.5 - sizing.track).max(0.0));
        sizing.track += per_track;
    }
    let short = target - total_height(&bands, cx, &sizing);
    if short > 0.0 {
        // Spread over the gaps between bands (rather than one blank hole).
        let per_gap = total_height(
            &bands,
            cx,
            &Sizing {
                extra_gap: sizing.extra_gap + 1.0,
                ..sizing
            },
        ) - total_height(&bands, cx, &sizing);
        if per_gap > 0.0 {
            sizing.extra_gap += short / per_gap;
        }
    }
    sizing
}

/// Tightens the space between bands, then shrinks towards the minimums together; drops the
/// image strip, then tracks (the last first), then bar labels (thin lane rows) when the
/// minimums do not fit.
fn shrink(cx: &Context, fig: &Figure, lim: &Limits, mut base: Sizing, h: f32) -> Sizing {
    let bands = fig.bands();
    let fits = |f: &Sizing| total_height(&bands, cx, f) <= h;
    let tight = tight_gap(cx);
    // t in 1..=2: natural sizes, gaps from tight (1) to natural (2); t in 0..1: tight gaps,
    // sizes from their minimums (0) to natural (1).
    let at = |t: f32, base: &Sizing| {
        if t >= 1.0 {
            return Sizing {
                extra_gap: tight * (2.0 - t),
                ..*base
            };
        }
        Sizing {
            lane_row: lim.lane_min.min(base.lane_row) + (base.lane_row - lim.lane_min).max(0.0) * t,
            track: lim.track_min + (lim.track_natural - lim.track_min) * t,
            thumb: lim.thumb_min.min(base.thumb) + (base.thumb - lim.thumb_min).max(0.0) * t,
            extra_gap: tight,
            ..*base
        }
    };
    let mut f = at(0.0, &base);
    if !fits(&f) && base.show_images {
        base.show_images = false;
        f = at(0.0, &base);
    }
    // Fewer tracks (the last ones go first), then none.
    while !fits(&f) && base.tracks_shown > 0 {
        base.tracks_shown -= 1;
        f.tracks_shown = base.tracks_shown;
    }
    if !fits(&f) {
        // Lane rows without labels can be thin.
        let mut thin = f;
        thin.bar_labels = false;
        let others = total_height(
            &bands,
            cx,
            &Sizing {
                lane_row: 0.0,
                ..thin
            },
        );
        thin.lane_row = ((h - others) / fig.lanes.total_rows().max(1) as f32).max(1.0);
        if thin.lane_row < lim.lane_min {
            f = thin;
        }
    }
    if !fits(&f) {
        // Still too tall: emit as is; what falls off the page is counted and reported.
        return f;
    }
    let with = |t: f32| {
        let mut c = at(t, &base);
        c.bar_labels = f.bar_labels;
        if !f.bar_labels {
            c.lane_row = f.lane_row;
        }
        c
    };
    let (mut lo_t, mut hi_t) = (0.0f32, 2.0f32);
    for _ in 0..24 {
        let mid = (lo_t + hi_t) / 2.0;
        if fits(&with(mid)) {
            lo_t = mid;
        } else {
            hi_t = mid;
        }
    }
    with(lo_t)
}

/// The captions were budgeted for the worst thumbnail size; at the size chosen they may
/// need fewer lines: give the freed height to the thumbnails.
fn fit_captions(cx: &Context, fig: &Figure, lim: &Limits, sizing: &mut Sizing, fixed_page: bool) {
    if !sizing.show_images {
        return;
    }
    let lh = cx.sizes.small.height() * 1.05;
    for _ in 0..3 {
        let now = fig.images.caption_lines(cx, sizing.thumb);
        if now >= sizing.caption_lines {
            break;
        }
        let freed = (sizing.caption_lines - now) as f32 * lh;
        let bigger = (sizing.thumb + freed).min(lim.thumb_max_by_width.max(sizing.thumb));
        if fig.images.caption_lines(cx, bigger) <= now {
            sizing.thumb = bigger;
        }
        let extra = (sizing.caption_lines - now) as f32 * lh - (sizing.thumb - (bigger - freed));
        sizing.caption_lines = now;
        if extra > 0.5 && fixed_page {
            // Whatever the thumbnails could not take widens the gaps a little.
            sizing.extra_gap += extra / 8.0;
        }
    }
}

//! The measurement tracks: per track a title, a value axis with calm ticks, the normal range
//! shaded, the line clipped to the time window and a dot per measurement.

use super::super::axis;
use super::super::text;
use super::context::{Context, Out};
use super::shapes::rect;
use super::stack::{Band, BandKind, Placement, Sizing};
use crate::model::Scale;
use crate::scene::{Anchor, ItemRef, MarkerShape, Point, Rect, Shape, Stroke};

/// A planned track.
pub(crate) struct Track {
    /// Index into `measurements`.
    pub idx: usize,
    /// "Name (unit)".
    pub title: String,
    /// Draws a normal-range band.
    pub normal: bool,
    value_lo: f64,
    value_hi: f64,
}

/// The visible tracks, in file order.
pub(crate) struct TracksBand {
    pub tracks: Vec<Track>,
}

impl TracksBand {
    pub fn plan(cx: &Context, hidden: &std::collections::BTreeSet<usize>) -> TracksBand {
        let tl = cx.timeline;
        let mut tracks = Vec::new();
        for i in (0..tl.measurements.len()).filter(|i| !hidden.contains(i)) {
            let m = &tl.measurements[i];
            let vis: Vec<f64> = m
                .points
                .iter()
                .filter(|(d, _)| cx.day_shown(d.day as f64))
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
            let log = m.scale == Scale::Log;
            if log {
                // Validation keeps values > 0; guard anyway (a log of 0 is no place).
                vals.retain(|v| *v > 0.0);
                if vals.is_empty() {
                    continue;
                }
            }
            let min = vals.iter().copied().fold(f64::INFINITY, f64::min);
            let vlo = min.min(0.0_f64.max(min));
            // Values that are all positive start a linear axis at 0 (sizes and markers).
            let vlo = if vlo > 0.0 && !log { 0.0 } else { vlo };
            let vhi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let title = match &m.unit {
                Some(u) => format!("{} ({u})", m.name),
                None => m.name.clone(),
            };
            // The band the emitter draws (it clamps to axis ticks that contain these values).
            let normal = (m.normal_min.is_some() || m.normal_max.is_some())
                && m.normal_max.unwrap_or(vhi) > m.normal_min.unwrap_or(vlo);
            tracks.push(Track {
                idx: i,
                title,
                normal,
                value_lo: vlo,
                value_hi: vhi,
            });
        }
        TracksBand { tracks }
    }
}

/// The space under each track: the gap between bands, never tightened (the lowest tick
/// label hangs half a line below the track).
fn space_below(cx: &Context, sizing: &Sizing) -> f32 {
    sizing.gap(cx).max(cx.sizes.space * 1.4) * 0.5
}

fn title_height(cx: &Context) -> f32 {
    cx.sizes.small.height() * 1.15
}

impl Band for TracksBand {
    fn kind(&self) -> BandKind {
        BandKind::Tracks
    }

    fn height(&self, cx: &Context, sizing: &Sizing) -> f32 {
        let shown = sizing.tracks_shown.min(self.tracks.len());
        if shown == 0 {
            return 0.0;
        }
        shown as f32 * (title_height(cx) + sizing.track + space_below(cx, sizing))
    }

    fn emit(&self, cx: &Context, sizing: &Sizing, stack: &Placement, out: &mut Out) {
        let mut y = stack.top(BandKind::Tracks);
        for tr in self.tracks.iter().take(sizing.tracks_shown) {
            y = draw_track(cx, sizing, tr, y, out) + space_below(cx, sizing);
        }
    }
}

/// One track from `y` down; returns its plot's bottom.
fn draw_track(cx: &Context, sizing: &Sizing, tr: &Track, y: f32, out: &mut Out) -> f32 {
    let (s, th) = (&cx.sizes, &cx.theme);
    let (px0, px1) = (cx.plot_x0, cx.plot_x1);
    let m = &cx.timeline.measurements[tr.idx];
    let title = text::ellipsize(&tr.title, s.small, px1 - px0).unwrap_or_default();
    let tt = s.small.at_top(&title, px0, y, Anchor::Start, th.text);
    out.text(tt, Some(ItemRef::Measurement(tr.idx)));
    let y = y + title_height(cx);
    let top = y + s.small.height() * 0.5;
    let bottom = y + sizing.track;
    let plot_h = (bottom - top).max(1.0);
    let target = ((plot_h / (s.small.height() * 1.5)).floor() as usize).clamp(1, 4);
    let log = m.scale == Scale::Log;
    let (ticks, decimals) = if log {
        axis::log_ticks(tr.value_lo, tr.value_hi)
    } else {
        axis::nice_ticks(tr.value_lo, tr.value_hi, target)
    };
    let (vlo, vhi) = (
        *ticks.first().unwrap_or(&tr.value_lo),
        *ticks.last().unwrap_or(&tr.value_hi),
    );
    // The axis position of a value: itself, or its decimal logarithm on a log track.
    let at = |v: f64| {
        if log {
            v.max(f64::MIN_POSITIVE).log10()
        } else {
            v
        }
    };
    let (alo, ahi) = (at(vlo), at(vhi));
    let y_of = |v: f64| bottom - ((at(v) - alo) / (ahi - alo).max(1e-12)) as f32 * plot_h;
    // Normal range.
    if m.normal_min.is_some() || m.normal_max.is_some() {
        let a = m.normal_min.unwrap_or(vlo).clamp(vlo, vhi);
        let b = m.normal_max.unwrap_or(vhi).clamp(vlo, vhi);
        if b > a {
            out.under(rect(
                Rect::from_min_max(Point::new(px0, y_of(b)), Point::new(px1, y_of(a))),
                Some(th.normal_range),
                None,
            ));
        }
    }
    // Y axis.
    let thin = Stroke::solid(s.line, th.axis);
    out.line(Point::new(px0, top), Point::new(px0, bottom), thin);
    let mut last_top = f32::INFINITY;
    for v in &ticks {
        let yy = y_of(*v);
        out.line(
            Point::new(px0 - s.space * 0.6, yy),
            Point::new(px0, yy),
            thin,
        );
        let label = format!("{:.*}", decimals, v);
        let t = s
            .small
            .centered(&label, px0 - s.space * 0.9, yy, Anchor::End, th.muted);
        if t.bbox.max.y <= last_top {
            last_top = t.bbox.min.y;
            out.text(t, None);
        }
    }
    draw_values(cx, tr, &y_of, out);
    bottom
}

/// The line (clipped to the window) and a dot per measurement in the window.
fn draw_values(cx: &Context, tr: &Track, y_of: &dyn Fn(f64) -> f32, out: &mut Out) {
    let (s, th, axis) = (&cx.sizes, &cx.theme, &cx.time_axis);
    let (lo, hi) = (cx.day_lo, cx.day_hi);
    let m = &cx.timeline.measurements[tr.idx];
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
                    line.push(Point::new(axis.x_of(edge), y_of(ev)));
                }
            }
        }
        if d >= lo && d <= hi {
            line.push(Point::new(axis.x_of(d), y_of(v)));
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
                    center: Point::new(axis.x_of(*d), y_of(*v)),
                    shape: MarkerShape::Circle,
                    size: s.marker * 0.55,
                    fill: th.track_line,
                    stroke: None,
                },
                Some(ItemRef::MeasurementPoint(tr.idx, *j)),
            );
        }
    }
}

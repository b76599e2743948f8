//! Gap compression: finding long quiet stretches and turning them into axis breaks.

use crate::model::DAYS_PER_MONTH;
use crate::scene::{AxisSegment, TimeAxis};

/// The default quiet-gap threshold: the longer of 6 months and 20% of the span.
pub fn default_threshold(span_days: f64) -> f64 {
    (6.0 * DAYS_PER_MONTH).max(0.2 * span_days.max(0.0))
}

/// What counts as a long gap, in words (the viewer's tooltip on "Compress long gaps").
pub fn threshold_text(threshold: f64) -> String {
    format!(
        "A long gap is a stretch with nothing in it longer than 6 months or a fifth of the \
         time shown, whichever is longer (here {:.0} months). Compressing draws each as an \
         axis break.",
        threshold / DAYS_PER_MONTH
    )
}

/// Why "compress long gaps" does nothing for this figure.
pub const NO_GAPS: &str = "This timeline has no long gap to compress.";

/// Quiet gaps: between consecutive time points (in any order, duplicates allowed) that lie
/// more than `threshold` days apart. Returns `(from, to)` pairs in increasing order.
pub fn find_gaps(points: &[f64], threshold: f64) -> Vec<(f64, f64)> {
    let mut p: Vec<f64> = points.iter().copied().filter(|d| d.is_finite()).collect();
    p.sort_by(f64::total_cmp);
    p.windows(2)
        .filter(|w| w[1] - w[0] > threshold)
        .map(|w| (w[0], w[1]))
        .collect()
}

/// The time axis for `day0..day1` on `x0..x1` with the given gaps compressed into breaks of
/// `break_w` pixels. Each gap keeps a margin of days on both sides so items at its edges do
/// not sit on the break. All segments share one scale. Falls back to one linear segment
/// when there is no gap or no room.
pub fn broken_axis(
    day0: f64,
    day1: f64,
    x0: f32,
    x1: f32,
    gaps: &[(f64, f64)],
    break_w: f32,
) -> TimeAxis {
    let linear = TimeAxis::linear(day0, day1, x0, x1);
    // Hidden stretches, trimmed to the range and with margins.
    let mut hidden: Vec<(f64, f64)> = Vec::new();
    for &(a, b) in gaps {
        let margin = ((b - a) * 0.04).clamp(3.0, 30.0);
        let (a, b) = ((a + margin).max(day0), (b - margin).min(day1));
        if b - a > 1.0 {
            hidden.push((a, b));
        }
    }
    if hidden.is_empty() {
        return linear;
    }
    let kept_days: f64 = (day1 - day0) - hidden.iter().map(|(a, b)| b - a).sum::<f64>();
    let width = (x1 - x0) - break_w * hidden.len() as f32;
    if kept_days <= 0.0 || width <= (x1 - x0) * 0.3 {
        return linear;
    }
    let ppd = width as f64 / kept_days;
    let mut segments = Vec::new();
    let mut d = day0;
    let mut x = x0 as f64;
    for &(a, b) in &hidden {
        let x_end = x + (a - d) * ppd;
        segments.push(AxisSegment {
            day0: d,
            day1: a,
            x0: x as f32,
            x1: x_end as f32,
        });
        x = x_end + break_w as f64;
        d = b;
    }
    segments.push(AxisSegment {
        day0: d,
        day1,
        x0: x as f32,
        x1,
    });
    TimeAxis { segments }
}

/// The visible pieces of `d0..d1` on a (possibly broken) axis, as figure x ranges: a span
/// across a break becomes two or more pieces with the break between them.
pub fn pieces(axis: &TimeAxis, d0: f64, d1: f64) -> Vec<(f32, f32)> {
    let mut out = Vec::new();
    let n = axis.segments.len();
    for (i, s) in axis.segments.iter().enumerate() {
        // The first and last segments extend outward (extrapolation), so spans are not lost.
        let lo = if i == 0 { f64::NEG_INFINITY } else { s.day0 };
        let hi = if i + 1 == n { f64::INFINITY } else { s.day1 };
        let (a, b) = (d0.max(lo), d1.min(hi));
        if a <= b {
            out.push((axis.x_of(a), axis.x_of(b)));
        }
    }
    if out.is_empty() {
        // Wholly inside a break: draw it where the axis puts it.
        out.push((axis.x_of(d0), axis.x_of(d1)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_only_long_gaps() {
        let g = find_gaps(&[0.0, 10.0, 400.0, 420.0, 30.0], 183.0);
        assert_eq!(g, vec![(30.0, 400.0)]);
        assert!(find_gaps(&[0.0, 100.0, 200.0], 183.0).is_empty());
        assert!(find_gaps(&[], 1.0).is_empty());
    }

    #[test]
    fn threshold_is_six_months_or_a_fifth() {
        assert!((default_threshold(100.0) - 182.625).abs() < 1e-9);
        assert!((default_threshold(3000.0) - 600.0).abs() < 1e-9);
    }

    #[test]
    fn broken_axis_keeps_scale_and_breaks() {
        let a = broken_axis(0.0, 1000.0, 0.0, 500.0, &[(100.0, 900.0)], 20.0);
        assert_eq!(a.segments.len(), 2);
        assert_eq!(a.breaks().count(), 1);
        let s = a.segments;
        let k0 = (s[0].x1 - s[0].x0) as f64 / (s[0].day1 - s[0].day0);
        let k1 = (s[1].x1 - s[1].x0) as f64 / (s[1].day1 - s[1].day0);
        assert!((k0 - k1).abs() < 1e-3);
        assert!((s[1].x0 - s[0].x1 - 20.0).abs() < 1e-3);
        assert_eq!(s[1].x1, 500.0);
    }

    #[test]
    fn span_across_break_is_two_pieces() {
        let a = broken_axis(0.0, 1000.0, 0.0, 500.0, &[(100.0, 900.0)], 20.0);
        let p = pieces(&a, 50.0, 950.0);
        assert_eq!(p.len(), 2);
        assert!((p[0].0 - a.x_of(50.0)).abs() < 1e-3);
        assert!((p[1].1 - a.x_of(950.0)).abs() < 1e-3);
        assert!(p[0].1 < p[1].0);
        assert_eq!(pieces(&a, 10.0, 20.0).len(), 1);
    }
}

//! Axis ticks: calendar ticks (years / quarters / months / weeks / days as the pixel density
//! allows), relative ticks (days / weeks / months / years from day 0) and "nice" value ticks
//! for measurement y axes. Pure functions of numbers, no layout state.

use crate::model::DAYS_PER_MONTH;

use crate::time::{days_from_ymd, ymd_from_days};

/// English month abbreviations.
pub const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// One labelled tick.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Day after day 0.
    pub day: f64,
    /// Label.
    pub label: String,
    /// Drawn bold / longer (year boundaries).
    pub major: bool,
}

/// Calendar ticks: the first row (ticks with labels) and the second row (years or months
/// that give the first row its context), for `day0..=day1` at `px_per_day`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CalendarTicks {
    /// Tick marks with their labels.
    pub ticks: Vec<Tick>,
    /// Context labels under the ticks (years, or month + year for day/week ticks).
    pub context: Vec<Tick>,
}

#[derive(Clone, Copy)]
enum CalStep {
    Days(i64),
    Weeks(i64),
    Months(i64),
    Years(i64),
}

/// Chooses the finest calendar step whose labels fit and lists its ticks.
///
/// `zero` is day 0 as days since 1970-01-01; `label_w` measures a label's width in pixels;
/// `gap` is the least space between labels.
pub fn calendar_ticks(
    zero: i64,
    day0: f64,
    day1: f64,
    px_per_day: f64,
    label_w: &dyn Fn(&str) -> f32,
    gap: f32,
) -> CalendarTicks {
    let steps = [
        CalStep::Days(1),
        CalStep::Days(2),
        CalStep::Weeks(1),
        CalStep::Weeks(2),
        CalStep::Months(1),
        CalStep::Months(3),
        CalStep::Months(6),
        CalStep::Years(1),
        CalStep::Years(2),
        CalStep::Years(5),
        CalStep::Years(10),
        CalStep::Years(20),
        CalStep::Years(50),
        CalStep::Years(100),
    ];
    let px_per_day = px_per_day.max(1e-9);
    for (i, step) in steps.iter().enumerate() {
        let (min_days, sample) = match step {
            CalStep::Days(n) => (*n as f64, "28"),
            CalStep::Weeks(n) => (7.0 * *n as f64, "28"),
            CalStep::Months(n) => (28.0 * *n as f64, "May"),
            CalStep::Years(n) => (365.0 * *n as f64, "2020"),
        };
        // Too many ticks is never useful (and bounds the work on odd inputs).
        if (day1 - day0) / min_days > 400.0 {
            continue;
        }
        let need = label_w(sample) + gap;
        if min_days * px_per_day >= need as f64 || i == steps.len() - 1 {
            return list(*step, zero, day0, day1);
        }
    }
    CalendarTicks::default()
}

fn list(step: CalStep, zero: i64, day0: f64, day1: f64) -> CalendarTicks {
    let mut out = CalendarTicks::default();
    let lo = zero + day0.floor() as i64;
    let hi = zero + day1.ceil() as i64;
    // Only dates of years 1 to 9999 are labelled: before year 1 a calendar label would read
    // "0" or "-3" (there is no year 0 in the calendar a clinician reads); the relative axis
    // still shows those days.
    let dated = |e: i64| (1..=9999).contains(&ymd_from_days(e).0);
    let in_range = |e: i64| {
        let d = (e - zero) as f64;
        d >= day0 && d <= day1 && dated(e)
    };
    let (y0, m0, _) = ymd_from_days(lo);
    let (y1, _, _) = ymd_from_days(hi);
    match step {
        CalStep::Days(_) | CalStep::Weeks(_) => {
            let n = match step {
                CalStep::Days(n) => n,
                CalStep::Weeks(n) => 7 * n,
                _ => 1,
            };
            // Weeks start on Mondays (1970-01-05 was a Monday).
            let base = if matches!(step, CalStep::Weeks(_)) {
                4
            } else {
                0
            };
            let mut e = lo - (lo - base).rem_euclid(n);
            while e <= hi {
                if in_range(e) {
                    let (_, _, d) = ymd_from_days(e);
                    out.ticks.push(Tick {
                        day: (e - zero) as f64,
                        label: d.to_string(),
                        major: d == 1,
                    });
                }
                e += n;
            }
            // Context: month + year at each month start, and at the first tick.
            let (mut y, mut m) = (y0, m0);
            let mut first = true;
            loop {
                let e = days_from_ymd(y, m, 1);
                if e > hi {
                    break;
                }
                let at = if first && e < lo { lo } else { e };
                if in_range(at) || (first && at == lo && dated(at)) {
                    let label = format!("{} {}", MONTHS[(m - 1) as usize], y);
                    out.context.push(Tick {
                        day: ((at - zero) as f64).max(day0),
                        label,
                        major: true,
                    });
                }
                first = false;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
        CalStep::Months(n) => {
            let mut y = y0;
            let mut m = m0 - (m0 - 1) % n;
            let mut first_year_labelled = false;
            loop {
                let e = days_from_ymd(y, m, 1);
                if e > hi {
                    break;
                }
                if in_range(e) {
                    out.ticks.push(Tick {
                        day: (e - zero) as f64,
                        label: MONTHS[(m - 1) as usize].to_string(),
                        major: m == 1,
                    });
                    if m == 1 {
                        out.context.push(Tick {
                            day: (e - zero) as f64,
                            label: y.to_string(),
                            major: true,
                        });
                        first_year_labelled = true;
                    } else if !first_year_labelled {
                        // The first year in view gets its label at its first tick.
                        out.context.push(Tick {
                            day: (e - zero) as f64,
                            label: y.to_string(),
                            major: true,
                        });
                        first_year_labelled = true;
                    }
                }
                m += n;
                while m > 12 {
                    m -= 12;
                    y += 1;
                }
            }
        }
        CalStep::Years(n) => {
            let mut y = y0 - y0.rem_euclid(n);
            while y <= y1 {
                let e = days_from_ymd(y, 1, 1);
                if in_range(e) {
                    out.ticks.push(Tick {
                        day: (e - zero) as f64,
                        label: y.to_string(),
                        major: true,
                    });
                }
                y += n;
            }
        }
    }
    out
}

/// The unit of a relative axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelUnit {
    /// Days.
    Days,
    /// Weeks (7 days).
    Weeks,
    /// Months (30.4375 days).
    Months,
    /// Years (12 months).
    Years,
}

impl RelUnit {
    /// Days per unit.
    pub fn days(self) -> f64 {
        match self {
            RelUnit::Days => 1.0,
            RelUnit::Weeks => 7.0,
            RelUnit::Months => DAYS_PER_MONTH,
            RelUnit::Years => 12.0 * DAYS_PER_MONTH,
        }
    }

    /// Axis title ("months from day 0").
    pub fn title(self) -> &'static str {
        match self {
            RelUnit::Days => "days from day 0",
            RelUnit::Weeks => "weeks from day 0",
            RelUnit::Months => "months from day 0",
            RelUnit::Years => "years from day 0",
        }
    }

    /// Short title for narrow pages.
    pub fn short_title(self) -> &'static str {
        match self {
            RelUnit::Days => "days",
            RelUnit::Weeks => "weeks",
            RelUnit::Months => "months",
            RelUnit::Years => "years",
        }
    }
}

/// Relative ticks for `day0..=day1`: the unit (by span) and multiples of a step whose labels fit.
pub fn relative_ticks(
    day0: f64,
    day1: f64,
    px_per_day: f64,
    label_w: &dyn Fn(&str) -> f32,
    gap: f32,
) -> (RelUnit, Vec<Tick>) {
    let span = (day1 - day0).max(1.0);
    let unit = if span <= 60.0 {
        RelUnit::Days
    } else if span <= 300.0 {
        RelUnit::Weeks
    } else if span <= 10.0 * 365.25 {
        RelUnit::Months
    } else {
        RelUnit::Years
    };
    let steps: &[f64] = match unit {
        RelUnit::Days => &[1.0, 2.0, 5.0, 7.0, 10.0, 14.0, 20.0, 30.0],
        RelUnit::Weeks => &[1.0, 2.0, 4.0, 8.0, 12.0, 26.0],
        RelUnit::Months => &[1.0, 3.0, 6.0, 12.0, 24.0, 36.0, 60.0],
        RelUnit::Years => &[1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0],
    };
    let u = unit.days();
    let lo = (day0 / u).ceil() as i64;
    let hi = (day1 / u).floor() as i64;
    let widest = label_w(&lo.abs().max(hi.abs()).to_string()) + label_w("-");
    let px_per_day = px_per_day.max(1e-9);
    let mut step = *steps.last().unwrap_or(&1.0);
    for s in steps {
        if s * u * px_per_day >= (widest + gap) as f64 && (day1 - day0) / (s * u) <= 400.0 {
            step = *s;
            break;
        }
    }
    // Never more than a few hundred ticks, whatever the span (huge integer days).
    while (day1 - day0) / (step * u) > 400.0 && step < 1e15 {
        step *= 10.0;
    }
    let s = (step as i64).max(1);
    let mut ticks = Vec::new();
    let mut k = lo.div_euclid(s) * s;
    while k <= hi {
        if k >= lo {
            ticks.push(Tick {
                day: k as f64 * u,
                label: k.to_string(),
                major: k == 0,
            });
        }
        k += s;
    }
    (unit, ticks)
}

/// Ticks of a log axis covering `lo..hi` (both > 0): decades (1, 10, 100 …), with 2 and 5
/// between them when the values span at most two decades; trimmed to the last tick at or
/// below `lo` and the first at or above `hi`. Returns (ticks, decimals to show).
pub fn log_ticks(lo: f64, hi: f64) -> (Vec<f64>, usize) {
    if !(lo > 0.0 && hi >= lo && hi.is_finite()) {
        return (vec![1.0, 10.0], 0);
    }
    let (d0, d1) = (
        lo.log10().floor() as i32,
        hi.log10().ceil().max(lo.log10().floor() + 1.0) as i32,
    );
    // At most 40 decades (f64 spans about 600; the figure has room for far fewer).
    let (d0, d1) = (d0.max(d1 - 40), d1);
    let steps: &[f64] = if d1 - d0 <= 2 {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0]
    };
    let mut all = Vec::new();
    for d in d0..=d1 {
        for m in steps {
            all.push(m * 10f64.powi(d));
        }
    }
    let first = all
        .iter()
        .rposition(|t| *t <= lo * (1.0 + 1e-9))
        .unwrap_or(0);
    let last = all
        .iter()
        .position(|t| *t >= hi * (1.0 - 1e-9))
        .unwrap_or(all.len() - 1);
    let ticks: Vec<f64> = all[first..=last.max(first)].to_vec();
    let decimals = (-d0).clamp(0, 6) as usize;
    (ticks, decimals)
}

/// "Nice" value ticks covering `lo..hi` with about `target` ticks: (ticks, decimals to show).
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, usize) {
    let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (0.0, 1.0)
    };
    if (hi - lo).abs() < 1e-12 {
        let d = if lo.abs() > 1e-12 {
            lo.abs() * 0.5
        } else {
            1.0
        };
        lo -= d;
        hi += d;
    }
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let start = (lo / step).floor() * step;
    let end = (hi / step).ceil() * step;
    let n = ((end - start) / step).round().clamp(1.0, 50.0) as usize;
    let ticks: Vec<f64> = (0..=n).map(|i| start + i as f64 * step).collect();
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize + usize::from((step / mag - 2.5).abs() < 1e-9)
    };
    (ticks, decimals.min(6))
}

#[cfg(test)]
mod tests {
    #[test]
    fn log_ticks_are_decades_with_2_and_5_when_few() {
        // A tumour marker from 22 to 1,850 U/mL.
        assert_eq!(
            super::log_ticks(22.0, 1850.0).0,
            vec![10.0, 100.0, 1000.0, 10000.0]
        );
        assert_eq!(
            super::log_ticks(3.0, 40.0).0,
            vec![2.0, 5.0, 10.0, 20.0, 50.0]
        );
        assert_eq!(
            super::log_ticks(0.05, 0.8),
            (vec![0.05, 0.1, 0.2, 0.5, 1.0], 2)
        );
        assert_eq!(super::log_ticks(10.0, 10.0).0, vec![10.0]);
        // Bounded on absurd spans.
        assert!(super::log_ticks(1e-300, 1e300).0.len() <= 41);
    }

    use super::*;

    #[test]
    fn civil_round_trips() {
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2021, 3, 15), (1899, 12, 31)] {
            assert_eq!(ymd_from_days(days_from_ymd(y, m, d)), (y, m, d));
        }
        assert_eq!(days_from_ymd(1970, 1, 1), 0);
        assert_eq!(days_from_ymd(2020, 6, 15) - days_from_ymd(2020, 6, 1), 14);
    }

    fn w(s: &str) -> f32 {
        s.chars().count() as f32 * 10.0
    }

    #[test]
    fn calendar_picks_quarters_for_two_years_on_a_slide() {
        let zero = days_from_ymd(2020, 6, 15);
        let t = calendar_ticks(zero, 0.0, 840.0, 1500.0 / 840.0, &w, 12.0);
        let labels: Vec<_> = t.ticks.iter().map(|t| t.label.as_str()).collect();
        assert!(
            labels.contains(&"Jul") && labels.contains(&"Jan"),
            "{labels:?}"
        );
        let years: Vec<_> = t.context.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(years, ["2020", "2021", "2022"]);
        // Ticks land on the first of the month.
        let jan = t.ticks.iter().find(|t| t.label == "Jan").unwrap();
        assert_eq!(jan.day as i64, days_from_ymd(2021, 1, 1) - zero);
    }

    #[test]
    fn calendar_uses_years_for_long_spans_and_weeks_for_short() {
        let zero = days_from_ymd(2000, 1, 1);
        let t = calendar_ticks(zero, 0.0, 365.0 * 30.0, 1000.0 / (365.0 * 30.0), &w, 10.0);
        assert!(t.ticks.iter().all(|t| t.label.len() == 4), "{:?}", t.ticks);
        let t = calendar_ticks(zero, 0.0, 40.0, 1000.0 / 40.0, &w, 10.0);
        assert!(t.context.iter().any(|c| c.label == "Jan 2000"));
        assert!(t.ticks.len() >= 5);
    }

    #[test]
    fn no_calendar_label_before_year_1() {
        // Day 0 on 1 January of year 1, the view reaching years back: labels read "0" and
        // "-1" before. Now the calendar starts at year 1 at every tick density.
        let zero = days_from_ymd(1, 1, 1);
        for (day0, day1) in [
            (-3000.0, 900.0),
            (-400.0, 200.0),
            (-60.0, 30.0),
            (-20_000.0, 5000.0),
        ] {
            let t = calendar_ticks(zero, day0, day1, 1200.0 / (day1 - day0), &w, 10.0);
            assert!(!t.ticks.is_empty(), "{day0}..{day1}");
            for tick in t.ticks.iter().chain(&t.context) {
                let (y, _, _) = ymd_from_days(zero + tick.day.floor() as i64);
                assert!(y >= 1, "{day0}..{day1}: {:?} in year {y}", tick.label);
                assert!(
                    !tick.label.starts_with('-')
                        && tick.label != "0"
                        && !tick.label.ends_with(" 0"),
                    "{day0}..{day1}: {:?}",
                    tick.label
                );
            }
        }
    }

    #[test]
    fn relative_ticks_in_months() {
        let (u, t) = relative_ticks(0.0, 830.0, 1500.0 / 830.0, &w, 10.0);
        assert_eq!(u, RelUnit::Months);
        assert_eq!(t[0].label, "0");
        assert!(t.len() >= 5 && t.len() <= 28, "{t:?}");
        let (u, _) = relative_ticks(0.0, 30.0, 20.0, &w, 10.0);
        assert_eq!(u, RelUnit::Days);
        // A huge span still gives a bounded number of ticks.
        let (_, t) = relative_ticks(-1e13, 1e13, 1e-10, &w, 10.0);
        assert!(t.len() <= 401, "{}", t.len());
    }

    #[test]
    fn nice_ticks_cover_range() {
        let (t, dec) = nice_ticks(0.8, 23.5, 3);
        assert!(t[0] <= 0.8 && *t.last().unwrap() >= 23.5, "{t:?}");
        assert_eq!(dec, 0);
        let (t, dec) = nice_ticks(0.1, 0.35, 3);
        assert!(dec >= 1, "{t:?}");
        let (t, _) = nice_ticks(5.0, 5.0, 3);
        assert!(t.len() >= 2);
    }
}

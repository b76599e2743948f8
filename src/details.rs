//! Details of a timeline item in words, for the viewer's tooltips (no egui here).
//!
//! [`describe`] turns an [`ItemRef`] (what a scene item stands for) into a title and a few
//! lines: dates with their day number, durations in days and months, dose detail, line of
//! therapy and intent, response criteria / method / note, adverse-event grade, measurement
//! values with their unit and normal range, image captions. Approximate times (given only to
//! the month or year) carry a `~`; a timeline without a calendar anchor shows days only.
//! [`patient_rows`] and [`window_text`] word the viewer's side panel the same way;
//! [`describe_member`] a cohort figure's patient and the items on its lane.

mod cohort;

pub use cohort::describe_member;

use crate::model::{DAYS_PER_MONTH, Measurement, Phase, Span, Timeline, When};
use crate::scene::ItemRef;
use crate::time::format_when;

/// A described item: a title line and detail lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    /// First line, shown in bold ("Chemoradiotherapy: CCRT").
    pub title: String,
    /// Further lines, in reading order.
    pub lines: Vec<String>,
}

impl Details {
    /// Title and lines joined with newlines.
    pub fn to_text(&self) -> String {
        let mut s = self.title.clone();
        for l in &self.lines {
            s.push('\n');
            s.push_str(l);
        }
        s
    }
}

/// Describes the item `item` of `timeline`; `None` when the reference does not point into
/// this timeline (e.g. a stale scene after a reload).
pub fn describe(timeline: &Timeline, item: ItemRef) -> Option<Details> {
    let tl = timeline;
    Some(match item {
        // A cohort's patient is described by the cohort, not by one timeline.
        ItemRef::Patient(_) | ItemRef::PatientItem(..) => return None,
        ItemRef::Phase(i) => phase(tl, tl.phases.get(i)?),
        ItemRef::Status(i) => {
            let s = tl.statuses.get(i)?;
            let state = s.state.display();
            let title = if s.label == state || s.label == s.state.name() {
                format!("Disease status: {state}")
            } else {
                format!("Disease status: {} ({state})", s.label)
            };
            Details {
                title,
                lines: vec![span_line(tl, &s.span)],
            }
        }
        ItemRef::Response(i) => {
            let r = tl.responses.get(i)?;
            let mut lines = vec![when_text(tl, r.at)];
            let how: Vec<&str> = [r.criteria.as_deref(), r.method.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            if !how.is_empty() {
                lines.push(how.join(", "));
            }
            if let Some(n) = &r.note {
                lines.push(n.clone());
            }
            Details {
                title: format!(
                    "Response: {} ({})",
                    r.result.name(),
                    r.result.long_name().to_lowercase()
                ),
                lines,
            }
        }
        ItemRef::Event(i) => {
            let e = tl.events.get(i)?;
            let kind = e.kind.display();
            let mut title = if e.label == kind || e.label == e.kind.name() {
                kind.to_string()
            } else {
                format!("{kind}: {}", e.label)
            };
            if let Some(g) = e.grade {
                title.push_str(&format!(", CTCAE grade {g}"));
            }
            let mut lines = vec![when_text(tl, e.at)];
            if let Some(n) = &e.note {
                lines.push(n.clone());
            }
            Details { title, lines }
        }
        ItemRef::Interval(i) => {
            let iv = tl.intervals.get(i)?;
            Details {
                title: iv.length_label(),
                lines: vec![span_line(tl, &iv.span)],
            }
        }
        ItemRef::Measurement(i) => measurement(tl.measurements.get(i)?),
        ItemRef::MeasurementPoint(i, j) => {
            let m = tl.measurements.get(i)?;
            let (at, v) = *m.points.get(j)?;
            let unit = unit_suffix(m.unit.as_deref());
            let mut lines = vec![when_text(tl, at)];
            if let Some(r) = normal_range(m.normal_min, m.normal_max, &unit) {
                let outside =
                    m.normal_min.is_some_and(|lo| v < lo) || m.normal_max.is_some_and(|hi| v > hi);
                lines.push(if outside {
                    format!("{r} — outside")
                } else {
                    r
                });
            }
            Details {
                title: format!("{}: {}{unit}", m.name, num(v)),
                lines,
            }
        }
        ItemRef::Image(i) => {
            let im = tl.images.get(i)?;
            let mut lines = vec![when_text(tl, im.at)];
            if let Some(c) = &im.caption {
                lines.push(c.clone());
            }
            match &im.data {
                Ok(d) => lines.push(format!("{} × {} px — click to enlarge", d.width, d.height)),
                Err(e) => lines.push(format!("Not shown: {e}")),
            }
            Details {
                title: format!("Image: {}", im.path),
                lines,
            }
        }
    })
}

/// `n` and its noun, plural unless `n` is 1: "1 error", "0 warnings", "12 doses". The one
/// place plurals are made, for the CLI, the viewer and the tooltips.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A phase: its therapy and name, span, detail, line, intent, doses and lane.
fn phase(tl: &Timeline, p: &Phase) -> Details {
    let therapy = p.therapy.name();
    let title = if p.name == therapy {
        therapy.to_string()
    } else {
        format!("{therapy}: {}", p.name)
    };
    let mut lines = vec![span_line(tl, &p.span)];
    if let Some(d) = &p.detail {
        lines.push(d.clone());
    }
    let mut facts = Vec::new();
    if let Some(line) = p.line {
        facts.push(format!("{} line", ordinal(line)));
    }
    if let Some(intent) = p.intent {
        facts.push(intent.name().to_lowercase());
    }
    if !p.doses.is_empty() {
        facts.push(count(p.doses.len(), "dose"));
    }
    if !facts.is_empty() {
        lines.push(capitalise(&facts.join(", ")));
    }
    if let Some(lane) = &p.lane {
        lines.push(format!("Lane: {lane}"));
    }
    Details { title, lines }
}

/// A measurement track: how many values, their range and the normal range.
fn measurement(m: &Measurement) -> Details {
    let unit = unit_suffix(m.unit.as_deref());
    let mut lines = Vec::new();
    lines.push(count(m.points.len(), "value"));
    if let (Some(lo), Some(hi)) = (
        m.points.iter().map(|p| p.1).reduce(f64::min),
        m.points.iter().map(|p| p.1).reduce(f64::max),
    ) {
        lines.push(format!("Range {}–{}{unit}", num(lo), num(hi)));
    }
    if let Some(r) = normal_range(m.normal_min, m.normal_max, &unit) {
        lines.push(r);
    }
    Details {
        title: m.name.clone(),
        lines,
    }
}

/// The patient block as (label, value) rows: ID, diagnosis, stage, age (or age band), sex,
/// day 0 and data cut-off. Values the file does not give are left out, except day 0, which
/// is "relative (no calendar dates)" without a calendar anchor.
pub fn patient_rows(tl: &Timeline) -> Vec<(&'static str, String)> {
    let p = &tl.patient;
    let rows = [
        ("ID", Some(p.id.clone())),
        ("Diagnosis", p.diagnosis.clone()),
        ("Stage", p.stage.clone()),
        ("Group", p.group.clone()),
        ("Age", p.age_text()),
        ("Sex", p.sex.clone()),
        (
            "Day 0",
            Some(tl.day_zero.map_or_else(
                || "relative (no calendar dates)".into(),
                // As precise as it was written: a day 0 given as "2018-09" is ~2018-09.
                |_| {
                    let zero = When {
                        day: 0,
                        precision: tl.day_zero_precision,
                    };
                    format_when(zero, tl.day_zero)
                },
            )),
        ),
        ("Data cut-off", Some(when_text(tl, tl.data_cutoff))),
    ];
    rows.into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
}

/// The visible window of days `a..b` in words: `"2020-01-05 to 2021-03-01 (days 4 to
/// 425)"`, or `"days 4 to 425"` without a calendar anchor.
pub fn window_text(tl: &Timeline, a: f64, b: f64) -> String {
    // Whole days, kept far inside what a calendar date can be offset by.
    let day = |d: f64| d.round().clamp(-1e6, 1e6) as i64;
    let (a, b) = (day(a), day(b));
    match (tl.date_of(a), tl.date_of(b)) {
        (Some(da), Some(db)) => format!("{da} to {db} (days {a} to {b})"),
        _ => format!("days {a} to {b}"),
    }
}

/// A time in words: `"2021-03-15 (day 675)"`, `"~2021-03 (day 675)"` when given only to
/// the month, `"day 675"` when the timeline has no calendar anchor.
pub fn when_text(tl: &Timeline, w: When) -> String {
    // `format_when` gives `~2021-03` with a calendar date and `~day 675` without.
    match tl.date_of(w.day) {
        Some(_) => format!("{} (day {})", format_when(w, tl.day_zero), w.day),
        None => format_when(w, None),
    }
}

/// A span in words: `"2019-05-20 → 2019-07-05 (day 10 → 56), 46 days (1.5 mo)"`; ongoing
/// spans say so and their length is a lower bound.
pub fn span_line(tl: &Timeline, s: &Span) -> String {
    let start = when_text(tl, s.start);
    let days = s.days();
    if s.end_kind == crate::model::EndKind::Single {
        return start;
    }
    let months = days as f64 / DAYS_PER_MONTH;
    let approx = s.start.is_approximate() || s.end.is_approximate();
    let tilde = if approx { "~" } else { "" };
    if s.is_ongoing() {
        format!(
            "{start} → ongoing at data cut-off {}: ≥ {days} days (≥ {months:.1} mo)",
            when_text(tl, s.end)
        )
    } else {
        format!(
            "{start} → {}: {tilde}{days} day{} ({tilde}{months:.1} mo)",
            when_text(tl, s.end),
            if days == 1 { "" } else { "s" }
        )
    }
}

/// `" mg/dL"` after a value, or nothing without a unit.
fn unit_suffix(unit: Option<&str>) -> String {
    unit.map(|u| format!(" {u}")).unwrap_or_default()
}

fn normal_range(lo: Option<f64>, hi: Option<f64>, unit: &str) -> Option<String> {
    match (lo, hi) {
        (Some(lo), Some(hi)) => Some(format!("Normal {}–{}{unit}", num(lo), num(hi))),
        (Some(lo), None) => Some(format!("Normal ≥ {}{unit}", num(lo))),
        (None, Some(hi)) => Some(format!("Normal ≤ {}{unit}", num(hi))),
        (None, None) => None,
    }
}

/// A value without trailing zeros (`14.2`, `81`, `0.035`).
fn num(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use std::sync::Arc;

    fn span(a: i64, b: i64, kind: EndKind) -> Span {
        Span {
            start: When::day(a),
            end: When::day(b),
            end_kind: kind,
        }
    }

    fn timeline() -> Timeline {
        Timeline {
            source: None,
            patient: Patient {
                id: "P1".into(),
                label: "Patient 1".into(),
                sex: Some("F".into()),
                age: Some(52),
                age_band: None,
                diagnosis: None,
                stage: None,
                group: None,
            },
            day_zero: Some(jiff::civil::date(2019, 5, 10)),
            day_zero_origin: DayZeroOrigin::Given,
            day_zero_precision: Precision::Day,
            data_cutoff: When::day(1026),
            data_cutoff_given: true,
            phases: vec![Phase {
                therapy: Therapy::Chemoradiotherapy,
                name: "CCRT".into(),
                span: span(10, 56, EndKind::At),
                detail: Some("EBRT 50.4 Gy/28 fx".into()),
                line: Some(1),
                lane: None,
                doses: vec![When::day(10), When::day(17)],
                intent: Some(Intent::Curative),
            }],
            statuses: vec![],
            responses: vec![Response {
                at: When {
                    day: 675,
                    precision: Precision::Month,
                },
                result: ResponseResult::PR,
                criteria: Some("RECIST 1.1".into()),
                method: Some("CT".into()),
                note: Some("neck LN 8.1 → 3.9 cm".into()),
            }],
            events: vec![Event {
                at: When::day(700),
                kind: EventKind::AdverseEvent,
                label: "Hypothyroidism".into(),
                note: None,
                grade: Some(2),
            }],
            intervals: vec![Interval {
                label: "PFS".into(),
                span: span(542, 1026, EndKind::Ongoing),
            }],
            measurements: vec![Measurement {
                name: "SCC-Ag".into(),
                unit: Some("ng/mL".into()),
                points: vec![(When::day(529), 14.2), (When::day(615), 1.1)],
                normal_min: None,
                normal_max: Some(1.5),
                scale: Default::default(),
            }],
            images: vec![ImageItem {
                at: When::day(529),
                path: "images/a.png".into(),
                caption: Some("CT before neck RT".into()),
                data: Ok(Arc::new(ImageData {
                    bytes: Arc::from(&[][..]),
                    mime: "image/png",
                    width: 640,
                    height: 480,
                })),
            }],
        }
    }

    #[test]
    fn patient_rows_and_window_in_words() {
        let mut tl = timeline();
        let rows = patient_rows(&tl);
        let keys: Vec<&str> = rows.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["ID", "Age", "Sex", "Day 0", "Data cut-off"]);
        assert_eq!(rows[1].1, "52 y");
        assert_eq!(rows[3].1, "2019-05-10");
        assert_eq!(rows[4].1, "2022-03-01 (day 1026)");
        assert_eq!(
            window_text(&tl, 9.6, 56.2),
            "2019-05-20 to 2019-07-05 (days 10 to 56)"
        );
        tl.day_zero_precision = Precision::Month;
        assert_eq!(
            patient_rows(&tl)[3].1,
            "~2019-05",
            "a month-precision day 0"
        );
        tl.day_zero = None;
        tl.patient.age = None;
        tl.patient.age_band = Some("50–54".into());
        let rows = patient_rows(&tl);
        assert_eq!(
            rows[1],
            ("Age", "50–54 y".to_string()),
            "as the subtitle writes it"
        );
        assert_eq!(
            rows[3],
            ("Day 0", "relative (no calendar dates)".to_string())
        );
        assert_eq!(window_text(&tl, 10.0, f64::INFINITY), "days 10 to 1000000");
    }

    #[test]
    fn counts_are_plural_unless_one() {
        assert_eq!(count(1, "error"), "1 error");
        assert_eq!(count(0, "warning"), "0 warnings");
        assert_eq!(count(12, "dose"), "12 doses");
    }

    #[test]
    fn phase_has_dates_duration_detail_and_line() {
        let d = describe(&timeline(), ItemRef::Phase(0)).unwrap();
        assert_eq!(d.title, "Chemoradiotherapy: CCRT");
        assert_eq!(
            d.lines[0],
            "2019-05-20 (day 10) → 2019-07-05 (day 56): 47 days (1.5 mo)"
        );
        assert_eq!(d.lines[1], "EBRT 50.4 Gy/28 fx");
        assert_eq!(d.lines[2], "1st line, curative, 2 doses");
    }

    #[test]
    fn response_event_interval_and_measurement() {
        let tl = timeline();
        let r = describe(&tl, ItemRef::Response(0)).unwrap();
        assert_eq!(r.title, "Response: PR (partial response)");
        assert_eq!(r.lines[0], "~2021-03 (day 675)");
        assert_eq!(r.lines[1], "RECIST 1.1, CT");
        assert_eq!(r.lines[2], "neck LN 8.1 → 3.9 cm");

        let e = describe(&tl, ItemRef::Event(0)).unwrap();
        assert_eq!(e.title, "Adverse event: Hypothyroidism, CTCAE grade 2");

        let i = describe(&tl, ItemRef::Interval(0)).unwrap();
        assert_eq!(i.title, "PFS ≥ 15.9 mo");
        assert!(
            i.lines[0].contains("ongoing at data cut-off 2022-03-01"),
            "{i:?}"
        );

        let p = describe(&tl, ItemRef::MeasurementPoint(0, 0)).unwrap();
        assert_eq!(p.title, "SCC-Ag: 14.2 ng/mL");
        assert_eq!(p.lines[1], "Normal ≤ 1.5 ng/mL — outside");
        let m = describe(&tl, ItemRef::Measurement(0)).unwrap();
        assert_eq!(
            m.lines,
            vec!["2 values", "Range 1.1–14.2 ng/mL", "Normal ≤ 1.5 ng/mL"]
        );

        let im = describe(&tl, ItemRef::Image(0)).unwrap();
        assert_eq!(im.lines[1], "CT before neck RT");
    }

    #[test]
    fn relative_timeline_shows_days_and_stale_refs_are_none() {
        let mut tl = timeline();
        tl.day_zero = None;
        assert_eq!(when_text(&tl, When::day(-3)), "day -3");
        assert_eq!(describe(&tl, ItemRef::Phase(5)), None);
        assert_eq!(describe(&tl, ItemRef::MeasurementPoint(0, 9)), None);
    }
}

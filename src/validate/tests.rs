//! Validation tests: defaults, day 0, spans, messages at their place.

use super::glyphs::undrawable;
use super::*;
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{DayZeroOrigin, EndKind, Precision, When};
use crate::parse::parse;

fn check(text: &str) -> (Option<Timeline>, Vec<Diagnostic>) {
    let mut d = Diagnostics::new("t.ron");
    let t = parse(text, &mut d).and_then(|p| validate(&p, &mut d));
    (t, d.into_sorted())
}

fn ok(text: &str) -> Timeline {
    let (t, d) = check(text);
    assert!(
        d.iter().all(|d| d.severity == Severity::Warning),
        "{:?}",
        d.iter().map(|d| d.to_string()).collect::<Vec<_>>()
    );
    t.unwrap()
}

fn errors(text: &str) -> Vec<String> {
    let (t, d) = check(text);
    assert!(t.is_none());
    d.iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_string())
        .collect()
}

fn warnings(text: &str) -> Vec<String> {
    let (_, d) = check(text);
    d.iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.to_string())
        .collect()
}

const HEAD: &str = "format: 1, patient: (id: \"P\"),";

fn file(body: &str) -> String {
    format!("(\n{HEAD}\n{body}\n)")
}

#[test]
fn patient_1_values() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/patient1.ron"
    ))
    .unwrap();
    let t = ok(&text);
    assert_eq!(t.day_zero, Date::new(2020, 6, 15).ok());
    assert_eq!(t.day_zero_origin, DayZeroOrigin::Given);
    assert_eq!(t.phases[0].span.start, When::day(16));
    assert_eq!(t.phases[0].span.end, When::day(66));
    assert_eq!(t.phases[0].doses.len(), 5);
    let imm = &t.phases[4];
    assert!(imm.span.is_ongoing());
    assert_eq!(imm.span.end, t.data_cutoff);
    assert!(t.data_cutoff_given);
    assert_eq!(t.data_cutoff.day, 837);
    assert_eq!(t.statuses[1].label, "No evidence of disease");
    let rccep = &t.events[3];
    assert_eq!(rccep.at.precision, Precision::Month);
    assert_eq!(rccep.grade, Some(1));
    assert_eq!(t.intervals[0].length_label(), "PFS ≥ 15.5 mo");
    assert_eq!(t.measurements[1].normal_max, Some(1.5));
    assert_eq!(t.images.len(), 4);
}

#[test]
fn patient_2_day_zero_is_mid_month() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/patient2.ron"
    ))
    .unwrap();
    let t = ok(&text);
    assert_eq!(t.day_zero, Date::new(2018, 9, 15).ok());
    assert_eq!(t.phases[0].span.start, When::day(23));
    assert_eq!(t.statuses[0].span.start.day, 0);
    assert!(t.statuses[0].span.start.is_approximate());
    assert_eq!(t.phases[5].span.start.precision, Precision::Month);
    assert_eq!(t.day_zero_precision, Precision::Month);
}

#[test]
fn approximate_interval_lengths_are_whole_months() {
    let t = ok(&file(
        "data_cutoff: \"2022-01-15\",\nevents: [(at: \"2020-01-15\", kind: Diagnosis)],\nintervals: [(label: \"PFS\", start: \"2020-03\", end: \"2021-03-15\"), (label: \"OS\", start: \"2020-01-15\", end: \"ongoing\")]",
    ));
    assert_eq!(t.intervals[0].length_label(), "PFS ~12 mo");
    assert_eq!(t.intervals[1].length_label(), "OS ≥ 24.0 mo");
}

#[test]
fn day_zero_precision_follows_what_was_written() {
    let t = ok(&format!(
        "(\n{HEAD} day_zero: \"2020-06-15\",\nevents: [(at: \"2020\", kind: Imaging)])"
    ));
    assert_eq!(t.day_zero_precision, Precision::Day);
    // Taken from a diagnosis written to the year: 1 July, approximate.
    let t = ok(&format!(
        "(\n{HEAD}\nevents: [(at: \"2021\", kind: Diagnosis), (at: \"2021-09-01\", kind: Imaging)])"
    ));
    assert_eq!(t.day_zero, Date::new(2021, 7, 1).ok());
    assert_eq!(t.day_zero_precision, Precision::Year);
    // Earliest time: the same date written exactly wins over a month.
    let t = ok(&format!(
        "(\n{HEAD}\nevents: [(at: \"2021-03\", kind: Imaging), (at: \"2021-03-15\", kind: Imaging)])"
    ));
    assert_eq!(t.day_zero_origin, DayZeroOrigin::Earliest);
    assert_eq!(t.day_zero_precision, Precision::Day);
    let t = ok(&format!("(\n{HEAD}\nevents: [(at: 3, kind: Imaging)])"));
    assert_eq!(t.day_zero, None);
    assert_eq!(t.day_zero_precision, Precision::Day);
}

#[test]
fn defaults_are_applied() {
    let t = ok(&file(
        "phases: [(therapy: Surgery, start: \"2021-03-01\")],
         statuses: [(state: NoEvidenceOfDisease, start: \"2021-03-01\", end: \"ongoing\")],
         events: [(at: \"2021-04-01\", kind: LastFollowUp), (at: \"2021-02-01\", kind: Diagnosis)]",
    ));
    assert_eq!(t.patient.label, "P");
    assert_eq!(t.day_zero_origin, DayZeroOrigin::Diagnosis);
    assert_eq!(t.day_zero, Date::new(2021, 2, 1).ok());
    assert_eq!(t.phases[0].name, "Surgery");
    assert_eq!(t.phases[0].span.days(), 1);
    assert_eq!(t.phases[0].span.end_kind, EndKind::Single);
    assert_eq!(t.statuses[0].label, "No evidence of disease");
    assert_eq!(t.events[0].label, "Last follow-up");
    assert!(!t.data_cutoff_given);
    assert_eq!(t.data_cutoff.day, 59);
    assert_eq!(t.statuses[0].span.end.day, 59);
    assert!(t.statuses[0].span.is_ongoing());
}

#[test]
fn earliest_time_is_day_zero_without_diagnosis() {
    let t = ok(&file(
        "events: [(at: \"2021-04\", kind: Imaging), (at: \"2020\", kind: Biopsy)]",
    ));
    assert_eq!(t.day_zero_origin, DayZeroOrigin::Earliest);
    assert_eq!(t.day_zero, Date::new(2020, 7, 1).ok());
    assert_eq!(t.events[1].at.day, 0);
    assert_eq!(t.events[1].at.precision, Precision::Year);
}

#[test]
fn relative_only_file() {
    let t = ok(&file(
        "phases: [(therapy: Chemotherapy, start: 0, end: 84, doses: [0, 21, 42, 63])],
         responses: [(at: -7, result: PD)], intervals: [(label: \"OS\", start: 0, end: \"ongoing\")]",
    ));
    assert_eq!(t.day_zero, None);
    assert_eq!(t.day_zero_origin, DayZeroOrigin::RelativeOnly);
    assert_eq!(t.phases[0].span.end, When::day(84));
    assert_eq!(t.responses[0].at, When::day(-7));
    assert_eq!(t.data_cutoff, When::day(84));
    assert_eq!(t.intervals[0].span.end, When::day(84));
}

#[test]
fn integers_with_dates_need_day_zero() {
    let e = errors(&file(
        "events: [(at: \"2021-01-01\", kind: Diagnosis), (at: 30, kind: Imaging)]",
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].contains("events[1].at: an integer time counts days from day_zero"),
        "{e:?}"
    );
    assert!(e[0].contains("(first at events[0].at, line 3)"), "{e:?}");
    // With day_zero given, mixing is fine.
    let t = ok(&format!(
        "(\n{HEAD} day_zero: \"2021-01-01\",\nevents: [(at: \"2021-01-31\", kind: Diagnosis), (at: 30, kind: Imaging)])"
    ));
    assert_eq!(t.events[0].at, t.events[1].at);
}

#[test]
fn end_before_start_points_at_end() {
    let e = errors(&file(
        "phases: [\n(therapy: Surgery, start: \"2021-03-01\"),\n(therapy: Surgery, start: \"2021-03-01\", end: \"2021-02-01\")]",
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].starts_with(
            "t.ron:5:46: error: phases[1].end: end \"2021-02-01\" is before start \"2021-03-01\""
        ),
        "{e:?}"
    );
    // Same month at month precision is not "before".
    let t = ok(&file(
        "statuses: [(state: Stable, start: \"2021-03\", end: \"2021-03-10\")]",
    ));
    assert_eq!(t.statuses[0].span.days(), 1);
}

#[test]
fn bad_dates_and_ongoing_misuse() {
    let e = errors(&file(
        "events: [(at: \"2021-02-30\", kind: Other), (at: \"2021-13\", kind: Other), (at: \"15/03/2021\", kind: Other), (at: \"ongoing\", kind: Other)]",
    ));
    assert_eq!(e.len(), 4, "{e:?}");
    assert!(
        e[0].contains("events[0].at: \"2021-02-30\" does not exist: February 2021 has 28 days")
    );
    assert!(e[1].contains("no month 13"));
    assert!(e[2].contains("did you mean \"2021-03-15\"?"));
    assert!(e[3].contains("\"ongoing\" can only be an end"));
}

#[test]
fn format_version() {
    let e = errors("(format: 2, patient: (id: \"P\"))");
    assert!(
        e[0].contains("1:10: error: format 2 is newer than supported"),
        "{e:?}"
    );
    let e = errors("(patient: (id: \"P\"))");
    assert!(
        e[0].contains("1:1: error: missing field `format` in the timeline; add format: 1"),
        "{e:?}"
    );
    assert_eq!(e.len(), 1);
    let e = errors("(format: 1)");
    assert!(e[0].contains("missing field `patient`"), "{e:?}");
    let e = errors("(format: 1, patient: (label: \"x\"))");
    assert!(e[0].contains("missing field `id` in patient"), "{e:?}");
    let e = errors("(format: 1, patient: (id: \" \"))");
    assert!(e[0].contains("patient.id is empty"), "{e:?}");
}

#[test]
fn log_scale_tracks_need_values_above_zero() {
    let t = ok(&file(
        "measurements: [(name: \"CA-125\", scale: Log, normal_max: 35.0, points: [(\"2021-01-01\", 1850.0), (\"2021-02-01\", 22.0)])]",
    ));
    assert_eq!(t.measurements[0].scale, crate::model::Scale::Log);
    let t = ok(&file(
        "measurements: [(name: \"M\", points: [(\"2021-01-01\", -1.0)])]",
    ));
    assert_eq!(t.measurements[0].scale, crate::model::Scale::Linear);
    let e = errors(&file(
        "measurements: [(name: \"M\", scale: Log, normal_min: 0.0, points: [(\"2021-01-01\", 5.0), (\"2021-02-01\", 0.0)])]",
    ));
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(
        e[0].contains("measurements[0].normal_min: 0 cannot be shown on a Log scale"),
        "{e:?}"
    );
    assert!(
        e[1].contains("measurements[0].points[1]: the value 0 cannot be shown on a Log scale"),
        "{e:?}"
    );
    assert!(e[1].contains("scale: Linear"), "{e:?}");
    // At the value itself.
    let col = e[1].split(':').nth(2).unwrap();
    assert_eq!(col, "102", "{e:?}");
}

#[test]
fn non_finite_measurements_and_limits() {
    let e = errors(&file(
        "measurements: [(name: \"M\", points: [(\"2021-01-01\", 1.0), (\"2021-02-01\", inf), (\"2021-03-01\", NaN)], normal_min: 3.0, normal_max: 1.0)]",
    ));
    assert_eq!(e.len(), 3, "{e:?}");
    assert!(
        e[0].contains("measurements[0].points[1]: the value inf is not a finite number"),
        "{e:?}"
    );
    assert!(e[1].contains("points[2]: the value NaN"), "{e:?}");
    assert!(e[2].contains("normal_min 3 is above normal_max 1"), "{e:?}");
    let col = e[0].split(':').nth(2).unwrap();
    // Points at the value, not the tuple.
    assert_eq!(col, "73", "{e:?}");
}

#[test]
fn grades() {
    let e = errors(&file(
        "events: [(at: 1, kind: AdverseEvent, grade: 6), (at: 2, kind: Imaging, grade: 2), (at: 3, kind: AdverseEvent, grade: 0)]",
    ));
    assert_eq!(e.len(), 3, "{e:?}");
    assert!(e[0].contains("events[0].grade: grade 6 is outside CTCAE grades 1–5"));
    assert!(e[1].contains("grade belongs to AdverseEvent only, not Imaging"));
    assert!(e[2].contains("grade 0 is outside"));
    let t = ok(&file("events: [(at: 1, kind: AdverseEvent, grade: 5)]"));
    assert_eq!(t.events[0].grade, Some(5));
}

#[test]
fn text_the_font_cannot_draw_is_a_warning() {
    // U+10FFFD and U+10FFFC are private-use characters no installed font has.
    let text = file(
        "events: [(at: 0, kind: Diagnosis, label: \"\u{10FFFD}\u{10FFFC} ❤️ Müller µ ≥ 5 Привет\")],\nimages: [(at: 1, path: \"a.png\", caption: \"ok é\")]",
    );
    let (t, d) = check(&text);
    assert!(t.is_some(), "a warning only: {d:?}");
    let w = warnings(&text);
    assert_eq!(w.len(), 1, "{w:?}");
    // Each missing character once; the variation selector after ❤ is invisible, not listed.
    assert!(w[0].contains(":3:"), "{w:?}");
    assert!(
        w[0].contains(
            "events[0].label: no font txline can use has a glyph for \u{10FFFD} \u{10FFFC}; these characters show as empty boxes"
        ),
        "{w:?}"
    );
    assert!(
        w[0].contains("--font FILE") && w[0].contains("fonts-noto-cjk"),
        "{w:?}"
    );
    assert!(!w[0].contains('\u{FE0F}'), "{w:?}");
    assert_eq!(undrawable("Müller µ ≥ é – Ωβ Привет"), Vec::<char>::new());
    assert_eq!(
        undrawable("a\u{10FFFD}b\u{10FFFD}\u{200D}\n"),
        vec!['\u{10FFFD}']
    );
}

#[test]
fn right_to_left_and_unshaped_scripts_are_warned_about_not_drawn_silently() {
    let text = file(
        "events: [(at: 0, kind: Diagnosis, label: \"سرطان الرئة\"), (at: 1, kind: Other, label: \"סרטן ok\"), (at: 2, kind: Other, label: \"कैंसर\")]",
    );
    let w = warnings(&text);
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(
        w[0].contains(
            "events[0].label: س ر ط ا ن ل … is right-to-left text, which txline cannot draw yet"
        ),
        "{w:?}"
    );
    assert!(
        w[1].contains("events[1].label: ס ר ט ן is right-to-left"),
        "{w:?}"
    );
    assert!(
        w[2].contains("events[2].label: क ै ं स र needs text shaping"),
        "{w:?}"
    );
}

#[test]
fn warnings_after_death_and_cutoff() {
    let w = warnings(&format!(
        "(\n{HEAD} data_cutoff: 100,\nevents: [(at: 50, kind: Death), (at: 60, kind: Imaging, label: \"CT\"), (at: 120, kind: Other)],\nphases: [(therapy: Other, start: 90, end: \"ongoing\", doses: [95, 101, 102])])"
    ));
    assert_eq!(w.len(), 4, "{w:?}");
    assert!(
        w.iter()
            .any(|w| w.contains("events[1]: \"CT\" (day 60) is after Death (day 50)")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|w| w.contains("events[2].at: 120 is after data_cutoff (day 100)")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|w| w.contains("phases[0].doses[1]: 101 is after data_cutoff")),
        "{w:?}"
    );
    assert!(!w.iter().any(|w| w.contains("doses[2]")), "{w:?}");
}

#[test]
fn approximate_times_are_compared_at_their_precision() {
    let w = warnings(&file(
        "data_cutoff: \"2022-11-10\", events: [(at: \"2022-11\", kind: Imaging), (at: \"2022-05\", kind: Death), (at: \"2022-05-20\", kind: Other), (at: \"2022-06-01\", kind: Biopsy)]",
    ));
    // Not: "2022-11" after the cut-off of 2022-11-10, nor "2022-05-20" after "2022-05".
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        w[0].contains("events[0]: \"Imaging\" (~2022-11) is after Death"),
        "{w:?}"
    );
    assert!(
        w[1].contains("events[3]: \"Biopsy\" (2022-06-01) is after Death (~2022-05)"),
        "{w:?}"
    );
}

#[test]
fn ongoing_start_after_cutoff_keeps_order() {
    let (t, d) = check(&format!(
        "({HEAD} data_cutoff: 10, phases: [(therapy: Other, start: 20, end: \"ongoing\")])"
    ));
    let t = t.unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(t.phases[0].span.start.day, 20);
    assert_eq!(t.phases[0].span.end.day, 20);
}

#[test]
fn all_errors_in_one_pass() {
    let e = errors(&file(
        "phases: [(therapy: Chemo, start: \"2021-01-01\"), (therapy: Surgery, start: \"2021-02-30\"), (therapy: Surgery, start: \"2021-03-01\", end: \"2021-01-01\")],
         events: [(at: \"2021-01-01\", kind: Imaging, grade: 2)]",
    ));
    assert_eq!(e.len(), 4, "{e:?}");
}

#[test]
fn floods_of_problems_are_capped() {
    // One long line, 30,000 warnings and 30,000 errors: the first 200 are located, the
    // rest counted.
    let mut body = String::from("events: [(at: 0, kind: Death)");
    for i in 1..30_000 {
        body.push_str(&format!(", (at: {i}, kind: Imaging, label: \"é\")"));
    }
    body.push_str("], phases: [");
    for _ in 0..30_000 {
        body.push_str("(therapy: Chemo, start: 1), ");
    }
    body.push(']');
    let (t, d) = check(&file(&body));
    assert!(t.is_none());
    assert_eq!(d.len(), crate::diagnostics::MAX_DIAGNOSTICS + 1);
    let last = d.last().unwrap();
    assert!(
        last.message.ends_with("only the first 200 are listed)"),
        "{last}"
    );
}

#[test]
fn five_thousand_items_read() {
    let mut body = String::from("events: [");
    for i in 0..5000 {
        body.push_str(&format!("(at: {i}, kind: Imaging, label: \"CT {i}\"),\n"));
    }
    body.push(']');
    let t = ok(&file(&body));
    assert_eq!(t.events.len(), 5000);
    assert_eq!(t.data_cutoff.day, 4999);
}

//! Which fields of a timeline de-identification changes, each recorded in the [`Report`]
//! under its place in the file: the identity fields (id, label, age, day 0, image paths)
//! are replaced whole; every free-text field goes through the [`Scrubber`].

use super::report::Report;
use super::scrub::{Change, Scrubber};
use crate::model::Timeline;
use crate::parse::Path;

/// Scrubs every free-text field of `t` and replaces its identity fields (the caller drops
/// `day_zero` and `source` and re-encodes the images); returns what was replaced.
pub fn scrub_fields(t: &mut Timeline, pseudonym: &str) -> Report {
    let scrubber = Scrubber::new(&t.patient.id, &t.patient.label, pseudonym);
    let mut report = Report::default();
    let root = Path::ROOT;
    let whole = |report: &mut Report, path: Path, original: String, replacement: &str| {
        if original != replacement {
            report.add(
                path,
                vec![Change {
                    original,
                    replacement: replacement.to_owned(),
                }],
            );
        }
    };
    let p = root.field("patient");
    let (id, label) = (
        std::mem::replace(&mut t.patient.id, pseudonym.to_owned()),
        std::mem::replace(&mut t.patient.label, pseudonym.to_owned()),
    );
    whole(&mut report, p.field("id"), id, pseudonym);
    whole(&mut report, p.field("label"), label, pseudonym);
    if let Some(day) = t.day_zero {
        let what = "(none: times are shown from day 0)";
        whole(&mut report, root.field("day_zero"), day.to_string(), what);
    }
    // An age band written as a bare number is an exact age.
    let exact_band = t
        .patient
        .age_band
        .as_deref()
        .and_then(|b| b.trim().parse::<u32>().ok());
    if let (None, Some(age)) = (t.patient.age, exact_band) {
        let band = super::age_band(age);
        whole(&mut report, p.field("age_band"), age.to_string(), &band);
        t.patient.age_band = Some(band);
    }
    if let Some(age) = t.patient.age.take() {
        let band = super::age_band(age);
        whole(&mut report, p.field("age"), age.to_string(), &band);
        t.patient.age_band = Some(band);
    }
    let mut f = Fields {
        scrubber: &scrubber,
        report: &mut report,
    };

    let pt = &mut t.patient;
    if pt.age.is_none() {
        f.so(p.field("age_band"), &mut pt.age_band);
    }
    f.so(p.field("sex"), &mut pt.sex);
    f.so(p.field("diagnosis"), &mut pt.diagnosis);
    f.so(p.field("stage"), &mut pt.stage);
    f.so(p.field("group"), &mut pt.group);

    for (i, ph) in t.phases.iter_mut().enumerate() {
        let at = root.field("phases").index(i);
        f.s(at.field("name"), &mut ph.name);
        f.so(at.field("detail"), &mut ph.detail);
        f.so(at.field("lane"), &mut ph.lane);
    }
    for (i, st) in t.statuses.iter_mut().enumerate() {
        f.s(
            root.field("statuses").index(i).field("label"),
            &mut st.label,
        );
    }
    for (i, r) in t.responses.iter_mut().enumerate() {
        let at = root.field("responses").index(i);
        f.so(at.field("criteria"), &mut r.criteria);
        f.so(at.field("method"), &mut r.method);
        f.so(at.field("note"), &mut r.note);
    }
    for (i, e) in t.events.iter_mut().enumerate() {
        let at = root.field("events").index(i);
        f.s(at.field("label"), &mut e.label);
        f.so(at.field("note"), &mut e.note);
    }
    for (i, iv) in t.intervals.iter_mut().enumerate() {
        f.s(
            root.field("intervals").index(i).field("label"),
            &mut iv.label,
        );
    }
    for (i, m) in t.measurements.iter_mut().enumerate() {
        let at = root.field("measurements").index(i);
        f.s(at.field("name"), &mut m.name);
        f.so(at.field("unit"), &mut m.unit);
    }
    for (i, im) in t.images.iter_mut().enumerate() {
        let at = root.field("images").index(i);
        f.so(at.field("caption"), &mut im.caption);
    }
    for (i, im) in t.images.iter().enumerate() {
        let at = root.field("images").index(i);
        whole(
            &mut report,
            at.field("path"),
            im.path.clone(),
            &format!("image {}", i + 1),
        );
    }
    report
}

/// Scrubs fields into a report.
struct Fields<'a> {
    scrubber: &'a Scrubber,
    report: &'a mut Report,
}

impl Fields<'_> {
    fn s(&mut self, path: Path, text: &mut String) {
        let out = self.scrubber.scrub(text);
        *text = out.text;
        self.report.add(path, out.changes);
    }

    fn so(&mut self, path: Path, text: &mut Option<String>) {
        if let Some(text) = text {
            self.s(path, text);
        }
    }
}

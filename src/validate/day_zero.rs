//! The file as a whole: its format version, the patient, and day 0 (given, else the first
//! Diagnosis event, else the earliest date; none for a file of integer days only).

use jiff::civil::Date;

use super::{FORMAT_VERSION, Tv, V};
use crate::model::{DayZeroOrigin, EventKind, Patient, Precision};
use crate::parse::raw::{self, RawTime, RawTimeline};
use crate::parse::{Path, missing_field_message};
use crate::time::{self, TimeValue};

impl V<'_, '_> {
    /// Reports a required top-level field that is missing.
    fn missing(&mut self, name: &str) {
        let root = Path::ROOT;
        if let Some(field) = raw::TIMELINE.fields.iter().find(|f| f.name == name)
            && !self.map.has(&root.field(field.name))
        {
            self.err(&root, missing_field_message(&raw::TIMELINE, field, &root));
        }
    }

    /// `format`: present, and a version this txline reads.
    pub(super) fn format_version(&mut self, raw: &RawTimeline) {
        let root = Path::ROOT;
        match raw.format {
            None => self.missing("format"),
            Some(n) if n > FORMAT_VERSION => self.err(
                &root.field("format"),
                format!(
                    "format {n} is newer than supported (this txline reads format {FORMAT_VERSION}); update txline to read this file"
                ),
            ),
            Some(n) if n < 1 => self.err(
                &root.field("format"),
                format!("format {n} does not exist; write format: {FORMAT_VERSION}"),
            ),
            Some(_) => {}
        }
    }

    /// The patient block, with its defaults.
    pub(super) fn patient(&mut self, raw: &RawTimeline) -> Option<Patient> {
        let root = Path::ROOT;
        match &raw.patient {
            None => {
                self.missing("patient");
                None
            }
            Some(p) => {
                if p.id.trim().is_empty() {
                    self.err(
                        &root.field("patient").field("id"),
                        "patient.id is empty; write an identifier such as \"P1\" (it names exported files)"
                            .to_owned(),
                    );
                }
                Some(Patient {
                    id: p.id.clone(),
                    label: p.label.clone().unwrap_or_else(|| p.id.clone()),
                    sex: p.sex.clone(),
                    age: p.age,
                    age_band: p.age_band.clone(),
                    diagnosis: p.diagnosis.clone(),
                    stage: p.stage.clone(),
                    group: p.group.clone(),
                })
            }
        }
    }

    /// Day 0 and where it came from; sets `anchor` (or `anchor_broken`).
    pub(super) fn day_zero(&mut self, raw: &RawTimeline) -> (DayZeroOrigin, Precision) {
        let root = Path::ROOT;
        // day_zero: given, else the first Diagnosis, else the earliest date; none for a file
        // of integer days only.
        let mut first_int: Option<Path> = None;
        let mut first_date: Option<Path> = None;
        // (date, precision): at equal dates the most precise writing wins.
        let mut earliest: Option<(Date, Precision)> = None;
        each_time(raw, &mut |what, _, t| match t {
            RawTime::Days(_) => {
                first_int.get_or_insert(what);
            }
            RawTime::Text(_) => {
                if let Some(d) = calendar_date(t) {
                    first_date.get_or_insert(what);
                    earliest = Some(earliest.map_or(d, |e| e.min(d)));
                }
            }
        });
        let dzp = root.field("day_zero");
        let mut origin = DayZeroOrigin::RelativeOnly;
        let mut day_zero_precision = Precision::Day;
        match &raw.day_zero {
            Some(RawTime::Text(s)) => match time::parse_time_text(s) {
                Ok(TimeValue::Date { date, precision }) => {
                    self.anchor = Some(date);
                    day_zero_precision = precision;
                    origin = DayZeroOrigin::Given;
                }
                Ok(_) => {
                    self.err(
                        &dzp,
                        "day_zero: \"ongoing\" is not a date; write day_zero: \"2021-03-15\""
                            .to_owned(),
                    );
                    self.anchor_broken = true;
                }
                Err(e) => {
                    self.err(&dzp, format!("day_zero: {e}"));
                    self.anchor_broken = true;
                }
            },
            Some(RawTime::Days(n)) => {
                self.err(
                    &dzp,
                    format!(
                        "day_zero must be a calendar date such as \"2021-03-15\", not {n}; whole days count from it"
                    ),
                );
                self.anchor_broken = true;
            }
            None => {
                if let (Some(ip), Some(dp)) = (first_int, first_date) {
                    let dpos = self.map.locate(&dp);
                    let at = if dpos.line > 0 {
                        format!("{dp}, line {}", dpos.line)
                    } else {
                        dp.to_string()
                    };
                    self.err(
                        &ip,
                        format!(
                            "{ip}: an integer time counts days from day_zero, but this file also has calendar dates (first at {at}) and no day_zero date; add day_zero: \"YYYY-MM-DD\" at the top level"
                        ),
                    );
                    self.anchor_broken = true;
                } else if first_date.is_some() {
                    let diagnosis = raw
                        .events
                        .iter()
                        .flatten()
                        .filter(|e| e.kind == EventKind::Diagnosis)
                        .filter_map(|e| calendar_date(&e.at))
                        .min();
                    if let Some((d, p)) = diagnosis {
                        self.anchor = Some(d);
                        day_zero_precision = p;
                        origin = DayZeroOrigin::Diagnosis;
                    } else if let Some((d, p)) = earliest {
                        self.anchor = Some(d);
                        day_zero_precision = p;
                        origin = DayZeroOrigin::Earliest;
                    }
                }
            }
        }
        (origin, day_zero_precision)
    }

    /// `data_cutoff` when given (its default needs every other time first).
    pub(super) fn data_cutoff_given(&mut self, raw: &RawTimeline) {
        let root = Path::ROOT;
        // data_cutoff, when given (its default needs every other time first).
        let cp = root.field("data_cutoff");
        if let Some(t) = &raw.data_cutoff {
            self.item_warned = true;
            if let Some(Tv::At(w, _)) = self.time(t, &cp, &cp, false) {
                self.cutoff_given = Some(w);
            }
        }
    }
}

/// Calls `f(what, loc, time)` for every written time except `day_zero`, in file order.
fn each_time(raw: &RawTimeline, f: &mut dyn FnMut(Path, Path, &RawTime)) {
    let root = Path::ROOT;
    let mut one = |p: Path, loc: Option<Path>, t: &RawTime| f(p, loc.unwrap_or(p), t);
    if let Some(t) = &raw.data_cutoff {
        one(root.field("data_cutoff"), None, t);
    }
    for (i, p) in raw.phases.iter().enumerate() {
        let Some(p) = p else { continue };
        let b = root.field("phases").index(i);
        one(b.field("start"), None, &p.start);
        if let Some(e) = &p.end {
            one(b.field("end"), None, e);
        }
        for (j, d) in p.doses.iter().enumerate() {
            one(b.field("doses").index(j), None, d);
        }
    }
    for (i, s) in raw.statuses.iter().enumerate() {
        let Some(s) = s else { continue };
        let b = root.field("statuses").index(i);
        one(b.field("start"), None, &s.start);
        if let Some(e) = &s.end {
            one(b.field("end"), None, e);
        }
    }
    for (i, r) in raw.responses.iter().enumerate() {
        let Some(r) = r else { continue };
        one(root.field("responses").index(i).field("at"), None, &r.at);
    }
    for (i, e) in raw.events.iter().enumerate() {
        let Some(e) = e else { continue };
        one(root.field("events").index(i).field("at"), None, &e.at);
    }
    for (i, it) in raw.intervals.iter().enumerate() {
        let Some(it) = it else { continue };
        let b = root.field("intervals").index(i);
        one(b.field("start"), None, &it.start);
        one(b.field("end"), None, &it.end);
    }
    for (i, m) in raw.measurements.iter().enumerate() {
        let Some(m) = m else { continue };
        for (j, (t, _)) in m.points.iter().enumerate() {
            let p = root.field("measurements").index(i).field("points").index(j);
            one(p, Some(p.index(0)), t);
        }
    }
    for (i, im) in raw.images.iter().enumerate() {
        let Some(im) = im else { continue };
        one(root.field("images").index(i).field("at"), None, &im.at);
    }
}

fn calendar_date(t: &RawTime) -> Option<(Date, Precision)> {
    match t {
        RawTime::Text(s) => match time::parse_time_text(s) {
            Ok(TimeValue::Date { date, precision }) => Some((date, precision)),
            _ => None,
        },
        RawTime::Days(_) => None,
    }
}

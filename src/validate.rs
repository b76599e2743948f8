//! Validation: the on-disk shape into the validated model, every error and warning in one pass.
//!
//! Applies every default of the format (`patient.label` = id, `day_zero` = the first
//! Diagnosis event else the earliest time, `data_cutoff` = the latest time, labels and names
//! from the kinds) and establishes the invariants documented in [`crate::model`]. Each
//! problem is reported at the offending value (`phases[2].end`, its line and column).

use jiff::civil::Date;

use crate::diagnostics::{Diagnostics, Severity};
use crate::model::{
    DayZeroOrigin, EndKind, Event, EventKind, ImageItem, Interval, Measurement, Patient, Phase,
    Precision, Response, Span, Status, Timeline, When,
};
use crate::parse::raw::{self, RawTime, RawTimeline};
use crate::parse::{Parsed, Path, SourceMap, missing_field_message};
use crate::time::{self, TimeValue};

/// The newest format version this program reads.
pub const FORMAT_VERSION: i64 = 1;

/// What an image's `data` holds before images are read from disk.
pub const IMAGE_NOT_READ: &str = "image not read";

/// A resolved time, or `"ongoing"` (resolved once `data_cutoff` is known).
#[derive(Debug, Clone, Copy)]
enum Tv {
    At(When, Option<Date>),
    Ongoing,
}

struct V<'a, 't> {
    map: &'a SourceMap<'t>,
    diags: &'a mut Diagnostics,
    anchor: Option<Date>,
    /// Set when `day_zero` could not be established; dates are then not placed and no
    /// follow-on errors are reported.
    anchor_broken: bool,
    latest: Option<When>,
    cutoff_given: Option<When>,
    item_warned: bool,
}

impl V<'_, '_> {
    fn err(&mut self, loc: &Path, msg: String) {
        if self.diags.is_full() {
            // Locating more problems would only cost time.
            self.diags.count_unshown(Severity::Error);
            return;
        }
        let p = self.map.locate(loc);
        self.diags
            .error(p.line, p.column, Some(loc.to_string()), msg);
    }

    fn warn(&mut self, loc: &Path, msg: String) {
        if self.diags.is_full() {
            self.diags.count_unshown(Severity::Warning);
            return;
        }
        let p = self.map.locate(loc);
        self.diags
            .warning(p.line, p.column, Some(loc.to_string()), msg);
    }

    /// Reads and places one written time. `what` names it in messages, `loc` is where it
    /// stands.
    fn time(&mut self, t: &RawTime, what: &Path, loc: &Path, allow_ongoing: bool) -> Option<Tv> {
        let value = match t {
            RawTime::Text(s) => time::parse_time_text(s),
            RawTime::Days(n) => time::check_days(*n),
        };
        let value = match value {
            Ok(v) => v,
            Err(e) => {
                self.err(loc, format!("{what}: {e}"));
                return None;
            }
        };
        let when = match value {
            TimeValue::Ongoing if allow_ongoing => return Some(Tv::Ongoing),
            TimeValue::Ongoing => {
                self.err(
                    loc,
                    format!(
                        "{what}: \"ongoing\" can only be an end (of a phase, status or interval); write a time such as \"2021-03-15\""
                    ),
                );
                return None;
            }
            TimeValue::Date { .. } if self.anchor_broken => return None,
            v => v.resolve(self.anchor)?,
        };
        let date = match value {
            TimeValue::Date { date, .. } => Some(date),
            _ => None,
        };
        self.latest = Some(
            self.latest
                .map_or(when, |l| if when.day > l.day { when } else { l }),
        );
        if let Some(cut) = self.cutoff_given
            && self.after(when, cut)
            && !self.item_warned
        {
            self.item_warned = true;
            self.warn(
                loc,
                format!(
                    "{what}: {t} is after data_cutoff ({}); check the date or move data_cutoff",
                    time::format_when(cut, self.anchor)
                ),
            );
        }
        Some(Tv::At(when, date))
    }

    /// True when `a` is after `b` even at the coarser of their precisions ("2021-04-20" is
    /// not after "2021-04", which may be any day of April).
    fn after(&self, a: When, b: When) -> bool {
        if a.day <= b.day {
            return false;
        }
        let date = |w: When| {
            self.anchor
                .and_then(|z| z.checked_add(jiff::Span::new().days(w.day)).ok())
        };
        !same_or_later_at_precision(a, date(a), b, date(b))
    }

    /// Start and end of a span; the end is checked against the start and pointed at.
    fn span(
        &mut self,
        base: Path,
        start: &RawTime,
        end: Option<&RawTime>,
    ) -> Option<(When, Option<When>, EndKind)> {
        let sp = base.field("start");
        let ep = base.field("end");
        let s = self.time(start, &sp, &sp, false);
        let e = end.map(|e| self.time(e, &ep, &ep, true));
        let Some(Tv::At(sw, sd)) = s else {
            return None;
        };
        match e {
            None => Some((
                sw,
                Some(When {
                    day: sw.day + 1,
                    precision: sw.precision,
                }),
                EndKind::Single,
            )),
            Some(None) => None,
            Some(Some(Tv::Ongoing)) => Some((sw, None, EndKind::Ongoing)),
            Some(Some(Tv::At(mut ew, ed))) => {
                if ew.day < sw.day {
                    if same_or_later_at_precision(sw, sd, ew, ed) {
                        // "2021-03" to "2021-03-10": same month, so not before; keep order.
                        ew.day = sw.day;
                    } else {
                        let (st, et) = (start, end.map(|e| e.to_string()).unwrap_or_default());
                        self.err(
                            &ep,
                            format!(
                                "{ep}: end {et} is before start {st}; the end must be on or after the start"
                            ),
                        );
                        return None;
                    }
                }
                Some((sw, Some(ew), EndKind::At))
            }
        }
    }
}

/// True when `end` is not before `start` at the coarser of their precisions.
fn same_or_later_at_precision(start: When, sd: Option<Date>, end: When, ed: Option<Date>) -> bool {
    let p = start.precision.max(end.precision);
    match (p, sd, ed) {
        (Precision::Day, _, _) | (_, None, _) | (_, _, None) => end.day >= start.day,
        (Precision::Month, Some(s), Some(e)) => (e.year(), e.month()) >= (s.year(), s.month()),
        (Precision::Year, Some(s), Some(e)) => e.year() >= s.year(),
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

/// Validates the on-disk shape into the model. Every error and warning goes to `diags`;
/// the timeline is returned only when there is no error (in `diags` as a whole, so errors
/// found while parsing count too).
pub fn validate(parsed: &Parsed, diags: &mut Diagnostics) -> Option<Timeline> {
    let raw = &parsed.raw;
    let map = &parsed.map;
    let root = Path::ROOT;
    let mut v = V {
        map,
        diags,
        anchor: None,
        anchor_broken: false,
        latest: None,
        cutoff_given: None,
        item_warned: false,
    };
    let missing = |v: &mut V, name: &str| {
        if let Some(field) = raw::TIMELINE.fields.iter().find(|f| f.name == name)
            && !map.has(&root.field(field.name))
        {
            v.err(&root, missing_field_message(&raw::TIMELINE, field, &root));
        }
    };

    // format
    match raw.format {
        None => missing(&mut v, "format"),
        Some(n) if n > FORMAT_VERSION => v.err(
            &root.field("format"),
            format!(
                "format {n} is newer than supported (this txline reads format {FORMAT_VERSION}); update txline to read this file"
            ),
        ),
        Some(n) if n < 1 => v.err(
            &root.field("format"),
            format!("format {n} does not exist; write format: {FORMAT_VERSION}"),
        ),
        Some(_) => {}
    }

    // patient
    let patient = match &raw.patient {
        None => {
            missing(&mut v, "patient");
            None
        }
        Some(p) => {
            if p.id.trim().is_empty() {
                v.err(
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
    };

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
                v.anchor = Some(date);
                day_zero_precision = precision;
                origin = DayZeroOrigin::Given;
            }
            Ok(_) => {
                v.err(
                    &dzp,
                    "day_zero: \"ongoing\" is not a date; write day_zero: \"2021-03-15\""
                        .to_owned(),
                );
                v.anchor_broken = true;
            }
            Err(e) => {
                v.err(&dzp, format!("day_zero: {e}"));
                v.anchor_broken = true;
            }
        },
        Some(RawTime::Days(n)) => {
            v.err(
                &dzp,
                format!(
                    "day_zero must be a calendar date such as \"2021-03-15\", not {n}; whole days count from it"
                ),
            );
            v.anchor_broken = true;
        }
        None => {
            if let (Some(ip), Some(dp)) = (first_int, first_date) {
                let dpos = map.locate(&dp);
                let at = if dpos.line > 0 {
                    format!("{dp}, line {}", dpos.line)
                } else {
                    dp.to_string()
                };
                v.err(
                    &ip,
                    format!(
                        "{ip}: an integer time counts days from day_zero, but this file also has calendar dates (first at {at}) and no day_zero date; add day_zero: \"YYYY-MM-DD\" at the top level"
                    ),
                );
                v.anchor_broken = true;
            } else if first_date.is_some() {
                let diagnosis = raw
                    .events
                    .iter()
                    .flatten()
                    .filter(|e| e.kind == EventKind::Diagnosis)
                    .filter_map(|e| calendar_date(&e.at))
                    .min();
                if let Some((d, p)) = diagnosis {
                    v.anchor = Some(d);
                    day_zero_precision = p;
                    origin = DayZeroOrigin::Diagnosis;
                } else if let Some((d, p)) = earliest {
                    v.anchor = Some(d);
                    day_zero_precision = p;
                    origin = DayZeroOrigin::Earliest;
                }
            }
        }
    }

    // data_cutoff, when given (its default needs every other time first).
    let cp = root.field("data_cutoff");
    if let Some(t) = &raw.data_cutoff {
        v.item_warned = true;
        if let Some(Tv::At(w, _)) = v.time(t, &cp, &cp, false) {
            v.cutoff_given = Some(w);
        }
    }

    // phases
    let mut phases: Vec<Phase> = Vec::with_capacity(raw.phases.len());
    for (i, p) in raw.phases.iter().enumerate() {
        let Some(p) = p else { continue };
        let b = root.field("phases").index(i);
        v.item_warned = false;
        let span = v.span(b, &p.start, p.end.as_ref());
        let mut doses = Vec::with_capacity(p.doses.len());
        for (j, d) in p.doses.iter().enumerate() {
            let dp = b.field("doses").index(j);
            if let Some(Tv::At(w, _)) = v.time(d, &dp, &dp, false) {
                doses.push(w);
            }
        }
        if let Some((start, end, end_kind)) = span {
            phases.push(Phase {
                therapy: p.therapy,
                name: p
                    .name
                    .clone()
                    .unwrap_or_else(|| p.therapy.name().to_owned()),
                span: Span {
                    start,
                    end: end.unwrap_or(start),
                    end_kind,
                },
                detail: p.detail.clone(),
                line: p.line,
                lane: p.lane.clone(),
                doses,
                intent: p.intent,
            });
        }
    }

    // statuses
    let mut statuses = Vec::with_capacity(raw.statuses.len());
    for (i, s) in raw.statuses.iter().enumerate() {
        let Some(s) = s else { continue };
        v.item_warned = false;
        let b = root.field("statuses").index(i);
        if let Some((start, end, end_kind)) = v.span(b, &s.start, s.end.as_ref()) {
            statuses.push(Status {
                state: s.state,
                label: s
                    .label
                    .clone()
                    .unwrap_or_else(|| s.state.display().to_owned()),
                span: Span {
                    start,
                    end: end.unwrap_or(start),
                    end_kind,
                },
            });
        }
    }

    // responses
    let mut responses = Vec::with_capacity(raw.responses.len());
    for (i, r) in raw.responses.iter().enumerate() {
        let Some(r) = r else { continue };
        v.item_warned = false;
        let ap = root.field("responses").index(i).field("at");
        if let Some(Tv::At(at, _)) = v.time(&r.at, &ap, &ap, false) {
            responses.push(Response {
                at,
                result: r.result,
                criteria: r.criteria.clone(),
                method: r.method.clone(),
                note: r.note.clone(),
            });
        }
    }

    // events
    let mut events: Vec<(usize, Event)> = Vec::with_capacity(raw.events.len());
    for (i, e) in raw.events.iter().enumerate() {
        let Some(e) = e else { continue };
        v.item_warned = false;
        let b = root.field("events").index(i);
        let ap = b.field("at");
        let at = v.time(&e.at, &ap, &ap, false);
        let mut grade = None;
        if let Some(g) = e.grade {
            let gp = b.field("grade");
            if e.kind != EventKind::AdverseEvent {
                v.err(
                    &gp,
                    format!(
                        "{gp}: grade belongs to AdverseEvent only, not {}; remove grade: {g} or write kind: AdverseEvent",
                        e.kind.name()
                    ),
                );
            } else if !(1..=5).contains(&g) {
                v.err(
                    &gp,
                    format!(
                        "{gp}: grade {g} is outside CTCAE grades 1–5; write a grade from 1 to 5"
                    ),
                );
            } else {
                grade = u8::try_from(g).ok();
            }
        }
        if let Some(Tv::At(at, _)) = at {
            events.push((
                i,
                Event {
                    at,
                    kind: e.kind,
                    label: e
                        .label
                        .clone()
                        .unwrap_or_else(|| e.kind.display().to_owned()),
                    note: e.note.clone(),
                    grade,
                },
            ));
        }
    }

    // intervals
    let mut intervals = Vec::with_capacity(raw.intervals.len());
    for (i, it) in raw.intervals.iter().enumerate() {
        let Some(it) = it else { continue };
        v.item_warned = false;
        let b = root.field("intervals").index(i);
        if let Some((start, end, end_kind)) = v.span(b, &it.start, Some(&it.end)) {
            intervals.push(Interval {
                label: it.label.clone(),
                span: Span {
                    start,
                    end: end.unwrap_or(start),
                    end_kind,
                },
            });
        }
    }

    // measurements
    let mut measurements = Vec::with_capacity(raw.measurements.len());
    for (i, m) in raw.measurements.iter().enumerate() {
        let Some(m) = m else { continue };
        v.item_warned = false;
        let b = root.field("measurements").index(i);
        let scale = m.scale.unwrap_or_default();
        let log = scale == crate::model::Scale::Log;
        let mut points = Vec::with_capacity(m.points.len());
        for (j, (t, value)) in m.points.iter().enumerate() {
            let pp = b.field("points").index(j);
            let at = v.time(t, &pp, &pp.index(0), false);
            if !value.is_finite() {
                v.err(
                    &pp.index(1),
                    format!(
                        "{pp}: the value {value} is not a finite number; write a number such as 4.2"
                    ),
                );
                continue;
            }
            if log && *value <= 0.0 {
                v.err(
                    &pp.index(1),
                    format!(
                        "{pp}: the value {value} cannot be shown on a Log scale (every value \
                         must be above 0); remove the point or write scale: Linear"
                    ),
                );
                continue;
            }
            if let Some(Tv::At(w, _)) = at {
                points.push((w, *value));
            }
        }
        for (name, limit) in [("normal_min", m.normal_min), ("normal_max", m.normal_max)] {
            if log && let Some(x) = limit.filter(|x| *x <= 0.0) {
                let lp = b.field(name);
                v.err(
                    &lp,
                    format!(
                        "{lp}: {x} cannot be shown on a Log scale (every value must be above \
                         0); remove it or write scale: Linear"
                    ),
                );
            }
        }
        for (name, limit) in [("normal_min", m.normal_min), ("normal_max", m.normal_max)] {
            if let Some(x) = limit
                && !x.is_finite()
            {
                let lp = b.field(name);
                v.err(
                    &lp,
                    format!("{lp}: {x} is not a finite number; write a number such as 1.5"),
                );
            }
        }
        if let (Some(lo), Some(hi)) = (m.normal_min, m.normal_max)
            && lo.is_finite()
            && hi.is_finite()
            && lo > hi
        {
            let lp = b.field("normal_min");
            v.err(
                &lp,
                format!("{lp}: normal_min {lo} is above normal_max {hi}; swap them"),
            );
        }
        measurements.push(Measurement {
            name: m.name.clone(),
            unit: m.unit.clone(),
            points,
            normal_min: m.normal_min,
            normal_max: m.normal_max,
            scale,
        });
    }

    // images
    let mut images = Vec::with_capacity(raw.images.len());
    for (i, im) in raw.images.iter().enumerate() {
        let Some(im) = im else { continue };
        v.item_warned = false;
        let b = root.field("images").index(i);
        let ap = b.field("at");
        let at = v.time(&im.at, &ap, &ap, false);
        if im.path.trim().is_empty() {
            let pp = b.field("path");
            v.err(
                &pp,
                format!("{pp}: the path is empty; write the image's path relative to this file, such as \"images/ct.png\""),
            );
        }
        if let Some(Tv::At(at, _)) = at {
            images.push(ImageItem {
                at,
                path: im.path.clone(),
                caption: im.caption.clone(),
                data: Err(IMAGE_NOT_READ.to_owned()),
            });
        }
    }

    undrawable_text(raw, &mut v);

    // Events after Death.
    let mut deaths = events.iter().filter(|(_, e)| e.kind == EventKind::Death);
    if let Some((_, first)) = deaths.next() {
        let mut death = first.at;
        for (i, second) in deaths {
            death = death.min(second.at);
            let p = root.field("events").index(*i).field("kind");
            v.warn(
                &p,
                format!("events[{i}]: a second Death event; keep only one"),
            );
        }
        for (i, e) in &events {
            if e.kind != EventKind::Death && v.after(e.at, death) {
                let p = root.field("events").index(*i).field("at");
                v.warn(
                    &p,
                    format!(
                        "events[{i}]: \"{}\" ({}) is after Death ({}); check its date",
                        e.label,
                        time::format_when(e.at, v.anchor),
                        time::format_when(death, v.anchor)
                    ),
                );
            }
        }
    }

    // data_cutoff: given, else the latest time; resolve "ongoing" ends to it.
    let data_cutoff = v.cutoff_given.or(v.latest).unwrap_or_else(|| When::day(0));
    let resolve = |s: &mut Span| {
        if s.end_kind == EndKind::Ongoing {
            s.end = When {
                day: data_cutoff.day.max(s.start.day),
                precision: data_cutoff.precision,
            };
        }
    };
    phases.iter_mut().for_each(|p| resolve(&mut p.span));
    statuses.iter_mut().for_each(|s| resolve(&mut s.span));
    intervals.iter_mut().for_each(|i| resolve(&mut i.span));

    let data_cutoff_given = v.cutoff_given.is_some();
    let day_zero = v.anchor;
    if v.diags.has_errors() {
        return None;
    }
    Some(Timeline {
        source: None,
        patient: patient?,
        day_zero,
        day_zero_origin: origin,
        day_zero_precision,
        data_cutoff,
        data_cutoff_given,
        phases,
        statuses,
        responses,
        events: events.into_iter().map(|(_, e)| e).collect(),
        intervals,
        measurements,
        images,
    })
}

/// Characters of `text` that the bundled font cannot draw (they would show as empty boxes),
/// each once, in order; invisible format characters (variation selectors, joiners) aside.
fn undrawable(text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for ch in text.chars() {
        let invisible = ch.is_control()
            || matches!(ch, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}');
        if !invisible && !out.contains(&ch) && !crate::fonts::has_glyph(ch) {
            out.push(ch);
        }
    }
    out
}

/// Warns about every text the figure draws that holds characters the bundled font lacks:
/// exports would show them as empty boxes ("tofu").
fn undrawable_text(raw: &RawTimeline, v: &mut V) {
    let root = Path::ROOT;
    let check = |v: &mut V, loc: Path, text: Option<&str>| {
        let Some(text) = text else { return };
        let chars = undrawable(text);
        if chars.is_empty() {
            return;
        }
        let shown: Vec<String> = chars.iter().take(6).map(|c| format!("{c}")).collect();
        let more = if chars.len() > 6 { " …" } else { "" };
        v.warn(
            &loc,
            format!(
                "{loc}: the figure's font (DejaVu Sans) has no glyph for {}{more}; these characters show as empty boxes in exported figures, so write them in Latin, Greek or Cyrillic letters or leave them out",
                shown.join(" ")
            ),
        );
    };
    if let Some(p) = &raw.patient {
        let b = root.field("patient");
        check(v, b.field("id"), Some(&p.id));
        check(v, b.field("label"), p.label.as_deref());
        check(v, b.field("sex"), p.sex.as_deref());
        check(v, b.field("age_band"), p.age_band.as_deref());
        check(v, b.field("diagnosis"), p.diagnosis.as_deref());
        check(v, b.field("stage"), p.stage.as_deref());
        check(v, b.field("group"), p.group.as_deref());
    }
    for (i, x) in raw.phases.iter().enumerate() {
        let Some(x) = x else { continue };
        let b = root.field("phases").index(i);
        check(v, b.field("name"), x.name.as_deref());
        check(v, b.field("lane"), x.lane.as_deref());
    }
    for (i, x) in raw.statuses.iter().enumerate() {
        let Some(x) = x else { continue };
        check(
            v,
            root.field("statuses").index(i).field("label"),
            x.label.as_deref(),
        );
    }
    for (i, x) in raw.responses.iter().enumerate() {
        let Some(x) = x else { continue };
        check(
            v,
            root.field("responses").index(i).field("criteria"),
            x.criteria.as_deref(),
        );
    }
    for (i, x) in raw.events.iter().enumerate() {
        let Some(x) = x else { continue };
        check(
            v,
            root.field("events").index(i).field("label"),
            x.label.as_deref(),
        );
    }
    for (i, x) in raw.intervals.iter().enumerate() {
        let Some(x) = x else { continue };
        check(
            v,
            root.field("intervals").index(i).field("label"),
            Some(&x.label),
        );
    }
    for (i, x) in raw.measurements.iter().enumerate() {
        let Some(x) = x else { continue };
        let b = root.field("measurements").index(i);
        check(v, b.field("name"), Some(&x.name));
        check(v, b.field("unit"), x.unit.as_deref());
    }
    for (i, x) in raw.images.iter().enumerate() {
        let Some(x) = x else { continue };
        check(
            v,
            root.field("images").index(i).field("caption"),
            x.caption.as_deref(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Diagnostic, Severity};
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
            e[0].starts_with("t.ron:5:46: error: phases[1].end: end \"2021-02-01\" is before start \"2021-03-01\""),
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
        let text = file(
            "events: [(at: 0, kind: Diagnosis, label: \"診断 ❤️ Müller µ ≥ 5 Привет\")],\nimages: [(at: 1, path: \"a.png\", caption: \"ok é\")]",
        );
        let (t, d) = check(&text);
        assert!(t.is_some(), "a warning only: {d:?}");
        let w = warnings(&text);
        assert_eq!(w.len(), 1, "{w:?}");
        // Each missing character once; the variation selector after ❤ is invisible, not listed.
        assert!(w[0].contains(":3:"), "{w:?}");
        assert!(
            w[0].contains(
                "events[0].label: the figure's font (DejaVu Sans) has no glyph for 診 断"
            ),
            "{w:?}"
        );
        assert!(!w[0].contains('\u{FE0F}'), "{w:?}");
        assert_eq!(undrawable("Müller µ ≥ é – Ωβ Привет"), Vec::<char>::new());
        assert_eq!(undrawable("a🧬b🧬\u{200D}\n"), vec!['🧬']);
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
}

//! Validation: the on-disk shape into the validated model, every error and warning in one pass.
//!
//! Applies every default of the format (`patient.label` = id, `day_zero` = the first
//! Diagnosis event else the earliest time, `data_cutoff` = the latest time, labels and names
//! from the kinds) and establishes the invariants documented in [`crate::model`]. Each
//! problem is reported at the offending value (`phases[2].end`, its line and column).

//!
//! Code map: this module holds the walk's state ([`V`]: where messages go, day 0, the latest
//! time) and reads one written time or span; `day_zero` establishes the format version, the
//! patient and day 0; `items` validates each list (phases, statuses, … images) and the
//! cross-item rules (events after death); `glyphs` warns about text the font cannot draw.

mod day_zero;
mod glyphs;
mod items;
#[cfg(test)]
mod tests;

use jiff::civil::Date;

use crate::diagnostics::{Diagnostics, Severity};
use crate::model::{EndKind, Precision, Span, Timeline, When};
use crate::parse::raw::RawTime;
use crate::parse::{Parsed, Path, SourceMap};
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

/// Validates the on-disk shape into the model. Every error and warning goes to `diags`;
/// the timeline is returned only when there is no error (in `diags` as a whole, so errors
/// found while parsing count too).
pub fn validate(parsed: &Parsed, diags: &mut Diagnostics) -> Option<Timeline> {
    let raw = &parsed.raw;
    let mut v = V {
        map: &parsed.map,
        diags,
        anchor: None,
        anchor_broken: false,
        latest: None,
        cutoff_given: None,
        item_warned: false,
    };
    v.format_version(raw);
    let patient = v.patient(raw);
    let (origin, day_zero_precision) = v.day_zero(raw);
    v.data_cutoff_given(raw);
    let mut phases = v.phases(raw);
    let mut statuses = v.statuses(raw);
    let responses = v.responses(raw);
    let events = v.events(raw);
    let mut intervals = v.intervals(raw);
    let measurements = v.measurements(raw);
    let images = v.images(raw);
    glyphs::undrawable_text(raw, &mut v);
    v.events_after_death(&events);

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

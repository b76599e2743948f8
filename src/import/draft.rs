//! A patient's timeline as the importer builds it, before it is written as a format-1 file:
//! whole days after day 0, every item with the rows it came from.

use super::cbioportal::Origin;
use crate::model::{EventKind, ResponseResult, Therapy};

/// How a phase ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum End {
    /// No end written: one day.
    OneDay,
    /// On this day.
    At(i64),
    /// Had not ended: `"ongoing"`.
    Ongoing,
}

/// A treatment phase.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftPhase {
    /// Kind of therapy.
    pub therapy: Therapy,
    /// Name (agent, regimen); `None`: the therapy's name.
    pub name: Option<String>,
    /// First day.
    pub start: i64,
    /// End.
    pub end: End,
    /// Detail for tooltips (other columns, comments).
    pub detail: Option<String>,
    /// Lane override.
    pub lane: Option<String>,
    /// The rows it came from.
    pub origins: Vec<Origin>,
}

/// A single-moment event.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftEvent {
    /// Day.
    pub at: i64,
    /// Kind.
    pub kind: EventKind,
    /// Label; `None`: the kind's name.
    pub label: Option<String>,
    /// Note for tooltips.
    pub note: Option<String>,
    /// CTCAE grade (adverse events).
    pub grade: Option<u8>,
}

/// A response assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftResponse {
    /// Day.
    pub at: i64,
    /// Result.
    pub result: ResponseResult,
    /// Method (imaging type).
    pub method: Option<String>,
    /// Note for tooltips.
    pub note: Option<String>,
}

/// A measurement track.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftMeasurement {
    /// Name (the TEST).
    pub name: String,
    /// Unit.
    pub unit: Option<String>,
    /// Points: day, value, and the value as written when it was not a plain number
    /// (`"<0.1"`), kept as a note.
    pub points: Vec<(i64, f64, Option<String>)>,
}

/// One patient's imported timeline.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Draft {
    /// PATIENT_ID.
    pub id: String,
    /// Sex.
    pub sex: Option<String>,
    /// Age at day 0.
    pub age: Option<u32>,
    /// Group (a clinical attribute chosen in the map).
    pub group: Option<String>,
    /// Calendar date of day 0 (from --anchor-dates), `YYYY-MM-DD`.
    pub day_zero: Option<String>,
    /// Data cut-off / last follow-up day.
    pub data_cutoff: Option<i64>,
    /// Phases.
    pub phases: Vec<DraftPhase>,
    /// Responses.
    pub responses: Vec<DraftResponse>,
    /// Events.
    pub events: Vec<DraftEvent>,
    /// Measurements.
    pub measurements: Vec<DraftMeasurement>,
    /// Every row it came from (timeline and clinical files).
    pub origins: Vec<Origin>,
}

impl Draft {
    /// The latest day of any item.
    pub fn last_day(&self) -> Option<i64> {
        let phases = self.phases.iter().map(|p| match p.end {
            End::At(d) => d,
            End::OneDay | End::Ongoing => p.start,
        });
        let events = self.events.iter().map(|e| e.at);
        let responses = self.responses.iter().map(|r| r.at);
        let points = self
            .measurements
            .iter()
            .flat_map(|m| m.points.iter().map(|p| p.0));
        phases.chain(events).chain(responses).chain(points).max()
    }

    /// Sorts every list by time (rows come in any order), keeping the row order for ties.
    pub fn sort(&mut self) {
        self.phases.sort_by_key(|p| (p.start, p.end));
        self.events.sort_by_key(|e| e.at);
        self.responses.sort_by_key(|r| r.at);
        // One regimen's rows carry the same outcome: one marker.
        self.responses.dedup();
        for m in &mut self.measurements {
            m.points.sort_by_key(|p| p.0);
        }
        self.origins.sort();
        self.origins.dedup();
    }
}

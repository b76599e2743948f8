//! The swimmer plot's content, in days from each patient's time zero (no geometry): the
//! lane's extent and why it ends, the therapy segments, the marks (every response
//! assessment; progression, recurrence and death events), the ongoing arrow and the
//! duration of response.
//!
//! Rules: the lane ends at death, else the last follow-up, else the data cut-off — and never
//! before anything drawn on it. The duration of response runs from the first CR/PR (or
//! iCR/iPR) to the first progression after it (a PD/iUPD/iCPD assessment, a progression or
//! recurrence event, or death), else to the lane's end (still responding). The arrow shows
//! a phase written `"ongoing"` (running at the data cut-off).

use super::{Cohort, Member};
use crate::model::{EventKind, ResponseResult, Therapy};

/// What ends a lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LaneEnd {
    /// A death event.
    Death,
    /// The last `LastFollowUp` event.
    LastFollowUp,
    /// The data cut-off.
    DataCutoff,
}

/// One therapy phase on a lane.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Index into the timeline's phases.
    pub phase: usize,
    /// Kind of therapy (the colour).
    pub therapy: Therapy,
    /// Start, days from time zero.
    pub start: i64,
    /// End, days from time zero.
    pub end: i64,
    /// Written `"ongoing"`.
    pub ongoing: bool,
    /// Line of therapy, when given.
    pub line: Option<u32>,
}

/// What a mark shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkKind {
    /// A response assessment.
    Response(ResponseResult),
    /// A progression, recurrence or death event.
    Event(EventKind),
}

/// A mark on a lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    /// Days from time zero.
    pub day: i64,
    /// What it shows.
    pub kind: MarkKind,
    /// Index into the timeline's responses (a response mark) or events (an event mark).
    pub index: usize,
}

/// The duration of response on a lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseSpan {
    /// First CR/PR, days from time zero.
    pub start: i64,
    /// Progression or death, or the lane's end.
    pub end: i64,
    /// No progression or death after it: still responding at the lane's end.
    pub continuing: bool,
}

/// One patient's lane.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// Index into `Cohort::members`.
    pub member: usize,
    /// Where the lane starts: time zero, or earlier when a phase or mark is earlier.
    pub start: i64,
    /// Where the lane ends (see [`lane_end`]).
    pub end: i64,
    /// What ends it.
    pub end_kind: LaneEnd,
    /// The therapy phases, by start.
    pub segments: Vec<Segment>,
    /// The marks, by day (responses before events on the same day).
    pub marks: Vec<Mark>,
    /// A phase is ongoing at the data cut-off.
    pub ongoing: bool,
    /// The duration of response, when there was a CR or PR.
    pub response: Option<ResponseSpan>,
}

/// Event kinds drawn on a lane.
pub const LANE_EVENTS: [EventKind; 3] = [
    EventKind::Progression,
    EventKind::Recurrence,
    EventKind::Death,
];

fn is_response(r: ResponseResult) -> bool {
    matches!(
        r,
        ResponseResult::CR | ResponseResult::PR | ResponseResult::ICr | ResponseResult::IPr
    )
}

fn is_progression(k: MarkKind) -> bool {
    match k {
        MarkKind::Response(r) => matches!(
            r,
            ResponseResult::PD | ResponseResult::IUpd | ResponseResult::ICpd
        ),
        MarkKind::Event(e) => LANE_EVENTS.contains(&e),
    }
}

/// The lane's end and what ends it, in days from time zero.
pub fn lane_end_kind(m: &Member) -> (i64, LaneEnd) {
    let tl = &m.timeline;
    let last_of = |k: EventKind| {
        tl.events
            .iter()
            .filter(|e| e.kind == k)
            .map(|e| e.at.day)
            .max()
    };
    let (day, kind) = if let Some(d) = tl
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Death)
        .map(|e| e.at.day)
        .min()
    {
        (d, LaneEnd::Death)
    } else if let Some(d) = last_of(EventKind::LastFollowUp) {
        (d, LaneEnd::LastFollowUp)
    } else {
        (tl.data_cutoff.day, LaneEnd::DataCutoff)
    };
    // Never before anything the lane draws.
    let drawn = tl
        .phases
        .iter()
        .map(|p| p.span.end.day)
        .chain(tl.responses.iter().map(|r| r.at.day))
        .chain(
            tl.events
                .iter()
                .filter(|e| LANE_EVENTS.contains(&e.kind))
                .map(|e| e.at.day),
        )
        .max()
        .unwrap_or(day);
    (m.rel(day.max(drawn)), kind)
}

/// The lane's end in days from time zero.
pub fn lane_end(m: &Member) -> i64 {
    lane_end_kind(m).0
}

/// Every member's lane, in lane order.
pub fn lanes(cohort: &Cohort) -> Vec<Lane> {
    cohort
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| lane(i, m))
        .collect()
}

/// One member's lane.
pub fn lane(member: usize, m: &Member) -> Lane {
    let tl = &m.timeline;
    let (end, end_kind) = lane_end_kind(m);
    let mut segments: Vec<Segment> = tl
        .phases
        .iter()
        .enumerate()
        .map(|(i, p)| Segment {
            phase: i,
            therapy: p.therapy,
            start: m.rel(p.span.start.day),
            end: m.rel(p.span.end.day),
            ongoing: p.span.is_ongoing(),
            line: p.line,
        })
        .collect();
    segments.sort_by_key(|s| (s.start, s.end, s.phase));
    let mut marks: Vec<Mark> = tl
        .responses
        .iter()
        .enumerate()
        .map(|(index, r)| Mark {
            day: m.rel(r.at.day),
            kind: MarkKind::Response(r.result),
            index,
        })
        .chain(
            tl.events
                .iter()
                .enumerate()
                .filter(|(_, e)| LANE_EVENTS.contains(&e.kind))
                .map(|(index, e)| Mark {
                    day: m.rel(e.at.day),
                    kind: MarkKind::Event(e.kind),
                    index,
                }),
        )
        .collect();
    // Stable: on one day, responses (file order) before events.
    marks.sort_by_key(|k| k.day);
    let response = marks
        .iter()
        .find(|k| matches!(k.kind, MarkKind::Response(r) if is_response(r)))
        .map(|first| {
            let stop = marks
                .iter()
                .find(|k| k.day > first.day && is_progression(k.kind))
                .map(|k| k.day);
            ResponseSpan {
                start: first.day,
                end: stop.unwrap_or(end),
                continuing: stop.is_none(),
            }
        });
    let start = segments
        .iter()
        .map(|s| s.start)
        .chain(marks.iter().map(|k| k.day))
        .min()
        .unwrap_or(0)
        .min(0);
    Lane {
        member,
        start,
        end,
        end_kind,
        ongoing: segments.iter().any(|s| s.ongoing),
        segments,
        marks,
        response,
    }
}

//! Each list of the file, item by item (a broken item is reported and left out, the rest
//! are kept), and the rules across items (events after death).

use super::{IMAGE_NOT_READ, Tv, V};
use crate::model::{
    Event, EventKind, ImageItem, Interval, Measurement, Phase, Response, Span, Status,
};
use crate::parse::Path;
use crate::parse::raw::RawTimeline;
use crate::time;

impl V<'_, '_> {
    /// `phases`.
    pub(super) fn phases(&mut self, raw: &RawTimeline) -> Vec<Phase> {
        let root = Path::ROOT;
        let mut phases: Vec<Phase> = Vec::with_capacity(raw.phases.len());
        for (i, p) in raw.phases.iter().enumerate() {
            let Some(p) = p else { continue };
            let b = root.field("phases").index(i);
            self.item_warned = false;
            let span = self.span(b, &p.start, p.end.as_ref());
            let mut doses = Vec::with_capacity(p.doses.len());
            for (j, d) in p.doses.iter().enumerate() {
                let dp = b.field("doses").index(j);
                if let Some(Tv::At(w, _)) = self.time(d, &dp, &dp, false) {
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
        phases
    }

    /// `statuses`.
    pub(super) fn statuses(&mut self, raw: &RawTimeline) -> Vec<Status> {
        let root = Path::ROOT;
        let mut statuses = Vec::with_capacity(raw.statuses.len());
        for (i, s) in raw.statuses.iter().enumerate() {
            let Some(s) = s else { continue };
            self.item_warned = false;
            let b = root.field("statuses").index(i);
            if let Some((start, end, end_kind)) = self.span(b, &s.start, s.end.as_ref()) {
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
        statuses
    }

    /// `responses`.
    pub(super) fn responses(&mut self, raw: &RawTimeline) -> Vec<Response> {
        let root = Path::ROOT;
        let mut responses = Vec::with_capacity(raw.responses.len());
        for (i, r) in raw.responses.iter().enumerate() {
            let Some(r) = r else { continue };
            self.item_warned = false;
            let ap = root.field("responses").index(i).field("at");
            if let Some(Tv::At(at, _)) = self.time(&r.at, &ap, &ap, false) {
                responses.push(Response {
                    at,
                    result: r.result,
                    criteria: r.criteria.clone(),
                    method: r.method.clone(),
                    note: r.note.clone(),
                });
            }
        }
        responses
    }

    /// `events`, each with its index in the file (for messages about it later).
    pub(super) fn events(&mut self, raw: &RawTimeline) -> Vec<(usize, Event)> {
        let root = Path::ROOT;
        let mut events: Vec<(usize, Event)> = Vec::with_capacity(raw.events.len());
        for (i, e) in raw.events.iter().enumerate() {
            let Some(e) = e else { continue };
            self.item_warned = false;
            let b = root.field("events").index(i);
            let ap = b.field("at");
            let at = self.time(&e.at, &ap, &ap, false);
            let mut grade = None;
            if let Some(g) = e.grade {
                let gp = b.field("grade");
                if e.kind != EventKind::AdverseEvent {
                    self.err(
                        &gp,
                        format!(
                            "{gp}: grade belongs to AdverseEvent only, not {}; remove grade: {g} or write kind: AdverseEvent",
                            e.kind.name()
                        ),
                    );
                } else if !(1..=5).contains(&g) {
                    self.err(
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
        events
    }

    /// `intervals`.
    pub(super) fn intervals(&mut self, raw: &RawTimeline) -> Vec<Interval> {
        let root = Path::ROOT;
        let mut intervals = Vec::with_capacity(raw.intervals.len());
        for (i, it) in raw.intervals.iter().enumerate() {
            let Some(it) = it else { continue };
            self.item_warned = false;
            let b = root.field("intervals").index(i);
            if let Some((start, end, end_kind)) = self.span(b, &it.start, Some(&it.end)) {
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
        intervals
    }

    /// `measurements`: finite values, above 0 on a Log scale, sane normal limits.
    pub(super) fn measurements(&mut self, raw: &RawTimeline) -> Vec<Measurement> {
        let root = Path::ROOT;
        let mut measurements = Vec::with_capacity(raw.measurements.len());
        for (i, m) in raw.measurements.iter().enumerate() {
            let Some(m) = m else { continue };
            self.item_warned = false;
            let b = root.field("measurements").index(i);
            let scale = m.scale.unwrap_or_default();
            let log = scale == crate::model::Scale::Log;
            let mut points = Vec::with_capacity(m.points.len());
            for (j, (t, value)) in m.points.iter().enumerate() {
                let pp = b.field("points").index(j);
                let at = self.time(t, &pp, &pp.index(0), false);
                if !value.is_finite() {
                    self.err(
                        &pp.index(1),
                        format!(
                            "{pp}: the value {value} is not a finite number; write a number such as 4.2"
                        ),
                    );
                    continue;
                }
                if log && *value <= 0.0 {
                    self.err(
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
                    self.err(
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
                    self.err(
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
                self.err(
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
        measurements
    }

    /// `images` (read from disk later, by `load`).
    pub(super) fn images(&mut self, raw: &RawTimeline) -> Vec<ImageItem> {
        let root = Path::ROOT;
        let mut images = Vec::with_capacity(raw.images.len());
        for (i, im) in raw.images.iter().enumerate() {
            let Some(im) = im else { continue };
            self.item_warned = false;
            let b = root.field("images").index(i);
            let ap = b.field("at");
            let at = self.time(&im.at, &ap, &ap, false);
            if im.path.trim().is_empty() {
                let pp = b.field("path");
                self.err(
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
        images
    }

    /// A second Death event, and events after the first death, are warnings.
    pub(super) fn events_after_death(&mut self, events: &[(usize, Event)]) {
        let root = Path::ROOT;
        // Events after Death.
        let mut deaths = events.iter().filter(|(_, e)| e.kind == EventKind::Death);
        if let Some((_, first)) = deaths.next() {
            let mut death = first.at;
            for (i, second) in deaths {
                death = death.min(second.at);
                let p = root.field("events").index(*i).field("kind");
                self.warn(
                    &p,
                    format!("events[{i}]: a second Death event; keep only one"),
                );
            }
            for (i, e) in events {
                if e.kind != EventKind::Death && self.after(e.at, death) {
                    let p = root.field("events").index(*i).field("at");
                    self.warn(
                        &p,
                        format!(
                            "events[{i}]: \"{}\" ({}) is after Death ({}); check its date",
                            e.label,
                            time::format_when(e.at, self.anchor),
                            time::format_when(death, self.anchor)
                        ),
                    );
                }
            }
        }
    }
}

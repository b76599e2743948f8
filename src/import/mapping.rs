//! The mapping from checked cBioPortal rows to a patient's [`Draft`]: which EVENT_TYPE
//! becomes a phase, an event, a response or a measurement (see [`ImportMap`] and the
//! table in `docs/import.md`).

use std::collections::BTreeMap;

use super::cbioportal::{Attr, TimelineRow};
use super::draft::{Draft, DraftEvent, DraftMeasurement, DraftPhase, DraftResponse, End};
use super::map::{ImportMap, Target};
use super::problems::Problems;
use crate::model::{EventKind, ResponseResult, Therapy};

/// A lab result waiting for the whole TEST to be seen (numeric tracks need every value).
struct Lab {
    test: String,
    result: Option<String>,
    unit: Option<String>,
    at: i64,
    note: Option<String>,
}

/// Builds one draft per patient from rows (any order), in order of first appearance.
pub fn build(
    rows: &[TimelineRow],
    map: &ImportMap,
    files: &[String],
    problems: &mut Problems,
) -> Vec<Draft> {
    let mut order: Vec<String> = Vec::new();
    let mut by_patient: BTreeMap<&str, Vec<&TimelineRow>> = BTreeMap::new();
    for r in rows {
        let e = by_patient.entry(&r.patient).or_default();
        if e.is_empty() {
            order.push(r.patient.clone());
        }
        e.push(r);
    }
    order
        .iter()
        .map(|id| {
            let mut d = Draft {
                id: id.clone(),
                ..Draft::default()
            };
            let mut labs = Vec::new();
            for r in &by_patient[id.as_str()] {
                d.origins.push(r.origin);
                map_row(r, map, files, &mut d, &mut labs, problems);
            }
            finish_labs(&mut d, labs);
            if map.merge_regimens {
                merge_regimens(&mut d);
            }
            d.sort();
            d
        })
        .collect()
}

/// `radiographic_progression` → `Radiographic progression`; text with capitals is kept.
pub fn humanize(text: &str) -> String {
    let t = text.replace('_', " ");
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().any(|c| c.is_uppercase()) && t.chars().any(|c| c.is_lowercase()) {
        return t;
    }
    let lower = t.to_lowercase();
    let mut c = lower.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => lower,
    }
}

/// A RECIST / iRECIST result named by a value ("Complete Response", "PR", "iUPD").
pub fn recist(value: &str) -> Option<ResponseResult> {
    let v = value.trim();
    for &r in ResponseResult::ALL {
        if v == r.name() || v.eq_ignore_ascii_case(r.long_name()) {
            return Some(r);
        }
    }
    let l = v.to_lowercase().replace(['_', '-'], " ");
    let l = l.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match l.as_str() {
        "cr" | "complete response" | "complete remission" => ResponseResult::CR,
        "pr" | "partial response" | "partial remission" => ResponseResult::PR,
        "sd" | "stable disease" | "stable" => ResponseResult::SD,
        "pd" | "progressive disease" => ResponseResult::PD,
        "ne" | "not evaluable" | "inevaluable" => ResponseResult::NE,
        _ => return None,
    })
}

/// The event a STATUS value names, if it names one.
fn status_kind(value: &str) -> Option<EventKind> {
    let l = value.to_lowercase();
    if ["deceased", "dead", "death", "died"]
        .iter()
        .any(|w| l.split(|c: char| !c.is_alphanumeric()).any(|x| x == *w))
    {
        Some(EventKind::Death)
    } else if l.contains("progress") {
        Some(EventKind::Progression)
    } else if l.contains("recur") || l.contains("relapse") {
        Some(EventKind::Recurrence)
    } else if l.contains("metasta") {
        Some(EventKind::Metastasis)
    } else {
        None
    }
}

/// The row's attributes split into the named ones and the rest, the rest written as
/// "Name: value" lines for the note, with the note columns first.
struct Cells<'a> {
    row: &'a TimelineRow,
    used: Vec<&'a str>,
}

impl<'a> Cells<'a> {
    fn new(row: &'a TimelineRow, map: &'a ImportMap) -> Self {
        let mut used: Vec<&str> = map.hidden_columns.iter().map(String::as_str).collect();
        used.extend(map.note_columns.iter().map(String::as_str));
        Cells { row, used }
    }

    /// Takes the first non-empty of the named columns.
    fn take(&mut self, names: &[&str]) -> Option<&'a Attr> {
        let a = names
            .iter()
            .find_map(|n| self.row.attrs.iter().find(|a| a.name == *n))?;
        self.used.push(&a.name);
        Some(a)
    }

    fn take_list(&mut self, names: &'a [String]) -> Option<&'a Attr> {
        let v: Vec<&str> = names.iter().map(String::as_str).collect();
        self.take(&v)
    }

    /// The first attribute not taken yet (the row's "main value").
    fn take_first(&mut self) -> Option<&'a Attr> {
        let a = self
            .row
            .attrs
            .iter()
            .find(|a| !self.used.contains(&a.name.as_str()))?;
        self.used.push(&a.name);
        Some(a)
    }

    /// Comments and notes, then every attribute not used, as "Name: value"; `extra` first.
    fn note(&self, map: &ImportMap, extra: Option<String>) -> Option<String> {
        let mut parts: Vec<String> = extra.into_iter().collect();
        for n in &map.note_columns {
            if let Some(a) = self.row.attrs.iter().find(|a| a.name == *n) {
                parts.push(a.value.clone());
            }
        }
        for a in &self.row.attrs {
            if !self.used.contains(&a.name.as_str()) {
                parts.push(format!("{}: {}", humanize(&a.name), a.value));
            }
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

fn map_row(
    r: &TimelineRow,
    map: &ImportMap,
    files: &[String],
    d: &mut Draft,
    labs: &mut Vec<Lab>,
    problems: &mut Problems,
) {
    let mut cells = Cells::new(r, map);
    // A span: only when STOP_DATE is after START_DATE (STOP == START is a point).
    let span_end = r.stop.filter(|s| *s > r.start);
    let until = span_end.map(|s| format!("until day {s}"));
    match map.target(&r.key) {
        Some(Target::Skip) => {}
        Some(Target::Treatment) => treatment(r, map, files, d, cells, None, problems),
        Some(Target::Phase(th)) => treatment(r, map, files, d, cells, Some(th), problems),
        Some(Target::Surgery) => {
            let name = cells
                .take(&[
                    "EVENT_TYPE_DETAILED",
                    "SURGERY_DETAILS",
                    "SUBTYPE",
                    "PROCEDURE",
                ])
                .or_else(|| cells.take_first())
                .map(|a| humanize(&a.value));
            d.phases.push(DraftPhase {
                therapy: Therapy::Surgery,
                name,
                start: r.start,
                end: span_end.map_or(End::OneDay, End::At),
                detail: cells.note(map, None),
                lane: None,
                origins: vec![r.origin],
            });
        }
        Some(Target::Status) => status_row(r, map, d, cells, until),
        Some(Target::LabTest) => {
            let test = cells
                .take(&["TEST", "LAB_TEST", "NAME"])
                .map_or_else(|| humanize(&r.event_type), |a| a.value.clone());
            let result = cells.take(&["RESULT", "VALUE"]).map(|a| a.value.clone());
            let unit = cells.take(&["UNIT", "UNITS"]).map(|a| a.value.clone());
            labs.push(Lab {
                test,
                result,
                unit,
                at: r.start,
                note: cells.note(map, until),
            });
        }
        Some(Target::Imaging) => {
            let label = cells
                .take(&[
                    "DIAGNOSTIC_TYPE_DETAILED",
                    "DIAGNOSTIC_TYPE",
                    "SUBTYPE",
                    "MODALITY",
                ])
                .map(|a| humanize(&a.value));
            responses_of(r, map, d, &mut cells, label.clone());
            event(
                d,
                r.start,
                EventKind::Imaging,
                label,
                cells.note(map, until),
            );
        }
        Some(Target::Specimen) => {
            let label = cells
                .take_list(&map.sample_columns)
                .or_else(|| cells.take(&["SPECIMEN_SITE", "SPECIMEN_TYPE"]))
                .map(|a| a.value.clone())
                .or_else(|| Some(humanize(&r.event_type)));
            event(d, r.start, EventKind::Biopsy, label, cells.note(map, until));
        }
        Some(Target::Diagnosis) => {
            let label = cells
                .take(&["SUBTYPE", "DIAGNOSIS", "HISTOLOGY"])
                .map(|a| a.value.clone());
            event(
                d,
                r.start,
                EventKind::Diagnosis,
                label,
                cells.note(map, until),
            );
        }
        Some(Target::Event(kind)) => event_row(r, map, d, cells, kind, until),
        None => other_row(r, map, d, cells, span_end),
    }
}

/// A STATUS row: a RECIST word is a response; anything else an event (death, recurrence…).
fn status_row(
    r: &TimelineRow,
    map: &ImportMap,
    d: &mut Draft,
    mut cells: Cells,
    until: Option<String>,
) {
    let value = cells.take(&["STATUS"]).or_else(|| cells.take_first());
    let v = value.map(|a| a.value.as_str()).unwrap_or("");
    if let Some(result) = recist(v) {
        d.responses.push(DraftResponse {
            at: r.start,
            result,
            method: None,
            note: cells.note(map, until),
        });
        return;
    }
    let kind = status_kind(v).unwrap_or(EventKind::Other);
    let label = match kind {
        EventKind::Death if v.split_whitespace().count() == 1 => None,
        _ if v.is_empty() => Some(humanize(&r.event_type)),
        _ => Some(humanize(v)),
    };
    event(d, r.start, kind, label, cells.note(map, until));
}

/// A row mapped to an event kind (adverse events keep their CTCAE grade).
fn event_row(
    r: &TimelineRow,
    map: &ImportMap,
    d: &mut Draft,
    mut cells: Cells,
    kind: EventKind,
    until: Option<String>,
) {
    let grade = if kind == EventKind::AdverseEvent {
        cells
            .take(&["GRADE"])
            .and_then(|a| a.value.trim_start_matches("Grade ").parse::<u8>().ok())
            .filter(|g| (1..=5).contains(g))
    } else {
        None
    };
    let label = cells
        .take(&["SUBTYPE", "TOXICITY_TYPE", "EVENT_TYPE_DETAILED"])
        .or_else(|| cells.take_first())
        .map(|a| humanize(&a.value))
        .or_else(|| {
            let ty = humanize(&r.event_type);
            (!ty.eq_ignore_ascii_case(kind.display())).then_some(ty)
        });
    d.events.push(DraftEvent {
        at: r.start,
        kind,
        label,
        note: cells.note(map, until),
        grade,
    });
}

/// A row of an EVENT_TYPE no rule names: a span becomes a phase in a lane named after the
/// type, a point an `Other` event labelled with its type and main value.
fn other_row<'a>(
    r: &'a TimelineRow,
    map: &'a ImportMap,
    d: &mut Draft,
    mut cells: Cells<'a>,
    span_end: Option<i64>,
) {
    responses_of(r, map, d, &mut cells, None);
    let ty = humanize(&r.event_type);
    let main = cells.take_first().map(|a| a.value.clone());
    match span_end {
        Some(end) => d.phases.push(DraftPhase {
            therapy: Therapy::Other,
            name: Some(main.unwrap_or_else(|| ty.clone())),
            start: r.start,
            end: End::At(end),
            detail: cells.note(map, None),
            lane: Some(ty),
            origins: vec![r.origin],
        }),
        None => {
            let label = match main {
                Some(m) => format!("{ty}: {m}"),
                None => ty,
            };
            event(
                d,
                r.start,
                EventKind::Other,
                Some(label),
                cells.note(map, None),
            );
        }
    }
}

fn event(d: &mut Draft, at: i64, kind: EventKind, label: Option<String>, note: Option<String>) {
    d.events.push(DraftEvent {
        at,
        kind,
        label,
        note,
        grade: None,
    });
}

/// Response markers from the response columns holding RECIST words (at the row's end, or
/// its start for a point).
fn responses_of<'a>(
    r: &'a TimelineRow,
    map: &'a ImportMap,
    d: &mut Draft,
    cells: &mut Cells<'a>,
    method: Option<String>,
) {
    for col in &map.response_columns {
        if let Some(a) = r.attrs.iter().find(|a| a.name == *col)
            && let Some(result) = recist(&a.value)
        {
            cells.used.push(&a.name);
            d.responses.push(DraftResponse {
                at: r.stop.unwrap_or(r.start),
                result,
                method: method.clone(),
                note: Some(format!("{}: {}", humanize(&a.name), a.value)),
            });
        }
    }
}

fn treatment<'a>(
    r: &'a TimelineRow,
    map: &'a ImportMap,
    files: &[String],
    d: &mut Draft,
    mut cells: Cells<'a>,
    fixed: Option<Therapy>,
    problems: &mut Problems,
) {
    let subtype = cells.take(&["SUBTYPE"]).map(|a| a.value.as_str());
    let ttype = cells.take(&["TREATMENT_TYPE"]).map(|a| a.value.as_str());
    let texts: Vec<&str> = [subtype, ttype].into_iter().flatten().collect();
    let found = fixed.or_else(|| map.therapy_of(&texts));
    let therapy = found.unwrap_or(Therapy::Other);
    let agent = cells.take_list(&map.agent_columns).map(|a| a.value.clone());
    // Words of the outcome: "Treatment Ongoing" keeps a blank STOP_DATE open.
    let outcome: Vec<&Attr> = map
        .response_columns
        .iter()
        .map(String::as_str)
        .chain(["ENDING_STATUS", "REASON_FOR_TERMINATION"])
        .filter_map(|c| r.attrs.iter().find(|a| a.name == c))
        .collect();
    let ongoing = outcome.iter().any(|a| {
        let l = a.value.to_lowercase();
        map.ongoing_words
            .iter()
            .any(|w| l.contains(&w.to_lowercase()))
    });
    let end = match r.stop {
        Some(s) if s > r.start => End::At(s),
        Some(_) => End::OneDay,
        None if ongoing => {
            for a in &outcome {
                cells.used.push(&a.name);
            }
            End::Ongoing
        }
        None => {
            problems.warning(
                &files[r.origin.file],
                r.origin.line,
                r.stop_col,
                Some(&r.patient),
                "STOP_DATE is empty, so this treatment is drawn as a one-day mark: its end is \
                 unknown; write its last day, or TREATMENT_OUTCOME \"Treatment Ongoing\" if it \
                 had not ended",
            );
            End::OneDay
        }
    };
    responses_of(r, map, d, &mut cells, None);
    // The name: the agent, else the subtype ("XRT", "IMRT"); else the therapy's name.
    let name = agent.or_else(|| subtype.map(str::to_owned));
    let lane = match (found, ttype) {
        (None, Some(t)) => Some(humanize(t)),
        _ => None,
    };
    d.phases.push(DraftPhase {
        therapy,
        name,
        start: r.start,
        end,
        detail: cells.note(map, None),
        lane,
        origins: vec![r.origin],
    });
}

/// Lab results: a TEST whose every result is a number (after a leading `<` or `>`) becomes
/// a measurement track; any other TEST's results become events.
fn finish_labs(d: &mut Draft, labs: Vec<Lab>) {
    let mut tests: Vec<&str> = Vec::new();
    for l in &labs {
        if !tests.contains(&l.test.as_str()) {
            tests.push(&l.test);
        }
    }
    for test in tests {
        let rows: Vec<&Lab> = labs.iter().filter(|l| l.test == test).collect();
        let values: Vec<Option<(f64, Option<String>)>> =
            rows.iter().map(|l| number(l.result.as_deref()?)).collect();
        if values.iter().all(Option::is_some) {
            let points = rows
                .iter()
                .zip(values)
                .filter_map(|(l, v)| {
                    let (v, as_written) = v?;
                    let note = match (as_written, &l.note) {
                        (Some(w), Some(n)) => Some(format!("{w}; {n}")),
                        (w, n) => w.or(n.clone()),
                    };
                    Some((l.at, v, note))
                })
                .collect();
            d.measurements.push(DraftMeasurement {
                name: test.to_owned(),
                unit: rows.iter().find_map(|l| l.unit.clone()),
                points,
            });
        } else {
            for l in rows {
                let label = match &l.result {
                    Some(r) => format!("{test}: {r}"),
                    None => test.to_owned(),
                };
                let note = match (&l.unit, &l.note) {
                    (Some(u), Some(n)) => Some(format!("Unit: {u}; {n}")),
                    (Some(u), None) => Some(format!("Unit: {u}")),
                    (None, n) => n.clone(),
                };
                event(d, l.at, EventKind::Other, Some(label), note);
            }
        }
    }
}

/// A lab value: a finite number, optionally after `<`, `>`, `≤`, `≥` (then the text as
/// written is kept).
fn number(text: &str) -> Option<(f64, Option<String>)> {
    let t = text.trim();
    let bare = t.trim_start_matches(['<', '>', '≤', '≥', '=']).trim();
    let v: f64 = bare.parse().ok()?;
    if !v.is_finite() {
        return None;
    }
    let as_written = (bare.len() != t.len()).then(|| t.to_owned());
    Some((v, as_written))
}

/// Rows of one regimen split over several lines (one per drug, the same kind and dates)
/// become one phase named "A + B".
fn merge_regimens(d: &mut Draft) {
    let mut out: Vec<DraftPhase> = Vec::with_capacity(d.phases.len());
    for p in d.phases.drain(..) {
        if p.therapy != Therapy::Surgery
            && let Some(q) = out.iter_mut().find(|q| {
                q.therapy == p.therapy && q.start == p.start && q.end == p.end && q.lane == p.lane
            })
        {
            if let Some(n) = p.name {
                match &mut q.name {
                    Some(qn) if !qn.split(" + ").any(|x| x == n) => {
                        qn.push_str(" + ");
                        qn.push_str(&n);
                    }
                    Some(_) => {}
                    None => q.name = Some(n),
                }
            }
            if let Some(det) = p.detail
                && q.detail.as_deref() != Some(det.as_str())
            {
                q.detail = Some(match q.detail.take() {
                    Some(x) => format!("{x}; {det}"),
                    None => det,
                });
            }
            q.origins.extend(p.origins);
            continue;
        }
        out.push(p);
    }
    d.phases = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(
            humanize("radiographic_progression"),
            "Radiographic progression"
        );
        assert_eq!(humanize("GBM Recurrence1"), "GBM Recurrence1");
        assert_eq!(humanize("PATHOLOGY SLIDES"), "Pathology slides");
        assert_eq!(recist("Complete Response"), Some(ResponseResult::CR));
        assert_eq!(recist("iUPD"), Some(ResponseResult::IUpd));
        assert_eq!(recist("stable_disease"), Some(ResponseResult::SD));
        assert_eq!(recist("radiographic_progression"), None);
        assert_eq!(status_kind("DECEASED"), Some(EventKind::Death));
        assert_eq!(
            status_kind("radiographic_progression"),
            Some(EventKind::Progression)
        );
        assert_eq!(number("<0.1"), Some((0.1, Some("<0.1".into()))));
        assert_eq!(number("4.5"), Some((4.5, None)));
        assert_eq!(number("positive"), None);
        assert_eq!(number("inf"), None);
    }
}

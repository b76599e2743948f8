//! `data_clinical_patient.txt` (sex, age, overall survival, a chosen group attribute) and
//! the anchor-dates file (PATIENT_ID, DATE: the calendar date of each patient's day 0).

use std::collections::HashMap;
use std::path::Path;

use super::cbioportal::{Origin, is_na};
use super::draft::{Draft, DraftEvent};
use super::map::ImportMap;
use super::problems::Problems;
use super::table;
use crate::diagnostics::Diagnostics;
use crate::model::{DAYS_PER_MONTH, EventKind};

/// One patient's row of the clinical file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClinicalPatient {
    /// Where it came from.
    pub origin: Option<Origin>,
    /// SEX / GENDER.
    pub sex: Option<String>,
    /// AGE, whole years.
    pub age: Option<u32>,
    /// The group attribute's value.
    pub group: Option<String>,
    /// OS_MONTHS in days, and whether OS_STATUS says deceased.
    pub survival: Option<(i64, bool)>,
}

/// Reads the clinical patient file: one entry per PATIENT_ID.
pub fn read_clinical(
    path: &Path,
    file: &str,
    file_index: usize,
    map: &ImportMap,
    problems: &mut Problems,
) -> HashMap<String, ClinicalPatient> {
    let mut d = Diagnostics::new(file);
    let table = table::read_text(path, &mut d).and_then(|t| table::parse_tsv(&t, '\t', &mut d));
    problems.extend(d.into_sorted(), None);
    let mut out = HashMap::new();
    let Some(t) = table else { return out };
    let Some(id_col) = t.column("PATIENT_ID") else {
        problems.error(
            file,
            t.header_line,
            1,
            None,
            "the clinical patient file has no PATIENT_ID column; its header names the columns, \
             PATIENT_ID first",
        );
        return out;
    };
    let col = |names: &[&str]| names.iter().find_map(|n| t.column(n));
    let sex = col(&["SEX", "GENDER"]);
    let age = col(&["AGE", "AGE_AT_DIAGNOSIS"]);
    let os_months = col(&["OS_MONTHS"]);
    let os_status = col(&["OS_STATUS"]);
    let group = match &map.group {
        Some(g) => match t.column(g) {
            Some(c) => Some(c),
            None => {
                problems.warning(
                    file,
                    t.header_line,
                    1,
                    None,
                    format!(
                        "the map's group column \"{g}\" is not in this file (its columns: {}); \
                         no group is set",
                        t.header.join(", ")
                    ),
                );
                None
            }
        },
        None => None,
    };
    for row in &t.rows {
        let c = &row.cells;
        let id = c[id_col].clone();
        if id.is_empty() {
            continue;
        }
        let cell = |i: Option<usize>| i.map(|i| c[i].as_str()).filter(|v| !is_na(v));
        let mut p = ClinicalPatient {
            origin: Some(Origin {
                file: file_index,
                line: row.line,
            }),
            sex: cell(sex).map(str::to_owned),
            group: cell(group).map(str::to_owned),
            ..Default::default()
        };
        if let (Some(v), Some(i)) = (cell(age), age) {
            match v.parse::<f64>() {
                Ok(a) if (0.0..150.0).contains(&a) => p.age = Some(a.floor() as u32),
                _ => problems.warning(
                    file,
                    row.line,
                    i + 1,
                    Some(&id),
                    format!("AGE \"{v}\" is not an age in years such as 52; it is left out"),
                ),
            }
        }
        if let (Some(v), Some(i)) = (cell(os_months), os_months) {
            let status = cell(os_status).unwrap_or("").to_ascii_uppercase();
            let dead = status.starts_with("1:") || status.contains("DECEASED");
            match v.parse::<f64>() {
                Ok(m) if m.is_finite() && m >= 0.0 => {
                    p.survival = Some(((m * DAYS_PER_MONTH).round() as i64, dead));
                }
                _ => problems.warning(
                    file,
                    row.line,
                    i + 1,
                    Some(&id),
                    format!(
                        "OS_MONTHS \"{v}\" is not a number of months such as 23.5; \
                         no last follow-up is drawn"
                    ),
                ),
            }
        }
        out.insert(id, p);
    }
    out
}

/// Reads an anchor-dates file: PATIENT_ID and DATE (`YYYY-MM-DD`), tab- or
/// comma-separated.
pub fn read_anchor_dates(
    path: &Path,
    file: &str,
    problems: &mut Problems,
) -> HashMap<String, String> {
    let mut d = Diagnostics::new(file);
    let text = table::read_text(path, &mut d).unwrap_or_default();
    let sep = if text.lines().next().is_some_and(|l| l.contains('\t')) {
        '\t'
    } else {
        ','
    };
    let table = table::parse_tsv(&text, sep, &mut d);
    problems.extend(d.into_sorted(), None);
    let mut out = HashMap::new();
    let Some(t) = table else { return out };
    let (Some(id), Some(date)) = (t.column("PATIENT_ID"), t.column("DATE")) else {
        problems.error(
            file,
            t.header_line,
            1,
            None,
            "an anchor-dates file has the columns PATIENT_ID and DATE (the calendar date of \
             each patient's day 0, such as 2020-11-01)",
        );
        return out;
    };
    for row in &t.rows {
        let v = row.cells[date].as_str();
        let pid = row.cells[id].as_str();
        match crate::time::parse_date_text(v) {
            Ok((_, crate::model::Precision::Day)) => {
                out.insert(pid.to_owned(), v.to_owned());
            }
            _ => problems.error(
                file,
                row.line,
                date + 1,
                Some(pid),
                format!("DATE \"{v}\" is not a calendar day; write it as 2020-11-01"),
            ),
        }
    }
    out
}

/// Adds what the clinical file says to the drafts, and warns about patients in one file
/// but not the other.
pub fn apply(
    drafts: &mut [Draft],
    clinical: &HashMap<String, ClinicalPatient>,
    files: &[String],
    timeline_file: &str,
    problems: &mut Problems,
) {
    for d in drafts.iter_mut() {
        let Some(c) = clinical.get(&d.id) else {
            let first = d.origins.first().map_or(0, |o| o.line);
            problems.warning(
                timeline_file_of(d, files).unwrap_or(timeline_file),
                first,
                1,
                Some(&d.id),
                format!(
                    "patient {} is in the timeline but not in the clinical patient file; \
                     the timeline is drawn without sex, age or survival",
                    d.id
                ),
            );
            continue;
        };
        if let Some(o) = c.origin {
            d.origins.push(o);
        }
        d.sex = c.sex.clone();
        d.age = c.age;
        d.group = c.group.clone();
        let Some((day, dead)) = c.survival else {
            continue;
        };
        let kind = if dead {
            EventKind::Death
        } else {
            EventKind::LastFollowUp
        };
        let has_death = d.events.iter().any(|e| e.kind == EventKind::Death);
        if !(dead && has_death) {
            d.events.push(DraftEvent {
                at: day,
                kind,
                label: None,
                note: Some(format!(
                    "OS_MONTHS {:.1} (clinical file)",
                    day as f64 / DAYS_PER_MONTH
                )),
                grade: None,
            });
        }
        match d.last_day() {
            Some(last) if last > day => {
                let o = c.origin.unwrap_or(Origin { file: 0, line: 0 });
                problems.warning(
                    &files[o.file],
                    o.line,
                    1,
                    Some(&d.id),
                    format!(
                        "OS_MONTHS of patient {} ends at day {day}, before the patient's \
                         last timeline item (day {last}); the data cut-off is left at day {last}",
                        d.id
                    ),
                );
            }
            _ => d.data_cutoff = Some(day),
        }
        d.sort();
    }
    let in_timeline: std::collections::HashSet<&str> =
        drafts.iter().map(|d| d.id.as_str()).collect();
    let mut missing: Vec<(&String, &ClinicalPatient)> = clinical
        .iter()
        .filter(|(id, _)| !in_timeline.contains(id.as_str()))
        .collect();
    missing.sort_by_key(|(_, c)| c.origin);
    for (id, c) in missing {
        let o = c.origin.unwrap_or(Origin { file: 0, line: 0 });
        problems.warning(
            &files[o.file],
            o.line,
            1,
            None,
            format!("patient {id} is in the clinical patient file but has no timeline rows; no timeline is written for it"),
        );
    }
}

fn timeline_file_of<'a>(d: &Draft, files: &'a [String]) -> Option<&'a str> {
    d.origins.first().map(|o| files[o.file].as_str())
}

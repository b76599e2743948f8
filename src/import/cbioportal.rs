//! Reading cBioPortal timeline files: finding them in a study folder (through the
//! `meta_*.txt` files that say `datatype: TIMELINE`, and any bare `data_timeline*.txt`),
//! and turning their rows into [`TimelineRow`]s with every cell checked.
//!
//! The rules are cBioPortal's (`docs/File-Formats.md`, the validator and the Java importer;
//! see `docs/import.md`): columns 1–4 are `PATIENT_ID START_DATE STOP_DATE EVENT_TYPE`, or
//! the legacy `PATIENT_ID START_DATE EVENT_TYPE`; days are whole numbers, negative before
//! day 0; a blank STOP_DATE is a point; everything after EVENT_TYPE is a free attribute.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::map::ImportMap;
use super::problems::Problems;
use super::table::{self, Table};
use crate::diagnostics::Diagnostics;

/// One extra cell of a row (after EVENT_TYPE), non-empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Attr {
    /// The column name, upper case.
    pub name: String,
    /// The value as written (trimmed).
    pub value: String,
    /// 1-based column number.
    pub col: usize,
}

/// Where a row came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    /// Index into the import's source file names.
    pub file: usize,
    /// 1-based line.
    pub line: usize,
}

/// A checked timeline row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineRow {
    /// Where it came from.
    pub origin: Origin,
    /// PATIENT_ID.
    pub patient: String,
    /// START_DATE, days after day 0.
    pub start: i64,
    /// STOP_DATE, when given.
    pub stop: Option<i64>,
    /// 1-based column of STOP_DATE (or START_DATE in the legacy layout), for messages.
    pub stop_col: usize,
    /// EVENT_TYPE as written (trimmed, inner spaces collapsed).
    pub event_type: String,
    /// EVENT_TYPE normalised for matching: upper case, `_` as a space, spaces collapsed.
    pub key: String,
    /// The non-empty attributes, in column order.
    pub attrs: Vec<Attr>,
}

impl TimelineRow {
    /// The first non-empty value of the named columns (names upper case), in the order given.
    pub fn first_of<'a>(&'a self, names: &[String]) -> Option<&'a Attr> {
        names
            .iter()
            .find_map(|n| self.attrs.iter().find(|a| a.name == *n))
    }
}

/// Normalises an EVENT_TYPE (or a map key) for matching: upper case, `_` as a space,
/// spaces collapsed. `Lab_test`, `LAB TEST` and ` lab  test ` are one type.
pub fn type_key(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '_')
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Values that mean "no value" in real files: dropped like an empty cell.
pub fn is_na(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    matches!(
        v.as_str(),
        "" | "na"
            | "n/a"
            | "nan"
            | "null"
            | "none"
            | "[not available]"
            | "[not applicable]"
            | "[unknown]"
            | "[not evaluated]"
            | "[discrepancy]"
    )
}

/// What a study folder holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StudyFiles {
    /// Timeline data files, sorted by name.
    pub timelines: Vec<PathBuf>,
    /// `data_clinical_patient.txt` (or the file a PATIENT_ATTRIBUTES meta file names).
    pub clinical: Option<PathBuf>,
}

/// Reads a meta file's `key: value` lines.
pub fn read_meta(path: &Path, name: &str, problems: &mut Problems) -> HashMap<String, String> {
    let mut d = Diagnostics::new(name);
    let text = table::read_text(path, &mut d).unwrap_or_default();
    problems.extend(d.into_sorted(), None);
    table::lines(&text)
        .filter_map(|(_, l)| {
            let (k, v) = l.split_once(':')?;
            Some((k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        })
        .collect()
}

/// True for a file name a timeline data file is given by custom (`data_timeline*.txt`,
/// `data_clinical_timeline*.txt`, cBioPortal's exporter's name).
pub fn is_timeline_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    (n.starts_with("data_timeline") || n.starts_with("data_clinical_timeline"))
        && (n.ends_with(".txt") || n.ends_with(".tsv"))
}

/// True when a folder looks like a cBioPortal study with timeline data.
pub fn is_study_folder(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.filter_map(|e| e.ok()).any(|e| {
        let n = e.file_name().to_string_lossy().to_ascii_lowercase();
        is_timeline_name(&n) || (n.starts_with("meta_") && n.contains("timeline"))
    })
}

/// Finds a study's timeline files: those the meta files name (`datatype: TIMELINE`), then
/// any `data_timeline*.txt` no meta file names. A meta file naming a missing file is a
/// warning (cBioPortal's own test study has one).
pub fn find_study(dir: &Path, problems: &mut Problems) -> StudyFiles {
    let mut names: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(e) => e.filter_map(|e| e.ok()).map(|e| e.path()).collect(),
        Err(e) => {
            problems.error(
                &dir.display().to_string(),
                0,
                0,
                None,
                format!("cannot read the folder: {e}"),
            );
            return StudyFiles::default();
        }
    };
    names.sort();
    let mut out = StudyFiles::default();
    for meta in names.iter().filter(|p| {
        p.is_file()
            && p.file_name().is_some_and(|n| {
                n.to_string_lossy()
                    .to_ascii_lowercase()
                    .starts_with("meta_")
            })
    }) {
        let shown = meta.display().to_string();
        let m = read_meta(meta, &shown, problems);
        let datatype = m.get("datatype").map(|s| s.to_ascii_uppercase());
        let Some(file) = m.get("data_filename") else {
            continue;
        };
        let data = dir.join(file);
        match datatype.as_deref() {
            Some("TIMELINE") => {
                if data.is_file() {
                    if !out.timelines.contains(&data) {
                        out.timelines.push(data);
                    }
                } else {
                    problems.warning(
                        &shown,
                        0,
                        0,
                        None,
                        format!(
                            "names the data file {file}, which is not in the folder; \
                             it is skipped (add the file or remove this meta file)"
                        ),
                    );
                }
            }
            Some("PATIENT_ATTRIBUTES") if data.is_file() => out.clinical = Some(data),
            _ => {}
        }
    }
    for p in &names {
        let Some(n) = p.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        if p.is_file() && is_timeline_name(&n) && !out.timelines.contains(p) {
            out.timelines.push(p.clone());
        }
        if out.clinical.is_none() && n.eq_ignore_ascii_case("data_clinical_patient.txt") {
            out.clinical = Some(p.clone());
        }
    }
    out.timelines.sort();
    out
}

/// The column layout of a timeline file.
struct Layout {
    start: usize,
    stop: Option<usize>,
    event_type: usize,
    first_attr: usize,
}

fn layout_of(t: &Table, file: &str, problems: &mut Problems) -> Option<Layout> {
    let h: Vec<String> = t.header.iter().map(|s| s.to_ascii_uppercase()).collect();
    let is = |i: usize, n: &str| h.get(i).is_some_and(|x| x == n);
    if is(0, "PATIENT_ID") && is(1, "START_DATE") && is(2, "STOP_DATE") && is(3, "EVENT_TYPE") {
        return Some(Layout {
            start: 1,
            stop: Some(2),
            event_type: 3,
            first_attr: 4,
        });
    }
    if is(0, "PATIENT_ID") && is(1, "START_DATE") && is(2, "EVENT_TYPE") {
        return Some(Layout {
            start: 1,
            stop: None,
            event_type: 2,
            first_attr: 3,
        });
    }
    let expected = ["PATIENT_ID", "START_DATE", "STOP_DATE", "EVENT_TYPE"];
    let col = (0..4).find(|&i| !is(i, expected[i])).unwrap_or(0);
    let found = t
        .header
        .get(col)
        .map_or("nothing".to_owned(), |s| format!("\"{s}\""));
    let hint = match t
        .header
        .iter()
        .position(|x| x.eq_ignore_ascii_case(expected[col]))
    {
        Some(at) => format!(" ({} is column {}; move it)", expected[col], at + 1),
        None => String::new(),
    };
    problems.error(
        file,
        t.header_line,
        col + 1,
        None,
        format!(
            "a cBioPortal timeline file starts with the columns PATIENT_ID, START_DATE, \
             STOP_DATE, EVENT_TYPE (or the older PATIENT_ID, START_DATE, EVENT_TYPE); \
             column {} should be {}, found {found}{hint}",
            col + 1,
            expected[col]
        ),
    );
    None
}

/// Parses a day cell: an optional `-` then digits.
fn parse_day(cell: &str) -> Option<i64> {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 9 {
        return None;
    }
    cell.parse().ok()
}

/// What to write instead of a cell that is not a day.
fn day_hint(cell: &str) -> String {
    if let Ok(v) = cell.parse::<f64>()
        && v.is_finite()
    {
        return format!("; write whole days such as {}", v.round() as i64);
    }
    if crate::time::parse_date_text(cell).is_ok() {
        return "; cBioPortal counts days from day 0 (diagnosis), not calendar dates: \
                write the number of days after day 0, or use txline's spreadsheet template, \
                which takes dates"
            .to_owned();
    }
    "; write whole days after day 0 such as 120 (negative before day 0)".to_owned()
}

/// Reads one timeline file into checked rows. Every problem goes to `problems`, each at its
/// cell; a row with an error is left out (its patient's timeline is then not drawn).
pub fn read_timeline(
    path: &Path,
    file: &str,
    file_index: usize,
    map: &ImportMap,
    problems: &mut Problems,
) -> Vec<TimelineRow> {
    let mut d = Diagnostics::new(file);
    let table = table::read_text(path, &mut d).and_then(|t| table::parse_tsv(&t, '\t', &mut d));
    problems.extend(d.into_sorted(), None);
    let Some(t) = table else {
        return Vec::new();
    };
    let Some(lay) = layout_of(&t, file, problems) else {
        return Vec::new();
    };
    let names: Vec<String> = t.header.iter().map(|s| s.to_ascii_uppercase()).collect();
    let mut out = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let c = &row.cells;
        let line = row.line;
        let patient = c[0].as_str();
        if patient.is_empty() || is_na(patient) {
            problems.error(
                file,
                line,
                1,
                None,
                "PATIENT_ID is empty; write the patient's id (the same as in data_clinical_patient.txt)",
            );
            continue;
        }
        let pid = Some(patient);
        let mut ok = true;
        let mut day = |col: usize, what: &str, required: bool, problems: &mut Problems| {
            let cell = c[col].as_str();
            if cell.is_empty() && !required {
                return None;
            }
            match parse_day(cell) {
                Some(v) if v < map.earliest_day || v > map.latest_day => {
                    ok = false;
                    problems.error(
                        file,
                        line,
                        col + 1,
                        pid,
                        format!(
                            "{what} {v} is {:.0} years from day 0, outside the plausible range \
                             {} to {} days (set earliest_day / latest_day in a --map file if it \
                             is right); check the value",
                            v.abs() as f64 / 365.25,
                            map.earliest_day,
                            map.latest_day
                        ),
                    );
                    None
                }
                Some(v) => Some(v),
                None => {
                    ok = false;
                    let found = if cell.is_empty() {
                        "is empty".to_owned()
                    } else {
                        format!("is \"{cell}\", not a whole number of days")
                    };
                    let blank = if required {
                        ""
                    } else {
                        "; leave it empty for an event at one time"
                    };
                    problems.error(
                        file,
                        line,
                        col + 1,
                        pid,
                        format!("{what} {found}{}{blank}", day_hint(cell)),
                    );
                    None
                }
            }
        };
        let start = day(lay.start, "START_DATE", true, problems);
        let stop = lay.stop.and_then(|s| day(s, "STOP_DATE", false, problems));
        let raw_type = c[lay.event_type]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if raw_type.is_empty() {
            ok = false;
            problems.error(
                file,
                line,
                lay.event_type + 1,
                pid,
                "EVENT_TYPE is empty; write what happened, e.g. TREATMENT, SURGERY, STATUS, \
                 LAB_TEST, IMAGING, SPECIMEN",
            );
        }
        let (Some(start), true) = (start, ok) else {
            continue;
        };
        if let (Some(s), Some(col)) = (stop, lay.stop)
            && s < start
        {
            problems.error(
                file,
                line,
                col + 1,
                pid,
                format!(
                    "STOP_DATE {s} is before START_DATE {start}; swap them or correct the day \
                     (leave STOP_DATE empty for an event at one time)"
                ),
            );
            continue;
        }
        let attrs = (lay.first_attr..c.len())
            .filter(|&i| !is_na(&c[i]))
            .map(|i| Attr {
                name: names[i].clone(),
                value: c[i].clone(),
                col: i + 1,
            })
            .collect();
        out.push(TimelineRow {
            origin: Origin {
                file: file_index,
                line,
            },
            patient: patient.to_owned(),
            start,
            stop,
            stop_col: lay.stop.unwrap_or(lay.start) + 1,
            key: type_key(&raw_type),
            event_type: raw_type,
            attrs,
        });
    }
    out
}

/// Removes exact duplicate rows (same patient, days, type and attributes), keeping the
/// first, with a warning at each copy.
pub fn drop_duplicates(rows: &mut Vec<TimelineRow>, files: &[String], problems: &mut Problems) {
    type Key = (String, i64, Option<i64>, String, Vec<(String, String)>);
    let mut seen: HashMap<Key, Origin> = HashMap::with_capacity(rows.len());
    rows.retain(|r| {
        let key = (
            r.patient.clone(),
            r.start,
            r.stop,
            r.key.clone(),
            r.attrs
                .iter()
                .map(|a| (a.name.clone(), a.value.clone()))
                .collect(),
        );
        match seen.get(&key) {
            Some(first) => {
                let at = if first.file == r.origin.file {
                    format!("line {}", first.line)
                } else {
                    format!("{}:{}", files[first.file], first.line)
                };
                problems.warning(
                    &files[r.origin.file],
                    r.origin.line,
                    1,
                    Some(&r.patient),
                    format!("this row repeats {at} exactly; it is kept once"),
                );
                false
            }
            None => {
                seen.insert(key, r.origin);
                true
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_keys() {
        assert_eq!(type_key(" Lab_test "), "LAB TEST");
        assert_eq!(type_key("PATHOLOGY  SLIDES"), "PATHOLOGY SLIDES");
        assert_eq!(type_key("Treatment"), "TREATMENT");
    }

    #[test]
    fn days() {
        assert_eq!(parse_day("-10"), Some(-10));
        assert_eq!(parse_day("0"), Some(0));
        assert_eq!(parse_day("NA"), None);
        assert_eq!(parse_day("12.5"), None);
        assert_eq!(parse_day("+3"), None);
        assert_eq!(parse_day("-"), None);
        assert_eq!(parse_day("99999999999999999999"), None);
        assert!(day_hint("12.0").contains("such as 12"));
        assert!(day_hint("2021-03-04").contains("not calendar dates"));
    }
}

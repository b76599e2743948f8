//! One row of the spreadsheet template → one entry of a patient's timeline, every cell
//! checked and reported at its place (`cases.xlsx:Cases!D14`, `cases.csv:14:4`).

use super::problems::Problems;
use super::sheet::{COLUMNS, Cell, Sheet, one_of, place};
use super::write::quote;
use crate::model::{DiseaseState, EventKind, ResponseResult, Therapy};

/// The template's column indexes.
const ITEM: usize = 1;
const KIND: usize = 2;
const LABEL: usize = 3;
const START: usize = 4;
const END: usize = 5;
const VALUE: usize = 6;
const UNIT: usize = 7;
const DETAIL: usize = 8;

/// The values of `item`.
pub const ITEMS: [&str; 7] = [
    "Patient",
    "Phase",
    "Status",
    "Response",
    "Event",
    "Interval",
    "Measurement",
];

/// The patient fields a `Patient` row may set.
pub const PATIENT_FIELDS: [&str; 8] = [
    "label",
    "sex",
    "age",
    "diagnosis",
    "stage",
    "group",
    "day_zero",
    "data_cutoff",
];

/// The lists of a timeline file, in the order written.
pub const LISTS: [&str; 5] = ["phases", "statuses", "responses", "events", "intervals"];

/// What one row gives.
pub enum Entry {
    /// A patient field (or `day_zero` / `data_cutoff`) and its RON value, with the sheet
    /// column of the value.
    Field(String, String, usize),
    /// An item of `LISTS[list]`, as RON text.
    Item(usize, String),
    /// A measurement point: name, unit, `(time, value)`.
    Point(String, Option<String>, String),
}

/// One data row with what it needs to report its problems.
pub struct RowCtx<'a> {
    /// The file as named in messages.
    pub file: &'a str,
    /// The sheet.
    pub sheet: &'a Sheet,
    /// 1-based row number.
    pub row: usize,
    /// The row's cells.
    pub cells: &'a [Cell],
    /// Where each template column is (`None`: missing).
    pub cols: &'a [Option<usize>],
    /// The patient id.
    pub pid: &'a str,
}

impl RowCtx<'_> {
    fn get(&self, i: usize) -> Cell {
        self.cols[i]
            .and_then(|c| self.cells.get(c))
            .cloned()
            .unwrap_or(Cell::Empty)
    }

    fn text(&self, i: usize) -> Option<String> {
        self.get(i).text()
    }

    fn err(&self, i: usize, msg: impl Into<String>, problems: &mut Problems) {
        let (f, l, c) = place(self.file, self.sheet, self.row, self.cols[i].unwrap_or(0));
        problems.error(&f, l, c, Some(self.pid), msg);
    }

    /// A time cell as RON (`"2021-03-15"`, `120`, `"ongoing"` for an end); `None` when
    /// empty or wrong (then reported).
    fn time(&self, i: usize, end: bool, problems: &mut Problems) -> Option<String> {
        let r = match self.get(i) {
            Cell::Empty => return None,
            Cell::Date(d) => Ok(quote(&d)),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e9 => {
                crate::time::check_days(n as i64)
                    .map(|_| format!("{}", n as i64))
                    .map_err(|e| e.0)
            }
            Cell::Number(n) => Err(format!(
                "{n} is not a whole number of days; write whole days such as {}",
                n.round()
            )),
            Cell::Text(t) => match t.parse::<i64>() {
                Ok(d) => crate::time::check_days(d)
                    .map(|_| d.to_string())
                    .map_err(|e| e.0),
                Err(_) => match crate::time::parse_time_text(&t) {
                    Ok(crate::time::TimeValue::Ongoing) if !end => {
                        Err("\"ongoing\" can only be an end".to_owned())
                    }
                    Ok(_) => Ok(quote(&t)),
                    Err(e) => Err(e.0),
                },
            },
        };
        r.map_err(|m| self.err(i, format!("{}: {m}", COLUMNS[i]), problems))
            .ok()
    }

    /// The `kind` cell as one of `names`; reported when empty or unknown.
    fn kind(&self, names: &[&str], what: &str, problems: &mut Problems) -> Option<String> {
        match self.text(KIND) {
            Some(k) => one_of(&k, names, what)
                .map_err(|m| self.err(KIND, m, problems))
                .ok(),
            None => {
                self.err(
                    KIND,
                    format!("kind is empty; write the {what}: {}", names.join(", ")),
                    problems,
                );
                None
            }
        }
    }

    /// A number cell; reported when not a finite number.
    fn number(&self, i: usize, what: &str, problems: &mut Problems) -> Option<f64> {
        let v = match self.get(i) {
            Cell::Number(n) => Some(n),
            Cell::Text(t) => t.parse::<f64>().ok(),
            _ => None,
        }
        .filter(|v| v.is_finite());
        if v.is_none() {
            self.err(i, what.to_owned(), problems);
        }
        v
    }

    /// What the row gives; `None` when a cell has an error (reported).
    pub fn entry(&self, problems: &mut Problems) -> Option<Entry> {
        let before = problems.error_count();
        let item = match one_of(&self.text(ITEM).unwrap_or_default(), &ITEMS, "item") {
            Ok(i) => i,
            Err(m) => {
                self.err(ITEM, m, problems);
                return None;
            }
        };
        if item == "Patient" {
            return self.patient_field(problems);
        }
        let label = self.text(LABEL).map(|l| quote(&l));
        let start = self.time(START, false, problems);
        let end = self.time(END, true, problems);
        if start.is_none() && problems.error_count() == before {
            self.err(
                START,
                "start is empty; write a time such as 2021-03-15, 2021-03, 2021 or 120",
                problems,
            );
        }
        let mut parts: Vec<String> = Vec::new();
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                parts.push(format!("{k}: {v}"));
            }
        };
        let detail = self.text(DETAIL).map(|d| quote(&d));
        let list = match item.as_str() {
            "Phase" => {
                let names: Vec<&str> = Therapy::ALL.iter().map(|t| t.name()).collect();
                put("therapy", self.kind(&names, "therapy", problems));
                put("name", label);
                put("start", start);
                put("end", end);
                put("detail", detail);
                0
            }
            "Status" => {
                let names: Vec<&str> = DiseaseState::ALL.iter().map(|t| t.name()).collect();
                put("state", self.kind(&names, "state", problems));
                put("label", label);
                put("start", start);
                put("end", end);
                1
            }
            "Response" => {
                let names: Vec<&str> = ResponseResult::ALL.iter().map(|t| t.name()).collect();
                put("at", start);
                put("result", self.kind(&names, "result", problems));
                put("method", label);
                let recist = detail
                    .as_ref()
                    .is_some_and(|d| d.to_lowercase().contains("recist"));
                put(if recist { "criteria" } else { "note" }, detail);
                2
            }
            "Event" => {
                let names: Vec<&str> = EventKind::ALL.iter().map(|t| t.name()).collect();
                put("at", start);
                put("kind", self.kind(&names, "event kind", problems));
                put("label", label);
                if self.get(VALUE) != Cell::Empty {
                    let g = self
                        .number(VALUE, "value (grade) is not a CTCAE grade 1–5", problems)
                        .filter(|g| g.fract() == 0.0 && (1.0..=5.0).contains(g));
                    if g.is_none() && problems.error_count() == before {
                        self.err(VALUE, "value (grade) is not a CTCAE grade 1–5", problems);
                    }
                    put("grade", g.map(|g| format!("{}", g as u8)));
                }
                put("note", detail);
                3
            }
            "Interval" => {
                if label.is_none() {
                    self.err(
                        LABEL,
                        "label is empty; write the interval's name such as PFS",
                        problems,
                    );
                }
                if end.is_none() && problems.error_count() == before {
                    self.err(
                        END,
                        "end is empty; an interval needs an end (a time, or ongoing)",
                        problems,
                    );
                }
                put("label", label);
                put("start", start);
                put("end", end);
                4
            }
            _ => {
                let name = self.text(LABEL);
                if name.is_none() {
                    self.err(
                        LABEL,
                        "label is empty; write the measurement's name such as CEA",
                        problems,
                    );
                }
                let v = self.number(
                    VALUE,
                    "value is not a number; write the measured value such as 12.5",
                    problems,
                );
                if problems.error_count() > before {
                    return None;
                }
                let (name, v, start) = (name?, v?, start?);
                return Some(Entry::Point(
                    name,
                    self.text(UNIT),
                    format!("({start}, {v:?})"),
                ));
            }
        };
        if problems.error_count() > before {
            return None;
        }
        Some(Entry::Item(list, format!("({})", parts.join(", "))))
    }

    fn patient_field(&self, problems: &mut Problems) -> Option<Entry> {
        let f = self.kind(&PATIENT_FIELDS, "patient field", problems)?;
        let vcol = self.cols[VALUE].unwrap_or(0);
        let v = match f.as_str() {
            "age" => match self.get(VALUE) {
                Cell::Number(n) if n.fract() == 0.0 && (0.0..150.0).contains(&n) => {
                    Some(format!("{}", n as u32))
                }
                Cell::Text(t) if t.parse::<u32>().is_ok_and(|a| a < 150) => Some(t),
                c => {
                    let shown = c.text().unwrap_or_default();
                    self.err(
                        VALUE,
                        format!("age \"{shown}\" is not a whole number of years such as 52"),
                        problems,
                    );
                    None
                }
            },
            "day_zero" | "data_cutoff" => self.time(VALUE, false, problems),
            _ => self.text(VALUE).map(|t| quote(&t)),
        }?;
        Some(Entry::Field(f, v, vcol))
    }
}

//! txline's spreadsheet template (CSV, TSV or XLSX): one row per item, a patient column,
//! times in any of the format's four ways (or real Excel date cells). Each patient's rows
//! become a format-1 file; every problem is reported at its cell (`cases.xlsx:Sheet1!D14`
//! for a workbook, `cases.csv:14:4` for text), including those the timeline validator
//! finds in the file written from them.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use super::PatientFile;
use super::problems::Problems;
use super::sheet_row::{Entry, LISTS, RowCtx};
use super::table::column_letter;
use super::write::quote;

/// The template's columns, in order.
pub const COLUMNS: [&str; 9] = [
    "patient", "item", "kind", "label", "start", "end", "value", "unit", "detail",
];

/// What each column holds (the template's help sheet and `docs/import.md`).
pub const COLUMN_HELP: [&str; 9] = [
    "patient id (one file per patient)",
    "Patient, Phase, Status, Response, Event, Interval or Measurement",
    "therapy (Phase), state (Status), result (Response), kind (Event); for Patient the field: label, sex, age, diagnosis, stage, group, day_zero, data_cutoff",
    "name of the phase, label of the event/status/interval, name of the measurement, method of a response",
    "start or time: a day 2021-03-15, a month 2021-03, a year 2021, whole days after day 0 (120), or an Excel date",
    "end (Phase, Status, Interval): a time as for start, or ongoing; empty: one day",
    "Patient: the field's value; Measurement: the number; Event: CTCAE grade 1-5",
    "Measurement: unit",
    "detail (Phase), note (Event, Response), criteria (Response: RECIST 1.1)",
];

/// Largest spreadsheet read, in bytes (64 MiB).
pub const MAX_SHEET_BYTES: u64 = 64 * 1024 * 1024;

/// One cell's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text (trimmed).
    Text(String),
    /// A number cell.
    Number(f64),
    /// A date cell, `YYYY-MM-DD`.
    Date(String),
}

impl Cell {
    /// The cell as text (numbers without a needless `.0`).
    pub fn text(&self) -> Option<String> {
        match self {
            Cell::Empty => None,
            Cell::Text(t) => Some(t.clone()),
            Cell::Number(n) => Some(if n.fract() == 0.0 && n.abs() < 1e15 {
                format!("{}", *n as i64)
            } else {
                format!("{n}")
            }),
            Cell::Date(d) => Some(d.clone()),
        }
    }
}

/// A sheet: its name (None for CSV/TSV) and rows of cells with their 1-based row numbers.
pub struct Sheet {
    /// Sheet name (workbooks).
    pub name: Option<String>,
    /// Rows: (1-based row number, cells).
    pub rows: Vec<(usize, Vec<Cell>)>,
}

/// True for a file the spreadsheet reader takes.
pub fn is_sheet(path: &Path) -> bool {
    let e = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    matches!(e.as_str(), "csv" | "xlsx" | "xlsm" | "xls" | "ods")
        || (e == "tsv" && first_line(path).is_some_and(|l| l.starts_with("patient\t")))
}

fn first_line(path: &Path) -> Option<String> {
    let mut head = [0u8; 256];
    let n = std::io::Read::read(&mut std::fs::File::open(path).ok()?, &mut head).ok()?;
    let s = String::from_utf8_lossy(&head[..n])
        .trim_start_matches('\u{feff}')
        .to_lowercase();
    s.lines().next().map(str::to_owned)
}

/// Reads the sheets of a workbook or a CSV/TSV file.
pub fn read(path: &Path, file: &str, problems: &mut Problems) -> Vec<Sheet> {
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if len > MAX_SHEET_BYTES {
        problems.error(
            file,
            0,
            0,
            None,
            format!("the file is larger than {} MiB", MAX_SHEET_BYTES >> 20),
        );
        return Vec::new();
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext == "csv" || ext == "tsv" {
        return read_delimited(path, file, problems).into_iter().collect();
    }
    use calamine::Reader;
    let mut wb = match calamine::open_workbook_auto(path) {
        Ok(wb) => wb,
        Err(e) => {
            problems.error(
                file,
                0,
                0,
                None,
                format!("cannot read the workbook: {e}; save it as .xlsx (or .csv) and try again"),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                problems.error(
                    file,
                    0,
                    0,
                    None,
                    format!("cannot read the sheet {name}: {e}"),
                );
                continue;
            }
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, row)| {
                let mut cells = vec![Cell::Empty; c0 as usize];
                cells.extend(row.iter().map(cell_of));
                (r0 as usize + i + 1, cells)
            })
            .collect();
        out.push(Sheet {
            name: Some(name),
            rows,
        });
    }
    out
}

fn cell_of(d: &calamine::Data) -> Cell {
    use calamine::Data;
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.trim().to_owned()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Cell::Date(format!("{y:04}-{m:02}-{d:02}"))
        }
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => Cell::Text(s.get(..10).unwrap_or(s).to_owned()),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

fn read_delimited(path: &Path, file: &str, problems: &mut Problems) -> Option<Sheet> {
    let mut d = crate::diagnostics::Diagnostics::new(file);
    let text = super::table::read_text(path, &mut d);
    problems.extend(d.into_sorted(), None);
    let text = text?;
    let head = text.lines().next().unwrap_or("");
    let sep = [b'\t', b';', b',']
        .into_iter()
        .max_by_key(|s| head.bytes().filter(|b| b == s).count())?;
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in rdr.records() {
        match rec {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line() as usize);
                let cells = r
                    .iter()
                    .map(|c| {
                        let c = c.trim();
                        if c.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(c.to_owned())
                        }
                    })
                    .collect();
                rows.push((line, cells));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.error(
                    file,
                    line,
                    1,
                    None,
                    format!("cannot read this line: {e}; check its quotes"),
                );
            }
        }
    }
    Some(Sheet { name: None, rows })
}

/// Where a cell is, as messages name it.
pub(super) fn place(file: &str, sheet: &Sheet, row: usize, col: usize) -> (String, usize, usize) {
    match &sheet.name {
        Some(n) => (format!("{file}:{n}!{}{row}", column_letter(col + 1)), 0, 0),
        None => (file.to_owned(), row, col + 1),
    }
}

/// A canonical name among `names` (case-insensitive), or an error listing them.
pub(super) fn one_of(value: &str, names: &[&str], what: &str) -> Result<String, String> {
    if let Some(n) = names.iter().find(|n| n.eq_ignore_ascii_case(value.trim())) {
        return Ok((*n).to_owned());
    }
    let v = value.trim().to_lowercase();
    let near = names
        .iter()
        .filter(|n| v.len() >= 3 && n.to_lowercase().starts_with(&v))
        .min_by_key(|n| n.len())
        .or_else(|| {
            names
                .iter()
                .min_by_key(|n| strsim::damerau_levenshtein(&n.to_lowercase(), &v))
                .filter(|n| strsim::damerau_levenshtein(&n.to_lowercase(), &v) <= 3)
        })
        .map(|n| format!("; did you mean {n}?"))
        .unwrap_or_default();
    Err(format!(
        "unknown {what} \"{value}\"; write one of {}{near}",
        names.join(", ")
    ))
}

/// Per patient: the patient fields and the lines of each list, each with its sheet row.
#[derive(Default)]
struct Patient {
    /// (field, RON value, row, column).
    fields: Vec<(String, String, usize, usize)>,
    /// Per list: (RON text, row).
    lists: [Vec<(String, usize)>; 5],
    /// Measurement points: name, unit, `(time, value)`, row.
    points: Vec<(String, Option<String>, String, usize)>,
    rows: Vec<usize>,
}

/// Imports a spreadsheet in txline's template.
pub fn import_sheet(path: &Path, file: &str, problems: &mut Problems) -> Vec<PatientFile> {
    let mut out = Vec::new();
    for sheet in read(path, file, problems) {
        out.extend(import_one(&sheet, file, problems));
    }
    out
}

fn import_one(sheet: &Sheet, file: &str, problems: &mut Problems) -> Vec<PatientFile> {
    let Some(hi) = sheet
        .rows
        .iter()
        .position(|(_, c)| c.iter().any(|c| *c != Cell::Empty))
    else {
        return Vec::new();
    };
    let (hrow, head) = &sheet.rows[hi];
    let names: Vec<String> = head
        .iter()
        .map(|c| c.text().unwrap_or_default().to_lowercase())
        .collect();
    let col = |n: &str| names.iter().position(|x| x == n);
    let Some(pcol) = col("patient") else {
        if sheet.name.is_some() && names.iter().any(|n| n == "column") {
            return Vec::new(); // the template's help sheet
        }
        let (f, l, c) = place(file, sheet, *hrow, 0);
        let m = format!(
            "the first row names the columns: {}; the patient column is missing",
            COLUMNS.join(", ")
        );
        problems.error(&f, l, c, None, m);
        return Vec::new();
    };
    let cols: Vec<Option<usize>> = COLUMNS.iter().map(|n| col(n)).collect();
    let mut order: Vec<String> = Vec::new();
    let mut patients: HashMap<String, Patient> = HashMap::new();
    for (row, cells) in &sheet.rows[hi + 1..] {
        if cells.iter().all(|c| *c == Cell::Empty) {
            continue;
        }
        let Some(id) = cells.get(pcol).and_then(Cell::text) else {
            let (f, l, c) = place(file, sheet, *row, pcol);
            let m = "the patient column is empty; write the patient's id";
            problems.error(&f, l, c, None, m);
            continue;
        };
        let ctx = RowCtx {
            file,
            sheet,
            row: *row,
            cells,
            cols: &cols,
            pid: &id,
        };
        let entry = ctx.entry(problems);
        let p = patients.entry(id.clone()).or_insert_with(|| {
            order.push(id.clone());
            Patient::default()
        });
        p.rows.push(*row);
        match entry {
            Some(Entry::Field(f, v, c)) => p.fields.push((f, v, *row, c)),
            Some(Entry::Item(list, text)) => p.lists[list].push((text, *row)),
            Some(Entry::Point(name, unit, point)) => p.points.push((name, unit, point, *row)),
            None => {}
        }
    }
    order
        .iter()
        .map(|id| {
            let p = &patients[id];
            let text = (!problems.patient_has_errors(id))
                .then(|| write_patient(id, p, file, sheet))
                .and_then(|(t, lines)| check(id, t, &lines, file, sheet, &cols, problems));
            PatientFile {
                id: id.clone(),
                text,
                checked: true,
            }
        })
        .collect()
}

/// The RON text of one patient, and for each line the sheet row it came from.
fn write_patient(
    id: &str,
    p: &Patient,
    file: &str,
    sheet: &Sheet,
) -> (String, Vec<Option<(usize, usize)>>) {
    let mut s = String::new();
    let mut lines: Vec<Option<(usize, usize)>> = Vec::new();
    let mut push = |s: &mut String, text: &str, origin: Option<(usize, usize)>| {
        s.push_str(text);
        s.push('\n');
        lines.push(origin);
    };
    let where_ = sheet
        .name
        .as_ref()
        .map_or(file.to_owned(), |n| format!("{file}, sheet {n}"));
    let mut rows = p.rows.clone();
    rows.sort();
    push(
        &mut s,
        &format!(
            "// Patient {id} imported by txline from the spreadsheet {where_}: rows {}.",
            super::write::ranges(&rows)
        ),
        None,
    );
    push(&mut s, "Timeline(", None);
    push(&mut s, "    format: 1,", None);
    let mut patient = format!("    patient: (id: {}", quote(id));
    for (f, v, _, _) in p
        .fields
        .iter()
        .filter(|f| !matches!(f.0.as_str(), "day_zero" | "data_cutoff"))
    {
        let _ = write!(patient, ", {f}: {v}");
    }
    patient.push_str("),");
    push(&mut s, &patient, p.fields.first().map(|f| (f.2, f.3)));
    for (f, v, row, col) in p
        .fields
        .iter()
        .filter(|f| matches!(f.0.as_str(), "day_zero" | "data_cutoff"))
    {
        push(&mut s, &format!("    {f}: {v},"), Some((*row, *col)));
    }
    for (i, list) in p.lists.iter().enumerate() {
        if list.is_empty() {
            continue;
        }
        push(&mut s, &format!("    {}: [", LISTS[i]), None);
        for l in list {
            push(
                &mut s,
                &format!("        {},", l.0),
                Some((l.1, usize::MAX)),
            );
        }
        push(&mut s, "    ],", None);
    }
    if !p.points.is_empty() {
        push(&mut s, "    measurements: [", None);
        let mut names: Vec<&str> = Vec::new();
        for (n, ..) in &p.points {
            if !names.contains(&n.as_str()) {
                names.push(n);
            }
        }
        for n in names {
            let pts: Vec<_> = p.points.iter().filter(|q| q.0 == n).collect();
            let mut line = format!("        (name: {}", quote(n));
            if let Some(u) = pts.iter().find_map(|q| q.1.as_ref()) {
                let _ = write!(line, ", unit: {}", quote(u));
            }
            let points: Vec<&str> = pts.iter().map(|q| q.2.as_str()).collect();
            let _ = write!(line, ", points: [{}]),", points.join(", "));
            push(&mut s, &line, Some((pts[0].3, usize::MAX)));
        }
        push(&mut s, "    ],", None);
    }
    push(&mut s, ")", None);
    (s, lines)
}

/// Loads the written text; its problems are reported at the sheet cells they came from.
fn check(
    id: &str,
    text: String,
    lines: &[Option<(usize, usize)>],
    file: &str,
    sheet: &Sheet,
    cols: &[Option<usize>],
    problems: &mut Problems,
) -> Option<String> {
    let (diags, ok) = match crate::load::load_str(&text, file, None) {
        Ok(l) => (l.warnings, true),
        Err(e) => (e.diagnostics, false),
    };
    for d in diags {
        let origin = d
            .line
            .checked_sub(1)
            .and_then(|i| lines.get(i).copied().flatten());
        let field = d
            .path
            .as_deref()
            .and_then(|p| p.rsplit('.').next())
            .unwrap_or("");
        let field = field.split('[').next().unwrap_or("");
        let ci = match field {
            "therapy" | "state" | "result" | "kind" => 2,
            "name" | "label" | "method" => 3,
            "start" | "at" | "day_zero" | "data_cutoff" => 4,
            "end" => 5,
            "grade" | "points" | "age" => 6,
            "unit" => 7,
            "detail" | "note" | "criteria" => 8,
            _ => 0,
        };
        let (f, l, c) = match origin {
            Some((row, usize::MAX)) => place(file, sheet, row, cols[ci].unwrap_or(0)),
            Some((row, col)) => place(file, sheet, row, col),
            None => (file.to_owned(), 0, 0),
        };
        // The file's value path means nothing in a spreadsheet; the cell says where.
        let msg = match &d.path {
            Some(p) => d
                .message
                .strip_prefix(&format!("{p}: "))
                .unwrap_or(&d.message)
                .to_owned(),
            None => d.message.clone(),
        };
        problems.push(d.severity, &f, l, c, Some(id), msg);
    }
    (ok && !problems.patient_has_errors(id)).then_some(text)
}

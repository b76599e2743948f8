//! The spreadsheet template `txline template csv|xlsx FILE` writes: the columns of
//! [`super::sheet::COLUMNS`] and example rows for every kind of item, for a clinician to
//! fill in (in Excel: the XLSX has real date cells and a Help sheet).

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use super::sheet::{COLUMN_HELP, COLUMNS};

/// Example rows: one of every kind of item, two patients.
pub const EXAMPLE_ROWS: [[&str; 9]; 21] = [
    ["P1", "Patient", "label", "", "", "", "Patient 1", "", ""],
    ["P1", "Patient", "sex", "", "", "", "F", "", ""],
    ["P1", "Patient", "age", "", "", "", "52", "", ""],
    [
        "P1",
        "Patient",
        "diagnosis",
        "",
        "",
        "",
        "Cervical squamous cell carcinoma",
        "",
        "",
    ],
    [
        "P1",
        "Patient",
        "stage",
        "",
        "",
        "",
        "FIGO 2018 IIIC1r",
        "",
        "",
    ],
    ["P1", "Patient", "group", "", "", "", "Arm B", "", ""],
    [
        "P1",
        "Patient",
        "day_zero",
        "",
        "",
        "",
        "2019-05-10",
        "",
        "",
    ],
    [
        "P1",
        "Patient",
        "data_cutoff",
        "",
        "",
        "",
        "2022-03-01",
        "",
        "",
    ],
    [
        "P1",
        "Event",
        "Diagnosis",
        "Diagnosis",
        "2019-05-10",
        "",
        "",
        "",
        "biopsy",
    ],
    [
        "P1",
        "Phase",
        "Chemoradiotherapy",
        "CCRT",
        "2019-05-20",
        "2019-07-05",
        "",
        "",
        "EBRT 50.4 Gy/28 fx + cisplatin 40 mg/m² weekly",
    ],
    [
        "P1",
        "Status",
        "Metastatic",
        "Neck lymph node metastasis",
        "2020-10",
        "2021-02",
        "",
        "",
        "",
    ],
    [
        "P1",
        "Phase",
        "Immunotherapy",
        "Pembrolizumab",
        "2020-11-02",
        "ongoing",
        "",
        "",
        "",
    ],
    [
        "P1",
        "Response",
        "PR",
        "CT",
        "2021-03-02",
        "",
        "",
        "",
        "RECIST 1.1",
    ],
    [
        "P1",
        "Event",
        "AdverseEvent",
        "Hypothyroidism",
        "2021-04",
        "",
        "2",
        "",
        "",
    ],
    [
        "P1",
        "Interval",
        "",
        "PFS",
        "2020-11-02",
        "ongoing",
        "",
        "",
        "",
    ],
    [
        "P1",
        "Measurement",
        "",
        "SCC-Ag",
        "2020-10-20",
        "",
        "14.2",
        "ng/mL",
        "",
    ],
    [
        "P1",
        "Measurement",
        "",
        "SCC-Ag",
        "2021-01-15",
        "",
        "1.1",
        "ng/mL",
        "",
    ],
    [
        "P2",
        "Phase",
        "Surgery",
        "Resection",
        "0",
        "",
        "",
        "",
        "days after day 0 (no calendar dates)",
    ],
    [
        "P2",
        "Phase",
        "Chemotherapy",
        "Carboplatin + paclitaxel",
        "30",
        "156",
        "",
        "",
        "",
    ],
    ["P2", "Event", "Progression", "", "300", "", "", "", ""],
    ["P2", "Event", "Death", "", "540", "", "", "", ""],
];

/// The template as CSV (comma-separated, quoted where needed, UTF-8).
pub fn csv() -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(COLUMNS);
    for r in EXAMPLE_ROWS {
        let _ = w.write_record(r);
    }
    w.into_inner().unwrap_or_default()
}

/// A date-shaped text as an Excel date.
fn excel_date(text: &str) -> Option<ExcelDateTime> {
    if text.len() != 10 {
        return None;
    }
    let (d, crate::model::Precision::Day) = crate::time::parse_date_text(text).ok()? else {
        return None;
    };
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).ok()
}

/// The template as an XLSX workbook: a "Cases" sheet (dates as real date cells, whole
/// days and numbers as numbers) and a "Help" sheet describing the columns.
pub fn xlsx() -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    ws.set_name("Cases")?;
    for (c, name) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *name, &bold)?;
        let width = match *name {
            "detail" => 48,
            "label" | "value" => 30,
            "kind" => 18,
            _ => 12,
        };
        ws.set_column_width(c as u16, width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (r, row) in EXAMPLE_ROWS.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            if v.is_empty() {
                continue;
            }
            if let Some(d) = excel_date(v) {
                ws.write_date_with_format(r, c, &d, &date)?;
            } else if let Ok(n) = v.parse::<f64>() {
                ws.write_number(r, c, n)?;
            } else {
                ws.write_string(r, c, *v)?;
            }
        }
    }
    let help = wb.add_worksheet();
    help.set_name("Help")?;
    help.write_string_with_format(0, 0, "column", &bold)?;
    help.write_string_with_format(0, 1, "what it holds", &bold)?;
    help.set_column_width(0, 12)?;
    help.set_column_width(1, 120)?;
    for (i, (c, h)) in COLUMNS.iter().zip(COLUMN_HELP).enumerate() {
        help.write_string(i as u32 + 1, 0, *c)?;
        help.write_string(i as u32 + 1, 1, h)?;
    }
    wb.save_to_buffer()
}

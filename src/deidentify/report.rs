//! The de-identification report: every replacement made, field by field, so a person can
//! review what leaves the clinic. The CLI writes it with `--deidentify-report FILE`; the
//! viewer's export dialog shows its count and saves it.
//!
//! The report necessarily holds the originals (the names, dates and numbers removed), so
//! it identifies the patient: its header says so, and it is only ever written to the
//! local disk, never into a figure.
//!
//! Each line reads `FILE:LINE:COL: FIELD: "original" → "replacement"`, where FILE:LINE:COL
//! is where the field's value is written in the timeline file (the start of the element
//! when the field is not written and took its default) and FIELD is its path
//! (`events[3].note`). Quotes are Rust string escapes, so a line break in a field shows as
//! `\n` and every line of the report is one replacement.

use std::fmt::Write as _;

use super::scrub::Change;
use crate::details::count;
use crate::diagnostics::Diagnostics;
use crate::parse::{self, Path, Pos};

/// The replacements in one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChanges {
    /// Where the field is (`phases[2].detail`).
    pub path: Path,
    /// What was replaced in it, in text order.
    pub changes: Vec<Change>,
}

/// Every replacement made in one timeline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Fields with at least one replacement, in file order.
    pub fields: Vec<FieldChanges>,
}

/// The first lines of every report.
pub const HEADER: &str = "\
# txline de-identification report
# THIS FILE CONTAINS THE ORIGINAL TEXT that de-identification removed (names, dates,
# identifiers): it identifies the patient. Keep it on this computer with the patient's
# record; never send it with the figure.
# Each line: FILE:LINE:COL: FIELD: \"original\" → \"replacement\"
";

/// The viewer's button that shows the report in the export dialog.
pub const SHOW_REPORT: &str = "Show report";
/// The viewer's button that saves the report.
pub const SAVE_REPORT: &str = "Save report…";
/// The file name the viewer offers for the report.
pub const REPORT_FILE_NAME: &str = "deidentification-report.txt";
/// Said beside the count: what the report is for and what it holds.
pub const REVIEW_HINT: &str = "Review every replacement before sharing the figure. \
The report lists each one with its place in the file; it holds the original text, so keep \
it on this computer.";

impl Report {
    /// Records the changes of one field (nothing when there are none).
    pub fn add(&mut self, path: Path, changes: Vec<Change>) {
        if !changes.is_empty() {
            self.fields.push(FieldChanges { path, changes });
        }
    }

    /// How many replacements.
    pub fn replacements(&self) -> usize {
        self.fields.iter().map(|f| f.changes.len()).sum()
    }

    /// The count in words: "12 replacements in 7 fields".
    pub fn summary(&self) -> String {
        let (r, f) = (self.replacements(), self.fields.len());
        format!("{} in {}", count(r, "replacement"), count(f, "field"))
    }

    /// The count as the viewer and the CLI show it: "De-identification: 12 replacements
    /// in 7 fields".
    pub fn headline(&self) -> String {
        format!("De-identification: {}", self.summary())
    }

    /// The report's lines for timeline `file`, positions found in `source` (the file's
    /// text; `None` writes 0:0). Starts with a `# FILE: summary` line.
    pub fn section(&self, file: &str, source: Option<&str>) -> String {
        let mut diags = Diagnostics::new(file);
        let parsed = source.and_then(|s| parse::parse(s, &mut diags));
        let mut out = String::new();
        let _ = writeln!(out, "# {file}: {}", self.summary());
        let mut placed: Vec<(Pos, &FieldChanges)> = self
            .fields
            .iter()
            .map(|f| {
                let pos = parsed
                    .as_ref()
                    .map_or(Pos::default(), |p| p.map.locate(&f.path));
                (pos, f)
            })
            .collect();
        placed.sort_by_key(|(pos, _)| *pos);
        for (pos, f) in placed {
            for c in &f.changes {
                let _ = writeln!(
                    out,
                    "{file}:{}:{}: {}: {:?} → {:?}",
                    pos.line, pos.column, f.path, c.original, c.replacement
                );
            }
        }
        out
    }

    /// A whole report for one file: [`HEADER`] and [`Report::section`].
    pub fn to_text(&self, file: &str, source: Option<&str>) -> String {
        format!("{HEADER}{}", self.section(file, source))
    }
}

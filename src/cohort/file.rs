//! `cohort.ron`: a cohort saved as a file — its title, its patient inputs (relative to the
//! file's folder) and the options — so it can be exported again the same way
//! (`docs/cohort.md`, "The cohort file"). Options given on the command line win over the
//! file's.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Align, CohortOptions, GroupBy, SortBy};

/// The largest cohort file read (it lists inputs, it does not hold patients).
pub const MAX_COHORT_FILE_BYTES: u64 = 1 << 20;

/// A cohort file as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename = "Cohort", deny_unknown_fields)]
pub struct CohortFile {
    /// The format version: 1.
    pub format: u32,
    /// The figures' title.
    #[serde(default)]
    pub title: Option<String>,
    /// Timeline files, folders, studies or spreadsheets, relative to the cohort file.
    pub patients: Vec<String>,
    /// `"day0"`, `"first-therapy"` or a phase name.
    #[serde(default)]
    pub align: Option<String>,
    /// Grouping attribute.
    #[serde(default)]
    pub group_by: Option<FileGroupBy>,
    /// Lane order.
    #[serde(default)]
    pub sort: Option<FileSort>,
    /// Measurement of the waterfall and spider.
    #[serde(default)]
    pub measure: Option<String>,
    /// Reference lines, months from time zero.
    #[serde(default)]
    pub ref_months: Vec<f64>,
    /// De-identify (ids `P001`…).
    #[serde(default)]
    pub deidentify: bool,
    /// Swimmer bars coloured by `Therapy` (default) or `Line`.
    #[serde(default)]
    pub color_by: Option<FileColorBy>,
}

/// `color_by` values in a cohort file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[allow(missing_docs)]
pub enum FileColorBy {
    Therapy,
    Line,
}

/// `group_by` values in a cohort file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[allow(missing_docs)]
pub enum FileGroupBy {
    Group,
    Sex,
    Diagnosis,
    Stage,
}

/// `sort` values in a cohort file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[allow(missing_docs)]
pub enum FileSort {
    Duration,
    Group,
    Id,
    Input,
}

impl From<FileGroupBy> for GroupBy {
    fn from(g: FileGroupBy) -> GroupBy {
        match g {
            FileGroupBy::Group => GroupBy::Group,
            FileGroupBy::Sex => GroupBy::Sex,
            FileGroupBy::Diagnosis => GroupBy::Diagnosis,
            FileGroupBy::Stage => GroupBy::Stage,
        }
    }
}

impl From<FileSort> for SortBy {
    fn from(s: FileSort) -> SortBy {
        match s {
            FileSort::Duration => SortBy::Duration,
            FileSort::Group => SortBy::Group,
            FileSort::Id => SortBy::Id,
            FileSort::Input => SortBy::Input,
        }
    }
}

/// Whether `text` is a cohort file: its first word, after white space and `//` comments,
/// is `Cohort`.
pub fn is_cohort_text(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with("//"))
        .is_some_and(|l| l.starts_with("Cohort"))
}

/// Reads a `.ron` path when it is a cohort file: `None` when it is not one (a timeline,
/// a folder, anything else), `Some(Err)` with `FILE:LINE:COL: error: …` when it is one
/// that does not parse.
pub fn read(path: &Path) -> Option<Result<CohortFile, String>> {
    let is_ron = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"));
    let meta = std::fs::metadata(path).ok()?;
    if !is_ron || !meta.is_file() || meta.len() > MAX_COHORT_FILE_BYTES {
        return None;
    }
    let (file, _) = crate::load::open_regular(path).ok()?;
    let text = std::io::read_to_string(file).ok()?;
    if !is_cohort_text(&text) {
        return None;
    }
    Some(parse(&text, &path.display().to_string()))
}

/// Parses cohort-file text; `name` names it in messages.
pub fn parse(text: &str, name: &str) -> Result<CohortFile, String> {
    let f: CohortFile = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
        .map_err(|e| {
            format!(
                "{name}:{}:{}: error: {} (a cohort file is described in docs/cohort.md, \
                 \"The cohort file\")",
                e.span.start.line, e.span.start.col, e.code
            )
        })?;
    if f.format != 1 {
        return Err(format!(
            "{name}: error: cohort file format {} is not known; write format: 1",
            f.format
        ));
    }
    if f.patients.is_empty() {
        return Err(format!(
            "{name}: error: the cohort file lists no patients; write patients: [\"cases/\"]"
        ));
    }
    if let Some(m) = f.ref_months.iter().find(|m| !m.is_finite() || **m < 0.0) {
        return Err(format!(
            "{name}: error: ref_months holds {m}; write months from time zero, e.g. [6, 12]"
        ));
    }
    Ok(f)
}

impl CohortFile {
    /// The inputs, resolved against the cohort file's folder.
    pub fn inputs(&self, cohort_path: &Path) -> Vec<PathBuf> {
        let base = cohort_path.parent().unwrap_or(Path::new(""));
        self.patients.iter().map(|p| base.join(p)).collect()
    }

    /// The file's options (defaults where it says nothing).
    pub fn options(&self) -> CohortOptions {
        CohortOptions {
            title: self.title.clone(),
            align: self.align.as_deref().map(Align::parse).unwrap_or_default(),
            group_by: self.group_by.map(GroupBy::from),
            sort: self.sort.map(SortBy::from).unwrap_or_default(),
            measure: self.measure.clone(),
            ref_months: self.ref_months.clone(),
            deidentify: self.deidentify,
            color_by_line: self.color_by == Some(FileColorBy::Line),
        }
    }
}

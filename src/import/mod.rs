//! Import: cBioPortal timeline studies (and single timeline files) → one format-1
//! timeline per patient.
//!
//! ```text
//! study/ ──► cbioportal (find files, read rows, check every cell) ──► mapping (rows → Draft)
//!        ──► clinical (sex, age, survival, group; anchor dates) ──► write (Draft → .ron text)
//! ```
//!
//! The text written is the one path in: `txline import` saves it, and `check`, `export`
//! and the viewer load it with [`crate::load::load_str`] when given a study directly, so a
//! study exported directly and its imported files give the same figures. Problems point at
//! their cell (`FILE:LINE:COL`, COL the cell's column number), all found in one pass; a
//! patient with an error in one of its rows is not written, the others are.

pub mod cbioportal;
pub mod clinical;
pub mod draft;
pub mod map;
pub mod mapping;
pub mod problems;
pub mod sheet;
pub mod sheet_row;
pub mod table;
pub mod template;
pub mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Severity};
use crate::load::{LoadError, Loaded};
pub use map::ImportMap;
pub use problems::{Problem, Problems};

/// What an import needs besides its inputs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The mapping (default, or read from `--map`).
    pub map: ImportMap,
    /// A PATIENT_ID → DATE file giving each patient's day 0 as a calendar date.
    pub anchor_dates: Option<PathBuf>,
}

/// One patient's imported timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct PatientFile {
    /// PATIENT_ID.
    pub id: String,
    /// The format-1 file's text; `None` when one of the patient's rows has an error.
    pub text: Option<String>,
    /// True when the import's problems already hold what loading the text reports (its
    /// warnings placed at the spreadsheet cells they came from).
    pub checked: bool,
}

/// The result of an import.
#[derive(Debug, Clone, Default)]
pub struct Import {
    /// One entry per patient, in order of first appearance.
    pub patients: Vec<PatientFile>,
    /// Every problem found.
    pub problems: Problems,
}

/// True for a path `import` reads: a folder with cBioPortal timeline files, or a
/// `.txt`/`.tsv` file whose first line starts with `PATIENT_ID` (or a meta file).
pub fn is_import_input(path: &Path) -> bool {
    if path.is_dir() {
        // A study, or a folder of spreadsheets (and no timeline files).
        let files: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|e| e.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        let ron = files
            .iter()
            .any(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron")));
        return cbioportal::is_study_folder(path)
            || (!ron && files.iter().any(|p| p.is_file() && sheet::is_sheet(p)));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if sheet::is_sheet(path) {
        return true;
    }
    if !(name.ends_with(".txt") || name.ends_with(".tsv")) {
        return false;
    }
    if name.starts_with("meta_") || cbioportal::is_timeline_name(&name) {
        return true;
    }
    let mut head = [0u8; 64];
    let n = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    let head = String::from_utf8_lossy(&head[..n]);
    let head = head.trim_start_matches('\u{feff}');
    head.to_ascii_uppercase().starts_with("PATIENT_ID\t") || table::is_lfs_pointer(head)
}

/// The files an import reads, found from its inputs.
#[derive(Debug, Default)]
struct Plan {
    sheets: Vec<PathBuf>,
    timelines: Vec<PathBuf>,
    clinical: Option<PathBuf>,
}

fn plan(inputs: &[PathBuf], problems: &mut Problems) -> Plan {
    let mut plan = Plan::default();
    for input in inputs {
        let shown = input.display().to_string();
        if input.is_dir() && !cbioportal::is_study_folder(input) {
            let mut sheets: Vec<PathBuf> = std::fs::read_dir(input)
                .map(|e| {
                    e.filter_map(|e| e.ok())
                        .map(|e| e.path())
                        .filter(|p| sheet::is_sheet(p))
                        .collect()
                })
                .unwrap_or_default();
            if !sheets.is_empty() {
                sheets.sort();
                plan.sheets.extend(sheets);
                continue;
            }
        }
        if input.is_dir() {
            let s = cbioportal::find_study(input, problems);
            if s.timelines.is_empty() {
                problems.error(
                    &shown,
                    0,
                    0,
                    None,
                    "the folder has no cBioPortal timeline files (meta files with \
                     datatype: TIMELINE, or data_timeline*.txt); name a study folder or a \
                     timeline file",
                );
            }
            plan.timelines.extend(s.timelines);
            plan.clinical = plan.clinical.or(s.clinical);
            continue;
        }
        let name = input
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if sheet::is_sheet(input) {
            plan.sheets.push(input.clone());
        } else if name.starts_with("meta_") {
            let m = cbioportal::read_meta(input, &shown, problems);
            match m.get("data_filename") {
                Some(f) => {
                    let dir = input.parent().unwrap_or(Path::new("."));
                    plan.timelines.push(dir.join(f));
                }
                None => problems.error(
                    &shown,
                    0,
                    0,
                    None,
                    "this meta file has no data_filename line; name the data file instead",
                ),
            }
        } else if name == "data_clinical_patient.txt" {
            plan.clinical = Some(input.clone());
        } else {
            plan.timelines.push(input.clone());
        }
    }
    plan
}

/// Imports cBioPortal inputs (study folders, timeline files, meta files, a clinical patient
/// file): one timeline per patient, every problem found.
pub fn import(inputs: &[PathBuf], opts: &Options) -> Import {
    let mut problems = Problems::default();
    let plan = plan(inputs, &mut problems);
    let mut files: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for path in &plan.timelines {
        let shown = path.display().to_string();
        files.push(shown.clone());
        rows.extend(cbioportal::read_timeline(
            path,
            &shown,
            files.len() - 1,
            &opts.map,
            &mut problems,
        ));
    }
    cbioportal::drop_duplicates(&mut rows, &files, &mut problems);
    let mut drafts = mapping::build(&rows, &opts.map, &files, &mut problems);
    if let Some(c) = &plan.clinical {
        let shown = c.display().to_string();
        files.push(shown.clone());
        let clinical =
            clinical::read_clinical(c, &shown, files.len() - 1, &opts.map, &mut problems);
        let first = files.first().cloned().unwrap_or_default();
        clinical::apply(&mut drafts, &clinical, &files, &first, &mut problems);
    }
    let anchors: HashMap<String, String> = match &opts.anchor_dates {
        Some(p) => clinical::read_anchor_dates(p, &p.display().to_string(), &mut problems),
        None => HashMap::new(),
    };
    for d in &mut drafts {
        d.day_zero = anchors.get(&d.id).cloned();
    }
    if !anchors.is_empty() {
        for d in drafts.iter().filter(|d| d.day_zero.is_none()) {
            problems.warning(
                &opts
                    .anchor_dates
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                0,
                0,
                Some(&d.id),
                format!(
                    "patient {} has no DATE in the anchor-dates file; its axis shows days only",
                    d.id
                ),
            );
        }
    }
    let what = if plan.timelines.len() == 1 {
        "a cBioPortal timeline file"
    } else {
        "a cBioPortal study"
    };
    let mut patients: Vec<PatientFile> = drafts
        .iter()
        .map(|d| PatientFile {
            id: d.id.clone(),
            text: (!problems.patient_has_errors(&d.id))
                .then(|| write::write_ron(d, &files, what, &opts.map.day_zero_is)),
            checked: false,
        })
        .collect();
    // A patient whose every row has an error has no draft, but is still a patient that
    // was not written.
    for p in problems.sorted() {
        if let (Some(id), Severity::Error) = (p.patient, p.diagnostic.severity)
            && !patients.iter().any(|q| q.id == id)
        {
            patients.push(PatientFile {
                id,
                text: None,
                checked: false,
            });
        }
    }
    for s in &plan.sheets {
        patients.extend(sheet::import_sheet(
            s,
            &s.display().to_string(),
            &mut problems,
        ));
    }
    Import { patients, problems }
}

/// One thing to check or draw: a timeline file, or one patient of an imported input.
#[derive(Debug, Clone)]
pub struct Opened {
    /// The file, or `INPUT (patient ID)` for an imported patient (names it in messages).
    pub name: PathBuf,
    /// The imported patient, loaded; `None` for a timeline file (load it with
    /// [`crate::load::load_file`]).
    pub imported: Option<Result<Loaded, LoadError>>,
}

impl Opened {
    /// Loads the timeline (an imported one was loaded already).
    pub fn load(&self) -> Result<Loaded, LoadError> {
        match &self.imported {
            Some(r) => r.clone(),
            None => crate::load::load_file(&self.name),
        }
    }
}

/// Turns command-line inputs into the timelines they hold: a `.ron` file as itself, a
/// folder of `.ron` files as its files (sorted), a cBioPortal study folder or timeline file
/// as one timeline per patient (loaded from the text `txline import` would write). The
/// import's problems go with the patients they concern; problems of a whole file go with
/// the first patient, or fail the input when they are errors. `Err`: a folder with nothing
/// to open.
pub fn open_inputs(inputs: &[PathBuf], opts: &Options) -> Result<Vec<Opened>, String> {
    let mut out = Vec::new();
    for input in inputs {
        if is_import_input(input) {
            out.extend(open_import(input, opts));
        } else if input.is_dir() {
            let entries = std::fs::read_dir(input)
                .map_err(|e| format!("cannot read the folder {}: {e}", input.display()))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && p.extension()
                            .and_then(|e| e.to_str())
                            .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
                })
                .collect();
            if found.is_empty() {
                return Err(format!(
                    "the folder {} has no .ron files and no cBioPortal timeline files; name \
                     timeline files or a folder holding them",
                    input.display()
                ));
            }
            found.sort();
            out.extend(found.into_iter().map(|name| Opened {
                name,
                imported: None,
            }));
        } else {
            out.push(Opened {
                name: input.clone(),
                imported: None,
            });
        }
    }
    Ok(out)
}

/// One input imported and each patient loaded.
fn open_import(input: &Path, opts: &Options) -> Vec<Opened> {
    let imp = import(&[input.to_path_buf()], opts);
    let sorted = imp.problems.sorted();
    let diags = |pred: &dyn Fn(&Problem) -> bool| -> Vec<Diagnostic> {
        sorted
            .iter()
            .filter(|p| pred(p))
            .map(|p| p.diagnostic.clone())
            .collect()
    };
    if imp.problems.has_study_errors() || imp.patients.is_empty() {
        let mut d = diags(&|_| true);
        if !d.iter().any(|d| d.severity == Severity::Error) {
            // Header-only files (templates) are valid: a warning, nothing to draw.
            d.push(Diagnostic {
                severity: Severity::Warning,
                file: input.display().to_string(),
                line: 0,
                column: 0,
                path: None,
                message: "the timeline files have no rows (only headers); there is nothing to draw"
                    .to_owned(),
            });
        }
        return vec![Opened {
            name: input.to_path_buf(),
            imported: Some(Err(LoadError { diagnostics: d })),
        }];
    }
    imp.patients
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let name = PathBuf::from(format!("{} (patient {})", input.display(), p.id));
            let mut own = diags(&|q| {
                q.patient.as_deref() == Some(p.id.as_str()) || (i == 0 && q.patient.is_none())
            });
            let result = match &p.text {
                Some(text) => {
                    match crate::load::load_str(text, &name.display().to_string(), None) {
                        Ok(mut l) => {
                            if p.checked {
                                l.warnings.clear();
                            }
                            own.append(&mut l.warnings);
                            l.warnings = own;
                            Ok(l)
                        }
                        Err(mut e) => {
                            own.append(&mut e.diagnostics);
                            Err(LoadError { diagnostics: own })
                        }
                    }
                }
                None => Err(LoadError { diagnostics: own }),
            };
            Opened {
                name,
                imported: Some(result),
            }
        })
        .collect()
}

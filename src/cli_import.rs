//! `txline import`: cBioPortal studies and timeline files → one format-1 `.ron` file per
//! patient. (The command line's edge: prints, writes files; the work is in
//! [`crate::import`].)

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::cli::{EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::Severity;
use crate::import::{self, ImportMap, Options};

/// `txline import`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  txline import lgg_ucsf_2014/ --out-dir cases/
  txline import data_timeline_treatment.txt data_timeline_status.txt --out-dir cases/
  txline import study/ --out-dir cases/ --map study-map.ron --anchor-dates dates.tsv --force
See docs/import.md for the mapping and the map file.")]
pub struct ImportArgs {
    /// cBioPortal study folders, timeline files (data_timeline*.txt), meta files, or
    /// data_clinical_patient.txt; all inputs form one study.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Folder for the timeline files, one `ID.ron` per patient (created when missing).
    #[arg(long, value_name = "DIR", required = true)]
    pub out_dir: PathBuf,
    /// Replace files that already exist in DIR.
    #[arg(long)]
    pub force: bool,
    /// A map file (RON) overriding the default mapping (docs/import.md).
    #[arg(long, value_name = "MAP.ron")]
    pub map: Option<PathBuf>,
    /// A file of PATIENT_ID and DATE columns: the calendar date of each patient's day 0.
    #[arg(long, value_name = "FILE")]
    pub anchor_dates: Option<PathBuf>,
}

/// File names for patient ids: safe stems, `-2`, `-3` ... for ids that clash ignoring case.
pub fn file_names(ids: &[&str], dir: &Path) -> Vec<PathBuf> {
    let mut taken: HashSet<String> = HashSet::new();
    ids.iter()
        .map(|id| {
            let mut stem = crate::export::safe_stem(id);
            if !stem.chars().any(char::is_alphanumeric) {
                stem = "patient".to_owned();
            }
            let mut name = stem.clone();
            let mut n = 1;
            while !taken.insert(name.to_lowercase()) {
                n += 1;
                name = format!("{stem}-{n}");
            }
            dir.join(format!("{name}.ron"))
        })
        .collect()
}

/// Runs `txline import`; returns the exit code.
pub fn run(args: &ImportArgs) -> u8 {
    for i in &args.inputs {
        if !i.exists() {
            eprintln!("txline: error: {} does not exist", i.display());
            return EXIT_USAGE;
        }
    }
    let map = match &args.map {
        Some(p) => match ImportMap::from_file(p) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("{e}");
                return EXIT_INVALID;
            }
        },
        None => ImportMap::default(),
    };
    let opts = Options {
        map,
        anchor_dates: args.anchor_dates.clone(),
    };
    let imp = import::import(&args.inputs, &opts);
    for p in imp.problems.sorted() {
        eprintln!("{}", p.diagnostic);
    }
    if imp.problems.has_study_errors() {
        eprintln!("txline: error: nothing was written; fix the errors above and import again");
        return EXIT_INVALID;
    }
    if imp.patients.is_empty() {
        eprintln!(
            "txline: warning: the timeline files have no rows (only headers); nothing was written"
        );
        return EXIT_OK;
    }
    if let Err(e) = std::fs::create_dir_all(&args.out_dir) {
        eprintln!(
            "txline: error: cannot create the folder {}: {e}",
            args.out_dir.display()
        );
        return EXIT_INVALID;
    }
    let ids: Vec<&str> = imp.patients.iter().map(|p| p.id.as_str()).collect();
    let names = file_names(&ids, &args.out_dir);
    if !args.force {
        let existing: Vec<String> = imp
            .patients
            .iter()
            .zip(&names)
            .filter(|(p, n)| p.text.is_some() && n.exists())
            .map(|(_, n)| n.display().to_string())
            .collect();
        if !existing.is_empty() {
            eprintln!(
                "txline: error: {} already exist{}: {}; nothing was written (give --force to \
                 replace them, or choose another --out-dir)",
                if existing.len() == 1 {
                    "a file"
                } else {
                    "files"
                },
                if existing.len() == 1 { "s" } else { "" },
                existing.join(", ")
            );
            return EXIT_INVALID;
        }
    }
    let (mut written, mut failed) = (0usize, 0usize);
    for (p, out) in imp.patients.iter().zip(&names) {
        let Some(text) = &p.text else {
            eprintln!(
                "txline: error: patient {}: not written (see the errors above)",
                p.id
            );
            failed += 1;
            continue;
        };
        // The text is ours; it must load. If it does not, that is a bug, said as one.
        if let Err(e) = crate::load::load_str(text, &out.display().to_string(), None)
            && e.diagnostics.iter().any(|d| d.severity == Severity::Error)
        {
            eprintln!(
                "{e}\ntxline: error: internal error: the timeline written for patient {} does \
                 not load; this is a bug in txline, please report it",
                p.id
            );
            failed += 1;
            continue;
        }
        match crate::export::write_atomic(out, text.as_bytes(), &args.inputs) {
            Ok(()) => written += 1,
            Err(e) => {
                eprintln!("txline: error: {e}");
                failed += 1;
            }
        }
    }
    let warnings = imp
        .problems
        .sorted()
        .iter()
        .filter(|p| p.diagnostic.severity == Severity::Warning)
        .count();
    eprintln!(
        "imported {} into {} ({failed} not written, {})",
        crate::details::count(written, "patient"),
        args.out_dir.display(),
        crate::details::count(warnings, "warning")
    );
    if failed > 0 { EXIT_INVALID } else { EXIT_OK }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_and_unique() {
        let n = file_names(&["P1", "p1", "../x", "???"], Path::new("d"));
        let n: Vec<String> = n.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(n, ["d/P1.ron", "d/p1-2.ron", "d/_x.ron", "d/patient.ron"]);
    }
}

/// `txline template` formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TemplateFormat {
    /// Comma-separated text (opens in any spreadsheet program).
    Csv,
    /// An Excel workbook with date cells and a Help sheet.
    Xlsx,
}

/// `txline template`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  txline template xlsx cases.xlsx     (fill it in, then: txline export cases.xlsx --out-dir figs/)
  txline template csv cases.csv")]
pub struct TemplateArgs {
    /// csv or xlsx.
    #[arg(value_enum)]
    pub format: TemplateFormat,
    /// The file to write.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Runs `txline template`; returns the exit code.
pub fn template(args: &TemplateArgs) -> u8 {
    if args.file.exists() && !args.force {
        eprintln!(
            "txline: error: {} already exists; give --force to replace it, or choose another name",
            args.file.display()
        );
        return EXIT_INVALID;
    }
    let bytes = match args.format {
        TemplateFormat::Csv => import::template::csv(),
        TemplateFormat::Xlsx => match import::template::xlsx() {
            Ok(b) => b,
            Err(e) => {
                eprintln!("txline: error: cannot write the workbook: {e}");
                return EXIT_INVALID;
            }
        },
    };
    match crate::export::write_atomic(&args.file, &bytes, &[]) {
        Ok(()) => {
            eprintln!(
                "wrote {}: one row per item; fill it in, then run txline check {} (docs/import.md)",
                args.file.display(),
                args.file.display()
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("txline: error: {e}");
            EXIT_INVALID
        }
    }
}

/// `--map` and `--anchor-dates` for `check` and `export` (cBioPortal inputs only).
#[derive(Debug, Args, Default)]
pub struct ImportOpts {
    /// For cBioPortal inputs: a map file (RON) overriding the default mapping (docs/import.md).
    #[arg(long, value_name = "MAP.ron")]
    pub map: Option<PathBuf>,
    /// For cBioPortal inputs: a file of PATIENT_ID and DATE columns (each patient's day 0).
    #[arg(long, value_name = "FILE")]
    pub anchor_dates: Option<PathBuf>,
}

impl ImportOpts {
    /// The import options; `Err`: the map file's message.
    pub fn options(&self) -> Result<Options, String> {
        let map = match &self.map {
            Some(p) => ImportMap::from_file(p)?,
            None => ImportMap::default(),
        };
        Ok(Options {
            map,
            anchor_dates: self.anchor_dates.clone(),
        })
    }
}

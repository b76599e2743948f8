//! `txline cohort swimmer|waterfall|spider INPUT... -o OUT`: one figure of many patients.
//!
//! Inputs are whatever `export` reads ([`crate::import::open_inputs`]: `.ron` files,
//! folders of them, cBioPortal studies, spreadsheets). Every file loads on its own: one that
//! does not load prints its diagnostics and a warning and is left out; the others are drawn.
//! The figure options (format, page, theme, background) are `export`'s ([`FigureArgs`]).
//! Exit codes as `export`: 0 drawn, 1 an input did not load (the figure is still written
//! from the others) or nothing could be drawn or written, 2 the command line is wrong.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::cli::{EXIT_INVALID, EXIT_OK, EXIT_USAGE, usage_error};
use crate::cli_figure::{FigureArgs, check_raster_size, output_format, page_of};
use crate::cohort::{Align, Cohort, CohortOptions, GroupBy, Input, SortBy};
use crate::diagnostics::Severity;
use crate::export;
use crate::layout::LayoutOptions;
use crate::layout::cohort::{CohortScene, spider, swimmer, waterfall};

/// `txline cohort`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  txline cohort swimmer cases/ -o swimmer.png --align first-therapy --ref-months 6,12
  txline cohort swimmer study/ -o swimmer.pdf --preset journal-2col --group-by group --sort group
  txline cohort waterfall cases/ -o waterfall.svg --measure \"Target lesion sum\"
  txline cohort spider cases/ -o spider.png --deidentify")]
pub struct CohortArgs {
    /// Which figure.
    #[arg(value_enum)]
    pub figure: FigureKind,
    /// Timeline files (.ron), folders of them, cBioPortal studies or spreadsheets; or one
    /// cohort file (`Cohort(...)`, docs/cohort.md) listing them with the options.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// The output file; its extension chooses the format.
    #[arg(short = 'o', long = "output", value_name = "OUT", required = true)]
    pub output: PathBuf,
    /// Format, page size, theme, background (as `export`).
    #[command(flatten)]
    pub figure_args: FigureArgs,
    /// The figure's title [default: the figure's name].
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Time zero of each patient: day0 (the file's day 0), first-therapy (the first phase's
    /// start), or the name of a phase (its first start).
    #[arg(long, value_name = "day0|first-therapy|NAME")]
    pub align: Option<String>,
    /// Colour lanes (a strip), bars and lines by this patient attribute.
    #[arg(long, value_enum, value_name = "ATTRIBUTE")]
    pub group_by: Option<GroupByArg>,
    /// Lane order: longest first, by group then longest, by id, or as given.
    #[arg(long, value_enum)]
    pub sort: Option<SortArg>,
    /// The measurement of the waterfall and spider plots [default: the one named like
    /// "target lesion sum" or "SLD"].
    #[arg(long, value_name = "NAME")]
    pub measure: Option<String>,
    /// Dashed reference lines at these months from time zero (swimmer), e.g. 6,12.
    #[arg(long, value_name = "MONTHS", value_delimiter = ',', value_parser = parse_months)]
    pub ref_months: Vec<f64>,
    /// Colour the swimmer's bars by therapy kind (default) or by line of therapy.
    #[arg(long, value_enum, value_name = "therapy|line")]
    pub color_by: Option<ColorByArg>,
    /// Remove dates, names and identifiers; patients become P001, P002… in input order.
    #[arg(long)]
    pub deidentify: bool,
    /// How cBioPortal inputs are read.
    #[command(flatten)]
    pub import: crate::cli_import::ImportOpts,
}

/// The cohort figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FigureKind {
    /// One lane per patient: therapies, responses, ongoing arrows, death.
    Swimmer,
    /// Best % change from baseline per patient, sorted.
    Waterfall,
    /// % change from baseline over time, one line per patient.
    Spider,
}

/// `--group-by` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupByArg {
    /// The patient's `group` (arm, cohort).
    Group,
    /// The patient's sex.
    Sex,
    /// The diagnosis.
    Diagnosis,
    /// The stage.
    Stage,
}

impl From<GroupByArg> for GroupBy {
    fn from(g: GroupByArg) -> GroupBy {
        match g {
            GroupByArg::Group => GroupBy::Group,
            GroupByArg::Sex => GroupBy::Sex,
            GroupByArg::Diagnosis => GroupBy::Diagnosis,
            GroupByArg::Stage => GroupBy::Stage,
        }
    }
}

/// `--color-by` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorByArg {
    /// The therapy kind (the theme's therapy colours).
    Therapy,
    /// The phase's line of therapy.
    Line,
}

/// `--sort` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// Longest lane first.
    Duration,
    /// By group, longest first within each.
    Group,
    /// By id (P2 before P10).
    Id,
    /// In the order given.
    Input,
}

impl From<SortArg> for SortBy {
    fn from(s: SortArg) -> SortBy {
        match s {
            SortArg::Duration => SortBy::Duration,
            SortArg::Group => SortBy::Group,
            SortArg::Id => SortBy::Id,
            SortArg::Input => SortBy::Input,
        }
    }
}

fn parse_months(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=1200.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "\"{s}\" is not a number of months from 0 to 1200; write e.g. --ref-months 6,12"
        )),
    }
}

/// Runs `txline cohort`; returns the exit code.
pub fn run(args: &CohortArgs) -> u8 {
    let (inputs, saved) = match cohort_file(&args.inputs) {
        Ok(Some((path, f))) => (f.inputs(&path), f.options()),
        Ok(None) => (args.inputs.clone(), CohortOptions::default()),
        Err(code) => return code,
    };
    let import = match args.import.options() {
        Ok(o) => o,
        Err(e) => return usage_error(e),
    };
    let opened = match crate::import::open_inputs(&inputs, &import) {
        Ok(f) => f,
        Err(e) => return usage_error(e),
    };
    let out = &args.output;
    let names: Vec<PathBuf> = opened.iter().map(|f| f.name.clone()).collect();
    let protected: Vec<PathBuf> = names
        .iter()
        .chain(&args.inputs)
        .chain(&inputs)
        .cloned()
        .collect();
    if export::atomic::would_overwrite(out, &protected) {
        return usage_error(format!(
            "{} is an input file and is never overwritten; choose another output name",
            out.display()
        ));
    }
    if out.is_dir() {
        return usage_error(format!(
            "{} is a folder; name the output file",
            out.display()
        ));
    }
    let format = match output_format(out, args.figure_args.format) {
        Ok(f) => f,
        Err(e) => return usage_error(e),
    };
    let page = page_of(&args.figure_args);
    if let Err(e) = check_raster_size(format, &page) {
        return usage_error(e);
    }
    let (inputs, failed) = load_all(&opened);
    // The command line wins over the cohort file.
    let options = CohortOptions {
        title: args.title.clone().or(saved.title),
        align: args.align.as_deref().map_or(saved.align, Align::parse),
        group_by: args.group_by.map(GroupBy::from).or(saved.group_by),
        sort: args.sort.map_or(saved.sort, SortBy::from),
        measure: args.measure.clone().or(saved.measure),
        ref_months: if args.ref_months.is_empty() {
            saved.ref_months
        } else {
            args.ref_months.clone()
        },
        deidentify: args.deidentify || saved.deidentify,
        color_by_line: args
            .color_by
            .map_or(saved.color_by_line, |c| c == ColorByArg::Line),
    };
    let cohort = Cohort::build(inputs, options);
    for e in &cohort.excluded {
        eprintln!(
            "txline: warning: {}: left out of the cohort: {}",
            e.name,
            first_line(&e.reason)
        );
    }
    if cohort.members.is_empty() {
        eprintln!("txline: error: no patient to draw: every input was left out (see above)");
        return EXIT_INVALID;
    }
    let layout = LayoutOptions {
        theme: args.figure_args.theme,
        transparent: args.figure_args.transparent,
        ..LayoutOptions::default()
    };
    let drawn = match args.figure {
        FigureKind::Swimmer => Ok(swimmer(&cohort, &layout, &page)),
        FigureKind::Waterfall => waterfall(&cohort, &layout, &page),
        FigureKind::Spider => spider(&cohort, &layout, &page),
    };
    let CohortScene {
        scene, not_shown, ..
    } = match drawn {
        Ok(s) => s,
        Err(e) => {
            eprintln!("txline: error: {e}");
            return EXIT_INVALID;
        }
    };
    for e in &not_shown {
        eprintln!(
            "txline: warning: {}: not evaluable, left out of the figure: {}",
            e.name, e.reason
        );
    }
    if let Some(m) = scene.left_out.message() {
        eprintln!("txline: warning: {}: {m}", out.display());
    }
    let written = export::encode(&scene, format)
        .and_then(|bytes| export::write_atomic(out, &bytes, &protected));
    match written {
        Err(e) => {
            eprintln!("txline: error: {}: {e}", out.display());
            if matches!(e, export::ExportError::WouldOverwriteInput(_)) {
                EXIT_USAGE
            } else {
                EXIT_INVALID
            }
        }
        Ok(()) if failed > 0 => EXIT_INVALID,
        Ok(()) => EXIT_OK,
    }
}

/// The cohort file among the inputs, if one is: `Err(exit code)` when it does not parse or
/// is not the only input.
fn cohort_file(
    inputs: &[PathBuf],
) -> Result<Option<(PathBuf, crate::cohort::file::CohortFile)>, u8> {
    for p in inputs {
        match crate::cohort::file::read(p) {
            None => continue,
            Some(Err(e)) => {
                eprintln!("{e}");
                return Err(EXIT_INVALID);
            }
            Some(Ok(_)) if inputs.len() > 1 => {
                return Err(usage_error(format!(
                    "{} is a cohort file: give it alone (it lists its patients), or list \
                     the patient files instead",
                    p.display()
                )));
            }
            Some(Ok(f)) => return Ok(Some((p.clone(), f))),
        }
    }
    Ok(None)
}

/// Loads every input, printing its diagnostics; a failed one becomes an `Err` input (left
/// out by the cohort with its first error). Returns the inputs and how many failed.
fn load_all(opened: &[crate::import::Opened]) -> (Vec<Input>, usize) {
    let mut failed = 0;
    let inputs = opened
        .iter()
        .map(|f| {
            let name = f.name.display().to_string();
            match f.load() {
                Ok(l) => {
                    for d in &l.warnings {
                        eprintln!("{d}");
                    }
                    (name, Ok(l.timeline))
                }
                Err(e) => {
                    failed += 1;
                    for d in &e.diagnostics {
                        eprintln!("{d}");
                    }
                    let errors = e
                        .diagnostics
                        .iter()
                        .filter(|d| d.severity == Severity::Error)
                        .count();
                    (
                        name,
                        Err(format!(
                            "it did not load ({} above)",
                            crate::details::count(errors, "error")
                        )),
                    )
                }
            }
        })
        .collect();
    (inputs, failed)
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

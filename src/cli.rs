//! The command line: `txline export`, `txline check`, and opening the viewer.
//!
//! ```text
//! txline export FILE... [-o OUT | --out-dir DIR] [--format png|svg|pdf|tiff]
//!               [--preset NAME | --width PX [--height PX] [--dpi DPI]]
//!               [--theme light|dark|print] [--axis dates|relative|both] [--transparent]
//!               [--deidentify [--pseudonym NAME] [--deidentify-report FILE]]
//!               [--compress-gaps] [-j N]
//! txline check FILE...
//! txline cohort swimmer|waterfall|spider INPUT... -o OUT [...]   (see crate::cli_cohort)
//! txline [FILE] [--screenshot OUT.png] [--window-size WxH]   (the viewer)
//! ```
//!
//! Exit codes: [`EXIT_OK`] (0) success, [`EXIT_INVALID`] (1) an input did not load or an
//! output could not be written, [`EXIT_USAGE`] (2) the command line itself is wrong.
//! Diagnostics go to stderr as `FILE:LINE:COL: error: MESSAGE`. Outputs are written
//! atomically (see [`crate::export::atomic`]) and never over an input file.

use std::ffi::OsString;
use std::io::Write as _;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

pub use crate::cli_figure::FigureArgs;
use crate::diagnostics::Severity;
use crate::import::Opened;
use crate::layout::AxisMode;

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: an input file is invalid (or an output could not be written).
pub const EXIT_INVALID: u8 = 1;
/// Exit code: the command line is wrong.
pub const EXIT_USAGE: u8 = 2;

/// txline: one patient's treatment history as a clear, correct timeline figure.
///
/// With no command, opens the viewer (on FILE when given).
#[derive(Debug, Parser)]
#[command(name = "txline", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do; none opens the viewer.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A timeline file (.ron) to open in the viewer.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Open the viewer, save a screenshot of its window to this PNG, and exit.
    #[arg(long, value_name = "OUT.png")]
    pub screenshot: Option<PathBuf>,
    /// The viewer window's size in points, e.g. 1366x768 (a laptop), 1024x768 (a projector).
    #[arg(long, value_name = "WxH", value_parser = parse_window_size)]
    pub window_size: Option<(u32, u32)>,
    /// With --screenshot: wait this many seconds (at most 60) before capturing, so a script
    /// can press keys or click first.
    #[arg(long, value_name = "SECS", requires = "screenshot", value_parser = parse_delay)]
    pub screenshot_delay: Option<f64>,
    /// Fonts after the bundled DejaVu Sans, for the viewer.
    #[command(flatten)]
    pub fonts: crate::cli_figure::FontArgs,
}

/// `1366x768` → (1366, 768); each side 200 to 10,000.
fn parse_window_size(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("\"{s}\" is not a window size; write WIDTHxHEIGHT, e.g. 1366x768");
    let (w, h) = s.split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let (w, h): (u32, u32) = (
        w.trim().parse().map_err(|_| bad())?,
        h.trim().parse().map_err(|_| bad())?,
    );
    if !(200..=10_000).contains(&w) || !(200..=10_000).contains(&h) {
        return Err(format!("{w}x{h}: each side must be 200 to 10000"));
    }
    Ok((w, h))
}

/// Seconds, 0 to 60.
fn parse_delay(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(d) if (0.0..=60.0).contains(&d) => Ok(d),
        _ => Err(format!(
            "\"{s}\" is not a delay; write seconds from 0 to 60, e.g. 2.5"
        )),
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Export timelines as figures (PNG, SVG, PDF, TIFF).
    Export(ExportArgs),
    /// Check timeline files and print every problem found.
    Check(CheckArgs),
    /// Import cBioPortal timeline studies as one timeline file per patient.
    Import(crate::cli_import::ImportArgs),
    /// Write the spreadsheet template (CSV or XLSX) with example rows for every kind.
    Template(crate::cli_import::TemplateArgs),
    /// Draw a cohort figure (swimmer, waterfall, spider) from many patients.
    Cohort(crate::cli_cohort::CohortArgs),
}

/// `txline export`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  txline export examples/patient1.ron -o patient1.png
  txline export examples/patient1.ron -o fig2.svg --preset journal-2col --theme print
  txline export --out-dir figures/ cases/            (every .ron file in cases/)")]
pub struct ExportArgs {
    /// Timeline files (.ron), or folders whose .ron files are all exported.
    #[arg(required = true, value_name = "FILE_OR_FOLDER")]
    pub inputs: Vec<PathBuf>,
    /// The output file (one input only); its extension chooses the format.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "OUT",
        conflicts_with = "out_dir"
    )]
    pub output: Option<PathBuf>,
    /// Folder for the outputs, one per input, named after the patient id (created when
    /// missing). Default when no -o: the current folder.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Format, page size, theme, background.
    #[command(flatten)]
    pub figure: FigureArgs,
    /// Time axis labels: calendar dates, time from day 0, or both.
    #[arg(long, value_enum, default_value_t = AxisMode::Both)]
    pub axis: AxisMode,
    /// Remove dates, names and identifiers before drawing (relative axis, pseudonym).
    #[arg(long)]
    pub deidentify: bool,
    /// The name shown instead of the patient's with --deidentify [default: Patient].
    #[arg(long, value_name = "NAME", requires = "deidentify")]
    pub pseudonym: Option<String>,
    /// With --deidentify: write every replacement made (FILE:LINE:COL, original,
    /// replacement) to this file for review. It holds the originals: keep it private.
    #[arg(long, value_name = "FILE", requires = "deidentify")]
    pub deidentify_report: Option<PathBuf>,
    /// Compress long quiet stretches of time into axis breaks.
    #[arg(long)]
    pub compress_gaps: bool,
    /// Files exported at once [default: the number of cores].
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<NonZeroUsize>,
    /// How cBioPortal inputs are read.
    #[command(flatten)]
    pub import: crate::cli_import::ImportOpts,
}

/// `txline check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Timeline files (.ron), or folders whose .ron files are all checked.
    #[arg(required = true, value_name = "FILE_OR_FOLDER")]
    pub inputs: Vec<PathBuf>,
    /// How cBioPortal inputs are read.
    #[command(flatten)]
    pub import: crate::cli_import::ImportOpts,
    /// The fonts the figure would use (which characters have no glyph depends on them).
    #[command(flatten)]
    pub fonts: crate::cli_figure::FontArgs,
}

/// The binary's entry point: parses `std::env::args` and runs.
pub fn main() -> ExitCode {
    ExitCode::from(run(std::env::args_os()))
}

/// Parses a command line (the first item is the program name) and runs it; returns the
/// exit code.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    run_cli(cli)
}

/// Runs a parsed command line; returns the exit code.
pub fn run_cli(cli: Cli) -> u8 {
    let fonts = match &cli.command {
        Some(Command::Export(a)) => Some(&a.figure.fonts),
        Some(Command::Cohort(a)) => Some(&a.figure_args.fonts),
        Some(Command::Check(a)) => Some(&a.fonts),
        Some(Command::Import(_) | Command::Template(_)) => None,
        None => Some(&cli.fonts),
    };
    if let Some(Err(e)) = fonts.map(|f| f.apply()) {
        return usage_error(e);
    }
    match cli.command {
        Some(Command::Export(args)) => crate::cli_export::export(&args),
        Some(Command::Check(args)) => check(&args),
        Some(Command::Import(args)) => crate::cli_import::run(&args),
        Some(Command::Template(args)) => crate::cli_import::template(&args),
        Some(Command::Cohort(args)) => crate::cli_cohort::run(&args),
        None => viewer(
            cli.files,
            ViewerArgs {
                screenshot: cli.screenshot,
                window_size: cli.window_size,
                delay: cli.screenshot_delay,
            },
        ),
    }
}

pub(crate) fn usage_error(message: impl std::fmt::Display) -> u8 {
    eprintln!("txline: error: {message}");
    EXIT_USAGE
}

// ---------------------------------------------------------------------------------------
// The viewer

/// The viewer's options from the command line.
struct ViewerArgs {
    screenshot: Option<PathBuf>,
    window_size: Option<(u32, u32)>,
    delay: Option<f64>,
}

fn viewer(files: Vec<PathBuf>, args: ViewerArgs) -> u8 {
    if let Some(first) = files.first()
        && !first.exists()
        && let Some(cmd) = similar_command(first)
    {
        return usage_error(format!(
            "no file or command named \"{}\"; did you mean `txline {cmd}`?",
            first.display()
        ));
    }
    if files.len() > 1 {
        return usage_error(
            "the viewer opens one file; to export several, use \
             `txline export --out-dir DIR FILE...`",
        );
    }
    let file = files.into_iter().next();
    open_viewer(file, args)
}

/// A subcommand the word is probably a misspelling of.
pub(crate) fn similar_command(word: &Path) -> Option<&'static str> {
    let w = word.to_str()?;
    if w.contains('.') || w.contains('/') || w.contains('\\') {
        return None;
    }
    ["export", "check", "import", "template", "cohort"]
        .into_iter()
        .find(|c| strsim::damerau_levenshtein(w, c) <= 2)
}

#[cfg(feature = "gui")]
fn open_viewer(file: Option<PathBuf>, args: ViewerArgs) -> u8 {
    let opts = crate::gui::RunOptions {
        file,
        screenshot: args.screenshot,
        window_size: args.window_size.map(|(w, h)| [w as f32, h as f32]),
        screenshot_delay: std::time::Duration::from_secs_f64(args.delay.unwrap_or(0.0)),
    };
    match crate::gui::run(opts) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("txline: error: {e:#}");
            EXIT_INVALID
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_viewer(file: Option<PathBuf>, args: ViewerArgs) -> u8 {
    let _ = (file, args.screenshot, args.window_size, args.delay);
    usage_error(
        "this txline was built without the viewer (cargo feature `gui`); \
         use `txline export` or `txline check`, or build with the default features to open the viewer",
    )
}

// ---------------------------------------------------------------------------------------
// Inputs

/// Expands the inputs: `.ron` files as given, folders into their `.ron` files, cBioPortal
/// studies and timeline files into one timeline per patient ([`crate::import::open_inputs`]).
pub(crate) fn expand_inputs(
    inputs: &[PathBuf],
    opts: &crate::cli_import::ImportOpts,
) -> Result<Vec<Opened>, String> {
    crate::import::open_inputs(inputs, &opts.options()?)
}

// ---------------------------------------------------------------------------------------
// check

fn check(args: &CheckArgs) -> u8 {
    let files = match expand_inputs(&args.inputs, &args.import) {
        Ok(f) => f,
        Err(e) => return usage_error(e),
    };
    let (mut with_errors, mut with_warnings) = (0usize, 0usize);
    let mut stderr = std::io::stderr().lock();
    for file in &files {
        let diagnostics = match file.load() {
            Ok(loaded) => loaded.warnings,
            Err(e) => e.diagnostics,
        };
        for d in &diagnostics {
            let _ = writeln!(stderr, "{d}");
        }
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = diagnostics.len() - errors;
        if errors > 0 {
            with_errors += 1;
        } else if warnings > 0 {
            with_warnings += 1;
        } else {
            let _ = writeln!(stderr, "{}: ok", file.name.display());
        }
    }
    if files.len() > 1 {
        let _ = writeln!(
            stderr,
            "checked {} files: {} with errors, {} with warnings only",
            files.len(),
            with_errors,
            with_warnings
        );
    }
    if with_errors > 0 {
        EXIT_INVALID
    } else {
        EXIT_OK
    }
}

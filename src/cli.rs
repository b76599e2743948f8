//! The command line: `txline export`, `txline check`, and opening the viewer.
//!
//! ```text
//! txline export FILE... [-o OUT | --out-dir DIR] [--format png|svg|pdf|tiff]
//!               [--preset NAME | --width PX [--height PX] [--dpi DPI]]
//!               [--theme light|dark|print] [--axis dates|relative|both] [--transparent]
//!               [--deidentify [--pseudonym NAME] [--deidentify-report FILE]]
//!               [--compress-gaps] [-j N]
//! txline check FILE...
//! txline [FILE] [--screenshot OUT.png] [--window-size WxH]   (the viewer)
//! ```
//!
//! Exit codes: [`EXIT_OK`] (0) success, [`EXIT_INVALID`] (1) an input did not load or an
//! output could not be written, [`EXIT_USAGE`] (2) the command line itself is wrong.
//! Diagnostics go to stderr as `FILE:LINE:COL: error: MESSAGE`. Outputs are written
//! atomically (see [`crate::export::atomic`]) and never over an input file.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::num::NonZeroUsize;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diagnostics::{Diagnostic, Severity};
use crate::export::{self, ExportError, Format};
use crate::import::Opened;
use crate::layout::{AxisMode, LayoutOptions};
use crate::load::Loaded;
use crate::model::Timeline;
use crate::page::{PRINT_MIN_TEXT_PT, Page, Preset, SLIDE_MIN_TEXT_PX};
use crate::theme::ThemeKind;

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
    /// Output format [default: from OUT's extension, else png].
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Page size: slide-16x9 (1920×1080, the default), slide-4x3 (1600×1200),
    /// journal-1col / journal-2col (85 / 174 mm at 300 dpi), journal-1col-600 / journal-2col-600.
    #[arg(long, value_name = "NAME", value_parser = parse_preset, conflicts_with_all = ["width", "height", "dpi"])]
    pub preset: Option<Preset>,
    /// Figure width in pixels (instead of --preset).
    #[arg(long, value_name = "PX", value_parser = clap::value_parser!(u32).range(100..=export::png::MAX_SIDE as i64))]
    pub width: Option<u32>,
    /// Figure height in pixels; without it the height is what the content needs.
    #[arg(long, value_name = "PX", requires = "width", value_parser = clap::value_parser!(u32).range(100..=export::png::MAX_SIDE as i64))]
    pub height: Option<u32>,
    /// Resolution written into the file with --width [default: 96].
    #[arg(long, value_name = "DPI", requires = "width", value_parser = parse_dpi)]
    pub dpi: Option<f32>,
    /// Colours: light (white page, for slides), dark, or print (reads in greyscale).
    #[arg(long, value_enum, default_value_t = ThemeArg::Light)]
    pub theme: ThemeArg,
    /// Time axis labels: calendar dates, time from day 0, or both.
    #[arg(long, value_enum, default_value_t = AxisArg::Both)]
    pub axis: AxisArg,
    /// No page background.
    #[arg(long)]
    pub transparent: bool,
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
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// PNG with its DPI.
    Png,
    /// Self-contained SVG.
    Svg,
    /// Vector PDF.
    Pdf,
    /// TIFF with its DPI.
    #[value(alias = "tif")]
    Tiff,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Png => Format::Png,
            FormatArg::Svg => Format::Svg,
            FormatArg::Pdf => Format::Pdf,
            FormatArg::Tiff => Format::Tiff,
        }
    }
}

/// `--theme` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ThemeArg {
    /// White page (slides).
    Light,
    /// Dark page.
    Dark,
    /// Readable in greyscale print.
    Print,
}

impl From<ThemeArg> for ThemeKind {
    fn from(t: ThemeArg) -> ThemeKind {
        match t {
            ThemeArg::Light => ThemeKind::Light,
            ThemeArg::Dark => ThemeKind::Dark,
            ThemeArg::Print => ThemeKind::Print,
        }
    }
}

/// `--axis` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AxisArg {
    /// Calendar dates.
    Dates,
    /// Days / months from day 0.
    Relative,
    /// Dates below, months from day 0 above.
    Both,
}

impl From<AxisArg> for AxisMode {
    fn from(a: AxisArg) -> AxisMode {
        match a {
            AxisArg::Dates => AxisMode::Dates,
            AxisArg::Relative => AxisMode::Relative,
            AxisArg::Both => AxisMode::Both,
        }
    }
}

fn parse_preset(s: &str) -> Result<Preset, String> {
    s.parse()
}

fn parse_dpi(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(v) if (36.0..=2400.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "\"{s}\" is not a resolution; write a number of dots per inch from 36 to 2400, e.g. 300"
        )),
    }
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
    match cli.command {
        Some(Command::Export(args)) => export(&args),
        Some(Command::Check(args)) => check(&args),
        Some(Command::Import(args)) => crate::cli_import::run(&args),
        Some(Command::Template(args)) => crate::cli_import::template(&args),
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

fn usage_error(message: impl std::fmt::Display) -> u8 {
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
fn similar_command(word: &Path) -> Option<&'static str> {
    let w = word.to_str()?;
    if w.contains('.') || w.contains('/') || w.contains('\\') {
        return None;
    }
    ["export", "check", "import", "template"]
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
fn expand_inputs(
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

// ---------------------------------------------------------------------------------------
// export

/// Where the outputs go.
enum Target {
    /// One named file.
    File(PathBuf),
    /// A folder, one file per input named after the patient id.
    Folder(PathBuf),
}

/// Everything an export needs besides the input.
struct Plan {
    format: Format,
    page: Page,
    options: LayoutOptions,
    deidentify: bool,
    pseudonym: Option<String>,
    /// Every input, so no output replaces one.
    inputs: Vec<PathBuf>,
    /// The de-identification reports of the files loaded, by input.
    reports: Mutex<Vec<(PathBuf, crate::deidentify::Report)>>,
}

fn page_of(args: &ExportArgs) -> Page {
    match (args.preset, args.width) {
        (Some(p), _) => p.page(),
        (None, Some(w)) => {
            let dpi = args.dpi.unwrap_or(96.0);
            Page {
                width: w as f32,
                height: args.height.map(|h| h as f32),
                dpi,
                min_text_px: SLIDE_MIN_TEXT_PX.max(PRINT_MIN_TEXT_PT / 72.0 * dpi),
            }
        }
        (None, None) => Preset::Slide16x9.page(),
    }
}

fn export(args: &ExportArgs) -> u8 {
    let files = match expand_inputs(&args.inputs, &args.import) {
        Ok(f) => f,
        Err(e) => return usage_error(e),
    };
    let several = files.len() > 1 || args.inputs.iter().any(|p| p.is_dir());
    let target = match (&args.output, &args.out_dir) {
        (Some(out), _) if several => {
            let given = if args.inputs.iter().any(|p| p.is_dir()) {
                "a folder of timeline files was given".to_string()
            } else {
                format!("{} input files were given", files.len())
            };
            return usage_error(format!(
                "-o {} names one output file, but {given}; \
                 use --out-dir DIR to write one file per input",
                out.display(),
            ));
        }
        (Some(out), _) => Target::File(out.clone()),
        (None, Some(dir)) => Target::Folder(dir.clone()),
        (None, None) => Target::Folder(PathBuf::from(".")),
    };
    let names: Vec<PathBuf> = files.iter().map(|f| f.name.clone()).collect();
    if let Target::File(out) = &target
        && export::atomic::would_overwrite(out, &names)
    {
        return usage_error(format!(
            "{} is an input file and is never overwritten; choose another output name, \
             e.g. -o {}",
            out.display(),
            out.with_extension(args.format.map_or(Format::Png, Format::from).extension())
                .display()
        ));
    }
    let format = match (&target, args.format) {
        (Target::File(out), given) => {
            let by_name = Format::from_path(out);
            match (given, by_name) {
                (Some(f), Some(n)) if Format::from(f) != n => {
                    eprintln!(
                        "txline: warning: writing {} to {} as --format says, although its \
                         extension says {}",
                        Format::from(f).name().to_uppercase(),
                        out.display(),
                        n.name().to_uppercase()
                    );
                    Format::from(f)
                }
                (Some(f), _) => f.into(),
                (None, Some(n)) => n,
                (None, None) => {
                    return usage_error(format!(
                        "cannot tell the format from the name {}; end it in .png, .svg, .pdf \
                         or .tif, or give --format png|svg|pdf|tiff",
                        out.display()
                    ));
                }
            }
        }
        (Target::Folder(_), given) => given.map(Format::from).unwrap_or(Format::Png),
    };
    match &target {
        Target::File(out) => {
            if out.is_dir() {
                return usage_error(format!(
                    "{} is a folder; to write into it use --out-dir {}",
                    out.display(),
                    out.display()
                ));
            }
        }
        Target::Folder(dir) => {
            if let Err(e) = std::fs::create_dir_all(dir) {
                eprintln!(
                    "txline: error: cannot create the folder {}: {e}",
                    dir.display()
                );
                return EXIT_INVALID;
            }
        }
    }
    let page = page_of(args);
    if let (Format::Png | Format::Tiff, Some(h)) = (format, page.height) {
        let (w, h) = (page.width as u64, h as u64);
        if w * h > export::png::MAX_PIXELS {
            return usage_error(format!(
                "--width {w} --height {h} is {} megapixels, more than the {} a PNG or TIFF may \
                 have; choose a smaller size, or export SVG or PDF (no pixel limit)",
                w * h / 1_000_000,
                export::png::MAX_PIXELS / 1_000_000
            ));
        }
    }
    if args.deidentify {
        eprintln!("txline: warning: {}", crate::deidentify::BURNED_IN_WARNING);
    }
    let plan = Plan {
        format,
        page,
        options: LayoutOptions {
            axis: args.axis.into(),
            theme: args.theme.into(),
            transparent: args.transparent,
            compress_gaps: args.compress_gaps,
            ..LayoutOptions::default()
        },
        deidentify: args.deidentify,
        pseudonym: args.pseudonym.clone(),
        inputs: names.iter().chain(&args.inputs).cloned().collect(),
        reports: Mutex::new(Vec::new()),
    };
    let jobs = args
        .jobs
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get);
    let summary = export_all(&files, &target, &plan, jobs);
    if several {
        eprintln!("{}", summary.line());
    }
    let report_written = match &args.deidentify_report {
        Some(out) => write_report(out, &names, &plan),
        None => true,
    };
    if summary.refused > 0 {
        EXIT_USAGE
    } else if summary.failed > 0 || !report_written {
        EXIT_INVALID
    } else {
        EXIT_OK
    }
}

/// What a batch export did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Summary {
    exported: usize,
    warned: usize,
    failed: usize,
    /// Of the failed: outputs refused because they would replace an input or its image.
    refused: usize,
}

impl Summary {
    fn line(&self) -> String {
        format!(
            "summary: {} exported, {} with warnings, {} failed",
            self.exported, self.warned, self.failed
        )
    }
}

/// A file that loaded, ready to draw.
struct Ready {
    timeline: Timeline,
    warnings: Vec<Diagnostic>,
    /// The image files the timeline names (resolved against its folder): never outputs.
    images: Vec<PathBuf>,
    /// With --deidentify: "N replacements in M fields".
    deidentified: Option<String>,
}

fn load_for_export(input: &Opened, plan: &Plan) -> Result<Ready, Vec<Diagnostic>> {
    let Loaded { timeline, warnings } = input.load().map_err(|e| e.diagnostics)?;
    let path = input.name.as_path();
    let base = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let images = timeline.images.iter().map(|i| base.join(&i.path)).collect();
    let mut summary = None;
    let timeline = if plan.deidentify {
        let (t, report) =
            crate::deidentify::deidentify_with_report(&timeline, plan.pseudonym.as_deref());
        summary = Some(report.summary());
        if let Ok(mut reports) = plan.reports.lock() {
            reports.push((path.to_path_buf(), report));
        }
        t
    } else {
        timeline
    };
    Ok(Ready {
        timeline,
        warnings,
        images,
        deidentified: summary,
    })
}

/// Draws and writes one file; returns the warning about parts the page had no room for.
fn draw_and_write(ready: &Ready, out: &Path, plan: &Plan) -> Result<Option<String>, ExportError> {
    let scene = crate::layout::layout(&ready.timeline, &plan.options, &plan.page);
    let bytes = export::encode(&scene, plan.format)?;
    // Checked again at the write: the same file may be reached by another path by now.
    let protected: Vec<PathBuf> = plan.inputs.iter().chain(&ready.images).cloned().collect();
    export::write_atomic(out, &bytes, &protected)?;
    Ok(scene.left_out.message())
}

/// Refuses (drops, with a message) every output that is one of the inputs or an image any
/// of them uses: the same file after links are resolved. Counted as failed and refused.
fn refuse_protected_outputs(
    files: &[PathBuf],
    ready: &[Option<Ready>],
    outputs: &mut [Option<PathBuf>],
    progress: &Progress,
    summary: &mut Summary,
) {
    let images: Vec<(&Path, &PathBuf)> = files
        .iter()
        .zip(ready)
        .filter_map(|(f, r)| Some((f, r.as_ref()?)))
        .flat_map(|(f, r)| r.images.iter().map(move |i| (f.as_path(), i)))
        .collect();
    let protected = export::atomic::CanonicalSet::new(images.iter().map(|(_, i)| i.as_path()));
    for (i, slot) in outputs.iter_mut().enumerate() {
        let Some(out) = slot.as_ref() else { continue };
        let Some(k) = protected.position(out) else {
            continue;
        };
        let (timeline, image) = images[k];
        progress.message(&format!(
            "{}: error: {} is the image {} that {} uses, and is never overwritten; choose \
             another output name or folder\n",
            files[i].display(),
            out.display(),
            image.display(),
            timeline.display(),
        ));
        progress.tick();
        summary.failed += 1;
        summary.refused += 1;
        *slot = None;
    }
}

/// A file name from a patient id: letters, digits, `-`, `_` and `.` kept, anything else
/// `_`; no leading dot; at most 100 characters; the input's stem when nothing is left.
fn file_stem_for(id: &str, input: &Path) -> String {
    let from_id = export::safe_stem(id);
    if from_id.chars().any(|c| c.is_alphanumeric()) {
        return from_id;
    }
    let stem = input
        .file_stem()
        .map(|s| export::safe_stem(&s.to_string_lossy()))
        .unwrap_or_default();
    if stem.is_empty() {
        "timeline".into()
    } else {
        stem
    }
}

/// Output paths in input order: `DIR/ID.ext`, then `DIR/ID-2.ext`, ... for repeated ids
/// (compared ignoring case, for case-insensitive file systems).
fn assign_names(stems: &[Option<String>], dir: &Path, format: Format) -> Vec<Option<PathBuf>> {
    let mut taken: HashSet<String> = HashSet::new();
    stems
        .iter()
        .map(|stem| {
            let stem = stem.as_ref()?;
            let mut name = stem.clone();
            let mut n = 1;
            while !taken.insert(name.to_lowercase()) {
                n += 1;
                name = format!("{stem}-{n}");
            }
            Some(dir.join(format!("{name}.{}", format.extension())))
        })
        .collect()
}

/// Runs `f` on every item with up to `jobs` threads; results in item order. A panic in
/// `f` becomes `Err(message)` for that item only.
fn parallel_map<T, R, F>(items: &[T], jobs: usize, f: F) -> Vec<Result<R, String>>
where
    T: Sync,
    R: Send,
    F: Fn(usize, &T) -> R + Sync,
{
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<R, String>>>> =
        Mutex::new((0..items.len()).map(|_| None).collect());
    let workers = jobs.clamp(1, items.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = catch_unwind(AssertUnwindSafe(|| f(i, item))).map_err(|p| {
                        p.downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| p.downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "unknown panic".into())
                    });
                    if let Ok(mut v) = results.lock() {
                        v[i] = Some(r);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("not run".into())))
        .collect()
}

/// A progress bar on stderr, drawn only on a terminal; messages printed through it do not
/// tangle with the bar or with each other.
struct Progress {
    total: usize,
    done: AtomicUsize,
    bar: bool,
    lock: Mutex<()>,
}

impl Progress {
    fn new(total: usize) -> Self {
        Progress {
            total,
            done: AtomicUsize::new(0),
            bar: total > 1 && std::io::stderr().is_terminal(),
            lock: Mutex::new(()),
        }
    }

    fn draw(&self, err: &mut impl std::io::Write) {
        if !self.bar {
            return;
        }
        let done = self.done.load(Ordering::Relaxed);
        let width = 30;
        let filled = (done * width)
            .checked_div(self.total)
            .unwrap_or(width)
            .min(width);
        let _ = write!(
            err,
            "\r\x1b[2K[{}{}] {done}/{} files",
            "#".repeat(filled),
            "-".repeat(width - filled),
            self.total
        );
        let _ = err.flush();
    }

    /// Prints `text` (whole lines) above the bar.
    fn message(&self, text: &str) {
        if text.is_empty() {
            return;
        }
        let _g = self.lock.lock();
        let mut err = std::io::stderr().lock();
        if self.bar {
            let _ = write!(err, "\r\x1b[2K");
        }
        let _ = write!(err, "{text}");
        self.draw(&mut err);
    }

    /// One more file done.
    fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
        let _g = self.lock.lock();
        self.draw(&mut std::io::stderr().lock());
    }

    fn finish(&self) {
        if self.bar {
            let _g = self.lock.lock();
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
        }
    }
}

fn diagnostics_text(diagnostics: &[Diagnostic]) -> String {
    let mut s = String::new();
    for d in diagnostics {
        let _ = writeln!(s, "{d}");
    }
    s
}

fn export_all(files: &[Opened], target: &Target, plan: &Plan, jobs: usize) -> Summary {
    let progress = Progress::new(files.len());
    // Phase 1: load every file (in parallel), so names can be given in input order.
    let loaded = parallel_map(files, jobs, |_, path| load_for_export(path, plan));
    let mut summary = Summary::default();
    let mut ready: Vec<Option<Ready>> = Vec::with_capacity(files.len());
    for (input, result) in files.iter().zip(loaded) {
        let path = &input.name;
        match result {
            Ok(Ok(r)) => ready.push(Some(r)),
            Ok(Err(diagnostics)) => {
                let mut text = diagnostics_text(&diagnostics);
                if !diagnostics.iter().any(|d| d.severity == Severity::Error) {
                    let _ = writeln!(text, "{}: error: the file did not load", path.display());
                }
                progress.message(&text);
                summary.failed += 1;
                progress.tick();
                ready.push(None);
            }
            Err(panic) => {
                progress.message(&internal_error(path, &panic));
                summary.failed += 1;
                progress.tick();
                ready.push(None);
            }
        }
    }
    let mut outputs: Vec<Option<PathBuf>> = match target {
        Target::File(out) => ready
            .iter()
            .map(|r| r.as_ref().map(|_| out.clone()))
            .collect(),
        Target::Folder(dir) => {
            let stems: Vec<Option<String>> = ready
                .iter()
                .zip(files)
                .map(|(r, path)| {
                    r.as_ref()
                        .map(|r| file_stem_for(&r.timeline.patient.id, &path.name))
                })
                .collect();
            assign_names(&stems, dir, plan.format)
        }
    };
    let names: Vec<PathBuf> = files.iter().map(|f| f.name.clone()).collect();
    refuse_protected_outputs(&names, &ready, &mut outputs, &progress, &mut summary);
    // Phase 2: draw and write (in parallel).
    let work: Vec<(usize, &Ready, &PathBuf)> = ready
        .iter()
        .zip(&outputs)
        .enumerate()
        .filter_map(|(i, (r, o))| Some((i, r.as_ref()?, o.as_ref()?)))
        .collect();
    let single = files.len() == 1;
    let results = parallel_map(&work, jobs, |_, (i, r, out)| {
        let result = draw_and_write(r, out, plan);
        let mut text = diagnostics_text(&r.warnings);
        if let Some(count) = &r.deidentified {
            let _ = writeln!(text, "{}: de-identification: {count}", names[*i].display());
        }
        if let Ok(Some(left_out)) = &result {
            let _ = writeln!(text, "{}: warning: {left_out}", names[*i].display());
        }
        match &result {
            Ok(_) if single => {
                let _ = writeln!(text, "wrote {}", out.display());
            }
            Ok(_) => {}
            Err(e) => {
                let _ = writeln!(text, "{}: error: {e}", files[*i].name.display());
            }
        }
        progress.message(&text);
        progress.tick();
        // None: failed; Some(true): written with parts left out.
        result.ok().map(|left_out| left_out.is_some())
    });
    for ((i, r, _), result) in work.iter().zip(results) {
        match result {
            Ok(Some(left_out)) => {
                summary.exported += 1;
                if !r.warnings.is_empty() || left_out {
                    summary.warned += 1;
                }
            }
            Ok(None) => summary.failed += 1,
            Err(panic) => {
                progress.message(&internal_error(&files[*i].name, &panic));
                progress.tick();
                summary.failed += 1;
            }
        }
    }
    progress.finish();
    summary
}

/// Writes the de-identification report of every file loaded (in input order); false when
/// it could not be written (the message is printed).
fn write_report(out: &Path, files: &[PathBuf], plan: &Plan) -> bool {
    let mut reports = plan
        .reports
        .lock()
        .map(|mut r| std::mem::take(&mut *r))
        .unwrap_or_default();
    reports.sort_by_key(|(path, _)| files.iter().position(|f| f == path));
    let mut text = crate::deidentify::report::HEADER.to_owned();
    let mut total = 0;
    for (path, report) in &reports {
        // The file loaded a moment ago; read again only for positions (0:0 if it fails).
        let source = std::fs::read_to_string(path).ok();
        text.push_str(&report.section(&path.display().to_string(), source.as_deref()));
        total += report.replacements();
    }
    match export::write_atomic(out, text.as_bytes(), &plan.inputs) {
        Ok(()) => {
            eprintln!(
                "wrote {} ({total} replacements; it holds the original text: keep it private)",
                out.display()
            );
            true
        }
        Err(e) => {
            eprintln!("txline: error: the de-identification report: {e}");
            false
        }
    }
}

fn internal_error(path: &Path, panic: &str) -> String {
    format!(
        "{}: error: internal error while drawing this file ({panic}); this is a bug in txline: \
         please report it with a copy of the file that reproduces it, names, ids and dates \
         replaced (never send real patient data)\n",
        path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_safe_file_names() {
        let p = Path::new("x/case.ron");
        assert_eq!(file_stem_for("P1", p), "P1");
        assert_eq!(file_stem_for("../etc/passwd", p), "_etc_passwd");
        assert_eq!(file_stem_for("a b/c", p), "a_b_c");
        assert_eq!(file_stem_for("  ", p), "case");
        assert_eq!(file_stem_for("???", p), "case");
        assert_eq!(file_stem_for(&"x".repeat(300), p).len(), 100);
    }

    #[test]
    fn repeated_ids_get_numbered_names() {
        let stems = vec![
            Some("P1".to_string()),
            None,
            Some("P1".to_string()),
            Some("p1".to_string()),
            Some("P1-2".to_string()),
        ];
        let names: Vec<Option<String>> = assign_names(&stems, Path::new("out"), Format::Png)
            .into_iter()
            .map(|p| p.map(|p| p.display().to_string()))
            .collect();
        assert_eq!(
            names,
            vec![
                Some("out/P1.png".to_string()),
                None,
                Some("out/P1-2.png".to_string()),
                Some("out/p1-3.png".to_string()),
                Some("out/P1-2-2.png".to_string()),
            ]
        );
    }

    #[test]
    fn parallel_map_keeps_order_and_survives_panics() {
        let items: Vec<u32> = (0..50).collect();
        let out = parallel_map(&items, 4, |_, &x| {
            if x == 7 {
                panic!("boom {x}");
            }
            x * 2
        });
        assert_eq!(out.len(), 50);
        assert_eq!(out[3], Ok(6));
        assert_eq!(out[7], Err("boom 7".to_string()));
        assert_eq!(out[49], Ok(98));
    }

    #[test]
    fn pages_from_arguments() {
        let parse = |args: &[&str]| {
            let cli = Cli::try_parse_from(["txline", "export", "a.ron"].iter().chain(args))
                .expect("parses");
            match cli.command {
                Some(Command::Export(a)) => page_of(&a),
                _ => panic!("not export"),
            }
        };
        assert_eq!(parse(&[]), Preset::Slide16x9.page());
        assert_eq!(
            parse(&["--preset", "journal-1col"]),
            Preset::Journal1col.page()
        );
        let p = parse(&["--width", "800"]);
        assert_eq!((p.width, p.height, p.dpi), (800.0, None, 96.0));
        let p = parse(&["--width", "800", "--height", "600", "--dpi", "300"]);
        assert_eq!((p.width, p.height, p.dpi), (800.0, Some(600.0), 300.0));
        assert_eq!(p.min_text_px, 25.0);
    }

    #[test]
    fn usage_errors_say_what_to_write() {
        let err = |args: &[&str]| {
            Cli::try_parse_from(["txline"].iter().chain(args))
                .expect_err("should not parse")
                .to_string()
        };
        let e = err(&["export", "a.ron", "--preset", "slidee"]);
        assert!(
            e.contains("slide-16x9") && e.contains("journal-2col-600"),
            "{e}"
        );
        let e = err(&["export", "a.ron", "--height", "600"]);
        assert!(e.contains("--width"), "{e}");
        let e = err(&["export", "a.ron", "--format", "jpg"]);
        assert!(e.contains("png") && e.contains("svg"), "{e}");
        let e = err(&["export", "a.ron", "--preset", "slide-4x3", "--width", "100"]);
        assert!(e.contains("cannot be used with"), "{e}");
        let e = err(&["export", "a.ron", "--pseudonym", "X"]);
        assert!(e.contains("--deidentify"), "{e}");
        assert!(similar_command(Path::new("exprot")) == Some("export"));
        assert!(similar_command(Path::new("patient1.ron")).is_none());
    }
}

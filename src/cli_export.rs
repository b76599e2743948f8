//! `txline export`: plan the outputs (one file, or one per patient in a folder, never over
//! an input or an image it uses), load, draw and write each in parallel with progress, and
//! report what was written, warned about or failed, with the exit code.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::num::NonZeroUsize;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::cli::{EXIT_INVALID, EXIT_OK, EXIT_USAGE, ExportArgs, expand_inputs, usage_error};
use crate::cli_figure::{check_raster_size, output_format, page_of};
use crate::diagnostics::{Diagnostic, Severity};
use crate::export::{self, ExportError, Format};
use crate::import::Opened;
use crate::layout::LayoutOptions;
use crate::load::Loaded;
use crate::model::Timeline;
use crate::page::Page;

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

pub(crate) fn export(args: &ExportArgs) -> u8 {
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
            out.with_extension(args.figure.format.unwrap_or(Format::Png).extension())
                .display()
        ));
    }
    let format = match (&target, args.figure.format) {
        (Target::File(out), given) => match output_format(out, given) {
            Ok(f) => f,
            Err(e) => return usage_error(e),
        },
        (Target::Folder(_), given) => given.unwrap_or(Format::Png),
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
    let page = page_of(&args.figure);
    if let Err(e) = check_raster_size(format, &page) {
        return usage_error(e);
    }
    if args.deidentify {
        eprintln!("txline: warning: {}", crate::deidentify::BURNED_IN_WARNING);
    }
    let plan = Plan {
        format,
        page,
        options: LayoutOptions {
            axis: args.axis,
            theme: args.figure.theme,
            transparent: args.figure.transparent,
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
    use crate::cli::*;
    use crate::page::Preset;
    use clap::Parser;

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
                Some(Command::Export(a)) => page_of(&a.figure),
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

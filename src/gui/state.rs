//! The viewer's state without egui: the open document (last good timeline, current
//! problems), view settings, the recent-files list, and the [`Command`]s that change them.
//!
//! Menus, shortcuts, drag and drop, the file watcher and the tests all act through
//! [`Command`], so every path into the viewer is the same path. A folder, a study with
//! several patients or a `cohort.ron` opens as a cohort ([`cohort`]).

pub mod cohort;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use cohort::{CohortDoc, CohortTab, CohortView};

use crate::cohort::{Align, CohortOptions, GroupBy, SortBy};
use crate::diagnostics::{Diagnostic, Severity};
pub use crate::export::Format;
use crate::export::png;
use crate::layout::{AxisMode, LayoutOptions};
use crate::model::Timeline;
use crate::page::{Page, Preset};
use crate::scene::Scene;
use crate::theme::ThemeKind;

/// Everything the user can ask the viewer to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Open a timeline file.
    Open(PathBuf),
    /// Show the native open dialog (result arrives as [`Command::Open`]).
    OpenDialog,
    /// Choose a folder of timelines to open as a cohort (result arrives as [`Command::Open`]).
    OpenFolderDialog,
    /// Read the open file again.
    Reload,
    /// Close the file (back to the start screen).
    Close,
    /// Axis labels.
    SetAxis(AxisMode),
    /// Colours.
    SetTheme(ThemeKind),
    /// Show or hide a lane (by name).
    SetLaneVisible(String, bool),
    /// Show or hide a measurement track (by index).
    SetTrackVisible(usize, bool),
    /// Compress long quiet gaps on screen.
    SetCompressGaps(bool),
    /// Show only this window of days (`None`: the whole timeline).
    SetWindow(Option<(f64, f64)>),
    /// Whole timeline, fitted to the window.
    FitToWindow,
    /// Open or close the export dialog.
    ShowExport(bool),
    /// Ask where to save and export with the current export settings.
    ExportDialog,
    /// Export with the current export settings to a path.
    ExportTo(PathBuf),
    /// Put the figure as the screen shows it (theme, axis, lanes, time window) on the
    /// clipboard, as a PNG at a slide size.
    CopyFigure,
    /// Put the figure with the export dialog's settings on the clipboard.
    CopyExport,
    /// Show an image large (`None` closes it).
    ShowImage(Option<usize>),
    /// Put text on the clipboard (a diagnostic's `FILE:LINE:COL`).
    CopyText(String),
    /// Ask where to save the de-identification report, and save it.
    SaveReportDialog,
    /// Save the de-identification report of the open file to a path.
    SaveReportTo(PathBuf),
    /// Zoom the time axis around its middle: the window's new width over its old one
    /// (< 1 zooms in).
    Zoom(f64),
    /// Move the time window by this fraction of its width (> 0: later).
    Pan(f64),
    /// Show or hide the side panel.
    ToggleSidePanel,
    /// Open the menu bar's first menu (F10), for the keyboard.
    OpenMenu,
    /// Show or hide the list of keyboard shortcuts.
    ShowShortcuts(bool),
    /// Close the topmost dialog or window (Escape).
    CloseDialog,
    /// Close the viewer.
    Quit,
    /// In a cohort: show this input's timeline (an index into
    /// [`Document::patients`]; `None`: back to the cohort).
    ChoosePatient(Option<usize>),
    /// Show this cohort figure.
    SetCohortTab(CohortTab),
    /// Order the cohort's lanes.
    SetCohortSort(SortBy),
    /// Group the cohort's patients (`None`: no groups).
    SetCohortGroupBy(Option<GroupBy>),
    /// The cohort's time zero.
    SetCohortAlign(Align),
    /// The measurement of the spider and waterfall (`None`: the default, as the CLI's).
    SetCohortMeasure(Option<String>),
    /// Show the timeline of the patient of this swimmer lane (`Cohort::members` index).
    OpenLane(usize),
    /// From a patient back to its cohort, with the cohort's tab, scroll and zoom.
    Back,
}

/// The open file: the last timeline that loaded and what the latest load said.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file.
    pub path: PathBuf,
    /// The last timeline that loaded (kept while the file is broken).
    pub timeline: Option<Arc<Timeline>>,
    /// Errors and warnings of the latest load attempt.
    pub problems: Vec<Diagnostic>,
    /// True when the latest load attempt failed (the figure is the last good one).
    pub failed: bool,
    /// Bumped on every successful load (the scene cache key).
    pub generation: u64,
    /// The timeline's lanes in figure order ([`crate::layout::lane_order`]), found once
    /// per load for the side panel's toggles.
    pub lanes: Arc<[String]>,
    /// For a cohort (a folder, a study, a spreadsheet or a `cohort.ron`): its patients
    /// (id, and whether it loaded), in input order. Empty for a timeline file.
    pub patients: Vec<(String, bool)>,
    /// The patient shown, an index into `patients` (`None`: the cohort).
    pub patient: Option<usize>,
    /// The cohort, when the file holds several patients (kept while one of them is shown).
    pub cohort: Option<CohortDoc>,
    /// The whole timeline's long gaps (how many) and the length a gap must exceed, found
    /// once per load for the "Compress long gaps" toggle.
    pub long_gaps: (usize, f64),
}

impl Document {
    /// A document for `path`, not loaded yet.
    pub fn new(path: PathBuf) -> Self {
        Document {
            path,
            timeline: None,
            problems: Vec::new(),
            failed: false,
            generation: 0,
            lanes: Arc::new([]),
            patients: Vec::new(),
            patient: None,
            cohort: None,
            long_gaps: (0, 0.0),
        }
    }

    /// True when the document is a cohort showing its figures (not one of its patients).
    pub fn shows_cohort(&self) -> bool {
        self.patient.is_none() && self.cohort.is_some()
    }

    /// True when the path holds several patients or may: a folder, a study, a spreadsheet,
    /// a `cohort.ron`.
    pub fn is_collection(path: &Path) -> bool {
        path.is_dir()
            || crate::import::is_import_input(path)
            || crate::cohort::file::read(path).is_some()
    }

    /// Loads a folder, study, spreadsheet or cohort file: every patient, then the cohort —
    /// or, when it holds one patient only (and is not a cohort file), that patient.
    fn load_collection(&mut self) -> bool {
        let path = self.path.clone();
        let (inputs, saved, is_file) = match crate::cohort::file::read(&path) {
            Some(Ok(f)) => (f.inputs(&path), f.options(), true),
            Some(Err(e)) => return self.fail(vec![problem(&path, e)]),
            None => (vec![path.clone()], CohortOptions::default(), false),
        };
        let opened = catch_unwind(AssertUnwindSafe(|| {
            crate::import::open_inputs(&inputs, &crate::import::Options::default())
        }));
        let list = match opened {
            Ok(Ok(list)) => list,
            Ok(Err(e)) => return self.fail(vec![problem(&path, e)]),
            Err(p) => {
                let m = format!("internal error while importing: {}", panic_text(&*p));
                return self.fail(vec![problem(&path, m)]);
            }
        };
        let loaded: Vec<_> = list
            .iter()
            .map(|o| {
                let name = o.name.display().to_string();
                let r = match catch_unwind(AssertUnwindSafe(|| o.load())) {
                    Ok(r) => r.map(Arc::new).map_err(|e| e.diagnostics),
                    Err(p) => Err(vec![problem(
                        &o.name,
                        format!("internal error while loading: {}", panic_text(&*p)),
                    )]),
                };
                (name, r)
            })
            .collect();
        self.patients = loaded
            .iter()
            .map(|(name, r)| match r {
                Ok(l) => (l.timeline.patient.id.clone(), true),
                Err(_) => (name.clone(), false),
            })
            .collect();
        if loaded.len() == 1 && !is_file {
            // One patient: its timeline, as a timeline file opens.
            self.cohort = None;
            self.patient = Some(0);
            return match loaded.into_iter().next().map(|(_, r)| r) {
                Some(Ok(l)) => self.loaded(Arc::unwrap_or_clone(l)),
                Some(Err(d)) => self.fail(d),
                None => false,
            };
        }
        // A reload keeps the view (tab, order, zoom) and the patient shown.
        let view = match &self.cohort {
            Some(c) => c.view.clone(),
            None => {
                let any_group = loaded
                    .iter()
                    .any(|(_, r)| r.as_ref().is_ok_and(|l| l.timeline.patient.group.is_some()));
                CohortView::of(&saved, any_group)
            }
        };
        self.cohort = Some(CohortDoc::new(loaded, saved, view));
        self.choose(self.patient.filter(|&i| i < self.patients.len()))
    }

    /// Shows input `i`'s timeline of the cohort (`None`: the cohort itself), from memory;
    /// a document that is not a cohort is loaded again for it.
    pub fn choose(&mut self, i: Option<usize>) -> bool {
        self.patient = i;
        let Some(c) = &self.cohort else {
            self.timeline = None;
            return self.load();
        };
        let r = i.and_then(|i| c.inputs.get(i)).map(|(_, r)| r.clone());
        match r {
            Some(Ok(l)) => self.loaded(Arc::unwrap_or_clone(l)),
            Some(Err(d)) => {
                self.timeline = None;
                self.fail(d)
            }
            None => {
                self.patient = None;
                self.problems = c.problems();
                self.timeline = None;
                self.lanes = Arc::new([]);
                self.failed = false;
                self.generation += 1;
                true
            }
        }
    }

    fn loaded(&mut self, loaded: crate::load::Loaded) -> bool {
        self.lanes = crate::layout::lane_order(&loaded.timeline).into();
        let (gaps, threshold) = crate::layout::long_gaps(&loaded.timeline, None);
        self.long_gaps = (gaps.len(), threshold);
        self.timeline = Some(Arc::new(loaded.timeline));
        self.problems = loaded.warnings;
        self.failed = false;
        self.generation += 1;
        true
    }

    fn fail(&mut self, diags: Vec<Diagnostic>) -> bool {
        self.problems = diags;
        self.failed = true;
        false
    }

    /// Loads (or reloads) the file. On failure the last good timeline stays.
    /// Returns true when a new timeline was loaded.
    pub fn load(&mut self) -> bool {
        if Self::is_collection(&self.path) {
            return self.load_collection();
        }
        match load_guarded(&self.path) {
            Ok(loaded) => self.loaded(loaded),
            Err(diags) => {
                self.problems = diags;
                self.failed = true;
                false
            }
        }
    }

    /// Said above a figure kept from before the file broke.
    pub fn stale_note(&self) -> String {
        format!(
            "Last good version: the file now has {} (listed below). This figure is from \
             before; it updates when the file is fixed.",
            count(self.errors(), "error")
        )
    }

    /// Number of errors in the latest load.
    pub fn errors(&self) -> usize {
        self.problems
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings in the latest load.
    pub fn warnings(&self) -> usize {
        self.problems.len() - self.errors()
    }
}

/// `load_file`, with any panic turned into a diagnostic: nothing a file contains may take
/// the window down.
pub fn load_guarded(path: &Path) -> Result<crate::load::Loaded, Vec<Diagnostic>> {
    match catch_unwind(AssertUnwindSafe(|| crate::load::load_file(path))) {
        Ok(Ok(l)) => Ok(l),
        Ok(Err(e)) => Err(if e.diagnostics.is_empty() {
            vec![problem(path, "the file could not be loaded".into())]
        } else {
            e.diagnostics
        }),
        Err(p) => Err(vec![problem(
            path,
            format!("internal error while loading: {}", panic_text(&*p)),
        )]),
    }
}

/// `layout`, with a panic turned into an error message.
pub fn layout_guarded(tl: &Timeline, opts: &LayoutOptions, page: &Page) -> Result<Scene, String> {
    catch_unwind(AssertUnwindSafe(|| crate::layout::layout(tl, opts, page)))
        .map_err(|p| format!("internal error in layout: {}", panic_text(&*p)))
}

fn problem(path: &Path, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        file: path.display().to_string(),
        line: 0,
        column: 0,
        path: None,
        message,
    }
}

/// The message of a caught panic.
pub fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".into()
    }
}

// Plurals are made in one place, the core (`details::count`).
pub use crate::details::count;

/// The `FILE:LINE:COL` a diagnostic points at (what clicking it copies).
pub fn location(d: &Diagnostic) -> String {
    if d.line == 0 {
        d.file.clone()
    } else {
        format!("{}:{}:{}", d.file, d.line, d.column)
    }
}

/// Encodes a scene in a format, a panic turned into an error message.
pub fn encode_guarded(scene: &Scene, format: Format) -> Result<Vec<u8>, String> {
    catch_unwind(AssertUnwindSafe(|| {
        crate::export::encode(scene, format).map_err(|e| e.to_string())
    }))
    .unwrap_or_else(|p| Err(format!("internal error in export: {}", panic_text(&*p))))
}

/// The page size of an export.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Size {
    /// A named preset.
    Preset(Preset),
    /// Custom pixels.
    Pixels(u32, u32),
}

impl Size {
    /// The page.
    pub fn page(self) -> Page {
        match self {
            Size::Preset(p) => p.page(),
            Size::Pixels(w, h) => Page::pixels(
                w.clamp(200, png::MAX_SIDE) as f32,
                h.clamp(150, png::MAX_SIDE) as f32,
            ),
        }
    }
}

/// What File ▸ Export writes.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportSettings {
    /// Format.
    pub format: Format,
    /// Page size.
    pub size: Size,
    /// Colours.
    pub theme: ThemeKind,
    /// Axis labels.
    pub axis: AxisMode,
    /// Only the time window visible on screen (else the whole timeline).
    pub visible_window_only: bool,
    /// Remove dates, names and identifiers.
    pub deidentify: bool,
    /// Compress long quiet gaps into axis breaks.
    pub compress_gaps: bool,
    /// No page background.
    pub transparent: bool,
}

impl Default for ExportSettings {
    fn default() -> Self {
        ExportSettings {
            format: Format::Png,
            size: Size::Preset(Preset::Slide16x9),
            theme: ThemeKind::Light,
            axis: AxisMode::Both,
            visible_window_only: false,
            deidentify: false,
            compress_gaps: false,
            transparent: false,
        }
    }
}

impl ExportSettings {
    /// The layout options of the export, given what the screen shows.
    pub fn options(&self, screen: &LayoutOptions) -> LayoutOptions {
        LayoutOptions {
            axis: self.axis,
            theme: self.theme,
            transparent: self.transparent,
            window: if self.visible_window_only {
                screen.window
            } else {
                None
            },
            hidden_lanes: screen.hidden_lanes.clone(),
            hidden_tracks: screen.hidden_tracks.clone(),
            compress_gaps: self.compress_gaps,
        }
    }

    /// Takes the screen's theme, axis, gap compression and time window (lanes and tracks
    /// always follow the screen); keeps format, size, privacy and transparency.
    pub fn match_screen(&mut self, screen: &LayoutOptions) {
        self.theme = screen.theme;
        self.axis = screen.axis;
        self.compress_gaps = screen.compress_gaps;
        self.visible_window_only = screen.window.is_some();
    }

    /// What the screen shows, as a PNG at the 16:9 slide size (what Copy figure puts on
    /// the clipboard).
    pub fn of_screen(screen: &LayoutOptions) -> Self {
        let mut s = ExportSettings {
            format: Format::Png,
            size: Size::Preset(Preset::Slide16x9),
            ..Default::default()
        };
        s.match_screen(screen);
        s
    }

    /// How the export differs from the screen, one phrase each ("theme print, screen
    /// dark"); empty when it shows what the screen shows.
    pub fn differences(&self, screen: &LayoutOptions) -> Vec<String> {
        let mut out = Vec::new();
        if self.theme != screen.theme {
            out.push(format!(
                "theme {}, screen {}",
                self.theme.name(),
                screen.theme.name()
            ));
        }
        if self.axis != screen.axis {
            out.push(format!(
                "axis {}, screen {}",
                self.axis.name(),
                screen.axis.name()
            ));
        }
        if self.compress_gaps != screen.compress_gaps {
            out.push(if self.compress_gaps {
                "long gaps compressed, not on screen".into()
            } else {
                "long gaps not compressed, compressed on screen".into()
            });
        }
        if screen.window.is_some() && !self.visible_window_only {
            out.push("whole timeline, screen shows a window of it".into());
        }
        if self.deidentify {
            out.push("de-identified".into());
        }
        out
    }

    /// The exported scene: the same function the preview and the file use.
    pub fn scene(&self, tl: &Timeline, screen: &LayoutOptions) -> Result<Scene, String> {
        let opts = self.options(screen);
        if self.deidentify {
            let tl = catch_unwind(AssertUnwindSafe(|| crate::deidentify::deidentify(tl, None)))
                .map_err(|p| format!("internal error in de-identification: {}", panic_text(&*p)))?;
            layout_guarded(&tl, &opts, &self.size.page())
        } else {
            layout_guarded(tl, &opts, &self.size.page())
        }
    }

    /// Default file name: `P1-timeline.png` (de-identified: `timeline.png`).
    pub fn default_name(&self, tl: &Timeline) -> String {
        let id = crate::export::safe_stem(&tl.patient.id);
        if self.deidentify || !id.chars().any(char::is_alphanumeric) {
            format!("timeline.{}", self.format.extension())
        } else {
            format!("{id}-timeline.{}", self.format.extension())
        }
    }
}

/// Most recently opened files, newest first, at most [`RecentFiles::MAX`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecentFiles {
    /// The files.
    pub files: Vec<PathBuf>,
}

impl RecentFiles {
    /// How many are kept.
    pub const MAX: usize = 10;

    /// Puts `path` first.
    pub fn push(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.files.retain(|p| p != &path);
        self.files.insert(0, path);
        self.files.truncate(Self::MAX);
    }

    /// Drops files (and folders: cohorts) that no longer exist.
    pub fn prune(&mut self) {
        self.files.retain(|p| p.exists());
    }

    /// From the persisted form (one path per line), missing files dropped.
    pub fn from_lines(s: &str) -> Self {
        let mut r = RecentFiles {
            files: s
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(PathBuf::from)
                .take(Self::MAX)
                .collect(),
        };
        r.prune();
        r
    }

    /// The persisted form.
    pub fn to_lines(&self) -> String {
        self.files
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The bundled example timelines: `*.ron` files in the `examples` folder next to the
/// program, in the working directory, or in the source tree it was built from.
pub fn bundled_examples() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Ok(exe) = std::env::current_exe() {
        for anc in exe.ancestors().skip(1).take(4) {
            dirs.push(anc.join("examples"));
        }
    }
    dirs.push(PathBuf::from("examples"));
    dirs.push(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples"
    )));
    for d in dirs {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut files: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .collect();
        if !files.is_empty() {
            files.sort();
            return files;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_study_opens_as_a_cohort_and_shows_a_patient_from_memory() {
        let study = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/study");
        let mut doc = Document::new(study);
        assert!(doc.load());
        assert!(doc.shows_cohort());
        assert!(doc.timeline.is_none() && !doc.failed);
        let ids: Vec<&str> = doc.patients.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["A1", "B2", "D4"]);
        assert_eq!(doc.cohort.as_ref().unwrap().cohort.members.len(), 3);
        assert!(doc.choose(Some(1)));
        assert!(!doc.shows_cohort());
        assert_eq!(doc.timeline.as_ref().unwrap().patient.id, "B2");
        assert!(doc.choose(None));
        assert!(doc.shows_cohort() && doc.timeline.is_none());
    }

    #[test]
    fn recent_files_keep_order_limit_and_drop_missing() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = RecentFiles::default();
        let mut paths = Vec::new();
        for i in 0..12 {
            let p = dir.path().join(format!("f{i}.ron"));
            std::fs::write(&p, "").unwrap();
            r.push(&p);
            paths.push(p);
        }
        assert_eq!(r.files.len(), RecentFiles::MAX);
        r.push(&paths[5]);
        assert!(r.files[0].ends_with("f5.ron"));
        std::fs::remove_file(&paths[11]).unwrap();
        let back = RecentFiles::from_lines(&r.to_lines());
        assert_eq!(back.files.len(), RecentFiles::MAX - 1);
        assert!(!back.files.iter().any(|p| p.ends_with("f11.ron")));
    }

    #[test]
    fn panics_become_messages() {
        let p = catch_unwind(|| panic!("boom {}", 42)).unwrap_err();
        assert_eq!(panic_text(&*p), "boom 42");
        let p = catch_unwind(|| panic!("static")).unwrap_err();
        assert_eq!(panic_text(&*p), "static");
    }

    #[test]
    fn export_options_follow_the_screen_only_where_asked() {
        let screen = LayoutOptions {
            window: Some((10.0, 50.0)),
            hidden_lanes: ["Surgery".to_string()].into(),
            axis: AxisMode::Dates,
            ..Default::default()
        };
        let mut s = ExportSettings::default();
        let o = s.options(&screen);
        assert_eq!(o.window, None, "whole timeline by default");
        assert_eq!(o.axis, AxisMode::Both, "the export's own axis mode");
        assert!(
            o.hidden_lanes.contains("Surgery"),
            "hidden lanes stay hidden"
        );
        s.visible_window_only = true;
        s.compress_gaps = true;
        s.theme = ThemeKind::Print;
        let o = s.options(&screen);
        assert_eq!(o.window, Some((10.0, 50.0)));
        assert!(o.compress_gaps);
        assert_eq!(o.theme, ThemeKind::Print);
        assert_eq!(
            Size::Pixels(10, 10).page().width,
            200.0,
            "clamped to a usable page"
        );
    }

    #[test]
    fn export_and_copy_follow_the_screen_and_say_where_they_differ() {
        let screen = LayoutOptions {
            window: Some((10.0, 50.0)),
            axis: AxisMode::Dates,
            theme: ThemeKind::Dark,
            ..Default::default()
        };
        let copy = ExportSettings::of_screen(&screen);
        assert_eq!(
            (copy.theme, copy.axis, copy.format, copy.size),
            (
                ThemeKind::Dark,
                AxisMode::Dates,
                Format::Png,
                Size::Preset(Preset::Slide16x9)
            )
        );
        assert_eq!(copy.options(&screen).window, Some((10.0, 50.0)));
        assert!(copy.differences(&screen).is_empty());

        let mut s = ExportSettings {
            format: Format::Pdf,
            deidentify: true,
            ..Default::default()
        };
        assert_eq!(
            s.differences(&screen),
            [
                "theme light, screen dark",
                "axis both, screen dates",
                "whole timeline, screen shows a window of it",
                "de-identified"
            ]
        );
        s.match_screen(&screen);
        assert_eq!(s.differences(&screen), ["de-identified"]);
        assert_eq!(s.format, Format::Pdf, "format, size and privacy stay");
    }

    #[test]
    fn default_names_are_safe_file_names() {
        let mut tl = crate::load::load_str("(format: 1, patient: (id: \"P 1/2\"))", "t", None)
            .unwrap()
            .timeline;
        let mut s = ExportSettings::default();
        assert_eq!(s.default_name(&tl), "P_1_2-timeline.png");
        tl.patient.id = "../..".into();
        assert_eq!(s.default_name(&tl), "timeline.png");
        tl.patient.id = "P1".into();
        s.deidentify = true;
        assert_eq!(s.default_name(&tl), "timeline.png");
    }

    #[test]
    fn counts_have_proper_plurals() {
        assert_eq!(count(1, "error"), "1 error");
        assert_eq!(count(0, "warning"), "0 warnings");
        assert_eq!(count(2, "error"), "2 errors");
    }

    #[test]
    fn location_is_file_line_col() {
        let d = Diagnostic {
            severity: Severity::Error,
            file: "p.ron".into(),
            line: 14,
            column: 22,
            path: None,
            message: "x".into(),
        };
        assert_eq!(location(&d), "p.ron:14:22");
    }
}

//! The viewer window: menus, side panel, problems panel, the figure canvas, the export
//! dialog and the image viewer. Every action goes through [`Command`].

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eframe::egui::{self, Color32, RichText};

use super::file_chooser::{FileChooser, Purpose};
use super::paint::{self, Textures, Transform};
use super::state::cohort::{CohortDoc, CohortTab, Effect};
use super::state::{
    Command, Document, ExportSettings, Format, RecentFiles, Size, bundled_examples, count,
    encode_guarded, layout_guarded, location,
};
use super::watch::FileWatch;
use crate::diagnostics::{Diagnostic, Severity};
use crate::export::png;
use crate::layout::{AxisMode, LayoutOptions};
use crate::model::Timeline;
use crate::page::{Page, Preset};
use crate::scene::{ItemRef, Scene};
use crate::theme::ThemeKind;

mod canvas;
mod cohort;
mod export_dialog;
mod files;
mod menus;
mod panels;
mod screenshot;

pub use canvas::clamp_window;
pub use screenshot::ScreenshotJob;

/// Persistence keys.
const KEY_RECENT: &str = "txline.recent";
const KEY_AXIS: &str = "txline.axis";
const KEY_THEME: &str = "txline.theme";

/// The smallest figure the canvas lays out.
const MIN_CANVAS: (f32, f32) = (320.0, 240.0);

/// Results of work done off the UI thread.
enum Msg {
    /// The native dialog's answer, and how long it was open.
    Picked(Purpose, Option<PathBuf>, Duration),
    Exported(Result<PathBuf, String>),
    Copied(Result<egui::ColorImage, String>),
}

/// What the canvas shows: a scene laid out for a key, and its egui shapes (built once per
/// scene at the figure's origin, each with its bounds, so a frame paints only those in view,
/// moved to where the figure is: scrolling builds nothing).
struct Cached {
    key: SceneKey,
    scene: Arc<Scene>,
    /// A cohort swimmer's lane rows (`layout::cohort::CohortScene::lanes`); else empty.
    lanes: Arc<[crate::scene::Rect]>,
    shapes: Vec<(egui::Rect, egui::Shape)>,
    /// Pixels per point the shapes were built for.
    shapes_key: Option<f32>,
}

impl Cached {
    fn new(key: SceneKey, scene: Scene, lanes: Vec<crate::scene::Rect>) -> Self {
        Cached {
            key,
            scene: Arc::new(scene),
            lanes: lanes.into(),
            shapes: Vec::new(),
            shapes_key: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct SceneKey {
    generation: u64,
    options: LayoutOptions,
    size: (u32, u32),
    /// A cohort figure: its tab and the cohort's build.
    cohort: Option<(CohortTab, u64)>,
}

/// The viewer application.
pub struct ViewerApp {
    /// The open file, if any.
    pub doc: Option<Document>,
    /// What the screen shows (axis, theme, hidden lanes/tracks, time window).
    pub view: LayoutOptions,
    /// What File ▸ Export writes.
    pub export: ExportSettings,
    /// The export dialog is open.
    pub show_export: bool,
    /// Recently opened files.
    pub recent: RecentFiles,
    /// The status bar's message.
    pub status: String,
    /// The image shown large.
    pub enlarged: Option<usize>,
    /// Why the last layout failed, if it did.
    pub layout_error: Option<String>,
    queue: Vec<Command>,
    cached: Option<Cached>,
    preview: Option<(SceneKey, ExportSettings, Arc<Scene>)>,
    /// The preview's painted shapes, for (offset, scale, pixels per point).
    preview_shapes: Option<((egui::Vec2, f32, f32), Vec<egui::Shape>)>,
    textures: Textures,
    watch: Option<FileWatch>,
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
    busy: Option<&'static str>,
    screenshot: Option<ScreenshotJob>,
    persist: bool,
    ctx: egui::Context,
    hovered: Option<ItemRef>,
    title: Option<String>,
    /// The bundled examples offered on the start screen, found once at start-up.
    examples: Vec<PathBuf>,
    /// Time spent building the canvas's shapes in the last frame that built them.
    pub last_build: Duration,
    /// Why the cohort figure on screen has nothing to draw (the core's words, e.g. no
    /// measurement for the spider), for the key it was laid out for.
    cohort_note: Option<(SceneKey, String)>,
    /// The de-identification report of the open file: (generation, headline, text).
    deid_report: Option<(u64, Arc<(String, String)>)>,
    /// The export dialog shows the report.
    pub show_report: bool,
    /// The in-window file chooser, when open.
    chooser: Option<FileChooser>,
    /// Use the desktop's file dialogs (else the in-window chooser).
    native_dialogs: bool,
    /// Where the native dialog was asked to start (folder, name), for the chooser that
    /// replaces it when it turns out there is none.
    pending_choice: Option<(Option<PathBuf>, String)>,
    /// Why the last export failed (shown in the export dialog).
    pub export_error: Option<String>,
    /// The side panel is shown.
    pub side_panel: bool,
    /// Help ▸ Keyboard shortcuts is shown.
    pub show_shortcuts: bool,
    /// Open the File menu on the next frame (F10).
    open_menu: bool,
    /// The recent files as last written to storage.
    saved_recent: RecentFiles,
    /// How many fallback fonts egui has (installed again when figures use more).
    fonts_installed: usize,
}

impl ViewerApp {
    /// A viewer, opening `file` when given. Reads recent files and settings from `storage`.
    pub fn new(
        ctx: &egui::Context,
        storage: Option<&dyn eframe::Storage>,
        file: Option<PathBuf>,
        screenshot: Option<ScreenshotJob>,
    ) -> Self {
        let fonts_installed = paint::install_fonts(ctx);
        style(ctx);
        let (tx, rx) = channel();
        let mut app = ViewerApp {
            doc: None,
            view: LayoutOptions::default(),
            export: ExportSettings::default(),
            show_export: false,
            recent: RecentFiles::default(),
            status: String::new(),
            enlarged: None,
            layout_error: None,
            queue: Vec::new(),
            cached: None,
            preview: None,
            preview_shapes: None,
            textures: Textures::default(),
            watch: None,
            tx,
            rx,
            busy: None,
            persist: screenshot.is_none(),
            screenshot,
            ctx: ctx.clone(),
            hovered: None,
            deid_report: None,
            show_report: false,
            title: None,
            examples: bundled_examples(),
            last_build: Duration::ZERO,
            cohort_note: None,
            chooser: None,
            native_dialogs: super::file_chooser::native_available(),
            pending_choice: None,
            export_error: None,
            side_panel: true,
            show_shortcuts: false,
            open_menu: false,
            saved_recent: RecentFiles::default(),
            fonts_installed,
        };
        if let Some(st) = storage
            && app.persist
        {
            if let Some(s) = st.get_string(KEY_RECENT) {
                app.recent = RecentFiles::from_lines(&s);
                app.saved_recent = app.recent.clone();
            }
            if let Some(a) = st
                .get_string(KEY_AXIS)
                .and_then(|s| AxisMode::ALL.iter().copied().find(|m| m.name() == s))
            {
                app.view.axis = a;
            }
            if let Some(t) = st
                .get_string(KEY_THEME)
                .and_then(|s| ThemeKind::ALL.iter().copied().find(|m| m.name() == s))
            {
                app.view.theme = t;
            }
        }
        if let Some(f) = file {
            app.apply(Command::Open(f));
        }
        app
    }

    /// Use the desktop's file dialogs (`true`) or the in-window chooser (`false`). The
    /// default is [`super::file_chooser::native_available`].
    pub fn use_native_dialogs(&mut self, on: bool) {
        self.native_dialogs = on;
    }

    /// The in-window file chooser's purpose, while it is open.
    pub fn chooser(&self) -> Option<Purpose> {
        self.chooser.as_ref().map(|c| c.purpose)
    }

    /// Queues a command; it runs at the start of the next frame.
    pub fn command(&mut self, c: Command) {
        self.queue.push(c);
    }

    /// The timeline on screen (the last good one).
    pub fn timeline(&self) -> Option<&Arc<Timeline>> {
        self.doc.as_ref().and_then(|d| d.timeline.as_ref())
    }

    /// The scene on screen, once a frame has laid it out.
    pub fn scene(&self) -> Option<&Arc<Scene>> {
        self.cached.as_ref().map(|c| &c.scene)
    }

    /// The scene the export would write (what the preview shows).
    pub fn export_scene(&self) -> Result<Scene, String> {
        self.scene_with(&self.export)
    }

    /// The figure on screen with settings `s` (export, preview, copy): the cohort figure
    /// when a cohort is shown, else the timeline.
    fn scene_with(&self, s: &ExportSettings) -> Result<Scene, String> {
        let screen = self.screen_options();
        if let Some(c) = self.cohort_shown() {
            return s.cohort_scene(c, &screen);
        }
        let tl = self.timeline().ok_or("no figure to export")?;
        s.scene(tl, &screen)
    }

    /// What the screen shows, as layout options: the view, with the cohort's time window
    /// when a cohort is shown.
    pub fn screen_options(&self) -> LayoutOptions {
        let mut o = self.view.clone();
        if let Some(c) = self.cohort_shown() {
            o.window = c.view.window;
            o.hidden_lanes.clear();
            o.hidden_tracks.clear();
            o.compress_gaps = false;
        }
        o
    }

    /// True when there is a figure to export or copy (a timeline, or a cohort).
    pub fn has_figure(&self) -> bool {
        self.timeline().is_some() || self.cohort_shown().is_some()
    }

    /// Runs a command now.
    pub fn apply(&mut self, c: Command) {
        if let Some(doc) = &mut self.doc
            && let Some(cd) = &mut doc.cohort
            && let Some(effect) = cd.apply(doc.patient.is_none(), &c)
        {
            match effect {
                Effect::Redraw | Effect::Rebuild => {}
                Effect::OpenInput(i) => self.apply(Command::ChoosePatient(Some(i))),
                Effect::Back => self.apply(Command::ChoosePatient(None)),
            }
            return;
        }
        match c {
            Command::Open(path) => self.open(path),
            Command::OpenDialog => self.ask_to_open(Purpose::Open),
            Command::OpenFolderDialog => self.ask_to_open(Purpose::OpenFolder),
            Command::Reload => {
                if let Some(doc) = &mut self.doc {
                    let ok = doc.load();
                    self.status = load_status(doc, "Reloaded");
                    if ok {
                        self.textures.clear();
                        // The images may have changed: watch the ones it names now.
                        self.rewatch();
                    }
                }
            }
            Command::Close => {
                self.doc = None;
                self.watch = None;
                self.cached = None;
                self.preview = None;
                self.textures.clear();
                self.view.window = None;
                self.status.clear();
            }
            Command::SetAxis(a) => self.view.axis = a,
            Command::SetTheme(t) => self.view.theme = t,
            Command::SetLaneVisible(lane, visible) => {
                if visible {
                    self.view.hidden_lanes.remove(&lane);
                } else {
                    self.view.hidden_lanes.insert(lane);
                }
            }
            Command::SetTrackVisible(i, visible) => {
                if visible {
                    self.view.hidden_tracks.remove(&i);
                } else {
                    self.view.hidden_tracks.insert(i);
                }
            }
            Command::SetCompressGaps(on) => self.view.compress_gaps = on,
            Command::SetWindow(w) => {
                self.view.window = w.filter(|(a, b)| a.is_finite() && b.is_finite() && b > a)
            }
            Command::FitToWindow => self.view.window = None,
            Command::ShowExport(on) => {
                if on && !self.show_export {
                    // Opens showing what the screen shows; its format and size are kept.
                    let screen = self.screen_options();
                    self.export.match_screen(&screen);
                    self.export_error = None;
                }
                self.show_export = on;
            }
            Command::ExportDialog => {
                let name = if let Some(c) = self.cohort_shown() {
                    self.export.cohort_name(c.view.tab)
                } else if let Some(tl) = self.timeline() {
                    self.export.default_name(tl)
                } else {
                    self.status = "Nothing to export: open a timeline first".into();
                    return;
                };
                let dir = self.doc_dir();
                self.choose_file(Purpose::Export(self.export.format), dir, name);
            }
            Command::ExportTo(path) => {
                let scene = match self.export_scene() {
                    Ok(s) => s,
                    Err(e) => {
                        self.export_failed(e);
                        return;
                    }
                };
                let format = self.export.format;
                let inputs: Vec<PathBuf> = self.doc.iter().map(|d| d.path.clone()).collect();
                self.spawn("Exporting…", move |tx| {
                    let r = encode_guarded(&scene, format).and_then(|bytes| {
                        crate::export::write_atomic(&path, &bytes, &inputs)
                            .map_err(|e| e.to_string())
                    });
                    let _ = tx.send(Msg::Exported(r.map(|()| path)));
                });
            }
            Command::CopyFigure => {
                let s = ExportSettings::of_screen(&self.screen_options());
                self.copy(&s);
            }
            Command::CopyExport => {
                let s = self.export.clone();
                self.copy(&s);
            }
            Command::ShowImage(i) => self.enlarged = i,
            Command::SaveReportDialog => {
                let name = crate::deidentify::report::REPORT_FILE_NAME.to_string();
                self.choose_file(Purpose::Report, self.doc_dir(), name);
            }
            Command::SaveReportTo(path) => {
                let Some(report) = self.deid_report() else {
                    self.status = "No report: open a timeline first".into();
                    return;
                };
                let inputs: Vec<PathBuf> = self.doc.iter().map(|d| d.path.clone()).collect();
                self.status = match crate::export::write_atomic(&path, report.1.as_bytes(), &inputs)
                {
                    Ok(()) => format!("Saved the de-identification report to {}", path.display()),
                    Err(e) => format!("The report was not saved: {e}"),
                };
            }
            Command::Zoom(f) => self.zoom_pan(f, 0.0),
            Command::Pan(f) => self.zoom_pan(1.0, f),
            Command::ToggleSidePanel => self.side_panel = !self.side_panel,
            Command::OpenMenu => self.open_menu = true,
            Command::ShowShortcuts(on) => self.show_shortcuts = on,
            Command::CloseDialog => {
                if self.show_shortcuts {
                    self.show_shortcuts = false;
                } else if self.enlarged.is_some() {
                    self.enlarged = None;
                } else if self.show_export {
                    self.show_export = false;
                }
            }
            Command::Quit => self.ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Command::ChoosePatient(i) => {
                if let Some(doc) = &mut self.doc {
                    doc.choose(i);
                    self.status = load_status(doc, if i.is_some() { "Opened" } else { "Back to" });
                }
                self.forget_figure();
            }
            // Without a cohort (handled above) these do nothing.
            Command::SetCohortTab(_)
            | Command::SetCohortSort(_)
            | Command::SetCohortGroupBy(_)
            | Command::SetCohortAlign(_)
            | Command::SetCohortMeasure(_)
            | Command::OpenLane(_)
            | Command::Back => {}
            Command::CopyText(t) => {
                self.ctx.copy_text(t.clone());
                self.status = format!("Copied {t}");
            }
        }
    }

    /// Drops what belonged to the figure shown before (textures, layout, preview, time
    /// window, hidden lanes and tracks, enlarged image): another patient or file is shown.
    fn forget_figure(&mut self) {
        self.textures.clear();
        self.cached = None;
        self.cohort_note = None;
        self.preview = None;
        self.view.window = None;
        self.view.hidden_lanes.clear();
        self.view.hidden_tracks.clear();
        self.enlarged = None;
    }

    /// Puts the figure with settings `s` on the clipboard, as an image.
    fn copy(&mut self, s: &ExportSettings) {
        if !self.has_figure() {
            self.status = "Nothing to copy: open a timeline first".into();
            return;
        }
        let scene = match self.scene_with(s) {
            Ok(s) => s,
            Err(e) => {
                self.status = format!("Copy failed: {e}");
                return;
            }
        };
        self.spawn("Copying the figure…", move |tx| {
            let r = std::panic::catch_unwind(|| crate::export::render_rgba(&scene))
                .map_err(|_| "internal error while rendering".to_string())
                .and_then(|r| r.map_err(|e| e.to_string()))
                .map(|(w, h, rgba)| {
                    egui::ColorImage::from_rgba_unmultiplied([w as usize, h as usize], &rgba)
                });
            let _ = tx.send(Msg::Copied(r));
        });
    }

    /// Says why an export failed, in the export dialog (opened if it was not) and the
    /// status bar.
    fn export_failed(&mut self, e: String) {
        self.status = format!("Export failed: {e}");
        self.export_error = Some(e);
        self.show_export = self.has_figure();
    }

    /// The open file's folder.
    /// Asks for a timeline or a folder to open, starting beside the open file, else the most
    /// recent one.
    fn ask_to_open(&mut self, purpose: Purpose) {
        let dir = self
            .doc
            .as_ref()
            .map(|d| d.path.clone())
            .or_else(|| self.recent.files.first().cloned())
            .and_then(|p| p.parent().map(Path::to_path_buf));
        self.choose_file(purpose, dir, String::new());
    }

    fn doc_dir(&self) -> Option<PathBuf> {
        self.doc
            .as_ref()
            .and_then(|d| d.path.parent().map(Path::to_path_buf))
    }

    /// Asks for a path, with the desktop's dialog when it has one, else the in-window
    /// chooser; the answer arrives as `purpose`'s command.
    fn choose_file(&mut self, purpose: Purpose, dir: Option<PathBuf>, name: String) {
        if !self.native_dialogs {
            self.chooser = Some(FileChooser::new(purpose, dir, name));
            return;
        }
        self.pending_choice = Some((dir.clone(), name.clone()));
        self.spawn("Choosing a file…", move |tx| {
            let t0 = Instant::now();
            let title = purpose.title();
            let mut d = rfd::FileDialog::new().set_title(&title);
            if let Some(dir) = dir {
                d = d.set_directory(dir);
            }
            let picked = match purpose {
                Purpose::Open => d
                    .add_filter(
                        "Timelines, studies and spreadsheets",
                        &["ron", "txt", "tsv", "csv", "xlsx", "xlsm", "xls", "ods"],
                    )
                    .add_filter("Timeline (.ron)", &["ron"])
                    .pick_file(),
                Purpose::OpenFolder => d.pick_folder(),
                Purpose::Export(f) => d
                    .set_file_name(&name)
                    .add_filter(f.name().to_uppercase(), &[f.extension()])
                    .save_file(),
                Purpose::Report => d.set_file_name(&name).save_file(),
            };
            let _ = tx.send(Msg::Picked(purpose, picked, t0.elapsed()));
        });
    }

    /// The in-window chooser, when open.
    fn chooser_window(&mut self, ctx: &egui::Context) {
        let Some(ch) = &mut self.chooser else { return };
        if let Some(done) = ch.show(ctx) {
            self.chooser = None;
            match done {
                Some(c) => self.queue.push(c),
                None => self.status = "Cancelled".into(),
            }
        }
    }

    fn spawn(&mut self, what: &'static str, job: impl FnOnce(Sender<Msg>) + Send + 'static) {
        let tx = self.tx.clone();
        let ctx = self.ctx.clone();
        self.busy = Some(what);
        self.status = what.to_string();
        std::thread::spawn(move || {
            job(tx);
            ctx.request_repaint();
        });
    }

    fn poll(&mut self, ctx: &egui::Context) {
        while let Ok(msg) = self.rx.try_recv() {
            self.busy = None;
            match msg {
                Msg::Picked(purpose, Some(p), _) => self.apply(purpose.command(p)),
                Msg::Picked(purpose, None, open_for) => {
                    if open_for < NO_DIALOG_WITHIN {
                        // No person cancels that fast: there was no dialog. Use the
                        // in-window chooser from now on.
                        self.native_dialogs = false;
                        let (dir, name) = self.pending_choice.take().unwrap_or_default();
                        self.choose_file(purpose, dir, name);
                    } else {
                        self.status = "Cancelled".into();
                    }
                }
                Msg::Exported(Ok(p)) => {
                    self.export_error = None;
                    self.status = format!("Exported {}", p.display());
                    self.show_export = false;
                }
                Msg::Exported(Err(e)) => self.export_failed(e),
                Msg::Copied(Ok(img)) => {
                    self.status = format!(
                        "Figure copied to the clipboard ({}×{} px)",
                        img.size[0], img.size[1]
                    );
                    ctx.copy_image(img);
                }
                Msg::Copied(Err(e)) => self.status = format!("Copy failed: {e}"),
            }
        }
        if let Some(w) = &mut self.watch {
            match w.due(Instant::now()) {
                Ok(true) => self.apply(Command::Reload),
                Err(Some(wait)) => ctx.request_repaint_after(wait),
                _ => {}
            }
        }
    }

    /// Keys of [`super::keys::table`] and dropped files, as commands.
    fn shortcuts(&mut self, ctx: &egui::Context) {
        // A text field (the chooser's name) keeps its keys; the chooser closes itself on
        // Escape; the time axis moves only when a figure is shown.
        let typing = ctx.egui_wants_keyboard_input();
        let modal = self.chooser.is_some();
        let figure =
            self.cached.is_some() && self.zooms() && !self.show_export && self.enlarged.is_none();
        let mut cmds = Vec::new();
        ctx.input_mut(|i| {
            for s in super::keys::table() {
                let skip = (modal && matches!(s.command, Command::CloseDialog | Command::Back))
                    || ((typing || modal || !figure) && super::keys::moves_time(&s.command))
                    || (typing && s.key.modifiers.is_none());
                if !skip && i.consume_shortcut(&s.key) {
                    cmds.push(s.command);
                }
            }
            if let Some(f) = i
                .raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .next()
            {
                cmds.push(Command::Open(f));
            }
        });
        self.queue.extend(cmds);
    }

    fn run_queue(&mut self) {
        for c in std::mem::take(&mut self.queue) {
            self.apply(c);
        }
    }
}

/// An egui colour of a core colour.
pub(crate) fn c32(c: crate::scene::Color) -> Color32 {
    Color32::from_rgba_unmultiplied(c.r, c.g, c.b, c.a)
}

/// The viewer's own look, in its dark and light forms: the text colours of
/// [`crate::theme::PanelColors`] (AA on the panels), keyboard focus drawn as a clear
/// 2-point outline (a focused widget is drawn with the "active" visuals).
pub fn style(ctx: &egui::Context) {
    for theme in [egui::Theme::Dark, egui::Theme::Light] {
        let p = crate::theme::PanelColors::of(theme == egui::Theme::Dark);
        ctx.style_mut_of(theme, |s| {
            let v = &mut s.visuals;
            v.panel_fill = c32(p.background);
            v.window_fill = c32(p.background);
            v.widgets.noninteractive.fg_stroke.color = c32(p.text);
            v.weak_text_color = Some(c32(p.weak));
            v.error_fg_color = c32(p.error);
            v.warn_fg_color = c32(p.warning);
            v.hyperlink_color = c32(p.link);
            v.widgets.active.bg_stroke = egui::Stroke::new(2.0, v.selection.stroke.color);
        });
    }
}

/// A native dialog that answers "cancelled" sooner than this was never shown.
const NO_DIALOG_WITHIN: Duration = Duration::from_millis(400);

fn load_status(doc: &Document, verb: &str) -> String {
    let name = doc.path.display();
    if doc.failed {
        format!(
            "{name} has {} — {}",
            count(doc.errors(), "error"),
            if doc.timeline.is_some() {
                "showing the last good figure"
            } else {
                "nothing to show"
            }
        )
    } else {
        let w = doc.warnings();
        if w == 0 {
            format!("{verb} {name}")
        } else {
            format!("{verb} {name} ({})", count(w, "warning"))
        }
    }
}

impl eframe::App for ViewerApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        // Recent files are saved when they change, not only on a clean quit.
        if self.persist
            && self.recent != self.saved_recent
            && let Some(st) = frame.storage_mut()
        {
            st.set_string(KEY_RECENT, self.recent.to_lines());
            st.flush();
            self.saved_recent = self.recent.clone();
        }
        self.poll(&ctx);
        // A figure just laid out may have drawn characters from a fallback font egui lacks.
        if crate::fonts::fallbacks_in_use().len() != self.fonts_installed {
            self.fonts_installed = paint::install_fonts(&ctx);
        }
        self.shortcuts(&ctx);
        self.run_queue();

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        self.status_bar(ui);
        self.problems_panel(ui);
        self.side_panel(ui);
        egui::CentralPanel::default().show(ui, |ui| {
            if self.doc.is_none() {
                self.start_screen(ui);
            } else {
                self.canvas(ui);
            }
        });
        self.image_window(&ctx);
        self.export_window(&ctx);
        self.shortcuts_window(&ctx);
        self.chooser_window(&ctx);
        let title = self.doc.as_ref().map(|d| {
            let name = d
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            format!("{name} — txline")
        });
        if title != self.title {
            self.title = title.clone();
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(
                title.unwrap_or_else(|| "txline".into()),
            ));
        }
        self.screenshot_step(&ctx);
        if !self.queue.is_empty() {
            ctx.request_repaint();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if !self.persist {
            return;
        }
        self.recent.prune();
        storage.set_string(KEY_RECENT, self.recent.to_lines());
        storage.set_string(KEY_AXIS, self.view.axis.name().to_string());
        storage.set_string(KEY_THEME, self.view.theme.name().to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text colour the viewer's panels use, on the panel background, in both looks:
    /// labels, weak text, errors, warnings, links, button text on buttons, selected text.
    #[test]
    fn every_panel_text_reaches_aa_in_both_looks() {
        let ctx = egui::Context::default();
        style(&ctx);
        let rgb = |c: Color32| crate::scene::Color::rgb(c.r(), c.g(), c.b());
        for theme in [egui::Theme::Dark, egui::Theme::Light] {
            let v = ctx.style_of(theme).visuals.clone();
            let bg = v.panel_fill;
            let w = &v.widgets;
            let pairs = [
                ("label", w.noninteractive.fg_stroke.color, bg),
                ("weak", v.weak_text_color(), bg),
                ("error", v.error_fg_color, bg),
                ("warning", v.warn_fg_color, bg),
                ("link", v.hyperlink_color, bg),
                (
                    "button",
                    w.inactive.fg_stroke.color,
                    w.inactive.weak_bg_fill,
                ),
                (
                    "hovered button",
                    w.hovered.fg_stroke.color,
                    w.hovered.weak_bg_fill,
                ),
                ("selected", v.selection.stroke.color, v.selection.bg_fill),
            ];
            for (name, fg, back) in pairs {
                let r = crate::theme::contrast(rgb(fg), rgb(back));
                assert!(r >= 4.5, "{theme:?} {name}: {r:.2}:1");
            }
        }
    }

    #[test]
    fn window_clamps_to_timeline() {
        assert_eq!(clamp_window(0.0, 2000.0, Some((0, 1000))), None);
        assert_eq!(
            clamp_window(100.0, 102.0, Some((0, 1000))),
            Some((97.5, 104.5))
        );
        let (a, b) = clamp_window(-500.0, 100.0, Some((0, 1000))).unwrap();
        assert_eq!((a, b), (-50.0, 550.0));
    }
}

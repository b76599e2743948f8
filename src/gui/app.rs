//! The viewer window: menus, side panel, problems panel, the figure canvas, the export
//! dialog and the image viewer. Every action goes through [`Command`].

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eframe::egui::{self, Color32, Key, KeyboardShortcut, Modifiers, RichText};

use super::paint::{self, Textures, Transform};
use super::state::{
    Command, Document, ExportSettings, Format, RecentFiles, Size, bundled_examples, encode_guarded,
    layout_guarded, location,
};
use super::watch::FileWatch;
use crate::diagnostics::{Diagnostic, Severity};
use crate::export::png;
use crate::layout::{AxisMode, LayoutOptions};
use crate::model::Timeline;
use crate::page::{Page, Preset};
use crate::scene::{ItemRef, Scene};
use crate::theme::ThemeKind;

const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
const RELOAD: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::R);
const EXPORT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
const FIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);
const COPY: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::C);
const QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);

/// Persistence keys.
const KEY_RECENT: &str = "txline.recent";
const KEY_AXIS: &str = "txline.axis";
const KEY_THEME: &str = "txline.theme";

/// Text colour of errors in the viewer's own panels (not the figure).
const ERROR_COLOR: Color32 = Color32::from_rgb(200, 40, 40);
/// Text colour of warnings in the viewer's own panels.
const WARNING_COLOR: Color32 = Color32::from_rgb(190, 120, 0);

/// The smallest figure the canvas lays out.
const MIN_CANVAS: (f32, f32) = (320.0, 240.0);

/// Results of work done off the UI thread.
enum Msg {
    Picked(Option<PathBuf>),
    SavePicked(Option<PathBuf>),
    ReportPicked(Option<PathBuf>),
    Exported(Result<PathBuf, String>),
    Copied(Result<egui::ColorImage, String>),
}

/// A `--screenshot` request: render, save the window, close.
pub struct ScreenshotJob {
    /// Where to write the PNG.
    pub path: PathBuf,
    /// Filled when done: `Ok` or why it failed. Read by [`super::run`] after the window closed.
    pub result: Arc<Mutex<Option<Result<(), String>>>>,
    started: Instant,
    frames: u32,
    requested: bool,
}

impl ScreenshotJob {
    /// A job writing to `path`.
    pub fn new(path: PathBuf, result: Arc<Mutex<Option<Result<(), String>>>>) -> Self {
        ScreenshotJob {
            path,
            result,
            started: Instant::now(),
            frames: 0,
            requested: false,
        }
    }

    fn finish(&self, r: Result<(), String>) {
        if let Ok(mut g) = self.result.lock()
            && g.is_none()
        {
            *g = Some(r);
        }
    }

    fn done(&self) -> bool {
        self.result.lock().map(|g| g.is_some()).unwrap_or(true)
    }
}

/// What the canvas shows: a scene laid out for a key, and its egui shapes.
struct Cached {
    key: SceneKey,
    scene: Arc<Scene>,
    shapes: Vec<egui::Shape>,
    shapes_key: Option<(egui::Vec2, f32)>,
}

#[derive(Debug, Clone, PartialEq)]
struct SceneKey {
    generation: u64,
    options: LayoutOptions,
    size: (u32, u32),
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
    /// The de-identification report of the open file: (generation, headline, text).
    deid_report: Option<(u64, Arc<(String, String)>)>,
    /// The export dialog shows the report.
    pub show_report: bool,
}

impl ViewerApp {
    /// A viewer, opening `file` when given. Reads recent files and settings from `storage`.
    pub fn new(
        ctx: &egui::Context,
        storage: Option<&dyn eframe::Storage>,
        file: Option<PathBuf>,
        screenshot: Option<ScreenshotJob>,
    ) -> Self {
        paint::install_fonts(ctx);
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
        };
        if let Some(st) = storage
            && app.persist
        {
            if let Some(s) = st.get_string(KEY_RECENT) {
                app.recent = RecentFiles::from_lines(&s);
            }
            if let Some(a) = st
                .get_string(KEY_AXIS)
                .and_then(|s| AxisMode::ALL.into_iter().find(|m| m.name() == s))
            {
                app.view.axis = a;
            }
            if let Some(t) = st
                .get_string(KEY_THEME)
                .and_then(|s| ThemeKind::ALL.into_iter().find(|m| m.name() == s))
            {
                app.view.theme = t;
            }
        }
        if let Some(f) = file {
            app.apply(Command::Open(f));
        }
        app
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
        let tl = self.timeline().ok_or("no figure to export")?;
        self.export.scene(tl, &self.view)
    }

    /// Runs a command now.
    pub fn apply(&mut self, c: Command) {
        match c {
            Command::Open(path) => self.open(path),
            Command::OpenDialog => {
                self.spawn("Choosing a file…", |tx| {
                    let picked = rfd::FileDialog::new()
                        .set_title("Open timeline")
                        .add_filter("Timeline (.ron)", &["ron"])
                        .pick_file();
                    let _ = tx.send(Msg::Picked(picked));
                });
            }
            Command::Reload => {
                if let Some(doc) = &mut self.doc {
                    let ok = doc.load();
                    if ok {
                        self.textures.clear();
                    }
                    self.status = load_status(doc, "Reloaded");
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
            Command::ShowExport(on) => self.show_export = on,
            Command::ExportDialog => {
                let Some(tl) = self.timeline() else {
                    self.status = "Nothing to export: open a timeline first".into();
                    return;
                };
                let name = self.export.default_name(tl);
                let dir = self
                    .doc
                    .as_ref()
                    .and_then(|d| d.path.parent().map(|p| p.to_path_buf()));
                let format = self.export.format;
                self.spawn("Choosing where to save…", move |tx| {
                    let mut d = rfd::FileDialog::new()
                        .set_title("Export figure")
                        .set_file_name(&name)
                        .add_filter(format.name().to_uppercase(), &[format.extension()]);
                    if let Some(dir) = dir {
                        d = d.set_directory(dir);
                    }
                    let _ = tx.send(Msg::SavePicked(d.save_file()));
                });
            }
            Command::ExportTo(path) => {
                let scene = match self.export_scene() {
                    Ok(s) => s,
                    Err(e) => {
                        self.status = format!("Export failed: {e}");
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
                let scene = match self.export_scene() {
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
                            egui::ColorImage::from_rgba_unmultiplied(
                                [w as usize, h as usize],
                                &rgba,
                            )
                        });
                    let _ = tx.send(Msg::Copied(r));
                });
            }
            Command::ShowImage(i) => self.enlarged = i,
            Command::SaveReportDialog => {
                let dir = self
                    .doc
                    .as_ref()
                    .and_then(|d| d.path.parent().map(|p| p.to_path_buf()));
                self.spawn("Choosing where to save…", move |tx| {
                    let mut d = rfd::FileDialog::new()
                        .set_title(crate::deidentify::report::SAVE_REPORT)
                        .set_file_name(crate::deidentify::report::REPORT_FILE_NAME);
                    if let Some(dir) = dir {
                        d = d.set_directory(dir);
                    }
                    let _ = tx.send(Msg::ReportPicked(d.save_file()));
                });
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
            Command::ChoosePatient(i) => {
                if let Some(doc) = &mut self.doc {
                    doc.patient = i;
                    doc.timeline = None;
                    doc.load();
                    self.status = load_status(doc, "Opened");
                }
                self.textures.clear();
                self.cached = None;
                self.preview = None;
                self.view.window = None;
                self.view.hidden_lanes.clear();
                self.view.hidden_tracks.clear();
                self.enlarged = None;
            }
            Command::CopyText(t) => {
                self.ctx.copy_text(t.clone());
                self.status = format!("Copied {t}");
            }
        }
    }

    fn open(&mut self, path: PathBuf) {
        let mut doc = Document::new(path.clone());
        doc.load();
        self.status = load_status(&doc, "Opened");
        // Keep the watch and the figure only when the file is readable at all.
        if doc.timeline.is_some() || path.is_file() {
            self.recent.push(&path);
        }
        self.textures.clear();
        self.cached = None;
        self.preview = None;
        self.view.window = None;
        self.view.hidden_lanes.clear();
        self.view.hidden_tracks.clear();
        self.enlarged = None;
        let ctx = self.ctx.clone();
        self.watch = FileWatch::new(&path, move || ctx.request_repaint()).ok();
        self.doc = Some(doc);
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
                Msg::Picked(Some(p)) => self.apply(Command::Open(p)),
                Msg::Picked(None) => self.status = format!("No file opened. {NO_DIALOG}"),
                Msg::SavePicked(Some(p)) => self.apply(Command::ExportTo(p)),
                Msg::SavePicked(None) => self.status = format!("Not exported. {NO_DIALOG}"),
                Msg::ReportPicked(Some(p)) => self.apply(Command::SaveReportTo(p)),
                Msg::ReportPicked(None) => self.status = format!("Report not saved. {NO_DIALOG}"),
                Msg::Exported(Ok(p)) => {
                    self.status = format!("Exported {}", p.display());
                    self.show_export = false;
                }
                Msg::Exported(Err(e)) => self.status = format!("Export failed: {e}"),
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

    fn shortcuts(&mut self, ctx: &egui::Context) {
        let mut cmds = Vec::new();
        ctx.input_mut(|i| {
            if i.consume_shortcut(&COPY) {
                cmds.push(Command::CopyFigure);
            }
            if i.consume_shortcut(&OPEN) {
                cmds.push(Command::OpenDialog);
            }
            if i.consume_shortcut(&RELOAD) {
                cmds.push(Command::Reload);
            }
            if i.consume_shortcut(&EXPORT) {
                cmds.push(Command::ShowExport(true));
            }
            if i.consume_shortcut(&FIT) {
                cmds.push(Command::FitToWindow);
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
        if ctx.input_mut(|i| i.consume_shortcut(&QUIT)) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        self.queue.extend(cmds);
    }

    fn run_queue(&mut self) {
        for c in std::mem::take(&mut self.queue) {
            self.apply(c);
        }
    }

    /// Lays out the on-screen scene for a canvas width when anything it depends on changed:
    /// at the canvas's width and the height the figure needs (the canvas scrolls), so the
    /// viewer never cuts or squeezes a part out.
    fn ensure_scene(&mut self, size: egui::Vec2) {
        let Some(doc) = &self.doc else { return };
        let Some(tl) = &doc.timeline else { return };
        let key = SceneKey {
            generation: doc.generation,
            options: self.view.clone(),
            // The height is the figure's own: only the width is part of the key.
            size: (size.x.max(MIN_CANVAS.0).floor() as u32, 0),
        };
        if self.cached.as_ref().is_some_and(|c| c.key == key) {
            return;
        }
        let page = Page {
            height: None,
            ..Page::pixels(key.size.0 as f32, MIN_CANVAS.1)
        };
        match layout_guarded(tl, &self.view, &page) {
            Ok(scene) => {
                self.layout_error = None;
                self.cached = Some(Cached {
                    key,
                    scene: Arc::new(scene),
                    shapes: Vec::new(),
                    shapes_key: None,
                });
            }
            Err(e) => {
                // Keep the last figure; say why it did not change.
                self.layout_error = Some(e);
                if let Some(c) = &mut self.cached {
                    c.key = key;
                }
            }
        }
    }

    // ----- UI -----

    fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let has_fig = self.timeline().is_some();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui
                    .add(egui::Button::new("Open…").shortcut_text(ui.ctx().format_shortcut(&OPEN)))
                    .clicked()
                {
                    self.queue.push(Command::OpenDialog);
                }
                ui.menu_button("Open recent", |ui| {
                    if self.recent.files.is_empty() {
                        ui.label("No recent files");
                    }
                    for f in self.recent.files.clone() {
                        if ui.button(f.display().to_string()).clicked() {
                            self.queue.push(Command::Open(f));
                        }
                    }
                });
                if ui
                    .add_enabled(
                        self.doc.is_some(),
                        egui::Button::new("Reload")
                            .shortcut_text(ui.ctx().format_shortcut(&RELOAD)),
                    )
                    .clicked()
                {
                    self.queue.push(Command::Reload);
                }
                ui.separator();
                if ui
                    .add_enabled(
                        has_fig,
                        egui::Button::new("Export…")
                            .shortcut_text(ui.ctx().format_shortcut(&EXPORT)),
                    )
                    .clicked()
                {
                    self.queue.push(Command::ShowExport(true));
                }
                ui.separator();
                if ui
                    .add_enabled(self.doc.is_some(), egui::Button::new("Close"))
                    .clicked()
                {
                    self.queue.push(Command::Close);
                }
                if ui
                    .add(egui::Button::new("Quit").shortcut_text(ui.ctx().format_shortcut(&QUIT)))
                    .clicked()
                {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("Edit", |ui| {
                if ui
                    .add_enabled(
                        has_fig,
                        egui::Button::new("Copy figure")
                            .shortcut_text(ui.ctx().format_shortcut(&COPY)),
                    )
                    .clicked()
                {
                    self.queue.push(Command::CopyFigure);
                }
            });
            ui.menu_button("View", |ui| {
                if ui
                    .add_enabled(
                        has_fig,
                        egui::Button::new("Fit to window")
                            .shortcut_text(ui.ctx().format_shortcut(&FIT)),
                    )
                    .clicked()
                {
                    self.queue.push(Command::FitToWindow);
                }
                ui.separator();
                for a in AxisMode::ALL {
                    if ui
                        .radio(self.view.axis == a, format!("Axis: {}", a.name()))
                        .clicked()
                    {
                        self.queue.push(Command::SetAxis(a));
                    }
                }
                ui.separator();
                for t in ThemeKind::ALL {
                    if ui
                        .radio(self.view.theme == t, format!("Theme: {}", t.name()))
                        .clicked()
                    {
                        self.queue.push(Command::SetTheme(t));
                    }
                }
            });
        });
    }

    fn side_panel(&mut self, ui: &mut egui::Ui) {
        let Some(tl) = self.timeline().cloned() else {
            return;
        };
        let lanes = self
            .doc
            .as_ref()
            .map_or_else(|| Arc::from([]), |d| Arc::clone(&d.lanes));
        egui::Panel::left("side")
            .default_size(260.0)
            .resizable(true)
            .show(ui, |ui| {
                if self.doc.as_ref().is_some_and(|d| d.patients.len() > 1)
                    && ui.button("← All patients").clicked()
                {
                    self.queue.push(Command::ChoosePatient(None));
                }
                egui::ScrollArea::vertical().show(ui, |ui| {
                    ui.heading(&tl.patient.label);
                    egui::Grid::new("patient").num_columns(2).show(ui, |ui| {
                        for (k, v) in crate::details::patient_rows(&tl) {
                            ui.label(RichText::new(k).weak());
                            ui.label(v);
                            ui.end_row();
                        }
                    });
                    if !tl.intervals.is_empty() {
                        ui.separator();
                        let n = tl.intervals.len();
                        egui::CollapsingHeader::new(
                            RichText::new(format!("Intervals ({n})")).strong(),
                        )
                        .default_open(n <= 20)
                        .show(ui, |ui| {
                            for iv in &tl.intervals {
                                ui.label(iv.length_label()).on_hover_ui(|ui| {
                                    ui.label(crate::details::span_line(&tl, &iv.span));
                                });
                            }
                        });
                    }
                    ui.separator();
                    ui.label(RichText::new("View").strong());
                    ui.horizontal_wrapped(|ui| {
                        ui.label("Axis:");
                        for a in AxisMode::ALL {
                            if ui.selectable_label(self.view.axis == a, a.name()).clicked() {
                                self.queue.push(Command::SetAxis(a));
                            }
                        }
                    });
                    ui.horizontal_wrapped(|ui| {
                        ui.label("Theme:");
                        for t in ThemeKind::ALL {
                            if ui
                                .selectable_label(self.view.theme == t, t.name())
                                .clicked()
                            {
                                self.queue.push(Command::SetTheme(t));
                            }
                        }
                    });
                    let mut gaps = self.view.compress_gaps;
                    if ui.checkbox(&mut gaps, "Compress long gaps").changed() {
                        self.queue.push(Command::SetCompressGaps(gaps));
                    }
                    if !lanes.is_empty() {
                        ui.label(RichText::new("Lanes").strong());
                        for lane in lanes.iter() {
                            let mut on = !self.view.hidden_lanes.contains(lane);
                            if ui.checkbox(&mut on, lane).changed() {
                                self.queue.push(Command::SetLaneVisible(lane.clone(), on));
                            }
                        }
                    }
                    if !tl.measurements.is_empty() {
                        ui.label(RichText::new("Tracks").strong());
                        for (i, m) in tl.measurements.iter().enumerate() {
                            let mut on = !self.view.hidden_tracks.contains(&i);
                            if ui.checkbox(&mut on, &m.name).changed() {
                                self.queue.push(Command::SetTrackVisible(i, on));
                            }
                        }
                    }
                    if let Some((a, b)) = self.view.window {
                        ui.separator();
                        ui.label(format!(
                            "Showing {}",
                            crate::details::window_text(&tl, a, b)
                        ));
                        if ui.button("Whole timeline (Ctrl+0)").clicked() {
                            self.queue.push(Command::FitToWindow);
                        }
                    }
                });
            });
    }

    fn problems_panel(&mut self, ui: &mut egui::Ui) {
        let Some(doc) = &self.doc else { return };
        if doc.problems.is_empty() && self.layout_error.is_none() {
            return;
        }
        let problems = &doc.problems;
        let name = doc.path.display().to_string();
        let (errs, warns) = (doc.errors(), doc.warnings());
        let (failed, has_fig) = (doc.failed, doc.timeline.is_some());
        let layout_error = &self.layout_error;
        let mut clicked: Option<String> = None;
        egui::Panel::bottom("problems")
            .resizable(true)
            .default_size(150.0)
            .min_size(110.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    let head = if failed {
                        format!("{name} did not load: {errs} error(s), {warns} warning(s)")
                    } else {
                        format!("{name}: {warns} warning(s)")
                    };
                    ui.label(RichText::new(head).strong());
                    if failed && has_fig {
                        ui.label(
                            RichText::new("— showing the last good figure until the file is fixed")
                                .weak(),
                        );
                    }
                });
                ui.label(
                    RichText::new("Click a problem to copy FILE:LINE:COL")
                        .weak()
                        .small(),
                );
                if let Some(e) = layout_error {
                    ui.colored_label(ERROR_COLOR, e);
                }
                let scroll = egui::ScrollArea::vertical().auto_shrink([false, false]);
                if problems.len() <= 100 {
                    scroll.show(ui, |ui| {
                        for d in problems {
                            if let Some(l) = problem_row(ui, d, true) {
                                clicked = Some(l);
                            }
                        }
                    });
                } else {
                    // Thousands of warnings: lay out only the rows in view, one line each.
                    let row_h = ui.text_style_height(&egui::TextStyle::Monospace);
                    scroll.show_rows(ui, row_h, problems.len(), |ui, range| {
                        for d in &problems[range] {
                            if let Some(l) = problem_row(ui, d, false) {
                                clicked = Some(l);
                            }
                        }
                    });
                }
            });
        if let Some(l) = clicked {
            self.queue.push(Command::CopyText(l));
        }
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                if self.busy.is_some() {
                    ui.spinner();
                }
                ui.label(&self.status);
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if let Some(d) = &self.doc {
                        ui.label(RichText::new(d.path.display().to_string()).weak());
                    }
                });
            });
        });
    }

    fn start_screen(&mut self, ui: &mut egui::Ui) {
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() * 0.15);
            ui.heading("txline — treatment timeline viewer");
            ui.add_space(12.0);
            if ui
                .add(egui::Button::new(
                    RichText::new("Open a timeline…").size(18.0),
                ))
                .clicked()
            {
                self.queue.push(Command::OpenDialog);
            }
            ui.label(RichText::new("or drop a .ron file on this window").weak());
            if !self.recent.files.is_empty() {
                ui.add_space(16.0);
                ui.label(RichText::new("Recent files").strong());
                for f in self.recent.files.clone() {
                    if ui.link(f.display().to_string()).clicked() {
                        self.queue.push(Command::Open(f));
                    }
                }
            }
            if !self.examples.is_empty() {
                ui.add_space(16.0);
                ui.label(RichText::new("Examples").strong());
                for f in &self.examples {
                    let name = f
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    if ui.link(name).clicked() {
                        self.queue.push(Command::Open(f.clone()));
                    }
                }
            }
        });
    }

    /// A study or spreadsheet's patients, one button each.
    fn patient_list(&mut self, ui: &mut egui::Ui) {
        let Some(doc) = &self.doc else { return };
        ui.heading(format!(
            "{} patients in {}",
            doc.patients.len(),
            doc.path.display()
        ));
        ui.label("Choose a patient to show the timeline.");
        egui::ScrollArea::vertical().show(ui, |ui| {
            for (i, (id, ok)) in doc.patients.iter().enumerate() {
                let text = if *ok {
                    id.clone()
                } else {
                    format!("{id} — did not load, see the problems below")
                };
                if ui.add_enabled(*ok, egui::Button::new(text)).clicked() {
                    self.queue.push(Command::ChoosePatient(Some(i)));
                }
            }
        });
    }

    fn canvas(&mut self, ui: &mut egui::Ui) {
        if self.doc.as_ref().is_some_and(Document::shows_patient_list) {
            self.patient_list(ui);
            return;
        }
        let avail = ui.available_size();
        self.ensure_scene(avail);
        let Some(cached) = &mut self.cached else {
            if let Some(doc) = &self.doc {
                ui.centered_and_justified(|ui| {
                    ui.label(if doc.failed {
                        "The file did not load — see the problems below."
                    } else {
                        "No figure"
                    });
                });
            }
            return;
        };
        let scene = cached.scene.clone();
        // Said above the figure, in the core's words (the viewer lays out at the height the
        // figure needs, so this is rare: lane rows too many for any label).
        if let Some(msg) = scene.left_out.message() {
            ui.colored_label(ui.visuals().warn_fg_color, msg);
        }
        let avail = ui.available_size();
        if scene.width > avail.x + 0.5 {
            // Narrower than the figure's minimum width: scroll rather than squeeze.
            egui::ScrollArea::both()
                .auto_shrink([false, false])
                .show(ui, |ui| self.figure(ui, &scene, true));
        } else if scene.height > avail.y + 0.5 {
            // Taller than the window: the canvas scrolls vertically; Ctrl+wheel zooms.
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| self.figure(ui, &scene, true));
        } else {
            self.figure(ui, &scene, false);
        }
    }

    /// Paints the figure; `scrolls`: the canvas scrolls, so the plain wheel scrolls it and
    /// only Ctrl+wheel or a pinch zooms in time.
    fn figure(&mut self, ui: &mut egui::Ui, scene: &Arc<Scene>, scrolls: bool) {
        let ctx = ui.ctx().clone();
        let Some(cached) = &mut self.cached else {
            return;
        };
        let scene = scene.clone();
        let size = egui::vec2(scene.width, scene.height);
        let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click_and_drag());
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, "Timeline figure"));
        let tr = Transform {
            offset: rect.min.to_vec2(),
            scale: 1.0,
        };
        let ppp = ctx.pixels_per_point();
        if cached.shapes_key != Some((tr.offset, ppp)) {
            let t0 = Instant::now();
            cached.shapes = paint::scene_shapes(&scene, tr, &ctx, &mut self.textures);
            cached.shapes_key = Some((tr.offset, ppp));
            self.last_build = t0.elapsed();
        }
        let painter = ui.painter_at(rect);
        painter.extend(cached.shapes.iter().cloned());

        // Hover: highlight and describe the item under the pointer.
        self.hovered = None;
        if let Some(pos) = response.hover_pos() {
            let p = tr.inverse(pos);
            if let Some(item) = scene.hit(p) {
                self.hovered = Some(item);
                if let Some(b) = scene.bounds_of(item) {
                    painter.rect_stroke(
                        tr.rect(&b.expand(2.0)),
                        2.0,
                        egui::Stroke::new(1.5, Color32::from_rgb(30, 120, 220)),
                        egui::StrokeKind::Outside,
                    );
                }
                if let Some(tl) = self.doc.as_ref().and_then(|d| d.timeline.clone())
                    && let Some(d) = crate::details::describe(&tl, item)
                {
                    response.clone().on_hover_ui_at_pointer(|ui| {
                        ui.label(RichText::new(&d.title).strong());
                        for l in &d.lines {
                            ui.label(l);
                        }
                    });
                }
            }
        }
        if response.clicked()
            && let Some(ItemRef::Image(i)) = self.hovered
        {
            self.queue.push(Command::ShowImage(Some(i)));
        }

        // Zoom (wheel, Ctrl+wheel, pinch) and pan (drag, horizontal scroll) along time.
        if response.hovered() || response.dragged() {
            let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta()));
            let plot = scene.plot;
            let (d0, d1) = self.view.window.unwrap_or((
                scene.time_axis.day_of(plot.min.x),
                scene.time_axis.day_of(plot.max.x),
            ));
            let span = d1 - d0;
            let factor = if zoom != 1.0 {
                1.0 / zoom as f64
            } else if scrolls {
                1.0
            } else {
                (-scroll.y as f64 * 0.003).exp()
            };
            let pan_px = response.drag_delta().x + scroll.x;
            if (factor - 1.0).abs() > 1e-6 || pan_px != 0.0 {
                let pointer_day = response
                    .hover_pos()
                    .map(|p| scene.time_axis.day_of(tr.inverse(p).x))
                    .unwrap_or((d0 + d1) / 2.0);
                let mut a = pointer_day - (pointer_day - d0) * factor;
                let mut b = pointer_day + (d1 - pointer_day) * factor;
                let days_per_px = span / plot.width().max(1.0) as f64;
                a -= pan_px as f64 * days_per_px;
                b -= pan_px as f64 * days_per_px;
                let tl_range = self.timeline().map(|t| t.day_range());
                let new = clamp_window(a, b, tl_range);
                self.queue.push(Command::SetWindow(new));
            }
        }
    }

    fn image_window(&mut self, ctx: &egui::Context) {
        let Some(i) = self.enlarged else { return };
        let Some(tl) = self.timeline().cloned() else {
            return;
        };
        let Some(img) = tl.images.get(i) else {
            self.enlarged = None;
            return;
        };
        let mut open = true;
        egui::Window::new(img.caption.clone().unwrap_or_else(|| img.path.clone()))
            .open(&mut open)
            .collapsible(false)
            .resizable(true)
            .default_size(ctx.content_rect().size() * 0.7)
            .show(ctx, |ui| {
                match &img.data {
                    Ok(data) => {
                        if let Some(tex) = self.textures.get(ctx, data) {
                            let avail = ui.available_size() - egui::vec2(0.0, 40.0);
                            let (w, h) = (data.width.max(1) as f32, data.height.max(1) as f32);
                            let s = (avail.x / w).min(avail.y / h).max(0.05);
                            ui.image((tex, egui::vec2(w * s, h * s)));
                        } else {
                            ui.label("This image could not be decoded.");
                        }
                    }
                    Err(e) => {
                        ui.label(format!("Not shown: {e}"));
                    }
                }
                if let Some(d) = crate::details::describe(&tl, ItemRef::Image(i)) {
                    for l in d.lines.iter().take(2) {
                        ui.label(l);
                    }
                }
            });
        if !open || ctx.input(|i| i.key_pressed(Key::Escape)) {
            self.enlarged = None;
        }
    }

    fn export_window(&mut self, ctx: &egui::Context) {
        if !self.show_export {
            return;
        }
        let Some(tl) = self.timeline().cloned() else {
            self.show_export = false;
            return;
        };
        let mut open = true;
        let mut s = self.export.clone();
        egui::Window::new("Export figure")
            .open(&mut open)
            .collapsible(false)
            .resizable(true)
            .default_width(900.0)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| {
                egui::Grid::new("export").num_columns(2).show(ui, |ui| {
                    ui.label("Format");
                    ui.horizontal(|ui| {
                        for f in Format::ALL {
                            ui.selectable_value(&mut s.format, f, f.name().to_uppercase());
                        }
                    });
                    ui.end_row();
                    let size_label = ui.label("Size").id;
                    ui.horizontal(|ui| {
                        let label = match s.size {
                            Size::Preset(p) => preset_label(p),
                            Size::Pixels(w, h) => format!("{w} × {h} px"),
                        };
                        egui::ComboBox::from_id_salt("size")
                            .selected_text(label)
                            .show_ui(ui, |ui| {
                                for p in Preset::ALL {
                                    ui.selectable_value(
                                        &mut s.size,
                                        Size::Preset(p),
                                        preset_label(p),
                                    );
                                }
                                let custom = match s.size {
                                    Size::Pixels(..) => s.size,
                                    Size::Preset(p) => {
                                        let pg = p.page();
                                        Size::Pixels(
                                            pg.width as u32,
                                            pg.height.unwrap_or(pg.width * 0.5625) as u32,
                                        )
                                    }
                                };
                                ui.selectable_value(&mut s.size, custom, "Custom pixels");
                            })
                            .response
                            .labelled_by(size_label);
                        if let Size::Pixels(w, h) = &mut s.size {
                            ui.add(
                                egui::DragValue::new(w)
                                    .range(200..=png::MAX_SIDE)
                                    .suffix(" px"),
                            );
                            ui.label("×");
                            ui.add(
                                egui::DragValue::new(h)
                                    .range(150..=png::MAX_SIDE)
                                    .suffix(" px"),
                            );
                        }
                    });
                    ui.end_row();
                    ui.label("Theme");
                    ui.horizontal(|ui| {
                        for t in ThemeKind::ALL {
                            ui.selectable_value(&mut s.theme, t, t.name());
                        }
                        ui.checkbox(&mut s.transparent, "Transparent");
                    });
                    ui.end_row();
                    ui.label("Axis");
                    ui.horizontal(|ui| {
                        for a in AxisMode::ALL {
                            ui.selectable_value(&mut s.axis, a, a.name());
                        }
                    });
                    ui.end_row();
                    ui.label("Time");
                    ui.horizontal(|ui| {
                        ui.selectable_value(&mut s.visible_window_only, false, "Whole timeline");
                        ui.add_enabled_ui(self.view.window.is_some(), |ui| {
                            ui.selectable_value(&mut s.visible_window_only, true, "Visible window");
                        });
                        ui.checkbox(&mut s.compress_gaps, "Compress long gaps");
                    });
                    ui.end_row();
                    ui.label("Privacy");
                    ui.checkbox(&mut s.deidentify, "De-identify (no dates, names or IDs)");
                    ui.end_row();
                });
                if s.deidentify {
                    ui.label(
                        RichText::new(crate::deidentify::BURNED_IN_WARNING)
                            .color(ui.visuals().warn_fg_color),
                    );
                    self.report_row(ui);
                }
                ui.separator();
                self.export_preview(ui, &tl, &s);
                ui.separator();
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(self.busy.is_none(), egui::Button::new("Export…"))
                        .clicked()
                    {
                        self.queue.push(Command::ExportDialog);
                    }
                    if ui
                        .add_enabled(self.busy.is_none(), egui::Button::new("Copy to clipboard"))
                        .clicked()
                    {
                        self.queue.push(Command::CopyFigure);
                    }
                    ui.label(
                        RichText::new(format!("Default name: {}", s.default_name(&tl))).weak(),
                    );
                });
            });
        if s.visible_window_only && self.view.window.is_none() {
            s.visible_window_only = false;
        }
        self.export = s;
        if !open {
            self.show_export = false;
        }
    }

    /// The de-identification count, and buttons to show and save the report.
    fn report_row(&mut self, ui: &mut egui::Ui) {
        use crate::deidentify::report::{REVIEW_HINT, SAVE_REPORT, SHOW_REPORT};
        let Some(report) = self.deid_report() else {
            return;
        };
        ui.horizontal(|ui| {
            ui.label(&report.0).on_hover_text(REVIEW_HINT);
            ui.toggle_value(&mut self.show_report, SHOW_REPORT);
            if ui
                .add_enabled(self.busy.is_none(), egui::Button::new(SAVE_REPORT))
                .clicked()
            {
                self.queue.push(Command::SaveReportDialog);
            }
        });
        if self.show_report {
            egui::ScrollArea::both()
                .id_salt("deid report")
                .max_height(160.0)
                .show(ui, |ui| {
                    ui.add(egui::Label::new(RichText::new(&report.1).monospace()).extend());
                });
        }
    }

    /// The open file's de-identification report (headline, text), made once per load.
    fn deid_report(&mut self) -> Option<Arc<(String, String)>> {
        let doc = self.doc.as_ref()?;
        let tl = doc.timeline.clone()?;
        if let Some((g, r)) = &self.deid_report
            && *g == doc.generation
        {
            return Some(r.clone());
        }
        let report = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::deidentify::report_of(&tl, None)
        }))
        .ok()?;
        // The file loaded (so it is at most 32 MiB); read again only for positions.
        let source = std::fs::read_to_string(&doc.path).ok();
        let text = report.to_text(&doc.path.display().to_string(), source.as_deref());
        let r = Arc::new((report.headline(), text));
        self.deid_report = Some((doc.generation, r.clone()));
        Some(r)
    }

    fn export_preview(&mut self, ui: &mut egui::Ui, tl: &Arc<Timeline>, s: &ExportSettings) {
        let Some(doc) = &self.doc else { return };
        let key = SceneKey {
            generation: doc.generation,
            options: s.options(&self.view),
            size: (0, 0),
        };
        let fresh = self
            .preview
            .as_ref()
            .is_some_and(|(k, ps, _)| *k == key && ps == s);
        if !fresh {
            match s.scene(tl, &self.view) {
                Ok(scene) => {
                    self.preview = Some((key, s.clone(), Arc::new(scene)));
                    self.preview_shapes = None;
                }
                Err(e) => {
                    ui.colored_label(ERROR_COLOR, e);
                    return;
                }
            }
        }
        let Some((_, _, scene)) = &self.preview else {
            return;
        };
        let scene = scene.clone();
        let (w, h) = crate::export::png::pixel_size(&scene);
        ui.label(
            RichText::new(format!(
                "Preview — {w} × {h} px at {} dpi{}",
                scene.dpi,
                if matches!(s.format, Format::Svg | Format::Pdf) {
                    " (vector)"
                } else {
                    ""
                }
            ))
            .weak(),
        );
        let max = egui::vec2(ui.available_width().max(200.0), 420.0);
        let scale = (max.x / scene.width).min(max.y / scene.height).min(1.0);
        let (rect, _) = ui.allocate_exact_size(
            egui::vec2(scene.width * scale, scene.height * scale),
            egui::Sense::hover(),
        );
        let tr = Transform {
            offset: rect.min.to_vec2(),
            scale,
        };
        // Built once per preview scene and placement, not every frame the dialog is open.
        let shapes_key = (tr.offset, scale, ui.ctx().pixels_per_point());
        if self
            .preview_shapes
            .as_ref()
            .is_none_or(|(k, _)| *k != shapes_key)
        {
            let shapes = paint::scene_shapes(&scene, tr, ui.ctx(), &mut self.textures);
            self.preview_shapes = Some((shapes_key, shapes));
        }
        let painter = ui.painter_at(rect);
        if let Some((_, shapes)) = &self.preview_shapes {
            painter.extend(shapes.iter().cloned());
        }
        painter.rect_stroke(
            rect,
            0.0,
            ui.visuals().window_stroke,
            egui::StrokeKind::Outside,
        );
    }

    fn screenshot_step(&mut self, ctx: &egui::Context) {
        let Some(job) = &mut self.screenshot else {
            return;
        };
        if job.done() {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        job.frames += 1;
        if job.started.elapsed() > Duration::from_secs(20) {
            job.finish(Err("timed out waiting for the window to render".into()));
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        let list = self.doc.as_ref().is_some_and(|d| d.shows_patient_list());
        match &self.doc {
            None => {
                job.finish(Err("no file to show".into()));
                return;
            }
            Some(d) if d.timeline.is_none() && !list => {
                let msg = d
                    .problems
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("\n");
                job.finish(Err(msg));
                return;
            }
            _ => {}
        }
        if let Some(e) = &self.layout_error
            && self.cached.is_none()
        {
            job.finish(Err(e.clone()));
            return;
        }
        // A few frames so the window has its final size and textures are uploaded.
        // (A study's patient list is shown as it is: it has no figure.)
        if job.frames >= 4 && (self.cached.is_some() || list) && !job.requested {
            job.requested = true;
            let path = job.path.clone();
            let result = job.result.clone();
            let ctx2 = ctx.clone();
            ctx.request_screenshot(move |img| {
                let r = save_png(&path, &img);
                if let Ok(mut g) = result.lock() {
                    *g = Some(r);
                }
                ctx2.request_repaint();
            });
        }
        ctx.request_repaint_after(Duration::from_millis(50));
    }
}

/// One line of the problems panel; returns the location when clicked.
fn problem_row(ui: &mut egui::Ui, d: &Diagnostic, wrap: bool) -> Option<String> {
    let (tag, col) = match d.severity {
        Severity::Error => ("error", ERROR_COLOR),
        Severity::Warning => ("warning", WARNING_COLOR),
    };
    let loc = location(d);
    let full = format!("{loc}: {tag}: {}", d.message);
    let text = RichText::new(full.clone()).monospace().color(col);
    let mut label = egui::Label::new(text).sense(egui::Sense::click());
    if !wrap {
        label = label.truncate();
    }
    let r = ui.add(label).on_hover_ui(|ui| {
        if !wrap {
            ui.label(&full);
        }
        ui.label(format!("Click to copy {loc}"));
    });
    r.clicked().then_some(loc)
}

/// Writes an egui screenshot as PNG.
fn save_png(path: &std::path::Path, img: &egui::ColorImage) -> Result<(), String> {
    let [w, h] = img.size;
    let mut rgba = Vec::with_capacity(w * h * 4);
    for c in &img.pixels {
        rgba.extend_from_slice(&c.to_srgba_unmultiplied());
    }
    let buf = image::RgbaImage::from_raw(w as u32, h as u32, rgba)
        .ok_or("screenshot has the wrong number of pixels")?;
    buf.save_with_format(path, image::ImageFormat::Png)
        .map_err(|e| format!("could not write {}: {e}", path.display()))
}

const NO_DIALOG: &str = "(If no file dialog appeared, this desktop has neither xdg-desktop-portal nor zenity: install one. Files can also be dropped on the window or named on the command line: txline FILE, txline export FILE.)";

fn load_status(doc: &Document, verb: &str) -> String {
    let name = doc.path.display();
    if doc.failed {
        let n = doc.errors();
        format!(
            "{name} has {n} error{} — {}",
            if n == 1 { "" } else { "s" },
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
            format!(
                "{verb} {name} ({w} warning{})",
                if w == 1 { "" } else { "s" }
            )
        }
    }
}

fn preset_label(p: Preset) -> String {
    let pg = p.page();
    match pg.height {
        Some(h) => format!("{} ({} × {} px)", p.name(), pg.width, h),
        None => format!("{} ({} px wide, {} dpi)", p.name(), pg.width, pg.dpi),
    }
}

/// Keeps a time window sensible: at least a week, inside the timeline's range (with a
/// margin); `None` once it covers the whole timeline.
pub fn clamp_window(a: f64, b: f64, range: Option<(i64, i64)>) -> Option<(f64, f64)> {
    if !(a.is_finite() && b.is_finite()) {
        return None;
    }
    let (mut a, mut b) = (a.min(b), a.max(b));
    if b - a < 7.0 {
        let m = (a + b) / 2.0;
        a = m - 3.5;
        b = m + 3.5;
    }
    let Some((lo, hi)) = range else {
        return Some((a, b));
    };
    let margin = ((hi - lo) as f64 * 0.05).max(7.0);
    let (lo, hi) = (lo as f64 - margin, hi as f64 + margin);
    if b - a >= hi - lo {
        return None;
    }
    if a < lo {
        b += lo - a;
        a = lo;
    }
    if b > hi {
        a -= b - hi;
        b = hi;
    }
    Some((a, b))
}

impl eframe::App for ViewerApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.poll(&ctx);
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

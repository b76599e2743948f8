//! The in-window file chooser, used when the desktop has no native file dialog (no
//! xdg-desktop-portal and no zenity on Linux) or when `TXLINE_FILE_CHOOSER=window` asks for
//! it: browse folders, see only what the viewer can open (timelines, cBioPortal studies,
//! spreadsheets) or what an export writes, type a name.
//!
//! [`Listing`] is the folder read once per visit (bounded: at most [`MAX_ENTRIES`] names),
//! [`FileChooser`] the dialog's state and its egui window. Where a native dialog exists it
//! is used instead ([`native_available`]).

use std::path::{Path, PathBuf};

use eframe::egui::{self, RichText};

use super::state::{Command, Format};

/// The environment variable that picks the dialog: `window` (always the in-window chooser)
/// or `native` (always the desktop's dialog).
pub const ENV_CHOOSER: &str = "TXLINE_FILE_CHOOSER";

/// At most this many entries of a folder are read and listed.
pub const MAX_ENTRIES: usize = 5000;

/// At most this many sub-folders are looked into to tell studies from plain folders.
const MAX_PROBED_FOLDERS: usize = 200;

/// True when the desktop can show a native file dialog: always on Windows and macOS; on
/// Linux and the BSDs when a session bus (for xdg-desktop-portal) or `zenity` exists.
/// [`ENV_CHOOSER`] overrides the guess.
pub fn native_available() -> bool {
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty());
    decide(
        std::env::var(ENV_CHOOSER).ok().as_deref(),
        cfg!(any(target_os = "windows", target_os = "macos")),
        bus || on_path("zenity"),
    )
}

/// The rule of [`native_available`]: the variable, else the platform, else a desktop that
/// has a portal or zenity.
fn decide(var: Option<&str>, native_platform: bool, portal_or_zenity: bool) -> bool {
    match var {
        Some("window") => false,
        Some("native") => true,
        _ => native_platform || portal_or_zenity,
    }
}

/// True when an executable called `name` is in a folder of `PATH`.
fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(name).is_file()))
}

/// What the chooser is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Open a timeline, a study folder or a spreadsheet.
    Open,
    /// Open a folder of timelines as a cohort (the folder shown when Open is pressed).
    OpenFolder,
    /// Choose where to export the figure in this format.
    Export(Format),
    /// Choose where to save the de-identification report.
    Report,
}

impl Purpose {
    /// The window's title.
    pub fn title(self) -> String {
        match self {
            Purpose::Open => "Open a timeline".into(),
            Purpose::OpenFolder => "Open a folder of timelines (a cohort)".into(),
            Purpose::Export(f) => format!("Export figure as {}", f.name().to_uppercase()),
            Purpose::Report => crate::deidentify::report::SAVE_REPORT.into(),
        }
    }

    fn saves(self) -> bool {
        !matches!(self, Purpose::Open | Purpose::OpenFolder)
    }

    /// The extension a saved file gets when its name has none.
    fn extension(self) -> Option<&'static str> {
        match self {
            Purpose::Open | Purpose::OpenFolder => None,
            Purpose::Export(f) => Some(f.extension()),
            Purpose::Report => Path::new(crate::deidentify::report::REPORT_FILE_NAME)
                .extension()
                .and_then(|e| e.to_str()),
        }
    }

    /// The command a chosen path becomes.
    pub fn command(self, path: PathBuf) -> Command {
        match self {
            Purpose::Open | Purpose::OpenFolder => Command::Open(path),
            Purpose::Export(_) => Command::ExportTo(path),
            Purpose::Report => Command::SaveReportTo(path),
        }
    }
}

/// What an entry of a folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A folder to browse.
    Folder,
    /// A folder the viewer opens whole (a cBioPortal study, a folder of spreadsheets).
    Study,
    /// A file that matches the purpose (a timeline or importable file; an export's format).
    File,
    /// Another file (listed only with "Show all files").
    Other,
}

/// One entry of a folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The file name.
    pub name: String,
    /// The full path.
    pub path: PathBuf,
    /// What it is.
    pub kind: Kind,
}

/// A folder's entries: folders first, then files, each by name (case-insensitive).
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// The entries shown.
    pub entries: Vec<Entry>,
    /// Files the filter left out.
    pub hidden: usize,
    /// Entries beyond [`MAX_ENTRIES`], not read.
    pub beyond: usize,
    /// Why the folder could not be read.
    pub error: Option<String>,
}

impl Listing {
    /// Reads `dir` for `purpose`; `all`: list every file, not only matching ones. Hidden
    /// (dot) files are left out. Only regular files are opened (a FIFO is never read).
    pub fn read(dir: &Path, purpose: Purpose, all: bool) -> Listing {
        let rd = match std::fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => {
                return Listing {
                    error: Some(format!("{} could not be read: {e}", dir.display())),
                    ..Default::default()
                };
            }
        };
        let mut out = Listing::default();
        let mut probed = 0;
        for (i, e) in rd.filter_map(Result::ok).enumerate() {
            if i >= MAX_ENTRIES {
                out.beyond += 1;
                continue;
            }
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let path = e.path();
            // `metadata` follows links, so a link to a folder is browsed like a folder.
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            let kind = if meta.is_dir() {
                probed += 1;
                if purpose == Purpose::Open
                    && probed <= MAX_PROBED_FOLDERS
                    && crate::import::is_import_input(&path)
                {
                    Kind::Study
                } else {
                    Kind::Folder
                }
            } else if meta.is_file() && matches(&path, purpose) {
                Kind::File
            } else {
                Kind::Other
            };
            if kind == Kind::Other && !all {
                out.hidden += 1;
                continue;
            }
            out.entries.push(Entry { name, path, kind });
        }
        out.entries.sort_by_cached_key(|e| {
            (
                !matches!(e.kind, Kind::Folder | Kind::Study),
                e.name.to_lowercase(),
            )
        });
        out
    }
}

/// True when a regular file matches the purpose.
fn matches(path: &Path, purpose: Purpose) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match purpose {
        Purpose::Open => ext.as_deref() == Some("ron") || crate::import::is_import_input(path),
        // Its timelines are shown, greyed out of choice: the folder is what is opened.
        Purpose::OpenFolder => ext.as_deref() == Some("ron"),
        p => ext.as_deref() == p.extension(),
    }
}

/// The path a typed name saves to: relative names in `dir`; the purpose's extension added
/// when the name has none (`P1-timeline` → `P1-timeline.png`).
pub fn save_path(dir: &Path, name: &str, purpose: Purpose) -> Option<PathBuf> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let mut p = dir.join(expand_home(name));
    if p.extension().is_none()
        && let Some(ext) = purpose.extension()
    {
        p.set_extension(ext);
    }
    Some(p)
}

/// `~/x` → the home folder's `x`.
fn expand_home(name: &str) -> PathBuf {
    match (
        name.strip_prefix("~/").or((name == "~").then_some("")),
        home(),
    ) {
        (Some(rest), Some(h)) => h.join(rest),
        _ => PathBuf::from(name),
    }
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
}

/// The in-window chooser's state.
#[derive(Debug)]
pub struct FileChooser {
    /// What it is for.
    pub purpose: Purpose,
    /// The folder shown.
    pub dir: PathBuf,
    /// The name typed (a save's file name; an open's file, folder or path).
    pub name: String,
    /// The folder's entries.
    pub listing: Listing,
    /// List every file, not only matching ones.
    pub all: bool,
    /// A problem to show (a name that does not exist, a file that would be replaced).
    pub note: Option<String>,
    /// The path a second Save replaces.
    confirm: Option<PathBuf>,
    /// Keyboard focus goes to the name field on the first frame.
    focus: bool,
}

impl FileChooser {
    /// A chooser in `dir` (or the working folder when it cannot be read), with `name`
    /// typed.
    pub fn new(purpose: Purpose, dir: Option<PathBuf>, name: String) -> Self {
        let dir = dir
            .filter(|d| d.is_dir())
            .or_else(|| std::env::current_dir().ok())
            .or_else(home)
            .unwrap_or_else(|| PathBuf::from("."));
        let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
        let listing = Listing::read(&dir, purpose, false);
        FileChooser {
            purpose,
            dir,
            name,
            listing,
            all: false,
            note: None,
            confirm: None,
            focus: true,
        }
    }

    /// Shows `dir`.
    pub fn enter(&mut self, dir: PathBuf) {
        let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
        self.listing = Listing::read(&dir, self.purpose, self.all);
        self.dir = dir;
        self.note = None;
        self.confirm = None;
        if !self.purpose.saves() {
            self.name.clear();
        }
    }

    /// What choosing `path` does: a folder is entered (an open's study folder opened), a
    /// file opened or saved to. Returns the command when the chooser is done.
    pub fn choose(&mut self, path: PathBuf) -> Option<Command> {
        if path.is_dir() {
            if self.purpose == Purpose::Open && crate::import::is_import_input(&path) {
                return Some(Command::Open(path));
            }
            self.enter(path);
            return None;
        }
        if self.purpose.saves() {
            if path.exists() && self.confirm.as_ref() != Some(&path) {
                self.note = Some(format!(
                    "{} exists. Save again to replace it.",
                    path.file_name().unwrap_or_default().to_string_lossy()
                ));
                self.confirm = Some(path);
                return None;
            }
            return Some(self.purpose.command(path));
        }
        if path.is_file() && self.purpose == Purpose::OpenFolder {
            // A timeline clicked in a folder being chosen: the folder is what opens.
            Some(Command::Open(self.dir.clone()))
        } else if path.is_file() {
            Some(Command::Open(path))
        } else {
            self.note = Some(format!("{} does not exist", path.display()));
            None
        }
    }

    /// What the typed name does (the Open/Save button, or Enter in the name field).
    pub fn submit(&mut self) -> Option<Command> {
        if self.purpose.saves() {
            let Some(p) = save_path(&self.dir, &self.name, self.purpose) else {
                self.note = Some("Type a file name".into());
                return None;
            };
            if p.is_dir() {
                self.name.clear();
                self.enter(p);
                return None;
            }
            return self.choose(p);
        }
        let name = self.name.trim();
        if name.is_empty() && self.purpose == Purpose::OpenFolder {
            return Some(Command::Open(self.dir.clone()));
        }
        if name.is_empty() {
            self.note = Some("Choose a file, or type its name".into());
            return None;
        }
        let p = self.dir.join(expand_home(name));
        self.choose(p)
    }

    /// The chooser's window. Returns `Some(command)` when a path was chosen, `Some(None)`
    /// when it was closed (Escape, Cancel, a click outside), `None` while it stays open.
    pub fn show(&mut self, ctx: &egui::Context) -> Option<Option<Command>> {
        let mut done: Option<Option<Command>> = None;
        let size = ctx.content_rect().size();
        let modal = egui::Modal::new(egui::Id::unique("txline file chooser")).show(ctx, |ui| {
            ui.set_width((size.x * 0.8).clamp(300.0, 760.0));
            ui.heading(self.purpose.title());
            self.path_row(ui);
            ui.separator();
            let list_h = (size.y * 0.8 - 170.0).clamp(80.0, 420.0);
            if let Some(c) = self.entries(ui, list_h) {
                done = Some(Some(c));
            }
            ui.separator();
            if let Some(r) = self.name_row(ui) {
                done = Some(r);
            }
        });
        if done.is_none() && modal.should_close() {
            done = Some(None);
        }
        done
    }

    fn path_row(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let up = self.dir.parent().map(Path::to_path_buf);
            if ui
                .add_enabled(up.is_some(), egui::Button::new("Up"))
                .on_hover_text("The folder above")
                .clicked()
                && let Some(up) = up
            {
                self.enter(up);
            }
            if let Some(h) = home()
                && ui.button("Home").clicked()
            {
                self.enter(h);
            }
            ui.label(RichText::new(self.dir.display().to_string()).monospace());
        });
    }

    /// The folder's entries; a double click (or Enter on a focused entry) chooses.
    fn entries(&mut self, ui: &mut egui::Ui, height: f32) -> Option<Command> {
        let mut chosen = None;
        let mut picked = None;
        if let Some(e) = &self.listing.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        egui::ScrollArea::vertical()
            .id_salt("chooser entries")
            .max_height(height)
            .min_scrolled_height(height)
            .auto_shrink([false, false])
            .show_rows(
                ui,
                ui.spacing().interact_size.y,
                self.listing.entries.len(),
                |ui, range| {
                    for e in &self.listing.entries[range] {
                        let label = match e.kind {
                            Kind::Folder => format!("{}/", e.name),
                            Kind::Study => format!("{}/  — study, opens whole", e.name),
                            Kind::File | Kind::Other => e.name.clone(),
                        };
                        let selected = self.name == e.name;
                        let r = ui.selectable_label(selected, label);
                        if r.double_clicked() {
                            chosen = Some(e.path.clone());
                        } else if r.clicked() {
                            picked = Some(e.clone());
                        }
                    }
                },
            );
        let (hidden, beyond) = (self.listing.hidden, self.listing.beyond);
        if hidden > 0 {
            let files = if hidden == 1 { "file" } else { "files" };
            ui.label(format!(
                "{hidden} other {files} not listed (tick \"Show all files\")"
            ));
        }
        if beyond > 0 {
            ui.label(format!(
                "{beyond} more entries not read (more than {MAX_ENTRIES}): type a name"
            ));
        }
        if let Some(e) = picked {
            if matches!(e.kind, Kind::Folder) {
                self.enter(e.path);
            } else {
                self.name = e.name;
                self.note = None;
                self.confirm = None;
            }
        }
        chosen.and_then(|p| self.choose(p))
    }

    fn name_row(&mut self, ui: &mut egui::Ui) -> Option<Option<Command>> {
        let mut out = None;
        ui.horizontal(|ui| {
            let label = ui
                .label(if self.purpose.saves() {
                    "File name:"
                } else {
                    "Name:"
                })
                .id;
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.name)
                        .desired_width(ui.available_width() - 200.0)
                        .id(egui::Id::unique("txline chooser name")),
                )
                .labelled_by(label);
            if std::mem::take(&mut self.focus) {
                r.request_focus();
            }
            if r.changed() {
                self.note = None;
                self.confirm = None;
            }
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let verb = match self.purpose {
                Purpose::OpenFolder => "Open this folder",
                p if p.saves() => "Save",
                _ => "Open",
            };
            if (ui.button(verb).clicked() || enter)
                && let Some(c) = self.submit()
            {
                out = Some(Some(c));
            }
            if ui.button("Cancel").clicked() {
                out = Some(None);
            }
        });
        ui.horizontal(|ui| {
            if ui.checkbox(&mut self.all, "Show all files").changed() {
                self.enter(self.dir.clone());
            }
            if self.purpose == Purpose::OpenFolder {
                ui.label(
                    RichText::new("Opens the folder shown: its timelines (.ron) as a cohort")
                        .weak(),
                );
            } else if !self.purpose.saves() {
                ui.label(
                    RichText::new(
                        "Timelines (.ron), cBioPortal study folders, spreadsheets (.xlsx, .csv, .tsv)",
                    )
                    .weak(),
                );
            }
        });
        if let Some(n) = &self.note {
            ui.colored_label(ui.visuals().warn_fg_color, n);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let p = d.path();
        std::fs::write(p.join("b.ron"), "").unwrap();
        std::fs::write(p.join("A.RON"), "").unwrap();
        std::fs::write(p.join("notes.md"), "").unwrap();
        std::fs::write(p.join("patients.csv"), "patient,kind\n").unwrap();
        std::fs::write(p.join(".hidden.ron"), "").unwrap();
        std::fs::create_dir(p.join("plain")).unwrap();
        std::fs::create_dir(p.join("study")).unwrap();
        std::fs::write(p.join("study/data_timeline_treatment.txt"), "PATIENT_ID\n").unwrap();
        std::fs::write(p.join("fig.png"), "").unwrap();
        d
    }

    fn names(l: &Listing) -> Vec<(&str, Kind)> {
        l.entries
            .iter()
            .map(|e| (e.name.as_str(), e.kind))
            .collect()
    }

    #[test]
    fn open_lists_folders_then_what_the_viewer_opens() {
        let d = tree();
        let l = Listing::read(d.path(), Purpose::Open, false);
        assert_eq!(
            names(&l),
            [
                ("plain", Kind::Folder),
                ("study", Kind::Study),
                ("A.RON", Kind::File),
                ("b.ron", Kind::File),
                ("patients.csv", Kind::File),
            ]
        );
        assert_eq!(
            l.hidden, 2,
            "notes.md and fig.png are filtered, and counted"
        );
        let all = Listing::read(d.path(), Purpose::Open, true);
        assert!(names(&all).contains(&("notes.md", Kind::Other)));
        assert!(!names(&all).iter().any(|(n, _)| n.starts_with('.')));
    }

    #[test]
    fn export_lists_its_format_only() {
        let d = tree();
        let l = Listing::read(d.path(), Purpose::Export(Format::Png), false);
        assert_eq!(
            names(&l),
            [
                ("plain", Kind::Folder),
                ("study", Kind::Folder),
                ("fig.png", Kind::File)
            ]
        );
    }

    #[test]
    fn an_unreadable_folder_says_so() {
        let l = Listing::read(Path::new("/no/such/folder"), Purpose::Open, false);
        assert!(l.entries.is_empty());
        assert!(l.error.unwrap().contains("/no/such/folder"));
    }

    #[test]
    fn save_adds_the_format_extension_only_when_missing() {
        let dir = Path::new("/d");
        let png = Purpose::Export(Format::Png);
        assert_eq!(
            save_path(dir, "P1-timeline", png),
            Some("/d/P1-timeline.png".into())
        );
        assert_eq!(save_path(dir, "x.svg", png), Some("/d/x.svg".into()));
        assert_eq!(save_path(dir, " /abs/y ", png), Some("/abs/y.png".into()));
        assert_eq!(
            save_path(dir, "f", Purpose::Export(Format::Pdf)),
            Some("/d/f.pdf".into())
        );
        assert_eq!(save_path(dir, "  ", png), None);
    }

    #[test]
    fn choosing_enters_folders_opens_studies_and_asks_before_replacing() {
        let d = tree();
        let mut c = FileChooser::new(Purpose::Open, Some(d.path().into()), String::new());
        assert_eq!(c.choose(d.path().join("plain")), None);
        assert!(c.dir.ends_with("plain"));
        let study = d.path().join("study");
        assert_eq!(c.choose(study.clone()), Some(Command::Open(study)));
        c.name = "missing.ron".into();
        assert_eq!(c.submit(), None);
        assert!(c.note.as_ref().unwrap().contains("does not exist"));

        let mut s = FileChooser::new(
            Purpose::Export(Format::Png),
            Some(d.path().into()),
            "fig".into(),
        );
        let fig = std::fs::canonicalize(d.path()).unwrap().join("fig.png");
        assert_eq!(s.submit(), None, "fig.png exists: asks first");
        assert!(s.note.as_ref().unwrap().contains("replace"));
        assert_eq!(s.submit(), Some(Command::ExportTo(fig)));
    }

    #[test]
    fn a_folder_chooser_opens_the_folder_shown() {
        let d = tree();
        let l = Listing::read(d.path(), Purpose::OpenFolder, false);
        assert!(
            l.entries
                .iter()
                .any(|e| e.kind == Kind::File && e.name == "b.ron"),
            "its timelines are listed: {:?}",
            names(&l)
        );
        assert!(
            !l.entries
                .iter()
                .any(|e| e.kind == Kind::File && !e.name.to_lowercase().ends_with(".ron")),
            "{:?}",
            names(&l)
        );
        let mut c = FileChooser::new(Purpose::OpenFolder, Some(d.path().into()), String::new());
        assert_eq!(c.submit(), Some(Command::Open(d.path().into())));
        // A timeline clicked opens its folder, not the one patient.
        let ron = l
            .entries
            .iter()
            .find(|e| e.kind == Kind::File)
            .expect("a timeline")
            .path
            .clone();
        assert_eq!(c.choose(ron), Some(Command::Open(d.path().into())));
        assert_eq!(
            Purpose::OpenFolder.command(d.path().into()),
            Command::Open(d.path().into())
        );
        // An ordinary open still asks for a name.
        let mut o = FileChooser::new(Purpose::Open, Some(d.path().into()), String::new());
        assert_eq!(o.submit(), None);
    }

    #[test]
    fn the_variable_forces_a_chooser_else_the_desktop_decides() {
        assert!(!decide(Some("window"), true, true));
        assert!(decide(Some("native"), false, false));
        assert!(
            decide(None, true, false),
            "Windows and macOS always have one"
        );
        assert!(!decide(None, false, false), "a bare X desktop has none");
        assert!(decide(Some("other"), false, true));
    }
}

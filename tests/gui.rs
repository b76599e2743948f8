//! The viewer driven headlessly with egui_kittest (no GPU): files are opened through the
//! same [`Command`] the menu, drag and drop and the command line use; panels are queried
//! through the accessibility tree; the figure through the scene the canvas paints.
//!
//! Run with `cargo test --features gui-tests --test gui`.

mod gui_support;

use std::path::{Path, PathBuf};

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use txline::gui::{Command, ViewerApp};
use txline::layout::AxisMode;
use txline::scene::{ItemRef, Shape};

fn harness() -> Harness<'static, ViewerApp> {
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(|cc| ViewerApp::new(&cc.egui_ctx, None, None, None))
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

/// A small valid file, with one phase in a lane of its own, a response and an interval.
const GOOD: &str = r#"Timeline(
    format: 1,
    patient: (id: "T1", label: "Test patient", diagnosis: "Test carcinoma", age: 60, sex: "M"),
    day_zero: "2020-01-01",
    data_cutoff: "2021-01-01",
    phases: [
        (therapy: Chemotherapy, name: "Carbo/Pac", start: "2020-01-10", end: "2020-04-10", line: 1),
        (therapy: Radiotherapy, name: "RT", start: "2020-05-01", end: "2020-06-10"),
    ],
    responses: [(at: "2020-04-20", result: PR, criteria: "RECIST 1.1")],
    intervals: [(label: "PFS", start: "2020-01-10", end: "ongoing")],
)
"#;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A viewer with `text` written to `t1.ron` in a fresh folder (kept alive by the returned
/// guard) and opened; also the file's path.
fn opened(text: &str) -> (tempfile::TempDir, PathBuf, Harness<'static, ViewerApp>) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "t1.ron", text);
    let mut h = harness();
    h.state_mut().command(Command::Open(path.clone()));
    h.run();
    (dir, path, h)
}

fn meanings(app: &ViewerApp) -> Vec<ItemRef> {
    app.scene()
        .expect("a scene on screen")
        .items
        .iter()
        .filter_map(|i| i.meaning)
        .collect()
}

#[test]
fn start_screen_offers_open() {
    let mut h = harness();
    h.run();
    h.get_by_label("Open a timeline…");
    assert!(h.state().scene().is_none());
}

#[test]
fn opening_a_file_paints_its_items_and_shows_the_patient() {
    let (_dir, _, h) = opened(GOOD);
    let app = h.state();
    assert!(!app.doc.as_ref().unwrap().failed);
    let m = meanings(app);
    assert!(m.contains(&ItemRef::Phase(0)), "{m:?}");
    assert!(m.contains(&ItemRef::Phase(1)), "{m:?}");
    assert!(m.contains(&ItemRef::Response(0)), "{m:?}");
    assert!(m.contains(&ItemRef::Interval(0)), "{m:?}");
    // The scene fills the canvas, not a fixed page.
    let scene = app.scene().unwrap();
    assert!(
        scene.width > 800.0 && scene.width < 1400.0,
        "{}",
        scene.width
    );
    // The canvas is one labelled node for assistive technology.
    h.get_by_label("Timeline figure");
    // Side panel: patient and the interval with its computed length.
    h.get_by_label("Test patient");
    h.get_by_label("Test carcinoma");
    h.get_by_label("PFS ≥ 11.8 mo"); // 358 days, both ends counted
    // The figure's own text is in the scene the canvas paints.
    assert!(
        scene.texts().any(|t| t.text.contains("Carbo/Pac")),
        "phase label missing"
    );
}

#[test]
fn broken_file_lists_problems_and_keeps_the_last_figure() {
    let (_dir, path, mut h) = opened(GOOD);
    let before = h.state().scene().unwrap().clone();

    // An unknown therapy on line 8 and an end before its start.
    let broken = GOOD
        .replace("therapy: Radiotherapy", "therapy: Radiation")
        .replace("end: \"2020-04-10\"", "end: \"2019-04-10\"");
    std::fs::write(&path, broken).unwrap();
    h.state_mut().command(Command::Reload);
    h.run();

    let app = h.state();
    let doc = app.doc.as_ref().unwrap();
    assert!(doc.failed);
    assert!(doc.errors() >= 1, "{:?}", doc.problems);
    // The last good figure stays on screen: the same items with the same words. (The error
    // panel takes room from the canvas, so the figure may be re-laid out a little higher or
    // lower on its page; what it shows does not change.)
    assert_eq!(
        figure_content(app.scene().unwrap()),
        figure_content(&before)
    );
    // The panel lists each problem with FILE:LINE:COL.
    let first = &doc.problems[0];
    assert!(first.line > 0, "{first:?}");
    let loc = format!("{}:{}:{}", first.file, first.line, first.column);
    let listed = format!("{loc}: error: {}", first.message);
    // The file watcher also saw the write and may reload (setting the status) in the same
    // frames as the click: click again until the copy is the last thing reported.
    for _ in 0..10 {
        h.get_by_label(&listed).click();
        h.run();
        if h.state().status.starts_with("Copied") {
            break;
        }
    }
    assert_eq!(h.state().status, format!("Copied {loc}"));
    h.get_by_label_contains("showing the last good figure");
    // Above the kept figure, in words: it is the last good version.
    h.get_by_label_contains("Last good version: the file now has");
    // The panel counts with proper plurals.
    let errs = h.state().doc.as_ref().unwrap().errors();
    let head = if errs == 1 {
        "1 error, 0 warnings"
    } else {
        "errors, 0 warnings"
    };
    h.get_by_label_contains(head);

    // Fixing the file brings the figure back without errors.
    std::fs::write(&path, GOOD).unwrap();
    h.state_mut().command(Command::Reload);
    h.run();
    assert!(!h.state().doc.as_ref().unwrap().failed);
}

#[test]
fn a_file_that_never_loaded_shows_errors_and_no_figure() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad.ron", "Timeline(format: 1, patient: (id: ");
    let mut h = harness();
    h.state_mut().command(Command::Open(path));
    h.run();
    assert!(h.state().scene().is_none());
    assert!(h.state().doc.as_ref().unwrap().failed);
    h.get_by_label_contains("did not load: 1 error, 0 warnings");
    h.get_by_label_contains("bad.ron:1:");
}

#[test]
fn axis_toggle_and_lane_toggle_relayout_the_figure() {
    let (_dir, _, mut h) = opened(GOOD);
    let both = h.state().scene().unwrap().clone();

    h.get_by_label("relative").click();
    h.run();
    assert_eq!(h.state().view.axis, AxisMode::Relative);
    let rel = h.state().scene().unwrap().clone();
    assert_ne!(
        rel.items, both.items,
        "the axis change re-laid out the figure"
    );

    h.get_by_label("Radiotherapy").click();
    h.run();
    assert!(h.state().view.hidden_lanes.contains("Radiotherapy"));
    let m = meanings(h.state());
    assert!(!m.contains(&ItemRef::Phase(1)), "hidden lane still drawn");
    assert!(m.contains(&ItemRef::Phase(0)));
}

#[test]
fn zoom_to_a_window_relays_out_and_fit_restores() {
    let (_dir, _, mut h) = opened(GOOD);
    let whole = h.state().scene().unwrap().clone();
    h.state_mut()
        .command(Command::SetWindow(Some((100.0, 200.0))));
    h.run();
    let zoomed = h.state().scene().unwrap().clone();
    // The same page, the time axis now spans days 100..200 of the plot.
    assert_eq!(zoomed.width, whole.width);
    let plot = zoomed.plot;
    let d0 = zoomed.time_axis.day_of(plot.min.x);
    let d1 = zoomed.time_axis.day_of(plot.max.x);
    assert!(
        (d0 - 100.0).abs() < 15.0 && (d1 - 200.0).abs() < 15.0,
        "{d0}..{d1}"
    );
    // Phase 1 (day 121..161) is inside the window: drawn wider than on the whole figure.
    let width_of = |s: &txline::scene::Scene| {
        s.items
            .iter()
            .filter(|i| i.meaning == Some(ItemRef::Phase(1)))
            .filter_map(|i| match &i.shape {
                Shape::Rect { rect, .. } => Some(rect.width()),
                _ => None,
            })
            .fold(0.0f32, f32::max)
    };
    assert!(width_of(&zoomed) > 2.0 * width_of(&whole));
    h.state_mut().command(Command::FitToWindow);
    h.run();
    assert_eq!(h.state().scene().unwrap().items, whole.items);
}

#[test]
fn export_settings_preview_is_the_exported_scene() {
    let (dir, _, mut h) = opened(GOOD);
    h.state_mut().command(Command::ShowExport(true));
    h.run();
    h.get_by_label("Export figure");
    let app = h.state();
    let scene = app.export_scene().unwrap();
    assert_eq!((scene.width, scene.height), (1920.0, 1080.0));
    assert_eq!(
        app.export.default_name(app.timeline().unwrap()),
        "T1-timeline.png"
    );
    // Writing goes through the same scene.
    let out = dir.path().join("out.svg");
    h.state_mut().export.format = txline::export::Format::Svg;
    h.state_mut().command(Command::ExportTo(out.clone()));
    for _ in 0..200 {
        h.run();
        if out.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let svg = std::fs::read_to_string(&out).expect("exported");
    assert!(svg.contains("Carbo/Pac"));
}

#[test]
fn ticking_deidentify_shows_the_burned_in_pixels_warning() {
    let (_dir, _, mut h) = opened(GOOD);
    h.state_mut().command(Command::ShowExport(true));
    h.run();
    let warning = txline::deidentify::BURNED_IN_WARNING;
    assert!(h.query_by_label(warning).is_none());
    h.state_mut().export.deidentify = true;
    h.run();
    h.get_by_label(warning);
}

#[test]
fn the_export_dialog_counts_deidentification_replacements_and_saves_the_report() {
    let (dir, path, mut h) = opened(GOOD);
    h.state_mut().command(Command::ShowExport(true));
    h.state_mut().export.deidentify = true;
    h.run();
    // The same count and report as the CLI's.
    let tl = h.state().timeline().unwrap().clone();
    let report = txline::deidentify::report_of(&tl, None);
    assert!(report.replacements() > 0, "the label at least");
    h.get_by_label(&report.headline());
    let show = txline::deidentify::report::SHOW_REPORT;
    h.get_by_label(show).click();
    h.run();
    assert!(h.state().show_report);
    let out = dir.path().join("report.txt");
    h.state_mut().command(Command::SaveReportTo(out.clone()));
    h.run();
    let text = std::fs::read_to_string(&out).expect("report saved");
    let name = path.display().to_string();
    assert_eq!(
        text,
        report.to_text(&name, Some(&std::fs::read_to_string(&path).unwrap()))
    );
    assert!(
        text.contains("patient.label: \"Test patient\" → \"Patient\""),
        "{text}"
    );
}

#[test]
fn example_patient1_opens_with_images_and_measurements() {
    let p = example("patient1.ron");
    let mut h = harness();
    h.state_mut().command(Command::Open(p));
    h.run();
    let app = h.state();
    assert!(
        !app.doc.as_ref().unwrap().failed,
        "{:?}",
        app.doc.as_ref().unwrap().problems
    );
    let m = meanings(app);
    assert!(m.iter().any(|r| matches!(r, ItemRef::Image(_))));
    assert!(m.iter().any(|r| matches!(r, ItemRef::MeasurementPoint(..))));
}

#[test]
fn editing_the_file_on_disk_reloads_it() {
    let (dir, path, mut h) = opened(GOOD);
    assert_eq!(h.state().timeline().unwrap().patient.label, "Test patient");
    // As editors do: write a new file and rename it over the old one.
    let tmp = write(
        dir.path(),
        ".t1.ron.swp",
        &GOOD.replace("Test patient", "Renamed"),
    );
    std::fs::rename(&tmp, &path).unwrap();
    // The watcher debounces for 200 ms; give it up to 10 s on a loaded machine.
    for _ in 0..500 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.run_steps(1);
        if h.state().timeline().unwrap().patient.label == "Renamed" {
            break;
        }
    }
    assert_eq!(h.state().timeline().unwrap().patient.label, "Renamed");
    h.get_by_label("Renamed");
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_a_file_on_the_window_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "dropped.ron", GOOD);
    let mut h = harness();
    h.run();
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.clone())));
    h.run();
    let doc = h.state().doc.as_ref().expect("opened");
    assert_eq!(doc.path, path);
    assert!(h.state().scene().is_some());
    assert!(
        h.state()
            .recent
            .files
            .iter()
            .any(|f| f.ends_with("dropped.ron"))
    );
}

/// What a figure shows, without where: each item's meaning and each text's words, in order.
fn figure_content(scene: &txline::scene::Scene) -> Vec<String> {
    scene
        .items
        .iter()
        .map(|i| match &i.shape {
            txline::scene::Shape::Text(t) => format!("{:?} {}", i.meaning, t.text),
            _ => format!("{:?}", i.meaning),
        })
        .collect()
}

#[test]
fn a_small_window_scrolls_the_whole_figure_instead_of_cutting_it() {
    // At 1024×600 the viewer used to leave out the image strip and a track and squeeze the
    // lanes: now the figure is laid out at the canvas width and the height it needs.
    let mut h = Harness::builder()
        .with_size(egui::vec2(1024.0, 600.0))
        .build_eframe(|cc| ViewerApp::new(&cc.egui_ctx, None, None, None));
    h.state_mut()
        .command(Command::Open(example("patient1.ron")));
    h.run();
    let app = h.state();
    let scene = app.scene().expect("a figure").clone();
    assert!(
        scene.height > 600.0,
        "laid out at its own height: {}",
        scene.height
    );
    assert!(scene.left_out.is_empty(), "{:?}", scene.left_out);
    let tl = app.timeline().expect("timeline").clone();
    let m = meanings(app);
    for i in 0..tl.images.len() {
        assert!(m.contains(&ItemRef::Image(i)), "image {i}");
    }
    for i in 0..tl.measurements.len() {
        assert!(m.contains(&ItemRef::Measurement(i)), "track {i}");
    }
}

#[test]
fn a_study_opens_as_a_cohort_and_back_returns_from_a_patient() {
    let study = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/study");
    let mut h = harness();
    h.state_mut().command(Command::Open(study));
    h.run();
    let c = h.state().cohort_shown().expect("the study's swimmer");
    let ids: Vec<&str> = c.cohort.members.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    h.get_by_label("Swimmer plot");
    h.state_mut().command(Command::ChoosePatient(Some(1)));
    h.run();
    let tl = h.state().timeline().expect("a timeline").clone();
    assert_eq!(tl.patient.id, "B2");
    h.get_by_label_contains("← Back to the cohort").click();
    h.run();
    assert!(h.state().cohort_shown().is_some());
    assert!(h.state().timeline().is_none());
}

/// A viewer that uses the in-window file chooser (as on a desktop without a portal).
fn harness_chooser() -> Harness<'static, ViewerApp> {
    let mut h = harness();
    h.state_mut().use_native_dialogs(false);
    h
}

/// Types `text` into the chooser's name field and presses Enter.
fn type_name(h: &mut Harness<'static, ViewerApp>, text: &str) {
    h.get_by_role(egui::accesskit::Role::TextInput).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text(text);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
}

/// Runs frames until `done` (an export runs on another thread), for at most 20 s.
fn run_until(h: &mut Harness<'static, ViewerApp>, done: impl Fn(&ViewerApp) -> bool) {
    let t0 = std::time::Instant::now();
    while !done(h.state()) && t0.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.run_steps(1);
    }
}

#[test]
fn without_a_native_dialog_open_uses_the_in_window_chooser() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let t2 = write(&dir.path().join("sub"), "t2.ron", GOOD);
    write(dir.path(), "notes.md", "not a timeline");
    let mut h = harness_chooser();
    h.run();
    h.get_by_label("Open a timeline…").click();
    h.run();
    assert_eq!(
        h.state().chooser(),
        Some(txline::gui::file_chooser::Purpose::Open)
    );
    h.get_by_label("Open a timeline");
    // A folder typed is entered; its timelines are listed, other files are not.
    type_name(&mut h, &dir.path().display().to_string());
    h.get_by_label_contains("sub/");
    assert!(h.query_by_label_contains("notes.md").is_none());
    h.get_by_label_contains("sub/").click();
    h.run();
    h.get_by_label("t2.ron").click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Open")
        .click();
    h.run();
    assert!(h.state().chooser().is_none());
    assert_eq!(
        h.state().doc.as_ref().unwrap().path,
        std::fs::canonicalize(t2).unwrap()
    );
    assert!(h.state().scene().is_some());
}

#[test]
fn escape_closes_the_chooser_without_opening_anything() {
    let mut h = harness_chooser();
    h.run();
    h.state_mut().command(Command::OpenDialog);
    h.run();
    assert!(h.state().chooser().is_some());
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.state().chooser().is_none());
    assert!(h.state().doc.is_none());
}

#[test]
fn export_chooser_starts_in_the_files_folder_and_adds_the_extension() {
    let (dir, _, mut h) = opened(GOOD);
    h.state_mut().use_native_dialogs(false);
    h.state_mut().command(Command::ShowExport(true));
    h.run();
    h.get_by_label("Export…").click();
    h.run();
    h.get_by_label("Export figure as PNG");
    let field = h.get_by_role(egui::accesskit::Role::TextInput);
    assert_eq!(field.value().as_deref(), Some("T1-timeline.png"));
    type_name(&mut h, "chosen");
    let out = dir.path().join("chosen.png");
    run_until(&mut h, |_| out.is_file());
    let bytes = std::fs::read(&out).expect("exported where chosen, with .png added");
    assert!(bytes.starts_with(b"\x89PNG"));
}

#[test]
fn a_failed_export_says_why_in_the_export_dialog() {
    let (_dir, _, mut h) = opened(GOOD);
    h.state_mut().command(Command::ShowExport(true));
    h.state_mut()
        .command(Command::ExportTo("/no/such/folder/x.png".into()));
    h.run_steps(2);
    run_until(&mut h, |a| a.export_error.is_some());
    assert!(h.state().show_export, "the dialog stays open");
    h.get_by_label_contains("Not exported: ");
}

#[test]
fn the_export_dialog_opens_as_the_screen_shows_and_says_what_differs() {
    let (_dir, _, mut h) = opened(GOOD);
    // The export's sticky settings differ from what the screen shows.
    h.state_mut().export.theme = txline::theme::ThemeKind::Light;
    h.state_mut().export.format = txline::export::Format::Pdf;
    h.state_mut()
        .command(Command::SetTheme(txline::theme::ThemeKind::Dark));
    h.state_mut().command(Command::SetAxis(AxisMode::Dates));
    h.state_mut()
        .command(Command::SetWindow(Some((0.0, 100.0))));
    h.state_mut().command(Command::ShowExport(true));
    h.run();
    let s = &h.state().export;
    assert_eq!(s.theme, txline::theme::ThemeKind::Dark);
    assert_eq!(s.axis, AxisMode::Dates);
    assert!(s.visible_window_only);
    assert_eq!(s.format, txline::export::Format::Pdf, "the format is kept");
    h.get_by_label_contains("As on screen");
    // The side panel has a "print" too: the export window's is the last.
    h.get_all_by_role_and_label(egui::accesskit::Role::Button, "print")
        .last()
        .unwrap()
        .click();
    h.run();
    h.get_by_label_contains("Differs from the screen: theme print, screen dark");
    h.get_by_label("Match the screen").click();
    h.run();
    assert_eq!(h.state().export.theme, txline::theme::ThemeKind::Dark);
}

#[test]
fn copy_figure_puts_what_the_screen_shows_at_a_slide_size_on_the_clipboard() {
    let (_dir, _, mut h) = opened(GOOD);
    h.state_mut().export.size = txline::gui::state::Size::Pixels(1004, 1838);
    h.state_mut()
        .command(Command::SetTheme(txline::theme::ThemeKind::Dark));
    h.state_mut().command(Command::CopyFigure);
    h.run_steps(2);
    let copied = gui_support::copied_image(&mut h);
    let img = copied.expect("an image on the clipboard");
    assert_eq!(img.size, [1920, 1080], "the slide size, not the export's");
    let dark = txline::theme::ThemeKind::Dark.theme().background;
    let corner = img.pixels[0].to_srgba_unmultiplied();
    assert_eq!(
        &corner[..3],
        &[dark.r, dark.g, dark.b],
        "the screen's dark theme"
    );
}

#[test]
fn escape_closes_the_image_window_then_the_export_dialog() {
    let (_dir, _, mut h) = opened(GOOD);
    h.state_mut().command(Command::ShowExport(true));
    h.run();
    assert!(h.state().show_export);
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!h.state().show_export, "Escape closes the export dialog");

    let (_d, mut h) = (0, harness());
    h.state_mut()
        .command(Command::Open(example("patient1.ron")));
    h.run();
    h.state_mut().command(Command::ShowImage(Some(0)));
    h.run();
    assert_eq!(h.state().enlarged, Some(0));
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(h.state().enlarged, None, "Escape closes the image window");
}

#[test]
fn arrows_pan_and_plus_minus_zoom_the_time_axis() {
    let (_dir, _, mut h) = opened(GOOD);
    assert_eq!(h.state().view.window, None);
    h.key_press(egui::Key::Plus);
    h.run();
    let (a, b) = h.state().view.window.expect("+ zooms in");
    h.key_press(egui::Key::ArrowRight);
    h.run();
    let (c, d) = h.state().view.window.unwrap();
    assert!(
        c > a && (d - c - (b - a)).abs() < 1e-6,
        "→ moves later, same width"
    );
    h.key_press(egui::Key::ArrowLeft);
    h.run();
    let (e, _) = h.state().view.window.unwrap();
    assert!((e - a).abs() < 1e-6, "← moves back");
    h.key_press(egui::Key::Minus);
    h.run();
    h.key_press(egui::Key::Minus);
    h.run();
    assert_eq!(
        h.state().view.window,
        None,
        "− zooms out to the whole timeline"
    );
}

#[test]
fn f1_lists_every_shortcut_from_the_one_table() {
    let (_dir, _, mut h) = opened(GOOD);
    h.key_press(egui::Key::F1);
    h.run();
    assert!(h.state().show_shortcuts);
    for s in txline::gui::keys::table() {
        h.get_by_label(s.what);
    }
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!h.state().show_shortcuts);
}

#[test]
fn ctrl_b_hides_the_side_panel_and_f10_opens_the_menus() {
    let (_dir, _, mut h) = opened(GOOD);
    h.get_by_label("Test patient");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::B);
    h.run();
    assert!(!h.state().side_panel);
    assert!(h.query_by_label("Test patient").is_none());
    assert!(h.query_by_label_contains("Reload").is_none());
    h.key_press(egui::Key::F10);
    h.run();
    h.get_by_label_contains("Reload");
}

/// A PNG of `w` × `h` grey pixels.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(w, h, image::Rgb([128, 128, 128]))
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

#[test]
fn replacing_an_image_on_disk_reloads_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("img")).unwrap();
    std::fs::write(dir.path().join("img/ct.png"), png(4, 3)).unwrap();
    let text = GOOD.replace(
        "intervals:",
        "images: [(at: \"2020-03-01\", path: \"img/ct.png\")],\n    intervals:",
    );
    let path = write(dir.path(), "t1.ron", &text);
    let mut h = harness();
    h.state_mut().command(Command::Open(path));
    h.run();
    let size = |h: &Harness<'static, ViewerApp>| {
        let im = &h.state().timeline().unwrap().images[0];
        im.data.as_ref().map(|d| (d.width, d.height)).ok()
    };
    assert_eq!(size(&h), Some((4, 3)));
    // As image tools do: write a new file, rename it over the old one.
    let tmp = dir.path().join("img/.ct.png.tmp");
    std::fs::write(&tmp, png(8, 6)).unwrap();
    std::fs::rename(&tmp, dir.path().join("img/ct.png")).unwrap();
    for _ in 0..500 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.run_steps(1);
        if size(&h) == Some((8, 6)) {
            break;
        }
    }
    assert_eq!(size(&h), Some((8, 6)), "the new image is shown");
}

#[test]
fn the_problems_panel_grows_to_show_every_problem_of_a_short_list() {
    let bad_phases: String = (1..=8)
        .map(|i| format!("        (therapy: Radiation{i}, start: \"2020-0{i}-01\"),\n"))
        .collect();
    let text = GOOD.replace("    phases: [\n", &format!("    phases: [\n{bad_phases}"));
    let (_dir, _, mut h) = opened(&text);
    let doc = h.state().doc.as_ref().unwrap();
    assert_eq!(doc.errors(), 8, "{:?}", doc.problems);
    let rows: Vec<String> = doc
        .problems
        .iter()
        .map(|d| format!("{}: error: {}", txline::gui::state::location(d), d.message))
        .collect();
    h.run();
    for r in &rows {
        let rect = h.get_by_label(r).rect();
        assert!(
            rect.max.y <= 900.0 - 20.0,
            "{r} hidden below the window: {rect:?}"
        );
    }
    h.get_by_label_contains("did not load: 8 errors, 0 warnings");
}

#[test]
fn compress_gaps_is_disabled_with_its_reason_when_there_is_no_long_gap() {
    let (_dir, _, h) = opened(GOOD);
    let doc = h.state().doc.as_ref().unwrap();
    assert!(
        doc.long_gaps.0 >= 1,
        "June 2020 to the cut-off is a long gap"
    );
    assert!(
        !h.get_by_label("Compress long gaps")
            .accesskit_node()
            .is_disabled()
    );

    let short = r#"Timeline(format: 1, patient: (id: "S"), day_zero: "2020-01-01",
        phases: [(therapy: Surgery, start: "2020-01-10", end: "2020-01-12")])"#;
    let (_dir, _, h) = opened(short);
    assert_eq!(h.state().doc.as_ref().unwrap().long_gaps.0, 0);
    assert!(
        h.get_by_label("Compress long gaps")
            .accesskit_node()
            .is_disabled()
    );
}

/// A sparse figure fills the window as it fills a slide (it is laid out again at the
/// canvas's height), rather than sitting in a strip at the top; a tall one keeps the height
/// it needs (the canvas scrolls).
#[test]
fn a_sparse_figure_fills_the_window_a_tall_one_scrolls() {
    let mut h = harness();
    h.state_mut().command(Command::Open(example("minimal.ron")));
    h.run();
    let sparse = h.state().scene().unwrap().height;
    assert!(sparse > 700.0 && sparse <= 900.0, "minimal: {sparse}");

    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 500.0))
        .build_eframe(|cc| ViewerApp::new(&cc.egui_ctx, None, None, None));
    h.state_mut()
        .command(Command::Open(example("patient1.ron")));
    h.run();
    let tall = h.state().scene().unwrap().height;
    assert!(tall > 600.0, "patient1 in a 500-pt window: {tall}");
}

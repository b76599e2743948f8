//! The viewer on cohorts, driven headlessly with egui_kittest: a folder, a study or a
//! `cohort.ron` opens as a swimmer; tabs; a click on a lane opens the patient and Back
//! returns with tab, scroll and zoom kept; export and copy write the cohort figure.
//!
//! Run with `cargo test --features gui-tests --test gui_cohort`.

mod gui_support;

use std::path::{Path, PathBuf};

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use txline::gui::state::CohortTab;
use txline::gui::{Command, ViewerApp};

fn harness() -> Harness<'static, ViewerApp> {
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(|cc| ViewerApp::new(&cc.egui_ctx, None, None, None))
}

fn data(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(p)
}

fn open(path: PathBuf) -> Harness<'static, ViewerApp> {
    let mut h = harness();
    h.state_mut().command(Command::Open(path));
    h.run();
    h
}

fn texts(app: &ViewerApp) -> Vec<String> {
    app.scene()
        .expect("a figure on screen")
        .texts()
        .map(|t| t.text.clone())
        .collect()
}

/// Runs frames until `done`, at most 20 s (background jobs: export, copy).
fn run_until(h: &mut Harness<'static, ViewerApp>, done: impl Fn(&ViewerApp) -> bool) {
    let t0 = std::time::Instant::now();
    while !done(h.state()) && t0.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.run_steps(1);
    }
}

/// Clicks the middle of lane `i`'s row, right of its label, where no bar may be.
fn click_lane(h: &mut Harness<'static, ViewerApp>, i: usize) {
    let fig = h.get_by_label("Swimmer plot").rect();
    let row = h.state().lane_rows()[i];
    let p = fig.min + egui::vec2(row.max.x - 4.0, (row.min.y + row.max.y) / 2.0);
    h.hover_at(p);
    h.run_steps(1);
    h.drag_at(p);
    h.run_steps(1);
    h.drop_at(p);
    h.run_steps(3);
}

#[test]
fn a_folder_opens_as_a_swimmer_with_the_bad_file_listed() {
    let h = open(data("cohort"));
    let app = h.state();
    let c = app.cohort_shown().expect("a cohort on screen");
    assert_eq!(c.cohort.members.len(), 5);
    assert_eq!(c.inputs.len(), 6);
    assert!(app.timeline().is_none(), "no single patient shown");
    let t = texts(app);
    assert!(t.iter().any(|t| t == "Swimmer plot"), "{t:?}");
    for lane in ["Case 01", "Case 03", "C02", "C10", "C11"] {
        assert!(t.iter().any(|t| t == lane), "{lane} missing: {t:?}");
    }
    assert_eq!(app.lane_rows().len(), 5);
    h.get_by_label("Swimmer plot");
    h.get_by_label("Spider");
    h.get_by_label("Waterfall");
    // The file that did not load: in the side panel and the problems panel.
    assert!(h.query_all_by_label_contains("zz-bad.ron").count() >= 2);
    let doc = app.doc.as_ref().unwrap();
    assert_eq!(doc.errors(), 1, "{:?}", doc.problems);
}

#[test]
fn tabs_show_the_waterfall_and_spider_and_options_reorder_the_lanes() {
    let mut h = open(data("cohort"));
    h.get_by_label("Waterfall").click();
    h.run();
    assert_eq!(
        h.state().cohort_shown().unwrap().view.tab,
        CohortTab::Waterfall
    );
    assert!(texts(h.state()).iter().any(|t| t == "Waterfall plot"));
    h.get_by_label("Waterfall plot");
    h.get_by_label("Spider").click();
    h.run();
    assert!(texts(h.state()).iter().any(|t| t == "Spider plot"));
    h.get_by_label("Swimmer").click();
    h.run();
    // Lane order "id": C02, C10, C11 and the cases by id (C01, C03).
    h.get_by_label("id").click();
    h.run();
    let ids: Vec<String> = h
        .state()
        .cohort_shown()
        .unwrap()
        .cohort
        .members
        .iter()
        .map(|m| m.id.clone())
        .collect();
    assert_eq!(ids, ["C01", "C02", "C03", "C10", "C11"]);
    assert!(texts(h.state()).iter().any(|t| t.contains("by id")));
    h.get_by_label("none").click();
    h.run();
    let c = h.state().cohort_shown().unwrap();
    assert_eq!(c.view.group_by, None);
    assert!(c.cohort.groups.is_empty());
}

#[test]
fn a_cohort_file_opens_with_its_title_and_options() {
    let h = open(data("cohort.ron"));
    let c = h.state().cohort_shown().expect("a cohort");
    assert_eq!(c.cohort.members.len(), 5);
    let t = texts(h.state());
    assert!(t.iter().any(|t| t == "Saved test cohort"), "{t:?}");
    assert!(t.iter().any(|t| t == "months from first therapy"), "{t:?}");
}

#[test]
fn a_folder_of_one_patient_opens_as_that_patients_timeline() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(data("cohort/c01.ron"), dir.path().join("c01.ron")).unwrap();
    let h = open(dir.path().to_path_buf());
    assert!(h.state().cohort().is_none());
    assert_eq!(h.state().timeline().unwrap().patient.id, "C01");
}

#[test]
fn hovering_a_mark_names_the_patient_and_the_item_from_time_zero() {
    let mut h = open(data("cohort.ron"));
    let app = h.state();
    let c = app.cohort_shown().unwrap();
    let i = c.cohort.members.iter().position(|m| m.id == "C01").unwrap();
    let pr = txline::scene::ItemRef::PatientItem(i, txline::scene::PatientPart::Response(0));
    let b = app
        .scene()
        .unwrap()
        .bounds_of(pr)
        .expect("C01's PR is drawn");
    let fig = h.get_by_label("Swimmer plot").rect();
    h.hover_at(fig.min + egui::vec2(b.center().x, b.center().y));
    h.run();
    h.get_by_label("Case 01 (C01)");
    h.get_by_label("Group: Arm A");
    h.get_by_label("Response: PR (partial response)");
    h.get_by_label("day 53 from first therapy (1.7 mo)");
}

#[test]
fn clicking_a_lane_opens_the_patient_and_back_returns_with_tab_scroll_and_zoom() {
    // 120 generated patients: a swimmer taller than the window.
    let dir = tempfile::tempdir().unwrap();
    for (id, text) in txline::stress::cohort_rons(120) {
        std::fs::write(dir.path().join(format!("{id}.ron")), text).unwrap();
    }
    let mut h = open(dir.path().to_path_buf());
    assert_eq!(h.state().lane_rows().len(), 120);
    h.state_mut().command(Command::Zoom(0.5));
    h.run();
    let window = h.state().cohort_shown().unwrap().view.window;
    assert!(window.is_some(), "zoomed in time");
    // Scroll down: the wheel over the figure scrolls a figure taller than the window.
    let fig = h.get_by_label("Swimmer plot").rect();
    h.hover_at(egui::pos2(fig.center().x, 400.0));
    for _ in 0..5 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -400.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        h.run_steps(1);
    }
    h.run_steps(20);
    let scrolled = h.get_by_label("Swimmer plot").rect().min.y;
    assert!(scrolled < fig.min.y - 500.0, "{scrolled} vs {}", fig.min.y);
    // A lane in view: the one under the window's middle.
    let rows = h.state().lane_rows().to_vec();
    let mid = 450.0 - scrolled;
    let lane = rows
        .iter()
        .position(|r| r.min.y <= mid && mid < r.max.y)
        .unwrap();
    let member = h.state().cohort_shown().unwrap().cohort.members[lane].clone();
    click_lane(&mut h, lane);
    let tl = h
        .state()
        .timeline()
        .expect("the patient's timeline")
        .clone();
    assert_eq!(tl.patient.id, member.id);
    assert!(h.state().cohort_shown().is_none());
    h.get_by_label("Timeline figure");
    // Alt+Left goes back.
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowLeft);
    h.run_steps(3);
    let c = h.state().cohort_shown().expect("back to the cohort");
    assert_eq!(c.view.window, window, "zoom kept");
    assert_eq!(c.view.tab, CohortTab::Swimmer);
    let back = h.get_by_label("Swimmer plot").rect().min.y;
    assert!(
        (back - scrolled).abs() < 1.0,
        "scroll kept: {back} vs {scrolled}"
    );
    // Backspace also goes back (from the side panel's button's patient, here).
    click_lane(&mut h, lane);
    assert!(h.state().timeline().is_some());
    h.key_press(egui::Key::Backspace);
    h.run_steps(3);
    assert!(h.state().cohort_shown().is_some());
}

#[test]
fn export_writes_the_cohort_figure_and_copy_puts_it_on_the_clipboard() {
    let mut h = open(data("cohort"));
    h.state_mut().command(Command::ShowExport(true));
    h.run();
    h.get_by_label("Export figure");
    h.get_by_label("Default name: swimmer.png");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("swimmer.png");
    h.state_mut().export.deidentify = true;
    let scene = h.state().export_scene().unwrap();
    let t: Vec<&str> = scene.texts().map(|t| t.text.as_str()).collect();
    assert!(t.contains(&"P001") && !t.contains(&"Case 01"), "{t:?}");
    h.state_mut().command(Command::ExportTo(out.clone()));
    run_until(&mut h, |_| out.exists());
    let img = image::open(&out).expect("a PNG").to_rgba8();
    assert_eq!(img.dimensions(), (1920, 1080));
    // The exported pixels hold the swimmer: some pixel has a therapy colour.
    let chemo = txline::theme::ThemeKind::Light
        .theme()
        .therapy(txline::model::Therapy::Chemotherapy);
    assert!(
        img.pixels()
            .any(|p| p.0[..3] == [chemo.r, chemo.g, chemo.b]),
        "no chemotherapy bar in the PNG"
    );
    h.state_mut().command(Command::ShowExport(false));
    h.state_mut().command(Command::CopyFigure);
    h.run_steps(2);
    let copied = gui_support::copied_image(&mut h);
    assert_eq!(copied.expect("an image copied").size, [1920, 1080]);
}

#[test]
fn editing_a_patients_file_reloads_the_cohort_with_its_view_kept() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["c01.ron", "c02.ron", "c03.ron"] {
        std::fs::copy(data(&format!("cohort/{f}")), dir.path().join(f)).unwrap();
    }
    let mut h = open(dir.path().to_path_buf());
    h.state_mut()
        .command(Command::SetCohortTab(CohortTab::Waterfall));
    h.run();
    let path = dir.path().join("c01.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    // As editors do: write a new file, rename it over the old one.
    let tmp = dir.path().join(".c01.ron.tmp");
    std::fs::write(&tmp, text.replace("Case 01", "Renamed case")).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    let renamed = |app: &ViewerApp| {
        app.cohort_shown()
            .is_some_and(|c| c.cohort.members.iter().any(|m| m.label == "Renamed case"))
    };
    run_until(&mut h, renamed);
    assert!(renamed(h.state()), "the edit is loaded");
    h.run();
    let t = texts(h.state());
    assert!(t.iter().any(|t| t == "Renamed case"), "and drawn: {t:?}");
    assert_eq!(
        h.state().cohort_shown().unwrap().view.tab,
        CohortTab::Waterfall,
        "the tab is kept"
    );
}

//! CPU time per viewer frame (no GPU), for patient 1 and the 5,000-item stress timeline,
//! and the time from a cold start to the first frame with a file.
//!
//! `cargo bench --bench frame` (release). Per timeline it reports the median of:
//! - `layout`: laying out the scene for the canvas (done only when file, options, size or
//!   time window change — i.e. on every zoom/pan step);
//! - `shapes`: converting a scene into egui shapes (done once per new scene);
//! - `frame`: one whole egui frame of the viewer with the scene cached (menus, panels,
//!   canvas) plus tessellation — what every repaint costs; target < 4 ms for the stress
//!   timeline on 2 cores;
//! - `frame+hover`: the same with the pointer over the figure (hit test, tooltip).
//!
//! Then `first frame`: `ViewerApp::new` on a file (font install, load, watcher) and its
//! first frame (layout, shapes, tessellation); target < 1 s.
//!
//! `swimmer-800`: a folder of 800 generated patients opened as a cohort: the open (load
//! and build), the first frame (swimmer layout at the canvas width, 800 labelled lanes,
//! and its egui shapes), then frames while the wheel scrolls the swimmer — only the
//! shapes in view are painted, nothing is laid out again; target < 8 ms a frame.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eframe::App as _;
use eframe::egui;
use txline::gui::ViewerApp;
use txline::gui::paint::{self, Textures, Transform};
use txline::layout::{LayoutOptions, layout};
use txline::page::Page;

const SIZE: egui::Vec2 = egui::vec2(1600.0, 1000.0);

fn input(pointer: Option<egui::Pos2>) -> egui::RawInput {
    let mut raw = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SIZE)),
        ..Default::default()
    };
    if let Some(p) = pointer {
        raw.events.push(egui::Event::PointerMoved(p));
    }
    raw
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn bench_file(name: &str, path: &Path, n: usize) {
    let loaded = match txline::load::load_file(path) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{name}: does not load:\n{e}");
            return;
        }
    };
    let warnings = loaded.warnings.len();
    let tl = loaded.timeline;
    let items = tl.phases.len()
        + tl.statuses.len()
        + tl.responses.len()
        + tl.events.len()
        + tl.intervals.len()
        + tl.measurements
            .iter()
            .map(|m| m.points.len())
            .sum::<usize>()
        + tl.images.len();

    // Layout for a canvas of the window's size.
    let page = Page::pixels(1300.0, 900.0);
    let opts = LayoutOptions::default();
    let times: Vec<Duration> = (0..n.min(30))
        .map(|_| {
            let t = Instant::now();
            black_box(layout(&tl, &opts, &page));
            t.elapsed()
        })
        .collect();
    let t_layout = median(times);
    let scene = layout(&tl, &opts, &page);

    // Scene → egui shapes.
    let ctx = egui::Context::default();
    paint::install_fonts(&ctx);
    let mut textures = Textures::default();
    let tr = Transform {
        offset: egui::vec2(280.0, 30.0),
        scale: 1.0,
    };
    let mut t_shapes = Vec::new();
    let mut n_shapes = 0;
    for _ in 0..n {
        let _ = ctx.run_ui(input(None), |_ui| {
            let t = Instant::now();
            let shapes = paint::scene_shapes(&scene, tr, &ctx, &mut textures);
            t_shapes.push(t.elapsed());
            n_shapes = shapes.len();
            black_box(shapes);
        });
    }
    let t_shapes = median(t_shapes);

    // Whole frames of the viewer with the scene cached.
    let ctx = egui::Context::default();
    let mut frame = eframe::Frame::_new_kittest();
    let mut app = ViewerApp::new(&ctx, None, Some(path.to_path_buf()), None);
    let frame_times =
        |app: &mut ViewerApp, frame: &mut eframe::Frame, pointer: Option<egui::Pos2>| -> Duration {
            // Warm up: layout, shapes, font atlas.
            for _ in 0..3 {
                let out = ctx.run_ui(input(pointer), |ui| app.ui(ui, frame));
                black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
            }
            let v = (0..n)
                .map(|_| {
                    let t = Instant::now();
                    let out = ctx.run_ui(input(pointer), |ui| app.ui(ui, frame));
                    black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
                    t.elapsed()
                })
                .collect();
            median(v)
        };
    let t_frame = frame_times(&mut app, &mut frame, None);
    // Hover over the middle of the plot.
    let hover = app.scene().map(|s| {
        let c = s.plot.center();
        egui::pos2(c.x + 280.0, c.y + 30.0)
    });
    let t_hover = frame_times(&mut app, &mut frame, hover);

    println!(
        "{name}: {items} items ({warnings} warnings), {} scene items, {n_shapes} egui shapes\n  \
         layout {}  shapes {}  frame {}  frame+hover {}",
        scene.items.len(),
        ms(t_layout),
        ms(t_shapes),
        ms(t_frame),
        ms(t_hover)
    );
}

fn first_frame(path: &Path) {
    let t = Instant::now();
    let ctx = egui::Context::default();
    let mut frame = eframe::Frame::_new_kittest();
    let mut app = ViewerApp::new(&ctx, None, Some(path.to_path_buf()), None);
    let t_new = t.elapsed();
    let out = ctx.run_ui(input(None), |ui| app.ui(ui, &mut frame));
    black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
    let t_first = t.elapsed();
    assert!(app.scene().is_some(), "no figure after the first frame");
    println!(
        "first frame ({}): app+load {}  first frame done {}",
        path.display(),
        ms(t_new),
        ms(t_first)
    );
}

fn bench_cohort(dir: &Path, n: usize) {
    for (id, text) in txline::stress::cohort_rons(800) {
        std::fs::write(dir.join(format!("{id}.ron")), text).expect("write cohort");
    }
    let t = Instant::now();
    let ctx = egui::Context::default();
    let mut frame = eframe::Frame::_new_kittest();
    let mut app = ViewerApp::new(&ctx, None, Some(dir.to_path_buf()), None);
    let t_open = t.elapsed();
    let t = Instant::now();
    let out = ctx.run_ui(input(None), |ui| app.ui(ui, &mut frame));
    black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
    let t_first = t.elapsed();
    let scene = app.scene().expect("a swimmer after the first frame");
    let (items, height) = (scene.items.len(), scene.height);
    let lanes = app.lane_rows().len();
    // Frames with the pointer on the swimmer and the wheel scrolling it down, then up.
    let pointer = egui::pos2(900.0, 500.0);
    let mut times = Vec::new();
    for k in 0..n {
        let mut raw = input(Some(pointer));
        let dy = if (k / 40) % 2 == 0 { -120.0 } else { 120.0 };
        raw.events.push(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, dy),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        });
        let t = Instant::now();
        let out = ctx.run_ui(raw, |ui| app.ui(ui, &mut frame));
        black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
        times.push(t.elapsed());
    }
    let worst = times.iter().max().copied().unwrap_or_default();
    println!(
        "swimmer-800: {lanes} lanes, {items} scene items, {height:.0} px tall\n  \
         open {}  first frame {}  scrolling frame {} (median; worst {})",
        ms(t_open),
        ms(t_first),
        ms(median(times)),
        ms(worst)
    );
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let p1 = Some(root.join("examples/patient1.ron")).filter(|p| p.exists());
    let dir = tempfile::tempdir().expect("temp dir");
    let stress = dir.path().join("stress.ron");
    std::fs::write(&stress, txline::stress::stress_ron(5000)).expect("write stress file");

    if let Some(p1) = &p1 {
        first_frame(p1);
        bench_file("patient1", p1, 200);
    } else {
        eprintln!("examples/patient1.ron not found");
    }
    first_frame(&stress);
    bench_file("stress-5000", &stress, 50);
    let cohort = dir.path().join("cohort");
    std::fs::create_dir(&cohort).expect("cohort dir");
    bench_cohort(&cohort, 200);
}

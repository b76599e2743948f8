//! The pipeline benchmark: parse + validate, layout, SVG and PNG on the example cases and on
//! a generated 5,000-item timeline; the whole `txline export` process; peak memory; and a
//! batch of 200 files.
//!
//! `cargo bench --no-default-features --bench pipeline`
//!
//! Targets (2-core machine, release build): patient 1 to a 1920×1080 PNG under 150 ms as a
//! whole process; layout of the 5,000-item timeline under 5 ms; peak memory under 80 MB;
//! the batch at 20 files per second or more.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use txline::export;
use txline::layout::{LayoutOptions, layout};
use txline::load::{load_file, load_str};
use txline::page::Preset;
use txline::stress::stress_ron;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<R>(runs: usize, mut f: impl FnMut() -> R) -> Duration {
    // One warm-up run (fonts, caches), then the median of `runs`.
    std::hint::black_box(f());
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

/// The largest resident set of any child process waited for so far, in MB.
#[cfg(unix)]
fn children_peak_mb() -> Option<f64> {
    // SAFETY: getrusage writes into the zeroed struct we pass and reads nothing else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    // ru_maxrss is in kilobytes on Linux.
    (rc == 0).then(|| usage.ru_maxrss as f64 / 1024.0)
}

#[cfg(not(unix))]
fn children_peak_mb() -> Option<f64> {
    None
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument filters nothing here.
    let opts = LayoutOptions::default();
    let slide = Preset::Slide16x9.page();
    println!("txline pipeline benchmark (median of runs; release build)\n");
    println!(
        "{:<22} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "case", "load ms", "layout ms", "svg ms", "png ms", "total ms"
    );

    let mut cases: Vec<(String, Box<dyn Fn() -> txline::model::Timeline>)> = Vec::new();
    for name in ["patient1.ron", "patient2.ron"] {
        let path = examples().join(name);
        if load_file(&path).is_err() {
            println!("{name:<22} (does not load; skipped)");
            continue;
        }
        cases.push((
            name.to_string(),
            Box::new(move || load_file(&path).expect("loads").timeline),
        ));
    }
    let stress = stress_ron(5000);
    let stress_text = stress.clone();
    cases.push((
        "stress 5,000 items".to_string(),
        Box::new(move || {
            load_str(&stress_text, "stress.ron", None)
                .expect("stress loads")
                .timeline
        }),
    ));

    let mut stress_layout = Duration::ZERO;
    for (name, load) in &cases {
        let heavy = name.starts_with("stress");
        let runs = if heavy { 11 } else { 21 };
        let t_load = time(runs, load);
        let timeline = load();
        let t_layout = time(runs, || layout(&timeline, &opts, &slide));
        let scene = layout(&timeline, &opts, &slide);
        let t_svg = time(runs, || export::to_svg(&scene));
        let t_png = time(if heavy { 5 } else { 11 }, || {
            export::to_png(&scene).expect("png")
        });
        if heavy {
            stress_layout = t_layout;
        }
        println!(
            "{:<22} {:>10} {:>10} {:>10} {:>10} {:>10}",
            name,
            ms(t_load),
            ms(t_layout),
            ms(t_svg),
            ms(t_png),
            ms(t_load + t_layout + t_svg + t_png)
        );
    }

    // The whole process, as a user runs it.
    let exe = env!("CARGO_BIN_EXE_txline");
    let tmp = std::env::temp_dir().join(format!("txline-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp folder");
    let p1 = examples().join("patient1.ron");
    let out = tmp.join("p1.png");
    let mut runs = Vec::new();
    for _ in 0..11 {
        let t = Instant::now();
        let status = Command::new(exe)
            .args(["export", "--preset", "slide-16x9", "-o"])
            .arg(&out)
            .arg(&p1)
            .stderr(std::process::Stdio::null())
            .status()
            .expect("txline runs");
        runs.push(t.elapsed());
        assert!(status.success(), "txline export failed");
    }
    let whole = median(runs);
    let peak_single = children_peak_mb();

    // 200 copies of the example cases, one batch.
    let batch_in = tmp.join("in");
    let batch_out = tmp.join("out");
    std::fs::create_dir_all(&batch_in).expect("mkdir");
    let images = examples().join("images");
    if images.is_dir() {
        std::fs::create_dir_all(batch_in.join("images")).expect("mkdir");
        for e in std::fs::read_dir(&images).expect("images") {
            let p = e.expect("entry").path();
            std::fs::copy(
                &p,
                batch_in.join("images").join(p.file_name().expect("name")),
            )
            .expect("copy");
        }
    }
    let sources = ["patient1.ron", "patient2.ron"];
    for i in 0..200 {
        std::fs::copy(
            examples().join(sources[i % sources.len()]),
            batch_in.join(format!("case{i:03}.ron")),
        )
        .expect("copy");
    }
    let t = Instant::now();
    let status = Command::new(exe)
        .args(["export", "--preset", "slide-16x9", "--out-dir"])
        .arg(&batch_out)
        .arg(&batch_in)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("txline runs");
    let batch = t.elapsed();
    assert!(status.success(), "batch export failed");
    let written = std::fs::read_dir(&batch_out).expect("out").count();
    let peak_batch = children_peak_mb();
    let _ = std::fs::remove_dir_all(&tmp);

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_s = written as f64 / batch.as_secs_f64();
    let mb = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.1} MB"));
    println!();
    println!("{:<58} {:>12}  target", "measure", "value");
    println!(
        "{:<58} {:>12}  < 150 ms",
        "whole process: export patient 1 → 1920×1080 PNG (median)",
        format!("{} ms", ms(whole))
    );
    println!(
        "{:<58} {:>12}  < 5 ms",
        "layout of the 5,000-item timeline (median)",
        format!("{} ms", ms(stress_layout))
    );
    println!(
        "{:<58} {:>12}  < 80 MB",
        "peak memory of one export process",
        mb(peak_single)
    );
    println!(
        "{:<58} {:>12}  ≥ 20/s",
        format!("batch: {written} files to slide PNG on {cores} cores"),
        format!("{per_s:.1}/s")
    );
    println!(
        "{:<58} {:>12}",
        "peak memory of the batch process",
        mb(peak_batch)
    );
}

//! The pipeline benchmark: parse + validate, layout, SVG and PNG on the example cases and on
//! a generated 5,000-item timeline; the whole `txline export` process; peak memory; a
//! batch of 200 files; hostile inputs (a 10 MB text) exported in bounded time and memory; and
//! import + check of a generated 800-patient, 3,000-row cBioPortal study.
//!
//! `cargo bench --no-default-features --bench pipeline`
//!
//! Targets (2-core machine, release build): patient 1 to a 1920×1080 PNG under 150 ms as a
//! whole process; layout of the 5,000-item timeline under 5 ms; peak memory under 80 MB;
//! the batch at 20 files per second or more; a 10 MB diagnosis exported in under 2 s; a
//! 7000×7000 16-bit PNG exported to every format under 150 MB peak; import + check of the
//! study under 1 s.

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

/// CPU time (user + system) this process has used: the scrub runs on this thread alone.
#[cfg(unix)]
fn self_cpu() -> Duration {
    // SAFETY: getrusage only writes into the zeroed struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    if rc == 0 {
        tv(usage.ru_utime) + tv(usage.ru_stime)
    } else {
        Duration::ZERO
    }
}

#[cfg(not(unix))]
fn self_cpu() -> Duration {
    Duration::ZERO
}

/// What one measured process took.
struct Run {
    wall: Duration,
    /// User + system CPU time (fair on a busy machine, where wall time is not).
    cpu: Duration,
    /// Its own peak resident set in MB: the high-water mark of its memory after `exec`
    /// (`VmHWM`, read while it runs). `getrusage`'s figure is not used: on Linux it starts
    /// from the spawning process's size.
    peak_mb: Option<f64>,
    ok: bool,
}

/// The `VmHWM` of a running process, in kB (Linux).
fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `cmd` to its end, watching its memory.
#[cfg_attr(unix, allow(clippy::zombie_processes, reason = "reaped by wait4"))]
fn run_measured(cmd: &mut Command) -> Run {
    let t = Instant::now();
    let child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("txline runs");
    #[cfg(unix)]
    {
        let pid = child.id();
        let mut peak = None;
        let mut status = 0;
        // SAFETY: wait4 writes into the zeroed struct and the status we pass; it reaps the
        // child std spawned, which we never wait on again.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        loop {
            peak = vm_hwm_kb(pid).or(peak);
            let r =
                unsafe { libc::wait4(pid as libc::pid_t, &mut status, libc::WNOHANG, &mut usage) };
            if r != 0 {
                let tv = |t: libc::timeval| {
                    Duration::from_secs(t.tv_sec.max(0) as u64)
                        + Duration::from_micros(t.tv_usec.max(0) as u64)
                };
                return Run {
                    wall: t.elapsed(),
                    cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
                    peak_mb: peak.map(|kb| kb as f64 / 1024.0),
                    ok: r > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
                };
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    #[cfg(not(unix))]
    {
        let mut child = child;
        let ok = child.wait().is_ok_and(|s| s.success());
        Run {
            wall: t.elapsed(),
            cpu: Duration::ZERO,
            peak_mb: None,
            ok,
        }
    }
}

/// A timeline whose diagnosis is `bytes` long (words, as a pasted report would be).
fn long_text_ron(bytes: usize) -> String {
    let unit = "lung adenocarcinoma EGFR exon 19 deletion ";
    format!(
        r#"(format: 1, patient: (id: "LONG", diagnosis: "{}"),
    phases: [(therapy: Chemotherapy, start: "2021-03-15", end: "2021-06-01")])"#,
        unit.repeat(bytes / unit.len())
    )
}

/// A timeline whose diagnosis and image caption are `bytes` of Chinese each (a line may break
/// between any two ideographs): every CJK unified ideograph in turn, so
/// each character differs from the last thousands (the worst case for per-character caches),
/// drawn with a fallback font when one is installed.
fn long_cjk_ron(bytes: usize) -> String {
    let text: String = (0x4E00u32..=0x9FFF)
        .cycle()
        .filter_map(char::from_u32)
        .take(bytes / 3)
        .collect();
    format!(
        r#"(format: 1, patient: (id: "LONG", diagnosis: "{text}"), day_zero: "2021-01-01",
    phases: [(therapy: Chemotherapy, start: "2021-03-15", end: "2021-06-01")],
    images: [(at: "2021-04-01", path: "missing.png", caption: "{text}")])"#
    )
}

/// Hostile inputs exported by the real process: a 10 MB text, and a 7000×7000 16-bit
/// image in every format; each one's time and peak memory.
fn bounded_inputs(exe: &str, tmp: &Path) -> Vec<(String, String, &'static str)> {
    let mut rows = Vec::new();
    let ron = tmp.join("long.ron");
    std::fs::write(&ron, long_text_ron(10_000_000)).expect("write");
    let run = run_measured(
        Command::new(exe)
            .args(["export", "-o"])
            .arg(tmp.join("long.png"))
            .arg(&ron),
    );
    assert!(run.ok, "the 10 MB-text export failed");
    rows.push((
        "export a 10 MB diagnosis → PNG: CPU time (wall)".to_string(),
        format!("{} ms ({} ms)", ms(run.cpu), ms(run.wall)),
        "< 2000 ms",
    ));
    rows.push((
        "  its peak memory".to_string(),
        run.peak_mb.map_or("n/a".into(), |v| format!("{v:.1} MB")),
        "",
    ));
    // The same in Chinese (font fallback, every ideograph a different character).
    let ron = tmp.join("long-zh.ron");
    std::fs::write(&ron, long_cjk_ron(10_000_000)).expect("write");
    for ext in ["png", "pdf"] {
        let run = run_measured(
            Command::new(exe)
                .args(["export", "-o"])
                .arg(tmp.join(format!("long-zh.{ext}")))
                .arg(&ron),
        );
        assert!(run.ok, "the 10 MB Chinese export to {ext} failed");
        rows.push((
            format!(
                "export a 10 MB Chinese diagnosis and caption → {}: CPU time (wall)",
                ext.to_uppercase()
            ),
            format!("{} ms ({} ms)", ms(run.cpu), ms(run.wall)),
            "< 2000 ms",
        ));
    }

    // A 7000×7000 16-bit RGBA PNG of a few hundred KB (a decompression bomb within the
    // 50-megapixel limit), named twice, in every format and de-identified.
    std::fs::create_dir_all(tmp.join("images")).expect("mkdir");
    std::fs::write(tmp.join("images/big16.png"), big_png16(7000, 7000)).expect("write");
    let ron = tmp.join("big.ron");
    std::fs::write(
        &ron,
        r#"(format: 1, patient: (id: "BIG"), day_zero: "2021-01-01",
    phases: [(therapy: Chemotherapy, start: "2021-03-15", end: "2021-06-01")],
    images: [(at: "2021-04-01", path: "images/big16.png"), (at: "2021-05-01", path: "images/big16.png")])"#,
    )
    .expect("write");
    for (ext, extra) in [
        ("png", None),
        ("svg", None),
        ("pdf", None),
        ("tif", None),
        ("png", Some("--deidentify")),
    ] {
        let mut cmd = Command::new(exe);
        cmd.args(["export", "-o"])
            .arg(tmp.join(format!("big.{ext}")))
            .arg(&ron);
        if let Some(flag) = extra {
            cmd.arg(flag);
        }
        let run = run_measured(&mut cmd);
        assert!(run.ok, "the 7000×7000 image export to {ext} failed");
        rows.push((
            format!(
                "7000×7000 16-bit PNG → {}{}: peak (CPU {} ms)",
                ext.to_uppercase(),
                extra.map_or(String::new(), |f| format!(" {f}")),
                ms(run.cpu)
            ),
            run.peak_mb.map_or("n/a".into(), |v| format!("{v:.1} MB")),
            "< 150 MB",
        ));
    }
    rows
}

/// A `w`×`h` 16-bit RGBA PNG written row by row (two colours, so it compresses to little).
fn big_png16(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Sixteen);
    let mut wr = enc.write_header().expect("header");
    let row: Vec<u8> = (0..w)
        .flat_map(|x| {
            let px: [u16; 4] = if x < w / 2 {
                [65535, 0, 0, 65535]
            } else {
                [0, 32768, 65535, 65535]
            };
            px.into_iter().flat_map(u16::to_be_bytes)
        })
        .collect();
    {
        let mut sw = wr.stream_writer().expect("stream");
        for _ in 0..h {
            std::io::Write::write_all(&mut sw, &row).expect("row");
        }
        sw.finish().expect("finish");
    }
    drop(wr);
    out
}

/// De-identification of one 10 MB free-text field (every rule fires in it), and of one
/// of the spellings closed last (addresses, months spelled or glued, names with digits).
fn bench_scrub() {
    let scrubber = txline::deidentify::Scrubber::new("QX-58213", "Jane Q. Doe", "Patient");
    for (what, unit) in [
        (
            "",
            "Jane Doe seen 3 mars 2021 (CT2021-03-15T10:30Z), age 57, MRN 12345678, \
             200 mg q3w × 4 cycles, Grade 3; QX58213b; 15.03. ",
        ),
        (
            " (addresses, spelled)",
            "lives at 221B Baker Street, NW1 6XE; M a r c h 3; PETMarch; D0e; 21. 3. 15.; \
             12345678 mg; seen in MAY; 15.03 mo 6; Via Roma 12; ",
        ),
    ] {
        let big = unit.repeat(10_000_000 / unit.len());
        let scrub_10mb = time(3, || scrubber.scrub(&big).changes.len());
        println!(
            "{:<58} {:>12}  < 1 s",
            format!(
                "scrub one {:.1} MB free-text field{what}",
                big.len() as f64 / 1e6
            ),
            format!("{} ms", ms(scrub_10mb))
        );
        let cpu0 = self_cpu();
        std::hint::black_box(scrubber.scrub(&big));
        println!(
            "{:<58} {:>12}",
            "  CPU time of one such scrub (user + system)",
            format!("{} ms", ms(self_cpu().saturating_sub(cpu0)))
        );
    }
    // A 3 MB patient id (the fuzzer's slowest input): it is looked for in every short field.
    let id = "Wi ".repeat(1_000_000);
    let t = time(3, || {
        let s = txline::deidentify::Scrubber::new(&id, "Jane Doe", "Patient");
        (0..100)
            .map(|_| {
                s.scrub("Carboplatin AUC5 + paclitaxel, 15 March 2021")
                    .changes
                    .len()
            })
            .sum::<usize>()
    });
    println!(
        "{:<58} {:>12}  < 1 s",
        "3 MB patient id: scrubber + 100 short fields",
        format!("{} ms", ms(t))
    );
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument filters nothing here.
    let opts = LayoutOptions::default();
    let slide = Preset::Slide16x9.page();
    println!("txline pipeline benchmark (median of runs; release build)\n");
    if std::env::var("TXLINE_BENCH_ONLY").as_deref() == Ok("cohort") {
        // Only the cohort rows (`TXLINE_BENCH_ONLY=cohort cargo bench --bench pipeline`).
        let tmp = std::env::temp_dir().join(format!("txline-bench-{}", std::process::id()));
        for (what, value, target) in bench_cohort(env!("CARGO_BIN_EXE_txline"), &tmp) {
            println!("{what:<58} {value:>12}  {target}");
        }
        let _ = std::fs::remove_dir_all(&tmp);
        return;
    }

    bench_scrub();
    if std::env::var("TXLINE_BENCH_ONLY").as_deref() == Ok("scrub") {
        // Only the scrub rows (`TXLINE_BENCH_ONLY=scrub cargo bench --bench pipeline`).
        return;
    }
    println!(
        "{:<22} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "case", "load ms", "layout ms", "svg ms", "raster ms", "encode ms", "total ms"
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
        let png_runs = if heavy { 5 } else { 11 };
        let t_raster = time(png_runs, || export::render_rgba(&scene).expect("raster"));
        let (w, h, rgba) = export::render_rgba(&scene).expect("raster");
        let t_encode = time(png_runs, || {
            export::png::encode_png(w, h, &rgba, scene.dpi).expect("encode")
        });
        if heavy {
            stress_layout = t_layout;
        }
        if std::env::var_os("TXLINE_BENCH_SPLIT").is_some() {
            use txline::scene::Shape;
            let mut no_text = scene.clone();
            no_text.items.retain(|i| !matches!(i.shape, Shape::Text(_)));
            let mut no_img = scene.clone();
            no_img
                .items
                .retain(|i| !matches!(i.shape, Shape::Image { .. }));
            let mut bare = scene.clone();
            bare.items.clear();
            println!(
                "  raster without text {} ms, without images {} ms, empty {} ms, svg->tree {} ms",
                ms(time(png_runs, || export::render_rgba(&no_text).expect("r"))),
                ms(time(png_runs, || export::render_rgba(&no_img).expect("r"))),
                ms(time(png_runs, || export::render_rgba(&bare).expect("r"))),
                ms(time(png_runs, || {
                    let svg = export::to_svg(&scene);
                    let mut o = resvg::usvg::Options::default();
                    o.fontdb_mut()
                        .load_font_data(txline::fonts::REGULAR_TTF.to_vec());
                    resvg::usvg::Tree::from_str(&svg, &o).expect("tree")
                })),
            );
        }
        println!(
            "{:<22} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
            name,
            ms(t_load),
            ms(t_layout),
            ms(t_svg),
            ms(t_raster),
            ms(t_encode),
            ms(t_load + t_layout + t_svg + t_raster + t_encode)
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
    // Its own high-water mark (`getrusage` would start from this process's size).
    let peak_single = run_measured(
        Command::new(exe)
            .args(["export", "--preset", "slide-16x9", "-o"])
            .arg(&out)
            .arg(&p1),
    )
    .peak_mb;
    let bounded = bounded_inputs(exe, &tmp);

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
    let run = run_measured(
        Command::new(exe)
            .args(["export", "--preset", "slide-16x9", "--out-dir"])
            .arg(&batch_out)
            .arg(&batch_in),
    );
    let (batch, batch_cpu, peak_batch) = (run.wall, run.cpu, run.peak_mb);
    assert!(run.ok, "batch export failed");
    let written = std::fs::read_dir(&batch_out).expect("out").count();
    let cohort_rows = bench_cohort(exe, &tmp);
    let _ = std::fs::remove_dir_all(&tmp);

    let (study_rows, study_patients, study_time) = bench_import();

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
        "  CPU time per file in the batch (user + system)",
        format!("{} ms", ms(batch_cpu / written.max(1) as u32))
    );
    println!(
        "{:<58} {:>12}",
        "  files per second that CPU time allows on 2 idle cores",
        format!(
            "{:.1}/s",
            2.0 * written as f64 / batch_cpu.as_secs_f64().max(1e-9)
        )
    );
    println!(
        "{:<58} {:>12}",
        "peak memory of the batch process",
        mb(peak_batch)
    );
    for (what, value, target) in bounded {
        println!("{what:<58} {value:>12}  {target}");
    }
    for (what, value, target) in cohort_rows {
        println!("{what:<58} {value:>12}  {target}");
    }
    println!(
        "{:<58} {:>12}  < 1 s",
        format!("import + check: {study_patients} patients, {study_rows} rows (median)"),
        format!("{} ms", ms(study_time))
    );
    println!(
        "\n(Wall-clock figures assume an otherwise idle machine; load average now: {})",
        std::fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|l| l.split_whitespace().next().map(str::to_string))
            .unwrap_or_else(|| "unknown".into())
    );
}

/// Writes a cBioPortal study of 800 patients and 3,000 timeline rows (treatment, status,
/// lab, specimen files and a clinical file), then times what `txline check study/` does:
/// import, and load every patient's timeline. Returns (rows, patients, median time).
fn bench_import() -> (usize, usize, Duration) {
    let dir = std::env::temp_dir().join(format!("txline-bench-study-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("study dir");
    let patients = 800;
    let head = "PATIENT_ID\tSTART_DATE\tSTOP_DATE\tEVENT_TYPE";
    let mut treatment = format!("{head}\tTREATMENT_TYPE\tSUBTYPE\tAGENT\tTREATMENT_OUTCOME\n");
    let mut status = format!("{head}\tSTATUS\n");
    let mut lab = format!("{head}\tTEST\tRESULT\tUNIT\n");
    let mut specimen = format!("{head}\tSAMPLE_ID\tSPECIMEN_SITE\n");
    let mut clinical = "PATIENT_ID\tSEX\tAGE\tOS_MONTHS\tOS_STATUS\n".to_string();
    let mut rows = 0;
    for p in 0..patients {
        let id = format!("P{p:04}");
        let base = (p * 37 % 400) as i64;
        for k in 0..2 {
            let start = base + k * 120;
            let (tt, sub, agent) = if k == 0 {
                ("Medical Therapy", "Chemotherapy", "carboplatin")
            } else {
                ("Radiation Therapy", "IMRT", "")
            };
            treatment.push_str(&format!(
                "{id}\t{start}\t{}\tTREATMENT\t{tt}\t{sub}\t{agent}\tPartial Response\n",
                start + 90
            ));
            rows += 1;
        }
        if p % 4 == 0 {
            treatment.push_str(&format!(
                "{id}\t{base}\t{}\tTREATMENT\tMedical Therapy\tChemotherapy\tpaclitaxel\tPartial Response\n",
                base + 90
            ));
            rows += 1;
        }
        status.push_str(&format!(
            "{id}\t{}\t\tSTATUS\tradiographic_progression\n",
            base + 300
        ));
        rows += 1;
        let labs = if p % 4 == 0 { 0 } else { 1 };
        for j in 0..labs {
            lab.push_str(&format!(
                "{id}\t{}\t\tLAB_TEST\tCEA\t{}.5\tng/mL\n",
                base + j * 30,
                p % 17
            ));
            rows += 1;
        }
        specimen.push_str(&format!("{id}\t{base}\t\tSPECIMEN\t{id}-01\tlung\n"));
        rows += 1;
        clinical.push_str(&format!(
            "{id}\tFemale\t{}\t{}.5\t0:LIVING\n",
            40 + p % 40,
            20 + p % 30
        ));
    }
    // Top up to 3,000 rows with more lab values.
    let mut p = 0;
    while rows < 3000 {
        let id = format!("P{:04}", p % patients);
        lab.push_str(&format!("{id}\t{}\t\tLAB_TEST\tCEA\t1.5\tng/mL\n", 500 + p));
        rows += 1;
        p += 1;
    }
    for (name, text) in [
        ("data_timeline_treatment.txt", &treatment),
        ("data_timeline_status.txt", &status),
        ("data_timeline_labtest.txt", &lab),
        ("data_timeline_specimen.txt", &specimen),
        ("data_clinical_patient.txt", &clinical),
    ] {
        std::fs::write(dir.join(name), text).expect("write study");
    }
    let opts = txline::import::Options::default();
    let inputs = [dir.clone()];
    let mut loaded = 0;
    let t = time(5, || {
        let opened = txline::import::open_inputs(&inputs, &opts).expect("opens");
        loaded = opened.iter().filter(|o| o.load().is_ok()).count();
        loaded
    });
    assert_eq!(loaded, patients, "every generated patient loads");
    let _ = std::fs::remove_dir_all(&dir);
    (rows, patients, t)
}

/// The swimmer of generated 800- and 1,000-patient cohorts (`txline::stress::cohort_rons`;
/// the real studies at hand have under 30 patients): the whole process to a slide PNG and to
/// a journal PNG (its page grows to every labelled lane, ~35,000 px tall, drawn in strips),
/// and the layout alone. Returns the report rows.
fn bench_cohort(exe: &str, tmp: &Path) -> Vec<(String, String, &'static str)> {
    let mut rows = Vec::new();
    for n in [800, 1000] {
        rows.extend(bench_cohort_of(exe, tmp, n));
    }
    rows
}

fn bench_cohort_of(exe: &str, tmp: &Path, n: usize) -> Vec<(String, String, &'static str)> {
    use txline::cohort::{Cohort, CohortOptions};
    let dir = tmp.join(format!("cohort{n}"));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let rons = txline::stress::cohort_rons(n);
    for (id, text) in &rons {
        std::fs::write(dir.join(format!("{id}.ron")), text).expect("write");
    }
    let mut rows = Vec::new();
    for preset in ["slide-16x9", "journal-2col"] {
        let out = tmp.join("swimmer.png");
        let mut runs = Vec::new();
        for _ in 0..3 {
            let t = Instant::now();
            let status = Command::new(exe)
                .args(["cohort", "swimmer", "--preset", preset, "-o"])
                .arg(&out)
                .arg(&dir)
                .stderr(std::process::Stdio::null())
                .status()
                .expect("txline runs");
            runs.push(t.elapsed());
            assert!(status.success(), "txline cohort failed");
        }
        rows.push((
            format!("whole process: swimmer-{n} → {preset} PNG"),
            format!("{} ms", ms(median(runs))),
            "< 2 s",
        ));
    }
    let inputs = rons
        .iter()
        .map(|(id, text)| {
            let tl = txline::load::load_str(text, id, None).expect("generated cohort loads");
            (id.clone(), Ok(tl.timeline))
        })
        .collect();
    let cohort = Cohort::build(inputs, CohortOptions::default());
    let opts = LayoutOptions::default();
    for preset in [Preset::Slide16x9, Preset::Journal2col] {
        let page = preset.page();
        let t = time(5, || {
            txline::layout::cohort::swimmer(&cohort, &opts, &page)
                .scene
                .items
                .len()
        });
        rows.push((
            format!("layout of swimmer-{n} at {preset} (median)"),
            format!("{} ms", ms(t)),
            "< 50 ms",
        ));
    }
    let _ = std::fs::remove_dir_all(&dir);
    rows
}

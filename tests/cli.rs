//! The `txline` binary end to end: exports, checks, exit codes, messages, atomic writes and
//! batch runs, through the built executable on the example files.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn txline(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_txline"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("txline runs")
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

fn example(name: &str) -> String {
    examples().join(name).display().to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

/// Copies the example timelines (and their images) into `dir`.
fn copy_examples(dir: &Path) {
    for entry in fs::read_dir(examples()).expect("examples/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "ron") {
            fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    let images = examples().join("images");
    if images.is_dir() {
        fs::create_dir_all(dir.join("images")).expect("mkdir");
        for entry in fs::read_dir(images).expect("images/") {
            let path = entry.expect("entry").path();
            fs::copy(
                &path,
                dir.join("images").join(path.file_name().expect("name")),
            )
            .expect("copy");
        }
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// (width, height, pixels per metre) of a PNG file.
fn png_info(path: &Path) -> (u32, u32, Option<u32>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(path).expect("open")));
    let reader = decoder.read_info().expect("a PNG");
    let info = reader.info();
    let ppm = info
        .pixel_dims
        .filter(|d| d.unit == png::Unit::Meter)
        .map(|d| d.xppu);
    (info.width, info.height, ppm)
}

/// True when `text` holds `FILE:LINE:COL: SEVERITY:` for this file with numbers ≥ 1.
fn has_located(text: &str, file: &str, severity: &str) -> bool {
    text.lines().any(|line| {
        let Some(rest) = line.strip_prefix(file).and_then(|r| r.strip_prefix(':')) else {
            return false;
        };
        let mut parts = rest.splitn(3, ':');
        let (Some(l), Some(c), Some(tail)) = (parts.next(), parts.next(), parts.next()) else {
            return false;
        };
        l.parse::<usize>().is_ok_and(|v| v >= 1)
            && c.parse::<usize>().is_ok_and(|v| v >= 1)
            && tail.starts_with(&format!(" {severity}: "))
    })
}

#[test]
fn exports_patient1_to_a_slide_png() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("p1.png");
    let o = txline(
        &[
            "export",
            &example("patient1.ron"),
            "-o",
            out.to_str().expect("utf-8"),
            "--preset",
            "slide-16x9",
        ],
        dir.path(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("wrote"), "{}", stderr(&o));
    assert_eq!(png_info(&out), (1920, 1080, Some(3780)));
    assert_eq!(files_in(dir.path()), vec!["p1.png"]);
}

#[test]
fn exports_journal_png_with_its_dpi_and_format_from_extension() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = txline(
        &[
            "export",
            &example("patient2.ron"),
            "-o",
            "fig.png",
            "--preset",
            "journal-1col",
            "--theme",
            "print",
        ],
        dir.path(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let (w, h, ppm) = png_info(&dir.path().join("fig.png"));
    assert_eq!(w, 1004);
    assert!(h > 100, "height {h}");
    assert_eq!(ppm, Some(11811)); // 300 dpi
}

#[test]
fn exports_self_contained_svg() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (file, label) in [("patient1.ron", "Patient 1"), ("patient2.ron", "Patient 2")] {
        let o = txline(
            &[
                "export",
                &example(file),
                "-o",
                "fig.svg",
                "--preset",
                "journal-2col",
            ],
            dir.path(),
        );
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let svg = fs::read_to_string(dir.path().join("fig.svg")).expect("svg");
        assert!(svg.contains("<svg"), "{file}");
        assert!(svg.contains("width=\"2055\""), "{file}");
        assert!(svg.contains(label), "{file} lacks its label");
        assert!(svg.contains("<image"), "{file} lacks its images");
        assert!(
            svg.contains("href=\"data:image/"),
            "{file}: images not embedded"
        );
        assert!(svg.contains("font-family=\"DejaVu Sans, sans-serif\""));
        assert!(!svg.contains("file:"), "{file}: refers to a file");
    }
}

#[test]
fn format_flag_and_size_flags() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = txline(
        &[
            "export",
            &example("patient1.ron"),
            "--out-dir",
            "out",
            "--format",
            "svg",
            "--width",
            "1200",
            "--height",
            "800",
            "--theme",
            "dark",
            "--axis",
            "relative",
            "--transparent",
        ],
        dir.path(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let svg = fs::read_to_string(dir.path().join("out/P1.svg")).expect("out/P1.svg");
    assert!(svg.contains("viewBox=\"0 0 1200 800\""));
    // Transparent: no full-page background rectangle.
    assert!(!svg.contains("<rect x=\"0\" y=\"0\" width=\"1200\" height=\"800\""));
}

/// `--format`, `--theme` and `--axis` take the core types' own names and help, and `tif` is
/// `tiff`.
#[test]
fn value_flags_are_the_core_names_and_help() {
    let dir = tempfile::tempdir().expect("tempdir");
    let help = txline(&["export", "--help"], dir.path());
    let text = String::from_utf8_lossy(&help.stdout);
    for line in [
        "tiff: TIFF with its DPI",
        "print: Reads in greyscale print",
        "relative: Days / months from day 0",
    ] {
        assert!(text.contains(line), "{line:?} missing from:\n{text}");
    }
    let o = txline(
        &[
            "export",
            &example("minimal.ron"),
            "--format",
            "tif",
            "-o",
            "m.tif",
        ],
        dir.path(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let bytes = fs::read(dir.path().join("m.tif")).expect("m.tif");
    assert_eq!(&bytes[..2], b"II", "a little-endian TIFF");
}

#[test]
fn check_accepts_the_examples() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut seen = 0;
    for entry in fs::read_dir(examples()).expect("examples/") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        seen += 1;
        let o = txline(&["check", &path.display().to_string()], dir.path());
        assert_eq!(code(&o), 0, "{}: {}", path.display(), stderr(&o));
        assert!(
            stderr(&o).ends_with(": ok\n"),
            "{}: {}",
            path.display(),
            stderr(&o)
        );
    }
    assert!(seen >= 3, "{seen} examples");
}

#[test]
fn check_rejects_every_invalid_example_with_its_place() {
    // examples/invalid/warning-*.ron still draw: exit 0, with a located warning.
    let dir = tempfile::tempdir().expect("tempdir");
    let invalid = examples().join("invalid");
    let (mut errors, mut warnings) = (0, 0);
    for entry in fs::read_dir(&invalid).expect("examples/invalid") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        let name = path.display().to_string();
        let warning_only = path
            .file_name()
            .is_some_and(|f| f.to_string_lossy().starts_with("warning-"));
        let o = txline(&["check", &name], dir.path());
        let (want_code, severity) = if warning_only {
            warnings += 1;
            (0, "warning")
        } else {
            errors += 1;
            (1, "error")
        };
        assert_eq!(code(&o), want_code, "{name}: {}", stderr(&o));
        assert!(
            has_located(&stderr(&o), &name, severity),
            "{name}: no FILE:LINE:COL: {severity}: in\n{}",
            stderr(&o)
        );
    }
    assert!(
        errors >= 3 && warnings >= 1,
        "{errors} invalid, {warnings} warning examples"
    );
    // All at once: every problem printed, exit 1, and a summary.
    let o = txline(&["check", &invalid.display().to_string()], dir.path());
    assert_eq!(code(&o), 1);
    assert_eq!(
        stderr(&o)
            .lines()
            .filter(|l| l.contains(": error: "))
            .count(),
        errors,
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains(&format!("checked {} files", errors + warnings)));
}

#[test]
fn usage_errors_exit_2_and_say_what_to_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p1 = example("patient1.ron");
    let p2 = example("patient2.ron");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["export", &p1, "--preset", "slidee"], "slide-16x9"),
        (vec!["export", &p1, &p2, "-o", "x.png"], "--out-dir"),
        (vec!["export", &p1, "--height", "500"], "--width"),
        (vec!["export", &p1, "-o", "figure.jpg"], "--format"),
        (vec!["export", &p1, "--theme", "pink"], "light"),
        (vec!["export", &p1, "--bogus"], "--bogus"),
        (vec!["exprot", &p1], "txline export"),
        (vec!["export"], "FILE_OR_FOLDER"),
        // 1.6 GB of pixels were allocated for this before.
        (
            vec![
                "export", &p1, "--width", "20000", "--height", "20000", "-o", "big.png",
            ],
            "is 400 megapixels, more than the 150 a PNG may have",
        ),
        (
            vec![
                "export", &p1, "--width", "7000", "--height", "6000", "-o", "big.tif",
            ],
            "is 42 megapixels, more than the 36 a TIFF may have",
        ),
    ];
    for (args, hint) in cases {
        let o = txline(&args, dir.path());
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(hint), "{args:?}: {}", stderr(&o));
    }
    assert!(
        files_in(dir.path()).is_empty(),
        "{:?}",
        files_in(dir.path())
    );
}

#[test]
fn failed_export_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.ron");
    fs::write(
        &bad,
        "Timeline(format: 1, patient: (id: \"X\"), phases: [(therapy: Chemo,",
    )
    .expect("write");
    let o = txline(&["export", "bad.ron", "-o", "out.png"], dir.path());
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("bad.ron:"), "{}", stderr(&o));
    assert_eq!(files_in(dir.path()), vec!["bad.ron"]);
}

/// A FIFO as input used to block `check` and `export` for ever (opened before its kind
/// was checked); now both refuse it at once.
#[cfg(unix)]
#[test]
fn a_fifo_as_input_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let made = Command::new("mkfifo")
        .arg(dir.path().join("pipe.ron"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    for args in [
        vec!["check", "pipe.ron"],
        vec!["export", "pipe.ron", "-o", "out.png"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_txline"))
            .args(&args)
            .current_dir(dir.path())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("txline runs");
        let start = std::time::Instant::now();
        while child.try_wait().expect("wait").is_none() {
            if start.elapsed() > std::time::Duration::from_secs(20) {
                let _ = child.kill();
                panic!("{args:?}: still waiting on the FIFO after 20 s");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let o = child.wait_with_output().expect("output");
        assert_eq!(code(&o), 1, "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("pipe.ron: error: is a FIFO (named pipe), not a timeline file"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    assert_eq!(files_in(dir.path()), vec!["pipe.ron"]);
}

#[test]
fn an_image_the_timeline_uses_is_never_overwritten() {
    // Only the .ron inputs were protected: -o images/p1-neck-2021-03.png replaced the
    // figure's own image with the figure.
    let dir = tempfile::tempdir().expect("tempdir");
    copy_examples(dir.path());
    let image = dir.path().join("images/p1-neck-2021-03.png");
    let before = fs::read(&image).expect("read");
    fs::create_dir(dir.path().join("links")).expect("mkdir");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&image, dir.path().join("links/same.png")).expect("symlink");
    let mut outs = vec![
        "images/p1-neck-2021-03.png",
        "./images/../images/p1-neck-2021-03.png",
    ];
    if cfg!(unix) {
        outs.push("links/same.png");
    }
    for out in outs {
        let o = txline(&["export", "patient1.ron", "-o", out], dir.path());
        assert_eq!(code(&o), 2, "{out}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(
                "images/p1-neck-2021-03.png that patient1.ron uses, and is never overwritten"
            ),
            "{out}: {}",
            stderr(&o)
        );
    }
    // A batch whose output folder is the image folder: the file named like an image is
    // refused, the others are written.
    let p1 = fs::read_to_string(dir.path().join("patient1.ron")).expect("read");
    fs::write(
        dir.path().join("case.ron"),
        p1.replace("id: \"P1\"", "id: \"p1-neck-2021-03\""),
    )
    .expect("write");
    let o = txline(
        &["export", "--out-dir", "images", "case.ron", "patient2.ron"],
        dir.path(),
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("never overwritten"), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 exported"), "{}", stderr(&o));
    assert_eq!(fs::read(&image).expect("read"), before);
}

#[test]
fn the_input_is_never_overwritten() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_examples(dir.path());
    let before = fs::read(dir.path().join("patient1.ron")).expect("read");
    for args in [
        vec![
            "export",
            "patient1.ron",
            "-o",
            "patient1.ron",
            "--format",
            "png",
        ],
        vec![
            "export",
            "patient1.ron",
            "-o",
            "./patient1.ron",
            "--format",
            "svg",
        ],
    ] {
        let o = txline(&args, dir.path());
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("never overwritten"), "{}", stderr(&o));
    }
    assert_eq!(
        fs::read(dir.path().join("patient1.ron")).expect("read"),
        before
    );
}

#[test]
fn batch_exports_the_good_files_and_reports_the_bad_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    fs::create_dir(&input).expect("mkdir");
    copy_examples(&input);
    // A second copy of patient 1 (same id) and one broken file.
    fs::copy(input.join("patient1.ron"), input.join("patient1-again.ron")).expect("copy");
    fs::write(
        input.join("zz-broken.ron"),
        "Timeline(format: 1, patient: (id: 5))",
    )
    .expect("write");
    let o = txline(&["export", "--out-dir", "out", "in"], dir.path());
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("zz-broken.ron:"), "{err}");
    let ron_files = files_in(&input)
        .into_iter()
        .filter(|f| f.ends_with(".ron"))
        .count();
    assert!(
        err.contains(&format!("summary: {} exported", ron_files - 1)),
        "{err}"
    );
    assert!(err.contains("1 failed"), "{err}");
    let out = files_in(&dir.path().join("out"));
    assert!(out.contains(&"P1.png".to_string()), "{out:?}");
    assert!(out.contains(&"P1-2.png".to_string()), "{out:?}");
    assert!(out.contains(&"P2.png".to_string()), "{out:?}");
    assert_eq!(out.len(), ron_files - 1, "{out:?}");
    assert!(out.iter().all(|f| f.ends_with(".png")), "{out:?}");
    for f in &out {
        assert_eq!(png_info(&dir.path().join("out").join(f)).0, 1920);
    }
}

#[test]
fn deidentified_export_names_the_pseudonym_and_warns_about_images() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = txline(
        &[
            "export",
            &example("patient1.ron"),
            "--out-dir",
            "out",
            "--format",
            "svg",
            "--deidentify",
            "--pseudonym",
            "Case A",
        ],
        dir.path(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // The viewer's export dialog shows the very same warning.
    assert!(
        stderr(&o).contains(txline::deidentify::BURNED_IN_WARNING),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("burned into their pixels"));
    // Named after the pseudonym, never the patient id.
    assert_eq!(files_in(&dir.path().join("out")), vec!["Case_A.svg"]);
    let svg = fs::read_to_string(dir.path().join("out/Case_A.svg")).expect("svg");
    assert!(svg.contains("Case A"));
    assert!(!svg.contains("Patient 1"));
}

#[test]
fn deidentify_counts_replacements_and_writes_the_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let probe = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/deid-probe.ron");
    let probe = probe.display().to_string();
    let o = txline(
        &[
            "export",
            &probe,
            "-o",
            "fig.svg",
            "--deidentify",
            "--deidentify-report",
            "report.txt",
        ],
        dir.path(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    let summary = err
        .lines()
        .find(|l| l.contains("de-identification: "))
        .unwrap_or_else(|| panic!("no count in {err}"));
    assert!(
        summary.contains(" replacements in ") && summary.ends_with(" fields"),
        "{summary}"
    );
    let report = fs::read_to_string(dir.path().join("report.txt")).expect("report");
    assert!(
        report.starts_with(txline::deidentify::report::HEADER),
        "{report}"
    );
    assert!(report.contains("CONTAINS THE ORIGINAL TEXT"));
    // Each replacement: FILE:LINE:COL: FIELD: "original" → "replacement", at the field.
    let line_of = |needle: &str| {
        report
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} not in the report:\n{report}"))
            .to_string()
    };
    let ct = line_of("\"2021-03-15\" → \"[date]\"");
    let probe_text = fs::read_to_string(&probe).expect("probe");
    let (line, col) = probe_text
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find("\"CT2021")
                .map(|c| (i + 1, l[..c].chars().count() + 1))
        })
        .expect("CT probe in the file");
    assert!(
        ct.starts_with(&format!("{probe}:{line}:{col}: events[0].label: ")),
        "{ct}"
    );
    assert!(line_of("patient.label: \"Jane Q. Doe-İlgaz\" → \"Patient\"").contains(":7:"));
    line_of("\"12345678\" → \"[number]\"");
    // The count printed is the number of replacement lines.
    let lines = report.lines().filter(|l| !l.starts_with('#')).count();
    assert!(
        summary.contains(&format!("{lines} replacements")),
        "{summary} vs {lines}"
    );
    // The figure holds none of it.
    let svg = fs::read_to_string(dir.path().join("fig.svg")).expect("svg");
    assert!(!svg.contains("12345678") && !svg.contains("Jane"));
}

#[test]
fn deidentify_report_needs_deidentify() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = txline(
        &[
            "export",
            &example("patient1.ron"),
            "-o",
            "x.png",
            "--deidentify-report",
            "r.txt",
        ],
        dir.path(),
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("--deidentify"), "{}", stderr(&o));
}

/// (With the viewer built, `txline FILE` opens a window: the GUI's own checks cover it.)
#[cfg(not(feature = "gui"))]
#[test]
fn the_viewer_without_the_gui_feature_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = txline(&[&example("patient1.ron")], dir.path());
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("without the viewer"), "{}", stderr(&o));
}

#[test]
fn a_page_too_short_says_what_it_left_out_and_the_height_that_fits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("p1.png");
    let run = |height: &str| {
        txline(
            &[
                "export",
                &example("patient1.ron"),
                "-o",
                out.to_str().expect("utf-8"),
                "--width",
                "1200",
                "--height",
                height,
            ],
            dir.path(),
        )
    };
    let o = run("450");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    let line = err
        .lines()
        .find(|l| l.contains("warning: left out of the figure: "))
        .unwrap_or_else(|| panic!("no left-out warning in {err}"));
    assert!(line.contains("patient1.ron: warning:"), "{line}");
    assert!(line.contains("the image strip (4 images)"), "{line}");
    assert!(line.contains("px too short; use --height "), "{line}");
    // The height it names shows everything.
    let needed = line
        .split("use --height ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("a height");
    let o = run(needed);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!stderr(&o).contains("left out"), "{}", stderr(&o));
}

//! `txline cohort`: exit codes, warnings for bad files, de-identified ids and SVG content,
//! run as a user would from the fixtures in `tests/data/cohort/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn txline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_txline"))
        .args(args)
        .output()
        .expect("runs")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cohort")
}

fn fixture(name: &str) -> String {
    fixtures().join(name).display().to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_bad_file_is_reported_and_the_others_are_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("swimmer.svg");
    let o = txline(&[
        "cohort",
        "swimmer",
        &fixtures().display().to_string(),
        "-o",
        out.to_str().unwrap(),
        "--group-by",
        "group",
        "--ref-months",
        "6,12",
    ]);
    let err = stderr(&o);
    // As `export`: a file that did not load makes the exit code 1, the figure is written.
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("zz-bad.ron:7:19: error: unknown therapy \"Chemo\""),
        "{err}"
    );
    assert!(err.contains("zz-bad.ron: left out of the cohort"), "{err}");
    let svg = std::fs::read_to_string(&out).unwrap();
    for t in [
        "Case 01",
        "Case 03",
        "C02",
        "C10",
        "C11",
        "treatment ongoing at data cut-off",
        "6 mo",
        "Arm B",
    ] {
        assert!(svg.contains(t), "{t} not in the SVG");
    }
    assert!(svg.contains("1 input left out"));
    assert!(!svg.contains("BAD"));
}

#[test]
fn good_inputs_exit_0_and_deidentified_ids_replace_the_labels() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("w.svg");
    let inputs = ["c01.ron", "c02.ron", "c03.ron", "c10.ron", "c11.ron"].map(fixture);
    let mut args = vec!["cohort", "swimmer"];
    args.extend(inputs.iter().map(String::as_str));
    args.extend(["-o", out.to_str().unwrap(), "--deidentify", "--sort", "id"]);
    let o = txline(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let svg = std::fs::read_to_string(&out).unwrap();
    for id in ["P001", "P002", "P003", "P004", "P005"] {
        assert!(svg.contains(&format!(">{id}<")), "{id} missing");
    }
    for gone in ["Case 01", "C02", "C11", "Arm A"] {
        assert!(!svg.contains(gone), "{gone} still in the de-identified SVG");
    }
    // Sorted by id: P001 above P002 above … P005.
    let at = |id: &str| svg.find(&format!(">{id}<")).unwrap();
    assert!(at("P001") < at("P002") && at("P002") < at("P005"));
}

#[test]
fn waterfall_and_spider_report_patients_without_the_measure() {
    let dir = tempfile::tempdir().unwrap();
    for fig in ["waterfall", "spider"] {
        let out = dir.path().join(format!("{fig}.png"));
        let inputs = ["c01.ron", "c02.ron", "c03.ron", "c10.ron", "c11.ron"].map(fixture);
        let mut args = vec!["cohort", fig];
        args.extend(inputs.iter().map(String::as_str));
        args.extend(["-o", out.to_str().unwrap(), "--preset", "journal-1col"]);
        let o = txline(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{err}");
        assert!(
            err.contains("Case 03: not evaluable, left out of the figure: no measurement \"Target lesion sum\""),
            "{err}"
        );
        let png = std::fs::read(&out).unwrap();
        assert_eq!(&png[1..4], b"PNG");
    }
    // A measurement nobody has: every patient reported; no patient named: the message says how.
    let out = dir.path().join("x.svg");
    let o = txline(&[
        "cohort",
        "waterfall",
        &fixture("c03.ron"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--measure"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = txline(&[
        "cohort",
        "swimmer",
        &fixture("c01.ron"),
        "-o",
        &fixture("c01.ron"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("never overwritten"));
    let out = dir.path().join("x.png");
    let o = txline(&[
        "cohort",
        "swimmer",
        &fixture("c01.ron"),
        "-o",
        out.to_str().unwrap(),
        "--ref-months",
        "6,x",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--ref-months 6,12"), "{}", stderr(&o));
    let o = txline(&[
        "cohort",
        "swim",
        &fixture("c01.ron"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = txline(&[
        "cohort",
        "swimmer",
        &fixture("c01.ron"),
        "-o",
        dir.path().join("x.jpg").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--format png|svg|pdf|tiff"));
    assert!(!out.exists());
}

#[test]
fn align_on_a_phase_name_leaves_out_patients_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.svg");
    let inputs = ["c01.ron", "c02.ron"].map(fixture);
    let o = txline(&[
        "cohort",
        "swimmer",
        &inputs[0],
        &inputs[1],
        "-o",
        out.to_str().unwrap(),
        "--align",
        "Docetaxel",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("c01.ron: left out of the cohort: it has no phase named \"Docetaxel\""),
        "{err}"
    );
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains("weeks from start of Docetaxel"));
}

#[test]
fn a_cohort_file_holds_the_patients_and_options_and_the_command_line_wins() {
    let dir = tempfile::tempdir().unwrap();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cohort.ron");
    let out = dir.path().join("saved.svg");
    let o = txline(&[
        "cohort",
        "swimmer",
        file.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let svg = std::fs::read_to_string(&out).unwrap();
    for t in [
        "Saved test cohort",
        "months from first therapy",
        "12 mo",
        "Arm A",
        "by group, longest first",
    ] {
        assert!(svg.contains(t), "{t} not in the SVG");
    }
    // Sorted by group: Arm A (Case 01, Case 03) above Arm B (C02, C10) above no group (C11).
    let at = |t: &str| svg.find(&format!(">{t}<")).unwrap();
    assert!(at("Case 03") < at("C02") && at("C10") < at("C11"));
    // The command line wins: sorted by id, titled otherwise.
    let o = txline(&[
        "cohort",
        "swimmer",
        file.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--sort",
        "id",
        "--title",
        "Again",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains(">Again<") && svg.contains("by id"));
    // A broken cohort file names its place; a cohort file with other inputs is refused.
    let bad = dir.path().join("bad.ron");
    std::fs::write(
        &bad,
        "Cohort(\n  format: 1,\n  patients: [\"a.ron\"],\n  colour: Red,\n)\n",
    )
    .unwrap();
    let o = txline(&[
        "cohort",
        "swimmer",
        bad.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("bad.ron:4:"), "{}", stderr(&o));
    let o = txline(&[
        "cohort",
        "swimmer",
        file.to_str().unwrap(),
        &fixture("c01.ron"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("give it alone"), "{}", stderr(&o));
}

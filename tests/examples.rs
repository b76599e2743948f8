//! Every example loads: the valid ones with no error and the right number of items, each
//! file in `examples/invalid/` with the message its first line expects
//! (`// expect: LINE:COL: error: MESSAGE`).

use std::path::{Path, PathBuf};

use txline::diagnostics::Severity;
use txline::load::{load_file, load_str};
use txline::model::DayZeroOrigin;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

#[test]
fn valid_examples_load_with_their_items() {
    // (file, phases, statuses, responses, events, intervals, measurements, images)
    let expected = [
        ("patient1.ron", 5, 5, 6, 6, 1, 2, 4),
        ("patient2.ron", 6, 6, 8, 5, 2, 1, 3),
        ("minimal.ron", 1, 0, 0, 0, 0, 0, 0),
        ("relative.ron", 3, 4, 4, 5, 2, 1, 0),
        ("breast-late-relapse.ron", 7, 4, 3, 3, 2, 1, 0),
    ];
    for (name, ph, st, re, ev, int, me, im) in expected {
        let path = examples().join(name);
        let loaded = load_file(&path).unwrap_or_else(|e| panic!("{name}:\n{e}"));
        assert!(loaded.warnings.is_empty(), "{name}: {:?}", loaded.warnings);
        let t = &loaded.timeline;
        let counts = (
            t.phases.len(),
            t.statuses.len(),
            t.responses.len(),
            t.events.len(),
            t.intervals.len(),
            t.measurements.len(),
            t.images.len(),
        );
        assert_eq!(counts, (ph, st, re, ev, int, me, im), "{name}");
        assert_eq!(t.source.as_deref(), Some(path.as_path()));
        // Every image of the examples is there and readable.
        for item in &t.images {
            let data = item.data.as_ref().unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(data.width > 0 && data.height > 0);
            assert!(matches!(data.mime, "image/png" | "image/jpeg"));
        }
    }
}

#[test]
fn example_values() {
    let t = load_file(&examples().join("patient1.ron"))
        .unwrap()
        .timeline;
    assert_eq!(t.patient.label, "Patient 1");
    assert_eq!(t.phases[0].span.start.day, 16);
    assert_eq!(t.images[3].data.as_ref().unwrap().mime, "image/jpeg");

    let t = load_file(&examples().join("patient2.ron"))
        .unwrap()
        .timeline;
    assert_eq!(
        t.day_zero.map(|d| d.to_string()),
        Some("2018-09-15".to_owned())
    );
    assert_eq!(t.day_zero_origin, DayZeroOrigin::Given);

    let t = load_file(&examples().join("minimal.ron")).unwrap().timeline;
    assert_eq!(t.patient.label, "P0");
    assert_eq!(t.phases[0].name, "Chemotherapy");
    assert_eq!(t.day_zero_origin, DayZeroOrigin::Earliest);
    assert_eq!(t.data_cutoff.day, t.phases[0].span.end.day);

    let t = load_file(&examples().join("relative.ron"))
        .unwrap()
        .timeline;
    assert_eq!(t.day_zero, None);
    assert_eq!(t.day_zero_origin, DayZeroOrigin::RelativeOnly);
    assert_eq!(t.data_cutoff.day, 540);
    assert_eq!(t.phases[1].span.end.day, 540);
    assert_eq!(t.patient.age_band.as_deref(), Some("60–64"));
}

/// The `// expect: ...` line of a file (read as bytes: some files are not UTF-8 past it).
fn expectation(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let first = std::str::from_utf8(first).unwrap();
    first
        .strip_prefix("// expect: ")
        .unwrap_or_else(|| panic!("{}: first line must be `// expect: ...`", path.display()))
        .to_owned()
}

#[test]
fn every_invalid_example_gives_its_message() {
    let dir = examples().join("invalid");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 25, "{} files", files.len());
    let mut failures = Vec::new();
    for path in files {
        let expect = expectation(&path);
        let is_warning = expect.contains(": warning: ");
        let (diagnostics, loaded) = match load_file(&path) {
            Ok(l) => (l.warnings, true),
            Err(e) => (e.diagnostics, false),
        };
        let shown: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
        let name = path.display().to_string();
        let found = shown
            .iter()
            .any(|s| s.starts_with(&name) && s[name.len()..].starts_with(&format!(":{expect}")));
        let errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
        if !found || loaded != is_warning || errors == is_warning {
            failures.push(format!("{name}: expected `{expect}`, got {shown:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn huge_files_are_refused_with_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.ron");
    let f = std::fs::File::create(&path).unwrap();
    // One byte over: the message must say by how much, not "32.0 MiB; the limit is 32 MiB".
    f.set_len(32 * 1024 * 1024 + 1).unwrap();
    let e = load_file(&path).unwrap_err();
    let s = e.to_string();
    assert!(
        s.contains("the file is too large (33554433 bytes); the limit is 32 MiB (33554432 bytes)"),
        "{s}"
    );
}

#[test]
fn many_errors_are_all_reported_in_file_order() {
    let text = "(format: 1, patient: (id: \"P\"), phases: [
(therapy: Chemo, start: \"2021-01-01\"),
(therapy: Surgery, start: \"2021-02-30\"),
(therapy: Surgery, start: \"2021-03-01\", end: \"2021-01-01\"),
(therapy: Surgery, strat: \"2021-03-01\"),
])";
    let e = load_str(text, "m.ron", None).unwrap_err();
    let lines: Vec<usize> = e.diagnostics.iter().map(|d| d.line).collect();
    // The misspelt `strat` is one problem: no separate "missing field `start`".
    assert_eq!(lines, [2, 3, 4, 5], "{e}");
}

#[test]
fn implicit_some_attribute_and_names_still_load() {
    let text = "#![enable(implicit_some)]\nTimeline(format: 1, patient: Patient(id: \"P\", age: Some(40)),\n phases: [Phase(therapy: Surgery, start: \"2021-01-01\", end: None)])";
    let t = load_str(text, "a.ron", None).unwrap().timeline;
    assert_eq!(t.patient.age, Some(40));
    assert_eq!(t.phases[0].span.days(), 1);
}

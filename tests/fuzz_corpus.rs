//! Replays the fuzzer's saved corpus (`tests/fuzz-corpus/`, inputs that once showed new
//! behaviour or broke something) through the whole pipeline: every file must give a figure or
//! diagnostics, never a panic or a broken figure. Each file is run with two variants (page,
//! theme, axis, de-identification) chosen from its name, so the replay is repeatable.

mod fuzz_support;

use std::path::Path;

#[test]
fn every_saved_fuzz_input_gives_a_figure_or_diagnostics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/fuzz-corpus");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fuzz-corpus exists")
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 10,
        "the corpus has only {} files",
        paths.len()
    );
    let mut broken = Vec::new();
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let seed = bytes
            .iter()
            .fold(0u64, |h, &b| h.wrapping_mul(31).wrapping_add(b as u64));
        for n in [seed, seed / 3 + 1] {
            if let Err(what) = fuzz_support::run(&text, n, &root.join("examples")) {
                broken.push(format!("{} (variant {n}): {what}", path.display()));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// The fuzzer's own figure check reads numbers in the markup, not words in the labels: a
/// patient whose sex is "NaNF" is no broken figure (a false alarm that once failed CI), a
/// coordinate written as NaN or inf is.
#[test]
fn the_non_finite_check_reads_markup_not_labels() {
    use fuzz_support::non_finite_in_markup as bad;
    assert_eq!(
        bad(r#"<svg><text x="1" y="2">56 y · NaNF inf NaN</text></svg>"#),
        None
    );
    assert_eq!(bad(r#"<rect x="NaN" y="2"/>"#), Some("NaN"));
    assert_eq!(bad(r#"<rect x="1" width="-inf"/>"#), Some("inf"));
    assert_eq!(bad(r#"<path d="M1 2 L3,NaN"/>"#), Some("NaN"));
    assert_eq!(bad(r#"<path d="MNaN 2"/>"#), Some("NaN"));
    assert_eq!(bad(r#"<g transform="translate(inf 2)">"#), Some("inf"));
    assert_eq!(bad(r#"<text font-family="Info">x</text>"#), None);
}

/// The input that raised that false alarm, with the variant that raised it, now passes.
#[test]
fn a_label_saying_nan_is_a_figure() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("examples/patient2.ron"))
        .unwrap()
        .replace(r#"sex: "F""#, r#"sex: "NaNF""#);
    assert!(text.contains("NaNF"));
    fuzz_support::run(&text, 4_249_600_378_178_323_555, &root.join("examples")).unwrap();
}

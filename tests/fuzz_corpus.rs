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

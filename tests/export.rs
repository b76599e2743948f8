//! The export pipeline through the library: example files laid out and written as SVG and
//! PNG, and the exporters' guarantees (determinism, sizes, DPI, fonts, atomic writes).

use std::path::{Path, PathBuf};

use txline::export::{self, ExportError, Format};
use txline::layout::{LayoutOptions, layout};
use txline::load::load_file;
use txline::page::Preset;
use txline::scene::{Scene, Shape};
use txline::theme::ThemeKind;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

fn scene_of(name: &str, preset: Preset, options: &LayoutOptions) -> Scene {
    let loaded = load_file(&example(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    layout(&loaded.timeline, options, &preset.page())
}

#[test]
fn examples_export_to_svg_and_png_deterministically() {
    for name in ["patient1.ron", "patient2.ron", "minimal.ron"] {
        let scene = scene_of(name, Preset::Slide16x9, &LayoutOptions::default());
        let svg = export::to_svg(&scene);
        assert_eq!(svg, export::to_svg(&scene), "{name}: SVG not deterministic");
        // Every text of the scene is in the SVG as text.
        for t in scene.texts().take(20) {
            let escaped = t
                .text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&apos;");
            assert!(svg.contains(&escaped), "{name}: {:?} missing", t.text);
        }
        let images = scene
            .items
            .iter()
            .filter(|i| matches!(i.shape, Shape::Image { .. }))
            .count();
        assert_eq!(svg.matches("<image ").count(), images, "{name}");

        let (w, h, rgba) = export::render_rgba(&scene).expect("render");
        assert_eq!((w, h), (1920, 1080), "{name}");
        assert_eq!(rgba.len(), 1920 * 1080 * 4);
        // The figure is drawn: many pixels differ from the white page.
        let inked = rgba
            .chunks_exact(4)
            .filter(|p| p[..3] != [255, 255, 255])
            .count();
        assert!(inked > 20_000, "{name}: only {inked} inked pixels");
        let png = export::to_png(&scene).expect("png");
        assert_eq!(
            png,
            export::to_png(&scene).expect("png"),
            "{name}: PNG not deterministic"
        );
    }
}

#[test]
fn dark_and_transparent_backgrounds_reach_the_pixels() {
    let dark = scene_of(
        "patient1.ron",
        Preset::Slide4x3,
        &LayoutOptions {
            theme: ThemeKind::Dark,
            ..LayoutOptions::default()
        },
    );
    let (w, h, rgba) = export::render_rgba(&dark).expect("render");
    assert_eq!((w, h), (1600, 1200));
    let corner = &rgba[..4];
    assert!(
        corner[0] < 100 && corner[3] == 255,
        "dark page corner {corner:?}"
    );

    let clear = scene_of(
        "patient1.ron",
        Preset::Slide4x3,
        &LayoutOptions {
            transparent: true,
            ..LayoutOptions::default()
        },
    );
    let (_, _, rgba) = export::render_rgba(&clear).expect("render");
    assert_eq!(rgba[3], 0, "transparent corner");
}

#[test]
fn every_format_encodes_or_says_why() {
    let scene = scene_of("minimal.ron", Preset::Slide16x9, &LayoutOptions::default());
    for &format in Format::ALL {
        match export::encode(&scene, format) {
            Ok(bytes) => assert!(bytes.len() > 100, "{format}"),
            Err(ExportError::Encode { format: f, .. }) => {
                assert!(matches!(format, Format::Pdf | Format::Tiff), "{f}")
            }
            Err(e) => panic!("{format}: {e}"),
        }
    }
}

#[test]
fn write_atomic_refuses_inputs_and_replaces_outputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("case.ron");
    std::fs::write(&input, "x").expect("write");
    let inputs = vec![input.clone()];
    assert!(matches!(
        export::write_atomic(&input, b"png", &inputs),
        Err(ExportError::WouldOverwriteInput(_))
    ));
    let out = dir.path().join("case.png");
    export::write_atomic(&out, b"1", &inputs).expect("write");
    export::write_atomic(&out, b"2", &inputs).expect("replace");
    assert_eq!(std::fs::read(&out).expect("read"), b"2");
    assert_eq!(std::fs::read(&input).expect("read"), b"x");
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 2);
}

/// Issue 7: every text the layout shortens or wraps is handled in time linear in its
/// length (it was quadratic: a 100 KB diagnosis took 43 s, 1 MB never finished).
#[test]
fn long_texts_lay_out_and_export() {
    let long = |unit: &str| unit.repeat(300_000 / unit.len());
    let words = long("lung adenocarcinoma EGFR ");
    let word = long("Adenocarcinoma");
    let ron = format!(
        r#"(format: 1,
    patient: (id: "P1", label: "{word}", diagnosis: "{words}", stage: "{word}"),
    day_zero: "2021-01-01", data_cutoff: "2022-01-01",
    phases: [(therapy: Chemotherapy, name: "{word}", lane: "{words}", start: "2021-02-01", end: "2021-03-01", detail: "{words}")],
    statuses: [(state: Active, label: "{words}", start: "2021-01-01", end: "2021-05-01")],
    events: [(at: "2021-04-01", kind: Progression, label: "{word}", note: "{words}")],
    intervals: [(label: "{words}", start: "2021-02-01", end: "2021-12-01")],
    measurements: [(name: "{words}", unit: "{word}", points: [("2021-02-01", 1.0), ("2021-06-01", 2.0)])],
    images: [(at: "2021-06-01", path: "missing.png", caption: "{words}"), (at: "2021-07-01", path: "gone.png", caption: "{word}")],
)"#
    );
    let loaded = txline::load::load_str(&ron, "long.ron", Some(Path::new("/nonexistent")))
        .unwrap_or_else(|e| panic!("{e}"));
    for preset in [Preset::Slide16x9, Preset::Journal1col] {
        let scene = layout(&loaded.timeline, &LayoutOptions::default(), &preset.page());
        // Every text that reaches the figure was cut to what the page can show.
        for t in scene.texts() {
            assert!(t.text.len() < 2_000, "{} bytes drawn", t.text.len());
        }
        assert!(
            scene.texts().count() < 400,
            "{} texts",
            scene.texts().count()
        );
        assert!(export::to_svg(&scene).len() < 400_000);
    }
}

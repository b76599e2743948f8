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
    for format in Format::ALL {
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

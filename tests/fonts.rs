//! Text in every script (issue 12): the Chinese example exports to every format with its
//! glyphs (PNG/TIFF pixels, SVG outlines, PDF subset fonts whose text extracts as the same
//! characters), each label's measured box holds its rendered glyphs, `--font` and
//! `--no-system-fonts` choose the fonts, and Latin, Greek and Cyrillic never leave DejaVu.
//!
//! Tests that need a CJK font skip LOUDLY (a line on stderr saying why) when the machine has
//! none, unless `TXLINE_REQUIRE_CJK` is set — as CI sets it after installing
//! `fonts-noto-cjk` — where a missing font fails them.

mod pdf_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use txline::export::{pdf::to_pdf, png::render_rgba, svg::to_svg};
use txline::layout::{LayoutOptions, layout};
use txline::load::load_file;
use txline::page::Preset;
use txline::scene::{Rect, Scene, Shape};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/scripts")
        .join(name)
}

fn txline(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_txline"))
        .args(args)
        .output()
        .expect("txline runs")
}

/// True when some installed font draws Chinese; otherwise prints why the test is skipped, or
/// fails when `TXLINE_REQUIRE_CJK` is set.
fn cjk_font(test: &str) -> bool {
    if txline::fonts::covers('肺') {
        return true;
    }
    if std::env::var_os("TXLINE_REQUIRE_CJK").is_some() {
        panic!(
            "{test}: no installed font has Chinese characters, and TXLINE_REQUIRE_CJK is set; \
             install one (apt-get install fonts-noto-cjk)"
        );
    }
    eprintln!(
        "SKIPPED {test}: no installed font has Chinese characters (install fonts-noto-cjk, \
         or set TXLINE_REQUIRE_CJK=1 to make this a failure)"
    );
    false
}

fn scene_of(name: &str) -> Scene {
    let loaded = load_file(&example(name)).expect("the example loads");
    layout(
        &loaded.timeline,
        &LayoutOptions::default(),
        &Preset::Slide16x9.page(),
    )
}

/// The labels the Chinese example must show whole, one of each kind of text.
const ZH_LABELS: &[&str] = &[
    "肺腺癌",         // diagnosis (title)
    "奥希替尼",       // phase name
    "贝伐珠单抗维持", // phase name
    "部分缓解",       // status label
    "颅内进展",       // event
    "末次随访",       // event
    "总生存期",       // interval
    "癌胚抗原",       // measurement
    "右肺上叶肿块",   // caption
];

#[test]
fn the_chinese_example_draws_no_box_and_warns_about_nothing() {
    if !cjk_font("the_chinese_example_draws_no_box_and_warns_about_nothing") {
        return;
    }
    let o = txline(&["check", example("patient-zh.ron").to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("warning"), "{err}");
    let scene = scene_of("patient-zh.ron");
    let texts: String = scene.texts().map(|t| t.text.as_str()).collect();
    for label in ZH_LABELS {
        assert!(texts.contains(label), "{label} is not drawn whole: {texts}");
    }
}

#[test]
fn the_chinese_example_exports_to_every_format_with_its_glyphs() {
    if !cjk_font("the_chinese_example_exports_to_every_format_with_its_glyphs") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    for ext in ["png", "svg", "pdf", "tif"] {
        let out = dir.path().join(format!("zh.{ext}"));
        let o = txline(&[
            "export",
            example("patient-zh.ron").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{ext}: {err}");
        assert!(!err.contains("warning"), "{ext}: {err}");
        assert!(std::fs::metadata(&out).expect("written").len() > 1000);
    }
    // PDF: the text extracts as the same Chinese characters, from embedded CFF subsets.
    let pdf = std::fs::read(dir.path().join("zh.pdf")).expect("pdf");
    let text = pdf_support::page_texts(&pdf).concat();
    for label in ZH_LABELS {
        assert!(text.contains(label), "{label} does not extract: {text}");
    }
    assert!(!text.contains('\u{fffd}'), "{text}");
    let dicts: String = pdf_support::objects(&pdf)
        .values()
        .map(|o| o.dict.clone())
        .collect();
    assert!(
        dicts.contains("/CIDFontType0C"),
        "a CFF CJK subset is embedded"
    );
    assert!(dicts.contains("/FontFile3"), "{dicts}");
    // SVG: Chinese glyphs as outlines placed with <use>, the label readable in aria-label.
    let svg = std::fs::read_to_string(dir.path().join("zh.svg")).expect("svg");
    assert!(svg.contains("<use href=\"#g"), "glyph outlines placed");
    assert!(svg.contains("<defs>") && svg.contains("<path id=\"g"));
    assert!(
        svg.contains("aria-label=\"奥希替尼 · L1\""),
        "the label's text is kept"
    );
}

/// The ink of one text item rendered alone, looked for within 24 px of `near`: its
/// bounding box in pixels, or `None` when it drew nothing.
fn ink_of(scene: &Scene, item: usize, near: Rect) -> Option<Rect> {
    let mut alone = scene.clone();
    alone.items = vec![scene.items[item].clone()];
    alone.background = None;
    let (w, h, px) = render_rgba(&alone).expect("renders");
    let span = |lo: f32, hi: f32, n: u32| {
        ((lo - 24.0).max(0.0) as u32).min(n)..((hi + 24.0).max(0.0) as u32).min(n)
    };
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for y in span(near.min.y, near.max.y, h) {
        for x in span(near.min.x, near.max.x, w) {
            if px[((y * w + x) * 4 + 3) as usize] > 40 {
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x + 1);
                y1 = y1.max(y + 1);
            }
        }
    }
    (x0 <= x1).then(|| Rect::from_xywh(x0 as f32, y0 as f32, (x1 - x0) as f32, (y1 - y0) as f32))
}

/// Every label's layout box holds the glyphs the PNG draws for it (two pixels' tolerance),
/// and the ink spans the box's width (side bearings only): measured and drawn agree.
fn boxes_hold_their_ink(scene: &Scene, only_non_latin: bool) -> usize {
    let mut checked = 0;
    for (i, item) in scene.items.iter().enumerate() {
        let Shape::Text(t) = &item.shape else {
            continue;
        };
        if only_non_latin && t.text.chars().all(txline::fonts::has_glyph) {
            continue;
        }
        let b = t.bbox;
        let Some(ink) = ink_of(scene, i, b) else {
            continue;
        };
        // Two pixels: antialiasing, and overhangs such as bold J's left hook.
        let tol = 2.0;
        assert!(
            ink.min.x >= b.min.x - tol
                && ink.max.x <= b.max.x + tol
                && ink.min.y >= b.min.y - tol
                && ink.max.y <= b.max.y + tol,
            "{:?}: ink {ink:?} outside its box {b:?}",
            t.text
        );
        // The ink reaches close to both ends of the measured advance (a glyph's side
        // bearing is under 0.15 em), so text is not narrower than measured either.
        let slack = 0.15 * t.size + 1.0;
        assert!(
            ink.min.x - b.min.x <= slack && b.max.x - ink.max.x <= slack,
            "{:?}: ink {ink:?} much narrower than its box {b:?}",
            t.text
        );
        checked += 1;
    }
    checked
}

#[test]
fn measured_boxes_hold_the_rendered_chinese_glyphs() {
    if !cjk_font("measured_boxes_hold_the_rendered_chinese_glyphs") {
        return;
    }
    let scene = scene_of("patient-zh.ron");
    let n = boxes_hold_their_ink(&scene, true);
    assert!(n >= 20, "only {n} Chinese labels checked");
}

#[test]
fn measured_boxes_hold_the_rendered_greek_and_cyrillic_glyphs() {
    let scene = scene_of("patient-el-ru.ron");
    let n = boxes_hold_their_ink(&scene, false);
    assert!(n >= 20, "only {n} labels checked");
}

#[test]
fn greek_and_cyrillic_are_drawn_by_the_bundled_font_alone() {
    let o = txline(&["check", example("patient-el-ru.ron").to_str().unwrap()]);
    assert!(o.status.success());
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let scene = scene_of("patient-el-ru.ron");
    let svg = to_svg(&scene);
    assert!(
        !svg.contains("<use") && !svg.contains("<defs>"),
        "no outlines"
    );
    assert!(svg.contains(">Τραστουζουμάμπη</text>"), "text stays text");
    let pdf = to_pdf(&scene).expect("pdf");
    let text = pdf_support::page_texts(&pdf).concat();
    assert!(text.contains("Безрецидивная выживаемость"), "{text}");
    assert!(text.contains("Χωρίς ένδειξη νόσου"), "{text}");
    let dicts: String = pdf_support::objects(&pdf)
        .values()
        .map(|o| o.dict.clone())
        .collect();
    assert!(!dicts.contains("/F3"), "only DejaVu Sans is embedded");
}

#[test]
fn the_same_chinese_figure_gives_the_same_bytes() {
    if !cjk_font("the_same_chinese_figure_gives_the_same_bytes") {
        return;
    }
    let a = scene_of("patient-zh.ron");
    let b = scene_of("patient-zh.ron");
    assert_eq!(to_svg(&a), to_svg(&b));
    assert_eq!(to_pdf(&a).expect("pdf"), to_pdf(&b).expect("pdf"));
    let dir = tempfile::tempdir().expect("temp dir");
    let outs: Vec<Vec<u8>> = (0..2)
        .map(|i| {
            let out = dir.path().join(format!("zh{i}.pdf"));
            let o = txline(&[
                "export",
                example("patient-zh.ron").to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ]);
            assert!(o.status.success());
            std::fs::read(out).expect("pdf")
        })
        .collect();
    assert_eq!(outs[0], outs[1], "two processes, the same PDF");
}

/// A CJK font file installed on this machine (Noto Sans CJK, as fonts-noto-cjk installs it).
fn cjk_font_file() -> Option<PathBuf> {
    fn walk(dir: &Path, depth: u32, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() && depth < 6 {
                walk(&p, depth + 1, found);
            } else if p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("NotoSansCJK") && n.contains("Regular"))
            {
                found.push(p);
            }
        }
    }
    let mut found = Vec::new();
    walk(Path::new("/usr/share/fonts"), 0, &mut found);
    found.sort();
    found.into_iter().next()
}

#[test]
fn no_system_fonts_leaves_only_dejavu_and_the_font_files_given() {
    let zh = example("patient-zh.ron");
    let o = txline(&["check", "--no-system-fonts", zh.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "a warning, not an error: {err}");
    assert!(
        err.contains("patient.label: no font txline can use has a glyph for 病 例"),
        "{err}"
    );
    assert!(
        err.contains("--font FILE") && err.contains("fonts-noto-cjk"),
        "{err}"
    );
    if !cjk_font("no_system_fonts_leaves_only_dejavu_and_the_font_files_given") {
        return;
    }
    let Some(file) = cjk_font_file() else {
        eprintln!("SKIPPED the --font half: no NotoSansCJK*Regular file under /usr/share/fonts");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("zh.pdf");
    let o = txline(&[
        "export",
        "--no-system-fonts",
        "--font",
        file.to_str().unwrap(),
        zh.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && !err.contains("warning"), "{err}");
    let text = pdf_support::page_texts(&std::fs::read(out).expect("pdf")).concat();
    assert!(text.contains("奥希替尼"), "{text}");
}

#[test]
fn a_font_file_that_is_no_font_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("not-a-font.ttf");
    std::fs::write(&bad, b"hello").expect("write");
    let o = txline(&[
        "export",
        "--font",
        bad.to_str().unwrap(),
        example("patient-el-ru.ron").to_str().unwrap(),
        "-o",
        dir.path().join("x.png").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("not-a-font.ttf: not a TrueType or OpenType font"),
        "{err}"
    );
    let missing = dir.path().join("missing.otf");
    let o = txline(&["check", "--font", missing.to_str().unwrap(), "x.ron"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("missing.otf: cannot read the font file"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!dir.path().join("x.png").exists());
}

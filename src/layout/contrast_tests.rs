//! WCAG AA contrast of every text the figure draws: each example, in every theme, at a slide
//! and a journal page. A text's background is worked out from the scene itself (the page,
//! then every filled rectangle painted under the text's centre before it, blended by its
//! alpha), so a label on a bar, a band or the page is each checked against what is really
//! behind it. AA: 4.5:1, or 3:1 for large text (≥ 18 pt, or bold ≥ 14 pt).

use std::path::Path;

use super::{AxisMode, LayoutOptions, layout};
use crate::page::Preset;
use crate::scene::{Color, Scene, Shape, Weight};
use crate::theme::{ThemeKind, contrast};

/// `top` painted over `under`.
fn over(top: Color, under: Color) -> Color {
    let a = top.a as f32 / 255.0;
    let mix = |t: u8, u: u8| (t as f32 * a + u as f32 * (1.0 - a)).round() as u8;
    Color::rgb(
        mix(top.r, under.r),
        mix(top.g, under.g),
        mix(top.b, under.b),
    )
}

/// Every text of the scene that misses AA: (text, ratio, needed).
fn failures(sc: &Scene) -> Vec<(String, f32, f32)> {
    let page = sc.background.unwrap_or(Color::rgb(255, 255, 255));
    let pt = sc.dpi / 72.0;
    let mut out = Vec::new();
    for (i, item) in sc.items.iter().enumerate() {
        let Shape::Text(t) = &item.shape else {
            continue;
        };
        let c = t.bbox.center();
        let mut bg = page;
        for under in &sc.items[..i] {
            if let Shape::Rect {
                rect,
                fill: Some(f),
                ..
            } = &under.shape
                && rect.contains(c)
            {
                bg = over(*f, bg);
            }
        }
        let large = t.size >= 18.0 * pt || (t.weight == Weight::Bold && t.size >= 14.0 * pt);
        let need = if large { 3.0 } else { 4.5 };
        let ratio = contrast(over(t.color, bg), bg);
        if ratio < need {
            out.push((t.text.clone(), ratio, need));
        }
    }
    out
}

#[test]
fn every_figure_text_reaches_wcag_aa_in_every_theme() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    let mut bad = Vec::new();
    for file in files {
        let tl = crate::load::load_file(&file).unwrap().timeline;
        for &theme in ThemeKind::ALL {
            for preset in [Preset::Slide16x9, Preset::Journal2col] {
                let opt = LayoutOptions {
                    theme,
                    axis: AxisMode::Both,
                    ..Default::default()
                };
                for (text, ratio, need) in failures(&layout(&tl, &opt, &preset.page())) {
                    bad.push(format!(
                        "{} {theme:?} {}: {text:?} {ratio:.2}:1 < {need}:1",
                        file.file_name().unwrap().to_string_lossy(),
                        preset.name()
                    ));
                }
            }
        }
    }
    bad.sort();
    bad.dedup();
    assert!(
        bad.is_empty(),
        "{} texts below AA:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

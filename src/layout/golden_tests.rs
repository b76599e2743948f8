//! The examples' scenes, kept as a golden file: every example in `examples/` at every preset,
//! theme and axis mode, with and without compressed gaps, summarised as one line per case
//! (item count, page size and a stable digest of every item's kind, meaning, text, colours and
//! geometry rounded to 0.01 px). A change to the layout that moves, adds or drops an item
//! shows here as the cases it touched.
//!
//! `TXLINE_UPDATE_GOLDEN=1` rewrites the file (commit it separately, saying why);
//! `TXLINE_SCENE_DUMP=DIR` writes each case's full item list to `DIR` so two runs can be
//! diffed item by item.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{AxisMode, LayoutOptions, layout};
use crate::page::Preset;
use crate::scene::{Color, Item, Rect, Scene, Shape, Stroke};
use crate::theme::ThemeKind;

fn golden_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/example-scenes.txt")
}

/// The example files, sorted by name.
fn example_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    files
}

fn r(v: f32) -> String {
    format!("{:.2}", (v * 100.0).round() / 100.0)
}

fn rect_str(b: &Rect) -> String {
    format!(
        "{},{},{},{}",
        r(b.min.x),
        r(b.min.y),
        r(b.max.x),
        r(b.max.y)
    )
}

fn color_str(c: Option<Color>) -> String {
    match c {
        Some(c) => format!("#{:02x}{:02x}{:02x}{:02x}", c.r, c.g, c.b, c.a),
        None => "-".to_string(),
    }
}

fn stroke_str(s: &Option<Stroke>) -> String {
    match s {
        Some(s) => format!(
            "{}/{}/{}",
            r(s.width),
            color_str(Some(s.color)),
            s.dash
                .map(|(a, b)| format!("{}:{}", r(a), r(b)))
                .unwrap_or_default()
        ),
        None => "-".to_string(),
    }
}

/// One line per item: kind, meaning, text, colours, rounded geometry.
fn item_line(it: &Item) -> String {
    let geo = rect_str(&it.shape.bounds());
    let body = match &it.shape {
        Shape::Rect {
            corner,
            fill,
            stroke,
            ..
        } => format!(
            "rect c={} {} {}",
            r(*corner),
            color_str(*fill),
            stroke_str(stroke)
        ),
        Shape::Line { stroke, .. } => format!("line {}", stroke_str(&Some(*stroke))),
        Shape::Path {
            points,
            closed,
            fill,
            stroke,
        } => {
            let pts: Vec<String> = points
                .iter()
                .map(|p| format!("{},{}", r(p.x), r(p.y)))
                .collect();
            format!(
                "path closed={closed} {} {} [{}]",
                color_str(*fill),
                stroke_str(stroke),
                pts.join(" ")
            )
        }
        Shape::Marker {
            shape,
            size,
            fill,
            stroke,
            ..
        } => format!(
            "marker {shape:?} {} {} {}",
            r(*size),
            color_str(Some(*fill)),
            stroke_str(stroke)
        ),
        Shape::Text(t) => format!(
            "text {:?} {:?} {:?} {} {}",
            t.text,
            t.anchor,
            t.weight,
            r(t.size),
            color_str(Some(t.color))
        ),
        Shape::Image { data, .. } => format!("image {}x{}", data.width, data.height),
    };
    format!("{body} @{geo} {:?}", it.meaning)
}

/// The full, human-readable dump of a scene.
fn scene_dump(sc: &Scene) -> String {
    let mut s = format!(
        "scene {}x{} bg={} plot={}\n",
        r(sc.width),
        r(sc.height),
        color_str(sc.background),
        rect_str(&sc.plot)
    );
    for it in &sc.items {
        s.push_str(&item_line(it));
        s.push('\n');
    }
    s
}

/// FNV-1a, 64 bit: stable across Rust versions and platforms (unlike `DefaultHasher`).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Every case as (name, scene).
fn cases(mut each: impl FnMut(String, Scene)) {
    for file in example_files() {
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let tl = crate::load::load_file(&file)
            .unwrap_or_else(|e| panic!("{stem}: {e}"))
            .timeline;
        for &preset in Preset::ALL {
            let page = preset.page();
            for &theme in ThemeKind::ALL {
                for &axis in AxisMode::ALL {
                    for compress_gaps in [false, true] {
                        let opt = LayoutOptions {
                            theme,
                            axis,
                            compress_gaps,
                            ..Default::default()
                        };
                        let name = format!(
                            "{stem} {} {theme:?} {} gaps={compress_gaps}",
                            preset.name(),
                            axis.name()
                        );
                        each(name, layout(&tl, &opt, &page));
                    }
                }
            }
        }
    }
}

#[test]
fn example_scenes_match_the_golden_file() {
    let dump_dir = std::env::var_os("TXLINE_SCENE_DUMP").map(PathBuf::from);
    if let Some(d) = &dump_dir {
        std::fs::create_dir_all(d).unwrap();
    }
    let mut summary = String::new();
    cases(|name, sc| {
        let dump = scene_dump(&sc);
        if let Some(d) = &dump_dir {
            std::fs::write(d.join(name.replace(' ', "_") + ".txt"), &dump).unwrap();
        }
        writeln!(
            summary,
            "{name}: {}x{} items={} digest={:016x}",
            r(sc.width),
            r(sc.height),
            sc.items.len(),
            fnv1a(dump.as_bytes())
        )
        .unwrap();
    });
    let path = golden_path();
    if std::env::var_os("TXLINE_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &summary).unwrap();
        return;
    }
    let golden = std::fs::read_to_string(&path).expect("tests/golden/example-scenes.txt");
    // Compared case by case (a new example adds cases without shifting the others).
    let by_case = |text: &str| -> std::collections::BTreeMap<String, String> {
        text.lines()
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let (now, was) = (by_case(&summary), by_case(&golden));
    let mut changed: Vec<String> = Vec::new();
    for (case, v) in &now {
        match was.get(case) {
            Some(g) if g == v => {}
            Some(g) => changed.push(format!("  {case}\n    now:    {v}\n    golden: {g}")),
            None => changed.push(format!("  {case}: new case")),
        }
    }
    changed.extend(
        was.keys()
            .filter(|k| !now.contains_key(*k))
            .map(|k| format!("  {k}: gone")),
    );
    assert!(
        changed.is_empty(),
        "{} of {} example scenes differ from {} (TXLINE_SCENE_DUMP=DIR to diff items; \
         TXLINE_UPDATE_GOLDEN=1 to accept):\n{}",
        changed.len(),
        now.len(),
        path.display(),
        changed.into_iter().take(10).collect::<Vec<_>>().join("\n")
    );
}

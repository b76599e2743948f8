//! De-identified export, proven on every example: load it, de-identify, lay out, write SVG,
//! PNG, PDF and TIFF, and search every output for the patient's id and label and for every
//! date of the input file — as written and as the figure would print it. None may be found.
//!
//! How outputs are searched:
//! - SVG: the document with embedded images' base64 payloads cut out (random base64 can
//!   spell anything); each embedded image must be a PNG with no metadata chunk.
//! - PNG: every chunk but the compressed pixels (`IDAT`); no text, EXIF or time chunk.
//! - PDF: every object's dictionary, every stream inflated except pixel and font programs,
//!   the trailer, and the page text decoded through the fonts' `ToUnicode` maps (what search
//!   and copy see; glyphs are written as glyph ids, so a plain byte search would prove
//!   nothing).
//! - TIFF: every byte outside the LZW pixel strips.
//!
//! The probe file (`tests/data/deid-probe.ron`) holds every spelling the scrubber must catch
//! (dates glued to text, in other scripts and widths, parts of dates, ages, names in every
//! case, the id inside words and split by punctuation, identifier-like numbers, contacts):
//! each needle must be in the plain export's SVG or PDF text (a control: else the search
//! proves nothing) and in no text or metadata of the de-identified SVG, PDF, PNG and TIFF.
//!
//! Needles shorter than five characters (a bare year, a short id) are searched in the
//! texts only (scene texts, tooltips, SVG text nodes, PDF page text): in numbers-heavy
//! markup `2021` can be a coordinate.

mod pdf_support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use txline::deidentify::{Scrubber, deidentify};
use txline::details::describe;
use txline::export::pdf::to_pdf;
use txline::export::png::to_png;
use txline::export::svg::to_svg;
use txline::export::tiff::to_tiff;
use txline::layout::{AxisMode, LayoutOptions, layout};
use txline::load::load_file;
use txline::model::Timeline;
use txline::page::Preset;
use txline::scene::Scene;

use txline::time::MONTH_NAMES as MONTHS;

/// Every valid example: `examples/*.ron` (not `examples/invalid/`).
fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "examples found: {files:?}");
    files
}

/// What must not appear: (needle, searched in texts only).
fn needles(file_text: &str, tl: &Timeline) -> BTreeSet<(String, bool)> {
    let mut out = BTreeSet::new();
    let mut add = |s: String| {
        let short = s.chars().count() < 5;
        out.insert((s, short));
    };
    add(tl.patient.id.clone());
    add(tl.patient.label.clone());
    // Every string literal that is a date: "YYYY-MM-DD", "YYYY-MM", "YYYY".
    for lit in file_text.split('"').skip(1).step_by(2) {
        let parts: Vec<&str> = lit.split('-').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let ok = match parts.as_slice() {
            [y] => digits(y, 4),
            [y, m] => digits(y, 4) && digits(m, 2),
            [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
            _ => false,
        };
        if !ok {
            continue;
        }
        add(lit.to_string());
        let y = parts[0];
        add(y.to_string());
        if let Some(m) = parts.get(1) {
            let mi: usize = m.parse().expect("month");
            let full = MONTHS[mi - 1];
            let abbr = &full[..3];
            add(format!("{abbr} {y}"));
            add(format!("{full} {y}"));
            add(format!("{m}/{y}"));
            add(format!("{y}/{m}"));
            if let Some(d) = parts.get(2) {
                let di: u32 = d.parse().expect("day");
                add(format!("{di} {abbr} {y}"));
                add(format!("{abbr} {di}, {y}"));
                add(format!("{d}.{m}.{y}"));
                add(format!("{m}/{d}/{y}"));
                add(format!("{d}/{m}/{y}"));
                add(format!("{y}/{m}/{d}"));
            }
        }
    }
    // Every date the figure could print: day 0, the cut-off and each month in range.
    if let Some(zero) = tl.day_zero {
        let (lo, hi) = tl.day_range();
        for d in [lo, 0, tl.data_cutoff.day, hi] {
            if let Some(date) = tl.date_of(d) {
                add(date.to_string());
            }
        }
        let (y0, y1) = (
            tl.date_of(lo).unwrap_or(zero).year(),
            tl.date_of(hi).unwrap_or(zero).year(),
        );
        for y in y0..=y1 {
            add(y.to_string());
            for full in MONTHS {
                add(format!("{} {y}", &full[..3]));
                add(format!("{full} {y}"));
            }
        }
    }
    out
}

/// The texts a reader sees in the figure and its tooltips.
fn scene_texts(scene: &Scene, tl: &Timeline) -> Vec<String> {
    let mut out: Vec<String> = scene.texts().map(|t| t.text.clone()).collect();
    for item in &scene.items {
        if let Some(m) = item.meaning
            && let Some(d) = describe(tl, m)
        {
            out.push(d.to_text());
        }
    }
    out
}

/// The SVG without image payloads, its text nodes, and the embedded images' bytes.
fn svg_views(svg: &str) -> (String, Vec<String>, Vec<Vec<u8>>) {
    use base64::Engine as _;
    let mut markup = String::new();
    let mut images = Vec::new();
    let mut rest = svg;
    while let Some(at) = rest.find(";base64,") {
        let start = at + ";base64,".len();
        let end = rest[start..].find('"').expect("payload ends") + start;
        markup.push_str(&rest[..start]);
        images.push(
            base64::engine::general_purpose::STANDARD
                .decode(&rest[start..end])
                .expect("base64 payload"),
        );
        rest = &rest[end..];
    }
    markup.push_str(rest);
    // Text content, and the labels of texts drawn as glyph outlines (`aria-label`).
    let labels = markup
        .split("aria-label=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next());
    let texts = markup
        .split('>')
        .filter_map(|s| s.split('<').next())
        .chain(labels)
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&apos;", "'")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        })
        .collect();
    (markup, texts, images)
}

/// A PNG's chunks: (type, data).
fn png_chunks(png: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let mut out = Vec::new();
    let mut i = 8;
    while i + 8 <= png.len() {
        let len = u32::from_be_bytes(png[i..i + 4].try_into().unwrap()) as usize;
        let ty: [u8; 4] = png[i + 4..i + 8].try_into().unwrap();
        out.push((ty, png[i + 8..i + 8 + len].to_vec()));
        i += 12 + len;
    }
    out
}

/// A PNG's bytes except its pixel data; panics on any metadata chunk.
fn png_view(png: &[u8], what: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (ty, data) in png_chunks(png) {
        let name = String::from_utf8_lossy(&ty).into_owned();
        assert!(
            [
                "IHDR", "PLTE", "tRNS", "IDAT", "IEND", "pHYs", "sRGB", "gAMA", "cHRM"
            ]
            .contains(&name.as_str()),
            "{what}: metadata chunk {name}"
        );
        out.extend_from_slice(&ty);
        if name != "IDAT" {
            out.extend_from_slice(&data);
        }
    }
    out
}

/// A TIFF's bytes with the pixel strips blanked.
fn tiff_view(tiff_bytes: &[u8]) -> Vec<u8> {
    use tiff::tags::Tag;
    let mut d = tiff::decoder::Decoder::new(std::io::Cursor::new(tiff_bytes)).expect("tiff");
    let offsets = d.get_tag_u64_vec(Tag::StripOffsets).expect("strip offsets");
    let counts = d
        .get_tag_u64_vec(Tag::StripByteCounts)
        .expect("strip counts");
    let mut out = tiff_bytes.to_vec();
    for (o, n) in offsets.iter().zip(&counts) {
        for b in &mut out[*o as usize..(*o + *n) as usize] {
            *b = 0;
        }
    }
    out
}

/// Every place the needles are found: "output: needle".
fn leaks(
    needles: &BTreeSet<(String, bool)>,
    views: &[(&str, &[u8])],
    texts: &[(&str, Vec<String>)],
) -> Vec<String> {
    let mut found = Vec::new();
    // As text once (non-UTF-8 bytes become U+FFFD, which no needle holds): `str::contains`
    // is far quicker than comparing windows byte by byte.
    let views: Vec<(&str, String)> = views
        .iter()
        .map(|(what, bytes)| (*what, String::from_utf8_lossy(bytes).into_owned()))
        .collect();
    for (needle, texts_only) in needles {
        if !texts_only {
            for (what, hay) in &views {
                if hay.contains(needle.as_str()) {
                    found.push(format!("{what}: {needle:?}"));
                }
            }
        }
        for (what, list) in texts {
            if let Some(t) = list
                .iter()
                .find(|t| without_editions(t).contains(needle.as_str()))
            {
                found.push(format!("{what} text {t:?}: {needle:?}"));
            }
        }
    }
    found
}

/// The text with classification editions cut out: "FIGO 2018 IIB" names the staging
/// system's 2018 edition, not a date of the patient, and stays in the figure.
fn without_editions(text: &str) -> String {
    let mut out = text.to_string();
    for system in ["FIGO", "WHO", "AJCC", "UICC", "TNM"] {
        while let Some(at) = out.find(&format!("{system} ")) {
            let start = at + system.len() + 1;
            let year_len = out[start..]
                .chars()
                .take_while(char::is_ascii_digit)
                .count();
            out.replace_range(at..start + year_len, "");
        }
    }
    out
}

fn options() -> LayoutOptions {
    LayoutOptions {
        axis: AxisMode::Both,
        ..LayoutOptions::default()
    }
}

/// Loads, optionally de-identifies, lays out and exports one example; returns the leaks.
fn export_and_search(path: &Path, deid: bool) -> Vec<String> {
    // The raster formats take the most time; the plain run only proves the search works.
    let rasters = deid;
    let file_text = std::fs::read_to_string(path).expect("example reads");
    let original = load_file(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .timeline;
    let needles = needles(&file_text, &original);
    let tl = if deid {
        deidentify(&original, None)
    } else {
        original.clone()
    };
    // One-column journal width: the search does not depend on size, and it is quick.
    let scene = layout(&tl, &options(), &Preset::Journal1col.page());
    let svg = to_svg(&scene);
    let pdf = to_pdf(&scene).expect("pdf");
    let (png, tiff) = if rasters {
        (to_png(&scene).expect("png"), to_tiff(&scene).expect("tiff"))
    } else {
        (Vec::new(), Vec::new())
    };

    let (svg_markup, svg_texts, svg_images) = svg_views(&svg);
    let png_v = if rasters {
        png_view(&png, "PNG")
    } else {
        Vec::new()
    };
    let mut embedded = Vec::new();
    if deid {
        for (k, im) in svg_images.iter().enumerate() {
            embedded.extend(png_view(im, &format!("SVG image {k}")));
        }
    }
    let pdf_v = pdf_support::searchable(&pdf);
    let tiff_v = if rasters {
        tiff_view(&tiff)
    } else {
        Vec::new()
    };
    let views: Vec<(&str, &[u8])> = vec![
        ("SVG", svg_markup.as_bytes()),
        ("SVG images", &embedded),
        ("PNG", &png_v),
        ("PDF", &pdf_v),
        ("TIFF", &tiff_v),
    ];
    let texts = vec![
        ("scene", scene_texts(&scene, &tl)),
        ("SVG", svg_texts),
        ("PDF", pdf_support::page_texts(&pdf)),
    ];
    leaks(&needles, &views, &texts)
}

#[test]
fn deidentified_exports_carry_no_id_label_or_date() {
    for path in examples() {
        let found = export_and_search(&path, true);
        assert!(
            found.is_empty(),
            "{}: found in the de-identified export:\n{}",
            path.display(),
            found.join("\n")
        );
    }
}

#[test]
fn the_search_finds_them_without_deidentification() {
    // The same search on the plain export must find the label and dates, or it proves nothing.
    for path in examples() {
        let found = export_and_search(&path, false);
        let in_pdf_text = found.iter().any(|f| f.starts_with("PDF text"));
        let in_svg_text = found.iter().any(|f| f.starts_with("SVG text"));
        let dated = load_file(&path).expect("loads").timeline.day_zero.is_some();
        let a_date = found.iter().any(|f| f.contains("-0") || f.contains("-1"));
        assert!(
            in_pdf_text && in_svg_text && (a_date || !dated),
            "{}: plain export leaks only {found:?}",
            path.display()
        );
    }
}

#[test]
fn deidentified_timeline_keeps_days_and_drops_identity() {
    for path in examples() {
        let original = load_file(&path).expect("loads").timeline;
        let d = deidentify(&original, Some("Case A"));
        assert_eq!(d.day_zero, None);
        assert_eq!(d.source, None);
        assert_eq!(d.patient.id, "Case A");
        assert_eq!(d.patient.label, "Case A");
        assert_eq!(d.patient.age, None);
        if let Some(age) = original.patient.age {
            let band = d.patient.age_band.clone().expect("an age band");
            let lo: u32 = band.split('–').next().unwrap().parse().unwrap_or(90);
            assert!(lo <= age && age < lo + 5 || band == "≥90", "{age} → {band}");
        }
        assert_eq!(d.patient.sex, original.patient.sex);
        // Every day stays: same positions and lengths.
        assert_eq!(d.data_cutoff, original.data_cutoff);
        assert_eq!(d.day_range(), original.day_range());
        let spans = |t: &Timeline| t.phases.iter().map(|p| p.span).collect::<Vec<_>>();
        assert_eq!(spans(&d), spans(&original));
        assert_eq!(d.responses.len(), original.responses.len());
        // Every free text is free of dates.
        for text in all_free_text(&d) {
            assert!(!has_date(&text), "date left in {text:?}");
        }
        // Images: re-encoded PNG with no metadata; same pixels.
        for (a, b) in original.images.iter().zip(&d.images) {
            assert!(!b.path.contains('/') && !b.path.contains('.'), "{}", b.path);
            if let (Ok(a), Ok(b)) = (&a.data, &b.data) {
                assert_eq!(b.mime, "image/png");
                png_view(&b.bytes, "image");
                assert_eq!((a.width, a.height), (b.width, b.height));
                let pa = image::load_from_memory(&a.bytes).unwrap().to_rgba8();
                let pb = image::load_from_memory(&b.bytes).unwrap().to_rgba8();
                assert!(pa == pb, "pixels changed");
            }
        }
    }
}

/// True when the scrubber (knowing no name) would still replace a date in `text`.
fn has_date(text: &str) -> bool {
    Scrubber::new("", "", "Patient")
        .scrub(text)
        .changes
        .iter()
        .any(|c| c.replacement == txline::deidentify::DATE_PLACEHOLDER)
}

fn all_free_text(t: &Timeline) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    let p = &t.patient;
    v.extend(
        [&p.diagnosis, &p.stage, &p.sex]
            .into_iter()
            .flatten()
            .cloned(),
    );
    for ph in &t.phases {
        v.push(ph.name.clone());
        v.extend(ph.detail.clone());
        v.extend(ph.lane.clone());
    }
    v.extend(t.statuses.iter().map(|s| s.label.clone()));
    for r in &t.responses {
        v.extend(
            [&r.criteria, &r.method, &r.note]
                .into_iter()
                .flatten()
                .cloned(),
        );
    }
    for e in &t.events {
        v.push(e.label.clone());
        v.extend(e.note.clone());
    }
    v.extend(t.intervals.iter().map(|i| i.label.clone()));
    for m in &t.measurements {
        v.push(m.name.clone());
        v.extend(m.unit.clone());
    }
    for i in &t.images {
        v.push(i.path.clone());
        v.extend(i.caption.clone());
    }
    v
}

#[test]
fn deidentified_scene_shows_no_calendar_and_the_band() {
    for path in examples() {
        let original = load_file(&path).expect("loads").timeline;
        let d = deidentify(&original, None);
        // Whatever axis the user asks for, and with gaps compressed too.
        let mut texts: Vec<String> = Vec::new();
        for &axis in AxisMode::ALL {
            for compress_gaps in [false, true] {
                let opts = LayoutOptions {
                    axis,
                    compress_gaps,
                    ..LayoutOptions::default()
                };
                let scene = layout(&d, &opts, &Preset::Slide16x9.page());
                texts.extend(scene.texts().map(|t| t.text.clone()));
            }
        }
        for t in &texts {
            assert!(!has_date(t), "date-like text in the figure: {t:?}");
            for word in t.split(|c: char| !c.is_alphanumeric()) {
                assert!(
                    !MONTHS.iter().any(|m| word == *m || word == &m[..3]),
                    "month name in the figure: {t:?}"
                );
            }
        }
        // The pseudonym replaced the title.
        assert!(
            texts.iter().any(|t| t.contains("Patient")),
            "no pseudonym in {texts:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// The probe file: every spelling of a date, age, name or identifier that free text may
// carry (tests/data/deid-probe.ron). Each needle must be in the plain export (or the search
// proves nothing) and in no output of the de-identified one.

fn probe_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/deid-probe.ron")
}

/// What must not survive, lower case. Digit-only needles match only where no digit
/// touches them (so "57" is not found in "570").
const PROBE_NEEDLES: &[&str] = &[
    "2021",
    "03-15",
    "3月3",
    "２０２１",
    "０３－１５",
    "3 mars",
    "mars",
    "3rd",
    "march",
    "15t10",
    "10:30",
    "57",
    "jane",
    "doe",
    "jqd",
    "lgaz",
    "58213",
    "5.8.2.1.3",
    "12345678",
    "5678",
    "15_03",
    "15‐03",
    "15·03",
    "märz",
    "1er",
    "avril",
    "marzo",
    "maggio",
    "junho",
    "'21",
    "21-mar",
    "22nd",
    "sept",
    "10h30",
    "9:45",
    "٢٠٢١",
    "२०२१",
    "04/07",
    "1973",
    "example.org",
    "34 56 78",
    "14/03",
    "août",
    "déc",
    "15.03",
    "19730704",
    "1/3/21",
    "ⅻ",
    "dezembro",
    "1st",
];

/// Clinical quantities the de-identified figure keeps.
const PROBE_KEPT: &[&str] = &["200 mg", "q3w", "Grade 3", "4 cycles", "FIGO 2018"];

/// Where `needle` (lower case) is in `hay`, case-insensitively.
fn finds(hay: &str, needle: &str) -> bool {
    let hay = hay.to_lowercase();
    let digits = needle.chars().all(|c| c.is_ascii_digit());
    hay.match_indices(needle).any(|(at, m)| {
        !digits
            || (!hay[..at].ends_with(|c: char| c.is_ascii_digit())
                && !hay[at + m.len()..].starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// The probe file exported (de-identified or not) to SVG, PDF, PNG and TIFF: every text
/// and metadata view, named.
fn probe_views(deid: bool) -> Vec<(String, String)> {
    let original = load_file(&probe_path())
        .expect("the probe file loads")
        .timeline;
    let tl = if deid {
        deidentify(&original, None)
    } else {
        original
    };
    // Wide enough that every label is drawn whole.
    let page = txline::page::Page {
        width: 8000.0,
        height: None,
        dpi: 96.0,
        min_text_px: 12.0,
    };
    let scene = layout(&tl, &options(), &page);
    let svg = to_svg(&scene);
    let pdf = to_pdf(&scene).expect("pdf");
    let (markup, svg_texts, _) = svg_views(&svg);
    let mut views = vec![
        (
            "scene text".to_string(),
            scene_texts(&scene, &tl).join("\n"),
        ),
        ("SVG text".to_string(), svg_texts.join("\n")),
        (
            "PDF text".to_string(),
            pdf_support::page_texts(&pdf).join("\n"),
        ),
    ];
    if deid {
        let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        views.push(("SVG markup".into(), markup));
        views.push(("PDF bytes".into(), lossy(&pdf_support::searchable(&pdf))));
        let png = to_png(&scene).expect("png");
        views.push(("PNG metadata".into(), lossy(&png_view(&png, "PNG"))));
        let tiff = to_tiff(&scene).expect("tiff");
        views.push(("TIFF metadata".into(), lossy(&tiff_view(&tiff))));
    }
    views
}

#[test]
fn probe_spellings_are_in_the_plain_export() {
    let views = probe_views(false);
    let missing: Vec<&str> = PROBE_NEEDLES
        .iter()
        .copied()
        .filter(|n| {
            !views
                .iter()
                .any(|(what, v)| what != "scene text" && finds(v, n))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "not in the plain SVG or PDF text: {missing:?}"
    );
}

#[test]
fn probe_spellings_do_not_survive_deidentification() {
    let views = probe_views(true);
    let mut found = Vec::new();
    for n in PROBE_NEEDLES {
        for (what, v) in &views {
            // Markup and bytes are full of coordinates: short digit needles only in texts.
            let texts_only = n.chars().count() < 6 && !n.chars().any(char::is_alphabetic);
            if texts_only && !what.ends_with("text") {
                continue;
            }
            if finds(v, n) {
                found.push(format!("{what}: {n:?}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "left in the de-identified export:\n{}",
        found.join("\n")
    );
    let texts = &views[1].1;
    for kept in PROBE_KEPT {
        assert!(texts.contains(kept), "{kept:?} was removed: {texts}");
    }
}

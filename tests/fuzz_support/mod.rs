//! The in-process pipeline the fuzzer (`examples/fuzz.rs`) drives and the corpus replay test
//! (`tests/fuzz_corpus.rs`) repeats: text → parse → validate → (de-identify) → layout → SVG and
//! one other exporter (each in turn), with the figure's options chosen by a variant number, and the checks a figure
//! must pass whatever the input.
//!
//! A check that fails returns `Err(what)`; a panic is left to the caller (the fuzzer catches
//! it, the test fails on it).

use std::path::Path;

use txline::export::{self, Format};
use txline::layout::{AxisMode, LayoutOptions, layout};
use txline::load::load_str;
use txline::page::{Page, Preset};
use txline::theme::ThemeKind;

/// The options one run draws with.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The page.
    pub page: Page,
    /// Layout options.
    pub options: LayoutOptions,
    /// De-identify before drawing.
    pub deidentify: bool,
}

/// The variant numbered `n`: every preset, theme, axis mode, gap compression and
/// de-identification in turn, mostly on small pages (rasterising is most of a run's time).
pub fn variant(n: u64) -> Variant {
    let page = match n % 8 {
        0 => Preset::ALL[(n / 8) as usize % Preset::ALL.len()].page(),
        1 => Page {
            height: None,
            ..Page::pixels(480.0, 0.0)
        },
        2 => Page::pixels(320.0, 200.0),
        _ => Page::pixels(640.0, 360.0),
    };
    let options = LayoutOptions {
        axis: AxisMode::ALL[(n / 3) as usize % AxisMode::ALL.len()],
        theme: ThemeKind::ALL[(n / 5) as usize % ThemeKind::ALL.len()],
        transparent: n.is_multiple_of(7),
        compress_gaps: n % 2 == 1,
        window: n.is_multiple_of(11).then_some((-30.0, 400.0)),
        ..LayoutOptions::default()
    };
    Variant {
        page,
        options,
        deidentify: n % 4 == 3,
    }
}

/// Runs the whole pipeline on `text` (images read relative to `base`) with variant `n`.
/// `Ok` holds what happened as a few short features (the kind of each problem reported, the
/// rough size of the figure) so the fuzzer can tell new behaviour from old.
pub fn run(text: &str, n: u64, base: &Path) -> Result<Vec<String>, String> {
    let v = variant(n);
    let loaded = match load_str(text, "fuzz.ron", Some(base)) {
        Ok(loaded) => loaded,
        Err(e) => {
            if e.diagnostics.is_empty() {
                return Err("a file that did not load gave no diagnostic".into());
            }
            return Ok(e
                .diagnostics
                .iter()
                .map(|d| format!("{:?}: {}", d.severity, template(&d.message)))
                .collect());
        }
    };
    let timeline = if v.deidentify {
        txline::deidentify::deidentify(&loaded.timeline, None)
    } else {
        loaded.timeline
    };
    let scene = layout(&timeline, &v.options, &v.page);
    if !(scene.width.is_finite() && scene.height.is_finite() && scene.width >= 1.0) {
        return Err(format!("scene size {} × {}", scene.width, scene.height));
    }
    // SVG always (it is checked for non-finite numbers), and one of the other formats, so
    // that one run is one export and the time limit is an export's.
    let other = [Format::Png, Format::Pdf, Format::Tiff][(n / 13) as usize % 3];
    for format in [Format::Svg, other] {
        let bytes = export::encode(&scene, format)
            .map_err(|e| format!("{format} export of a valid timeline failed: {e}"))?;
        if format == Format::Svg {
            let svg = String::from_utf8(bytes).map_err(|_| "SVG is not UTF-8".to_string())?;
            if let Some(bad) = non_finite_in_markup(&svg) {
                return Err(format!("SVG holds a non-finite number ({bad})"));
            }
        }
    }
    let mut features: Vec<String> = loaded
        .warnings
        .iter()
        .map(|d| format!("Warning: {}", template(&d.message)))
        .collect();
    features.push(format!(
        "drawn: ~2^{} items",
        usize::BITS - scene.items.len().leading_zeros()
    ));
    Ok(features)
}

/// The first non-finite number (`NaN`, `inf`, `-inf`) written inside an SVG tag, if any. Only
/// the markup is read, not the text between tags: a label may say "NaN" (the fuzzer once gave a
/// patient the sex "NaNF"), a coordinate may not.
pub fn non_finite_in_markup(svg: &str) -> Option<&str> {
    let tags = svg
        .split('<')
        .filter_map(|part| part.split_once('>').map(|(tag, _)| tag));
    tags.flat_map(|tag| tag.split(['"', '\'', ' ', ',', '(', ')', '=']))
        .map(|token| token.trim_start_matches(|c: char| "-+MLHVCSQTAZmlhvcsqtaz".contains(c)))
        .find(|token| token.eq_ignore_ascii_case("nan") || token.eq_ignore_ascii_case("inf"))
}

/// A message with its particulars (quoted text, numbers) taken out, so messages of one kind
/// compare equal.
pub fn template(message: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in message.chars().take(200) {
        match c {
            '"' => {
                quoted = !quoted;
                out.push('"');
            }
            _ if quoted => {}
            '0'..='9' => {
                if !out.ends_with('#') {
                    out.push('#');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn templates_drop_particulars() {
        assert_eq!(
            super::template("\"2021-13\" has no month 13"),
            "\"\" has no month #"
        );
    }
}

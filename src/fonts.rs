//! The bundled font (DejaVu Sans, regular and bold) and text measurement.
//!
//! One font serves every output: layout measures with it, the SVG names it (with a generic
//! fallback), the PNG/PDF rasterisers load these very bytes, and the viewer installs them in
//! egui. Nothing ever looks for a system font, so a fresh machine draws the same figure.

use std::sync::OnceLock;

use crate::scene::Weight;

/// DejaVu Sans (Bitstream Vera licence with DejaVu changes, public domain; see
/// `assets/fonts/LICENSE-DejaVu.txt`).
pub static REGULAR_TTF: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub static BOLD_TTF: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");
/// The family name both faces carry, as written in SVG `font-family`.
pub const FAMILY: &str = "DejaVu Sans";

/// The vertical metrics of a face, as fractions of the font size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VMetrics {
    /// Height above the baseline (positive).
    pub ascent: f32,
    /// Depth below the baseline (positive).
    pub descent: f32,
}

struct Face {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    vmetrics: VMetrics,
}

fn face(weight: Weight) -> &'static Face {
    static REGULAR: OnceLock<Face> = OnceLock::new();
    static BOLD: OnceLock<Face> = OnceLock::new();
    let (cell, bytes) = match weight {
        Weight::Regular => (&REGULAR, REGULAR_TTF),
        Weight::Bold => (&BOLD, BOLD_TTF),
    };
    cell.get_or_init(|| {
        // The bytes are compiled in and known good; a failure here is a build defect.
        let face = ttf_parser::Face::parse(bytes, 0).expect("bundled font parses");
        let upem = face.units_per_em() as f32;
        let vmetrics = VMetrics {
            ascent: face.ascender() as f32 / upem,
            descent: -(face.descender() as f32) / upem,
        };
        Face {
            face,
            units_per_em: upem,
            vmetrics,
        }
    })
}

/// Vertical metrics of a face.
pub fn vmetrics(weight: Weight) -> VMetrics {
    face(weight).vmetrics
}

/// Advance width of one line of `text` at `size` pixels, with kerning pairs where the font
/// has them in its `kern` table. Characters the font lacks count as the width of `?`.
pub fn text_width(text: &str, size: f32, weight: Weight) -> f32 {
    let f = face(weight);
    let fallback = f
        .face
        .glyph_index('?')
        .and_then(|g| f.face.glyph_hor_advance(g))
        .unwrap_or(0);
    let mut units: i64 = 0;
    let mut prev: Option<ttf_parser::GlyphId> = None;
    for ch in text.chars() {
        let gid = f.face.glyph_index(ch);
        units += gid
            .and_then(|g| f.face.glyph_hor_advance(g))
            .unwrap_or(fallback) as i64;
        if let (Some(a), Some(b)) = (prev, gid) {
            units += kerning(&f.face, a, b) as i64;
        }
        prev = gid;
    }
    units as f32 / f.units_per_em * size
}

/// Kerning between glyphs `a` and `b` in font units, from the face's horizontal `kern`
/// table (0 where it has none). Measuring and every output that places glyphs (PDF) use
/// this one function, so text sits where layout measured it.
pub fn kerning(face: &ttf_parser::Face<'_>, a: ttf_parser::GlyphId, b: ttf_parser::GlyphId) -> i16 {
    let Some(kern) = face.tables().kern else {
        return 0;
    };
    kern.subtables
        .into_iter()
        .filter(|s| s.horizontal && !s.variable)
        .find_map(|s| s.glyphs_kerning(a, b))
        .unwrap_or(0)
}

/// The advance of `ch` as a fraction of the font size, and its glyph (`None` when the font
/// lacks it: then it is measured as `?` and never kerned, as [`text_width`] does).
pub fn char_advance(ch: char, weight: Weight) -> (f32, Option<ttf_parser::GlyphId>) {
    let f = face(weight);
    let gid = f.face.glyph_index(ch);
    let units = gid
        .and_then(|g| f.face.glyph_hor_advance(g))
        .or_else(|| {
            f.face
                .glyph_index('?')
                .and_then(|g| f.face.glyph_hor_advance(g))
        })
        .unwrap_or(0);
    (units as f32 / f.units_per_em, gid)
}

/// The kerning between two glyphs as a fraction of the font size (see [`kerning`]).
pub fn pair_kerning(a: ttf_parser::GlyphId, b: ttf_parser::GlyphId, weight: Weight) -> f32 {
    let f = face(weight);
    kerning(&f.face, a, b) as f32 / f.units_per_em
}

/// The smallest non-zero advance of any glyph in the face, as a fraction of the font size:
/// no line of text `w` pixels wide at size `size` holds more than `w / (size × this)`
/// characters that move the pen.
pub fn min_advance(weight: Weight) -> f32 {
    static MIN: OnceLock<[f32; 2]> = OnceLock::new();
    let m = MIN.get_or_init(|| {
        [Weight::Regular, Weight::Bold].map(|w| {
            let f = face(w);
            let units = (0..f.face.number_of_glyphs())
                .filter_map(|g| f.face.glyph_hor_advance(ttf_parser::GlyphId(g)))
                .filter(|&a| a > 0)
                .min()
                .unwrap_or(1);
            units as f32 / f.units_per_em
        })
    });
    match weight {
        Weight::Regular => m[0],
        Weight::Bold => m[1],
    }
}

/// Size of a line of text: (advance width, ascent, descent) in pixels.
pub fn measure(text: &str, size: f32, weight: Weight) -> (f32, f32, f32) {
    let v = vmetrics(weight);
    (
        text_width(text, size, weight),
        v.ascent * size,
        v.descent * size,
    )
}

/// True when the font has a glyph for `ch`.
pub fn has_glyph(ch: char) -> bool {
    face(Weight::Regular).face.glyph_index(ch).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_grows_with_text_and_size() {
        let a = text_width("PFS", 14.0, Weight::Regular);
        let b = text_width("PFS ≥ 15.9 mo", 14.0, Weight::Regular);
        assert!(a > 10.0 && b > a);
        let c = text_width("PFS", 28.0, Weight::Regular);
        assert!((c - 2.0 * a).abs() < 0.01);
        assert!(text_width("PFS", 14.0, Weight::Bold) > a);
    }

    #[test]
    fn glyphs_used_by_the_figure_exist() {
        for ch in "≥→×²·~µ–—▲▼●■◆★".chars() {
            assert!(has_glyph(ch), "DejaVu Sans lacks {ch}");
        }
    }

    #[test]
    fn metrics_are_sane() {
        let v = vmetrics(Weight::Regular);
        assert!(v.ascent > 0.7 && v.ascent < 1.1, "{v:?}");
        assert!(v.descent > 0.1 && v.descent < 0.4, "{v:?}");
    }
}

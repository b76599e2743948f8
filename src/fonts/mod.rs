//! The fonts text is drawn in, and the one text measurement every output places glyphs by.
//!
//! The **fallback chain**, tried character by character: the bundled DejaVu Sans (regular and
//! bold, compiled in), then the fonts given with `--font` in the order given, then installed
//! system fonts in a fixed order (see [`system`]); a character no font has is measured and
//! drawn as DejaVu's `?` box and the validator warns about it. Latin, Greek and Cyrillic text
//! only ever uses DejaVu, so those figures are the same on every machine; system fonts are
//! looked up (once per process) only when a character DejaVu lacks is first measured.
//!
//! Layout measures each character with the advance of the font that draws it ([`glyph`]),
//! kerned only with a neighbour in the same font; the SVG writer draws fallback glyphs as
//! outlines at those positions, the PDF writer embeds a subset of each font used, the viewer
//! installs the same faces in egui. Line boxes (ascent, descent) are DejaVu's for every
//! script, so a label's box does not depend on which fonts its characters came from.

mod chain;
mod system;

use std::sync::OnceLock;

pub use chain::{FontError, FontOptions, MAX_FONT_BYTES, configure};

use crate::scene::Weight;

/// DejaVu Sans (Bitstream Vera licence with DejaVu changes, public domain; see
/// `assets/fonts/LICENSE-DejaVu.txt`).
pub static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
/// The family name both faces carry, as written in SVG `font-family`.
pub const FAMILY: &str = "DejaVu Sans";

/// A font of the chain: 0 is the bundled DejaVu Sans, then the `--font` files in order, then
/// system families in their fixed order. Stable for the life of the process.
pub type FontId = u16;

/// The bundled DejaVu Sans.
pub const BUNDLED: FontId = 0;

/// The vertical metrics of a face, as fractions of the font size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VMetrics {
    /// Height above the baseline (positive).
    pub ascent: f32,
    /// Depth below the baseline (positive).
    pub descent: f32,
}

/// One face loaded in memory (bytes kept for the life of the process).
pub struct Face {
    /// The parsed face.
    pub face: ttf_parser::Face<'static>,
    /// The font file's bytes (a collection's whole file).
    pub data: &'static [u8],
    /// The face's index in a collection (`.ttc`), else 0.
    pub index: u32,
    /// Units per em.
    pub units_per_em: f32,
    /// The PostScript name (or a name made from the family), letters, digits and `-` only.
    pub ps_name: String,
    vmetrics: VMetrics,
    min_advance: f32,
    /// The `cmap` subtables that map Unicode, parsed once (looking a character up through
    /// `ttf_parser::Face::glyph_index` parses them again on every call).
    unicode: Vec<ttf_parser::cmap::Subtable<'static>>,
}

impl Face {
    /// Parses face `index` of `data`; `None` when it is not a font.
    pub(crate) fn parse(data: &'static [u8], index: u32, fallback_name: &str) -> Option<Face> {
        let face = ttf_parser::Face::parse(data, index).ok()?;
        let upem = face.units_per_em() as f32;
        let vmetrics = VMetrics {
            ascent: face.ascender() as f32 / upem,
            descent: -(face.descender() as f32) / upem,
        };
        let units = (0..face.number_of_glyphs())
            .filter_map(|g| face.glyph_hor_advance(ttf_parser::GlyphId(g)))
            .filter(|&a| a > 0)
            .min()
            .unwrap_or(1);
        let ps = face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .and_then(|n| n.to_string())
            .unwrap_or_else(|| fallback_name.to_string());
        let mut ps_name: String = ps
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .take(60)
            .collect();
        if ps_name.is_empty() {
            ps_name = "Font".into();
        }
        let unicode = face
            .tables()
            .cmap
            .map(|c| c.subtables.into_iter().filter(|s| s.is_unicode()).collect())
            .unwrap_or_default();
        Some(Face {
            unicode,
            face,
            data,
            index,
            units_per_em: upem,
            ps_name,
            vmetrics,
            min_advance: units as f32 / upem,
        })
    }

    /// The glyph for `ch`, as `ttf_parser::Face::glyph_index` finds it (the first Unicode
    /// subtable that maps it), without parsing the subtables again.
    pub fn glyph_index(&self, ch: char) -> Option<ttf_parser::GlyphId> {
        self.unicode
            .iter()
            .find_map(|s| s.glyph_index(u32::from(ch)).filter(|g| g.0 != 0))
    }

    /// True when the face has CFF (PostScript) outlines rather than TrueType ones.
    pub fn is_cff(&self) -> bool {
        self.face.tables().cff.is_some()
    }

    fn advance(&self, g: ttf_parser::GlyphId) -> f32 {
        self.face.glyph_hor_advance(g).unwrap_or(0) as f32 / self.units_per_em
    }
}

fn bundled(weight: Weight) -> &'static Face {
    static REGULAR: OnceLock<Face> = OnceLock::new();
    static BOLD: OnceLock<Face> = OnceLock::new();
    let (cell, bytes, name) = match weight {
        Weight::Regular => (&REGULAR, REGULAR_TTF, "DejaVuSans"),
        Weight::Bold => (&BOLD, BOLD_TTF, "DejaVuSans-Bold"),
    };
    // The bytes are compiled in and known good; a failure here is a build defect.
    cell.get_or_init(|| Face::parse(bytes, 0, name).expect("bundled font parses"))
}

/// The face that draws `font`'s glyphs in `weight`: the bundled regular or bold face, a
/// `--font` file (one face for both weights), or a system family's regular or bold face.
pub fn face(font: FontId, weight: Weight) -> &'static Face {
    if font == BUNDLED {
        bundled(weight)
    } else {
        chain::face(font, weight).unwrap_or_else(|| bundled(weight))
    }
}

/// The family name of a font of the chain, for messages and the documentation.
pub fn family(font: FontId) -> String {
    if font == BUNDLED {
        FAMILY.to_string()
    } else {
        chain::family(font).unwrap_or_else(|| FAMILY.to_string())
    }
}

/// Vertical metrics of the line box, for every script (DejaVu Sans's).
pub fn vmetrics(weight: Weight) -> VMetrics {
    bundled(weight).vmetrics
}

/// One character as measured and drawn: the font of the chain that has it, its glyph there
/// (`None` when no font has it: drawn and measured as DejaVu's `?`) and its advance as a
/// fraction of the font size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// The font that draws it.
    pub font: FontId,
    /// Its glyph in [`face`]`(font, weight)`.
    pub id: Option<ttf_parser::GlyphId>,
    /// Its advance at size 1.
    pub advance: f32,
}

/// The glyph that draws `ch` in `weight`: the first font of the chain that has it.
pub fn glyph(ch: char, weight: Weight) -> Glyph {
    let b = bundled(weight);
    if let Some(g) = b.glyph_index(ch) {
        return Glyph {
            font: BUNDLED,
            id: Some(g),
            advance: b.advance(g),
        };
    }
    if !ch.is_control()
        && let Some((font, f, g)) = chain::find(ch, weight)
    {
        return Glyph {
            font,
            id: Some(g),
            advance: f.advance(g),
        };
    }
    let q = b.glyph_index('?');
    Glyph {
        font: BUNDLED,
        id: None,
        advance: q.map(|g| b.advance(g)).unwrap_or(0.0),
    }
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

/// The kerning between two adjacent characters as a fraction of the font size: only
/// between glyphs of the same font (see [`kerning`]).
pub fn pair_kerning(a: Glyph, b: Glyph, weight: Weight) -> f32 {
    match (a.id, b.id) {
        (Some(ga), Some(gb)) if a.font == b.font => {
            let f = face(a.font, weight);
            kerning(&f.face, ga, gb) as f32 / f.units_per_em
        }
        _ => 0.0,
    }
}

/// Advance width of one line of `text` at `size` pixels: each character's advance in the
/// font that draws it, plus kerning between neighbours in the same font.
pub fn text_width(text: &str, size: f32, weight: Weight) -> f32 {
    let mut em = 0.0f32;
    let mut prev: Option<Glyph> = None;
    for ch in text.chars() {
        let g = glyph(ch, weight);
        em += g.advance;
        if let Some(p) = prev {
            em += pair_kerning(p, g, weight);
        }
        prev = Some(g);
    }
    em * size
}

/// The smallest non-zero advance of any glyph in the bundled face and the `--font` faces,
/// as a fraction of the font size: no line of text `w` pixels wide at size `size` holds
/// more than `w / (size × this)` characters that move the pen. (System fonts are not
/// counted: their narrowest glyphs — hair spaces — are no narrower than DejaVu's.)
pub fn min_advance(weight: Weight) -> f32 {
    static MIN: OnceLock<[f32; 2]> = OnceLock::new();
    let m = MIN.get_or_init(|| {
        [Weight::Regular, Weight::Bold].map(|w| {
            chain::user_faces(w)
                .map(|f| f.min_advance)
                .fold(bundled(w).min_advance, f32::min)
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

/// True when the bundled DejaVu Sans has a glyph for `ch`.
pub fn has_glyph(ch: char) -> bool {
    bundled(Weight::Regular).glyph_index(ch).is_some()
}

/// True when some font of the chain has a glyph for `ch`.
pub fn covers(ch: char) -> bool {
    glyph(ch, Weight::Regular).id.is_some()
}

/// A run of `text` drawn in one font: its font and byte range.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The font.
    pub font: FontId,
    /// Byte range in the text.
    pub range: std::ops::Range<usize>,
}

/// `text` cut where the font drawing it changes (one run for DejaVu-only text).
pub fn runs(text: &str, weight: Weight) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for (i, ch) in text.char_indices() {
        let font = glyph(ch, weight).font;
        let end = i + ch.len_utf8();
        match out.last_mut() {
            Some(r) if r.font == font => r.range.end = end,
            _ => out.push(Run {
                font,
                range: i..end,
            }),
        }
    }
    out
}

/// The fallback fonts this process has used so far, in chain order (the viewer installs
/// them in egui): `(font, face for regular text, face for bold text)`.
pub fn fallbacks_in_use() -> Vec<(FontId, &'static Face, &'static Face)> {
    chain::in_use()
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

    #[test]
    fn latin_greek_and_cyrillic_are_drawn_by_dejavu_in_one_run() {
        for t in ["Sintilimab PD", "Παρακολούθηση", "Химиотерапия"] {
            assert_eq!(
                runs(t, Weight::Regular),
                vec![Run {
                    font: BUNDLED,
                    range: 0..t.len()
                }]
            );
        }
    }

    #[test]
    fn a_character_no_font_has_is_measured_as_the_question_mark() {
        let g = glyph('\u{10FFFD}', Weight::Regular);
        assert_eq!((g.font, g.id), (BUNDLED, None));
        let q = glyph('?', Weight::Regular);
        assert_eq!(g.advance, q.advance);
        assert!(!covers('\u{10FFFD}'));
    }
}

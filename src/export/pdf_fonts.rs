//! The fonts of a PDF: which faces the text uses, their subsets and how they are written.
//!
//! Each face used gets its own Type 0 font with Identity-H encoding: the bundled DejaVu Sans
//! regular and bold as `F1` and `F2` (TrueType outlines, `FontFile2`), then every fallback
//! face in first-use order as `F3`, `F4`… — TrueType ones likewise, CFF ones (Noto Sans CJK
//! and most OpenType CJK fonts) as `CIDFontType0C` (`FontFile3`). Every font is a subset of
//! the glyphs drawn (the `subsetter` crate) with a `ToUnicode` map, so text extracts as the
//! characters written.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect as PdfRect, Ref, Str};
use subsetter::GlyphRemapper;

use super::pdf::{Fnv, Refs, deflate};
use crate::fonts::{self, BUNDLED, FontId};
use crate::scene::Weight;

/// One face as used in this document.
pub(super) struct FontUse {
    weight: Weight,
    face: &'static fonts::Face,
    /// The resource name (`F1`…).
    name: String,
    /// Old glyph id → new (subset) glyph id.
    pub(super) remap: GlyphRemapper,
    /// New glyph id → the character it shows (for `ToUnicode`).
    unicode: BTreeMap<u16, char>,
    used: bool,
}

impl FontUse {
    fn new(font: FontId, weight: Weight, n: usize) -> Self {
        FontUse {
            weight,
            face: fonts::face(font, weight),
            name: format!("F{n}"),
            remap: GlyphRemapper::new(),
            unicode: BTreeMap::new(),
            used: false,
        }
    }

    pub(super) fn name(&self) -> Name<'_> {
        Name(self.name.as_bytes())
    }

    pub(super) fn upem(&self) -> f32 {
        self.face.units_per_em
    }

    /// Kerning between two of this face's glyphs, in font units.
    pub(super) fn kern(&self, a: ttf_parser::GlyphId, b: ttf_parser::GlyphId) -> i16 {
        fonts::kerning(&self.face.face, a, b)
    }
}

/// The faces of a document: the bundled regular and bold first (`F1`, `F2`), then fallback
/// faces as text first uses them.
pub(super) struct DocFonts {
    fonts: Vec<FontUse>,
}

/// A character as the PDF draws it: the face (index in [`DocFonts`]), its glyph in that
/// face and the character `ToUnicode` gives for it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Placed {
    pub(super) font: usize,
    pub(super) glyph: ttf_parser::GlyphId,
    shown: char,
    /// The glyph as [`fonts::glyph`] measured it (for kerning).
    pub(super) measured: fonts::Glyph,
}

impl DocFonts {
    pub(super) fn new() -> Self {
        DocFonts {
            fonts: vec![
                FontUse::new(BUNDLED, Weight::Regular, 1),
                FontUse::new(BUNDLED, Weight::Bold, 2),
            ],
        }
    }

    pub(super) fn get(&self, i: usize) -> &FontUse {
        &self.fonts[i]
    }

    /// The face drawing `font` in `weight` (a fallback family without a bold face draws bold
    /// text with its regular face: one PDF font for both).
    fn index(&mut self, font: FontId, weight: Weight) -> usize {
        if font == BUNDLED {
            return match weight {
                Weight::Regular => 0,
                Weight::Bold => 1,
            };
        }
        let face = fonts::face(font, weight);
        if let Some(i) = self.fonts.iter().position(|f| std::ptr::eq(f.face, face)) {
            return i;
        }
        let n = self.fonts.len() + 1;
        self.fonts.push(FontUse::new(font, weight, n));
        self.fonts.len() - 1
    }

    /// How `ch` is drawn in `weight`: the glyph of the font that has it, or the bundled `?`
    /// when none has it (as [`fonts::text_width`] measures it).
    pub(super) fn place(&mut self, ch: char, weight: Weight) -> Placed {
        let measured = fonts::glyph(ch, weight);
        let font = self.index(measured.font, weight);
        let (glyph, shown) = match measured.id {
            Some(g) => (g, ch),
            None => {
                let f = &self.fonts[font].face.face;
                (f.glyph_index('?').unwrap_or(ttf_parser::GlyphId(0)), '?')
            }
        };
        Placed {
            font,
            glyph,
            shown,
            measured,
        }
    }

    /// Records that `p` is drawn (the subsets are made before any text is written, since
    /// text is written in subset glyph ids).
    pub(super) fn mark(&mut self, p: Placed) {
        let f = &mut self.fonts[p.font];
        f.used = true;
        let new = f.remap.remap(p.glyph.0);
        f.unicode.entry(new).or_insert(p.shown);
    }

    /// Writes every used font; returns their resource names and Type 0 font objects.
    pub(super) fn write(
        &self,
        pdf: &mut Pdf,
        refs: &mut Refs,
        hash: &mut Fnv,
    ) -> Result<Vec<(String, Ref)>, String> {
        let mut out = Vec::new();
        for f in self.fonts.iter().filter(|f| f.used) {
            out.push((f.name.clone(), write_font(pdf, f, refs, hash)?));
        }
        Ok(out)
    }
}

/// Writes one used font: the subset font file, its CID font with widths, its descriptor and
/// its ToUnicode map (so text extracts as the characters drawn).
fn write_font(pdf: &mut Pdf, f: &FontUse, refs: &mut Refs, hash: &mut Fnv) -> Result<Ref, String> {
    let type0 = refs.alloc();
    let cid = refs.alloc();
    let descriptor = refs.alloc();
    let file = refs.alloc();
    let cmap_id = refs.alloc();
    let subset = subsetter::subset(f.face.data, f.face.index, &f.remap)
        .map_err(|e| format!("could not subset the font {}: {e}", f.face.ps_name))?;
    // A CFF font is embedded as its bare CFF table (`FontFile3`, `CIDFontType0C`).
    let cff = if f.face.is_cff() {
        let raw = ttf_parser::RawFace::parse(&subset, 0)
            .map_err(|e| format!("the subset of {} does not parse: {e}", f.face.ps_name))?;
        let table = raw
            .table(ttf_parser::Tag::from_bytes(b"CFF "))
            .ok_or_else(|| format!("the subset of {} has no CFF table", f.face.ps_name))?;
        Some(table.to_vec())
    } else {
        None
    };
    let tag = subset_tag(&f.remap);
    let base_name = format!("{tag}+{}", f.face.ps_name);
    let upem = f.upem();
    let to_pdf_units = |v: f32| v * 1000.0 / upem;

    pdf.type0_font(type0)
        .base_font(Name(base_name.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap_id);

    let mut cid_font = pdf.cid_font(cid);
    cid_font
        .subtype(if cff.is_some() {
            CidFontType::Type0
        } else {
            CidFontType::Type2
        })
        .base_font(Name(base_name.as_bytes()))
        .system_info(SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        })
        .font_descriptor(descriptor);
    if cff.is_none() {
        cid_font.cid_to_gid_map_predefined(Name(b"Identity"));
    }
    let widths: Vec<f32> = f
        .remap
        .remapped_gids()
        .map(|old| {
            let adv = f
                .face
                .face
                .glyph_hor_advance(ttf_parser::GlyphId(old))
                .unwrap_or(0);
            (to_pdf_units(adv as f32) * 100.0).round() / 100.0
        })
        .collect();
    cid_font.widths().consecutive(0, widths);
    cid_font.finish();

    let face = &f.face.face;
    let bb = face.global_bounding_box();
    let mut flags = FontFlags::NON_SYMBOLIC;
    flags.insert(FontFlags::SERIF);
    flags.remove(FontFlags::SERIF);
    let mut descr = pdf.font_descriptor(descriptor);
    descr
        .name(Name(base_name.as_bytes()))
        .flags(flags)
        .bbox(PdfRect::new(
            to_pdf_units(bb.x_min as f32),
            to_pdf_units(bb.y_min as f32),
            to_pdf_units(bb.x_max as f32),
            to_pdf_units(bb.y_max as f32),
        ))
        .italic_angle(0.0)
        .ascent(to_pdf_units(face.ascender() as f32))
        .descent(to_pdf_units(face.descender() as f32))
        .cap_height(to_pdf_units(
            face.capital_height().unwrap_or(face.ascender()) as f32,
        ))
        .stem_v(match f.weight {
            Weight::Regular => 80.0,
            Weight::Bold => 140.0,
        });
    if cff.is_some() {
        descr.font_file3(file);
    } else {
        descr.font_file2(file);
    }
    descr.finish();

    match &cff {
        Some(table) => {
            let packed = deflate(table);
            pdf.stream(file, &packed)
                .filter(Filter::FlateDecode)
                .pair(Name(b"Subtype"), Name(b"CIDFontType0C"));
            hash.write(table);
        }
        None => {
            let packed = deflate(&subset);
            pdf.stream(file, &packed)
                .filter(Filter::FlateDecode)
                .pair(Name(b"Length1"), subset.len() as i32);
            hash.write(&subset);
        }
    }

    let mut cmap = UnicodeCmap::new(
        Name(b"Custom"),
        SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"UCS"),
            supplement: 0,
        },
    );
    for (&gid, &ch) in &f.unicode {
        cmap.pair(gid, ch);
    }
    let cmap = cmap.finish();
    pdf.cmap(cmap_id, cmap.as_slice());
    Ok(type0)
}

/// The six-letter subset tag PDF asks for, derived from the glyph set.
fn subset_tag(remap: &GlyphRemapper) -> String {
    let mut h = Fnv::new();
    for g in remap.remapped_gids() {
        h.write(&g.to_le_bytes());
    }
    let mut v = h.0;
    (0..6)
        .map(|_| {
            let ch = (b'A' + (v % 26) as u8) as char;
            v /= 26;
            ch
        })
        .collect()
}

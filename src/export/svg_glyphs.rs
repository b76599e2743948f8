//! Text with characters from a fallback font (Chinese, say), written in SVG: runs in the
//! bundled DejaVu Sans stay `<text>`; characters from any other font are drawn as their
//! glyph outlines, each outline defined once (`<defs>` at the end of the document) and
//! placed with `<use>` at the pen position [`crate::fonts`] measured. The whole label is a
//! `<g>` whose `aria-label` holds its text.
//!
//! Why outlines and not an embedded font: an SVG naming a font the reader's machine lacks
//! draws other glyphs with other widths (or boxes), and embedded `@font-face` fonts are
//! ignored by resvg (which rasterises the PNG and TIFF from this very SVG), by Inkscape and
//! by most slide software. Outlines look the same everywhere and sit exactly where layout
//! measured them; the text stays readable to screen readers through `aria-label`. The price:
//! those characters are not editable as text in a drawing program.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::svg::{escape_into, num, paint};
use crate::fonts::{self, BUNDLED, FontId};
use crate::scene::{Anchor, Text, Weight};

/// Glyph outlines used so far, each defined once: (font, bold, glyph) → its path data in
/// font units (y up).
#[derive(Default)]
pub(super) struct GlyphDefs {
    defs: BTreeMap<(FontId, bool, u16), String>,
}

fn def_id(font: FontId, bold: bool, g: u16) -> String {
    format!("g{font}{}-{g}", if bold { "b" } else { "" })
}

/// True when every character of `t` is drawn by the bundled font (written as one `<text>`).
pub(super) fn bundled_only(t: &Text) -> bool {
    t.text
        .chars()
        .all(|ch| fonts::glyph(ch, t.weight).font == BUNDLED)
}

impl GlyphDefs {
    /// Writes a text that has characters from fallback fonts (see the module documentation).
    pub(super) fn write_text(&mut self, out: &mut String, t: &Text) {
        let width = fonts::text_width(&t.text, t.size, t.weight);
        let left = match t.anchor {
            Anchor::Start => t.x,
            Anchor::Middle => t.x - width / 2.0,
            Anchor::End => t.x - width,
        };
        out.push_str("<g aria-label=\"");
        escape_into(out, &t.text);
        out.push('"');
        out.push_str(&paint("fill", t.color));
        out.push_str(">\n");
        let bold = t.weight == Weight::Bold;
        let mut pen = left;
        let mut prev: Option<fonts::Glyph> = None;
        // A run of bundled characters being collected: its start and text.
        let mut run: Option<(f32, String)> = None;
        for ch in t.text.chars() {
            let g = fonts::glyph(ch, t.weight);
            if let Some(p) = prev {
                pen += fonts::pair_kerning(p, g, t.weight) * t.size;
            }
            prev = Some(g);
            if g.font == BUNDLED {
                run.get_or_insert_with(|| (pen, String::new())).1.push(ch);
            } else {
                if let Some((x, s)) = run.take() {
                    write_run(out, x, t, &s);
                }
                if let Some(id) = g.id {
                    self.place(out, g.font, bold, id, pen, t);
                }
            }
            pen += g.advance * t.size;
        }
        if let Some((x, s)) = run.take() {
            write_run(out, x, t, &s);
        }
        out.push_str("</g>\n");
    }

    /// A `<use>` of glyph `id` of `font` with its origin at (`x`, the baseline).
    fn place(
        &mut self,
        out: &mut String,
        font: FontId,
        bold: bool,
        id: ttf_parser::GlyphId,
        x: f32,
        t: &Text,
    ) {
        let weight = if bold { Weight::Bold } else { Weight::Regular };
        let face = fonts::face(font, weight);
        let key = (font, bold, id.0);
        let def = self.defs.entry(key).or_insert_with(|| {
            let mut path = PathData(String::new());
            if face.face.outline_glyph(id, &mut path).is_none() {
                path.0.clear();
            }
            path.0
        });
        if def.is_empty() {
            return; // a blank glyph: only its advance
        }
        let k = t.size / face.units_per_em;
        let _ = writeln!(
            out,
            "<use href=\"#{}\" transform=\"matrix({} 0 0 {} {} {})\"/>",
            def_id(font, bold, id.0),
            fine(k),
            fine(-k),
            num(x),
            num(t.baseline)
        );
    }

    /// The `<defs>` holding every outline placed (nothing when none was).
    pub(super) fn write_defs(&self, out: &mut String) {
        if self.defs.values().all(|d| d.is_empty()) {
            return;
        }
        out.push_str("<defs>\n");
        for (&(font, bold, g), d) in &self.defs {
            if !d.is_empty() {
                let _ = writeln!(out, "<path id=\"{}\" d=\"{d}\"/>", def_id(font, bold, g));
            }
        }
        out.push_str("</defs>\n");
    }
}

/// A run of bundled characters as `<text>` starting at `x` (its fill from the group).
fn write_run(out: &mut String, x: f32, t: &Text, s: &str) {
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\"",
        num(x),
        num(t.baseline),
        num(t.size)
    );
    if t.weight == Weight::Bold {
        out.push_str(" font-weight=\"bold\"");
    }
    out.push('>');
    escape_into(out, s);
    out.push_str("</text>\n");
}

/// A scale factor with enough digits (a 14 px glyph of a 1000-unit font is 0.014).
fn fine(v: f32) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".into()
    } else {
        s.into()
    }
}

/// SVG path data from a glyph's outline, in font units.
struct PathData(String);

impl ttf_parser::OutlineBuilder for PathData {
    fn move_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "M{} {}", num(x), num(y));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "L{} {}", num(x), num(y));
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let _ = write!(self.0, "Q{} {} {} {}", num(x1), num(y1), num(x), num(y));
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let _ = write!(
            self.0,
            "C{} {} {} {} {} {}",
            num(x1),
            num(y1),
            num(x2),
            num(y2),
            num(x),
            num(y)
        );
    }
    fn close(&mut self) {
        self.0.push('Z');
    }
}

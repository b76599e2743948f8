//! PDF export: the scene as a vector PDF (text as text with the bundled font embedded,
//! images embedded), byte-for-byte reproducible.
//!
//! One page, `scene.width × scene.height` figure pixels mapped to points at `scene.dpi`
//! (a 1004-pixel-wide figure at 300 dpi is 85 mm wide). Shapes are vector paths (markers
//! from [`crate::scene::marker_points`], the same polygons the SVG uses); text is real
//! text in DejaVu Sans, embedded as a subset TrueType CID font with a `ToUnicode` map, so
//! it can be selected, searched and copied; glyphs are placed with the same advances and
//! kerning [`crate::fonts`] measured, so text sits exactly where layout put it. Images are
//! decoded and embedded from their pixels only (no metadata can ride along).
//!
//! Reproducible: no dates, no producer, no document information dictionary; the file id
//! and the font subset tags are derived from the content, so the same scene gives the
//! same bytes.

use pdf_writer::types::LineJoinStyle;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect as PdfRect, Ref, Str};

use super::ExportError;
use super::pdf_fonts::{DocFonts, Placed};
use crate::fonts;
use crate::model::ImageData;
use crate::scene::{
    Anchor, Color, IMAGE_PLACEHOLDER, MarkerShape, Point, Rect, Scene, Shape, Stroke, Text,
    corner_radius, image_fit,
};

/// Writes the scene as a PDF document of one page.
pub fn to_pdf(scene: &Scene) -> Result<Vec<u8>, ExportError> {
    let err = |message: String| ExportError::Encode {
        format: "PDF",
        message,
    };
    if !(scene.width.is_finite() && scene.height.is_finite() && scene.dpi.is_finite())
        || scene.width <= 0.0
        || scene.height <= 0.0
        || scene.dpi <= 0.0
    {
        return Err(err(format!(
            "the figure size {} × {} px at {} dpi is not a page",
            scene.width, scene.height, scene.dpi
        )));
    }
    let mut w = Writer::new(scene);
    w.collect_glyphs(scene);
    let content = w.content(scene);
    w.finish(scene, &content).map_err(err)
}

/// Points per figure pixel.
fn scale(scene: &Scene) -> f32 {
    72.0 / scene.dpi
}

/// A distinct image, decoded once.
struct PdfImage {
    data: std::sync::Arc<ImageData>,
    /// The pixels, or `None` when the bytes do not decode.
    decoded: Option<Decoded>,
}

/// An image's pixels split for PDF.
struct Decoded {
    width: u32,
    height: u32,
    /// RGB rows, top first.
    rgb: Vec<u8>,
    /// The alpha plane, when any pixel is not opaque.
    alpha: Option<Vec<u8>>,
}

struct Writer {
    fonts: DocFonts,
    /// Distinct (stroke alpha, fill alpha) pairs, in first-use order.
    alphas: Vec<(u8, u8)>,
    images: Vec<PdfImage>,
    scale: f32,
}

impl Writer {
    fn new(scene: &Scene) -> Self {
        Writer {
            fonts: DocFonts::new(),
            alphas: Vec::new(),
            images: Vec::new(),
            scale: scale(scene),
        }
    }

    /// First pass: which glyphs each face needs (the subset is made before any text is
    /// written, since text is written in subset glyph ids).
    fn collect_glyphs(&mut self, scene: &Scene) {
        for t in scene.texts() {
            for ch in t.text.chars() {
                let p = self.fonts.place(ch, t.weight);
                self.fonts.mark(p);
            }
        }
    }

    /// The ExtGState name for a pair of alphas (`None` when both are opaque).
    fn alpha_state(&mut self, stroke: u8, fill: u8) -> Option<String> {
        if stroke == 255 && fill == 255 {
            return None;
        }
        let i = match self.alphas.iter().position(|&p| p == (stroke, fill)) {
            Some(i) => i,
            None => {
                self.alphas.push((stroke, fill));
                self.alphas.len() - 1
            }
        };
        Some(format!("A{i}"))
    }

    fn image_index(&mut self, data: &std::sync::Arc<ImageData>) -> usize {
        if let Some(i) = self
            .images
            .iter()
            .position(|im| std::sync::Arc::ptr_eq(&im.data, data) || im.data.bytes == data.bytes)
        {
            return i;
        }
        let decoded = image::load_from_memory(&data.bytes).ok().map(|img| {
            let rgba = img.to_rgba8();
            let (w, h) = rgba.dimensions();
            let mut rgb = Vec::with_capacity(w as usize * h as usize * 3);
            let mut alpha = Vec::with_capacity(w as usize * h as usize);
            for p in rgba.pixels() {
                rgb.extend_from_slice(&p.0[..3]);
                alpha.push(p.0[3]);
            }
            let alpha = alpha.iter().any(|&a| a != 255).then_some(alpha);
            Decoded {
                width: w,
                height: h,
                rgb,
                alpha,
            }
        });
        self.images.push(PdfImage {
            data: data.clone(),
            decoded,
        });
        self.images.len() - 1
    }

    /// Second pass: the page's content stream.
    fn content(&mut self, scene: &Scene) -> Vec<u8> {
        let mut c = Content::new();
        let s = self.scale;
        // Figure pixels, y down, origin top-left.
        c.transform([s, 0.0, 0.0, -s, 0.0, scene.height * s]);
        // SVG's default miter limit (PDF's is 10), so sharp corners end where they do in
        // the SVG and PNG.
        c.set_miter_limit(4.0);
        if let Some(bg) = scene.background {
            self.paint(&mut c, Some(bg), None, false, |c| {
                c.rect(0.0, 0.0, scene.width, scene.height);
            });
        }
        for item in &scene.items {
            // A PDF number cannot be NaN or infinite: such an item is not drawn at all.
            let b = item.shape.bounds();
            if ![b.min.x, b.min.y, b.max.x, b.max.y]
                .iter()
                .all(|v| v.is_finite())
            {
                continue;
            }
            match &item.shape {
                Shape::Rect {
                    rect,
                    corner,
                    fill,
                    stroke,
                } => self.paint(&mut c, *fill, stroke.as_ref(), false, |c| {
                    rounded_rect(c, rect, *corner);
                }),
                Shape::Line { from, to, stroke } => {
                    self.paint(&mut c, None, Some(stroke), false, |c| {
                        c.move_to(from.x, from.y);
                        c.line_to(to.x, to.y);
                    })
                }
                Shape::Path {
                    points,
                    closed,
                    fill,
                    stroke,
                } => {
                    if points.len() < 2 {
                        continue;
                    }
                    let fill = if *closed { *fill } else { None };
                    // Polylines and markers join round, as the SVG draws them.
                    self.paint(&mut c, fill, stroke.as_ref(), !*closed, |c| {
                        polygon(c, points, *closed);
                    })
                }
                Shape::Marker {
                    center,
                    shape,
                    size,
                    fill,
                    stroke,
                } => self.paint(&mut c, Some(*fill), stroke.as_ref(), true, |c| {
                    if *shape == MarkerShape::Circle {
                        circle(c, *center, size / 2.0);
                    } else {
                        let pts = crate::scene::marker_points(*shape, *center, *size);
                        polygon(c, &pts, true);
                    }
                }),
                Shape::Text(t) => self.text(&mut c, t),
                Shape::Image { rect, data } => {
                    let i = self.image_index(data);
                    if let Some(d) = &self.images[i].decoded {
                        let fit = image_fit(rect, d.width, d.height);
                        let (x, y, w, h) = (fit.min.x, fit.min.y, fit.width(), fit.height());
                        let name = format!("I{i}");
                        c.save_state();
                        c.transform([w, 0.0, 0.0, -h, x, y + h]);
                        c.x_object(Name(name.as_bytes()));
                        c.restore_state();
                    } else {
                        // Undecodable bytes: a neutral placeholder where the image goes.
                        self.paint(&mut c, Some(IMAGE_PLACEHOLDER), None, false, |c| {
                            c.rect(rect.min.x, rect.min.y, rect.width(), rect.height());
                        });
                    }
                }
            }
        }
        c.finish().into_vec()
    }

    /// Fills and/or strokes the path `build` makes, with colours, alpha and dashes.
    fn paint(
        &mut self,
        c: &mut Content,
        fill: Option<Color>,
        stroke: Option<&Stroke>,
        round_join: bool,
        build: impl FnOnce(&mut Content),
    ) {
        let stroke = stroke.filter(|s| s.is_visible());
        if fill.is_none() && stroke.is_none() {
            return;
        }
        c.save_state();
        let sa = stroke.map(|s| s.color.a).unwrap_or(255);
        let fa = fill.map(|f| f.a).unwrap_or(255);
        if let Some(gs) = self.alpha_state(sa, fa) {
            c.set_parameters(Name(gs.as_bytes()));
        }
        if let Some(f) = fill {
            let [r, g, b] = f.rgb_unit();
            c.set_fill_rgb(r, g, b);
        }
        if let Some(s) = stroke {
            let [r, g, b] = s.color.rgb_unit();
            c.set_stroke_rgb(r, g, b);
            c.set_line_width(s.width);
            if round_join {
                c.set_line_join(LineJoinStyle::RoundJoin);
            }
            if let Some((on, off)) = s.dash_pattern() {
                c.set_dash_pattern([on, off], 0.0);
            }
        }
        build(c);
        match (fill.is_some(), stroke.is_some()) {
            (true, true) => c.fill_nonzero_and_stroke(),
            (true, false) => c.fill_nonzero(),
            _ => c.stroke(),
        };
        c.restore_state();
    }

    fn text(&mut self, c: &mut Content, t: &Text) {
        if t.text.is_empty() || !(t.size.is_finite() && t.size > 0.0) {
            return;
        }
        let width = fonts::text_width(&t.text, t.size, t.weight);
        let x = match t.anchor {
            Anchor::Start => t.x,
            Anchor::Middle => t.x - width / 2.0,
            Anchor::End => t.x - width,
        };
        c.save_state();
        if let Some(gs) = self.alpha_state(255, t.color.a) {
            c.set_parameters(Name(gs.as_bytes()));
        }
        let [r, g, b] = t.color.rgb_unit();
        c.set_fill_rgb(r, g, b);
        c.begin_text();
        // Flip back to y up for the glyphs.
        let mut matrix_set = false;
        // Runs of glyph ids (2 bytes each, big-endian) in one font, split where kerning
        // adjusts; a new font starts a new `Tf` + `TJ` (the text position carries on).
        let placed: Vec<Placed> = t
            .text
            .chars()
            .map(|ch| self.fonts.place(ch, t.weight))
            .collect();
        let mut i = 0;
        while i < placed.len() {
            let font = placed[i].font;
            let end = placed[i..]
                .iter()
                .position(|p| p.font != font)
                .map_or(placed.len(), |n| i + n);
            let f = self.fonts.get(font);
            c.set_font(f.name(), t.size);
            if !matrix_set {
                c.set_text_matrix([1.0, 0.0, 0.0, -1.0, x, t.baseline]);
                matrix_set = true;
            }
            let mut show = c.show_positioned();
            let mut items = show.items();
            let mut run: Vec<u8> = Vec::new();
            let mut prev: Option<Placed> = None;
            for p in &placed[i..end] {
                if let Some(q) = prev
                    && q.measured.id.is_some()
                    && p.measured.id.is_some()
                {
                    let k = f.kern(q.glyph, p.glyph);
                    if k != 0 {
                        items.show(Str(&run));
                        run.clear();
                        items.adjust(-(k as f32) * 1000.0 / f.upem());
                    }
                }
                let new = f.remap.get(p.glyph.0).unwrap_or(0);
                run.extend_from_slice(&new.to_be_bytes());
                prev = Some(*p);
            }
            items.show(Str(&run));
            items.finish();
            show.finish();
            i = end;
        }
        c.end_text();
        c.restore_state();
    }

    /// Writes every object and returns the file.
    fn finish(self, scene: &Scene, content: &[u8]) -> Result<Vec<u8>, String> {
        let s = self.scale;
        let catalog_id = Ref::new(1);
        let pages_id = Ref::new(2);
        let page_id = Ref::new(3);
        let content_id = Ref::new(4);
        let mut refs = Refs(5);

        let mut pdf = Pdf::new();
        // Content-derived identity: the same scene gives the same file id.
        let mut hash = Fnv::new();
        hash.write(content);

        // Fonts.
        let font_refs = self.fonts.write(&mut pdf, &mut refs, &mut hash)?;

        // Transparency states.
        let mut gs_refs = Vec::new();
        for (i, &(sa, fa)) in self.alphas.iter().enumerate() {
            let id = refs.alloc();
            pdf.ext_graphics(id)
                .stroking_alpha(sa as f32 / 255.0)
                .non_stroking_alpha(fa as f32 / 255.0);
            gs_refs.push((format!("A{i}"), id));
        }

        // Images.
        let mut image_refs = Vec::new();
        for (i, im) in self.images.iter().enumerate() {
            let Some(Decoded {
                width: w,
                height: h,
                rgb,
                alpha,
            }) = &im.decoded
            else {
                continue;
            };
            let id = refs.alloc();
            let mask_id = alpha.as_ref().map(|_| refs.alloc());
            let packed = deflate(rgb);
            hash.write(&packed);
            write_image(&mut pdf, id, &packed, (*w, *h), false, mask_id);
            if let (Some(m), Some(a)) = (mask_id, alpha) {
                write_image(&mut pdf, m, &deflate(a), (*w, *h), true, None);
            }
            image_refs.push((format!("I{i}"), id));
        }

        let packed = deflate(content);
        pdf.stream(content_id, &packed).filter(Filter::FlateDecode);

        pdf.catalog(catalog_id).pages(pages_id);
        pdf.pages(pages_id).kids([page_id]).count(1);
        let mut page = pdf.page(page_id);
        let media = PdfRect::new(0.0, 0.0, scene.width * s, scene.height * s);
        page.media_box(media);
        page.parent(pages_id);
        page.contents(content_id);
        let mut res = page.resources();
        if !font_refs.is_empty() {
            let mut fonts = res.fonts();
            for (name, type0) in &font_refs {
                fonts.pair(Name(name.as_bytes()), *type0);
            }
            fonts.finish();
        }
        if !gs_refs.is_empty() {
            let mut states = res.ext_g_states();
            for (name, id) in &gs_refs {
                states.pair(Name(name.as_bytes()), *id);
            }
            states.finish();
        }
        if !image_refs.is_empty() {
            let mut xs = res.x_objects();
            for (name, id) in &image_refs {
                xs.pair(Name(name.as_bytes()), *id);
            }
            xs.finish();
        }
        res.finish();
        page.finish();

        hash.write(&scene.width.to_le_bytes());
        hash.write(&scene.height.to_le_bytes());
        let id = hash.id();
        pdf.set_file_id((id.clone(), id));
        Ok(pdf.finish())
    }
}

/// The next free PDF object number.
pub(super) struct Refs(i32);

impl Refs {
    pub(super) fn alloc(&mut self) -> Ref {
        let r = Ref::new(self.0);
        self.0 += 1;
        r
    }
}

/// One deflated 8-bit image XObject: RGB, or grey for a soft mask (`grey`), with its own
/// soft mask when given.
fn write_image(
    pdf: &mut Pdf,
    id: Ref,
    packed: &[u8],
    (w, h): (u32, u32),
    grey: bool,
    s_mask: Option<Ref>,
) {
    let mut x = pdf.image_xobject(id, packed);
    x.filter(Filter::FlateDecode);
    x.width(w as i32);
    x.height(h as i32);
    if grey {
        x.color_space().device_gray();
    } else {
        x.color_space().device_rgb();
    }
    x.bits_per_component(8);
    x.interpolate(true);
    if let Some(m) = s_mask {
        x.s_mask(m);
    }
    x.finish();
}

pub(super) fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

/// Bézier circle constant.
const KAPPA: f32 = 0.552_284_8;

fn polygon(c: &mut Content, points: &[Point], closed: bool) {
    let mut it = points.iter();
    if let Some(p) = it.next() {
        c.move_to(p.x, p.y);
    }
    for p in it {
        c.line_to(p.x, p.y);
    }
    if closed {
        c.close_path();
    }
}

fn circle(c: &mut Content, center: Point, r: f32) {
    let k = r * KAPPA;
    let (x, y) = (center.x, center.y);
    c.move_to(x + r, y);
    c.cubic_to(x + r, y + k, x + k, y + r, x, y + r);
    c.cubic_to(x - k, y + r, x - r, y + k, x - r, y);
    c.cubic_to(x - r, y - k, x - k, y - r, x, y - r);
    c.cubic_to(x + k, y - r, x + r, y - k, x + r, y);
    c.close_path();
}

/// A rectangle with corners rounded as [`corner_radius`] says (the SVG's `rx`).
fn rounded_rect(c: &mut Content, rect: &Rect, corner: f32) {
    let min = Point::new(rect.min.x.min(rect.max.x), rect.min.y.min(rect.max.y));
    let max = Point::new(rect.min.x.max(rect.max.x), rect.min.y.max(rect.max.y));
    let (w, h) = (max.x - min.x, max.y - min.y);
    let r = corner_radius(rect, corner);
    if r <= 0.0 {
        c.rect(min.x, min.y, w, h);
        return;
    }
    let k = r * (1.0 - KAPPA);
    c.move_to(min.x + r, min.y);
    c.line_to(max.x - r, min.y);
    c.cubic_to(max.x - k, min.y, max.x, min.y + k, max.x, min.y + r);
    c.line_to(max.x, max.y - r);
    c.cubic_to(max.x, max.y - k, max.x - k, max.y, max.x - r, max.y);
    c.line_to(min.x + r, max.y);
    c.cubic_to(min.x + k, max.y, min.x, max.y - k, min.x, max.y - r);
    c.line_to(min.x, min.y + r);
    c.cubic_to(min.x, min.y + k, min.x + k, min.y, min.x + r, min.y);
    c.close_path();
}

/// FNV-1a, 64 bit: a small stable hash for content-derived ids (not for security).
pub(super) struct Fnv(pub(super) u64);

impl Fnv {
    pub(super) fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    pub(super) fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// 16 bytes: the hash and the hash of the hash.
    fn id(&self) -> Vec<u8> {
        let a = self.0;
        let mut second = Fnv::new();
        second.write(&a.to_le_bytes());
        let mut out = a.to_be_bytes().to_vec();
        out.extend_from_slice(&second.0.to_be_bytes());
        out
    }
}

//! Paints a [`Scene`] with egui, 1:1: each scene item becomes egui shapes, figure pixels
//! mapped to screen points by a [`Transform`] (offset and uniform scale). No geometry,
//! colour or wording is decided here; text uses the bundled DejaVu faces installed by
//! [`install_fonts`], markers the very polygons the SVG writer draws.

use std::collections::HashMap;
use std::sync::Arc;

use eframe::egui::{self, Color32, FontFamily, FontId, Pos2, Shape as EShape, Stroke as EStroke};

use crate::model::ImageData;
use crate::scene::{self, Anchor, Item, MarkerShape, Scene, Shape, Weight};

/// The egui family holding DejaVu Sans.
pub const FAMILY_REGULAR: &str = "txline-dejavu";
/// The egui family holding DejaVu Sans Bold.
pub const FAMILY_BOLD: &str = "txline-dejavu-bold";

/// Installs the bundled DejaVu faces as egui font families [`FAMILY_REGULAR`] and
/// [`FAMILY_BOLD`] (the UI keeps egui's own fonts), followed by the fallback fonts the
/// figures have used so far ([`crate::fonts::fallbacks_in_use`], in chain order, so egui
/// picks for each character the font the exports draw it with). Returns how many fallback
/// fonts it installed: call it again when [`crate::fonts::fallbacks_in_use`] grows.
pub fn install_fonts(ctx: &egui::Context) -> usize {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        FAMILY_REGULAR.into(),
        Arc::new(egui::FontData::from_static(crate::fonts::REGULAR_TTF)),
    );
    fonts.font_data.insert(
        FAMILY_BOLD.into(),
        Arc::new(egui::FontData::from_static(crate::fonts::BOLD_TTF)),
    );
    fonts.families.insert(
        FontFamily::Name(FAMILY_REGULAR.into()),
        vec![FAMILY_REGULAR.into()],
    );
    fonts.families.insert(
        FontFamily::Name(FAMILY_BOLD.into()),
        vec![FAMILY_BOLD.into(), FAMILY_REGULAR.into()],
    );
    // DejaVu also backs the UI font, so patient text (µ, ≥, →, ²) always has glyphs.
    for fam in [FontFamily::Proportional, FontFamily::Monospace] {
        if let Some(list) = fonts.families.get_mut(&fam) {
            list.push(FAMILY_REGULAR.into());
        }
    }
    let fallbacks = crate::fonts::fallbacks_in_use();
    for (font, regular, bold) in &fallbacks {
        let r = format!("txline-fallback-{font}");
        let b = if std::ptr::eq(*regular, *bold) {
            r.clone()
        } else {
            format!("txline-fallback-{font}-bold")
        };
        for (name, face) in [(&r, regular), (&b, bold)] {
            fonts.font_data.insert(
                name.clone(),
                Arc::new(egui::FontData::from_blob(Arc::new(face.data), face.index)),
            );
        }
        let families = [
            (FontFamily::Name(FAMILY_REGULAR.into()), &r),
            (FontFamily::Name(FAMILY_BOLD.into()), &b),
            (FontFamily::Proportional, &r),
            (FontFamily::Monospace, &r),
        ];
        for (fam, name) in families {
            if let Some(list) = fonts.families.get_mut(&fam) {
                list.push(name.clone());
            }
        }
    }
    ctx.set_fonts(fonts);
    fallbacks.len()
}

/// Figure pixels → screen points: `screen = offset + scale · figure`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transform {
    /// Screen position of the figure's origin.
    pub offset: egui::Vec2,
    /// Points per figure pixel.
    pub scale: f32,
}

impl Transform {
    /// Figure point → screen.
    pub fn pos(&self, p: scene::Point) -> Pos2 {
        Pos2::new(
            self.offset.x + p.x * self.scale,
            self.offset.y + p.y * self.scale,
        )
    }

    /// Figure rectangle → screen.
    pub fn rect(&self, r: &scene::Rect) -> egui::Rect {
        egui::Rect::from_min_max(self.pos(r.min), self.pos(r.max))
    }

    /// Screen → figure point.
    pub fn inverse(&self, p: Pos2) -> scene::Point {
        scene::Point::new(
            (p.x - self.offset.x) / self.scale,
            (p.y - self.offset.y) / self.scale,
        )
    }
}

/// Textures of a timeline's images, decoded once per load (keyed by the image's `Arc`).
#[derive(Default)]
pub struct Textures {
    map: HashMap<usize, (Arc<ImageData>, Option<egui::TextureHandle>)>,
}

impl Textures {
    /// Drops every texture (a new file was loaded).
    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// The texture for an image, decoding and uploading it the first time; `None` when the
    /// bytes do not decode (the figure then shows the scene's placeholder only).
    pub fn get(&mut self, ctx: &egui::Context, data: &Arc<ImageData>) -> Option<egui::TextureId> {
        let key = Arc::as_ptr(data) as usize;
        if let Some((_, t)) = self.map.get(&key) {
            return t.as_ref().map(|t| t.id());
        }
        let tex = decode(data).map(|img| {
            ctx.load_texture(
                format!("txline-image-{key}"),
                img,
                egui::TextureOptions::LINEAR,
            )
        });
        let id = tex.as_ref().map(|t| t.id());
        self.map.insert(key, (data.clone(), tex));
        id
    }

    /// The texture of an image already decoded by [`Textures::get`] (no context needed,
    /// so it can be called while egui's fonts are locked).
    pub fn lookup(&self, data: &Arc<ImageData>) -> Option<egui::TextureId> {
        let key = Arc::as_ptr(data) as usize;
        self.map
            .get(&key)
            .and_then(|(_, t)| t.as_ref().map(|t| t.id()))
    }

    /// Decodes every image of a scene not decoded yet.
    pub fn prepare(&mut self, ctx: &egui::Context, scene: &Scene) {
        for item in &scene.items {
            if let Shape::Image { data, .. } = &item.shape {
                self.get(ctx, data);
            }
        }
    }

    /// Number of images decoded so far.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when nothing was decoded yet.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// The longest side of an image texture; larger images are scaled down once on decoding
/// (GPUs refuse textures past 8192 or 16384 pixels, and no screen needs more).
pub const MAX_TEXTURE_SIDE: u32 = 4096;

/// Decodes PNG/JPEG bytes into an egui image, at most [`MAX_TEXTURE_SIDE`] on its longest side.
pub fn decode(data: &ImageData) -> Option<egui::ColorImage> {
    let mut img = image::load_from_memory(&data.bytes).ok()?;
    if img.width().max(img.height()) > MAX_TEXTURE_SIDE {
        img = img.thumbnail(MAX_TEXTURE_SIDE, MAX_TEXTURE_SIDE);
    }
    let img = img.to_rgba8();
    let size = [img.width() as usize, img.height() as usize];
    Some(egui::ColorImage::from_rgba_unmultiplied(size, img.as_raw()))
}

/// Converts a colour.
pub fn color(c: scene::Color) -> Color32 {
    Color32::from_rgba_unmultiplied(c.r, c.g, c.b, c.a)
}

fn stroke(s: &scene::Stroke, scale: f32) -> EStroke {
    EStroke::new(s.width * scale, color(s.color))
}

/// The font of a text item at a scale.
pub fn font_id(size: f32, weight: Weight, scale: f32) -> FontId {
    let fam = match weight {
        Weight::Regular => FAMILY_REGULAR,
        Weight::Bold => FAMILY_BOLD,
    };
    FontId::new(size * scale, FontFamily::Name(fam.into()))
}

/// Builds the egui shapes of a whole scene (background included) under a transform.
/// `fonts` lays out text; `textures` gives image textures.
pub fn scene_shapes(
    scene: &Scene,
    tr: Transform,
    ctx: &egui::Context,
    textures: &mut Textures,
) -> Vec<EShape> {
    let mut out = Vec::with_capacity(scene.items.len() + 1);
    let page = tr.rect(&scene::Rect::from_xywh(0.0, 0.0, scene.width, scene.height));
    if let Some(bg) = scene.background {
        out.push(EShape::rect_filled(page, 0.0, color(bg)));
    } else {
        // A transparent page: draw a light checker-free neutral so the figure stays readable.
        out.push(EShape::rect_filled(page, 0.0, Color32::from_gray(250)));
    }
    // Textures first: `load_texture` inside `fonts_mut` would deadlock on the context lock.
    textures.prepare(ctx, scene);
    ctx.fonts_mut(|fonts| {
        for item in &scene.items {
            item_shapes(item, tr, fonts, textures, &mut out);
        }
    });
    out
}

fn item_shapes(
    item: &Item,
    tr: Transform,
    fonts: &mut egui::epaint::FontsView<'_>,
    textures: &Textures,
    out: &mut Vec<EShape>,
) {
    let s = tr.scale;
    match &item.shape {
        Shape::Rect {
            rect,
            corner,
            fill,
            stroke: st,
        } => {
            out.push(EShape::Rect(egui::epaint::RectShape::new(
                tr.rect(rect),
                scene::corner_radius(rect, *corner) * s,
                fill.map(color).unwrap_or(Color32::TRANSPARENT),
                st.map(|x| stroke(&x, s)).unwrap_or(EStroke::NONE),
                egui::StrokeKind::Middle,
            )));
        }
        Shape::Line {
            from,
            to,
            stroke: st,
        } => {
            line(vec![tr.pos(*from), tr.pos(*to)], st, s, out);
        }
        Shape::Path {
            points,
            closed,
            fill,
            stroke: st,
        } => {
            let pts: Vec<Pos2> = points.iter().map(|p| tr.pos(*p)).collect();
            if pts.len() < 2 {
                return;
            }
            if *closed && let Some(f) = fill {
                fill_polygon(&pts, color(*f), out);
            }
            if let Some(st) = st {
                let mut pts = pts;
                if *closed {
                    pts.push(pts[0]);
                }
                line(pts, st, s, out);
            }
        }
        Shape::Marker {
            center,
            shape,
            size,
            fill,
            stroke: st,
        } => {
            let c = tr.pos(*center);
            let est = st.map(|x| stroke(&x, s)).unwrap_or(EStroke::NONE);
            match marker_polygon(*shape, *center, *size) {
                None => out.push(EShape::Circle(egui::epaint::CircleShape {
                    center: c,
                    radius: size * s / 2.0,
                    fill: color(*fill),
                    stroke: est,
                })),
                Some(poly) => {
                    let pts: Vec<Pos2> = poly.iter().map(|p| tr.pos(*p)).collect();
                    fill_polygon(&pts, color(*fill), out);
                    if st.is_some() {
                        out.push(EShape::closed_line(pts, est));
                    }
                }
            }
        }
        Shape::Text(t) => {
            // Guard the font atlas: nothing sensible is smaller than a pixel or taller than
            // a screen.
            let px = t.size * s;
            if t.text.is_empty() || !px.is_finite() || !(0.5..=1024.0).contains(&px) {
                return;
            }
            let galley =
                fonts.layout_no_wrap(t.text.clone(), font_id(t.size, t.weight, s), color(t.color));
            let w = galley.size().x;
            let x = tr.offset.x + t.x * s;
            let left = match t.anchor {
                Anchor::Start => x,
                Anchor::Middle => x - w / 2.0,
                Anchor::End => x - w,
            };
            let baseline_in_galley = galley
                .rows
                .first()
                .and_then(|r| r.row.glyphs.first().map(|g| r.pos.y + g.pos.y))
                .unwrap_or(t.size * s * 0.76);
            let top = tr.offset.y + t.baseline * s - baseline_in_galley;
            out.push(EShape::galley(Pos2::new(left, top), galley, color(t.color)));
        }
        Shape::Image { rect, data } => match textures.lookup(data) {
            Some(id) => out.push(EShape::image(
                id,
                tr.rect(&scene::image_fit(rect, data.width, data.height)),
                egui::Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
                Color32::WHITE,
            )),
            None => out.push(EShape::rect_filled(
                tr.rect(rect),
                0.0,
                color(scene::IMAGE_PLACEHOLDER),
            )),
        },
    }
}

/// The marker outline the SVG writer draws (`None`: a circle).
fn marker_polygon(
    shape: MarkerShape,
    center: scene::Point,
    size: f32,
) -> Option<Vec<scene::Point>> {
    let pts = scene::marker_points(shape, center, size);
    (!pts.is_empty()).then_some(pts)
}

fn line(pts: Vec<Pos2>, st: &scene::Stroke, scale: f32, out: &mut Vec<EShape>) {
    let es = stroke(st, scale);
    match st.dash_pattern() {
        Some((on, off)) => {
            out.extend(EShape::dashed_line(&pts, es, on * scale, off * scale));
        }
        _ => out.push(EShape::line(pts, es)),
    }
}

/// Fills any simple polygon: convex ones directly (anti-aliased), others triangulated by
/// ear clipping, with a hairline outline in the fill colour for a smooth edge.
fn fill_polygon(pts: &[Pos2], fill: Color32, out: &mut Vec<EShape>) {
    if pts.len() < 3 {
        return;
    }
    if is_convex(pts) {
        out.push(EShape::convex_polygon(pts.to_vec(), fill, EStroke::NONE));
        return;
    }
    let mut mesh = egui::Mesh::default();
    for p in pts {
        mesh.colored_vertex(*p, fill);
    }
    for [a, b, c] in triangulate(pts) {
        mesh.add_triangle(a, b, c);
    }
    out.push(EShape::mesh(mesh));
    out.push(EShape::closed_line(pts.to_vec(), EStroke::new(0.6, fill)));
}

fn cross(o: Pos2, a: Pos2, b: Pos2) -> f32 {
    (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
}

fn is_convex(pts: &[Pos2]) -> bool {
    let n = pts.len();
    let mut sign = 0.0f32;
    for i in 0..n {
        let c = cross(pts[i], pts[(i + 1) % n], pts[(i + 2) % n]);
        if c.abs() < 1e-6 {
            continue;
        }
        if sign == 0.0 {
            sign = c.signum();
        } else if c.signum() != sign {
            return false;
        }
    }
    true
}

/// Ear clipping of a simple polygon; returns vertex index triples.
fn triangulate(pts: &[Pos2]) -> Vec<[u32; 3]> {
    let n = pts.len();
    let area: f32 = (0..n)
        .map(|i| cross(Pos2::ZERO, pts[i], pts[(i + 1) % n]))
        .sum();
    let orient = if area >= 0.0 { 1.0 } else { -1.0 };
    let mut idx: Vec<usize> = (0..n).collect();
    let mut tris = Vec::with_capacity(n.saturating_sub(2));
    let mut guard = 0;
    while idx.len() > 3 && guard < n * n {
        guard += 1;
        let m = idx.len();
        let mut clipped = false;
        for i in 0..m {
            let (a, b, c) = (idx[(i + m - 1) % m], idx[i], idx[(i + 1) % m]);
            if cross(pts[a], pts[b], pts[c]) * orient <= 0.0 {
                continue;
            }
            let inside = idx.iter().any(|&j| {
                j != a && j != b && j != c && {
                    let p = pts[j];
                    cross(pts[a], pts[b], p) * orient > 0.0
                        && cross(pts[b], pts[c], p) * orient > 0.0
                        && cross(pts[c], pts[a], p) * orient > 0.0
                }
            });
            if inside {
                continue;
            }
            tris.push([a as u32, b as u32, c as u32]);
            idx.remove(i);
            clipped = true;
            break;
        }
        if !clipped {
            break;
        }
    }
    if idx.len() == 3 {
        tris.push([idx[0] as u32, idx[1] as u32, idx[2] as u32]);
    }
    tris
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_text_has_the_width_layout_measured() {
        let ctx = egui::Context::default();
        install_fonts(&ctx);
        let mut out = ctx.run_ui(egui::RawInput::default(), |_| {});
        out.textures_delta.clear();
        for (text, weight) in [
            ("PFS ≥ 15.9 mo", Weight::Regular),
            ("Camrelizumab · L3", Weight::Bold),
            ("Neck LN longest diameter (mm)", Weight::Regular),
        ] {
            let g = ctx.fonts_mut(|f| {
                f.layout_no_wrap(text.into(), font_id(14.0, weight, 1.0), Color32::BLACK)
            });
            let want = crate::fonts::text_width(text, 14.0, weight);
            let got = g.size().x;
            assert!(
                (got - want).abs() <= want * 0.02 + 0.5,
                "{text:?}: egui {got} vs layout {want}"
            );
        }
    }

    #[test]
    fn huge_images_are_scaled_down_for_the_gpu() {
        let big = image::RgbaImage::from_pixel(5000, 100, image::Rgba([10, 20, 30, 255]));
        let mut png = Vec::new();
        image::DynamicImage::ImageRgba8(big)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let data = ImageData {
            bytes: Arc::from(png.as_slice()),
            mime: "image/png",
            width: 5000,
            height: 100,
        };
        let img = decode(&data).unwrap();
        assert_eq!(img.size[0], MAX_TEXTURE_SIDE as usize);
        assert_eq!(img.pixels[0], Color32::from_rgb(10, 20, 30));
        let junk = ImageData {
            bytes: Arc::from(&b"not an image"[..]),
            ..data
        };
        assert!(decode(&junk).is_none());
    }

    #[test]
    fn star_triangulates_into_eight_triangles() {
        let poly = marker_polygon(MarkerShape::Star, scene::Point::new(0.0, 0.0), 10.0).unwrap();
        let pts: Vec<Pos2> = poly.iter().map(|p| Pos2::new(p.x, p.y)).collect();
        assert!(!is_convex(&pts));
        assert_eq!(triangulate(&pts).len(), 8);
    }
}

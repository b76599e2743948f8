//! PNG export: the scene rasterised from its SVG (so both formats show the same figure) with
//! resvg, using only the bundled fonts, and written with its DPI in a `pHYs` chunk.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia;
use resvg::usvg;

use super::ExportError;
use super::svg::to_svg;
use crate::fonts;
use crate::scene::Scene;

/// The largest raster side rendered, in pixels (a 600 dpi full-page figure is ~5,000); also
/// the largest figure side the command line and the viewer accept.
pub const MAX_SIDE: u32 = 20_000;

/// The most pixels rasterised (PNG, TIFF, the viewer's copy): 36 megapixels, room for an A4
/// page at 600 dpi (35), about 144 MB of RGBA while drawing. Larger figures are refused with
/// what to do; SVG and PDF have no pixel limit.
pub const MAX_PIXELS: u64 = 36_000_000;

/// The font database holding only the bundled faces: text renders the same on every
/// machine, and a machine without fonts still draws its labels.
fn fontdb() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(fonts::REGULAR_TTF.to_vec());
        db.load_font_data(fonts::BOLD_TTF.to_vec());
        db.set_sans_serif_family(fonts::FAMILY);
        db.set_serif_family(fonts::FAMILY);
        Arc::new(db)
    })
    .clone()
}

fn encode_error(format: &'static str, message: impl Into<String>) -> ExportError {
    ExportError::Encode {
        format,
        message: message.into(),
    }
}

/// The scene's pixel size: its width and height rounded, at least 1.
pub fn pixel_size(scene: &Scene) -> (u32, u32) {
    let side = |v: f32| {
        if v.is_finite() {
            v.round().clamp(1.0, u32::MAX as f32) as u32
        } else {
            1
        }
    };
    (side(scene.width), side(scene.height))
}

fn render_pixmap(scene: &Scene) -> Result<tiny_skia::Pixmap, ExportError> {
    let (w, h) = pixel_size(scene);
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(encode_error(
            "PNG",
            format!(
                "{w}×{h} pixels is too large (at most {MAX_SIDE} a side); choose a smaller \
                 size, or export SVG or PDF, which have no pixel limit"
            ),
        ));
    }
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(encode_error(
            "PNG",
            format!(
                "{w}×{h} pixels ({:.0} megapixels) is too large to rasterise; the limit is {} \
                 megapixels (A4 at 600 dpi is 35): choose a smaller --width/--height or --dpi, \
                 or export SVG or PDF, which have no pixel limit",
                (u64::from(w) * u64::from(h)) as f64 / 1e6,
                MAX_PIXELS / 1_000_000
            ),
        ));
    }
    let svg = to_svg(scene);
    let options = usvg::Options {
        font_family: fonts::FAMILY.to_string(),
        fontdb: fontdb(),
        dpi: scene.dpi,
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&svg, &options)
        .map_err(|e| encode_error("PNG", format!("the figure's SVG did not parse: {e}")))?;
    let mut pixmap = tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| encode_error("PNG", format!("cannot allocate {w}×{h} pixels")))?;
    let sx = w as f32 / tree.size().width();
    let sy = h as f32 / tree.size().height();
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(sx, sy),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

/// Rasterises the scene: (width, height, RGBA8 pixels with straight alpha, row by row).
///
/// The size is exactly the scene's (rounded). The TIFF exporter and the viewer's clipboard
/// copy use this too.
pub fn render_rgba(scene: &Scene) -> Result<(u32, u32, Vec<u8>), ExportError> {
    let pixmap = render_pixmap(scene)?;
    let (w, h) = (pixmap.width(), pixmap.height());
    Ok((w, h, pixmap.take_demultiplied()))
}

/// Pixels per metre for a DPI, as PNG's `pHYs` chunk writes it.
pub fn pixels_per_metre(dpi: f32) -> u32 {
    if dpi.is_finite() && dpi > 0.0 {
        (dpi as f64 / 0.0254).round() as u32
    } else {
        (96.0f64 / 0.0254).round() as u32
    }
}

/// Encodes straight-alpha RGBA pixels as a PNG carrying `dpi`.
pub fn encode_png(width: u32, height: u32, rgba: &[u8], dpi: f32) -> Result<Vec<u8>, ExportError> {
    let mut bytes = Vec::with_capacity(rgba.len() / 8);
    {
        let mut enc = png::Encoder::new(&mut bytes, width, height);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        let ppm = pixels_per_metre(dpi);
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
        let mut writer = enc
            .write_header()
            .map_err(|e| encode_error("PNG", e.to_string()))?;
        writer
            .write_image_data(rgba)
            .map_err(|e| encode_error("PNG", e.to_string()))?;
        writer
            .finish()
            .map_err(|e| encode_error("PNG", e.to_string()))?;
    }
    Ok(bytes)
}

/// Rasterises the scene and encodes it as a PNG with the scene's DPI.
pub fn to_png(scene: &Scene) -> Result<Vec<u8>, ExportError> {
    let (w, h, rgba) = render_rgba(scene)?;
    encode_png(w, h, &rgba, scene.dpi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::svg::tests::{empty_scene, sample_scene, text};
    use crate::scene::{Item, Shape};

    fn decode(bytes: &[u8]) -> (png::OutputInfo, Option<png::PixelDimensions>, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("png header");
        let mut buf = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut buf).expect("png data");
        let dims = reader.info().pixel_dims;
        buf.truncate(info.buffer_size());
        (info, dims, buf)
    }

    #[test]
    fn text_is_really_drawn() {
        let mut s = empty_scene(200.0, 60.0);
        s.items.push(Item {
            shape: Shape::Text(text("Hello 15.9 mo", 10.0, 40.0, 24.0)),
            meaning: None,
        });
        let (w, h, rgba) = render_rgba(&s).expect("render");
        assert_eq!((w, h), (200, 60));
        let dark = rgba
            .chunks_exact(4)
            .filter(|p| p[0] < 100 && p[1] < 100 && p[2] < 100 && p[3] == 255)
            .count();
        assert!(
            dark > 100,
            "only {dark} dark pixels: the text was not drawn"
        );
        // Bold is drawn too, and wider.
        let mut b = text("Hello 15.9 mo", 10.0, 40.0, 24.0);
        b.weight = crate::scene::Weight::Bold;
        s.items[0].shape = Shape::Text(b);
        let (_, _, bold) = render_rgba(&s).expect("render");
        let dark_bold = bold.chunks_exact(4).filter(|p| p[0] < 100).count();
        assert!(dark_bold > dark, "{dark_bold} vs {dark}");
    }

    #[test]
    fn png_has_the_scene_size_and_dpi() {
        let mut s = sample_scene();
        s.dpi = 300.0;
        let bytes = to_png(&s).expect("png");
        let (info, dims, pixels) = decode(&bytes);
        assert_eq!((info.width, info.height), (400, 300));
        let dims = dims.expect("pHYs chunk");
        assert_eq!(dims.unit, png::Unit::Meter);
        assert_eq!(dims.xppu, 11811);
        assert_eq!(dims.yppu, 11811);
        // The embedded red image is drawn at (300..360, 200..260).
        let at = |x: usize, y: usize| &pixels[(y * 400 + x) * 4..(y * 400 + x) * 4 + 4];
        assert_eq!(at(330, 230), &[255, 0, 0, 255]);
        // White background in a corner.
        assert_eq!(at(399, 299), &[255, 255, 255, 255]);
        // Deterministic.
        assert_eq!(bytes, to_png(&s).expect("png"));
    }

    #[test]
    fn huge_rasters_are_refused_with_the_limit() {
        // 20000×20000 was accepted and allocated 1.6 GB of pixels before drawing.
        let s = empty_scene(20_000.0, 20_000.0);
        let e = to_png(&s).unwrap_err().to_string();
        assert!(
            e.contains("20000×20000 pixels (400 megapixels) is too large to rasterise; the limit is 36 megapixels"),
            "{e}"
        );
        assert!(e.contains("export SVG or PDF"), "{e}");
        assert!(render_rgba(&empty_scene(6000.0, 6000.0)).is_ok());
    }

    #[test]
    fn transparent_background_stays_transparent() {
        let mut s = sample_scene();
        s.background = None;
        let (_, _, rgba) = render_rgba(&s).expect("render");
        let idx = (299 * 400 + 399) * 4;
        assert_eq!(rgba[idx + 3], 0);
        // but the drawn items are opaque
        let idx = (230 * 400 + 330) * 4;
        assert_eq!(&rgba[idx..idx + 4], &[255, 0, 0, 255]);
    }

    #[test]
    fn fractional_and_silly_sizes_do_not_panic() {
        let mut s = empty_scene(100.4, 50.6);
        let (w, h, _) = render_rgba(&s).expect("render");
        assert_eq!((w, h), (100, 51));
        s.width = f32::NAN;
        assert_eq!(pixel_size(&s).0, 1);
        s.width = 1e9;
        assert!(render_rgba(&s).is_err());
    }
}

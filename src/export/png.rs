//! PNG export: the scene rasterised from its SVG (so both formats show the same figure) with
//! resvg, using only the bundled fonts, and written with its DPI in a `pHYs` chunk.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia;
use resvg::usvg;

use super::ExportError;
use super::svg::to_svg;
use crate::fonts;
use crate::scene::Scene;

/// The widest raster rendered, and the largest side `--width`/`--height` accept, in pixels.
pub const MAX_SIDE: u32 = crate::page::MAX_SIDE;

/// The tallest raster file written: a page that grows with its content (an 800-patient
/// swimmer at a journal preset is ~35,000 px tall) may exceed [`MAX_SIDE`], up to what every
/// PNG reader and the TIFF readers in use accept.
pub const MAX_HEIGHT: u32 = 65_535;

/// The most pixels rasterised at once, in memory (the viewer's copy to the clipboard): 36
/// megapixels, room for an A4 page at 600 dpi (35), about 144 MB of RGBA.
pub const MAX_PIXELS: u64 = 36_000_000;

/// The most pixels in a PNG or TIFF file: 150 megapixels. Files are drawn and encoded a
/// strip of rows at a time ([`STRIP_ROWS`]), so memory stays bounded; this bounds the time
/// (~2 s). Larger figures are refused with what to do; SVG and PDF have no pixel limit.
pub const MAX_FILE_PIXELS: u64 = 150_000_000;

/// Rows drawn at a time when writing a file (at 2,000 px wide, 16 MB of RGBA).
const STRIP_ROWS: u32 = 2048;

/// Rows drawn past each side of a strip and cut away (see [`Raster::rows`]).
const STRIP_OVERLAP: u32 = 16;

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

/// The scene checked for drawing, with its pixel size: drawn whole ([`Raster::whole`]) or a
/// strip of rows at a time ([`Raster::rows`]), each strip parsing and drawing only the items
/// that reach into it.
pub(crate) struct Raster<'a> {
    format: &'static str,
    scene: &'a Scene,
    options: usvg::Options<'static>,
    width: u32,
    height: u32,
}

/// How far past its bounds an item may paint (stroke joins, glyph overhangs), in scene units.
const PAINT_MARGIN: f32 = 32.0;

impl<'a> Raster<'a> {
    /// Checks the scene for drawing; refuses a raster wider than [`MAX_SIDE`], taller than
    /// [`MAX_HEIGHT`] or of more than `max_pixels`, saying what to do instead.
    pub(crate) fn new(
        scene: &'a Scene,
        format: &'static str,
        max_pixels: u64,
    ) -> Result<Raster<'a>, ExportError> {
        let (w, h) = pixel_size(scene);
        if w > MAX_SIDE || h > MAX_HEIGHT {
            return Err(encode_error(
                format,
                format!(
                    "{w}×{h} pixels is too large (at most {MAX_SIDE} wide and {MAX_HEIGHT} \
                     tall); choose a smaller size, or export SVG or PDF, which have no pixel \
                     limit"
                ),
            ));
        }
        let pixels = u64::from(w) * u64::from(h);
        if pixels > max_pixels {
            return Err(encode_error(
                format,
                format!(
                    "{w}×{h} pixels ({:.0} megapixels) is too large to rasterise; the limit is \
                     {} megapixels (A4 at 600 dpi is 35): choose a smaller --width/--height or \
                     --dpi, or export SVG or PDF, which have no pixel limit",
                    pixels as f64 / 1e6,
                    max_pixels / 1_000_000
                ),
            ));
        }
        let options = usvg::Options {
            font_family: fonts::FAMILY.to_string(),
            fontdb: fontdb(),
            dpi: scene.dpi,
            ..usvg::Options::default()
        };
        Ok(Raster {
            format,
            scene,
            options,
            width: w,
            height: h,
        })
    }

    /// Draws rows `top .. top + rows` (clipped to the raster) as straight-alpha RGBA.
    ///
    /// A strip is drawn with [`STRIP_OVERLAP`] more rows above and below, then cut: the
    /// rasteriser's anti-aliasing differs in the last rows before a pixmap's edge, and a
    /// figure drawn in strips must have the pixels of the figure drawn whole.
    pub(crate) fn rows(&self, top: u32, rows: u32) -> Result<Vec<u8>, ExportError> {
        let rows = rows.min(self.height.saturating_sub(top)).max(1);
        let from = top.saturating_sub(STRIP_OVERLAP);
        let to = (top + rows + STRIP_OVERLAP).min(self.height);
        let svg = if from == 0 && to == self.height {
            to_svg(self.scene)
        } else {
            to_svg(&self.items_between(from, to))
        };
        let tree = usvg::Tree::from_str(&svg, &self.options).map_err(|e| {
            encode_error(self.format, format!("the figure's SVG did not parse: {e}"))
        })?;
        let (sx, sy) = (
            self.width as f32 / tree.size().width(),
            self.height as f32 / tree.size().height(),
        );
        let mut pixmap = tiny_skia::Pixmap::new(self.width, to - from).ok_or_else(|| {
            encode_error(
                self.format,
                format!("cannot allocate {}×{} pixels", self.width, to - from),
            )
        })?;
        let transform =
            tiny_skia::Transform::from_scale(sx, sy).post_translate(0.0, -(from as f32));
        resvg::render(&tree, transform, &mut pixmap.as_mut());
        let mut rgba = pixmap.take_demultiplied();
        let row = self.width as usize * 4;
        let skip = (top - from) as usize * row;
        rgba.truncate(skip + rows as usize * row);
        rgba.drain(..skip);
        Ok(rgba)
    }

    /// The scene with only the items that reach into raster rows `from .. to`.
    fn items_between(&self, from: u32, to: u32) -> Scene {
        let per_px = self.scene.height / self.height as f32;
        let (y0, y1) = (from as f32 * per_px, to as f32 * per_px);
        let items = self
            .scene
            .items
            .iter()
            .filter(|it| {
                let b = it.shape.bounds();
                b.max.y + PAINT_MARGIN >= y0 && b.min.y - PAINT_MARGIN <= y1
            })
            .cloned()
            .collect();
        Scene {
            width: self.scene.width,
            height: self.scene.height,
            background: self.scene.background,
            dpi: self.scene.dpi,
            items,
            plot: self.scene.plot,
            time_axis: self.scene.time_axis.clone(),
            left_out: Default::default(),
        }
    }

    /// Draws the whole raster.
    pub(crate) fn whole(&self) -> Result<Vec<u8>, ExportError> {
        self.rows(0, self.height)
    }

    /// Draws the raster a strip of at most `strip` rows at a time, top to bottom, handing each
    /// strip's RGBA to `sink`: memory holds one strip, never the whole figure.
    pub(crate) fn strips(
        &self,
        strip: u32,
        mut sink: impl FnMut(&[u8]) -> Result<(), ExportError>,
    ) -> Result<(), ExportError> {
        let strip = strip.max(1);
        let mut top = 0;
        while top < self.height {
            sink(&self.rows(top, strip)?)?;
            top += strip;
        }
        Ok(())
    }

    /// Width and height in pixels.
    pub(crate) fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }
}

/// Rasterises the scene in memory: (width, height, RGBA8 pixels with straight alpha, row by
/// row), at most [`MAX_PIXELS`]. The viewer's clipboard copy uses this; files are drawn in
/// strips ([`to_png`], the TIFF exporter).
pub fn render_rgba(scene: &Scene) -> Result<(u32, u32, Vec<u8>), ExportError> {
    let raster = Raster::new(scene, "PNG", MAX_PIXELS)?;
    let (w, h) = raster.size();
    Ok((w, h, raster.whole()?))
}

/// Pixels per metre for a DPI, as PNG's `pHYs` chunk writes it.
pub fn pixels_per_metre(dpi: f32) -> u32 {
    if dpi.is_finite() && dpi > 0.0 {
        (dpi as f64 / 0.0254).round() as u32
    } else {
        (96.0f64 / 0.0254).round() as u32
    }
}

/// A PNG encoder for `width`×`height` RGBA carrying `dpi`, writing into `bytes`.
fn png_encoder(
    bytes: &mut Vec<u8>,
    width: u32,
    height: u32,
    dpi: f32,
) -> png::Encoder<'_, &mut Vec<u8>> {
    let mut enc = png::Encoder::new(bytes, width, height);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let ppm = pixels_per_metre(dpi);
    enc.set_pixel_dims(Some(png::PixelDimensions {
        xppu: ppm,
        yppu: ppm,
        unit: png::Unit::Meter,
    }));
    enc
}

/// Encodes straight-alpha RGBA pixels as a PNG carrying `dpi`.
pub fn encode_png(width: u32, height: u32, rgba: &[u8], dpi: f32) -> Result<Vec<u8>, ExportError> {
    let err = |e: png::EncodingError| encode_error("PNG", e.to_string());
    let mut bytes = Vec::with_capacity(rgba.len() / 8);
    {
        let mut writer = png_encoder(&mut bytes, width, height, dpi)
            .write_header()
            .map_err(err)?;
        writer.write_image_data(rgba).map_err(err)?;
        writer.finish().map_err(err)?;
    }
    Ok(bytes)
}

/// Rasterises the scene and encodes it as a PNG with the scene's DPI, a strip of rows at a
/// time (at most [`MAX_FILE_PIXELS`]).
pub fn to_png(scene: &Scene) -> Result<Vec<u8>, ExportError> {
    let raster = Raster::new(scene, "PNG", MAX_FILE_PIXELS)?;
    let (w, h) = raster.size();
    let err = |e: std::io::Error| encode_error("PNG", e.to_string());
    let mut bytes = Vec::new();
    {
        let mut writer = png_encoder(&mut bytes, w, h, scene.dpi)
            .write_header()
            .map_err(|e| encode_error("PNG", e.to_string()))?;
        let mut stream = writer
            .stream_writer()
            .map_err(|e| encode_error("PNG", e.to_string()))?;
        raster.strips(STRIP_ROWS, |rgba| {
            std::io::Write::write_all(&mut stream, rgba).map_err(err)
        })?;
        stream
            .finish()
            .map_err(|e| encode_error("PNG", e.to_string()))?;
    }
    Ok(bytes)
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
            e.contains("20000×20000 pixels (400 megapixels) is too large to rasterise; the limit is 150 megapixels"),
            "{e}"
        );
        assert!(e.contains("export SVG or PDF"), "{e}");
        // Drawn whole in memory (the clipboard, TIFF): 36 megapixels at most.
        let e = render_rgba(&empty_scene(7000.0, 6000.0))
            .unwrap_err()
            .to_string();
        assert!(e.contains("the limit is 36 megapixels"), "{e}");
        let e = crate::export::tiff::to_tiff(&empty_scene(7000.0, 6000.0))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("TIFF") && e.contains("the limit is 36 megapixels"),
            "{e}"
        );
        assert!(render_rgba(&empty_scene(6000.0, 6000.0)).is_ok());
        // Too wide, or taller than any reader takes.
        let e = to_png(&empty_scene(20_001.0, 10.0))
            .unwrap_err()
            .to_string();
        assert!(e.contains("at most 20000 wide and 65535 tall"), "{e}");
        assert!(to_png(&empty_scene(100.0, 65_536.0)).is_err());
        assert!(to_png(&empty_scene(20_000.0, 10.0)).is_ok());
    }

    #[test]
    fn a_tall_figure_is_drawn_strip_by_strip_like_a_short_one() {
        // 100 × 40,000 px: taller than MAX_SIDE (a grown 800-lane swimmer), drawn in strips.
        let mut s = empty_scene(100.0, 40_000.0);
        for (y, h) in [
            (100.0, 30.0),
            (STRIP_ROWS as f32 - 7.0, 14.0),
            (39_990.0, 10.0),
        ] {
            s.items.push(Item {
                shape: Shape::Rect {
                    rect: crate::scene::Rect::from_xywh(20.0, y, 60.0, h),
                    corner: 0.0,
                    fill: Some(crate::scene::Color::rgb(255, 0, 0)),
                    stroke: None,
                },
                meaning: None,
            });
        }
        let bytes = to_png(&s).expect("a tall PNG is written");
        let (info, _, px) = decode(&bytes);
        assert_eq!((info.width, info.height), (100, 40_000));
        let at = |x: usize, y: usize| &px[(y * 100 + x) * 4..(y * 100 + x) * 4 + 4];
        let red = [255, 0, 0, 255];
        let white = [255, 255, 255, 255];
        // Across a strip boundary, at the very bottom, and nothing drawn twice or shifted.
        let b = STRIP_ROWS as usize;
        for y in [b - 7, b - 1, b, b + 6, 100, 129, 39_990, 39_999] {
            assert_eq!(at(50, y), &red, "row {y}");
        }
        for y in [b - 8, b + 7, 99, 130, 39_989, 20_000] {
            assert_eq!(at(50, y), &white, "row {y}");
        }
        assert_eq!(at(10, 39_995), &white);
    }

    #[test]
    fn strips_draw_the_same_pixels_as_the_whole_figure() {
        // Shapes and text across the strip boundaries, each strip drawing only its items.
        let mut s = empty_scene(300.0, 5_000.0);
        let b = STRIP_ROWS as f32;
        for (i, y) in [b - 20.0, b - 3.0, b + 9.0, 2.0 * b - 1.0, 4_990.0]
            .iter()
            .enumerate()
        {
            let mut shapes = sample_scene().items;
            for it in &mut shapes {
                it.shape.translate(i as f32 * 10.0, y - 150.0);
            }
            s.items.extend(shapes);
            s.items.push(Item {
                shape: Shape::Text(text("Cut at a strip 15.9 mo", 5.0, *y + 6.0, 14.0)),
                meaning: None,
            });
        }
        let (w, h, whole) = render_rgba(&s).expect("drawn whole");
        let (info, _, strips) = decode(&to_png(&s).expect("drawn in strips"));
        assert_eq!((info.width, info.height), (w, h));
        let diffs: Vec<(usize, u8, u8)> = whole
            .iter()
            .zip(&strips)
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .map(|(i, (a, b))| (i / 4 / w as usize, *a, *b))
            .collect();
        assert!(
            diffs.is_empty(),
            "{} bytes differ: {:?}",
            diffs.len(),
            &diffs[..diffs.len().min(40)]
        );
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

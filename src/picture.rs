//! Images decoded once, whole, into bounded memory: what the loader keeps for every output.
//!
//! A figure never shows an image at more than a few megapixels (thumbnails and the enlarged
//! view alike), so an image larger than [`MAX_KEPT_PIXELS`] is reduced while it is decoded:
//! a PNG row by row (never the whole file's pixels in memory, so a 381 KB "decompression
//! bomb" of 7000×7000 16-bit pixels costs a few megabytes, not 400), a JPEG within
//! [`MAX_JPEG_DECODE_BYTES`]. The reduced image is kept as an 8-bit PNG; a small image keeps
//! its own bytes. Every exporter (SVG, PNG, PDF, TIFF) and de-identification then work on
//! that one bounded image. An image is decoded to its last pixel before it is kept, so a
//! truncated or damaged file is a placeholder with the reason, never a half-drawn image.

use std::io::Cursor;

use crate::model::ImageData;

/// The most pixels an image is kept at (2048 × 2048): more than any figure draws.
pub const MAX_KEPT_PIXELS: u64 = 2048 * 2048;

/// The most bytes decoding one JPEG may allocate (JPEG is not decoded row by row here);
/// 96 MiB is a 32-megapixel colour photograph.
pub const MAX_JPEG_DECODE_BYTES: u64 = 96 * 1024 * 1024;

/// The most bytes the PNG decoder may allocate for its own buffers (rows, not the image).
const PNG_DECODER_BYTES: usize = 32 * 1024 * 1024;

/// `bytes` (a PNG or JPEG whose header said `width`×`height`) decoded in full and kept at
/// no more than [`MAX_KEPT_PIXELS`]; the reason when it does not decode to its end.
pub fn decode_bounded(
    bytes: Vec<u8>,
    mime: &'static str,
    width: u32,
    height: u32,
) -> Result<ImageData, String> {
    let factor = reduction(width, height);
    let reduced = match mime {
        "image/png" => png_reduced(&bytes, factor)?,
        _ => jpeg_reduced(&bytes, factor)?,
    };
    match reduced {
        None => Ok(ImageData {
            bytes: bytes.into(),
            mime,
            width,
            height,
        }),
        Some((w, h, rgba)) => Ok(ImageData {
            bytes: encode_rgba_png(w, h, &rgba)?.into(),
            mime: "image/png",
            width: w,
            height: h,
        }),
    }
}

/// The smallest whole factor that brings `w`×`h` within [`MAX_KEPT_PIXELS`].
pub fn reduction(w: u32, h: u32) -> u32 {
    let px = u64::from(w) * u64::from(h);
    let mut f = ((px as f64 / MAX_KEPT_PIXELS as f64).sqrt().ceil() as u32).max(1);
    while u64::from(w.div_ceil(f)) * u64::from(h.div_ceil(f)) > MAX_KEPT_PIXELS {
        f += 1;
    }
    f
}

fn damaged(e: impl std::fmt::Display) -> String {
    format!("the image is truncated or damaged ({e})")
}

/// Decodes a PNG row by row: `None` when it decoded whole and needs no reduction, else its
/// pixels reduced by `factor` as 8-bit RGBA.
fn png_reduced(bytes: &[u8], factor: u32) -> Result<Option<(u32, u32, Vec<u8>)>, String> {
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits {
            bytes: PNG_DECODER_BYTES,
        },
    );
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(damaged)?;
    let (w, h) = (reader.info().width, reader.info().height);
    let channels = reader.output_color_type().0.samples();
    let interlaced = reader.info().interlaced;
    let mut shrink = Shrink::new(w, h, channels, factor);
    if interlaced {
        // Adam7 rows arrive pass by pass: decode the whole frame (bounded by the decoder's
        // limit, so a large interlaced PNG is refused, not allocated).
        let size = reader
            .output_buffer_size()
            .filter(|&n| n <= PNG_DECODER_BYTES)
            .ok_or_else(|| {
                format!(
                    "an interlaced PNG of {w}×{h} pixels is too large to read; save it \
                     without interlacing"
                )
            })?;
        let mut buf = vec![0u8; size];
        let info = reader.next_frame(&mut buf).map_err(damaged)?;
        for row in buf.chunks_exact(info.line_size).take(h as usize) {
            shrink.push_row(row);
        }
    } else {
        while let Some(row) = reader.next_row().map_err(damaged)? {
            shrink.push_row(row.data());
        }
    }
    reader.finish().map_err(damaged)?;
    if shrink.rows != h {
        return Err(damaged("rows are missing"));
    }
    Ok((factor > 1).then(|| shrink.finish()))
}

/// Decodes a JPEG within [`MAX_JPEG_DECODE_BYTES`]: `None` when it needs no reduction.
fn jpeg_reduced(bytes: &[u8], factor: u32) -> Result<Option<(u32, u32, Vec<u8>)>, String> {
    // A JPEG cut short still decodes (the rest grey): it must end its last scan.
    let last_scan = bytes.windows(2).rposition(|m| m == [0xFF, 0xDA]);
    let end = bytes.windows(2).rposition(|m| m == [0xFF, 0xD9]);
    if !matches!((last_scan, end), (Some(s), Some(e)) if e > s) {
        return Err(damaged("it ends before its last scan does"));
    }
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), image::ImageFormat::Jpeg);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_JPEG_DECODE_BYTES);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => format!(
            "the JPEG needs more than {} MiB to decode; save a smaller copy (at most about \
             32 megapixels)",
            MAX_JPEG_DECODE_BYTES / (1024 * 1024)
        ),
        e => damaged(e),
    })?;
    if factor == 1 {
        return Ok(None);
    }
    let img = match img {
        image::DynamicImage::ImageLuma8(_) | image::DynamicImage::ImageRgb8(_) => img,
        other => image::DynamicImage::ImageRgb8(other.into_rgb8()),
    };
    let channels = img.color().channel_count();
    let (w, h) = (img.width(), img.height());
    let mut shrink = Shrink::new(w, h, usize::from(channels), factor);
    for row in img
        .as_bytes()
        .chunks_exact(w as usize * usize::from(channels))
    {
        shrink.push_row(row);
    }
    Ok(Some(shrink.finish()))
}

/// 8-bit RGBA pixels as a PNG without any metadata.
pub fn encode_rgba_png(w: u32, h: u32, rgba: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let mut wr = enc.write_header().map_err(|e| e.to_string())?;
    wr.write_image_data(rgba).map_err(|e| e.to_string())?;
    wr.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// A box filter fed one row at a time: each `factor`×`factor` block of input pixels
/// becomes one output pixel, colours averaged by their alpha (so transparent pixels do not
/// darken edges). Memory: one output row of sums, plus the output.
struct Shrink {
    width: u32,
    channels: usize,
    factor: u32,
    out_w: usize,
    sums: Vec<u64>,
    counts: Vec<u32>,
    rows: u32,
    out: Vec<u8>,
}

impl Shrink {
    fn new(width: u32, height: u32, channels: usize, factor: u32) -> Self {
        let out_w = width.div_ceil(factor) as usize;
        let out_h = height.div_ceil(factor) as usize;
        // Only a reduced image is kept; for factor 1 the rows are just checked.
        let keep = if factor > 1 { out_w * out_h * 4 } else { 0 };
        Shrink {
            width,
            channels,
            factor,
            out_w,
            sums: vec![0; out_w * 4],
            counts: vec![0; out_w],
            rows: 0,
            out: Vec::with_capacity(keep),
        }
    }

    fn push_row(&mut self, row: &[u8]) {
        self.rows += 1;
        if self.factor == 1 {
            return;
        }
        let f = self.factor as usize;
        for (x, px) in row
            .chunks_exact(self.channels)
            .take(self.width as usize)
            .enumerate()
        {
            let (r, g, b, a) = match *px {
                [l] => (l, l, l, 255),
                [l, a] => (l, l, l, a),
                [r, g, b] => (r, g, b, 255),
                [r, g, b, a, ..] => (r, g, b, a),
                _ => (0, 0, 0, 0),
            };
            let a = u64::from(a);
            let s = &mut self.sums[x / f * 4..x / f * 4 + 4];
            s[0] += u64::from(r) * a;
            s[1] += u64::from(g) * a;
            s[2] += u64::from(b) * a;
            s[3] += a;
            self.counts[x / f] += 1;
        }
        if self.rows.is_multiple_of(self.factor) {
            self.flush();
        }
    }

    fn flush(&mut self) {
        for (s, &n) in self.sums.chunks_exact_mut(4).zip(&self.counts) {
            let a = s[3];
            let c = |v: u64| v.checked_div(a).unwrap_or(0) as u8;
            self.out.extend_from_slice(&[
                c(s[0]),
                c(s[1]),
                c(s[2]),
                (a / u64::from(n.max(1))) as u8,
            ]);
            s.fill(0);
        }
        self.counts.fill(0);
    }

    fn finish(mut self) -> (u32, u32, Vec<u8>) {
        if !self.rows.is_multiple_of(self.factor) {
            self.flush();
        }
        let h = (self.out.len() / (self.out_w * 4).max(1)) as u32;
        (self.out_w as u32, h, self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `w`×`h` 16-bit RGBA PNG, written row by row: left half opaque red, right half
    /// transparent.
    pub(crate) fn big_png16(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Sixteen);
        enc.set_compression(png::Compression::Fast);
        let mut wr = enc.write_header().unwrap();
        let mut row = Vec::with_capacity(w as usize * 8);
        for x in 0..w {
            let px: [u16; 4] = if x < w / 2 {
                [65535, 0, 0, 65535]
            } else {
                [0, 0, 65535, 0]
            };
            for v in px {
                row.extend_from_slice(&v.to_be_bytes());
            }
        }
        {
            let mut sw = wr.stream_writer().unwrap();
            for _ in 0..h {
                std::io::Write::write_all(&mut sw, &row).unwrap();
            }
            sw.finish().unwrap();
        }
        drop(wr);
        out
    }

    fn decode_rgba(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let img = image::load_from_memory(bytes).unwrap();
        (img.width(), img.height(), img.into_rgba8().into_raw())
    }

    #[test]
    fn large_images_are_reduced_while_decoding() {
        let png = big_png16(3000, 2000);
        let d = decode_bounded(png, "image/png", 3000, 2000).unwrap();
        assert_eq!((d.width, d.height, d.mime), (1500, 1000, "image/png"));
        assert!(u64::from(d.width) * u64::from(d.height) <= MAX_KEPT_PIXELS);
        let (w, h, px) = decode_rgba(&d.bytes);
        assert_eq!((w, h), (1500, 1000));
        // 8-bit now; red stays red and opaque, the transparent half stays transparent.
        assert_eq!(&px[..4], &[255, 0, 0, 255]);
        assert_eq!(px[(w as usize - 1) * 4 + 3], 0);
    }

    #[test]
    fn small_images_keep_their_bytes() {
        let png = big_png16(40, 30);
        let d = decode_bounded(png.clone(), "image/png", 40, 30).unwrap();
        assert_eq!(&d.bytes[..], &png[..]);
    }

    #[test]
    fn truncated_images_are_refused_not_half_drawn() {
        let png = big_png16(300, 200);
        let cut = png[..png.len() * 2 / 3].to_vec();
        let e = decode_bounded(cut, "image/png", 300, 200).unwrap_err();
        assert!(e.starts_with("the image is truncated or damaged"), "{e}");

        let mut jpeg = Vec::new();
        image::RgbImage::from_pixel(64, 48, image::Rgb([10, 200, 30]))
            .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
            .unwrap();
        assert!(decode_bounded(jpeg.clone(), "image/jpeg", 64, 48).is_ok());
        let cut = jpeg[..jpeg.len() - 40].to_vec();
        let e = decode_bounded(cut, "image/jpeg", 64, 48).unwrap_err();
        assert!(e.starts_with("the image is truncated or damaged"), "{e}");
    }

    #[test]
    fn reduction_keeps_within_the_limit() {
        for (w, h) in [
            (7000, 7000),
            (2048, 2048),
            (2049, 2048),
            (50_000, 1000),
            (1, 1),
        ] {
            let f = reduction(w, h);
            assert!(u64::from(w.div_ceil(f)) * u64::from(h.div_ceil(f)) <= MAX_KEPT_PIXELS);
        }
        assert_eq!(reduction(2048, 2048), 1);
        assert_eq!(reduction(7000, 7000), 4);
    }
}

//! TIFF export: the scene rasterised and written as an LZW-compressed TIFF with its DPI.
//!
//! The pixels are the PNG export's ([`super::png::Raster`]), so both raster formats show
//! the same figure. An opaque figure is written as RGB; a transparent one (no
//! background) as RGBA with unassociated alpha. `XResolution`/`YResolution` carry the
//! scene's DPI with `ResolutionUnit` = inch. LZW with the horizontal predictor, one strip
//! group per ~1 MB, no date or software tag: the same scene gives the same bytes.

use std::io::Cursor;

use tiff::encoder::colortype::{RGB8, RGBA8};
use tiff::encoder::{Compression, Predictor, Rational, TiffEncoder};
use tiff::tags::{ExtraSamples, ResolutionUnit, Tag};

use super::ExportError;
use super::png::{MAX_PIXELS, Raster};
use crate::scene::Scene;

/// Rasterises the scene and writes it as a TIFF.
///
/// The whole raster is drawn at once (at most [`MAX_PIXELS`]): the `tiff` crate compresses
/// only what it is given whole, so TIFF cannot be streamed a strip at a time as PNG is.
pub fn to_tiff(scene: &Scene) -> Result<Vec<u8>, ExportError> {
    let raster = Raster::new(scene, "TIFF", MAX_PIXELS)?;
    let (w, h) = raster.size();
    let rgba = raster.whole()?;
    encode_tiff(w, h, &rgba, scene.dpi, scene.background.is_none())
}

/// Encodes straight-alpha RGBA pixels as an LZW TIFF carrying `dpi`; with `keep_alpha`
/// false the alpha channel is dropped (the figure is opaque).
pub fn encode_tiff(
    width: u32,
    height: u32,
    rgba: &[u8],
    dpi: f32,
    keep_alpha: bool,
) -> Result<Vec<u8>, ExportError> {
    let err = |e: tiff::TiffError| ExportError::Encode {
        format: "TIFF",
        message: e.to_string(),
    };
    let expected = width as usize * height as usize * 4;
    if rgba.len() != expected {
        return Err(ExportError::Encode {
            format: "TIFF",
            message: format!(
                "{} bytes of pixels for {width}×{height} (expected {expected})",
                rgba.len()
            ),
        });
    }
    let resolution = dpi_rational(dpi);
    let mut out = Cursor::new(Vec::with_capacity(rgba.len() / 8));
    {
        let mut enc = TiffEncoder::new(&mut out)
            .map_err(err)?
            .with_compression(Compression::Lzw)
            .with_predictor(Predictor::Horizontal);
        if keep_alpha {
            let mut img = enc.new_image::<RGBA8>(width, height).map_err(err)?;
            img.encoder()
                .write_tag(Tag::ExtraSamples, ExtraSamples::UnassociatedAlpha.to_u16())
                .map_err(err)?;
            write_resolution(img.encoder(), resolution).map_err(err)?;
            img.write_data(rgba).map_err(err)?;
        } else {
            let rgb: Vec<u8> = rgba
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect();
            let mut img = enc.new_image::<RGB8>(width, height).map_err(err)?;
            write_resolution(img.encoder(), resolution).map_err(err)?;
            img.write_data(&rgb).map_err(err)?;
        }
    }
    Ok(out.into_inner())
}

fn write_resolution<W: std::io::Write + std::io::Seek, K: tiff::encoder::TiffKind>(
    dir: &mut tiff::encoder::DirectoryEncoder<'_, W, K>,
    resolution: Rational,
) -> tiff::TiffResult<()> {
    dir.write_tag(Tag::ResolutionUnit, ResolutionUnit::Inch.to_u16())?;
    dir.write_tag(Tag::XResolution, resolution.clone())?;
    dir.write_tag(Tag::YResolution, resolution)
}

/// The DPI as a TIFF rational (hundredths kept: 299.99 dpi stays exact enough).
fn dpi_rational(dpi: f32) -> Rational {
    let dpi = if dpi.is_finite() && dpi > 0.0 {
        dpi
    } else {
        96.0
    };
    let n = (dpi as f64 * 100.0).round().clamp(1.0, u32::MAX as f64) as u32;
    if n.is_multiple_of(100) {
        Rational { n: n / 100, d: 1 }
    } else {
        Rational { n, d: 100 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpi_is_an_exact_rational() {
        let r = dpi_rational(600.0);
        assert_eq!((r.n, r.d), (600, 1));
        let r = dpi_rational(299.5);
        assert_eq!((r.n, r.d), (29950, 100));
        let r = dpi_rational(f32::NAN);
        assert_eq!((r.n, r.d), (96, 1));
    }

    #[test]
    fn wrong_pixel_count_is_an_error() {
        assert!(encode_tiff(2, 2, &[0; 15], 300.0, false).is_err());
    }

    #[test]
    fn transparent_pixels_keep_their_alpha() {
        let px = [10, 20, 30, 0, 40, 50, 60, 255];
        let bytes = encode_tiff(2, 1, &px, 300.0, true).expect("tiff");
        let mut d = tiff::decoder::Decoder::new(Cursor::new(bytes)).expect("decoder");
        assert_eq!(d.colortype().expect("colour"), tiff::ColorType::RGBA(8));
        match d.read_image().expect("pixels") {
            tiff::decoder::DecodingResult::U8(v) => assert_eq!(v, px),
            _ => panic!("8-bit samples expected"),
        }
    }
}

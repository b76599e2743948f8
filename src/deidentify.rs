//! De-identification: a copy of a timeline with no calendar date, name or identifier left
//! in it, for figures that leave the clinic, and a [`Report`] of every replacement made.
//!
//! What changes (everything else, in particular every day number, stays, so lengths and
//! positions in the figure are the same):
//! - `day_zero` is dropped, so every output shows time relative to day 0 only;
//! - `source` is dropped (it names the file and folder);
//! - the patient id and label become the pseudonym (default `"Patient"`); the age becomes
//!   a 5-year band (`"45–49"`, `"≥90"`);
//! - every free-text field (diagnosis, stage, sex, phase names, details, lanes, labels,
//!   notes, criteria, methods, measurement names and units, captions) is scrubbed by
//!   [`Scrubber`], which fails closed: dates and their parts, times, ages, every word of
//!   the patient's name and id, the id inside longer words, identifier-like numbers and
//!   contacts are replaced (the rules: [`scrub`]);
//! - images are decoded and re-encoded as PNG from their pixels alone, so no EXIF, text
//!   chunk or other metadata survives; their paths (which often carry dates) are replaced.
//!
//! Pixels can still show identifiers burned into the image (names, dates on a scan): see
//! [`BURNED_IN_WARNING`].

mod fields;
mod key;
pub mod report;
pub mod scrub;
pub mod words;

pub use report::Report;
pub use scrub::{Change, Scrubbed, Scrubber};

use std::sync::Arc;

use crate::model::{ImageData, Timeline};

/// The pseudonym used when the user gives none.
pub const DEFAULT_PSEUDONYM: &str = "Patient";

/// What replaces a date-like string in free text.
pub const DATE_PLACEHOLDER: &str = words::DATE;

/// The warning every de-identified export shows: metadata is removed, pixels are not read.
pub const BURNED_IN_WARNING: &str = "de-identified: dates, id, label and image metadata were removed, \
but images may still show identifiers burned into their pixels (names, dates, accession \
numbers); check every image before sharing the figure";

/// Returns a de-identified copy: no `day_zero` (so every output is relative to day 0), the
/// patient id and label replaced by `pseudonym` (default "Patient"), age as a 5-year band,
/// dates, ages, names and identifiers removed from free text (see [`scrub`]), images
/// re-encoded without metadata.
pub fn deidentify(timeline: &Timeline, pseudonym: Option<&str>) -> Timeline {
    deidentify_with_report(timeline, pseudonym).0
}

/// [`deidentify`], and the [`Report`] of every replacement made.
pub fn deidentify_with_report(timeline: &Timeline, pseudonym: Option<&str>) -> (Timeline, Report) {
    let mut t = timeline.clone();
    let report = fields::scrub_fields(&mut t, pseudonym_or_default(pseudonym));
    t.source = None;
    t.day_zero = None;

    for (n, im) in t.images.iter_mut().enumerate() {
        im.path = format!("image {}", n + 1);
        im.data = match &im.data {
            Ok(data) => strip_image(data)
                .map(Arc::new)
                .ok_or_else(|| "the image could not be read".to_string()),
            // The message may name the path (and so a date): say only what happened.
            Err(_) => Err("the image could not be read".to_string()),
        };
    }
    (t, report)
}

/// The [`Report`] of [`deidentify`] alone, without re-encoding images: what the viewer's
/// export dialog counts and saves.
pub fn report_of(timeline: &Timeline, pseudonym: Option<&str>) -> Report {
    let mut t = timeline.clone();
    t.images
        .iter_mut()
        .for_each(|im| im.data = Err(String::new()));
    fields::scrub_fields(&mut t, pseudonym_or_default(pseudonym))
}

fn pseudonym_or_default(pseudonym: Option<&str>) -> &str {
    pseudonym
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .unwrap_or(DEFAULT_PSEUDONYM)
}

/// The 5-year band of an age: `"45–49"`; 90 and over is `"≥90"`.
pub fn age_band(age: u32) -> String {
    if age >= 90 {
        "≥90".to_string()
    } else {
        let lo = age / 5 * 5;
        format!("{lo}–{}", lo + 4)
    }
}

/// The image decoded and re-encoded as PNG from its pixels alone (no metadata chunks).
/// `None` when the bytes do not decode.
pub fn strip_image(data: &ImageData) -> Option<ImageData> {
    let img = image::load_from_memory(&data.bytes).ok()?;
    let (width, height) = (img.width(), img.height());
    let (grey, alpha) = (!img.color().has_color(), img.color().has_alpha());
    let (color, pixels) = match (grey, alpha) {
        (true, false) => (png::ColorType::Grayscale, img.into_luma8().into_raw()),
        (true, true) => (
            png::ColorType::GrayscaleAlpha,
            img.into_luma_alpha8().into_raw(),
        ),
        (false, true) => (png::ColorType::Rgba, img.into_rgba8().into_raw()),
        (false, false) => (png::ColorType::Rgb, img.into_rgb8().into_raw()),
    };
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(color);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().ok()?;
        w.write_image_data(&pixels).ok()?;
        w.finish().ok()?;
    }
    Some(ImageData {
        bytes: out.into(),
        mime: "image/png",
        width,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_bands() {
        assert_eq!(age_band(0), "0–4");
        assert_eq!(age_band(4), "0–4");
        assert_eq!(age_band(45), "45–49");
        assert_eq!(age_band(49), "45–49");
        assert_eq!(age_band(50), "50–54");
        assert_eq!(age_band(89), "85–89");
        assert_eq!(age_band(90), "≥90");
        assert_eq!(age_band(104), "≥90");
    }

    fn png_with_text_chunk() -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, 4, 3);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.add_text_chunk("Comment".into(), "P1 scanned 2021-03-15".into())
            .expect("text chunk");
        enc.add_itxt_chunk("Author".into(), "Jane Doe".into())
            .expect("itxt chunk");
        let mut w = enc.write_header().expect("header");
        let px: Vec<u8> = (0..36).map(|v| (v * 7) as u8).collect();
        w.write_image_data(&px).expect("pixels");
        w.finish().expect("finish");
        out
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn stripped_png_keeps_pixels_and_loses_text_chunks() {
        let bytes = png_with_text_chunk();
        assert!(contains(&bytes, b"2021-03-15") && contains(&bytes, b"Jane Doe"));
        let original = ImageData {
            bytes: bytes.clone().into(),
            mime: "image/png",
            width: 4,
            height: 3,
        };
        let s = strip_image(&original).expect("re-encodes");
        assert_eq!((s.mime, s.width, s.height), ("image/png", 4, 3));
        for needle in [
            &b"2021-03-15"[..],
            b"Jane Doe",
            b"tEXt",
            b"iTXt",
            b"zTXt",
            b"eXIf",
        ] {
            assert!(!contains(&s.bytes, needle));
        }
        let a = image::load_from_memory(&bytes).unwrap().to_rgba8();
        let b = image::load_from_memory(&s.bytes).unwrap().to_rgba8();
        assert!(a == b);
    }

    #[test]
    fn stripped_jpeg_loses_exif() {
        // A JPEG with an EXIF (APP1) segment carrying a date, right after SOI.
        let img =
            image::RgbImage::from_fn(8, 8, |x, y| image::Rgb([x as u8 * 30, y as u8 * 30, 90]));
        let mut jpeg = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(
                &mut std::io::Cursor::new(&mut jpeg),
                image::ImageFormat::Jpeg,
            )
            .expect("jpeg");
        let payload = b"Exif\0\0MM\0*\0\0\0\x08 DateTimeOriginal 2021:03:15 10:00:00 P1";
        let mut app1 = vec![0xff, 0xe1];
        app1.extend(((payload.len() + 2) as u16).to_be_bytes());
        app1.extend_from_slice(payload);
        let mut with_exif = jpeg[..2].to_vec();
        with_exif.extend(app1);
        with_exif.extend_from_slice(&jpeg[2..]);
        let original = ImageData {
            bytes: with_exif.into(),
            mime: "image/jpeg",
            width: 8,
            height: 8,
        };
        let s = strip_image(&original).expect("re-encodes");
        assert_eq!(s.mime, "image/png");
        assert_eq!(&s.bytes[1..4], b"PNG");
        assert!(!contains(&s.bytes, b"2021:03:15"));
        assert!(!contains(&s.bytes, b"Exif"));
    }

    #[test]
    fn undecodable_image_becomes_a_placeholder() {
        let bad = ImageData {
            bytes: vec![0u8; 10].into(),
            mime: "image/png",
            width: 1,
            height: 1,
        };
        assert_eq!(strip_image(&bad), None);
    }
}

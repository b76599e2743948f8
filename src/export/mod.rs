//! Export: the scene written as SVG, PNG, PDF and TIFF, and files written atomically.
//!
//! Every format paints the one [`crate::scene::Scene`] layout made; none decides
//! geometry or wording.

pub mod atomic;
pub mod pdf;
mod pdf_fonts;
pub mod png;
pub mod svg;
mod svg_glyphs;
pub mod tiff;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::scene::Scene;

pub use atomic::write_atomic;
pub use png::{render_rgba, to_png};
pub use svg::to_svg;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Rendering or encoding failed.
    #[error("could not encode the figure as {format}: {message}")]
    Encode {
        /// The format being written ("PNG", "PDF", ...).
        format: &'static str,
        /// What went wrong.
        message: String,
    },
    /// Writing the file failed.
    #[error("could not write {path}: {source}")]
    Io {
        /// The file being written.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The output would overwrite an input file.
    #[error("refusing to overwrite the input file {0}; choose another output name")]
    WouldOverwriteInput(String),
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Format {
    /// Portable Network Graphics with its DPI.
    Png,
    /// Scalable Vector Graphics, self-contained.
    Svg,
    /// PDF, one vector page.
    Pdf,
    /// TIFF, LZW-compressed, with its DPI.
    Tiff,
}

impl Format {
    /// Every value, in the order of the declaration (the order shown to users).
    pub const ALL: &'static [Format] = <Format as strum::VariantArray>::VARIANTS;

    /// The name used on the command line (`png`, `svg`, `pdf`, `tiff`).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// What the format is, in `--help` and the viewer.
    pub fn description(self) -> &'static str {
        match self {
            Format::Svg => "Self-contained SVG",
            Format::Png => "PNG with its DPI",
            Format::Pdf => "Vector PDF",
            Format::Tiff => "TIFF with its DPI",
        }
    }

    /// The file extension written (without the dot).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Pdf => "pdf",
            Format::Tiff => "tif",
        }
    }

    /// The format a file name's extension stands for (`.png`, `.svg`, `.pdf`, `.tif`,
    /// `.tiff`; any case), if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Some(Format::Svg),
            "png" => Some(Format::Png),
            "pdf" => Some(Format::Pdf),
            "tif" | "tiff" => Some(Format::Tiff),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let lower = s.to_ascii_lowercase();
        if lower == "tif" {
            return Ok(Format::Tiff);
        }
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.name() == lower)
            .ok_or_else(|| {
                let names: Vec<_> = Format::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "unknown format \"{s}\"; expected one of {}",
                    names.join(", ")
                )
            })
    }
}

/// A file-name stem made safe from any text (a patient id, say): surrounding spaces
/// trimmed, letters, digits, `-`, `_` and `.` kept, anything else `_`, at most 100
/// characters, no leading dot (so no hidden file and no `..`) and no leading `-` (each
/// becomes `_`, so no name reads as an option). May be empty or have no
/// letter or digit left; callers then choose a name of their own.
pub fn safe_stem(text: &str) -> String {
    let s: String = text
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    // No hidden file (`.x`), and no name a shell would read as an option (`-rf.png`).
    let s = s.trim_start_matches('.');
    let dashes = s.len() - s.trim_start_matches('-').len();
    format!("{}{}", "_".repeat(dashes), &s[dashes..])
}

/// Writes the scene in a format, as the bytes of a file.
pub fn encode(scene: &Scene, format: Format) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Svg => Ok(to_svg(scene).into_bytes()),
        Format::Png => to_png(scene),
        Format::Pdf => pdf::to_pdf(scene),
        Format::Tiff => tiff::to_tiff(scene),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_names_and_paths() {
        assert_eq!(Format::from_path(Path::new("a/b.PNG")), Some(Format::Png));
        assert_eq!(Format::from_path(Path::new("b.tiff")), Some(Format::Tiff));
        assert_eq!(Format::from_path(Path::new("b.tif")), Some(Format::Tiff));
        assert_eq!(Format::from_path(Path::new("b.jpg")), None);
        assert_eq!(Format::from_path(Path::new("b")), None);
        assert_eq!("SVG".parse::<Format>(), Ok(Format::Svg));
        assert!(
            "jpeg"
                .parse::<Format>()
                .unwrap_err()
                .contains("png, svg, pdf, tiff")
        );
    }

    #[test]
    fn safe_stems() {
        assert_eq!(safe_stem(" P1 "), "P1");
        assert_eq!(safe_stem("../etc/passwd"), "_etc_passwd");
        assert_eq!(safe_stem("a b/c.d"), "a_b_c.d");
        assert_eq!(safe_stem(".hidden"), "hidden");
        // A patient id like an option must not give a file named like one.
        assert_eq!(safe_stem("-rf"), "_rf");
        assert_eq!(safe_stem("--help"), "__help");
        assert_eq!(safe_stem(".-x"), "_x");
        assert_eq!(safe_stem("P-1"), "P-1");
        assert_eq!(safe_stem(&"é".repeat(300)).chars().count(), 100);
    }

    #[test]
    fn encode_writes_svg_and_png() {
        let scene = svg::tests::sample_scene();
        let svg = encode(&scene, Format::Svg).expect("svg");
        assert!(svg.starts_with(b"<?xml"));
        let png = encode(&scene, Format::Png).expect("png");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }
}

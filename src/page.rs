//! Page sizes: the figure's pixel size, resolution and smallest legible text, and the
//! named presets for slides and journals.

use std::fmt;
use std::str::FromStr;

/// The page a figure is laid out on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Page {
    /// Width in pixels.
    pub width: f32,
    /// Height in pixels; `None` lets layout choose the height the content needs.
    pub height: Option<f32>,
    /// Pixels per inch of the intended output (written into PNG/TIFF/PDF).
    pub dpi: f32,
    /// The smallest text size layout may use, in pixels.
    pub min_text_px: f32,
}

/// Smallest text on a slide, in pixels.
pub const SLIDE_MIN_TEXT_PX: f32 = 14.0;

/// The largest side `--width`/`--height` accept, and the widest raster drawn, in pixels (a
/// 600 dpi full-page figure is ~5,000).
pub const MAX_SIDE: u32 = 20_000;
/// Smallest text in print, in points.
pub const PRINT_MIN_TEXT_PT: f32 = 6.0;

impl Page {
    /// A screen or slide page of a given pixel size (96 dpi, text ≥ 14 px).
    pub fn pixels(width: f32, height: f32) -> Self {
        Page {
            width,
            height: Some(height),
            dpi: 96.0,
            min_text_px: SLIDE_MIN_TEXT_PX,
        }
    }

    /// A print page `width_mm` wide at `dpi`, height chosen by layout, text ≥ 6 pt.
    pub fn print(width_mm: f32, dpi: f32) -> Self {
        Page {
            width: (width_mm / 25.4 * dpi).round(),
            height: None,
            dpi,
            min_text_px: PRINT_MIN_TEXT_PT / 72.0 * dpi,
        }
    }
}

/// Named page presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::VariantArray, strum::IntoStaticStr)]
pub enum Preset {
    /// 1920×1080.
    #[strum(serialize = "slide-16x9")]
    Slide16x9,
    /// 1600×1200.
    #[strum(serialize = "slide-4x3")]
    Slide4x3,
    /// 85 mm wide at 300 dpi.
    #[strum(serialize = "journal-1col")]
    Journal1col,
    /// 174 mm wide at 300 dpi.
    #[strum(serialize = "journal-2col")]
    Journal2col,
    /// 85 mm wide at 600 dpi.
    #[strum(serialize = "journal-1col-600")]
    Journal1col600,
    /// 174 mm wide at 600 dpi.
    #[strum(serialize = "journal-2col-600")]
    Journal2col600,
}

impl Preset {
    /// Every value, in the order of the declaration (the order shown to users).
    pub const ALL: &'static [Preset] = <Preset as strum::VariantArray>::VARIANTS;

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The page.
    pub fn page(self) -> Page {
        match self {
            Preset::Slide16x9 => Page::pixels(1920.0, 1080.0),
            Preset::Slide4x3 => Page::pixels(1600.0, 1200.0),
            Preset::Journal1col => Page::print(85.0, 300.0),
            Preset::Journal2col => Page::print(174.0, 300.0),
            Preset::Journal1col600 => Page::print(85.0, 600.0),
            Preset::Journal2col600 => Page::print(174.0, 600.0),
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Preset {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Preset::ALL
            .iter()
            .copied()
            .find(|p| p.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Preset::ALL.iter().map(|p| p.name()).collect();
                format!(
                    "unknown preset \"{s}\"; expected one of {}",
                    names.join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_presets_have_print_sizes() {
        let p = Preset::Journal1col.page();
        assert_eq!(p.width, 1004.0);
        assert_eq!(p.dpi, 300.0);
        assert_eq!(p.min_text_px, 25.0);
        assert_eq!(Preset::Journal2col600.page().width, 4110.0);
        assert_eq!("slide-4x3".parse::<Preset>(), Ok(Preset::Slide4x3));
        assert!(
            "slide"
                .parse::<Preset>()
                .unwrap_err()
                .contains("slide-16x9")
        );
    }
}

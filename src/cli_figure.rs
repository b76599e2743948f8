//! The figure options `export` and `cohort` share — format, page size (preset or pixels
//! and DPI), theme, background — and the rules that read them: the page asked for, the
//! output's format from `--format` or its extension, the raster size limit. One definition,
//! so the two commands cannot drift apart.

use std::path::Path;

use clap::builder::PossibleValue;
use clap::{Args, ValueEnum};

use crate::export::{self, Format};
use crate::layout::AxisMode;
use crate::page::{PRINT_MIN_TEXT_PT, Page, Preset, SLIDE_MIN_TEXT_PX};
use crate::theme::ThemeKind;

/// The figure options `export` and `cohort` share: format, page size, theme, background.
#[derive(Debug, Args)]
pub struct FigureArgs {
    /// Output format [default: from OUT's extension, else png].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Page size: slide-16x9 (1920×1080, the default), slide-4x3 (1600×1200),
    /// journal-1col / journal-2col (85 / 174 mm at 300 dpi), journal-1col-600 / journal-2col-600.
    #[arg(long, value_name = "NAME", value_parser = parse_preset, conflicts_with_all = ["width", "height", "dpi"])]
    pub preset: Option<Preset>,
    /// Figure width in pixels (instead of --preset).
    #[arg(long, value_name = "PX", value_parser = clap::value_parser!(u32).range(100..=export::png::MAX_SIDE as i64))]
    pub width: Option<u32>,
    /// Figure height in pixels; without it the height is what the content needs.
    #[arg(long, value_name = "PX", requires = "width", value_parser = clap::value_parser!(u32).range(100..=export::png::MAX_SIDE as i64))]
    pub height: Option<u32>,
    /// Resolution written into the file with --width [default: 96].
    #[arg(long, value_name = "DPI", requires = "width", value_parser = parse_dpi)]
    pub dpi: Option<f32>,
    /// Colours: light (white page, for slides), dark, or print (reads in greyscale).
    #[arg(long, value_enum, default_value_t = ThemeKind::Light)]
    pub theme: ThemeKind,
    /// No page background.
    #[arg(long)]
    pub transparent: bool,
    /// Fonts after the bundled DejaVu Sans.
    #[command(flatten)]
    pub fonts: FontArgs,
}

/// The fonts tried after the bundled DejaVu Sans, character by character (docs/fonts.md).
#[derive(Debug, Clone, Default, Args)]
pub struct FontArgs {
    /// A font file (.ttf, .otf, .ttc) for characters DejaVu Sans lacks, e.g. Chinese;
    /// repeat to try several in order, before any installed font.
    #[arg(long = "font", id = "font", value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
    /// Use only DejaVu Sans and the --font files, never installed fonts (the same figure
    /// on every machine).
    #[arg(long)]
    pub no_system_fonts: bool,
}

impl FontArgs {
    /// Chooses these fonts for the run; a font file that cannot be used is a usage error
    /// (its message says why).
    pub fn apply(&self) -> Result<(), crate::fonts::FontError> {
        crate::fonts::configure(&crate::fonts::FontOptions {
            files: self.files.clone(),
            no_system: self.no_system_fonts,
        })
    }
}

/// A core enum as a command-line value: the values, their order, their spelling and their
/// help are the core type's own (`ALL`, `name()`, `description()`), so `--help`, the parser
/// and the rest of txline cannot disagree. `$aliases` are extra spellings accepted.
macro_rules! value_enum_from_core {
    ($t:ty, $aliases:expr) => {
        impl ValueEnum for $t {
            fn value_variants<'a>() -> &'a [Self] {
                &<$t>::ALL
            }
            fn to_possible_value(&self) -> Option<PossibleValue> {
                let aliases: fn(&$t) -> &'static [&'static str] = $aliases;
                Some(
                    PossibleValue::new(self.name())
                        .help(self.description())
                        .aliases(aliases(self).iter().copied()),
                )
            }
        }
    };
}

value_enum_from_core!(Format, |f| if *f == Format::Tiff { &["tif"] } else { &[] });
value_enum_from_core!(ThemeKind, |_| &[]);
value_enum_from_core!(AxisMode, |_| &[]);

pub(crate) fn parse_preset(s: &str) -> Result<Preset, String> {
    s.parse()
}

pub(crate) fn parse_dpi(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(v) if (36.0..=2400.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "\"{s}\" is not a resolution; write a number of dots per inch from 36 to 2400, e.g. 300"
        )),
    }
}

/// The page the figure options ask for (default: slide-16x9).
pub(crate) fn page_of(args: &FigureArgs) -> Page {
    match (args.preset, args.width) {
        (Some(p), _) => p.page(),
        (None, Some(w)) => {
            let dpi = args.dpi.unwrap_or(96.0);
            Page {
                width: w as f32,
                height: args.height.map(|h| h as f32),
                dpi,
                min_text_px: SLIDE_MIN_TEXT_PX.max(PRINT_MIN_TEXT_PT / 72.0 * dpi),
            }
        }
        (None, None) => Preset::Slide16x9.page(),
    }
}

/// The format of an output file: `--format` when given (with a warning when the name's
/// extension says otherwise), else the extension; `Err` (a usage error) when neither says.
pub(crate) fn output_format(out: &Path, given: Option<Format>) -> Result<Format, String> {
    match (given, Format::from_path(out)) {
        (Some(f), Some(n)) if f != n => {
            eprintln!(
                "txline: warning: writing {} to {} as --format says, although its \
                 extension says {}",
                f.name().to_uppercase(),
                out.display(),
                n.name().to_uppercase()
            );
            Ok(f)
        }
        (Some(f), _) => Ok(f),
        (None, Some(n)) => Ok(n),
        (None, None) => Err(format!(
            "cannot tell the format from the name {}; end it in .png, .svg, .pdf \
             or .tif, or give --format png|svg|pdf|tiff",
            out.display()
        )),
    }
}

/// `Err` (a usage error) when a fixed page is too many pixels for a PNG or TIFF.
pub(crate) fn check_raster_size(format: Format, page: &Page) -> Result<(), String> {
    let limit = match format {
        Format::Png => export::png::MAX_FILE_PIXELS,
        Format::Tiff => export::png::MAX_PIXELS,
        _ => return Ok(()),
    };
    if let Some(h) = page.height {
        let (w, h) = (page.width as u64, h as u64);
        if w * h > limit {
            return Err(format!(
                "--width {w} --height {h} is {} megapixels, more than the {} a {} may have; \
                 choose a smaller size, or export SVG or PDF (no pixel limit)",
                w * h / 1_000_000,
                limit / 1_000_000,
                format.name().to_uppercase()
            ));
        }
    }
    Ok(())
}

//! Colours: the palettes of the light, dark and print themes.
//!
//! Therapies use the Okabe–Ito palette (safe for the common colour-vision deficiencies);
//! response results and event kinds each have their own colour *and* their own marker shape
//! (see [`response_shape`], [`event_shape`]), so the figure also reads in greyscale. The
//! print theme gives therapies distinct lightness and a hatch pattern, for greyscale print.

use strum::EnumCount;

use crate::model::{DiseaseState, EventKind, ResponseResult, Therapy};
use crate::scene::{Color, MarkerShape};

/// A named theme.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, strum::VariantArray, strum::IntoStaticStr,
)]
#[strum(serialize_all = "lowercase")]
pub enum ThemeKind {
    /// White page, for slides (the default).
    #[default]
    Light,
    /// Dark page.
    Dark,
    /// Readable in greyscale.
    Print,
}

impl ThemeKind {
    /// Every value, in the order of the declaration (the order shown to users).
    pub const ALL: &'static [ThemeKind] = <ThemeKind as strum::VariantArray>::VARIANTS;

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// What the theme is for, in `--help` and the viewer.
    pub fn description(self) -> &'static str {
        match self {
            ThemeKind::Light => "White page (slides)",
            ThemeKind::Dark => "Dark page",
            ThemeKind::Print => "Reads in greyscale print",
        }
    }

    /// The palette of this theme.
    pub fn theme(self) -> Theme {
        match self {
            ThemeKind::Light => Theme::light(),
            ThemeKind::Dark => Theme::dark(),
            ThemeKind::Print => Theme::print(),
        }
    }
}

/// A hatch pattern drawn over a bar (print theme), so lanes differ without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hatch {
    /// Plain fill.
    None,
    /// Lines rising to the right.
    Diagonal,
    /// Lines falling to the right.
    BackDiagonal,
    /// Vertical lines.
    Vertical,
    /// Horizontal lines.
    Horizontal,
}

/// Every colour the layout uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Page background.
    pub background: Color,
    /// Main text.
    pub text: Color,
    /// Secondary text (subtitle, tick labels, captions).
    pub muted: Color,
    /// Axis lines and ticks.
    pub axis: Color,
    /// Faint lane separators.
    pub grid: Color,
    /// Faint guide lines from events down through the lanes.
    pub guide: Color,
    /// Interval brackets.
    pub bracket: Color,
    /// Measurement lines and points.
    pub track_line: Color,
    /// Normal-range shading.
    pub normal_range: Color,
    /// Leader lines (labels moved out, image thumbnails).
    pub leader: Color,
    /// Missing-image placeholder fill.
    pub placeholder: Color,
    /// Axis break marks.
    pub break_mark: Color,
    /// Bar outline (print theme), if any.
    pub bar_outline: Option<Color>,
    /// Whether bars get hatch patterns.
    pub hatched: bool,
    therapy: [Color; Therapy::COUNT],
    status: [Color; DiseaseState::COUNT],
    response: [Color; ResponseResult::COUNT],
    event: [Color; EventKind::COUNT],
}

// Okabe–Ito.
const OI_ORANGE: Color = Color::rgb(0xE6, 0x9F, 0x00);
const OI_SKY: Color = Color::rgb(0x56, 0xB4, 0xE9);
const OI_GREEN: Color = Color::rgb(0x00, 0x9E, 0x73);
const OI_YELLOW: Color = Color::rgb(0xF0, 0xE4, 0x42);
const OI_BLUE: Color = Color::rgb(0x00, 0x72, 0xB2);
const OI_VERMILION: Color = Color::rgb(0xD5, 0x5E, 0x00);
const OI_PURPLE: Color = Color::rgb(0xCC, 0x79, 0xA7);
const GREY: Color = Color::rgb(0x99, 0x99, 0x99);

const THERAPY_OI: [Color; Therapy::COUNT] = [
    OI_SKY,       // Surgery
    OI_PURPLE,    // Chemoradiotherapy
    OI_ORANGE,    // Radiotherapy
    OI_BLUE,      // Chemotherapy
    OI_VERMILION, // Targeted
    OI_YELLOW,    // Hormonal
    OI_GREEN,     // Immunotherapy
    GREY,         // Other
];

/// Paul Tol's "muted" qualitative scheme (colour-blind safe), for cohort groups.
const GROUP_COLORS: [Color; 9] = [
    Color::rgb(0x33, 0x22, 0x88),
    Color::rgb(0x88, 0xCC, 0xEE),
    Color::rgb(0x44, 0xAA, 0x99),
    Color::rgb(0x11, 0x77, 0x33),
    Color::rgb(0x99, 0x99, 0x33),
    Color::rgb(0xDD, 0xCC, 0x77),
    Color::rgb(0xCC, 0x66, 0x77),
    Color::rgb(0x88, 0x22, 0x55),
    Color::rgb(0xAA, 0x44, 0x99),
];

const RESPONSE_COLORS: [Color; ResponseResult::COUNT] = [
    OI_GREEN,                     // CR
    OI_BLUE,                      // PR
    OI_ORANGE,                    // SD
    OI_VERMILION,                 // PD
    Color::rgb(0x88, 0x88, 0x88), // NE
    Color::rgb(0x11, 0x77, 0x33), // iCR
    OI_SKY,                       // iPR
    Color::rgb(0xC8, 0xB4, 0x00), // iSD
    OI_PURPLE,                    // iUPD
    Color::rgb(0x88, 0x22, 0x55), // iCPD
];

impl Theme {
    /// White page.
    pub fn light() -> Theme {
        Theme {
            background: Color::rgb(255, 255, 255),
            text: Color::rgb(0x1a, 0x1a, 0x1a),
            muted: Color::rgb(0x55, 0x55, 0x55),
            axis: Color::rgb(0x33, 0x33, 0x33),
            grid: Color::rgb(0xe6, 0xe6, 0xe6),
            guide: Color::rgb(0xa0, 0xa0, 0xa0),
            bracket: Color::rgb(0x22, 0x22, 0x22),
            track_line: Color::rgb(0x33, 0x33, 0x33),
            normal_range: Color::rgba(0x00, 0x9E, 0x73, 0x40),
            leader: Color::rgb(0x88, 0x88, 0x88),
            placeholder: Color::rgb(0xee, 0xee, 0xee),
            break_mark: Color::rgb(0x33, 0x33, 0x33),
            bar_outline: None,
            hatched: false,
            therapy: THERAPY_OI,
            status: [
                Color::rgb(0xc7, 0xe9, 0xc0), // NED
                Color::rgb(0xa8, 0xdd, 0xb5), // Remission
                Color::rgb(0xfd, 0xe7, 0xa6), // Stable
                Color::rgb(0xf3, 0xd6, 0x9a), // Active
                Color::rgb(0xf7, 0xb4, 0x6e), // Progression
                Color::rgb(0xf2, 0xb8, 0x9c), // Recurrence
                Color::rgb(0xec, 0x93, 0x93), // Metastatic
                Color::rgb(0xdd, 0xdd, 0xdd), // Unknown
            ],
            response: RESPONSE_COLORS,
            // Events are dark, so they do not read as response markers (which are
            // coloured and outlined); adverse events stand out in orange.
            event: [
                Color::rgb(0x33, 0x33, 0x33), // Diagnosis
                Color::rgb(0x8b, 0x1e, 0x1e), // Recurrence
                Color::rgb(0x8b, 0x1e, 0x1e), // Metastasis
                Color::rgb(0x8b, 0x1e, 0x1e), // Progression
                OI_ORANGE,                    // AdverseEvent
                Color::rgb(0x33, 0x33, 0x33), // Imaging
                Color::rgb(0x33, 0x33, 0x33), // Biopsy
                Color::rgb(0x00, 0x00, 0x00), // Death
                Color::rgb(0x55, 0x55, 0x55), // LastFollowUp
                Color::rgb(0x77, 0x77, 0x77), // Other
            ],
        }
    }

    /// Dark page.
    pub fn dark() -> Theme {
        let mut t = Theme::light();
        t.background = Color::rgb(0x1c, 0x1e, 0x22);
        t.text = Color::rgb(0xee, 0xee, 0xee);
        t.muted = Color::rgb(0xb4, 0xb4, 0xb4);
        t.axis = Color::rgb(0xcc, 0xcc, 0xcc);
        t.grid = Color::rgb(0x36, 0x39, 0x3f);
        t.guide = Color::rgb(0x70, 0x70, 0x70);
        t.bracket = Color::rgb(0xdd, 0xdd, 0xdd);
        t.track_line = Color::rgb(0xdd, 0xdd, 0xdd);
        t.normal_range = Color::rgba(0x00, 0x9E, 0x73, 0x55);
        t.leader = Color::rgb(0x90, 0x90, 0x90);
        t.placeholder = Color::rgb(0x33, 0x36, 0x3c);
        t.break_mark = Color::rgb(0xcc, 0xcc, 0xcc);
        t.status = [
            Color::rgb(0x2f, 0x5e, 0x3a),
            Color::rgb(0x27, 0x6b, 0x45),
            Color::rgb(0x6b, 0x5e, 0x22),
            Color::rgb(0x7a, 0x5a, 0x1e),
            Color::rgb(0x94, 0x5a, 0x1c),
            Color::rgb(0x86, 0x45, 0x30),
            Color::rgb(0x86, 0x2d, 0x48),
            Color::rgb(0x4a, 0x4a, 0x4a),
        ];
        t.event[0] = Color::rgb(0xdd, 0xdd, 0xdd);
        t.event[1] = Color::rgb(0xf0, 0x70, 0x60);
        t.event[2] = Color::rgb(0xf0, 0x70, 0x60);
        t.event[3] = Color::rgb(0xf0, 0x70, 0x60);
        t.event[5] = Color::rgb(0xdd, 0xdd, 0xdd);
        t.event[6] = Color::rgb(0xdd, 0xdd, 0xdd);
        t.event[7] = Color::rgb(0xff, 0xff, 0xff);
        t.event[8] = Color::rgb(0xbb, 0xbb, 0xbb);
        t.event[9] = Color::rgb(0xaa, 0xaa, 0xaa);
        t
    }

    /// Greyscale-safe print: distinct lightness, outlines and hatch patterns.
    pub fn print() -> Theme {
        let mut t = Theme::light();
        t.text = Color::rgb(0, 0, 0);
        t.muted = Color::rgb(0x33, 0x33, 0x33);
        t.axis = Color::rgb(0, 0, 0);
        t.grid = Color::rgb(0xdd, 0xdd, 0xdd);
        t.guide = Color::rgb(0x99, 0x99, 0x99);
        t.normal_range = Color::rgb(0xd8, 0xd8, 0xd8);
        t.bar_outline = Some(Color::rgb(0, 0, 0));
        t.hatched = true;
        t.therapy = [
            Color::rgb(0xe8, 0xe8, 0xe8),
            Color::rgb(0x55, 0x55, 0x55),
            Color::rgb(0xbb, 0xbb, 0xbb),
            Color::rgb(0x33, 0x33, 0x33),
            Color::rgb(0x88, 0x88, 0x88),
            Color::rgb(0xd4, 0xd4, 0xd4),
            Color::rgb(0x6e, 0x6e, 0x6e),
            Color::rgb(0xa2, 0xa2, 0xa2),
        ];
        t.status = [
            Color::rgb(0xf4, 0xf4, 0xf4),
            Color::rgb(0xe6, 0xe6, 0xe6),
            Color::rgb(0xd8, 0xd8, 0xd8),
            Color::rgb(0xc4, 0xc4, 0xc4),
            Color::rgb(0x9c, 0x9c, 0x9c),
            Color::rgb(0xa8, 0xa8, 0xa8),
            Color::rgb(0x8c, 0x8c, 0x8c),
            Color::rgb(0xcc, 0xcc, 0xcc),
        ];
        t.response = [
            Color::rgb(0xff, 0xff, 0xff),
            Color::rgb(0x99, 0x99, 0x99),
            Color::rgb(0xcc, 0xcc, 0xcc),
            Color::rgb(0x00, 0x00, 0x00),
            Color::rgb(0xee, 0xee, 0xee),
            Color::rgb(0xff, 0xff, 0xff),
            Color::rgb(0x99, 0x99, 0x99),
            Color::rgb(0xcc, 0xcc, 0xcc),
            Color::rgb(0x55, 0x55, 0x55),
            Color::rgb(0x00, 0x00, 0x00),
        ];
        t.event = [Color::rgb(0x22, 0x22, 0x22); EventKind::COUNT];
        t.event[4] = Color::rgb(0x88, 0x88, 0x88);
        t
    }

    /// Bar fill of a therapy.
    pub fn therapy(&self, t: Therapy) -> Color {
        self.therapy[t as usize]
    }

    /// Hatch pattern of a therapy (only drawn when [`Theme::hatched`]).
    pub fn hatch(&self, t: Therapy) -> Hatch {
        match t {
            Therapy::Surgery | Therapy::Immunotherapy => Hatch::None,
            Therapy::Chemoradiotherapy | Therapy::Hormonal => Hatch::Diagonal,
            Therapy::Radiotherapy | Therapy::Other => Hatch::Vertical,
            Therapy::Chemotherapy => Hatch::BackDiagonal,
            Therapy::Targeted => Hatch::Horizontal,
        }
    }

    /// Fill of a disease-status segment.
    pub fn status(&self, s: DiseaseState) -> Color {
        self.status[s as usize]
    }

    /// Colour of a response marker and its label.
    pub fn response(&self, r: ResponseResult) -> Color {
        self.response[r as usize]
    }

    /// Colour of a response label: the marker's hue, darkened (light page) or lightened
    /// (dark page) just enough to reach [`TEXT_CONTRAST`] on the page; the text colour in
    /// the print theme, whose markers are greys.
    pub fn response_text(&self, r: ResponseResult) -> Color {
        if self.hatched {
            return self.text;
        }
        readable(self.response(r), self.background, self.text, TEXT_CONTRAST)
    }

    /// Outline of a marker (so light fills stay visible).
    pub fn marker_outline(&self) -> Color {
        self.text
    }

    /// Colour of an event symbol.
    pub fn event(&self, k: EventKind) -> Color {
        self.event[k as usize]
    }

    /// Colour of the `i`-th group of a cohort (its lane strip, its waterfall bars and
    /// spider lines): Paul Tol's "muted" scheme, distinct from the therapy colours; it
    /// repeats after nine groups (the legend then names each colour more than once).
    pub fn group(&self, i: usize) -> Color {
        GROUP_COLORS[i % GROUP_COLORS.len()]
    }

    /// Text colour readable on `fill`: black or white by luminance.
    pub fn text_on(&self, fill: Color) -> Color {
        if contrast(fill, Color::rgb(0, 0, 0)) >= contrast(fill, Color::rgb(255, 255, 255)) {
            Color::rgb(0, 0, 0)
        } else {
            Color::rgb(255, 255, 255)
        }
    }
}

/// The marker shape of a response result; all ten differ.
pub fn response_shape(r: ResponseResult) -> MarkerShape {
    match r {
        ResponseResult::CR => MarkerShape::Circle,
        ResponseResult::PR => MarkerShape::TriangleUp,
        ResponseResult::SD => MarkerShape::Square,
        ResponseResult::PD => MarkerShape::TriangleDown,
        ResponseResult::NE => MarkerShape::X,
        ResponseResult::ICr => MarkerShape::Hexagon,
        ResponseResult::IPr => MarkerShape::Diamond,
        ResponseResult::ISd => MarkerShape::Pentagon,
        ResponseResult::IUpd => MarkerShape::Star,
        ResponseResult::ICpd => MarkerShape::Cross,
    }
}

/// The marker shape of an event kind.
pub fn event_shape(k: EventKind) -> MarkerShape {
    match k {
        EventKind::Diagnosis => MarkerShape::Diamond,
        EventKind::Recurrence => MarkerShape::TriangleUp,
        EventKind::Metastasis => MarkerShape::Hexagon,
        EventKind::Progression => MarkerShape::TriangleDown,
        EventKind::AdverseEvent => MarkerShape::Star,
        EventKind::Imaging => MarkerShape::Square,
        EventKind::Biopsy => MarkerShape::Pentagon,
        EventKind::Death => MarkerShape::Cross,
        EventKind::LastFollowUp => MarkerShape::Circle,
        EventKind::Other => MarkerShape::X,
    }
}

/// The viewer's own panels, menus and dialogs (not the figure): their background and every
/// text colour on it, decided here with the figure's so one test holds them all to AA.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PanelColors {
    /// Panel and window background.
    pub background: Color,
    /// Labels.
    pub text: Color,
    /// Secondary text (field names, hints, the file path in the status bar).
    pub weak: Color,
    /// Errors (the problems panel, a failed export).
    pub error: Color,
    /// Warnings and "not what the screen shows" notes.
    pub warning: Color,
    /// Links (recent files, examples).
    pub link: Color,
    /// The outline of the figure item under the pointer.
    pub highlight: Color,
}

impl PanelColors {
    /// The panels of the viewer's dark or light look.
    pub fn of(dark: bool) -> PanelColors {
        if dark {
            PanelColors {
                background: Color::rgb(27, 27, 27),
                text: Color::rgb(190, 190, 190),
                weak: Color::rgb(150, 150, 150),
                error: Color::rgb(255, 120, 110),
                warning: Color::rgb(230, 160, 40),
                link: Color::rgb(110, 180, 255),
                highlight: Color::rgb(30, 120, 220),
            }
        } else {
            PanelColors {
                background: Color::rgb(248, 248, 248),
                text: Color::rgb(50, 50, 50),
                weak: Color::rgb(96, 96, 96),
                error: Color::rgb(180, 30, 30),
                warning: Color::rgb(150, 85, 0),
                link: Color::rgb(0, 90, 170),
                highlight: Color::rgb(30, 120, 220),
            }
        }
    }

    /// The text colours, named (for tests and the contrast check).
    pub fn texts(&self) -> [(&'static str, Color); 5] {
        [
            ("text", self.text),
            ("weak", self.weak),
            ("error", self.error),
            ("warning", self.warning),
            ("link", self.link),
        ]
    }
}

/// The contrast every figure text reaches against what is behind it (WCAG 2 AA for normal
/// text).
pub const TEXT_CONTRAST: f32 = 4.5;

/// `c` mixed toward `toward` in 5 % steps until it reaches `min` contrast on `bg` (`toward`
/// itself, if even that is not enough): the hue is kept as far as legibility allows.
pub fn readable(c: Color, bg: Color, toward: Color, min: f32) -> Color {
    let mix = |a: u8, b: u8, t: f32| (a as f32 + (b as f32 - a as f32) * t).round() as u8;
    (0..=20)
        .map(|i| {
            let t = i as f32 / 20.0;
            Color::rgb(
                mix(c.r, toward.r, t),
                mix(c.g, toward.g, t),
                mix(c.b, toward.b, t),
            )
        })
        .find(|m| contrast(*m, bg) >= min)
        .unwrap_or(toward)
}

/// Relative luminance (WCAG 2) of an sRGB colour.
pub fn luminance(c: Color) -> f32 {
    let lin = |v: u8| {
        let s = v as f32 / 255.0;
        if s <= 0.03928 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b)
}

/// WCAG contrast ratio between two colours (1–21).
pub fn contrast(a: Color, b: Color) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_shapes_and_colours_all_differ() {
        for theme in ThemeKind::ALL.iter().map(|t| t.theme()) {
            for (i, a) in ResponseResult::ALL.iter().enumerate() {
                for b in &ResponseResult::ALL[i + 1..] {
                    assert_ne!(response_shape(*a), response_shape(*b));
                    if theme != Theme::print() {
                        assert_ne!(theme.response(*a), theme.response(*b), "{a:?} {b:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_text_colour_of_every_theme_reaches_aa_on_its_page() {
        for &kind in ThemeKind::ALL {
            let t = kind.theme();
            let bg = t.background;
            let mut texts = vec![("text", t.text), ("muted", t.muted)];
            for &r in ResponseResult::ALL {
                texts.push((r.name(), t.response_text(r)));
            }
            for (name, c) in texts {
                let ratio = contrast(c, bg);
                assert!(ratio >= TEXT_CONTRAST, "{kind:?} {name}: {ratio:.2}:1");
            }
        }
    }

    #[test]
    fn every_panel_text_colour_reaches_aa() {
        for dark in [true, false] {
            let p = PanelColors::of(dark);
            for (name, c) in p.texts() {
                let ratio = contrast(c, p.background);
                assert!(ratio >= TEXT_CONTRAST, "dark={dark} {name}: {ratio:.2}:1");
            }
        }
    }

    #[test]
    fn readable_keeps_the_hue_and_only_darkens_as_needed() {
        let white = Color::rgb(255, 255, 255);
        let black = Color::rgb(0, 0, 0);
        let green = Color::rgb(0x00, 0x9E, 0x73);
        let g = readable(green, white, black, 4.5);
        assert!(contrast(g, white) >= 4.5);
        assert!(g.g > g.r && g.g > g.b, "still green: {g:?}");
        let blue = Color::rgb(0, 0x72, 0xB2);
        assert_eq!(readable(blue, white, black, 4.5), blue, "already readable");
    }

    #[test]
    fn text_on_fill_has_contrast() {
        let t = Theme::light();
        for &th in Therapy::ALL {
            let fill = t.therapy(th);
            assert!(contrast(fill, t.text_on(fill)) >= 4.5, "{th:?}");
        }
        assert_eq!(
            t.text_on(Color::rgb(0, 0x72, 0xB2)),
            Color::rgb(255, 255, 255)
        );
        assert_eq!(t.text_on(Color::rgb(0xF0, 0xE4, 0x42)), Color::rgb(0, 0, 0));
    }

    #[test]
    fn print_fill_and_hatch_pairs_differ() {
        let t = Theme::print();
        for (i, a) in Therapy::ALL.iter().enumerate() {
            for b in &Therapy::ALL[i + 1..] {
                assert!(
                    (t.therapy(*a), t.hatch(*a)) != (t.therapy(*b), t.hatch(*b)),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn print_therapies_differ_in_lightness() {
        let t = Theme::print();
        let mut l: Vec<f32> = Therapy::ALL
            .iter()
            .map(|x| luminance(t.therapy(*x)))
            .collect();
        l.sort_by(f32::total_cmp);
        for w in l.windows(2) {
            assert!(w[1] - w[0] > 0.02, "{l:?}");
        }
    }
}

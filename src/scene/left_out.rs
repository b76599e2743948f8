//! What a figure left out for want of room, and the one wording of the warning the CLI and
//! the viewer print.

/// What a figure had no room for, in the order it was given up, and the page height that
/// would have shown it. Layout fills this; the CLI and the viewer print [`LeftOut::message`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LeftOut {
    /// The parts not drawn.
    pub parts: Vec<LeftOutPart>,
    /// The page height (figure pixels) that shows every part at its smallest legible size;
    /// `None` when more height would not help (the page is too narrow).
    pub height_needed: Option<f32>,
    /// The page height used.
    pub page_height: f32,
}

/// A part of the timeline a figure left out.
#[derive(Debug, Clone, PartialEq)]
pub enum LeftOutPart {
    /// The image strip, with this many images.
    ImageStrip {
        /// Images in the strip.
        images: usize,
    },
    /// A measurement track, by name.
    Track {
        /// The measurement's name.
        name: String,
    },
    /// The labels of the therapy bars (lane rows too thin for text).
    BarLabels {
        /// Bars that lost their label.
        bars: usize,
    },
    /// Patients of a cohort figure (the last lanes in its order).
    Patients {
        /// How many.
        count: usize,
    },
    /// The labels of a cohort figure's lanes (lanes too thin for text).
    LaneLabels {
        /// Lanes that lost their label.
        lanes: usize,
    },
    /// Items that fell outside the page.
    Items {
        /// How many.
        count: usize,
    },
}

impl std::fmt::Display for LeftOutPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LeftOutPart::ImageStrip { images: 1 } => write!(f, "the image strip (1 image)"),
            LeftOutPart::ImageStrip { images } => write!(f, "the image strip ({images} images)"),
            LeftOutPart::Track { name } => write!(f, "track {name:?}"),
            LeftOutPart::BarLabels { bars: 1 } => write!(f, "the label of 1 therapy bar"),
            LeftOutPart::BarLabels { bars } => write!(f, "the labels of {bars} therapy bars"),
            LeftOutPart::Patients { count: 1 } => write!(f, "1 patient (the last lane)"),
            LeftOutPart::Patients { count } => {
                write!(f, "{count} patients (the last lanes in the sort order)")
            }
            LeftOutPart::LaneLabels { lanes: 1 } => write!(f, "the label of the 1 lane drawn"),
            LeftOutPart::LaneLabels { lanes } => write!(f, "the labels of the {lanes} lanes drawn"),
            LeftOutPart::Items { count: 1 } => write!(f, "1 item outside the page"),
            LeftOutPart::Items { count } => write!(f, "{count} items outside the page"),
        }
    }
}

impl LeftOut {
    /// Whether everything was drawn.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The warning, e.g. `left out of the figure: the image strip (4 images), track "SCC-Ag"
    /// — the page is 310 px too short; use --height 1400 or a journal preset`; `None` when
    /// nothing was left out.
    pub fn message(&self) -> Option<String> {
        if self.parts.is_empty() {
            return None;
        }
        let parts: Vec<String> = self.parts.iter().map(ToString::to_string).collect();
        let why = match self.height_needed {
            Some(h) if h > crate::page::MAX_SIDE as f32 => format!(
                "the page is {} px too short, more than --height may ask for ({}); use a \
                 journal preset, whose page grows with the figure",
                (h - self.page_height).ceil(),
                crate::page::MAX_SIDE
            ),
            Some(h) if h > self.page_height => format!(
                "the page is {} px too short; use --height {} or a journal preset",
                (h - self.page_height).ceil(),
                h.ceil()
            ),
            _ => {
                "the page is too narrow for them; use a wider page or a journal preset".to_string()
            }
        };
        Some(format!(
            "left out of the figure: {} — {why}",
            parts.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn left_out(height_needed: Option<f32>) -> LeftOut {
        LeftOut {
            parts: vec![
                LeftOutPart::Patients { count: 642 },
                LeftOutPart::LaneLabels { lanes: 158 },
            ],
            height_needed,
            page_height: 1080.0,
        }
    }

    #[test]
    fn the_warning_names_the_parts_and_a_height_that_can_be_asked_for() {
        assert_eq!(LeftOut::default().message(), None);
        assert_eq!(
            left_out(Some(17_628.0)).message().as_deref(),
            Some(
                "left out of the figure: 642 patients (the last lanes in the sort order), the \
                 labels of the 158 lanes drawn — the page is 16548 px too short; use --height \
                 17628 or a journal preset"
            )
        );
        // A height past --height's limit is not offered.
        let m = left_out(Some(21_934.0)).message().expect("a warning");
        assert!(
            m.ends_with(
                "the page is 20854 px too short, more than --height may ask for (20000); use a \
                 journal preset, whose page grows with the figure"
            ),
            "{m}"
        );
        let m = left_out(Some(20_000.0)).message().expect("a warning");
        assert!(m.ends_with("use --height 20000 or a journal preset"), "{m}");
        let m = left_out(None).message().expect("a warning");
        assert!(
            m.ends_with("the page is too narrow for them; use a wider page or a journal preset"),
            "{m}"
        );
    }
}

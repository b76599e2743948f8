//! What every band shares: text sizes and spacing derived from the page ([`Sizes`]), the
//! horizontal frame of the figure ([`Context`]: time axis, plot edges, theme, timeline) and the
//! output collector with the index of placed labels ([`Out`]).

use super::super::AxisMode;
use super::super::text::{Style, TextIndex};
use crate::model::{Timeline, When};
use crate::page::Page;
use crate::scene::{Item, ItemRef, Point, Rect, Shape, Stroke, Text, TimeAxis};
use crate::theme::Theme;

/// Text styles and spacing derived from the page.
pub(crate) struct Sizes {
    /// Labels, lane names, legend.
    pub body: Style,
    /// Bar labels, headers.
    pub bold: Style,
    /// Axis ticks, captions, status labels.
    pub small: Style,
    /// The title line.
    pub title: Style,
    /// The page margin.
    pub margin: f32,
    /// The unit of space between neighbours (half the body size).
    pub space: f32,
    /// Event and response marker size.
    pub marker: f32,
    /// Hairline width.
    pub line: f32,
}

impl Sizes {
    /// The sizes for a page, the text `text_scale` times its usual size (1 but for a sparse
    /// figure on a fixed page).
    pub fn new(page: &Page, text_scale: f32) -> Sizes {
        let min = page.min_text_px.max(1.0);
        let mut base = page.width / 100.0;
        if let Some(h) = page.height {
            base = base.min(h / 50.0);
        }
        let base = base * text_scale;
        let body = base.max(min);
        let small = (body * 0.88).max(min);
        let title = (body * 1.45).max(min);
        Sizes {
            body: Style::regular(body),
            bold: Style::bold(body),
            small: Style::regular(small),
            title: Style::bold(title),
            margin: (body * 1.1).min(page.width * 0.04).max(2.0),
            space: body * 0.5,
            marker: body * 0.85,
            line: (body / 12.0).max(1.0),
        }
    }

    /// How far a bar cut by the time window fades out before the plot edge.
    pub fn cut_fade_width(&self) -> f32 {
        self.body.size * 2.6
    }
}

/// The horizontal frame every band lays itself out in, decided before any band is planned.
pub(crate) struct Context<'a> {
    /// The timeline drawn.
    pub timeline: &'a Timeline,
    /// Colours.
    pub theme: Theme,
    /// Text sizes and spacing.
    pub sizes: Sizes,
    /// Figure width.
    pub width: f32,
    /// First and last day shown.
    pub day_lo: f64,
    /// Last day shown.
    pub day_hi: f64,
    /// A time window was asked for (not the whole timeline).
    pub windowed: bool,
    /// The axis labels drawn (`Relative` when the timeline has no calendar anchor).
    pub axis_mode: AxisMode,
    /// Day → x.
    pub time_axis: TimeAxis,
    /// Pixels per day on the first axis segment (tick spacing).
    pub px_per_day: f64,
    /// Left edge of the plot (right of the label column).
    pub plot_x0: f32,
    /// Right edge of the plot.
    pub plot_x1: f32,
    /// Room between the plot edge and the first / last day (markers stay inside the plot).
    pub plot_pad: f32,
    /// First day's x.
    pub axis_x0: f32,
    /// Last day's x.
    pub axis_x1: f32,
    /// Right edge of the label column (lane names, headers end here).
    pub column_right: f32,
}

impl Context<'_> {
    /// The x of a day, clamped to the window.
    pub fn x_of(&self, day: f64) -> f32 {
        self.time_axis.x_of(day.clamp(self.day_lo, self.day_hi))
    }

    /// Whether a span of days meets the window.
    pub fn span_shown(&self, a: f64, b: f64) -> bool {
        b >= self.day_lo && a <= self.day_hi
    }

    /// Whether a day is in the window.
    pub fn day_shown(&self, d: f64) -> bool {
        d >= self.day_lo && d <= self.day_hi
    }

    /// The visible x pieces of a span (several when axis breaks cut it).
    pub fn pieces(&self, a: f64, b: f64) -> Vec<(f32, f32)> {
        super::super::gaps::pieces(&self.time_axis, a.max(self.day_lo), b.min(self.day_hi))
            .into_iter()
            .map(|(x0, x1)| {
                (
                    x0.max(self.axis_x0 - self.plot_pad),
                    x1.min(self.axis_x1 + self.plot_pad),
                )
            })
            .collect()
    }

    /// Formats a time for labels: a date (`~` and shorter when approximate), or `day N` when
    /// the timeline has no calendar anchor.
    pub fn format_when(&self, w: When) -> String {
        format_when(self.timeline, w)
    }
}

/// Formats a time for labels: a date (`~` and shorter when approximate), or `day N` when
/// the timeline has no calendar anchor — the one wording of [`crate::time::format_when`].
pub(crate) fn format_when(tl: &Timeline, w: When) -> String {
    crate::time::format_when(w, tl.day_zero)
}

/// Output collector: items in layers, and the index of placed text.
pub(crate) struct Out {
    /// Painted first (guides, bands behind the plot).
    pub under: Vec<Item>,
    /// Painted after `under`, in order.
    pub items: Vec<Item>,
    /// The boxes of the texts placed so far.
    pub texts: TextIndex,
    /// The page: no text outside it.
    pub page: Rect,
}

impl Out {
    pub fn new(page: Rect, cell: f32) -> Out {
        Out {
            under: Vec::new(),
            items: Vec::new(),
            texts: TextIndex::new(cell),
            page,
        }
    }
    pub fn shape(&mut self, shape: Shape, meaning: Option<ItemRef>) {
        self.items.push(Item { shape, meaning });
    }
    pub fn under(&mut self, shape: Shape) {
        self.under.push(Item {
            shape,
            meaning: None,
        });
    }
    pub fn line(&mut self, from: Point, to: Point, stroke: Stroke) {
        self.shape(Shape::Line { from, to, stroke }, None);
    }
    fn text_free(&self, t: &Text) -> bool {
        self.page.contains_rect(&t.bbox) && !self.texts.collides(&t.bbox)
    }
    /// Adds a text when it is inside the page and free; returns whether it was added.
    pub fn text(&mut self, t: Text, meaning: Option<ItemRef>) -> bool {
        if !self.text_free(&t) {
            return false;
        }
        self.texts.insert(t.bbox);
        self.items.push(Item {
            shape: Shape::Text(t),
            meaning,
        });
        true
    }
}

/// Whether each end of a bar or bracket runs on past the time window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Cut {
    /// Starts before the window.
    pub start: bool,
    /// Ends after the window.
    pub end: bool,
}

//! The scene: a finished figure as plain primitives in figure space.
//!
//! Layout produces one [`Scene`]; every output only paints it — the SVG writer, the PNG
//! rasteriser (through the SVG), the PDF writer and the desktop viewer. Nothing downstream
//! of the scene decides geometry, colour or wording.
//!
//! Coordinates are figure pixels: origin top-left, x to the right, y down, the figure
//! spanning `0..width` × `0..height`. Items are painted in order (later on top).
//!
//! Invariants kept by layout (and checked by its tests):
//! - every item's [`Shape::bounds`] lies inside `0..width` × `0..height`;
//! - no two [`Text`] items' `bbox`es overlap;
//! - a text's `bbox` is its measured extent with the bundled font (see [`crate::fonts`]).

mod left_out;
pub use left_out::{LeftOut, LeftOutPart};

use std::sync::Arc;

use crate::model::ImageData;

/// A point in figure pixels.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// Right from the left edge.
    pub x: f32,
    /// Down from the top edge.
    pub y: f32,
}

impl Point {
    /// A point.
    pub const fn new(x: f32, y: f32) -> Self {
        Point { x, y }
    }
}

/// An axis-aligned rectangle in figure pixels (`min` top-left, `max` bottom-right).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Top-left corner.
    pub min: Point,
    /// Bottom-right corner.
    pub max: Point,
}

impl Rect {
    /// From left, top, width, height.
    pub fn from_xywh(x: f32, y: f32, w: f32, h: f32) -> Self {
        Rect {
            min: Point::new(x, y),
            max: Point::new(x + w, y + h),
        }
    }

    /// From two corners.
    pub fn from_min_max(min: Point, max: Point) -> Self {
        Rect { min, max }
    }

    /// Width.
    pub fn width(&self) -> f32 {
        self.max.x - self.min.x
    }

    /// Height.
    pub fn height(&self) -> f32 {
        self.max.y - self.min.y
    }

    /// Centre point.
    pub fn center(&self) -> Point {
        Point::new(
            (self.min.x + self.max.x) / 2.0,
            (self.min.y + self.max.y) / 2.0,
        )
    }

    /// True when the two rectangles share interior area (touching edges do not count).
    pub fn intersects(&self, other: &Rect) -> bool {
        self.min.x < other.max.x
            && other.min.x < self.max.x
            && self.min.y < other.max.y
            && other.min.y < self.max.y
    }

    /// True when `other` lies wholly inside `self` (edges included).
    pub fn contains_rect(&self, other: &Rect) -> bool {
        other.min.x >= self.min.x
            && other.max.x <= self.max.x
            && other.min.y >= self.min.y
            && other.max.y <= self.max.y
    }

    /// True when the point lies inside (edges included).
    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.min.x && p.x <= self.max.x && p.y >= self.min.y && p.y <= self.max.y
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, other: &Rect) -> Rect {
        Rect {
            min: Point::new(self.min.x.min(other.min.x), self.min.y.min(other.min.y)),
            max: Point::new(self.max.x.max(other.max.x), self.max.y.max(other.max.y)),
        }
    }

    /// Grown by `d` on every side.
    pub fn expand(&self, d: f32) -> Rect {
        Rect {
            min: Point::new(self.min.x - d, self.min.y - d),
            max: Point::new(self.max.x + d, self.max.y + d),
        }
    }
}

/// An sRGB colour with straight (not premultiplied) alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
    /// Alpha (255 = opaque).
    pub a: u8,
}

impl Color {
    /// An opaque colour.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Color { r, g, b, a: 255 }
    }

    /// A colour with alpha.
    pub const fn rgba(r: u8, g: u8, b: u8, a: u8) -> Self {
        Color { r, g, b, a }
    }

    /// `#rrggbb` (alpha not included).
    pub fn hex(&self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }

    /// Red, green and blue as fractions `0.0..=1.0`.
    pub fn rgb_unit(&self) -> [f32; 3] {
        [self.r, self.g, self.b].map(|v| v as f32 / 255.0)
    }

    /// Alpha as an opacity `0.0..=1.0`.
    pub fn opacity(&self) -> f32 {
        self.a as f32 / 255.0
    }
}

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    /// Width in figure pixels.
    pub width: f32,
    /// Colour.
    pub color: Color,
    /// Dash pattern (on, off) in figure pixels; `None` for solid.
    pub dash: Option<(f32, f32)>,
}

impl Stroke {
    /// A solid stroke.
    pub const fn solid(width: f32, color: Color) -> Self {
        Stroke {
            width,
            color,
            dash: None,
        }
    }

    /// True when the stroke paints anything: a finite positive width, not fully
    /// transparent. Every output skips the others.
    pub fn is_visible(&self) -> bool {
        self.width.is_finite() && self.width > 0.0 && self.color.a > 0
    }

    /// The dash pattern every output draws: `Some((on, off))` when both are finite and
    /// positive, otherwise `None` (drawn solid).
    pub fn dash_pattern(&self) -> Option<(f32, f32)> {
        self.dash
            .filter(|&(on, off)| on.is_finite() && off.is_finite() && on > 0.0 && off > 0.0)
    }
}

/// Where an image of `width × height` pixels is drawn inside `rect`: scaled to fit whole
/// and centred, as SVG's `preserveAspectRatio="xMidYMid meet"`. Every output draws it there.
pub fn image_fit(rect: &Rect, width: u32, height: u32) -> Rect {
    let (iw, ih) = (width.max(1) as f32, height.max(1) as f32);
    let k = (rect.width() / iw).min(rect.height() / ih);
    let (w, h) = (iw * k, ih * k);
    let x = rect.min.x + (rect.width() - w) / 2.0;
    let y = rect.min.y + (rect.height() - h) / 2.0;
    Rect::from_xywh(x, y, w, h)
}

/// The grey drawn where an image's bytes cannot be decoded.
pub const IMAGE_PLACEHOLDER: Color = Color::rgb(0xdd, 0xdd, 0xdd);

/// Corner radius a rounded rectangle is drawn with: `corner` clamped to half the shorter
/// side; 0 (square corners) when it is not positive or not finite.
pub fn corner_radius(rect: &Rect, corner: f32) -> f32 {
    if !corner.is_finite() {
        return 0.0;
    }
    let r = corner
        .min(rect.width().abs() / 2.0)
        .min(rect.height().abs() / 2.0);
    if r.is_finite() && r > 0.0 { r } else { 0.0 }
}

/// Weight of a text run; each is one bundled font face.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Weight {
    /// DejaVu Sans.
    #[default]
    Regular,
    /// DejaVu Sans Bold.
    Bold,
}

/// Which point of the text `x` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Anchor {
    /// `x` is the left end.
    #[default]
    Start,
    /// `x` is the centre.
    Middle,
    /// `x` is the right end.
    End,
}

/// Marker shapes; response results each have their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkerShape {
    /// ●
    Circle,
    /// ▲
    TriangleUp,
    /// ▼
    TriangleDown,
    /// ■
    Square,
    /// ◆
    Diamond,
    /// ★ (five points)
    Star,
    /// ✚
    Cross,
    /// ✖
    X,
    /// ⬟
    Pentagon,
    /// ⬢
    Hexagon,
}

impl MarkerShape {
    /// Every shape, in declaration order.
    pub const ALL: [MarkerShape; 10] = [
        MarkerShape::Circle,
        MarkerShape::TriangleUp,
        MarkerShape::TriangleDown,
        MarkerShape::Square,
        MarkerShape::Diamond,
        MarkerShape::Star,
        MarkerShape::Cross,
        MarkerShape::X,
        MarkerShape::Pentagon,
        MarkerShape::Hexagon,
    ];
}

/// One line of text, already measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// The string (one line, no newlines).
    pub text: String,
    /// Anchor x (see `anchor`).
    pub x: f32,
    /// Baseline y.
    pub baseline: f32,
    /// Which point of the text `x` is.
    pub anchor: Anchor,
    /// Font size in figure pixels (em size).
    pub size: f32,
    /// Face.
    pub weight: Weight,
    /// Colour.
    pub color: Color,
    /// Measured extent: advance width × (ascent + descent) around the baseline.
    pub bbox: Rect,
}

/// What a scene item stands for, so the viewer can describe it on hover and the tests can
/// find it. Indices are into the corresponding `Vec` of the [`crate::model::Timeline`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemRef {
    /// `phases[i]`.
    Phase(usize),
    /// `statuses[i]`.
    Status(usize),
    /// `responses[i]`.
    Response(usize),
    /// `events[i]`.
    Event(usize),
    /// `intervals[i]`.
    Interval(usize),
    /// `measurements[i].points[j]`.
    MeasurementPoint(usize, usize),
    /// `measurements[i]` as a whole track.
    Measurement(usize),
    /// `images[i]`.
    Image(usize),
    /// A cohort figure's lane, bar or line of `Cohort::members[i]` (the cohort's lane order).
    Patient(usize),
    /// A part of `Cohort::members[i]`'s own timeline drawn on its lane (a therapy bar, a
    /// response or event mark), so hovering it can name both the patient and the item.
    PatientItem(usize, PatientPart),
}

/// An item of a cohort member's timeline; indices are into that timeline's `Vec`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatientPart {
    /// `phases[i]`.
    Phase(usize),
    /// `responses[i]`.
    Response(usize),
    /// `events[i]`.
    Event(usize),
}

impl PatientPart {
    /// The same item as a single-patient [`ItemRef`] (for [`crate::details::describe`]).
    pub fn item(self) -> ItemRef {
        match self {
            PatientPart::Phase(i) => ItemRef::Phase(i),
            PatientPart::Response(i) => ItemRef::Response(i),
            PatientPart::Event(i) => ItemRef::Event(i),
        }
    }
}

impl ItemRef {
    /// The cohort member an item belongs to (`None` for a single-patient item).
    pub fn patient(self) -> Option<usize> {
        match self {
            ItemRef::Patient(i) | ItemRef::PatientItem(i, _) => Some(i),
            _ => None,
        }
    }
}

/// A drawing primitive.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A rectangle, optionally rounded.
    Rect {
        /// Where.
        rect: Rect,
        /// Corner radius.
        corner: f32,
        /// Fill, if any.
        fill: Option<Color>,
        /// Outline, if any.
        stroke: Option<Stroke>,
    },
    /// A straight line.
    Line {
        /// From.
        from: Point,
        /// To.
        to: Point,
        /// How.
        stroke: Stroke,
    },
    /// A polyline or polygon.
    Path {
        /// Vertices.
        points: Vec<Point>,
        /// Join the last point to the first.
        closed: bool,
        /// Fill (closed paths only).
        fill: Option<Color>,
        /// Outline.
        stroke: Option<Stroke>,
    },
    /// A marker symbol centred on a point.
    Marker {
        /// Centre.
        center: Point,
        /// Shape.
        shape: MarkerShape,
        /// Width and height of the symbol's box.
        size: f32,
        /// Fill.
        fill: Color,
        /// Outline.
        stroke: Option<Stroke>,
    },
    /// A line of text.
    Text(Text),
    /// A raster image scaled into `rect`.
    Image {
        /// Where.
        rect: Rect,
        /// The encoded image.
        data: Arc<ImageData>,
    },
}

/// One painted item: a shape and, optionally, the timeline item it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// What to paint.
    pub shape: Shape,
    /// What it means (for hover, hit tests and tests).
    pub meaning: Option<ItemRef>,
}

/// The whole figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    /// Figure width in pixels.
    pub width: f32,
    /// Figure height in pixels.
    pub height: f32,
    /// Page background; `None` when transparent.
    pub background: Option<Color>,
    /// Resolution the figure is meant for (pixels per inch), written into PNG/TIFF/PDF.
    pub dpi: f32,
    /// Items in paint order.
    pub items: Vec<Item>,
    /// The plot area: the figure-x range that is the time axis, and the lanes' vertical extent.
    pub plot: Rect,
    /// The time mapping used for this scene (so the viewer can map the pointer to a day).
    pub time_axis: TimeAxis,
    /// What the page had no room for (empty when everything is drawn).
    pub left_out: LeftOut,
}

/// The mapping from days (after day 0) to figure x used by a scene.
///
/// Piecewise linear: without compressed gaps there is one segment. With gaps compressed,
/// each kept stretch of time is a segment; between them is a break of fixed width.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeAxis {
    /// Segments in increasing day and x order.
    pub segments: Vec<AxisSegment>,
}

/// One linear stretch of the time axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AxisSegment {
    /// First day of the stretch (fractional days allowed).
    pub day0: f64,
    /// Last day of the stretch.
    pub day1: f64,
    /// Figure x of `day0`.
    pub x0: f32,
    /// Figure x of `day1`.
    pub x1: f32,
}

impl TimeAxis {
    /// A single linear segment mapping `day0..day1` to `x0..x1`.
    pub fn linear(day0: f64, day1: f64, x0: f32, x1: f32) -> Self {
        TimeAxis {
            segments: vec![AxisSegment { day0, day1, x0, x1 }],
        }
    }

    /// Figure x of a day. Days inside a break map into the break; days before the first or
    /// after the last segment extrapolate that segment.
    pub fn x_of(&self, day: f64) -> f32 {
        let Some(first) = self.segments.first() else {
            return 0.0;
        };
        let lerp = |s: &AxisSegment, d: f64| {
            let span = (s.day1 - s.day0).max(f64::MIN_POSITIVE);
            s.x0 + ((d - s.day0) / span) as f32 * (s.x1 - s.x0)
        };
        if day <= first.day0 {
            return lerp(first, day);
        }
        for (i, s) in self.segments.iter().enumerate() {
            if day <= s.day1 {
                return lerp(s, day);
            }
            if let Some(next) = self.segments.get(i + 1)
                && day < next.day0
            {
                // Inside a break: spread the hidden days over the break's width.
                let f = ((day - s.day1) / (next.day0 - s.day1)) as f32;
                return s.x1 + f * (next.x0 - s.x1);
            }
        }
        lerp(self.segments.last().unwrap_or(first), day)
    }

    /// The day at a figure x (inverse of [`TimeAxis::x_of`]).
    pub fn day_of(&self, x: f32) -> f64 {
        let Some(first) = self.segments.first() else {
            return 0.0;
        };
        let inv = |s: &AxisSegment, x: f32| {
            let w = (s.x1 - s.x0).max(f32::MIN_POSITIVE);
            s.day0 + ((x - s.x0) / w) as f64 * (s.day1 - s.day0)
        };
        if x <= first.x0 {
            return inv(first, x);
        }
        for (i, s) in self.segments.iter().enumerate() {
            if x <= s.x1 {
                return inv(s, x);
            }
            if let Some(next) = self.segments.get(i + 1)
                && x < next.x0
            {
                let f = ((x - s.x1) / (next.x0 - s.x1)) as f64;
                return s.day1 + f * (next.day0 - s.day1);
            }
        }
        inv(self.segments.last().unwrap_or(first), x)
    }

    /// The breaks (gaps compressed out of the axis) as (x of the break's left edge, x of its right edge).
    pub fn breaks(&self) -> impl Iterator<Item = (f32, f32)> + '_ {
        self.segments.windows(2).map(|w| (w[0].x1, w[1].x0))
    }
}

/// The outline of a marker symbol as a closed polygon, in figure pixels, fitting the
/// `size` × `size` box centred on `center`. Every output (SVG, PDF, viewer) draws markers
/// from this one function so they look the same everywhere.
///
/// [`MarkerShape::Circle`] has no polygon: the result is empty, and outputs draw a true
/// circle of diameter `size` instead.
pub fn marker_points(shape: MarkerShape, center: Point, size: f32) -> Vec<Point> {
    use std::f32::consts::{FRAC_1_SQRT_2, PI, TAU};
    let r = size / 2.0;
    let at = |dx: f32, dy: f32| Point::new(center.x + dx, center.y + dy);
    // `n` vertices on a circle of radius `rad`, the first straight up.
    let regular = |n: usize, rad: f32| -> Vec<Point> {
        (0..n)
            .map(|i| {
                let a = -PI / 2.0 + TAU * i as f32 / n as f32;
                at(rad * a.cos(), rad * a.sin())
            })
            .collect()
    };
    // A plus sign with arms of half-length `arm` and thickness `t`, rotated by `rot`.
    let plus = |arm: f32, t: f32, rot: f32| -> Vec<Point> {
        let h = t / 2.0;
        let pts = [
            (-h, -arm),
            (h, -arm),
            (h, -h),
            (arm, -h),
            (arm, h),
            (h, h),
            (h, arm),
            (-h, arm),
            (-h, h),
            (-arm, h),
            (-arm, -h),
            (-h, -h),
        ];
        let (s, c) = rot.sin_cos();
        pts.iter()
            .map(|&(x, y)| at(x * c - y * s, x * s + y * c))
            .collect()
    };
    match shape {
        MarkerShape::Circle => Vec::new(),
        MarkerShape::TriangleUp => vec![at(0.0, -r), at(r, r), at(-r, r)],
        MarkerShape::TriangleDown => vec![at(-r, -r), at(r, -r), at(0.0, r)],
        MarkerShape::Square => {
            // A little smaller than the box, so it weighs like the circle beside it.
            let s = r * 0.85;
            vec![at(-s, -s), at(s, -s), at(s, s), at(-s, s)]
        }
        MarkerShape::Diamond => vec![at(0.0, -r), at(r, 0.0), at(0.0, r), at(-r, 0.0)],
        MarkerShape::Star => (0..10)
            .map(|i| {
                let rad = if i % 2 == 0 { r } else { r * 0.45 };
                let a = -PI / 2.0 + PI * i as f32 / 5.0;
                at(rad * a.cos(), rad * a.sin())
            })
            .collect(),
        MarkerShape::Cross => plus(r, size * 0.32, 0.0),
        // Rotated 45°, the arm tips' outer corners stay inside the box.
        MarkerShape::X => plus(r / FRAC_1_SQRT_2 - size * 0.16, size * 0.32, PI / 4.0),
        MarkerShape::Pentagon => regular(5, r),
        MarkerShape::Hexagon => regular(6, r),
    }
}

impl Shape {
    /// Moves the shape by `(dx, dy)` figure pixels.
    pub fn translate(&mut self, dx: f32, dy: f32) {
        let mv = |p: &mut Point| {
            p.x += dx;
            p.y += dy;
        };
        let mv_rect = |r: &mut Rect| {
            r.min.x += dx;
            r.min.y += dy;
            r.max.x += dx;
            r.max.y += dy;
        };
        match self {
            Shape::Rect { rect, .. } | Shape::Image { rect, .. } => mv_rect(rect),
            Shape::Line { from, to, .. } => {
                mv(from);
                mv(to);
            }
            Shape::Path { points, .. } => points.iter_mut().for_each(mv),
            Shape::Marker { center, .. } => mv(center),
            Shape::Text(t) => {
                t.x += dx;
                t.baseline += dy;
                mv_rect(&mut t.bbox);
            }
        }
    }

    /// The area the shape covers (strokes and marker sizes included).
    pub fn bounds(&self) -> Rect {
        match self {
            Shape::Rect { rect, stroke, .. } => {
                rect.expand(stroke.map(|s| s.width / 2.0).unwrap_or(0.0))
            }
            Shape::Line { from, to, stroke } => Rect::from_min_max(
                Point::new(from.x.min(to.x), from.y.min(to.y)),
                Point::new(from.x.max(to.x), from.y.max(to.y)),
            )
            .expand(stroke.width / 2.0),
            Shape::Path { points, stroke, .. } => {
                let mut r = points
                    .first()
                    .map(|p| Rect::from_min_max(*p, *p))
                    .unwrap_or_default();
                for p in points {
                    r = r.union(&Rect::from_min_max(*p, *p));
                }
                r.expand(stroke.map(|s| s.width / 2.0).unwrap_or(0.0))
            }
            Shape::Marker {
                center,
                size,
                stroke,
                ..
            } => Rect::from_xywh(center.x - size / 2.0, center.y - size / 2.0, *size, *size)
                .expand(stroke.map(|s| s.width / 2.0).unwrap_or(0.0)),
            Shape::Text(t) => t.bbox,
            Shape::Image { rect, .. } => *rect,
        }
    }
}

impl Scene {
    /// Every text item, in paint order.
    pub fn texts(&self) -> impl Iterator<Item = &Text> {
        self.items.iter().filter_map(|i| match &i.shape {
            Shape::Text(t) => Some(t),
            _ => None,
        })
    }

    /// The topmost item with a meaning whose bounds contain `p` (for hover and click).
    pub fn hit(&self, p: Point) -> Option<ItemRef> {
        self.items
            .iter()
            .rev()
            .filter(|i| i.meaning.is_some())
            .find(|i| i.shape.bounds().expand(2.0).contains(p))
            .and_then(|i| i.meaning)
    }

    /// The box around every item that stands for `meaning` (a bar with its label, say);
    /// `None` when no item does.
    pub fn bounds_of(&self, meaning: ItemRef) -> Option<Rect> {
        self.items
            .iter()
            .filter(|i| i.meaning == Some(meaning))
            .map(|i| i.shape.bounds())
            .reduce(|a, b| a.union(&b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_axis_round_trips() {
        let a = TimeAxis::linear(0.0, 100.0, 50.0, 250.0);
        assert_eq!(a.x_of(0.0), 50.0);
        assert_eq!(a.x_of(50.0), 150.0);
        assert!((a.day_of(150.0) - 50.0).abs() < 1e-6);
        assert_eq!(a.x_of(-10.0), 30.0);
    }

    #[test]
    fn marker_polygons_fit_their_box() {
        use MarkerShape::*;
        let c = Point::new(100.0, 50.0);
        for shape in MarkerShape::ALL.into_iter().filter(|&s| s != Circle) {
            let pts = marker_points(shape, c, 10.0);
            assert!(pts.len() >= 3, "{shape:?}");
            let bx = Rect::from_xywh(95.0, 45.0, 10.0, 10.0).expand(1e-3);
            assert!(pts.iter().all(|p| bx.contains(*p)), "{shape:?}: {pts:?}");
            // Each reaches at least 40 % of the box, so none is a speck.
            let w = pts.iter().map(|p| p.x).fold(f32::MIN, f32::max)
                - pts.iter().map(|p| p.x).fold(f32::MAX, f32::min);
            assert!(w > 8.0, "{shape:?} width {w}");
        }
        assert!(marker_points(Circle, c, 10.0).is_empty());
    }

    #[test]
    fn an_items_bounds_cover_all_its_shapes() {
        let rect = |x, w| Shape::Rect {
            rect: Rect::from_xywh(x, 10.0, w, 5.0),
            corner: 0.0,
            fill: None,
            stroke: None,
        };
        let item = |shape, meaning| Item { shape, meaning };
        let scene = Scene {
            width: 200.0,
            height: 100.0,
            background: None,
            dpi: 96.0,
            items: vec![
                item(rect(10.0, 20.0), Some(ItemRef::Phase(0))),
                item(rect(50.0, 30.0), Some(ItemRef::Phase(0))),
                item(rect(100.0, 10.0), Some(ItemRef::Phase(1))),
            ],
            plot: Rect::from_xywh(0.0, 0.0, 200.0, 100.0),
            time_axis: TimeAxis::linear(0.0, 100.0, 0.0, 200.0),
            left_out: LeftOut::default(),
        };
        assert_eq!(
            scene.bounds_of(ItemRef::Phase(0)),
            Some(Rect::from_xywh(10.0, 10.0, 70.0, 5.0))
        );
        assert_eq!(scene.bounds_of(ItemRef::Phase(2)), None);
        assert_eq!(scene.hit(Point::new(105.0, 12.0)), Some(ItemRef::Phase(1)));
        assert_eq!(scene.hit(Point::new(40.0, 12.0)), None);
    }

    #[test]
    fn images_fit_whole_and_centred() {
        let slot = Rect::from_xywh(10.0, 20.0, 100.0, 50.0);
        // A square image in a wide slot: full height, centred across.
        assert_eq!(
            image_fit(&slot, 40, 40),
            Rect::from_xywh(35.0, 20.0, 50.0, 50.0)
        );
        // A wide image: full width, centred down.
        assert_eq!(
            image_fit(&slot, 400, 100),
            Rect::from_xywh(10.0, 32.5, 100.0, 25.0)
        );
        // A header claiming 0 pixels cannot divide by zero.
        assert!(image_fit(&slot, 0, 0).width().is_finite());
    }

    #[test]
    fn broken_axis_maps_gap_into_break() {
        let a = TimeAxis {
            segments: vec![
                AxisSegment {
                    day0: 0.0,
                    day1: 100.0,
                    x0: 0.0,
                    x1: 100.0,
                },
                AxisSegment {
                    day0: 1000.0,
                    day1: 1100.0,
                    x0: 120.0,
                    x1: 220.0,
                },
            ],
        };
        assert_eq!(a.x_of(100.0), 100.0);
        assert_eq!(a.x_of(550.0), 110.0);
        assert_eq!(a.x_of(1050.0), 170.0);
        assert!((a.day_of(170.0) - 1050.0).abs() < 1e-3);
        assert_eq!(a.breaks().collect::<Vec<_>>(), vec![(100.0, 120.0)]);
    }

    #[test]
    fn corner_radius_and_dashes_are_what_every_output_draws() {
        let r = Rect::from_xywh(0.0, 0.0, 40.0, 10.0);
        assert_eq!(corner_radius(&r, 3.0), 3.0);
        assert_eq!(corner_radius(&r, 30.0), 5.0);
        assert_eq!(corner_radius(&r, -1.0), 0.0);
        assert_eq!(corner_radius(&r, f32::NAN), 0.0);
        let flipped = Rect::from_min_max(Point::new(40.0, 10.0), Point::new(0.0, 0.0));
        assert_eq!(corner_radius(&flipped, 30.0), 5.0);
        let mut s = Stroke::solid(1.0, Color::rgba(0, 0, 0, 0));
        assert!(!s.is_visible());
        s.color.a = 1;
        assert!(s.is_visible());
        s.dash = Some((4.0, 0.0));
        assert_eq!(s.dash_pattern(), None);
        s.dash = Some((4.0, 2.0));
        assert_eq!(s.dash_pattern(), Some((4.0, 2.0)));
        assert_eq!(Color::rgba(255, 0, 51, 51).rgb_unit(), [1.0, 0.0, 0.2]);
        assert_eq!(Color::rgba(255, 0, 51, 51).opacity(), 0.2);
    }
}

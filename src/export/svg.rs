//! SVG export: the scene as a self-contained SVG document.
//!
//! Self-contained means nothing outside the file is needed: images are embedded as `data:`
//! URLs, text stays text (searchable, editable in Inkscape or Illustrator) with the bundled
//! font named and a generic fallback; characters from other fonts (Chinese, say) are drawn
//! as glyph outlines at the positions layout measured (see [`super::svg_glyphs`]). The output is deterministic — the same scene always
//! gives the same bytes — and carries no metadata beyond what the figure draws.

use std::fmt::Write as _;

use base64::Engine as _;

use super::svg_glyphs::{GlyphDefs, bundled_only};
use crate::fonts::FAMILY;
use crate::scene::{
    Anchor, Color, Item, Point, Scene, Shape, Stroke, Text, Weight, corner_radius, marker_points,
};

/// The `font-family` written on the document: the bundled face, then a generic fallback.
pub const FONT_FAMILY: &str = "DejaVu Sans, sans-serif";

/// Writes the scene as an SVG document.
pub fn to_svg(scene: &Scene) -> String {
    let w = num(scene.width.max(1.0));
    let h = num(scene.height.max(1.0));
    let mut out = String::with_capacity(64 * scene.items.len() + 512);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // `font-family` is inherited by every text; `xml:space` keeps spaces inside labels.
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}\" xml:space=\"preserve\">"
    );
    debug_assert!(FONT_FAMILY.starts_with(FAMILY));
    if let Some(bg) = scene.background {
        let _ = writeln!(
            out,
            "<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\"{}/>",
            paint("fill", bg)
        );
    }
    let mut glyphs = GlyphDefs::default();
    for item in &scene.items {
        write_item(&mut out, &mut glyphs, item);
    }
    glyphs.write_defs(&mut out);
    out.push_str("</svg>\n");
    out
}

fn write_item(out: &mut String, glyphs: &mut GlyphDefs, item: &Item) {
    match &item.shape {
        Shape::Rect {
            rect,
            corner,
            fill,
            stroke,
        } => {
            let x = rect.min.x.min(rect.max.x);
            let y = rect.min.y.min(rect.max.y);
            let rw = rect.width().abs();
            let rh = rect.height().abs();
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
                num(x),
                num(y),
                num(rw),
                num(rh)
            );
            let r = corner_radius(rect, *corner);
            if r > 0.0 {
                let _ = write!(out, " rx=\"{}\"", num(r));
            }
            write_fill(out, *fill);
            write_stroke(out, stroke.as_ref());
            out.push_str("/>\n");
        }
        Shape::Line { from, to, stroke } => {
            if !stroke.is_visible() {
                return;
            }
            let _ = write!(
                out,
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"",
                num(from.x),
                num(from.y),
                num(to.x),
                num(to.y)
            );
            write_stroke(out, Some(stroke));
            out.push_str("/>\n");
        }
        Shape::Path {
            points,
            closed,
            fill,
            stroke,
        } => {
            if points.len() < 2 {
                return;
            }
            out.push_str("<path d=\"");
            write_path_data(out, points, *closed);
            out.push('"');
            write_fill(out, if *closed { *fill } else { None });
            write_stroke(out, stroke.as_ref());
            if !*closed {
                out.push_str(" stroke-linejoin=\"round\"");
            }
            out.push_str("/>\n");
        }
        Shape::Marker {
            center,
            shape,
            size,
            fill,
            stroke,
        } => {
            let points = marker_points(*shape, *center, *size);
            if points.is_empty() {
                // A circle (the one shape without a polygon).
                let _ = write!(
                    out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"",
                    num(center.x),
                    num(center.y),
                    num(size / 2.0)
                );
            } else {
                out.push_str("<path d=\"");
                write_path_data(out, &points, true);
                out.push('"');
            }
            write_fill(out, Some(*fill));
            write_stroke(out, stroke.as_ref());
            if stroke.is_some() {
                out.push_str(" stroke-linejoin=\"round\"");
            }
            out.push_str("/>\n");
        }
        Shape::Text(t) if t.text.is_empty() => {}
        Shape::Text(t) if bundled_only(t) => write_text(out, t),
        Shape::Text(t) => glyphs.write_text(out, t),
        Shape::Image { rect, data } => {
            let encoded = base64::engine::general_purpose::STANDARD.encode(&data.bytes[..]);
            let _ = writeln!(
                out,
                "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" \
                 preserveAspectRatio=\"xMidYMid meet\" href=\"data:{};base64,{encoded}\"/>",
                num(rect.min.x.min(rect.max.x)),
                num(rect.min.y.min(rect.max.y)),
                num(rect.width().abs()),
                num(rect.height().abs()),
                data.mime,
            );
        }
    }
}

fn write_text(out: &mut String, t: &Text) {
    if t.text.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\"",
        num(t.x),
        num(t.baseline),
        num(t.size)
    );
    if t.weight == Weight::Bold {
        out.push_str(" font-weight=\"bold\"");
    }
    match t.anchor {
        Anchor::Start => {}
        Anchor::Middle => out.push_str(" text-anchor=\"middle\""),
        Anchor::End => out.push_str(" text-anchor=\"end\""),
    }
    write_fill(out, Some(t.color));
    out.push('>');
    escape_into(out, &t.text);
    out.push_str("</text>\n");
}

fn write_path_data(out: &mut String, points: &[Point], closed: bool) {
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            out,
            "{}{} {}",
            if i == 0 { "M" } else { " L" },
            num(p.x),
            num(p.y)
        );
    }
    if closed {
        out.push_str(" Z");
    }
}

fn write_fill(out: &mut String, fill: Option<Color>) {
    match fill {
        Some(c) => out.push_str(&paint("fill", c)),
        None => out.push_str(" fill=\"none\""),
    }
}

fn write_stroke(out: &mut String, stroke: Option<&Stroke>) {
    let Some(s) = stroke.filter(|s| s.is_visible()) else {
        return;
    };
    out.push_str(&paint("stroke", s.color));
    let _ = write!(out, " stroke-width=\"{}\"", num(s.width));
    if let Some((on, off)) = s.dash_pattern() {
        let _ = write!(out, " stroke-dasharray=\"{} {}\"", num(on), num(off));
    }
}

/// ` fill="#rrggbb"` plus ` fill-opacity` when the colour is not opaque.
pub(super) fn paint(attr: &str, c: Color) -> String {
    if c.a == 255 {
        format!(" {attr}=\"{}\"", c.hex())
    } else {
        format!(
            " {attr}=\"{}\" {attr}-opacity=\"{}\"",
            c.hex(),
            num(c.opacity())
        )
    }
}

/// A number with at most two decimals, no trailing zeros, no `-0`, and `0` for non-finite.
pub(super) fn num(v: f32) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    let mut s = format!("{v:.2}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

/// Appends `text` XML-escaped; characters XML 1.0 does not allow are dropped.
pub(super) fn escape_into(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::ImageData;
    use crate::scene::MarkerShape;
    use crate::scene::{Item, Rect, Scene, TimeAxis};

    /// A 1×1 red PNG.
    pub(crate) fn red_png() -> Vec<u8> {
        let mut bytes = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut bytes, 2, 2);
            enc.set_color(png::ColorType::Rgba);
            let mut w = enc.write_header().expect("header");
            w.write_image_data(&[255, 0, 0, 255].repeat(4))
                .expect("data");
        }
        bytes
    }

    fn item(shape: Shape) -> Item {
        Item {
            shape,
            meaning: None,
        }
    }

    pub(crate) fn text(s: &str, x: f32, baseline: f32, size: f32) -> Text {
        let w = crate::fonts::text_width(s, size, Weight::Regular);
        Text {
            text: s.into(),
            x,
            baseline,
            anchor: Anchor::Start,
            size,
            weight: Weight::Regular,
            color: Color::rgb(0, 0, 0),
            bbox: Rect::from_xywh(x, baseline - size, w, size * 1.2),
        }
    }

    pub(crate) fn empty_scene(w: f32, h: f32) -> Scene {
        Scene {
            width: w,
            height: h,
            background: Some(Color::rgb(255, 255, 255)),
            dpi: 96.0,
            items: vec![],
            plot: Rect::from_xywh(0.0, 0.0, w, h),
            time_axis: TimeAxis::linear(0.0, 100.0, 0.0, w),
            left_out: Default::default(),
        }
    }

    /// A scene with one of every shape.
    pub(crate) fn sample_scene() -> Scene {
        let mut s = empty_scene(400.0, 300.0);
        let stroke = Stroke::solid(1.5, Color::rgb(10, 20, 30));
        s.items.push(item(Shape::Rect {
            rect: Rect::from_xywh(10.0, 10.0, 100.0, 20.0),
            corner: 4.0,
            fill: Some(Color::rgba(0, 0, 255, 128)),
            stroke: Some(stroke),
        }));
        s.items.push(item(Shape::Line {
            from: Point::new(0.0, 50.0),
            to: Point::new(400.0, 50.0),
            stroke: Stroke {
                width: 1.0,
                color: Color::rgb(0, 0, 0),
                dash: Some((4.0, 2.0)),
            },
        }));
        s.items.push(item(Shape::Path {
            points: vec![
                Point::new(10.0, 100.0),
                Point::new(50.0, 80.0),
                Point::new(90.0, 120.0),
            ],
            closed: false,
            fill: None,
            stroke: Some(stroke),
        }));
        s.items.push(item(Shape::Path {
            points: vec![
                Point::new(100.0, 100.0),
                Point::new(150.0, 80.0),
                Point::new(190.0, 120.0),
            ],
            closed: true,
            fill: Some(Color::rgb(0, 200, 0)),
            stroke: None,
        }));
        for (i, shape) in MarkerShape::ALL.into_iter().enumerate() {
            s.items.push(item(Shape::Marker {
                center: Point::new(20.0 + 30.0 * i as f32, 150.0),
                shape,
                size: 16.0,
                fill: Color::rgb(200, 0, 0),
                stroke: Some(Stroke::solid(1.0, Color::rgb(0, 0, 0))),
            }));
        }
        s.items.push(item(Shape::Text(text(
            "PFS ≥ 15.9 mo <A&B>",
            10.0,
            200.0,
            14.0,
        ))));
        let mut bold = text("Patient 1", 200.0, 30.0, 20.0);
        bold.weight = Weight::Bold;
        bold.anchor = Anchor::Middle;
        s.items.push(item(Shape::Text(bold)));
        s.items.push(item(Shape::Image {
            rect: Rect::from_xywh(300.0, 200.0, 60.0, 60.0),
            data: Arc::new(ImageData {
                bytes: red_png().into(),
                mime: "image/png",
                width: 2,
                height: 2,
            }),
        }));
        s
    }

    #[test]
    fn writes_every_shape() {
        let svg = to_svg(&sample_scene());
        assert!(svg.starts_with("<?xml"));
        assert!(svg.contains("width=\"400\" height=\"300\" viewBox=\"0 0 400 300\""));
        assert!(svg.contains("font-family=\"DejaVu Sans, sans-serif\""));
        assert!(
            svg.contains("<rect x=\"0\" y=\"0\" width=\"400\" height=\"300\" fill=\"#ffffff\"/>")
        );
        assert!(svg.contains("rx=\"4\""));
        assert!(svg.contains("fill=\"#0000ff\" fill-opacity=\"0.5\""));
        assert!(svg.contains("stroke-dasharray=\"4 2\""));
        assert!(svg.contains("<path d=\"M10 100 L50 80 L90 120\" fill=\"none\""));
        assert!(svg.contains("<path d=\"M100 100 L150 80 L190 120 Z\" fill=\"#00c800\""));
        assert!(svg.contains("<circle cx=\"20\" cy=\"150\" r=\"8\""));
        // 9 polygon markers + 2 paths.
        assert_eq!(svg.matches("<path ").count(), 11);
        assert!(svg.contains(">PFS ≥ 15.9 mo &lt;A&amp;B&gt;</text>"));
        assert!(svg.contains("font-weight=\"bold\" text-anchor=\"middle\""));
        assert!(svg.contains(
            "<image x=\"300\" y=\"200\" width=\"60\" height=\"60\" \
             preserveAspectRatio=\"xMidYMid meet\" href=\"data:image/png;base64,iVBOR"
        ));
        assert!(svg.ends_with("</svg>\n"));
    }

    #[test]
    fn is_deterministic_and_parses() {
        let a = to_svg(&sample_scene());
        let b = to_svg(&sample_scene());
        assert_eq!(a, b);
        let opt = resvg::usvg::Options::default();
        let tree = resvg::usvg::Tree::from_str(&a, &opt).expect("valid SVG");
        assert_eq!(tree.size().width(), 400.0);
    }

    #[test]
    fn transparent_scene_has_no_background() {
        let mut s = sample_scene();
        s.background = None;
        assert!(!to_svg(&s).contains("width=\"400\" height=\"300\" fill="));
    }

    #[test]
    fn control_characters_never_break_the_xml() {
        let mut s = empty_scene(100.0, 100.0);
        s.items
            .push(item(Shape::Text(text("a\u{1}b\"'\tc", 0.0, 50.0, 12.0))));
        let svg = to_svg(&s);
        assert!(svg.contains(">ab&quot;&apos; c</text>"), "{svg}");
        resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).expect("valid");
    }

    #[test]
    fn numbers_are_compact() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(1.234_567), "1.23");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f32::NAN), "0");
    }
}

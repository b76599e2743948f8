//! PDF and TIFF export: page size from the scene's DPI, text as searchable text, images
//! embedded, no metadata, LZW with DPI tags, and the same scene giving the same bytes.

mod pdf_support;

use std::sync::Arc;

use txline::export::pdf::to_pdf;
use txline::export::tiff::to_tiff;
use txline::fonts;
use txline::model::ImageData;
use txline::scene::{
    Anchor, Color, Item, ItemRef, MarkerShape, Point, Rect, Scene, Shape, Stroke, Text, TimeAxis,
    Weight,
};

/// A small PNG: a red/blue checker with one half-transparent corner.
fn test_png(w: u32, h: u32) -> Arc<ImageData> {
    let mut img = image::RgbaImage::new(w, h);
    for (x, y, p) in img.enumerate_pixels_mut() {
        *p = if (x / 4 + y / 4) % 2 == 0 {
            image::Rgba([200, 30, 30, 255])
        } else {
            image::Rgba([30, 30, 200, 255])
        };
        if x < 3 && y < 3 {
            p.0[3] = 128;
        }
    }
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgba8(img)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("png encodes");
    Arc::new(ImageData {
        bytes: bytes.into(),
        mime: "image/png",
        width: w,
        height: h,
    })
}

fn text(s: &str, x: f32, baseline: f32, anchor: Anchor, size: f32, weight: Weight) -> Item {
    let (w, asc, desc) = fonts::measure(s, size, weight);
    let left = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - w / 2.0,
        Anchor::End => x - w,
    };
    Item {
        shape: Shape::Text(Text {
            text: s.to_string(),
            x,
            baseline,
            anchor,
            size,
            weight,
            color: Color::rgb(20, 20, 20),
            bbox: Rect::from_xywh(left, baseline - asc, w, asc + desc),
        }),
        meaning: None,
    }
}

/// A scene with every kind of primitive: at 300 dpi, 1004 px is 85 mm.
fn sample_scene() -> Scene {
    let mut items = vec![
        Item {
            shape: Shape::Rect {
                rect: Rect::from_xywh(100.0, 80.0, 300.0, 40.0),
                corner: 8.0,
                fill: Some(Color::rgb(0x44, 0x77, 0xaa)),
                stroke: Some(Stroke::solid(2.0, Color::rgb(0, 0, 0))),
            },
            meaning: Some(ItemRef::Phase(0)),
        },
        Item {
            shape: Shape::Rect {
                rect: Rect::from_xywh(420.0, 80.0, 200.0, 40.0),
                corner: 0.0,
                fill: Some(Color::rgba(0xee, 0x66, 0x77, 128)),
                stroke: None,
            },
            meaning: Some(ItemRef::Status(0)),
        },
        Item {
            shape: Shape::Line {
                from: Point::new(60.0, 300.0),
                to: Point::new(940.0, 300.0),
                stroke: Stroke {
                    width: 3.0,
                    color: Color::rgb(80, 80, 80),
                    dash: Some((12.0, 6.0)),
                },
            },
            meaning: None,
        },
        Item {
            shape: Shape::Path {
                points: vec![
                    Point::new(100.0, 400.0),
                    Point::new(200.0, 350.0),
                    Point::new(300.0, 380.0),
                ],
                closed: false,
                fill: None,
                stroke: Some(Stroke::solid(2.0, Color::rgb(0x22, 0x88, 0x33))),
            },
            meaning: Some(ItemRef::Measurement(0)),
        },
    ];
    for (i, shape) in MarkerShape::ALL.into_iter().enumerate() {
        items.push(Item {
            shape: Shape::Marker {
                center: Point::new(100.0 + 80.0 * i as f32, 200.0),
                shape,
                size: 36.0,
                fill: Color::rgb(0xcc, 0xbb, 0x44),
                stroke: Some(Stroke::solid(2.0, Color::rgb(0, 0, 0))),
            },
            meaning: Some(ItemRef::Response(i)),
        });
    }
    items.push(text(
        "Patient timeline",
        502.0,
        50.0,
        Anchor::Middle,
        32.0,
        Weight::Bold,
    ));
    items.push(text(
        "PFS ≥ 15.9 mo — AVATAR (kerned)",
        60.0,
        460.0,
        Anchor::Start,
        24.0,
        Weight::Regular,
    ));
    items.push(text(
        "cisplatin 40 mg/m² ×5",
        940.0,
        520.0,
        Anchor::End,
        24.0,
        Weight::Regular,
    ));
    items.push(Item {
        shape: Shape::Image {
            rect: Rect::from_xywh(700.0, 340.0, 160.0, 120.0),
            data: test_png(32, 24),
        },
        meaning: Some(ItemRef::Image(0)),
    });
    Scene {
        width: 1004.0,
        height: 600.0,
        background: Some(Color::rgb(255, 255, 255)),
        dpi: 300.0,
        items,
        plot: Rect::from_xywh(60.0, 60.0, 880.0, 480.0),
        time_axis: TimeAxis::linear(0.0, 365.0, 60.0, 940.0),
        left_out: Default::default(),
    }
}

#[test]
fn pdf_page_is_the_figure_at_its_dpi() {
    let pdf = to_pdf(&sample_scene()).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-1."));
    let [x0, y0, x1, y1] = pdf_support::media_box(&pdf);
    assert_eq!((x0, y0), (0.0, 0.0));
    // 1004 px at 300 dpi = 240.96 pt = 85.0 mm; 600 px = 144 pt.
    assert!((x1 - 240.96).abs() < 0.01, "width {x1} pt");
    assert!((y1 - 144.0).abs() < 0.01, "height {y1} pt");
    let mm = x1 / 72.0 * 25.4;
    assert!((mm - 85.0).abs() < 0.05, "{mm} mm");
}

#[test]
fn pdf_text_is_real_searchable_text() {
    let pdf = to_pdf(&sample_scene()).expect("pdf");
    let texts = pdf_support::page_texts(&pdf);
    assert_eq!(
        texts,
        vec![
            "Patient timeline".to_string(),
            "PFS ≥ 15.9 mo — AVATAR (kerned)".to_string(),
            "cisplatin 40 mg/m² ×5".to_string(),
        ]
    );
    // Both faces embedded as subset TrueType CID fonts.
    let objs = pdf_support::objects(&pdf);
    let font_files: Vec<_> = objs
        .values()
        .filter(|o| o.dict.contains("/Length1"))
        .collect();
    assert_eq!(font_files.len(), 2);
    for f in &font_files {
        let data = f.stream.as_ref().expect("font program");
        // A subset: far smaller than the 700 kB faces.
        assert!(data.len() < 60_000, "font program of {} bytes", data.len());
        assert!(
            ttf_parser::Face::parse(data, 0).is_ok(),
            "subset parses as TrueType"
        );
    }
    let dicts: String = objs.values().map(|o| o.dict.as_str()).collect();
    assert!(dicts.contains("+DejaVuSans-Bold"), "{dicts}");
    assert!(dicts.contains("/CIDFontType2"));
}

#[test]
fn pdf_text_is_placed_where_layout_measured_it() {
    // The glyph run's advances and kerning must add up to fonts::text_width, so an
    // end-anchored text ends at its x. Check the TJ arithmetic through the widths array.
    let scene = sample_scene();
    let pdf = to_pdf(&scene).expect("pdf");
    let objs = pdf_support::objects(&pdf);
    let content_ref = objs
        .values()
        .find(|o| o.dict.contains("/Type /Page") && !o.dict.contains("/Type /Pages"))
        .and_then(|p| pdf_support::dict_ref(&p.dict, "/Contents"))
        .expect("contents");
    let content = String::from_utf8_lossy(objs[&content_ref].stream.as_ref().unwrap()).into_owned();
    // The end-anchored text starts at x = 940 − width.
    let w = fonts::text_width("cisplatin 40 mg/m² ×5", 24.0, Weight::Regular);
    let x = 940.0 - w;
    let tm = content
        .lines()
        .filter(|l| l.ends_with(" Tm"))
        .nth(2)
        .expect("third text matrix")
        .to_string();
    let nums: Vec<f32> = tm
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    assert!((nums[4] - x).abs() < 0.01, "{tm} vs x {x}");
    assert_eq!(nums[5], 520.0);
}

#[test]
fn pdf_embeds_images_and_carries_no_metadata() {
    let pdf = to_pdf(&sample_scene()).expect("pdf");
    let objs = pdf_support::objects(&pdf);
    let images: Vec<_> = objs
        .values()
        .filter(|o| o.dict.contains("/Subtype /Image"))
        .collect();
    // The RGB image and its soft mask (one corner is half transparent).
    assert_eq!(images.len(), 2);
    let rgb = images
        .iter()
        .find(|o| o.dict.contains("/DeviceRGB"))
        .expect("rgb image");
    assert_eq!(rgb.stream.as_ref().unwrap().len(), 32 * 24 * 3);
    assert!(rgb.dict.contains("/SMask"));
    let text = String::from_utf8_lossy(&pdf);
    for banned in [
        "/Info",
        "/CreationDate",
        "/ModDate",
        "/Producer",
        "/Metadata",
        "/Author",
    ] {
        assert!(!text.contains(banned), "{banned} found");
    }
    // Transparency through an ExtGState (the 50 % status fill).
    assert!(objs.values().any(|o| o.dict.contains("/ca 0.5")));
}

#[test]
fn pdf_is_reproducible() {
    let a = to_pdf(&sample_scene()).expect("pdf");
    let b = to_pdf(&sample_scene()).expect("pdf");
    assert_eq!(a, b);
    // And a different scene gets a different file id.
    let mut other = sample_scene();
    other.items.pop();
    let c = to_pdf(&other).expect("pdf");
    let id = |p: &[u8]| {
        let t = String::from_utf8_lossy(p).into_owned();
        t[t.find("/ID").expect("file id")..]
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert_ne!(id(&a), id(&c));
}

#[test]
fn pdf_of_an_empty_scene_is_valid_and_a_bad_size_is_an_error() {
    let mut s = sample_scene();
    s.items.clear();
    let pdf = to_pdf(&s).expect("pdf");
    assert!(pdf_support::page_texts(&pdf).is_empty());
    s.width = f32::NAN;
    assert!(to_pdf(&s).is_err());
    s.width = 100.0;
    s.dpi = 0.0;
    assert!(to_pdf(&s).is_err());
}

/// TIFF tags read back.
fn tiff_tag(bytes: &[u8], tag: tiff::tags::Tag) -> Option<tiff::decoder::ifd::Value> {
    let mut d = tiff::decoder::Decoder::new(std::io::Cursor::new(bytes)).expect("tiff decodes");
    d.find_tag(tag).expect("tag reads")
}

#[test]
fn tiff_is_lzw_with_the_scene_dpi() {
    let mut scene = sample_scene();
    scene.dpi = 600.0;
    let bytes = to_tiff(&scene).expect("tiff");
    let mut d = tiff::decoder::Decoder::new(std::io::Cursor::new(&bytes)).expect("decoder");
    assert_eq!(d.dimensions().expect("dimensions"), (1004, 600));
    use tiff::decoder::ifd::Value;
    use tiff::tags::Tag;
    assert_eq!(
        tiff_tag(&bytes, Tag::Compression).and_then(|v| v.into_u16().ok()),
        Some(5),
        "LZW"
    );
    assert_eq!(
        tiff_tag(&bytes, Tag::ResolutionUnit).and_then(|v| v.into_u16().ok()),
        Some(2),
        "inch"
    );
    for tag in [Tag::XResolution, Tag::YResolution] {
        match tiff_tag(&bytes, tag) {
            Some(Value::Rational(n, dd)) => assert_eq!(n as f64 / dd as f64, 600.0),
            other => panic!("{tag:?}: {other:?}"),
        }
    }
    // The pixels are the figure: white background, the blue phase bar.
    let img = match d.read_image().expect("pixels") {
        tiff::decoder::DecodingResult::U8(v) => v,
        other => panic!(
            "8-bit samples expected, got {:?}",
            std::mem::discriminant(&other)
        ),
    };
    let channels = img.len() / (1004 * 600);
    let px = |x: usize, y: usize| &img[(y * 1004 + x) * channels..(y * 1004 + x) * channels + 3];
    assert_eq!(px(5, 5), &[255, 255, 255]);
    assert_eq!(px(250, 100), &[0x44, 0x77, 0xaa]);
}

#[test]
fn tiff_is_reproducible_and_small() {
    let a = to_tiff(&sample_scene()).expect("tiff");
    let b = to_tiff(&sample_scene()).expect("tiff");
    assert_eq!(a, b);
    // LZW on a mostly white figure: far below the raw 1004 × 600 × 3 bytes.
    assert!(a.len() < 1004 * 600, "{} bytes", a.len());
}

#[test]
fn tiff_pixels_are_the_png_pixels() {
    let scene = sample_scene();
    let png_bytes = txline::export::png::to_png(&scene).expect("png");
    let png_px = image::load_from_memory(&png_bytes)
        .expect("png decodes")
        .to_rgb8();
    let tiff_bytes = to_tiff(&scene).expect("tiff");
    let mut d = tiff::decoder::Decoder::new(std::io::Cursor::new(&tiff_bytes)).expect("tiff");
    let (w, h) = d.dimensions().expect("dimensions");
    let tiff_px = match d.read_image().expect("pixels") {
        tiff::decoder::DecodingResult::U8(v) => image::RgbImage::from_raw(w, h, v).expect("rgb"),
        _ => panic!("8-bit samples expected"),
    };
    assert_eq!(png_px.dimensions(), tiff_px.dimensions());
    assert!(png_px == tiff_px, "TIFF pixels differ from the PNG's");
}

#[test]
fn a_transparent_figure_is_an_rgba_tiff() {
    let mut scene = sample_scene();
    scene.background = None;
    let bytes = to_tiff(&scene).expect("tiff");
    let mut d = tiff::decoder::Decoder::new(std::io::Cursor::new(&bytes)).expect("decoder");
    assert_eq!(d.colortype().expect("colour"), tiff::ColorType::RGBA(8));
    let px = match d.read_image().expect("pixels") {
        tiff::decoder::DecodingResult::U8(v) => v,
        _ => panic!("8-bit samples expected"),
    };
    // A corner with nothing drawn is fully transparent.
    assert_eq!(px[3], 0);
}

/// Runs `txline export` and returns the file's bytes.
fn cli_export(input: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> Vec<u8> {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_txline"))
        .arg("export")
        .arg(input)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .expect("txline runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    std::fs::read(out).expect("output written")
}

#[test]
fn cli_exports_are_reproducible() {
    let input = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patient1.ron");
    let dir = tempfile::tempdir().expect("temp dir");
    for (ext, extra) in [
        ("pdf", vec!["--preset", "journal-1col"]),
        ("tif", vec!["--preset", "journal-1col"]),
        ("pdf", vec!["--deidentify"]),
    ] {
        let a = cli_export(&input, &dir.path().join(format!("a.{ext}")), &extra);
        let b = cli_export(&input, &dir.path().join(format!("b.{ext}")), &extra);
        assert!(a.len() > 1000, "{ext}: {} bytes", a.len());
        assert!(a == b, "{ext} {extra:?}: two exports differ");
    }
}

#[test]
fn pdf_skips_items_with_non_finite_coordinates() {
    let mut scene = sample_scene();
    scene.items.push(Item {
        shape: Shape::Line {
            from: Point::new(f32::NAN, 1.0),
            to: Point::new(f32::INFINITY, 2.0),
            stroke: Stroke::solid(1.0, Color::rgb(0, 0, 0)),
        },
        meaning: None,
    });
    let pdf = to_pdf(&scene).expect("pdf");
    // Not drawn at all: the file is the one without it.
    assert_eq!(pdf, {
        scene.items.pop();
        to_pdf(&scene).expect("pdf")
    });
}

//! Every response result must read by its shape alone (for greyscale print and colour-blind
//! readers): each result's marker is rendered in one colour, and any two masks must differ.

use txline::export::png::render_rgba;
use txline::model::ResponseResult;
use txline::scene::{Color, Item, Point, Rect, Scene, Shape, TimeAxis};
use txline::theme::response_shape;

const SIDE: u32 = 48;

/// The marker of `result`, drawn black on white at the size the figure uses on a slide
/// (scaled up ×2 so anti-aliasing does not dominate), as a mask of inked pixels.
fn mask(result: ResponseResult) -> Vec<bool> {
    let scene = Scene {
        width: SIDE as f32,
        height: SIDE as f32,
        background: Some(Color::rgb(255, 255, 255)),
        dpi: 96.0,
        items: vec![Item {
            shape: Shape::Marker {
                center: Point::new(SIDE as f32 / 2.0, SIDE as f32 / 2.0),
                shape: response_shape(result),
                size: 36.0,
                fill: Color::rgb(0, 0, 0),
                stroke: None,
            },
            meaning: None,
        }],
        plot: Rect::from_xywh(0.0, 0.0, SIDE as f32, SIDE as f32),
        time_axis: TimeAxis::linear(0.0, 1.0, 0.0, SIDE as f32),
        left_out: Default::default(),
    };
    let (w, h, rgba) = render_rgba(&scene).expect("renders");
    assert_eq!((w, h), (SIDE, SIDE));
    rgba.chunks_exact(4).map(|p| p[0] < 128).collect()
}

#[test]
fn any_two_response_results_differ_by_shape_alone() {
    let masks: Vec<(ResponseResult, Vec<bool>)> =
        ResponseResult::ALL.iter().map(|r| (*r, mask(*r))).collect();
    for (r, m) in &masks {
        let inked = m.iter().filter(|b| **b).count();
        assert!(inked > 150, "{r:?} draws almost nothing ({inked} px)");
    }
    let mut closest = (1.0f32, "".to_string());
    for (i, (a, ma)) in masks.iter().enumerate() {
        for (b, mb) in &masks[i + 1..] {
            let union = ma.iter().zip(mb).filter(|(x, y)| **x || **y).count();
            let differ = ma.iter().zip(mb).filter(|(x, y)| x != y).count();
            let ratio = differ as f32 / union as f32;
            if ratio < closest.0 {
                closest = (ratio, format!("{a:?}/{b:?}"));
            }
            assert!(
                ratio > 0.12,
                "{a:?} and {b:?} look alike: only {:.0}% of their pixels differ",
                ratio * 100.0
            );
        }
    }
    eprintln!(
        "closest pair: {} ({:.0}% differ)",
        closest.1,
        closest.0 * 100.0
    );
}

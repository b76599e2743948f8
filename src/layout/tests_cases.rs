//! Layout tests on the example cases and on figure details (legend, subtitle, cut bars,
//! month names, shortened labels); the helpers are in `tests.rs`.

use super::tests::*;
use super::*;
use crate::model::*;
use crate::page::{Page, Preset};
use crate::scene::{ItemRef, Scene, Shape};

fn example(name: &str) -> Timeline {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    crate::load::load_file(&path)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .timeline
}

#[test]
fn example_cases_at_every_preset_theme_and_axis() {
    for name in ["patient1.ron", "patient2.ron"] {
        let tl = example(name);
        let mut pages: Vec<Page> = Preset::ALL.iter().map(|p| p.page()).collect();
        pages.push(Page::pixels(1200.0, 800.0));
        pages.push(Page::pixels(3000.0, 1500.0));
        pages.push(Page::pixels(900.0, 600.0));
        for page in &pages {
            for &theme in crate::theme::ThemeKind::ALL {
                for &axis in AxisMode::ALL {
                    let opt = LayoutOptions {
                        theme,
                        axis,
                        ..Default::default()
                    };
                    let sc = layout(&tl, &opt, page);
                    check(&sc, page);
                }
            }
            let sc = layout(&tl, &LayoutOptions::default(), page);
            // Every interval's computed length, every status label (never cut), every
            // lane and every response is on the figure.
            for iv in &tl.intervals {
                assert!(has_text(&sc, &iv.length_label()), "{name} {page:?}");
            }
            if page.height.is_none() || page.height.is_some_and(|h| h >= 1000.0) {
                for st in &tl.statuses {
                    assert!(
                        sc.texts()
                            .any(|t| t.text.trim_start_matches('~') == st.label),
                        "{name} {page:?}: status {:?}",
                        st.label
                    );
                }
                for (i, _) in tl.images.iter().enumerate() {
                    assert!(
                        !items_of(&sc, ItemRef::Image(i)).is_empty(),
                        "{name} image {i}"
                    );
                }
                for (i, _) in tl.responses.iter().enumerate() {
                    assert!(
                        items_of(&sc, ItemRef::Response(i))
                            .iter()
                            .any(|it| matches!(it.shape, Shape::Text(_))),
                        "{name} {page:?} response {i} unlabelled"
                    );
                }
            }
            assert!(!sc.texts().any(|t| t.text.contains('…')), "{name} {page:?}");
        }
    }
}

#[test]
fn example_deidentified_shows_no_dates() {
    let tl = example("patient1.ron");
    let mut rel = tl.clone();
    rel.day_zero = None;
    rel.day_zero_origin = DayZeroOrigin::RelativeOnly;
    let sc = layout(&rel, &LayoutOptions::default(), &slide());
    check(&sc, &slide());
    for t in sc.texts() {
        assert!(!t.text.contains("202"), "date-like {:?}", t.text);
        for m in super::axis::MONTHS {
            assert!(
                !t.text.split(|c: char| !c.is_alphabetic()).any(|w| w == m),
                "{:?}",
                t.text
            );
        }
    }
}

#[test]
fn plot_holds_lanes_and_thumbnails_keep_aspect() {
    let tl = example("patient1.ron");
    for page in [slide(), Preset::Journal1col.page()] {
        let sc = layout(&tl, &LayoutOptions::default(), &page);
        for it in &sc.items {
            if let (Some(ItemRef::Phase(_)), Shape::Rect { rect, .. }) = (it.meaning, &it.shape) {
                assert!(
                    sc.plot.expand(1.0).contains_rect(rect),
                    "{rect:?} {:?}",
                    sc.plot
                );
            }
            if let Shape::Image { rect, data } = &it.shape {
                let want = data.width as f32 / data.height as f32;
                assert!((rect.width() / rect.height() - want).abs() < 0.01);
            }
        }
        // Status segments and brackets can be hovered.
        assert!(
            sc.items
                .iter()
                .any(|i| matches!(i.meaning, Some(ItemRef::Status(_))))
        );
        assert!(
            sc.items
                .iter()
                .any(|i| matches!(i.meaning, Some(ItemRef::Interval(_))))
        );
        assert!(
            sc.items
                .iter()
                .any(|i| matches!(i.meaning, Some(ItemRef::MeasurementPoint(1, _))))
        );
    }
}

#[test]
fn small_window_keeps_the_heart_of_the_figure() {
    // A viewer window: optional parts (images, later tracks) give way before bar labels,
    // lane names and the status band do.
    let tl = example("patient1.ron");
    let page = Page::pixels(900.0, 600.0);
    let sc = layout(&tl, &LayoutOptions::default(), &page);
    check(&sc, &page);
    for t in [
        "Camrelizumab · L3",
        "Immunotherapy",
        "Partial remission",
        "PFS ≥ 15.5 mo",
    ] {
        assert!(has_text(&sc, t), "{t}");
    }
    assert!(
        items_of(&sc, ItemRef::Image(0)).is_empty(),
        "no room for images"
    );
}

#[test]
fn subtitle_gives_day_zero_at_its_written_precision() {
    let tl = example("patient2.ron");
    let sc = layout(&tl, &LayoutOptions::default(), &slide());
    let sub: Vec<&str> = sc
        .texts()
        .map(|t| t.text.as_str())
        .filter(|t| t.contains("day 0 ="))
        .collect();
    assert!(
        sub.iter().any(|t| t.contains("day 0 = ~2018-09")),
        "{sub:?}"
    );
    // Patient 2's dates are mostly months: the subtitle says what `~` means, and names of
    // phases and states carry none.
    assert!(
        sc.texts()
            .any(|t| t.text.contains("~ known to the month or year only"))
    );
    assert!(has_text(&sc, "Active") && !has_text(&sc, "~Active"));
    let tl = example("patient1.ron");
    let sc = layout(&tl, &LayoutOptions::default(), &slide());
    assert!(sc.texts().any(|t| t.text.contains("day 0 = 2020-06-15")));
    // The precision comes from the model, not from items that happen to sit at day 0.
    let mut tl = example("patient1.ron");
    tl.day_zero_precision = Precision::Month;
    let sc = layout(&tl, &LayoutOptions::default(), &slide());
    assert!(sc.texts().any(|t| t.text.contains("day 0 = ~2020-06")));
}

#[test]
fn legend_lists_normal_range_only_while_a_drawn_track_shows_one() {
    let tl = case1(false);
    // Track 1 (SCC-Ag) has the normal range; short pages drop the last tracks first.
    let mut dropped_second_only = 0;
    for h in (300..=900).step_by(20) {
        let page = Page::pixels(1200.0, h as f32);
        let sc = layout(&tl, &LayoutOptions::default(), &page);
        check(&sc, &page);
        let drawn = !items_of(&sc, ItemRef::Measurement(1)).is_empty();
        assert_eq!(has_text(&sc, "normal range"), drawn, "height {h}");
        if !drawn && !items_of(&sc, ItemRef::Measurement(0)).is_empty() {
            dropped_second_only += 1;
        }
    }
    assert!(
        dropped_second_only > 0,
        "no page dropped only the SCC-Ag track"
    );
    // Hidden by the viewer: no band, no legend entry.
    let mut opt = LayoutOptions::default();
    opt.hidden_tracks.insert(1);
    let sc = layout(&tl, &opt, &slide());
    assert!(!items_of(&sc, ItemRef::Measurement(0)).is_empty());
    assert!(!has_text(&sc, "normal range"));
    opt.hidden_tracks.clear();
    let sc = layout(&tl, &opt, &slide());
    assert!(has_text(&sc, "normal range"));
}

#[test]
fn legend_follows_hidden_lanes_and_the_time_window() {
    let tl = case1(false);
    let mut opt = LayoutOptions::default();
    opt.hidden_lanes.insert("Radiotherapy".into());
    let sc = layout(&tl, &opt, &slide());
    // The "Neck" lane still draws radiotherapy.
    assert!(has_text(&sc, "Radiotherapy"));
    opt.hidden_lanes.insert("Neck".into());
    opt.hidden_lanes.insert("Immunotherapy".into());
    let sc = layout(&tl, &opt, &slide());
    check(&sc, &slide());
    assert!(!has_text(&sc, "Radiotherapy"));
    assert!(!has_text(&sc, "Immunotherapy"));
    assert!(has_text(&sc, "Chemotherapy"));

    // Days 0–200: only the CCRT / brachytherapy period, one CR, the diagnosis.
    let opt = LayoutOptions {
        window: Some((0.0, 200.0)),
        ..Default::default()
    };
    let sc = layout(&tl, &opt, &slide());
    check(&sc, &slide());
    assert!(has_text(&sc, "Chemoradiotherapy"));
    assert!(sc.texts().any(|t| t.text.starts_with("CR ")));
    for gone in [
        "Chemotherapy",
        "Immunotherapy",
        "Last follow-up",
        "Adverse event",
    ] {
        assert!(!has_text(&sc, gone), "{gone}");
    }
    assert!(!sc.texts().any(|t| t.text.starts_with("PD ")));
    assert!(!sc.texts().any(|t| t.text.starts_with("PR ")));
}

/// The y centre of a phase's bar rects, and its open (chevron) paths.
fn bar_y_and_chevrons(sc: &Scene, i: usize) -> (Vec<f32>, Vec<Vec<crate::scene::Point>>) {
    let mut ys = Vec::new();
    let mut chev = Vec::new();
    for it in items_of(sc, ItemRef::Phase(i)) {
        match &it.shape {
            Shape::Rect { rect, .. } => ys.push((rect.min.y + rect.max.y) / 2.0),
            Shape::Path {
                points,
                closed: false,
                ..
            } => chev.push(points.clone()),
            _ => {}
        }
    }
    (ys, chev)
}

#[test]
fn bars_cut_by_the_window_end_in_a_continuation_mark() {
    let tl = case1(false);
    let camre = tl
        .phases
        .iter()
        .position(|p| p.name == "Camrelizumab")
        .unwrap();
    let tp = tl.phases.iter().position(|p| p.name == "TP ×4").unwrap();
    let opt = LayoutOptions {
        window: Some((100.0, 500.0)),
        ..Default::default()
    };
    let sc = layout(&tl, &opt, &slide());
    check(&sc, &slide());
    // Camrelizumab runs on past day 500: a chevron at the window's right edge, pointing right,
    // and a fade (translucent steps) before it; no ongoing arrowhead.
    let (_, chev) = bar_y_and_chevrons(&sc, camre);
    assert_eq!(chev.len(), 1);
    let c = &chev[0];
    let edge = sc.time_axis.x_of(500.0);
    assert!((c[1].x - edge).abs() < 4.0, "{c:?} vs {edge}");
    assert!(c[1].x > c[0].x);
    let translucent = items_of(&sc, ItemRef::Phase(camre))
        .iter()
        .filter(|it| matches!(&it.shape, Shape::Rect { fill: Some(f), .. } if f.a < 255))
        .count();
    assert!(translucent >= 3, "{translucent}");
    assert!(
        !items_of(&sc, ItemRef::Phase(camre))
            .iter()
            .any(|it| matches!(&it.shape, Shape::Path { closed: true, .. }))
    );
    // The PFS bracket (day 365 on) runs past day 500 too: a dashed end, no arrowhead.
    let dashed = |sc: &Scene| {
        items_of(sc, ItemRef::Interval(0))
            .iter()
            .filter(|it| matches!(&it.shape, Shape::Line { stroke, .. } if stroke.dash.is_some()))
            .count()
    };
    assert_eq!(dashed(&sc), 1);
    assert_eq!(
        items_of(&sc, ItemRef::Interval(0))
            .iter()
            .filter(|it| matches!(&it.shape, Shape::Path { .. }))
            .count(),
        1
    );
    assert_eq!(dashed(&layout(&tl, &LayoutOptions::default(), &slide())), 0);
    // TP (days 280–343) lies inside the window: no mark.
    assert!(bar_y_and_chevrons(&sc, tp).1.is_empty());
    // Cut on the left: the chevron points left at the window's left edge.
    let opt = LayoutOptions {
        window: Some((300.0, 500.0)),
        ..Default::default()
    };
    let sc = layout(&tl, &opt, &slide());
    check(&sc, &slide());
    let (_, chev) = bar_y_and_chevrons(&sc, tp);
    assert_eq!(chev.len(), 1);
    assert!((chev[0][1].x - sc.time_axis.x_of(300.0)).abs() < 4.0);
    assert!(chev[0][1].x < chev[0][0].x);
    // The whole timeline cuts nothing.
    let sc = layout(&tl, &LayoutOptions::default(), &slide());
    for i in 0..tl.phases.len() {
        assert!(bar_y_and_chevrons(&sc, i).1.is_empty(), "phase {i}");
    }
}

#[test]
fn labels_never_push_consecutive_phases_into_a_second_sub_row() {
    let tl = example("patient2.ron");
    let l3 = tl
        .phases
        .iter()
        .position(|p| p.name == "Sintilimab")
        .unwrap();
    let mt = tl
        .phases
        .iter()
        .position(|p| p.name == "Sintilimab maintenance")
        .unwrap();
    for page in [
        Preset::Journal1col.page(),
        Preset::Journal2col.page(),
        Preset::Slide4x3.page(),
        Page::pixels(900.0, 600.0),
    ] {
        let sc = layout(&tl, &LayoutOptions::default(), &page);
        check(&sc, &page);
        let (y3, _) = bar_y_and_chevrons(&sc, l3);
        let (ym, _) = bar_y_and_chevrons(&sc, mt);
        assert!(!y3.is_empty() && !ym.is_empty());
        assert!(
            (y3[0] - ym[0]).abs() < 0.5,
            "{} vs {} at {}",
            y3[0],
            ym[0],
            page.width
        );
        // Both labels are still written out in full.
        assert!(has_text(&sc, "Sintilimab · L3"), "{}", page.width);
        assert!(has_text(&sc, "Sintilimab maintenance"), "{}", page.width);
    }
}

#[test]
fn month_names_under_day_ticks_name_the_days_after_them() {
    // Every month of minimal.ron (15 March – 1 June 2021) that has day ticks is named.
    let tl = example("minimal.ron");
    let page = Preset::Journal1col.page();
    let sc = layout(&tl, &LayoutOptions::default(), &page);
    check(&sc, &page);
    for m in ["Mar 2021", "Apr 2021", "May 2021"] {
        assert!(has_text(&sc, m), "{m}");
    }
    // A name never starts before its month's first day (June 1 is the last day: no room).
    for t in sc.texts().filter(|t| t.text.ends_with(" 2021")) {
        let month = axis::MONTHS
            .iter()
            .position(|m| t.text.starts_with(m))
            .unwrap() as i64
            + 1;
        let first =
            crate::time::days_from_ymd(2021, month, 1) - crate::time::days_from_ymd(2021, 3, 15);
        let x = sc.time_axis.x_of((first.max(0)) as f64);
        assert!(
            t.bbox.min.x >= x - 1.0,
            "{} at {} < {x}",
            t.text,
            t.bbox.min.x
        );
    }
    // A window starting on 23 September: October is named, not the partial September.
    let tl = example("patient1.ron");
    let opt = LayoutOptions {
        window: Some((100.0, 500.0)),
        ..Default::default()
    };
    let sc = layout(&tl, &opt, &slide());
    assert!(has_text(&sc, "Oct 2020"));
}

#[test]
fn a_full_case_on_a_slide_starts_at_the_top() {
    // (A sparse case fills the slide: see `band_tests::every_example_fills_a_slide`.)
    // A full case uses the page and is not shifted down.
    let full = layout(
        &example("patient1.ron"),
        &LayoutOptions::default(),
        &slide(),
    );
    let first_top = full
        .items
        .iter()
        .map(|i| i.shape.bounds().min.y)
        .fold(f32::MAX, f32::min);
    assert!(first_top < full.height * 0.05, "{first_top}");
}

#[test]
fn month_names_sit_under_day_ticks_even_when_boxes_touch_after_rounding() {
    // Five phases stacked in one lane over eleven months: fortnight ticks with month names
    // under them. The month row once started exactly at the day row's bottom edge and,
    // after float rounding, every month name counted as overlapping and was dropped.
    let tl = Fx::new(Some((2020, 1, 1)), 335)
        .phase(Therapy::Chemotherapy, "A long name", 0, Some(335))
        .phase(Therapy::Chemotherapy, "B", 31, Some(274))
        .phase(Therapy::Chemotherapy, "C", 60, Some(244))
        .phase(Therapy::Chemotherapy, "D", 91, Some(213))
        .phase(Therapy::Chemotherapy, "E", 91, Some(213))
        .0;
    let page = slide();
    let sc = layout(&tl, &LayoutOptions::default(), &page);
    check(&sc, &page);
    for m in ["Feb 2020", "Jun 2020", "Oct 2020"] {
        assert!(has_text(&sc, m), "{m} missing");
    }
}

#[test]
fn an_event_label_wider_than_the_plot_is_shortened_not_dropped() {
    let long = "Very long label ".repeat(20);
    let tl = Fx::new(Some((2020, 1, 1)), 60)
        .phase(Therapy::Chemotherapy, "C", 0, Some(31))
        .event(14, EventKind::Other, long.trim(), None)
        .0;
    for page in [slide(), Preset::Journal1col.page()] {
        let sc = layout(&tl, &LayoutOptions::default(), &page);
        check(&sc, &page);
        let label = sc
            .texts()
            .find(|t| t.text.starts_with("Very long label"))
            .unwrap_or_else(|| panic!("event label dropped"));
        assert!(label.text.ends_with('…'), "{:?}", label.text);
        assert!(label.text.chars().count() > 20, "{:?}", label.text);
    }
}

#[test]
fn an_interval_name_wider_than_the_plot_is_shortened_and_keeps_its_length() {
    let long = "Very long label ".repeat(20);
    let tl = Fx::new(Some((2020, 1, 1)), 60)
        .interval(long.trim(), 0, Some(60))
        .0;
    for page in [slide(), Preset::Journal1col.page()] {
        let sc = layout(&tl, &LayoutOptions::default(), &page);
        check(&sc, &page);
        let label = sc
            .texts()
            .find(|t| t.text.starts_with("Very long label"))
            .unwrap_or_else(|| panic!("interval label dropped"));
        assert!(label.text.ends_with("… 2.0 mo"), "{:?}", label.text);
    }
}

#[test]
fn zoomed_to_days_the_window_start_names_its_month_and_year() {
    // Point 4 of issue 8: a window of a few weeks starting mid-month. The first calendar
    // label carries its year, and no month name sits beside a day of another month.
    let tl = example("patient1.ron");
    for (a, b) in [(100.0, 130.0), (95.0, 160.0), (98.0, 110.0)] {
        let opt = LayoutOptions {
            window: Some((a, b)),
            ..Default::default()
        };
        let sc = layout(&tl, &opt, &slide());
        let names: Vec<_> = sc
            .texts()
            .filter(|t| axis::MONTHS.iter().any(|m| t.text.starts_with(m)) && t.text.len() > 4)
            .map(|t| (t.text.clone(), t.bbox.min.x))
            .collect();
        // The leftmost month name is the window's own month, with its year.
        let first = names
            .iter()
            .min_by(|x, y| x.1.total_cmp(&y.1))
            .expect("a month and year at the window start");
        assert_eq!(first.0, "Sep 2020", "window {a}-{b}: {names:?}");
        // No name starts left of its month's first day (or the window's start): "Oct 2020"
        // never sits beside "30" of September. Day 0 of patient1 is 15 June 2020.
        let zero = crate::time::days_from_ymd(2020, 6, 15);
        for (text, x) in &names {
            let m = axis::MONTHS
                .iter()
                .position(|m| text.starts_with(m))
                .unwrap() as i64
                + 1;
            let first_day = (crate::time::days_from_ymd(2020, m, 1) - zero) as f64;
            let at = sc.time_axis.x_of(first_day.max(a));
            assert!(*x >= at - 1.0, "window {a}-{b}: {text} at {x} < {at}");
        }
    }
}

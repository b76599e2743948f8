//! Cohort figure tests: scene geometry of the swimmer (lane order, marks at their day and
//! never dropped, arrows, legend), the 800-lane budget, waterfall order and spider lines.

use super::super::tests::check;
use super::*;
use crate::cohort::tests::fixture_inputs;
use crate::cohort::{Align, CohortOptions, GroupBy, SortBy};
use crate::page::Preset;
use crate::scene::{ItemRef, LeftOutPart, Shape};

fn fixture(options: CohortOptions) -> Cohort {
    Cohort::build(fixture_inputs(), options)
}

fn lane_labels(scene: &Scene) -> Vec<String> {
    let mut t: Vec<_> = scene
        .items
        .iter()
        .filter_map(|it| match (&it.shape, it.meaning) {
            (Shape::Text(t), Some(ItemRef::Patient(_))) => Some((t.baseline, t.text.clone())),
            _ => None,
        })
        .collect();
    t.sort_by(|a, b| a.0.total_cmp(&b.0));
    t.into_iter().map(|x| x.1).collect()
}

fn markers_of(scene: &Scene, lane: usize) -> Vec<(f32, f32)> {
    scene
        .items
        .iter()
        .filter(|it| it.meaning.and_then(ItemRef::patient) == Some(lane))
        .filter_map(|it| match it.shape {
            Shape::Marker { center, .. } => Some((center.x, center.y)),
            _ => None,
        })
        .collect()
}

fn arrows(scene: &Scene) -> Vec<ItemRef> {
    scene
        .items
        .iter()
        .filter(
            |it| matches!(&it.shape, Shape::Path { closed: true, points, .. } if points.len() == 3),
        )
        .filter_map(|it| it.meaning)
        .collect()
}

#[test]
fn swimmer_lanes_follow_the_cohort_order_with_every_mark_and_arrow() {
    let c = fixture(CohortOptions {
        sort: SortBy::Duration,
        group_by: Some(GroupBy::Group),
        ref_months: vec![6.0, 12.0],
        ..Default::default()
    });
    for page in [Preset::Slide16x9.page(), Preset::Journal2col.page()] {
        let s = swimmer(&c, &LayoutOptions::default(), &page).scene;
        check(&s, &page);
        assert!(s.left_out.is_empty(), "{:?}", s.left_out);
        assert_eq!(lane_labels(&s), ["C11", "Case 01", "Case 03", "C02", "C10"]);
        // C02 (lane 3): SD on day 60, and PD, progression and death all on day 200: four
        // marks, the three coinciding ones side by side around day 200, none on another.
        let mut m = markers_of(&s, 3);
        assert_eq!(m.len(), 4, "{m:?}");
        m.sort_by(|a, b| a.0.total_cmp(&b.0));
        let x200 = s.time_axis.x_of(200.0);
        let x60 = s.time_axis.x_of(60.0);
        assert!((m[0].0 - x60).abs() < 0.01);
        let mean = (m[1].0 + m[2].0 + m[3].0) / 3.0;
        assert!((mean - x200).abs() < 0.01, "{mean} vs {x200}");
        assert!(m[2].0 - m[1].0 > 1.0 && m[3].0 - m[2].0 > 1.0);
        // Ongoing: Case 01 and Case 03 have an arrow, no one else.
        let mut a = arrows(&s);
        a.sort_by_key(|r| format!("{r:?}"));
        assert_eq!(a, vec![ItemRef::Patient(1), ItemRef::Patient(2)]);
        for t in [
            "treatment ongoing at data cut-off",
            "duration of response",
            "Death",
            "Arm A",
            "Arm B",
            "6 mo",
            "12 mo",
            "months from day 0",
        ] {
            assert!(s.texts().any(|x| x.text == t), "{t} missing");
        }
    }
}

#[test]
fn swimmer_axis_names_time_zero_and_the_lanes_start_there() {
    let c = fixture(CohortOptions {
        align: Align::FirstTherapy,
        ..Default::default()
    });
    let page = Preset::Slide16x9.page();
    let s = swimmer(&c, &LayoutOptions::default(), &page).scene;
    check(&s, &page);
    assert!(s.texts().any(|t| t.text == "months from first therapy"));
    assert!(s.texts().any(|t| t.text.contains("time 0 = first therapy")));
    // Every first bar starts at x of day 0 (first therapy = time zero).
    let x0 = s.time_axis.x_of(0.0);
    for lane in 0..c.members.len() {
        let first = s
            .items
            .iter()
            .filter(|it| it.meaning.and_then(ItemRef::patient) == Some(lane))
            .filter_map(|it| match it.shape {
                Shape::Rect { rect, .. } if rect.min.x >= x0 - 0.01 => Some(rect.min.x),
                _ => None,
            })
            .fold(f32::INFINITY, f32::min);
        assert!((first - x0).abs() < 0.01, "lane {lane}: {first} vs {x0}");
    }
}

fn generated(n: usize) -> Cohort {
    let inputs = crate::stress::cohort_rons(n)
        .into_iter()
        .map(|(id, text)| {
            let r = crate::load::load_str(&text, &id, None)
                .map(|l| l.timeline)
                .map_err(|e| e.to_string());
            (id, r)
        })
        .collect();
    Cohort::build(inputs, CohortOptions::default())
}

#[test]
fn eight_hundred_lanes_grow_a_journal_page_and_are_counted_on_a_slide() {
    let c = generated(800);
    assert_eq!(c.members.len(), 800, "{:?}", c.excluded.first());
    let page = Preset::Journal2col.page();
    let s = swimmer(&c, &LayoutOptions::default(), &page).scene;
    check(&s, &page);
    assert!(s.left_out.is_empty());
    assert_eq!(lane_labels(&s).len(), 800);
    // The axis is repeated above the lanes: its title twice.
    assert_eq!(
        s.texts().filter(|t| t.text == "months from day 0").count(),
        2
    );
    assert!(s.height > 800.0 * page.min_text_px);

    let page = Preset::Slide16x9.page();
    let s = swimmer(&c, &LayoutOptions::default(), &page).scene;
    check(&s, &page);
    assert!(lane_labels(&s).is_empty());
    let drawn = (0..800)
        .filter(|&i| {
            s.items
                .iter()
                .any(|it| it.meaning.and_then(ItemRef::patient) == Some(i))
        })
        .count();
    let left = s
        .left_out
        .parts
        .iter()
        .find_map(|p| match p {
            LeftOutPart::Patients { count } => Some(*count),
            _ => None,
        })
        .unwrap_or(0);
    assert!(drawn > 100, "{drawn}");
    assert_eq!(drawn + left, 800, "every lane drawn or counted");
    assert!(
        s.left_out
            .parts
            .contains(&LeftOutPart::LaneLabels { lanes: drawn })
    );
    assert!(
        s.texts()
            .any(|t| t.text.contains(&format!("{drawn} of 800 patients shown")))
    );
    let msg = s.left_out.message().unwrap();
    assert!(
        msg.contains(&format!("{left} patients")) && msg.contains("--height"),
        "{msg}"
    );
}

fn bars(scene: &Scene) -> Vec<(usize, f32, f32, f32)> {
    let mut v: Vec<_> = scene
        .items
        .iter()
        .filter_map(|it| match (&it.shape, it.meaning) {
            (Shape::Rect { rect, .. }, Some(ItemRef::Patient(m))) => {
                Some((m, rect.min.x, rect.min.y, rect.max.y))
            }
            _ => None,
        })
        .collect();
    v.sort_by(|a, b| a.1.total_cmp(&b.1));
    v
}

#[test]
fn waterfall_bars_run_from_largest_increase_to_largest_decrease() {
    let c = fixture(CohortOptions {
        sort: SortBy::Input,
        ..Default::default()
    });
    for page in [Preset::Slide16x9.page(), Preset::Journal2col.page()] {
        let w = waterfall(&c, &LayoutOptions::default(), &page).unwrap();
        check(&w.scene, &page);
        let b = bars(&w.scene);
        // Input order C01 (−100 %), C02 (+4 %), C03 (none), C10 (−10 %), C11 (none).
        let members: Vec<usize> = b.iter().map(|x| x.0).collect();
        assert_eq!(members, vec![1, 3, 0]);
        // C02 rises above the zero line, the others fall below it; C01's bar is longest.
        let zero = b[0].3;
        assert!((b[1].2 - zero).abs() < 0.01 && (b[2].2 - zero).abs() < 0.01);
        assert!(b[2].3 - b[2].2 > b[1].3 - b[1].2);
        assert_eq!(w.not_shown.len(), 2);
        for t in ["+20 %", "−30 %", "2 not evaluable", "Case 01", "C02", "C10"] {
            assert!(w.scene.texts().any(|x| x.text.contains(t)), "{t} missing");
        }
    }
}

#[test]
fn spider_draws_one_line_per_evaluable_patient_from_its_baseline() {
    let c = fixture(CohortOptions::default());
    let page = Preset::Slide16x9.page();
    let sp = spider(&c, &LayoutOptions::default(), &page).unwrap();
    check(&sp.scene, &page);
    let lines: Vec<&Vec<crate::scene::Point>> = sp
        .scene
        .items
        .iter()
        .filter_map(|it| match &it.shape {
            Shape::Path {
                points,
                closed: false,
                ..
            } => Some(points),
            _ => None,
        })
        .collect();
    assert_eq!(lines.len(), 3);
    // C01's line starts at its baseline (day −5) and ends at −100 %, below the zero line.
    let first_x: Vec<f32> = lines.iter().map(|p| p[0].x).collect();
    assert!(first_x.contains(&sp.scene.time_axis.x_of(-5.0)));
    assert!(sp.scene.texts().any(|t| t.text == "months from day 0"));
    let err = spider(
        &fixture(CohortOptions {
            measure: Some("CEA".into()),
            ..Default::default()
        }),
        &LayoutOptions::default(),
        &page,
    )
    .unwrap();
    assert!(
        err.scene
            .texts()
            .any(|t| t.text.contains("5 not evaluable"))
    );
}

#[test]
fn five_hundred_marks_on_one_day_are_all_drawn_or_counted() {
    let responses: String = (0..500).map(|_| "(at: 100, result: SD),").collect();
    let text = format!(
        "(format: 1, patient: (id: \"X\"), data_cutoff: 400, \
         phases: [(therapy: Chemotherapy, start: 0, end: 200)], responses: [{responses}])"
    );
    let tl = crate::load::load_str(&text, "x.ron", None)
        .unwrap()
        .timeline;
    let c = Cohort::build(vec![("x.ron".into(), Ok(tl))], CohortOptions::default());
    for page in [Preset::Slide16x9.page(), Preset::Journal1col.page()] {
        let s = swimmer(&c, &LayoutOptions::default(), &page).scene;
        check(&s, &page);
        let drawn = markers_of(&s, 0).len();
        let outside = s
            .left_out
            .parts
            .iter()
            .find_map(|p| match p {
                LeftOutPart::Items { count } => Some(*count),
                _ => None,
            })
            .unwrap_or(0);
        assert_eq!(drawn + outside, 500, "{drawn} drawn, {outside} counted");
        assert!(drawn > 0);
    }
}

#[test]
fn bars_coloured_by_line_of_therapy_on_request() {
    let page = Preset::Slide16x9.page();
    let by = |line: bool| {
        let c = fixture(CohortOptions {
            sort: SortBy::Input,
            color_by_line: line,
            ..Default::default()
        });
        swimmer(&c, &LayoutOptions::default(), &page).scene
    };
    let fills = |s: &Scene, lane: usize| -> Vec<crate::scene::Color> {
        s.items
            .iter()
            .filter(|it| it.meaning.and_then(ItemRef::patient) == Some(lane))
            .filter_map(|it| match it.shape {
                Shape::Rect {
                    fill: Some(f),
                    corner,
                    ..
                } if corner > 0.0 => Some(f),
                _ => None,
            })
            .collect()
    };
    let th = crate::theme::Theme::light();
    use crate::model::Therapy;
    // Case 03 (lane 2): Osimertinib line 1, pemetrexed line 2.
    assert_eq!(
        fills(&by(false), 2),
        vec![
            th.therapy(Therapy::Targeted),
            th.therapy(Therapy::Chemotherapy)
        ]
    );
    let s = by(true);
    assert_eq!(
        fills(&s, 2),
        vec![th.therapy(Therapy::ALL[0]), th.therapy(Therapy::ALL[1])]
    );
    for t in ["line 1", "line 2", "line not given"] {
        assert!(s.texts().any(|x| x.text == t), "{t} missing");
    }
    assert!(!s.texts().any(|x| x.text == "Targeted"));
}

#[test]
fn a_few_lanes_fill_a_slide_from_the_legend_to_the_axis_with_bars_of_the_usual_size() {
    let c = generated(3);
    let page = Preset::Slide16x9.page();
    let s = swimmer(&c, &LayoutOptions::default(), &page).scene;
    let h = page.height.expect("a slide has a height");
    let title = s
        .items
        .iter()
        .find_map(|it| match &it.shape {
            Shape::Text(t) if t.text == "Swimmer plot" => Some(t.baseline),
            _ => None,
        })
        .expect("the title is drawn");
    assert!(
        title < h * 0.1,
        "the title stays at the top: {title} of {h}"
    );
    let centres: Vec<f32> = (0..3)
        .map(|lane| {
            let ys: Vec<f32> = bars(&s)
                .iter()
                .filter(|b| b.0 == lane)
                .map(|b| (b.2 + b.3) / 2.0)
                .collect();
            ys.iter().sum::<f32>() / ys.len().max(1) as f32
        })
        .collect();
    assert!(
        centres[2] > h * 0.7,
        "the last lane sits near the axis, not mid-slide: {centres:?} of {h}"
    );
    // Bars keep the largest lane's thickness: spreading lanes out does not fatten them.
    let max_bar = super::swimmer::row_limits(&Sizes::new(&page, 1.0)).1 * 0.62 + 0.5;
    for b in bars(&s) {
        assert!(b.3 - b.2 <= max_bar, "bar {b:?} thicker than {max_bar}");
    }
}

#[test]
fn the_axis_titles_of_a_tall_swimmer_cover_no_lane() {
    let c = generated(40);
    for preset in [Preset::Slide16x9, Preset::Journal2col] {
        let s = swimmer(&c, &LayoutOptions::default(), &preset.page()).scene;
        let titles: Vec<_> = s
            .items
            .iter()
            .filter_map(|it| match &it.shape {
                Shape::Text(t) if t.text.contains("from day 0") => Some(t.bbox),
                _ => None,
            })
            .collect();
        assert_eq!(titles.len(), 2, "{preset}: an axis title above and below");
        for it in s.items.iter().filter(|it| it.meaning.is_some()) {
            for t in &titles {
                assert!(
                    !t.intersects(&it.shape.bounds()),
                    "{preset}: the axis title {t:?} covers {:?}",
                    it.shape
                );
            }
        }
    }
}

#[test]
fn swimmer_items_and_rows_name_their_patient_and_item() {
    use crate::scene::PatientPart;
    let c = fixture(CohortOptions {
        sort: SortBy::Id,
        ..Default::default()
    });
    let page = Preset::Slide16x9.page();
    let cs = swimmer(&c, &LayoutOptions::default(), &page);
    let s = &cs.scene;
    let c01 = c.members.iter().position(|m| m.id == "C01").unwrap();
    // C01's PR on day 63 is a marker of its own, at the x of day 63, on C01's row.
    let pr = ItemRef::PatientItem(c01, PatientPart::Response(0));
    let b = s.bounds_of(pr).expect("the PR mark is drawn");
    assert!((b.center().x - s.time_axis.x_of(63.0)).abs() < 1.0);
    assert!(cs.lanes[c01].contains(b.center()));
    assert_eq!(s.hit(b.center()), Some(pr));
    assert!(
        s.bounds_of(ItemRef::PatientItem(c01, PatientPart::Phase(1)))
            .is_some()
    );
    // One row per lane, stacked without gaps, each finding its patient anywhere on it.
    assert_eq!(cs.lanes.len(), c.members.len());
    for (i, r) in cs.lanes.iter().enumerate() {
        if i > 0 {
            assert!((r.min.y - cs.lanes[i - 1].max.y).abs() < 0.01);
        }
        let empty_spot = crate::scene::Point::new(s.plot.max.x - 1.0, r.center().y);
        assert_eq!(cs.patient_at(empty_spot), Some(i), "lane {i}");
    }
    let below = crate::scene::Point::new(s.plot.min.x, cs.lanes.last().unwrap().max.y + 5.0);
    assert_eq!(cs.patient_at(below), None);
}

#[test]
fn a_time_window_zooms_the_swimmer_and_leaves_out_what_is_outside() {
    use crate::scene::PatientPart;
    let c = fixture(CohortOptions {
        sort: SortBy::Id,
        ..Default::default()
    });
    let page = Preset::Slide16x9.page();
    let opts = LayoutOptions {
        window: Some((100.0, 250.0)),
        ..Default::default()
    };
    let cs = swimmer(&c, &opts, &page);
    let s = &cs.scene;
    check(s, &page);
    assert!((s.time_axis.day_of(s.time_axis.x_of(100.0)) - 100.0).abs() < 1e-3);
    let whole = swimmer(&c, &LayoutOptions::default(), &page).scene;
    let w = |sc: &Scene| sc.time_axis.x_of(250.0) - sc.time_axis.x_of(100.0);
    assert!(w(s) > 2.0 * w(&whole), "zoomed: {} vs {}", w(s), w(&whole));
    let c01 = c.members.iter().position(|m| m.id == "C01").unwrap();
    // C01: PR on day 63 is before the window, CR on day 180 inside it.
    assert!(
        s.bounds_of(ItemRef::PatientItem(c01, PatientPart::Response(0)))
            .is_none()
    );
    let cr = s
        .bounds_of(ItemRef::PatientItem(c01, PatientPart::Response(1)))
        .expect("CR in the window");
    assert!((cr.center().x - s.time_axis.x_of(180.0)).abs() < 1.0);
    // No item of any lane is drawn left of the plot's start (labels and strips aside).
    for it in &s.items {
        if let Some(ItemRef::PatientItem(..)) = it.meaning {
            assert!(it.shape.bounds().min.x >= s.plot.min.x - 0.5, "{it:?}");
        }
    }
}

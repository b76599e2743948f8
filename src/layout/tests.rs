//! Layout tests: scene invariants on hand-built timelines, the example cases at every preset,
//! and a large stress timeline.

use std::collections::BTreeSet;

use super::*;
use crate::model::*;
use crate::page::{Page, Preset};
use crate::scene::{ItemRef, Shape, Text};

/// A small builder for timelines in tests.
pub(crate) struct Fx(pub Timeline);

fn when(day: i64) -> When {
    When::day(day)
}

fn span(a: i64, b: i64) -> Span {
    Span {
        start: when(a),
        end: when(b),
        end_kind: EndKind::At,
    }
}

impl Fx {
    pub fn new(day_zero: Option<(i16, i8, i8)>, cutoff: i64) -> Fx {
        Fx(Timeline {
            source: None,
            patient: Patient {
                id: "T1".into(),
                label: "Test patient".into(),
                sex: Some("F".into()),
                age: Some(50),
                age_band: None,
                diagnosis: Some("Cervical squamous cell carcinoma".into()),
                stage: Some("FIGO IIIC1r".into()),
                group: None,
            },
            day_zero: day_zero.map(|(y, m, d)| jiff::civil::Date::new(y, m, d).unwrap()),
            day_zero_origin: if day_zero.is_some() {
                DayZeroOrigin::Given
            } else {
                DayZeroOrigin::RelativeOnly
            },
            day_zero_precision: Precision::Day,
            data_cutoff: when(cutoff),
            data_cutoff_given: true,
            phases: vec![],
            statuses: vec![],
            responses: vec![],
            events: vec![],
            intervals: vec![],
            measurements: vec![],
            images: vec![],
        })
    }
    pub fn phase(mut self, t: Therapy, name: &str, a: i64, b: Option<i64>) -> Fx {
        let cut = self.0.data_cutoff.day;
        let sp = match b {
            Some(b) => span(a, b),
            None => Span {
                start: when(a),
                end: when(cut),
                end_kind: EndKind::Ongoing,
            },
        };
        self.0.phases.push(Phase {
            therapy: t,
            name: name.into(),
            span: sp,
            detail: None,
            line: None,
            lane: None,
            doses: vec![],
            intent: None,
        });
        self
    }
    pub fn lane(mut self, lane: &str) -> Fx {
        if let Some(p) = self.0.phases.last_mut() {
            p.lane = Some(lane.into());
        }
        self
    }
    pub fn status(mut self, s: DiseaseState, label: &str, a: i64, b: i64) -> Fx {
        self.0.statuses.push(Status {
            state: s,
            label: label.into(),
            span: span(a, b),
        });
        self
    }
    pub fn response(mut self, at: i64, r: ResponseResult) -> Fx {
        self.0.responses.push(Response {
            at: when(at),
            result: r,
            criteria: Some("RECIST 1.1".into()),
            method: None,
            note: None,
        });
        self
    }
    pub fn event(mut self, at: i64, k: EventKind, label: &str, grade: Option<u8>) -> Fx {
        self.0.events.push(Event {
            at: when(at),
            kind: k,
            label: label.into(),
            note: None,
            grade,
        });
        self
    }
    pub fn interval(mut self, label: &str, a: i64, b: Option<i64>) -> Fx {
        let cut = self.0.data_cutoff.day;
        self.0.intervals.push(Interval {
            label: label.into(),
            span: match b {
                Some(b) => span(a, b),
                None => Span {
                    start: when(a),
                    end: when(cut),
                    end_kind: EndKind::Ongoing,
                },
            },
        });
        self
    }
    pub fn track(mut self, name: &str, pts: &[(i64, f64)], nmax: Option<f64>) -> Fx {
        self.0.measurements.push(Measurement {
            name: name.into(),
            unit: Some("mm".into()),
            points: pts.iter().map(|(d, v)| (when(*d), *v)).collect(),
            normal_min: None,
            normal_max: nmax,
        });
        self
    }
    pub fn image(mut self, at: i64, caption: &str) -> Fx {
        self.0.images.push(ImageItem {
            at: when(at),
            path: "missing.png".into(),
            caption: Some(caption.into()),
            data: Err("not found".into()),
        });
        self
    }
}

/// A timeline like patient 1 of the paper.
pub(crate) fn case1(relative: bool) -> Timeline {
    let dz = if relative { None } else { Some((2020, 6, 15)) };
    Fx::new(dz, 837)
        .phase(Therapy::Chemoradiotherapy, "CCRT", 16, Some(66))
        .phase(Therapy::Radiotherapy, "HDR-BT", 70, Some(91))
        .phase(Therapy::Chemotherapy, "TP ×4", 280, Some(343))
        .phase(Therapy::Radiotherapy, "Neck RT", 365, Some(406))
        .lane("Neck")
        .phase(Therapy::Immunotherapy, "Camrelizumab", 365, None)
        .status(DiseaseState::Active, "Primary tumour", 0, 127)
        .status(
            DiseaseState::NoEvidenceOfDisease,
            "No evidence of disease",
            127,
            268,
        )
        .status(
            DiseaseState::Metastatic,
            "Giant neck LN metastasis",
            268,
            351,
        )
        .status(DiseaseState::Progression, "Progression", 351, 441)
        .status(DiseaseState::Remission, "Partial remission", 441, 837)
        .response(127, ResponseResult::CR)
        .response(351, ResponseResult::PD)
        .response(441, ResponseResult::PR)
        .response(534, ResponseResult::PR)
        .response(827, ResponseResult::PR)
        .event(0, EventKind::Diagnosis, "Diagnosis", None)
        .event(268, EventKind::Metastasis, "Neck LN metastasis", None)
        .event(351, EventKind::Progression, "Progression on TP", None)
        .event(443, EventKind::AdverseEvent, "RCCEP", Some(1))
        .event(525, EventKind::AdverseEvent, "Hypothyroidism", Some(2))
        .event(837, EventKind::LastFollowUp, "Last follow-up", None)
        .interval("PFS", 365, None)
        .interval("Remission", 441, None)
        .track(
            "Neck LN",
            &[(268, 68.0), (351, 85.0), (441, 42.0), (827, 17.0)],
            None,
        )
        .track(
            "SCC-Ag",
            &[(0, 11.6), (127, 0.9), (351, 23.5), (827, 0.8)],
            Some(1.5),
        )
        .image(268, "CT: new neck node, 68 mm")
        .image(351, "CT: 85 mm after TP")
        .image(827, "CT: 17 mm at cut-off")
        .0
}

fn slide() -> Page {
    Preset::Slide16x9.page()
}

/// Checks the scene invariants; returns the texts.
pub(crate) fn check(scene: &Scene, page: &Page) -> Vec<Text> {
    let fig = crate::scene::Rect::from_xywh(0.0, 0.0, scene.width, scene.height);
    if let Some(h) = page.height {
        assert_eq!(scene.height, h);
    }
    assert_eq!(scene.width, page.width);
    for it in &scene.items {
        let b = it.shape.bounds();
        assert!(
            fig.expand(0.01).contains_rect(&b),
            "item outside the figure: {:?} {:?}",
            b,
            it.shape
        );
    }
    let mut texts: Vec<Text> = scene.texts().cloned().collect();
    for t in &texts {
        assert!(
            t.size >= page.min_text_px - 1e-3,
            "text {:?} at {} px < {}",
            t.text,
            t.size,
            page.min_text_px
        );
        assert!(!t.text.is_empty());
    }
    // Sweep over texts sorted by left edge.
    texts.sort_by(|a, b| a.bbox.min.x.total_cmp(&b.bbox.min.x));
    for i in 0..texts.len() {
        for j in i + 1..texts.len() {
            if texts[j].bbox.min.x >= texts[i].bbox.max.x {
                break;
            }
            assert!(
                !texts[i].bbox.intersects(&texts[j].bbox),
                "texts overlap: {:?} {:?} / {:?} {:?}",
                texts[i].text,
                texts[i].bbox,
                texts[j].text,
                texts[j].bbox
            );
        }
    }
    texts
}

fn has_text(scene: &Scene, s: &str) -> bool {
    scene.texts().any(|t| t.text == s)
}

fn items_of(scene: &Scene, r: ItemRef) -> Vec<&crate::scene::Item> {
    scene
        .items
        .iter()
        .filter(|i| i.meaning == Some(r))
        .collect()
}

#[test]
fn case_lays_out_on_every_preset_and_size() {
    let mut pages: Vec<Page> = Preset::ALL.iter().map(|p| p.page()).collect();
    pages.push(Page::pixels(1200.0, 800.0));
    pages.push(Page::pixels(3000.0, 1500.0));
    pages.push(Page::pixels(900.0, 600.0));
    for rel in [false, true] {
        let tl = case1(rel);
        for page in &pages {
            for theme in crate::theme::ThemeKind::ALL {
                let opt = LayoutOptions {
                    theme,
                    ..Default::default()
                };
                let sc = layout(&tl, &opt, page);
                check(&sc, page);
                assert!(
                    has_text(
                        &sc,
                        "Test patient · Cervical squamous cell carcinoma · FIGO IIIC1r"
                    ) || sc.texts().any(|t| t.text.starts_with("Test patient")),
                    "title missing at {page:?}"
                );
            }
        }
    }
}

#[test]
fn markers_sit_at_their_day() {
    let tl = case1(false);
    let sc = layout(&tl, &LayoutOptions::default(), &slide());
    check(&sc, &slide());
    for (i, r) in tl.responses.iter().enumerate() {
        let it = items_of(&sc, ItemRef::Response(i));
        let m = it
            .iter()
            .find_map(|i| match &i.shape {
                Shape::Marker { center, .. } => Some(*center),
                _ => None,
            })
            .expect("response marker");
        assert!((m.x - sc.time_axis.x_of(r.at.day as f64)).abs() < 0.01);
        assert!(
            it.iter()
                .any(|i| matches!(&i.shape, Shape::Text(t) if t.text == r.result.name()))
        );
    }
    for (i, e) in tl.events.iter().enumerate() {
        let m = items_of(&sc, ItemRef::Event(i))
            .iter()
            .find_map(|i| match &i.shape {
                Shape::Marker { center, .. } => Some(*center),
                _ => None,
            })
            .expect("event marker");
        assert!((m.x - sc.time_axis.x_of(e.at.day as f64)).abs() < 0.01);
    }
    assert!(has_text(&sc, "Hypothyroidism (G2)"));
}

#[test]
fn response_shapes_differ_by_result() {
    let mut fx = Fx::new(Some((2020, 1, 1)), 400);
    for (k, r) in ResponseResult::ALL.iter().enumerate() {
        fx = fx.response(k as i64 * 40, *r);
    }
    let tl = fx.0;
    let sc = layout(&tl, &LayoutOptions::default(), &slide());
    check(&sc, &slide());
    let mut shapes = BTreeSet::new();
    let mut colours = BTreeSet::new();
    for i in 0..tl.responses.len() {
        for it in items_of(&sc, ItemRef::Response(i)) {
            if let Shape::Marker { shape, fill, .. } = &it.shape {
                shapes.insert(format!("{shape:?}"));
                colours.insert(fill.hex());
            }
        }
    }
    assert_eq!(shapes.len(), 10);
    assert_eq!(colours.len(), 10);
}

#[test]
fn overlapping_phases_go_to_sub_rows_and_lanes_follow_clinical_order() {
    let tl = Fx::new(Some((2020, 1, 1)), 400)
        .phase(Therapy::Immunotherapy, "Pembro", 0, Some(300))
        .phase(Therapy::Immunotherapy, "Ipi", 100, Some(200))
        .phase(Therapy::Surgery, "Resection", 10, Some(11))
        .phase(Therapy::Radiotherapy, "SBRT", 50, Some(60))
        .lane("Brain")
        .phase(Therapy::Chemotherapy, "FOLFOX", 20, Some(90))
        .0;
    assert_eq!(
        lane_order(&tl),
        ["Surgery", "Brain", "Chemotherapy", "Immunotherapy"]
    );
    let sc = layout(&tl, &LayoutOptions::default(), &slide());
    check(&sc, &slide());
    let bar_rect = |i: usize| {
        items_of(&sc, ItemRef::Phase(i))
            .iter()
            .find_map(|it| match &it.shape {
                Shape::Rect { rect, .. } => Some(*rect),
                _ => None,
            })
            .unwrap()
    };
    let (a, b) = (bar_rect(0), bar_rect(1));
    assert!(a.max.y <= b.min.y || b.max.y <= a.min.y, "{a:?} {b:?}");
    // Lanes top to bottom in clinical order.
    let ys: Vec<f32> = [2, 3, 4, 0].iter().map(|&i| bar_rect(i).min.y).collect();
    assert!(ys.windows(2).all(|w| w[0] < w[1]), "{ys:?}");
    // Lane labels present, unused lanes absent.
    for l in ["Surgery", "Brain", "Chemotherapy", "Immunotherapy"] {
        assert!(has_text(&sc, l), "{l}");
    }
    // "Radiotherapy" appears once, in the legend (SBRT is drawn in its custom lane).
    assert_eq!(sc.texts().filter(|t| t.text == "Radiotherapy").count(), 1);
    assert!(!has_text(&sc, "Targeted") && !has_text(&sc, "Hormonal"));
}

#[test]
fn legend_shows_only_present_categories() {
    let tl = case1(false);
    let sc = layout(&tl, &LayoutOptions::default(), &slide());
    for present in ["Chemoradiotherapy", "Immunotherapy", "Chemotherapy"] {
        assert!(has_text(&sc, present), "{present}");
    }
    assert!(sc.texts().any(|t| t.text.starts_with("CR ")));
    assert!(sc.texts().any(|t| t.text.starts_with("PD ")));
    for absent in ["Surgery", "Targeted", "Hormonal"] {
        assert!(!has_text(&sc, absent), "{absent}");
    }
    assert!(!sc.texts().any(|t| t.text.starts_with("SD ")));
    assert!(!sc.texts().any(|t| t.text == "Death"));
}

#[test]
fn ongoing_arrow_reaches_cutoff() {
    let tl = case1(false);
    let sc = layout(&tl, &LayoutOptions::default(), &slide());
    let i = tl.phases.iter().position(|p| p.span.is_ongoing()).unwrap();
    let max_x = items_of(&sc, ItemRef::Phase(i))
        .iter()
        .filter(|it| !matches!(it.shape, Shape::Text(_) | Shape::Line { .. }))
        .map(|it| it.shape.bounds().max.x)
        .fold(f32::MIN, f32::max);
    let cut = sc.time_axis.x_of(tl.data_cutoff.day as f64);
    assert!((max_x - cut).abs() < 1.5, "{max_x} vs {cut}");
    assert!(
        items_of(&sc, ItemRef::Phase(i))
            .iter()
            .any(|it| matches!(&it.shape, Shape::Path { closed: true, .. }))
    );
}

#[test]
fn interval_labels_show_computed_length() {
    let tl = case1(false);
    let sc = layout(&tl, &LayoutOptions::default(), &slide());
    let want = tl.intervals[0].length_label();
    assert!(want.starts_with("PFS ≥ "));
    assert!(has_text(&sc, &want), "{want}");
    assert!(has_text(&sc, &tl.intervals[1].length_label()));
}

#[test]
fn relative_only_timeline_shows_no_dates() {
    let tl = case1(true);
    for page in [slide(), Preset::Journal1col.page()] {
        for axis in AxisMode::ALL {
            let opt = LayoutOptions {
                axis,
                ..Default::default()
            };
            let sc = layout(&tl, &opt, &page);
            check(&sc, &page);
            for t in sc.texts() {
                let s = &t.text;
                let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
                assert!(
                    !(s.contains('-') && digits.len() >= 6),
                    "date-like text {s:?}"
                );
                for m in super::axis::MONTHS {
                    assert!(
                        !s.split(|c: char| !c.is_alphabetic()).any(|w| w == m),
                        "month name in {s:?}"
                    );
                }
                assert!(!(s.len() == 4 && s.starts_with("20")), "year {s:?}");
            }
            assert!(
                sc.texts()
                    .any(|t| t.text.contains("from day 0") || t.text == "months")
            );
        }
    }
}

#[test]
fn status_labels_never_cut() {
    // A narrow status gets its label moved out, never truncated.
    let tl = Fx::new(Some((2018, 9, 15)), 1500)
        .status(DiseaseState::Active, "Active", 0, 180)
        .status(DiseaseState::Progression, "Progression", 180, 200)
        .status(DiseaseState::Remission, "Partial remission", 200, 230)
        .status(DiseaseState::Remission, "Complete remission", 230, 1500)
        .0;
    for page in [
        slide(),
        Preset::Journal1col.page(),
        Page::pixels(900.0, 600.0),
    ] {
        let sc = layout(&tl, &LayoutOptions::default(), &page);
        check(&sc, &page);
        for l in ["Progression", "Partial remission", "Complete remission"] {
            assert!(has_text(&sc, l), "{l} at {page:?}");
        }
        assert!(!sc.texts().any(|t| t.text.contains('…')));
    }
}

#[test]
fn overlapping_brackets_stack() {
    let tl = Fx::new(Some((2018, 9, 15)), 1500)
        .interval("PFS", 600, None)
        .interval("Remission", 760, None)
        .0;
    let sc = layout(&tl, &LayoutOptions::default(), &slide());
    check(&sc, &slide());
    let t0 = items_of(&sc, ItemRef::Interval(0))
        .iter()
        .find_map(|i| match &i.shape {
            Shape::Text(t) => Some(t.bbox),
            _ => None,
        })
        .unwrap();
    let t1 = items_of(&sc, ItemRef::Interval(1))
        .iter()
        .find_map(|i| match &i.shape {
            Shape::Text(t) => Some(t.bbox),
            _ => None,
        })
        .unwrap();
    assert!(!t0.intersects(&t1));
    assert!((t0.min.y - t1.min.y).abs() > 1.0, "stacked in rows");
}

#[test]
fn gaps_compress_into_breaks_and_phases_break() {
    let tl = Fx::new(Some((2010, 1, 1)), 3000)
        .phase(Therapy::Hormonal, "Tamoxifen", 10, Some(2990))
        .event(0, EventKind::Diagnosis, "Diagnosis", None)
        .event(60, EventKind::Imaging, "CT", None)
        .event(2900, EventKind::Recurrence, "Recurrence", None)
        .0;
    let opt = LayoutOptions {
        compress_gaps: true,
        ..Default::default()
    };
    let sc = layout(&tl, &opt, &slide());
    check(&sc, &slide());
    assert!(sc.time_axis.segments.len() >= 2, "{:?}", sc.time_axis);
    assert!(sc.time_axis.breaks().count() >= 1);
    let bars: Vec<_> = items_of(&sc, ItemRef::Phase(0))
        .into_iter()
        .filter(|i| matches!(i.shape, Shape::Rect { .. }))
        .collect();
    assert!(bars.len() >= 2, "phase across the gap drawn in pieces");
    // The pieces together still reach both ends (never shortened).
    let minx = bars
        .iter()
        .map(|b| b.shape.bounds().min.x)
        .fold(f32::MAX, f32::min);
    let maxx = bars
        .iter()
        .map(|b| b.shape.bounds().max.x)
        .fold(f32::MIN, f32::max);
    assert!((minx - sc.time_axis.x_of(10.0)).abs() < 1.5);
    assert!((maxx - sc.time_axis.x_of(2990.0)).abs() < 1.5);
    // Without the option: one segment.
    let sc = layout(&tl, &LayoutOptions::default(), &slide());
    assert_eq!(sc.time_axis.segments.len(), 1);
}

#[test]
fn window_shows_only_that_range() {
    let tl = case1(false);
    let opt = LayoutOptions {
        window: Some((300.0, 500.0)),
        ..Default::default()
    };
    let sc = layout(&tl, &opt, &slide());
    check(&sc, &slide());
    let seg = &sc.time_axis.segments[0];
    assert_eq!((seg.day0, seg.day1), (300.0, 500.0));
    // Outside: omitted. Partly inside: clipped to the window edges.
    assert!(items_of(&sc, ItemRef::Phase(0)).is_empty(), "CCRT outside");
    assert!(items_of(&sc, ItemRef::Response(0)).is_empty());
    let chemo = items_of(&sc, ItemRef::Phase(2));
    assert!(!chemo.is_empty());
    let x0 = chemo
        .iter()
        .map(|i| i.shape.bounds().min.x)
        .fold(f32::MAX, f32::min);
    assert!(x0 >= sc.time_axis.x_of(300.0) - 1.0);
    let camre = items_of(&sc, ItemRef::Phase(4));
    let x1 = camre
        .iter()
        .filter(|i| !matches!(i.shape, Shape::Text(_)))
        .map(|i| i.shape.bounds().max.x)
        .fold(f32::MIN, f32::max);
    assert!(x1 <= sc.time_axis.x_of(500.0) + 1.0);
}

#[test]
fn hidden_lanes_and_tracks_and_transparency() {
    let tl = case1(false);
    let mut opt = LayoutOptions {
        transparent: true,
        ..Default::default()
    };
    opt.hidden_lanes.insert("Neck".into());
    opt.hidden_tracks.insert(1);
    let sc = layout(&tl, &opt, &slide());
    check(&sc, &slide());
    assert_eq!(sc.background, None);
    assert!(items_of(&sc, ItemRef::Phase(3)).is_empty());
    assert!(!has_text(&sc, "Neck"));
    assert!(items_of(&sc, ItemRef::Measurement(1)).is_empty());
    assert!(!items_of(&sc, ItemRef::Measurement(0)).is_empty());
}

#[test]
fn journal_height_fits_content() {
    let tl = case1(false);
    let page = Preset::Journal1col.page();
    let sc = layout(&tl, &LayoutOptions::default(), &page);
    check(&sc, &page);
    assert!(sc.height > 400.0 && sc.height < 4000.0, "{}", sc.height);
    // Everything important is there.
    assert!(has_text(&sc, &tl.intervals[0].length_label()));
    assert!(!items_of(&sc, ItemRef::Image(0)).is_empty());
}

/// A large timeline: many items of every kind.
pub(crate) fn stress(n: usize) -> Timeline {
    let mut fx = Fx::new(Some((2000, 1, 1)), (n * 3) as i64);
    for i in 0..n {
        let d = (i * 3) as i64;
        match i % 7 {
            0 => fx = fx.phase(Therapy::ALL[i % 8], &format!("Ph{i}"), d, Some(d + 40)),
            1 => fx = fx.event(d, EventKind::ALL[i % 10], &format!("Event {i}"), None),
            2 => fx = fx.response(d, ResponseResult::ALL[i % 10]),
            3 => fx = fx.status(DiseaseState::ALL[i % 8], &format!("S{i}"), d, d + 3),
            4 => fx = fx.interval(&format!("I{i}"), d, Some(d + 100)),
            5 => {
                if fx.0.measurements.len() < 3 {
                    fx = fx.track(&format!("M{i}"), &[], Some(1.0));
                }
                let k = i % fx.0.measurements.len();
                fx.0.measurements[k]
                    .points
                    .push((When::day(d), (i % 17) as f64));
            }
            _ => fx = fx.image(d, &format!("img {i}")),
        }
    }
    fx.0
}

#[test]
fn stress_timeline_keeps_invariants() {
    let tl = stress(5000);
    for page in [
        slide(),
        Preset::Journal1col.page(),
        Page::pixels(900.0, 600.0),
    ] {
        for compress_gaps in [false, true] {
            let opt = LayoutOptions {
                compress_gaps,
                ..Default::default()
            };
            let sc = layout(&tl, &opt, &page);
            check(&sc, &page);
        }
    }
}

#[test]
fn degenerate_timelines_do_not_panic() {
    let empty = Fx::new(None, 0).0;
    let one = Fx::new(Some((2020, 1, 1)), 0)
        .event(0, EventKind::Death, "Death", None)
        .0;
    let far = Fx::new(Some((2020, 1, 1)), 100_000)
        .phase(Therapy::Other, "x", -100_000, Some(100_000))
        .0;
    let huge = Fx::new(None, 1_000_000_000_000)
        .phase(Therapy::Other, "x", -1_000_000_000_000, None)
        .event(5, EventKind::Other, "e", None)
        .0;
    for tl in [empty, one, far, huge] {
        for page in [
            slide(),
            Page::pixels(200.0, 150.0),
            Preset::Journal1col600.page(),
        ] {
            let sc = layout(&tl, &LayoutOptions::default(), &page);
            check(&sc, &page);
        }
    }
}

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
            for theme in crate::theme::ThemeKind::ALL {
                for axis in AxisMode::ALL {
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
fn sparse_timeline_is_centred_on_a_slide() {
    let tl = example("minimal.ron");
    let scene = layout(&tl, &LayoutOptions::default(), &slide());
    check(&scene, &slide());
    let (top, bottom) = scene
        .items
        .iter()
        .map(|i| i.shape.bounds())
        .fold((f32::MAX, f32::MIN), |(t, b), r| {
            (t.min(r.min.y), b.max(r.max.y))
        });
    let (above, below) = (top, scene.height - bottom);
    assert!(
        above > scene.height * 0.2,
        "figure stuck at the top: {above} px above"
    );
    assert!(
        (above - below).abs() < scene.height * 0.05,
        "not centred: {above} px above, {below} px below"
    );
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

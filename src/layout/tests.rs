//! Layout tests: scene invariants on hand-built timelines, the example cases at every preset,
//! and a large stress timeline.

use std::collections::BTreeSet;

use super::*;
use crate::model::*;
use crate::page::{Page, Preset};
use crate::scene::{ItemRef, Shape, Text};

/// A small builder for timelines in tests.
pub(crate) struct Fx(pub Timeline);

pub(super) fn when(day: i64) -> When {
    When::day(day)
}

pub(super) fn span(a: i64, b: i64) -> Span {
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
            scale: Default::default(),
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
pub(super) fn case1(relative: bool) -> Timeline {
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

pub(super) fn slide() -> Page {
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

pub(super) fn has_text(scene: &Scene, s: &str) -> bool {
    scene.texts().any(|t| t.text == s)
}

pub(super) fn items_of(scene: &Scene, r: ItemRef) -> Vec<&crate::scene::Item> {
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
            for &theme in crate::theme::ThemeKind::ALL {
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
        for &axis in AxisMode::ALL {
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

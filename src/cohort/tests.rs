//! Cohort model tests on the fixtures in `tests/data/cohort/`: alignment, grouping, sorting,
//! de-identified ids, lanes, baselines and best changes.

use std::path::Path;

use super::measure::{self, best_response};
use super::swimmer::{self, LaneEnd, MarkKind};
use super::*;
use crate::model::{EventKind, ResponseResult};

/// The fixture folder's inputs, in file order (`zz-bad.ron` does not load).
pub(crate) fn fixture_inputs() -> Vec<Input> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cohort");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let r = crate::load::load_file(&p)
                .map(|l| l.timeline)
                .map_err(|e| e.to_string());
            (p.display().to_string(), r)
        })
        .collect()
}

fn cohort(options: CohortOptions) -> Cohort {
    Cohort::build(fixture_inputs(), options)
}

fn ids(c: &Cohort) -> Vec<&str> {
    c.members.iter().map(|m| m.id.as_str()).collect()
}

#[test]
fn a_bad_file_is_excluded_with_its_place_and_the_others_stay() {
    let c = cohort(CohortOptions::default());
    assert_eq!(c.members.len(), 5);
    assert_eq!(c.excluded.len(), 1);
    let e = &c.excluded[0];
    assert!(e.name.ends_with("zz-bad.ron"), "{e:?}");
    assert!(e.reason.contains("zz-bad.ron:7:19"), "{e:?}");
    assert!(e.reason.contains("Chemotherapy"), "{e:?}");
}

#[test]
fn alignment_sets_each_patients_time_zero() {
    let c = cohort(CohortOptions {
        align: Align::FirstTherapy,
        sort: SortBy::Input,
        ..Default::default()
    });
    let zeros: Vec<i64> = c.members.iter().map(|m| m.zero).collect();
    assert_eq!(zeros, vec![10, 0, 20, 5, 30]);
    // C01's first response (day 63) is 53 days after its first therapy.
    assert_eq!(c.members[0].rel(63), 53);

    let c = cohort(CohortOptions {
        align: Align::parse("docetaxel"),
        ..Default::default()
    });
    assert_eq!(ids(&c), vec!["C02"]);
    assert_eq!(c.excluded.len(), 5);
    let r = &c
        .excluded
        .iter()
        .find(|e| e.name.ends_with("c01.ron"))
        .unwrap();
    assert!(r.reason.contains("no phase named \"docetaxel\""), "{r:?}");
    assert!(r.reason.contains("Carboplatin, Pembrolizumab"), "{r:?}");
    assert_eq!(Align::parse("day0"), Align::Day0);
    assert_eq!(Align::FirstTherapy.origin(), "first therapy");
}

#[test]
fn sorting_by_duration_group_id_and_input() {
    let by = |sort, group_by| {
        let c = cohort(CohortOptions {
            sort,
            group_by,
            ..Default::default()
        });
        ids(&c).into_iter().map(String::from).collect::<Vec<_>>()
    };
    // Lane ends: C01 540, C02 200 (death), C03 400, C10 150 (last follow-up), C11 700.
    assert_eq!(
        by(SortBy::Duration, None),
        ["C11", "C01", "C03", "C02", "C10"]
    );
    assert_eq!(
        by(SortBy::Group, Some(GroupBy::Group)),
        ["C01", "C03", "C02", "C10", "C11"]
    );
    assert_eq!(by(SortBy::Input, None), ["C01", "C02", "C03", "C10", "C11"]);
    assert_eq!(by(SortBy::Id, None), ["C01", "C02", "C03", "C10", "C11"]);
    assert_eq!(natural_cmp("P2", "P10"), std::cmp::Ordering::Less);
    assert_eq!(natural_cmp("P10", "P2"), std::cmp::Ordering::Greater);
    assert_eq!(natural_cmp("a", "a1"), std::cmp::Ordering::Less);
}

#[test]
fn groups_come_from_the_chosen_attribute_in_input_order() {
    let c = cohort(CohortOptions {
        group_by: Some(GroupBy::Group),
        ..Default::default()
    });
    assert_eq!(c.groups, vec!["Arm A", "Arm B"]);
    let c11 = c.members.iter().find(|m| m.id == "C11").unwrap();
    assert_eq!(c11.group, None);
    let c = cohort(CohortOptions {
        group_by: Some(GroupBy::Stage),
        ..Default::default()
    });
    assert_eq!(c.groups, vec!["IV", "IIIB", "ED", "IB"]);
}

#[test]
fn deidentified_ids_are_numbered_in_input_order() {
    let c = cohort(CohortOptions {
        deidentify: true,
        sort: SortBy::Duration,
        group_by: Some(GroupBy::Group),
        ..Default::default()
    });
    // Input order C01 C02 C03 C10 C11 (zz-bad is input 6 and left out).
    assert_eq!(ids(&c), vec!["P005", "P001", "P003", "P002", "P004"]);
    for m in &c.members {
        assert_eq!(m.label, m.id);
        assert_eq!(m.timeline.patient.id, m.id);
        assert!(m.timeline.day_zero.is_none());
    }
    // The group survives de-identification.
    let p1 = c.members.iter().find(|m| m.id == "P001").unwrap();
    assert_eq!(p1.group.as_deref(), Some("Arm A"));
}

#[test]
fn lanes_end_at_death_follow_up_or_cutoff_and_keep_coinciding_marks() {
    let c = cohort(CohortOptions {
        sort: SortBy::Input,
        ..Default::default()
    });
    let lanes = swimmer::lanes(&c);
    let ends: Vec<(i64, LaneEnd)> = lanes.iter().map(|l| (l.end, l.end_kind)).collect();
    assert_eq!(
        ends,
        vec![
            (540, LaneEnd::LastFollowUp),
            (200, LaneEnd::Death),
            (400, LaneEnd::DataCutoff),
            (150, LaneEnd::LastFollowUp),
            (700, LaneEnd::LastFollowUp),
        ]
    );
    // C02: PD, progression and death on day 200, all three kept.
    let on_200: Vec<MarkKind> = lanes[1]
        .marks
        .iter()
        .filter(|k| k.day == 200)
        .map(|k| k.kind)
        .collect();
    assert_eq!(
        on_200,
        vec![
            MarkKind::Response(ResponseResult::PD),
            MarkKind::Event(EventKind::Progression),
            MarkKind::Event(EventKind::Death),
        ]
    );
    assert!(lanes[0].ongoing && lanes[2].ongoing && !lanes[1].ongoing);
    // C01: responding from the first PR to the end; C03: PR at 80 until PD at 290.
    let r = lanes[0].response.unwrap();
    assert_eq!((r.start, r.end, r.continuing), (63, 540, true));
    let r = lanes[2].response.unwrap();
    assert_eq!((r.start, r.end, r.continuing), (80, 290, false));
    assert_eq!(lanes[1].response, None);
}

#[test]
fn baseline_best_change_and_non_evaluable_patients() {
    let c = cohort(CohortOptions {
        sort: SortBy::Input,
        ..Default::default()
    });
    assert_eq!(
        measure::measure_name(&c).as_deref(),
        Ok("Target lesion sum")
    );
    let (series, left) = measure::series(&c, "target lesion sum");
    let got: Vec<(&str, (i64, f64), f64)> = series
        .iter()
        .map(|s| (c.members[s.member].id.as_str(), s.baseline, s.best))
        .collect();
    // C10: the last value on or before time zero (day 0, 62) is the baseline, not day −10.
    let want = [
        ("C01", (-5, 80.0), -100.0),
        ("C02", (0, 50.0), 4.0),
        ("C10", (0, 62.0), (55.8 - 62.0) / 62.0 * 100.0),
    ];
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!((g.0, g.1), (w.0, w.1));
        assert!((g.2 - w.2).abs() < 1e-9, "{g:?} vs {w:?}");
    }
    // C02's best is its lowest after baseline: +4 % (52) at day 60, not +50 %.
    assert!((series[1].best - 4.0).abs() < 1e-9, "{:?}", series[1]);
    assert_eq!(series[0].points[0], (-5, 0.0));
    assert_eq!(series[0].best_response, Some(ResponseResult::CR));
    assert_eq!(left.len(), 2);
    assert!(left.iter().all(|e| e.reason.contains("no measurement")));
    assert_eq!(best_response(&c.members[1]), Some(ResponseResult::SD));
}

#[test]
fn with_no_measurement_named_the_message_lists_what_there_is() {
    let mut inputs = fixture_inputs();
    inputs.retain(|(n, _)| n.ends_with("c03.ron") || n.ends_with("c11.ron"));
    let c = Cohort::build(inputs, CohortOptions::default());
    let e = measure::measure_name(&c).unwrap_err();
    assert!(
        e.contains("--measure") && e.contains("no measurements"),
        "{e}"
    );
}

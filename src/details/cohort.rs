//! A cohort figure's patient, or an item on its swimmer lane, in words (the viewer's
//! tooltips on cohort figures): who (label and id), the group, and the item with its time
//! from the patient's time zero — what a reader compares across lanes — followed by the
//! item's own details as [`super::describe`] gives them.

use super::{Details, capitalise, count, describe};
use crate::cohort::swimmer::{LaneEnd, lane};
use crate::cohort::{Cohort, Member};
use crate::model::DAYS_PER_MONTH;
use crate::scene::{ItemRef, PatientPart};

/// Describes `item` of a cohort figure ([`ItemRef::Patient`] or [`ItemRef::PatientItem`]);
/// `None` for any other item or a member index out of range.
pub fn describe_member(cohort: &Cohort, item: ItemRef) -> Option<Details> {
    let i = item.patient()?;
    let m = cohort.members.get(i)?;
    let origin = cohort.options.align.origin();
    let title = if m.label == m.id {
        m.id.clone()
    } else {
        format!("{} ({})", m.label, m.id)
    };
    let mut lines = Vec::new();
    if let (Some(by), Some(g)) = (cohort.options.group_by, &m.group) {
        lines.push(format!("{}: {g}", capitalise(by.name())));
    }
    match item {
        ItemRef::PatientItem(_, part) => {
            let tl = &m.timeline;
            let d = describe(tl, part.item())?;
            lines.push(d.title);
            lines.push(match part {
                PatientPart::Phase(p) => {
                    let s = &tl.phases.get(p)?.span;
                    span_from_zero(m, s.start.day, s.end.day, &origin)
                }
                PatientPart::Response(r) => day_from_zero(m, tl.responses.get(r)?.at.day, &origin),
                PatientPart::Event(e) => day_from_zero(m, tl.events.get(e)?.at.day, &origin),
            });
            lines.extend(d.lines);
        }
        _ => {
            let l = lane(i, m);
            let ends = match l.end_kind {
                LaneEnd::Death => "death",
                LaneEnd::LastFollowUp => "last follow-up",
                LaneEnd::DataCutoff => "data cut-off",
            };
            lines.push(format!(
                "Followed {} ({} mo) from {origin}, to {ends}",
                count(usize::try_from(l.end.max(0)).unwrap_or(0), "day"),
                months(l.end as f64),
            ));
            let phases = m.timeline.phases.len();
            let marks = l.marks.len();
            lines.push(format!(
                "{}, {} on the lane",
                capitalise(&count(phases, "therapy phase")),
                count(marks, "mark")
            ));
        }
    }
    Some(Details { title, lines })
}

/// `day 63 from first therapy (2.1 mo)`.
fn day_from_zero(m: &Member, day: i64, origin: &str) -> String {
    let d = m.rel(day);
    format!("day {d} from {origin} ({} mo)", months(d as f64))
}

/// `days 10–94 from first therapy (0.3–3.1 mo)`.
fn span_from_zero(m: &Member, a: i64, b: i64, origin: &str) -> String {
    let (a, b) = (m.rel(a), m.rel(b));
    format!(
        "days {a}–{b} from {origin} ({}–{} mo)",
        months(a as f64),
        months(b as f64)
    )
}

/// Days as months with one decimal.
fn months(days: f64) -> String {
    format!("{:.1}", days / DAYS_PER_MONTH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cohort::tests::fixture_inputs;
    use crate::cohort::{Align, CohortOptions, GroupBy, SortBy};

    #[test]
    fn a_cohort_item_names_the_patient_group_and_day_from_time_zero() {
        let c = Cohort::build(
            fixture_inputs(),
            CohortOptions {
                align: Align::FirstTherapy,
                group_by: Some(GroupBy::Group),
                sort: SortBy::Id,
                ..Default::default()
            },
        );
        let i = c.members.iter().position(|m| m.id == "C01").unwrap();
        // C01's first therapy starts on day 10; its PR on day 63 is day 53 from time zero.
        let d = describe_member(&c, ItemRef::PatientItem(i, PatientPart::Response(0))).unwrap();
        assert_eq!(d.title, "Case 01 (C01)");
        assert_eq!(d.lines[0], "Group: Arm A");
        assert_eq!(d.lines[1], "Response: PR (partial response)");
        assert_eq!(d.lines[2], "day 53 from first therapy (1.7 mo)");
        let d = describe_member(&c, ItemRef::PatientItem(i, PatientPart::Phase(0))).unwrap();
        assert_eq!(d.lines[1], "Chemotherapy: Carboplatin");
        assert_eq!(d.lines[2], "days 0–84 from first therapy (0.0–2.8 mo)");
        let d = describe_member(&c, ItemRef::Patient(i)).unwrap();
        assert_eq!(
            d.lines[1],
            "Followed 530 days (17.4 mo) from first therapy, to last follow-up"
        );
        assert_eq!(describe_member(&c, ItemRef::Patient(99)), None);
        assert_eq!(describe_member(&c, ItemRef::Phase(0)), None);
    }
}

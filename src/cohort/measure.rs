//! The numbers of the waterfall and spider plots: per patient, the chosen measurement's
//! baseline, its % change from baseline over time and the best (lowest) change after it;
//! and the best overall response.
//!
//! Baseline: the last value on or before time zero, else the first value. Best change: the
//! lowest % change of the values after the baseline. A patient without the measurement,
//! with a baseline of 0 (no % change exists) or with no value after the baseline is not
//! evaluable: listed with the reason, never drawn as 0 %.

use super::{Cohort, Excluded, Member};
use crate::model::{Measurement, ResponseResult};

/// Words that name a target-lesion sum (the default measurement), lower case.
const DEFAULT_NAMES: [&str; 4] = ["target lesion", "sld", "sum of diameters", "sum of longest"];

/// The measurement used when none is named: the first (in lane order) whose name contains
/// "target lesion", "SLD", "sum of diameters" or "sum of longest" (any case).
pub fn default_measure(cohort: &Cohort) -> Option<String> {
    cohort
        .members
        .iter()
        .flat_map(|m| &m.timeline.measurements)
        .find(|ms| {
            let n = ms.name.to_lowercase();
            DEFAULT_NAMES.iter().any(|w| n.contains(w))
        })
        .map(|ms| ms.name.clone())
}

/// The measurement's name as used: the one asked for, else [`default_measure`].
pub fn measure_name(cohort: &Cohort) -> Result<String, String> {
    if let Some(n) = &cohort.options.measure {
        return Ok(n.clone());
    }
    default_measure(cohort).ok_or_else(|| {
        let mut names: Vec<&str> = cohort
            .members
            .iter()
            .flat_map(|m| m.timeline.measurements.iter().map(|x| x.name.as_str()))
            .collect();
        names.sort_unstable();
        names.dedup();
        format!(
            "no measurement named like \"target lesion sum\" or \"SLD\"; name one with \
             --measure \"NAME\" (the patients have: {})",
            if names.is_empty() {
                "no measurements".to_string()
            } else {
                names.join(", ")
            }
        )
    })
}

/// One patient's % change from baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Index into `Cohort::members`.
    pub member: usize,
    /// Baseline: days from time zero and value.
    pub baseline: (i64, f64),
    /// From the baseline on: days from time zero and % change (the baseline itself at 0 %).
    pub points: Vec<(i64, f64)>,
    /// The lowest % change after the baseline.
    pub best: f64,
    /// The best overall response at or after time zero, if assessed.
    pub best_response: Option<ResponseResult>,
}

/// % change from `base` (which is not 0).
pub fn pct_change(value: f64, base: f64) -> f64 {
    (value - base) / base * 100.0
}

/// The measurement of a member with this name (case-insensitive).
fn find<'a>(m: &'a Member, name: &str) -> Option<&'a Measurement> {
    m.timeline
        .measurements
        .iter()
        .find(|x| x.name.eq_ignore_ascii_case(name))
}

/// Every evaluable member's series (lane order), and the members left out with the reason.
pub fn series(cohort: &Cohort, name: &str) -> (Vec<Series>, Vec<Excluded>) {
    let mut out = Vec::new();
    let mut left = Vec::new();
    for (i, m) in cohort.members.iter().enumerate() {
        match member_series(i, m, name) {
            Ok(s) => out.push(s),
            Err(reason) => left.push(Excluded {
                name: m.label.clone(),
                reason,
            }),
        }
    }
    (out, left)
}

/// One member's series, or why it is not evaluable.
pub fn member_series(i: usize, m: &Member, name: &str) -> Result<Series, String> {
    let ms = find(m, name).ok_or_else(|| format!("no measurement \"{name}\""))?;
    let mut pts: Vec<(i64, f64)> = ms.points.iter().map(|(w, v)| (m.rel(w.day), *v)).collect();
    // Stable: values on one day keep their file order.
    pts.sort_by_key(|p| p.0);
    let base_ix = pts
        .iter()
        .rposition(|p| p.0 <= 0)
        .or(if pts.is_empty() { None } else { Some(0) })
        .ok_or_else(|| format!("\"{name}\" has no values"))?;
    let baseline = pts[base_ix];
    if baseline.1 == 0.0 {
        return Err(format!(
            "the baseline of \"{name}\" is 0, so no % change exists"
        ));
    }
    let points: Vec<(i64, f64)> = pts[base_ix..]
        .iter()
        .map(|&(d, v)| (d, pct_change(v, baseline.1)))
        .collect();
    let best = points[1..]
        .iter()
        .map(|p| p.1)
        .fold(None, |acc: Option<f64>, v| {
            Some(acc.map_or(v, |a| a.min(v)))
        })
        .ok_or_else(|| format!("\"{name}\" has no value after its baseline"))?;
    Ok(Series {
        member: i,
        baseline,
        points,
        best,
        best_response: best_response(m),
    })
}

/// Best overall response at or after time zero: CR, then PR, SD, PD, NE (iRECIST results
/// rank with their RECIST counterparts, after them).
pub fn best_response(m: &Member) -> Option<ResponseResult> {
    use ResponseResult::*;
    let rank = |r: ResponseResult| match r {
        CR => 0,
        ICr => 1,
        PR => 2,
        IPr => 3,
        SD => 4,
        ISd => 5,
        PD => 6,
        IUpd => 7,
        ICpd => 8,
        NE => 9,
    };
    m.timeline
        .responses
        .iter()
        .filter(|r| m.rel(r.at.day) >= 0)
        .map(|r| r.result)
        .min_by_key(|r| rank(*r))
}

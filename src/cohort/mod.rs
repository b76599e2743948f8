//! Cohorts: many patients' validated timelines put on one time origin, grouped and sorted,
//! for the cohort figures (swimmer, waterfall, spider). No egui, no geometry: the numbers
//! each figure shows are computed here ([`swimmer`], [`measure`]); `crate::layout::cohort`
//! turns them into a [`crate::scene::Scene`] with the same bands as the single-patient figure.
//!
//! Every patient given is either a [`Member`] of the cohort or an [`Excluded`] entry with
//! the reason, so nothing is dropped silently: a file that did not load, a patient without
//! the phase `--align` names, or (for waterfall and spider) without the measurement.

pub mod file;
pub mod measure;
pub mod swimmer;

use crate::model::{DAYS_PER_MONTH, Timeline};

/// Time zero of each patient.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Align {
    /// The file's own day 0.
    #[default]
    Day0,
    /// The start of the patient's first treatment phase.
    FirstTherapy,
    /// The start of the first phase with this name (case-insensitive).
    Phase(String),
}

impl Align {
    /// Parses `day0`, `first-therapy` or a phase name.
    pub fn parse(s: &str) -> Align {
        match s {
            "day0" => Align::Day0,
            "first-therapy" => Align::FirstTherapy,
            name => Align::Phase(name.to_string()),
        }
    }

    /// What time zero is, for the axis title ("months from first therapy").
    pub fn origin(&self) -> String {
        match self {
            Align::Day0 => "day 0".to_string(),
            Align::FirstTherapy => "first therapy".to_string(),
            Align::Phase(n) => format!("start of {n}"),
        }
    }

    /// The day (in the timeline's own days) that is time zero, or why there is none.
    pub fn zero_of(&self, tl: &Timeline) -> Result<i64, String> {
        match self {
            Align::Day0 => Ok(0),
            Align::FirstTherapy => {
                tl.phases
                    .iter()
                    .map(|p| p.span.start.day)
                    .min()
                    .ok_or_else(|| {
                        "it has no treatment phase, so --align first-therapy has no time zero \
                     for it; give it a phase or use --align day0"
                            .to_string()
                    })
            }
            Align::Phase(name) => tl
                .phases
                .iter()
                .filter(|p| p.name.eq_ignore_ascii_case(name))
                .map(|p| p.span.start.day)
                .min()
                .ok_or_else(|| {
                    let names: Vec<&str> = tl.phases.iter().map(|p| p.name.as_str()).collect();
                    format!(
                        "it has no phase named \"{name}\" for --align; its phases are: {} \
                         (--align first-therapy takes the first phase of any name)",
                        if names.is_empty() {
                            "(none)".to_string()
                        } else {
                            names.join(", ")
                        }
                    )
                }),
        }
    }
}

/// The patient attribute lanes are grouped (coloured) by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    /// `patient.group` (arm, cohort).
    #[default]
    Group,
    /// `patient.sex`.
    Sex,
    /// `patient.diagnosis`.
    Diagnosis,
    /// `patient.stage`.
    Stage,
}

impl GroupBy {
    /// The attribute's value for a timeline.
    pub fn value(self, tl: &Timeline) -> Option<String> {
        let p = &tl.patient;
        match self {
            GroupBy::Group => p.group.clone(),
            GroupBy::Sex => p.sex.clone(),
            GroupBy::Diagnosis => p.diagnosis.clone(),
            GroupBy::Stage => p.stage.clone(),
        }
        .filter(|s| !s.trim().is_empty())
    }

    /// The attribute's name, for the legend.
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Group => "group",
            GroupBy::Sex => "sex",
            GroupBy::Diagnosis => "diagnosis",
            GroupBy::Stage => "stage",
        }
    }
}

/// The order of the lanes (and of the waterfall's bars where it applies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// Longest lane first.
    #[default]
    Duration,
    /// By group (in order of first appearance), longest first within each.
    Group,
    /// By id (natural order: P2 before P10).
    Id,
    /// As given on the command line.
    Input,
}

/// Everything that shapes a cohort besides its patients.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CohortOptions {
    /// The figure's title (default: "N patients").
    pub title: Option<String>,
    /// Time zero per patient.
    pub align: Align,
    /// Grouping attribute (`None`: no groups).
    pub group_by: Option<GroupBy>,
    /// Lane order.
    pub sort: SortBy,
    /// The measurement for waterfall and spider (default: see [`measure::default_measure`]).
    pub measure: Option<String>,
    /// Vertical reference lines, in months from time zero.
    pub ref_months: Vec<f64>,
    /// Ids become `P001`, `P002`… (in input order) and every timeline is de-identified.
    pub deidentify: bool,
    /// Swimmer bars coloured by line of therapy instead of therapy kind.
    pub color_by_line: bool,
}

/// One patient of the cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Shown id (`P001` when de-identified).
    pub id: String,
    /// Lane label: the patient's label, else the id.
    pub label: String,
    /// The group value (`None`: no group or not grouped).
    pub group: Option<String>,
    /// The timeline (de-identified when asked for).
    pub timeline: Timeline,
    /// Time zero, in the timeline's own days.
    pub zero: i64,
    /// Position among the inputs.
    pub input: usize,
}

impl Member {
    /// A timeline day as days from time zero.
    pub fn rel(&self, day: i64) -> i64 {
        day.saturating_sub(self.zero)
    }
}

/// A patient left out of a figure, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    /// The input (file name, or `STUDY (patient ID)`).
    pub name: String,
    /// Why, in words.
    pub reason: String,
}

/// A patient's input: its name and its timeline, or why it did not load.
pub type Input = (String, Result<Timeline, String>);

/// The patients of a cohort, aligned, grouped and sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct Cohort {
    /// The members in lane order.
    pub members: Vec<Member>,
    /// The groups in order of first appearance (in input order).
    pub groups: Vec<String>,
    /// Patients left out, in input order.
    pub excluded: Vec<Excluded>,
    /// The options it was built with.
    pub options: CohortOptions,
}

impl Cohort {
    /// Builds a cohort from its inputs: each loaded timeline aligned (or excluded with the
    /// reason), de-identified when asked (ids `P001`… in input order), grouped, sorted.
    pub fn build(inputs: Vec<Input>, options: CohortOptions) -> Cohort {
        let mut members = Vec::new();
        let mut excluded = Vec::new();
        let width = inputs.len().to_string().len().max(3);
        for (i, (name, loaded)) in inputs.into_iter().enumerate() {
            let tl = match loaded {
                Ok(tl) => tl,
                Err(reason) => {
                    excluded.push(Excluded { name, reason });
                    continue;
                }
            };
            let zero = match options.align.zero_of(&tl) {
                Ok(z) => z,
                Err(reason) => {
                    excluded.push(Excluded { name, reason });
                    continue;
                }
            };
            let (id, label, timeline) = if options.deidentify {
                let id = format!("P{:0width$}", i + 1);
                let mut t = tl;
                // Cohort figures draw no images: nothing to re-encode.
                t.images.clear();
                let t = crate::deidentify::deidentify(&t, Some(&id));
                (id.clone(), id, t)
            } else {
                let id = tl.patient.id.clone();
                let label = if tl.patient.label.trim().is_empty() {
                    id.clone()
                } else {
                    tl.patient.label.clone()
                };
                (id, label, tl)
            };
            let group = options.group_by.and_then(|g| g.value(&timeline));
            members.push(Member {
                id,
                label,
                group,
                timeline,
                zero,
                input: i,
            });
        }
        let mut groups: Vec<String> = Vec::new();
        for m in &members {
            if let Some(g) = &m.group
                && !groups.contains(g)
            {
                groups.push(g.clone());
            }
        }
        sort_members(&mut members, &groups, options.sort);
        Cohort {
            members,
            groups,
            excluded,
            options,
        }
    }

    /// The reference lines in days from time zero (finite, non-negative months only).
    pub fn ref_days(&self) -> Vec<f64> {
        self.options
            .ref_months
            .iter()
            .filter(|m| m.is_finite() && **m >= 0.0)
            .map(|m| m * DAYS_PER_MONTH)
            .collect()
    }
}

/// Sorts lanes; every order ends with the input position, so it is total and stable.
fn sort_members(members: &mut [Member], groups: &[String], sort: SortBy) {
    let group_ix = |m: &Member| {
        m.group
            .as_ref()
            .and_then(|g| groups.iter().position(|x| x == g))
            .unwrap_or(usize::MAX)
    };
    match sort {
        SortBy::Duration => members.sort_by_key(|m| (std::cmp::Reverse(lane_days(m)), m.input)),
        SortBy::Group => {
            members.sort_by_key(|m| (group_ix(m), std::cmp::Reverse(lane_days(m)), m.input))
        }
        SortBy::Id => members.sort_by(|a, b| natural_cmp(&a.id, &b.id).then(a.input.cmp(&b.input))),
        SortBy::Input => members.sort_by_key(|m| m.input),
    }
}

/// The lane's length in days (time zero to its end).
fn lane_days(m: &Member) -> i64 {
    swimmer::lane_end(m)
}

/// Compares ids with their digit runs as numbers: `P2` < `P10`.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn parts(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut digit = None;
        for (i, c) in s.char_indices() {
            let d = c.is_ascii_digit();
            if digit.is_some_and(|x| x != d) {
                out.push((digit.unwrap_or(false), &s[start..i]));
                start = i;
            }
            digit = Some(d);
        }
        if start < s.len() {
            out.push((digit.unwrap_or(false), &s[start..]));
        }
        out
    }
    let (pa, pb) = (parts(a), parts(b));
    for (x, y) in pa.iter().zip(&pb) {
        let ord = match (x, y) {
            ((true, p), (true, q)) => {
                let (p, q) = (p.trim_start_matches('0'), q.trim_start_matches('0'));
                p.len().cmp(&q.len()).then(p.cmp(q))
            }
            ((_, p), (_, q)) => p.cmp(q),
        };
        if ord.is_ne() {
            return ord;
        }
    }
    pa.len().cmp(&pb.len()).then(a.cmp(b))
}

#[cfg(test)]
pub(crate) mod tests;

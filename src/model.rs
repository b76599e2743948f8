//! The validated model: what every later stage (layout, scene, export, GUI) works from.
//!
//! A [`Timeline`] only exists after parsing and validation succeeded (possibly with
//! warnings). Its invariants, which later stages rely on without re-checking:
//!
//! - every time is a [`When`]: whole days relative to `day_zero` (day 0), plus whether the
//!   file gave it only to the month or year (approximate, shown with `~`);
//! - every span has `start.day <= end.day`; a phase written without `end` lasts one day
//!   (`end.day == start.day + 1`, [`EndKind::Single`]); an `"ongoing"` end is resolved to
//!   `data_cutoff` ([`EndKind::Ongoing`]);
//! - `data_cutoff` is set (default: the latest time in the file);
//! - measurement values and normal limits are finite; AE grades are 1–5 and only on
//!   [`EventKind::AdverseEvent`];
//! - defaults are applied (`patient.label` = id, status `label` = the state's name, ...).
//!
//! The enums here are also the on-disk vocabulary (they derive `Deserialize`), so a name
//! in a file and a name in the program are one and the same.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Days per month used for every month figure (`months = days / 30.4375`).
pub const DAYS_PER_MONTH: f64 = 30.4375;

/// A resolved time: whole days after `day_zero` (negative before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct When {
    /// Days after `day_zero`.
    pub day: i64,
    /// How precisely the file gave this time.
    pub precision: Precision,
}

impl When {
    /// An exact day.
    pub fn day(day: i64) -> Self {
        When {
            day,
            precision: Precision::Day,
        }
    }

    /// True when the file gave only the month or the year (shown with `~`).
    pub fn is_approximate(&self) -> bool {
        self.precision != Precision::Day
    }
}

/// How precisely a time was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Precision {
    /// `"2021-03-15"` or an integer day.
    #[default]
    Day,
    /// `"2021-03"`: placed at the 15th.
    Month,
    /// `"2021"`: placed at 1 July.
    Year,
}

/// How a span's end was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndKind {
    /// An explicit end time.
    At,
    /// `"ongoing"`: runs to `data_cutoff`, drawn with an arrow / written with `≥`.
    Ongoing,
    /// No `end` (phases only): lasts one day.
    Single,
}

/// A span of time with its resolved end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// Start time.
    pub start: When,
    /// Resolved end (`data_cutoff` when ongoing, `start + 1` when single).
    pub end: When,
    /// How the end was written.
    pub end_kind: EndKind,
}

impl Span {
    /// True when the end was written `"ongoing"`.
    pub fn is_ongoing(&self) -> bool {
        self.end_kind == EndKind::Ongoing
    }

    /// Length in days, counting both the first and the last day: `end − start + 1`, so a
    /// phase from 2021-03-01 to 2021-03-31 lasts 31 days and one with no end (or ending on
    /// its start day) lasts 1 day; an ongoing span counts the data cut-off day. This is the
    /// clinical-trial convention (CDISC ADaM: end − start + 1) and the only one in txline:
    /// the figure's interval labels, the tooltips and the side panel all use it
    /// (docs/format.md, "Lengths").
    pub fn days(&self) -> i64 {
        match self.end_kind {
            EndKind::Single => 1,
            EndKind::At | EndKind::Ongoing => self.end.day - self.start.day + 1,
        }
    }

    /// Length in months ([`Span::days`] / 30.4375).
    pub fn months(&self) -> f64 {
        self.days() as f64 / DAYS_PER_MONTH
    }
}

/// One patient's whole timeline, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// The file it came from, when it came from a file (names it in messages; images are
    /// relative to its folder).
    pub source: Option<PathBuf>,
    /// Who the timeline is about.
    pub patient: Patient,
    /// The calendar date of day 0, or `None` for a relative-only file (or a de-identified
    /// timeline): then no calendar date may be shown anywhere.
    pub day_zero: Option<jiff::civil::Date>,
    /// Where `day_zero` came from (for the subtitle: "day 0 = 2020-06-15 (diagnosis)").
    pub day_zero_origin: DayZeroOrigin,
    /// How precisely `day_zero` was written (or the date it was taken from): `"2018-09"`
    /// is `Month` (placed at the 15th), so the subtitle says "day 0 = ~2018-09". `Day` when
    /// there is no `day_zero`.
    pub day_zero_precision: Precision,
    /// The data cut-off, days after day 0.
    pub data_cutoff: When,
    /// True when `data_cutoff` was written in the file (not defaulted).
    pub data_cutoff_given: bool,
    /// Treatment phases, in file order.
    pub phases: Vec<Phase>,
    /// Disease status periods, in file order.
    pub statuses: Vec<Status>,
    /// Response assessments, in file order.
    pub responses: Vec<Response>,
    /// Single-moment events, in file order.
    pub events: Vec<Event>,
    /// Named spans with computed lengths.
    pub intervals: Vec<Interval>,
    /// Marker / measurement tracks.
    pub measurements: Vec<Measurement>,
    /// Representative images.
    pub images: Vec<ImageItem>,
}

/// Where `day_zero` came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayZeroOrigin {
    /// Written as `day_zero` in the file.
    Given,
    /// The first `Diagnosis` event.
    Diagnosis,
    /// The earliest time in the file.
    Earliest,
    /// The file uses integer days only and has no calendar anchor.
    RelativeOnly,
}

/// The patient block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patient {
    /// Identifier; used in default export file names.
    pub id: String,
    /// Title of the figure (default: `id`).
    pub label: String,
    /// Sex as written (`"F"`, `"M"`, ...).
    pub sex: Option<String>,
    /// Age in years at day 0, as written.
    pub age: Option<u32>,
    /// Age band replacing `age` in a de-identified timeline (`"45–49"`, `"≥90"`).
    pub age_band: Option<String>,
    /// Diagnosis.
    pub diagnosis: Option<String>,
    /// Stage.
    pub stage: Option<String>,
    /// Group the patient belongs to (study arm, subtype, cohort), as written.
    pub group: Option<String>,
}

impl Patient {
    /// The age as the figure's subtitle and the side panel write it: `"52 y"`, or the
    /// de-identified band `"50–54 y"`; `None` when neither is known.
    pub fn age_text(&self) -> Option<String> {
        let age = self.age.map(|a| a.to_string());
        age.or_else(|| self.age_band.clone())
            .map(|a| format!("{a} y"))
    }
}

/// Kind of therapy; also the default lane, in this clinical order.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::EnumCount,
)]
pub enum Therapy {
    Surgery,
    Chemoradiotherapy,
    Radiotherapy,
    Chemotherapy,
    Targeted,
    Hormonal,
    Immunotherapy,
    Other,
}

impl Therapy {
    /// Every Therapy, in the order of the declaration (lanes, legend, palettes).
    pub const ALL: &'static [Therapy] = <Therapy as strum::VariantArray>::VARIANTS;

    /// The name as written in files and shown in the legend.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// Treatment intent.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::EnumCount,
)]
pub enum Intent {
    Curative,
    Palliative,
    Maintenance,
    Neoadjuvant,
    Adjuvant,
}

impl Intent {
    /// Every Intent, in the order of the declaration (lanes, legend, palettes).
    pub const ALL: &'static [Intent] = <Intent as strum::VariantArray>::VARIANTS;

    /// The name as written in files.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// A treatment phase, drawn as a bar in its lane.
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    /// Kind of therapy.
    pub therapy: Therapy,
    /// Short name drawn on or beside the bar (default: the therapy's name).
    pub name: String,
    /// When it ran.
    pub span: Span,
    /// Free-text detail (doses, fractions), for tooltips.
    pub detail: Option<String>,
    /// Line of therapy.
    pub line: Option<u32>,
    /// Lane override (default: by therapy).
    pub lane: Option<String>,
    /// Dose / cycle / fraction ticks.
    pub doses: Vec<When>,
    /// Intent.
    pub intent: Option<Intent>,
}

impl Phase {
    /// The lane this phase is drawn in: the override, else the therapy's name.
    pub fn lane_name(&self) -> &str {
        self.lane.as_deref().unwrap_or(self.therapy.name())
    }
}

/// Disease state.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::EnumCount,
)]
pub enum DiseaseState {
    NoEvidenceOfDisease,
    Remission,
    Stable,
    Active,
    Progression,
    Recurrence,
    Metastatic,
    Unknown,
}

impl DiseaseState {
    /// Every DiseaseState, in the order of the declaration (lanes, legend, palettes).
    pub const ALL: &'static [DiseaseState] = <DiseaseState as strum::VariantArray>::VARIANTS;

    /// The name as written in files.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The name for people ("No evidence of disease").
    pub fn display(self) -> &'static str {
        match self {
            DiseaseState::NoEvidenceOfDisease => "No evidence of disease",
            other => other.name(),
        }
    }
}

/// A disease-status period, drawn in the status band.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    /// The state.
    pub state: DiseaseState,
    /// Label (default: the state's display name).
    pub label: String,
    /// When.
    pub span: Span,
}

/// A response assessment result (RECIST 1.1 and iRECIST).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::EnumCount,
)]
pub enum ResponseResult {
    CR,
    PR,
    SD,
    PD,
    NE,
    #[serde(rename = "iCR")]
    #[strum(serialize = "iCR")]
    ICr,
    #[serde(rename = "iPR")]
    #[strum(serialize = "iPR")]
    IPr,
    #[serde(rename = "iSD")]
    #[strum(serialize = "iSD")]
    ISd,
    #[serde(rename = "iUPD")]
    #[strum(serialize = "iUPD")]
    IUpd,
    #[serde(rename = "iCPD")]
    #[strum(serialize = "iCPD")]
    ICpd,
}

impl ResponseResult {
    /// Every ResponseResult, in the order of the declaration (lanes, legend, palettes).
    pub const ALL: &'static [ResponseResult] = <ResponseResult as strum::VariantArray>::VARIANTS;

    /// The name as written in files and drawn under the marker.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The long name ("Partial response").
    pub fn long_name(self) -> &'static str {
        match self {
            ResponseResult::CR => "Complete response",
            ResponseResult::PR => "Partial response",
            ResponseResult::SD => "Stable disease",
            ResponseResult::PD => "Progressive disease",
            ResponseResult::NE => "Not evaluable",
            ResponseResult::ICr => "Immune complete response",
            ResponseResult::IPr => "Immune partial response",
            ResponseResult::ISd => "Immune stable disease",
            ResponseResult::IUpd => "Immune unconfirmed progression",
            ResponseResult::ICpd => "Immune confirmed progression",
        }
    }
}

/// A response assessment, drawn as a marker in the response row.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// When assessed.
    pub at: When,
    /// Result.
    pub result: ResponseResult,
    /// Criteria ("RECIST 1.1").
    pub criteria: Option<String>,
    /// Method ("CT").
    pub method: Option<String>,
    /// Free-text note.
    pub note: Option<String>,
}

/// Kind of single-moment event.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::EnumCount,
)]
pub enum EventKind {
    Diagnosis,
    Recurrence,
    Metastasis,
    Progression,
    AdverseEvent,
    Imaging,
    Biopsy,
    Death,
    LastFollowUp,
    Other,
}

impl EventKind {
    /// Every EventKind, in the order of the declaration (lanes, legend, palettes).
    pub const ALL: &'static [EventKind] = <EventKind as strum::VariantArray>::VARIANTS;

    /// The name as written in files.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The name for people ("Adverse event").
    pub fn display(self) -> &'static str {
        match self {
            EventKind::AdverseEvent => "Adverse event",
            EventKind::LastFollowUp => "Last follow-up",
            other => other.name(),
        }
    }
}

/// A single-moment event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// When.
    pub at: When,
    /// Kind.
    pub kind: EventKind,
    /// Label (default: the kind's display name).
    pub label: String,
    /// Free-text note.
    pub note: Option<String>,
    /// CTCAE grade 1–5 (adverse events only).
    pub grade: Option<u8>,
}

/// A named span drawn as a bracket with its computed length.
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    /// Label ("PFS").
    pub label: String,
    /// When (an ongoing end runs to `data_cutoff`).
    pub span: Span,
}

impl Interval {
    /// The bracket's text: `"PFS ≥ 15.9 mo"` when ongoing, `"PFS 15.9 mo"` otherwise.
    ///
    /// When either end was given only to the month or year the length is approximate:
    /// whole months with `~` ("PFS ≥ ~30 mo"), not a tenth of a month it cannot know.
    pub fn length_label(&self) -> String {
        let op = if self.span.is_ongoing() { " ≥ " } else { " " };
        if self.span.start.is_approximate() || self.span.end.is_approximate() {
            format!("{}{}~{:.0} mo", self.label, op, self.span.months())
        } else {
            format!("{}{}{:.1} mo", self.label, op, self.span.months())
        }
    }
}

/// A measurement track (tumour size, marker level).
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// Name ("SCC-Ag").
    pub name: String,
    /// Unit ("ng/mL").
    pub unit: Option<String>,
    /// Points in file order (finite values).
    pub points: Vec<(When, f64)>,
    /// Lower normal limit.
    pub normal_min: Option<f64>,
    /// Upper normal limit.
    pub normal_max: Option<f64>,
    /// The value axis.
    pub scale: Scale,
}

/// The value axis of a measurement track.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::EnumCount,
)]
pub enum Scale {
    /// Equal steps are equal distances (the default).
    #[default]
    Linear,
    /// Equal ratios are equal distances, decade ticks (values that span decades, such as
    /// tumour markers); every value must be above 0.
    Log,
}

impl Scale {
    /// Every Scale, in the order of the declaration.
    pub const ALL: &'static [Scale] = <Scale as strum::VariantArray>::VARIANTS;
}

/// A representative image at a time point.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageItem {
    /// When.
    pub at: When,
    /// The path as written in the file.
    pub path: String,
    /// Caption.
    pub caption: Option<String>,
    /// The image, or why it could not be read (drawn as a labelled placeholder).
    pub data: Result<Arc<ImageData>, String>,
}

/// An image read from disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageData {
    /// The file's bytes as read (PNG or JPEG) when it has at most
    /// [`crate::picture::MAX_KEPT_PIXELS`] pixels, else an 8-bit PNG of its pixels reduced
    /// to that; re-encoded PNG for a de-identified timeline. Always decodes whole.
    pub bytes: Arc<[u8]>,
    /// `"image/png"` or `"image/jpeg"`.
    pub mime: &'static str,
    /// Pixel width (of `bytes`, so possibly reduced from the file's).
    pub width: u32,
    /// Pixel height (of `bytes`).
    pub height: u32,
}

impl Timeline {
    /// The earliest and latest day of anything in the timeline (including `data_cutoff`
    /// and day 0 when the file anchors to it).
    pub fn day_range(&self) -> (i64, i64) {
        let mut lo = self.data_cutoff.day;
        let mut hi = self.data_cutoff.day;
        let mut see = |w: When| {
            lo = lo.min(w.day);
            hi = hi.max(w.day);
        };
        for p in &self.phases {
            see(p.span.start);
            see(p.span.end);
            p.doses.iter().copied().for_each(&mut see);
        }
        for s in &self.statuses {
            see(s.span.start);
            see(s.span.end);
        }
        self.responses.iter().for_each(|r| see(r.at));
        self.events.iter().for_each(|e| see(e.at));
        for i in &self.intervals {
            see(i.span.start);
            see(i.span.end);
        }
        for m in &self.measurements {
            m.points.iter().for_each(|(w, _)| see(*w));
        }
        self.images.iter().for_each(|i| see(i.at));
        (lo, hi)
    }

    /// The calendar date of a day, when the timeline has a calendar anchor.
    pub fn date_of(&self, day: i64) -> Option<jiff::civil::Date> {
        let zero = self.day_zero?;
        zero.checked_add(jiff::Span::new().days(day)).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: i64, end: i64, end_kind: EndKind) -> Span {
        Span {
            start: When::day(start),
            end: When::day(end),
            end_kind,
        }
    }

    /// The names written in files (serde) and the names shown (`name()`, strum) are the same
    /// words, for every variant of every enum a file names.
    #[test]
    fn file_names_and_shown_names_agree() {
        fn check<T: Serialize + Copy + std::fmt::Debug>(
            all: &[T],
            name: impl Fn(T) -> &'static str,
        ) {
            assert!(!all.is_empty());
            for &v in all {
                assert_eq!(ron::to_string(&v).unwrap(), name(v), "{v:?}");
            }
        }
        check(Therapy::ALL, Therapy::name);
        check(Intent::ALL, Intent::name);
        check(DiseaseState::ALL, DiseaseState::name);
        check(ResponseResult::ALL, ResponseResult::name);
        check(EventKind::ALL, EventKind::name);
        assert_eq!(ResponseResult::ICpd.name(), "iCPD");
        assert_eq!(Therapy::ALL.len(), 8);
        assert_eq!(ResponseResult::ALL[5], ResponseResult::ICr);
    }

    #[test]
    fn lengths_count_the_first_and_the_last_day() {
        // 2021-03-01 .. 2021-03-31 as days 0 .. 30: the whole of March.
        assert_eq!(span(0, 30, EndKind::At).days(), 31);
        // Ending on its start day: one day, the same as a phase with no end.
        assert_eq!(span(5, 5, EndKind::At).days(), 1);
        assert_eq!(span(5, 6, EndKind::Single).days(), 1);
        // Ongoing to a cut-off on day 100: the cut-off day counts.
        assert_eq!(span(0, 100, EndKind::Ongoing).days(), 101);
        // 365.25 days is 12 months.
        let year = span(0, 365, EndKind::At);
        assert_eq!(year.days(), 366);
        assert!((span(0, 364, EndKind::At).months() - 365.0 / DAYS_PER_MONTH).abs() < 1e-9);
        assert!((year.months() - 12.025).abs() < 0.001, "{}", year.months());
    }

    #[test]
    fn interval_labels_use_the_same_lengths() {
        let iv = |end_kind| Interval {
            label: "PFS".into(),
            span: span(0, 29, end_kind),
        };
        // Days 0 to 29: 30 days = 0.99 mo.
        assert_eq!(iv(EndKind::At).length_label(), "PFS 1.0 mo");
        assert_eq!(iv(EndKind::Ongoing).length_label(), "PFS ≥ 1.0 mo");
        let short = Interval {
            label: "DoR".into(),
            span: span(0, 1, EndKind::At),
        };
        // Two days: 2 / 30.4375 = 0.066 → 0.1 (end − start would give 0.03 → "0.0 mo").
        assert_eq!(short.length_label(), "DoR 0.1 mo");
    }
}

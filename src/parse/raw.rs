//! The on-disk shape: serde types that mirror the file exactly as written (times unparsed,
//! defaults not applied), and the table of every field, its type and an example, which the
//! reader uses to name unknown, missing and mistyped fields.
//!
//! The enums are the model's own ([`crate::model`]), so a name in a file and a name in the
//! program are one and the same.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::model::{DiseaseState, EventKind, Intent, ResponseResult, Scale, Therapy};

/// A time as written: text (`"2021-03-15"`, `"2021-03"`, `"2021"`, `"ongoing"`) or whole days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawTime {
    /// A quoted time.
    Text(String),
    /// An integer: days after `day_zero`.
    Days(i64),
}

impl fmt::Display for RawTime {
    /// As written in the file: `"2021-03-15"` (with quotes) or `120`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RawTime::Text(s) => write!(f, "\"{s}\""),
            RawTime::Days(d) => write!(f, "{d}"),
        }
    }
}

impl<'de> Deserialize<'de> for RawTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawTime;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a time: \"2021-03-15\", \"2021-03\", \"2021\" or whole days such as 120",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawTime, E> {
                Ok(RawTime::Text(v.to_owned()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawTime, E> {
                Ok(RawTime::Days(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawTime, E> {
                i64::try_from(v)
                    .map(RawTime::Days)
                    .map_err(|_| E::custom("too many days"))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<RawTime, E> {
                i64::try_from(v)
                    .map(RawTime::Days)
                    .map_err(|_| E::custom("too many days"))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<RawTime, E> {
                i64::try_from(v)
                    .map(RawTime::Days)
                    .map_err(|_| E::custom("too many days"))
            }
        }
        d.deserialize_any(V)
    }
}

/// The whole file. Every field is optional here; missing required ones are reported by
/// validation.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(rename = "Timeline")]
pub struct RawTimeline {
    /// `format: 1`.
    pub format: Option<i64>,
    /// The patient block.
    pub patient: Option<RawPatient>,
    /// `day_zero`.
    pub day_zero: Option<RawTime>,
    /// `data_cutoff`.
    pub data_cutoff: Option<RawTime>,
    /// Phases; `None` for one that could not be read (its errors are already reported).
    #[serde(default)]
    pub phases: Vec<Option<RawPhase>>,
    /// Statuses.
    #[serde(default)]
    pub statuses: Vec<Option<RawStatus>>,
    /// Responses.
    #[serde(default)]
    pub responses: Vec<Option<RawResponse>>,
    /// Events.
    #[serde(default)]
    pub events: Vec<Option<RawEvent>>,
    /// Intervals.
    #[serde(default)]
    pub intervals: Vec<Option<RawInterval>>,
    /// Measurements.
    #[serde(default)]
    pub measurements: Vec<Option<RawMeasurement>>,
    /// Images.
    #[serde(default)]
    pub images: Vec<Option<RawImage>>,
}

/// `patient: (...)`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename = "Patient")]
pub struct RawPatient {
    /// Identifier.
    pub id: String,
    /// Figure title.
    pub label: Option<String>,
    /// Sex.
    pub sex: Option<String>,
    /// Age at day 0.
    pub age: Option<u32>,
    /// Age band (written by de-identification instead of `age`).
    pub age_band: Option<String>,
    /// Diagnosis.
    pub diagnosis: Option<String>,
    /// Stage.
    pub stage: Option<String>,
    /// Group (study arm, subtype, cohort).
    pub group: Option<String>,
}

/// One of `phases`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename = "Phase")]
pub struct RawPhase {
    /// Therapy.
    pub therapy: Therapy,
    /// Name.
    pub name: Option<String>,
    /// Start.
    pub start: RawTime,
    /// End (absent: one day).
    pub end: Option<RawTime>,
    /// Detail.
    pub detail: Option<String>,
    /// Line of therapy.
    pub line: Option<u32>,
    /// Lane override.
    pub lane: Option<String>,
    /// Dose ticks.
    #[serde(default)]
    pub doses: Vec<RawTime>,
    /// Intent.
    pub intent: Option<Intent>,
}

/// One of `statuses`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename = "Status")]
pub struct RawStatus {
    /// State.
    pub state: DiseaseState,
    /// Label.
    pub label: Option<String>,
    /// Start.
    pub start: RawTime,
    /// End (absent: one day).
    pub end: Option<RawTime>,
}

/// One of `responses`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename = "Response")]
pub struct RawResponse {
    /// When.
    pub at: RawTime,
    /// Result.
    pub result: ResponseResult,
    /// Criteria.
    pub criteria: Option<String>,
    /// Method.
    pub method: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// One of `events`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename = "Event")]
pub struct RawEvent {
    /// When.
    pub at: RawTime,
    /// Kind.
    pub kind: EventKind,
    /// Label.
    pub label: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// CTCAE grade (checked by validation).
    pub grade: Option<i64>,
}

/// One of `intervals`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename = "Interval")]
pub struct RawInterval {
    /// Label.
    pub label: String,
    /// Start.
    pub start: RawTime,
    /// End (may be `"ongoing"`).
    pub end: RawTime,
}

/// One of `measurements`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename = "Measurement")]
pub struct RawMeasurement {
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: Option<String>,
    /// `(time, value)` points.
    pub points: Vec<(RawTime, f64)>,
    /// Lower normal limit.
    pub normal_min: Option<f64>,
    /// Upper normal limit.
    pub normal_max: Option<f64>,
    /// `Linear` (default) or `Log`.
    pub scale: Option<Scale>,
}

/// One of `images`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename = "Image")]
pub struct RawImage {
    /// When.
    pub at: RawTime,
    /// Path relative to the timeline file.
    pub path: String,
    /// Caption.
    pub caption: Option<String>,
}

/// The type a field's value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// Quoted text.
    Text,
    /// A whole number ≥ 0.
    Count,
    /// A whole number (may be negative).
    Int,
    /// A number.
    Number,
    /// A time.
    Time,
    /// One of a list of names, written bare.
    Enum(EnumSpec),
    /// A list of times.
    Times,
    /// A list of `(time, value)` points.
    Points,
    /// A struct (the patient block).
    Struct,
    /// A list of structs.
    List,
}

/// The names an enum field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnumSpec {
    /// What one is called in messages ("therapy", "kind").
    pub noun: &'static str,
    /// Every accepted name, in the order the format page lists them.
    pub names: &'static [&'static str],
}

/// Therapy names, in the format page's order.
pub const THERAPIES: EnumSpec = EnumSpec {
    noun: "therapy",
    names: &[
        "Surgery",
        "Chemotherapy",
        "Radiotherapy",
        "Chemoradiotherapy",
        "Immunotherapy",
        "Targeted",
        "Hormonal",
        "Other",
    ],
};

/// Value-axis scale names.
pub const SCALES: EnumSpec = EnumSpec {
    noun: "scale",
    names: &["Linear", "Log"],
};

/// Intent names.
pub const INTENTS: EnumSpec = EnumSpec {
    noun: "intent",
    names: &[
        "Curative",
        "Palliative",
        "Maintenance",
        "Neoadjuvant",
        "Adjuvant",
    ],
};

/// Disease state names.
pub const STATES: EnumSpec = EnumSpec {
    noun: "state",
    names: &[
        "NoEvidenceOfDisease",
        "Remission",
        "Stable",
        "Active",
        "Progression",
        "Recurrence",
        "Metastatic",
        "Unknown",
    ],
};

/// Response result names.
pub const RESULTS: EnumSpec = EnumSpec {
    noun: "result",
    names: &[
        "CR", "PR", "SD", "PD", "NE", "iCR", "iPR", "iSD", "iUPD", "iCPD",
    ],
};

/// Event kind names.
pub const KINDS: EnumSpec = EnumSpec {
    noun: "kind",
    names: &[
        "Diagnosis",
        "Recurrence",
        "Metastasis",
        "Progression",
        "AdverseEvent",
        "Imaging",
        "Biopsy",
        "Death",
        "LastFollowUp",
        "Other",
    ],
};

/// One field of a struct in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// Its name.
    pub name: &'static str,
    /// True when it must be written.
    pub required: bool,
    /// The type of its value.
    pub ty: Ty,
    /// An example value, for "add ..." messages.
    pub example: &'static str,
}

const fn f(name: &'static str, required: bool, ty: Ty, example: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        required,
        ty,
        example,
    }
}

/// What each struct in the file is, for messages ("a phase").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StructSpec {
    /// "a phase", "the patient block".
    pub what: &'static str,
    /// Its fields.
    pub fields: &'static [FieldSpec],
    /// A minimal example of it.
    pub example: &'static str,
}

const EXAMPLE_DATE: &str = "\"2021-03-15\"";

/// The top level.
pub const TIMELINE: StructSpec = StructSpec {
    what: "the timeline",
    example: "(format: 1, patient: (id: \"P1\"), phases: [...], ...)",
    fields: &[
        f("format", true, Ty::Int, "1"),
        f("patient", true, Ty::Struct, "(id: \"P1\")"),
        f("day_zero", false, Ty::Time, EXAMPLE_DATE),
        f("data_cutoff", false, Ty::Time, EXAMPLE_DATE),
        f("phases", false, Ty::List, "[]"),
        f("statuses", false, Ty::List, "[]"),
        f("responses", false, Ty::List, "[]"),
        f("events", false, Ty::List, "[]"),
        f("intervals", false, Ty::List, "[]"),
        f("measurements", false, Ty::List, "[]"),
        f("images", false, Ty::List, "[]"),
    ],
};

/// `patient: (...)`.
pub const PATIENT: StructSpec = StructSpec {
    what: "the patient block",
    example: "(id: \"P1\", label: \"Patient 1\")",
    fields: &[
        f("id", true, Ty::Text, "\"P1\""),
        f("label", false, Ty::Text, "\"Patient 1\""),
        f("sex", false, Ty::Text, "\"F\""),
        f("age", false, Ty::Count, "52"),
        f("age_band", false, Ty::Text, "\"50–54\""),
        f(
            "diagnosis",
            false,
            Ty::Text,
            "\"Cervical squamous cell carcinoma\"",
        ),
        f("stage", false, Ty::Text, "\"FIGO 2018 IIIC1r\""),
        f("group", false, Ty::Text, "\"Arm B\""),
    ],
};

/// One phase.
pub const PHASE: StructSpec = StructSpec {
    what: "a phase",
    example: "(therapy: Chemotherapy, start: \"2021-03-15\", end: \"2021-06-01\")",
    fields: &[
        f("therapy", true, Ty::Enum(THERAPIES), "Chemotherapy"),
        f("name", false, Ty::Text, "\"TP ×4\""),
        f("start", true, Ty::Time, EXAMPLE_DATE),
        f("end", false, Ty::Time, "\"2021-06-01\""),
        f("detail", false, Ty::Text, "\"paclitaxel + cisplatin q3w\""),
        f("line", false, Ty::Count, "1"),
        f("lane", false, Ty::Text, "\"Neck\""),
        f(
            "doses",
            false,
            Ty::Times,
            "[\"2021-03-15\", \"2021-04-05\"]",
        ),
        f("intent", false, Ty::Enum(INTENTS), "Curative"),
    ],
};

/// One status.
pub const STATUS: StructSpec = StructSpec {
    what: "a status",
    example: "(state: Stable, start: \"2021-03-15\", end: \"2021-06-01\")",
    fields: &[
        f("state", true, Ty::Enum(STATES), "Stable"),
        f("label", false, Ty::Text, "\"Stable disease\""),
        f("start", true, Ty::Time, EXAMPLE_DATE),
        f("end", false, Ty::Time, "\"2021-06-01\""),
    ],
};

/// One response.
pub const RESPONSE: StructSpec = StructSpec {
    what: "a response",
    example: "(at: \"2021-03-15\", result: PR)",
    fields: &[
        f("at", true, Ty::Time, EXAMPLE_DATE),
        f("result", true, Ty::Enum(RESULTS), "PR"),
        f("criteria", false, Ty::Text, "\"RECIST 1.1\""),
        f("method", false, Ty::Text, "\"CT\""),
        f("note", false, Ty::Text, "\"neck LN 8.1 → 3.9 cm\""),
    ],
};

/// One event.
pub const EVENT: StructSpec = StructSpec {
    what: "an event",
    example: "(at: \"2021-03-15\", kind: Diagnosis)",
    fields: &[
        f("at", true, Ty::Time, EXAMPLE_DATE),
        f("kind", true, Ty::Enum(KINDS), "Diagnosis"),
        f("label", false, Ty::Text, "\"Diagnosis\""),
        f("note", false, Ty::Text, "\"biopsy\""),
        f("grade", false, Ty::Int, "2"),
    ],
};

/// One interval.
pub const INTERVAL: StructSpec = StructSpec {
    what: "an interval",
    example: "(label: \"PFS\", start: \"2021-03-15\", end: \"ongoing\")",
    fields: &[
        f("label", true, Ty::Text, "\"PFS\""),
        f("start", true, Ty::Time, EXAMPLE_DATE),
        f("end", true, Ty::Time, "\"ongoing\""),
    ],
};

/// One measurement track.
pub const MEASUREMENT: StructSpec = StructSpec {
    what: "a measurement",
    example: "(name: \"SCC-Ag\", unit: \"ng/mL\", points: [(\"2021-03-15\", 4.2)])",
    fields: &[
        f("name", true, Ty::Text, "\"SCC-Ag\""),
        f("unit", false, Ty::Text, "\"ng/mL\""),
        f("points", true, Ty::Points, "[(\"2021-03-15\", 4.2)]"),
        f("normal_min", false, Ty::Number, "0.0"),
        f("normal_max", false, Ty::Number, "1.5"),
        f("scale", false, Ty::Enum(SCALES), "Log"),
    ],
};

/// One image.
pub const IMAGE: StructSpec = StructSpec {
    what: "an image",
    example: "(at: \"2021-03-15\", path: \"images/ct.png\")",
    fields: &[
        f("at", true, Ty::Time, EXAMPLE_DATE),
        f("path", true, Ty::Text, "\"images/ct.png\""),
        f("caption", false, Ty::Text, "\"CT before RT\""),
    ],
};

/// The struct spec of each top-level list, by field name.
pub fn list_spec(field: &str) -> Option<StructSpec> {
    Some(match field {
        "phases" => PHASE,
        "statuses" => STATUS,
        "responses" => RESPONSE,
        "events" => EVENT,
        "intervals" => INTERVAL,
        "measurements" => MEASUREMENT,
        "images" => IMAGE,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model;

    fn read<T: serde::de::DeserializeOwned>(s: &str) -> T {
        crate::parse::ron_options().from_str(s).unwrap()
    }

    #[test]
    fn enum_name_lists_match_the_model() {
        let t: Vec<model::Therapy> = THERAPIES.names.iter().map(|n| read(n)).collect();
        assert_eq!(t.len(), model::Therapy::ALL.len());
        assert!(model::Therapy::ALL.iter().all(|x| t.contains(x)));
        let sc: Vec<model::Scale> = SCALES.names.iter().map(|n| read(n)).collect();
        assert_eq!(sc, model::Scale::ALL);
        let i: Vec<model::Intent> = INTENTS.names.iter().map(|n| read(n)).collect();
        assert_eq!(i, model::Intent::ALL);
        let s: Vec<model::DiseaseState> = STATES.names.iter().map(|n| read(n)).collect();
        assert_eq!(s, model::DiseaseState::ALL);
        let r: Vec<model::ResponseResult> = RESULTS.names.iter().map(|n| read(n)).collect();
        assert_eq!(r, model::ResponseResult::ALL);
        let k: Vec<model::EventKind> = KINDS.names.iter().map(|n| read(n)).collect();
        assert_eq!(k, model::EventKind::ALL);
    }

    #[test]
    fn times_read_as_text_or_days() {
        assert_eq!(
            read::<RawTime>("\"2021-03\""),
            RawTime::Text("2021-03".into())
        );
        assert_eq!(read::<RawTime>("-120"), RawTime::Days(-120));
        assert_eq!(read::<RawTime>("120"), RawTime::Days(120));
        assert!(
            crate::parse::ron_options()
                .from_str::<RawTime>("1.5")
                .is_err()
        );
        assert_eq!(RawTime::Text("2021".into()).to_string(), "\"2021\"");
    }

    #[test]
    fn a_phase_reads_with_bare_optionals() {
        let p: RawPhase = read(
            "(therapy: Radiotherapy, name: \"RT\", start: \"2021-01-01\", end: Some(\"2021-02-01\"), line: 2, doses: [3, \"2021-01-10\"], intent: Palliative)",
        );
        assert_eq!(p.therapy, model::Therapy::Radiotherapy);
        assert_eq!(p.end, Some(RawTime::Text("2021-02-01".into())));
        assert_eq!(p.line, Some(2));
        assert_eq!(p.doses.len(), 2);
        assert_eq!(p.intent, Some(model::Intent::Palliative));
    }
}

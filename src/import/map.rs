//! The import map: how cBioPortal rows become timeline items. [`ImportMap::default`] is the
//! default mapping of `docs/import.md`; a `--map MAP.ron` file overrides any part of it.
//!
//! ```ron
//! ImportMap(
//!     event_types: { "RADIATION": Treatment, "PROGRESSION": Event(Progression), "ECOG": LabTest },
//!     therapies: { "Medical Therapy": Chemotherapy },
//!     group: "CANCER_TYPE_DETAILED",
//! )
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::cbioportal::type_key;
use crate::model::{EventKind, Therapy};

/// What rows of one EVENT_TYPE become.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Target {
    /// A treatment phase (therapy from TREATMENT_TYPE / SUBTYPE words, name from AGENT).
    Treatment,
    /// A surgery (a one-day phase unless it has a STOP_DATE).
    Surgery,
    /// A status: DECEASED → death, RECIST words → a response, progression words →
    /// progression, ... anything else an `Other` event.
    Status,
    /// Numeric results → a measurement track per TEST; other results → events.
    LabTest,
    /// An imaging event.
    Imaging,
    /// A biopsy event (specimen, sample acquisition, sequencing).
    Specimen,
    /// The diagnosis event.
    Diagnosis,
    /// An event of this kind.
    Event(EventKind),
    /// A phase of this therapy.
    Phase(Therapy),
    /// Left out on purpose (counted in the import's summary).
    Skip,
}

/// The import map (every field optional in a map file).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImportMap {
    /// EVENT_TYPE (any case; `_` and spaces alike) → what it becomes. Overrides the default
    /// table; a type in neither becomes an `Other` event.
    pub event_types: BTreeMap<String, Target>,
    /// TREATMENT_TYPE or SUBTYPE text (any case) → therapy, tried before the word rules.
    pub therapies: BTreeMap<String, Therapy>,
    /// Columns naming a treatment, first non-empty wins.
    pub agent_columns: Vec<String>,
    /// Columns holding a response (RECIST words become response markers).
    pub response_columns: Vec<String>,
    /// Columns naming a specimen.
    pub sample_columns: Vec<String>,
    /// Columns whose text goes to the item's note.
    pub note_columns: Vec<String>,
    /// Columns never shown (styling).
    pub hidden_columns: Vec<String>,
    /// Words in a treatment's outcome that mean it had not ended (blank STOP_DATE → ongoing).
    pub ongoing_words: Vec<String>,
    /// Rows of one patient with the same treatment kind and dates merged into "A + B".
    pub merge_regimens: bool,
    /// A column of data_clinical_patient.txt whose value becomes the patient's group.
    pub group: Option<String>,
    /// Earliest plausible day (default −7300, 20 years before day 0).
    pub earliest_day: i64,
    /// Latest plausible day (default 18250, 50 years after day 0).
    pub latest_day: i64,
    /// What day 0 is, for the file's comment (default "diagnosis").
    pub day_zero_is: String,
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

impl Default for ImportMap {
    fn default() -> Self {
        ImportMap {
            event_types: BTreeMap::new(),
            therapies: BTreeMap::new(),
            agent_columns: strings(&["AGENT", "THERAPEUTIC_AGENT", "DRUG", "REGIMEN"]),
            response_columns: strings(&[
                "TREATMENT_OUTCOME",
                "RESPONSE",
                "BEST_RESPONSE",
                "BEST_OVERALL_RESPONSE",
                "STATUS",
            ]),
            sample_columns: strings(&[
                "SAMPLE_ID",
                "SPECIMEN_REFERENCE_NUMBER",
                "SPECIMENREFERENCENUMBER",
                "OTHER_SAMPLE_ID",
                "SAMPLE",
                "SPECIMEN",
            ]),
            note_columns: strings(&["COMMENTS", "COMMENT", "NOTE", "NOTES"]),
            hidden_columns: strings(&["STYLE_COLOR", "STYLE_SHAPE"]),
            ongoing_words: strings(&["ongoing", "continuing", "on treatment", "not ended"]),
            merge_regimens: true,
            group: None,
            earliest_day: -7300,
            latest_day: 18250,
            day_zero_is: "diagnosis".to_owned(),
        }
    }
}

/// The default target of an EVENT_TYPE key (see [`type_key`]).
fn default_target(key: &str) -> Option<Target> {
    Some(match key {
        "TREATMENT" | "MEDICAL THERAPY" | "THERAPY" => Target::Treatment,
        "RADIATION" | "RADIOTHERAPY" | "RADIATION THERAPY" => Target::Phase(Therapy::Radiotherapy),
        "SURGERY" => Target::Surgery,
        "STATUS" => Target::Status,
        "LAB TEST" | "LABTEST" | "LAB" => Target::LabTest,
        "IMAGING" | "IMAGING ASSESSMENT" => Target::Imaging,
        "SPECIMEN" | "SAMPLE ACQUISITION" | "SEQUENCING" | "BIOPSY" => Target::Specimen,
        "DIAGNOSIS" => Target::Diagnosis,
        "PROGRESSION" => Target::Event(EventKind::Progression),
        "RECURRENCE" => Target::Event(EventKind::Recurrence),
        "METASTASIS" => Target::Event(EventKind::Metastasis),
        "TOXICITY" | "ADVERSE EVENT" => Target::Event(EventKind::AdverseEvent),
        _ => return None,
    })
}

impl ImportMap {
    /// Reads a map file (RON). Errors name the file, line and column.
    pub fn from_file(path: &Path) -> Result<ImportMap, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: error: cannot read the map file: {e}", path.display()))?;
        Self::from_text(&text, &path.display().to_string())
    }

    /// Parses map text; `name` names it in messages.
    pub fn from_text(text: &str, name: &str) -> Result<ImportMap, String> {
        let opts = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let mut map: ImportMap = opts.from_str(text).map_err(|e| {
            format!(
                "{name}:{}:{}: error: {} (see docs/import.md, \"The map file\")",
                e.span.start.line, e.span.start.col, e.code
            )
        })?;
        map.event_types = map
            .event_types
            .into_iter()
            .map(|(k, v)| (type_key(&k), v))
            .collect();
        map.therapies = map
            .therapies
            .into_iter()
            .map(|(k, v)| (k.trim().to_lowercase(), v))
            .collect();
        for list in [
            &mut map.agent_columns,
            &mut map.response_columns,
            &mut map.sample_columns,
            &mut map.note_columns,
            &mut map.hidden_columns,
        ] {
            for c in list.iter_mut() {
                *c = c.trim().to_ascii_uppercase();
            }
        }
        if map.earliest_day > map.latest_day {
            return Err(format!(
                "{name}: error: earliest_day {} is after latest_day {}",
                map.earliest_day, map.latest_day
            ));
        }
        Ok(map)
    }

    /// What rows of this EVENT_TYPE key become; `None`: an `Other` event.
    pub fn target(&self, key: &str) -> Option<Target> {
        self.event_types
            .get(key)
            .copied()
            .or_else(|| default_target(key))
    }

    /// The therapy a treatment row's TREATMENT_TYPE / SUBTYPE words name, if any.
    pub fn therapy_of(&self, texts: &[&str]) -> Option<Therapy> {
        for t in texts {
            if let Some(th) = self.therapies.get(&t.trim().to_lowercase()) {
                return Some(*th);
            }
        }
        // The most specific text first: SUBTYPE is passed before TREATMENT_TYPE.
        texts.iter().find_map(|t| therapy_words(t))
    }
}

/// The therapy named by words in a text ("Radiation Therapy", "Chemotherapy", "WPRT").
pub fn therapy_words(text: &str) -> Option<Therapy> {
    let t = text.to_lowercase();
    let has = |w: &[&str]| w.iter().any(|w| t.contains(w));
    let word = |w: &[&str]| {
        t.split(|c: char| !c.is_alphanumeric())
            .any(|x| w.contains(&x))
    };
    if has(&["chemoradi", "radiochemo"]) {
        Some(Therapy::Chemoradiotherapy)
    } else if has(&["radiation", "radiotherap", "brachy", "proton", "irradiat"])
        || word(&[
            "xrt", "rt", "imrt", "wprt", "ivrt", "sbrt", "srs", "ebrt", "gamma",
        ])
    {
        Some(Therapy::Radiotherapy)
    } else if has(&["immuno", "checkpoint", "car-t", "car t"]) {
        Some(Therapy::Immunotherapy)
    } else if has(&["targeted", "tki", "kinase"]) {
        Some(Therapy::Targeted)
    } else if has(&["hormon", "endocrin", "antiandrogen", "adt"]) {
        Some(Therapy::Hormonal)
    } else if has(&["chemo", "cytotoxic"]) {
        Some(Therapy::Chemotherapy)
    } else if has(&["surg", "resection", "ectomy"]) {
        Some(Therapy::Surgery)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_name_therapies() {
        assert_eq!(
            therapy_words("Radiation Therapy"),
            Some(Therapy::Radiotherapy)
        );
        assert_eq!(therapy_words("WPRT"), Some(Therapy::Radiotherapy));
        assert_eq!(therapy_words("Chemotherapy"), Some(Therapy::Chemotherapy));
        assert_eq!(therapy_words("Hormone Therapy"), Some(Therapy::Hormonal));
        assert_eq!(therapy_words("Targeted Therapy"), Some(Therapy::Targeted));
        assert_eq!(therapy_words("Medical Therapy"), None);
        // "rt" only as a word, not inside "heart".
        assert_eq!(therapy_words("heart"), None);
    }

    #[test]
    fn map_files_override_and_report_positions() {
        let m = ImportMap::from_text(
            "ImportMap(event_types: {\"Progression_event\": Event(Progression)},\n therapies: {\"Medical Therapy\": Chemotherapy}, group: \"SUBTYPE\")",
            "m.ron",
        )
        .unwrap();
        assert_eq!(
            m.target("PROGRESSION EVENT"),
            Some(Target::Event(EventKind::Progression))
        );
        assert_eq!(
            m.therapy_of(&["", "medical therapy"]),
            Some(Therapy::Chemotherapy)
        );
        assert_eq!(m.group.as_deref(), Some("SUBTYPE"));
        assert_eq!(m.target("LAB TEST"), Some(Target::LabTest));
        let e = ImportMap::from_text("ImportMap(\n  evnt_types: {})", "m.ron").unwrap_err();
        assert!(e.starts_with("m.ron:2:"), "{e}");
        assert!(e.contains("evnt_types"), "{e}");
    }
}

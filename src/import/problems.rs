//! The problems found while importing, each at its file, line and cell, and for which
//! patient (so one patient's bad row does not stop the others from being drawn).

use crate::diagnostics::{Diagnostic, Severity};

/// At most this many problems are kept per import; the rest are counted.
pub const MAX_PROBLEMS: usize = 1000;

/// One problem, with the patient it concerns (none: the whole file or study).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The patient whose timeline it concerns, if one.
    pub patient: Option<String>,
    /// What, where, and what to write instead.
    pub diagnostic: Diagnostic,
}

/// Every problem of one import, in the order found.
#[derive(Debug, Clone, Default)]
pub struct Problems {
    items: Vec<Problem>,
    dropped_errors: usize,
    dropped_warnings: usize,
}

impl Problems {
    /// Adds a problem at `line`:`column` (0 when unknown) of `file`.
    pub fn push(
        &mut self,
        severity: Severity,
        file: &str,
        line: usize,
        column: usize,
        patient: Option<&str>,
        message: impl Into<String>,
    ) {
        if self.items.len() >= MAX_PROBLEMS {
            match severity {
                Severity::Error => self.dropped_errors += 1,
                Severity::Warning => self.dropped_warnings += 1,
            }
            return;
        }
        self.items.push(Problem {
            patient: patient.map(str::to_owned),
            diagnostic: Diagnostic {
                severity,
                file: file.to_owned(),
                line,
                column,
                path: None,
                message: message.into(),
            },
        });
    }

    /// Adds an error.
    pub fn error(
        &mut self,
        file: &str,
        line: usize,
        column: usize,
        patient: Option<&str>,
        message: impl Into<String>,
    ) {
        self.push(Severity::Error, file, line, column, patient, message);
    }

    /// Adds a warning.
    pub fn warning(
        &mut self,
        file: &str,
        line: usize,
        column: usize,
        patient: Option<&str>,
        message: impl Into<String>,
    ) {
        self.push(Severity::Warning, file, line, column, patient, message);
    }

    /// Takes the diagnostics of a [`crate::diagnostics::Diagnostics`] collection (file-level).
    pub fn extend(&mut self, diagnostics: Vec<Diagnostic>, patient: Option<&str>) {
        for d in diagnostics {
            self.push(
                d.severity,
                &d.file,
                d.line,
                d.column,
                patient,
                d.message.clone(),
            );
        }
    }

    /// True when an error concerns no single patient (the study cannot be imported).
    pub fn has_study_errors(&self) -> bool {
        self.dropped_errors > 0
            || self
                .items
                .iter()
                .any(|p| p.patient.is_none() && p.diagnostic.severity == Severity::Error)
    }

    /// True when an error concerns this patient.
    pub fn patient_has_errors(&self, id: &str) -> bool {
        self.items
            .iter()
            .any(|p| p.patient.as_deref() == Some(id) && p.diagnostic.severity == Severity::Error)
    }

    /// The problems found, in file then line then column order, with a last note when
    /// some were left out.
    pub fn sorted(&self) -> Vec<Problem> {
        let mut v = self.items.clone();
        // Files in the order first seen, lines within a file in order.
        let mut order: Vec<&str> = Vec::new();
        for p in &self.items {
            if !order.contains(&p.diagnostic.file.as_str()) {
                order.push(&p.diagnostic.file);
            }
        }
        v.sort_by_key(|p| {
            (
                order.iter().position(|f| *f == p.diagnostic.file),
                p.diagnostic.line,
                p.diagnostic.column,
            )
        });
        let dropped = self.dropped_errors + self.dropped_warnings;
        if dropped > 0 {
            v.push(Problem {
                patient: None,
                diagnostic: Diagnostic {
                    severity: if self.dropped_errors > 0 {
                        Severity::Error
                    } else {
                        Severity::Warning
                    },
                    file: "txline import".to_owned(),
                    line: 0,
                    column: 0,
                    path: None,
                    message: format!(
                        "{dropped} more problems not shown (only the first {MAX_PROBLEMS} are listed)"
                    ),
                },
            });
        }
        v
    }

    /// Number of errors (including any not kept).
    pub fn error_count(&self) -> usize {
        self.dropped_errors
            + self
                .items
                .iter()
                .filter(|p| p.diagnostic.severity == Severity::Error)
                .count()
    }
}

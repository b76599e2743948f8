//! Diagnostics: errors and warnings about a timeline file, each with file, line, column and
//! what to write instead, printed as `FILE:LINE:COL: error: MESSAGE`.

use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The figure still draws.
    Warning,
    /// The file cannot be drawn.
    Error,
}

/// One problem found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file as the user named it.
    pub file: String,
    /// 1-based line (0 when the problem has no place, e.g. an unreadable file).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
    /// The value's path in the file (`phases[2].end`), when it has one.
    pub path: Option<String>,
    /// What is wrong and what to write instead.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line == 0 {
            write!(f, "{}: {sev}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {sev}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

/// At most this many diagnostics are kept for one file; the rest are counted in a last note.
pub const MAX_DIAGNOSTICS: usize = 200;

/// Collects the diagnostics of one file: de-duplicated, capped at [`MAX_DIAGNOSTICS`], and
/// handed out in file order.
#[derive(Debug, Clone)]
pub struct Diagnostics {
    file: String,
    items: Vec<Diagnostic>,
    seen: std::collections::HashSet<(Severity, usize, usize, String)>,
    errors: usize,
    dropped: usize,
}

impl Diagnostics {
    /// An empty collection for `file` (the file as the user named it).
    pub fn new(file: impl Into<String>) -> Self {
        Diagnostics {
            file: file.into(),
            items: Vec::new(),
            seen: Default::default(),
            errors: 0,
            dropped: 0,
        }
    }

    /// The file name used in every diagnostic.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Adds a diagnostic at `line`:`column` (0 when unknown); the same problem at the same
    /// place is kept once.
    pub fn push(
        &mut self,
        severity: Severity,
        line: usize,
        column: usize,
        path: Option<String>,
        message: impl Into<String>,
    ) {
        let message = message.into();
        if !self.seen.insert((severity, line, column, message.clone())) {
            return;
        }
        if severity == Severity::Error {
            self.errors += 1;
        }
        if self.items.len() >= MAX_DIAGNOSTICS {
            self.dropped += 1;
            return;
        }
        self.items.push(Diagnostic {
            severity,
            file: self.file.clone(),
            line,
            column,
            path,
            message,
        });
    }

    /// Adds an error.
    pub fn error(
        &mut self,
        line: usize,
        column: usize,
        path: Option<String>,
        message: impl Into<String>,
    ) {
        self.push(Severity::Error, line, column, path, message);
    }

    /// Adds a warning.
    pub fn warning(
        &mut self,
        line: usize,
        column: usize,
        path: Option<String>,
        message: impl Into<String>,
    ) {
        self.push(Severity::Warning, line, column, path, message);
    }

    /// True when [`MAX_DIAGNOSTICS`] are kept: callers may skip locating further problems
    /// and only [`count_unshown`](Self::count_unshown) them.
    pub fn is_full(&self) -> bool {
        self.items.len() >= MAX_DIAGNOSTICS
    }

    /// Counts a problem that is not shown (the list is full).
    pub fn count_unshown(&mut self, severity: Severity) {
        if severity == Severity::Error {
            self.errors += 1;
        }
        self.dropped += 1;
    }

    /// True when at least one error was added.
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// Number of errors added (including any beyond the cap).
    pub fn error_count(&self) -> usize {
        self.errors
    }

    /// The diagnostics in file order (those without a place first), with a last note when
    /// some were left out.
    pub fn into_sorted(self) -> Vec<Diagnostic> {
        let mut items = self.items;
        items.sort_by_key(|d| (d.line, d.column));
        if self.dropped > 0 {
            items.push(Diagnostic {
                severity: if self.errors > 0 {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                file: self.file,
                line: 0,
                column: 0,
                path: None,
                message: format!(
                    "{} more problems not shown (only the first {MAX_DIAGNOSTICS} are listed)",
                    self.dropped
                ),
            });
        }
        items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_file_line_column_severity_message() {
        let mut d = Diagnostics::new("p.ron");
        d.error(14, 22, None, "unknown therapy \"Chemo\"");
        d.warning(0, 0, None, "no place");
        let v = d.into_sorted();
        assert_eq!(v[0].to_string(), "p.ron: warning: no place");
        assert_eq!(
            v[1].to_string(),
            "p.ron:14:22: error: unknown therapy \"Chemo\""
        );
    }

    #[test]
    fn deduplicates_sorts_and_caps() {
        let mut d = Diagnostics::new("f");
        d.error(3, 1, None, "b");
        d.error(1, 5, None, "a");
        d.error(3, 1, None, "b");
        assert_eq!(d.error_count(), 2);
        let v = d.into_sorted();
        assert_eq!(v.iter().map(|d| d.line).collect::<Vec<_>>(), [1, 3]);

        let mut d = Diagnostics::new("f");
        for i in 0..MAX_DIAGNOSTICS + 5 {
            d.error(i + 1, 1, None, "x");
        }
        let v = d.into_sorted();
        assert_eq!(v.len(), MAX_DIAGNOSTICS + 1);
        assert!(v.last().unwrap().message.starts_with("5 more problems"));
    }
}

//! The wording of parse messages that other modules share: suggestions ("did you mean"),
//! missing fields, RON's errors in plain words, the size limit.

use super::raw::{FieldSpec, StructSpec};
use super::{MAX_FILE_BYTES, Path, scan};

/// The nearest name in `candidates` to `name`, when one is close enough to suggest.
pub fn suggest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let mut best: Option<(&str, f64)> = None;
    for &c in candidates {
        let cl = c.to_lowercase();
        if cl == lower {
            return Some(c);
        }
        let mut score = strsim::jaro_winkler(&lower, &cl);
        if lower.len() >= 3 && cl.starts_with(&lower) {
            score += 0.1;
        }
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    best.filter(|&(_, s)| s >= 0.8).map(|(c, _)| c)
}

pub(super) fn one_of(names: &[&str]) -> String {
    names.join(", ")
}

pub(super) fn did_you_mean(name: &str, names: &[&str]) -> String {
    match suggest(name, names) {
        Some(s) if s != name => format!("; did you mean \"{s}\"?"),
        _ => String::new(),
    }
}

/// The message for a missing required field (shared with validation so the two agree).
pub fn missing_field_message(_spec: &StructSpec, field: &FieldSpec, path: &Path) -> String {
    format!(
        "missing field `{}` in {}; add {}: {}",
        field.name,
        path.describe(),
        field.name,
        field.example
    )
}

/// Turns a RON error code into a message for people.
pub(super) fn ron_message(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::ExpectedComma => "expected `,` between items, or a closing bracket".to_owned(),
        E::Eof => "unexpected end of file; a closing bracket or a value is missing".to_owned(),
        E::ExpectedStringEnd => "unclosed string; end it with `\"`".to_owned(),
        E::TrailingCharacters => "unexpected text after the end of the timeline".to_owned(),
        E::ExpectedMapColon => "expected `:` after the field name".to_owned(),
        E::ExpectedStructLikeEnd | E::ExpectedOptionEnd => "expected closing `)`".to_owned(),
        E::ExpectedArrayEnd => "expected closing `]`".to_owned(),
        E::UnclosedBlockComment => "unclosed block comment; close it with `*/`".to_owned(),
        E::ExceededRecursionLimit => format!(
            "nesting is too deep (more than {} levels of brackets)",
            scan::MAX_DEPTH
        ),
        other => {
            let s = other.to_string();
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_lowercase().chain(c).collect(),
                None => s,
            }
        }
    }
}

/// The message for a file larger than [`MAX_FILE_BYTES`].
pub fn too_large_message(len: u64) -> String {
    // In bytes: "32.0 MiB; the limit is 32 MiB" read as no reason at all.
    format!(
        "the file is too large ({len} bytes); the limit is {} MiB ({MAX_FILE_BYTES} bytes)",
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

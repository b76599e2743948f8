//! Parsing: RON text into the on-disk shape ([`raw::RawTimeline`]), with a [`SourceMap`] from
//! each value's path (`phases[2].end`) to its line and column.
//!
//! How it finds every problem in one pass:
//!
//! 1. [`scan::scan`] finds the shape of the text iteratively (no recursion, nesting limited
//!    to [`scan::MAX_DEPTH`]), recording each value's range, field name and list index. When
//!    it can follow the text, **the scanner decides the syntax** (RON only checks any
//!    `#![enable(...)]` attributes before the timeline); a differential test against `ron`
//!    (`scan_tests.rs`) keeps the two agreeing, white space included;
//! 2. when the scanner cannot follow the text, `ron` checks the whole text: its syntax error
//!    is reported at RON's own line and column and reading stops there (or, if RON accepts
//!    it, the file is read whole, without positions);
//! 3. field names are checked against the known lists (unknown, duplicate, missing), with the
//!    nearest valid name suggested (`reader.rs`);
//! 4. the patient block and each list element are deserialized by `ron` from their own
//!    slices, so one bad phase does not hide the next; when one fails, each of its fields is
//!    checked on its own to say exactly which value is wrong and what type it needs. Values
//!    are always read by RON.
//!
//! Modules: `path` (a value's place), `source_map` (place → line and column), `reader`
//! (steps 3–4), `messages` (shared wording), `raw` (the serde types and the field tables),
//! `de` (serde over the scanned tree). The reader enables RON's `implicit_some` itself (see
//! [`ron_options`]).

pub mod de;
mod messages;
mod path;
pub mod raw;
mod reader;
pub mod scan;
mod source_map;
#[cfg(test)]
mod tests;

use ron::extensions::Extensions;

use crate::diagnostics::Diagnostics;
use messages::ron_message;
pub use messages::{missing_field_message, suggest, too_large_message};
pub use path::{Path, Seg};
use raw::RawTimeline;
use reader::Reader;
pub use source_map::{Pos, SourceMap};

/// Largest timeline file read, in bytes (32 MiB).
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;

/// The RON options every timeline is read with: `implicit_some` on, recursion bounded.
pub fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(scan::MAX_DEPTH + 8)
}

/// The on-disk shape of a file with its source map.
#[derive(Debug, Clone)]
pub struct Parsed<'t> {
    /// What the file says, as written (elements that could not be read are `None`).
    pub raw: RawTimeline,
    /// Positions of every value.
    pub map: SourceMap<'t>,
}

/// Parses timeline text into its on-disk shape. Every problem found goes to `diags`; the
/// result is `None` only when the text could not be read at all (syntax, empty, too large,
/// too deep). With `Some`, `diags` may still hold errors about single values.
pub fn parse<'t>(text: &'t str, diags: &mut Diagnostics) -> Option<Parsed<'t>> {
    if text.len() > MAX_FILE_BYTES {
        diags.error(0, 0, None, too_large_message(text.len() as u64));
        return None;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let syntax = |diags: &mut Diagnostics, map: &SourceMap| -> bool {
        match ron_options().from_str::<serde::de::IgnoredAny>(text) {
            Ok(_) => true,
            Err(e) => {
                let mut off = map.offset_in_slice(0, e.span.start.line, e.span.start.col);
                // RON points just after the timeline; the stray text starts after the blanks.
                if matches!(e.code, ron::Error::TrailingCharacters)
                    && let Some(rest) = text.get(off..)
                {
                    off += rest.len() - rest.trim_start_matches(scan::is_ron_whitespace).len();
                }
                let p = map.pos_of_offset(off);
                diags.error(
                    p.line,
                    p.column,
                    None,
                    format!("syntax error: {}", ron_message(&e.code)),
                );
                false
            }
        }
    };
    match scan::scan(text) {
        Err(e) if e.empty => {
            diags.error(
                1,
                1,
                None,
                format!(
                    "the file is empty; a timeline looks like {}",
                    raw::TIMELINE.example
                ),
            );
            None
        }
        Err(e) if e.too_deep => {
            let map = SourceMap::new(text, None);
            let p = map.pos_of_offset(e.offset);
            diags.error(p.line, p.column, None, e.message);
            None
        }
        Err(e) => {
            let map = SourceMap::new(text, None);
            if !syntax(diags, &map) {
                return None;
            }
            // RON accepts what the scanner could not follow: read the whole file at once,
            // without positions.
            match ron_options().from_str::<RawTimeline>(text) {
                Ok(raw) => Some(Parsed { raw, map }),
                Err(re) => {
                    let _ = e;
                    let off = map.offset_in_slice(0, re.span.start.line, re.span.start.col);
                    let p = map.pos_of_offset(off);
                    diags.error(p.line, p.column, None, ron_message(&re.code));
                    None
                }
            }
        }
        Ok(tree) => {
            // The scanner checked the syntax; RON itself checks any `#![enable(...)]`
            // attributes before the timeline (their names must be RON extensions).
            let root_start = tree.nodes.first().map_or(0, |n| n.start as usize);
            let map = SourceMap::new(text, Some(tree));
            let head = text.get(..root_start).unwrap_or("");
            if head.contains("#!")
                && let Err(e) =
                    ron_options().from_str::<serde::de::IgnoredAny>(&format!("{head}()"))
            {
                let off = map.offset_in_slice(0, e.span.start.line, e.span.start.col);
                let p = map.pos_of_offset(off);
                diags.error(
                    p.line,
                    p.column,
                    None,
                    format!("syntax error: {}", ron_message(&e.code)),
                );
                return None;
            }
            let raw = {
                let tree = map.tree()?;
                Reader {
                    map: &map,
                    tree,
                    text,
                    diags,
                }
                .read()?
            };
            Some(Parsed { raw, map })
        }
    }
}

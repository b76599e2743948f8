//! An id too long to be found inside one piece of a long text (see [`super::pieces`]): it
//! is looked for in the whole text's key at once, with a plain substring search (linear),
//! and the text between its occurrences is scrubbed as usual.

use super::names::digit_look_alike;
use super::{Change, Scrubbed, Scrubber, pieces};
use crate::deidentify::key::key_of;

/// Ids longer than this (key characters) are looked for in the whole text: a piece reads
/// only [`pieces::CONTEXT`] bytes past its end, so a longer id written across a cut could
/// be missed there.
pub(super) const LONG_ID: usize = pieces::CONTEXT / 4;

/// A long id as [`occurrences`] looks for it.
#[derive(Debug, Clone)]
pub(super) struct LongId {
    /// The key, `o l i` read as `0 1` when it has a digit.
    key: String,
    /// Whether it has a digit (then the text is read with the same look-alikes).
    fold: bool,
}

impl LongId {
    /// The id's key `id` when it is longer than [`LONG_ID`] characters.
    pub(super) fn new(id: &str) -> Option<LongId> {
        if id.chars().count() <= LONG_ID {
            return None;
        }
        let fold = id.chars().any(|c| c.is_ascii_digit());
        let key = if fold {
            id.chars().map(digit_look_alike).collect()
        } else {
            id.to_owned()
        };
        Some(LongId { key, fold })
    }
}

impl Scrubber {
    /// `text` scrubbed, its occurrences of the long `id` (with the letters and digits glued
    /// to them) replaced by the pseudonym.
    pub(super) fn scrub_around_long_id(&self, text: &str, id: &LongId) -> Scrubbed {
        let scrub = |part: &str| {
            pieces::scrub_in_pieces(part, |window, core| self.scrub_window(window, core))
        };
        let found = occurrences(text, id);
        if found.is_empty() {
            return scrub(text);
        }
        let mut out = Scrubbed {
            text: String::with_capacity(text.len()),
            changes: Vec::new(),
        };
        let mut done = 0;
        for range in found {
            let part = scrub(&text[done..range.start]);
            out.text.push_str(&part.text);
            out.changes.extend(part.changes);
            out.text.push_str(&self.pseudonym);
            out.changes.push(Change {
                original: text[range.clone()].to_owned(),
                replacement: self.pseudonym.clone(),
            });
            done = range.end;
        }
        let part = scrub(&text[done..]);
        out.text.push_str(&part.text);
        out.changes.extend(part.changes);
        out
    }
}

/// The byte ranges of `text` where the id's key `id` stands, read as the id rule reads it
/// (letters and digits only, `o l i` as `0 1` when the id has a digit), each widened to the
/// letters and digits glued to it; in order, not overlapping.
fn occurrences(text: &str, id: &LongId) -> Vec<std::ops::Range<usize>> {
    let (id, fold) = (&id.key, id.fold);
    // The key's letters and digits, and the text byte each stream byte came from.
    let mut stream = String::with_capacity(text.len());
    let mut from: Vec<usize> = Vec::with_capacity(text.len());
    let mut key = Vec::new();
    for (b, c) in text.char_indices() {
        key.clear();
        key_of(c, &mut key);
        for &k in key.iter().filter(|k| k.is_alphanumeric()) {
            let k = if fold { digit_look_alike(k) } else { k };
            stream.push(k);
            from.resize(stream.len(), b);
        }
    }
    // A text shorter than the id cannot hold it; building the searcher costs the id's length,
    // and a megabyte id is looked for in every field.
    if stream.len() < id.len() {
        return Vec::new();
    }
    let glued = |c: char| c.is_alphanumeric();
    let mut found: Vec<std::ops::Range<usize>> = Vec::new();
    for (at, m) in stream.match_indices(id.as_str()) {
        let start = from[at];
        let last = from[at + m.len() - 1];
        let mut end = last + text[last..].chars().next().map_or(0, char::len_utf8);
        if found.last().is_some_and(|r| start < r.end) {
            continue;
        }
        let start = text[..start]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| glued(c))
            .last()
            .map_or(start, |(i, _)| i);
        end += text[end..]
            .chars()
            .take_while(|&c| glued(c))
            .map(char::len_utf8)
            .sum::<usize>();
        found.push(start..end);
    }
    found
}

//! The scrubber's rule for places smaller than a state (a Safe Harbor identifier): street
//! addresses and postcodes → `[address]` (see [`super`]).
//!
//! - a house number (one to five digits, perhaps a letter glued: `221B`) before one to
//!   three Capitalised words and a street type (`221B Baker Street`, `1600 Pennsylvania
//!   Ave`; [`STREET_AFTER`], and [`STREET_AFTER_CAPITALISED`] when Capitalised);
//! - a house number before a street type written first and the street's name (`12 rue de la
//!   Paix`, `12, calle Mayor`; [`STREET_BEFORE`]);
//! - a street type written first, its name and a house number (`Via Roma 12`, `calle Mayor
//!   5`), or a Capitalised word with a German street ending and a house number
//!   (`Hauptstr. 5`, `Lindenweg 3`; [`STREET_ENDINGS`]);
//! - UK postcodes (`NW1 6XE`, `EC1A 1BB`) and Canadian ones (`K1A 0B1`), in capitals (or
//!   a UK one in lower case, not `cd4 2nd`).
//!
//! Five-digit postcodes (US ZIP, French, German, Italian, Spanish) are numbers of four
//! digits or more and go as `[number]` by rule 3. A town's name is not found.

use super::{Mark, all_caps, is_digits, mark, near};
use crate::deidentify::key::{Keyed, Kind};
use crate::deidentify::words::*;

/// The most words of a street's name ("Martin Luther King" is three).
const MAX_NAME_WORDS: usize = 4;

/// Rule 3a: street addresses and postcodes.
pub(super) fn places(k: &Keyed, marks: &mut [Option<Mark>]) {
    for t in 0..k.tokens.len() {
        if marks[t].is_some() {
            continue;
        }
        let found = number_first(k, t)
            .or_else(|| street_first(k, t))
            .or_else(|| postcode(k, t))
            .map(|end| (t, end))
            .or_else(|| street_then_number(k, t));
        if let Some((start, end)) = found {
            mark(marks, start, end, Mark::Address);
        }
    }
}

fn alnum(k: &Keyed, j: usize) -> bool {
    matches!(k.tokens[j].kind, Kind::Word | Kind::Digits { .. })
}

/// True when nothing of letters or digits is glued to token `t` on the side `forward`.
fn free(k: &Keyed, t: usize, forward: bool) -> bool {
    if forward {
        t + 1 >= k.tokens.len() || !alnum(k, t + 1)
    } else {
        t == 0 || !alnum(k, t - 1)
    }
}

/// A house number starting at token `t` ("12", "221B", "5a"): its last token.
fn house_number(k: &Keyed, t: usize) -> Option<usize> {
    if !is_digits(k, t) || k.len(t) > 5 || k.value(t).is_none_or(|v| v == 0) || !free(k, t, false) {
        return None;
    }
    if free(k, t, true) {
        return Some(t);
    }
    let letter = t + 1;
    (k.tokens[letter].kind == Kind::Word && k.len(letter) == 1 && free(k, letter, true))
        .then_some(letter)
}

/// Word `j` written Capitalised or in capitals: a proper name.
fn proper(k: &Keyed, j: usize) -> bool {
    k.tokens[j].kind == Kind::Word && (k.capitalised(j) || all_caps(k, j))
}

/// The next token after `t` across one space (or `sep`, then one space).
fn next_word(k: &Keyed, t: usize, sep: &[char]) -> Option<usize> {
    let space = |j: usize| k.tokens[j].kind == Kind::Space && k.len(j) == 1;
    let mut j = t + 1;
    if j < k.tokens.len() && k.punct(j).is_some_and(|c| sep.contains(&c)) {
        j += 1;
    }
    (j + 1 < k.tokens.len() && space(j)).then_some(j + 1)
}

/// The street's name after its type `t`: Capitalised words and connectors ("de la Paix"),
/// ending on a Capitalised word: its last token.
fn name_after(k: &Keyed, t: usize) -> Option<usize> {
    let mut last = None;
    let mut j = t;
    for _ in 0..MAX_NAME_WORDS {
        let Some(w) = next_word(k, j, &[]) else { break };
        if proper(k, w) && !is_street_type(k, w) {
            last = Some(w);
        } else if !k.is(w, class::CONNECTOR) {
            break;
        }
        j = w;
    }
    last
}

fn is_street_type(k: &Keyed, j: usize) -> bool {
    k.is(j, class::STREET_AFTER | class::STREET_BEFORE)
        || (k.is(j, class::STREET_AFTER_CAP | class::STREET_BEFORE_CAP) && proper(k, j))
}

/// "221B Baker Street", "12 rue de la Paix", "12, calle Mayor": the address's last token.
fn number_first(k: &Keyed, t: usize) -> Option<usize> {
    let h = house_number(k, t)?;
    let w = next_word(k, h, &[','])?;
    if k.is(w, class::STREET_BEFORE) || k.is(w, class::STREET_BEFORE_CAP) && proper(k, w) {
        return name_after(k, w);
    }
    // The name (one to three Capitalised words), then the street type.
    let mut j = h;
    for words in 0..=3 {
        let w = next_word(k, j, &[])?;
        let street =
            k.is(w, class::STREET_AFTER) || k.is(w, class::STREET_AFTER_CAP) && k.capitalised(w);
        if street && words > 0 {
            return Some(w);
        }
        if !proper(k, w) {
            return None;
        }
        j = w;
    }
    None
}

/// True when word `t` is a Capitalised German street name of one word ("Hauptstr",
/// "Lindenweg").
fn german_street(k: &Keyed, t: usize) -> bool {
    if !(k.tokens[t].kind == Kind::Word && k.capitalised(t)) {
        return false;
    }
    // The endings are ASCII: one character a byte.
    let chars = k.chars(t);
    STREET_ENDINGS.iter().any(|e| {
        chars.len() > e.len() && chars[chars.len() - e.len()..].iter().copied().eq(e.chars())
    })
}

/// "Via Roma 12", "calle Mayor 5", "Hauptstr. 5": the address's last token.
fn street_first(k: &Keyed, t: usize) -> Option<usize> {
    if !free(k, t, false) {
        return None;
    }
    let before = k.is(t, class::STREET_BEFORE) || k.is(t, class::STREET_BEFORE_CAP) && proper(k, t);
    let name_end = if before {
        name_after(k, t)?
    } else if german_street(k, t) {
        t
    } else {
        return None;
    };
    let n = next_word(k, name_end, &['.', ','])?;
    let h = house_number(k, n)?;
    // Not a count of the street's name ("Via PICC 2 doses").
    let unit = near(k, h, true, 2, |j| k.tokens[j].kind == Kind::Space)
        .is_some_and(|u| k.is(u, class::UNIT));
    (!unit).then_some(h)
}

/// "Baker Street 221B", "Harley Street 12": the street's name (one to three Capitalised
/// words), its type at `t` and a house number: the address's first and last tokens.
fn street_then_number(k: &Keyed, t: usize) -> Option<(usize, usize)> {
    let street =
        k.is(t, class::STREET_AFTER) || k.is(t, class::STREET_AFTER_CAP) && k.capitalised(t);
    if !street {
        return None;
    }
    let space = |j: usize| k.tokens[j].kind == Kind::Space && k.len(j) == 1;
    let mut start = t;
    for _ in 0..3 {
        match start.checked_sub(2) {
            Some(w) if space(w + 1) && proper(k, w) && !is_street_type(k, w) => start = w,
            _ => break,
        }
    }
    if start == t || !free(k, start, false) {
        return None;
    }
    let h = house_number(k, next_word(k, t, &['.', ','])?)?;
    Some((start, h))
}

/// A UK postcode ("NW1 6XE", "EC1A 1BB") or a Canadian one ("K1A 0B1") starting at `t`:
/// its last token.
fn postcode(k: &Keyed, t: usize) -> Option<usize> {
    let n = k.tokens.len();
    let word = |j: usize, len: std::ops::RangeInclusive<usize>| {
        j < n && k.tokens[j].kind == Kind::Word && len.contains(&k.len(j))
    };
    let digits = |j: usize, len: std::ops::RangeInclusive<usize>| {
        j < n && is_digits(k, j) && len.contains(&k.len(j))
    };
    let space = |j: usize| j < n && k.tokens[j].kind == Kind::Space && k.len(j) == 1;
    if !free(k, t, false) || !word(t, 1..=2) || !digits(t + 1, 1..=2) {
        return None;
    }
    let caps = |to: usize| (t..=to).all(|j| k.tokens[j].kind != Kind::Word || all_caps(k, j));
    let lower = |to: usize| {
        (t..=to).all(|j| {
            let (a, b) = k.text_chars(j);
            k.tokens[j].kind != Kind::Word || k.upper[a..=b].iter().all(|&u| !u)
        })
    };
    // Canadian: letter digit letter, digit letter digit.
    if k.len(t) == 1
        && k.len(t + 1) == 1
        && word(t + 2, 1..=1)
        && space(t + 3)
        && digits(t + 4, 1..=1)
        && word(t + 5, 1..=1)
        && digits(t + 6, 1..=1)
        && free(k, t + 6, true)
        && caps(t + 6)
    {
        return Some(t + 6);
    }
    // UK: the outward code ("NW1", "EC1A"), one space, the inward code ("6XE").
    let outward = if word(t + 2, 1..=1) && k.len(t + 1) == 1 {
        t + 2
    } else {
        t + 1
    };
    let inward = outward + 2;
    let found = space(outward + 1)
        && digits(inward, 1..=1)
        && word(inward + 1, 2..=2)
        && free(k, inward + 1, true);
    if !found {
        return None;
    }
    // The letters a postcode never has in these places (C I K M O V last: "2cm", "3mg"
    // are no inward code), and no unit or ordinal ("2gy", "2nd" in lower case).
    let letters = |j: usize, never: &str| k.chars(j).iter().all(|c| !never.contains(*c));
    let first = k.chars(t);
    let plausible = !"qvx".contains(first[0])
        && (first.len() == 1 || !"ijz".contains(first[1]))
        && letters(inward + 1, "cikmov")
        && !k.is(inward + 1, class::UNIT);
    let ordinal = k.is(inward + 1, class::ORDINAL);
    (plausible && (caps(inward + 1) || (lower(inward + 1) && !ordinal))).then_some(inward + 1)
}

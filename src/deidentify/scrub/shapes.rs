//! The scrubber's rules for text of a particular shape: CJK dates, times of day, numbers
//! written in blocks (phone numbers, `(555) 123-4567`) and e-mail or web addresses (see
//! [`super`]).

use super::{Mark, is_digits, mark, near};
use crate::deidentify::key::{Keyed, Kind};
use crate::deidentify::words::*;

/// Rule 2: `2021年3月3日`, `三月`, `Ⅻ月`.
pub(super) fn cjk_dates(k: &Keyed, marks: &mut [Option<Mark>]) {
    for t in 0..k.tokens.len() {
        if k.tokens[t].kind != Kind::Word {
            continue;
        }
        let chars = k.chars(t);
        let Some(first_unit) = chars.iter().position(|c| CJK_DATE_UNITS.contains(c)) else {
            continue;
        };
        let before_ok = first_unit == 0 && t > 0 && is_digits(k, t - 1)
            || chars[..first_unit]
                .iter()
                .all(|c| CJK_NUMERALS.contains(c) || "ivxlcdm".contains(*c));
        if before_ok {
            marks[t] = Some(Mark::Date);
            if first_unit == 0 && t > 0 && is_digits(k, t - 1) {
                marks[t - 1] = Some(Mark::Date);
            }
        }
    }
}

/// Times of day: `10h30`, `10 h 30`, `9 pm`, `9 p.m.`, `10 Uhr`, `10 am`, `14.30 Uhr`.
pub(super) fn times(k: &Keyed, marks: &mut [Option<Mark>]) {
    let short_space = |j: usize| k.tokens[j].kind == Kind::Space && k.len(j) <= 2;
    for t in 0..k.tokens.len() {
        if !is_digits(k, t) || k.len(t) > 2 || k.value(t).is_none_or(|v| v > 24) {
            continue;
        }
        // "14.30 Uhr", "9.45 pm": hours and minutes joined by a dot before a time word.
        if t + 3 < k.tokens.len()
            && matches!(k.punct(t + 1), Some('.' | ':'))
            && is_digits(k, t + 2)
            && k.len(t + 2) == 2
            && k.value(t + 2).is_some_and(|m| m <= 59)
            && let Some(w) = near(k, t + 2, true, 2, short_space)
            && k.is(w, class::TIME_AFTER)
            && !k.is_one_of(w, &["hrs", "h"])
        {
            mark(marks, t, w, Mark::Date);
            continue;
        }
        let Some(w) = near(k, t, true, 2, short_space) else {
            continue;
        };
        if k.is_one_of(w, &["h"]) {
            if let Some(m) = near(k, w, true, 2, short_space)
                && is_digits(k, m)
                && k.len(m) == 2
                && k.value(m).is_some_and(|v| v <= 59)
            {
                mark(marks, t, m, Mark::Date);
            }
        } else if k.is(w, class::TIME_AFTER) && !k.is_one_of(w, &["hrs"]) {
            mark(marks, t, w, Mark::Date);
        } else if k.is_one_of(w, &["a", "p"])
            && w + 2 < k.tokens.len()
            && k.punct(w + 1) == Some('.')
            && k.is_one_of(w + 2, &["m"])
        {
            // "9 p.m.", "10 a.m."
            let dot = w + 3 < k.tokens.len() && k.punct(w + 3) == Some('.');
            mark(marks, t, w + 2 + usize::from(dot), Mark::Date);
        }
    }
}

/// Phone numbers and numbers written in blocks: three or more digit groups one space
/// apart with six digits or more in all (`06 12 34 56 78`), or two with eight or more.
pub(super) fn blocks(k: &Keyed, marks: &mut [Option<Mark>]) {
    let n = k.tokens.len();
    let mut t = 0;
    while t < n {
        if !is_digits(k, t) {
            t += 1;
            continue;
        }
        let (mut groups, mut digits, mut j) = (1, k.len(t), t);
        while j + 2 < n
            && k.tokens[j + 1].kind == Kind::Space
            && k.len(j + 1) == 1
            && is_digits(k, j + 2)
        {
            groups += 1;
            digits += k.len(j + 2);
            j += 2;
        }
        let id = groups >= 2 && super::numbers::after_id_word(k, t);
        if (groups >= 3 && digits >= 6) || (groups == 2 && digits >= 8) || id {
            // With a year or a date in it, a date written with spaces ("2021 3 15").
            let date = marks[t..=j].contains(&Some(Mark::Date));
            let m = if date { Mark::Date } else { Mark::Number };
            mark(marks, t, j, m);
        }
        t = j + 1;
    }
}

/// A US phone number's area code in parentheses: `(555) 123-4567` → one `[number]`.
pub(super) fn area_codes(k: &Keyed, marks: &mut [Option<Mark>]) {
    let n = k.tokens.len();
    for t in 1..n.saturating_sub(1) {
        if !(is_digits(k, t)
            && k.len(t) == 3
            && k.punct(t - 1) == Some('(')
            && k.punct(t + 1) == Some(')'))
        {
            continue;
        }
        let space = |j: usize| k.tokens[j].kind == Kind::Space && k.len(j) == 1;
        let Some(a) = near(k, t + 1, true, 2, space).filter(|&a| is_digits(k, a) && k.len(a) == 3)
        else {
            continue;
        };
        if a + 2 < n
            && matches!(k.punct(a + 1), Some('-' | '.' | ' '))
            && is_digits(k, a + 2)
            && k.len(a + 2) == 4
        {
            mark(marks, t - 1, a + 2, Mark::Number);
        }
    }
}

/// True when word `t` is a top-level domain written after a dot and a word of two
/// letters or more (`example.org`, not `e.g` or `Dr.Who`), in lower case or, with the
/// word before it, in capitals (not `positive.In`, a sentence's missing space).
fn domain_end(k: &Keyed, t: usize) -> bool {
    t >= 2
        && k.tokens[t].kind == Kind::Word
        && k.punct(t - 1) == Some('.')
        && matches!(k.tokens[t - 2].kind, Kind::Word | Kind::Digits { .. })
        && k.len(t - 2) >= 2
        && k.is_one_of(t, TOP_LEVEL_DOMAINS)
        && {
            let case = |j: usize| {
                let (a, b) = k.text_chars(j);
                (
                    k.upper[a..=b].iter().all(|&u| u),
                    k.upper[a..=b].iter().any(|&u| u),
                )
            };
            let ((tld_upper, tld_any), (before_upper, _)) = (case(t), case(t - 2));
            !tld_any || (tld_upper && before_upper)
        }
}

/// True when tokens `t - 1 ..= t + 1` are an "at" or "dot" in brackets: `(at)`, `[dot]`.
fn spelled_at(k: &Keyed, t: usize) -> bool {
    t >= 1
        && t + 1 < k.tokens.len()
        && k.is_one_of(t, &["at", "dot"])
        && matches!(k.punct(t - 1), Some('(' | '[' | '{' | '<'))
        && matches!(k.punct(t + 1), Some(')' | ']' | '}' | '>'))
}

/// Rule 1: e-mail and web addresses: a run without spaces holding `@`, `://`, `(at)`, a
/// domain (`portal.example.org/x`) or starting `www.`; an `[at]` or `[dot]` standing alone
/// takes the runs on both sides with it (`jdoe [at] example [dot] org`).
pub(super) fn contacts(k: &Keyed, marks: &mut [Option<Mark>]) {
    let n = k.tokens.len();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut t = 0;
    while t < n {
        if k.tokens[t].kind == Kind::Space {
            t += 1;
            continue;
        }
        let start = t;
        while t < n && k.tokens[t].kind != Kind::Space {
            t += 1;
        }
        runs.push((start, t - 1));
    }
    for (i, &(start, end)) in runs.iter().enumerate() {
        let run = start..=end;
        let at = run
            .clone()
            .any(|j| k.punct(j) == Some('@') || spelled_at(k, j));
        let url =
            run.clone().any(|j| {
                k.punct(j) == Some(':')
                    && j + 2 <= end
                    && k.punct(j + 1) == Some('/')
                    && k.punct(j + 2) == Some('/')
            }) || (k.is_one_of(start, &["www"]) && start < end && k.punct(start + 1) == Some('.'));
        if at || url {
            mark(marks, start, end, Mark::Contact);
        } else if let Some(d) = run.clone().rev().find(|&j| domain_end(k, j)) {
            // The address ends at its domain's end or at the path after it, not at the
            // sentence's full stop.
            let mut last = end;
            while last > d && matches!(k.punct(last), Some('.' | ',' | ';' | ')' | ':')) {
                last -= 1;
            }
            mark(marks, start, last, Mark::Contact);
        }
        if spelled_at(k, start + 1) && end == start + 2 {
            for &(a, b) in [runs.get(i.wrapping_sub(1)), runs.get(i + 1)]
                .into_iter()
                .flatten()
            {
                mark(marks, a, b, Mark::Contact);
            }
            mark(marks, start, end, Mark::Contact);
        }
    }
}

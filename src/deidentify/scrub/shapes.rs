//! The scrubber's rules for text of a particular shape: CJK dates, times of day, numbers
//! written in blocks (phone numbers) and e-mail or web addresses (see [`super`]).

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

/// Times of day: `10h30`, `10 h 30`, `9 pm`, `10 Uhr`, `10 am`.
pub(super) fn times(k: &Keyed, marks: &mut [Option<Mark>]) {
    let short_space = |j: usize| k.tokens[j].kind == Kind::Space && k.len(j) <= 2;
    for t in 0..k.tokens.len() {
        if !is_digits(k, t) || k.len(t) > 2 || k.value(t).is_none_or(|v| v > 24) {
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
        if (groups >= 3 && digits >= 6) || (groups == 2 && digits >= 8) {
            for m in &mut marks[t..=j] {
                if *m != Some(Mark::Date) {
                    *m = Some(Mark::Number);
                }
            }
        }
        t = j + 1;
    }
}

/// Rule 1: e-mail and web addresses.
pub(super) fn contacts(k: &Keyed, marks: &mut [Option<Mark>]) {
    let n = k.tokens.len();
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
        let run = start..t;
        let at = run.clone().any(|j| k.punct(j) == Some('@'));
        let url = run.clone().any(|j| {
            k.punct(j) == Some(':')
                && j + 2 < t
                && k.punct(j + 1) == Some('/')
                && k.punct(j + 2) == Some('/')
        }) || (k.is_one_of(start, &["www"])
            && start + 1 < t
            && k.punct(start + 1) == Some('.'));
        if at || url {
            mark(marks, start, t - 1, Mark::Contact);
        }
    }
}

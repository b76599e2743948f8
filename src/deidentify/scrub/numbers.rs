//! The scrubber's rule for numbers (rule 3 of [`super`]): clusters of digit groups judged
//! as a date, an identifier, an age or a clinical quantity.

use super::{
    Mark, day_month, glued_word_before, is_date_sep, is_digits, mark, near, unit_of, word_before,
};
use crate::deidentify::key::{Keyed, Kind};
use crate::deidentify::words::*;

/// Rule 3: numbers (see the module documentation).
pub(super) fn numbers(k: &Keyed, marks: &mut [Option<Mark>]) {
    let n = k.tokens.len();
    let mut t = 0;
    while t < n {
        if !is_digits(k, t) {
            t += 1;
            continue;
        }
        // The cluster: groups joined by one separator, or by a dot and one space ("21. 3.").
        let (mut groups, mut seps, mut spaced) = ([t; 16], ['-'; 15], [false; 15]);
        let (mut count, mut j) = (1, t);
        while j + 2 < n && count < 16 {
            let (c, next, with_space) = match k.punct(j + 1) {
                Some('.')
                    if j + 3 < n
                        && k.tokens[j + 2].kind == Kind::Space
                        && k.len(j + 2) == 1
                        && is_digits(k, j + 3) =>
                {
                    ('.', j + 3, true)
                }
                Some(c)
                    if is_digits(k, j + 2)
                        && (is_date_sep(c) || (c == ',' && k.len(j + 2) == 3)) =>
                {
                    (c, j + 2, false)
                }
                _ => break,
            };
            seps[count - 1] = c;
            spaced[count - 1] = with_space;
            groups[count] = next;
            count += 1;
            j = next;
        }
        // A dot and a space part a date's groups ("21. 3. 15.", "seit 3. 11. 2021") or end a
        // sentence ("reduced to 75. 3 cycles"): then the cluster ends before it.
        if let Some(first) = spaced[..count - 1].iter().position(|&s| s) {
            if spaced_date(k, &groups[..count]) {
                if marks[t..=j].iter().all(Option::is_none) {
                    mark(marks, t, j, Mark::Date);
                }
                t = j + 1;
                continue;
            }
            count = first + 1;
            j = groups[first];
        }
        let last = j;
        if marks[t..=last].iter().all(Option::is_none)
            && let Some(m) = judge(k, &groups[..count], &seps[..count - 1])
        {
            // "accession AB12": the letters glued before the number go with it.
            let glued_id = m == Mark::Number && glued_word_before(k, t) && after_id_word(k, t - 1);
            // "'21": the apostrophe goes with the year.
            let year = m == Mark::Date
                && count == 1
                && t >= 1
                && matches!(k.punct(t - 1), Some('\'' | '’'));
            mark(marks, t - usize::from(glued_id || year), last, m);
        }
        t = last + 1;
    }
}

/// True when digit groups joined by dots, some with a space after them, are a date: three
/// groups or more of up to four digits with a month second ("21. 3. 15.", "3. 11. 2021"),
/// or a day and a month before a dot ("am 21. 3.").
fn spaced_date(k: &Keyed, groups: &[usize]) -> bool {
    let short = groups
        .iter()
        .all(|&g| k.value(g).is_some() && k.len(g) <= 4);
    let month = k.value(groups[1]).is_some_and(|m| (1..=12).contains(&m));
    let last = groups[groups.len() - 1];
    short
        && month
        && (groups.len() >= 3
            || last + 1 < k.tokens.len()
                && k.punct(last + 1) == Some('.')
                && k.len(groups[0]) <= 2
                && day_month(k, groups[0], last))
}

/// True when the unit after the cluster ending at `last` makes it a quantity: not a time
/// point's name followed by its number ("15.03 mo 6": month 6), and a group of six digits
/// or more only before a count or a count per volume ("170000000 IU/mL", "150000/µL"; no
/// dose is written "12345678 mg", an identifier is).
fn quantity(k: &Keyed, groups: &[usize], last: usize) -> bool {
    let Some(u) = unit_of(k, last) else {
        return false;
    };
    let numbered = near(k, u, true, 2, |j| {
        k.tokens[j].kind == Kind::Space && k.len(j) <= 2
    })
    .is_some_and(|j| is_digits(k, j));
    if k.is(u, class::TIME_POINT) && numbered {
        return false;
    }
    groups.iter().all(|&g| k.len(g) < 6)
        || k.is(u, class::COUNT_UNIT)
        || (last + 1 < k.tokens.len() && k.punct(last + 1) == Some('/'))
}

/// What a cluster of digit groups is, when it must go.
fn judge(k: &Keyed, groups: &[usize], seps: &[char]) -> Option<Mark> {
    let (first, last) = (groups[0], *groups.last()?);
    let before = word_before(k, first);
    let after_unit = quantity(k, groups, last);
    let scale = scale_before(k, first) || node_count(k, first);
    let id_word =
        after_id_word(k, first) || (glued_word_before(k, first) && after_id_word(k, first - 1));
    let unreadable = groups.iter().any(|&g| k.value(g).is_none());
    let long = groups.iter().any(|&g| k.len(g) >= 4);
    if unreadable {
        return Some(Mark::Number);
    }
    // "48M", "48F": an age and a sex (before the unit rule: "m" is also metres).
    if groups.len() == 1 && !long && sex_after(k, first) {
        return k.value(first).map(Mark::Age);
    }
    // "'21": a year.
    if groups.len() == 1
        && k.len(first) == 2
        && first >= 1
        && matches!(k.punct(first - 1), Some('\'' | '’'))
        && (first < 2 || k.tokens[first - 2].kind == Kind::Space)
    {
        return Some(Mark::Date);
    }
    // "15/03", "12-03": a zero-padded day and month, even before a unit-like word ("15/03
    // day 1", "12/03 x2"); "3/12 nodes" and "1-2 tablets" are counts.
    if groups.len() == 2
        && matches!(seps[0], '/' | '-')
        && groups
            .iter()
            .any(|&g| k.len(g) == 2 && k.chars(g)[0] == '0')
        && day_month(k, groups[0], groups[1])
        && !scale
    {
        return Some(Mark::Date);
    }
    // A quantity: "2000 mg", "3-4 cycles", "12.05 mg".
    if after_unit && groups.len() <= 2 {
        return None;
    }
    if id_word {
        return Some(Mark::Number);
    }
    if groups.len() >= 3 {
        return Some(if seps.iter().all(|&c| c == ',') {
            Mark::Number
        } else {
            Mark::Date
        });
    }
    if long {
        if after_unit {
            return None;
        }
        let g = *groups.iter().find(|&&g| k.len(g) >= 4)?;
        if groups.len() == 1 && before.is_some_and(|w| k.is(w, class::EDITION)) {
            return None;
        }
        let v = k.value(g).unwrap_or(0);
        let datelike = (k.len(g) == 4 && (1800..=2199).contains(&v))
            || (k.len(g) == 8 && is_date8(v))
            || k.len(g) == 6;
        return Some(if datelike { Mark::Date } else { Mark::Number });
    }
    if groups.len() == 2 {
        let (a, b) = (groups[0], groups[1]);
        let (va, vb) = (k.value(a)?, k.value(b)?);
        // A range of years or ages ("5–9 years", an age band written back): an age range.
        if seps[0] != ':' && seps[0] != '.' && age_word_after(k, b) {
            return None;
        }
        return match seps[0] {
            ':' => (va <= 23 && k.len(b) == 2 && vb <= 59).then_some(Mark::Date),
            ',' => None,
            // "15.03"; "21.3." and "seit 15.3" (German) — a decimal "50.4" otherwise.
            '.' => ((k.len(b) == 2
                || (b + 1 < k.tokens.len() && k.punct(b + 1) == Some('.'))
                || before.is_some_and(|w| k.is(w, class::DATE_BEFORE)))
                && (1..=12).contains(&vb)
                && (1..=31).contains(&va)
                && k.len(a) <= 2
                && !after_unit
                && !scale
                && !age_word_after(k, b))
            .then_some(Mark::Date),
            // "BRCA1/2", "T1-2", "C1-6": single digits glued to a word are its variants.
            _ if glued_word_before(k, a) && k.len(a) == 1 && k.len(b) == 1 => None,
            // "2/3 of the dose" (but "3/4 of March").
            '/' if fraction_of(k, b) => None,
            _ => (!after_unit && !scale && day_month(k, a, b)).then_some(Mark::Date),
        };
    }
    // One group of 1–3 digits.
    let v = k.value(first)?;
    let duration = before.is_some_and(|w| k.is(w, class::DURATION));
    (age_word_before(k, first) || (age_word_after(k, first) && !duration)).then_some(Mark::Age(v))
}

/// True when a scale word stands before the cluster starting at `first`, or before the
/// first range of a list the cluster ends: "Grade 3-4", "d1-4, 9-12, 17-20", "days 1-4,
/// 9-12".
fn scale_before(k: &Keyed, first: usize) -> bool {
    let mut first = first;
    for _ in 0..8 {
        if word_before(k, first).is_some_and(|w| k.is(w, class::SCALE)) {
            return true;
        }
        // The list's previous range: "d-d, " before `first`.
        let Some(comma) = near(k, first, false, 2, |j| k.tokens[j].kind == Kind::Space)
            .filter(|&j| k.punct(j) == Some(','))
        else {
            return false;
        };
        let range_end = comma.checked_sub(1).filter(|&e| e >= 2 && is_digits(k, e));
        match range_end {
            Some(e)
                if k.punct(e - 1).is_some_and(|c| matches!(c, '-' | '‐'..='―'))
                    && is_digits(k, e - 2) =>
            {
                first = e - 2;
            }
            _ => return false,
        }
    }
    false
}

/// True when the cluster at `first` stands in parentheses after a nodal category: the
/// nodes involved and examined, "pN1 (2/15)", "ypN2a (3/12)".
fn node_count(k: &Keyed, first: usize) -> bool {
    let Some(open) = first.checked_sub(1).filter(|&j| k.punct(j) == Some('(')) else {
        return false;
    };
    let Some(mut j) = near(k, open, false, 2, |j| k.tokens[j].kind == Kind::Space) else {
        return false;
    };
    // A suffix after the category's digit: "2a", "1mi".
    if k.tokens[j].kind == Kind::Word && k.len(j) <= 2 && j >= 1 && is_digits(k, j - 1) {
        j -= 1;
    }
    is_digits(k, j)
        && k.len(j) == 1
        && j >= 1
        && k.tokens[j - 1].kind == Kind::Word
        && k.len(j - 1) <= 3
        && k.chars(j - 1).last() == Some(&'n')
}

/// True when an age word stands before token `t`, perhaps across a few words about it:
/// "age 48", "aged 48", "age of 48", "age at diagnosis 48", "age at dx: 48".
fn age_word_before(k: &Keyed, t: usize) -> bool {
    let mut w = word_before(k, t);
    for _ in 0..4 {
        match w {
            Some(x) if k.is(x, class::AGE_BEFORE) => return true,
            Some(x) if k.is(x, class::AGE_FILLER) => w = word_before(k, x),
            _ => return false,
        }
    }
    false
}

/// True when an identifier word stands before token `t`: "MRN 123", "MRN: 123", "MRN is
/// 123", "#123".
pub(super) fn after_id_word(k: &Keyed, t: usize) -> bool {
    let w = word_before(k, t);
    w.is_some_and(|w| {
        k.is(w, class::ID_BEFORE)
            || k.is_one_of(w, &["is", "was", "no", "of"])
                && word_before(k, w).is_some_and(|x| k.is(x, class::ID_BEFORE))
    }) || near(k, t, false, 2, |j| k.tokens[j].kind == Kind::Space)
        .is_some_and(|j| k.punct(j) == Some('#'))
}

/// True when an upper-case `M` or `F` is glued after token `t` ("48M", "48F"), with no
/// letter or digit glued around them ("T2N1M0" is a stage).
fn sex_after(k: &Keyed, t: usize) -> bool {
    !glued_word_before(k, t)
        && (t + 2 >= k.tokens.len() || !is_digits(k, t + 2))
        && t + 1 < k.tokens.len()
        && k.tokens[t + 1].kind == Kind::Word
        && k.len(t + 1) == 1
        && k.is_one_of(t + 1, &["m", "f"])
        && k.upper[k.text_chars(t + 1).0]
        && k.value(t).is_some_and(|v| (1..=120).contains(&v))
}

/// True when "of" and a word that is not a month follow token `t`: "2/3 of the dose".
fn fraction_of(k: &Keyed, t: usize) -> bool {
    let space = |j: usize| k.tokens[j].kind == Kind::Space;
    let Some(of) = near(k, t, true, 2, space).filter(|&j| k.is_one_of(j, &["of"])) else {
        return false;
    };
    near(k, of, true, 4, |j| space(j) || k.is_one_of(j, &["the"])).is_some_and(|j| {
        k.tokens[j].kind == Kind::Word
            && !k.is(
                j,
                class::MONTH | class::MONTH_AMBIGUOUS | class::MONTH_BESIDE,
            )
    })
}

/// True when an age word follows token `t`: "57 years", "57-year-old", "57y".
pub(super) fn age_word_after(k: &Keyed, t: usize) -> bool {
    near(k, t, true, 2, |j| {
        k.tokens[j].kind == Kind::Space && k.len(j) <= 2 || k.punct(j) == Some('-')
    })
    .is_some_and(|j| k.is(j, class::AGE_AFTER))
}

/// `YYYYMMDD` or `DDMMYYYY`.
fn is_date8(v: u64) -> bool {
    let ymd = (1800..=2199).contains(&(v / 10000))
        && (1..=12).contains(&(v / 100 % 100))
        && (1..=31).contains(&(v % 100));
    let dmy = (1..=31).contains(&(v / 1_000_000))
        && (1..=12).contains(&(v / 10000 % 100))
        && (1800..=2199).contains(&(v % 10000));
    ymd || dmy
}

/// The value of the English number word `t` ("eight" 8, "forty" 40), if it is one.
fn number_word(k: &Keyed, t: usize) -> Option<u64> {
    if !k.is(t, class::NUMBER_WORD) {
        return None;
    }
    let word = |list: &[&str]| {
        list.iter()
            .position(|w| w.chars().eq(k.chars(t).iter().copied()))
    };
    word(NUMBER_WORDS)
        .map(|i| i as u64)
        .or_else(|| word(TENS_WORDS).map(|i| 20 + 10 * i as u64))
}

/// Ages written in English words: "aged forty-eight", "forty eight years old" → their band.
/// After an age word, or before one when 18 or more ("one year later" is a duration).
pub(super) fn age_words(k: &Keyed, marks: &mut [Option<Mark>]) {
    let n = k.tokens.len();
    let mut t = 0;
    while t < n {
        let Some(mut v) = number_word(k, t).filter(|_| marks[t].is_none()) else {
            t += 1;
            continue;
        };
        let mut end = t;
        // "forty-eight", "forty eight".
        if v >= 20
            && t + 2 < n
            && (k.punct(t + 1) == Some('-')
                || k.tokens[t + 1].kind == Kind::Space && k.len(t + 1) == 1)
            && let Some(u) = number_word(k, t + 2).filter(|u| (1..=9).contains(u))
        {
            v += u;
            end = t + 2;
        }
        let duration = word_before(k, t).is_some_and(|w| k.is(w, class::DURATION));
        if v > 0 && (age_word_before(k, t) || (v >= 18 && !duration && age_word_after(k, end))) {
            mark(marks, t, end, Mark::Age(v));
        }
        t = end + 1;
    }
}

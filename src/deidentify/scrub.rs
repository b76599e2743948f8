//! The free-text scrubber: finds every date, part of a date, time, age, name, identifier
//! and contact in a text and replaces it, listing each replacement.
//!
//! It fails closed: a number is kept only when it is certainly a clinical quantity, not
//! when it is "probably not a date". The rules, in the order they run, on the tokens of the
//! text's normalised key ([`super::key`]):
//!
//! 1. **Contacts**: a run without spaces holding `@`, `://`, `(at)`, a domain
//!    (`portal.example.org/x`, [`TOP_LEVEL_DOMAINS`]) or starting `www.`, and the runs on
//!    both sides of a lone `[at]` or `[dot]` → `[contact]` (applied last, over whatever the
//!    other rules found inside it).
//! 2. **CJK dates**: digits or CJK numerals before `年 月 日 号 년 월 일` → `[date]`.
//! 3. **Places** ([`places`]): a house number with a street (`221B Baker Street`, `12 rue
//!    de la Paix`, `Via Roma 12`, `Hauptstr. 5`) and UK or Canadian postcodes (`NW1 6XE`,
//!    `K1A 0B1`) → `[address]`; then
//!    **numbers**, as clusters of digit groups joined by one separator (`- / . : _ \ ·`,
//!    dashes, and `,` before exactly three digits; a dot and one space only in a date:
//!    `21. 3. 15.`, `3. 11. 2021`, `am 21. 3.`), in this order:
//!    - a group in a script the scrubber cannot read (Arabic-Indic, Devanagari, …) →
//!      `[number]`;
//!    - a number of 1–3 digits glued to an upper-case `M` or `F` (`48M`) → its age band;
//!    - `'21` → `[date]`; a zero-padded `d/d` or `d-d` that could be a day and a month
//!      (`15/03`, `12-03`) → `[date]`, even before a unit-like word (`15/03 day 1`);
//!    - one or two groups followed by a unit ([`UNITS`]: doses, sizes, counts, durations;
//!      not years) are a quantity and kept: `2000 mg`, `12000/µL`, `3-4 cycles`, `2-3 weeks`
//!      — but not before a time point's name and its number (`15.03 mo 6`, `1.04 day 1`:
//!      [`TIME_POINTS`]), and a group of six digits or more only before a count
//!      ([`COUNT_UNITS`]: `170000000 IU/mL`, `150000/µL`; `12345678 mg` is no dose);
//!    - any other number after an identifier word (`MRN`, `ID`, `DOB`, `born`, `tel`, `#`,
//!      `MRN is`, … see [`ID_BEFORE`]) → `[number]`, with the letters glued before it
//!      (`accession AB12`);
//!    - three or more groups (`15.03.2021`, `1/3/21`, `10:30:00`, `1.2.3`) → `[date]`;
//!    - a group of four or more digits → `[date]` when it could be a year (1800–2199) or a
//!      date (`20210315`, six digits), else `[number]`; kept after a classification that
//!      names its edition (`FIGO 2018`);
//!    - two groups: a time `h:mm` → `[date]`; `d/d` or `d-d` that could be a day and a
//!      month → `[date]`, unless a scale word precedes (`Grade 3-4`, `days 1-8`, also the
//!      list `d1-4, 9-12`), a nodal category (`pN1 (2/15)`), an age word follows (`5–9
//!      years`, an age band), `of` and a word that is not a month follow (`2/3 of the
//!      dose`) or both are single digits glued to a word (`BRCA1/2`, `T1-2`); `d.dd` that
//!      could be a day and a month (`15.03`), and `d.d` before a dot or after a date word
//!      ([`DATE_BEFORE`]: `21.3.`, `seit 15.3`) → `[date]`; other decimals (`50.4`, `1.1`)
//!      and `250,000` are kept;
//!    - a number of 1–3 digits beside an age word (`age 57`, `aged 57`, `age at diagnosis
//!      57` across [`AGE_FILLERS`], `57 years`, `57-year-old`, `57 yo`, `57y`, and the
//!      French, German, Spanish, Italian and Portuguese forms) → its 5-year band (`55–59`),
//!      a true generalisation whether it was an age or a number of years; kept after a
//!      duration word ([`DURATION_BEFORE`]: `for 2 years`); English number words the same
//!      way (`aged forty-eight`);
//!    - any other number of 1–3 digits is kept (`200 mg`, `q3w`, `Grade 3`, `4 cycles`,
//!      `T2N1M0`, `3+4=7`) unless rule 5 finds it beside a date.
//!
//!    Before them: times (`10h30`, `10 h 30`, `9 pm`, `9 p.m.`, `10 Uhr`) → `[date]`; after
//!    them: three or more groups one space apart with six digits or more (`06 12 34 56
//!    78`), two with eight or more, two or more after an identifier word (`code 44 71`) and
//!    `(555) 123-4567` → `[number]`.
//! 4. **Month names** in English, French, German, Spanish, Italian and Portuguese, full
//!    or abbreviated → `[date]`; the ones that are also common words ([`MONTHS_AMBIGUOUS`]:
//!    `may`, `march`, `out`, `DIC`, `OCT`, …) only beside digits or another part of a date,
//!    or written Capitalised after the text's first word, and `MAY`, `MARCH` in capitals
//!    amid words that are not ([`MONTHS_SHOUTED`]); `Jun` and `Mayo` (a gene, a
//!    clinic: [`MONTHS_BESIDE_ONLY`]) only beside digits or a date; a roman numeral after a
//!    day (`15.III.2021`, `15 Ⅲ 2021`); a month spelled letter by letter (`M a r c h 3`,
//!    `J-u-n-e`); a month glued to other letters by its capital (`PETMarch`, `xxMarchyy`:
//!    the key's words are cut there, [`super::key`]).
//! 5. **Beside a date**: digit groups of up to four digits, ordinal endings (`3rd`, `1er`),
//!    `T`/`Z`/`W` letters and connectors (`of`, `de`, `di`, …) next to a `[date]` join it:
//!    `3rd of March 2021`, `3 mars 2021`, `Mar '21`, `2021-03-15T10:30Z` are one `[date]`;
//!    so does a day in ordinal words beside a month name ([`DAY_ORDINALS`]: `March
//!    fifteenth`, `the twenty-first of March`; not `March second-line`).
//! 6. **Names**: every word (and digit group) of two or more characters of the patient's
//!    label and id, in any case, accents or width, also inside a CamelCase word
//!    (`DoeJane`), the label's words run together (`OBrien`, `janedoe`, `Vanderberg`), the
//!    parts of its CamelCase words (`Donald` of McDonald), `ae oe ue` for `ä ö ü` and back,
//!    a capitalised plural (`the Does`); initials beside one of them (`J. Doe`, `Doe,
//!    J.`) or glued to one (`jdoe`, `jqdoe`); the label's initials run together (`JQD`,
//!    `J.Q.D.`, `J.D.`); a name written with digits for letters (`D0e`, `J4n3`); the
//!    pieces of a word of a script written without spaces (`小明` of `王小明`, also inside
//!    a longer word: `患者小明接受化疗`) → the pseudonym.
//! 7. **The id** (two or more letters or digits) wherever it occurs, inside longer words
//!    and with punctuation inside it (`QX58213b`, `qx-58213`, `Q.X.5.8.2.1.3`; for ids of
//!    five or more, or three or more with a digit, spaces too), with `o l i` for `0 1`
//!    when five or more (`QX582l3`), and with its number's zeros or gap changed (`P 1`, `P-001` for `P001`,
//!    `42` for `0042`) → the pseudonym, with the word around it. An id longer than a
//!    quarter of [`CONTEXT`] is looked for in the whole text at once ([`long_id`]).
//!
//! Each rule looks at most a few tokens around each token, so a scrub is linear in the
//! text's length. A long text is scrubbed in pieces that each read 4 KiB of their
//! neighbours ([`pieces`]), so a cut never parts a match.

use std::collections::HashSet;

use super::key::{Keyed, Kind};
use super::words::*;

/// What a token is replaced by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Date,
    Number,
    Name,
    /// An age (or number of years): replaced by its band.
    Age(u64),
    Contact,
    Address,
}

/// One replacement in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What the text said.
    pub original: String,
    /// What it says now.
    pub replacement: String,
}

/// A scrubbed text and what was replaced in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scrubbed {
    /// The text with every replacement made.
    pub text: String,
    /// The replacements, in text order.
    pub changes: Vec<Change>,
}

/// Scrubs free text of one patient's timeline.
#[derive(Debug, Clone)]
pub struct Scrubber {
    /// Keys of the words of the label and id (two or more characters), of the label's
    /// words run together and of the parts of its CamelCase words.
    names: HashSet<String, FastHash>,
    /// [`Scrubber::names`] with `ae`, `oe`, `ue` inside a word written `a`, `o`, `u`.
    folded: HashSet<String, FastHash>,
    /// The longest key (bytes) of [`Scrubber::names`] and [`Scrubber::initials`]: a name
    /// written in pieces is read no further.
    longest: usize,
    /// Every beginning of those keys (and of [`Scrubber::folded`]), when they are at most
    /// [`MAX_NAMES_APART`]: a name written in pieces is read only while it could still
    /// become one. Empty for a longer label (then names in pieces are not looked for).
    prefixes: HashSet<String, FastHash>,
    /// The label's initials run together (two or more): "jq", "jqd", "qd", …
    initials: HashSet<String, FastHash>,
    /// The names of three letters or more as [`names::leet`] reads them, so that a name
    /// written with digits for letters ("D0e", "J4n3") is found.
    leet: HashSet<String, FastHash>,
    /// The pieces (two characters or more) of the label's words in a script written
    /// without spaces ("小明", "王小" of "王小明"), found inside longer words.
    glued: HashSet<String, FastHash>,
    /// The longest key (characters) of [`Scrubber::glued`].
    glued_longest: usize,
    /// First letters of the label's words.
    first_letters: HashSet<char>,
    /// The id's letters and digits (key), when two or more, as the per-window rules look
    /// for it.
    id_search: Option<names::IdSearch>,
    /// An id of letters then digits, as its letters and the digits' value: "P001" is
    /// ("p", 1) and is also written "P 1", "P-001"; "0042" is ("", 42).
    id_number: Option<(String, u64)>,
    /// An id longer than [`long_id::LONG_ID`], as the whole-text search reads it (built once:
    /// a megabyte id is looked for in every field).
    long_id: Option<long_id::LongId>,
    pseudonym: String,
}

/// The most names (with their spellings) for which names written in pieces are looked for.
const MAX_NAMES_APART: usize = 1024;

/// The most initials run together that are taken for the label's ("JQD" for Jane Q. Doe).
const MAX_INITIALS: usize = 5;

/// Separators that join the digit groups of one date, time or identifier.
fn is_date_sep(c: char) -> bool {
    matches!(
        c,
        '-' | '/' | '.' | ':' | '_' | '\\' | '·' | '‐'
            ..='―' | '−' | '⁄' | '∕' | '・' | '˙' | '•' | '\''
    )
}

impl Scrubber {
    /// `text` with every date, age, name, identifier and contact replaced.
    ///
    /// A long text is scrubbed in pieces of about [`CHUNK`] bytes, each read with
    /// [`CONTEXT`] bytes of its neighbours on both sides (see [`pieces`]), so memory stays
    /// bounded whatever its length and no match is parted by a cut.
    pub fn scrub(&self, text: &str) -> Scrubbed {
        match &self.long_id {
            Some(id) => self.scrub_around_long_id(text, id),
            None => pieces::scrub_in_pieces(text, |window, core| self.scrub_window(window, core)),
        }
    }

    /// Scrubs `window` and writes its bytes `core` (and any replacement that starts in
    /// `core` and runs past its end): the text written and the byte where it ended.
    fn scrub_window(&self, window: &str, core: std::ops::Range<usize>) -> (Scrubbed, usize) {
        let mut k = Keyed::new(window);
        k.split_words(&self.glued_name_cuts(&k));
        let mut marks: Vec<Option<Mark>> = vec![None; k.tokens.len()];
        cjk_dates(&k, &mut marks);
        times(&k, &mut marks);
        places(&k, &mut marks);
        numbers(&k, &mut marks);
        age_words(&k, &mut marks);
        blocks(&k, &mut marks);
        area_codes(&k, &mut marks);
        months(&k, &mut marks);
        spread(&k, &mut marks);
        self.names(&k, &mut marks);
        self.id(&k, &mut marks);
        contacts(&k, &mut marks);
        let char_at = |byte: usize| k.char_bytes.partition_point(|&b| b < byte);
        let (out, end) = self.emit(&k, &marks, char_at(core.start)..char_at(core.end));
        (out, k.char_bytes[end])
    }

    /// The text characters `core` with the marked tokens replaced, next marks of one kind
    /// joined; a replacement that starts in `core` is written whole, one that starts
    /// before it only from its start. Returns the text and the character where it ends.
    fn emit(
        &self,
        k: &Keyed,
        marks: &[Option<Mark>],
        core: std::ops::Range<usize>,
    ) -> (Scrubbed, usize) {
        let n = k.tokens.len();
        // Runs of tokens: (first, last, mark).
        let mut runs: Vec<(usize, usize, Mark)> = Vec::new();
        let mut t = 0;
        while t < n {
            let Some(m) = marks[t] else {
                t += 1;
                continue;
            };
            let mut last = t;
            let mut j = t + 1;
            // Join the next token of the same mark across a short gap.
            loop {
                let mut g = j;
                while g < n && g - last <= 4 && marks[g].is_none() && joins(k, g, m) {
                    g += 1;
                }
                if g < n && g - last <= 4 && marks[g] == Some(m) {
                    last = g;
                    j = g + 1;
                } else {
                    break;
                }
            }
            runs.push((t, last, m));
            t = last + 1;
        }
        let mut text = String::with_capacity(k.text.len());
        let mut changes = Vec::with_capacity(runs.len());
        let mut copied = core.start; // text characters written
        for (first, last, m) in runs {
            let (mut a, b) = (k.text_chars(first).0, k.text_chars(last).1);
            if b < copied {
                continue;
            }
            if a >= core.end.max(copied) {
                break;
            }
            a = a.max(copied);
            text.push_str(k.slice_from(copied, a));
            let replacement = match m {
                Mark::Date => DATE.to_owned(),
                Mark::Number => NUMBER.to_owned(),
                Mark::Contact => CONTACT.to_owned(),
                Mark::Address => ADDRESS.to_owned(),
                Mark::Name => self.pseudonym.clone(),
                Mark::Age(v) => super::age_band(v.min(u32::MAX as u64) as u32),
            };
            text.push_str(&replacement);
            changes.push(Change {
                original: k.slice(a, b).to_owned(),
                replacement,
            });
            copied = b + 1;
        }
        let end = core.end.max(copied);
        text.push_str(k.slice_from(copied, end));
        (Scrubbed { text, changes }, end)
    }
}

/// True when unmarked token `g` may stand inside one replacement of mark `m`.
fn joins(k: &Keyed, g: usize, m: Mark) -> bool {
    match m {
        Mark::Date => {
            k.tokens[g].kind == Kind::Space
                || k.punct(g).is_some_and(|c| is_date_sep(c) || c == ',')
                || k.is(g, class::CONNECTOR)
        }
        Mark::Name => k.tokens[g].kind == Kind::Space || matches!(k.punct(g), Some('.' | '-')),
        Mark::Contact => k.tokens[g].kind == Kind::Space,
        Mark::Address => k.tokens[g].kind == Kind::Space || matches!(k.punct(g), Some('.' | '-')),
        _ => false,
    }
}

/// The nearest token from `t` in direction `forward` (at most `max` steps) that is not
/// skipped by `skip`.
fn near(
    k: &Keyed,
    t: usize,
    forward: bool,
    max: usize,
    skip: impl Fn(usize) -> bool,
) -> Option<usize> {
    let mut j = t;
    for _ in 0..max {
        j = if forward {
            (j + 1 < k.tokens.len()).then_some(j + 1)?
        } else {
            j.checked_sub(1)?
        };
        if !skip(j) {
            return Some(j);
        }
    }
    None
}

fn is_digits(k: &Keyed, t: usize) -> bool {
    matches!(k.tokens[t].kind, Kind::Digits { .. })
}

/// The word before token `t`, across spaces and `: # ( . -`.
fn word_before(k: &Keyed, t: usize) -> Option<usize> {
    near(k, t, false, 4, |j| {
        k.tokens[j].kind == Kind::Space
            || matches!(k.punct(j), Some(':' | '#' | '(' | '.' | '-' | '='))
    })
    .filter(|&j| k.tokens[j].kind == Kind::Word)
}

/// True when a unit follows token `t` ("2000 mg", "4 cycles", "12000/µL", "80%").
fn unit_after(k: &Keyed, t: usize) -> bool {
    unit_of(k, t).is_some()
}

/// The unit that follows token `t` (a unit word, `%` or `×`), if one does.
fn unit_of(k: &Keyed, t: usize) -> Option<usize> {
    near(k, t, true, 3, |j| {
        k.tokens[j].kind == Kind::Space && k.len(j) <= 2 || k.punct(j) == Some('/')
    })
    .filter(|&j| k.is(j, class::UNIT) || matches!(k.punct(j), Some('%' | '×')))
}

/// True when a word touches token `t` on its left ("BRCA" in "BRCA1").
fn glued_word_before(k: &Keyed, t: usize) -> bool {
    t > 0 && k.tokens[t - 1].kind == Kind::Word
}

/// Could `a` and `b` (1–2 digits each) be a day and a month, in either order?
fn day_month(k: &Keyed, a: usize, b: usize) -> bool {
    let (Some(x), Some(y)) = (k.value(a), k.value(b)) else {
        return true;
    };
    k.len(a) <= 2
        && k.len(b) <= 2
        && (1..=31).contains(&x)
        && (1..=31).contains(&y)
        && (x <= 12 || y <= 12)
}

fn mark(marks: &mut [Option<Mark>], from: usize, to: usize, m: Mark) {
    for x in &mut marks[from..=to] {
        *x = Some(m);
    }
}

/// A gap between the parts of a date: spaces, one separator, a connector word.
fn date_gap(k: &Keyed, j: usize) -> bool {
    k.tokens[j].kind == Kind::Space
        || k.punct(j)
            .is_some_and(|c| is_date_sep(c) || c == ',' || c == '’')
        || k.is(j, class::CONNECTOR)
}

/// True when digits or a date stand beside tokens `first..=last`, across the gaps of a date.
fn beside_date(k: &Keyed, marks: &[Option<Mark>], first: usize, last: usize) -> bool {
    [(first, false), (last, true)].into_iter().any(|(t, fwd)| {
        near(k, t, fwd, 4, |j| {
            date_gap(k, j) || k.is(j, class::ORDINAL) && j > 0 && is_digits(k, j - 1)
        })
        .is_some_and(|j| is_digits(k, j) || marks[j] == Some(Mark::Date))
    })
}

/// True when every letter of word `t` is written in capitals.
fn all_caps(k: &Keyed, t: usize) -> bool {
    let (a, b) = k.text_chars(t);
    k.upper[a..=b].iter().all(|&u| u)
}

/// True when word `t` is written in capitals amid words that are not ("seen in MAY"),
/// not beside another word of capitals ("MAY CAUSE DROWSINESS").
fn shouted(k: &Keyed, t: usize) -> bool {
    let other = |j: usize| k.tokens[j].kind == Kind::Space || k.tokens[j].kind == Kind::Punct;
    all_caps(k, t)
        && ![true, false].into_iter().any(|fwd| {
            near(k, t, fwd, 4, other)
                .is_some_and(|j| k.tokens[j].kind == Kind::Word && k.len(j) >= 2 && all_caps(k, j))
        })
}

/// Rule 4: month names.
fn months(k: &Keyed, marks: &mut [Option<Mark>]) {
    let first_word = k.tokens.iter().position(|t| t.kind == Kind::Word);
    for t in 0..k.tokens.len() {
        if k.tokens[t].kind != Kind::Word || marks[t].is_some() {
            continue;
        }
        let beside = || beside_date(k, marks, t, t);
        if k.is(t, class::MONTH)
            || (k.is(t, class::MONTH_AMBIGUOUS)
                && (k.capitalised(t) && Some(t) != first_word || beside()))
            || (k.is(t, class::MONTH_SHOUTED) && shouted(k, t))
            || (k.is(t, class::MONTH_BESIDE) && beside())
            || (k.is(t, class::ROMAN_MONTH) && roman_month(k, t))
        {
            marks[t] = Some(Mark::Date);
        }
    }
    spelled_months(k, marks);
}

/// The most letters of a month spelled letter by letter ("s e p t i e m b r e" is ten).
const MAX_SPELLED: usize = 10;

/// Month names spelled letter by letter, one space, `.` or `-` apart (`M a r c h 3`,
/// `J-u-n-e`): a full name of four letters or more wherever it stands, an abbreviation or a
/// month that is also a word (`m a y`) only beside digits or a date.
fn spelled_months(k: &Keyed, marks: &mut [Option<Mark>]) {
    let n = k.tokens.len();
    let letter = |j: usize| k.tokens[j].kind == Kind::Word && k.len(j) == 1;
    let gap = |j: usize| {
        matches!(k.punct(j), Some('.' | '-')) || k.tokens[j].kind == Kind::Space && k.len(j) == 1
    };
    let (lexicon, beginnings) = (lexicon(), month_beginnings());
    let mut word = String::new();
    let mut t = 0;
    while t < n {
        let first = |i: usize| k.key[k.tokens[t + 2 * i].start];
        let three = letter(t)
            && t + 4 < n
            && gap(t + 1)
            && letter(t + 2)
            && gap(t + 3)
            && letter(t + 4)
            && begins_month([first(0), first(1), first(2)]);
        if !three || marks[t].is_some() {
            t += 1;
            continue;
        }
        // The letters from `t` on while they begin a month; the longest month among them.
        word.clear();
        let (mut j, mut found) = (t, None);
        for letters in 1..=MAX_SPELLED {
            word.push(k.key[k.tokens[j].start]);
            if !beginnings.contains(word.as_str()) {
                break;
            }
            let flags = lexicon.get(word.as_str()).copied().unwrap_or(0);
            if letters >= 3 && flags & class::ANY_MONTH != 0 {
                found = Some((j, letters, flags));
            }
            if j + 2 >= n || !gap(j + 1) || !letter(j + 2) {
                break;
            }
            j += 2;
        }
        if let Some((last, letters, flags)) = found
            && (flags & class::MONTH != 0 && letters >= 4 || beside_date(k, marks, t, last))
        {
            mark(marks, t, last, Mark::Date);
            t = last + 1;
            continue;
        }
        t += 1;
    }
}

/// True when the roman numeral `t` is a month after a day (1–31): `15.III`, `15-xii` after
/// a separator; a single letter (`15.V.2021`) only before the same separator and a year;
/// after a space only a numeral of two letters or more before a space and a year of four
/// digits (`15 Ⅲ 2021`; "5 x 10^9/L" and "2 x 2000 mg" are not dates).
fn roman_month(k: &Keyed, t: usize) -> bool {
    let sep = |j: usize| {
        k.punct(j)
            .filter(|c| matches!(c, '.' | '-' | '/'))
            .or((k.tokens[j].kind == Kind::Space && k.len(j) == 1).then_some(' '))
    };
    if t < 2 || !is_digits(k, t - 2) || k.len(t - 2) > 2 {
        return false;
    }
    let Some(before) = sep(t - 1) else {
        return false;
    };
    if !k.value(t - 2).is_some_and(|d| (1..=31).contains(&d)) {
        return false;
    }
    let year = |digits: &[usize]| {
        t + 2 < k.tokens.len()
            && sep(t + 1) == Some(before)
            && is_digits(k, t + 2)
            && digits.contains(&k.len(t + 2))
            && (k.len(t + 2) != 4 || k.value(t + 2).is_some_and(|y| (1800..=2199).contains(&y)))
    };
    match (before, k.len(t)) {
        (' ', 1) => false,
        (' ', _) => year(&[4]),
        (_, 1) => year(&[2, 4]),
        _ => true,
    }
}

/// A day in ordinal words beside month name `t`, in direction `forward` across spaces and
/// connectors only ("March fifteenth", "March twenty-first", "the twenty-first of March"):
/// its first and last tokens. Not an order before `-` or "line" ("March second-line").
fn day_in_words(
    k: &Keyed,
    marks: &[Option<Mark>],
    t: usize,
    forward: bool,
) -> Option<(usize, usize)> {
    if k.tokens[t].kind != Kind::Word {
        return None;
    }
    let n = k.tokens.len();
    let gap = |j: usize| k.tokens[j].kind == Kind::Space || k.is(j, class::CONNECTOR);
    // "twenty" or "thirty" and a hyphen or a space before token `o`.
    let tens_then = |d: usize, o: usize| {
        d + 2 == o
            && k.is_one_of(d, &["twenty", "thirty"])
            && (k.punct(d + 1) == Some('-') || k.tokens[d + 1].kind == Kind::Space)
    };
    let j = near(k, t, forward, 4, gap)?;
    let (a, b) = if k.is(j, class::DAY_ORDINAL) {
        let tens = j.checked_sub(2).filter(|&d| tens_then(d, j));
        (tens.unwrap_or(j), j)
    } else if j + 2 < n && tens_then(j, j + 2) && k.is(j + 2, class::DAY_ORDINAL) {
        (j, j + 2)
    } else {
        return None;
    };
    let after = near(k, b, true, 2, |g| {
        k.tokens[g].kind == Kind::Space && k.len(g) == 1
    });
    let order =
        after.is_some_and(|x| k.punct(x) == Some('-') || k.is_one_of(x, &["line", "lines"]));
    (!order && marks[a..=b].iter().all(Option::is_none)).then_some((a, b))
}

/// Rule 5: what stands beside a date joins it.
fn spread(k: &Keyed, marks: &mut [Option<Mark>]) {
    let n = k.tokens.len();
    for t in 0..n {
        if marks[t] != Some(Mark::Date) {
            continue;
        }
        for forward in [true, false] {
            if let Some((a, b)) = day_in_words(k, marks, t, forward) {
                mark(marks, a, b, Mark::Date);
            }
        }
    }
    let joinable = |marks: &[Option<Mark>], j: usize| {
        is_digits(k, j)
            && (k.len(j) <= 4 || k.value(j).is_none())
            && matches!(marks[j], None | Some(Mark::Number))
            && !unit_after(k, j)
    };
    let glued_letter = |j: usize| k.is_one_of(j, &["t", "z", "w"]);
    for t in 0..n {
        if marks[t] != Some(Mark::Date) {
            continue;
        }
        // Forward: "March 3", "2021-03-15T10:30Z", "Mar '21".
        if t + 1 < n && glued_letter(t + 1) && marks[t + 1].is_none() {
            marks[t + 1] = Some(Mark::Date);
            continue;
        }
        let Some(mut j) = near(k, t, true, 4, |j| date_gap(k, j)) else {
            continue;
        };
        if k.is_one_of(j, &["am", "pm", "uhr", "utc", "gmt"]) {
            marks[j] = Some(Mark::Date);
            continue;
        }
        // "2021-W11": a week or time letter glued to the digits after it.
        if glued_letter(j) && j + 1 < n && is_digits(k, j + 1) && marks[j].is_none() {
            marks[j] = Some(Mark::Date);
            j += 1;
        }
        if joinable(marks, j) {
            marks[j] = Some(Mark::Date);
            if j + 1 < n && k.is(j + 1, class::ORDINAL) {
                marks[j + 1] = Some(Mark::Date);
            }
        }
    }
    for t in (0..n).rev() {
        if marks[t] != Some(Mark::Date) {
            continue;
        }
        // Backward: "3 mars", "3rd of March", "15T10:30".
        if t > 0 && glued_letter(t - 1) && marks[t - 1].is_none() {
            marks[t - 1] = Some(Mark::Date);
            continue;
        }
        let Some(mut j) = near(k, t, false, 4, |j| date_gap(k, j)) else {
            continue;
        };
        if j > 0 && k.is(j, class::ORDINAL) && is_digits(k, j - 1) {
            marks[j] = Some(Mark::Date);
            j -= 1;
        }
        if joinable(marks, j) {
            marks[j] = Some(Mark::Date);
        }
    }
}

mod long_id;
mod names;
mod numbers;
mod pieces;
mod places;
mod shapes;

pub use pieces::{CHUNK, CONTEXT};

use numbers::{age_words, numbers};
use places::places;
use shapes::{area_codes, blocks, cjk_dates, contacts, times};

#[cfg(test)]
mod tests;

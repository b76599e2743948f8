//! De-identification: a copy of a timeline with no calendar date, name or identifier left
//! in it, for figures that leave the clinic.
//!
//! What changes (everything else, in particular every day number, stays, so lengths and
//! positions in the figure are the same):
//! - `day_zero` is dropped, so every output shows time relative to day 0 only;
//! - `source` is dropped (it names the file and folder);
//! - the patient id and label become the pseudonym (default `"Patient"`); the age becomes
//!   a 5-year band (`"45–49"`, `"≥90"`);
//! - every free-text field (diagnosis, stage, phase names, details, lanes, labels, notes,
//!   criteria, methods, measurement names and units, captions) has date-like strings
//!   replaced by `[date]` (see [`scrub_dates`]), exact ages replaced by their band (see
//!   [`scrub_ages`]) and the patient's id and label replaced by the pseudonym;
//! - images are decoded and re-encoded as PNG from their pixels alone, so no EXIF, text
//!   chunk or other metadata survives; their paths (which often carry dates) are replaced.
//!
//! Pixels can still show identifiers burned into the image (names, dates on a scan): see
//! [`BURNED_IN_WARNING`].

use std::sync::Arc;

use crate::model::{ImageData, Timeline};

/// The pseudonym used when the user gives none.
pub const DEFAULT_PSEUDONYM: &str = "Patient";

/// What replaces a date-like string in free text.
pub const DATE_PLACEHOLDER: &str = "[date]";

/// The warning every de-identified export shows: metadata is removed, pixels are not read.
pub const BURNED_IN_WARNING: &str = "de-identified: dates, id, label and image metadata were removed, \
but images may still show identifiers burned into their pixels (names, dates, accession \
numbers); check every image before sharing the figure";

/// Returns a de-identified copy: no `day_zero` (so every output is relative to day 0), the
/// patient id and label replaced by `pseudonym` (default "Patient"), age as a 5-year band,
/// date-like strings removed from free text, images re-encoded without metadata.
pub fn deidentify(timeline: &Timeline, pseudonym: Option<&str>) -> Timeline {
    let pseudonym = pseudonym
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .unwrap_or(DEFAULT_PSEUDONYM)
        .to_string();
    let scrubber = Scrubber::new(&timeline.patient.id, &timeline.patient.label, &pseudonym);
    let s = |text: &str| scrubber.scrub(text);
    let so = |text: &Option<String>| text.as_deref().map(|t| scrubber.scrub(t));

    let mut t = timeline.clone();
    t.source = None;
    t.day_zero = None;

    let p = &mut t.patient;
    p.id = pseudonym.clone();
    p.label = pseudonym.clone();
    p.age_band = p.age.map(age_band).or_else(|| p.age_band.as_deref().map(s));
    p.age = None;
    p.sex = so(&p.sex);
    p.diagnosis = so(&p.diagnosis);
    p.stage = so(&p.stage);
    p.group = so(&p.group);

    for ph in &mut t.phases {
        ph.name = s(&ph.name);
        ph.detail = so(&ph.detail);
        ph.lane = so(&ph.lane);
    }
    for st in &mut t.statuses {
        st.label = s(&st.label);
    }
    for r in &mut t.responses {
        r.criteria = so(&r.criteria);
        r.method = so(&r.method);
        r.note = so(&r.note);
    }
    for e in &mut t.events {
        e.label = s(&e.label);
        e.note = so(&e.note);
    }
    for i in &mut t.intervals {
        i.label = s(&i.label);
    }
    for m in &mut t.measurements {
        m.name = s(&m.name);
        m.unit = so(&m.unit);
    }
    for (n, im) in t.images.iter_mut().enumerate() {
        im.path = format!("image {}", n + 1);
        im.caption = so(&im.caption);
        im.data = match &im.data {
            Ok(data) => strip_image(data)
                .map(Arc::new)
                .ok_or_else(|| "the image could not be read".to_string()),
            // The message may name the path (and so a date): say only what happened.
            Err(_) => Err("the image could not be read".to_string()),
        };
    }
    t
}

/// The 5-year band of an age: `"45–49"`; 90 and over is `"≥90"`.
pub fn age_band(age: u32) -> String {
    if age >= 90 {
        "≥90".to_string()
    } else {
        let lo = age / 5 * 5;
        format!("{lo}–{}", lo + 4)
    }
}

/// The image decoded and re-encoded as PNG from its pixels alone (no metadata chunks).
/// `None` when the bytes do not decode.
pub fn strip_image(data: &ImageData) -> Option<ImageData> {
    let img = image::load_from_memory(&data.bytes).ok()?;
    let (width, height) = (img.width(), img.height());
    let (grey, alpha) = (!img.color().has_color(), img.color().has_alpha());
    let (color, pixels) = match (grey, alpha) {
        (true, false) => (png::ColorType::Grayscale, img.into_luma8().into_raw()),
        (true, true) => (
            png::ColorType::GrayscaleAlpha,
            img.into_luma_alpha8().into_raw(),
        ),
        (false, true) => (png::ColorType::Rgba, img.into_rgba8().into_raw()),
        (false, false) => (png::ColorType::Rgb, img.into_rgb8().into_raw()),
    };
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(color);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().ok()?;
        w.write_image_data(&pixels).ok()?;
        w.finish().ok()?;
    }
    Some(ImageData {
        bytes: out.into(),
        mime: "image/png",
        width,
        height,
    })
}

/// Replaces the patient's id and label (whole words, any case) and every date-like string.
struct Scrubber {
    /// (needle as lowercase chars, replacement), longest first.
    names: Vec<(Vec<char>, String)>,
}

impl Scrubber {
    fn new(id: &str, label: &str, pseudonym: &str) -> Self {
        let mut names: Vec<(Vec<char>, String)> = [label, id]
            .iter()
            .map(|n| n.trim())
            // A one-letter id would swallow ordinary words; it identifies no one either.
            .filter(|n| n.chars().count() >= 2 && *n != pseudonym)
            .map(|n| (n.to_lowercase().chars().collect(), pseudonym.to_string()))
            .collect();
        names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
        Scrubber { names }
    }

    fn scrub(&self, text: &str) -> String {
        let mut out = scrub_ages(&scrub_dates(text));
        for (needle, with) in &self.names {
            out = replace_words(&out, needle, with);
        }
        out
    }
}

/// Replaces whole-word, case-insensitive occurrences of `needle` (lowercase chars).
fn replace_words(text: &str, needle: &[char], with: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = chars
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let boundary_before = i == 0 || !chars[i - 1].is_alphanumeric();
        let end = i + needle.len();
        if boundary_before
            && end <= chars.len()
            && lower[i..end] == *needle
            && chars.get(end).is_none_or(|c| !c.is_alphanumeric())
        {
            out.push_str(with);
            i = end;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Replaces exact ages in free text with their 5-year band: `48-year-old`, `48 year old`,
/// `48 yo`, `48 y/o`, `48-yr-old` and `aged 48` become `45–49-year-old`, `aged 45–49`, ...
pub fn scrub_ages(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < c.len() {
        let at_boundary = i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '.');
        if at_boundary && c[i].is_ascii_digit() {
            let (age, n) = digits(&c, i);
            if (1..=3).contains(&n) && age_word_after(&c, i + n) {
                out.push_str(&age_band(age));
                i += n;
                continue;
            }
        }
        if at_boundary && word_at(&c, i).eq_ignore_ascii_case("aged") {
            let mut j = i + 4;
            while c.get(j) == Some(&' ') {
                j += 1;
            }
            let (age, n) = digits(&c, j);
            if j > i + 4 && (1..=3).contains(&n) && ends_word(&c, j + n) {
                out.extend(&c[i..j]);
                out.push_str(&age_band(age));
                i = j + n;
                continue;
            }
        }
        out.push(c[i]);
        i += 1;
    }
    out
}

/// The letters of the word starting at `i`.
fn word_at(c: &[char], i: usize) -> String {
    c[i..].iter().take_while(|ch| ch.is_alphabetic()).collect()
}

/// True when an age unit follows at `i`: `-year-old`, ` year old`, ` yo`, ` y/o`, `-yr-old`.
fn age_word_after(c: &[char], i: usize) -> bool {
    let rest: String = c[i..c.len().min(i + 12)]
        .iter()
        .collect::<String>()
        .to_lowercase();
    let rest = rest.trim_start_matches([' ', '-']);
    [
        "year-old",
        "year old",
        "years old",
        "years-old",
        "yr-old",
        "yr old",
        "y/o",
    ]
    .iter()
    .any(|w| rest.starts_with(w))
        || (rest.starts_with("yo") && !rest[2..].starts_with(|ch: char| ch.is_alphanumeric()))
}

/// Words after which a year is the edition of a classification, not a patient's date
/// ("FIGO 2018", "WHO 2021").
const EDITION_OF: [&str; 10] = [
    "figo", "who", "ajcc", "uicc", "tnm", "isup", "eln", "imwg", "nccn", "esmo",
];

/// Units after which a four-digit number is a quantity, not a year ("2000 mg").
const UNITS: [&str; 22] = [
    "mg", "g", "kg", "mcg", "µg", "ug", "ng", "gy", "cgy", "mgy", "ml", "l", "iu", "u", "units",
    "mm", "cm", "m", "mmol", "µmol", "kbq", "mbq",
];

/// Replaces every date-like string in free text with `[date]`: ISO dates and months
/// (`2021-03-15`, `2021-03`, `2021/03/15`, `20210315`), numeric dates (`03/15/2021`,
/// `15.03.2021`, `15-03-21`, `03/2021`), dates with month names (`March 2021`,
/// `Mar 2021`, `15 Mar 2021`, `March 15, 2021`, `Mar '21`, a month name on its own), and
/// bare years 1900–2099 — except a year that is a classification's edition (`FIGO 2018`)
/// or a quantity with a unit (`2000 mg`).
pub fn scrub_dates(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < c.len() {
        let at_boundary = i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '.');
        if at_boundary && let Some(n) = date_at(&c, i) {
            out.push_str(DATE_PLACEHOLDER);
            i += n;
            continue;
        }
        out.push(c[i]);
        i += 1;
    }
    out
}

/// Length in chars of the date starting at `i`, if one does.
fn date_at(c: &[char], i: usize) -> Option<usize> {
    if c[i].is_ascii_digit() {
        numeric_date(c, i).or_else(|| day_month_name(c, i))
    } else if c[i].is_alphabetic() {
        month_name_first(c, i)
    } else {
        None
    }
}

/// Digits at `i`: (value, count).
fn digits(c: &[char], i: usize) -> (u32, usize) {
    let mut v: u32 = 0;
    let mut n = 0;
    while let Some(d) = c.get(i + n).and_then(|ch| ch.to_digit(10)) {
        v = v.saturating_mul(10).saturating_add(d);
        n += 1;
    }
    (v, n)
}

/// True when nothing alphanumeric (or a decimal continuation) follows at `i`.
fn ends_word(c: &[char], i: usize) -> bool {
    match c.get(i) {
        None => true,
        Some(ch) if ch.is_alphanumeric() => false,
        Some('.') | Some(',') => !c.get(i + 1).is_some_and(|d| d.is_ascii_digit()),
        _ => true,
    }
}

fn is_year(v: u32, n: usize) -> bool {
    n == 4 && (1900..=2099).contains(&v)
}

fn numeric_date(c: &[char], i: usize) -> Option<usize> {
    let (a, na) = digits(c, i);
    let sep1 = c.get(i + na).copied();
    let is_sep = |s: Option<char>| matches!(s, Some('-' | '/' | '.'));
    if is_sep(sep1) {
        let j = i + na + 1;
        let (b, nb) = digits(c, j);
        if nb > 0 {
            let k = j + nb;
            // Three parts with the same separator.
            if c.get(k).copied() == sep1 {
                let (d, nd) = digits(c, k + 1);
                let end = k + 1 + nd;
                // YYYY-MM-DD, with an optional time.
                let iso_end = end + time_suffix(c, end);
                if nd > 0
                    && ends_word(c, iso_end)
                    && is_year(a, na)
                    && nb <= 2
                    && (1..=12).contains(&b)
                    && nd <= 2
                    && (1..=31).contains(&d)
                {
                    return Some(iso_end - i);
                }
                if nd > 0 && ends_word(c, end) {
                    // DD.MM.YYYY, MM/DD/YYYY, and the same with a two-digit year.
                    if na <= 2
                        && nb <= 2
                        && (1..=31).contains(&a)
                        && (1..=31).contains(&b)
                        && (a <= 12 || b <= 12)
                        && (is_year(d, nd) || nd == 2)
                    {
                        return Some(end - i);
                    }
                }
            }
            if ends_word(c, k) {
                // YYYY-MM, YYYY/MM (not YYYY.MM, which reads as a decimal).
                if is_year(a, na) && sep1 != Some('.') && nb == 2 && (1..=12).contains(&b) {
                    return Some(k - i);
                }
                // MM/YYYY, MM-YYYY, MM.YYYY
                if na <= 2 && (1..=12).contains(&a) && is_year(b, nb) {
                    return Some(k - i);
                }
            }
        }
    }
    let end = i + na;
    if !ends_word(c, end) {
        return None;
    }
    // YYYYMMDD
    if na == 8 {
        let (y, m, d) = (a / 10000, a / 100 % 100, a % 100);
        if (1900..=2099).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d) {
            return Some(na);
        }
    }
    // A bare year, unless it is an edition or a quantity.
    if is_year(a, na) && !edition_before(c, i) && !unit_after(c, end) {
        return Some(na);
    }
    None
}

/// An optional `T10:30` or `T10:30:00` after an ISO date.
fn time_suffix(c: &[char], i: usize) -> usize {
    if c.get(i) != Some(&'T') {
        return 0;
    }
    let (_, nh) = digits(c, i + 1);
    if nh != 2 || c.get(i + 3) != Some(&':') {
        return 0;
    }
    let (_, nm) = digits(c, i + 4);
    if nm != 2 {
        return 0;
    }
    let mut n = 6;
    if c.get(i + 6) == Some(&':') && digits(c, i + 7).1 == 2 {
        n = 9;
    }
    n
}

/// The word before `i` (skipping spaces), lowercase.
fn word_before(c: &[char], i: usize) -> String {
    let mut j = i;
    while j > 0 && c[j - 1].is_whitespace() {
        j -= 1;
    }
    let end = j;
    while j > 0 && c[j - 1].is_alphanumeric() {
        j -= 1;
    }
    c[j..end].iter().collect::<String>().to_lowercase()
}

/// The word after `i` (skipping spaces), lowercase.
fn word_after(c: &[char], i: usize) -> String {
    let mut j = i;
    while j < c.len() && c[j].is_whitespace() {
        j += 1;
    }
    let start = j;
    while j < c.len() && (c[j].is_alphanumeric() || c[j] == 'µ') {
        j += 1;
    }
    c[start..j].iter().collect::<String>().to_lowercase()
}

fn edition_before(c: &[char], i: usize) -> bool {
    EDITION_OF.contains(&word_before(c, i).as_str())
}

fn unit_after(c: &[char], i: usize) -> bool {
    let w = word_after(c, i);
    UNITS.contains(&w.as_str()) || c.get(i) == Some(&'%')
}

/// A month name (full, or its first three letters, `Sept` too) at `i`: (month 1–12, length,
/// full name written).
fn month_name(c: &[char], i: usize) -> Option<(usize, usize, bool)> {
    let mut n = 0;
    while c.get(i + n).is_some_and(|ch| ch.is_alphabetic()) {
        n += 1;
    }
    if n < 3 {
        return None;
    }
    let word: String = c[i..i + n].iter().collect::<String>().to_lowercase();
    for (m, full) in crate::time::MONTH_NAMES.iter().enumerate() {
        if full.eq_ignore_ascii_case(&word) {
            return Some((m + 1, n, true));
        }
        if full[..3].eq_ignore_ascii_case(&word) || (m == 8 && word == "sept") {
            return Some((m + 1, n, false));
        }
    }
    None
}

/// Spaces, or one `-`, or `.` then spaces: the gap between date parts. Returns its length.
fn gap(c: &[char], i: usize) -> usize {
    let mut n = 0;
    if c.get(i) == Some(&'.') {
        n += 1;
    }
    if c.get(i + n) == Some(&'-') {
        return n + 1;
    }
    if c.get(i + n) == Some(&',') {
        n += 1;
    }
    let mut spaces = 0;
    while c.get(i + n + spaces).is_some_and(|ch| *ch == ' ') {
        spaces += 1;
    }
    if spaces == 0 && n == 0 { 0 } else { n + spaces }
}

/// A year at `i` after a month: `2021` or `'21`. Returns its length.
fn year_at(c: &[char], i: usize) -> Option<usize> {
    let (v, n) = digits(c, i);
    if is_year(v, n) && ends_word(c, i + n) {
        return Some(n);
    }
    if c.get(i).is_some_and(|ch| *ch == '\'' || *ch == '’') {
        let (_, n) = digits(c, i + 1);
        if n == 2 && ends_word(c, i + 3) {
            return Some(3);
        }
    }
    None
}

/// A day number 1–31 at `i`, with an optional ordinal suffix. Returns its length.
fn day_at(c: &[char], i: usize) -> Option<usize> {
    let (v, n) = digits(c, i);
    if !(1..=2).contains(&n) || !(1..=31).contains(&v) {
        return None;
    }
    let mut len = n;
    let suffix: String = c
        .get(i + n..(i + n + 2).min(c.len()))
        .map(|s| s.iter().collect::<String>().to_lowercase())
        .unwrap_or_default();
    if matches!(suffix.as_str(), "st" | "nd" | "rd" | "th") {
        len += 2;
    }
    ends_word(c, i + len).then_some(len)
}

/// `15 Mar 2021`, `15 March`, `15-Mar-2021`.
fn day_month_name(c: &[char], i: usize) -> Option<usize> {
    let d = day_at(c, i)?;
    let g = gap(c, i + d);
    if g == 0 {
        return None;
    }
    let (_, mn, _) = month_name(c, i + d + g)?;
    let mut end = i + d + g + mn;
    if !ends_word(c, end) && c.get(end) != Some(&'.') {
        return None;
    }
    let g2 = gap(c, end);
    if g2 > 0
        && let Some(y) = year_at(c, end + g2)
    {
        end += g2 + y;
    }
    Some(end - i)
}

/// `March 2021`, `Mar 2021`, `March 15, 2021`, `Mar 15`, `Mar-2021`, `Mar '21`, or a full
/// month name on its own (`in March`; `May` only with a day or year, as it is also a word).
fn month_name_first(c: &[char], i: usize) -> Option<usize> {
    let (month, mn, full) = month_name(c, i)?;
    let after = i + mn;
    if !(ends_word(c, after) || c.get(after) == Some(&'.')) {
        return None;
    }
    let g = gap(c, after);
    if g > 0 {
        let j = after + g;
        if let Some(y) = year_at(c, j) {
            return Some(j + y - i);
        }
        if let Some(d) = day_at(c, j) {
            let mut end = j + d;
            let g2 = gap(c, end);
            if g2 > 0
                && let Some(y) = year_at(c, end + g2)
            {
                end += g2 + y;
            }
            return Some(end - i);
        }
    }
    // A month name alone: only the full, capitalised name, and never "May".
    (full && month != 5 && c[i].is_uppercase()).then_some(mn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn scrubbed(input: &str, expected: &str) {
        assert_eq!(scrub_dates(input), expected, "input: {input:?}");
    }

    #[test]
    fn iso_and_numeric_dates_are_removed() {
        scrubbed("CT 2021-03-15", "CT [date]");
        scrubbed("2021-03-15T10:30:00 scan", "[date] scan");
        scrubbed("since 2021-03, stable", "since [date], stable");
        scrubbed("2021/03/15", "[date]");
        scrubbed("seen 03/15/2021.", "seen [date].");
        scrubbed("15.03.2021", "[date]");
        scrubbed("15-03-21 and 1/2/2020", "[date] and [date]");
        scrubbed("restaged 03/2021", "restaged [date]");
        scrubbed("ref 20210315", "ref [date]");
        scrubbed("2019-2021", "[date]-[date]");
    }

    #[test]
    fn month_name_dates_are_removed() {
        scrubbed("March 2021", "[date]");
        scrubbed("from Mar 2021 on", "from [date] on");
        scrubbed("15 Mar 2021", "[date]");
        scrubbed("15 March", "[date]");
        scrubbed("15-Mar-2021", "[date]");
        scrubbed("March 15, 2021: PR", "[date]: PR");
        scrubbed("Sept. 3rd", "[date]");
        scrubbed("Mar '21", "[date]");
        scrubbed("started in March", "started in [date]");
        scrubbed("on 3 may 2021", "on [date]");
    }

    #[test]
    fn bare_years_are_removed_but_not_quantities_or_editions() {
        scrubbed("relapse in 2015", "relapse in [date]");
        scrubbed("FIGO 2018 IIIC1r", "FIGO 2018 IIIC1r");
        scrubbed("WHO 2021 grade 2", "WHO 2021 grade 2");
        scrubbed("cytarabine 2000 mg/m²", "cytarabine 2000 mg/m²");
        scrubbed("1999.5 units", "1999.5 units");
    }

    #[test]
    fn clinical_text_without_dates_is_unchanged() {
        for s in [
            "Pelvic IMRT 50.4 Gy/28 fx + cisplatin 40 mg/m² weekly ×5",
            "EBRT 50.4 Gy/28 fx + cisplatin 40 mg/m² weekly ×5; HDR-BT 28 Gy/4 fx",
            "neck LN 8.1 → 3.9 cm",
            "RECIST 1.1",
            "200 mg IV q3w",
            "Camrelizumab",
            "the dose may be reduced",
            "Marker 12/5",
            "q3w x 4, 1.5 mg/kg",
            "version 1.2.3",
            "T2N1M0",
        ] {
            scrubbed(s, s);
        }
    }

    #[test]
    fn age_bands() {
        assert_eq!(age_band(0), "0–4");
        assert_eq!(age_band(4), "0–4");
        assert_eq!(age_band(45), "45–49");
        assert_eq!(age_band(49), "45–49");
        assert_eq!(age_band(50), "50–54");
        assert_eq!(age_band(89), "85–89");
        assert_eq!(age_band(90), "≥90");
        assert_eq!(age_band(104), "≥90");
    }

    #[test]
    fn exact_ages_in_free_text_become_bands() {
        assert_eq!(scrub_ages("48-year-old woman"), "45–49-year-old woman");
        assert_eq!(scrub_ages("a 91 year old man"), "a ≥90 year old man");
        assert_eq!(scrub_ages("52 yo, 52 y/o"), "50–54 yo, 50–54 y/o");
        assert_eq!(scrub_ages("aged 67, ECOG 1"), "aged 65–69, ECOG 1");
        for s in [
            "50 Gy",
            "year 3",
            "10 years of follow-up",
            "aged well",
            "200 mg",
        ] {
            assert_eq!(scrub_ages(s), s);
        }
    }

    fn png_with_text_chunk() -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, 4, 3);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.add_text_chunk("Comment".into(), "P1 scanned 2021-03-15".into())
            .expect("text chunk");
        enc.add_itxt_chunk("Author".into(), "Jane Doe".into())
            .expect("itxt chunk");
        let mut w = enc.write_header().expect("header");
        let px: Vec<u8> = (0..36).map(|v| (v * 7) as u8).collect();
        w.write_image_data(&px).expect("pixels");
        w.finish().expect("finish");
        out
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn stripped_png_keeps_pixels_and_loses_text_chunks() {
        let bytes = png_with_text_chunk();
        assert!(contains(&bytes, b"2021-03-15") && contains(&bytes, b"Jane Doe"));
        let original = ImageData {
            bytes: bytes.clone().into(),
            mime: "image/png",
            width: 4,
            height: 3,
        };
        let s = strip_image(&original).expect("re-encodes");
        assert_eq!((s.mime, s.width, s.height), ("image/png", 4, 3));
        for needle in [
            &b"2021-03-15"[..],
            b"Jane Doe",
            b"tEXt",
            b"iTXt",
            b"zTXt",
            b"eXIf",
        ] {
            assert!(!contains(&s.bytes, needle));
        }
        let a = image::load_from_memory(&bytes).unwrap().to_rgba8();
        let b = image::load_from_memory(&s.bytes).unwrap().to_rgba8();
        assert!(a == b);
    }

    #[test]
    fn stripped_jpeg_loses_exif() {
        // A JPEG with an EXIF (APP1) segment carrying a date, right after SOI.
        let img =
            image::RgbImage::from_fn(8, 8, |x, y| image::Rgb([x as u8 * 30, y as u8 * 30, 90]));
        let mut jpeg = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(
                &mut std::io::Cursor::new(&mut jpeg),
                image::ImageFormat::Jpeg,
            )
            .expect("jpeg");
        let payload = b"Exif\0\0MM\0*\0\0\0\x08 DateTimeOriginal 2021:03:15 10:00:00 P1";
        let mut app1 = vec![0xff, 0xe1];
        app1.extend(((payload.len() + 2) as u16).to_be_bytes());
        app1.extend_from_slice(payload);
        let mut with_exif = jpeg[..2].to_vec();
        with_exif.extend(app1);
        with_exif.extend_from_slice(&jpeg[2..]);
        let original = ImageData {
            bytes: with_exif.into(),
            mime: "image/jpeg",
            width: 8,
            height: 8,
        };
        let s = strip_image(&original).expect("re-encodes");
        assert_eq!(s.mime, "image/png");
        assert_eq!(&s.bytes[1..4], b"PNG");
        assert!(!contains(&s.bytes, b"2021:03:15"));
        assert!(!contains(&s.bytes, b"Exif"));
    }

    #[test]
    fn undecodable_image_becomes_a_placeholder() {
        let bad = ImageData {
            bytes: vec![0u8; 10].into(),
            mime: "image/png",
            width: 1,
            height: 1,
        };
        assert_eq!(strip_image(&bad), None);
    }

    #[test]
    fn ids_and_labels_in_free_text_become_the_pseudonym() {
        let s = Scrubber::new("P1", "Jane Doe", "Case A");
        assert_eq!(
            s.scrub("jane doe, P1, seen 2021-03"),
            "Case A, Case A, seen [date]"
        );
        // Whole words only.
        assert_eq!(s.scrub("SP1 protein"), "SP1 protein");
    }
}

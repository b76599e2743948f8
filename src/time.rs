//! Time values: the four ways to write a time, and calendar arithmetic.
//!
//! A time in a timeline file is one of
//!
//! - `"2021-03-15"`: a calendar day ([`Precision::Day`]);
//! - `"2021-03"`: a month, placed at its 15th ([`Precision::Month`], approximate);
//! - `"2021"`: a year, placed at 1 July ([`Precision::Year`], approximate);
//! - an integer: whole days after `day_zero` (may be negative);
//!
//! and an `end` may also be `"ongoing"`. [`parse_time_text`] and [`check_days`] turn what the
//! file says into a [`TimeValue`]; [`TimeValue::resolve`] places it relative to `day_zero`.
//! Every error message says what to write instead.

use jiff::civil::Date;

use crate::model::{Precision, When};

/// Integer days must lie within ± this many days of `day_zero` (about 270 years), which keeps
/// all arithmetic on days far from overflow.
pub const MAX_ABS_DAYS: i64 = 100_000;

/// The accepted shapes, for error messages.
pub const ACCEPTED_SHAPES: &str = "a day \"2021-03-15\", a month \"2021-03\", a year \"2021\" \
     or whole days after day_zero such as 120";

/// A time as the file wrote it, checked but not yet placed relative to `day_zero`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeValue {
    /// A calendar date (day, month or year), already moved to the 15th / 1 July when
    /// approximate.
    Date {
        /// The date the time is drawn at.
        date: Date,
        /// How precisely it was written.
        precision: Precision,
    },
    /// Whole days after `day_zero`.
    Days(i64),
    /// `"ongoing"` (valid only as an `end`).
    Ongoing,
}

impl TimeValue {
    /// Places the time relative to `day_zero`: a date needs `day_zero`, days do not.
    /// `None` for [`TimeValue::Ongoing`] and for a date without `day_zero`.
    pub fn resolve(self, day_zero: Option<Date>) -> Option<When> {
        match self {
            TimeValue::Date { date, precision } => Some(When {
                day: days_between(day_zero?, date),
                precision,
            }),
            TimeValue::Days(day) => Some(When::day(day)),
            TimeValue::Ongoing => None,
        }
    }
}

/// Why a time could not be read; the message says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TimeError(pub String);

/// Reads a time written as text: `"2021-03-15"`, `"2021-03"`, `"2021"` or `"ongoing"`.
pub fn parse_time_text(text: &str) -> Result<TimeValue, TimeError> {
    if text == "ongoing" {
        return Ok(TimeValue::Ongoing);
    }
    if text.trim().eq_ignore_ascii_case("ongoing") {
        return Err(TimeError(format!(
            "\"{text}\" is not a time; write \"ongoing\" (lower case, no spaces)"
        )));
    }
    let (date, precision) = parse_date_text(text)?;
    Ok(TimeValue::Date { date, precision })
}

/// Checks a time written as whole days after `day_zero`.
pub fn check_days(days: i64) -> Result<TimeValue, TimeError> {
    if !(-MAX_ABS_DAYS..=MAX_ABS_DAYS).contains(&days) {
        return Err(TimeError(format!(
            "{days} days is too far from day_zero; whole days must lie between -{MAX_ABS_DAYS} and {MAX_ABS_DAYS}"
        )));
    }
    Ok(TimeValue::Days(days))
}

/// Reads a calendar date `"YYYY-MM-DD"`, `"YYYY-MM"` (placed at the 15th) or `"YYYY"`
/// (placed at 1 July).
pub fn parse_date_text(text: &str) -> Result<(Date, Precision), TimeError> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i32> {
        let s = b.get(r)?;
        if s.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(s).ok()?.parse().ok()
        } else {
            None
        }
    };
    let shape = match b.len() {
        10 if b[4] == b'-' && b[7] == b'-' => digits(0..4)
            .zip(digits(5..7))
            .zip(digits(8..10))
            .map(|((y, m), d)| (y, m, Some(d))),
        7 if b[4] == b'-' => digits(0..4).zip(digits(5..7)).map(|(y, m)| (y, m, None)),
        4 => digits(0..4).map(|y| (y, 0, None)),
        _ => None,
    };
    let Some((year, month, day)) = shape else {
        return Err(bad_shape(text));
    };
    if year < 1 {
        return Err(TimeError(format!(
            "\"{text}\" is not a date: there is no year 0; years run from 0001 to 9999"
        )));
    }
    let precision = if b.len() == 4 {
        Precision::Year
    } else if day.is_none() {
        Precision::Month
    } else {
        Precision::Day
    };
    if precision != Precision::Year && !(1..=12).contains(&month) {
        return Err(TimeError(format!(
            "\"{text}\" does not exist: there is no month {month:02} (months are 01 to 12)"
        )));
    }
    let (m, d) = match (precision, day) {
        (Precision::Year, _) => (7, 1),
        (_, None) => (month, 15),
        (_, Some(d)) => (month, d),
    };
    // Year and month are in range here, so only the day can be wrong.
    let last = days_in_month(year, m);
    if d < 1 || d > last {
        let month_name = MONTH_NAMES[(m - 1) as usize];
        return Err(TimeError(format!(
            "\"{text}\" does not exist: {month_name} {year} has {last} days"
        )));
    }
    Date::new(year as i16, m as i8, d as i8)
        .map(|date| (date, precision))
        .map_err(|e| TimeError(format!("\"{text}\" is not a date: {e}")))
}

/// English month names, January first.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: i32) -> i32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The error for a string that is no accepted shape, with a guess at what was meant.
fn bad_shape(text: &str) -> TimeError {
    let shown: String = text.chars().take(40).collect();
    let mut msg = format!("\"{shown}\" is not a time; write {ACCEPTED_SHAPES}");
    if let Some(guess) = guess_date(text) {
        msg.push_str(&format!("; did you mean \"{guess}\"?"));
    } else if looks_like_ambiguous_date(text) {
        msg.push_str("; day and month order is ambiguous here, so write year first");
    }
    TimeError(msg)
}

fn split_numbers(text: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = text
        .trim()
        .split(['/', '.', '-', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    // (How many parts there are is for the callers' patterns to decide.)
    if parts
        .iter()
        .any(|p| p.len() > 4 || !p.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    Some(parts)
}

/// A valid `YYYY-MM-DD` / `YYYY-MM` for a recognisable other spelling (`15/03/2021`,
/// `2021/3/5`, `3/2021`), when the reading is unambiguous.
fn guess_date(text: &str) -> Option<String> {
    let parts = split_numbers(text)?;
    let n = |s: &str| s.parse::<i32>().ok();
    let candidate = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => format!("{y}-{:02}-{:02}", n(m)?, n(d)?),
        [a, b, y] if y.len() == 4 => {
            let (a, b) = (n(a)?, n(b)?);
            if a > 12 && b <= 12 {
                format!("{y}-{b:02}-{a:02}")
            } else if b > 12 && a <= 12 {
                format!("{y}-{a:02}-{b:02}")
            } else {
                return None;
            }
        }
        [y, m] if y.len() == 4 => format!("{y}-{:02}", n(m)?),
        [m, y] if y.len() == 4 => format!("{y}-{:02}", n(m)?),
        _ => return None,
    };
    (candidate != text && parse_date_text(&candidate).is_ok()).then_some(candidate)
}

fn looks_like_ambiguous_date(text: &str) -> bool {
    matches!(split_numbers(text).as_deref(), Some([_, _, y]) if y.len() == 4)
}

/// Days from the civil date to 1970-01-01 (proleptic Gregorian; exact for every `Date`).
pub fn days_from_civil(date: Date) -> i64 {
    days_from_ymd(
        i64::from(date.year()),
        i64::from(date.month()),
        i64::from(date.day()),
    )
}

/// Days from 1970-01-01 to the proleptic Gregorian date `y`-`m`-`d` (integer form of
/// [`days_from_civil`], for day counts far outside `Date`'s range; `m` in 1..=12).
pub fn days_from_ymd(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) `z` days after 1970-01-01: the inverse of [`days_from_ymd`].
pub fn ymd_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    days_from_civil(to) - days_from_civil(from)
}

/// A date as written at its precision: `"2021-03-15"`, `"2021-03"` or `"2021"`.
pub fn format_date(date: Date, precision: Precision) -> String {
    match precision {
        Precision::Day => format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day()),
        Precision::Month => format!("{:04}-{:02}", date.year(), date.month()),
        Precision::Year => format!("{:04}", date.year()),
    }
}

/// A resolved time for people: the calendar date at its precision with `~` when approximate
/// (`"~2021-03"`) when there is a `day_zero`, else `"day 120"`.
pub fn format_when(when: When, day_zero: Option<Date>) -> String {
    let approx = if when.is_approximate() { "~" } else { "" };
    match day_zero.and_then(|z| z.checked_add(jiff::Span::new().days(when.day)).ok()) {
        Some(date) => format!("{approx}{}", format_date(date, when.precision)),
        None => format!("{approx}day {}", when.day),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn reads_the_three_calendar_shapes() {
        assert_eq!(
            parse_time_text("2021-03-15"),
            Ok(TimeValue::Date {
                date: date(2021, 3, 15),
                precision: Precision::Day
            })
        );
        assert_eq!(
            parse_time_text("2021-03"),
            Ok(TimeValue::Date {
                date: date(2021, 3, 15),
                precision: Precision::Month
            })
        );
        assert_eq!(
            parse_time_text("2021"),
            Ok(TimeValue::Date {
                date: date(2021, 7, 1),
                precision: Precision::Year
            })
        );
        assert_eq!(parse_time_text("ongoing"), Ok(TimeValue::Ongoing));
        assert_eq!(
            parse_time_text("2024-02-29").unwrap(),
            TimeValue::Date {
                date: date(2024, 2, 29),
                precision: Precision::Day
            }
        );
    }

    #[test]
    fn refuses_dates_that_do_not_exist() {
        let e = parse_time_text("2021-02-30").unwrap_err().0;
        assert!(e.contains("February 2021 has 28 days"), "{e}");
        let e = parse_time_text("2023-02-29").unwrap_err().0;
        assert!(e.contains("has 28 days"), "{e}");
        let e = parse_time_text("2021-13").unwrap_err().0;
        assert!(e.contains("no month 13"), "{e}");
        let e = parse_time_text("2021-00-10").unwrap_err().0;
        assert!(e.contains("no month 00"), "{e}");
        let e = parse_time_text("2021-04-31").unwrap_err().0;
        assert!(e.contains("April 2021 has 30 days"), "{e}");
        let e = parse_time_text("0000").unwrap_err().0;
        assert!(e.contains("no year 0"), "{e}");
    }

    #[test]
    fn only_hyphens_separate_year_month_and_day() {
        for text in [
            "2021/03/15",
            "2021x03x15",
            "2021x03-15",
            "2021-03x15",
            "2021.03.15",
            "2021/03",
            "2021x03",
        ] {
            let e = parse_time_text(text).unwrap_err().0;
            assert!(
                e.starts_with(&format!("\"{text}\" is not a time")),
                "{text}: {e}"
            );
        }
    }

    #[test]
    fn year_one_is_the_first_year() {
        assert_eq!(
            parse_date_text("0001-01-01"),
            Ok((date(1, 1, 1), Precision::Day))
        );
        assert_eq!(
            parse_date_text("0001"),
            Ok((date(1, 7, 1), Precision::Year))
        );
        assert_eq!(
            parse_date_text("0001-02"),
            Ok((date(1, 2, 15), Precision::Month))
        );
        assert!(
            parse_date_text("0000-01-01")
                .unwrap_err()
                .0
                .contains("no year 0")
        );
    }

    #[test]
    fn century_years_are_leap_only_when_divisible_by_400() {
        for year in ["1900", "2100", "2200", "1800"] {
            let e = parse_date_text(&format!("{year}-02-29")).unwrap_err().0;
            assert!(e.contains(&format!("February {year} has 28 days")), "{e}");
        }
        for year in [2000, 2400, 1600] {
            assert_eq!(
                parse_date_text(&format!("{year}-02-29")),
                Ok((date(year, 2, 29), Precision::Day))
            );
        }
        assert!(parse_date_text("2024-02-29").is_ok());
        assert!(parse_date_text("2023-02-29").is_err());
    }

    #[test]
    fn bad_shapes_name_the_accepted_shapes_and_guess() {
        let e = parse_time_text("15/03/2021").unwrap_err().0;
        assert!(e.contains("\"2021-03-15\", a month"), "{e}");
        assert!(e.contains("did you mean \"2021-03-15\"?"), "{e}");
        let e = parse_time_text("2021-3-5").unwrap_err().0;
        assert!(e.contains("did you mean \"2021-03-05\"?"), "{e}");
        let e = parse_time_text("03/04/2021").unwrap_err().0;
        assert!(e.contains("ambiguous"), "{e}");
        let e = parse_time_text("soon").unwrap_err().0;
        assert!(e.starts_with("\"soon\" is not a time"), "{e}");
        let e = parse_time_text("Ongoing").unwrap_err().0;
        assert!(e.contains("lower case"), "{e}");
        assert!(parse_time_text("").is_err());
        assert!(parse_time_text("２０２１").is_err());
        assert!(parse_time_text(" 2021-03-15").is_err());
    }

    #[test]
    fn guesses_only_unambiguous_other_spellings() {
        let guess = |t: &str| guess_date(t);
        assert_eq!(guess("2021/3/5").as_deref(), Some("2021-03-05"));
        assert_eq!(guess("15/03/2021").as_deref(), Some("2021-03-15"));
        assert_eq!(guess("3/14/2021").as_deref(), Some("2021-03-14"));
        assert_eq!(guess("12/13/2021").as_deref(), Some("2021-12-13"));
        assert_eq!(guess("2021/3").as_deref(), Some("2021-03"));
        assert_eq!(guess("3/2021").as_deref(), Some("2021-03"));
        // Day and month could be either way round, or neither is a month.
        for t in ["12/05/2021", "05/12/2021", "13/14/2021", "21/3", "3/21/5"] {
            assert_eq!(guess(t), None, "{t}");
        }
        // A part of more than four digits, four parts, or a guess that is no date.
        for t in ["2021/00003/5", "1/2/3/2021", "2021/02/30", "2021/3x/5"] {
            assert_eq!(guess(t), None, "{t}");
        }
        assert!(looks_like_ambiguous_date("05/12/2021"));
        for t in ["soon", "2021/3", "1/2/3/2021", "05/12/21"] {
            assert!(!looks_like_ambiguous_date(t), "{t}");
        }
    }

    #[test]
    fn every_day_of_eight_centuries_round_trips_and_agrees_with_jiff() {
        let base = date(1600, 1, 1);
        let first = days_from_civil(base);
        for n in 0..(800 * 366) {
            let z = first + n;
            let (y, m, d) = ymd_from_days(z);
            assert_eq!(days_from_ymd(y, m, d), z);
            let expected = base.checked_add(jiff::Span::new().days(n)).unwrap();
            assert_eq!(
                (y, m, d),
                (
                    i64::from(expected.year()),
                    i64::from(expected.month()),
                    i64::from(expected.day())
                ),
                "day {z}"
            );
        }
    }

    #[test]
    fn integer_days_are_bounded() {
        assert_eq!(check_days(-120), Ok(TimeValue::Days(-120)));
        assert!(check_days(MAX_ABS_DAYS + 1).is_err());
        assert!(check_days(i64::MIN).is_err());
    }

    #[test]
    fn integer_calendar_round_trips_and_agrees_with_dates() {
        for z in [-800_000, -1, 0, 59, 365, 18_000, 2_000_000] {
            let (y, m, d) = ymd_from_days(z);
            assert_eq!(days_from_ymd(y, m, d), z);
        }
        assert_eq!(ymd_from_days(0), (1970, 1, 1));
        assert_eq!(
            ymd_from_days(days_from_civil(date(2024, 2, 29))),
            (2024, 2, 29)
        );
    }

    #[test]
    fn day_arithmetic_matches_the_calendar() {
        assert_eq!(days_from_civil(date(1970, 1, 1)), 0);
        assert_eq!(days_from_civil(date(2000, 3, 1)), 11_017);
        assert_eq!(days_between(date(2020, 6, 15), date(2020, 7, 1)), 16);
        assert_eq!(days_between(date(2020, 7, 1), date(2020, 6, 15)), -16);
        assert_eq!(days_between(date(2019, 12, 31), date(2021, 1, 1)), 367);
        // Cross-check with jiff over a range of dates.
        let base = date(1900, 1, 1);
        for n in (0..60_000).step_by(97) {
            let d = base.checked_add(jiff::Span::new().days(n)).unwrap();
            assert_eq!(days_between(base, d), n);
        }
    }

    #[test]
    fn resolves_relative_to_day_zero() {
        let zero = date(2018, 9, 15);
        let t = parse_time_text("2018-10").unwrap();
        assert_eq!(
            t.resolve(Some(zero)),
            Some(When {
                day: 30,
                precision: Precision::Month
            })
        );
        assert_eq!(TimeValue::Days(-3).resolve(None), Some(When::day(-3)));
        assert_eq!(t.resolve(None), None);
        assert_eq!(TimeValue::Ongoing.resolve(Some(zero)), None);
    }

    #[test]
    fn formats_for_people() {
        let zero = date(2020, 6, 15);
        assert_eq!(format_when(When::day(16), Some(zero)), "2020-07-01");
        let w = When {
            day: 0,
            precision: Precision::Month,
        };
        assert_eq!(format_when(w, Some(zero)), "~2020-06");
        assert_eq!(format_when(When::day(120), None), "day 120");
    }
}

//! The words the free-text scrubber knows, in one place: month names and abbreviations
//! (English, French, German, Spanish, Italian, Portuguese), age words, the units and scale
//! words that make a number certainly a clinical quantity, the words after which a number
//! is an identifier, and the placeholders written instead of what is removed.
//!
//! Every word is written in its matching key: compatibility-decomposed (NFKD), fully case
//! folded and with accents dropped (`März` → `marz`, `août` → `aout`), see
//! [`super::key`].

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// FNV-1a: a quick hash for the short words looked up once per token (no untrusted keys
/// choose the table: the lists are fixed, the names are the patient's own).
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A hash map or set keyed by short words.
pub type FastHash = BuildHasherDefault<Fnv>;

/// Which word lists a word is in: bit flags, one per list below.
pub mod class {
    /// [`super::MONTHS`]
    pub const MONTH: u32 = 1;
    /// [`super::MONTHS_AMBIGUOUS`]
    pub const MONTH_AMBIGUOUS: u32 = 1 << 1;
    /// [`super::DATE_CONNECTORS`]
    pub const CONNECTOR: u32 = 1 << 2;
    /// [`super::ORDINAL_ENDINGS`]
    pub const ORDINAL: u32 = 1 << 3;
    /// [`super::AGE_BEFORE`]
    pub const AGE_BEFORE: u32 = 1 << 4;
    /// [`super::AGE_AFTER`]
    pub const AGE_AFTER: u32 = 1 << 5;
    /// [`super::EDITION_OF`]
    pub const EDITION: u32 = 1 << 6;
    /// [`super::UNITS`]
    pub const UNIT: u32 = 1 << 7;
    /// [`super::SCALE_WORDS`]
    pub const SCALE: u32 = 1 << 8;
    /// [`super::ID_BEFORE`]
    pub const ID_BEFORE: u32 = 1 << 9;
    /// [`super::TIME_AFTER`]
    pub const TIME_AFTER: u32 = 1 << 10;
    /// [`super::MONTHS_BESIDE_ONLY`]
    pub const MONTH_BESIDE: u32 = 1 << 11;
    /// [`super::AGE_FILLERS`]
    pub const AGE_FILLER: u32 = 1 << 12;
    /// [`super::DURATION_BEFORE`]
    pub const DURATION: u32 = 1 << 13;
    /// [`super::DATE_BEFORE`]
    pub const DATE_BEFORE: u32 = 1 << 14;
    /// [`super::ROMAN_MONTHS`]
    pub const ROMAN_MONTH: u32 = 1 << 15;
    /// [`super::NUMBER_WORDS`] and [`super::TENS_WORDS`]
    pub const NUMBER_WORD: u32 = 1 << 16;
    /// [`super::COUNT_UNITS`]
    pub const COUNT_UNIT: u32 = 1 << 17;
    /// [`super::TIME_POINTS`]
    pub const TIME_POINT: u32 = 1 << 18;
    /// [`super::MONTHS_SHOUTED`]
    pub const MONTH_SHOUTED: u32 = 1 << 19;
    /// [`super::STREET_AFTER`]
    pub const STREET_AFTER: u32 = 1 << 20;
    /// [`super::STREET_AFTER_CAPITALISED`]
    pub const STREET_AFTER_CAP: u32 = 1 << 21;
    /// [`super::STREET_BEFORE`]
    pub const STREET_BEFORE: u32 = 1 << 22;
    /// [`super::STREET_BEFORE_CAPITALISED`]
    pub const STREET_BEFORE_CAP: u32 = 1 << 23;
    /// [`super::DAY_ORDINALS`]
    pub const DAY_ORDINAL: u32 = 1 << 24;
    /// Any month list: [`MONTH`], [`MONTH_AMBIGUOUS`], [`MONTH_BESIDE`].
    pub const ANY_MONTH: u32 = MONTH | MONTH_AMBIGUOUS | MONTH_BESIDE;
}

/// Every listed word and the lists it is in (built once).
pub fn lexicon() -> &'static HashMap<&'static str, u32, FastHash> {
    static LEXICON: OnceLock<HashMap<&'static str, u32, FastHash>> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut map: HashMap<&'static str, u32, FastHash> = HashMap::default();
        for (list, flag) in [
            (MONTHS, class::MONTH),
            (MONTHS_AMBIGUOUS, class::MONTH_AMBIGUOUS),
            (DATE_CONNECTORS, class::CONNECTOR),
            (ORDINAL_ENDINGS, class::ORDINAL),
            (AGE_BEFORE, class::AGE_BEFORE),
            (AGE_AFTER, class::AGE_AFTER),
            (EDITION_OF, class::EDITION),
            (UNITS, class::UNIT),
            (SCALE_WORDS, class::SCALE),
            (ID_BEFORE, class::ID_BEFORE),
            (TIME_AFTER, class::TIME_AFTER),
            (MONTHS_BESIDE_ONLY, class::MONTH_BESIDE),
            (AGE_FILLERS, class::AGE_FILLER),
            (DURATION_BEFORE, class::DURATION),
            (DATE_BEFORE, class::DATE_BEFORE),
            (ROMAN_MONTHS, class::ROMAN_MONTH),
            (NUMBER_WORDS, class::NUMBER_WORD),
            (TENS_WORDS, class::NUMBER_WORD),
            (COUNT_UNITS, class::COUNT_UNIT),
            (TIME_POINTS, class::TIME_POINT),
            (MONTHS_SHOUTED, class::MONTH_SHOUTED),
            (STREET_AFTER, class::STREET_AFTER),
            (STREET_AFTER_CAPITALISED, class::STREET_AFTER_CAP),
            (STREET_BEFORE, class::STREET_BEFORE),
            (STREET_BEFORE_CAPITALISED, class::STREET_BEFORE_CAP),
            (DAY_ORDINALS, class::DAY_ORDINAL),
        ] {
            for w in list {
                *map.entry(w).or_default() |= flag;
            }
        }
        map
    })
}

/// Every beginning (one letter or more) of a month name or abbreviation of any month list,
/// so that a month spelled letter by letter is read only while it could still become one.
pub fn month_beginnings() -> &'static std::collections::HashSet<&'static str, FastHash> {
    static BEGINNINGS: OnceLock<std::collections::HashSet<&'static str, FastHash>> =
        OnceLock::new();
    BEGINNINGS.get_or_init(|| {
        let mut set = std::collections::HashSet::default();
        for w in MONTHS
            .iter()
            .chain(MONTHS_AMBIGUOUS)
            .chain(MONTHS_BESIDE_ONLY)
        {
            for (i, _) in w.char_indices().skip(1) {
                set.insert(&w[..i]);
            }
            set.insert(*w);
        }
        set
    })
}

/// True when a month name or abbreviation of any month list begins with `first`: three
/// letters (a quick test before a month spelled letter by letter is read further).
pub fn begins_month(first: [char; 3]) -> bool {
    static FIRST3: OnceLock<Vec<[char; 3]>> = OnceLock::new();
    FIRST3
        .get_or_init(|| {
            let mut v: Vec<[char; 3]> = MONTHS
                .iter()
                .chain(MONTHS_AMBIGUOUS)
                .chain(MONTHS_BESIDE_ONLY)
                .filter_map(|w| {
                    let mut c = w.chars();
                    Some([c.next()?, c.next()?, c.next()?])
                })
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .binary_search(&first)
        .is_ok()
}

/// Longest listed word, in characters: longer words need no look-up.
pub const LONGEST_WORD: usize = 16;

/// What replaces a date, a part of a date, a month name or a time.
pub const DATE: &str = "[date]";
/// What replaces a number that could identify the patient (4+ digits, a number after
/// "MRN", a phone number, digits in a script the scrubber cannot read).
pub const NUMBER: &str = "[number]";
/// What replaces an e-mail address or a web address.
pub const CONTACT: &str = "[contact]";
/// What replaces a street address (house number and street) or a postcode.
pub const ADDRESS: &str = "[address]";

/// Month names and their abbreviations that are not also common words: replaced wherever
/// they stand.
pub const MONTHS: &[&str] = &[
    // English
    "january",
    "february",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "apr",
    "jul",
    "aug",
    "sep",
    "sept",
    "nov",
    // French
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
    "janv",
    "fevr",
    "fev",
    "avr",
    "juil",
    // German
    "januar",
    "janner",
    "februar",
    "marz",
    "maerz",
    "juni",
    "juli",
    "oktober",
    "dezember",
    "okt",
    "mrz",
    "feber",
    "jaenner",
    // Spanish
    "enero",
    "febrero",
    "marzo",
    "abril",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "setiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "ene",
    "abr",
    // Italian
    "gennaio",
    "febbraio",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "settembre",
    "ottobre",
    "dicembre",
    "giu",
    "lug",
    "ott",
    // Portuguese
    "janeiro",
    "fevereiro",
    "marco",
    "maio",
    "junho",
    "julho",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
    "dez",
];

/// Month names and abbreviations that are also everyday or clinical words ("the dose
/// may be reduced", "ruled out", "OCT", "DIC", "3 weeks ago"): replaced when they stand
/// beside digits or another part of a date, or are written Capitalised after the first
/// word of the text ("in May", "seen in Mar").
pub const MONTHS_AMBIGUOUS: &[&str] = &[
    "march", "mar", "may", "oct", "dec", "mai", "set", "out", "ago", "gen", "mag", "dic",
];

/// Month names of [`MONTHS_AMBIGUOUS`] that are no acronym: written in capitals amid text
/// that is not ("seen in MAY"), they are a month; beside other capitals ("MAY CAUSE
/// DROWSINESS") a heading or a warning. (`OCT`, `DIC`, `MAR`, `MAI` are acronyms.)
pub const MONTHS_SHOUTED: &[&str] = &["may", "march"];

/// Month abbreviations that are also the names of genes or institutions ("c-Jun", "Mayo
/// protocol"): replaced only beside digits or another part of a date ("3 Jun 2021").
pub const MONTHS_BESIDE_ONLY: &[&str] = &["jun", "mayo"];

/// Roman numerals of months: a month when written between a day and a year or after a day
/// and a separator ("15.III.2021", "15-xii", "15 Ⅲ 2021").
pub const ROMAN_MONTHS: &[&str] = &[
    "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii",
];

/// Words before a day and a month written `d.m` ("seit 15.3", "am 1.3"), which would
/// otherwise be read as a decimal.
pub const DATE_BEFORE: &[&str] = &[
    "am", "vom", "seit", "bis", "ab", "beginn", "ende", "since", "until", "till", "on", "le", "du",
    "dal", "desde", "em",
];

/// Words that may stand between an age word and the age: "age at diagnosis 48", "aged
/// about 48", "age at dx: 48", "age of onset 48".
pub const AGE_FILLERS: &[&str] = &[
    "at",
    "of",
    "on",
    "diagnosis",
    "dx",
    "onset",
    "presentation",
    "first",
    "initial",
    "about",
    "approx",
    "approximately",
    "ca",
    "circa",
    "was",
    "is",
    "when",
    "the",
];

/// Words before a number of years that make it a duration, not an age: "for 2 years",
/// "over 3 years", "within 5 years".
pub const DURATION_BEFORE: &[&str] = &[
    "for", "over", "within", "after", "every", "past", "last", "next", "during", "per",
];

/// English number words of an age written out ("aged forty-eight"): units and teens, then
/// tens.
pub const NUMBER_WORDS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

/// Tens of [`NUMBER_WORDS`]: "twenty" is 20, "ninety" 90.
pub const TENS_WORDS: &[&str] = &[
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// Top-level domains after which a dotted word is a web address ("portal.example.org").
pub const TOP_LEVEL_DOMAINS: &[&str] = &[
    "com", "org", "net", "edu", "gov", "int", "mil", "info", "biz", "io", "health", "eu", "de",
    "fr", "uk", "it", "es", "nl", "ch", "at", "be", "us", "ca", "au", "se", "no", "dk", "fi", "pl",
    "pt", "ie", "nz", "jp", "cn", "ru", "br", "in", "co", "me", "lu", "gr", "cz", "tr",
];

/// Small words that may stand between the parts of a date: "3rd of March", "3 de marzo de
/// 2021", "am 3. März", "le 1er avril".
pub const DATE_CONNECTORS: &[&str] = &[
    "of", "the", "de", "del", "di", "der", "des", "du", "le", "la", "el", "il", "am", "em", "do",
    "da", "den", "im", "en", "a", "al",
];

/// Days of the month in English ordinal words ("March fifteenth", "the twenty-first of
/// March"): part of a date beside a month name (not before `-` or "line": "March
/// second-line therapy").
pub const DAY_ORDINALS: &[&str] = &[
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "thirtieth",
];

/// Ordinal endings written right after a day number: "3rd", "1er", "2e", "3º", "3ª".
pub const ORDINAL_ENDINGS: &[&str] = &[
    "st", "nd", "rd", "th", "er", "re", "e", "eme", "ieme", "o", "a", "ten", "ter",
];

/// Words before an age: "age 57", "aged 57", "âge 57" (and their German, Spanish,
/// Italian and Portuguese forms).
pub const AGE_BEFORE: &[&str] = &["age", "aged", "ages", "alter", "edad", "eta", "idade"];

/// Words after an age (or a number of years, which cannot be told from an age): "57
/// years", "57-year-old", "57 yo", "57y", "57 ans", "57 Jahre", "57 años", "57 anni", and
/// with the sex glued: "57yoF", "57 yom".
pub const AGE_AFTER: &[&str] = &[
    "year", "years", "yr", "yrs", "yo", "y", "yoa", "ans", "an", "jahre", "jahr", "jahrig", "anos",
    "ano", "anni", "anno", "jahrige", "jahriger", "jahrigen", "jahriges", "jahrigem", "jaehrig",
    "jaehrige", "j", "jr", "lj", "aa", "yof", "yom", "yowf", "yowm",
];

/// Classifications whose edition is a year ("FIGO 2018", "WHO 2021"): the year after one
/// of these names the edition, not a date of the patient, and is kept.
pub const EDITION_OF: &[&str] = &[
    "figo", "who", "ajcc", "uicc", "tnm", "isup", "eln", "imwg", "nccn", "esmo", "ctcae",
];

/// Units after which a number is a quantity (a dose, a size, a count, a duration), kept
/// whatever its length: "2000 mg", "50.4 Gy", "4 cycles", "12000/µL", "80%", "2-3 weeks".
/// Years are not among them: "57 years" may be an age (see [`AGE_AFTER`]).
pub const UNITS: &[&str] = &[
    "mg",
    "g",
    "kg",
    "mcg",
    "μg",
    "ug",
    "ng",
    "pg",
    "gy",
    "cgy",
    "mgy",
    "ml",
    "l",
    "dl",
    "μl",
    "ul",
    "iu",
    "u",
    "ui",
    "units",
    "unit",
    "mm",
    "cm",
    "m",
    "mmol",
    "μmol",
    "nmol",
    "mol",
    "kbq",
    "mbq",
    "gbq",
    "mci",
    "fx",
    "fraction",
    "fractions",
    "cycle",
    "cycles",
    "cy",
    "dose",
    "doses",
    "course",
    "courses",
    "x",
    "mm3",
    "mm2",
    "cm3",
    "cm2",
    "m2",
    "hpf",
    "cells",
    "copies",
    "mmhg",
    "bpm",
    "kcal",
    "times",
    "weeks",
    "week",
    "wk",
    "wks",
    "days",
    "day",
    "d",
    "months",
    "month",
    "mo",
    "mos",
    "hours",
    "hour",
    "h",
    "hrs",
    "min",
    "minutes",
    "nodes",
    "node",
    "ln",
    "lns",
    "tablets",
    "tablet",
    "tabs",
    "tab",
    "pills",
    "pill",
    "capsules",
    "capsule",
    "caps",
    "lesions",
    "lesion",
    "cores",
    "vials",
    "puffs",
    "drops",
];

/// Units of a count or a count per volume, written with six digits or more ("HBV DNA
/// 170000000 IU/mL", "1200000 copies/mL", "100000 units"): before any other unit a number
/// of six digits or more is no quantity but an identifier ("12345678 mg").
pub const COUNT_UNITS: &[&str] = &[
    "copies",
    "cells",
    "iu",
    "u",
    "ui",
    "units",
    "unit",
    "cfu",
    "particles",
    "events",
];

/// Unit words that also name a time point when a number follows them ("day 1", "mo 6",
/// "cycle 2"): then they are not the unit of the number before them ("15.03 mo 6").
pub const TIME_POINTS: &[&str] = &[
    "day", "d", "week", "wk", "month", "mo", "cycle", "cy", "course", "dose", "fraction", "fx",
];

/// Street types written after the street's name ("221B Baker Street", "1600 Pennsylvania
/// Ave"): after a house number and one to three Capitalised words, an address.
pub const STREET_AFTER: &[&str] = &[
    "street",
    "road",
    "avenue",
    "boulevard",
    "blvd",
    "lane",
    "terrace",
    "crescent",
    "highway",
    "hwy",
    "parkway",
    "pkwy",
    "strasse",
    "drive",
    "court",
    "square",
];

/// Street types of [`STREET_AFTER`] that are also everyday words or abbreviations ("St"
/// saint, "close", "place", "way"; in capitals `ST`, `AV`, `CT`, `LN` are clinical):
/// an address only when written Capitalised ("Baker St", not "ECG ST elevation"). Not
/// "walk" or "hill" ("6 Minute Walk", "Hill-Sachs").
pub const STREET_AFTER_CAPITALISED: &[&str] = &[
    "st", "rd", "ave", "av", "close", "place", "way", "row", "mews", "gardens", "grove", "dr",
    "ct", "pl", "sq", "ln",
];

/// Street types written before the street's name ("12 rue de la Paix", "Via Roma 12",
/// "calle Mayor 5"): after a house number, or before a name and a house number.
pub const STREET_BEFORE: &[&str] = &[
    "rue",
    "avenue",
    "boulevard",
    "bd",
    "bld",
    "allee",
    "impasse",
    "chemin",
    "quai",
    "calle",
    "avenida",
    "avda",
    "viale",
    "piazza",
    "piazzale",
    "rua",
    "travessa",
    "praca",
    "strasse",
];

/// Street types of [`STREET_BEFORE`] that are also everyday words ("given via PICC"): an
/// address only when written Capitalised.
pub const STREET_BEFORE_CAPITALISED: &[&str] = &["via", "corso", "largo", "place", "plaza"];

/// Endings of German street names written as one word ("Hauptstr. 5", "Lindenweg 3"):
/// a Capitalised word ending so, before a house number, is an address.
pub const STREET_ENDINGS: &[&str] = &["strasse", "str", "gasse", "weg", "platz", "allee", "damm"];

/// Words after which a small number is a grade, a stage, a line, a count or a marker's name
/// (kept): "Grade 3-4", "ECOG 0-1", "cycles 2/6", "CA 19-9", "CA 15-3", "pain 7/10".
pub const SCALE_WORDS: &[&str] = &[
    "grade", "grades", "g", "ecog", "stage", "line", "lines", "cycle", "cycles", "level", "ps",
    "kps", "nyha", "gleason", "score", "isup", "ctcae", "recist", "irecist", "lugano", "v",
    "version", "day", "days", "d", "week", "weeks", "c", "arm", "phase", "cohort", "ca", "pain",
    "vas", "nrs",
];

/// Words after which any number is an identifier or a date of the patient: "MRN 4471",
/// "DOB 04/07", "tel 06 12…", "#4471". The number is replaced whatever its length.
pub const ID_BEFORE: &[&str] = &[
    "mrn",
    "id",
    "ids",
    "nr",
    "num",
    "number",
    "record",
    "records",
    "accession",
    "acc",
    "pid",
    "nhs",
    "ssn",
    "dob",
    "born",
    "birth",
    "tel",
    "phone",
    "fax",
    "mobile",
    "ipp",
    "nip",
    "nir",
    "dni",
    "cpf",
    "case",
    "sample",
    "specimen",
    "block",
    "slide",
    "bed",
    "room",
    "zip",
    "postcode",
    "code",
    "codes",
];

/// Words after a number that make it a time of day: "9:45 pm", "10 am", "10 h 30".
pub const TIME_AFTER: &[&str] = &["am", "pm", "h", "hrs", "uhr", "z", "utc", "gmt"];

/// CJK date units: a number right before one of these is part of a date ("2021年3月3日").
pub const CJK_DATE_UNITS: &[char] = &['年', '月', '日', '号', '년', '월', '일'];

/// CJK numerals that may write a date's number ("三月", "十二月").
pub const CJK_NUMERALS: &[char] = &[
    '〇', '零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '千', '元',
];

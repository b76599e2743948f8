//! Red-team probe of `--deidentify` (issue 7 item 7, README "What `--deidentify` promises").
//! One test per adversarial spelling.
//!
//! Naming: `leak_*`   = a spelling that the promise says must be removed (fails today if it leaks);
//!         `over_*`   = a clinical text that must be kept (fails today if it is over-scrubbed);
//!         `perf_*`   = bounded time; `report_*` = report positions.
//! A failing test's message starts LEAK / OVER-SCRUB / PERF / REPORT and quotes input and output.
//!
//! Opt-in (`cargo test --features redteam-probe --test deid_redteam`): the known gaps of
//! issue 7's de-identification, kept as tests so that whoever closes a gap sees it pass.
//! Still FAILING: none of the `leak_*`/`over_*`/`beyond_*` tests (the last 10 —
//! beyond_month_inside_word(_chunk), leak_address_uk, leak_date_day_month_then_mo,
//! leak_date_may_caps, leak_date_month_spaced_letters, leak_date_yy_mm_dd_spaces_dots,
//! leak_name_cjk_given, leak_name_leet, leak_number_5_with_unit — were closed by branch
//! `deid2`, with copies in src/deidentify/scrub/tests.rs; the `leak2_*`/`over2_*` spellings
//! were added by `deid2` and pass).
//! Known gaps with no test here (README "What it cannot do"): a street in lower case
//! (`12 oak street`), a day alone (`on the 15th`), a UK
//! postcode without its space (`SW1A1AA`), an age in roman numerals or spaced digits.
//! The `perf_*` tests time debug builds against absolute bounds and fail on a loaded machine
//! (with load average 7 on 2 cores, perf_spaced_single_letters took 4.9–5.9 s against the
//! 5 s bound, the old code 3.7 s; perf_at_signs, perf_cjk, perf_dots, perf_may_digits,
//! perf_name_initials, perf_slashes, perf_day_range_lists have failed so too); the
//! benchmark measures release builds.

use std::time::{Duration, Instant};

use txline::deidentify::{Scrubber, deidentify, deidentify_with_report};
use txline::load::load_str;

const ID: &str = "QX58213";
const LABEL: &str = "Jane Q. Doe";

fn scrub_with(id: &str, label: &str, text: &str) -> String {
    Scrubber::new(id, label, "Patient").scrub(text).text
}

/// `text` scrubbed for patient QX58213 / "Jane Q. Doe" must not contain any of `gone`.
fn gone(text: &str, gone: &[&str]) {
    gone_for(ID, LABEL, text, gone)
}

fn gone_for(id: &str, label: &str, text: &str, gone: &[&str]) {
    let out = scrub_with(id, label, text);
    for g in gone {
        assert!(
            !out.contains(g),
            "LEAK: input {text:?} (id {id:?}, label {label:?}) → {out:?} still holds {g:?}"
        );
    }
}

/// `text` must be kept exactly: a clinical quantity.
fn kept(text: &str, keep: &str) {
    let out = scrub_with(ID, LABEL, text);
    assert!(
        out.contains(keep),
        "OVER-SCRUB: input {text:?} → {out:?} lost {keep:?}"
    );
}

macro_rules! leak {
    ($($name:ident: $text:expr => [$($g:expr),+];)+) => {$(
        #[test]
        fn $name() { gone($text, &[$($g),+]); }
    )+};
}
macro_rules! leak_for {
    ($($name:ident: ($id:expr, $label:expr) $text:expr => [$($g:expr),+];)+) => {$(
        #[test]
        fn $name() { gone_for($id, $label, $text, &[$($g),+]); }
    )+};
}
macro_rules! over {
    ($($name:ident: $text:expr => $k:expr;)+) => {$(
        #[test]
        fn $name() { kept($text, $k); }
    )+};
}

// ---------------------------------------------------------------- dates
leak! {
    leak_date_iso: "CT 2021-03-15 done" => ["2021", "03-15"];
    leak_date_glued: "CT2021-03-15" => ["2021", "03-15"];
    leak_date_cjk: "2021年3月3日" => ["2021", "3月", "3日"];
    leak_date_cjk_numerals: "二〇二一年三月三日" => ["三月", "三日", "二〇二一"];
    leak_date_fullwidth: "２０２１－０３－１５" => ["２０２１", "０３", "１５"];
    leak_date_superscript: "seen ²⁰²¹⁻⁰³⁻¹⁵" => ["²⁰²¹", "⁰³"];
    leak_date_math_bold_digits: "seen 𝟐𝟎𝟐𝟏-𝟎𝟑-𝟏𝟓" => ["𝟐𝟎𝟐𝟏", "𝟏𝟓"];
    leak_date_circled: "seen ②⓪②①" => ["②⓪②①"];
    leak_date_arabic_indic: "seen ٢٠٢١-٠٣-١٥" => ["٢٠٢١", "١٥"];
    leak_date_devanagari: "seen २०२१" => ["२०२१"];
    leak_date_zwsp_in_year: "seen 20\u{200B}21-03-15" => ["20\u{200B}21", "03-15"];
    leak_date_zwj_in_year: "seen 2\u{200D}0\u{200D}2\u{200D}1" => ["2\u{200D}0\u{200D}2\u{200D}1"];
    leak_date_soft_hyphen: "seen 20\u{AD}21" => ["20\u{AD}21"];
    leak_date_combining: "seen 2\u{0301}021-03-15" => ["021", "03-15"];
    leak_date_nbsp_parts: "seen 15\u{A0}March\u{A0}2021" => ["15\u{A0}", "March", "2021"];
    leak_date_thin_space_parts: "seen 15\u{2009}03\u{2009}2021" => ["15\u{2009}03"];
    leak_date_narrow_nbsp: "seen 15\u{202F}mars\u{202F}2021" => ["15\u{202F}", "mars"];
    leak_date_spaces: "2021 03 15" => ["2021", "03 15"];
    leak_date_15_mar_21: "PET 15-Mar-21" => ["15-", "Mar", "-21"];
    leak_date_march_15th: "March 15th, 2021" => ["March", "15th", "2021"];
    leak_date_march_15th_lower: "since march 15th" => ["march", "15th"];
    leak_date_q1: "relapse Q1 2021" => ["2021"];
    leak_date_apostrophe_year_alone: "relapse in spring '21" => ["'21"];
    leak_date_mm_yy: "relapse 03/21" => ["03/21"];
    leak_date_mm_yy_dash: "relapse 03-21" => ["03-21"];
    leak_date_german_short: "PET am 21.3." => ["21.3"];
    leak_date_german_short_single: "Beginn 1.3." => ["1.3."];
    leak_date_german_dd_m: "Beginn 15.3" => ["15.3"];
    leak_date_roman_month: "biopsy 15.III.2021" => ["III", "15."];
    leak_date_roman_month_no_year: "biopsy 15.III" => ["15.III"];
    leak_date_roman_month_unicode: "biopsy 15 Ⅲ 2021" => ["15", "Ⅲ"];
    leak_date_iso_timestamp: "2021-03-15T10:30Z" => ["2021", "10:30", "T10"];
    leak_date_iso_timestamp_offset: "2021-03-15T10:30:00+01:00" => ["2021", "10:30", "+01:00", "01:00"];
    leak_date_iso_week: "2021-W10-3" => ["2021", "W10"];
    leak_date_iso_ordinal: "2021-074" => ["2021", "074"];
    leak_date_compact: "20210315" => ["20210315"];
    leak_date_compact_short: "210315" => ["210315"];
    leak_date_3rd_of_march: "3rd of March 2021" => ["3rd", "March"];
    leak_date_fr: "le 3 mars 2021" => ["3 mars", "mars"];
    leak_date_fr_1er: "le 1er avril" => ["1er", "avril"];
    leak_date_de: "am 3. März 2021" => ["3.", "März"];
    leak_date_de_abbr_mrz: "am 3. Mrz." => ["Mrz"];
    leak_date_de_feber: "am 3. Feber" => ["Feber"];
    leak_date_de_maerz_lower: "im märz" => ["märz"];
    leak_date_es: "3 de marzo de 2021" => ["marzo", "3 de"];
    leak_date_it: "3 maggio" => ["maggio", "3 "];
    leak_date_it_abbr: "3 gen 2021" => ["3 gen", "gen"];
    leak_date_pt: "3 de março" => ["março", "3 de"];
    leak_date_pt_abbr: "3 out" => ["3 out"];
    leak_date_may_caps: "seen in MAY" => ["MAY"];
    leak_date_may_capitalised: "seen in May" => ["May"];
    leak_date_dec_beside_number: "dec 3" => ["dec 3"];
    leak_date_month_dotted_abbr: "Sept. 3" => ["Sept", "3"];
    leak_date_month_zwsp: "Ma\u{200B}rch 3, 2021" => ["Ma\u{200B}rch"];
    leak_date_month_cyrillic_a: "M\u{0430}rch 3" => ["M\u{0430}rch", "3"];
    leak_date_month_greek_omicron: "\u{039F}ctober 3" => ["\u{039F}ctober"];
    leak_date_month_spaced_letters: "M a r c h 3 rd" => ["M a r c h"];
    leak_date_time_10h30: "at 10h30" => ["10h30"];
    leak_date_time_9pm: "at 9 pm" => ["9 pm"];
    leak_date_time_9pm_dotted: "at 9 p.m." => ["9 p.m."];
    leak_date_time_colon_fullwidth: "at １０：３０" => ["１０：３０"];
    leak_date_year_word: "diagnosed in the year 2021" => ["2021"];
    leak_date_year_slash_month: "2021/3" => ["2021"];
    leak_date_month_year_digits: "3/2021" => ["2021", "3/"];
    leak_date_ddmmyy_dots: "15.03.21" => ["15.03.21"];
    leak_date_yy_mm_dd_spaces_dots: "21. 3. 15." => ["21. 3. 15."];
    leak_date_day_month_unit_d: "C1 started 15/03 day 1" => ["15/03"];
    leak_date_day_month_then_x: "given 12/03 x2" => ["12/03"];
    leak_date_month_year_then_cycles: "since 03/21 4 cycles" => ["03/21"];
    leak_date_day_month_then_mo: "restaged 15.03 mo 6" => ["15.03"];
}

// ---------------------------------------------------------------- ages
leak! {
    leak_age_word: "age 48" => ["48"];
    leak_age_colon: "Age: 48" => ["48"];
    leak_age_year_old: "48-year-old woman" => ["48-"];
    leak_age_yo: "48yo" => ["48"];
    leak_age_y_slash_o: "48 y/o" => ["48"];
    leak_age_y_dot_o_dot: "48 y.o." => ["48"];
    leak_age_yrs_old: "48 yrs old" => ["48"];
    leak_age_years_of_age: "48 years of age" => ["48"];
    leak_age_fullwidth: "age ４８" => ["４８"];
    leak_age_words_en: "aged forty-eight" => ["forty-eight"];
    leak_age_m_suffix: "48M with NSCLC" => ["48M"];
    leak_age_f_suffix: "48F with NSCLC" => ["48F"];
    leak_age_de_jaehrig: "48-jährige Patientin" => ["48"];
    leak_age_de_j: "48 J., weiblich" => ["48 J"];
    leak_age_fr_ans: "âgée de 48 ans" => ["48"];
    leak_age_es_anos: "48 años" => ["48"];
    leak_age_it_aa: "48 aa" => ["48 aa"];
    leak_age_at_diagnosis: "age at diagnosis 48" => ["48"];
    leak_age_zwsp: "age 4\u{200B}8" => ["4\u{200B}8"];
}

// ---------------------------------------------------------------- names (label "Jane Q. Doe")
leak! {
    leak_name_upper: "JANE DOE" => ["JANE", "DOE"];
    leak_name_lower: "jane doe" => ["jane", "doe"];
    leak_name_possessive: "Doe's scan" => ["Doe"];
    leak_name_reversed: "Doe, Jane" => ["Doe", "Jane"];
    leak_name_initials_dotted: "J.D. seen" => ["J.D."];
    leak_name_initials_jqd: "JQD seen" => ["JQD"];
    leak_name_initial_surname: "J. Doe" => ["J. Doe", "Doe"];
    leak_name_camel: "DoeJane" => ["Doe", "Jane"];
    leak_name_glued_lower: "janedoe" => ["janedoe"];
    leak_name_zwsp: "Ja\u{200B}ne" => ["Ja\u{200B}ne"];
    leak_name_zwj: "D\u{200D}oe" => ["D\u{200D}oe"];
    leak_name_soft_hyphen: "Ja\u{AD}ne" => ["Ja\u{AD}ne"];
    leak_name_combining: "Ja\u{0301}ne" => ["Ja\u{0301}ne"];
    leak_name_fullwidth: "Ｊａｎｅ" => ["Ｊａｎｅ"];
    leak_name_math_letters: "𝐉𝐚𝐧𝐞" => ["𝐉𝐚𝐧𝐞"];
    leak_name_cyrillic_homoglyph: "J\u{0430}ne D\u{043E}e" => ["J\u{0430}ne", "D\u{043E}e"];
    leak_name_greek_homoglyph: "D\u{03BF}e" => ["D\u{03BF}e"];
    leak_name_spaced_letters: "J a n e" => ["J a n e"];
    leak_name_dotted_letters: "D.o.e" => ["D.o.e"];
    leak_name_hyphen_split: "Ja-ne" => ["Ja-ne"];
    leak_name_email_local: "jane.doe@example.org" => ["jane", "example.org"];
    leak_name_in_url: "see example.org/jane-doe" => ["jane"];
    leak_name_plural: "the Does" => ["Does"];
    leak_name_leet: "D0e" => ["D0e"];
}

leak_for! {
    leak_name_diacritics_dropped: ("P1", "José Núñez") "Jose Nunez" => ["Jose", "Nunez"];
    leak_name_diacritics_added: ("P1", "Jose Nunez") "José Núñez" => ["José", "Núñez"];
    leak_name_umlaut_transliterated: ("P1", "Anna Müller") "A. Mueller" => ["Mueller"];
    leak_name_umlaut_transliterated_rev: ("P1", "Anna Mueller") "A. Müller" => ["Müller"];
    leak_name_eszett: ("P1", "Eva Strauß") "Strauss" => ["Strauss"];
    leak_name_polish_l_stroke: ("P1", "Łukasz Wałęsa") "Lukasz Walesa" => ["Lukasz", "Walesa"];
    leak_name_polish_l_stroke_rev: ("P1", "Lukasz Walesa") "Łukasz Wałęsa" => ["Łukasz", "Wałęsa"];
    leak_name_o_stroke: ("P1", "Øyvind Sørensen") "Oyvind Sorensen" => ["Oyvind", "Sorensen"];
    leak_name_ae_ligature: ("P1", "Ægir Dahl") "Aegir" => ["Aegir"];
    leak_name_serbian_dj: ("P1", "Đorđe Petrović") "Djordje Petrovic" => ["Petrovic"];
    leak_name_turkish_dotted_i: ("P1", "İlker Yılmaz") "ILKER YILMAZ" => ["ILKER", "YILMAZ"];
    leak_name_turkish_dotless: ("P1", "İlker Yılmaz") "ilker yilmaz" => ["ilker", "yilmaz"];
    leak_name_hyphenated_glued: ("P1", "Ann Smith-Jones") "SmithJones" => ["Smith", "Jones"];
    leak_name_hyphenated_lower: ("P1", "Ann Smith-Jones") "smithjones" => ["smithjones"];
    leak_name_hyphenated_space: ("P1", "Ann Smith-Jones") "Smith Jones" => ["Smith", "Jones"];
    leak_name_apostrophe_name: ("P1", "Sean O'Brien") "OBrien" => ["OBrien"];
    leak_name_apostrophe_typographic: ("P1", "Sean O'Brien") "O’Brien" => ["Brien"];
    leak_name_mc: ("P1", "Amy McDonald") "Mc Donald" => ["Donald"];
    leak_name_van_der: ("P1", "Piet van der Berg") "Vanderberg" => ["Vanderberg"];
    leak_name_cjk: ("P1", "王小明") "王小明" => ["王小明"];
    leak_name_cjk_given: ("P1", "王小明") "小明" => ["小明"];
    leak_name_cjk_spaced: ("P1", "王 小明") "小明" => ["小明"];
    leak_name_arabic_alef: ("P1", "أحمد") "احمد" => ["احمد"];
    leak_name_nickname_prefix: ("P1", "Katherine Doe") "Kathy Doe" => ["Doe"];
}

// ---------------------------------------------------------------- ids
leak! {
    leak_id_plain: "QX58213" => ["QX58213"];
    leak_id_lower: "qx58213" => ["qx58213"];
    leak_id_inside: "fileQX58213b" => ["QX58213", "58213"];
    leak_id_dash: "QX-58213" => ["58213"];
    leak_id_spaced: "QX 58 213" => ["QX 58 213", "58 213"];
    leak_id_comma_thousands: "QX 58,213" => ["58,213"];
    leak_id_dots: "Q.X.5.8.2.1.3" => ["Q.X.5.8.2.1.3"];
    leak_id_zwsp: "QX58\u{200B}213" => ["58\u{200B}213"];
    leak_id_fullwidth: "ＱＸ５８２１３" => ["ＱＸ５８２１３"];
    leak_id_cyrillic_x: "Q\u{0425}58213" => ["Q\u{0425}"];
    leak_id_letter_o: "QX582l3" => ["QX582l3"];
    leak_id_newline: "QX\n58213" => ["QX\n58213"];
}

leak_for! {
    leak_id_p001_dash: ("P001", "Jane Doe") "see P-001" => ["P-001"];
    leak_id_p001_space: ("P001", "Jane Doe") "see P 001" => ["P 001"];
    leak_id_p001_nozero: ("P001", "Jane Doe") "see P-1" => ["P-1"];
    leak_id_p001_inside: ("P001", "Jane Doe") "scanP001x" => ["P001"];
    leak_id_dashed_written_glued: ("P-001", "Jane Doe") "see P001" => ["P001"];
    leak_id_short_2: ("AB", "Jane Doe") "see A B" => ["A B"];
    leak_id_numeric_spaced: ("4471", "Jane Doe") "see 44 71" => ["44 71"];
    leak_id_numeric_3: ("447", "Jane Doe") "see 4 4 7" => ["4 4 7"];
    leak_id_leading_zeros: ("0042", "Jane Doe") "pt 42" => ["42"];
}

// ---------------------------------------------------------------- numbers, contacts, addresses
leak! {
    leak_mrn: "MRN 12345678" => ["12345678"];
    leak_mrn_colon: "MRN: 1234" => ["1234"];
    leak_mrn_short: "MRN 123" => ["123"];
    leak_mrn_fullwidth: "ＭＲＮ １２３" => ["１２３"];
    leak_hash: "#123" => ["123"];
    leak_mrn_after_word: "MRN is 123" => ["123"];
    leak_number_any_4: "code 4471" => ["4471"];
    leak_number_thin_space_groups: "code 44\u{2009}71" => ["44\u{2009}71"];
    leak_number_spaced_digits: "code 4 4 7 1" => ["4 4 7 1"];
    leak_number_5_with_unit: "12345678 mg" => ["12345678"];
    leak_phone_fr: "06 12 34 56 78" => ["34 56 78"];
    leak_phone_fr_dots: "06.12.34.56.78" => ["34.56.78", "56.78"];
    leak_phone_intl: "+33 6 12 34 56 78" => ["34 56 78", "12 34"];
    leak_phone_us_parens: "(555) 123-4567" => ["555", "4567"];
    leak_phone_us_dashes: "555-123-4567" => ["555-123", "4567"];
    leak_phone_us_short: "call 555-0100" => ["555", "0100"];
    leak_phone_uk: "+44 20 7946 0958" => ["7946", "0958", "+44 20"];
    leak_email: "jane@example.org" => ["jane@example.org", "example.org"];
    leak_email_fullwidth_at: "jdoe＠example.org" => ["example.org"];
    leak_email_small_at: "jdoe﹫example.org" => ["example.org"];
    leak_email_obfuscated: "jdoe [at] example [dot] org" => ["jdoe", "example"];
    leak_email_at_word: "jdoe(at)example.org" => ["example.org"];
    leak_url_scheme: "https://portal.example.org/r/77" => ["example.org"];
    leak_url_www: "www.example.org" => ["example.org"];
    leak_url_bare_domain: "portal.example.org/records/77" => ["portal.example.org", "records/77"];
    leak_url_fullwidth_colon: "https：／／example.org" => ["example.org"];
    leak_address_uk: "lives at 221B Baker Street, London NW1 6XE" => ["221B", "NW1 6XE"];
    leak_address_fr: "12 rue de la Paix, 75002 Paris" => ["75002"];
    leak_address_us: "1600 Pennsylvania Ave, Washington DC 20500" => ["1600", "20500"];
    leak_address_de_plz: "Hauptstr. 5, 10115 Berlin" => ["10115"];
    leak_ip: "host 192.168.1.10" => ["192.168.1.10"];
    leak_ssn: "SSN 123-45-6789" => ["123-45", "6789"];
    leak_accession_glued: "S21-12345" => ["21-12345", "12345"];
    leak_accession_letters: "accession AB12" => ["AB12"];
}

// ---------------------------------------------------------------- over-scrubbing (should be kept)
over! {
    over_grade: "Grade 3 neutropenia" => "Grade 3";
    over_grade_range: "Grade 3-4" => "Grade 3-4";
    over_ecog: "ECOG 0-1" => "ECOG 0-1";
    over_dose: "Cisplatin 75 mg/m² d1" => "75 mg/m²";
    over_dose_big: "5-FU 2400 mg/m2 over 46 h" => "2400 mg/m2";
    over_dose_spaced_thousands: "10 000 IU" => "10 000 IU";
    over_dose_comma: "2,000 mg" => "2,000 mg";
    over_gy: "50.4 Gy in 28 fx" => "50.4 Gy";
    over_percent: "PD-L1 80%" => "80%";
    over_ki67_range: "Ki-67 20-30%" => "20-30%";
    over_tnm: "pT2N1M0" => "pT2N1M0";
    over_gleason: "Gleason 4+3=7" => "4+3=7";
    over_recist: "RECIST 1.1" => "RECIST 1.1";
    over_figo: "FIGO 2018" => "FIGO 2018";
    over_ca_15_3: "CA 15-3" => "15-3";
    over_ca_19_9: "CA 19-9" => "19-9";
    over_ca_27_29: "CA 27.29" => "27.29";
    over_nodes: "3/12 nodes positive" => "3/12";
    over_nodes_paren: "pN1 (2/15)" => "2/15";
    over_pain: "pain 7/10" => "7/10";
    over_tablets: "1-2 tablets" => "1-2";
    over_bp: "BP 120/80" => "120/80";
    over_dex_days: "Dex 40 mg d1-4, 9-12, 17-20" => "9-12";
    over_rchop: "R-CHOP-21 x6" => "R-CHOP-21";
    over_chop14: "CHOP-14" => "CHOP-14";
    over_translocation: "t(11;14)" => "t(11;14)";
    over_fraction: "2/3 of the dose" => "2/3";
    over_cd: "CD20+" => "CD20";
    over_hb: "Hb 9.8 g/dL" => "9.8";
    over_platelets: "PLT 150,000/µL" => "150,000";
    over_ldh: "LDH 1234 U/L" => "1234";
    over_may_verb: "The dose may be reduced" => "may";
    over_ruled_out: "Metastasis ruled out" => "out";
    over_oct: "OCT normal" => "OCT";
    over_dic: "DIC suspected" => "DIC";
    over_mar_heading_word: "Reduced dose; Mayo protocol" => "Mayo";
    over_jun_gene: "c-Jun amplified" => "Jun";
    over_exon: "EGFR exon 19 del" => "exon 19";
    over_line: "2nd line" => "2nd";
    over_version: "CTCAE v5.0" => "v5.0";
    over_duration_years: "for 2 years" => "2 years";
    over_q3w: "q3w" => "q3w";
    over_c3d1: "C3D1" => "C3D1";
}

// ---------------------------------------------------------------- whole timeline fields

fn tl(body: &str) -> String {
    format!(
        r#"(
    format: 1,
    patient: (id: "QX58213", label: "Jane Q. Doe"{body}),
    phases: [(therapy: Chemotherapy, start: 0, end: 30, name: "FOLFOX", detail: "seen 2021-03-15")],
)"#
    )
}

#[test]
fn leak_age_band_field_exact_age() {
    // patient.age_band is free text the user writes when age is absent: "48" is an exact age.
    let src = tl(", age_band: \"48\"");
    let t = load_str(&src, "t.ron", None).expect("loads").timeline;
    let d = deidentify(&t, None);
    assert_ne!(
        d.patient.age_band.as_deref(),
        Some("48"),
        "LEAK: patient.age_band \"48\" survives as the exact age"
    );
}

#[test]
fn leak_sex_field_age() {
    let src = tl(", sex: \"F, 48 y\"");
    let t = load_str(&src, "t.ron", None).expect("loads").timeline;
    let d = deidentify(&t, None);
    assert!(
        !d.patient.sex.as_deref().unwrap_or("").contains("48"),
        "{:?}",
        d.patient.sex
    );
}

#[test]
fn leak_every_field() {
    let s = "Jane 2021-03-15 QX58213";
    let src = format!(
        r#"(
    format: 1,
    patient: (id: "QX58213", label: "Jane Q. Doe", sex: "{s}", diagnosis: "{s}", stage: "{s}"),
    phases: [(therapy: Chemotherapy, start: 0, end: 30, name: "{s}", detail: "{s}", lane: "{s}")],
    statuses: [(state: Progression, start: 40, end: 50, label: "{s}")],
    responses: [(at: 35, result: PR, criteria: "{s}", method: "{s}", note: "{s}")],
    events: [(at: 3, kind: Diagnosis, label: "{s}", note: "{s}")],
    intervals: [(label: "{s}", start: 0, end: 9)],
    measurements: [(name: "{s}", unit: "{s}", points: [(0, 1.0), (9, 2.0)])],
    images: [(at: 4, path: "x-{s}.png", caption: "{s}")],
)"#
    );
    let l = match load_str(&src, "t.ron", None) {
        Ok(l) => l,
        Err(e) => panic!("{e:?}"),
    };
    let d = deidentify(&l.timeline, None);
    let dbg = format!("{d:?}");
    for needle in ["Jane", "2021", "QX58213"] {
        assert!(!dbg.contains(needle), "LEAK {needle} in {dbg}");
    }
}

// ---------------------------------------------------------------- chunking (texts > 256 KiB)

const CHUNK: usize = 256 * 1024;

#[test]
fn leak_chunk_boundary_id() {
    // A long unbroken token: the scrub is cut at exactly CHUNK bytes, inside the id.
    let text = format!("{}QX58213{}", "a".repeat(CHUNK - 3), "a".repeat(100));
    let out = scrub_with(ID, LABEL, &text);
    assert!(
        !out.contains("QX5"),
        "LEAK: id cut at the chunk boundary survives: ...{:?}",
        &out[CHUNK - 10..CHUNK + 10]
    );
}

#[test]
fn leak_chunk_boundary_name_camel() {
    let text = format!("{}JaneDoe{}", "x".repeat(CHUNK - 2), "y".repeat(100));
    let out = scrub_with(ID, LABEL, &text);
    // The whole glued word may be replaced: the output can be shorter than CHUNK.
    let near: String = out.chars().skip(CHUNK - 10).take(30).collect();
    assert!(
        !near.contains("Ja") || !near.contains("ne"),
        "LEAK: {near:?}"
    );
    assert!(!out.contains("JaneDoe"), "LEAK: whole name");
}

/// Not chunk-specific: a month glued inside letters ("xxMarchyy") is never found (short control
/// below too); beyond the promise, kept for the record.
#[test]
fn beyond_month_inside_word_chunk() {
    // cut after punctuation: "...,Mar" | "ch 2021"? Use a long run with no spaces.
    let text = format!("{}March{}", "x".repeat(CHUNK - 3), "y".repeat(100));
    let out = scrub_with(ID, LABEL, &text);
    let near: String = out[CHUNK - 10..].chars().take(30).collect();
    assert!(
        !near.contains("Mar"),
        "LEAK: month cut by the chunk boundary: {near:?}"
    );
}

#[test]
fn leak_chunk_boundary_date_after_space() {
    // The piece ends at the last white space in the second half: "... 15 " | "March" — beside
    // a date across the cut.
    let text = format!("{} 15 {}", "x".repeat(CHUNK - 4), "March, 2021 end");
    let out = scrub_with(ID, LABEL, &text);
    let tail: String = out
        .chars()
        .rev()
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    assert!(
        !tail.contains(" 15 "),
        "LEAK: day before a month across the cut: {tail:?}"
    );
}

#[test]
fn leak_chunk_boundary_age() {
    let text = format!("{} age\n48 {}", "x".repeat(CHUNK - 10), "tail");
    let out = scrub_with(ID, LABEL, &text);
    assert!(!out.contains("48"), "LEAK: age across the line-break cut");
}

// ---------------------------------------------------------------- performance (1 MB adversarial)

fn timed(name: &str, text: &str) -> Duration {
    let s = Scrubber::new(ID, LABEL, "Patient");
    let t0 = Instant::now();
    let out = s.scrub(text);
    let dt = t0.elapsed();
    eprintln!(
        "perf {name}: {} bytes in {:?} ({} changes)",
        text.len(),
        dt,
        out.changes.len()
    );
    dt
}

fn perf_case(name: &str, unit: &str) {
    let n = (1 << 20) / unit.len();
    let small = unit.repeat(n / 8);
    let big = unit.repeat(n);
    let a = timed(&format!("{name} 128K"), &small);
    let b = timed(&format!("{name} 1M"), &big);
    // linear: 8x the text, well under 20x the time; and absolute bound.
    assert!(b < Duration::from_secs(5), "PERF {name}: 1 MB took {b:?}");
    assert!(
        b.as_secs_f64() < 20.0 * a.as_secs_f64().max(0.005),
        "PERF {name}: not linear ({a:?} → {b:?})"
    );
}

#[test]
fn perf_slashes() {
    perf_case("1/1/1", "1/");
}
#[test]
fn perf_dots() {
    perf_case("1.1.1", "1.");
}
#[test]
fn perf_dashes_no_space() {
    perf_case("12-", "12-");
}
#[test]
fn perf_jan() {
    perf_case("Jan Jan", "Jan ");
}
#[test]
fn perf_jan_glued() {
    perf_case("JanJan", "Jan");
}
#[test]
fn perf_may_digits() {
    perf_case("may 1", "may 1 ");
}
#[test]
fn perf_spaced_digits() {
    perf_case("1 2 3", "1 ");
}
#[test]
fn perf_digits_only() {
    perf_case("digits", "1");
}
#[test]
fn perf_of_the() {
    perf_case("3rd of the", "3rd of the ");
}
#[test]
fn perf_name_initials() {
    perf_case("J. D. ", "J. D. ");
}
#[test]
fn perf_id_prefix() {
    perf_case("QX5821", "QX5821");
}
#[test]
fn perf_at_signs() {
    perf_case("@", "a@");
}
#[test]
fn perf_zwsp() {
    perf_case("zwsp", "1\u{200B}");
}
#[test]
fn perf_combining() {
    perf_case("combining", "a\u{0301}\u{0302}\u{0303}");
}
#[test]
fn perf_cjk() {
    perf_case("cjk", "3年");
}
#[test]
fn perf_age_words() {
    perf_case("age", "age 4 ");
}

#[test]
fn perf_name_pieces() {
    perf_case("Ja-", "Ja-");
}
#[test]
fn perf_spaced_single_letters() {
    perf_case("J a ", "J a ");
}
#[test]
fn perf_domains() {
    perf_case("a.org.", "a.org.");
}
#[test]
fn perf_spelled_at() {
    perf_case("[at] ", "x [at] ");
}
#[test]
fn perf_day_range_lists() {
    perf_case("d1-4, ", "1-4, ");
}

/// Scrubber::new builds every run of the label's initials: O(words²) strings of O(words)
/// characters — cubic in the label's length.
#[test]
fn perf_long_label_scrubber_new() {
    let mut dts = Vec::new();
    for words in [200usize, 400] {
        let label: String = (0..words)
            .map(|i| format!("W{i:04x}x "))
            .collect::<String>();
        let label: String = label.chars().filter(|c| !c.is_ascii_digit()).collect();
        let t0 = Instant::now();
        let s = Scrubber::new("P1", &label, "Patient");
        let dt = t0.elapsed();
        drop(s);
        eprintln!(
            "perf Scrubber::new: label of {words} words ({} bytes): {dt:?}",
            label.len()
        );
        dts.push(dt);
    }
    assert!(
        dts[1] < Duration::from_millis(200),
        "PERF: a label of 400 words ({} bytes) takes {:?} to build the scrubber (cubic: 2x words → {:.1}x time)",
        400 * 7,
        dts[1],
        dts[1].as_secs_f64() / dts[0].as_secs_f64()
    );
}

// ---------------------------------------------------------------- report

#[test]
fn report_positions_are_the_values() {
    let src = "(\n    format: 1,\n    patient: (id: \"QX58213\", label: \"Jane Q. Doe\",\n        diagnosis: \"NSCLC dx 2021-03-15\"),\n    events: [\n        (at: 3, kind: Diagnosis,\n         label: \"CT 2021-03-16\", note: \"seen by Jane\"),\n    ],\n)";
    let t = load_str(src, "t.ron", None).expect("loads").timeline;
    let (_, rep) = deidentify_with_report(&t, None);
    let text = rep.to_text("t.ron", Some(src));
    eprintln!("{text}");
    let expect = |needle: &str, orig: &str| {
        // the 1-based line:col of the opening quote of the value (or of the value itself)
        let at = src.find(needle).unwrap();
        let line = src[..at].matches('\n').count() + 1;
        let col = at - src[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
        let want_q = format!("t.ron:{line}:{col}:");
        let want_q1 = format!("t.ron:{line}:{}:", col + 1);
        let l = text
            .lines()
            .find(|l| l.contains(&format!("{orig:?}")))
            .unwrap_or_else(|| panic!("REPORT: no line for {orig:?}\n{text}"));
        assert!(
            l.starts_with(&want_q) || l.starts_with(&want_q1),
            "REPORT: {orig:?} reported at {l:?}, value is at {want_q}"
        );
    };
    expect("\"NSCLC", "2021-03-15");
    expect("\"CT 2021", "2021-03-16");
    expect("\"seen by", "Jane");
    expect("\"Jane Q. Doe\"", "Jane Q. Doe");
    expect("\"QX58213\"", "QX58213");
    assert_eq!(
        rep.replacements(),
        text.lines().filter(|l| l.starts_with("t.ron:")).count()
    );
}

// ---------------------------------------------------------------- controls for the chunk cases (short texts)
leak! {
    control_camel_inside_word: "xxJaneDoeyy" => ["JaneDoe"];
    control_id_inside_long_word: "aaaaQX58213aa" => ["QX5"];
    control_day_before_month: "x 15 March, 2021 end" => [" 15 "];
    control_age_newline: "x age\n48 tail" => ["48"];
}

leak! {
    beyond_month_inside_word: "PETMarch 3" => ["March"];
}

/// PANIC: `cut_at` slices `text[CHUNK / 2..]` without checking the char boundary: any free
/// text over 256 KiB with a multi-byte character across byte 131072 aborts `--deidentify`.
#[test]
fn panic_chunk_cut_not_char_boundary() {
    let text = "€".repeat(100_000); // 300 kB, 131072 % 3 != 0
    let out = scrub_with(ID, LABEL, &text);
    assert_eq!(out.len(), text.len());
}

#[test]
fn panic_chunk_cut_cjk_note() {
    let text = "患者は化学療法を受けた。".repeat(10_000);
    let _ = scrub_with(ID, LABEL, &text);
}

// ---------------------------------------------------------------- more spellings (branch deid2)
leak! {
    leak2_date_march_the_3rd: "seen March the 3rd" => ["March", "3rd"];
    leak2_date_the_3rd_of_march: "on the 3rd of March" => ["3rd", "March"];
    leak2_date_m_d: "relapse 3/15" => ["3/15"];
    leak2_date_mar_dot_15th: "Mar. 15th" => ["Mar", "15th"];
    leak2_date_mid_march: "mid-March 2021" => ["March", "2021"];
    leak2_date_ymd_dots: "2021.03.15" => ["2021", "03.15"];
    leak2_date_dob_us: "DOB: 3/15/73" => ["3/15", "73"];
    leak2_date_born_dot: "b. 1973" => ["1973"];
    leak2_date_caps_ordinal: "MARCH 3RD" => ["MARCH", "3RD"];
    leak2_date_time_uhr: "um 14.30 Uhr" => ["14.30"];
    // ("at 14h" alone is kept: "over 46 h" is a duration, and a bare "14h" cannot be told
    // from one.)
    leak2_date_time_14h00: "at 14h00" => ["14h00"];
    leak2_date_roman_dots: "15.III.2021" => ["15.III", "2021"];
    leak2_date_spaced_dots_long_year: "3. 11. 2021" => ["3. 11", "2021"];
    leak2_date_month_glued_digits: "CTMarch2021" => ["March", "2021"];
    leak2_date_spelled_june: "J-u-n-e 3" => ["J-u-n-e"];
    leak2_age_48_year_old: "a 48-year-old" => ["48"];
    leak2_age_48yo: "48yo F" => ["48"];
    leak2_age_48_y: "48 y" => ["48 y"];
    leak2_age_48yrs: "48yrs" => ["48"];
    leak2_age_year_old_spaced: "48 year old" => ["48 "];
    leak2_age_words_colon: "age: forty eight" => ["forty"];
    leak2_age_ninety_two: "ninety-two years old" => ["ninety"];
    leak2_id_underscore: "QX_58213" => ["58213"];
    leak2_id_slash: "QX/58213" => ["58213"];
    leak2_id_spaced_letters: "Q X 5 8 2 1 3" => ["5 8 2 1 3"];
    leak2_id_dashed_letters: "Q-X-5-8-2-1-3" => ["5-8-2-1-3"];
    leak2_id_parens: "(QX58213)" => ["QX58213"];
    leak2_id_split_groups: "QX 5821 3" => ["5821 3"];
    leak2_id_number_alone: "pt 58213" => ["58213"];
    leak2_mrn_hash_glued: "MRN#12345678" => ["12345678"];
    leak2_mrn_glued: "mrn12345678" => ["12345678"];
    leak2_name_dashed_letters: "J-a-n-e" => ["J-a-n-e"];
    leak2_name_underscore: "jane_doe" => ["jane", "doe"];
    leak2_name_caps_reversed: "DOE, JANE Q" => ["DOE", "JANE"];
    leak2_name_title: "Ms. Doe" => ["Doe"];
    leak2_name_initial_glued: "JDoe" => ["Doe"];
    leak2_name_initial_glued_lower: "contact jdoe" => ["jdoe"];
    leak2_name_spaced_caps: "D O E" => ["D O E"];
    leak2_name_leet_full: "J4N3 D03" => ["J4N3", "D03"];
    leak2_address_downing: "10 Downing St" => ["10 Downing"];
    leak2_address_flat: "Flat 3, 12 Oak Road" => ["12 Oak", "Oak Road"];
    leak2_address_postcode_sw1a: "London SW1A 1AA" => ["SW1A 1AA"];
    leak2_address_zip: "Beverly Hills, CA 90210" => ["90210"];
    leak2_address_ca: "Ottawa ON K1A 0B1" => ["K1A 0B1"];
    leak2_address_de: "Lindenweg 3, 80331 München" => ["Lindenweg 3", "80331"];
    leak2_address_es: "calle Mayor 5" => ["Mayor 5"];
    leak2_number_million_mg: "1000000 mg" => ["1000000"];
    leak2_age_yof: "48yoF with NSCLC" => ["48"];
    leak2_name_surname_initial_glued: "contact doej" => ["doej"];
    leak2_id_number_spaced: "5 8 2 1 3" => ["5 8 2 1 3"];
    leak2_id_number_dash: "ref 58-213" => ["58-213"];
    leak2_id_number_dot: "ref 58.213" => ["58.213"];
    leak2_address_name_type_number: "Baker Street 221B, London" => ["Baker Street", "221B"];
    leak2_date_spaced_ymd: "2021 3 15" => ["2021", "3 15"];
    leak2_date_day_words_after: "seen March fifteenth" => ["fifteenth"];
    leak2_date_day_words_before: "on the twenty-first of March" => ["twenty", "first"];
}

leak_for! {
    leak2_name_cjk_in_sentence: ("P1", "王小明") "患者小明接受化疗" => ["小明"];
    leak2_name_japanese_given: ("P1", "山田太郎") "太郎さん" => ["太郎"];
    leak2_name_korean_given: ("P1", "김민준") "민준이가 왔다" => ["민준"];
    leak2_name_leet_label_i: ("P1", "İlker Yılmaz") "1lker" => ["1lker"];
}

over! {
    over2_may_warning: "MAY CAUSE DROWSINESS" => "MAY";
    over2_mar_acronym: "MAR reviewed" => "MAR";
    over2_ecg_st: "12 ECG ST elevation" => "ST elevation";
    over2_walk_test: "6 Minute Walk Test" => "6 Minute Walk";
    over2_via_port: "given via PICC 2 doses" => "PICC 2 doses";
    over2_cd4_2nd: "CD4 2nd line" => "CD4 2nd";
    over2_units_after_stage: "pt1 2cm" => "2cm";
    over2_viral_load: "HBV DNA 170000000 IU/mL" => "170000000";
    over2_copies: "HIV RNA 1200000 copies/mL" => "1200000";
    over2_platelets_plain: "PLT 150000/µL" => "150000";
    over2_nystatin: "nystatin 100000 units" => "100000";
    over2_decimal_g: "Hb 10.02 g/dL" => "10.02";
    over2_sentence_number: "Dose reduced to 75. 3 cycles given." => "75. 3 cycles";
    over2_marchiafava: "Marchiafava-Bignami" => "Marchiafava";
    over2_mayo_glued: "PETMayo" => "Mayo";
    over2_hba1c: "HbA1c 7.1" => "HbA1c";
    over2_tnm_glued: "T1N0M0" => "T1N0M0";
    over2_letters: "grade A B" => "A B";
    over2_second_line: "since March second-line therapy" => "second-line";
}

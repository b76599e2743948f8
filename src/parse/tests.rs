//! Parse tests: every problem in one pass, at its line and column.

use super::*;
use crate::diagnostics::Diagnostic;

fn run(text: &str) -> (Option<RawTimeline>, Vec<Diagnostic>) {
    let mut d = Diagnostics::new("t.ron");
    let p = parse(text, &mut d).map(|p| p.raw);
    (p, d.into_sorted())
}

fn messages(text: &str) -> Vec<String> {
    run(text).1.iter().map(|d| d.to_string()).collect()
}

#[test]
fn paths_print_like_the_file() {
    let p = Path::ROOT.field("phases").index(2).field("end");
    assert_eq!(p.to_string(), "phases[2].end");
    assert_eq!(Path::ROOT.describe(), "the timeline");
    let p = Path::ROOT
        .field("measurements")
        .index(0)
        .field("points")
        .index(3);
    assert_eq!(p.to_string(), "measurements[0].points[3]");
}

#[test]
fn reads_a_file_with_names_comments_and_attribute() {
    let text = "#![enable(implicit_some)]\n// c\nTimeline(format: 1, patient: Patient(id: \"P\"),\n phases: [Phase(therapy: Surgery, start: \"2021\")])";
    let (raw, d) = run(text);
    assert!(d.is_empty(), "{d:?}");
    let raw = raw.unwrap();
    assert_eq!(raw.format, Some(1));
    assert_eq!(raw.patient.unwrap().id, "P");
    assert_eq!(raw.phases.len(), 1);
}

#[test]
fn locates_values_by_path() {
    let text = "(\n  format: 1,\n  phases: [\n    (therapy: Surgery, start: \"2021\"),\n    (therapy: Surgery, start: \"2021\", end: \"2020\"),\n  ],\n)";
    let mut d = Diagnostics::new("t");
    let p = parse(text, &mut d).unwrap();
    let pos = p
        .map
        .locate(&Path::ROOT.field("phases").index(1).field("end"));
    assert_eq!((pos.line, pos.column), (5, 44));
    let pos = p.map.locate(&Path::ROOT.field("format"));
    assert_eq!((pos.line, pos.column), (2, 11));
}

#[test]
fn ron_white_space_keeps_every_problem_and_its_place() {
    // Each character RON skips as white space, between tokens: the scanner used to stop
    // at it, and the file's problems collapsed into one message without LINE:COL.
    for ws in [
        "\x0B", "\u{85}", "\u{200E}", "\u{200F}", "\u{2028}", "\u{2029}",
    ] {
        let text = format!(
            "({ws}format: 1,\n  patient: (id: 5),\n  phases: [(therapy: Surgry,{ws} start: \"2021\")],{ws})"
        );
        let m = messages(&text);
        assert_eq!(m.len(), 2, "{ws:?}: {m:?}");
        assert!(m[0].starts_with("t.ron:2:17: error:"), "{ws:?}: {m:?}");
        assert!(m[1].starts_with("t.ron:3:22: error:"), "{ws:?}: {m:?}");
    }
    // Trailing text starts past RON's blanks (U+2028), at the first that is not one (U+3000).
    let m = messages("(format: 1, patient: (id: \"x\"))\u{2028}\u{3000}x");
    assert!(m[0].starts_with("t.ron:1:33: error: syntax error"), "{m:?}");
}

#[test]
fn trailing_text_is_pointed_at_where_it_starts() {
    let m = messages("(format: 1, patient: (id: \"x\")) garbage");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].starts_with("t.ron:1:33: error: syntax error: unexpected text after"),
        "{m:?}"
    );
    let m = messages("(format: 1, patient: (id: \"x\"))\r\n\r\n  (format: 1)");
    assert!(
        m[0].starts_with("t.ron:3:3: error: syntax error: unexpected text after"),
        "{m:?}"
    );
}

#[test]
fn syntax_errors_keep_rons_position() {
    let m = messages("(\n  format: 1\n  patient: (id: \"x\"),\n)");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].starts_with("t.ron:3:3: error: syntax error: expected `,`"),
        "{m:?}"
    );
}

#[test]
fn unknown_fields_and_kinds_get_suggestions_all_in_one_pass() {
    let text = "(format: 1, patient: (id: \"P\"), phases: [\n(therapy: Chemo, strat: \"2021\", start: \"2021\"),\n(therapy: Surgery, start: \"2021\", intent: Curativ),\n])";
    let m = messages(text);
    assert_eq!(m.len(), 3, "{m:?}");
    assert!(
        m[0].contains(
            "t.ron:2:11: error: unknown therapy \"Chemo\"; expected one of Surgery, Chemotherapy"
        ),
        "{m:?}"
    );
    assert!(m[0].contains("did you mean \"Chemotherapy\"?"), "{m:?}");
    assert!(
        m[1].contains("2:18: error: unknown field \"strat\" in phases[0]"),
        "{m:?}"
    );
    assert!(m[1].contains("did you mean \"start\"?"), "{m:?}");
    assert!(
        m[2].contains("3:43: error: unknown intent \"Curativ\""),
        "{m:?}"
    );
    assert!(m[2].contains("did you mean \"Curative\"?"), "{m:?}");
}

#[test]
fn missing_duplicate_and_wrong_type() {
    let text = "(format: 1, patient: (id: \"P\", age: \"52\"), events: [\n(kind: Diagnosis),\n(at: 3, at: 4, kind: \"Death\"),\n(at: 1.5, kind: Other),\n])";
    let m = messages(text);
    assert_eq!(m.len(), 5, "{m:?}");
    assert!(m[0].contains("1:37: error: patient.age: expected a whole number, 0 or more such as 52, found the text \"52\""), "{m:?}");
    assert!(
        m[1].contains("2:1: error: missing field `at` in events[0]; add at: \"2021-03-15\""),
        "{m:?}"
    );
    assert!(
        m[2].contains("3:9: error: duplicate field `at` in events[1]"),
        "{m:?}"
    );
    assert!(
        m[3].contains("3:22: error: write the kind without quotes: kind: Death"),
        "{m:?}"
    );
    assert!(
        m[4].contains("4:6: error: events[2].at: expected a time"),
        "{m:?}"
    );
}

#[test]
fn empty_deep_and_large_inputs_are_errors() {
    let m = messages("");
    assert!(
        m[0].contains("t.ron:1:1: error: the file is empty"),
        "{m:?}"
    );
    let m = messages(" /* c */ \n");
    assert!(m[0].contains("the file is empty"), "{m:?}");
    let deep = format!("(format: 1, phases: {})", "[".repeat(200_000));
    let m = messages(&deep);
    assert_eq!(m.len(), 1);
    assert!(m[0].contains("nesting is too deep"), "{m:?}");
    let big = " ".repeat(MAX_FILE_BYTES + 1);
    let m = messages(&big);
    assert!(m[0].contains("the limit is 32 MiB"), "{m:?}");
}

#[test]
fn top_level_must_be_a_struct_and_lists_lists() {
    let m = messages("[1, 2]");
    assert!(m[0].contains("expected the timeline written"), "{m:?}");
    let m = messages("(format: 1, patient: (id: \"P\"), phases: (therapy: Surgery))");
    assert!(
        m[0].contains("phases: expected a list [...] of phases"),
        "{m:?}"
    );
}

/// Runs the whole reader (parse + validate) on damaged text: it must never panic, and
/// every failure must say something with a place or a reason.
fn survives(text: &str) {
    let mut d = Diagnostics::new("f");
    let parsed = parse(text, &mut d);
    if let Some(p) = &parsed {
        let _ = crate::validate::validate(p, &mut d);
    }
    if parsed.is_none() {
        assert!(d.has_errors(), "{text:?}");
    }
}

#[test]
fn damaged_files_never_panic() {
    let good = include_str!("../../examples/patient2.ron");
    // Every prefix (on char boundaries, sampled).
    for (i, _) in good.char_indices().step_by(11) {
        survives(&good[..i]);
    }
    // Deterministic random edits: delete, duplicate or replace a char with a delimiter.
    let mut seed: u64 = 42;
    let mut next = || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    let chars: Vec<char> = good.chars().collect();
    let specials = [
        '(', ')', '[', ']', '{', '}', '"', '\'', ',', ':', '#', 'r', 'b', '/', '*', '-', '9', '\\',
        '\n', 'é',
    ];
    for _ in 0..300 {
        let mut c = chars.clone();
        for _ in 0..1 + next() % 3 {
            let at = next() % c.len();
            match next() % 3 {
                0 => {
                    c.remove(at);
                }
                1 => c.insert(at, specials[next() % specials.len()]),
                _ => c[at] = specials[next() % specials.len()],
            }
        }
        survives(&c.into_iter().collect::<String>());
    }
    for s in [
        "(",
        ")",
        "\"",
        "r#",
        "r#\"",
        "b'",
        "#!",
        "#![",
        "#![enable(",
        "(a:",
        "[(((",
        "Some(",
        "r",
        "'",
        "(format: 1, patient: Some(",
        "(format: 1, patient: (id: r#\"x\"#))",
        "{",
        "{1: 2}",
        "()",
        "Timeline()",
        "(format: 1, patient: (id: \"P\"), phases: [()])",
        "(format: 1, patient: (id: \"P\"), phases: [Some((therapy: Surgery, start: 1))])",
        "(format: -99999999999999999999)",
        "(format: 1, patient: (id: \"P\"), day_zero: \"9999-12-31\", events: [(at: -100000, kind: Other)])",
        "(format: 1, patient: (id: \"P\"), day_zero: \"0001-01-01\", events: [(at: \"9999\", kind: Other)])",
        "\u{feff}(format: 1, patient: (id: \"P\"))",
    ] {
        survives(s);
    }
}

#[test]
fn ron_rules_hold_for_attributes_and_values() {
    let m = messages("#![enable(bogus)]\n(format: 1, patient: (id: \"P\"))");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].starts_with("t.ron:1:11: error: syntax error: no RON extension"),
        "{m:?}"
    );
    let m = messages("(format: 1, patient: (id: \"P\\q\", age: 1.2.3))");
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(
        m[0].contains("1:28: error: unknown escape character"),
        "{m:?}"
    );
    assert!(
        m[1].contains("patient.age: expected a whole number"),
        "{m:?}"
    );
    let (raw, m) = run("(format: 0x1, patient: (id: r#\"P\"#, age: 4_0))");
    assert!(m.is_empty(), "{m:?}");
    let raw = raw.unwrap();
    assert_eq!(raw.format, Some(1));
    assert_eq!(raw.patient.unwrap().age, Some(40));
}

#[test]
fn example_files_are_followed_by_the_scanner() {
    // No example needs the position-less fallback.
    for text in [
        include_str!("../../examples/patient1.ron"),
        include_str!("../../examples/patient2.ron"),
        include_str!("../../examples/minimal.ron"),
        include_str!("../../examples/relative.ron"),
    ] {
        let mut d = Diagnostics::new("f");
        let p = parse(text, &mut d).unwrap();
        assert!(p.map.tree().is_some());
        assert!(!d.has_errors());
    }
}

#[test]
fn suggestions_pick_the_nearest_name() {
    let t = raw::THERAPIES.names;
    assert_eq!(suggest("Chemo", t), Some("Chemotherapy"));
    assert_eq!(suggest("radiotherapy", t), Some("Radiotherapy"));
    assert_eq!(suggest("Immuno", t), Some("Immunotherapy"));
    assert_eq!(suggest("xyzzy", t), None);
    assert_eq!(
        suggest("strat", &["start", "end", "therapy"]),
        Some("start")
    );
}

//! Scanner tests, and the differential test against RON on generated inputs.

use super::*;

#[test]
fn finds_fields_lists_and_ranges() {
    let text = "#![enable(implicit_some)]\n// c\nTimeline(format: 1, /* x /* y */ */ phases: [Phase(therapy: Surgery, start: \"2021\"), (start: -3, doses: [1,2,],)], m: [(\"a\", 1.5e3)], r: r#\"q\"\"#, c: 'x', u: (), s: Some(\"y\"))";
    let t = scan(text).unwrap();
    let root = 0;
    assert_eq!(t.node(root).kind, NodeKind::Struct);
    assert_eq!(t.name(text, root), Some("Timeline"));
    assert_eq!(t.body(text, root).chars().next(), Some('('));
    let phases = t.field(text, root, "phases").unwrap();
    assert_eq!(t.node(phases).kind, NodeKind::List);
    let p0 = t.child(phases, 0).unwrap();
    assert_eq!(t.name(text, p0), Some("Phase"));
    assert_eq!(t.body(text, p0), "(therapy: Surgery, start: \"2021\")");
    let p1 = t.child(phases, 1).unwrap();
    assert_eq!(t.node(p1).index, 1);
    let start = t.field(text, p1, "start").unwrap();
    assert_eq!(t.slice(text, start), "-3");
    let doses = t.field(text, p1, "doses").unwrap();
    assert_eq!(t.children(doses).count(), 2);
    let m = t.field(text, root, "m").unwrap();
    let pt = t.child(m, 0).unwrap();
    assert_eq!(t.node(pt).kind, NodeKind::Tuple);
    assert_eq!(t.slice(text, t.child(pt, 1).unwrap()), "1.5e3");
    assert_eq!(
        t.slice(text, t.field(text, root, "r").unwrap()),
        "r#\"q\"\"#"
    );
    assert_eq!(
        t.node(t.field(text, root, "u").unwrap()).kind,
        NodeKind::Tuple
    );
    let s = t.field(text, root, "s").unwrap();
    assert_eq!(t.name(text, s), Some("Some"));
    // deepest_at finds the value under an offset.
    let off = text.find("-3").unwrap();
    assert_eq!(t.deepest_at(off), Some(start));
}

/// Whether `ron` itself reads `text` (with the options the parser uses).
fn ron_reads(text: &str) -> bool {
    crate::parse::ron_options()
        .from_str::<serde::de::IgnoredAny>(text)
        .is_ok()
}

/// Every place a character can stand between or inside tokens.
const CONTEXTS: [&str; 8] = [
    "{c}(a: 1)",
    "(a: 1){c}",
    "(a{c}: 1)",
    "(a: 1,{c}b: [2,{c}3])",
    "(a: Foo{c})",
    "(a: {c}Foo)",
    "(a: 1{c})",
    "(a: \"x{c}\", /* {c} */ b: 2) // {c}",
];

/// The scanner accepts exactly what `ron` reads. The one looseness allowed: a number
/// token is taken whole (`1Foo`) and its slice handed to `ron`, which refuses it there,
/// at its own place. (`parse` strips a byte-order mark before either sees the text.)
fn agree(text: &str) -> Result<(), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let scanned = scan(text);
    let (ours, theirs) = (scanned.is_ok(), ron_reads(text));
    let number_refused = || {
        scanned.as_ref().is_ok_and(|t| {
            (0..t.nodes.len() as NodeId)
                .any(|id| t.node(id).kind == NodeKind::Number && !ron_reads(t.slice(text, id)))
        })
    };
    if ours == theirs || (ours && number_refused()) {
        Ok(())
    } else {
        Err(format!("{text:?}: scanner {ours}, ron {theirs}"))
    }
}

#[test]
fn scanner_and_ron_agree_on_every_character() {
    // Every character of the Basic Multilingual Plane and a sample of the others, in
    // every context: white space to both or to neither, part of a name to both or
    // neither. Before, \x0B, U+0085, U+200E/F and U+2028/9 made the scanner give up
    // (and with it every LINE:COL and all but the first problem).
    let chars = (0u32..0x1_0000)
        .chain((0x1_0000..=0x10_FFFF).step_by(251))
        .filter_map(char::from_u32);
    let mut bad = Vec::new();
    for c in chars {
        for ctx in CONTEXTS {
            if let Err(e) = agree(&ctx.replace("{c}", &c.to_string())) {
                bad.push(e);
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} disagreements: {:?}",
        bad.len(),
        &bad[..bad.len().min(20)]
    );
}

#[test]
fn scanner_and_ron_agree_on_generated_timelines() {
    // A small deterministic generator: timelines built from tokens joined by separators
    // drawn from RON's white space, Unicode's, comments and some that are neither.
    let seps = [
        " ",
        "\n",
        "\t",
        "\r\n",
        "\x0B",
        "\x0C",
        "\u{85}",
        "\u{200E}",
        "\u{200F}",
        "\u{2028}",
        "\u{2029}",
        "\u{A0}",
        "\u{3000}",
        "\u{FEFF}",
        "\u{200B}",
        "\u{1680}",
        "\u{2009}",
        "\u{180E}",
        "\x1C",
        "// c\n",
        "/* c */",
        "/* /* n */ */",
        "",
    ];
    let values = [
        "1",
        "-2.5",
        "\"text\"",
        "r#\"raw\"#",
        "'c'",
        "Surgery",
        "Some(\"x\")",
        "None",
        "[]",
        "[1, 2]",
        "()",
        "(x: 1)",
        "true",
    ];
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut bad = Vec::new();
    for _ in 0..3000 {
        let sep = |next: &mut dyn FnMut(usize) -> usize| {
            (0..next(3))
                .map(|_| seps[next(seps.len())])
                .collect::<String>()
        };
        let mut t = format!("{}Timeline{}(", sep(&mut next), sep(&mut next));
        for f in 0..next(4) {
            let v = values[next(values.len())];
            t += &format!(
                "{}f{f}{}:{}{v}{},",
                sep(&mut next),
                sep(&mut next),
                sep(&mut next),
                sep(&mut next)
            );
        }
        t += &format!("{}){}", sep(&mut next), sep(&mut next));
        if let Err(e) = agree(&t) {
            bad.push(e);
        }
    }
    assert!(
        bad.is_empty(),
        "{} disagreements: {:?}",
        bad.len(),
        &bad[..bad.len().min(20)]
    );
}

#[test]
fn ws_len_matches_the_set() {
    for c in (0u32..0x3000).filter_map(char::from_u32) {
        let s = c.to_string();
        let want = if is_ron_whitespace(c) { s.len() } else { 0 };
        assert_eq!(ws_len(s.as_bytes(), 0), want, "{c:?}");
    }
}

#[test]
fn reports_empty_deep_and_broken_text() {
    assert!(scan("  // nothing\n").unwrap_err().empty);
    assert!(scan("").unwrap_err().empty);
    let deep = "[".repeat(100_000);
    let e = scan(&deep).unwrap_err();
    assert!(e.too_deep);
    assert_eq!(e.offset, MAX_DEPTH);
    assert!(scan("(a: 1").is_err());
    assert!(scan("(a: \"x)").is_err());
    assert!(scan("(a: 1) x").is_err());
    assert!(scan("(a 1)").is_err());
    assert!(scan("(a: 1, /* x").is_err());
    assert!(scan("(a: )").is_err());
}

//! Writing a [`Draft`] as a format-1 timeline file that reads like one written by hand:
//! a leading comment naming the source files and lines, then the fields in the order of
//! `docs/format.md`, one item per line, optional fields only when they have a value.

use std::fmt::Write as _;

use super::cbioportal::Origin;
use super::draft::{Draft, End};

/// RON string literal: quotes, backslashes and control characters escaped.
pub fn quote(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            '\r' => s.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(s, "\\u{{{:x}}}", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// Line numbers as ranges: `2–6, 9, 11–12`.
pub fn ranges(lines: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j + 1 < lines.len() && lines[j + 1] == lines[j] + 1 {
            j += 1;
        }
        out.push(if i == j {
            lines[i].to_string()
        } else {
            format!("{}–{}", lines[i], lines[j])
        });
        i = j + 1;
    }
    out.join(", ")
}

/// A comment naming where a patient's items came from, one source file per line.
fn header(d: &Draft, files: &[String], what: &str, day_zero_is: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "// Patient {} imported by txline from {what}.", d.id);
    let mut by_file: Vec<(usize, Vec<usize>)> = Vec::new();
    for Origin { file, line } in &d.origins {
        match by_file.iter_mut().find(|(f, _)| f == file) {
            Some((_, v)) => v.push(*line),
            None => by_file.push((*file, vec![*line])),
        }
    }
    for (f, lines) in &by_file {
        let word = if lines.len() == 1 { "line" } else { "lines" };
        let _ = writeln!(s, "// {}: {word} {}", files[*f], ranges(lines));
    }
    if d.day_zero.is_some() {
        let _ = writeln!(
            s,
            "// Times are days after day 0 ({day_zero_is}); day_zero gives its calendar date."
        );
    } else {
        let _ = writeln!(s, "// Times are days after day 0 ({day_zero_is}).");
    }
    s
}

/// `, key: "value"` when the value is present.
fn opt(s: &mut String, key: &str, value: &Option<String>) {
    if let Some(v) = value {
        let _ = write!(s, ", {key}: {}", quote(v));
    }
}

/// The whole file for one patient.
pub fn write_ron(d: &Draft, files: &[String], what: &str, day_zero_is: &str) -> String {
    let mut s = header(d, files, what, day_zero_is);
    s.push_str("Timeline(\n    format: 1,\n");
    let _ = write!(s, "    patient: (id: {}", quote(&d.id));
    opt(&mut s, "sex", &d.sex);
    if let Some(a) = d.age {
        let _ = write!(s, ", age: {a}");
    }
    opt(&mut s, "group", &d.group);
    s.push_str("),\n");
    if let Some(z) = &d.day_zero {
        let _ = writeln!(s, "    day_zero: {},", quote(z));
    }
    if let Some(c) = d.data_cutoff {
        let _ = writeln!(s, "    data_cutoff: {c},");
    }
    if !d.phases.is_empty() {
        s.push_str("    phases: [\n");
        for p in &d.phases {
            let _ = write!(s, "        (therapy: {}", p.therapy.name());
            opt(&mut s, "name", &p.name);
            let _ = write!(s, ", start: {}", p.start);
            match p.end {
                End::At(e) => {
                    let _ = write!(s, ", end: {e}");
                }
                End::Ongoing => s.push_str(", end: \"ongoing\""),
                End::OneDay => {}
            }
            opt(&mut s, "lane", &p.lane);
            opt(&mut s, "detail", &p.detail);
            s.push_str("),\n");
        }
        s.push_str("    ],\n");
    }
    if !d.responses.is_empty() {
        s.push_str("    responses: [\n");
        for r in &d.responses {
            let _ = write!(s, "        (at: {}, result: {}", r.at, r.result.name());
            opt(&mut s, "method", &r.method);
            opt(&mut s, "note", &r.note);
            s.push_str("),\n");
        }
        s.push_str("    ],\n");
    }
    if !d.events.is_empty() {
        s.push_str("    events: [\n");
        for e in &d.events {
            let _ = write!(s, "        (at: {}, kind: {}", e.at, e.kind.name());
            opt(&mut s, "label", &e.label);
            if let Some(g) = e.grade {
                let _ = write!(s, ", grade: {g}");
            }
            opt(&mut s, "note", &e.note);
            s.push_str("),\n");
        }
        s.push_str("    ],\n");
    }
    if !d.measurements.is_empty() {
        s.push_str("    measurements: [\n");
        for m in &d.measurements {
            let _ = write!(s, "        (name: {}", quote(&m.name));
            opt(&mut s, "unit", &m.unit);
            s.push_str(", points: [\n");
            for (at, v, note) in &m.points {
                let _ = write!(s, "            ({at}, {}),", number(*v));
                if let Some(n) = note {
                    // Line breaks would end the comment early.
                    let _ = write!(s, " // {}", n.replace(['\n', '\r'], " "));
                }
                s.push('\n');
            }
            s.push_str("        ]),\n");
        }
        s.push_str("    ],\n");
    }
    s.push_str(")\n");
    s
}

/// A number as RON reads it back exactly (`2.5`, `4.0`, `1e-7`).
fn number(v: f64) -> String {
    let s = format!("{v:?}");
    if s.contains(['.', 'e', 'E']) {
        s
    } else {
        format!("{s}.0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_ranges() {
        assert_eq!(quote("a \"b\" \\ c\n"), "\"a \\\"b\\\" \\\\ c\\n\"");
        assert_eq!(quote("cisplatin 40 mg/m²"), "\"cisplatin 40 mg/m²\"");
        assert_eq!(ranges(&[2, 3, 4, 6, 8, 9]), "2–4, 6, 8–9");
        assert_eq!(number(4.0), "4.0");
        assert_eq!(number(0.1), "0.1");
    }
}

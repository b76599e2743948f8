//! Text the figure's font cannot draw: a warning at the text, naming the characters.

use super::V;
use crate::parse::Path;
use crate::parse::raw::RawTimeline;

/// Characters of `text` that the bundled font cannot draw (they would show as empty boxes),
/// each once, in order; invisible format characters (variation selectors, joiners) aside.
pub(super) fn undrawable(text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for ch in text.chars() {
        let invisible = ch.is_control()
            || matches!(ch, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}');
        if !invisible && !out.contains(&ch) && !crate::fonts::has_glyph(ch) {
            out.push(ch);
        }
    }
    out
}

/// Warns about every text the figure draws that holds characters the bundled font lacks:
/// exports would show them as empty boxes ("tofu").
pub(super) fn undrawable_text(raw: &RawTimeline, v: &mut V) {
    let root = Path::ROOT;
    let check = |v: &mut V, loc: Path, text: Option<&str>| {
        let Some(text) = text else { return };
        let chars = undrawable(text);
        if chars.is_empty() {
            return;
        }
        let shown: Vec<String> = chars.iter().take(6).map(|c| format!("{c}")).collect();
        let more = if chars.len() > 6 { " …" } else { "" };
        v.warn(
            &loc,
            format!(
                "{loc}: the figure's font (DejaVu Sans) has no glyph for {}{more}; these characters show as empty boxes in exported figures, so write them in Latin, Greek or Cyrillic letters or leave them out",
                shown.join(" ")
            ),
        );
    };
    if let Some(p) = &raw.patient {
        let b = root.field("patient");
        check(v, b.field("id"), Some(&p.id));
        check(v, b.field("label"), p.label.as_deref());
        check(v, b.field("sex"), p.sex.as_deref());
        check(v, b.field("age_band"), p.age_band.as_deref());
        check(v, b.field("diagnosis"), p.diagnosis.as_deref());
        check(v, b.field("stage"), p.stage.as_deref());
        check(v, b.field("group"), p.group.as_deref());
    }
    for (i, x) in raw.phases.iter().enumerate() {
        let Some(x) = x else { continue };
        let b = root.field("phases").index(i);
        check(v, b.field("name"), x.name.as_deref());
        check(v, b.field("lane"), x.lane.as_deref());
    }
    for (i, x) in raw.statuses.iter().enumerate() {
        let Some(x) = x else { continue };
        check(
            v,
            root.field("statuses").index(i).field("label"),
            x.label.as_deref(),
        );
    }
    for (i, x) in raw.responses.iter().enumerate() {
        let Some(x) = x else { continue };
        check(
            v,
            root.field("responses").index(i).field("criteria"),
            x.criteria.as_deref(),
        );
    }
    for (i, x) in raw.events.iter().enumerate() {
        let Some(x) = x else { continue };
        check(
            v,
            root.field("events").index(i).field("label"),
            x.label.as_deref(),
        );
    }
    for (i, x) in raw.intervals.iter().enumerate() {
        let Some(x) = x else { continue };
        check(
            v,
            root.field("intervals").index(i).field("label"),
            Some(&x.label),
        );
    }
    for (i, x) in raw.measurements.iter().enumerate() {
        let Some(x) = x else { continue };
        let b = root.field("measurements").index(i);
        check(v, b.field("name"), Some(&x.name));
        check(v, b.field("unit"), x.unit.as_deref());
    }
    for (i, x) in raw.images.iter().enumerate() {
        let Some(x) = x else { continue };
        check(
            v,
            root.field("images").index(i).field("caption"),
            x.caption.as_deref(),
        );
    }
}

//! Text the figure's fonts cannot draw: a warning at the text, naming the characters and the
//! fix. Three kinds: characters no font of the chain has (they would show as empty boxes),
//! right-to-left letters (Arabic, Hebrew: txline would draw them left to right, unjoined) and
//! letters of scripts that need shaping txline does not do (Indic, Tibetan, Myanmar, Khmer:
//! conjuncts and reordered vowel signs).

use unicode_bidi::BidiClass;
use unicode_script::{Script, UnicodeScript};

use super::V;
use crate::parse::Path;
use crate::parse::raw::RawTimeline;

/// The most characters a warning names (one more is looked for, to write "…").
const SHOWN: usize = 6;

/// What a character needs that txline cannot give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trouble {
    /// No font of the chain has it.
    NoGlyph,
    /// A right-to-left letter.
    RightToLeft,
    /// A letter of a script drawn wrongly without shaping.
    NeedsShaping,
}

fn invisible(ch: char) -> bool {
    ch.is_control()
        || matches!(ch, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

fn trouble(ch: char) -> Option<Trouble> {
    if ch.is_ascii() || invisible(ch) {
        return None;
    }
    if matches!(unicode_bidi::bidi_class(ch), BidiClass::R | BidiClass::AL) {
        return Some(Trouble::RightToLeft);
    }
    if matches!(
        ch.script(),
        Script::Devanagari
            | Script::Bengali
            | Script::Gurmukhi
            | Script::Gujarati
            | Script::Oriya
            | Script::Tamil
            | Script::Telugu
            | Script::Kannada
            | Script::Malayalam
            | Script::Sinhala
            | Script::Tibetan
            | Script::Myanmar
            | Script::Khmer
    ) {
        return Some(Trouble::NeedsShaping);
    }
    (!crate::fonts::covers(ch)).then_some(Trouble::NoGlyph)
}

/// A cache slot: a character and its trouble.
type Seen = Option<(char, Option<Trouble>)>;

/// Slots of the per-thread cache of characters' troubles (direct-mapped by code point: the
/// CJK ideographs, 20,992 of them, never evict one another).
const SEEN_SLOTS: usize = 1 << 16;

thread_local! {
    /// The last character seen in each slot and its trouble: a look-up (bidi class, script,
    /// every font's cmap) costs about a microsecond, and texts repeat their characters.
    /// Valid for the life of the thread: the fonts are chosen once per process.
    static SEEN: std::cell::RefCell<Vec<Seen>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Characters of `text` of each kind of trouble, each once, in order, at most
/// [`SHOWN`]` + 1` of each (linear in the text's length).
fn troubles(text: &str) -> [Vec<char>; 3] {
    let mut out: [Vec<char>; 3] = Default::default();
    SEEN.with_borrow_mut(|seen| {
        if seen.is_empty() {
            seen.resize(SEEN_SLOTS, None);
        }
        for ch in text.chars() {
            if ch.is_ascii() {
                continue;
            }
            let slot = &mut seen[ch as usize % SEEN_SLOTS];
            let t = match *slot {
                Some((c, t)) if c == ch => t,
                _ => {
                    let t = trouble(ch);
                    *slot = Some((ch, t));
                    t
                }
            };
            let Some(t) = t else { continue };
            let list = &mut out[t as usize];
            if list.len() <= SHOWN && !list.contains(&ch) {
                list.push(ch);
            }
            if out.iter().all(|l| l.len() > SHOWN) {
                break;
            }
        }
    });
    out
}

/// Characters of `text` that no font of the chain can draw (they would show as empty
/// boxes), each once, in order; invisible format characters (variation selectors,
/// joiners) aside.
#[cfg(test)]
pub(super) fn undrawable(text: &str) -> Vec<char> {
    troubles(text)[Trouble::NoGlyph as usize].clone()
}

fn listed(chars: &[char]) -> String {
    let shown: Vec<String> = chars.iter().take(SHOWN).map(|c| c.to_string()).collect();
    let more = if chars.len() > SHOWN { " …" } else { "" };
    format!("{}{more}", shown.join(" "))
}

/// The warnings for one text at `loc`.
fn check(v: &mut V, loc: Path, text: Option<&str>) {
    let Some(text) = text else { return };
    let [none, rtl, shaping] = troubles(text);
    if !none.is_empty() {
        v.warn(
            &loc,
            format!(
                "{loc}: no font txline can use has a glyph for {}; these characters show as empty boxes in exported figures. Give a font that has them with --font FILE, or install one (for Chinese, Japanese and Korean the package fonts-noto-cjk, or Noto Sans CJK from notofonts.github.io), or leave them out",
                listed(&none)
            ),
        );
    }
    if !rtl.is_empty() {
        v.warn(
            &loc,
            format!(
                "{loc}: {} is right-to-left text, which txline cannot draw yet: it would come out left to right (and Arabic letters unjoined); write this text in a left-to-right script",
                listed(&rtl)
            ),
        );
    }
    if !shaping.is_empty() {
        v.warn(
            &loc,
            format!(
                "{loc}: {} needs text shaping (conjuncts, reordered vowel signs) that txline does not do yet: it would be drawn wrongly; write this text in Latin letters",
                listed(&shaping)
            ),
        );
    }
}

/// Warns about every text the figure draws that holds characters the fonts cannot draw
/// correctly (see the module documentation).
pub(super) fn undrawable_text(raw: &RawTimeline, v: &mut V) {
    let root = Path::ROOT;
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

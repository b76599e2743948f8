//! Measured text: building [`Text`] items with their bbox, wrapping, abbreviating, and a
//! spatial index of placed labels so collisions are found without comparing every pair.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::fonts;
use crate::scene::{Anchor, Color, Rect, Text, Weight};

/// A text style: size and face.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Font size in pixels.
    pub size: f32,
    /// Face.
    pub weight: Weight,
}

impl Style {
    /// Regular face at `size`.
    pub fn regular(size: f32) -> Self {
        Style {
            size,
            weight: Weight::Regular,
        }
    }

    /// Bold face at `size`.
    pub fn bold(size: f32) -> Self {
        Style {
            size,
            weight: Weight::Bold,
        }
    }

    /// Advance width of `s` (the same as [`fonts::text_width`], from a cache).
    pub fn width(&self, s: &str) -> f32 {
        cached_width(s, self.weight) * self.size
    }

    /// Advance width of `s`, or any width past `limit` once it is known to exceed it: stops
    /// measuring there (and after the most characters `limit` pixels can ever show), so a
    /// very long text costs no more than what could be drawn.
    pub fn width_up_to(&self, s: &str, limit: f32) -> f32 {
        let cap = drawable_chars(*self, limit);
        with_cache(|c| {
            let mut pen = Pen::default();
            for (n, ch) in s.chars().enumerate() {
                pen = c.step(self.weight, pen, ch);
                if pen.width * self.size > limit || n >= cap {
                    return limit.max(pen.width * self.size) + 1.0;
                }
            }
            pen.width * self.size
        })
    }

    /// Ascent above the baseline.
    pub fn ascent(&self) -> f32 {
        fonts::vmetrics(self.weight).ascent * self.size
    }

    /// Descent below the baseline.
    pub fn descent(&self) -> f32 {
        fonts::vmetrics(self.weight).descent * self.size
    }

    /// Height of a line's box (ascent + descent).
    pub fn height(&self) -> f32 {
        self.ascent() + self.descent()
    }

    /// A text item whose box's top edge is at `top`.
    pub fn at_top(&self, s: &str, x: f32, top: f32, anchor: Anchor, color: Color) -> Text {
        self.text(s, x, top + self.ascent(), anchor, color)
    }

    /// A text item vertically centred on `cy`.
    pub fn centered(&self, s: &str, x: f32, cy: f32, anchor: Anchor, color: Color) -> Text {
        self.at_top(s, x, cy - self.height() / 2.0, anchor, color)
    }

    /// A text item with its baseline at `baseline`.
    pub fn text(&self, s: &str, x: f32, baseline: f32, anchor: Anchor, color: Color) -> Text {
        let w = self.width(s);
        let left = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - w / 2.0,
            Anchor::End => x - w,
        };
        Text {
            text: s.to_string(),
            x,
            baseline,
            anchor,
            size: self.size,
            weight: self.weight,
            color,
            bbox: Rect::from_xywh(left, baseline - self.ascent(), w, self.height()),
        }
    }
}

/// Per-thread cache of advances (and glyph ids) and of ASCII kerning pairs at size 1, so
/// measuring thousands of labels costs a few table look-ups per character instead of
/// font-table parsing. A string's width is the sum of its characters' advances plus the
/// kerning of each adjacent pair, which is exactly how [`fonts::text_width`] adds it up
/// (widths scale linearly with the size). Non-ASCII pairs are looked up in the font's kerning
/// table each time (a binary search), so no input can grow the cache beyond
/// [`MAX_CACHED_CHARS`] entries per face.
struct WidthCache {
    ascii: Vec<Option<Glyph>>,
    ascii_kern: Vec<f32>,
    other: HashMap<(u8, char), Glyph>,
}

/// A character's font, glyph (`None`: drawn as `?`, never kerned) and advance at size 1.
type Glyph = fonts::Glyph;

/// The most non-ASCII characters whose advances are cached per thread.
const MAX_CACHED_CHARS: usize = 1 << 16;

thread_local! {
    static WIDTHS: RefCell<WidthCache> = RefCell::new(WidthCache {
        ascii: vec![None; 2 * 128],
        ascii_kern: vec![f32::NAN; 2 * 128 * 128],
        other: HashMap::new(),
    });
}

fn weight_ix(w: Weight) -> usize {
    match w {
        Weight::Regular => 0,
        Weight::Bold => 1,
    }
}

/// The pen after the last character of a line: the line's width so far and its last
/// character (for kerning with the next).
#[derive(Debug, Clone, Copy, Default)]
struct Pen {
    width: f32,
    last: Option<(char, Glyph)>,
}

impl WidthCache {
    fn glyph(&mut self, weight: Weight, ch: char) -> Glyph {
        let wi = weight_ix(weight);
        if ch.is_ascii() {
            let k = wi * 128 + ch as usize;
            *self.ascii[k].get_or_insert_with(|| fonts::glyph(ch, weight))
        } else if let Some(g) = self.other.get(&(wi as u8, ch)) {
            *g
        } else {
            let g = fonts::glyph(ch, weight);
            if self.other.len() < MAX_CACHED_CHARS {
                self.other.insert((wi as u8, ch), g);
            }
            g
        }
    }

    fn kern(&mut self, weight: Weight, a: (char, Glyph), b: (char, Glyph)) -> f32 {
        if a.1.id.is_none() || b.1.id.is_none() || a.1.font != b.1.font {
            return 0.0;
        }
        if a.0.is_ascii() && b.0.is_ascii() {
            let k = (weight_ix(weight) * 128 + a.0 as usize) * 128 + b.0 as usize;
            let v = self.ascii_kern[k];
            if v.is_nan() {
                let v = fonts::pair_kerning(a.1, b.1, weight);
                self.ascii_kern[k] = v;
                v
            } else {
                v
            }
        } else {
            fonts::pair_kerning(a.1, b.1, weight)
        }
    }

    /// The pen after `ch` is written at `pen` (advance, then kerning with the previous
    /// character: the order [`cached_width`] adds them in, so walking a string character by
    /// character gives exactly its measured width).
    fn step(&mut self, weight: Weight, pen: Pen, ch: char) -> Pen {
        let g = self.glyph(weight, ch);
        let mut width = pen.width + g.advance;
        if let Some(prev) = pen.last {
            width += self.kern(weight, prev, (ch, g));
        }
        Pen {
            width,
            last: Some((ch, g)),
        }
    }
}

fn with_cache<R>(f: impl FnOnce(&mut WidthCache) -> R) -> R {
    WIDTHS.with(|c| f(&mut c.borrow_mut()))
}

fn cached_width(s: &str, weight: Weight) -> f32 {
    with_cache(|c| {
        s.chars()
            .fold(Pen::default(), |p, ch| c.step(weight, p, ch))
            .width
    })
}

/// The most characters a line `max_w` pixels wide can ever show in `style`: every character
/// that moves the pen moves it by at least the face's smallest advance, and a few
/// zero-width marks may sit on each. Text past this is never measured.
fn drawable_chars(style: Style, max_w: f32) -> usize {
    let per_char = fonts::min_advance(style.weight) * style.size;
    let n = if per_char > 0.0 && max_w.is_finite() {
        (max_w.max(0.0) / per_char).ceil() as usize
    } else {
        0
    };
    n.saturating_mul(4).saturating_add(16)
}

/// Moves a text horizontally by `dx` (anchor point and bbox together).
pub fn shift_x(t: &mut Text, dx: f32) {
    t.x += dx;
    t.bbox.min.x += dx;
    t.bbox.max.x += dx;
}

/// Moves a text vertically by `dy`.
pub fn shift_y(t: &mut Text, dy: f32) {
    t.baseline += dy;
    t.bbox.min.y += dy;
    t.bbox.max.y += dy;
}

/// Shifts a text horizontally so its box lies within `lo..hi` (when it is narrow enough).
pub fn clamp_x(t: &mut Text, lo: f32, hi: f32) {
    if t.bbox.min.x < lo {
        let d = lo - t.bbox.min.x;
        shift_x(t, d);
    } else if t.bbox.max.x > hi {
        let d = hi - t.bbox.max.x;
        shift_x(t, d.max(lo - t.bbox.min.x));
    }
}

/// The beginning of `s` that `lines` lines of `max_w` pixels can ever show, plus one more
/// line's worth (so a caller that wraps it still sees that the text goes on): text past it is
/// never measured. A 10 MB diagnosis was measured and wrapped whole for a three-line title.
pub fn head_for_lines(s: &str, style: Style, max_w: f32, lines: usize) -> &str {
    let keep = drawable_chars(style, max_w).saturating_mul(lines.saturating_add(1));
    match s.char_indices().nth(keep) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}

/// True for characters a line may break before or after without a space: CJK ideographs,
/// kana, hangul and full-width forms (Chinese, Japanese and Korean are written without
/// spaces between words).
fn breaks_around(ch: char) -> bool {
    matches!(ch as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Closing punctuation a line never starts with, and opening punctuation it never ends with
/// (the simplest rules of CJK line breaking).
fn no_break_before(ch: char) -> bool {
    "，。、；：？！）》」』】〕〉・ー～…%".contains(ch)
}

fn no_break_after(ch: char) -> bool {
    "（《「『【〔〈".contains(ch)
}

/// The pieces of `s` a line may break between, each with what joins it to the previous
/// piece on one line: `" "` between words (white space collapsed), `""` at a break inside a
/// word next to a CJK character. Text without CJK characters gives its words. Lazy: one
/// pass over the text, nothing allocated.
fn pieces(s: &str) -> impl Iterator<Item = (&'static str, &str)> {
    s.split_whitespace().flat_map(|word| {
        let mut rest = word;
        let mut first = true;
        std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            let mut prev: Option<char> = None;
            let mut end = rest.len();
            for (i, ch) in rest.char_indices() {
                if let Some(p) = prev
                    && (breaks_around(p) || breaks_around(ch))
                    && !no_break_before(ch)
                    && !no_break_after(p)
                {
                    end = i;
                    break;
                }
                prev = Some(ch);
            }
            let (piece, after) = rest.split_at(end);
            rest = after;
            let joiner = if first { " " } else { "" };
            first = false;
            Some((joiner, piece))
        })
    })
}

/// Breaks `s` into lines no wider than `max_w` at spaces, and between CJK characters. A
/// single word wider than `max_w` stays whole on its own line (callers check and shorten it
/// if they must).
///
/// Linear in the length of `s`: each line's width is carried along as words are added,
/// never re-measured from its start.
pub fn wrap(s: &str, style: Style, max_w: f32) -> Vec<String> {
    let fits = |pen: Pen| pen.width * style.size <= max_w;
    let cap = drawable_chars(style, max_w);
    with_cache(|c| {
        // Walks `word` from `pen`, stopping as soon as the line is too wide (a line only
        // grows as characters are added) or holds more characters than a line can ever
        // show (zero-width marks do not widen it); `None` when it does not fit.
        let mut extend = |pen: Pen, word: &str| -> Option<Pen> {
            let mut pen = pen;
            for (n, ch) in word.chars().enumerate() {
                pen = c.step(style.weight, pen, ch);
                if !fits(pen) || n >= cap {
                    return None;
                }
            }
            Some(pen)
        };
        let mut lines: Vec<String> = Vec::new();
        let mut cur = String::new();
        // `None` once the current line is already too wide (a long word alone on it).
        let mut pen: Option<Pen> = None;
        for (joiner, word) in pieces(s) {
            if !cur.is_empty() {
                let joined = pen.and_then(|p| extend(p, joiner).and_then(|p| extend(p, word)));
                if joined.is_some() {
                    cur.push_str(joiner);
                    cur.push_str(word);
                    pen = joined;
                    continue;
                }
                lines.push(std::mem::take(&mut cur));
            }
            cur.push_str(word);
            pen = extend(Pen::default(), word);
        }
        if !cur.is_empty() {
            lines.push(cur);
        }
        lines
    })
}

/// Shortens `s` to fit `max_w`, ending in "…"; `None` when not even one letter fits.
///
/// One pass over at most the characters that can ever be drawn in `max_w` (see
/// [`drawable_chars`]): the longest prefix that fits with its "…" is kept, trailing blanks
/// trimmed. Text past that limit is cut without being measured.
pub fn ellipsize(s: &str, style: Style, max_w: f32) -> Option<String> {
    let fits = |pen: Pen| pen.width * style.size <= max_w;
    let cap = drawable_chars(style, max_w);
    with_cache(|c| {
        let mut pen = Pen::default();
        // The prefix up to its last non-blank character: its pen and byte length.
        let mut trimmed = (Pen::default(), 0usize);
        let mut best: Option<usize> = None;
        let mut whole = true;
        for (n, (i, ch)) in s.char_indices().enumerate() {
            if n >= 1 {
                if fits(c.step(style.weight, trimmed.0, '…')) {
                    best = Some(trimmed.1);
                }
                if n >= cap {
                    whole = false;
                    break;
                }
            }
            pen = c.step(style.weight, pen, ch);
            if !ch.is_whitespace() {
                trimmed = (pen, i + ch.len_utf8());
            }
            if !fits(pen) {
                whole = false;
                break;
            }
        }
        if whole {
            return Some(s.to_string());
        }
        best.map(|end| format!("{}…", &s[..end]))
    })
}

/// A set of placed text boxes with a bucket grid for cheap collision queries.
#[derive(Debug, Default)]
pub struct TextIndex {
    rects: Vec<Rect>,
    grid: HashMap<(i32, i32), Vec<u32>>,
    cell: f32,
}

impl TextIndex {
    /// An empty index with buckets of `cell` pixels.
    pub fn new(cell: f32) -> Self {
        TextIndex {
            rects: Vec::new(),
            grid: HashMap::new(),
            cell: cell.max(1.0),
        }
    }

    fn cells(&self, r: &Rect) -> impl Iterator<Item = (i32, i32)> + use<> {
        let c = self.cell;
        let (x0, x1) = ((r.min.x / c).floor() as i32, (r.max.x / c).floor() as i32);
        let (y0, y1) = ((r.min.y / c).floor() as i32, (r.max.y / c).floor() as i32);
        // Guard against absurd boxes: clamp the number of cells visited.
        let x1 = x1.min(x0.saturating_add(4096));
        let y1 = y1.min(y0.saturating_add(4096));
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    /// True when `r` intersects a placed box.
    pub fn collides(&self, r: &Rect) -> bool {
        self.cells(r).any(|k| {
            self.grid.get(&k).is_some_and(|v| {
                v.iter()
                    .any(|&i| self.rects.get(i as usize).is_some_and(|o| o.intersects(r)))
            })
        })
    }

    /// Records a placed box.
    pub fn insert(&mut self, r: Rect) {
        let i = self.rects.len() as u32;
        self.rects.push(r);
        let cells: Vec<_> = self.cells(&r).collect();
        for k in cells {
            self.grid.entry(k).or_default().push(i);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn width_up_to_is_the_width_or_past_the_limit() {
        let st = super::Style::regular(20.0);
        let w = st.width("Sintilimab");
        assert_eq!(st.width_up_to("Sintilimab", w + 1.0), w);
        assert!(st.width_up_to("Sintilimab", w / 2.0) > w / 2.0);
        // Zero-width marks never widen the text, but counting them stops too.
        let marks = format!("a{}", "\u{0301}".repeat(100_000));
        assert!(st.width_up_to(&marks, 30.0) > 30.0);
    }

    use super::*;

    #[test]
    fn chinese_wraps_between_characters_but_not_before_closing_punctuation() {
        let st = Style::regular(14.0);
        let s = "肺腺癌伴脑转移，EGFR 19 外显子缺失（一线奥希替尼）";
        let max_w = st.width("肺腺癌伴脑转移");
        let lines = wrap(s, st, max_w);
        assert!(lines.len() >= 3, "{lines:?}");
        for l in &lines {
            assert!(st.width(l) <= max_w, "{l} is wider than {max_w}: {lines:?}");
            assert!(!l.starts_with(['，', '）']), "{lines:?}");
            assert!(!l.ends_with('（'), "{lines:?}");
        }
        // Nothing lost but the one space between words.
        assert_eq!(
            lines.concat().replace(' ', ""),
            s.replace(' ', ""),
            "{lines:?}"
        );
        // Latin text still breaks at spaces only.
        let pieces: Vec<_> = pieces("lung adenocarcinoma, EGFR").collect();
        assert_eq!(
            pieces,
            vec![(" ", "lung"), (" ", "adenocarcinoma,"), (" ", "EGFR")]
        );
    }

    #[test]
    fn wrap_keeps_lines_within_width() {
        let st = Style::regular(14.0);
        let lines = wrap("Neck LN longest diameter in millimetres", st, 120.0);
        assert!(lines.len() >= 2, "{lines:?}");
        for l in &lines {
            assert!(st.width(l) <= 120.0, "{l}");
        }
        assert_eq!(lines.join(" "), "Neck LN longest diameter in millimetres");
    }

    #[test]
    fn cached_widths_match_the_font() {
        for st in [Style::regular(14.0), Style::bold(25.0)] {
            for t in [
                "PFS ≥ 15.9 mo",
                "AVATAR Tokyo",
                "Neck LN → 3.9 cm",
                "",
                "~Wa",
            ] {
                let a = st.width(t);
                let b = fonts::text_width(t, st.size, st.weight);
                assert!((a - b).abs() < 1e-3 * st.size, "{t}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn ellipsize_fits() {
        let st = Style::regular(14.0);
        let e = ellipsize("Progression", st, 40.0).unwrap();
        assert!(e.ends_with('…') && st.width(&e) <= 40.0);
        assert_eq!(ellipsize("PD", st, 400.0).unwrap(), "PD");
    }

    /// The quadratic shortening this module used to do, kept as the reference the fast one
    /// must agree with.
    fn ellipsize_naive(s: &str, style: Style, max_w: f32) -> Option<String> {
        if style.width(s) <= max_w {
            return Some(s.to_string());
        }
        let chars: Vec<char> = s.chars().collect();
        let mut n = chars.len();
        while n > 1 {
            n -= 1;
            let mut t: String = chars[..n].iter().collect::<String>().trim_end().to_string();
            t.push('…');
            if style.width(&t) <= max_w {
                return Some(t);
            }
        }
        None
    }

    /// The word-by-word wrapping this module used to do (re-measuring each line).
    fn wrap_naive(s: &str, style: Style, max_w: f32) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut cur = String::new();
        for (joiner, word) in pieces(s) {
            let candidate = if cur.is_empty() {
                word.to_string()
            } else {
                format!("{cur}{joiner}{word}")
            };
            if cur.is_empty() || style.width(&candidate) <= max_w {
                cur = candidate;
            } else {
                lines.push(std::mem::take(&mut cur));
                cur = word.to_string();
            }
        }
        if !cur.is_empty() {
            lines.push(cur);
        }
        lines
    }

    /// Deterministic text from a small alphabet with kerning pairs, blanks, accents,
    /// CJK, a character the font lacks and a combining mark.
    fn sample_texts() -> Vec<String> {
        let alphabet: Vec<char> = "AVWaTo.y  LT'r,-~é中文\u{0301}\u{10FFFD}≥→ "
            .chars()
            .collect();
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        (0..400)
            .map(|i| {
                let len = i % 37;
                (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        alphabet[(seed % alphabet.len() as u64) as usize]
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn fast_shortening_and_wrapping_agree_with_the_naive_ones() {
        for st in [Style::regular(11.0), Style::bold(17.0)] {
            for (i, t) in sample_texts().iter().enumerate() {
                for max_w in [0.0, 5.0, 23.0, 61.5, 140.0, 400.0] {
                    let max_w = max_w + (i % 7) as f32 * 0.37;
                    assert_eq!(
                        ellipsize(t, st, max_w),
                        ellipsize_naive(t, st, max_w),
                        "ellipsize {t:?} in {max_w}"
                    );
                    assert_eq!(
                        wrap(t, st, max_w),
                        wrap_naive(t, st, max_w),
                        "wrap {t:?} in {max_w}"
                    );
                }
            }
        }
    }

    #[test]
    fn megabyte_text_is_shortened_and_wrapped_in_one_pass() {
        // Quadratic before: 2 MB took hours. Each shape of long text the layout meets:
        // one endless word, words, blanks, zero-width marks, non-ASCII.
        let st = Style::regular(12.0);
        let word = "Adenocarcinoma".repeat(150_000);
        let words = "lung adenocarcinoma, EGFR exon 19 ".repeat(60_000);
        let marks = format!("a{}", "\u{0301}".repeat(1_000_000));
        let cjk = "肺腺癌".repeat(300_000);
        for t in [&word, &words, &marks, &cjk] {
            let e = ellipsize(t, st, 300.0).unwrap();
            assert!(e.ends_with('…') && st.width(&e) <= 300.0, "{}", e.len());
            assert!(e.chars().count() <= drawable_chars(st, 300.0) + 1);
            assert!(t.starts_with(e.trim_end_matches('…')));
        }
        let lines = wrap(&words, st, 300.0);
        assert!(lines.iter().all(|l| st.width(l) <= 300.0));
        assert_eq!(lines.join(" "), words.trim_end());
        assert_eq!(wrap(&word, st, 300.0), vec![word.clone()]);
    }

    #[test]
    fn only_the_head_that_lines_can_show_is_kept() {
        let st = Style::bold(20.0);
        assert_eq!(head_for_lines("Patient 1", st, 600.0, 3), "Patient 1");
        let long = "lung adenocarcinoma EGFR exon 19 deletion ".repeat(250_000);
        let head = head_for_lines(&long, st, 600.0, 3);
        assert!(long.starts_with(head));
        assert_eq!(head.chars().count(), drawable_chars(st, 600.0) * 4);
        // Still more than three lines' worth, so a wrapped title knows the text goes on.
        assert!(wrap(head, st, 600.0).len() > 3);
        let cjk = "肺腺癌".repeat(1_000_000);
        let cjk_head = head_for_lines(&cjk, st, 600.0, 3);
        assert_eq!(cjk_head.chars().count(), drawable_chars(st, 600.0) * 4);
        assert!(cjk.starts_with(cjk_head));
    }

    #[test]
    fn no_character_moves_the_pen_back() {
        // `wrap` and `ellipsize` stop measuring once a line is too wide: sound only while
        // adding a character never makes a line narrower (advance + kerning ≥ 0).
        for weight in [Weight::Regular, Weight::Bold] {
            let chars: Vec<char> = (' '..='~').chain("…éÄÖÜ–—“”‘’«»".chars()).collect();
            with_cache(|c| {
                for &a in &chars {
                    let pa = c.step(weight, Pen::default(), a);
                    for &b in &chars {
                        let pb = c.step(weight, pa, b);
                        assert!(pb.width >= pa.width, "{a:?}{b:?} in {weight:?}");
                    }
                }
            });
        }
    }

    #[test]
    fn index_finds_collisions() {
        let mut ix = TextIndex::new(50.0);
        ix.insert(Rect::from_xywh(10.0, 10.0, 100.0, 20.0));
        assert!(ix.collides(&Rect::from_xywh(100.0, 25.0, 30.0, 30.0)));
        assert!(!ix.collides(&Rect::from_xywh(110.0, 10.0, 30.0, 20.0)));
        assert!(!ix.collides(&Rect::from_xywh(0.0, 30.0, 300.0, 20.0)));
    }

    #[test]
    fn text_bbox_follows_anchor() {
        let st = Style::regular(20.0);
        let c = Color::rgb(0, 0, 0);
        let a = st.text("PFS", 100.0, 50.0, Anchor::End, c);
        assert!((a.bbox.max.x - 100.0).abs() < 1e-3);
        let b = st.at_top("PFS", 100.0, 10.0, Anchor::Middle, c);
        assert!((b.bbox.min.y - 10.0).abs() < 1e-3);
        assert!((b.bbox.center().x - 100.0).abs() < 1e-3);
    }
}

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

/// Per-thread cache of advances and kerning pairs at size 1, so measuring thousands of
/// labels costs a few table look-ups per character instead of font-table parsing.
/// A string's width is the sum of its characters' advances plus the kerning of each
/// adjacent pair, which is exactly how [`fonts::text_width`] adds it up (widths scale
/// linearly with the size).
struct WidthCache {
    ascii_adv: Vec<f32>,
    ascii_kern: Vec<f32>,
    adv: HashMap<(u8, char), f32>,
    kern: HashMap<(u8, char, char), f32>,
}

thread_local! {
    static WIDTHS: RefCell<WidthCache> = RefCell::new(WidthCache {
        ascii_adv: vec![f32::NAN; 2 * 128],
        ascii_kern: vec![f32::NAN; 2 * 128 * 128],
        adv: HashMap::new(),
        kern: HashMap::new(),
    });
}

fn weight_ix(w: Weight) -> usize {
    match w {
        Weight::Regular => 0,
        Weight::Bold => 1,
    }
}

fn cached_width(s: &str, weight: Weight) -> f32 {
    let wi = weight_ix(weight);
    WIDTHS.with(|c| {
        let mut c = c.borrow_mut();
        let mut total = 0.0f32;
        let mut prev: Option<char> = None;
        let mut buf = [0u8; 8];
        for ch in s.chars() {
            let adv = if ch.is_ascii() {
                let k = wi * 128 + ch as usize;
                let v = c.ascii_adv[k];
                if v.is_nan() {
                    let v = fonts::text_width(ch.encode_utf8(&mut buf), 1.0, weight);
                    c.ascii_adv[k] = v;
                    v
                } else {
                    v
                }
            } else {
                *c.adv
                    .entry((wi as u8, ch))
                    .or_insert_with(|| fonts::text_width(ch.encode_utf8(&mut buf), 1.0, weight))
            };
            total += adv;
            if let Some(p) = prev {
                total += pair_kern(&mut c, wi, weight, p, ch);
            }
            prev = Some(ch);
        }
        total
    })
}

fn pair_kern(c: &mut WidthCache, wi: usize, weight: Weight, a: char, b: char) -> f32 {
    let compute = || {
        let mut pair = String::with_capacity(8);
        pair.push(a);
        pair.push(b);
        let mut buf = [0u8; 4];
        let wa = fonts::text_width(a.encode_utf8(&mut buf), 1.0, weight);
        let wb = fonts::text_width(b.encode_utf8(&mut buf), 1.0, weight);
        fonts::text_width(&pair, 1.0, weight) - wa - wb
    };
    if a.is_ascii() && b.is_ascii() {
        let k = (wi * 128 + a as usize) * 128 + b as usize;
        let v = c.ascii_kern[k];
        if v.is_nan() {
            let v = compute();
            c.ascii_kern[k] = v;
            v
        } else {
            v
        }
    } else {
        *c.kern.entry((wi as u8, a, b)).or_insert_with(compute)
    }
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

/// Breaks `s` into lines no wider than `max_w` at spaces. A single word wider than
/// `max_w` stays whole on its own line (callers check and shorten it if they must).
pub fn wrap(s: &str, style: Style, max_w: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in s.split_whitespace() {
        let candidate = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
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

/// Shortens `s` to fit `max_w`, ending in "…"; `None` when not even one letter fits.
pub fn ellipsize(s: &str, style: Style, max_w: f32) -> Option<String> {
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
    use super::*;

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

//! The title band: patient, diagnosis and stage in bold, then a muted subtitle (age and sex,
//! day 0, the data cut-off, what `~` means when the figure shows one, the window shown).

use super::super::text::{self, Style};
use super::context::{Context, Out};
use super::stack::{Band, BandKind, Placement, Sizing};
use crate::model::{DayZeroOrigin, Precision, When};
use crate::scene::{Anchor, Color};

/// The title's lines, each with its style and colour.
pub(crate) struct TitleBand {
    lines: Vec<(String, Style, Color)>,
}

impl TitleBand {
    pub fn plan(cx: &Context) -> TitleBand {
        let tl = cx.timeline;
        let mut parts = vec![tl.patient.label.clone()];
        parts.extend(tl.patient.diagnosis.clone());
        parts.extend(tl.patient.stage.clone());
        TitleBand::from_parts(cx, &parts, &subtitle_parts(cx))
    }

    /// A title of `parts` (bold, joined by " · ", wrapped) over a muted subtitle of
    /// `subtitle` (the cohort figures' title).
    pub fn from_parts(cx: &Context, parts: &[String], subtitle: &[String]) -> TitleBand {
        let s = &cx.sizes;
        let avail_w = cx.width - 2.0 * s.margin;
        let mut lines = Vec::new();
        for l in join_wrap(parts, " · ", s.title, avail_w) {
            lines.push((l, s.title, cx.theme.text));
        }
        for l in join_wrap(subtitle, " · ", s.body, avail_w) {
            lines.push((l, s.body, cx.theme.muted));
        }
        TitleBand { lines }
    }
}

/// The subtitle's parts, in reading order.
fn subtitle_parts(cx: &Context) -> Vec<String> {
    let tl = cx.timeline;
    let mut sub = Vec::new();
    let age = tl.patient.age_text();
    let who: Vec<String> = age.into_iter().chain(tl.patient.sex.clone()).collect();
    if !who.is_empty() {
        sub.push(who.join(", "));
    }
    if tl.day_zero.is_some() {
        // "~2018-09" when day 0 was written to the month: the reader must know that
        // every "day N" is counted from an approximate date.
        let z = cx.format_when(When {
            day: 0,
            precision: tl.day_zero_precision,
        });
        let origin = match tl.day_zero_origin {
            DayZeroOrigin::Diagnosis => " (diagnosis)",
            DayZeroOrigin::Earliest => " (first record)",
            _ => "",
        };
        sub.push(format!("day 0 = {z}{origin}"));
    }
    sub.push(format!("data cut-off {}", cx.format_when(tl.data_cutoff)));
    if shows_tilde(cx) {
        sub.push("~ known to the month or year only".to_string());
    }
    if cx.windowed {
        sub.push(format!(
            "showing {} to {}",
            cx.format_when(When::day(cx.day_lo.round() as i64)),
            cx.format_when(When::day(cx.day_hi.round() as i64))
        ));
    }
    sub
}

/// Whether the figure shows a `~` (events, responses, image dates, interval lengths, day 0,
/// the cut-off): the subtitle then says once what it means.
fn shows_tilde(cx: &Context) -> bool {
    let tl = cx.timeline;
    let shown = |w: When| w.is_approximate() && cx.day_shown(w.day as f64);
    tl.day_zero_precision != Precision::Day
        || tl.data_cutoff.is_approximate()
        || tl.events.iter().any(|e| shown(e.at))
        || tl.responses.iter().any(|r| shown(r.at))
        || tl.images.iter().any(|i| shown(i.at))
        || tl.intervals.iter().any(|i| {
            (i.span.start.is_approximate() || i.span.end.is_approximate())
                && cx.span_shown(i.span.start.day as f64, i.span.end.day as f64)
        })
}

impl Band for TitleBand {
    fn kind(&self) -> BandKind {
        BandKind::Title
    }

    fn height(&self, cx: &Context, _: &Sizing) -> f32 {
        self.lines
            .iter()
            .map(|(_, st, _)| st.height() * 1.12)
            .sum::<f32>()
            + cx.sizes.space
    }

    fn emit(&self, cx: &Context, _: &Sizing, stack: &Placement, out: &mut Out) {
        let margin = cx.sizes.margin;
        let mut y = stack.top(BandKind::Title);
        for (l, st, c) in &self.lines {
            out.text(st.at_top(l, margin, y, Anchor::Start, *c), None);
            y += st.height() * 1.12;
        }
    }
}

/// The most lines a title block (the patient line, the line under it) wraps to; the last
/// one shown ends in "…" when there is more.
const MAX_TITLE_LINES: usize = 3;

/// Joins `parts` with `sep` into lines no wider than `max_w` (at most [`MAX_TITLE_LINES`]);
/// a part too long on its own is wrapped at spaces.
fn join_wrap(parts: &[String], sep: &str, st: Style, max_w: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for p in parts {
        // Only what the title's lines can show is measured (the rest becomes the "…").
        let p = text::head_for_lines(p, st, max_w, MAX_TITLE_LINES);
        let cand = if cur.is_empty() {
            p.to_owned()
        } else {
            format!("{cur}{sep}{p}")
        };
        if st.width(&cand) <= max_w {
            cur = cand;
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        if st.width(p) <= max_w {
            cur = p.to_owned();
        } else {
            let mut w = text::wrap(p, st, max_w);
            cur = w.pop().unwrap_or_default();
            lines.extend(w);
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    if lines.len() > MAX_TITLE_LINES {
        // Marks the cut even when the last kept line happens to fit whole.
        let last = format!("{}…", lines[MAX_TITLE_LINES - 1]);
        lines.truncate(MAX_TITLE_LINES - 1);
        lines.push(last);
    }
    lines
        .into_iter()
        .map(|l| {
            if st.width(&l) > max_w {
                text::ellipsize(&l, st, max_w).unwrap_or_default()
            } else {
                l
            }
        })
        .collect()
}

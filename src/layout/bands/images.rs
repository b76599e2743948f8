//! The image strip under the axis: a thumbnail per image (a dashed placeholder when it could
//! not be read) in a slot near its day, a leader from the axis, the date and the caption.

use super::super::text;
use super::context::{Context, Out};
use super::shapes::image_shape;
use super::stack::{Band, BandKind, Placement, Sizing};
use crate::scene::{Anchor, ItemRef, Point, Rect, Shape, Stroke};

/// Each image slot is at least as wide as the thumbnail is high (room for its caption).
pub(crate) const MIN_SLOT_ASPECT: f32 = 1.0;

/// A planned image.
pub(crate) struct StripImage {
    idx: usize,
    x: f32,
    /// Width / height, clamped to 0.2–5.
    pub aspect: f32,
    date: String,
    caption: Option<String>,
}

/// The images in the window, in day order.
pub(crate) struct ImageStripBand {
    pub images: Vec<StripImage>,
}

impl ImageStripBand {
    pub fn plan(cx: &Context) -> ImageStripBand {
        let tl = cx.timeline;
        let mut idxs: Vec<usize> = (0..tl.images.len())
            .filter(|&i| cx.day_shown(tl.images[i].at.day as f64))
            .collect();
        idxs.sort_by_key(|&i| tl.images[i].at.day);
        let images = idxs
            .into_iter()
            .map(|i| {
                let im = &tl.images[i];
                let aspect = match &im.data {
                    Ok(d) if d.width > 0 && d.height > 0 => {
                        (d.width as f32 / d.height as f32).clamp(0.2, 5.0)
                    }
                    _ => 4.0 / 3.0,
                };
                StripImage {
                    idx: i,
                    x: cx.x_of(im.at.day as f64),
                    aspect,
                    date: cx.format_when(im.at),
                    caption: im.caption.clone(),
                }
            })
            .collect();
        ImageStripBand { images }
    }

    /// The widths of the image slots: each as wide as its thumbnail, widened (within its fair
    /// share of the strip) so its caption needs fewer lines.
    pub fn slot_widths(&self, cx: &Context, thumb_h: f32) -> Vec<f32> {
        let s = &cx.sizes;
        let (px0, px1) = (cx.plot_x0, cx.plot_x1);
        let sep = s.space * 2.0;
        let n_img = self.images.len().max(1) as f32;
        let fair = ((px1 - px0) - sep * (n_img - 1.0)) / n_img;
        let mut widths: Vec<f32> = self
            .images
            .iter()
            .map(|i| {
                let tw = thumb_h * i.aspect;
                let most = (tw * 2.0).min(fair);
                let want = i
                    .caption
                    .as_deref()
                    .map(|c| s.small.width_up_to(c, most))
                    .unwrap_or(0.0)
                    .max(s.small.width_up_to(&i.date, most));
                tw.max(want.min(most))
            })
            .collect();
        let total: f32 = widths.iter().sum::<f32>() + sep * (n_img - 1.0);
        if total > px1 - px0 {
            for (wd, i) in widths.iter_mut().zip(&self.images) {
                *wd = (thumb_h * i.aspect).max(fair.min(*wd));
            }
        }
        widths
    }

    /// The number of caption lines the strip needs at this thumbnail height (at most 3).
    pub fn caption_lines(&self, cx: &Context, thumb_h: f32) -> usize {
        let s = &cx.sizes;
        let widths = self.slot_widths(cx, thumb_h);
        self.images
            .iter()
            .zip(widths)
            .map(|(i, w)| {
                i.caption
                    .as_deref()
                    .map(|c| {
                        // Only what three lines can show is wrapped (a 10 MB caption of
                        // Chinese breaks between every character).
                        let c = text::head_for_lines(c, s.small, w + s.space, 3);
                        text::wrap(c, s.small, w + s.space).len()
                    })
                    .unwrap_or(0)
            })
            .max()
            .unwrap_or(0)
            .min(3)
    }

    /// Slot left edges: near each image's day, in order, inside the plot.
    fn slot_lefts(&self, cx: &Context, widths: &[f32]) -> Vec<f32> {
        let sep = cx.sizes.space * 2.0;
        let mut lefts: Vec<f32> = Vec::with_capacity(widths.len());
        let mut prev = cx.plot_x0 - sep;
        for (i, im) in self.images.iter().enumerate() {
            let l = (im.x - widths[i] / 2.0).max(prev + sep).max(cx.plot_x0);
            lefts.push(l);
            prev = l + widths[i];
        }
        let mut next = cx.plot_x1 + sep;
        for i in (0..lefts.len()).rev() {
            let r = (lefts[i] + widths[i]).min(next - sep);
            lefts[i] = r - widths[i];
            next = lefts[i];
        }
        lefts
    }
}

impl Band for ImageStripBand {
    fn kind(&self) -> BandKind {
        BandKind::ImageStrip
    }

    fn height(&self, cx: &Context, sizing: &Sizing) -> f32 {
        let s = &cx.sizes;
        if !sizing.show_images {
            return 0.0;
        }
        s.body.size * 1.6
            + sizing.thumb
            + s.space * 0.5
            + s.small.height() * (1 + sizing.caption_lines) as f32 * 1.05
    }

    fn emit(&self, cx: &Context, sizing: &Sizing, stack: &Placement, out: &mut Out) {
        if !sizing.show_images || self.images.is_empty() {
            return;
        }
        let y = stack.top(BandKind::ImageStrip);
        let widths = self.slot_widths(cx, sizing.thumb);
        let lefts = self.slot_lefts(cx, &widths);
        for (i, im) in self.images.iter().enumerate() {
            if lefts[i] < cx.plot_x0 - 0.5 {
                continue;
            }
            draw_image(cx, sizing, im, (lefts[i], widths[i]), y, out);
        }
    }
}

/// One slot: leader, thumbnail (or placeholder), date and caption.
fn draw_image(
    cx: &Context,
    sizing: &Sizing,
    im: &StripImage,
    (left, slot_w): (f32, f32),
    y: f32,
    out: &mut Out,
) {
    let (s, th) = (&cx.sizes, &cx.theme);
    let strip_top = y + s.body.size * 1.6;
    let thumb_h = sizing.thumb;
    let sep = s.space * 2.0;
    let tw = thumb_h * im.aspect;
    let tr = Rect::from_xywh(left + (slot_w - tw) / 2.0, strip_top, tw, thumb_h);
    let meaning = Some(ItemRef::Image(im.idx));
    out.under(Shape::Path {
        points: vec![
            Point::new(im.x, y - s.space * 0.2),
            Point::new(im.x, y + s.body.size * 0.5),
            Point::new(tr.center().x, strip_top - s.body.size * 0.3),
            Point::new(tr.center().x, strip_top),
        ],
        closed: false,
        fill: None,
        stroke: Some(Stroke::solid(s.line, th.leader)),
    });
    match &cx.timeline.images[im.idx].data {
        Ok(data) => image_shape(out, tr, data.clone(), meaning, th, s),
        Err(_) => draw_placeholder(cx, tr, meaning, out),
    }
    // Caption: date, then the caption wrapped to the slot.
    let mut cy = tr.max.y + s.space * 0.5;
    let center_x = left + slot_w / 2.0;
    let date = s
        .small
        .at_top(&im.date, center_x, cy, Anchor::Middle, th.muted);
    if out.text(date, meaning) {
        cy += s.small.height() * 1.05;
    }
    if let Some(c) = &im.caption {
        let max_lines = sizing.caption_lines.max(1);
        let c = text::head_for_lines(c, s.small, slot_w + sep * 0.5, max_lines);
        let mut lines = text::wrap(c, s.small, slot_w + sep * 0.5);
        if lines.len() > max_lines {
            let rest = lines[max_lines - 1..].join(" ");
            lines.truncate(max_lines - 1);
            lines.push(rest);
        }
        for l in lines {
            let l = text::ellipsize(&l, s.small, slot_w + sep * 0.5).unwrap_or_default();
            let t = s.small.at_top(&l, center_x, cy, Anchor::Middle, th.text);
            out.text(t, meaning);
            cy += s.small.height() * 1.05;
        }
    }
}

/// A dashed frame saying "image missing" for an image that could not be read.
fn draw_placeholder(cx: &Context, tr: Rect, meaning: Option<ItemRef>, out: &mut Out) {
    let (s, th) = (&cx.sizes, &cx.theme);
    out.shape(
        Shape::Rect {
            rect: tr,
            corner: 0.0,
            fill: Some(th.placeholder),
            stroke: Some(Stroke {
                width: s.line,
                color: th.muted,
                dash: Some((s.line * 4.0, s.line * 3.0)),
            }),
        },
        meaning,
    );
    let lines = text::wrap("image missing", s.small, tr.width() - s.space);
    let lh = s.small.height();
    let total = lh * lines.len() as f32;
    if total <= tr.height() - s.space
        && lines
            .iter()
            .all(|l| s.small.width(l) <= tr.width() - s.space)
    {
        let mut yy = tr.center().y - total / 2.0;
        for l in lines {
            let t = s
                .small
                .at_top(&l, tr.center().x, yy, Anchor::Middle, th.muted);
            out.text(t, meaning);
            yy += lh;
        }
    }
}

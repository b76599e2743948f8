//! The figure canvas (laid out at the canvas width, scrolled, zoomed and panned in time)
//! and the enlarged-image window.

use super::*;

impl ViewerApp {
    /// The time window on screen: the cohort's when a cohort is shown, else the view's.
    fn screen_window(&self) -> Option<(f64, f64)> {
        match self.cohort_shown() {
            Some(c) => c.view.window,
            None => self.view.window,
        }
    }

    /// The days the zoom may cover: the cohort's lanes, or the timeline's range.
    fn day_range(&self) -> Option<(i64, i64)> {
        match self.cohort_shown() {
            Some(c) => Some(c.range),
            None => self.timeline().map(|t| t.day_range()),
        }
    }

    /// True when the figure on screen zooms and pans in time (a timeline, the swimmer).
    pub(super) fn zooms(&self) -> bool {
        self.cohort_shown().is_none_or(|c| c.view.tab.zooms())
    }

    /// The days the canvas shows: the time window, or the whole plot.
    fn shown_days(&self) -> Option<(f64, f64)> {
        self.screen_window().or_else(|| {
            let s = &self.cached.as_ref()?.scene;
            Some((
                s.time_axis.day_of(s.plot.min.x),
                s.time_axis.day_of(s.plot.max.x),
            ))
        })
    }

    /// Zooms the time window around its middle by `factor` (its new width over its old
    /// one) and moves it by `pan` of its width (the keyboard's + − ← →).
    pub(super) fn zoom_pan(&mut self, factor: f64, pan: f64) {
        let Some((a, b)) = self.shown_days() else {
            return;
        };
        if !(factor.is_finite() && factor > 0.0 && pan.is_finite() && self.zooms()) {
            return;
        }
        let (mid, half) = ((a + b) / 2.0, (b - a) / 2.0 * factor);
        let shift = (b - a) * pan;
        let w = clamp_window(mid - half + shift, mid + half + shift, self.day_range());
        self.apply(Command::SetWindow(w));
    }

    /// Lays out the on-screen scene for a canvas size when anything it depends on changed:
    /// at the canvas's width and the height the figure needs (the canvas scrolls), so the
    /// viewer never cuts or squeezes a part out; a figure shorter than the canvas is laid out
    /// again at the canvas's height, so it fills the window as it fills a slide (taller lanes,
    /// more room between bands) instead of sitting in a strip at the top.
    pub(super) fn ensure_scene(&mut self, size: egui::Vec2) {
        let Some(doc) = &self.doc else { return };
        let Some(tl) = &doc.timeline else { return };
        let key = SceneKey {
            generation: doc.generation,
            options: self.view.clone(),
            size: canvas_size(size),
            cohort: None,
        };
        if self.cached.as_ref().is_some_and(|c| c.key == key) {
            return;
        }
        let page = Page {
            height: None,
            ..Page::pixels(key.size.0 as f32, MIN_CANVAS.1)
        };
        let window = key.size.1 as f32;
        let laid_out = layout_guarded(tl, &self.view, &page).and_then(|scene| {
            if scene.height + 1.0 >= window {
                return Ok(scene);
            }
            let fill = Page {
                height: Some(window),
                ..page
            };
            layout_guarded(tl, &self.view, &fill)
        });
        match laid_out {
            Ok(scene) => {
                self.layout_error = None;
                self.cached = Some(Cached::new(key, scene, Vec::new()));
            }
            Err(e) => {
                // Keep the last figure; say why it did not change.
                self.layout_error = Some(e);
                if let Some(c) = &mut self.cached {
                    c.key = key;
                }
            }
        }
    }

    // ----- UI -----

    pub(super) fn canvas(&mut self, ui: &mut egui::Ui) {
        if self.cohort_shown().is_some() {
            self.cohort_canvas(ui);
            return;
        }
        let avail = ui.available_size();
        self.ensure_scene(avail);
        let Some(cached) = &mut self.cached else {
            if let Some(doc) = &self.doc {
                ui.centered_and_justified(|ui| {
                    ui.label(if doc.failed {
                        "The file did not load — see the problems below."
                    } else {
                        "No figure"
                    });
                });
            }
            return;
        };
        let scene = cached.scene.clone();
        if let Some(doc) = &self.doc
            && doc.failed
        {
            // The figure is from before the file broke: say so above it (and frame it).
            ui.label(
                RichText::new(doc.stale_note())
                    .strong()
                    .color(ui.visuals().warn_fg_color),
            );
        }
        // Said above the figure, in the core's words (the viewer lays out at the height the
        // figure needs, so this is rare: lane rows too many for any label).
        if let Some(msg) = scene.left_out.message() {
            ui.colored_label(ui.visuals().warn_fg_color, msg);
        }
        let avail = ui.available_size();
        if scene.width > avail.x + 0.5 {
            // Narrower than the figure's minimum width: scroll rather than squeeze.
            egui::ScrollArea::both()
                .auto_shrink([false, false])
                .show(ui, |ui| self.figure(ui, &scene, true));
        } else if scene.height > avail.y + 0.5 {
            // Taller than the window: the canvas scrolls vertically; Ctrl+wheel zooms.
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| self.figure(ui, &scene, true));
        } else {
            self.figure(ui, &scene, false);
        }
    }

    /// Paints the figure; `scrolls`: the canvas scrolls, so the plain wheel scrolls it and
    /// only Ctrl+wheel or a pinch zooms in time.
    pub(super) fn figure(&mut self, ui: &mut egui::Ui, scene: &Arc<Scene>, scrolls: bool) {
        let ctx = ui.ctx().clone();
        let scene = scene.clone();
        let size = egui::vec2(scene.width, scene.height);
        let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click_and_drag());
        let label = match self.cohort_shown() {
            Some(c) => format!("{} plot", c.view.tab.title()),
            None => "Timeline figure".to_string(),
        };
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &label));
        let tr = Transform {
            offset: rect.min.to_vec2(),
            scale: 1.0,
        };
        let painter = ui.painter_at(rect);
        self.paint_cached(&ctx, &painter, tr);
        if self.doc.as_ref().is_some_and(|d| d.failed) {
            painter.rect_stroke(
                rect,
                0.0,
                egui::Stroke::new(4.0, ui.visuals().warn_fg_color),
                egui::StrokeKind::Inside,
            );
        }
        if response.has_focus() {
            // Tab reached the figure: ← → + − move and zoom it.
            painter.rect_stroke(
                rect.shrink(1.0),
                0.0,
                ui.visuals().selection.stroke,
                egui::StrokeKind::Inside,
            );
        }

        // Hover: highlight and describe the item under the pointer.
        self.hovered = None;
        if let Some(pos) = response.hover_pos() {
            let p = tr.inverse(pos);
            if let Some((item, d)) = self.describe_at(&scene, p) {
                self.hovered = Some(item);
                let lane = match item {
                    ItemRef::Patient(i) => self.cached.as_ref().and_then(|c| c.lanes.get(i)),
                    _ => None,
                };
                if let Some(b) = lane.copied().or_else(|| scene.bounds_of(item)) {
                    painter.rect_stroke(
                        tr.rect(&b.expand(2.0)),
                        2.0,
                        egui::Stroke::new(
                            1.5,
                            c32(crate::theme::PanelColors::of(ui.visuals().dark_mode).highlight),
                        ),
                        egui::StrokeKind::Outside,
                    );
                }
                if let Some(d) = d {
                    let opens = item.patient().is_some();
                    response.clone().on_hover_ui_at_pointer(|ui| {
                        // Wide enough that a date and its day number stay on one line.
                        ui.set_min_width(320.0);
                        ui.label(RichText::new(&d.title).strong());
                        for l in &d.lines {
                            ui.label(l);
                        }
                        if opens {
                            ui.label(RichText::new(OPEN_HINT).weak());
                        }
                    });
                }
            }
        }
        if response.clicked() {
            match self.hovered {
                Some(ItemRef::Image(i)) => self.queue.push(Command::ShowImage(Some(i))),
                Some(item) => {
                    if let Some(i) = item.patient() {
                        self.queue.push(Command::OpenLane(i));
                    }
                }
                None => {}
            }
        }

        // Zoom (wheel, Ctrl+wheel, pinch) and pan (drag, horizontal scroll) along time.
        if response.hovered() || response.dragged() {
            let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta()));
            let plot = scene.plot;
            let (d0, d1) = self.screen_window().unwrap_or((
                scene.time_axis.day_of(plot.min.x),
                scene.time_axis.day_of(plot.max.x),
            ));
            let span = d1 - d0;
            let factor = if zoom != 1.0 {
                1.0 / zoom as f64
            } else if scrolls {
                1.0
            } else {
                (-scroll.y as f64 * 0.003).exp()
            };
            let pan_px = response.drag_delta().x + scroll.x;
            if ((factor - 1.0).abs() > 1e-6 || pan_px != 0.0) && self.zooms() {
                let pointer_day = response
                    .hover_pos()
                    .map(|p| scene.time_axis.day_of(tr.inverse(p).x))
                    .unwrap_or((d0 + d1) / 2.0);
                let mut a = pointer_day - (pointer_day - d0) * factor;
                let mut b = pointer_day + (d1 - pointer_day) * factor;
                let days_per_px = span / plot.width().max(1.0) as f64;
                a -= pan_px as f64 * days_per_px;
                b -= pan_px as f64 * days_per_px;
                let new = clamp_window(a, b, self.day_range());
                self.queue.push(Command::SetWindow(new));
            }
        }
    }

    /// The item at figure point `p` and its words: a timeline's item, or a cohort's patient
    /// or the item on its lane (the lane's row when no item is under `p`).
    fn describe_at(
        &self,
        scene: &Scene,
        p: crate::scene::Point,
    ) -> Option<(ItemRef, Option<crate::details::Details>)> {
        if let Some(c) = self.cohort_shown() {
            let item = scene.hit(p).filter(|i| i.patient().is_some()).or_else(|| {
                let lanes = &self.cached.as_ref()?.lanes;
                crate::layout::cohort::lane_at(lanes, p).map(ItemRef::Patient)
            })?;
            return Some((item, crate::details::describe_member(&c.cohort, item)));
        }
        let item = scene.hit(p)?;
        let tl = self.timeline()?;
        Some((item, crate::details::describe(tl, item)))
    }

    /// Paints the cached scene's shapes under `tr`: built once per scene (and pixels per
    /// point) at the figure's origin, then each frame only those inside the painter's clip
    /// rectangle, moved into place — so scrolling a tall figure costs what is in view.
    pub(super) fn paint_cached(
        &mut self,
        ctx: &egui::Context,
        painter: &egui::Painter,
        tr: Transform,
    ) {
        let Some(cached) = &mut self.cached else {
            return;
        };
        let ppp = ctx.pixels_per_point();
        if cached.shapes_key != Some(ppp) {
            let t0 = Instant::now();
            let origin = Transform {
                offset: egui::Vec2::ZERO,
                scale: tr.scale,
            };
            cached.shapes = paint::scene_shapes(&cached.scene, origin, ctx, &mut self.textures)
                .into_iter()
                .map(|s| (s.visual_bounding_rect(), s))
                .collect();
            cached.shapes_key = Some(ppp);
            self.last_build = t0.elapsed();
        }
        let view = painter.clip_rect().translate(-tr.offset);
        painter.extend(
            cached
                .shapes
                .iter()
                .filter(|(r, _)| r.intersects(view))
                .map(|(_, s)| {
                    let mut s = s.clone();
                    s.translate(tr.offset);
                    s
                }),
        );
    }

    pub(super) fn image_window(&mut self, ctx: &egui::Context) {
        let Some(i) = self.enlarged else { return };
        let Some(tl) = self.timeline().cloned() else {
            return;
        };
        let Some(img) = tl.images.get(i) else {
            self.enlarged = None;
            return;
        };
        let mut open = true;
        // The window is as big as the image shown in it: the image fitted into 80 % of
        // the window (room left for the caption), never enlarged more than 4×.
        let screen = ctx.content_rect().size();
        egui::Window::new(img.caption.clone().unwrap_or_else(|| img.path.clone()))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .show(ctx, |ui| {
                match &img.data {
                    Ok(data) => {
                        if let Some(tex) = self.textures.get(ctx, data) {
                            let (w, h) = (data.width.max(1) as f32, data.height.max(1) as f32);
                            let s = (screen.x * 0.8 / w)
                                .min((screen.y * 0.8 - 90.0).max(50.0) / h)
                                .min(4.0);
                            ui.image((tex, egui::vec2(w * s, h * s)));
                        } else {
                            ui.label("This image could not be decoded.");
                        }
                    }
                    Err(e) => {
                        ui.label(format!("Not shown: {e}"));
                    }
                }
                if let Some(d) = crate::details::describe(&tl, ItemRef::Image(i)) {
                    for l in d.lines.iter().take(2) {
                        ui.label(l);
                    }
                }
            });
        if !open {
            self.enlarged = None;
        }
    }
}

/// Said under a cohort tooltip.
const OPEN_HINT: &str = "Click to open this patient's timeline (Back returns)";

/// The canvas size a scene is laid out for, in whole points, at least [`MIN_CANVAS`].
pub(super) fn canvas_size(size: egui::Vec2) -> (u32, u32) {
    (
        size.x.max(MIN_CANVAS.0).floor() as u32,
        size.y.max(MIN_CANVAS.1).floor() as u32,
    )
}

/// Keeps a time window sensible: at least a week, inside the timeline's range (with a
/// margin); `None` once it covers the whole timeline.
pub fn clamp_window(a: f64, b: f64, range: Option<(i64, i64)>) -> Option<(f64, f64)> {
    if !(a.is_finite() && b.is_finite()) {
        return None;
    }
    let (mut a, mut b) = (a.min(b), a.max(b));
    if b - a < 7.0 {
        let m = (a + b) / 2.0;
        a = m - 3.5;
        b = m + 3.5;
    }
    let Some((lo, hi)) = range else {
        return Some((a, b));
    };
    let margin = ((hi - lo) as f64 * 0.05).max(7.0);
    let (lo, hi) = (lo as f64 - margin, hi as f64 + margin);
    if b - a >= hi - lo {
        return None;
    }
    if a < lo {
        b += lo - a;
        a = lo;
    }
    if b > hi {
        a -= b - hi;
        b = hi;
    }
    Some((a, b))
}

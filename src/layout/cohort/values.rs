//! The waterfall and spider plots: % change from baseline of one measurement, on a value
//! axis in the label column, with the RECIST reference lines (+20 % progression, −30 %
//! partial response) dashed and labelled at the plot's right end.
//!
//! Waterfall: one bar per evaluable patient, the best (lowest) change after baseline,
//! sorted from the largest increase to the largest decrease, coloured by group when the
//! cohort is grouped, else by best overall response; a bar past +100 % is cut at +100 %
//! with a break mark. Spider: one line per patient over time from zero, coloured the same
//! way. Patients not evaluable are counted in the subtitle and returned in
//! [`CohortScene::not_shown`].

use super::super::LayoutOptions;
use super::super::axis::nice_ticks;
use super::super::bands::context::{Context, Out, Sizes};
use super::super::bands::legend::{Entry, LegendBand, Swatch, response_entry};
use super::super::bands::rel_axis::{AxisSide, RelativeAxisBand};
use super::super::bands::shapes::{break_mark, rect};
use super::super::bands::stack::{self, Band, BandKind, Placement, Sizing};
use super::super::bands::title::TitleBand;
use super::super::build;
use super::{CohortScene, common_subtitle, frame, sizing, stub_timeline};
use crate::cohort::Cohort;
use crate::cohort::measure::{self, Series};
use crate::model::ResponseResult;
use crate::page::Page;
use crate::scene::{Anchor, Color, ItemRef, LeftOut, MarkerShape, Point, Rect, Shape, Stroke};

/// The RECIST thresholds drawn on both plots: progression and partial response.
pub const REFERENCE_PCT: [f64; 2] = [20.0, -30.0];

/// Bars past this change are cut here with a mark.
pub const WATERFALL_CLIP: f64 = 100.0;

/// Which plot.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Waterfall,
    Spider,
}

/// The plot band: the value axis, reference lines, bars or lines.
struct ValuePlotBand {
    kind: Kind,
    series: Vec<Series>,
    colors: Vec<Color>,
    /// Value range shown (% change).
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
    plot_h: f32,
    /// Each bar's patient label under the plot (waterfall, when every label fits its slot).
    labels: Option<Vec<String>>,
}

impl ValuePlotBand {
    fn y_of(&self, top: f32, v: f64) -> f32 {
        let f = ((v.clamp(self.lo, self.hi) - self.lo) / (self.hi - self.lo).max(1e-9)) as f32;
        top + self.plot_h * (1.0 - f)
    }
}

impl Band for ValuePlotBand {
    fn kind(&self) -> BandKind {
        BandKind::ValuePlot
    }

    fn height(&self, cx: &Context, _: &Sizing) -> f32 {
        // Room above for the top tick's label, below for the bottom one's (or the labels).
        let labels = if self.labels.is_some() {
            cx.sizes.small.height() * 1.3
        } else {
            0.0
        };
        self.plot_h + cx.sizes.small.height() + cx.sizes.space + labels
    }

    fn emit(&self, cx: &Context, _: &Sizing, stack: &Placement, out: &mut Out) {
        let (s, th) = (&cx.sizes, &cx.theme);
        let top = stack.top(BandKind::ValuePlot) + s.small.height() / 2.0;
        // The plot ends where the time (or bar) axis does; the reference labels sit right of it.
        let (x0, x1) = (cx.plot_x0, cx.axis_x1 + cx.plot_pad);
        for &v in &self.ticks {
            let y = self.y_of(top, v);
            let grid = if v == 0.0 { th.axis } else { th.grid };
            out.under(Shape::Line {
                from: Point::new(x0, y),
                to: Point::new(x1, y),
                stroke: Stroke::solid(s.line, grid),
            });
            let label = format!("{} %", signed(v));
            let t = s
                .small
                .centered(&label, cx.column_right, y, Anchor::End, th.text);
            out.text(t, None);
        }
        out.line(
            Point::new(x0, top),
            Point::new(x0, top + self.plot_h),
            Stroke::solid(s.line, th.axis),
        );
        for r in REFERENCE_PCT {
            if r < self.lo || r > self.hi {
                continue;
            }
            let y = self.y_of(top, r);
            let st = Stroke {
                width: s.line * 1.2,
                color: th.muted,
                dash: Some((s.space * 0.8, s.space * 0.6)),
            };
            out.under(Shape::Line {
                from: Point::new(x0, y),
                to: Point::new(x1, y),
                stroke: st,
            });
            let t = s.small.centered(
                &format!("{} %", signed(r)),
                x1 + s.space * 0.4,
                y,
                Anchor::Start,
                th.muted,
            );
            out.text(t, None);
        }
        match self.kind {
            Kind::Waterfall => self.emit_bars(cx, top, out),
            Kind::Spider => self.emit_lines(cx, top, out),
        }
    }
}

impl ValuePlotBand {
    fn emit_bars(&self, cx: &Context, top: f32, out: &mut Out) {
        let (s, th) = (&cx.sizes, &cx.theme);
        let zero = self.y_of(top, 0.0);
        for (i, se) in self.series.iter().enumerate() {
            let m = Some(ItemRef::Patient(se.member));
            let a = cx.x_of(i as f64 + 0.12);
            let b = cx.x_of(i as f64 + 0.88).max(a + 1.0);
            let y = self.y_of(top, se.best);
            let r = Rect::from_min_max(Point::new(a, y.min(zero)), Point::new(b, y.max(zero)));
            let stroke = th.bar_outline.map(|c| Stroke::solid(s.line * 0.8, c));
            out.shape(rect(r, Some(self.colors[i]), stroke), m);
            if se.best > self.hi {
                break_mark(
                    out,
                    (a + b) / 2.0,
                    y + s.body.size * 0.6,
                    s.body.size,
                    th,
                    s,
                );
            }
            if let Some(labels) = &self.labels {
                let t = s.small.at_top(
                    &labels[i],
                    (a + b) / 2.0,
                    top + self.plot_h + s.small.height() * 0.6,
                    Anchor::Middle,
                    th.text,
                );
                out.text(t, m);
            }
        }
    }

    fn emit_lines(&self, cx: &Context, top: f32, out: &mut Out) {
        let (s, th) = (&cx.sizes, &cx.theme);
        for (i, se) in self.series.iter().enumerate() {
            let m = Some(ItemRef::Patient(se.member));
            let pts: Vec<Point> = se
                .points
                .iter()
                .map(|&(d, v)| Point::new(cx.x_of(d as f64), self.y_of(top, v)))
                .collect();
            if pts.len() > 1 {
                out.shape(
                    Shape::Path {
                        points: pts.clone(),
                        closed: false,
                        fill: None,
                        stroke: Some(Stroke::solid(s.line * 1.6, self.colors[i])),
                    },
                    m,
                );
            }
            for p in pts {
                out.shape(
                    Shape::Marker {
                        center: p,
                        shape: MarkerShape::Circle,
                        size: s.marker * 0.55,
                        fill: self.colors[i],
                        stroke: Some(Stroke::solid(s.line * 0.5, th.marker_outline())),
                    },
                    m,
                );
            }
        }
    }
}

/// `+20`, `−30`, `0` (a true minus sign).
fn signed(v: f64) -> String {
    let r = super::swimmer::trim_number(v.abs());
    if v > 0.0 {
        format!("+{r}")
    } else if v < 0.0 {
        format!("−{r}")
    } else {
        "0".to_string()
    }
}

/// Colours by group (when grouped) or best response, and the legend that explains them.
fn colors_and_legend(cx: &Context, cohort: &Cohort, series: &[Series]) -> (Vec<Color>, Vec<Entry>) {
    let th = &cx.theme;
    let none = Color::rgb(0xbb, 0xbb, 0xbb);
    let mut legend = Vec::new();
    if cohort.options.group_by.is_some() && !cohort.groups.is_empty() {
        let gix = |se: &Series| {
            cohort.members[se.member]
                .group
                .as_ref()
                .and_then(|g| cohort.groups.iter().position(|x| x == g))
        };
        let colors = series
            .iter()
            .map(|se| gix(se).map_or(none, |g| th.group(g)))
            .collect();
        for (gi, g) in cohort.groups.iter().enumerate() {
            if series.iter().any(|se| gix(se) == Some(gi)) {
                legend.push(Entry {
                    swatch: Swatch::Band(th.group(gi)),
                    label: g.clone(),
                });
            }
        }
        if series.iter().any(|se| gix(se).is_none()) {
            legend.push(Entry {
                swatch: Swatch::Band(none),
                label: "no group".to_string(),
            });
        }
        return (colors, legend);
    }
    let colors = series
        .iter()
        .map(|se| se.best_response.map_or(none, |r| th.response(r)))
        .collect();
    for &r in ResponseResult::ALL {
        if series.iter().any(|se| se.best_response == Some(r)) {
            let mut e = response_entry(th, r);
            e.swatch = Swatch::Band(th.response(r));
            legend.push(e);
        }
    }
    if series.iter().any(|se| se.best_response.is_none()) {
        legend.push(Entry {
            swatch: Swatch::Band(none),
            label: "no response assessed".to_string(),
        });
    }
    (colors, legend)
}

/// The waterfall plot of a cohort: `Err` when no measurement is named or found.
pub fn waterfall(cohort: &Cohort, opt: &LayoutOptions, page: &Page) -> Result<CohortScene, String> {
    value_plot(cohort, opt, page, Kind::Waterfall)
}

/// The spider plot of a cohort: `Err` when no measurement is named or found.
pub fn spider(cohort: &Cohort, opt: &LayoutOptions, page: &Page) -> Result<CohortScene, String> {
    value_plot(cohort, opt, page, Kind::Spider)
}

fn value_plot(
    cohort: &Cohort,
    opt: &LayoutOptions,
    page: &Page,
    kind: Kind,
) -> Result<CohortScene, String> {
    let name = measure::measure_name(cohort)?;
    let (mut series, not_shown) = measure::series(cohort, &name);
    if kind == Kind::Waterfall {
        // Largest increase first; ties in lane order.
        series.sort_by(|a, b| b.best.total_cmp(&a.best).then(a.member.cmp(&b.member)));
    }
    let values = series.iter().flat_map(|se| match kind {
        Kind::Waterfall => vec![se.best],
        Kind::Spider => se.points.iter().map(|p| p.1).collect(),
    });
    let (vmin, vmax) = values.fold((-40.0f64, 30.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let vmax = if kind == Kind::Waterfall {
        vmax.min(WATERFALL_CLIP)
    } else {
        vmax
    };
    let (ticks, _) = nice_ticks(vmin, vmax, 6);
    let (lo, hi) = (
        ticks.first().copied().unwrap_or(vmin),
        ticks.last().copied().unwrap_or(vmax),
    );
    let title_default = match kind {
        Kind::Waterfall => "Waterfall plot",
        Kind::Spider => "Spider plot",
    };
    let title = cohort
        .options
        .title
        .clone()
        .unwrap_or_else(|| title_default.to_string());
    let stub = stub_timeline(&title);
    let sizes = Sizes::new(page, 1.0);
    let column_w = ticks
        .iter()
        .map(|v| sizes.small.width(&format!("{} %", signed(*v))))
        .fold(0.0f32, f32::max);
    let range = match kind {
        Kind::Waterfall => (0.0, series.len().max(1) as f64),
        Kind::Spider => {
            let days = series
                .iter()
                .flat_map(|se| se.points.iter().map(|p| p.0 as f64));
            days.fold((0.0f64, 1.0f64), |(a, b), d| (a.min(d), b.max(d)))
        }
    };
    let ref_w = REFERENCE_PCT
        .iter()
        .map(|r| sizes.small.width(&format!("{} %", signed(*r))))
        .fold(0.0f32, f32::max);
    let cx = frame(&stub, opt, page, range, column_w, ref_w + sizes.space);
    let mut sub = common_subtitle(cohort, series.len(), series.len());
    sub.push(match kind {
        Kind::Waterfall => format!("best % change of {name} from baseline"),
        Kind::Spider => format!("% change of {name} from baseline"),
    });
    if cohort.options.group_by.is_none() {
        sub.push("colour: best overall response".to_string());
    }
    if !not_shown.is_empty() {
        sub.push(format!("{} not evaluable", not_shown.len()));
    }
    let clipped = series.iter().filter(|se| se.best > WATERFALL_CLIP).count();
    if kind == Kind::Waterfall && clipped > 0 {
        sub.push(format!("{clipped} cut at +100 %"));
    }
    let title_band = TitleBand::from_parts(&cx, &[title], &sub);
    let (colors, entries) = colors_and_legend(&cx, cohort, &series);
    let legend = LegendBand::from_entries(&cx, entries);
    let axis_band = (kind == Kind::Spider).then(|| {
        RelativeAxisBand::plan(&cx, AxisSide::Bottom).counting_from(&cohort.options.align.origin())
    });
    let mut plot = ValuePlotBand {
        kind,
        series,
        colors,
        lo,
        hi,
        ticks,
        plot_h: 0.0,
        labels: None,
    };
    if kind == Kind::Waterfall && !plot.series.is_empty() {
        let labels: Vec<String> = plot
            .series
            .iter()
            .map(|se| cohort.members[se.member].label.clone())
            .collect();
        let slot = (cx.axis_x1 - cx.axis_x0) / plot.series.len() as f32;
        let widest = labels
            .iter()
            .map(|l| sizes.small.width_up_to(l, slot))
            .fold(0.0f32, f32::max);
        if widest + sizes.space <= slot {
            plot.labels = Some(labels);
        }
    }
    let others = |plot: &ValuePlotBand| {
        let mut b: Vec<&dyn Band> = vec![&title_band, &legend, plot];
        if let Some(a) = &axis_band {
            b.push(a);
        }
        stack::total_height(&b, &cx, &sizing(0.0))
    };
    plot.plot_h = match page.height {
        Some(h) => (h - others(&plot) - 1.0).max(sizes.body.size * 4.0),
        None => (cx.width * 0.45).round(),
    };
    let mut bands: Vec<&dyn Band> = vec![&title_band, &legend, &plot];
    if let Some(a) = &axis_band {
        bands.push(a);
    }
    let composed = build::finish(
        &cx,
        &bands,
        &sizing(0.0),
        LeftOut::default(),
        opt.transparent,
        page,
        (BandKind::ValuePlot, BandKind::ValuePlot),
    );
    Ok(CohortScene {
        lanes: Vec::new(),
        scene: composed.scene,
        not_shown,
    })
}

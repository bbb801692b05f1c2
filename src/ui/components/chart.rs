//! "Errors over time": the summary's histogram as stacked bars (record level below, job
//! level on top) in SVG, with day ticks in the admin's time zone and the applied range
//! highlighted. A click filters to a bar's bucket, a drag to the span of bars it crossed.
//! From the keyboard (one Tab stop): arrows move between bars, Shift+arrows stretch a span,
//! Home/End/PageUp/PageDown jump, Enter picks, Escape lets go of a span.

use leptos::prelude::*;
use sync_errors_api::{Histogram, Summary};
use wasm_bindgen::JsCast;

use crate::model::summary::{
    TipAlign, bucket_at, buckets_in_range, day_starts, peak, pick, scale_top, step, tip_anchor,
};
use crate::shell::state::{History, TabState};
use crate::text::format::css_percent;
use crate::text::i18n::fill;

/// Width of one bar's slot in the SVG's own units; the bar leaves a gap of 2. Whole units
/// throughout: no float formatting code in the module for the chart.
const SLOT: u64 = 10;
/// Height of the plot in the SVG's own units.
const HEIGHT: u64 = 1000;

#[component]
pub fn ErrorsChart(summary: Memo<Option<Summary>>) -> impl IntoView {
    let state = expect_context::<TabState>();
    let (lang, t, tf) = (super::lang(), super::texts(), super::time_format());
    let histogram = Memo::new(move |_| {
        summary.with(|s| {
            s.as_ref()
                .map(|s| s.histogram.clone())
                .unwrap_or(Histogram {
                    bucket_seconds: 3600,
                    buckets: Vec::new(),
                })
        })
    });
    let window = Memo::new(move |_| summary.with(|s| s.as_ref().map(|s| s.window)));
    let len = move || histogram.with(|h| h.buckets.len());
    // The bar under the pointer or the keyboard's cursor, and where a span began.
    let active = RwSignal::new(None::<usize>);
    let anchor = RwSignal::new(None::<usize>);
    let dragging = StoredValue::new(false);
    let focused = RwSignal::new(false);
    let top = Memo::new(move |_| {
        histogram.with(|h| scale_top(h.buckets.iter().map(|b| b.count()).max().unwrap_or(0)))
    });
    let applied = Memo::new(move |_| {
        state
            .view
            .with(|v| (v.list.filters.from, v.list.filters.to))
    });
    let highlighted = Memo::new(move |_| {
        let (from, to) = applied.get();
        histogram.with(|h| buckets_in_range(h, from, to))
    });
    let selection = move || {
        let (a, b) = (anchor.get()?, active.get()?);
        Some((a.min(b), a.max(b)))
    };
    let bucket_bounds = move |first: usize, last: usize| {
        histogram.with(|h| {
            let (a, b) = (h.buckets.get(first)?.start, h.buckets.get(last)?.start);
            Some((
                a,
                b + chrono::Duration::seconds(i64::from(h.bucket_seconds)),
            ))
        })
    };
    let apply = move |a: usize, b: usize| {
        let Some(window) = window.get_untracked() else {
            return;
        };
        let picked = histogram.with_untracked(|h| pick(h, &window, applied.get_untracked(), a, b));
        let next = state.view.with_untracked(|v| {
            let mut f = v.list.filters.clone();
            (f.from, f.to) = match picked {
                Some((from, to)) => (Some(from), Some(to)),
                None => (None, None),
            };
            v.with_filters(f)
        });
        anchor.set(None);
        state.go(next, History::Push);
    };

    let svg = NodeRef::<leptos::svg::Svg>::new();
    let index_at = move |client_x: i32| {
        let rect = svg.get_untracked()?.get_bounding_client_rect();
        (rect.width() > 0.0)
            .then(|| bucket_at((f64::from(client_x) - rect.left()) / rect.width(), len()))
    };
    let on_down = move |ev: leptos::ev::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let Some(i) = index_at(ev.client_x()) else {
            return;
        };
        dragging.set_value(true);
        anchor.set(Some(i));
        active.set(Some(i));
        if let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let _ = target.set_pointer_capture(ev.pointer_id());
        }
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        if let Some(i) = index_at(ev.client_x()) {
            active.set(Some(i));
        }
    };
    let on_up = move |_ev: leptos::ev::PointerEvent| {
        if !dragging.get_value() {
            return;
        }
        dragging.set_value(false);
        if let (Some(a), Some(b)) = (anchor.get_untracked(), active.get_untracked()) {
            apply(a, b);
        }
    };
    let on_leave = move |_ev: leptos::ev::PointerEvent| {
        if !dragging.get_value() && !focused.get_untracked() {
            active.set(None);
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let n = len();
        if n == 0 {
            return;
        }
        let day = histogram
            .with_untracked(|h| (86_400 / h.bucket_seconds.max(1)) as isize)
            .max(1);
        let current = active.get_untracked().unwrap_or(n - 1);
        let moved = match ev.key().as_str() {
            // A slider's keys: Up moves as Right, Down as Left.
            "ArrowLeft" | "ArrowDown" => Some(step(current, -1, n)),
            "ArrowRight" | "ArrowUp" => Some(step(current, 1, n)),
            "PageUp" => Some(step(current, -day, n)),
            "PageDown" => Some(step(current, day, n)),
            "Home" => Some(0),
            "End" => Some(n - 1),
            "Enter" | " " => {
                ev.prevent_default();
                apply(anchor.get_untracked().unwrap_or(current), current);
                return;
            }
            "Escape" if anchor.get_untracked().is_some() => {
                ev.prevent_default();
                ev.stop_propagation();
                anchor.set(None);
                return;
            }
            _ => None,
        };
        if let Some(next) = moved {
            ev.prevent_default();
            if ev.shift_key() {
                if anchor.get_untracked().is_none() {
                    anchor.set(Some(current));
                }
            } else {
                anchor.set(None);
            }
            active.set(Some(next));
        }
    };

    // What the keyboard's cursor or the pointer is on, in words (the tooltip, and the slider's
    // value for assistive technology).
    let describe = move |first: usize, last: usize| -> Option<String> {
        let (start, end) = bucket_bounds(first, last)?;
        let (record, job) = histogram.with(|h| {
            h.buckets[first..=last]
                .iter()
                .fold((0, 0), |(r, j), b| (r + b.record, j + b.job))
        });
        let (tf, t, lang) = (tf(), t(), lang());
        let errors = t.errors(record + job);
        Some(if first == last || anchor.get().is_none() {
            fill(
                t.chart_bar,
                &[
                    &tf.short(start),
                    &tf.short(end),
                    &errors,
                    &lang.count(record),
                    &lang.count(job),
                ],
            )
        } else {
            fill(
                t.chart_selected,
                &[&tf.short(start), &tf.short(end), &errors],
            )
        })
    };
    let said = move || {
        let (first, last) = selection().or_else(|| active.get().map(|i| (i, i)))?;
        describe(first, last)
    };
    // The slider's value: the bar under the cursor, else the latest hour.
    let value = move || active.get().unwrap_or_else(|| len().saturating_sub(1));
    let tip_at = move || {
        let (first, last) = selection().or_else(|| active.get().map(|i| (i, i)))?;
        let ((part, whole), align) = tip_anchor(first, last, len());
        let class = match align {
            TipAlign::Start => "se-chart__tip se-chart__tip--start",
            TipAlign::Center => "se-chart__tip",
            TipAlign::End => "se-chart__tip se-chart__tip--end",
        };
        Some((css_percent(part, whole), class))
    };
    let peak_text = move || {
        histogram.with(|h| {
            let Some((_, b)) = peak(h) else {
                return t().chart_empty.to_owned();
            };
            let end = b.start + chrono::Duration::seconds(i64::from(h.bucket_seconds));
            let tf = tf();
            fill(
                t().chart_peak,
                &[
                    &t().errors(b.count()),
                    &tf.short(b.start),
                    &tf.short(end),
                    &tf.zone_name(),
                ],
            )
        })
    };
    let days = Memo::new(move |_| {
        let tf = tf();
        histogram.with(|h| {
            day_starts(h, |at| tf.local_date(at))
                .into_iter()
                .map(|(i, _)| (i, tf.day(h.buckets[i].start)))
                .collect::<Vec<_>>()
        })
    });
    let width = move || len().max(1) as u64 * SLOT;
    let bars = move || {
        let top = top.get().max(1);
        histogram.with(|h| {
            h.buckets
                .iter()
                .enumerate()
                .filter(|(_, b)| b.count() > 0)
                .map(|(i, b)| {
                    let x = i as u64 * SLOT + 1;
                    let record_h = b.record.min(top) * HEIGHT / top;
                    let job_h = b.job.min(top - b.record.min(top)) * HEIGHT / top;
                    view! {
                        <rect class="se-chart__record" x=x y=HEIGHT - record_h width=SLOT - 2 height=record_h />
                        <rect class="se-chart__job" x=x y=HEIGHT - record_h - job_h width=SLOT - 2 height=job_h />
                    }
                })
                .collect_view()
        })
    };
    let band = move |span: Option<(usize, usize)>, class: &'static str| {
        span.map(|(a, b)| view! {
            <rect class=class x=a as u64 * SLOT y=0 width=(b - a + 1) as u64 * SLOT height=HEIGHT />
        })
    };
    let hint_id = "se-chart-hint";
    view! {
        <section class="se-chart" aria-labelledby="se-chart-title">
            <div class="se-chart__head">
                <h3 id="se-chart-title" class="se-chart__title">{move || t().chart_title}</h3>
                <p id="se-chart-summary" class="se-chart__summary">{peak_text}</p>
                <ul class="se-chart__legend" aria-hidden="true">
                    <li><span class="se-chart__swatch se-chart__swatch--record"></span>{move || t().record_level}</li>
                    <li><span class="se-chart__swatch se-chart__swatch--job"></span>{move || t().job_level}</li>
                    {move || highlighted.get().map(|_| view! { <li><span class="se-chart__swatch se-chart__swatch--range"></span>{move || t().chart_in_range}</li> })}
                </ul>
            </div>
            <div class="se-chart__plot">
                <span class="se-chart__top" aria-hidden="true">{move || lang().count(top.get())}</span>
                // A slider over the hours for assistive technology: it takes the arrow
                // keys (a screen reader passes them on, which it does not for an image),
                // and says the hour or span under the cursor as its value.
                <svg
                    node_ref=svg
                    class="se-chart__svg"
                    role="slider"
                    tabindex="0"
                    aria-label=move || t().chart_title
                    aria-describedby=format!("se-chart-summary {hint_id}")
                    aria-valuemin="0"
                    aria-valuemax=move || len().saturating_sub(1).to_string()
                    aria-valuenow=move || value().to_string()
                    aria-valuetext=move || said().or_else(|| describe(value(), value())).unwrap_or_default()
                    viewBox=move || format!("0 0 {} {HEIGHT}", width())
                    preserveAspectRatio="none"
                    on:pointerdown=on_down
                    on:pointermove=on_move
                    on:pointerup=on_up
                    on:pointerleave=on_leave
                    on:keydown=on_key
                    on:focus=move |_| {
                        focused.set(true);
                        // The cursor starts on the applied range, else on the latest hour.
                        if active.get_untracked().is_none() {
                            let start = highlighted.get_untracked().map(|(first, _)| first);
                            active.set(start.or_else(|| len().checked_sub(1)));
                        }
                    }
                    on:blur=move |_| {
                        focused.set(false);
                        anchor.set(None);
                        active.set(None);
                    }
                >
                    {move || band(highlighted.get(), "se-chart__range")}
                    {move || days.get().into_iter().map(|(i, _)| view! {
                        <line class="se-chart__tick" x1=i as u64 * SLOT x2=i as u64 * SLOT y1=0 y2=HEIGHT />
                    }).collect_view()}
                    {bars}
                    {move || band(selection().or_else(|| active.get().map(|i| (i, i))), "se-chart__cursor")}
                </svg>
                {move || {
                    let text = said()?;
                    let (left, class) = tip_at()?;
                    Some(view! { <div class=class aria-hidden="true" style:left=left>{text}</div> })
                }}
            </div>
            <div class="se-chart__days" aria-hidden="true">
                {move || {
                    let n = len().max(1);
                    days.get().into_iter().map(|(i, label)| {
                        // Near the right edge a label ends at its tick rather than start there.
                        view! {
                            <span class="se-chart__day" class:se-chart__day--end={i * 10 > n * 9} style:left=css_percent(i as u64, n as u64)>{label}</span>
                        }
                    }).collect_view()
                }}
            </div>
            <p id=hint_id class="se-chart__hint">{move || t().chart_hint}</p>
        </section>
    }
}

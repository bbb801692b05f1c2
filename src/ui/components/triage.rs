//! The triage area above the grid (API 1.1): errors over time, the top error types and the
//! objects, each entry a toggle of its filter. Drawn from the summary, which is asked
//! alongside the list and never holds up the grid. A server without a summary (1.0) gets
//! one quiet line; the list and every 1.0 feature work as before.

use leptos::prelude::*;
use sync_errors_api::{CodeCount, ObjectCount, Summary};

use super::chart::ErrorsChart;
use super::data_text::DataText;
use super::toolbar::object_label;
use crate::model::applied::{toggle_code, toggle_object};
use crate::model::summary::{ago, share, shown, with_chosen};
use crate::shell::guidance::{GuidanceState, GuidanceStore};
use crate::shell::state::{History, TabState};
use crate::text::format::css_percent;
use crate::text::i18n::fill;
use crate::text::time::rfc3339;

#[component]
pub fn TriagePanel() -> impl IntoView {
    let state = expect_context::<TabState>();
    let t = super::texts();
    let summary = Memo::new(move |_| state.summary.with(|s| s.data().cloned()));
    let error = Memo::new(move |_| state.summary.with(|s| s.error().cloned()));
    let busy = move || state.summary.with(|s| s.is_loading());
    // Whether there is a summary to draw: the parts below follow its changes themselves,
    // so the chart keeps its focus and cursor when a new summary comes.
    let has_summary = Memo::new(move |_| summary.with(Option::is_some));
    // Open, except on a phone, where the grid comes first and the summary is a tap away.
    let open = RwSignal::new(!narrow_screen());
    view! {
        {move || {
            if state.summary_missing.get() {
                return view! {
                    <p class="se-triage__missing">{move || t().summary_unsupported}</p>
                    {move || state.triage_dropped.get().then(|| view! {
                        <p class="se-banner se-banner--notice" role="status">{move || t().triage_ignored}</p>
                    })}
                }
                .into_any();
            }
            // "The list is not affected" only when it is true: a failing server may fail both.
            let list_fine = move || state.list.with(|l| l.error().is_none());
            let failed = move || error.get().map(|_| view! {
                <p class="se-triage__failed" role="status">
                    {move || t().summary_failed}
                    {move || list_fine().then(|| format!(" {}", t().summary_list_fine))}
                    " "
                    <button type="button" class="se-button se-button--small" on:click=move |_| state.retry_summary()>
                        {move || t().retry}
                    </button>
                </p>
            });
            match has_summary.get() {
                false => view! {
                    <section class="se-triage se-triage--empty" aria-busy=move || busy().to_string()>
                        {move || busy().then(|| view! {
                            <p class="se-triage__loading"><span class="se-spinner" aria-hidden="true"></span>{move || t().summary_loading}</p>
                        })}
                        {failed}
                    </section>
                }
                .into_any(),
                true => view! {
                    <section class="se-triage" aria-busy=move || busy().to_string() class:se-triage--stale=busy>
                        <button
                            type="button"
                            class="se-button se-button--small se-triage__toggle"
                            aria-expanded=move || open.get().to_string()
                            aria-controls="se-triage-body"
                            on:click=move |_| open.update(|o| *o = !*o)
                        >
                            {move || if open.get() { t().hide_summary } else { t().show_summary }}
                        </button>
                        {failed}
                        <div id="se-triage-body" class="se-triage__body" hidden=move || !open.get()>
                            <ErrorsChart summary=summary />
                            <div class="se-triage__lists">
                                <TopTypes summary=summary />
                                <TopObjects summary=summary />
                            </div>
                        </div>
                    </section>
                }
                .into_any(),
            }
        }}
    }
}

/// Each error type with its count, share, level split, when it last happened and what it
/// means; a button that toggles the type as a filter.
#[component]
fn TopTypes(summary: Memo<Option<Summary>>) -> impl IntoView {
    let state = expect_context::<TabState>();
    let (lang, t, tf) = (super::lang(), super::texts(), super::time_format());
    let guidance = expect_context::<GuidanceStore>();
    // Asked for with the summary already (see `TabState`); here for a summary drawn before.
    guidance.want();
    let all = RwSignal::new(false);
    // A chosen type without errors here is listed too, with 0 (its time is not shown).
    let codes = Memo::new(move |_| {
        let chosen = state.view.with(|v| v.list.filters.error_codes.clone());
        summary.with(|s| {
            s.as_ref().map_or_else(Vec::new, |s| {
                with_chosen(
                    s.by_code.clone(),
                    &chosen,
                    |c| &c.error_code,
                    |error_code| CodeCount {
                        error_code,
                        count: 0,
                        record: 0,
                        job: 0,
                        last_failed_at: s.window.from,
                    },
                )
            })
        })
    });
    // "12 min ago" stays true while the tab is open: the summary's own time, moved on by
    // the time since it came, every 30 seconds.
    let arrived = Memo::new(move |_| {
        summary.track();
        js_sys::Date::now()
    });
    let tick = RwSignal::new(0u32);
    if let Ok(handle) = set_interval_with_handle(
        move || tick.update(|n| *n = n.wrapping_add(1)),
        std::time::Duration::from_secs(30),
    ) {
        on_cleanup(move || handle.clear());
    }
    let now = move || {
        tick.track();
        let since = (js_sys::Date::now() - arrived.get()).max(0.0) as i64;
        summary.with(|s| {
            s.as_ref()
                .map(|s| s.window.to + chrono::Duration::milliseconds(since))
        })
    };
    let total = move || codes.with(|c| c.iter().map(|c| c.count).sum::<u64>());
    let guidance_pending = move || {
        guidance
            .state
            .with(|g| matches!(g, GuidanceState::NotAsked | GuidanceState::Loading))
    };
    let meaning = move |code: &str| match guidance.state.get() {
        GuidanceState::Ready(g) => g
            .get(code)
            .and_then(|e| e.advice(lang()))
            .map(|a| a.summary.clone()),
        _ => None,
    };
    let item = move |c: CodeCount| {
        let code = c.error_code.clone();
        let selected = {
            let code = code.clone();
            Memo::new(move |_| {
                state
                    .view
                    .with(|v| v.list.filters.error_codes.contains(&code))
            })
        };
        let toggle = {
            let code = code.clone();
            move |_| {
                let next = state
                    .view
                    .with_untracked(|v| v.with_filters(toggle_code(&v.list.filters, &code)));
                state.go(next, History::Push);
            }
        };
        let percent = share(c.count, total());
        let last = c.last_failed_at;
        let meaning_code = code.clone();
        view! {
            <li>
                <button type="button" class="se-top__item" aria-pressed=move || selected.get().to_string() on:click=toggle>
                    <span class="se-top__head">
                        <span class="se-top__name se-top__name--code"><DataText text=code.clone() /></span>
                        <span class="se-top__count">{move || lang().count(c.count)}</span>
                    </span>
                    <span class="se-top__bar" aria-hidden="true">
                        {(c.count > 0).then(|| view! { <span class="se-top__fill" style:width=css_percent(c.count, total())></span> })}
                    </span>
                    <span class="se-top__meta">
                        <span>{move || fill(t().share_of_total, &[&percent_text(lang(), percent)])}</span>
                        {(c.count > 0).then(|| view! {
                            <span>{move || fill(t().level_split, &[&lang().count(c.record), &lang().count(c.job)])}</span>
                            <span>
                                <time datetime=rfc3339(last) title=move || tf().local(last)>
                                    {move || {
                                        let ago = now().map(|now| tf().relative(ago(now, last))).unwrap_or_default();
                                        fill(t().last_failed, &[&ago])
                                    }}
                                </time>
                            </span>
                        })}
                    </span>
                    // The meaning's line is kept, blank, while the guidance is on its way: the
                    // lists, and the rows under them, do not grow when it comes. A code
                    // without a meaning has no line once it is here.
                    {move || {
                        let text = meaning(&meaning_code);
                        let blank = text.is_none();
                        let title = text.clone();
                        (!blank || guidance_pending()).then(|| view! {
                            <span class="se-top__meaning" aria-hidden=blank.then_some("true") title=title>
                                {text.unwrap_or_else(|| "\u{a0}".into())}
                            </span>
                        })
                    }}
                </button>
            </li>
        }
    };
    view! {
        <section class="se-top" aria-labelledby="se-top-types">
            <h3 id="se-top-types" class="se-top__title">{move || t().top_types}</h3>
            {move || codes.with(|c| c.is_empty()).then(|| view! { <p class="se-top__empty">{move || t().no_types}</p> })}
            <ul class="se-top__list" class:se-top__list--all=move || all.get()>
                // Keyed by what an entry shows: toggling a type (which leaves the types'
                // counts as they are) keeps its button, and the focus on it.
                <For
                    each=move || {
                        let chosen = state.view.with(|v| v.list.filters.error_codes.clone());
                        codes.with(|c| shown(c, all.get(), |c| chosen.contains(&c.error_code)).0)
                    }
                    key=move |c| format!("{}|{}|{}|{}|{}|{}", c.error_code, c.count, c.record, c.job, c.last_failed_at, total())
                    children=item
                />
            </ul>
            <ShowAll count=Signal::derive(move || codes.with(Vec::len)) hidden=Signal::derive(move || codes.with(|c| shown(c, false, |_| false).1)) all=all label=move |n| fill(t().show_all_types, &[&lang().count(n as u64)]) />
        </section>
    }
}

/// Each object type (and "No object") with its count and share; a toggle of its filter.
#[component]
fn TopObjects(summary: Memo<Option<Summary>>) -> impl IntoView {
    let state = expect_context::<TabState>();
    let (lang, t) = (super::lang(), super::texts());
    let all = RwSignal::new(false);
    // A chosen object without errors here is listed too, with 0.
    let objects = Memo::new(move |_| {
        let chosen = state.view.with(|v| v.list.filters.object_types.clone());
        summary.with(|s| {
            s.as_ref().map_or_else(Vec::new, |s| {
                with_chosen(
                    s.by_object.clone(),
                    &chosen,
                    |o| &o.object_type,
                    |object_type| ObjectCount {
                        object_type,
                        count: 0,
                    },
                )
            })
        })
    });
    let total = move || objects.with(|o| o.iter().map(|o| o.count).sum::<u64>());
    let item = move |o: ObjectCount| {
        let object = o.object_type.clone();
        let selected = {
            let object = object.clone();
            Memo::new(move |_| {
                state
                    .view
                    .with(|v| v.list.filters.object_types.contains(&object))
            })
        };
        let toggle = {
            let object = object.clone();
            move |_| {
                let next = state
                    .view
                    .with_untracked(|v| v.with_filters(toggle_object(&v.list.filters, &object)));
                state.go(next, History::Push);
            }
        };
        let percent = share(o.count, total());
        let name = move || object_label(t(), object.as_deref()).to_owned();
        view! {
            <li>
                <button type="button" class="se-top__item" aria-pressed=move || selected.get().to_string() on:click=toggle>
                    <span class="se-top__head">
                        <span class="se-top__name" class:se-top__name--none=o.object_type.is_none()>{move || view! { <DataText text=name() /> }}</span>
                        <span class="se-top__count">{move || lang().count(o.count)}</span>
                    </span>
                    <span class="se-top__bar" aria-hidden="true">
                        {(o.count > 0).then(|| view! { <span class="se-top__fill" style:width=css_percent(o.count, total())></span> })}
                    </span>
                    <span class="se-top__meta">
                        <span>{move || fill(t().share_of_total, &[&percent_text(lang(), percent)])}</span>
                    </span>
                </button>
            </li>
        }
    };
    view! {
        <section class="se-top" aria-labelledby="se-top-objects">
            <h3 id="se-top-objects" class="se-top__title">{move || t().objects}</h3>
            {move || objects.with(|o| o.is_empty()).then(|| view! { <p class="se-top__empty">{move || t().no_objects}</p> })}
            <ul class="se-top__list" class:se-top__list--all=move || all.get()>
                <For
                    each=move || {
                        let chosen = state.view.with(|v| v.list.filters.object_types.clone());
                        objects.with(|o| shown(o, all.get(), |o| chosen.contains(&o.object_type)).0)
                    }
                    key=move |o| format!("{:?}|{}|{}", o.object_type, o.count, total())
                    children=item
                />
            </ul>
            <ShowAll count=Signal::derive(move || objects.with(Vec::len)) hidden=Signal::derive(move || objects.with(|o| shown(o, false, |_| false).1)) all=all label=move |n| fill(t().show_all_objects, &[&lang().count(n as u64)]) />
        </section>
    }
}

/// "Show all N types" / "Show fewer", when the list has more than it shows.
#[component]
fn ShowAll(
    count: Signal<usize>,
    hidden: Signal<usize>,
    all: RwSignal<bool>,
    label: impl Fn(usize) -> String + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let t = super::texts();
    move || {
        (hidden.get() > 0).then(|| {
            view! {
                <button
                    type="button"
                    class="se-button se-button--small se-top__more"
                    aria-expanded=move || all.get().to_string()
                    on:click=move |_| all.update(|a| *a = !*a)
                >
                    {move || if all.get() { t().show_fewer.to_owned() } else { label(count.get()) }}
                </button>
            }
        })
    }
}

/// "32%" / "32 %" (French puts a no-break space before the sign).
fn percent_text(lang: crate::text::i18n::Lang, percent: u64) -> String {
    match lang {
        crate::text::i18n::Lang::Fr => format!("{percent}\u{a0}%"),
        crate::text::i18n::Lang::En => format!("{percent}%"),
    }
}

/// Whether the tab is on a narrow screen (a phone), as the stylesheet's breakpoint says.
fn narrow_screen() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(max-width: 40rem)").ok().flatten())
        .is_some_and(|m| m.matches())
}

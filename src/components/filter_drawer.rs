//! The filter drawer: a date and time range bounded to the window, with presets, and the
//! level. Apply applies and closes; Reset returns the fields to the defaults; Escape, the
//! close button or the backdrop cancel the edits.

use chrono::{DateTime, Duration, Utc};
use leptos::prelude::*;
use sync_errors_api::{Level, Window};

use super::dialog::DialogFrame;
use super::icons::CloseIcon;
use crate::i18n::fill;
use crate::intl::TimeFormat;
use crate::range::{Preset, RangeProblem, WallClock, check_range};
use crate::state::{History, TabState};
use crate::view_query::Filters;

fn input_value(tf: &TimeFormat, t: Option<DateTime<Utc>>) -> String {
    t.and_then(|t| tf.to_wall_clock(t))
        .map(WallClock::to_input_value)
        .unwrap_or_default()
}

/// A field's text as an instant; `Err` when it holds something that is not a date and time.
/// `end_of_minute` makes an end bound include the whole minute it names.
fn read(tf: &TimeFormat, text: &str, end_of_minute: bool) -> Result<Option<DateTime<Utc>>, ()> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let t = WallClock::parse(text)
        .and_then(|w| tf.from_wall_clock(w))
        .ok_or(())?;
    Ok(Some(if end_of_minute {
        t + Duration::milliseconds(59_999)
    } else {
        t
    }))
}

#[component]
pub fn FilterDrawer(window: Window) -> impl IntoView {
    let state = expect_context::<TabState>();
    let tf = super::time_format();
    let t = super::texts();
    let applied = state.view.with_untracked(|v| v.filters());
    let from_text = RwSignal::new(input_value(&tf, applied.from));
    let to_text = RwSignal::new(input_value(&tf, applied.to));
    let level = RwSignal::new(applied.level);

    let from = {
        let tf = tf.clone();
        Memo::new(move |_| from_text.with(|t| read(&tf, t, false)))
    };
    let to = {
        let tf = tf.clone();
        Memo::new(move |_| to_text.with(|t| read(&tf, t, true)))
    };
    let problems = Memo::new(move |_| {
        check_range(
            from.get().ok().flatten(),
            to.get().ok().flatten(),
            (from.get().is_err(), to.get().is_err()),
            &window,
        )
    });
    // The message next to a field, times written in the admin's zone and language.
    let said = {
        let tf = tf.clone();
        move |problem: Option<RangeProblem>, is_start: bool| {
            problem.map(|p| p.message(t, is_start, &window, |at| tf.local(at)))
        }
    };
    let said_to = said.clone();
    let min = input_value(&tf, Some(window.from));
    let max = input_value(&tf, Some(window.to));

    let close = Callback::new(move |_| state.drawer_open.set(false));
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !problems.get_untracked().is_ok() {
            return;
        }
        let filters = Filters {
            from: from.get_untracked().ok().flatten(),
            to: to.get_untracked().ok().flatten(),
            level: level.get_untracked(),
        };
        let next = state.view.with_untracked(|v| v.with_filters(filters));
        state.drawer_open.set(false);
        if next != state.view.get_untracked() {
            state.go(next, History::Push);
        }
    };
    let reset = move |_| {
        from_text.set(String::new());
        to_text.set(String::new());
        level.set(None);
    };
    let preset_tf = tf.clone();
    let preset = Callback::new(move |p: Preset| {
        from_text.set(input_value(&preset_tf, p.from(&window)));
        to_text.set(String::new());
    });

    let level_option = move |value: Option<Level>, label: &'static str| {
        view! {
            <label class="se-radio">
                <input
                    type="radio"
                    name="se-level"
                    prop:checked=move || level.get() == value
                    on:change=move |_| level.set(value)
                />
                {label}
            </label>
        }
    };

    view! {
        <DialogFrame labelled_by="se-drawer-title" class="se-drawer" id="se-filter-drawer" on_close=close>
            <form class="se-drawer__form" on:submit=apply novalidate>
                <header class="se-drawer__header">
                    <h2 id="se-drawer-title" class="se-drawer__title">{t.drawer_title}</h2>
                    <button type="button" class="se-icon-button" aria-label=t.close on:click=move |_| close.run(())>
                        <CloseIcon />
                    </button>
                </header>
                <div class="se-drawer__body">
                    <fieldset class="se-fieldset">
                        <legend>{t.time_range}</legend>
                        <div class="se-presets" role="group" aria-label=t.quick_ranges>
                            {Preset::ALL
                                .into_iter()
                                .map(|p| view! {
                                    <button type="button" class="se-button se-button--small" on:click=move |_| preset.run(p)>
                                        {p.label(t)}
                                    </button>
                                })
                                .collect_view()}
                        </div>
                        <DateTimeField
                            id="se-from"
                            label=t.from
                            hint=t.from_hint
                            text=from_text
                            problem=Signal::derive(move || said(problems.with(|p| p.from), true))
                            min=min.clone()
                            max=max.clone()
                            autofocus=true
                        />
                        <DateTimeField
                            id="se-to"
                            label=t.to
                            hint=t.to_hint
                            text=to_text
                            problem=Signal::derive(move || said_to(problems.with(|p| p.to), false))
                            min=min
                            max=max
                            autofocus=false
                        />
                    </fieldset>
                    <fieldset class="se-fieldset">
                        <legend>{t.failed_on}</legend>
                        {level_option(None, t.both_levels)}
                        {level_option(Some(Level::Job), t.job_level)}
                        {level_option(Some(Level::Record), t.record_level)}
                    </fieldset>
                    <p class="se-drawer__note">
                        {fill(t.kept_from, &[&tf.local(window.from)])}
                    </p>
                </div>
                <footer class="se-drawer__footer">
                    <button type="button" class="se-button" on:click=reset>{t.reset}</button>
                    <button type="submit" class="se-button se-button--primary" disabled=move || !problems.with(|p| p.is_ok())>
                        {t.apply}
                    </button>
                </footer>
            </form>
        </DialogFrame>
    }
}

/// A labelled `datetime-local` field with its hint and, when there is one, its problem.
#[component]
fn DateTimeField(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    text: RwSignal<String>,
    problem: Signal<Option<String>>,
    min: String,
    max: String,
    autofocus: bool,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let problem_id = format!("{id}-problem");
    view! {
        <div class="se-field">
            <label for=id>{label}</label>
            <input
                id=id
                class="se-input"
                type="datetime-local"
                step="60"
                min=min
                max=max
                data-autofocus=autofocus.then_some("")
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                aria-invalid=move || problem.with(Option::is_some).to_string()
                aria-describedby=format!("{hint_id} {problem_id}")
            />
            <p id=hint_id class="se-field__hint">{hint}</p>
            <p id=problem_id class="se-field__problem" aria-live="polite">{move || problem.get()}</p>
        </div>
    }
}

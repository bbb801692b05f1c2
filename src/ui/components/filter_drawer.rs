//! The filter drawer: a date and time range bounded to the window, with presets, and the
//! level. Apply applies and closes; Reset returns the fields to the defaults; Escape, the
//! close button or the backdrop cancel the edits.

use chrono::{DateTime, Duration, Utc};
use leptos::prelude::*;
use sync_errors_api::{Level, Window};
use wasm_bindgen::JsCast;

use super::data_text::DataText;
use super::dialog::DialogFrame;
use super::icons::CloseIcon;
use crate::model::range::{
    Occurrence, Preset, RangeProblem, WallClock, WallClockReading, check_range, offset_name,
};
use crate::model::view_query::Filters;
use crate::shell::state::{History, TabState};
use crate::text::i18n::{Texts, fill};
use crate::text::intl::TimeFormat;

fn input_value(tf: &TimeFormat, t: Option<DateTime<Utc>>) -> String {
    // The wall clock of the instant, to the minute (what a `datetime-local` shows).
    t.and_then(|t| tf.to_wall_clock(t))
        .map(WallClock::to_input_value)
        .unwrap_or_default()
}

/// What a field holds, read in the admin's zone.
#[derive(Debug, Clone, Copy, PartialEq)]
enum FieldTime {
    Empty,
    /// A time; for one that happens twice, which occurrence is chosen then.
    Reading(WallClockReading),
    /// Not a date and time.
    Unreadable,
}

/// Reads a field's text. An end bound includes the whole minute it names.
fn read(tf: &TimeFormat, text: &str, end_of_minute: bool) -> FieldTime {
    if text.trim().is_empty() {
        return FieldTime::Empty;
    }
    let Some(reading) = WallClock::parse(text).and_then(|w| tf.read_wall_clock(w)) else {
        return FieldTime::Unreadable;
    };
    let end = |t: DateTime<Utc>| {
        if end_of_minute {
            t + Duration::milliseconds(59_999)
        } else {
            t
        }
    };
    FieldTime::Reading(match reading {
        WallClockReading::At(t) => WallClockReading::At(end(t)),
        WallClockReading::Twice { earlier, later } => WallClockReading::Twice {
            earlier: end(earlier),
            later: end(later),
        },
        skipped => skipped,
    })
}

/// One bound of the range as the drawer edits it: the field's text, which occurrence of a
/// repeated time is meant, and the applied value with the text it was shown as (an
/// unchanged field keeps that exact value, seconds and milliseconds included).
#[derive(Clone, Copy)]
struct Bound {
    text: RwSignal<String>,
    occurrence: RwSignal<Occurrence>,
    applied: Option<DateTime<Utc>>,
    /// How the applied value reads in the admin's zone now (the field's text until edited).
    applied_text: Memo<String>,
    reading: Memo<FieldTime>,
}

impl Bound {
    /// `tf` is followed live: when the admin's zone changes with the drawer open, a field
    /// still showing the applied value shows it in the new zone, and typed text is read in it.
    fn new(
        tf: impl Fn() -> TimeFormat + Copy + Send + Sync + 'static,
        applied: Option<DateTime<Utc>>,
        end_of_minute: bool,
    ) -> Bound {
        let applied_text = Memo::new(move |_| input_value(&tf(), applied));
        let text = RwSignal::new(applied_text.get_untracked());
        Effect::new(move |shown_before: Option<String>| {
            let shown = applied_text.get();
            if shown_before
                .is_some_and(|before| before != shown && text.with_untracked(|t| *t == before))
            {
                text.set(shown.clone());
            }
            shown
        });
        Bound {
            text,
            occurrence: RwSignal::new(Occurrence::First),
            applied,
            applied_text,
            reading: Memo::new(move |_| {
                let tf = tf();
                text.with(|t| read(&tf, t, end_of_minute))
            }),
        }
    }

    /// The instant meant, and what is wrong with reading it.
    fn value(&self) -> (Option<DateTime<Utc>>, Option<RangeProblem>) {
        if self.text.with(|t| self.applied_text.with(|a| t == a)) {
            return (self.applied, None);
        }
        match self.reading.get() {
            FieldTime::Empty => (None, None),
            FieldTime::Unreadable => (None, Some(RangeProblem::Unreadable)),
            FieldTime::Reading(WallClockReading::Skipped { before, after }) => {
                (None, Some(RangeProblem::Skipped { before, after }))
            }
            FieldTime::Reading(r) => (r.instant(self.occurrence.get()), None),
        }
    }

    /// The two instants of a repeated time, when the field holds one.
    fn twice(&self) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        match self.reading.get() {
            FieldTime::Reading(WallClockReading::Twice { earlier, later }) => {
                Some((earlier, later))
            }
            _ => None,
        }
    }
}

#[component]
pub fn FilterDrawer(window: Window) -> impl IntoView {
    let state = expect_context::<TabState>();
    let tf = super::time_format();
    let t = super::texts();
    let applied = state.view.with_untracked(|v| v.list.filters.clone());
    let from = Bound::new(tf, applied.from, false);
    let to = Bound::new(tf, applied.to, true);
    let (from_text, to_text) = (from.text, to.text);
    let level = RwSignal::new(applied.level);
    let codes = RwSignal::new(applied.error_codes.clone());
    let objects = RwSignal::new(applied.object_types.clone());

    let problems = Memo::new(move |_| {
        let ((f, f_problem), (t, t_problem)) = (from.value(), to.value());
        check_range(f, t, (f_problem, t_problem), &window)
    });
    // The message next to a field, times written in the admin's zone and language.
    let said = move |problem: Option<RangeProblem>, is_start: bool| {
        let tf = tf();
        problem.map(|p| p.message(t(), is_start, &window, |at| tf.local(at)))
    };
    let min = Signal::derive(move || input_value(&tf(), Some(window.from)));
    let max = Signal::derive(move || input_value(&tf(), Some(window.to)));

    let close = Callback::new(move |_| state.drawer_open.set(false));
    // The filters changed under the drawer (Back, Forward): what it holds was chosen from
    // the ones before, so it closes rather than apply them to another view.
    Effect::new(move |before: Option<Filters>| {
        let now = state.view.with(|v| v.list.filters.clone());
        if before.is_some_and(|before| before != now) {
            close.run(());
        }
        now
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !problems.get_untracked().is_ok() {
            // Apply stays focusable (a disabled button would drop out of the Tab order and
            // say nothing): it takes the admin to the first field that needs a change.
            if let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                super::focus_first(&form, "[aria-invalid='true']");
            }
            return;
        }
        let filters = Filters {
            from: untrack(|| from.value().0),
            to: untrack(|| to.value().0),
            level: level.get_untracked(),
            error_codes: codes.get_untracked(),
            object_types: objects.get_untracked(),
            q: applied.q.clone(),
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
        codes.set(Vec::new());
        objects.set(Vec::new());
    };
    let preset = Callback::new(move |p: Preset| {
        from_text.set(input_value(&tf(), p.from(&window)));
        to_text.set(String::new());
    });

    let level_option = move |value: Option<Level>, label: fn(&Texts) -> &'static str| {
        view! {
            <label class="se-radio">
                <input
                    type="radio"
                    name="se-level"
                    prop:checked=move || level.get() == value
                    on:change=move |_| level.set(value)
                />
                {move || label(t())}
            </label>
        }
    };

    view! {
        <DialogFrame labelled_by="se-drawer-title" class="se-drawer" id="se-filter-drawer" on_close=close>
            <form class="se-drawer__form" on:submit=apply novalidate>
                <header class="se-drawer__header">
                    <h2 id="se-drawer-title" class="se-drawer__title">{move || t().drawer_title}</h2>
                    <button type="button" class="se-icon-button" aria-label=move || t().close on:click=move |_| close.run(())>
                        <CloseIcon />
                    </button>
                </header>
                <div class="se-drawer__body">
                    <fieldset class="se-fieldset">
                        <legend>{move || t().time_range}</legend>
                        <div class="se-presets" role="group" aria-label=move || t().quick_ranges>
                            {Preset::ALL
                                .into_iter()
                                .map(|p| view! {
                                    <button type="button" class="se-button se-button--small" on:click=move |_| preset.run(p)>
                                        {move || p.label(t())}
                                    </button>
                                })
                                .collect_view()}
                        </div>
                        <p class="se-drawer__zone">{move || fill(t().times_in_zone, &[&tf().zone_name()])}</p>
                        <DateTimeField
                            id="se-from"
                            label=|t| t.from
                            hint=|t| t.from_hint
                            text=from_text
                            problem=Signal::derive(move || said(problems.with(|p| p.from), true))
                            min=min
                            max=max
                            autofocus=true
                        />
                        <RepeatedTime id="se-from-twice" bound=from />
                        <DateTimeField
                            id="se-to"
                            label=|t| t.to
                            hint=|t| t.to_hint
                            text=to_text
                            problem=Signal::derive(move || said(problems.with(|p| p.to), false))
                            min=min
                            max=max
                            autofocus=false
                        />
                        <RepeatedTime id="se-to-twice" bound=to />
                    </fieldset>
                    <fieldset class="se-fieldset">
                        <legend>{move || t().failed_on}</legend>
                        {level_option(None, |t| t.both_levels)}
                        {level_option(Some(Level::Job), |t| t.job_level)}
                        {level_option(Some(Level::Record), |t| t.record_level)}
                    </fieldset>
                    <CodePicker chosen=codes />
                    <ObjectPicker chosen=objects />
                    <p class="se-drawer__note">
                        {move || fill(t().kept_from, &[&tf().local(window.from)])}
                    </p>
                </div>
                <footer class="se-drawer__footer">
                    <button type="button" class="se-button" on:click=reset>{move || t().reset}</button>
                    <button type="submit" class="se-button se-button--primary" aria-disabled=move || (!problems.with(|p| p.is_ok())).to_string()>
                        {move || t().apply}
                    </button>
                </footer>
            </form>
        </DialogFrame>
    }
}

/// For a time that happens twice (the night the clocks go back): which one is meant, the
/// first by default, each named with its UTC offset.
#[component]
fn RepeatedTime(id: &'static str, bound: Bound) -> impl IntoView {
    let t = super::texts();
    let tf = super::time_format();
    move || {
        bound.twice().map(|(earlier, later)| {
            let option = move |which: Occurrence,
                               at: DateTime<Utc>,
                               template: fn(&Texts) -> &'static str| {
                let offset = tf().offset_at(at).map(offset_name).unwrap_or_default();
                view! {
                    <label class="se-radio">
                        <input
                            type="radio"
                            name=id
                            prop:checked=move || bound.occurrence.get() == which
                            on:change=move |_| bound.occurrence.set(which)
                        />
                        {move || fill(template(t()), &[&offset])}
                    </label>
                }
            };
            view! {
                <fieldset class="se-fieldset se-twice" id=id>
                    <legend>{move || t().repeated_time}</legend>
                    {option(Occurrence::First, earlier, |t| t.first_occurrence)}
                    {option(Occurrence::Second, later, |t| t.second_occurrence)}
                </fieldset>
            }
        })
    }
}

/// A labelled `datetime-local` field with its hint and, when there is one, its problem.
#[component]
fn DateTimeField(
    id: &'static str,
    label: fn(&Texts) -> &'static str,
    hint: fn(&Texts) -> &'static str,
    text: RwSignal<String>,
    problem: Signal<Option<String>>,
    min: Signal<String>,
    max: Signal<String>,
    autofocus: bool,
) -> impl IntoView {
    let t = super::texts();
    let hint_id = format!("{id}-hint");
    let problem_id = format!("{id}-problem");
    view! {
        <div class="se-field">
            <label for=id>{move || label(t())}</label>
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
            <p id=hint_id class="se-field__hint">{move || hint(t())}</p>
            <p id=problem_id class="se-field__problem" aria-live="polite">{move || problem.get()}</p>
        </div>
    }
}

/// The error types to show, each with its count from the summary (which counts every type
/// whatever types are chosen); a chosen type the summary does not list shows too.
#[component]
fn CodePicker(chosen: RwSignal<Vec<String>>) -> impl IntoView {
    let state = expect_context::<TabState>();
    let (lang, t) = (super::lang(), super::texts());
    let options = Memo::new(move |_| {
        let mut options: Vec<(String, Option<u64>)> = state.summary.with(|s| {
            s.data()
                .map(|s| {
                    s.by_code
                        .iter()
                        .map(|c| (c.error_code.clone(), Some(c.count)))
                        .collect()
                })
                .unwrap_or_default()
        });
        for code in chosen.get_untracked() {
            if !options.iter().any(|(c, _)| *c == code) {
                options.push((code, None));
            }
        }
        options
    });
    let option = move |(code, count): (String, Option<u64>)| {
        let checked = {
            let code = code.clone();
            move || chosen.with(|c| c.contains(&code))
        };
        let toggle = {
            let code = code.clone();
            move |_| {
                chosen.update(|c| match c.iter().position(|x| *x == code) {
                    Some(i) => {
                        c.remove(i);
                    }
                    None => c.push(code.clone()),
                })
            }
        };
        view! {
            <label class="se-check">
                <input type="checkbox" prop:checked=checked on:change=toggle />
                <span class="se-check__name se-check__name--code"><DataText text=code /></span>
                <span class="se-check__count">{move || count.map_or_else(|| t().not_in_summary.to_owned(), |n| lang().count(n))}</span>
            </label>
        }
    };
    view! {
        <fieldset class="se-fieldset">
            <legend>{move || t().error_types}</legend>
            {move || state.summary_missing.get().then(|| view! { <p class="se-drawer__note">{move || t().pickers_need_summary}</p> })}
            <div class="se-checks">{move || options.get().into_iter().map(option).collect_view()}</div>
        </fieldset>
    }
}

/// The objects to show ("No object" included), with their counts from the summary.
#[component]
fn ObjectPicker(chosen: RwSignal<Vec<Option<String>>>) -> impl IntoView {
    let state = expect_context::<TabState>();
    let (lang, t) = (super::lang(), super::texts());
    let options = Memo::new(move |_| {
        let mut options: Vec<(Option<String>, Option<u64>)> = state.summary.with(|s| {
            s.data()
                .map(|s| {
                    s.by_object
                        .iter()
                        .map(|o| (o.object_type.clone(), Some(o.count)))
                        .collect()
                })
                .unwrap_or_default()
        });
        for object in chosen.get_untracked() {
            if !options.iter().any(|(o, _)| *o == object) {
                options.push((object, None));
            }
        }
        options
    });
    let option = move |(object, count): (Option<String>, Option<u64>)| {
        let checked = {
            let object = object.clone();
            move || chosen.with(|c| c.contains(&object))
        };
        let toggle = {
            let object = object.clone();
            move |_| {
                chosen.update(|c| match c.iter().position(|x| *x == object) {
                    Some(i) => {
                        c.remove(i);
                    }
                    None => c.push(object.clone()),
                })
            }
        };
        let none = object.is_none();
        let name = move || super::toolbar::object_label(t(), object.as_deref()).to_owned();
        view! {
            <label class="se-check">
                <input type="checkbox" prop:checked=checked on:change=toggle />
                <span class="se-check__name" class:se-check__name--none=none>{move || view! { <DataText text=name() /> }}</span>
                <span class="se-check__count">{move || count.map_or_else(|| t().not_in_summary.to_owned(), |n| lang().count(n))}</span>
            </label>
        }
    };
    view! {
        <fieldset class="se-fieldset">
            <legend>{move || t().object}</legend>
            {move || state.summary_missing.get().then(|| view! { <p class="se-drawer__note">{move || t().pickers_need_summary}</p> })}
            <div class="se-checks">{move || options.get().into_iter().map(option).collect_view()}</div>
        </fieldset>
    }
}

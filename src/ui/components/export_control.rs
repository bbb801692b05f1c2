//! The Export button and its progress: "n of total", Cancel, then the result or the failure
//! with Retry. A failed or cancelled export saves nothing.

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::SignInLink;
use crate::client::{ApiClient, ApiError, RETRY_DELAYS_MS};
use crate::export::{self, ExportError};
use crate::shell::state::TabState;
use crate::text::i18n::{Lang, fill};
use crate::text::intl::TimeFormat;

#[derive(Debug, Clone, PartialEq, Eq)]
enum ExportState {
    Idle,
    /// Its progress is in [`ExportRun::progress`]: a new count updates the bar's value and
    /// the text, not the whole status view.
    Running,
    Saved {
        rows: u64,
        file_name: String,
    },
    Cancelled,
    Failed(ExportError),
}

/// How far a running export is: rows written, the total once the first page told it, and
/// the automatic retry under way when a page failed (cleared by the next page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Progress {
    done: u64,
    total: Option<u64>,
    retry: Option<usize>,
}

/// A new count is shown at most this often (and always the first and the last): a fast
/// export writes a page every 30 ms, and each shown count costs a frame.
const PROGRESS_EVERY_MS: f64 = 150.0;

/// When a new count is shown: now (`None`) if none was shown for [`PROGRESS_EVERY_MS`], or
/// it is the last, or a retry notice is on screen; else once the rest of that time has
/// passed (`Some(ms)`), unless a newer count is shown first. Never dropped: a count held
/// back stayed on screen as long as a slow next page took.
fn progress_delay(last_shown: Option<f64>, now: f64, last: bool, retrying: bool) -> Option<f64> {
    let wait = last_shown.map_or(0.0, |at| PROGRESS_EVERY_MS - (now - at));
    (wait > 0.0 && !last && !retrying).then_some(wait)
}

/// One export at a time: its state and the handle that cancels it.
#[derive(Clone, Copy)]
pub struct ExportRun {
    state: RwSignal<ExportState>,
    progress: RwSignal<Progress>,
    handle: StoredValue<Option<AbortHandle>>,
}

impl ExportRun {
    pub fn new() -> ExportRun {
        let run = ExportRun {
            state: RwSignal::new(ExportState::Idle),
            progress: RwSignal::new(Progress::default()),
            handle: StoredValue::new(None),
        };
        on_cleanup(move || run.abort());
        run
    }

    fn abort(&self) {
        if let Some(h) = self.handle.try_get_value().flatten() {
            h.abort();
        }
    }

    fn running(&self) -> bool {
        self.state.with(|s| *s == ExportState::Running)
    }

    /// Starts an export; its file is written in the language and zone of this moment.
    fn start(self, client: ApiClient, tab: TabState, tf: TimeFormat, lang: Lang) {
        self.abort();
        let query = tab.export_query();
        let (state, shown) = (self.state, self.progress);
        shown.set(Progress::default());
        state.set(ExportState::Running);
        let (abort, registration) = AbortHandle::new_pair();
        self.handle.set_value(Some(abort));
        spawn_local(async move {
            use std::{cell::Cell, rc::Rc};
            let last_shown = Rc::new(Cell::new(None::<f64>));
            // The newest count held back, and whether this export still runs (a held count
            // must not land on a later export).
            let held = Rc::new(Cell::new(None::<(u64, u64)>));
            let running = Rc::new(Cell::new(true));
            let _ended = Ended(running.clone());
            let show = {
                let last_shown = last_shown.clone();
                move |done, total| {
                    last_shown.set(Some(js_sys::Date::now()));
                    shown.try_set(Progress {
                        done,
                        total: Some(total),
                        retry: None,
                    });
                }
            };
            let progress = move |done, total| {
                let retrying = shown.with_untracked(|p| p.retry.is_some());
                let now = js_sys::Date::now();
                match progress_delay(last_shown.get(), now, done >= total, retrying) {
                    None => {
                        held.set(None);
                        show(done, total);
                    }
                    Some(wait) => {
                        if held.replace(Some((done, total))).is_none() {
                            let (held, running, show) =
                                (held.clone(), running.clone(), show.clone());
                            set_timeout(
                                move || {
                                    if let Some((done, total)) =
                                        held.take().filter(|_| running.get())
                                    {
                                        show(done, total);
                                    }
                                },
                                std::time::Duration::from_millis(wait.ceil() as u64),
                            );
                        }
                    }
                }
            };
            let retrying = move |n| {
                shown.try_update(|p| p.retry = Some(n));
            };
            let built = Abortable::new(
                export::build(&client, query, &tf, lang, progress, &retrying),
                registration,
            )
            .await;
            let next = match built {
                Err(_aborted) => return,
                Ok(Ok(file)) => match export::save(&file) {
                    Ok(()) => ExportState::Saved {
                        rows: file.rows,
                        file_name: file.file_name,
                    },
                    Err(e) => ExportState::Failed(e),
                },
                Ok(Err(e)) => ExportState::Failed(e),
            };
            state.try_set(next);
        });
    }

    fn cancel(&self) {
        self.abort();
        self.state.set(ExportState::Cancelled);
    }
}

/// Marks an export as ended when its task ends, finished or cancelled (dropped).
struct Ended(std::rc::Rc<std::cell::Cell<bool>>);

impl Drop for Ended {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

#[component]
pub fn ExportButton(run: ExportRun) -> impl IntoView {
    let (t, tf, lang) = (super::texts(), super::time_format(), super::lang());
    let tab = expect_context::<TabState>();
    let client = expect_context::<ApiClient>();
    let nothing_to_export = move || tab.list.with(|l| l.data().is_none_or(|p| p.total == 0));
    view! {
        <button
            type="button"
            class="se-button se-export-button"
            // Not disabled while an export runs, which would drop its focus: it waits.
            disabled=nothing_to_export
            aria-disabled=move || run.running().to_string()
            on:click=move |_| if !run.running() { run.start(client.clone(), tab, tf(), lang()) }
        >
            {move || t().export}
        </button>
    }
}

/// Below the toolbar: the running export's progress, or how the last one ended.
#[component]
pub fn ExportProgress(run: ExportRun) -> impl IntoView {
    let tab = expect_context::<TabState>();
    let client = expect_context::<ApiClient>();
    let (lang, t, tf) = (super::lang(), super::texts(), super::time_format());
    let dismiss = move |_| run.state.set(ExportState::Idle);
    // Starting, ending and dismissing an export remove or disable the control that had
    // focus: focus moves to what took its place (Cancel, then the result's first button,
    // then Export again) rather than to the page's body.
    let area = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |before: Option<std::mem::Discriminant<ExportState>>| {
        let now = run.state.with(std::mem::discriminant);
        let changed = before.is_some_and(|b| b != now);
        let idle = now == std::mem::discriminant(&ExportState::Idle);
        let Some(area) = area.get().filter(|a| changed && super::focus_lost(a)) else {
            return now;
        };
        if idle {
            if let Some(bar) = area.previous_element_sibling() {
                super::focus_first(&bar, ".se-export-button");
            }
        } else {
            super::focus_first(&area, ".se-export button");
        }
        now
    });
    let notice = move || {
        match run.state.get() {
        ExportState::Idle => ().into_any(),
        ExportState::Running => view! {
            <div class="se-export" role="status">
                <progress
                    class="se-export__bar"
                    max=move || run.progress.with(|p| p.total.unwrap_or(0).max(1).to_string())
                    value=move || run.progress.with(|p| p.done.to_string())
                    aria-label=move || t().export_progress
                ></progress>
                <span class="se-export__text">{move || run.progress.with(|p| match p.total {
                    Some(total) => fill(t().exporting, &[&lang().count(p.done), &lang().count(total)]),
                    None => t().preparing_export.to_string(),
                })}</span>
                <span class="se-export__retry">{move || run.progress.with(|p| p.retry.map(|n| {
                    fill(t().export_retrying, &[&n.to_string(), &RETRY_DELAYS_MS.len().to_string()])
                }))}</span>
                <button type="button" class="se-button se-button--small" on:click=move |_| run.cancel()>{move || t().cancel_export}</button>
            </div>
        }.into_any(),
        ExportState::Saved { rows, file_name } => view! {
            <div class="se-export" role="status">
                <span class="se-export__text">{move || fill(t().exported, &[&lang().count(rows), &file_name])}</span>
                <button type="button" class="se-button se-button--small" on:click=dismiss>{move || t().dismiss}</button>
            </div>
        }.into_any(),
        ExportState::Cancelled => view! {
            <div class="se-export" role="status">
                <span class="se-export__text">{move || t().export_cancelled}</span>
                <button type="button" class="se-button se-button--small" on:click=dismiss>{move || t().dismiss}</button>
            </div>
        }.into_any(),
        ExportState::Failed(e) => {
            let client = client.clone();
            view! {
                <div class="se-export se-export--failed" role="alert">
                    <span class="se-export__text">{fill(t().export_failed, &[&e.describe(t())])}</span>
                    {if e == ExportError::Api(ApiError::Unauthenticated) {
                        // Retrying with an ended session would fail again: sign in first.
                        view! { <SignInLink /> }.into_any()
                    } else {
                        view! {
                            <button type="button" class="se-button se-button--small" on:click=move |_| run.start(client.clone(), tab, tf(), lang())>{move || t().retry_export}</button>
                        }.into_any()
                    }}
                    <button type="button" class="se-button se-button--small" on:click=dismiss>{move || t().dismiss}</button>
                </div>
            }.into_any()
        }
    }
    };
    view! { <div class="se-export-area" node_ref=area>{notice}</div> }
}

#[cfg(test)]
mod tests {
    use super::{PROGRESS_EVERY_MS, progress_delay};

    #[test]
    fn the_first_count_and_one_after_the_interval_show_at_once() {
        assert_eq!(progress_delay(None, 1000.0, false, false), None);
        assert_eq!(
            progress_delay(Some(1000.0), 1000.0 + PROGRESS_EVERY_MS, false, false),
            None
        );
    }

    #[test]
    fn a_count_within_the_interval_waits_for_its_rest_and_is_not_dropped() {
        assert_eq!(
            progress_delay(Some(1000.0), 1040.0, false, false),
            Some(PROGRESS_EVERY_MS - 40.0)
        );
    }

    #[test]
    fn the_last_count_and_one_after_a_retry_notice_show_at_once() {
        assert_eq!(progress_delay(Some(1000.0), 1010.0, true, false), None);
        assert_eq!(progress_delay(Some(1000.0), 1010.0, false, true), None);
    }
}

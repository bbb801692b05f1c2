//! The detail of one error, in a modal dialog: the record's Marketo and Salesforce IDs, the
//! object, the operation, the failing fields, the code, the time (local and UTC) and the
//! whole message, with copy buttons and links (Salesforce record, web search).

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sync_errors_api::{Level, SyncError};
use wasm_bindgen::JsCast;

use super::dialog::DialogFrame;
use super::icons::{CloseIcon, ExternalIcon};
use super::{DataText, SignInLink};
use crate::client::{ApiClient, ApiError};
use crate::model::guidance::Resolution;
use crate::model::links::{salesforce_record_url, web_search_url};
use crate::model::settings::Settings;
use crate::shell::guidance::{GuidanceState, GuidanceStore};
use crate::shell::state::TabState;
use crate::text::i18n::{Texts, fill, level_label};
use crate::text::time::{rfc3339, utc_exact};

#[component]
pub fn DetailModal(id: String) -> impl IntoView {
    let state = expect_context::<TabState>();
    let client = expect_context::<ApiClient>();
    let on_screen = state.list.with_untracked(|l| {
        l.data()
            .and_then(|p| p.items.iter().find(|e| e.id == id).cloned())
    });
    let detail = RwSignal::new(on_screen.map(Ok::<SyncError, ApiError>));
    let in_flight = StoredValue::new(None::<AbortHandle>);
    let load = {
        let id = id.clone();
        move || {
            detail.set(None);
            let (handle, registration) = AbortHandle::new_pair();
            in_flight.set_value(Some(handle));
            let (client, id) = (client.clone(), id.clone());
            spawn_local(async move {
                if let Ok(result) = Abortable::new(client.get_one(&id), registration).await {
                    detail.try_set(Some(result));
                }
            });
        }
    };
    if detail.with_untracked(Option::is_none) {
        load();
    }
    on_cleanup(move || {
        if let Some(h) = in_flight.try_get_value().flatten() {
            h.abort();
        }
    });
    let close = Callback::new(move |_| state.close_detail());
    let t = super::texts();
    let title = move || {
        let text = detail.with(|d| match d {
            Some(Ok(e)) => e.error_code.clone(),
            _ => t().sync_error.to_string(),
        });
        view! { <DataText text /> }
    };

    view! {
        <DialogFrame labelled_by="se-modal-title" class="se-modal" on_close=close return_focus=focus_row return_key=id.clone()>
            <header class="se-modal__header">
                <h2 id="se-modal-title" class="se-modal__title">{title}</h2>
                <button type="button" class="se-icon-button" aria-label=move || t().close data-autofocus="" on:click=move |_| close.run(())>
                    <CloseIcon />
                </button>
            </header>
            <div class="se-modal__body">
                {move || match detail.get() {
                    None => view! { <p class="se-status" role="status">{move || t().loading_error}</p> }.into_any(),
                    Some(Ok(error)) => view! { <ErrorDetail error=error /> }.into_any(),
                    Some(Err(ApiError::NotFound)) => view! {
                        <p class="se-state__title" role="alert">{move || t().gone}</p>
                        <p>{move || t().gone_hint}</p>
                    }.into_any(),
                    Some(Err(ApiError::Unauthenticated)) => view! {
                        <div class="se-banner se-banner--error" role="alert">
                            <p class="se-banner__text">{move || ApiError::Unauthenticated.describe(t())}</p>
                            <SignInLink />
                        </div>
                    }.into_any(),
                    Some(Err(e)) => {
                        let load = load.clone();
                        view! {
                            <div class="se-banner se-banner--error" role="alert">
                                <p class="se-banner__text">{e.describe(t())}</p>
                                <button type="button" class="se-button" on:click=move |_| load()>{move || t().retry}</button>
                            </div>
                        }.into_any()
                    }
                }}
            </div>
        </DialogFrame>
    }
}

/// After a dialog that a link opened: focus the row of its error, else the grid's Tab stop.
fn focus_row(root: &web_sys::Node, id: &str) {
    const ROWS: &str = "tr.se-row";
    let found = if let Some(shadow) = root.dyn_ref::<web_sys::DocumentFragment>() {
        shadow.query_selector_all(ROWS)
    } else if let Some(document) = root.dyn_ref::<web_sys::Document>() {
        document.query_selector_all(ROWS)
    } else {
        return;
    };
    let rows: Vec<web_sys::HtmlElement> = found
        .map(|list| {
            (0..list.length())
                .filter_map(|i| list.item(i))
                .filter_map(|n| n.dyn_into().ok())
                .collect()
        })
        .unwrap_or_default();
    let target = rows
        .iter()
        .find(|r| r.get_attribute("data-id").as_deref() == Some(id))
        .or_else(|| {
            rows.iter()
                .find(|r| r.get_attribute("tabindex").as_deref() == Some("0"))
        })
        .or(rows.first());
    if let Some(row) = target {
        let _ = row.focus();
    }
}

#[component]
fn ErrorDetail(error: SyncError) -> impl IntoView {
    let settings = expect_context::<RwSignal<Settings>>();
    let tf = super::time_format();
    let t = super::texts();
    // `salesforce-url` may change while the dialog is open.
    let salesforce_id = error.salesforce_id.clone();
    let record_link = move || {
        let id = salesforce_id.as_deref()?;
        settings.with(|s| salesforce_record_url(s.salesforce_url.as_deref(), id))
    };
    let search = web_search_url(&error.error_code, &error.message);
    let is_record = error.level == Level::Record;
    let fields = (!error.fields.is_empty()).then(|| error.fields.join(", "));
    let row = move |label: fn(&Texts) -> &'static str, value: Option<String>| {
        value.map(|v| view! { <dt>{move || label(t())}</dt><dd><DataText text=v /></dd> })
    };
    view! {
        <p class="se-modal__scope">
            <span class=if is_record { "se-badge se-badge--record" } else { "se-badge se-badge--job" }>
                {move || level_label(t(), error.level)}
            </span>
            " " {move || if is_record { t().record_scope } else { t().job_scope }}
        </p>
        <dl class="se-details">
            {is_record.then(|| view! {
                <dt>{move || t().marketo_id}</dt>
                <dd>{id_value(error.marketo_id.clone(), |t| t.copy_marketo_id, |t| t.copied_marketo_id)}</dd>
                <dt>{move || t().salesforce_id}</dt>
                <dd>
                    {id_value(error.salesforce_id.clone(), |t| t.copy_salesforce_id, |t| t.copied_salesforce_id)}
                    {move || record_link().map(|href| view! {
                        <a class="se-link" href=href target="_blank" rel="noopener noreferrer">
                            {move || t().open_in_salesforce} <ExternalIcon />
                        </a>
                    })}
                </dd>
            })}
            {row(|t| t.col_object, error.object_type.clone())}
            {row(|t| t.operation, error.operation.clone())}
            {row(|t| t.failing_fields, fields)}
            <dt>{move || t().col_code}</dt>
            <dd><code class="se-code"><DataText text=error.error_code.clone() /></code></dd>
            <dt>{move || t().col_time}</dt>
            <dd>
                <time datetime=rfc3339(error.failed_at)>{move || tf().local(error.failed_at)}</time>
                <span class="se-details__utc">{utc_exact(error.failed_at)}</span>
            </dd>
        </dl>
        <section class="se-modal__message" aria-labelledby="se-message-title">
            <div class="se-modal__message-head">
                <h3 id="se-message-title">{move || t().col_message}</h3>
                <CopyButton text=error.message.clone() label=|t| t.copy_message done=|t| t.copied_message />
            </div>
            <p class="se-message-full"><DataText text=error.message.clone() /></p>
        </section>
        <WhatToDo code=error.error_code.clone() />
        <p class="se-modal__search">
            <a class="se-link" href=search target="_blank" rel="noopener noreferrer">
                {move || t().search_web} <ExternalIcon />
            </a>
            {move || t().search_hint}
        </p>
    }
}

/// "What to do": what the code means, the steps that fix its cause, and whether it clears
/// by itself. Codes without advice say so; the web search below stays for every code.
#[component]
fn WhatToDo(code: String) -> impl IntoView {
    let guidance = expect_context::<GuidanceStore>();
    guidance.want();
    let (lang, t) = (super::lang(), super::texts());
    let body = move || match guidance.state.get() {
        GuidanceState::Ready(g) => match g.get(&code).and_then(|e| Some((e, e.advice(lang())?))) {
            Some((entry, advice)) => {
                let advice = advice.clone();
                let outlook = match entry.resolution {
                    Resolution::Retry => t().clears_by_itself,
                    Resolution::Data => t().needs_data_change,
                    Resolution::Configuration => t().needs_config_change,
                };
                let class = match entry.resolution {
                    Resolution::Retry => "se-guidance__outlook se-guidance__outlook--retry",
                    _ => "se-guidance__outlook",
                };
                view! {
                    <p class="se-guidance__meaning"><DataText text=advice.meaning /></p>
                    <ol class="se-guidance__steps">
                        {advice.steps.into_iter().map(|s| view! { <li><DataText text=s /></li> }).collect_view()}
                    </ol>
                    <p class=class>{outlook}</p>
                }
                .into_any()
            }
            None => {
                view! { <p class="se-muted">{fill(t().guidance_unknown, &[&code])}</p> }.into_any()
            }
        },
        GuidanceState::Failed => view! { <p class="se-muted">{t().guidance_failed}</p> }.into_any(),
        GuidanceState::NotAsked | GuidanceState::Loading => {
            view! { <p class="se-muted" role="status">{t().guidance_loading}</p> }.into_any()
        }
    };
    view! {
        <section class="se-guidance" aria-labelledby="se-guidance-title">
            <h3 id="se-guidance-title">{move || t().what_to_do}</h3>
            {body}
        </section>
    }
}

fn id_value(
    value: Option<String>,
    label: fn(&Texts) -> &'static str,
    done: fn(&Texts) -> &'static str,
) -> AnyView {
    match value {
        Some(v) => view! {
            <code class="se-code se-id"><DataText text=v.clone() /></code>
            <CopyButton text=v label=label done=done />
        }
        .into_any(),
        None => {
            let t = super::texts();
            view! { <span class="se-muted">{move || t().no_salesforce_record}</span> }.into_any()
        }
    }
}

/// Copies `text` to the clipboard and says so (or says it could not).
#[component]
fn CopyButton(
    text: String,
    label: fn(&Texts) -> &'static str,
    done: fn(&Texts) -> &'static str,
) -> impl IntoView {
    let t = super::texts();
    let outcome = RwSignal::new(None::<bool>);
    let copy = move |_| {
        let text = text.clone();
        spawn_local(async move {
            let ok = match web_sys::window().map(|w| w.navigator().clipboard()) {
                Some(clipboard) => {
                    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
                        .await
                        .is_ok()
                }
                None => false,
            };
            outcome.try_set(Some(ok));
        });
    };
    view! {
        <span class="se-copy">
            <button type="button" class="se-button se-button--small" aria-label=move || label(t()) on:click=copy>
                {move || t().copy}
            </button>
            <span class="se-copy-status" role="status">
                {move || match outcome.get() {
                    Some(true) => done(t()),
                    Some(false) => t().copy_failed,
                    None => "",
                }}
            </span>
        </span>
    }
}

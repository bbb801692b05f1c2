use leptos::prelude::*;
use sync_errors_api::{Level, SyncError};

use crate::format::{rfc3339, utc_exact};
use crate::intl::local_time;

pub fn level_label(level: Level) -> &'static str {
    match level {
        Level::Record => "Record level",
        Level::Job => "Job level",
    }
}

/// The grid of errors: a semantic table, one keyed row per error.
#[component]
pub fn ErrorTable(
    #[prop(into)] rows: Signal<Vec<SyncError>>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="se-grid" aria-busy=move || busy.get().to_string()>
            <table class="se-table">
                <caption class="se-visually-hidden">"Salesforce sync errors"</caption>
                <thead>
                    <tr>
                        <th scope="col" class="se-table__level">"Failed On"</th>
                        <th scope="col" class="se-table__time">"Date/Time of the failure"</th>
                        <th scope="col" class="se-table__code">"Error Type"</th>
                        <th scope="col" class="se-table__message">"Error Details"</th>
                        <th scope="col" class="se-table__object">"Object"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=|e| e.id.clone() let:error>
                        <ErrorRow error=error />
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ErrorRow(error: SyncError) -> impl IntoView {
    let level_class = match error.level {
        Level::Record => "se-badge se-badge--record",
        Level::Job => "se-badge se-badge--job",
    };
    let utc = utc_exact(error.failed_at);
    view! {
        <tr class="se-row" data-id=error.id.clone()>
            <td><span class=level_class>{level_label(error.level)}</span></td>
            <td>
                <time class="se-time" datetime=rfc3339(error.failed_at) title=utc.clone()>
                    {local_time(error.failed_at)}
                </time>
            </td>
            <td><code class="se-code">{error.error_code}</code></td>
            <td><span class="se-message">{error.message}</span></td>
            <td>{error.object_type.unwrap_or_default()}</td>
        </tr>
    }
}

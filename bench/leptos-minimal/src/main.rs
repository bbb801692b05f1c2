//! The size reference: fetch the first page and list it.
use leptos::prelude::*;
use sync_errors_api::ErrorPage;

async fn first_page() -> Result<ErrorPage, String> {
    let res = gloo_net::http::Request::get("/api/v1/sync-errors?limit=100")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let bytes = res.binary().await.map_err(|e| e.to_string())?;
    serde_json::from_slice(&bytes).map_err(|e| e.to_string())
}

#[component]
fn List() -> impl IntoView {
    let page = LocalResource::new(first_page);
    view! {
        <Suspense fallback=|| "Loading…">
            {move || page.get().map(|p| match p {
                Ok(p) => view! {
                    <ul>
                        <For each=move || p.items.clone() key=|e| e.id.clone() let:e>
                            <li>{e.failed_at.to_rfc3339()} " " {e.error_code} " " {e.message}</li>
                        </For>
                    </ul>
                }.into_any(),
                Err(e) => view! { <p role="alert">{e}</p> }.into_any(),
            })}
        </Suspense>
    }
}

fn main() {
    mount_to_body(|| {
        view! {
            <List />
        }
    });
}

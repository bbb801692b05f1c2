//! Browser tests: components mounted in headless Chromium, the DOM asserted.
//! Run by `make test-browser` (wasm-bindgen-test-runner with Debian's chromedriver).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use sync_errors::NavModel;
use sync_errors::client::ApiError;
use sync_errors::ui::components::{AdminNav, AdminRequired, DialogFrame, ErrorBanner, ErrorTable};
use sync_errors_api::{Level, Sort, SortField, SyncError};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Lets Leptos apply pending updates (they run on a later task, not synchronously).
async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

fn error(id: &str, level: Level, message: &str) -> SyncError {
    SyncError::example(id, level, message)
}

#[wasm_bindgen_test]
fn admin_nav_renders_the_model_with_the_current_tab() {
    let root = container();
    let model = NavModel::salesforce_sync_errors(
        &sync_errors::text::i18n::EN,
        Some("/admin".into()),
        "/sync",
    );
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <AdminNav model=model /> });
    let crumbs = root
        .query_selector_all("nav[aria-label=Breadcrumb] li")
        .unwrap();
    assert_eq!(crumbs.length(), 3);
    assert_eq!(
        root.query_selector("nav[aria-label=Breadcrumb] a")
            .unwrap()
            .unwrap()
            .get_attribute("href")
            .as_deref(),
        Some("/admin")
    );
    let current = root
        .query_selector(".se-tabs [aria-current=page]")
        .unwrap()
        .unwrap();
    assert_eq!(current.text_content().as_deref(), Some("Sync Errors"));
    assert_eq!(current.get_attribute("href").as_deref(), Some("/sync"));
    assert_eq!(
        root.query_selector("h1")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("Salesforce")
    );
}

#[wasm_bindgen_test]
async fn table_shows_one_row_per_error_with_messages_as_text_only() {
    let root = container();
    let hostile = r#"<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>"#;
    let rows = RwSignal::new(vec![
        error("se_1", Level::Record, hostile),
        error("se_2", Level::Job, "TotalRequests Limit exceeded."),
    ]);
    let opened = RwSignal::new(None::<String>);
    let sorted = RwSignal::new(None::<Sort>);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <ErrorTable
                rows=rows
                busy=false
                sort=Sort::default()
                on_sort=move |s| sorted.set(Some(s))
                on_open=move |id| opened.set(Some(id))
            />
        }
    });
    tick().await;
    let body_rows = root.query_selector_all("tbody tr").unwrap();
    assert_eq!(body_rows.length(), 2);
    let headers: Vec<String> = (0..5)
        .map(|i| {
            root.query_selector_all("thead th")
                .unwrap()
                .item(i)
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(
        headers,
        [
            "Failed On",
            "Date/Time of the failure",
            "Error Type",
            "Error Details",
            "Object"
        ]
    );
    let sorted_header = root.query_selector("th[aria-sort]").unwrap().unwrap();
    assert_eq!(
        sorted_header.get_attribute("aria-sort").as_deref(),
        Some("descending")
    );
    assert!(
        sorted_header
            .text_content()
            .unwrap()
            .starts_with("Date/Time")
    );
    // Clicking Error Type asks for A to Z; Enter on a row opens it.
    let code_button: web_sys::HtmlElement = root
        .query_selector_all("th button")
        .unwrap()
        .item(2)
        .unwrap()
        .unchecked_into();
    code_button.click();
    assert_eq!(
        sorted.get_untracked(),
        Some(Sort::new(SortField::ErrorCode, false))
    );
    let row = root.query_selector("tr[data-id=se_2]").unwrap().unwrap();
    key(&row, "Enter", false);
    assert_eq!(opened.get_untracked().as_deref(), Some("se_2"));
    assert!(
        root.query_selector("tbody img, tbody script")
            .unwrap()
            .is_none(),
        "markup stays text"
    );
    let message = root.query_selector("tbody .se-message").unwrap().unwrap();
    assert_eq!(message.text_content().as_deref(), Some(hostile));
    let badges: Vec<String> = (0..2)
        .map(|i| {
            root.query_selector_all(".se-badge")
                .unwrap()
                .item(i)
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(badges, ["Record level", "Job level"]);
    let time = root.query_selector("tbody time").unwrap().unwrap();
    assert_eq!(
        time.get_attribute("datetime").as_deref(),
        Some("2026-11-28T09:41:07Z")
    );
    assert_eq!(
        time.query_selector(".se-time__utc")
            .unwrap()
            .and_then(|tip| tip.text_content())
            .as_deref(),
        Some("2026-11-28 09:41:07 UTC")
    );

    // The rows are replaced as a whole: a focused row keeps focus and the tab stop when
    // the next rows still hold it.
    let first = root.query_selector("tr[data-id=se_1]").unwrap().unwrap();
    let second: web_sys::HtmlElement = root
        .query_selector("tr[data-id=se_2]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(first.get_attribute("tabindex").as_deref(), Some("0"));
    second.focus().unwrap();
    assert_eq!(second.get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(first.get_attribute("tabindex").as_deref(), Some("-1"));
    rows.update(|r| {
        r.remove(0);
        r.push(error("se_3", Level::Job, "three"));
    });
    tick().await;
    assert_eq!(root.query_selector_all("tbody tr").unwrap().length(), 2);
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .unwrap();
    assert_eq!(active.get_attribute("data-id").as_deref(), Some("se_2"));
    assert!(!active.is_same_node(Some(&second)), "a new row element");
    assert_eq!(active.get_attribute("tabindex").as_deref(), Some("0"));
    let third = root.query_selector("tr[data-id=se_3]").unwrap().unwrap();
    assert_eq!(third.get_attribute("tabindex").as_deref(), Some("-1"));
}

#[wasm_bindgen_test]
fn error_states_are_announced() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <ErrorBanner error=ApiError::Server { status: 503, message: None, retry_after: None } on_retry=|_| {} />
            <AdminRequired />
        }
    });
    let alerts = root.query_selector_all("[role=alert]").unwrap();
    assert_eq!(alerts.length(), 2);
    assert!(
        alerts
            .item(0)
            .unwrap()
            .text_content()
            .unwrap()
            .contains("HTTP 503")
    );
    assert!(
        root.query_selector("button")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
            .contains("Retry")
    );
    assert!(
        alerts
            .item(1)
            .unwrap()
            .text_content()
            .unwrap()
            .contains("Admin permissions required")
    );
}

fn key(target: &web_sys::Element, key: &str, shift: bool) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

fn active_id() -> Option<String> {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .map(|e| e.id())
}

#[wasm_bindgen_test]
async fn dialog_takes_focus_traps_tab_closes_on_escape_and_gives_focus_back() {
    let root = container();
    let document = web_sys::window().unwrap().document().unwrap();
    let opener: web_sys::HtmlElement = document.create_element("button").unwrap().unchecked_into();
    opener.set_id("opener");
    root.append_child(&opener).unwrap();
    opener.focus().unwrap();
    let inner = container();
    let closed = RwSignal::new(0);
    let handle = leptos::mount::mount_to(inner.clone(), move || {
        view! {
            <DialogFrame labelled_by="t" class="se-modal" on_close=move |_| closed.update(|n| *n += 1)>
                <h2 id="t">"Title"</h2>
                <button id="first">"First"</button>
                <button id="last" data-autofocus="">"Last"</button>
            </DialogFrame>
        }
    });
    tick().await;
    let dialog = inner.query_selector("[role=dialog]").unwrap().unwrap();
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    assert_eq!(
        dialog.get_attribute("aria-labelledby").as_deref(),
        Some("t")
    );
    assert_eq!(
        active_id().as_deref(),
        Some("last"),
        "focus moves in, to the autofocus element"
    );
    key(&document.active_element().unwrap(), "Tab", false);
    assert_eq!(
        active_id().as_deref(),
        Some("first"),
        "Tab from the last wraps to the first"
    );
    key(&document.active_element().unwrap(), "Tab", true);
    assert_eq!(
        active_id().as_deref(),
        Some("last"),
        "Shift+Tab from the first wraps to the last"
    );
    key(&document.active_element().unwrap(), "Escape", false);
    assert_eq!(closed.get_untracked(), 1);
    drop(handle);
    tick().await;
    assert_eq!(
        active_id().as_deref(),
        Some("opener"),
        "focus returns to the opener"
    );
}

#[wasm_bindgen_test]
async fn export_parts_keep_every_byte_in_order_across_batches() {
    use sync_errors::export::Parts;
    // A batch of 10 bytes: some pushes fill one, some span two, the last is flushed at the end.
    let mut parts = Parts::new(10);
    let pieces = [
        "Failed On,",
        "é ünïcode ✓\r\n",
        "",
        "a",
        "bc,\"d\"\r\n",
        &"x".repeat(25),
    ];
    for p in pieces {
        parts.push(p).unwrap();
    }
    let blob = parts.finish("text/csv;charset=utf-8").unwrap();
    assert_eq!(blob.type_(), "text/csv;charset=utf-8");
    let expected = pieces.concat();
    assert_eq!(blob.size() as usize, expected.len());
    let text = wasm_bindgen_futures::JsFuture::from(blob.text())
        .await
        .unwrap()
        .as_string()
        .unwrap();
    assert_eq!(text, expected);
}

#[wasm_bindgen_test]
async fn data_text_breaks_long_runs_without_changing_the_text() {
    use sync_errors::ui::components::DataText;
    let root = container();
    let long = format!("<b>{}</b> and a few words", "A".repeat(100));
    let text = long.clone();
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <DataText text /> });
    tick().await;
    // 100 A's plus "<b>" and "</b>" are one run of 107 characters: three cuts.
    assert_eq!(root.query_selector_all("wbr").unwrap().length(), 3);
    assert!(
        root.query_selector("b").unwrap().is_none(),
        "markup stays text"
    );
    assert_eq!(root.text_content().as_deref(), Some(long.as_str()));
}

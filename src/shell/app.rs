//! The app shell: the live settings, language, time format and the API client in context,
//! the router under the base path, the admin navigation, and the routes.

use leptos::prelude::*;

use crate::client::ApiClient;
use crate::model::nav::{NavModel, is_tab_path};
use crate::model::settings::{Navigation, Settings, UrlState};
use crate::shell::address::Address;
use crate::text::i18n::{Lang, fill};
use crate::text::intl::TimeFormat;
use crate::ui::components::AdminNav;
use crate::ui::pages::{NotFound, SyncErrorsPage};

/// The view a tab keeping its own (`url-state="none"`) starts from, when it is mounted anew.
#[derive(Clone, Debug, Default)]
pub struct InitialView(pub Option<String>);

#[component]
pub fn App(
    /// The element's attributes, which the host may change at any time.
    settings: RwSignal<Settings>,
    client: ApiClient,
    #[prop(default = None)] initial_view: Option<String>,
) -> impl IntoView {
    let lang = Memo::new(move |_| settings.with(|s| s.lang));
    provide_context::<Signal<Lang>>(lang.into());
    let zone = Memo::new(move |_| settings.with(|s| s.time_zone.clone()));
    // The time format, and a zone the browser does not know (said, then the browser's used).
    let format = Memo::new(move |_| zone.with(|z| TimeFormat::new(z.as_deref(), lang.get())));
    let time_format = Memo::new(move |_| format.with(|(tf, _)| tf.clone()));
    provide_context(time_format);
    provide_context(client);
    provide_context(settings);
    provide_context(InitialView(initial_view));
    crate::shell::guidance::GuidanceStore::provide();
    let nav = move || {
        settings.with(|s| {
            (s.navigation == Navigation::Full).then(|| {
                NavModel::salesforce_sync_errors(
                    lang.get().texts(),
                    s.admin_url.clone(),
                    &s.tab_href(),
                )
            })
        })
    };
    let unknown_zone = move || {
        format.with(|(_, unknown)| unknown.clone()).map(|zone| view! {
            <p class="se-banner se-banner--notice" role="status">{fill(lang.get().texts().unknown_zone, &[&zone])}</p>
        })
    };
    // Where the view lives and where the routes are are fixed for a mount (the element
    // mounts anew when `url-state` or `base-path` change).
    let (base, in_url) =
        settings.with_untracked(|s| (s.base_path.clone(), s.url_state == UrlState::Url));
    let shell = move |main: AnyView| {
        view! {
            <div class="se-app" lang=move || lang.get().tag()>
                {move || nav().map(|model| view! { <AdminNav model=model /> })}
                {unknown_zone}
                <div class="se-main">{main}</div>
            </div>
        }
    };
    if in_url {
        // One route: the tab at its base path; any other path under it is not a page.
        let address = Address::new();
        provide_context(address);
        let on_tab = Memo::new(move |_| address.path.with(|p| is_tab_path(&base, p)));
        shell(
            view! {
                {move || if on_tab.get() {
                    view! { <SyncErrorsPage /> }.into_any()
                } else {
                    view! { <NotFound /> }.into_any()
                }}
            }
            .into_any(),
        )
        .into_any()
    } else {
        // The view is the element's own: no router, the address is left to the page.
        shell(view! { <SyncErrorsPage /> }.into_any()).into_any()
    }
}

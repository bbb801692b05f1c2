//! The app shell: settings, language, time format and the API client in context, the router
//! under the base path, the admin navigation, and the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::api::ApiClient;
use crate::components::AdminNav;
use crate::i18n::fill;
use crate::intl::TimeFormat;
use crate::nav::NavModel;
use crate::pages::{NotFound, SyncErrorsPage};
use crate::settings::{Navigation, Settings, UrlState};

#[component]
pub fn App(settings: Settings) -> impl IntoView {
    let lang = settings.lang;
    let t = lang.texts();
    provide_context(lang);
    let (time_format, unknown_zone) = TimeFormat::new(settings.time_zone.as_deref(), lang);
    provide_context(time_format);
    provide_context(
        ApiClient::new(&settings.api_base, settings.token.clone())
            .with_timeout(settings.request_timeout_s),
    );
    let nav = (settings.navigation == Navigation::Full).then(|| {
        NavModel::salesforce_sync_errors(t, settings.admin_url.clone(), &settings.tab_href())
    });
    let base = settings.base_path.clone();
    let in_url = settings.url_state == UrlState::Url;
    provide_context(settings);
    let shell = move |main: AnyView| {
        view! {
            <div class="se-app" lang=lang.tag()>
                {nav.map(|model| view! { <AdminNav model=model /> })}
                {unknown_zone.map(|zone| view! {
                    <p class="se-banner se-banner--notice" role="status">{fill(t.unknown_zone, &[&zone])}</p>
                })}
                <div class="se-main">{main}</div>
            </div>
        }
    };
    if in_url {
        view! {
            <Router base=base>
                {shell(view! {
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=SyncErrorsPage />
                    </Routes>
                }.into_any())}
            </Router>
        }
        .into_any()
    } else {
        // The view is the element's own: no router, the address is left to the page.
        shell(view! { <SyncErrorsPage /> }.into_any()).into_any()
    }
}

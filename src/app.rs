//! The app shell: settings and the API client in context, the router under the base path,
//! the admin navigation, and the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::api::ApiClient;
use crate::components::AdminNav;
use crate::intl::TimeFormat;
use crate::nav::NavModel;
use crate::pages::{NotFound, SyncErrorsPage};
use crate::settings::{Navigation, Settings};

#[component]
pub fn App(settings: Settings) -> impl IntoView {
    provide_context(ApiClient::new(&settings.api_base, settings.token.clone()));
    let nav = (settings.navigation == Navigation::Full).then(|| {
        NavModel::salesforce_sync_errors(settings.admin_url.clone(), &settings.tab_href())
    });
    let base = settings.base_path.clone();
    let (time_format, unknown_zone) = TimeFormat::new(settings.time_zone.as_deref());
    provide_context(time_format);
    provide_context(settings);
    view! {
        <Router base=base>
            <div class="se-app">
                {nav.map(|model| view! { <AdminNav model=model /> })}
                {unknown_zone.map(|zone| view! {
                    <p class="se-banner se-banner--notice" role="status">
                        {format!("The time zone “{zone}” is not known to this browser; times are shown in your browser's time zone.")}
                    </p>
                })}
                <main class="se-main">
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=SyncErrorsPage />
                    </Routes>
                </main>
            </div>
        </Router>
    }
}

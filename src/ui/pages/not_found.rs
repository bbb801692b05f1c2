use leptos::prelude::*;

use crate::model::settings::Settings;
use crate::ui::components::tr;

#[component]
pub fn NotFound() -> impl IntoView {
    let home = move || expect_context::<RwSignal<Settings>>().with(Settings::tab_href);
    view! {
        <section class="se-state">
            <h2 class="se-state__title">{tr(|t| t.not_found_page)}</h2>
            <p><a href=home>{tr(|t| t.go_to_tab)}</a></p>
        </section>
    }
}

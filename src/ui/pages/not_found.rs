use leptos::prelude::*;

use crate::model::settings::Settings;
use crate::ui::components::texts;

#[component]
pub fn NotFound() -> impl IntoView {
    let t = texts();
    let home = move || expect_context::<RwSignal<Settings>>().with(Settings::tab_href);
    view! {
        <section class="se-state">
            <h2 class="se-state__title">{move || t().not_found_page}</h2>
            <p><a href=home>{move || t().go_to_tab}</a></p>
        </section>
    }
}

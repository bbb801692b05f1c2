use leptos::prelude::*;

use crate::settings::Settings;

#[component]
pub fn NotFound() -> impl IntoView {
    let home = expect_context::<Settings>().tab_href();
    view! {
        <section class="se-state">
            <h2 class="se-state__title">"This page does not exist"</h2>
            <p><a href=home>"Go to Salesforce sync errors"</a></p>
        </section>
    }
}

use leptos::prelude::*;

use crate::model::nav::{NavItem, NavModel};

/// The console's navigation around the tab, drawn from a [`NavModel`].
#[component]
pub fn AdminNav(model: NavModel) -> impl IntoView {
    let t = super::texts();
    let tabs_label = t().salesforce_pages;
    let trail = model
        .trail
        .into_iter()
        .map(|item| view! { <li class="se-breadcrumb__item">{nav_link(item, "se-breadcrumb__link")}</li> })
        .collect_view();
    let tabs = model
        .tabs
        .into_iter()
        .map(|item| {
            let current = item.current;
            view! {
                <li class="se-tabs__item" class:se-tabs__item--current=current>
                    {nav_link(item, "se-tabs__link")}
                </li>
            }
        })
        .collect_view();
    view! {
        <header class="se-nav">
            <nav class="se-breadcrumb" aria-label=move || t().breadcrumb>
                <ol class="se-breadcrumb__list">{trail}</ol>
            </nav>
            <h1 class="se-nav__title">{model.page_title}</h1>
            <nav class="se-tabs" aria-label=tabs_label>
                <ul class="se-tabs__list">{tabs}</ul>
            </nav>
        </header>
    }
}

fn nav_link(item: NavItem, class: &'static str) -> AnyView {
    let current = item.current.then_some("page");
    match item.href {
        Some(href) => {
            view! { <a class=class href=href aria-current=current>{item.label}</a> }.into_any()
        }
        None => view! { <span class=class aria-current=current>{item.label}</span> }.into_any(),
    }
}

//! The Salesforce Sync Errors tab.
//!
//! Pure logic (the URL view model, the request reducer, formatting, the navigation model,
//! settings) lives in plain modules, tested natively; components and pages render it.

pub mod api;
pub mod app;
pub mod components;
pub mod csv;
pub mod embed;
pub mod export;
pub mod format;
pub mod grid_html;
pub mod i18n;
pub mod intl;
pub mod links;
pub mod loader;
pub mod nav;
pub mod pages;
pub mod range;
pub mod settings;
pub mod state;
pub mod view_query;

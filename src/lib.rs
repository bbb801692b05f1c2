//! The Salesforce Sync Errors tab.
//!
//! Where things are (one guess finds any behaviour):
//! - `model`: pure decisions, no browser: the view in the URL, the request planner and the
//!   request reducer, the drawer's range checks, links, the navigation model, settings.
//! - `text`: words, numbers and times: English and French, counts, UTC times, and the
//!   admin's zone through the browser's `Intl`.
//! - `client`: the typed HTTP client of the API contract and its one error type.
//! - `export`: the CSV export: the writer (native) and the file built in the browser.
//! - `ui`: components and pages (Leptos), and the grid's escaped rows.
//! - `shell`: the custom element, the app and its context of signals.

pub mod client;
pub mod export;
pub(crate) mod model;
pub mod shell;
pub mod text;
pub mod ui;

/// What the browser tests build on.
pub use model::nav::NavModel;

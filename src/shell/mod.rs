//! The custom element `<sync-errors-tab>`, the app it mounts, and the tab's state.

pub(crate) mod address;
pub(crate) mod app;
pub mod embed;
pub(crate) mod guidance;
pub(crate) mod state;

//! Reusable pieces of the tab.

mod admin_nav;
mod error_table;
mod status;

pub use admin_nav::AdminNav;
pub use error_table::ErrorTable;
pub use status::{AdminRequired, ErrorBanner, SessionEnded};

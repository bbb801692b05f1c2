//! Reusable pieces of the tab.

mod admin_nav;
mod detail_modal;
mod dialog;
mod error_table;
mod export_control;
mod filter_drawer;
mod icons;
mod pager;
mod status;
mod toolbar;

pub use admin_nav::AdminNav;
pub use detail_modal::DetailModal;
pub use dialog::DialogFrame;
pub use error_table::{ErrorTable, level_label};
pub use filter_drawer::FilterDrawer;
pub use pager::Pager;
pub use status::{AdminRequired, ErrorBanner, SessionEnded};
pub use toolbar::Toolbar;

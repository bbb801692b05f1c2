//! Reusable pieces of the tab.

mod admin_nav;
mod data_text;
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
pub use data_text::DataText;
pub use detail_modal::DetailModal;
pub use dialog::DialogFrame;
pub use error_table::ErrorTable;
pub use filter_drawer::FilterDrawer;
pub use pager::Pager;
pub use status::{AdminRequired, ErrorBanner, SessionEnded, SignedOut};
pub use toolbar::Toolbar;

use leptos::prelude::use_context;

use crate::i18n::{Lang, Texts};
use crate::intl::TimeFormat;

/// The tab's language (English outside a tab).
pub fn lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// The tab's texts, in its language.
pub fn texts() -> &'static Texts {
    lang().texts()
}

/// How this tab writes times (its `time-zone`), or the browser's zone outside a tab.
pub fn time_format() -> TimeFormat {
    use_context::<TimeFormat>().unwrap_or_default()
}

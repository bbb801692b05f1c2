//! One module per route.

mod not_found;
mod sync_errors;

pub use not_found::NotFound;
pub use sync_errors::SyncErrorsPage;

//! Pure decisions, without the browser, each tested natively.

pub(crate) mod applied;
pub(crate) mod guidance;
pub(crate) mod links;
pub(crate) mod loader;
pub(crate) mod nav;
pub(crate) mod planner;
pub(crate) mod range;
pub(crate) mod settings;
pub(crate) mod summary;
pub(crate) mod view_query;

//! What the admin sees: reusable components, the pages, and the grid's rows as HTML.

pub mod components;
pub(crate) mod grid_html;
pub(crate) mod pages;

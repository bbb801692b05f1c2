//! The API client: typed requests to any backend that follows the contract.

mod client;
mod error;

pub use client::{AbortOnDrop, ApiClient};
pub use error::{ApiError, decode};

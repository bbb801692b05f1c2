//! The API client: typed requests to any backend that follows the contract.

mod client;
mod error;

pub use client::{AbortOnDrop, ApiClient, DEFAULT_TIMEOUT_S, sleep};
pub use error::{ApiError, RETRY_DELAYS_MS, decode};

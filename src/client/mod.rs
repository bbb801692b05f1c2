//! The API client: typed requests to any backend that follows the contract.

mod http;
mod error;

pub use http::{AbortOnDrop, ApiClient, DEFAULT_TIMEOUT_S, sleep};
pub use error::{ApiError, RETRY_DELAYS_MS, decode};

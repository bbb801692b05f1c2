//! The API client: typed requests to any backend that follows the contract.

mod early;
mod error;
mod http;

pub use error::{ApiError, RETRY_DELAYS_MS, decode};
pub use http::{AbortOnDrop, ApiClient, DEFAULT_TIMEOUT_S, get_file, sleep};

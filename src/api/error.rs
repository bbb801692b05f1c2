//! The one error type of the API client, and how an HTTP answer maps to it (pure, no web).

use sync_errors_api::{ApiErrorBody, ErrorCode};

use crate::i18n::{Texts, fill};

/// Everything that can go wrong with a request to the backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 400: a filter the backend does not accept; `parameter` names it when the body does.
    InvalidParameter {
        parameter: Option<String>,
        message: String,
    },
    /// 401: the session has ended (or never began).
    Unauthenticated,
    /// 403: the user is not an admin.
    AdminRequired,
    /// 404: the error no longer exists (or is outside the window).
    NotFound,
    /// Any other non-2xx answer.
    Server {
        status: u16,
        message: Option<String>,
    },
    /// No answer: the network failed or the server did not answer in time.
    Network(String),
    /// A 2xx answer whose body is not the contract's JSON.
    Malformed(String),
}

impl ApiError {
    /// Maps a non-2xx answer to an error, using the contract's body when there is one and
    /// the status alone when there is not (a proxy's HTML error page, say).
    pub fn from_status(status: u16, body: &[u8]) -> ApiError {
        let detail = serde_json::from_slice::<ApiErrorBody>(body)
            .ok()
            .map(|b| b.error);
        match (status, detail) {
            (401, _) => ApiError::Unauthenticated,
            (403, _) => ApiError::AdminRequired,
            (404, _) => ApiError::NotFound,
            (400, Some(d)) => ApiError::InvalidParameter {
                parameter: d.parameter,
                message: d.message,
            },
            (400, None) => ApiError::InvalidParameter {
                parameter: None,
                message: String::new(),
            },
            (_, Some(d)) if d.code == ErrorCode::InvalidParameter => ApiError::InvalidParameter {
                parameter: d.parameter,
                message: d.message,
            },
            (status, detail) => ApiError::Server {
                status,
                message: detail.map(|d| d.message),
            },
        }
    }

    /// Whether trying again may help (the user's Retry, an automatic retry of a GET).
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network(_) => true,
            ApiError::Server { status, .. } => matches!(status, 408 | 429 | 500..=599),
            ApiError::Malformed(_) => true,
            _ => false,
        }
    }
}

impl ApiError {
    /// What the tab says about this error, in its language.
    pub fn describe(&self, t: &Texts) -> String {
        match self {
            ApiError::InvalidParameter {
                parameter: Some(p),
                message,
            } => fill(t.filter_rejected, &[p, message]),
            ApiError::InvalidParameter {
                parameter: None,
                message,
            } if !message.is_empty() => message.clone(),
            ApiError::InvalidParameter { .. } => t.request_rejected.into(),
            ApiError::Unauthenticated => t.session_ended_sentence.into(),
            ApiError::AdminRequired => t.admin_required.into(),
            ApiError::NotFound => t.gone.into(),
            ApiError::Server { status, .. } => fill(t.server_error, &[&status.to_string()]),
            ApiError::Network(_) => t.network_error.into(),
            ApiError::Malformed(_) => t.malformed.into(),
        }
    }
}

/// Decodes a 2xx body; anything that is not the contract's JSON is `Malformed`.
pub fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sync_errors_api::ErrorPage;

    #[test]
    fn maps_contract_statuses() {
        let body = br#"{"error":{"code":"invalid_parameter","message":"`from` must be RFC 3339","parameter":"from"}}"#;
        assert_eq!(
            ApiError::from_status(400, body),
            ApiError::InvalidParameter {
                parameter: Some("from".into()),
                message: "`from` must be RFC 3339".into()
            }
        );
        assert_eq!(ApiError::from_status(401, b""), ApiError::Unauthenticated);
        assert_eq!(
            ApiError::from_status(403, b"<html>"),
            ApiError::AdminRequired
        );
        assert_eq!(ApiError::from_status(404, b"{}"), ApiError::NotFound);
        assert_eq!(
            ApiError::from_status(502, b"<html>Bad gateway</html>"),
            ApiError::Server {
                status: 502,
                message: None
            }
        );
        let body = br#"{"error":{"code":"store_unavailable","message":"down"}}"#;
        assert_eq!(
            ApiError::from_status(503, body),
            ApiError::Server {
                status: 503,
                message: Some("down".into())
            }
        );
    }

    #[test]
    fn transient_errors_are_the_ones_worth_retrying() {
        assert!(ApiError::Network("x".into()).is_transient());
        assert!(
            ApiError::Server {
                status: 503,
                message: None
            }
            .is_transient()
        );
        assert!(
            ApiError::Server {
                status: 429,
                message: None
            }
            .is_transient()
        );
        assert!(
            !ApiError::Server {
                status: 418,
                message: None
            }
            .is_transient()
        );
        assert!(!ApiError::AdminRequired.is_transient());
        assert!(!ApiError::Unauthenticated.is_transient());
    }

    #[test]
    fn malformed_bodies_are_reported_not_panicked_on() {
        for body in [&b"<html>"[..], b"", b"{\"total\":\"many\"}", b"null", b"[]"] {
            assert!(matches!(
                decode::<ErrorPage>(body),
                Err(ApiError::Malformed(_))
            ));
        }
    }
}

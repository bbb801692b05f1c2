//! The one error type of the API client, and how an HTTP answer maps to it (pure, no web).

use sync_errors_api::{ApiErrorBody, ErrorCode};

use crate::text::i18n::{Texts, fill};

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
    /// Any other non-2xx answer; `retry_after` from its `Retry-After` header, in seconds.
    Server {
        status: u16,
        message: Option<String>,
        retry_after: Option<u32>,
    },
    /// No answer: the network failed or the connection dropped.
    Network(String),
    /// No answer within the client's time limit (the request was aborted).
    TimedOut { seconds: u32 },
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
                retry_after: None,
            },
        }
    }

    /// Whether the data must go from the screen: the session ended (401) or the user is not
    /// an admin (403).
    pub fn hides_data(&self) -> bool {
        matches!(self, ApiError::Unauthenticated | ApiError::AdminRequired)
    }

    /// Adds the answer's `Retry-After` (delay-seconds; an HTTP date is ignored).
    pub fn with_retry_after(mut self, header: Option<&str>) -> ApiError {
        if let ApiError::Server { retry_after, .. } = &mut self {
            *retry_after = header.and_then(|h| h.trim().parse().ok());
        }
        self
    }

    /// How long to wait before GETting again on its own, or `None` when it must not:
    /// only a failed network, 408, 429 and 502–504 are retried, at most
    /// `RETRY_DELAYS_MS.len()` times, after the server's `Retry-After` when it asks for
    /// at most `MAX_RETRY_AFTER_S`, else after a backoff with up to 250 ms of jitter
    /// (`random` in 0..1). Other 4xx, 500, a malformed body and a timeout are reported
    /// at once: asking again the same way would not help, or would only make the admin wait.
    pub fn retry_delay_ms(&self, attempt: usize, random: f64) -> Option<u32> {
        let backoff = *RETRY_DELAYS_MS.get(attempt)?;
        let jitter = (random.clamp(0.0, 1.0) * 250.0) as u32;
        match self {
            ApiError::Network(_) => Some(backoff + jitter),
            ApiError::Server {
                status: 408 | 429 | 502..=504,
                retry_after,
                ..
            } => match retry_after {
                Some(s) if *s > MAX_RETRY_AFTER_S => None,
                Some(s) => Some(s * 1000 + jitter),
                None => Some(backoff + jitter),
            },
            _ => None,
        }
    }
}

/// The waits before each automatic retry of a GET.
pub const RETRY_DELAYS_MS: [u32; 3] = [500, 1500, 4000];
/// A longer `Retry-After` is not waited out: the admin is told when to try again.
pub const MAX_RETRY_AFTER_S: u32 = 10;

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
            ApiError::Server {
                status,
                retry_after: Some(seconds),
                ..
            } => fill(
                t.server_busy,
                &[&status.to_string(), &t.seconds(u64::from(*seconds))],
            ),
            ApiError::Server { status, .. } => fill(t.server_error, &[&status.to_string()]),
            ApiError::Network(_) => t.network_error.into(),
            ApiError::TimedOut { seconds } => fill(t.timed_out, &[&t.seconds(u64::from(*seconds))]),
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
                message: None,
                retry_after: None
            }
        );
        let body = br#"{"error":{"code":"store_unavailable","message":"down"}}"#;
        assert_eq!(
            ApiError::from_status(503, body),
            ApiError::Server {
                status: 503,
                message: Some("down".into()),
                retry_after: None
            }
        );
        assert_eq!(
            ApiError::from_status(503, body).with_retry_after(Some(" 7 ")),
            ApiError::Server {
                status: 503,
                message: Some("down".into()),
                retry_after: Some(7)
            }
        );
        let dated =
            ApiError::from_status(503, b"").with_retry_after(Some("Wed, 21 Oct 2026 07:28:00 GMT"));
        assert!(matches!(
            dated,
            ApiError::Server {
                retry_after: None,
                ..
            }
        ));
    }

    fn server(status: u16, retry_after: Option<u32>) -> ApiError {
        ApiError::Server {
            status,
            message: None,
            retry_after,
        }
    }

    #[test]
    fn only_failures_that_retrying_can_help_are_retried() {
        for e in [
            ApiError::Network("reset".into()),
            server(408, None),
            server(429, None),
            server(502, None),
            server(503, None),
            server(504, None),
        ] {
            assert_eq!(e.retry_delay_ms(0, 0.0), Some(500), "{e:?}");
            assert_eq!(e.retry_delay_ms(1, 1.0), Some(1750), "{e:?}");
            assert_eq!(e.retry_delay_ms(2, 0.5), Some(4125), "{e:?}");
            assert_eq!(
                e.retry_delay_ms(3, 0.0),
                None,
                "{e:?}: three retries at most"
            );
        }
        for e in [
            server(500, None),
            server(501, None),
            server(418, None),
            ApiError::InvalidParameter {
                parameter: None,
                message: String::new(),
            },
            ApiError::Unauthenticated,
            ApiError::AdminRequired,
            ApiError::NotFound,
            ApiError::Malformed("x".into()),
            ApiError::TimedOut { seconds: 30 },
        ] {
            assert_eq!(e.retry_delay_ms(0, 0.0), None, "{e:?}");
        }
    }

    #[test]
    fn retry_after_is_honoured_up_to_a_limit() {
        assert_eq!(server(503, Some(2)).retry_delay_ms(0, 0.0), Some(2000));
        assert_eq!(server(429, Some(0)).retry_delay_ms(2, 0.0), Some(0));
        assert_eq!(
            server(503, Some(MAX_RETRY_AFTER_S + 1)).retry_delay_ms(0, 0.0),
            None
        );
        assert_eq!(server(500, Some(1)).retry_delay_ms(0, 0.0), None);
        let t = crate::text::i18n::Lang::En.texts();
        assert!(
            server(503, Some(60))
                .describe(t)
                .contains("Try again in 60 seconds.")
        );
        assert!(
            server(503, Some(1))
                .describe(t)
                .contains("Try again in 1 second.")
        );
        let fr = crate::text::i18n::Lang::Fr.texts();
        assert!(
            server(503, Some(1))
                .describe(fr)
                .contains("Réessayez dans 1 seconde.")
        );
        assert!(
            ApiError::TimedOut { seconds: 1 }
                .describe(t)
                .contains("within 1 second.")
        );
        assert!(
            ApiError::TimedOut { seconds: 30 }
                .describe(t)
                .contains("30")
        );
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

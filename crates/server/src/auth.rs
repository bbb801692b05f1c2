//! Who is asking: a session cookie from the sign-in form, or a bearer token from the
//! configuration. Each account and token is an admin or not.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use subtle::ConstantTimeEq;

pub const SESSION_COOKIE: &str = "se_session";

#[derive(Debug, Clone, Deserialize)]
pub struct Account {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub admin: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Token {
    pub token: String,
    pub name: String,
    #[serde(default)]
    pub admin: bool,
    /// A sync engine's token: it may ingest, and read nothing.
    #[serde(default)]
    pub ingest: bool,
}

/// The server's accounts and tokens (a JSON file: see `config/demo-auth.json`).
#[derive(Debug, Clone, Deserialize)]
pub struct AuthConfig {
    #[serde(default)]
    pub accounts: Vec<Account>,
    #[serde(default)]
    pub tokens: Vec<Token>,
    #[serde(default = "default_session_hours")]
    pub session_hours: i64,
}

fn default_session_hours() -> i64 {
    8
}

impl AuthConfig {
    pub fn load(path: &Path) -> anyhow::Result<AuthConfig> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the auth configuration {}", path.display()))?;
        let config: AuthConfig = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a valid auth configuration", path.display()))?;
        if config.accounts.is_empty() && config.tokens.is_empty() {
            anyhow::bail!("{} names no account and no token", path.display());
        }
        if let Some(t) = config.tokens.iter().find(|t| t.admin && t.ingest) {
            anyhow::bail!(
                "{}: the token `{}` is marked both admin and ingest; an ingest token may not read",
                path.display(),
                t.name
            );
        }
        Ok(config)
    }
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub name: String,
    pub admin: bool,
    /// May ingest (a sync engine's token; never a session).
    pub ingest: bool,
}

struct Session {
    principal: Principal,
    expires_at: DateTime<Utc>,
}

/// Accounts, tokens and the live sessions.
pub struct Auth {
    config: AuthConfig,
    sessions: Mutex<HashMap<String, Session>>,
}

/// Compares two secrets in constant time.
pub fn equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

impl Auth {
    pub fn new(config: AuthConfig) -> Auth {
        Auth {
            config,
            sessions: Mutex::new(HashMap::new()),
        }
    }

    /// Checks a user name and password; every account is compared, in constant time.
    pub fn check_password(&self, username: &str, password: &str) -> Option<Principal> {
        let mut found = None;
        for account in &self.config.accounts {
            let ok = equal(&account.username, username) & equal(&account.password, password);
            if ok {
                found = Some(Principal {
                    name: account.username.clone(),
                    admin: account.admin,
                    ingest: false,
                });
            }
        }
        found
    }

    pub fn check_token(&self, token: &str) -> Option<Principal> {
        let mut found = None;
        for t in &self.config.tokens {
            if equal(&t.token, token) {
                found = Some(Principal {
                    name: t.name.clone(),
                    admin: t.admin && !t.ingest,
                    ingest: t.ingest,
                });
            }
        }
        found
    }

    /// Opens a session and returns its secret id.
    pub fn open_session(&self, principal: Principal, now: DateTime<Utc>) -> String {
        let id = random_secret();
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        sessions.retain(|_, s| s.expires_at > now);
        sessions.insert(
            id.clone(),
            Session {
                principal,
                expires_at: now + Duration::hours(self.config.session_hours),
            },
        );
        id
    }

    pub fn session(&self, id: &str, now: DateTime<Utc>) -> Option<Principal> {
        let sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        sessions
            .get(id)
            .filter(|s| s.expires_at > now)
            .map(|s| s.principal.clone())
    }

    pub fn close_session(&self, id: &str) {
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        sessions.remove(id);
    }

    pub fn session_max_age_seconds(&self) -> i64 {
        self.config.session_hours * 3600
    }
}

/// 256 random bits from the operating system, URL-safe base64.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A sign-in redirect target is only ever a path on this server.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control) =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth() -> Auth {
        Auth::new(
            serde_json::from_str(
                r#"{"accounts":[{"username":"admin","password":"admin","admin":true},
                                {"username":"viewer","password":"viewer"}],
                    "tokens":[{"token":"t-admin","name":"ci","admin":true}]}"#,
            )
            .unwrap(),
        )
    }

    #[test]
    fn passwords_and_tokens() {
        let a = auth();
        assert!(a.check_password("admin", "admin").unwrap().admin);
        assert!(!a.check_password("viewer", "viewer").unwrap().admin);
        assert!(a.check_password("admin", "viewer").is_none());
        assert!(a.check_password("admin", "admin ").is_none());
        assert!(a.check_token("t-admin").is_some());
        assert!(a.check_token("t-admi").is_none());
    }

    #[test]
    fn sessions_expire() {
        let a = auth();
        let now = Utc::now();
        let p = a.check_password("admin", "admin").unwrap();
        let id = a.open_session(p.clone(), now);
        assert_eq!(a.session(&id, now), Some(p));
        assert_eq!(a.session(&id, now + Duration::hours(9)), None);
        a.close_session(&id);
        assert_eq!(a.session(&id, now), None);
    }

    /// A cookie's value in a `Cookie` header, as the handlers read it.
    fn cookie_value(header: &str, name: &str) -> Option<String> {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(axum::http::header::COOKIE, header.parse().unwrap());
        axum_extra::extract::CookieJar::from_headers(&headers)
            .get(name)
            .map(|c| c.value().to_owned())
    }

    #[test]
    fn cookies_and_redirects() {
        assert_eq!(
            cookie_value("a=1; se_session=xyz; b=2", SESSION_COOKIE).as_deref(),
            Some("xyz")
        );
        assert_eq!(cookie_value("se_sessionx=1", SESSION_COOKIE), None);
        assert_eq!(
            safe_next(Some("/sync-errors?level=job")),
            "/sync-errors?level=job"
        );
        for evil in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(Some(evil)), "/");
        }
    }
}

//! Who is asking: a session cookie from the sign-in form, or a bearer token from the
//! configuration. Each account and token is an admin or not; a token may be a sync engine's
//! (it ingests, and reads nothing).
//!
//! Passwords are kept as Argon2id hashes (`password_hash`, a PHC string made by
//! `sync-errors-server hash-password`); a plain `password` is accepted only with demo data.
//! Tokens may be kept as their SHA-256 (`token_sha256`, hex). Sign-in costs one Argon2
//! verification whoever asks (a dummy hash for an unknown user) and is rate-limited per
//! account and per address (`Limiter`).

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::Path;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub const SESSION_COOKIE: &str = "se_session";

#[derive(Debug, Clone, Deserialize)]
pub struct Account {
    pub username: String,
    /// A plain password: refused unless the server runs with demo data.
    #[serde(default)]
    pub password: Option<String>,
    /// The password's Argon2id hash, a PHC string (`$argon2id$v=19$...`).
    #[serde(default)]
    pub password_hash: Option<String>,
    #[serde(default)]
    pub admin: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Token {
    /// The token itself.
    #[serde(default)]
    pub token: Option<String>,
    /// Or its SHA-256, in hex (`printf %s TOKEN | sha256sum`).
    #[serde(default)]
    pub token_sha256: Option<String>,
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
    /// Reads and checks the file. `demo`: the server runs with demo data, where a plain
    /// password is accepted (with a warning); otherwise it is refused.
    pub fn load_checked(path: &Path, demo: bool) -> anyhow::Result<AuthConfig> {
        let config = AuthConfig::load(path)?;
        config
            .check(demo)
            .with_context(|| format!("{}", path.display()))?;
        Ok(config)
    }

    /// Every account has one password, hashed with Argon2id unless `demo`; every token one
    /// secret.
    pub fn check(&self, demo: bool) -> anyhow::Result<()> {
        for a in &self.accounts {
            match (&a.password, &a.password_hash) {
                (Some(_), None) if demo => tracing::warn!(
                    "the account `{}` has a plain password: accepted with demo data only; \
                     use password_hash (sync-errors-server hash-password)",
                    a.username
                ),
                (Some(_), None) => anyhow::bail!(
                    "the account `{}` has a plain `password`, refused without demo data: \
                     replace it with `password_hash`, made by `sync-errors-server hash-password`",
                    a.username
                ),
                (None, Some(hash)) => {
                    let parsed = PasswordHash::new(hash).map_err(|e| {
                        anyhow::anyhow!("the account `{}`: password_hash: {e}", a.username)
                    })?;
                    if parsed.algorithm != argon2::Algorithm::Argon2id.ident() {
                        anyhow::bail!(
                            "the account `{}`: password_hash is not an Argon2id hash",
                            a.username
                        );
                    }
                }
                _ => anyhow::bail!(
                    "the account `{}` needs exactly one of `password_hash` and `password`",
                    a.username
                ),
            }
        }
        for t in &self.tokens {
            match (&t.token, &t.token_sha256) {
                (Some(token), None) if !token.is_empty() => {}
                (None, Some(hex))
                    if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {}
                _ => anyhow::bail!(
                    "the token `{}` needs exactly one of `token` and `token_sha256` (64 hex digits)",
                    t.name
                ),
            }
        }
        Ok(())
    }

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

/// Accounts, tokens and the sign-in limiter (sessions are kept by the store).
pub struct Auth {
    config: AuthConfig,
    /// Failed sign-ins, per account and per address.
    pub limiter: Limiter,
}

/// Compares two secrets in constant time.
pub fn equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

impl Auth {
    pub fn new(config: AuthConfig) -> Auth {
        Auth {
            config,
            limiter: Limiter::default(),
        }
    }

    /// Checks a user name and password. Whoever asks, one Argon2 verification is made (of
    /// a dummy hash for an unknown user or a plain demo password), so the time does not
    /// tell whether the account exists. Slow by design (tens of ms): call it off the
    /// async threads.
    pub fn check_password(&self, username: &str, password: &str) -> Option<Principal> {
        let account = self
            .config
            .accounts
            .iter()
            .find(|a| equal(&a.username, username));
        let hash = account
            .and_then(|a| a.password_hash.as_deref())
            .unwrap_or_else(|| dummy_hash());
        let hash_ok = verify_password(hash, password);
        let account = account?;
        let ok = match (&account.password_hash, &account.password) {
            (Some(_), _) => hash_ok,
            (None, Some(plain)) => equal(plain, password),
            (None, None) => false,
        };
        ok.then(|| Principal {
            name: account.username.clone(),
            admin: account.admin,
            ingest: false,
        })
    }

    pub fn check_token(&self, token: &str) -> Option<Principal> {
        let digest = sha256_hex(token);
        let mut found = None;
        for t in &self.config.tokens {
            let ok = match (&t.token, &t.token_sha256) {
                (Some(plain), _) => equal(plain, token),
                (None, Some(hex)) => equal(&hex.to_ascii_lowercase(), &digest),
                (None, None) => false,
            };
            if ok {
                found = Some(Principal {
                    name: t.name.clone(),
                    admin: t.admin && !t.ingest,
                    ingest: t.ingest,
                });
            }
        }
        found
    }

    pub fn session_max_age_seconds(&self) -> i64 {
        self.config.session_hours * 3600
    }
}

/// Verifies `password` against a PHC hash (false for a hash that does not parse).
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Hashes a password with Argon2id (the crate's default parameters: 19 MiB, 2 passes) and
/// a random salt, as a PHC string.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no random source: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("{e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
}

/// A hash of nothing anyone knows, with the default parameters, verified when the user is
/// unknown so that the answer takes as long as for a known one.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&random_secret()).unwrap_or_default())
}

/// The SHA-256 of a token, lowercase hex.
pub fn sha256_hex(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Failed sign-ins per account and per address: past `MAX_PER_ACCOUNT` (or
/// `MAX_PER_ADDRESS`) failures in `WINDOW`, sign-in is refused without checking until the
/// window ends. A success clears the account's count.
#[derive(Default)]
pub struct Limiter {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Limiter {
    pub const MAX_PER_ACCOUNT: u32 = 10;
    pub const MAX_PER_ADDRESS: u32 = 50;
    pub const WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);

    fn keys(username: &str, address: Option<IpAddr>) -> [(String, u32); 2] {
        [
            (format!("account:{username}"), Self::MAX_PER_ACCOUNT),
            (
                format!("address:{}", address.map_or("-".into(), |a| a.to_string())),
                Self::MAX_PER_ADDRESS,
            ),
        ]
    }

    /// How long the caller must wait before trying again; `None`: it may try now.
    pub fn wait(&self, username: &str, address: Option<IpAddr>) -> Option<std::time::Duration> {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.retain(|_, (_, since)| now.duration_since(*since) < Self::WINDOW);
        Self::keys(username, address)
            .iter()
            .filter_map(|(key, max)| {
                let (n, since) = failures.get(key)?;
                (n >= max).then(|| Self::WINDOW.saturating_sub(now.duration_since(*since)))
            })
            .max()
    }

    pub fn failed(&self, username: &str, address: Option<IpAddr>) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (key, _) in Self::keys(username, address) {
            failures.entry(key).or_insert((0, now)).0 += 1;
        }
    }

    pub fn succeeded(&self, username: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(&format!("account:{username}"));
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

    /// A file with hashes: accounts by Argon2id, tokens by SHA-256.
    fn hashed() -> Auth {
        let config: AuthConfig = serde_json::from_str(&format!(
            r#"{{"accounts":[{{"username":"admin","password_hash":"{}","admin":true}}],
                "tokens":[{{"token_sha256":"{}","name":"engine","ingest":true}},
                          {{"token_sha256":"{}","name":"ci","admin":true}}]}}"#,
            hash_password("s3cret pass").unwrap(),
            sha256_hex("t-engine"),
            sha256_hex("t-ci").to_uppercase(),
        ))
        .unwrap();
        config.check(false).unwrap();
        Auth::new(config)
    }

    #[test]
    fn hashed_passwords_and_tokens() {
        let a = hashed();
        let admin = a.check_password("admin", "s3cret pass").unwrap();
        assert!(admin.admin && !admin.ingest);
        assert!(a.check_password("admin", "s3cret pas").is_none());
        assert!(a.check_password("nobody", "s3cret pass").is_none());
        let engine = a.check_token("t-engine").unwrap();
        assert!(engine.ingest && !engine.admin);
        assert!(a.check_token("t-ci").unwrap().admin);
        assert!(a.check_token(&sha256_hex("t-engine")).is_none());
        assert!(a.check_token("t-engin").is_none());
    }

    #[test]
    fn plain_passwords_only_with_demo_data_and_one_secret_each() {
        let config = |json: &str| serde_json::from_str::<AuthConfig>(json).unwrap();
        let plain = config(r#"{"accounts":[{"username":"a","password":"a"}]}"#);
        assert!(plain.check(true).is_ok());
        let refused = plain.check(false).unwrap_err().to_string();
        assert!(refused.contains("hash-password"), "{refused}");
        for bad in [
            r#"{"accounts":[{"username":"a"}]}"#,
            r#"{"accounts":[{"username":"a","password":"a","password_hash":"x"}]}"#,
            r#"{"accounts":[{"username":"a","password_hash":"not a hash"}]}"#,
            // Argon2i, not Argon2id.
            r#"{"accounts":[{"username":"a","password_hash":"$argon2i$v=19$m=16,t=2,p=1$c2FsdHNhbHQ$Z2J0BpmbUnWBFBiAjixKeg"}]}"#,
            r#"{"tokens":[{"name":"t"}]}"#,
            r#"{"tokens":[{"name":"t","token":"x","token_sha256":"00"}]}"#,
            r#"{"tokens":[{"name":"t","token_sha256":"abc"}]}"#,
            r#"{"tokens":[{"name":"t","token":""}]}"#,
        ] {
            assert!(config(bad).check(true).is_err(), "{bad}");
        }
    }

    /// The demo file signs in as the e2e tests do, with hashes only.
    #[test]
    fn the_demo_file_is_hashed_and_signs_in() {
        let config = AuthConfig::load_checked(
            Path::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../config/demo-auth.json"
            )),
            false,
        )
        .unwrap();
        assert!(config.accounts.iter().all(|a| a.password.is_none()));
        assert!(config.tokens.iter().all(|t| t.token.is_none()));
        let a = Auth::new(config);
        assert!(a.check_password("admin", "admin").unwrap().admin);
        assert!(!a.check_password("viewer", "viewer").unwrap().admin);
        assert!(a.check_token("demo-admin-token").unwrap().admin);
        assert!(!a.check_token("demo-viewer-token").unwrap().admin);
        assert!(a.check_token("demo-ingest-token").unwrap().ingest);
    }

    #[test]
    fn failures_are_limited_per_account_and_per_address() {
        let limiter = Limiter::default();
        let here: IpAddr = "192.0.2.1".parse().unwrap();
        let there: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..Limiter::MAX_PER_ACCOUNT {
            assert!(limiter.wait("admin", Some(here)).is_none());
            limiter.failed("admin", Some(here));
        }
        // The account is closed from everywhere; another account is not.
        assert!(limiter.wait("admin", Some(there)).is_some());
        assert!(limiter.wait("viewer", Some(here)).is_none());
        // Failures spread over accounts close the address.
        for n in 0..Limiter::MAX_PER_ADDRESS {
            limiter.failed(&format!("user{n}"), Some(there));
        }
        assert!(limiter.wait("viewer", Some(there)).is_some());
        assert!(limiter.wait("viewer", Some(here)).is_none());
        // A success opens the account again (the address count stays).
        limiter.succeeded("admin");
        assert!(limiter.wait("admin", Some(here)).is_none());
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

//! The minimal sign-in form: `GET /signin`, `POST /signin`, `POST /signout`.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Extension;
use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{SESSION_COOKIE, equal, random_secret, safe_next, sha256_hex};
use crate::error::HttpError;
use crate::security::over_tls;

/// The sign-in form's CSRF token travels twice: in this cookie (SameSite=Strict, scoped
/// to /signin) and in the form; a POST whose two copies differ is refused. A forged form
/// on another site can neither read the cookie nor send it.
const CSRF_COOKIE: &str = "se_csrf";

#[derive(Deserialize)]
pub struct NextParam {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct Credentials {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
    #[serde(default)]
    csrf: String,
}

/// A cookie of this server: HttpOnly, SameSite=Strict, for `path`, and `Secure` when the
/// request came over TLS. Every cookie the server sets is made here.
fn cookie(
    state: &AppState,
    headers: &HeaderMap,
    name: &'static str,
    value: String,
    path: &'static str,
) -> Cookie<'static> {
    Cookie::build((name, value))
        .path(path)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(over_tls(state, headers))
        .build()
}

/// Why the form is shown again.
#[derive(Clone, Copy, PartialEq)]
enum Problem {
    None,
    WrongPassword,
    Expired,
    /// Too many failed sign-ins for this account or from this address: 429.
    TooMany,
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The sign-in page's texts, in the languages of the tab.
struct Texts {
    tag: &'static str,
    title: &'static str,
    heading: &'static str,
    intro: &'static str,
    user_name: &'static str,
    password: &'static str,
    submit: &'static str,
    wrong_password: &'static str,
    expired: &'static str,
    too_many: &'static str,
}

const EN: Texts = Texts {
    tag: "en",
    title: "Sign in · Sync Errors",
    heading: "Sign in",
    intro: "Salesforce Sync Errors is for admins of this console.",
    user_name: "User name",
    password: "Password",
    submit: "Sign in",
    wrong_password: "Wrong user name or password.",
    expired: "This sign-in form expired or came from another site. Please sign in again.",
    too_many: "Too many failed sign-ins. Please try again in 15 minutes.",
};

const FR: Texts = Texts {
    tag: "fr",
    title: "Connexion · Erreurs de synchronisation",
    heading: "Connexion",
    intro: "Les erreurs de synchronisation Salesforce sont réservées aux administrateurs \
            de cette console.",
    user_name: "Nom d’utilisateur",
    password: "Mot de passe",
    submit: "Se connecter",
    wrong_password: "Nom d’utilisateur ou mot de passe incorrect.",
    expired: "Ce formulaire de connexion a expiré ou vient d’un autre site. Veuillez vous \
              reconnecter.",
    too_many: "Trop de connexions échouées. Veuillez réessayer dans 15 minutes.",
};

/// The texts of the browser's first language that the page speaks (`Accept-Language`,
/// by preference: `fr-CH, de;q=0.9, en;q=0.8` is French), English otherwise.
fn texts(headers: &HeaderMap) -> &'static Texts {
    let accepted = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    accept_language::parse(accepted)
        .iter()
        .find_map(
            |tag| match tag.split(['-', '_']).next()?.to_ascii_lowercase().as_str() {
                "en" => Some(&EN),
                "fr" => Some(&FR),
                _ => None,
            },
        )
        .unwrap_or(&EN)
}

/// The form, with a fresh CSRF token in it and in its cookie, in the browser's language.
fn page(
    state: &AppState,
    headers: &HeaderMap,
    next: &str,
    username: &str,
    problem: Problem,
) -> Response {
    let t = texts(headers);
    let alert = match problem {
        Problem::None => None,
        Problem::WrongPassword => Some(t.wrong_password),
        Problem::Expired => Some(t.expired),
        Problem::TooMany => Some(t.too_many),
    }
    .map(|text| format!(r#"<p class="se-signin__error" role="alert">{text}</p>"#))
    .unwrap_or_default();
    let csrf = random_secret();
    let html = Html(format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{title}</title>
<link rel="stylesheet" href="/signin.css">
</head>
<body>
<main class="se-signin">
<h1>{heading}</h1>
<p>{intro}</p>
{alert}
<form method="post" action="/signin">
<input type="hidden" name="next" value="{next}">
<input type="hidden" name="csrf" value="{csrf}">
<label for="username">{user_name}</label>
<input id="username" name="username" autocomplete="username" required value="{username}" autofocus>
<label for="password">{password}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{submit}</button>
</form>
</main>
</body>
</html>"#,
        lang = t.tag,
        title = t.title,
        heading = t.heading,
        intro = t.intro,
        user_name = t.user_name,
        password = t.password,
        submit = t.submit,
        next = escape(next),
        username = escape(username),
    ));
    let status = match problem {
        Problem::None => StatusCode::OK,
        Problem::WrongPassword => StatusCode::UNAUTHORIZED,
        Problem::Expired => StatusCode::FORBIDDEN,
        Problem::TooMany => StatusCode::TOO_MANY_REQUESTS,
    };
    let jar = CookieJar::new().add(cookie(state, headers, CSRF_COOKIE, csrf, "/signin"));
    let language = [
        (header::CONTENT_LANGUAGE, t.tag),
        (header::VARY, "Accept-Language"),
    ];
    (status, language, jar, html).into_response()
}

pub async fn form(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<NextParam>,
) -> Response {
    let next = safe_next(q.next.as_deref());
    page(&state, &headers, &next, "", Problem::None)
}

/// The form came from our own page: its token matches the cookie, and the browser's
/// `Origin`, when sent, is this server.
fn same_site_form(jar: &CookieJar, headers: &HeaderMap, token: &str) -> bool {
    let cookie = jar.get(CSRF_COOKIE).map(Cookie::value);
    let token_ok = cookie.is_some_and(|c| !c.is_empty() && equal(c, token));
    let origin_ok = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            let authority = origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"));
            authority.is_some() && authority == host
        }
    };
    token_ok && origin_ok
}

/// The sign-in page's style: the tab's colours, light or dark as the system is.
pub const STYLESHEET: &str = "
:root{--se-bg:#f4f6f9;--se-surface:#fff;--se-text:#1d2433;--se-border:#8a94a6;--se-accent:#1f5eb8;--se-accent-text:#fff;--se-danger:#a4161a;--se-focus:#b45309;--se-shadow:#0002}
@media (prefers-color-scheme:dark){:root{--se-bg:#12161f;--se-surface:#1b2130;--se-text:#e6eaf2;--se-border:#6b7587;--se-accent:#6ea8ff;--se-accent-text:#0b1220;--se-danger:#ff8a8f;--se-focus:#f5a623;--se-shadow:#0008}}
body{margin:0;padding:0 0.75rem;font:16px/1.5 system-ui,sans-serif;background:var(--se-bg);color:var(--se-text)}
.se-signin{max-width:22rem;margin:10vh auto;padding:2rem;background:var(--se-surface);border-radius:8px;box-shadow:0 1px 4px var(--se-shadow)}
.se-signin h1{margin-top:0;font-size:1.5rem}
.se-signin label{display:block;margin-top:1rem;font-weight:600}
.se-signin input{box-sizing:border-box;width:100%;padding:.5rem;border:1px solid var(--se-border);border-radius:4px;background:var(--se-surface);color:inherit;font:inherit}
.se-signin button{margin-top:1.5rem;width:100%;padding:.6rem;border:0;border-radius:4px;background:var(--se-accent);color:var(--se-accent-text);font:inherit;font-weight:600;cursor:pointer}
.se-signin :focus-visible{outline:3px solid var(--se-focus);outline-offset:2px}
.se-signin__error{color:var(--se-danger);font-weight:600}
";

pub async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        STYLESHEET,
    )
        .into_response()
}

pub async fn submit(
    State(state): State<Arc<AppState>>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    jar: CookieJar,
    headers: HeaderMap,
    Form(c): Form<Credentials>,
) -> Response {
    let next = safe_next(c.next.as_deref());
    if !same_site_form(&jar, &headers, &c.csrf) {
        return page(&state, &headers, &next, &c.username, Problem::Expired);
    }
    // The peer's address (a proxy's, behind one: then the per-account limit still holds).
    let address = connect.map(|Extension(ConnectInfo(a))| a.ip());
    if state.auth.limiter.wait(&c.username, address).is_some() {
        return page(&state, &headers, &next, &c.username, Problem::TooMany);
    }
    // Argon2 takes tens of milliseconds of CPU: off the async threads.
    let checked = {
        let state = state.clone();
        let (username, password) = (c.username.clone(), c.password.clone());
        tokio::task::spawn_blocking(move || state.auth.check_password(&username, &password))
            .await
            .ok()
            .flatten()
    };
    match checked {
        Some(principal) => {
            state.auth.limiter.succeeded(&c.username);
            let id = random_secret();
            let now = state.clock.now();
            let expires_at = now + chrono::Duration::seconds(state.auth.session_max_age_seconds());
            if let Err(e) = state
                .store
                .open_session(sha256_hex(&id), principal, now, expires_at)
                .await
            {
                return HttpError::from(e).into_response();
            }
            let mut session = cookie(&state, &headers, SESSION_COOKIE, id, "/");
            session.set_max_age(time::Duration::seconds(
                state.auth.session_max_age_seconds(),
            ));
            (jar.add(session), Redirect::to(&next)).into_response()
        }
        None => {
            state.auth.limiter.failed(&c.username, address);
            // A wrong password is slowed down, which makes guessing expensive.
            tokio::time::sleep(std::time::Duration::from_millis(400)).await;
            page(&state, &headers, &next, &c.username, Problem::WrongPassword)
        }
    }
}

pub async fn sign_out(
    State(state): State<Arc<AppState>>,
    jar: CookieJar,
    headers: HeaderMap,
) -> Response {
    if let Some(session) = jar.get(SESSION_COOKIE)
        && let Err(e) = state.store.close_session(sha256_hex(session.value())).await
    {
        return HttpError::from(e).into_response();
    }
    let mut expired = cookie(&state, &headers, SESSION_COOKIE, String::new(), "/");
    expired.set_max_age(time::Duration::ZERO);
    (jar.add(expired), Redirect::to("/signin")).into_response()
}

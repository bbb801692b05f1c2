//! The tab's settings, as the host page gives them (attributes of the mount element).

/// Where the tab keeps its view (filters, sort, page, open error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlState {
    /// In the page's address: reload, Back and shared links restore it.
    Url,
    /// In the element only, for a second tab on one page (the address is the other's).
    Element,
}

/// How much navigation the tab draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Navigation {
    /// The admin navigation (Admin > Integration > Salesforce and the page's tabs).
    Full,
    /// None: the host draws its own.
    Host,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Where the API is (default `/api`).
    pub api_base: String,
    /// Where the tab's routes live; `""` for the root.
    pub base_path: String,
    /// The Salesforce instance URL, for links to records.
    pub salesforce_url: Option<String>,
    /// Where to sign in again when the session has ended.
    pub sign_in_url: Option<String>,
    /// Where a Sign out button posts to (`sign-out-url`); none when the host signs out.
    pub sign_out_url: Option<String>,
    /// The console's Admin home, for the breadcrumb.
    pub admin_url: Option<String>,
    /// The IANA time zone times are shown in; `None` is the browser's.
    pub time_zone: Option<String>,
    /// The language of the UI (the `lang` attribute, the page's, or the browser's).
    pub lang: crate::text::i18n::Lang,
    pub navigation: Navigation,
    pub url_state: UrlState,
    /// How long one request may take, in seconds (`request-timeout`, 1 to 600).
    pub request_timeout_s: u32,
    /// A console's own advice per error code (`guidance-url`), added to ours, winning.
    pub guidance_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            api_base: "/api".into(),
            base_path: String::new(),
            salesforce_url: None,
            sign_in_url: None,
            sign_out_url: None,
            admin_url: None,
            time_zone: None,
            lang: crate::text::i18n::Lang::En,
            navigation: Navigation::Full,
            url_state: UrlState::Url,
            request_timeout_s: crate::client::DEFAULT_TIMEOUT_S,
            guidance_url: None,
        }
    }
}

/// Normalises a base path: leading slash, no trailing slash, `""` for the root.
pub fn normalize_base_path(raw: &str) -> String {
    let trimmed = raw.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else if trimmed.starts_with('/') {
        trimmed.to_owned()
    } else {
        format!("/{trimmed}")
    }
}

impl Settings {
    /// Builds settings from attribute lookups (`name` -> value), defaults where absent.
    pub fn from_attributes(get: impl Fn(&str) -> Option<String>) -> Settings {
        let d = Settings::default();
        let non_empty = |name: &str| {
            get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Settings {
            api_base: non_empty("api-base").unwrap_or(d.api_base),
            base_path: normalize_base_path(&non_empty("base-path").unwrap_or_default()),
            salesforce_url: non_empty("salesforce-url"),
            sign_in_url: non_empty("sign-in-url"),
            sign_out_url: non_empty("sign-out-url"),
            admin_url: non_empty("admin-url"),
            time_zone: non_empty("time-zone"),
            lang: crate::text::i18n::Lang::choose([non_empty("lang").as_deref()]),
            navigation: match non_empty("navigation").as_deref() {
                Some("none") => Navigation::Host,
                _ => Navigation::Full,
            },
            url_state: match non_empty("url-state").as_deref() {
                Some("none") => UrlState::Element,
                _ => UrlState::Url,
            },
            request_timeout_s: non_empty("request-timeout")
                .and_then(|v| v.parse().ok())
                .filter(|s| (1..=600).contains(s))
                .unwrap_or(d.request_timeout_s),
            guidance_url: non_empty("guidance-url"),
        }
    }

    /// The tab's own route, for links back to it.
    pub fn tab_href(&self) -> String {
        if self.base_path.is_empty() {
            "/".into()
        } else {
            self.base_path.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(normalize_base_path(""), "");
        assert_eq!(normalize_base_path("/"), "");
        assert_eq!(
            normalize_base_path("admin/sync-errors/"),
            "/admin/sync-errors"
        );
    }

    #[test]
    fn attributes_with_defaults() {
        let s = Settings::from_attributes(|name| match name {
            "base-path" => Some("/console/sf/".into()),
            "navigation" => Some("none".into()),
            "sign-in-url" => Some("  ".into()),
            _ => None,
        });
        assert_eq!(s.api_base, "/api");
        assert_eq!(s.base_path, "/console/sf");
        assert_eq!(s.navigation, Navigation::Host);
        assert_eq!(s.sign_in_url, None);
        assert_eq!(s.url_state, UrlState::Url);
        let memory = Settings::from_attributes(|name| (name == "url-state").then(|| "none".into()));
        assert_eq!(memory.url_state, UrlState::Element);
        assert_eq!(s.tab_href(), "/console/sf");
        assert_eq!(s.request_timeout_s, 30);
    }

    #[test]
    fn request_timeout_is_bounded() {
        let with = |v: &str| {
            let v = v.to_owned();
            Settings::from_attributes(move |name| (name == "request-timeout").then(|| v.clone()))
                .request_timeout_s
        };
        assert_eq!(with("5"), 5);
        for bad in ["0", "-3", "601", "1e9", "soon", ""] {
            assert_eq!(with(bad), 30, "{bad}");
        }
    }
}

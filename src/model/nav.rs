//! The admin navigation as data: where the tab sits in the console (Admin > Integration >
//! Salesforce) and the Salesforce page's tabs. The view renders whatever the model holds.

use crate::text::i18n::Texts;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    pub label: String,
    /// Where the item leads; `None` renders it as plain text.
    pub href: Option<String>,
    /// The page the admin is on (`aria-current="page"`).
    pub current: bool,
}

impl NavItem {
    fn new(label: &str, href: Option<String>, current: bool) -> NavItem {
        NavItem {
            label: label.to_owned(),
            href,
            current,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavModel {
    /// The breadcrumb trail, outermost first.
    pub trail: Vec<NavItem>,
    /// The title of the page the tabs belong to.
    pub page_title: String,
    /// The page's tabs; exactly one is current.
    pub tabs: Vec<NavItem>,
}

impl NavModel {
    /// The Salesforce admin page with its Sync Errors tab current. `admin_href` is where the
    /// console's Admin home is, when the host tells; `tab_href` is the tab's own route.
    pub fn salesforce_sync_errors(
        t: &Texts,
        admin_href: Option<String>,
        tab_href: &str,
    ) -> NavModel {
        NavModel {
            trail: vec![
                NavItem::new(t.admin, admin_href, false),
                NavItem::new(t.integration, None, false),
                NavItem::new(t.salesforce, Some(tab_href.to_owned()), true),
            ],
            page_title: t.salesforce.to_owned(),
            tabs: vec![NavItem::new(t.sync_errors, Some(tab_href.to_owned()), true)],
        }
    }
}

/// Whether `path` is the tab's own page under `base` (`""` for the root): the base itself,
/// with or without a trailing slash.
pub fn is_tab_path(base: &str, path: &str) -> bool {
    let path = path.trim_end_matches('/');
    path == base.trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn current_tab(m: &NavModel) -> Option<&NavItem> {
        m.tabs.iter().find(|t| t.current)
    }

    #[test]
    fn sync_errors_is_the_current_tab_under_admin_integration_salesforce() {
        let m =
            NavModel::salesforce_sync_errors(&crate::text::i18n::EN, Some("/admin".into()), "/");
        let fr = NavModel::salesforce_sync_errors(&crate::text::i18n::FR, None, "/");
        assert_eq!(
            current_tab(&fr).map(|t| t.label.as_str()),
            Some("Erreurs de synchronisation")
        );
        let labels: Vec<_> = m.trail.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels, ["Admin", "Integration", "Salesforce"]);
        assert_eq!(m.trail[0].href.as_deref(), Some("/admin"));
        assert_eq!(
            current_tab(&m).map(|t| t.label.as_str()),
            Some("Sync Errors")
        );
        assert_eq!(m.tabs.iter().filter(|t| t.current).count(), 1);
    }

    #[test]
    fn the_tab_is_its_base_path_with_or_without_a_slash() {
        assert!(is_tab_path("", "/"));
        assert!(is_tab_path("", ""));
        assert!(is_tab_path("/host", "/host/"));
        assert!(is_tab_path("/host", "/host"));
        assert!(!is_tab_path("/host", "/host/x"));
        assert!(!is_tab_path("", "/no/such/page"));
        assert!(!is_tab_path("/console", "/consoles"));
    }
}

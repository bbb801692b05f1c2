//! Links built from data: only `https:` URLs of a checked shape ever reach an `href`.

use sync_errors_api::is_salesforce_id;

/// The origin of a Salesforce instance URL (`https://acme.my.salesforce.com`), or `None`
/// unless it is an `https:` URL with a plain host name and nothing else.
pub fn salesforce_origin(instance: &str) -> Option<String> {
    let rest = instance.trim().strip_prefix("https://")?;
    let host = rest.strip_suffix('/').unwrap_or(rest);
    let valid = !host.is_empty()
        && host.len() <= 253
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !host.starts_with(['.', '-'])
        && host.contains('.');
    valid.then(|| format!("https://{}", host.to_ascii_lowercase()))
}

/// A link to the record in Salesforce, when both the instance and the ID check out.
pub fn salesforce_record_url(instance: Option<&str>, id: &str) -> Option<String> {
    let origin = salesforce_origin(instance?)?;
    is_salesforce_id(id).then(|| format!("{origin}/{id}"))
}

/// A web search for the error, as the source document advises ("an online search may
/// provide more detail"). The message is cut to keep the URL reasonable.
pub fn web_search_url(code: &str, message: &str) -> String {
    let message: String = message.chars().take(150).collect();
    let query = format!("Salesforce {code} \"{}\"", message.trim());
    let encoded: String = form_urlencoded::byte_serialize(query.as_bytes()).collect();
    format!("https://www.google.com/search?q={encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_https_instances_make_links() {
        let id = "001A0000006Vm9rIAC";
        assert_eq!(
            salesforce_record_url(Some("https://Acme.my.salesforce.com/"), id).as_deref(),
            Some("https://acme.my.salesforce.com/001A0000006Vm9rIAC")
        );
        for bad in [
            "javascript:alert(1)//x.com",
            "http://acme.my.salesforce.com",
            "https://evil.com/path",
            "https://user@evil.com",
            "https://evil.com?x=1",
            "https://localhost",
            "data:text/html,hi",
            " JAVASCRIPT:alert(1)",
            "https://",
        ] {
            assert_eq!(salesforce_record_url(Some(bad), id), None, "{bad}");
        }
        assert_eq!(salesforce_record_url(None, id), None);
        assert_eq!(
            salesforce_record_url(Some("https://acme.my.salesforce.com"), "x\"><script>"),
            None
        );
    }

    #[test]
    fn web_search_is_an_encoded_https_link() {
        let url = web_search_url(
            "REQUIRED_FIELD_MISSING",
            "Required fields are missing: [Company] <b>&",
        );
        assert!(
            url.starts_with("https://www.google.com/search?q=Salesforce+REQUIRED_FIELD_MISSING+")
        );
        assert!(!url.contains('<') && !url.contains(' ') && !url.contains('"'));
    }
}

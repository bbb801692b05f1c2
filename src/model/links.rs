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
/// provide more detail"): the code and the message's words, without what could identify a
/// person or a record (see [`search_terms`]). Nothing else of the error leaves the console.
pub fn web_search_url(code: &str, message: &str) -> String {
    let query = format!("Salesforce {code} {}", search_terms(message));
    let encoded: String = form_urlencoded::byte_serialize(query.trim().as_bytes()).collect();
    format!("https://www.google.com/search?q={encoded}")
}

/// Quotes that open a value, with the quote that closes it.
const QUOTES: [(char, char); 5] = [('"', '"'), ('\'', '\''), ('“', '”'), ('‘', '’'), ('«', '»')];

/// The words of a Salesforce message worth searching for. Salesforce ends many messages with
/// the record's value after a last `: ` ("data value too large: Maximilian…", "invalid email
/// address: zoë @…"): that value goes, unless it is a list of field names in brackets. Then
/// quoted values, email addresses, record IDs and numbers of four digits or more are taken
/// out; the rest is kept, cut to about 150 characters.
pub fn search_terms(message: &str) -> String {
    let fixed = match message.rfind(": ") {
        Some(at) => {
            let value = message[at + 2..].trim();
            if value.starts_with('[') && value.ends_with(']') {
                message
            } else {
                &message[..at]
            }
        }
        None => message,
    };
    let mut kept: Vec<&str> = Vec::new();
    let mut closing: Option<char> = None;
    for word in fixed.split_whitespace() {
        if let Some(close) = closing {
            if word
                .trim_end_matches(|c: char| c.is_ascii_punctuation() && c != close)
                .ends_with(close)
            {
                closing = None;
            }
            continue;
        }
        if let Some(&(_, close)) = QUOTES.iter().find(|(open, _)| word.starts_with(*open)) {
            let rest = &word[word.chars().next().map_or(0, char::len_utf8)..];
            let closes_here = rest
                .trim_end_matches(|c: char| c.is_ascii_punctuation() && c != close)
                .ends_with(close);
            if !closes_here {
                closing = Some(close);
            }
            continue;
        }
        if word.starts_with('@') {
            // "priya @umbrella.co.uk": the name before a detached domain goes too.
            kept.pop();
        }
        if !identifies(word) {
            kept.push(word);
        }
    }
    let mut out = String::new();
    for word in kept {
        if out.chars().count() + word.chars().count() > 150 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// An email address, a Salesforce or other record ID, or a long number.
fn identifies(word: &str) -> bool {
    let core = word.trim_matches(|c: char| !c.is_alphanumeric());
    let digits = core.chars().filter(char::is_ascii_digit).count();
    word.contains('@')
        || is_salesforce_id(core)
        || (digits >= 4 && core.len() >= 4)
        || (core.len() >= 12
            && digits > 0
            && core
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
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

    #[test]
    fn the_search_leaves_out_people_and_records() {
        let cases = [
            (
                "duplicate value found: Email__c duplicates value on record with id: 0035g00000AbCdEAAB",
                "duplicate value found: Email__c duplicates value on record with id",
            ),
            (
                "Invalid email address: jane.doe@example.com",
                "Invalid email address",
            ),
            (
                "Email: invalid email address: priya @umbrella.co.uk",
                "Email: invalid email address",
            ),
            (
                "FirstName: data value too large: Maximilian-Alexander von Hohenzollern (max length=40)",
                "FirstName: data value too large",
            ),
            (
                "Lead 'Jane Doe' already exists for \"jane@acme.io\" (owner “Marie Curie”)",
                "Lead already exists for (owner",
            ),
            (
                "Required fields are missing: [Company]",
                "Required fields are missing: [Company]",
            ),
            (
                "The record's owner can't be changed",
                "The record's owner can't be changed",
            ),
            (
                "Phone 0612345678 is not valid; ref a1b2c3d4-e5f6-7890",
                "Phone is not valid; ref",
            ),
        ];
        for (message, kept) in cases {
            assert_eq!(search_terms(message), kept, "{message}");
        }
        let url = web_search_url(
            "DUPLICATE_VALUE",
            "Email jane.doe@example.com on 0035g00000AbCdEAAB",
        );
        assert!(!url.contains("jane") && !url.contains("0035g"), "{url}");
        assert!(search_terms(&"word ".repeat(100)).len() <= 150);
    }
}

//! Salesforce record IDs: 15 case-sensitive characters, or 18 with a checksum suffix.

/// The 3-character suffix that makes a 15-character ID case-insensitive: for each group of
/// five characters, a letter or digit whose bits say which of them are upper case.
pub fn salesforce_id_checksum(id15: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    id15.as_bytes()
        .chunks(5)
        .take(3)
        .map(|chunk| {
            let flags = chunk
                .iter()
                .enumerate()
                .filter(|(_, c)| c.is_ascii_uppercase())
                .fold(0usize, |acc, (i, _)| acc | (1 << i));
            ALPHABET[flags] as char
        })
        .collect()
}

/// True for a 15-character ID, or an 18-character one whose suffix is its checksum.
pub fn is_salesforce_id(id: &str) -> bool {
    let ok_chars = id.bytes().all(|b| b.is_ascii_alphanumeric());
    match id.len() {
        15 => ok_chars,
        18 => ok_chars && id[15..] == salesforce_id_checksum(&id[..15]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_and_ids() {
        // A documented example: 001A0000006Vm9r -> 001A0000006Vm9rIAC.
        assert_eq!(salesforce_id_checksum("001A0000006Vm9r"), "IAC");
        assert!(is_salesforce_id("001A0000006Vm9r"));
        assert!(is_salesforce_id("001A0000006Vm9rIAC"));
        assert!(!is_salesforce_id("001A0000006Vm9rIAD"), "bad checksum");
        assert!(!is_salesforce_id("001A0000006Vm9"));
        assert!(!is_salesforce_id("javascript:alert"));
        assert!(!is_salesforce_id("001A0000006Vm9r/.."));
    }
}

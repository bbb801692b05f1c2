//! TLS to PostgreSQL, set in the `--db` URL as libpq users write it: `sslmode` (`disable`,
//! `prefer`, the default, `require`, `verify-ca`, `verify-full`) and `sslrootcert` (a PEM file
//! of the certificate authority that signed the server's certificate).
//!
//! The connection is rustls (through tokio-postgres-rustls), and the server's certificate is
//! always verified, its name included: against the Mozilla roots (webpki-roots, for a managed
//! database with a public certificate) and the certificates of `sslrootcert` (a private
//! authority). So `require` and `verify-ca` mean `verify-full` here, stricter than libpq,
//! where they do not check the name or the authority: a database whose certificate cannot be
//! verified is refused rather than trusted blindly. `prefer` uses TLS when the server offers
//! it (a server that offers it with a certificate that cannot be verified is refused too),
//! `disable` never.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use tokio_postgres_rustls::MakeRustlsConnect;

/// A `--db` URL split into what tokio-postgres reads and the authority file it does not.
#[derive(Debug, PartialEq, Eq)]
pub struct PgUrl {
    /// The URL for tokio-postgres: `sslrootcert` taken out, `verify-ca` and `verify-full`
    /// written `require` (the rest of the query as it was, byte for byte).
    pub url: String,
    /// `sslrootcert`, decoded.
    pub root_cert: Option<PathBuf>,
}

/// Reads the TLS parameters of `url` (see the module's note).
pub fn split(url: &str) -> Result<PgUrl, String> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok(PgUrl {
            url: url.to_owned(),
            root_cert: None,
        });
    };
    let mut kept = Vec::new();
    let mut root_cert = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = form_urlencoded::parse(pair.as_bytes())
            .next()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .unwrap_or_default();
        match key.as_str() {
            "sslrootcert" if value.is_empty() => return Err("sslrootcert is empty".into()),
            "sslrootcert" => root_cert = Some(PathBuf::from(value)),
            "sslmode" if matches!(value.as_str(), "verify-ca" | "verify-full") => {
                kept.push("sslmode=require".to_owned());
            }
            _ => kept.push(pair.to_owned()),
        }
    }
    let url = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok(PgUrl { url, root_cert })
}

/// The TLS connector: rustls with the Mozilla roots and those of `root_cert`.
pub fn connector(root_cert: Option<&Path>) -> anyhow::Result<MakeRustlsConnect> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = root_cert {
        let certs = CertificateDer::pem_file_iter(path)
            .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
            .with_context(|| format!("sslrootcert {} cannot be read", path.display()))?;
        anyhow::ensure!(
            !certs.is_empty(),
            "sslrootcert {} holds no certificate",
            path.display()
        );
        for cert in certs {
            roots
                .add(cert)
                .with_context(|| format!("sslrootcert {}", path.display()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslrootcert_is_taken_out_and_verify_modes_are_require() {
        assert_eq!(
            split("postgres://u@db.example/errors?sslmode=verify-full&sslrootcert=%2Fetc%2Fpg%20ca.pem&application_name=x").unwrap(),
            PgUrl {
                url: "postgres://u@db.example/errors?sslmode=require&application_name=x".into(),
                root_cert: Some(PathBuf::from("/etc/pg ca.pem")),
            }
        );
        assert_eq!(
            split("postgres://h/d?sslrootcert=/ca.pem").unwrap(),
            PgUrl {
                url: "postgres://h/d".into(),
                root_cert: Some(PathBuf::from("/ca.pem")),
            }
        );
        // Everything else stays as it was written.
        for url in [
            "postgres://h/d",
            "postgres://h/d?sslmode=disable",
            "postgres://h/d?sslmode=require&options=-c%20statement_timeout%3D5s",
        ] {
            assert_eq!(split(url).unwrap().url, url);
        }
        assert!(split("postgres://h/d?sslrootcert=").is_err());
    }

    #[test]
    fn a_missing_or_empty_authority_file_is_said() {
        let missing = connector(Some(Path::new("/nonexistent/ca.pem")))
            .err()
            .unwrap();
        assert!(
            format!("{missing:#}").contains("/nonexistent/ca.pem"),
            "{missing:#}"
        );
        let empty = tempfile::NamedTempFile::new().unwrap();
        let refused = connector(Some(empty.path())).err().unwrap();
        assert!(
            format!("{refused:#}").contains("no certificate"),
            "{refused:#}"
        );
        assert!(connector(None).is_ok());
    }
}

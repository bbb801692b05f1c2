//! TLS to PostgreSQL (`make test-pg`): a cluster of its own with `ssl=on` and a certificate
//! from a private authority made here with `openssl`. The store connects over TLS when the
//! URL's `sslrootcert` names that authority, refuses a certificate it cannot verify (even
//! with `sslmode=require`, or by default when the server offers TLS), connects in plain
//! text with `sslmode=disable`, and refuses a server without TLS when TLS is required.

mod pg;

use std::path::{Path, PathBuf};
use std::process::Command;

use sync_errors_server::store::PgStore;
use tokio_postgres::NoTls;

/// Runs `scripts/pg-cluster.sh CMD` for the TLS cluster in `target/pg-tls`, its certificate
/// in `certs`.
fn tls_cluster(cmd: &str, certs: &Path) -> String {
    let options = format!(
        "-c ssl=on -c ssl_cert_file={0}/server.pem -c ssl_key_file={0}/server.key",
        certs.display()
    );
    pg::own_cluster("pg-tls", cmd, &options)
}

/// Stops the TLS cluster however the test ends.
struct StopCluster(PathBuf);

impl Drop for StopCluster {
    fn drop(&mut self) {
        tls_cluster("stop", &self.0);
    }
}

/// An authority (`ca.pem`) and a certificate for 127.0.0.1 that it signed (`server.pem`,
/// `server.key`, readable by the cluster's owner only, as PostgreSQL demands), in a new
/// directory under the system's temporary one: the cluster's owner (`postgres` when we are
/// root) may not be able to enter the checkout (scripts/pg-cluster.sh moves its data to
/// /tmp then), so its certificate does not live there either.
fn make_certificates() -> tempfile::TempDir {
    let temp = tempfile::Builder::new()
        .prefix("sync-errors-pg-tls")
        .tempdir()
        .unwrap();
    let dir = temp.path();
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    openssl(
        &[
            &[
                "req",
                "-x509",
                "-days",
                "2",
                "-subj",
                "/CN=sync-errors test authority",
            ][..],
            &ec,
            &["-keyout", "ca.key", "-out", "ca.pem"],
            &["-addext", "basicConstraints=critical,CA:TRUE"],
            &["-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        ]
        .concat(),
    );
    openssl(
        &[
            &["req", "-subj", "/CN=127.0.0.1"][..],
            &ec,
            &["-keyout", "server.key", "-out", "server.csr"],
        ]
        .concat(),
    );
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-days",
        "2",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-extfile",
        "server.ext",
        "-out",
        "server.pem",
    ]);
    // The cluster runs as `postgres` when we are root (scripts/pg-cluster.sh).
    let root = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    for file in ["server.key", "server.pem", "ca.pem"] {
        let path = dir.join(file);
        if root {
            assert!(
                Command::new("chown")
                    .arg("postgres:")
                    .arg(&path)
                    .status()
                    .unwrap()
                    .success()
            );
        }
        let mode = if file == "server.key" { "600" } else { "644" };
        assert!(
            Command::new("chmod")
                .arg(mode)
                .arg(&path)
                .status()
                .unwrap()
                .success()
        );
    }
    if root {
        assert!(
            Command::new("chown")
                .arg("postgres:")
                .arg(dir)
                .status()
                .unwrap()
                .success()
        );
    }
    temp
}

/// How many of the store's connections (`application_name` sync-errors-server) are over
/// TLS, and how many are not, as the server sees them.
async fn connections(base: &str) -> (i64, i64) {
    let (client, connection) = tokio_postgres::connect(base, NoTls).await.unwrap();
    tokio::spawn(connection);
    let row = client
        .query_one(
            "SELECT count(*) FILTER (WHERE s.ssl), count(*) FILTER (WHERE NOT s.ssl) \
             FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
             WHERE a.application_name = 'sync-errors-server'",
            &[],
        )
        .await
        .unwrap();
    (row.get(0), row.get(1))
}

#[test]
fn the_store_connects_over_tls_and_verifies_the_servers_certificate() {
    let Some(plain) = pg::server() else {
        return;
    };
    // Dropped last: the cluster stops before its certificate goes.
    let temp = make_certificates();
    let certs = temp.path().to_owned();
    let base = tls_cluster("start", &certs);
    let _stop = StopCluster(certs.clone());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let db = pg::Database::create_on(&base).await;
        let ca = certs.join("ca.pem");
        let connect = |query: String| {
            let url = format!("{}?{query}", db.url);
            async move { PgStore::connect(&url, 2).await.map(|store| (store, url)) }
        };

        // Verified: the authority of sslrootcert signed the certificate of 127.0.0.1.
        for mode in ["require", "verify-full", "prefer"] {
            let (store, url) = connect(format!("sslmode={mode}&sslrootcert={}", ca.display()))
                .await
                .unwrap_or_else(|e| panic!("sslmode={mode}: {e:#}"));
            assert!(store.schema_version().await.unwrap() >= 3, "{url}");
            let (tls, clear) = connections(&base).await;
            assert!(
                tls >= 1 && clear == 0,
                "{url}: {tls} over TLS, {clear} in clear"
            );
            drop(store);
        }

        // A certificate that cannot be verified is refused, however TLS is asked for.
        for query in ["sslmode=require", "sslmode=verify-full", ""] {
            let refused = connect(query.to_owned()).await.err();
            let said = format!("{:#}", refused.expect(query));
            assert!(
                said.contains("certificate") || said.contains("UnknownIssuer"),
                "{query}: {said}"
            );
        }

        // sslmode=disable: in clear, as asked.
        let (store, _) = connect("sslmode=disable".into()).await.unwrap();
        store.schema_version().await.unwrap();
        let (tls, clear) = connections(&base).await;
        assert!(tls == 0 && clear >= 1, "{tls} over TLS, {clear} in clear");
        drop(store);

        // A server without TLS (the suite's own cluster): refused when TLS is required.
        let plain_db = pg::Database::create_on(&plain).await;
        let refused = PgStore::connect(&format!("{}?sslmode=require", plain_db.url), 2).await;
        assert!(refused.is_err());
        plain_db.drop().await;
        db.drop().await;
    });
}

//! A private database per test on the PostgreSQL that `SYNC_ERRORS_TEST_PG` names (a
//! cluster of `scripts/pg-cluster.sh`, started by `make test-pg`). Without it, the
//! PostgreSQL half of a test says it is skipped, unless `SYNC_ERRORS_REQUIRE_PG` is set
//! (as `make test-pg` sets it): then it fails.
#![allow(dead_code)]

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use sync_errors_server::store::{PgStore, Store};
use tokio_postgres::NoTls;

pub struct Database {
    /// The URL of this test's own database.
    pub url: String,
    base: String,
    name: String,
}

/// The server of `SYNC_ERRORS_TEST_PG`, or `None` (the test is skipped) when it is unset.
pub fn server() -> Option<String> {
    match std::env::var("SYNC_ERRORS_TEST_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var_os("SYNC_ERRORS_REQUIRE_PG").is_none(),
                "SYNC_ERRORS_REQUIRE_PG is set but SYNC_ERRORS_TEST_PG is not"
            );
            eprintln!("SYNC_ERRORS_TEST_PG is not set: PostgreSQL skipped (make test-pg runs it)");
            None
        }
    }
}

/// Runs `scripts/pg-cluster.sh CMD` for a cluster of a test's own in `target/DIR` (started
/// with the server settings `options`): its output, the cluster's URL for `start`.
pub fn own_cluster(dir: &str, cmd: &str, options: &str) -> String {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let out = Command::new(format!("{root}/scripts/pg-cluster.sh"))
        .arg(cmd)
        .env("PG_DIR", format!("{root}/target/{dir}"))
        .env("PG_OPTIONS", options)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pg-cluster.sh {cmd} ({dir}): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

async fn admin(base: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(base, NoTls).await.unwrap();
    tokio::spawn(connection);
    client
}

impl Database {
    /// A new, empty database on the test server.
    pub async fn create() -> Option<Database> {
        Some(Database::create_on(&server()?).await)
    }

    /// A new, empty database on the server at `base`.
    pub async fn create_on(base: &str) -> Database {
        static N: AtomicU32 = AtomicU32::new(0);
        let base = base.to_owned();
        let name = format!(
            "se_test_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let client = admin(&base).await;
        for sql in [
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            format!("CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"),
        ] {
            client.batch_execute(&sql).await.unwrap();
        }
        let (server, query) = match base.split_once('?') {
            Some((s, q)) => (s, format!("?{q}")),
            None => (base.as_str(), String::new()),
        };
        let root = &server[..server
            .rfind('/')
            .filter(|i| *i > "postgres://".len())
            .unwrap_or(server.len())];
        let url = format!("{root}/{name}{query}");
        Database { url, base, name }
    }

    /// A store (a pool, migrated) on this database; each call is another "server".
    pub async fn store(&self) -> Arc<dyn Store> {
        Arc::new(self.pg().await)
    }

    pub async fn pg(&self) -> PgStore {
        PgStore::connect(&self.url, 4).await.unwrap()
    }

    /// Drops the database (after the test's pools are gone).
    pub async fn drop(self) {
        let client = admin(&self.base).await;
        client
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .await
            .unwrap();
    }
}

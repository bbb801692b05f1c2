//! The SQLite implementation of [`Store`]: the read pool and the one writer of before, each
//! call on the blocking threads. Sessions stay in this process's memory: one SQLite file
//! serves one server.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use r2d2_sqlite::rusqlite::Connection;
use sync_errors_api::{ErrorPage, Filters, ListQuery, Summary, SyncError};

use super::backend::{Store, StoreError};
use super::ingest::{Outcome, Writer};
use super::{Pool, QueryError};
use crate::auth::Principal;

pub struct SqliteStore {
    pool: Pool,
    /// The one connection that writes (ingestion, retention).
    writer: Arc<Writer>,
    sessions: Mutex<HashMap<String, (Principal, DateTime<Utc>)>>,
}

impl SqliteStore {
    /// Opens (creating when missing) the database file, with `readers` read connections.
    pub fn open(path: &Path, readers: u32) -> anyhow::Result<SqliteStore> {
        Ok(SqliteStore {
            pool: super::open(path, readers)?,
            writer: Arc::new(Writer::new(path)),
            sessions: Mutex::new(HashMap::new()),
        })
    }

    /// Runs `f` on a pooled read connection, on the blocking threads.
    async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let conn = pool.get().map_err(StoreError::from)?;
            f(&conn)
        })
        .await
        .map_err(StoreError::from)?
    }

    /// Runs `f` on the writer, once the write before has finished.
    async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let writer = self.writer.clone();
        tokio::task::spawn_blocking(move || {
            let mut held = writer.lock()?;
            f(held.conn())
        })
        .await?
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Principal, DateTime<Utc>)>> {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    async fn list(&self, q: ListQuery, now: DateTime<Utc>) -> Result<ErrorPage, QueryError> {
        self.read(move |conn| super::list(conn, &q, now)).await
    }

    async fn summary(&self, filters: Filters, now: DateTime<Utc>) -> Result<Summary, StoreError> {
        self.read(move |conn| Ok(super::summary(conn, &filters, now)?))
            .await
    }

    async fn get(&self, id: String, now: DateTime<Utc>) -> Result<Option<SyncError>, StoreError> {
        self.read(move |conn| Ok(super::get(conn, &id, now)?)).await
    }

    async fn write_batch(
        &self,
        current_sync_at: Option<DateTime<Utc>>,
        items: Vec<(u64, SyncError)>,
        now: DateTime<Utc>,
    ) -> Result<Outcome, StoreError> {
        self.write(move |conn| {
            Ok(super::ingest::write_batch(
                conn,
                current_sync_at,
                &items,
                now,
            )?)
        })
        .await
    }

    async fn purge_chunk(&self, now: DateTime<Utc>, limit: usize) -> Result<usize, StoreError> {
        self.write(move |conn| Ok(super::retention::purge_chunk(conn, now, limit)?))
            .await
    }

    async fn count_all(&self) -> Result<u64, StoreError> {
        self.read(|conn| Ok(super::count_all(conn)?)).await
    }

    async fn meta_get(&self, key: String) -> Result<Option<String>, StoreError> {
        self.read(move |conn| Ok(super::meta_get(conn, &key)?))
            .await
    }

    async fn meta_set(&self, key: String, value: String) -> Result<(), StoreError> {
        self.write(move |conn| Ok(super::meta_set(conn, &key, &value)?))
            .await
    }

    async fn optimize(&self) -> Result<(), StoreError> {
        self.write(|conn| Ok(conn.execute_batch("ANALYZE")?)).await
    }

    async fn clear_all(&self) -> Result<(), StoreError> {
        self.write(|conn| {
            super::clear_all(conn)?;
            conn.execute("DELETE FROM meta WHERE key = 'current_sync_at'", [])?;
            Ok(())
        })
        .await
    }

    async fn open_session(
        &self,
        secret_sha256: String,
        principal: Principal,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut sessions = self.sessions();
        sessions.retain(|_, (_, expires)| *expires > now);
        sessions.insert(secret_sha256, (principal, expires_at));
        Ok(())
    }

    async fn session(
        &self,
        secret_sha256: String,
        now: DateTime<Utc>,
    ) -> Result<Option<Principal>, StoreError> {
        Ok(self
            .sessions()
            .get(&secret_sha256)
            .filter(|(_, expires)| *expires > now)
            .map(|(p, _)| p.clone()))
    }

    async fn close_session(&self, secret_sha256: String) -> Result<(), StoreError> {
        self.sessions().remove(&secret_sha256);
        Ok(())
    }
}

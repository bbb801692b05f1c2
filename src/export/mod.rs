//! The CSV export, built in the browser: every error matching the view, fetched by cursor
//! in pages of 1,000 with `to` pinned, each page written as it arrives into `Blob` parts of
//! a few megabytes (the tab's own memory stays bounded), checked to hold exactly `total`
//! rows, then offered as a download.

pub mod csv;

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use js_sys::{Array, Uint8Array};
use sync_errors_api::{ListQuery, MAX_LIMIT};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

use crate::client::{ApiClient, ApiError, sleep};
use crate::text::i18n::{Lang, Texts, fill};
use crate::text::intl::TimeFormat;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportError {
    Api(ApiError),
    /// The pages did not add up to the total the server announced.
    Incomplete {
        written: u64,
        total: u64,
    },
    /// The browser could not build or save the file.
    Browser(String),
}

impl ExportError {
    /// What the tab says about this failure, in its language.
    pub fn describe(&self, t: &Texts) -> String {
        match self {
            ExportError::Api(e) => e.describe(t),
            ExportError::Incomplete { written, total } => fill(
                t.export_incomplete,
                &[&written.to_string(), &total.to_string()],
            ),
            ExportError::Browser(e) => fill(t.export_browser, &[e]),
        }
    }
}

fn js_error(e: JsValue) -> ExportError {
    ExportError::Browser(e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

/// The file's bytes as `Blob` parts. Pages are copied out of wasm memory as they are
/// written and gathered into one `Blob` per few megabytes: a `Blob` per page (100 for
/// 100,000 rows) cost about 2.7 ms each in Chromium, which hands each one to the browser
/// process, while whole-file buffering would hold it all in the tab's memory.
pub struct Parts {
    blobs: Array,
    pending: Array,
    pending_bytes: usize,
    batch_bytes: usize,
}

impl Parts {
    /// Gathers pages into one `Blob` per `batch_bytes` (the export uses 4 MB).
    pub fn new(batch_bytes: usize) -> Parts {
        Parts {
            blobs: Array::new(),
            pending: Array::new(),
            pending_bytes: 0,
            batch_bytes,
        }
    }

    pub fn push(&mut self, text: &str) -> Result<(), ExportError> {
        self.pending.push(&Uint8Array::from(text.as_bytes()));
        self.pending_bytes += text.len();
        if self.pending_bytes >= self.batch_bytes {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ExportError> {
        if self.pending_bytes > 0 {
            let blob = Blob::new_with_u8_array_sequence(&self.pending).map_err(js_error)?;
            self.blobs.push(&blob);
            self.pending = Array::new();
            self.pending_bytes = 0;
        }
        Ok(())
    }

    /// The file: every part pushed, in order.
    pub fn finish(mut self, mime: &str) -> Result<Blob, ExportError> {
        self.flush()?;
        let options = BlobPropertyBag::new();
        options.set_type(mime);
        Blob::new_with_blob_sequence_and_options(&self.blobs, &options).map_err(js_error)
    }
}

/// A finished export: the file and what it holds.
pub struct ExportFile {
    pub blob: Blob,
    pub file_name: String,
    pub rows: u64,
}

/// Fetches and writes every error of `query` (its filters and sort; paging is ours).
/// `window_from` names the range's start when the view has none; `progress(done, total)`
/// is called after each page, and `retrying(n)` before the n-th automatic retry of a page.
pub async fn build(
    client: &ApiClient,
    query: ListQuery,
    tf: &TimeFormat,
    lang: Lang,
    progress: impl Fn(u64, u64),
    retrying: &dyn Fn(usize),
) -> Result<ExportFile, ExportError> {
    let mut query = ListQuery {
        offset: 0,
        limit: MAX_LIMIT,
        cursor: None,
        ..query
    };
    let first = client
        .list_observed(&query, retrying)
        .await
        .map_err(ExportError::Api)?;
    let total = first.total;
    // Later pages see exactly the errors the first one counted.
    let f = &mut query.filters;
    f.to = Some(f.to.unwrap_or(first.window.to));
    let from = query
        .filters
        .from
        .map_or(first.window.from, |f| f.max(first.window.from));
    let to: DateTime<Utc> = query.filters.to.unwrap_or(first.window.to);
    let mut parts = Parts::new(4 << 20);
    parts.push(&csv::header(&lang.texts().csv_header))?;
    let mut seen: HashSet<String> = HashSet::with_capacity(total.min(2_000_000) as usize);
    let mut written = 0u64;
    let mut page = first;
    loop {
        // Ask for the next page first, and write this one while it travels.
        let next_query = page
            .next_cursor
            .take()
            .filter(|_| !page.items.is_empty() && written + (page.items.len() as u64) < total)
            .map(|cursor| ListQuery {
                cursor: Some(cursor),
                ..query.clone()
            });
        let write = async {
            let mut text = String::with_capacity(page.items.len() * 320);
            for e in &page.items {
                if !seen.insert(e.id.clone()) {
                    return Err(ExportError::Incomplete {
                        written: written + 1,
                        total,
                    });
                }
                csv::push_error(&mut text, e, &tf.with_offset(e.failed_at));
                written += 1;
            }
            parts.push(&text)?;
            progress(written.min(total), total);
            Ok(())
        };
        // `join` polls the request first, which sends it; the writing then runs while the
        // browser fetches, and awaiting the answer lets it paint between pages.
        let next = match &next_query {
            Some(q) => {
                let (next, wrote) =
                    futures::future::join(client.list_observed(q, retrying), write).await;
                wrote?;
                Some(next)
            }
            None => {
                write.await?;
                None
            }
        };
        match next {
            Some(next) => page = next.map_err(ExportError::Api)?,
            None => break,
        }
    }
    if written != total {
        return Err(ExportError::Incomplete { written, total });
    }
    let blob = parts.finish("text/csv;charset=utf-8")?;
    Ok(ExportFile {
        blob,
        file_name: csv::file_name(from, to, &query.filters),
        rows: written,
    })
}

/// Offers the file as a download.
pub fn save(file: &ExportFile) -> Result<(), ExportError> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| ExportError::Browser("no document".into()))?;
    let url = Url::create_object_url_with_blob(&file.blob).map_err(js_error)?;
    let a: HtmlAnchorElement = document
        .create_element("a")
        .map_err(js_error)?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(&file.file_name);
    a.set_hidden(true);
    let body = document
        .body()
        .ok_or_else(|| ExportError::Browser("no body".into()))?;
    body.append_child(&a).map_err(js_error)?;
    a.click();
    a.remove();
    // Keep the URL until the download has surely started, then free the memory.
    wasm_bindgen_futures::spawn_local(async move {
        sleep(60_000).await;
        let _ = Url::revoke_object_url(&url);
    });
    Ok(())
}

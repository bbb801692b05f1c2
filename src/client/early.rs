//! The tab's first requests, started by the loader (`sync-errors-tab.js`, written by
//! `scripts/write-loader.sh`) while the module still downloads and compiles: for a tab whose
//! view starts empty, the bare list and summary. The client takes one only for exactly the
//! URL it is about to ask, without a token, once; anything else it asks itself, and the
//! loader lets the ones nobody took go after a few seconds. So no address-to-query mapping
//! is written in JavaScript: a guess that misses costs one request, never a wrong answer.

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use web_sys::AbortController;

#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    /// `[response promise, its AbortController]` for `url`, taken once, or `null`.
    #[wasm_bindgen(js_name = takeEarly)]
    fn take_early(url: &str) -> JsValue;
}

/// A request the loader started: its answer to come, and the way to abort it.
pub struct Early {
    pub response: Promise,
    pub controller: AbortController,
}

/// The loader's request for `url` (resolved against the page, as `fetch` does), if it
/// made one and nobody took it yet.
pub fn take(url: &str) -> Option<Early> {
    let entry = take_early(url).dyn_into::<Array>().ok()?;
    Some(Early {
        response: entry.get(0).dyn_into().ok()?,
        controller: entry.get(1).dyn_into().ok()?,
    })
}

//! The advice per error code, loaded once when first needed (the top error types or the
//! detail dialog ask for it), never inside the module: ours from `guidance.json` beside the
//! module, a console's from `guidance-url` on top. A console file that fails is skipped
//! with a console warning, silently for the admin; ours failing is said where advice goes.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

use crate::client::get_file;
use crate::model::guidance::Guidance;
use crate::model::settings::Settings;

#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = assetUrl)]
    fn asset_url(name: &str) -> String;
}

/// Where the guidance stands.
#[derive(Clone, Debug, Default)]
pub enum GuidanceState {
    /// Nobody has asked for it yet.
    #[default]
    NotAsked,
    Loading,
    Ready(Rc<Guidance>),
    /// Ours could not be loaded.
    Failed,
}

/// The guidance in context: `want()` starts loading it (once per console URL).
#[derive(Clone, Copy)]
pub struct GuidanceStore {
    pub state: RwSignal<GuidanceState, LocalStorage>,
    /// The console URL the current state was loaded with.
    loaded_for: StoredValue<Option<Option<String>>>,
}

impl GuidanceStore {
    pub fn provide() -> GuidanceStore {
        let store = GuidanceStore {
            state: RwSignal::new_local(GuidanceState::NotAsked),
            loaded_for: StoredValue::new(None),
        };
        provide_context(store);
        // A console that changes `guidance-url` gets its new entries, if it was loaded.
        let settings = expect_context::<RwSignal<Settings>>();
        let url = Memo::new(move |_| settings.with(|s| s.guidance_url.clone()));
        Effect::new(move |_| {
            let url = url.get();
            let loaded = store.loaded_for.get_value();
            if loaded.is_some() && loaded != Some(url) {
                store.load();
            }
        });
        store
    }

    /// Starts loading, unless it is loaded or loading already.
    pub fn want(&self) {
        if self.loaded_for.get_value().is_none() {
            self.load();
        }
    }

    fn load(&self) {
        let settings = expect_context::<RwSignal<Settings>>();
        let console = settings.with_untracked(|s| s.guidance_url.clone());
        self.loaded_for.set_value(Some(console.clone()));
        let store = *self;
        store.state.set(GuidanceState::Loading);
        spawn_local(async move {
            let ours = match get_file(&asset_url("guidance.json")).await {
                Ok(bytes) => Guidance::parse(&bytes),
                Err(e) => Err(e),
            };
            // The tab may be gone by now (unmounted, mounted anew): `try_` throughout.
            let Ok(ours) = ours.inspect_err(|e| warn(&format!("guidance.json: {e}"))) else {
                store.state.try_set(GuidanceState::Failed);
                return;
            };
            let merged = match &console {
                None => ours,
                Some(url) => match get_file(url).await.and_then(|b| Guidance::parse(&b)) {
                    Ok(theirs) => {
                        if theirs.skipped > 0 {
                            warn(&format!(
                                "guidance-url {url}: {} entries could not be read and were skipped",
                                theirs.skipped
                            ));
                        }
                        ours.overridden_by(theirs)
                    }
                    Err(e) => {
                        warn(&format!(
                            "guidance-url {url}: {e}; the tab's own advice is used"
                        ));
                        ours
                    }
                },
            };
            // A newer load (another URL) wins over this one.
            if store.loaded_for.try_get_value() == Some(Some(console)) {
                store.state.try_set(GuidanceState::Ready(Rc::new(merged)));
            }
        });
    }
}

fn warn(message: &str) {
    web_sys::console::warn_1(&format!("sync-errors-tab: {message}").into());
}

use leptos::prelude::*;

use crate::text::format::unbroken_pieces;

/// A value from the data, as text, with a `<wbr>` inside long unbroken runs (see
/// [`unbroken_pieces`]): a 20,000-character word would otherwise take the browser seconds to
/// lay out. The text content, and so copying, is unchanged.
#[component]
pub fn DataText(#[prop(into)] text: String) -> impl IntoView {
    let pieces: Vec<String> = unbroken_pieces(&text).map(str::to_owned).collect();
    pieces
        .into_iter()
        .enumerate()
        .map(|(i, piece)| view! { {(i > 0).then(|| view! { <wbr /> })} {piece} })
        .collect_view()
}

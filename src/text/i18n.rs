//! The tab's languages: every string of the UI in English and French. `Texts` has one field
//! per string, so a translation cannot be missing; `{}` in a text takes an argument (`fill`).

/// A language of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    /// Reads a BCP 47 tag (`fr`, `fr-CA`, `en-US`); other languages are `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }

    /// The first supported tag among `candidates` (the setting, the page's, the browser's).
    pub fn choose<'a>(candidates: impl IntoIterator<Item = Option<&'a str>>) -> Lang {
        candidates
            .into_iter()
            .flatten()
            .find_map(Lang::from_tag)
            .unwrap_or_default()
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
        }
    }

    /// A count with the language's digit grouping: `1,234` or `1 234` (narrow no-break space).
    pub fn count(self, n: u64) -> String {
        crate::text::format::group_thousands(n, if self == Lang::Fr { "\u{202f}" } else { "," })
    }
}

impl Lang {
    /// "101–200 of 25,000" for the rows on screen; "0 of 0" when there are none.
    pub fn range_of_total(self, offset: u64, shown: usize, total: u64) -> String {
        let t = self.texts();
        if shown == 0 {
            return fill(t.none_of_total, &[&self.count(total)]);
        }
        let (first, last) = (offset + 1, offset + shown as u64);
        fill(
            t.range_of_total,
            &[&self.count(first), &self.count(last), &self.count(total)],
        )
    }
}

impl Texts {
    /// The plural form for `n`: French keeps 0 and 1 singular, English only 1.
    fn singular(&self, n: u64) -> bool {
        match self.lang {
            Lang::En => n == 1,
            Lang::Fr => n < 2,
        }
    }

    fn counted(&self, n: u64, one: &str, many: &str) -> String {
        fill(
            if self.singular(n) { one } else { many },
            &[&self.lang.count(n)],
        )
    }

    /// "1 error", "25,000 errors"; "1 erreur", "25 000 erreurs".
    pub fn errors(&self, n: u64) -> String {
        self.counted(n, self.error_one, self.error_many)
    }

    /// "1 error matches the filters.", "291 errors match the filters."
    pub fn matching(&self, n: u64) -> String {
        let template = if self.singular(n) {
            self.count_filtered_one
        } else {
            self.count_filtered
        };
        fill(template, &[&self.errors(n)])
    }

    /// "1 second", "120 seconds"; "1 seconde", "120 secondes".
    pub fn seconds(&self, n: u64) -> String {
        self.counted(n, self.second_one, self.second_many)
    }

    /// The Filter button's name: its visible count is part of it (WCAG 2.5.3).
    pub fn filter_button(&self, applied: usize) -> String {
        match applied {
            0 => self.filter.to_owned(),
            1 => self.filter_one_applied.to_owned(),
            n => fill(self.filter_many_applied, &[&n.to_string()]),
        }
    }

    /// What a link parameter is, in words ("the rows per page" for `page_size`).
    pub fn link_part(&self, name: &str) -> &'static str {
        self.link_part_names
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("?", |(_, said)| said)
    }
}

/// "Failed On" in the reader's language.
pub fn level_label(t: &Texts, level: sync_errors_api::Level) -> &'static str {
    match level {
        sync_errors_api::Level::Record => t.record_level,
        sync_errors_api::Level::Job => t.job_level,
    }
}

/// Puts `args` into the `{}` of `template`, in order. A template and its arguments must
/// agree: a missing or extra argument is a bug, which panics in debug builds and tests
/// (the tests below check every template of both languages, and the e2e suites run every
/// message); a release build leaves a missing `{}` empty rather than fail in front of an admin.
pub fn fill(template: &str, args: &[&str]) -> String {
    debug_assert_eq!(
        template.matches("{}").count(),
        args.len(),
        "arguments for {template:?}"
    );
    let mut out =
        String::with_capacity(template.len() + args.iter().map(|a| a.len()).sum::<usize>());
    let mut args = args.iter();
    let mut rest = template;
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        out.push_str(args.next().copied().unwrap_or(""));
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

pub struct Texts {
    /// The language these texts are in (for its plural rule).
    pub lang: Lang,
    // Counted nouns: `{}` takes the count.
    pub error_one: &'static str,
    pub error_many: &'static str,
    pub second_one: &'static str,
    pub second_many: &'static str,
    // Navigation
    pub admin: &'static str,
    pub integration: &'static str,
    pub salesforce: &'static str,
    pub sync_errors: &'static str,
    /// The standalone page's title (index.html holds the English one).
    pub page_title: &'static str,
    pub breadcrumb: &'static str,
    pub salesforce_pages: &'static str,
    // The grid
    pub col_level: &'static str,
    pub col_time: &'static str,
    pub col_code: &'static str,
    pub col_message: &'static str,
    pub col_object: &'static str,
    pub table_caption: &'static str,
    pub record_level: &'static str,
    pub job_level: &'static str,
    // States
    pub loading: &'static str,
    pub showing: &'static str,
    pub range_of_total: &'static str,
    pub none_of_total: &'static str,
    pub window_from: &'static str,
    pub window_to: &'static str,
    pub window_tail: &'static str,
    pub count_all: &'static str,
    pub count_filtered_one: &'static str,
    pub count_filtered: &'static str,
    pub retry: &'static str,
    pub page_failed: &'static str,
    pub signed_out: &'static str,
    pub signed_out_hint: &'static str,
    pub signed_out_no_link: &'static str,
    pub sign_out: &'static str,
    pub session_ended: &'static str,
    pub session_ended_hint: &'static str,
    pub sign_in: &'static str,
    pub admin_required: &'static str,
    pub admin_required_hint: &'static str,
    pub past_last_page: &'static str,
    pub first_page: &'static str,
    pub last_page: &'static str,
    pub no_match: &'static str,
    pub no_match_hint: &'static str,
    pub change_filters: &'static str,
    pub clear_search: &'static str,
    pub no_match_text: &'static str,
    pub no_match_search: &'static str,
    pub no_match_search_hint: &'static str,
    pub no_errors: &'static str,
    pub no_errors_hint: &'static str,
    pub ignored_link_parts: &'static str,
    pub link_part_names: [(&'static str, &'static str); 10],
    pub outside_window: &'static str,
    pub unknown_zone: &'static str,
    pub not_found_page: &'static str,
    pub go_to_tab: &'static str,
    // Toolbar
    pub refresh: &'static str,
    pub refresh_hint: &'static str,
    pub filter: &'static str,
    pub filter_one_applied: &'static str,
    pub filter_many_applied: &'static str,
    pub no_filters: &'static str,
    pub one_filter: &'static str,
    pub filters_applied: &'static str,
    pub applied_filters: &'static str,
    pub chip_from: &'static str,
    pub chip_to: &'static str,
    pub chip_level: &'static str,
    pub remove_filter: &'static str,
    pub clear_filters: &'static str,
    // Pager
    pub pages: &'static str,
    pub rows_per_page: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub page_of: &'static str,
    // Drawer
    pub drawer_title: &'static str,
    pub close: &'static str,
    pub time_range: &'static str,
    pub quick_ranges: &'static str,
    pub last_hour: &'static str,
    pub last_24_hours: &'static str,
    pub whole_window: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub from_hint: &'static str,
    pub to_hint: &'static str,
    pub failed_on: &'static str,
    pub both_levels: &'static str,
    pub kept_from: &'static str,
    pub reset: &'static str,
    pub apply: &'static str,
    pub enter_date_time: &'static str,
    pub before_window: &'static str,
    pub start_after_now: &'static str,
    pub end_before_window: &'static str,
    pub end_after_now: &'static str,
    pub start_after_end: &'static str,
    pub times_in_zone: &'static str,
    pub skipped_time: &'static str,
    pub repeated_time: &'static str,
    pub first_occurrence: &'static str,
    pub second_occurrence: &'static str,
    // Detail
    pub sync_error: &'static str,
    pub loading_error: &'static str,
    pub gone: &'static str,
    pub gone_hint: &'static str,
    pub record_scope: &'static str,
    pub job_scope: &'static str,
    pub marketo_id: &'static str,
    pub salesforce_id: &'static str,
    pub no_salesforce_record: &'static str,
    pub open_in_salesforce: &'static str,
    pub operation: &'static str,
    pub failing_fields: &'static str,
    pub search_web: &'static str,
    pub search_hint: &'static str,
    pub copy: &'static str,
    pub copy_marketo_id: &'static str,
    pub copy_salesforce_id: &'static str,
    pub copy_message: &'static str,
    pub copied_marketo_id: &'static str,
    pub copied_salesforce_id: &'static str,
    pub copied_message: &'static str,
    pub copy_failed: &'static str,
    // Export
    pub export: &'static str,
    pub export_progress: &'static str,
    pub preparing_export: &'static str,
    pub exporting: &'static str,
    pub cancel_export: &'static str,
    pub exported: &'static str,
    pub export_cancelled: &'static str,
    pub export_failed: &'static str,
    pub retry_export: &'static str,
    pub dismiss: &'static str,
    pub export_incomplete: &'static str,
    pub export_browser: &'static str,
    pub export_retrying: &'static str,
    pub csv_header: [&'static str; 11],
    // API errors
    pub filter_rejected: &'static str,
    pub request_rejected: &'static str,
    pub session_ended_sentence: &'static str,
    pub server_error: &'static str,
    pub server_busy: &'static str,
    pub timed_out: &'static str,
    pub network_error: &'static str,
    pub malformed: &'static str,
    // Triage (API 1.1)
    pub search: &'static str,
    pub search_placeholder: &'static str,
    pub chip_code: &'static str,
    pub chip_object: &'static str,
    pub chip_text: &'static str,
    pub no_object: &'static str,
    pub top_types: &'static str,
    pub show_summary: &'static str,
    pub hide_summary: &'static str,
    pub objects: &'static str,
    pub show_all_types: &'static str,
    pub show_all_objects: &'static str,
    pub show_fewer: &'static str,
    pub level_split: &'static str,
    pub last_failed: &'static str,
    pub share_of_total: &'static str,
    pub summary_loading: &'static str,
    pub summary_failed: &'static str,
    /// Said after `summary_failed` when the list itself loaded.
    pub summary_list_fine: &'static str,
    pub summary_unsupported: &'static str,
    pub triage_ignored: &'static str,
    pub no_types: &'static str,
    pub no_objects: &'static str,
    pub chart_title: &'static str,
    pub chart_peak: &'static str,
    pub chart_empty: &'static str,
    pub chart_hint: &'static str,
    pub chart_bar: &'static str,
    pub chart_selected: &'static str,
    pub chart_in_range: &'static str,
    pub error_types: &'static str,
    pub object: &'static str,
    pub pickers_need_summary: &'static str,
    pub not_in_summary: &'static str,
    pub what_to_do: &'static str,
    pub clears_by_itself: &'static str,
    pub needs_data_change: &'static str,
    pub needs_config_change: &'static str,
    pub guidance_unknown: &'static str,
    pub guidance_loading: &'static str,
    pub guidance_failed: &'static str,
}

pub static EN: Texts = Texts {
    lang: Lang::En,
    error_one: "{} error",
    error_many: "{} errors",
    second_one: "{} second",
    second_many: "{} seconds",
    admin: "Admin",
    integration: "Integration",
    salesforce: "Salesforce",
    sync_errors: "Sync Errors",
    page_title: "Salesforce Sync Errors · Admin",
    breadcrumb: "Breadcrumb",
    salesforce_pages: "Salesforce pages",
    col_level: "Failed On",
    col_time: "Date/Time of the failure",
    col_code: "Error Type",
    col_message: "Error Details",
    col_object: "Object",
    table_caption: "Salesforce sync errors. Select a row to see its details.",
    record_level: "Record level",
    job_level: "Job level",
    loading: "Loading sync errors…",
    showing: "Showing {}",
    range_of_total: "{}–{} of {}",
    none_of_total: "0 of {}",
    window_from: "Errors from ",
    window_to: " to ",
    window_tail: " (the five days before the current sync). ",
    count_all: "{} in all.",
    count_filtered_one: "{} matches the filters.",
    count_filtered: "{} match the filters.",
    retry: "Retry",
    page_failed: "Page {} could not be loaded.",
    signed_out: "Sign in to see sync errors",
    signed_out_hint: "Salesforce sync errors are shown to the admins of this console. Sign in with an admin account.",
    signed_out_no_link: "Sign in to the console, then come back to this page.",
    sign_out: "Sign out",
    session_ended: "Your session has ended",
    session_ended_hint: "Sign in again to see sync errors. Your filters are kept in this page's address.",
    sign_in: "Sign in",
    admin_required: "Admin permissions required",
    admin_required_hint: "Only admins of this console can see Salesforce sync errors. Ask an admin for access.",
    past_last_page: "This page is past the last one",
    first_page: "Go to the first page",
    last_page: "Go to the last page",
    no_match: "No sync errors match these filters",
    no_match_hint: "Remove a filter, or widen the date and time range, to see more errors.",
    change_filters: "Change filters",
    clear_search: "Clear the search",
    no_match_text: "No sync error matches “{}” with these filters",
    no_match_search: "No sync error matches “{}”",
    no_match_search_hint: "Check the spelling, or search for an error ID, a Marketo or Salesforce ID, or a word of the message or the error type.",
    no_errors: "No sync errors",
    no_errors_hint: "The sync with Salesforce met no error in the last five days.",
    ignored_link_parts: "Part of this link could not be read and was left out: {}.",
    link_part_names: [
        ("from", "the start of the range"),
        ("to", "the end of the range"),
        ("level", "the level"),
        ("sort", "the order"),
        ("page", "the page"),
        ("page_size", "the rows per page"),
        ("error", "the open error"),
        ("error_code", "the error types"),
        ("object_type", "the objects"),
        ("q", "the search"),
    ],
    outside_window: "No error can match: this range is outside the errors the server keeps, from {} to {}.",
    unknown_zone: "The time zone “{}” is not known to this browser; times are shown in your browser's time zone.",
    not_found_page: "This page does not exist",
    go_to_tab: "Go to Salesforce sync errors",
    refresh: "Refresh",
    refresh_hint: "Load the errors that arrived since this list was loaded",
    filter: "Filter",
    filter_one_applied: "Filter, 1 applied",
    filter_many_applied: "Filter, {} applied",
    no_filters: "No filters applied",
    one_filter: "1 filter applied",
    filters_applied: "{} filters applied",
    applied_filters: "Applied filters",
    chip_from: "From {}",
    chip_to: "To {}",
    chip_level: "Failed on: {}",
    remove_filter: "Remove filter: {}",
    clear_filters: "Clear all filters",
    pages: "Pages",
    rows_per_page: "Rows per page",
    previous_page: "Previous page",
    next_page: "Next page",
    previous: "‹ Previous",
    next: "Next ›",
    page_of: "Page {} of {}",
    drawer_title: "Filter sync errors",
    close: "Close",
    time_range: "Date and time of the failure",
    quick_ranges: "Quick ranges",
    last_hour: "Last hour",
    last_24_hours: "Last 24 hours",
    whole_window: "Whole window",
    from: "From",
    to: "To",
    from_hint: "Empty: from the start of the window.",
    to_hint: "Empty: up to now.",
    failed_on: "Failed on",
    both_levels: "Both levels",
    kept_from: "Errors are kept from {} (five days before the current sync) to now.",
    reset: "Reset",
    apply: "Apply",
    enter_date_time: "Enter a date and time.",
    before_window: "Errors are kept from {} only (five days before the current sync).",
    start_after_now: "The start cannot be later than now ({}).",
    end_before_window: "Errors are kept from {} only.",
    end_after_now: "The end cannot be later than now ({}).",
    start_after_end: "The start is after the end.",
    times_in_zone: "Times are in {}.",
    skipped_time: "This time does not exist here: that night the clocks go forward, from {} to {}. Choose a time before or after the change.",
    repeated_time: "This time happens twice here: that night the clocks go back. Which one?",
    first_occurrence: "The first, at {}",
    second_occurrence: "The second, at {}",
    sync_error: "Sync error",
    loading_error: "Loading the error…",
    gone: "This sync error no longer exists.",
    gone_hint: "It may have left the five-day window. Close this dialog to go back to the list.",
    record_scope: "One record failed to sync; the rest of the job went on.",
    job_scope: "A whole sync job failed; no single record is involved.",
    marketo_id: "Marketo ID",
    salesforce_id: "Salesforce ID",
    no_salesforce_record: "None (not created in Salesforce)",
    open_in_salesforce: "Open in Salesforce",
    operation: "Operation",
    failing_fields: "Failing fields",
    search_web: "Search the web for this error",
    search_hint: " Salesforce's messages often have known causes and fixes.",
    copy: "Copy",
    copy_marketo_id: "Copy Marketo ID",
    copy_salesforce_id: "Copy Salesforce ID",
    copy_message: "Copy message",
    copied_marketo_id: "Marketo ID copied",
    copied_salesforce_id: "Salesforce ID copied",
    copied_message: "Message copied",
    copy_failed: "Could not copy: select the text and copy it",
    export: "Export",
    export_progress: "Export progress",
    preparing_export: "Preparing the export…",
    exporting: "Exporting {} of {} errors…",
    cancel_export: "Cancel export",
    exported: "Exported {} errors to {}.",
    export_cancelled: "Export cancelled. Nothing was saved.",
    export_failed: "The export failed and nothing was saved. {}",
    retry_export: "Retry export",
    dismiss: "Dismiss",
    export_incomplete: "The server sent {} errors where it announced {}; the errors changed during the export.",
    export_browser: "The browser could not save the file ({}).",
    export_retrying: "A page failed; asking again (retry {} of {})…",
    csv_header: [
        "Error ID",
        "Failed On",
        "Date/Time (UTC)",
        "Date/Time (local)",
        "Error Type",
        "Error Details",
        "Object",
        "Operation",
        "Marketo ID",
        "Salesforce ID",
        "Fields",
    ],
    filter_rejected: "The filter `{}` was not accepted: {}",
    request_rejected: "The server did not accept the request.",
    session_ended_sentence: "Your session has ended. Sign in again to see sync errors.",
    server_error: "The server could not load sync errors (HTTP {}).",
    server_busy: "The server is busy or down for maintenance (HTTP {}). Try again in {}.",
    timed_out: "The server did not answer within {}. Retry, or narrow the date range.",
    network_error: "The server could not be reached. Check your connection and retry.",
    malformed: "The server's answer could not be read. Retry, or tell your administrator.",
    search: "Search",
    search_placeholder: "ID, Salesforce ID or words",
    chip_code: "Error type: {}",
    chip_object: "Object: {}",
    chip_text: "Search: “{}”",
    no_object: "No object",
    top_types: "Top error types",
    show_summary: "Show the summary",
    hide_summary: "Hide the summary",
    objects: "Objects",
    show_all_types: "Show all {} types",
    show_all_objects: "Show all {} objects",
    show_fewer: "Show fewer",
    level_split: "Record level {} · Job level {}",
    last_failed: "Latest: {}",
    share_of_total: "{} of the errors",
    summary_loading: "Loading the summary…",
    summary_failed: "The summary could not be loaded.",
    summary_list_fine: "The list is not affected.",
    summary_unsupported: "This server has no summary (it follows API 1.0). The list, the date and level filters, the details and the export work as usual.",
    triage_ignored: "This server cannot filter by error type, object or search (it follows API 1.0): those filters were left out.",
    no_types: "No error type matches these filters.",
    no_objects: "No object matches these filters.",
    chart_title: "Errors over time",
    chart_peak: "Peak: {} between {} and {} ({}).",
    chart_empty: "No error matches these filters in the window.",
    chart_hint: "Click a bar to see its errors, or drag across bars for a span. Keyboard: arrow keys move between bars, Enter picks one, Shift with arrows selects a span.",
    chart_bar: "{} to {}: {} ({} record level, {} job level)",
    chart_selected: "Selected: {} to {}, {}. Press Enter to filter.",
    chart_in_range: "The applied range",
    error_types: "Error type",
    object: "Object",
    pickers_need_summary: "This server has no summary, so error types and objects cannot be listed here.",
    not_in_summary: "none now",
    what_to_do: "What to do",
    clears_by_itself: "This usually clears by itself: the next sync or a retry will likely succeed.",
    needs_data_change: "The record’s data needs a change: the sync will fail the same way until it is fixed.",
    needs_config_change: "A change to Salesforce or to the integration’s settings is needed: the sync will fail the same way until it is made.",
    guidance_unknown: "We have no advice for {} yet. Salesforce’s message above, and a web search, are the best leads.",
    guidance_loading: "Loading advice…",
    guidance_failed: "The advice could not be loaded.",
};

pub static FR: Texts = Texts {
    lang: Lang::Fr,
    error_one: "{} erreur",
    error_many: "{} erreurs",
    second_one: "{} seconde",
    second_many: "{} secondes",
    admin: "Administration",
    integration: "Intégration",
    salesforce: "Salesforce",
    sync_errors: "Erreurs de synchronisation",
    page_title: "Erreurs de synchronisation Salesforce · Administration",
    breadcrumb: "Fil d’Ariane",
    salesforce_pages: "Pages Salesforce",
    col_level: "Niveau de l’échec",
    col_time: "Date et heure de l’échec",
    col_code: "Type d’erreur",
    col_message: "Détails de l’erreur",
    col_object: "Objet",
    table_caption: "Erreurs de synchronisation Salesforce. Sélectionnez une ligne pour en voir le détail.",
    record_level: "Enregistrement",
    job_level: "Traitement",
    loading: "Chargement des erreurs de synchronisation…",
    showing: "Affichage\u{a0}: {}",
    range_of_total: "{}–{} sur {}",
    none_of_total: "0 sur {}",
    window_from: "Erreurs du ",
    window_to: " au ",
    window_tail: "\u{a0}: la période conservée commence cinq jours avant la synchronisation en cours. ",
    count_all: "{} au total.",
    count_filtered_one: "{} correspond aux filtres.",
    count_filtered: "{} correspondent aux filtres.",
    retry: "Réessayer",
    page_failed: "La page {} n’a pas pu être chargée.",
    signed_out: "Connectez-vous pour voir les erreurs de synchronisation",
    signed_out_hint: "Les erreurs de synchronisation Salesforce sont réservées aux administrateurs de cette console. Connectez-vous avec un compte administrateur.",
    signed_out_no_link: "Connectez-vous à la console, puis revenez sur cette page.",
    sign_out: "Se déconnecter",
    session_ended: "Votre session a expiré",
    session_ended_hint: "Reconnectez-vous pour voir les erreurs de synchronisation. Vos filtres sont conservés dans l’adresse de cette page.",
    sign_in: "Se connecter",
    admin_required: "Autorisations d’administrateur requises",
    admin_required_hint: "Seuls les administrateurs de cette console peuvent voir les erreurs de synchronisation Salesforce. Demandez l’accès à un administrateur.",
    past_last_page: "Cette page est au-delà de la dernière",
    first_page: "Aller à la première page",
    last_page: "Aller à la dernière page",
    no_match: "Aucune erreur de synchronisation ne correspond à ces filtres",
    no_match_hint: "Retirez un filtre ou élargissez la période pour voir davantage d’erreurs.",
    change_filters: "Modifier les filtres",
    clear_search: "Effacer la recherche",
    no_match_text: "Aucune erreur de synchronisation ne correspond à «\u{a0}{}\u{a0}» avec ces filtres",
    no_match_search: "Aucune erreur de synchronisation ne correspond à «\u{a0}{}\u{a0}»",
    no_match_search_hint: "Vérifiez l’orthographe, ou cherchez un ID d’erreur, un ID Marketo ou Salesforce, ou un mot du message ou du type d’erreur.",
    no_errors: "Aucune erreur de synchronisation",
    no_errors_hint: "La synchronisation avec Salesforce n’a rencontré aucune erreur ces cinq derniers jours.",
    ignored_link_parts: "Une partie de ce lien n’a pas pu être lue et a été ignorée\u{a0}: {}.",
    link_part_names: [
        ("from", "le début de la période"),
        ("to", "la fin de la période"),
        ("level", "le niveau"),
        ("sort", "l’ordre de tri"),
        ("page", "la page"),
        ("page_size", "le nombre de lignes par page"),
        ("error", "l’erreur ouverte"),
        ("error_code", "les types d’erreur"),
        ("object_type", "les objets"),
        ("q", "la recherche"),
    ],
    outside_window: "Aucune erreur ne peut correspondre\u{a0}: cette période est en dehors des erreurs conservées par le serveur, du {} au {}.",
    unknown_zone: "Ce navigateur ne connaît pas le fuseau horaire «\u{a0}{}\u{a0}»\u{202f}; les heures sont affichées dans le fuseau de votre navigateur.",
    not_found_page: "Cette page n’existe pas",
    go_to_tab: "Aller aux erreurs de synchronisation Salesforce",
    refresh: "Actualiser",
    refresh_hint: "Charger les erreurs arrivées depuis le chargement de cette liste",
    filter: "Filtrer",
    filter_one_applied: "Filtrer, 1 filtre appliqué",
    filter_many_applied: "Filtrer, {} filtres appliqués",
    no_filters: "Aucun filtre appliqué",
    one_filter: "1 filtre appliqué",
    filters_applied: "{} filtres appliqués",
    applied_filters: "Filtres appliqués",
    chip_from: "Depuis le {}",
    chip_to: "Jusqu’au {}",
    chip_level: "Niveau\u{a0}: {}",
    remove_filter: "Retirer le filtre\u{a0}: {}",
    clear_filters: "Retirer tous les filtres",
    pages: "Pagination",
    rows_per_page: "Lignes par page",
    previous_page: "Page précédente",
    next_page: "Page suivante",
    previous: "‹ Précédente",
    next: "Suivante ›",
    page_of: "Page {} sur {}",
    drawer_title: "Filtrer les erreurs de synchronisation",
    close: "Fermer",
    time_range: "Date et heure de l’échec",
    quick_ranges: "Périodes rapides",
    last_hour: "Dernière heure",
    last_24_hours: "Dernières 24 heures",
    whole_window: "Toute la période",
    from: "Début",
    to: "Fin",
    from_hint: "Vide\u{a0}: depuis le début de la période.",
    to_hint: "Vide\u{a0}: jusqu’à maintenant.",
    failed_on: "Niveau de l’échec",
    both_levels: "Les deux niveaux",
    kept_from: "Les erreurs sont conservées du {} (cinq jours avant la synchronisation en cours) jusqu’à maintenant.",
    reset: "Réinitialiser",
    apply: "Appliquer",
    enter_date_time: "Saisissez une date et une heure.",
    before_window: "Les erreurs ne sont conservées qu’à partir du {} (cinq jours avant la synchronisation en cours).",
    start_after_now: "Le début ne peut pas être postérieur à maintenant ({}).",
    end_before_window: "Les erreurs ne sont conservées qu’à partir du {}.",
    end_after_now: "La fin ne peut pas être postérieure à maintenant ({}).",
    start_after_end: "Le début est postérieur à la fin.",
    times_in_zone: "Heures du fuseau {}.",
    skipped_time: "Cette heure n’existe pas ici\u{a0}: cette nuit-là, on avance l’heure, de {} à {}. Choisissez une heure avant ou après le changement.",
    repeated_time: "Cette heure existe deux fois ici\u{a0}: cette nuit-là, on recule l’heure. Laquelle\u{202f}?",
    first_occurrence: "La première, à {}",
    second_occurrence: "La seconde, à {}",
    sync_error: "Erreur de synchronisation",
    loading_error: "Chargement de l’erreur…",
    gone: "Cette erreur de synchronisation n’existe plus.",
    gone_hint: "Elle est peut-être sortie de la période de cinq jours. Fermez cette fenêtre pour revenir à la liste.",
    record_scope: "Un enregistrement n’a pas pu être synchronisé\u{202f}; le reste du traitement s’est poursuivi.",
    job_scope: "Un traitement de synchronisation entier a échoué\u{202f}; aucun enregistrement en particulier n’est en cause.",
    marketo_id: "ID Marketo",
    salesforce_id: "ID Salesforce",
    no_salesforce_record: "Aucun (pas encore créé dans Salesforce)",
    open_in_salesforce: "Ouvrir dans Salesforce",
    operation: "Opération",
    failing_fields: "Champs en échec",
    search_web: "Rechercher cette erreur sur le Web",
    search_hint: " Les messages de Salesforce ont souvent des causes et des solutions connues.",
    copy: "Copier",
    copy_marketo_id: "Copier l’ID Marketo",
    copy_salesforce_id: "Copier l’ID Salesforce",
    copy_message: "Copier le message",
    copied_marketo_id: "ID Marketo copié",
    copied_salesforce_id: "ID Salesforce copié",
    copied_message: "Message copié",
    copy_failed: "Copie impossible\u{a0}: sélectionnez le texte et copiez-le",
    export: "Exporter",
    export_progress: "Progression de l’export",
    preparing_export: "Préparation de l’export…",
    exporting: "Export de {} erreurs sur {}…",
    cancel_export: "Annuler l’export",
    exported: "{} erreurs exportées dans {}.",
    export_cancelled: "Export annulé. Rien n’a été enregistré.",
    export_failed: "L’export a échoué et rien n’a été enregistré. {}",
    retry_export: "Relancer l’export",
    dismiss: "Fermer",
    export_incomplete: "Le serveur a envoyé {} erreurs au lieu des {} annoncées\u{202f}; les erreurs ont changé pendant l’export.",
    export_browser: "Le navigateur n’a pas pu enregistrer le fichier ({}).",
    export_retrying: "Une page a échoué\u{202f}; nouvel essai ({} sur {})…",
    csv_header: [
        "ID de l’erreur",
        "Niveau de l’échec",
        "Date et heure (UTC)",
        "Date et heure (locale)",
        "Type d’erreur",
        "Détails de l’erreur",
        "Objet",
        "Opération",
        "ID Marketo",
        "ID Salesforce",
        "Champs",
    ],
    filter_rejected: "Le filtre `{}` n’a pas été accepté\u{a0}: {}",
    request_rejected: "Le serveur n’a pas accepté la requête.",
    session_ended_sentence: "Votre session a expiré. Reconnectez-vous pour voir les erreurs de synchronisation.",
    server_error: "Le serveur n’a pas pu charger les erreurs de synchronisation (HTTP {}).",
    server_busy: "Le serveur est surchargé ou en maintenance (HTTP {}). Réessayez dans {}.",
    timed_out: "Le serveur n’a pas répondu en {}. Réessayez ou réduisez la période.",
    network_error: "Le serveur est injoignable. Vérifiez votre connexion, puis réessayez.",
    malformed: "La réponse du serveur est illisible. Réessayez ou prévenez votre administrateur.",
    search: "Rechercher",
    search_placeholder: "ID, ID Salesforce ou mots",
    chip_code: "Type d’erreur\u{a0}: {}",
    chip_object: "Objet\u{a0}: {}",
    chip_text: "Recherche\u{a0}: «\u{a0}{}\u{a0}»",
    no_object: "Aucun objet",
    top_types: "Principaux types d’erreur",
    show_summary: "Afficher le résumé",
    hide_summary: "Masquer le résumé",
    objects: "Objets",
    show_all_types: "Afficher les {} types",
    show_all_objects: "Afficher les {} objets",
    show_fewer: "Afficher moins",
    level_split: "Enregistrement {} · Traitement {}",
    last_failed: "Dernière\u{a0}: {}",
    share_of_total: "{} des erreurs",
    summary_loading: "Chargement du résumé…",
    summary_failed: "Le résumé n’a pas pu être chargé.",
    summary_list_fine: "La liste n’est pas touchée.",
    summary_unsupported: "Ce serveur n’a pas de résumé (il suit l’API 1.0). La liste, les filtres de date et de niveau, le détail et l’export fonctionnent comme d’habitude.",
    triage_ignored: "Ce serveur ne peut pas filtrer par type d’erreur, par objet ni par recherche (il suit l’API 1.0)\u{a0}: ces filtres ont été retirés.",
    no_types: "Aucun type d’erreur ne correspond à ces filtres.",
    no_objects: "Aucun objet ne correspond à ces filtres.",
    chart_title: "Erreurs au fil du temps",
    chart_peak: "Pic\u{a0}: {} entre {} et {} ({}).",
    chart_empty: "Aucune erreur ne correspond à ces filtres dans la période.",
    chart_hint: "Cliquez sur une barre pour voir ses erreurs, ou faites glisser sur plusieurs barres. Au clavier\u{a0}: les flèches passent d’une barre à l’autre, Entrée en choisit une, Maj avec les flèches sélectionne une période.",
    chart_bar: "{} à {}\u{a0}: {} ({} au niveau enregistrement, {} au niveau traitement)",
    chart_selected: "Sélection\u{a0}: {} à {}, {}. Appuyez sur Entrée pour filtrer.",
    chart_in_range: "La période appliquée",
    error_types: "Type d’erreur",
    object: "Objet",
    pickers_need_summary: "Ce serveur n’a pas de résumé\u{a0}: les types d’erreur et les objets ne peuvent pas être listés ici.",
    not_in_summary: "aucune pour l’instant",
    what_to_do: "Que faire",
    clears_by_itself: "Cette erreur disparaît en général d’elle-même\u{a0}: la prochaine synchronisation ou une nouvelle tentative réussira probablement.",
    needs_data_change: "Les données de l’enregistrement doivent changer\u{a0}: la synchronisation échouera de la même façon tant qu’elles ne seront pas corrigées.",
    needs_config_change: "Un changement dans Salesforce ou dans les réglages de l’intégration est nécessaire\u{a0}: la synchronisation échouera de la même façon tant qu’il n’est pas fait.",
    guidance_unknown: "Nous n’avons pas encore de conseil pour {}. Le message de Salesforce ci-dessus et une recherche sur le Web sont les meilleures pistes.",
    guidance_loading: "Chargement des conseils…",
    guidance_failed: "Les conseils n’ont pas pu être chargés.",
};

/// The first break of French typography in `text`, if any: a plain space before `:` or
/// inside « » (a no-break space belongs there), a plain space before `;`, `!` or `?` (a
/// narrow no-break one, so that a line never starts with them), a straight apostrophe (the
/// typographic one). The rule of the tab's French texts and of its French advice.
#[cfg(test)]
pub(crate) fn french_typography_fault(text: &str) -> Option<&'static str> {
    [" :", " ;", " !", " ?", "« ", " »", "'"]
        .into_iter()
        .find(|bad| text.contains(bad))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chooses_the_first_supported_language() {
        assert_eq!(Lang::choose([Some("fr-CA"), Some("en")]), Lang::Fr);
        assert_eq!(Lang::choose([None, Some("de-DE"), Some("en-GB")]), Lang::En);
        assert_eq!(Lang::choose([Some(""), None]), Lang::En);
        assert_eq!(Lang::from_tag("FR"), Some(Lang::Fr));
    }

    #[test]
    fn counts_group_by_language() {
        assert_eq!(Lang::En.count(1234), "1,234");
        assert_eq!(Lang::Fr.count(1234), "1\u{202f}234");
    }

    #[test]
    fn fills_templates() {
        assert_eq!(fill(EN.page_of, &["2", "20"]), "Page 2 of 20");
        assert_eq!(
            fill(FR.exporting, &["1 000", "2 000"]),
            "Export de 1 000 erreurs sur 2 000…"
        );
    }

    #[test]
    #[cfg_attr(debug_assertions, should_panic(expected = "arguments for"))]
    fn a_missing_argument_is_an_error() {
        assert_eq!(fill("{} and {}", &["a"]), "a and ");
    }

    #[test]
    fn the_standalone_page_starts_with_the_english_title() {
        let page = include_str!("../../index.html");
        assert!(page.contains(&format!("<title>{}</title>", EN.page_title)));
    }

    /// The texts of the static `name` (`EN`, `FR`) as written in this file's source: each
    /// field's name and its literal, escapes unread.
    fn texts(name: &str) -> Vec<(&'static str, &'static str)> {
        let source = include_str!("i18n.rs");
        let start = source
            .find(&format!("pub static {name}: Texts = Texts {{"))
            .unwrap();
        let body = &source[start..];
        let body = &body[..body.find("\n};").unwrap()];
        body.lines()
            .filter_map(|l| {
                let l = l.trim();
                let (field, rest) = l.split_once(": \"")?;
                let value = rest.strip_suffix("\",")?;
                field
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_')
                    .then_some((field, value))
            })
            .collect()
    }

    #[test]
    fn french_typography_faults_are_found() {
        assert_eq!(french_typography_fault("Affichage : 1"), Some(" :"));
        assert_eq!(french_typography_fault("Vraiment ?"), Some(" ?"));
        assert_eq!(french_typography_fault("d'Europe"), Some("'"));
        assert_eq!(french_typography_fault("« Lead »"), Some("« "));
        assert_eq!(
            french_typography_fault("Affichage\u{a0}: 1, vraiment\u{202f}? d’Europe"),
            None
        );
    }

    /// French punctuation (see [`french_typography_fault`]).
    #[test]
    fn french_texts_follow_french_typography() {
        for (name, fr) in texts("FR") {
            let fault = french_typography_fault(fr);
            assert!(fault.is_none(), "{name}: {fault:?} in {fr}");
        }
    }

    /// Every text of both languages, read from this file's source (so a new field is
    /// covered without being listed): the same fields in both, each French text filled,
    /// with as many `{}` as its English one, and no raw parameter name in backticks.
    #[test]
    fn every_template_has_the_same_arguments_in_both_languages() {
        let (en, fr) = (texts("EN"), texts("FR"));
        assert!(en.len() > 130, "read {} English texts", en.len());
        let names =
            |t: &[(&'static str, &'static str)]| t.iter().map(|(n, _)| *n).collect::<Vec<&str>>();
        assert_eq!(names(&en), names(&fr));
        let mut templates = 0;
        for ((name, en), (_, fr)) in en.iter().zip(&fr) {
            let n = en.matches("{}").count();
            templates += usize::from(n > 0);
            assert_eq!(n, fr.matches("{}").count(), "{name}: {en} / {fr}");
            assert!(!fr.is_empty(), "{name}");
            let args: Vec<String> = (0..n).map(|i| format!("<{i}>")).collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            for text in [en, fr] {
                let filled = fill(text, &args);
                assert!(!filled.contains("{}"), "{name}: {filled}");
            }
        }
        assert!(templates >= 30, "{templates} templates");
    }

    #[test]
    fn plurals_follow_each_language() {
        assert_eq!(EN.seconds(1), "1 second");
        assert_eq!(EN.seconds(0), "0 seconds");
        assert_eq!(EN.seconds(120), "120 seconds");
        assert_eq!(FR.seconds(1), "1 seconde");
        assert_eq!(FR.seconds(0), "0 seconde");
        assert_eq!(FR.seconds(2), "2 secondes");
        assert_eq!(EN.errors(25_000), "25,000 errors");
        assert_eq!(FR.errors(1), "1 erreur");
        assert_eq!(EN.matching(1), "1 error matches the filters.");
        assert_eq!(EN.matching(291), "291 errors match the filters.");
        assert_eq!(FR.matching(0), "0 erreur correspond aux filtres.");
        assert_eq!(FR.matching(2), "2 erreurs correspondent aux filtres.");
    }

    #[test]
    fn the_filter_button_name_holds_its_visible_count() {
        for (t, n) in [(&EN, 1usize), (&EN, 3), (&FR, 1), (&FR, 2)] {
            let name = t.filter_button(n);
            assert!(name.contains(&n.to_string()), "{name}");
            assert!(name.starts_with(t.filter), "{name}");
        }
        assert_eq!(EN.filter_button(0), "Filter");
        assert_eq!(EN.filter_button(1), "Filter, 1 applied");
        assert_eq!(FR.filter_button(2), "Filtrer, 2 filtres appliqués");
    }

    #[test]
    fn link_parts_are_named_in_words() {
        for (name, _) in EN.link_part_names {
            assert_ne!(EN.link_part(name), FR.link_part(name));
            assert!(!EN.link_part(name).contains('`'));
        }
        assert_eq!(EN.link_part("page_size"), "the rows per page");
    }

    /// The French texts are French: no English text is reused where a translation belongs.
    #[test]
    fn french_is_translated_and_templates_match() {
        let pairs = [
            (EN.sync_errors, FR.sync_errors),
            (EN.loading, FR.loading),
            (EN.export, FR.export),
            (EN.filter, FR.filter),
            (EN.apply, FR.apply),
            (EN.reset, FR.reset),
            (EN.admin_required, FR.admin_required),
            (EN.col_level, FR.col_level),
        ];
        for (en, fr) in pairs {
            assert_ne!(en, fr);
        }
        // The window line reads naturally in French (it once said "depuis cinq jours avant").
        assert!(!FR.window_tail.contains("depuis cinq jours avant"));
        for (en, fr) in [
            (EN.showing, FR.showing),
            (EN.range_of_total, FR.range_of_total),
            (EN.page_of, FR.page_of),
            (EN.exporting, FR.exporting),
            (EN.exported, FR.exported),
            (EN.export_incomplete, FR.export_incomplete),
            (EN.filter_rejected, FR.filter_rejected),
            (EN.kept_from, FR.kept_from),
            (EN.unknown_zone, FR.unknown_zone),
            (EN.count_all, FR.count_all),
            (EN.count_filtered, FR.count_filtered),
            (EN.page_failed, FR.page_failed),
            (EN.outside_window, FR.outside_window),
            (EN.times_in_zone, FR.times_in_zone),
            (EN.skipped_time, FR.skipped_time),
            (EN.first_occurrence, FR.first_occurrence),
            (EN.second_occurrence, FR.second_occurrence),
            (EN.export_retrying, FR.export_retrying),
            (EN.server_busy, FR.server_busy),
            (EN.timed_out, FR.timed_out),
            (EN.filter_many_applied, FR.filter_many_applied),
            (EN.error_many, FR.error_many),
            (EN.second_many, FR.second_many),
        ] {
            assert_eq!(
                en.matches("{}").count(),
                fr.matches("{}").count(),
                "{en} / {fr}"
            );
        }
    }
}

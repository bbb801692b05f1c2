//! Words, numbers and times: the UI's languages, counts and long words (`format`), times to
//! the millisecond in UTC and with an offset (`time`), and the admin's zone through `Intl`.

pub(crate) mod format;
pub mod i18n;
pub(crate) mod intl;
pub(crate) mod time;

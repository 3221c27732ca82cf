//! `domlife timeline --csv`: the lifecycle calculator over a sheet of
//! names and expiry dates, offline: no registry is asked. Each row is
//! computed as `domlife timeline NAME --expires DATE` computes one name
//! (the same policy table, overrides and `--as-of`), streamed row by row so
//! that memory does not grow with the sheet; a row that cannot be computed
//! is a row with its reason, never dropped.
//!
//! - [`read`]: the sheet's rows into [`TimelineRow`]s (policies resolved
//!   once per TLD and registrar);
//! - [`write`]: the rows as `table`, `csv`, `json` or `ndjson`.

mod read;
mod row;
mod write;

pub use read::{SheetError, TimelineRows};
pub use row::{Computed, TimelineRow};
pub use write::{SheetFormat, SheetWriter};

//! The listeners of a run, one file each: what a run's results go
//! through after the driver. `check` registers the ones its flags ask
//! for, in this order: change detection (`baseline`, `history`) first,
//! since it adds findings the others must see, then the exit-status
//! `tally`, the `progress` bar, the outputs (`stream`, `report`), and the
//! `notify`ier last, so that a slow webhook holds up no report. `serve`
//! registers `history`, the `exporter`'s state and the notifier.

pub mod baseline;
pub mod exporter;
pub mod history;
pub mod notify;
pub mod progress;
pub mod report;
pub mod stream;
pub mod tally;

use std::sync::Arc;

/// Where a listener says something the user should know that does not
/// stop the run (a result that could not be recorded, say).
pub type Warn = Arc<dyn Fn(&str) + Send + Sync>;

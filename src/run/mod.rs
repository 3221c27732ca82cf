//! A run: settings in, events out.
//!
//! ```text
//! flags + domlife.toml + defaults ──► RunSettings (settings, config_file)
//!                                          │
//!                        Resources::open: store | replay, bootstrap, clients, gate
//!                                          │
//! entries ──► Driver (schedule, look up, audit) ──► events: started · results · ended
//!                                          │
//!         baseline · history · tally · progress · stream · report  (listeners/)
//! ```
//!
//! [`settings`] merges the command line and `domlife.toml` once into typed
//! values; [`resources`] opens what they name; the [`driver`] audits a list
//! and tells its [`listener::Listener`]s. Every output of a run is a
//! listener in [`listeners`], one file each: a new output is a new file and
//! one registration line in the command that wants it, never a second
//! audit.

pub mod config_file;
pub mod date_input;
pub mod driver;
pub mod listener;
pub mod listeners;
pub mod merge;
pub mod resources;
pub mod settings;
pub mod signals;
pub mod timelines;

pub use driver::Driver;
pub use listener::{
    Batch, Ending, Finished, Listener, ListenerError, ReportFailure, RunEnd, RunStart, Signal,
};
pub use resources::{OpenError, Resources};
pub use settings::{Flags, LifecycleSettings, RunSettings, SettingsError};

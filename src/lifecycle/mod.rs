//! The expiry lifecycle: which policy applies to a TLD and registrar, and
//! the timeline of phases that policy gives a registration after expiry.
//!
//! - [`policy`]: the vocabulary of one policy entry (plain serde data, every
//!   figure with its source and confidence);
//! - [`table`]: the built-in table (`data/policies.toml`), user overrides,
//!   and resolution into a [`ResolvedPolicy`];
//! - [`registrar_name`]: recognising a registrar from its printed name;
//! - [`tld_class`]: generic or country-code TLD, for the fallback entry;
//! - [`timeline`]: phases with their boundary windows, the phase on a day,
//!   narrowing to registry-stated dates.
//!
//! No I/O happens here except reading a user's policy file when asked.

pub mod policy;
pub mod registrar_name;
mod report;
pub mod resolved;
pub mod table;
pub mod timeline;
pub mod tld_class;

pub use policy::{Confidence, DayRange, Figure, PolicyEntry, RegistryZone, ReleaseRule, Resolves};
pub use report::TimelineReport;
pub use resolved::{ResolvedPolicy, Stage};
pub use table::{PolicyError, PolicyTable};
pub use timeline::{
    Expiry, Phase, PhaseAt, PhaseSpan, StageLengths, Timeline, TimelineError, Window,
};
pub use tld_class::TldClass;

//! Notifications (`--notify URL`): after a run, one POST per webhook when
//! the audit differs from what that webhook was last told.
//!
//! - [`target`]: a webhook URL, shown as `scheme://host/…` and kept by its
//!   hash, since it carries a secret;
//! - [`prior`]: what an earlier audit said about a name (the store's
//!   delivered results, or a `--baseline` report);
//! - [`change`]: what differs, pure ([`changes_of`]);
//! - [`body`]: the message in the shapes receivers accept (Slack-style
//!   JSON, Discord, ntfy);
//! - [`send`]: the POST, under the lookups' network rules, with retries.
//!
//! The listener that ties them to a run, and remembers in the store what
//! each target was told, is [`crate::run::listeners::notify`].

pub mod body;
pub mod change;
pub mod prior;
pub mod send;
pub mod target;

pub use body::{Body, Notice, NotifyFormat, body};
pub use change::{Change, ChangeKind, changes_of, most_severe_first};
pub use prior::{Prior, PriorFinding};
pub use send::{SendError, Sender, SenderConfig};
pub use target::{Target, TargetError};

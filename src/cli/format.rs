//! [`Format`]: `--format` of the commands that print one object (`show`,
//! `timeline`, `policies`, `history`, `explain`). A leaf below them all.

use clap::ValueEnum;

/// Output format shared by the commands that print one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Aligned text for a terminal.
    #[default]
    Table,
    /// Pretty-printed JSON.
    Json,
}

//! [`AnswerSource`]: the one trait behind which answers come, whether from
//! the registries ([`super::Network`]), the store ([`super::StoreCache`],
//! wrapping another source), a recorder ([`super::Recording`], likewise) or
//! a capture directory ([`super::Replay`]). The lookup asks its questions of
//! one source and never knows which.

use std::fmt;

use futures::future::BoxFuture;

use super::error::AskError;
use super::question::{Question, Reply};

/// Answers questions about names.
pub trait AnswerSource: fmt::Debug + Send + Sync {
    /// The raw answer to `question`, "no such object" (a reply without a
    /// body), or why there is none.
    fn ask<'a>(&'a self, question: &'a Question) -> BoxFuture<'a, Result<Reply, AskError>>;
}

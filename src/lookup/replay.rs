//! [`Replay`]: answers from a capture directory instead of the network
//! (`--replay DIR`), how users reproduce a report, file a bug, or run the
//! README demo offline. The files are read where `store::replay` lays them
//! out, and go through the same readers as live answers.

use futures::future::BoxFuture;

use super::error::AskError;
use super::question::{Question, Reply};
use super::source::AnswerSource;
use crate::store::replay::{Capture, ReplayDir};

/// A capture directory as an answer source.
#[derive(Debug, Clone)]
pub struct Replay {
    pub dir: ReplayDir,
}

impl Replay {
    fn answer(&self, question: &Question) -> Result<Reply, AskError> {
        let name = &question.name;
        let captured = match Capture::of(question.server.protocol(), question.role) {
            Some(capture) => self.dir.read(capture, name).map_err(AskError::Replay)?,
            None => None,
        };
        captured
            .map(Reply::answer)
            .ok_or_else(|| AskError::NotCaptured {
                name: name.to_string(),
                dir: self.dir.root().display().to_string(),
            })
    }
}

impl AnswerSource for Replay {
    fn ask<'a>(&'a self, question: &'a Question) -> BoxFuture<'a, Result<Reply, AskError>> {
        Box::pin(async move { self.answer(question) })
    }
}

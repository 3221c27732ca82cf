//! [`Recording`]: `--record DIR`, an answer source that writes what another
//! source answers in the capture layout (`store::replay`), for a bug report
//! or a demo that `--replay` reads back.

use std::sync::Arc;

use futures::future::BoxFuture;

use super::error::AskError;
use super::question::{Question, Reply};
use super::source::AnswerSource;
use crate::store::replay::{Capture, Recorder};

/// Records the answers of the source it wraps.
#[derive(Debug)]
pub struct Recording {
    pub recorder: Arc<Recorder>,
    pub inner: Arc<dyn AnswerSource>,
}

impl Recording {
    async fn answer(&self, question: &Question) -> Result<Reply, AskError> {
        let mut reply = self.inner.ask(question).await?;
        // A registrar's WHOIS answer has no place in the layout.
        let Some(capture) = Capture::of(question.server.protocol(), question.role) else {
            return Ok(reply);
        };
        if !reply.is_keepable(&question.server) {
            return Ok(reply);
        }
        let written = self
            .recorder
            .write(capture, &question.name, reply.body.as_deref());
        if let Err(why) = written {
            reply.notes.push(format!(
                "the answer from {} was not kept: {why}",
                question.server.key()
            ));
        }
        Ok(reply)
    }
}

impl AnswerSource for Recording {
    fn ask<'a>(&'a self, question: &'a Question) -> BoxFuture<'a, Result<Reply, AskError>> {
        Box::pin(self.answer(question))
    }
}

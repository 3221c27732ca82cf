//! [`Network`]: the registries themselves, every request paced by the run's
//! [`Gate`].
//!
//! A WHOIS quota refusal arrives as ordinary text, so the gated WHOIS step
//! is "ask and read": a refusal read in the text is a rate-limit error the
//! gate waits out like an HTTP 429, while an answer that is merely
//! unreadable is returned, since asking again would not help.

use std::sync::Arc;

use futures::future::BoxFuture;
use url::Url;

use super::error::{AskError, WhoisStepError};
use super::question::{Question, Reply, Server};
use super::read;
use super::source::AnswerSource;
use crate::domain::DomainName;
use crate::fetch::{Gate, GiveUp, HostKey};
use crate::rdap::{self, Fetched};
use crate::whois::{WhoisClient, WhoisTarget};

/// The registries, through the run's clients and gate.
#[derive(Debug, Clone)]
pub struct Network {
    pub gate: Gate,
    pub rdap: rdap::Client,
    pub whois: WhoisClient,
}

impl AnswerSource for Network {
    fn ask<'a>(&'a self, question: &'a Question) -> BoxFuture<'a, Result<Reply, AskError>> {
        Box::pin(async move {
            match &question.server {
                Server::Rdap(url) => self.rdap(url).await,
                Server::Whois(target) => self.whois(target, &question.name).await,
                // The network holds no captures.
                Server::Captured { path, .. } => Err(AskError::NotCaptured {
                    name: question.name.to_string(),
                    dir: path.display().to_string(),
                }),
            }
        })
    }
}

impl Network {
    /// A GET through the gate. A URL without a host cannot pass the
    /// client's safety check either, so it goes straight to the client,
    /// which refuses it with the reason.
    async fn rdap(&self, url: &Url) -> Result<Reply, AskError> {
        let fetched = match HostKey::rdap(url) {
            Some(host) => self.gate.call(&host, || self.rdap.fetch(url)).await,
            None => self
                .rdap
                .fetch(url)
                .await
                .map_err(|error| GiveUp::Failed { attempts: 1, error }),
        }
        .map_err(|give_up| AskError::Rdap(Arc::new(give_up)))?;
        Ok(match fetched {
            Fetched::Document(document) => Reply {
                body: Some(document.body),
                url: Some(document.url),
                notes: Vec::new(),
            },
            Fetched::NotFound { url } => Reply {
                body: None,
                url: Some(url),
                notes: Vec::new(),
            },
        })
    }

    async fn whois(&self, target: &WhoisTarget, name: &DomainName) -> Result<Reply, AskError> {
        let host = HostKey::whois(&target.spec.address);
        let answer = self
            .gate
            .call(&host, || async {
                let answer = self
                    .whois
                    .query(target, name)
                    .await
                    .map_err(WhoisStepError::Exchange)?;
                match read::whois_refusal(target, name, &answer.body) {
                    Some(refusal) => Err(WhoisStepError::Refused(refusal)),
                    None => Ok(answer),
                }
            })
            .await
            .map_err(|give_up| AskError::Whois(Arc::new(give_up)))?;
        Ok(Reply::answer(answer.body))
    }
}

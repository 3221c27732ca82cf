//! [`Retryable`]: what the gate needs to know about a failed request to
//! decide whether to ask again, slow the host down, and how long to wait.
//! Implemented here for the RDAP and WHOIS clients' errors, so neither
//! client depends on the scheduler.

use std::time::Duration;

use crate::rdap::FetchError;
use crate::whois::WhoisError;

/// A request error the gate can classify.
pub trait Retryable {
    /// Asking again later can succeed (a 5xx, a timeout, a reset, a 429).
    fn is_retryable(&self) -> bool;
    /// The server says we are asking too fast (a 429, a quota answer): the
    /// host's rate is lowered.
    fn is_rate_limited(&self) -> bool;
    /// How long the server asked us to wait (`Retry-After`), if it said.
    fn retry_after(&self) -> Option<Duration>;
}

impl Retryable for FetchError {
    fn is_retryable(&self) -> bool {
        FetchError::is_retryable(self)
    }

    fn is_rate_limited(&self) -> bool {
        FetchError::is_rate_limited(self)
    }

    fn retry_after(&self) -> Option<Duration> {
        FetchError::retry_after(self)
    }
}

impl Retryable for WhoisError {
    fn is_retryable(&self) -> bool {
        WhoisError::is_retryable(self)
    }

    fn is_rate_limited(&self) -> bool {
        WhoisError::is_rate_limited(self)
    }

    /// Port 43 has no way to say when to come back.
    fn retry_after(&self) -> Option<Duration> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whois::ServerAddress;

    fn classify(error: &impl Retryable) -> (bool, bool, Option<Duration>) {
        (
            error.is_retryable(),
            error.is_rate_limited(),
            error.retry_after(),
        )
    }

    #[test]
    fn rdap_errors_classify_through_the_trait() {
        let limited = FetchError::RateLimited {
            url: "https://rdap.example/domain/x".into(),
            retry_after: Some(Duration::from_secs(7)),
            excerpt: String::new(),
        };
        assert_eq!(
            classify(&limited),
            (true, true, Some(Duration::from_secs(7)))
        );
        let gone = FetchError::Status {
            url: "https://rdap.example/domain/x".into(),
            status: 410,
            excerpt: String::new(),
        };
        assert_eq!(classify(&gone), (false, false, None));
    }

    #[test]
    fn whois_errors_classify_through_the_trait() {
        let server = ServerAddress::new("whois.example", 43).expect("valid server");
        let hung_up = WhoisError::EmptyAnswer {
            server: server.clone(),
        };
        assert_eq!(classify(&hung_up), (true, true, None));
        let too_large = WhoisError::TooLarge {
            server,
            limit: 10,
            bytes_read: 11,
        };
        assert_eq!(classify(&too_large), (false, false, None));
    }
}

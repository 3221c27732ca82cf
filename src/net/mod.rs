//! Network safety shared by every transport (RDAP over HTTPS, WHOIS over
//! TCP): which addresses may be reached ([`address`]) and name resolution
//! that enforces it ([`resolve`]), and the deadlines every exchange runs
//! against ([`deadline`]). No protocol knowledge lives here.

pub mod address;
pub mod resolve;

use std::time::{Duration, Instant};

pub use address::{AddressClass, AddressPolicy, Refusal, names_this_machine};

/// Longer than any run: what a timeout too large for the clock stands for.
const FOREVER: Duration = Duration::from_secs(100 * 365 * 24 * 60 * 60);

/// The instant `timeout` after `start`. A timeout too large for the clock
/// (a library caller's `Duration::MAX`) means "no deadline", never a panic.
pub fn deadline(start: Instant, timeout: Duration) -> Instant {
    start
        .checked_add(timeout)
        .or_else(|| start.checked_add(FOREVER))
        .unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_too_far_for_the_clock_is_far_not_a_panic() {
        let now = Instant::now();
        assert!(deadline(now, Duration::MAX) > now + Duration::from_secs(3_600));
        assert_eq!(
            deadline(now, Duration::from_secs(5)),
            now + Duration::from_secs(5)
        );
    }
}

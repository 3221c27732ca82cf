//! `Adaptive`: one host's current rate, found and kept under the server's
//! limit from its "too many requests" answers.
//!
//! Every 429 costs the whole host a `Retry-After` pause, so the rule aims to
//! find the limit with few refusals and then stay just under it:
//!
//! - **Slow start** (discovery only, when a host's limit is unknown and the
//!   run allows climbing past the default): the rate doubles each time a
//!   few requests in a row succeed at it, until the first refusal or the
//!   ceiling.
//! - **Bisection**: a refusal marks the rate as too fast and falls back to
//!   the last rate that held (or, when the refused rate had held, to three
//!   quarters of it: the limit is lower). After a step's successes (at least
//!   `recover_after`, and half a second's worth) the rate
//!   probes halfway to the lowest refused rate, and stops probing once the
//!   two are within 10%. Long after, it probes the refused rate once more,
//!   in case the limit rose, waiting twice as long after each failed probe.
//! - **Bursts**: a host allowed a burst loses it for good at its first
//!   refusal, before its rate is touched: the burst may be all it minded.
//!
//! Each change starts a new generation, and only answers to requests sent
//! in the current generation count: the many requests in flight when a host
//! starts refusing lower the rate once, not once each, and successes of
//! requests sent at an older rate prove nothing about the new one. Pure
//! arithmetic; the host module applies the result to its bucket.

use super::rate::Rate;

/// A refused rate that was not a probe above one that held is cut to this
/// fraction of itself: gentler than TCP's half, because a registry's limit
/// is usually just below it and every step back up costs a refusal.
const DECREASE: f64 = 0.75;
/// Probing stops when the refused rate is within this factor of one that holds.
const CLOSE_ENOUGH: f64 = 1.1;
/// Successes at a settled rate before the refused rate is tried again.
const FIRST_REPROBE: u32 = 500;
/// Slow start doubles after this many successes, or a fifth of a second's
/// worth at the current rate if more: enough to get past a server's burst
/// allowance, so that a rate that merely fits the burst does not pass.
const SLOW_START_SUCCESSES: u32 = 4;

/// How the rate adapts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdaptConfig {
    /// Successes in a row (in one generation) before a higher rate is tried.
    pub recover_after: u32,
    /// The rate never drops below this (or the host's own rate, if slower).
    pub floor: Rate,
}

impl Default for AdaptConfig {
    /// A higher rate after 10 successes; never below one request in 10 s.
    fn default() -> Self {
        AdaptConfig {
            recover_after: 10,
            floor: Rate::every_millis(10_000, 1),
        }
    }
}

/// A host's adaptive rate.
#[derive(Debug, Clone)]
pub(crate) struct Adaptive {
    config: AdaptConfig,
    start: Rate,
    ceiling: Rate,
    rate: Rate,
    generation: u64,
    successes: u32,
    /// Doubling towards the ceiling: nothing refused yet.
    slow_start: bool,
    /// The fastest rate that held for a whole step since the last refusal.
    held: Option<Rate>,
    /// The slowest rate refused, until a probe past it holds.
    refused: Option<Rate>,
    /// Successes at a settled rate before probing the refused rate again.
    reprobe_after: u32,
}

impl Adaptive {
    /// Starts at `start`; climbs up to `ceiling` (at least `start`).
    pub(crate) fn new(config: AdaptConfig, start: Rate, ceiling: Rate) -> Adaptive {
        let ceiling = if faster(ceiling, start) {
            ceiling.with_burst(start.burst())
        } else {
            start
        };
        Adaptive {
            config,
            start,
            ceiling,
            rate: start,
            generation: 0,
            successes: 0,
            slow_start: faster(ceiling, start),
            held: None,
            refused: None,
            reprobe_after: FIRST_REPROBE,
        }
    }

    pub(crate) fn rate(&self) -> Rate {
        self.rate
    }

    pub(crate) fn ceiling(&self) -> Rate {
        self.ceiling
    }

    /// The generation a request admitted now belongs to.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// A request of `generation` was refused as too fast. Returns the new
    /// rate when this changes it.
    pub(crate) fn rate_limited(&mut self, generation: u64) -> Option<Rate> {
        if generation != self.generation {
            return None;
        }
        self.successes = 0;
        if self.rate.burst() > 1 {
            return Some(self.change(self.rate.with_burst(1)));
        }
        self.slow_start = false;
        self.refused = Some(self.rate);
        let fallback = match self.held {
            // A probe above what held: back to what held.
            Some(held) if faster(self.rate, held) => held,
            // The rate that held (or the first) is refused: the limit is lower.
            _ => self.rate.scaled(DECREASE),
        };
        self.held = None;
        let lowered = if faster(fallback, self.floor()) {
            fallback
        } else {
            self.floor()
        };
        (lowered != self.rate).then(|| self.change(lowered))
    }

    /// A request of `generation` succeeded. Returns the new rate when this
    /// completes a step up.
    pub(crate) fn succeeded(&mut self, generation: u64) -> Option<Rate> {
        if generation != self.generation {
            return None;
        }
        self.successes += 1;
        if self.slow_start {
            let needed = SLOW_START_SUCCESSES.max((self.per_second() / 5.0).ceil() as u32);
            if self.successes < needed {
                return None;
            }
            self.held = Some(self.rate);
            return self.step_to(self.rate.scaled(2.0));
        }
        // Half a second's worth, so a server's burst allowance cannot hide
        // a rate a little over its limit.
        let needed = self
            .config
            .recover_after
            .max((self.per_second() / 2.0).ceil() as u32);
        if self.successes < needed {
            return None;
        }
        self.held = Some(self.rate);
        match self.refused {
            // A probe past the old limit held: climb as in slow start.
            None => self.step_to(self.rate.scaled(2.0)),
            Some(refused) if !close_enough(refused, self.rate) => {
                let halfway = (refused.requests_per_second() + self.per_second()) / 2.0;
                self.step_to(self.rate.scaled(halfway / self.per_second()))
            }
            Some(refused) if self.successes >= self.reprobe_after => {
                self.reprobe_after = self.reprobe_after.saturating_mul(2);
                self.refused = None;
                self.step_to(refused)
            }
            Some(_) => None,
        }
    }

    /// Moves up to `target`, or to the ceiling if that is slower.
    fn step_to(&mut self, target: Rate) -> Option<Rate> {
        let target = if faster(target, self.ceiling) {
            self.slow_start = false;
            self.ceiling
        } else {
            target
        };
        if !faster(target, self.rate) {
            return None;
        }
        // A burst once refused stays off.
        Some(self.change(target.with_burst(self.rate.burst())))
    }

    fn floor(&self) -> Rate {
        let floor = if faster(self.start, self.config.floor) {
            self.config.floor
        } else {
            self.start
        };
        floor.with_burst(1)
    }

    fn per_second(&self) -> f64 {
        self.rate.requests_per_second()
    }

    fn change(&mut self, rate: Rate) -> Rate {
        self.rate = rate;
        self.generation += 1;
        self.successes = 0;
        rate
    }
}

/// `refused` is so little faster than `held` that probing between is not worth a refusal.
fn close_enough(refused: Rate, held: Rate) -> bool {
    // A hair over the factor, so that rounding of intervals does not decide.
    refused.requests_per_second() <= held.requests_per_second() * CLOSE_ENOUGH * 1.0001
}

/// `a` sends more requests a second than `b`.
fn faster(a: Rate, b: Rate) -> bool {
    a.interval() < b.interval()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(per_second: f64) -> Rate {
        Rate::per_second(per_second).expect("valid rate")
    }

    fn per_second(rate: Rate) -> f64 {
        (rate.requests_per_second() * 1000.0).round() / 1000.0
    }

    /// Feeds `count` successes of the current generation; the rates it moved to.
    fn succeed(host: &mut Adaptive, count: usize) -> Vec<f64> {
        (0..count)
            .filter_map(|_| host.succeeded(host.generation()))
            .map(per_second)
            .collect()
    }

    fn refuse(host: &mut Adaptive) -> Option<f64> {
        host.rate_limited(host.generation()).map(per_second)
    }

    #[test]
    fn a_burst_is_dropped_before_the_rate() {
        let mut host = Adaptive::new(AdaptConfig::default(), rate(20.0).with_burst(4), rate(20.0));
        let first = host.generation();
        let unbursted = host.rate_limited(first).expect("drops the burst");
        assert_eq!((per_second(unbursted), unbursted.burst()), (20.0, 1));
        // Other requests of the same (old) generation refused too: no change.
        assert_eq!(host.rate_limited(first), None);
        let cut = host.rate_limited(host.generation()).expect("cuts the rate");
        assert_eq!((per_second(cut), cut.burst()), (15.0, 1));
    }

    #[test]
    fn a_known_host_bisects_back_up_to_just_under_what_it_refused() {
        let mut host = Adaptive::new(AdaptConfig::default(), rate(20.0), rate(20.0));
        let first = host.generation();
        assert_eq!(host.rate_limited(first).map(per_second), Some(15.0));
        assert_eq!(host.rate_limited(first), None, "once per generation");
        // A success from before the cut does not count.
        assert_eq!(host.succeeded(first), None);
        // Halfway to the refused 20/s after each 10 successes, until within 10%.
        assert_eq!(succeed(&mut host, 20), [17.5, 18.75]);
        // A refused probe falls back to the rate that held.
        assert_eq!(refuse(&mut host), Some(17.5));
        assert_eq!(succeed(&mut host, 100), Vec::<f64>::new());
    }

    #[test]
    fn a_settled_host_tries_the_refused_rate_again_ever_more_rarely() {
        let mut host = Adaptive::new(AdaptConfig::default(), rate(10.0), rate(10.0));
        assert_eq!(refuse(&mut host), Some(7.5));
        assert_eq!(succeed(&mut host, 20), [8.75, 9.375]);
        let first = FIRST_REPROBE as usize;
        assert_eq!(succeed(&mut host, first - 1), Vec::<f64>::new());
        assert_eq!(succeed(&mut host, 1), [10.0]);
        // Refused again: back, and twice as long before the next try.
        assert_eq!(refuse(&mut host), Some(9.375));
        assert_eq!(succeed(&mut host, 2 * first - 1), Vec::<f64>::new());
        assert_eq!(succeed(&mut host, 1), [10.0]);
        // Never past the ceiling.
        assert_eq!(succeed(&mut host, 500), Vec::<f64>::new());
    }

    #[test]
    fn discovery_doubles_until_refused_then_bisects() {
        let mut host = Adaptive::new(AdaptConfig::default(), rate(5.0), rate(100.0));
        // 4 successes a step, or a fifth of a second's worth.
        assert_eq!(succeed(&mut host, 4 + 4 + 4 + 8), [10.0, 20.0, 40.0, 80.0]);
        // The limit is 50/s: 80 is refused, 40 held.
        assert_eq!(refuse(&mut host), Some(40.0));
        // Each probe waits for half a second's worth of successes.
        assert_eq!(succeed(&mut host, 20), [60.0]);
        assert_eq!(refuse(&mut host), Some(40.0));
        assert_eq!(succeed(&mut host, 20 + 25), [50.0, 55.0]);
        assert_eq!(refuse(&mut host), Some(50.0));
        // 55 is within 10% of 50: settled.
        assert_eq!(succeed(&mut host, 200), Vec::<f64>::new());
    }

    #[test]
    fn discovery_stops_at_the_ceiling() {
        let mut host = Adaptive::new(AdaptConfig::default(), rate(5.0), rate(12.0));
        assert_eq!(succeed(&mut host, 100), [10.0, 12.0]);
    }

    #[test]
    fn a_lowered_limit_cuts_a_rate_that_had_held() {
        let mut host = Adaptive::new(AdaptConfig::default(), rate(5.0), rate(100.0));
        assert_eq!(succeed(&mut host, 4), [10.0]);
        assert_eq!(refuse(&mut host), Some(5.0));
        assert_eq!(succeed(&mut host, 10), [7.5]);
        assert_eq!(refuse(&mut host), Some(5.0));
        // 5/s had held, and now it is refused: the limit moved below it.
        assert_eq!(refuse(&mut host), Some(3.75));
    }

    #[test]
    fn never_drops_below_the_floor() {
        let config = AdaptConfig {
            floor: rate(1.0),
            ..AdaptConfig::default()
        };
        let mut host = Adaptive::new(config, rate(5.0), rate(5.0));
        let rates: Vec<f64> = (0..8).filter_map(|_| refuse(&mut host)).collect();
        assert_eq!(rates, [3.75, 2.812, 2.109, 1.582, 1.187, 1.0]);
    }

    #[test]
    fn a_host_slower_than_the_floor_stays_put() {
        let mut host = Adaptive::new(AdaptConfig::default(), rate(0.05), rate(0.05));
        assert_eq!(host.rate_limited(host.generation()), None);
        assert_eq!(per_second(host.rate()), 0.05);
    }
}

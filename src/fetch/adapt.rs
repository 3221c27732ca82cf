//! `Adaptive`: one host's current rate under additive increase and
//! multiplicative decrease (the rule TCP uses for its congestion window).
//!
//! A "too many requests" answer halves the rate, down to a floor; a run of
//! successes adds a tenth of the ceiling back, up to the ceiling. The rate
//! a host refused is remembered: recovery stops at 90% of it and only
//! probes past it after ten times as many successes, so a host whose limit
//! is below the ceiling is not pushed into refusing every few seconds. Each
//! change starts a new generation, and only answers to requests sent in the
//! current generation count: the many requests in flight when a host starts
//! refusing halve the rate once, not once each, and successes of requests
//! sent at an older rate do not speed up the new one. Pure arithmetic; the
//! host module applies the result to its limiter.

use super::rate::Rate;

/// Recovery stops at this fraction of the rate the host last refused...
const PLATEAU: f64 = 0.9;
/// ...for this many times `recover_after` successes before probing past it.
const PROBE_PATIENCE: u32 = 10;

/// How the rate adapts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdaptConfig {
    /// Successes in a row (in one generation) before the rate goes up a step.
    pub recover_after: u32,
    /// Each step up adds this fraction of the ceiling.
    pub step: f64,
    /// The rate never drops below this (or the host's own rate, if slower).
    pub floor: Rate,
}

impl Default for AdaptConfig {
    /// Up a tenth of the ceiling after 10 successes; never below one request in 10 s.
    fn default() -> Self {
        AdaptConfig {
            recover_after: 10,
            step: 0.1,
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
    /// The rate the host last refused, until a probe goes past it.
    refused_at: Option<Rate>,
}

impl Adaptive {
    /// Starts at `start`; recovers up to `ceiling` (at least `start`).
    pub(crate) fn new(config: AdaptConfig, start: Rate, ceiling: Rate) -> Adaptive {
        let ceiling = if ceiling.interval() < start.interval() {
            ceiling
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
            refused_at: None,
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
    /// rate when this halves it.
    pub(crate) fn rate_limited(&mut self, generation: u64) -> Option<Rate> {
        if generation != self.generation {
            return None;
        }
        let floor = if self.config.floor.interval() > self.start.interval() {
            self.config.floor
        } else {
            self.start
        };
        self.refused_at = Some(self.rate);
        let halved = self.rate.scaled(0.5);
        let lowered = if halved.interval() > floor.interval() {
            floor
        } else {
            halved
        };
        self.successes = 0;
        if lowered.interval() == self.rate.interval() {
            return None;
        }
        // Below its starting rate a host gets no bursts: it has shown it minds them.
        Some(self.change(lowered.with_burst(1)))
    }

    /// A request of `generation` succeeded. Returns the new rate when this
    /// completes a step up.
    pub(crate) fn succeeded(&mut self, generation: u64) -> Option<Rate> {
        if generation != self.generation || self.rate.interval() <= self.ceiling.interval() {
            return None;
        }
        self.successes += 1;
        if self.successes < self.config.recover_after {
            return None;
        }
        let current = self.rate.requests_per_second();
        let ceiling = self.ceiling.requests_per_second();
        let mut target = current + ceiling * self.config.step;
        if let Some(refused) = self.refused_at {
            let plateau = refused.requests_per_second() * PLATEAU;
            if current < plateau * 0.999 {
                target = target.min(plateau);
            } else if self.successes < self.config.recover_after * PROBE_PATIENCE {
                return None;
            } else {
                // Long enough at the plateau: probe past the old limit.
                self.refused_at = None;
            }
        }
        let raised = self.rate.scaled(target / current);
        // Within rounding of the ceiling is the ceiling (with its burst).
        let raised = if target >= ceiling * 0.999 {
            self.ceiling
        } else if raised.interval() <= self.start.interval() {
            raised.with_burst(self.start.burst())
        } else {
            raised
        };
        Some(self.change(raised))
    }

    fn change(&mut self, rate: Rate) -> Rate {
        self.rate = rate;
        self.generation += 1;
        self.successes = 0;
        rate
    }
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

    #[test]
    fn halves_once_per_generation_then_recovers_in_steps() {
        let mut host = Adaptive::new(AdaptConfig::default(), rate(20.0).with_burst(4), rate(20.0));
        let first = host.generation();
        let lowered = host.rate_limited(first).expect("halves");
        assert_eq!(per_second(lowered), 10.0);
        assert_eq!(lowered.burst(), 1);
        // Other requests of the same (old) generation refused too: no second halving.
        assert_eq!(host.rate_limited(first), None);
        assert_eq!(per_second(host.rate()), 10.0);

        let second = host.generation();
        for _ in 0..9 {
            assert_eq!(host.succeeded(second), None);
        }
        // A success from before the halving does not count.
        assert_eq!(host.succeeded(first), None);
        let raised = host
            .succeeded(second)
            .expect("a step up after 10 successes");
        assert_eq!(per_second(raised), 12.0);

        // Up in steps to the plateau, 90% of the refused 20/s.
        let mut rates = Vec::new();
        for _ in 0..5 {
            let generation = host.generation();
            for _ in 0..10 {
                if let Some(raised) = host.succeeded(generation) {
                    rates.push(per_second(raised));
                }
            }
        }
        assert_eq!(rates, [14.0, 16.0, 18.0]);
        // A hundred successes at the plateau, then a probe back to the ceiling.
        let generation = host.generation();
        let probe: Vec<Rate> = (0..100)
            .filter_map(|_| host.succeeded(generation))
            .collect();
        assert_eq!(probe, [rate(20.0).with_burst(4)], "burst restored");
        let generation = host.generation();
        for _ in 0..500 {
            assert_eq!(host.succeeded(generation), None, "never above the ceiling");
        }
    }

    #[test]
    fn never_drops_below_the_floor() {
        let config = AdaptConfig {
            floor: rate(1.0),
            ..AdaptConfig::default()
        };
        let mut host = Adaptive::new(config, rate(5.0), rate(5.0));
        let mut rates = Vec::new();
        for _ in 0..6 {
            if let Some(lowered) = host.rate_limited(host.generation()) {
                rates.push(per_second(lowered));
            }
        }
        assert_eq!(rates, [2.5, 1.25, 1.0]);
    }

    #[test]
    fn a_host_slower_than_the_floor_stays_put() {
        let mut host = Adaptive::new(AdaptConfig::default(), rate(0.05), rate(0.05));
        assert_eq!(host.rate_limited(host.generation()), None);
        assert_eq!(per_second(host.rate()), 0.05);
    }

    #[test]
    fn a_discovery_ceiling_lets_the_rate_climb_past_the_start() {
        let mut host = Adaptive::new(AdaptConfig::default(), rate(5.0), rate(50.0));
        let generation = host.generation();
        let mut raised = None;
        for _ in 0..10 {
            raised = host.succeeded(generation);
        }
        assert_eq!(raised.map(per_second), Some(10.0));
        // Refused at 10/s: halved back to 5/s, and recovers to 9/s at most
        // until it has done well there for a while.
        let lowered = host.rate_limited(host.generation()).expect("halves");
        assert_eq!(per_second(lowered), 5.0);
        let generation = host.generation();
        let raised: Vec<f64> = (0..10)
            .filter_map(|_| host.succeeded(generation))
            .map(per_second)
            .collect();
        assert_eq!(raised, [9.0]);
    }
}

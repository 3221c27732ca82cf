//! Property: every state of a legal gTLD lifecycle, whatever the expiry,
//! the day the registrar deletes (D..D+45), the as-of day, the times of day,
//! whether the registrar's date is known, whether the name is locked and
//! whether the registry rolls its date back on deletion, is classified in
//! its phase (finding and [`Phase`]) and never raises a `phase-mismatch` or `status-conflict`.

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use domlife::lifecycle::Phase;
use domlife::reconcile::Code;
use proptest::prelude::*;

use super::build::{Case, record};

struct Lifecycle {
    expiry: DateTime<Utc>,
    /// The registrar deletes on D+grace+1.
    grace: u64,
    registrar_date: bool,
    locked: bool,
    rolls_back: bool,
}

impl Lifecycle {
    /// The case on D+offset at `hour`, and the phase code it must give.
    fn on(&self, offset: i64, hour: u32) -> (Case, Option<Code>) {
        let grace = i64::try_from(self.grace).unwrap_or(45);
        let renewed = self
            .expiry
            .checked_add_months(Months::new(12))
            .unwrap_or(self.expiry);
        let after_deletion = if self.rolls_back {
            self.expiry
        } else {
            renewed
        };
        let lock = if self.locked {
            ", clientTransferProhibited"
        } else {
            ""
        };
        let (statuses, expires, phase) = match offset {
            ..=0 => (format!("active{lock}"), self.expiry, None),
            _ if offset <= grace => (format!("autoRenewPeriod{lock}"), renewed, Some(Code::Grace)),
            _ if offset <= grace + 30 => (
                "pendingDelete, redemptionPeriod".to_owned(),
                after_deletion,
                Some(Code::Redemption),
            ),
            _ if offset <= grace + 35 => (
                "pendingDelete".to_owned(),
                after_deletion,
                Some(Code::PendingDelete),
            ),
            _ => (String::new(), after_deletion, Some(Code::NotRegistered)),
        };
        // `ok` stands alone: a lock replaces it.
        let statuses = if self.locked && offset <= 0 {
            "clientTransferProhibited".to_owned()
        } else {
            statuses
        };
        let day = self.expiry.date_naive();
        let as_of_day = if offset >= 0 {
            day.checked_add_days(Days::new(offset.unsigned_abs()))
        } else {
            day.checked_sub_days(Days::new(offset.unsigned_abs()))
        }
        .unwrap_or(day);
        let as_of = as_of_day
            .and_hms_opt(hour, 0, 0)
            .unwrap_or_default()
            .and_utc();
        let mut case = Case::new("lifecycle.com", "", "", "2000-01-01");
        case.as_of = as_of;
        case.record = record("lifecycle.com", &statuses);
        case.record.expires = Some(expires);
        case.record.registrar_expires = self.registrar_date.then_some(self.expiry);
        case.record.registered = offset <= grace + 35;
        (case, phase)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn a_legal_gtld_lifecycle_never_raises_a_mismatch(
        expiry_day in 0u64..4000,
        expiry_hour in 0u32..24,
        grace in 0u64..=45,
        offset in -45i64..=100,
        as_of_hour in 0u32..24,
        registrar_date: bool,
        locked: bool,
        rolls_back: bool,
    ) {
        let start = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default();
        let expiry = start
            .checked_add_days(Days::new(expiry_day))
            .unwrap_or(start)
            .and_hms_opt(expiry_hour, 0, 0)
            .unwrap_or_default()
            .and_utc();
        let lifecycle = Lifecycle { expiry, grace, registrar_date, locked, rolls_back };
        let (case, phase) = lifecycle.on(offset, as_of_hour);
        let assessment = case.assess();
        let expected_phase = match phase {
            None => Phase::Active,
            Some(Code::Grace) => Phase::Grace,
            Some(Code::Redemption) => Phase::Redemption,
            Some(Code::PendingDelete) => Phase::PendingDelete,
            Some(_) => Phase::Released,
        };
        prop_assert_eq!(&assessment.phases, &[expected_phase]);
        let findings = assessment.findings;
        let codes: Vec<Code> = findings.iter().map(|f| f.code).collect();
        prop_assert!(!codes.contains(&Code::PhaseMismatch), "{:#?}", findings);
        prop_assert!(!codes.contains(&Code::StatusConflict), "{:#?}", findings);
        let phases = [Code::Grace, Code::Redemption, Code::PendingDelete, Code::NotRegistered, Code::Expired];
        let shown: Vec<Code> = codes.iter().copied().filter(|c| phases.contains(c)).collect();
        prop_assert_eq!(shown, phase.into_iter().collect::<Vec<_>>(), "{:#?}", findings);
    }
}

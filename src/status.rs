//! The domain status vocabulary: EPP (RFC 5731, RFC 3915) and RDAP (RFC 8056
//! and the IANA "RDAP JSON values" registry) in one enum.
//!
//! Registries spell the same status many ways: `clientTransferProhibited`,
//! `client transfer prohibited`, `CLIENT-TRANSFER-PROHIBITED`, or with the
//! ICANN explanation URL appended. [`Status::parse`] folds all of them onto
//! one variant so that everything downstream (the lifecycle engine, the
//! audit) reasons about meanings, not spellings. A word with no known
//! meaning is kept verbatim in [`Status::Other`], never dropped: a registry
//! inventing a status is itself worth showing to the user.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One domain status, by meaning.
///
/// Serialised as its EPP name (`serverHold`), or verbatim for [`Status::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// EPP `ok`, RDAP `active`: no pending operation, no restriction.
    Ok,
    /// No delegation: the name has no nameservers in the zone.
    Inactive,
    ClientHold,
    ServerHold,
    ClientDeleteProhibited,
    ClientRenewProhibited,
    ClientTransferProhibited,
    ClientUpdateProhibited,
    ServerDeleteProhibited,
    ServerRenewProhibited,
    ServerTransferProhibited,
    ServerUpdateProhibited,
    PendingCreate,
    PendingDelete,
    PendingRenew,
    PendingTransfer,
    PendingUpdate,
    /// Add grace: the first days after creation, refundable.
    AddPeriod,
    /// The registry renewed the name at expiry; the registrar may still
    /// delete it within the auto-renew grace (45 days for gTLDs).
    AutoRenewPeriod,
    RenewPeriod,
    TransferPeriod,
    /// RGP: deleted, restorable for a fee; always with `pendingDelete`.
    RedemptionPeriod,
    /// RGP: a restore was requested; always with `pendingDelete`.
    PendingRestore,
    /// RDAP-only: changes are locked without saying by whom.
    Locked,
    /// RDAP-only prohibitions that do not say whether client or server set them.
    DeleteProhibited,
    RenewProhibited,
    TransferProhibited,
    UpdateProhibited,
    /// A status word with no known EPP or RDAP meaning, as the source wrote it
    /// (WHOIS readers prefix it with the TLD, e.g. `ru:NOT DELEGATED`).
    Other(String),
}

/// What a status is about; decides how the audit treats it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusKind {
    /// Registered, nothing pending.
    Normal,
    /// Withdrawn from DNS by the registrar, the registry or for lack of nameservers.
    Hold,
    /// A prohibition on delete, renew, transfer or update.
    Lock,
    /// A stage of the expiry and deletion lifecycle.
    Lifecycle,
    /// An operation awaiting completion.
    Transient,
    /// A refundable billing window after create, renew or transfer.
    BillingGrace,
    /// Not a status this crate knows.
    Unknown,
}

/// Every known variant with its EPP name and, where different, its RDAP name.
const NAMES: &[(Status, &str, &str)] = &[
    (Status::Ok, "ok", "active"),
    (Status::Inactive, "inactive", "inactive"),
    (Status::ClientHold, "clientHold", "client hold"),
    (Status::ServerHold, "serverHold", "server hold"),
    (
        Status::ClientDeleteProhibited,
        "clientDeleteProhibited",
        "client delete prohibited",
    ),
    (
        Status::ClientRenewProhibited,
        "clientRenewProhibited",
        "client renew prohibited",
    ),
    (
        Status::ClientTransferProhibited,
        "clientTransferProhibited",
        "client transfer prohibited",
    ),
    (
        Status::ClientUpdateProhibited,
        "clientUpdateProhibited",
        "client update prohibited",
    ),
    (
        Status::ServerDeleteProhibited,
        "serverDeleteProhibited",
        "server delete prohibited",
    ),
    (
        Status::ServerRenewProhibited,
        "serverRenewProhibited",
        "server renew prohibited",
    ),
    (
        Status::ServerTransferProhibited,
        "serverTransferProhibited",
        "server transfer prohibited",
    ),
    (
        Status::ServerUpdateProhibited,
        "serverUpdateProhibited",
        "server update prohibited",
    ),
    (Status::PendingCreate, "pendingCreate", "pending create"),
    (Status::PendingDelete, "pendingDelete", "pending delete"),
    (Status::PendingRenew, "pendingRenew", "pending renew"),
    (
        Status::PendingTransfer,
        "pendingTransfer",
        "pending transfer",
    ),
    (Status::PendingUpdate, "pendingUpdate", "pending update"),
    (Status::AddPeriod, "addPeriod", "add period"),
    (
        Status::AutoRenewPeriod,
        "autoRenewPeriod",
        "auto renew period",
    ),
    (Status::RenewPeriod, "renewPeriod", "renew period"),
    (Status::TransferPeriod, "transferPeriod", "transfer period"),
    (
        Status::RedemptionPeriod,
        "redemptionPeriod",
        "redemption period",
    ),
    (Status::PendingRestore, "pendingRestore", "pending restore"),
    (Status::Locked, "locked", "locked"),
    (
        Status::DeleteProhibited,
        "deleteProhibited",
        "delete prohibited",
    ),
    (
        Status::RenewProhibited,
        "renewProhibited",
        "renew prohibited",
    ),
    (
        Status::TransferProhibited,
        "transferProhibited",
        "transfer prohibited",
    ),
    (
        Status::UpdateProhibited,
        "updateProhibited",
        "update prohibited",
    ),
];

/// Spellings that are not a case/space variant of the EPP or RDAP name but
/// unambiguously mean the same thing (after [`fold`]).
const ALIASES: &[(&str, Status)] = &[
    ("redemption", Status::RedemptionPeriod),
    ("rgpredemptionperiod", Status::RedemptionPeriod),
    ("rgppendingrestore", Status::PendingRestore),
    ("autorenewgraceperiod", Status::AutoRenewPeriod),
    ("addgraceperiod", Status::AddPeriod),
];

impl Status {
    /// Reads one status as any registry writes it. Never fails: an unknown
    /// word becomes [`Status::Other`] with the text trimmed and the ICANN
    /// explanation URL removed.
    pub fn parse(text: &str) -> Status {
        let word = strip_explanation(text);
        let key = fold(word);
        if let Some((status, _, _)) = NAMES
            .iter()
            .find(|(_, epp, rdap)| fold(epp) == key || fold(rdap) == key)
        {
            return status.clone();
        }
        if let Some((_, status)) = ALIASES.iter().find(|(alias, _)| *alias == key) {
            return status.clone();
        }
        Status::Other(word.to_string())
    }

    /// The EPP name (`clientHold`), or the verbatim text for [`Status::Other`].
    pub fn epp_name(&self) -> &str {
        self.names().0
    }

    /// Both names from [`NAMES`]; an unknown word is its own name in both.
    fn names(&self) -> (&str, &str) {
        match self {
            Status::Other(text) => (text, text),
            known => NAMES
                .iter()
                .find(|(status, _, _)| status == known)
                .map_or(("", ""), |(_, epp, rdap)| (epp, rdap)),
        }
    }

    pub fn kind(&self) -> StatusKind {
        use Status::*;
        match self {
            Ok => StatusKind::Normal,
            Inactive | ClientHold | ServerHold => StatusKind::Hold,
            ClientDeleteProhibited
            | ClientRenewProhibited
            | ClientTransferProhibited
            | ClientUpdateProhibited
            | ServerDeleteProhibited
            | ServerRenewProhibited
            | ServerTransferProhibited
            | ServerUpdateProhibited
            | Locked
            | DeleteProhibited
            | RenewProhibited
            | TransferProhibited
            | UpdateProhibited => StatusKind::Lock,
            PendingDelete | AutoRenewPeriod | RedemptionPeriod | PendingRestore => {
                StatusKind::Lifecycle
            }
            PendingCreate | PendingRenew | PendingTransfer | PendingUpdate => StatusKind::Transient,
            AddPeriod | RenewPeriod | TransferPeriod => StatusKind::BillingGrace,
            Other(_) => StatusKind::Unknown,
        }
    }

    /// True when this status by itself means the registry does not publish the
    /// name in DNS (RFC 5731 section 2.3; RFC 3915 for the RGP states).
    pub fn keeps_out_of_dns(&self) -> bool {
        matches!(
            self,
            Status::Inactive
                | Status::ClientHold
                | Status::ServerHold
                | Status::PendingDelete
                | Status::RedemptionPeriod
        )
    }

    /// True for a server-side (registry-set) prohibition.
    pub fn is_registry_lock(&self) -> bool {
        matches!(
            self,
            Status::ServerDeleteProhibited
                | Status::ServerRenewProhibited
                | Status::ServerTransferProhibited
                | Status::ServerUpdateProhibited
        )
    }

    /// True for any `pending*` operation (transient or lifecycle); the RDAP
    /// conformance rules allow at most one of them at a time.
    pub fn is_pending(&self) -> bool {
        matches!(
            self,
            Status::PendingCreate
                | Status::PendingDelete
                | Status::PendingRenew
                | Status::PendingTransfer
                | Status::PendingUpdate
                | Status::PendingRestore
        )
    }
}

/// Removes an explanation URL (`clientHold https://icann.org/epp#clientHold`,
/// `ok (https://...)`) and surrounding space.
fn strip_explanation(text: &str) -> &str {
    let text = text.trim();
    let cut = text
        .find("http://")
        .or_else(|| text.find("https://"))
        .unwrap_or(text.len());
    text[..cut].trim().trim_end_matches('(').trim()
}

/// Lower case with everything but letters and digits removed, so that
/// `clientHold`, `client hold` and `CLIENT_HOLD` compare equal.
fn fold(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.epp_name())
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.epp_name())
    }
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(Status::parse(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_status_folds_to_one_variant() {
        for text in [
            "clientTransferProhibited",
            "client transfer prohibited",
            "CLIENT TRANSFER PROHIBITED",
            "client-transfer-prohibited",
            "clientTransferProhibited https://icann.org/epp#clientTransferProhibited",
            "clientTransferProhibited (https://www.icann.org/epp#clientTransferProhibited)",
            "  clienttransferprohibited\t",
        ] {
            assert_eq!(
                Status::parse(text),
                Status::ClientTransferProhibited,
                "{text:?}"
            );
        }
    }

    #[test]
    fn rdap_active_is_epp_ok() {
        assert_eq!(Status::parse("active"), Status::Ok);
        assert_eq!(Status::parse("OK"), Status::Ok);
    }

    #[test]
    fn every_known_status_round_trips_through_both_names() {
        for (status, epp, rdap) in NAMES {
            assert_eq!(&Status::parse(epp), status);
            assert_eq!(&Status::parse(rdap), status);
            assert_eq!(status.epp_name(), *epp);
            assert_eq!(Status::parse(&status.to_string()), *status);
        }
    }

    #[test]
    fn unknown_words_are_kept_verbatim() {
        let status = Status::parse(" server recover prohibited ");
        assert_eq!(
            status,
            Status::Other("server recover prohibited".to_string())
        );
        assert_eq!(status.kind(), StatusKind::Unknown);
        assert_eq!(
            serde_json::to_string(&status).ok().as_deref(),
            Some("\"server recover prohibited\"")
        );
    }

    #[test]
    fn holds_and_deletion_states_keep_a_name_out_of_dns() {
        for status in [
            Status::ServerHold,
            Status::ClientHold,
            Status::Inactive,
            Status::PendingDelete,
            Status::RedemptionPeriod,
        ] {
            assert!(status.keeps_out_of_dns(), "{status}");
        }
        for status in [
            Status::Ok,
            Status::AutoRenewPeriod,
            Status::ClientTransferProhibited,
            Status::PendingTransfer,
        ] {
            assert!(!status.keeps_out_of_dns(), "{status}");
        }
    }

    #[test]
    fn kinds_follow_the_vocabulary_table() {
        assert_eq!(Status::parse("server hold").kind(), StatusKind::Hold);
        assert_eq!(Status::parse("locked").kind(), StatusKind::Lock);
        assert_eq!(
            Status::parse("redemptionPeriod").kind(),
            StatusKind::Lifecycle
        );
        assert_eq!(
            Status::parse("pending transfer").kind(),
            StatusKind::Transient
        );
        assert_eq!(Status::parse("add period").kind(), StatusKind::BillingGrace);
        assert_eq!(Status::parse("ok").kind(), StatusKind::Normal);
    }

    #[test]
    fn serde_uses_epp_names() {
        let json = serde_json::to_string(&vec![Status::ServerHold, Status::RedemptionPeriod]);
        assert_eq!(
            json.ok().as_deref(),
            Some(r#"["serverHold","redemptionPeriod"]"#)
        );
        let back: Result<Vec<Status>, _> = serde_json::from_str(r#"["server hold","redemption"]"#);
        assert_eq!(
            back.ok(),
            Some(vec![Status::ServerHold, Status::RedemptionPeriod])
        );
    }
}

//! Reading a timeline sheet: a CSV file (same separators, quoting, BOM and
//! CRLF as `check`'s lists) with a `domain` and an `expires` column and
//! optional `registrar`, `grace`, `redemption` and `pending_delete`
//! overrides per row.
//!
//! Rows of one TLD and registrar share one resolved policy: resolving is
//! most of a row's cost, and a sheet has few distinct pairs.

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::Arc;

use serde_json::value::RawValue;

use super::row::{Computed, TimelineRow};
use crate::audit::AsOf;
use crate::domain::normalize;
use crate::escape::printable;
use crate::input::{CsvItem, CsvTable, InputError, column};
use crate::lifecycle::{DayRange, Expiry, PolicyTable, ResolvedPolicy, Stage, Timeline};
use crate::record::Registrar;
use crate::run::date_input::{DateInput, parse_date};

/// Why a sheet cannot be read at all (a bad row is a refused row).
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    /// The file cannot be opened or read, or its header cannot be used
    /// (the message names the columns found).
    #[error(transparent)]
    Input(#[from] InputError),
}

/// Where each column is.
struct Columns {
    domain: usize,
    expires: usize,
    registrar: Option<usize>,
    overrides: Vec<(Stage, &'static str, usize)>,
}

impl Columns {
    fn from_header(names: &[String]) -> Result<Columns, String> {
        let required = |wanted: &str| -> Result<usize, String> {
            column(names, wanted)?.ok_or_else(|| {
                format!(
                    "the header has no {wanted} column (it has: {}); a timeline sheet needs \
                     domain and expires",
                    printable(&names.join(", "))
                )
            })
        };
        let mut overrides = Vec::new();
        for (stage, name) in [
            (Stage::Grace, "grace"),
            (Stage::Redemption, "redemption"),
            (Stage::PendingDelete, "pending_delete"),
        ] {
            if let Some(index) = column(names, name)? {
                overrides.push((stage, name, index));
            }
        }
        Ok(Columns {
            domain: required("domain")?,
            expires: required("expires")?,
            registrar: column(names, "registrar")?,
            overrides,
        })
    }
}

/// The rows of a sheet, computed as they are read.
pub struct TimelineRows<'p, R> {
    table: CsvTable<R>,
    columns: Option<Columns>,
    policies: &'p PolicyTable,
    as_of: AsOf,
    /// Resolved policies by TLD, then by `registrar` cell (`None`: no
    /// registrar), looked up without building a key per row.
    resolved: HashMap<String, ByRegistrar>,
}

/// The policies of one TLD.
#[derive(Default)]
struct ByRegistrar {
    without: Option<Policy>,
    with: HashMap<String, Policy>,
}

/// A resolved policy and its JSON, written once for all its rows.
#[derive(Clone)]
pub(super) struct Policy {
    pub(super) resolved: Arc<ResolvedPolicy>,
    pub(super) json: Arc<RawValue>,
}

impl Policy {
    fn new(resolved: ResolvedPolicy) -> Policy {
        // A policy is plain data: it always serialises.
        let json = serde_json::value::to_raw_value(&resolved)
            .map(Arc::from)
            .unwrap_or_else(|_| Arc::from(RawValue::NULL.to_owned()));
        Policy {
            resolved: Arc::new(resolved),
            json,
        }
    }
}

impl<'p, R: BufRead> TimelineRows<'p, R> {
    /// The rows of `reader` (named `file` in messages), computed with
    /// `policies` as of `as_of`.
    pub fn new(reader: R, file: String, policies: &'p PolicyTable, as_of: AsOf) -> Self {
        TimelineRows {
            table: CsvTable::new(reader, file),
            columns: None,
            policies,
            as_of,
            resolved: HashMap::new(),
        }
    }

    fn policy(&mut self, tld: &str, registrar: Option<&str>) -> Policy {
        let policies = self.policies;
        let resolve = || {
            let registrar = registrar.map(Registrar::from_input);
            Policy::new(policies.resolve(tld, registrar.as_ref()))
        };
        if !self.resolved.contains_key(tld) {
            self.resolved.insert(tld.to_owned(), ByRegistrar::default());
        }
        let Some(by_registrar) = self.resolved.get_mut(tld) else {
            return resolve();
        };
        match registrar {
            None => by_registrar.without.get_or_insert_with(resolve).clone(),
            Some(name) => match by_registrar.with.get(name) {
                Some(policy) => policy.clone(),
                None => {
                    let policy = resolve();
                    by_registrar.with.insert(name.to_owned(), policy.clone());
                    policy
                }
            },
        }
    }

    /// The computed row, or why it cannot be.
    fn compute(&mut self, line: usize, fields: &[String]) -> Result<Computed, String> {
        let Some(columns) = &self.columns else {
            return Err("no header".to_owned());
        };
        let cell = |index: usize| fields.get(index).map(String::as_str).unwrap_or_default();
        let written = cell(columns.domain);
        let name = normalize(written)
            .map_err(|error| format!("domain: {error}"))?
            .name;
        let expiry = match parse_date("expires", cell(columns.expires)) {
            Ok(DateInput::Day(day)) => Expiry::Day(day),
            Ok(DateInput::Instant(instant)) => Expiry::Instant(instant),
            Err(_) if cell(columns.expires).is_empty() => {
                return Err(
                    "expires: empty; give a date (YYYY-MM-DD) or an RFC 3339 date-time".to_owned(),
                );
            }
            Err(_) => {
                return Err(format!(
                    "expires: {} is not a date (YYYY-MM-DD) or an RFC 3339 date-time",
                    printable(cell(columns.expires))
                ));
            }
        };
        let registrar = columns
            .registrar
            .map(cell)
            .filter(|value| !value.is_empty())
            .map(str::to_owned);
        let mut overrides = Vec::new();
        for (stage, name, index) in &columns.overrides {
            let value = cell(*index);
            if !value.is_empty() {
                let days = DayRange::parse(value).map_err(|error| format!("{name}: {error}"))?;
                overrides.push((*stage, *name, days));
            }
        }
        let mut policy = self.policy(name.tld(), registrar.as_deref());
        if !overrides.is_empty() {
            let mut changed = (*policy.resolved).clone();
            for (stage, name, days) in overrides {
                let source = format!("the {name} column, line {line}");
                changed.override_stage_by(stage, days, source, "sheet");
            }
            policy = Policy::new(changed);
        }
        let timeline = Timeline::for_policy(expiry, &policy.resolved)
            .map_err(|error| format!("expires: {error}"))?;
        let phase_at = self.as_of.phase_on(&timeline);
        Ok(Computed {
            line,
            domain: written.trim().trim_end_matches('.').to_lowercase(),
            tld: name.tld().to_owned(),
            registrar,
            timeline,
            policy: policy.resolved,
            policy_json: policy.json,
            phase_at,
        })
    }
}

impl<R: BufRead> Iterator for TimelineRows<'_, R> {
    type Item = Result<TimelineRow, SheetError>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = match self.table.next()? {
            Ok(item) => item,
            Err(error) => return Some(Err(error.into())),
        };
        let refused = |line, text: &[u8], error| TimelineRow::Refused {
            line,
            input: printable(&String::from_utf8_lossy(text)).into_owned(),
            error,
        };
        Some(Ok(match item {
            CsvItem::Header { line, names } => match Columns::from_header(&names) {
                Ok(columns) => {
                    self.columns = Some(columns);
                    return self.next();
                }
                Err(reason) => {
                    self.table.stop();
                    return Some(Err(SheetError::Input(InputError::Header {
                        file: self.table.file().to_owned(),
                        line,
                        reason,
                    })));
                }
            },
            CsvItem::Bad { line, text, reason } => refused(line, &text, reason),
            CsvItem::Row { line, text, fields } => match self.compute(line, &fields) {
                Ok(computed) => TimelineRow::Computed(Box::new(computed)),
                Err(error) => refused(line, &text, error),
            },
        }))
    }
}

//! The built-in table of port-43 WHOIS servers and the way each one wants to
//! be asked.
//!
//! The table is `data/whois-servers.toml`, compiled into the binary. It maps
//! TLDs to a server and describes each server's dialect: the query template
//! (DENIC wants `-T dn,ace {name}`, JPRS `{name}/e`, Verisign `domain {name}`)
//! and, where known, the charset it answers in (a hint for the reader, which
//! does the decoding). Choosing among the table, the user's overrides and
//! IANA's referral is [`super::client`]'s job; this module only answers "what
//! does the table say".

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use serde::Deserialize;

use super::address::{ServerAddress, WHOIS_PORT};

const EMBEDDED_TABLE: &str = include_str!("../../data/whois-servers.toml");

/// What to send to a server: a line with `{name}` in it, CRLF added by the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTemplate {
    before: String,
    after: String,
}

impl QueryTemplate {
    /// The form nearly every server takes: the bare name.
    pub fn bare() -> Self {
        Self {
            before: String::new(),
            after: String::new(),
        }
    }

    /// Reads a template holding `{name}` exactly once and only printable ASCII around it.
    pub fn parse(template: &str) -> Result<Self, TableError> {
        let bad = |reason: &str| TableError::BadQuery {
            template: template.escape_debug().to_string(),
            reason: reason.to_owned(),
        };
        if !template.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
            return Err(bad("only printable ASCII is allowed"));
        }
        let (before, after) = template
            .split_once("{name}")
            .ok_or_else(|| bad("it has no {name}"))?;
        if after.contains("{name}") {
            return Err(bad("{name} appears more than once"));
        }
        Ok(Self {
            before: before.to_owned(),
            after: after.to_owned(),
        })
    }

    /// The query line for `name`, without the CRLF. The caller has already
    /// checked `name` (see `client::check_query_name`).
    pub fn render(&self, name: &str) -> String {
        format!("{}{name}{}", self.before, self.after)
    }
}

/// One server of the table: where it is and how it speaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSpec {
    pub address: ServerAddress,
    pub query: QueryTemplate,
    /// WHATWG label of the charset the answers come in, where known.
    pub charset: Option<String>,
}

/// TLD -> server, and server host -> dialect.
#[derive(Debug, Clone, Default)]
pub struct ServerTable {
    by_tld: HashMap<String, Arc<ServerSpec>>,
    by_host: HashMap<String, Arc<ServerSpec>>,
}

/// Why a server table could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// The file is not valid TOML or does not have the `[[server]]` shape
    /// described at the top of `data/whois-servers.toml`.
    #[error("the WHOIS server table is malformed: {message}")]
    Malformed { message: String },
    /// A `host` or `port` is not a valid server address; fix the entry.
    #[error("bad server {host:?} in the WHOIS server table: {reason}")]
    BadServer { host: String, reason: String },
    /// A TLD is not a lower-case A-label; write it as `xn--...`, without dots.
    #[error("bad TLD {tld:?} in the WHOIS server table")]
    BadTld { tld: String },
    /// Two entries claim the same TLD or the same host; keep one.
    #[error("{what} {key:?} appears twice in the WHOIS server table")]
    Duplicate { what: &'static str, key: String },
    /// A `query` template lacks `{name}`, repeats it, or holds control characters.
    #[error("bad query template {template:?}: {reason}")]
    BadQuery { template: String, reason: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    server: Vec<EntryFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    host: String,
    port: Option<u16>,
    tlds: Vec<String>,
    query: Option<String>,
    charset: Option<String>,
    /// Read so the file can carry explanations; not used at run time.
    #[serde(rename = "note")]
    _note: Option<String>,
}

static EMBEDDED: LazyLock<Arc<ServerTable>> = LazyLock::new(|| {
    // The embedded file is part of the source; `embedded_table_is_valid`
    // below fails the build's tests if an edit breaks it.
    Arc::new(
        ServerTable::from_toml(EMBEDDED_TABLE)
            .expect("data/whois-servers.toml is checked by the unit tests"),
    )
});

impl ServerTable {
    /// The table compiled into the binary.
    pub fn embedded() -> Arc<ServerTable> {
        Arc::clone(&EMBEDDED)
    }

    /// Reads a table in the format of `data/whois-servers.toml`.
    pub fn from_toml(text: &str) -> Result<Self, TableError> {
        let file: TableFile = toml::from_str(text).map_err(|error| TableError::Malformed {
            message: error.message().to_owned(),
        })?;
        let mut table = Self::default();
        for entry in file.server {
            table.add(entry)?;
        }
        Ok(table)
    }

    fn add(&mut self, entry: EntryFile) -> Result<(), TableError> {
        let address =
            ServerAddress::new(&entry.host, entry.port.unwrap_or(WHOIS_PORT)).map_err(|error| {
                TableError::BadServer {
                    host: entry.host.clone(),
                    reason: error.to_string(),
                }
            })?;
        let query = match &entry.query {
            Some(template) => QueryTemplate::parse(template)?,
            None => QueryTemplate::bare(),
        };
        let spec = Arc::new(ServerSpec {
            address,
            query,
            charset: entry.charset,
        });
        let host = spec.address.host().to_owned();
        if self
            .by_host
            .insert(host.clone(), Arc::clone(&spec))
            .is_some()
        {
            return Err(TableError::Duplicate {
                what: "host",
                key: host,
            });
        }
        for tld in entry.tlds {
            if !is_tld(&tld) {
                return Err(TableError::BadTld { tld });
            }
            if self.by_tld.insert(tld.clone(), Arc::clone(&spec)).is_some() {
                return Err(TableError::Duplicate {
                    what: "TLD",
                    key: tld,
                });
            }
        }
        Ok(())
    }

    /// The server listed for a TLD (lower case, A-label, no dot).
    pub fn for_tld(&self, tld: &str) -> Option<&ServerSpec> {
        self.by_tld.get(tld).map(Arc::as_ref)
    }

    /// The dialect of a server host, when the table lists that host.
    pub fn for_host(&self, host: &str) -> Option<&ServerSpec> {
        self.by_host.get(host).map(Arc::as_ref)
    }
}

/// A TLD as the table and the overrides write it: one lower-case LDH label.
pub(crate) fn is_tld(label: &str) -> bool {
    super::address::is_host_label(label) && !label.bytes().any(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[test]
    fn embedded_table_is_valid() {
        let table = ServerTable::from_toml(EMBEDDED_TABLE).unwrap();
        assert!(table.by_tld.len() > 40, "{:?}", table.by_tld.keys());
    }

    /// The TLDs lifecycle-facts.md lists as absent from the RDAP bootstrap.
    #[rstest]
    #[case("cn", "whois.cnnic.cn:43")]
    #[case("xn--fiqs8s", "whois.cnnic.cn:43")]
    #[case("de", "whois.denic.de:43")]
    #[case("ru", "whois.tcinet.ru:43")]
    #[case("xn--p1ai", "whois.tcinet.ru:43")]
    #[case("jp", "whois.jprs.jp:43")]
    #[case("eu", "whois.eu:43")]
    #[case("io", "whois.nic.io:43")]
    #[case("co", "whois.nic.co:43")]
    #[case("us", "whois.nic.us:43")]
    #[case("me", "whois.nic.me:43")]
    #[case("kr", "whois.kr:43")]
    #[case("hk", "whois.hkirc.hk:43")]
    #[case("it", "whois.nic.it:43")]
    #[case("es", "whois.nic.es:43")]
    #[case("ch", "whois.nic.ch:43")]
    #[case("at", "whois.nic.at:43")]
    #[case("be", "whois.dns.be:43")]
    #[case("se", "whois.iis.se:43")]
    #[case("mx", "whois.mx:43")]
    #[case("com", "whois.verisign-grs.com:43")]
    fn lists_the_tlds_without_rdap(#[case] tld: &str, #[case] server: &str) {
        let table = ServerTable::embedded();
        let spec = table.for_tld(tld).unwrap();
        assert_eq!(spec.address.to_string(), server);
    }

    #[rstest]
    #[case("whois.denic.de", "-T dn,ace example.de")]
    #[case("whois.jprs.jp", "example.de/e")]
    #[case("whois.verisign-grs.com", "domain example.de")]
    #[case("whois.cnnic.cn", "example.de")]
    #[case("whois.nic.ch", "example.de")]
    fn renders_each_servers_query_form(#[case] host: &str, #[case] line: &str) {
        let table = ServerTable::embedded();
        assert_eq!(
            table.for_host(host).unwrap().query.render("example.de"),
            line
        );
    }

    #[rstest]
    #[case("whois.jprs.jp", Some("iso-2022-jp"))]
    #[case("whois.kr", Some("utf-8"))]
    #[case("whois.denic.de", None)]
    fn knows_charsets_only_where_stated(#[case] host: &str, #[case] charset: Option<&str>) {
        let table = ServerTable::embedded();
        assert_eq!(table.for_host(host).unwrap().charset.as_deref(), charset);
    }

    #[test]
    fn unknown_tld_and_host_are_absent() {
        let table = ServerTable::embedded();
        assert!(table.for_tld("example").is_none());
        assert!(table.for_host("whois.example.net").is_none());
    }

    #[rstest]
    #[case("{name}", "x.de")]
    #[case("-T dn,ace {name}", "-T dn,ace x.de")]
    #[case("{name}/e", "x.de/e")]
    fn reads_query_templates(#[case] template: &str, #[case] line: &str) {
        assert_eq!(QueryTemplate::parse(template).unwrap().render("x.de"), line);
    }

    #[rstest]
    #[case("")]
    #[case("domain")]
    #[case("{name} {name}")]
    #[case("{name}\r\nextra")]
    #[case("\t{name}")]
    #[case("{name}é")]
    fn refuses_bad_query_templates(#[case] template: &str) {
        assert!(matches!(
            QueryTemplate::parse(template),
            Err(TableError::BadQuery { .. })
        ));
    }

    #[rstest]
    #[case(
        "[[server]]\nhost = \"a.example\"\ntlds = [\"x\"]\n[[server]]\nhost = \"b.example\"\ntlds = [\"x\"]\n"
    )]
    #[case(
        "[[server]]\nhost = \"a.example\"\ntlds = [\"x\"]\n[[server]]\nhost = \"a.example\"\ntlds = [\"y\"]\n"
    )]
    #[case("[[server]]\nhost = \"a example\"\ntlds = [\"x\"]\n")]
    #[case("[[server]]\nhost = \"a.example\"\ntlds = [\"X\"]\n")]
    #[case("[[server]]\nhost = \"a.example\"\ntlds = [\"co.uk\"]\n")]
    #[case("[[server]]\nhost = \"a.example\"\ntlds = [\"x\"]\nquery = \"nothing\"\n")]
    #[case("[[server]]\nhost = \"a.example\"\ntlds = [\"x\"]\nspeed = 3\n")]
    #[case("[[server]]\nhost = \"a.example\"\n")]
    fn refuses_bad_tables(#[case] text: &str) {
        assert!(ServerTable::from_toml(text).is_err(), "{text}");
    }
}

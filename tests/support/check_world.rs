//! A small world for `domlife check` end-to-end tests: the mock RDAP
//! registry (.com: google.com with its registrar, gone.com unregistered),
//! the mock WHOIS server (.cn: google.cn, expired in 2017; .de: google.de,
//! DENIC's answer with no expiry), a bootstrap file
//! pointing at the registry, and a temporary directory for lists, caches
//! and reports.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

use super::mock_whois::{self, MockWhois};
use super::{MockConfig, MockRegistry, Reply};

const VERISIGN: &str = "whoisit-recorded__verisign_google.com.json";
const MARKMONITOR: &str = "whoisit-recorded__markmonitor_google.com.json";

pub struct CheckWorld {
    pub dir: TempDir,
    pub bootstrap: PathBuf,
    pub registry: MockRegistry,
    pub whois: MockWhois,
}

impl CheckWorld {
    pub async fn start() -> CheckWorld {
        let registry = MockRegistry::start(
            MockConfig::new()
                .tld("com")
                .registry("google.com", Reply::fixture(VERISIGN))
                .registrar("google.com", Reply::fixture(MARKMONITOR))
                .rewrite("https://rdap.markmonitor.com/rdap/", "{base}/registrar/")
                .registry("gone.com", Reply::NotFound),
        )
        .await
        .expect("mock registry starts");
        let whois = MockWhois::builder()
            .reply(
                "google.cn",
                mock_whois::Reply::Text(mock_whois::whois_fixture(
                    "weppos__whois.cnnic.cn_cn_status_registered.txt",
                )),
            )
            .reply(
                "-T dn,ace google.de",
                mock_whois::Reply::Text(mock_whois::whois_fixture(
                    "weppos__whois.denic.de_de_status_registered.txt",
                )),
            )
            .start()
            .await;
        let dir = TempDir::new().expect("temp dir");
        let bootstrap = dir.path().join("dns.json");
        std::fs::write(&bootstrap, registry.bootstrap_json()).expect("writes bootstrap");
        CheckWorld {
            dir,
            bootstrap,
            registry,
            whois,
        }
    }

    /// A file in the world's directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a list (or any file) into the world's directory.
    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("writes file");
        path
    }

    /// What a test adds to a documented command line so that it reaches the
    /// mocks: loopback allowed, the mock bootstrap, the mock WHOIS server.
    pub fn test_flags(&self) -> Vec<String> {
        vec![
            "--allow-loopback".to_owned(),
            "--timeout".to_owned(),
            "2".to_owned(),
            "--bootstrap".to_owned(),
            path_text(&self.bootstrap),
            "--whois-server".to_owned(),
            self.whois.override_for("cn"),
            "--whois-server".to_owned(),
            self.whois.override_for("de"),
        ]
    }

    /// `domlife check` with the test flags, run in the world's directory,
    /// as of 2025-01-01; the caller adds lists and options.
    pub fn check(&self) -> Command {
        self.check_on("2025-01-01")
    }

    /// [`CheckWorld::check`] as of another date.
    pub fn check_on(&self, as_of: &str) -> Command {
        let mut command = Command::cargo_bin("domlife").expect("binary builds");
        command
            .current_dir(self.dir.path())
            .env("DOMLIFE_CACHE_DIR", self.dir.path())
            .args(["check", "--as-of", as_of])
            .args(self.test_flags());
        command
    }
}

/// A path as command-line text (the temp dirs used here are UTF-8).
pub fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

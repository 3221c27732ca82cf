//! The one lookup order against answer sources built here: a scripted
//! source standing for the network, the store in front of it, the store
//! alone (`--offline`) and a capture directory. No network: the scripted
//! source answers from fixtures, and the WHOIS client is never reached.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use super::*;
use crate::fetch::{GateConfig, GiveUp};
use crate::rdap::FetchError;
use crate::rdap::bootstrap::Origin;
use crate::store::{CachePolicy, Store};
use crate::whois::WhoisConfig;

const REGISTRY_URL: &str = "https://rdap.test/com/domain/google.com";
/// The `related` link in the Verisign fixture.
const REGISTRAR_URL: &str = "https://rdap.markmonitor.com/rdap/domain/GOOGLE.COM";

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/rdap")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn name(text: &str) -> DomainName {
    crate::domain::normalize(text).unwrap().name
}

/// Answers by server key; records every question asked.
#[derive(Debug, Default)]
struct Scripted {
    replies: HashMap<String, Result<Reply, AskError>>,
    asked: Mutex<Vec<String>>,
}

impl Scripted {
    fn google(registrar: Result<Reply, AskError>) -> Arc<Scripted> {
        let registry = Reply::answer(fixture("whoisit-recorded__verisign_google.com.json"));
        Arc::new(Scripted {
            replies: HashMap::from([
                (REGISTRY_URL.to_owned(), Ok(registry)),
                (REGISTRAR_URL.to_owned(), registrar),
            ]),
            asked: Mutex::default(),
        })
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

impl AnswerSource for Scripted {
    fn ask<'a>(
        &'a self,
        question: &'a Question,
    ) -> futures::future::BoxFuture<'a, Result<Reply, AskError>> {
        let key = question.server.key();
        self.asked.lock().unwrap().push(key.clone());
        let reply = self.replies.get(&key).cloned();
        Box::pin(async move { reply.unwrap_or_else(|| panic!("unscripted question to {key}")) })
    }
}

fn registries() -> Route {
    let bootstrap = Bootstrap::parse(
        br#"{"services": [[["com"], ["https://rdap.test/com/"]]]}"#,
        Origin::Embedded,
    )
    .unwrap();
    Route::Registries {
        bootstrap: Arc::new(bootstrap),
        whois: WhoisClient::new(WhoisConfig::default()),
        order: Order::RdapThenWhois,
    }
}

fn lookup(route: Route, source: Arc<dyn AnswerSource>) -> Lookup {
    Lookup {
        route,
        source,
        gate: Gate::new(GateConfig::default()),
        policies: Arc::new(PolicyTable::builtin().unwrap()),
    }
}

fn registrar_answer() -> Result<Reply, AskError> {
    Ok(Reply::answer(fixture(
        "whoisit-recorded__markmonitor_google.com.json",
    )))
}

fn outcomes(answer: &Answer) -> Vec<String> {
    answer
        .asked
        .iter()
        .map(|exchange| format!("{} {}", exchange.role, exchange.outcome))
        .collect()
}

#[tokio::test]
async fn the_registry_then_the_registrar_it_links_to() {
    let source = Scripted::google(registrar_answer());
    let answer = lookup(registries(), source.clone())
        .lookup(&name("google.com"))
        .await
        .unwrap();
    assert_eq!(source.asked(), [REGISTRY_URL, REGISTRAR_URL]);
    assert_eq!(
        outcomes(&answer),
        ["registry answered", "registrar answered"]
    );
    assert_eq!(answer.asked[0].server, "rdap.test");
    assert_eq!(answer.asked[0].url.as_deref(), Some(REGISTRY_URL));
    let view = answer.record.registrar_view.as_ref().unwrap();
    assert_eq!(view.error, None);
    assert_eq!(view.source.url.as_deref(), Some(REGISTRAR_URL));
    assert!(answer.record.registrar_expires.is_some());
}

#[tokio::test]
async fn a_registrar_that_times_out_is_a_timeout_on_the_record() {
    let timeout = AskError::Rdap(Arc::new(GiveUp::RetriesExhausted {
        attempts: 3,
        error: FetchError::Timeout {
            url: REGISTRAR_URL.to_owned(),
        },
    }));
    let source = Scripted::google(Err(timeout.clone()));
    let answer = lookup(registries(), source)
        .lookup(&name("google.com"))
        .await
        .unwrap();
    let error = answer.record.registrar_view.as_ref().unwrap().error.clone();
    let error = error.unwrap();
    assert!(error.is_timeout() && error.is_retryable(), "{error:?}");
    // The exchange keeps the typed error and prints the words it always did.
    let failed = &answer.asked[1].outcome;
    assert!(matches!(failed, ExchangeOutcome::Failed(error) if error.is_timeout()));
    let words = timeout.to_string();
    assert_eq!(failed.to_string(), words);
    let json = serde_json::to_value(&answer.asked[1]).unwrap();
    assert_eq!(json["outcome"], words.as_str());
    assert_eq!(error.message(), words);
}

#[tokio::test]
async fn a_registrar_404_is_not_found_on_the_record() {
    let source = Scripted::google(Ok(Reply::default()));
    let answer = lookup(registries(), source)
        .lookup(&name("google.com"))
        .await
        .unwrap();
    assert_eq!(
        outcomes(&answer),
        ["registry answered", "registrar not found"]
    );
    let error = answer.record.registrar_view.as_ref().unwrap().error.clone();
    assert!(error.is_some_and(|error| error.is_not_found()));
}

#[tokio::test]
async fn the_store_answers_what_it_holds_and_keeps_what_it_did_not() {
    let store = Store::in_memory().unwrap();
    let cache = Cache {
        store: store.clone(),
        policy: CachePolicy::default(),
    };
    let network = Scripted::google(registrar_answer());
    let cached: Arc<dyn AnswerSource> = Arc::new(StoreCache::new(cache, Some(network.clone())));
    let lookup = lookup(registries(), cached);
    let first = lookup.lookup(&name("google.com")).await.unwrap();
    let second = lookup.lookup(&name("google.com")).await.unwrap();
    assert_eq!(network.asked(), [REGISTRY_URL, REGISTRAR_URL], "asked once");
    assert_eq!(first.record, second.record);
    assert_eq!(outcomes(&second), outcomes(&first));
}

#[tokio::test]
async fn offline_the_store_alone_answers() {
    let cache = Cache {
        store: Store::in_memory().unwrap(),
        policy: CachePolicy::default(),
    };
    let offline: Arc<dyn AnswerSource> = Arc::new(StoreCache::new(cache, None));
    let error = lookup(registries(), offline)
        .lookup(&name("google.com"))
        .await
        .unwrap_err();
    assert!(error.is_not_in_store(), "{error}");
    assert!(!error.is_retryable());
}

fn capture(files: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, Lookup) {
    let directory = tempfile::tempdir().unwrap();
    for (relative, body) in files {
        let path = directory.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
    let dir = ReplayDir::open(directory.path()).unwrap();
    let lookup = lookup(Route::Capture(dir.clone()), Arc::new(Replay { dir }));
    (directory, lookup)
}

#[tokio::test]
async fn a_capture_replays_the_rdap_answers_it_holds_whatever_the_bootstrap() {
    let registry = fixture("whoisit-recorded__verisign_google.com.json");
    let registrar = fixture("whoisit-recorded__markmonitor_google.com.json");
    let (directory, lookup) = capture(&[
        ("rdap/google.com.json", registry),
        ("rdap/google.com.registrar.json", registrar),
        ("whois/google.com.txt", b"not read".to_vec()),
    ]);
    let answer = lookup.lookup(&name("google.com")).await.unwrap();
    assert_eq!(
        outcomes(&answer),
        ["registry replayed", "registrar replayed"]
    );
    let file = directory.path().join("rdap/google.com.json");
    assert_eq!(answer.asked[0].server, file.display().to_string());
    assert_eq!(answer.asked[0].url, None);
    assert_eq!(
        answer.record.source.server,
        Some(file.display().to_string())
    );
    assert!(answer.record.registrar_expires.is_some());
}

#[tokio::test]
async fn a_capture_without_rdap_replays_its_whois_answer() {
    let body = b"Domain Name: example.de\r\nStatus: connect\r\n".to_vec();
    let (directory, lookup) = capture(&[("whois/example.de.txt", body)]);
    let answer = lookup.lookup(&name("example.de")).await.unwrap();
    assert_eq!(outcomes(&answer), ["registry replayed"]);
    assert_eq!(answer.asked[0].protocol, Protocol::Whois);
    let file = directory.path().join("whois/example.de.txt");
    assert_eq!(
        answer.record.source.server,
        Some(file.display().to_string())
    );
}

#[tokio::test]
async fn a_name_the_capture_lacks_is_not_captured() {
    let (directory, lookup) = capture(&[]);
    let error = lookup.lookup(&name("example.com")).await.unwrap_err();
    assert!(error.is_not_captured(), "{error}");
    // The words the demo's report prints.
    assert_eq!(
        error.to_string(),
        format!(
            "example.com was not captured in {}",
            directory.path().display()
        )
    );
}

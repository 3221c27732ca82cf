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
use url::Url;

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

/// `fixture` with its own `ldhName` (the first one in the file) replaced.
fn about(file: &str, from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(fixture(file)).unwrap();
    let needle = format!("\"ldhName\": \"{from}\"");
    assert!(text.contains(&needle), "{file} has no {needle}");
    text.replacen(&needle, &format!("\"ldhName\": \"{to}\""), 1)
        .into_bytes()
}

fn scripted(replies: Vec<(&str, Result<Reply, AskError>)>) -> Arc<Scripted> {
    Arc::new(Scripted {
        replies: replies
            .into_iter()
            .map(|(key, reply)| (key.to_owned(), reply))
            .collect(),
        asked: Mutex::default(),
    })
}

// Issue #13: an answer about another name is refused, wherever it comes from.
#[tokio::test]
async fn a_registry_answer_about_another_name_is_refused_live_and_from_the_store() {
    let other = about(
        "whoisit-recorded__verisign_google.com.json",
        "GOOGLE.COM",
        "EVIL.COM",
    );
    let network = scripted(vec![(REGISTRY_URL, Ok(Reply::answer(other)))]);
    let cache = Cache {
        store: Store::in_memory().unwrap(),
        policy: CachePolicy::default(),
    };
    let cached: Arc<dyn AnswerSource> = Arc::new(StoreCache::new(cache, Some(network.clone())));
    let lookup = lookup(registries(), cached);
    for _ in 0..2 {
        let error = lookup.lookup(&name("google.com")).await.unwrap_err();
        assert!(error.is_other_name(), "{error}");
        assert!(!error.is_retryable());
        assert_eq!(
            error.to_string(),
            format!("the answer from {REGISTRY_URL} is about EVIL.COM, not google.com: not used")
        );
    }
    assert_eq!(
        network.asked(),
        [REGISTRY_URL],
        "the second came from the store"
    );
}

#[tokio::test]
async fn a_redirect_to_another_names_url_is_refused() {
    let landed = Url::parse("https://rdap.test/com/domain/evil.com").unwrap();
    let reply = Reply {
        body: Some(fixture("whoisit-recorded__verisign_google.com.json")),
        url: Some(landed),
        notes: Vec::new(),
    };
    let network = scripted(vec![(REGISTRY_URL, Ok(reply))]);
    let error = lookup(registries(), network)
        .lookup(&name("google.com"))
        .await
        .unwrap_err();
    assert!(error.is_other_name(), "{error}");
    assert!(
        error.to_string().contains("about evil.com, not google.com"),
        "{error}"
    );
}

#[tokio::test]
async fn a_redirect_that_ends_in_a_404_is_not_not_registered_and_is_not_kept() {
    let landed = Url::parse("https://elsewhere.test/domain/google.com").unwrap();
    let reply = Reply {
        body: None,
        url: Some(landed),
        notes: Vec::new(),
    };
    let network = scripted(vec![(REGISTRY_URL, Ok(reply))]);
    let cache = Cache {
        store: Store::in_memory().unwrap(),
        policy: CachePolicy::default(),
    };
    let cached: Arc<dyn AnswerSource> = Arc::new(StoreCache::new(cache, Some(network.clone())));
    let lookup = lookup(registries(), cached);
    for _ in 0..2 {
        let error = lookup.lookup(&name("google.com")).await.unwrap_err();
        assert!(error.is_redirected_not_found(), "{error}");
        assert!(
            error
                .to_string()
                .contains("https://elsewhere.test/domain/google.com"),
            "{error}"
        );
    }
    assert_eq!(network.asked(), [REGISTRY_URL, REGISTRY_URL], "never kept");
}

#[tokio::test]
async fn a_registrar_answer_about_another_name_drops_the_registrar_view_only() {
    let other = about(
        "whoisit-recorded__markmonitor_google.com.json",
        "google.com",
        "evil.com",
    );
    let source = Scripted::google(Ok(Reply::answer(other)));
    let answer = lookup(registries(), source)
        .lookup(&name("google.com"))
        .await
        .unwrap();
    assert!(answer.record.registered && answer.record.expires.is_some());
    let view = answer.record.registrar_view.as_ref().unwrap();
    let error = view.error.as_ref().unwrap();
    assert_eq!(error.kind(), RegistrarErrorKind::OtherName);
    assert_eq!(
        error.message(),
        "the registrar answered about evil.com, not google.com"
    );
    assert_eq!(answer.record.registrar_expires, None);
}

#[tokio::test]
async fn a_captured_whois_answer_about_another_name_is_refused() {
    let body = b"% Banner naming example.de\r\nDomain: other.de\r\nStatus: connect\r\n".to_vec();
    let (_directory, lookup) = capture(&[("whois/example.de.txt", body)]);
    let error = lookup.lookup(&name("example.de")).await.unwrap_err();
    assert!(error.is_other_name(), "{error}");
    assert!(
        error
            .to_string()
            .contains("is about other.de, not example.de"),
        "{error}"
    );
}

#[tokio::test]
async fn a_captured_whois_answer_naming_the_u_label_is_believed() {
    let body = "Domain: BÜCHER.de\nStatus: connect\n".as_bytes().to_vec();
    let (_directory, lookup) = capture(&[("whois/xn--bcher-kva.de.txt", body)]);
    let answer = lookup.lookup(&name("bücher.de")).await.unwrap();
    assert!(answer.record.registered);
}

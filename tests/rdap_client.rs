//! The RDAP client against the mock registry on 127.0.0.1: every outcome
//! the scheduler and the lookup rely on, the safety refusals (before any
//! connection), and the bootstrap file leading to the registry and, by the
//! rewritten `related` link, to the registrar.

pub mod support;

use std::time::{Duration, SystemTime};

use domlife::net::{AddressClass, AddressPolicy, Refusal};
use domlife::rdap::bootstrap::{Bootstrap, Origin};
use domlife::rdap::{Client, ClientConfig, Conditional, FetchError, Fetched, Validators};
use support::{MockConfig, MockRegistry, Reply};
use url::Url;

const VERISIGN: &str = "whoisit-recorded__verisign_google.com.json";
const MARKMONITOR: &str = "whoisit-recorded__markmonitor_google.com.json";

fn fixture_text(name: &str) -> String {
    match Reply::fixture(name) {
        Reply::Json(body) => body,
        other => panic!("fixture gave {other:?}"),
    }
}

fn local_client() -> Client {
    client(AddressPolicy::LOCAL)
}

fn client(policy: AddressPolicy) -> Client {
    Client::new(ClientConfig {
        policy,
        timeout: Duration::from_secs(2),
        max_body_bytes: 64 * 1024,
        ..ClientConfig::default()
    })
    .expect("client builds")
}

async fn mock(name: &str, reply: Reply) -> MockRegistry {
    MockRegistry::start(MockConfig::new().tld("com").registry(name, reply))
        .await
        .expect("mock starts")
}

async fn fetch_error(mock: &MockRegistry, client: &Client, name: &str) -> FetchError {
    match client.fetch(&mock.registry_url(name)).await {
        Ok(fetched) => panic!("expected an error, got {fetched:?}"),
        Err(error) => error,
    }
}

#[tokio::test]
async fn found_returns_body_and_final_url() {
    let mock = mock("google.com", Reply::fixture(VERISIGN)).await;
    let url = mock.registry_url("google.com");
    let Fetched::Document(document) = local_client().fetch(&url).await.expect("fetches") else {
        panic!("expected a document");
    };
    assert_eq!(document.url, url);
    assert_eq!(
        String::from_utf8_lossy(&document.body),
        fixture_text(VERISIGN)
    );
    assert_eq!(
        document.content_type.as_deref(),
        Some("application/rdap+json")
    );
}

#[tokio::test]
async fn not_found_is_an_outcome_not_an_error() {
    let mock = mock("google.com", Reply::fixture(VERISIGN)).await;
    let fetched = local_client()
        .fetch(&mock.registry_url("unregistered.com"))
        .await
        .expect("404 is not an error");
    assert!(fetched.is_not_found());
    assert_eq!(fetched.url(), &mock.registry_url("unregistered.com"));
}

#[tokio::test]
async fn rate_limited_keeps_retry_after_seconds() {
    let mock = mock(
        "busy.com",
        Reply::RateLimited {
            retry_after: "7".into(),
        },
    )
    .await;
    let error = fetch_error(&mock, &local_client(), "busy.com").await;
    assert!(error.is_rate_limited());
    assert!(error.is_retryable());
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(error.status(), Some(429));
}

#[tokio::test]
async fn rate_limited_keeps_retry_after_http_date() {
    let retry_at = SystemTime::now() + Duration::from_secs(120);
    let mock = mock(
        "busy.com",
        Reply::RateLimited {
            retry_after: httpdate::fmt_http_date(retry_at),
        },
    )
    .await;
    let error = fetch_error(&mock, &local_client(), "busy.com").await;
    assert!(error.is_rate_limited());
    // Measured against the response's Date header; both are whole seconds.
    let wait = error.retry_after().expect("a wait").as_secs();
    assert!((110..=120).contains(&wait), "waited {wait} s");
}

#[tokio::test]
async fn server_error_is_retryable_with_printable_evidence() {
    let mock = mock("broken.com", Reply::ServerError).await;
    let error = fetch_error(&mock, &local_client(), "broken.com").await;
    let FetchError::Server {
        status,
        excerpt,
        url,
        ..
    } = &error
    else {
        panic!("expected a server error, got {error:?}");
    };
    assert_eq!(*status, 500);
    assert_eq!(url, mock.registry_url("broken.com").as_str());
    assert_eq!(excerpt, "internal error [31mstack trace");
    assert!(error.is_retryable());
    assert!(!error.is_rate_limited());
}

#[tokio::test]
async fn slow_response_times_out() {
    let slow = Reply::Slow {
        delay: Duration::from_secs(60),
        then: Box::new(Reply::fixture(VERISIGN)),
    };
    let mock = mock("slow.com", slow).await;
    let client = Client::new(ClientConfig {
        policy: AddressPolicy::LOCAL,
        timeout: Duration::from_millis(300),
        ..ClientConfig::default()
    })
    .expect("client builds");
    let error = fetch_error(&mock, &client, "slow.com").await;
    assert!(matches!(error, FetchError::Timeout { .. }), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn deadline_covers_a_body_that_stalls() {
    let stalled = Reply::Stalled {
        sent: 100,
        stall: Duration::from_secs(60),
    };
    let mock = mock("stalled.com", stalled).await;
    let client = Client::new(ClientConfig {
        policy: AddressPolicy::LOCAL,
        timeout: Duration::from_millis(300),
        ..ClientConfig::default()
    })
    .expect("client builds");
    let error = fetch_error(&mock, &client, "stalled.com").await;
    assert!(matches!(error, FetchError::Timeout { .. }), "{error:?}");
}

#[tokio::test]
async fn connection_cut_mid_body_is_retryable() {
    let mock = mock("cut.com", Reply::Reset { sent: 100 }).await;
    let error = fetch_error(&mock, &local_client(), "cut.com").await;
    assert!(matches!(error, FetchError::Connection { .. }), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn oversized_body_is_refused_with_or_without_content_length() {
    for declare_length in [true, false] {
        let reply = Reply::Oversized {
            bytes: 1024 * 1024,
            declare_length,
        };
        let mock = mock("big.com", reply).await;
        let error = fetch_error(&mock, &local_client(), "big.com").await;
        assert!(
            matches!(error, FetchError::TooLarge { limit: 65536, .. }),
            "declare_length {declare_length}: {error:?}"
        );
        assert!(!error.is_retryable());
    }
}

#[tokio::test]
async fn invalid_json_is_delivered_as_bytes_for_the_parser_to_judge() {
    let mock = mock("garbled.com", Reply::InvalidJson).await;
    let Fetched::Document(document) = local_client()
        .fetch(&mock.registry_url("garbled.com"))
        .await
        .expect("fetches")
    else {
        panic!("expected a document");
    };
    assert!(serde_json::from_slice::<serde_json::Value>(&document.body).is_err());
}

#[tokio::test]
async fn gzip_body_is_decoded() {
    let mock = mock("google.com", Reply::Gzip(fixture_text(VERISIGN))).await;
    let Fetched::Document(document) = local_client()
        .fetch(&mock.registry_url("google.com"))
        .await
        .expect("fetches")
    else {
        panic!("expected a document");
    };
    assert_eq!(
        String::from_utf8_lossy(&document.body),
        fixture_text(VERISIGN)
    );
}

/// #18: reqwest's `charset` feature is gone; the client decodes a named
/// charset itself, so the reader and the store see UTF-8.
#[tokio::test]
async fn a_body_in_another_charset_is_delivered_as_utf8() {
    let json = r#"{"objectClassName":"domain","ldhName":"google.com","remarks":[{"description":["Société Générale, Zürich"]}]}"#;
    let (latin1, _, unmappable) = encoding_rs::WINDOWS_1252.encode(json);
    assert!(!unmappable);
    let reply = Reply::Labelled {
        body: latin1.into_owned(),
        content_type: "application/rdap+json; charset=ISO-8859-1",
    };
    let mock = mock("google.com", reply).await;
    let Fetched::Document(document) = local_client()
        .fetch(&mock.registry_url("google.com"))
        .await
        .expect("fetches")
    else {
        panic!("expected a document");
    };
    assert_eq!(String::from_utf8(document.body).as_deref(), Ok(json));
    assert_eq!(
        document.content_type.as_deref(),
        Some("application/rdap+json; charset=ISO-8859-1")
    );
}

#[tokio::test]
async fn redirect_to_a_private_address_is_refused_even_with_allow_loopback() {
    let redirect = Reply::Redirect {
        status: 302,
        location: "https://10.0.0.1/rdap/domain/moved.com".into(),
    };
    let mock = mock("moved.com", redirect).await;
    let error = fetch_error(&mock, &local_client(), "moved.com").await;
    let FetchError::Refused { url, via, reason } = &error else {
        panic!("expected a refusal, got {error:?}");
    };
    assert_eq!(url, "https://10.0.0.1/rdap/domain/moved.com");
    assert_eq!(
        via.as_deref(),
        Some(mock.registry_url("moved.com").as_str())
    );
    assert_eq!(
        *reason,
        Refusal::Address {
            ip: "10.0.0.1".parse().expect("literal"),
            class: AddressClass::Private
        }
    );
    assert!(!error.is_retryable());
    assert_eq!(mock.requests(), ["/registry/domain/moved.com"]);
}

#[tokio::test]
async fn redirect_to_another_scheme_is_refused() {
    let redirect = Reply::Redirect {
        status: 301,
        location: "ftp://127.0.0.1/domain/moved.com".into(),
    };
    let mock = mock("moved.com", redirect).await;
    let error = fetch_error(&mock, &local_client(), "moved.com").await;
    assert!(
        matches!(&error, FetchError::Refused { reason: Refusal::Scheme(scheme), .. } if scheme == "ftp"),
        "{error:?}"
    );
}

#[tokio::test]
async fn allowed_redirect_is_followed_to_the_final_url() {
    let config = MockConfig::new()
        .registry(
            "google.com",
            Reply::Redirect {
                status: 307,
                location: "{base}/registrar/domain/google.com".into(),
            },
        )
        .registrar("google.com", Reply::fixture(MARKMONITOR));
    let mock = MockRegistry::start(config).await.expect("mock starts");
    let fetched = local_client()
        .fetch(&mock.registry_url("google.com"))
        .await
        .expect("fetches");
    assert_eq!(fetched.url(), &mock.registrar_url("google.com"));
    assert!(!fetched.is_not_found());
}

#[tokio::test]
async fn redirect_loop_is_bounded() {
    let looping = Reply::Redirect {
        status: 302,
        // Relative, so joining against the current URL is exercised too.
        location: "/registry/domain/loop.com".into(),
    };
    let mock = mock("loop.com", looping).await;
    let error = fetch_error(&mock, &local_client(), "loop.com").await;
    assert!(
        matches!(error, FetchError::TooManyRedirects { limit: 5, .. }),
        "{error:?}"
    );
    // The first request and five followed redirects.
    assert_eq!(mock.requests().len(), 6);
}

#[tokio::test]
async fn strict_client_refuses_plain_http_before_connecting() {
    let mock = mock("google.com", Reply::fixture(VERISIGN)).await;
    let error = fetch_error(&mock, &client(AddressPolicy::STRICT), "google.com").await;
    assert!(
        matches!(
            error,
            FetchError::Refused {
                reason: Refusal::PlainHttp,
                via: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn strict_client_refuses_loopback_literal_and_loopback_names() {
    let mock = mock("google.com", Reply::fixture(VERISIGN)).await;
    let port = mock.registry_url("google.com").port().expect("mock port");
    let strict = client(AddressPolicy::STRICT);

    let literal = Url::parse(&format!(
        "https://127.0.0.1:{port}/registry/domain/google.com"
    ))
    .expect("url");
    let error = strict.fetch(&literal).await.expect_err("loopback literal");
    assert!(
        matches!(
            error,
            FetchError::Refused {
                reason: Refusal::Address {
                    class: AddressClass::Loopback,
                    ..
                },
                ..
            }
        ),
        "{error:?}"
    );

    // A host name is checked on what it resolves to, by the client's resolver.
    let named = Url::parse(&format!(
        "https://localhost:{port}/registry/domain/google.com"
    ))
    .expect("url");
    let error = strict
        .fetch(&named)
        .await
        .expect_err("localhost resolves to loopback");
    assert!(
        matches!(&error, FetchError::Refused { reason: Refusal::Resolved { host, .. }, .. } if host == "localhost"),
        "{error:?}"
    );
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn local_client_reaches_loopback_by_name() {
    let mock = mock("google.com", Reply::fixture(VERISIGN)).await;
    let port = mock.registry_url("google.com").port().expect("mock port");
    let named = Url::parse(&format!(
        "http://localhost:{port}/registry/domain/google.com"
    ))
    .expect("url");
    let fetched = local_client().fetch(&named).await.expect("fetches");
    assert!(matches!(fetched, Fetched::Document(_)));
}

#[tokio::test]
async fn refused_connection_is_retryable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    let url = Url::parse(&format!("http://127.0.0.1:{port}/domain/x.com")).expect("url");
    let error = local_client()
        .fetch(&url)
        .await
        .expect_err("nobody listens");
    assert!(matches!(error, FetchError::Connection { .. }), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn conditional_fetch_gets_not_modified_for_the_current_etag() {
    let mock = mock("google.com", Reply::fixture(VERISIGN)).await;
    let url = Url::parse(&mock.bootstrap_url()).expect("url");
    let client = local_client();
    let Conditional::Modified(document) = client
        .fetch_if_modified(&url, &Validators::default())
        .await
        .expect("fetches")
    else {
        panic!("expected the file");
    };
    let validators = Validators {
        etag: document.etag.clone(),
        last_modified: None,
    };
    assert!(validators.etag.is_some());
    let again = client
        .fetch_if_modified(&url, &validators)
        .await
        .expect("fetches");
    assert!(
        matches!(again, Conditional::NotModified { .. }),
        "{again:?}"
    );
}

#[tokio::test]
async fn bootstrap_leads_to_registry_and_related_link_to_registrar() {
    let config = MockConfig::new()
        .tld("com")
        .registry("google.com", Reply::fixture(VERISIGN))
        .registrar("google.com", Reply::fixture(MARKMONITOR))
        .rewrite("https://rdap.markmonitor.com/rdap/", "{base}/registrar/");
    let mock = MockRegistry::start(config).await.expect("mock starts");
    let client = local_client();

    let bootstrap_url = Url::parse(&mock.bootstrap_url()).expect("url");
    let Fetched::Document(file) = client.fetch(&bootstrap_url).await.expect("bootstrap") else {
        panic!("expected the bootstrap file");
    };
    let bootstrap = Bootstrap::parse(&file.body, Origin::File("mock".into())).expect("parses");
    let name = domlife::domain::normalize("GOOGLE.COM.")
        .expect("a name")
        .name;
    let registry_url = bootstrap.domain_url(&name).expect("com is served");
    assert_eq!(registry_url, mock.registry_url("google.com"));

    let Fetched::Document(registry) = client.fetch(&registry_url).await.expect("registry") else {
        panic!("expected the registry answer");
    };
    let body: serde_json::Value = serde_json::from_slice(&registry.body).expect("json");
    let related = body["links"]
        .as_array()
        .and_then(|links| links.iter().find(|link| link["rel"] == "related"))
        .and_then(|link| link["href"].as_str())
        .expect("a related link");
    let registrar_url = Url::parse(related).expect("url");
    assert_eq!(registrar_url, mock.registrar_url("GOOGLE.COM"));

    let Fetched::Document(registrar) = client.fetch(&registrar_url).await.expect("registrar")
    else {
        panic!("expected the registrar answer");
    };
    let expected = fixture_text(MARKMONITOR).replace(
        "https://rdap.markmonitor.com/rdap/",
        &format!("{}/registrar/", mock.base_url()),
    );
    assert_eq!(String::from_utf8_lossy(&registrar.body), expected);
}

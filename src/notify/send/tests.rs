use std::time::Duration;

use super::*;
use crate::testutil::webhook::{Receiver, Reply};

const SECRET: &str = "/hooks/T000/B000/XXXXSECRETXXXX?token=abc";

/// A sender for a receiver on this machine, retrying quickly.
fn sender(retries: u32) -> Sender {
    Sender::new(SenderConfig {
        policy: AddressPolicy::LOCAL,
        timeout: Duration::from_secs(5),
        retries,
        backoff: Backoff {
            base: Duration::from_millis(10),
            max: Duration::from_millis(20),
        },
        longest_wait: Duration::from_secs(5),
        ..SenderConfig::default()
    })
    .unwrap()
}

fn target(receiver: &Receiver) -> Target {
    Target::parse(&receiver.url(SECRET), AddressPolicy::LOCAL).unwrap()
}

fn body() -> Body {
    Body {
        content_type: "text/plain; charset=utf-8",
        headers: vec![("Title", "domlife: 1 change".to_owned())],
        bytes: b"[error] example.com: on-hold".to_vec(),
    }
}

#[tokio::test]
async fn a_post_carries_the_body_and_its_headers() {
    let receiver = Receiver::start(Vec::new()).await;
    let attempts = sender(0).send(&target(&receiver), &body()).await.unwrap();
    assert_eq!(attempts, 1);
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, SECRET);
    assert_eq!(
        request.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(request.header("title"), Some("domlife: 1 change"));
    assert!(
        request
            .header("user-agent")
            .unwrap()
            .starts_with("domlife/")
    );
    assert_eq!(&request.body[..], b"[error] example.com: on-hold");
}

#[tokio::test]
async fn a_busy_receiver_is_asked_again_after_its_retry_after() {
    let receiver = Receiver::start(vec![
        Reply::status(503).header("retry-after", "1"),
        Reply::status(500),
    ])
    .await;
    let attempts = sender(3).send(&target(&receiver), &body()).await.unwrap();
    assert_eq!(attempts, 3);
    let received = receiver.received();
    assert_eq!(received.len(), 3);
    // The sleep is at least what the receiver asked for.
    assert!(
        received[1].at.duration_since(received[0].at) >= Duration::from_millis(1_000),
        "Retry-After honoured"
    );
}

#[tokio::test]
async fn server_errors_through_every_retry_fail_with_the_status_and_no_secret() {
    let receiver = Receiver::start(vec![Reply::status(502); 4]).await;
    let error = sender(2)
        .send(&target(&receiver), &body())
        .await
        .unwrap_err();
    assert_eq!(receiver.received().len(), 3);
    assert!(error.is_retryable());
    assert_eq!(
        error.to_string(),
        format!(
            "http://127.0.0.1:{}/…: HTTP 502 after 3 attempts: ok",
            receiver.url("").rsplit(':').next().unwrap()
        )
    );
}

#[tokio::test]
async fn a_client_error_is_final_and_a_redirect_is_not_followed() {
    let receiver = Receiver::start(vec![
        Reply::status(404),
        Reply::status(302).header("location", "http://127.0.0.1:1/elsewhere"),
    ])
    .await;
    let not_found = sender(3)
        .send(&target(&receiver), &body())
        .await
        .unwrap_err();
    assert!(matches!(
        not_found,
        SendError::Status {
            status: 404,
            attempts: 1,
            ..
        }
    ));
    assert!(!not_found.is_retryable());
    let redirected = sender(3)
        .send(&target(&receiver), &body())
        .await
        .unwrap_err();
    assert!(matches!(
        redirected,
        SendError::Redirected { status: 302, .. }
    ));
    assert_eq!(receiver.received().len(), 2);
    for error in [not_found, redirected] {
        assert!(!error.to_string().contains("SECRET"), "{error}");
    }
}

#[tokio::test]
async fn a_retry_after_longer_than_the_longest_wait_gives_up_at_once() {
    let receiver = Receiver::start(vec![Reply::status(429).header("retry-after", "3600")]).await;
    let error = sender(3)
        .send(&target(&receiver), &body())
        .await
        .unwrap_err();
    assert!(matches!(error, SendError::WaitTooLong { .. }), "{error}");
    assert_eq!(receiver.received().len(), 1);
}

#[tokio::test]
async fn nobody_listening_is_unreachable_after_the_retries() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let target = Target::parse(&format!("http://{closed}{SECRET}"), AddressPolicy::LOCAL).unwrap();
    let error = sender(1).send(&target, &body()).await.unwrap_err();
    assert!(
        matches!(error, SendError::Unreachable { attempts: 2, .. }),
        "{error}"
    );
    assert!(!error.to_string().contains("SECRET"), "{error}");
    assert!(!error.to_string().contains("hooks"), "{error}");
}

#[tokio::test]
async fn loopback_is_refused_without_the_flag_before_connecting() {
    let receiver = Receiver::start(Vec::new()).await;
    let strict = Sender::new(SenderConfig::default()).unwrap();
    let target = target(&receiver);
    let error = strict.send(&target, &body()).await.unwrap_err();
    assert!(error.is_refused(), "{error}");
    assert!(receiver.received().is_empty());
    // A host name passes the URL check; its addresses are refused when it
    // resolves, as a name rebound to a forbidden address would be.
    let named = Target::parse(
        &receiver
            .url(SECRET)
            .replace("http://127.0.0.1", "https://localhost"),
        AddressPolicy::STRICT,
    )
    .unwrap();
    let error = strict.send(&named, &body()).await.unwrap_err();
    assert!(error.is_refused(), "{error}");
    assert!(
        error
            .to_string()
            .contains("localhost resolves only to forbidden addresses"),
        "{error}"
    );
    assert!(receiver.received().is_empty());
}

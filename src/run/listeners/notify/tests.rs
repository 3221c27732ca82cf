use std::time::Duration;

use super::*;
use crate::audit::AsOf;
use crate::fetch::Backoff;
use crate::net::AddressPolicy;
use crate::notify::SenderConfig;
use crate::run::listener::{Ending, Finished, Signal};
use crate::run::listeners::history::HistoryRecorder;
use crate::testutil::{self, webhook::Receiver, webhook::Reply};

fn options(receiver: &Receiver, threshold: Severity) -> NotifyOptions {
    NotifyOptions {
        targets: vec![Target::parse(&receiver.url("/hook/SECRET"), AddressPolicy::LOCAL).unwrap()],
        threshold,
        format: NotifyFormat::Json,
    }
}

fn sender() -> Sender {
    Sender::new(SenderConfig {
        policy: AddressPolicy::LOCAL,
        retries: 0,
        backoff: Backoff {
            base: Duration::from_millis(1),
            max: Duration::from_millis(1),
        },
        ..SenderConfig::default()
    })
    .unwrap()
}

fn quiet() -> Warn {
    Arc::new(|_: &str| {})
}

/// Runs `results` through a history recorder (when there is a store) and
/// the notifier, as the driver would.
fn run(
    notifier: &mut Notifier,
    store: Option<&Store>,
    results: &[AuditResult],
    ending: Ending,
) -> Result<(), ListenerError> {
    let start = RunStart {
        total: results.len(),
        started: testutil::as_of(),
        as_of: AsOf::Instant(testutil::as_of()),
    };
    let mut history =
        store.map(|store| HistoryRecorder::new(store.clone(), "test".to_owned(), quiet()));
    let mut listeners: Vec<&mut dyn Listener> = Vec::new();
    if let Some(history) = &mut history {
        notifier.follow(history.recorded_run());
        listeners.push(history);
    }
    listeners.push(notifier);
    for listener in &mut listeners {
        listener.started(&start)?;
    }
    let mut batch = Batch {
        results: results
            .iter()
            .cloned()
            .enumerate()
            .map(|(index, result)| Finished { index, result })
            .collect(),
        audited: true,
    };
    for listener in &mut listeners {
        listener.results(&mut batch)?;
    }
    let end = RunEnd {
        started: start.started,
        finished: start.started,
        ending,
        failed_outputs: Vec::new(),
    };
    let mut outcome = Ok(());
    for listener in &mut listeners {
        if let Err(error) = listener.ended(&end) {
            outcome = Err(error);
        }
    }
    outcome
}

fn texts(receiver: &Receiver) -> Vec<String> {
    receiver
        .received()
        .iter()
        .map(|request| request.json()["text"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_is_announced_once_and_silence_follows() {
    let receiver = Receiver::start(Vec::new()).await;
    let store = Store::in_memory().unwrap();
    let mut notifier = Notifier::new(
        options(&receiver, Severity::Warning),
        sender(),
        Memory::Store(store.clone()),
        quiet(),
    );
    let mut results = testutil::results();
    run(&mut notifier, Some(&store), &results, Ending::Complete).unwrap();
    assert_eq!(
        texts(&receiver),
        [
            "domlife: 4 changes (3 error, 1 warning) in 4 names as of 2025-01-01\n\
          [error] fail.net: lookup-failed: could not be checked: rdap.example: HTTP 503\n\
          [error] held.org: on-hold: not in DNS: serverHold, set by the registry\n\
          [error] not a name: lookup-failed: could not be checked: not a domain name: contains a space\n\
          [warning] example.com: expiring: expires on 2025-01-20, in 19 days: renew it"
        ]
    );
    assert_eq!(notifier.deliveries()[0].changes, 4);

    run(&mut notifier, Some(&store), &results, Ending::Complete).unwrap();
    assert_eq!(receiver.received().len(), 1, "no change, no message");

    results[1]
        .findings
        .retain(|finding| finding.code != crate::reconcile::Code::OnHold);
    run(&mut notifier, Some(&store), &results, Ending::Complete).unwrap();
    let texts = texts(&receiver);
    assert_eq!(texts.len(), 2);
    assert_eq!(
        texts[1],
        "domlife: 1 change (1 error) in 4 names as of 2025-01-01\n\
         [error] held.org: on-hold cleared (it said: not in DNS: serverHold, set by the registry)"
    );
    let body = receiver.received()[1].json();
    assert_eq!(body["changes"][0]["kind"], "gone");
    assert_eq!(body["counts"]["names"], 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_undelivered_change_fails_the_output_and_comes_again() {
    let receiver = Receiver::start(Vec::new()).await;
    receiver.then(vec![Reply::status(500)]);
    let store = Store::in_memory().unwrap();
    let mut notifier = Notifier::new(
        options(&receiver, Severity::Error),
        sender(),
        Memory::Store(store.clone()),
        quiet(),
    );
    let results = testutil::results();
    let failed = run(&mut notifier, Some(&store), &results, Ending::Complete).unwrap_err();
    let message = failed.to_string();
    assert!(
        message.starts_with("cannot notify http://127.0.0.1:")
            && message.ends_with(
                "/…: HTTP 500 after 1 attempt: ok; its changes will be announced again next run"
            ),
        "{message}"
    );
    assert!(!message.contains("SECRET"));
    assert!(!notifier.deliveries()[0].delivered);

    run(&mut notifier, Some(&store), &results, Ending::Complete).unwrap();
    let texts = texts(&receiver);
    assert_eq!(texts.len(), 2);
    assert_eq!(texts[0], texts[1], "announced again, whole");
    run(&mut notifier, Some(&store), &results, Ending::Complete).unwrap();
    assert_eq!(receiver.received().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_run_tells_nobody() {
    let receiver = Receiver::start(Vec::new()).await;
    let mut notifier = Notifier::new(
        options(&receiver, Severity::Notice),
        sender(),
        Memory::Nothing,
        quiet(),
    );
    let interrupted = Ending::Interrupted(Signal::Terminate);
    run(&mut notifier, None, &testutil::results(), interrupted).unwrap();
    assert!(receiver.received().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_store_a_server_remembers_what_it_told() {
    let receiver = Receiver::start(Vec::new()).await;
    let mut notifier = Notifier::new(
        options(&receiver, Severity::Warning),
        sender(),
        Memory::Process(HashMap::new()),
        quiet(),
    );
    let mut results = testutil::results();
    run(&mut notifier, None, &results, Ending::Complete).unwrap();
    run(&mut notifier, None, &results, Ending::Complete).unwrap();
    assert_eq!(receiver.received().len(), 1);
    // The registry of held.org is down: that is the change, not the hold.
    let mut down = results[3].clone();
    down.domain = "held.org".to_owned();
    results[1] = down;
    run(&mut notifier, None, &results, Ending::Complete).unwrap();
    let texts = texts(&receiver);
    assert_eq!(texts.len(), 2);
    assert_eq!(
        texts[1].lines().skip(1).collect::<Vec<_>>(),
        ["[error] held.org: lookup-failed: could not be checked: rdap.example: HTTP 503"]
    );
    run(&mut notifier, None, &results, Ending::Complete).unwrap();
    assert_eq!(receiver.received().len(), 2, "still down: no news");
}

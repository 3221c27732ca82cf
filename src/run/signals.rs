//! The signals that stop a run: Ctrl-C (SIGINT) and, on Unix, SIGTERM (a
//! service manager, `kill`, a CI runner cancelling a job). Both end the
//! run the same way, reporting what is done; only the exit status tells
//! them apart (130 and 143, as shells do).

use std::future::{Future, pending, ready};
use std::pin::Pin;

use futures::FutureExt;

use super::listener::Signal;

/// The stop signals, listened to from the moment they are installed.
pub struct Signals {
    interrupt: Pin<Box<dyn Future<Output = std::io::Result<()>> + Send>>,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    /// Installs the handlers now. A handler that cannot be installed
    /// leaves that signal's default action (the process ends).
    pub fn install() -> Signals {
        let mut interrupt: Pin<Box<dyn Future<Output = std::io::Result<()>> + Send>> =
            Box::pin(tokio::signal::ctrl_c());
        // The Ctrl-C handler is installed when its future is first polled;
        // a Ctrl-C already there is kept for the first `next`.
        match (&mut interrupt).now_or_never() {
            None => {}
            Some(Ok(())) => interrupt = Box::pin(ready(Ok(()))),
            Some(Err(_)) => interrupt = Box::pin(pending()),
        }
        Signals {
            interrupt,
            #[cfg(unix)]
            terminate: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .ok(),
        }
    }

    /// The next stop signal.
    pub async fn next(&mut self) -> Signal {
        #[cfg(unix)]
        let terminate = async {
            match &mut self.terminate {
                Some(terminate) => {
                    terminate.recv().await;
                }
                None => pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = pending::<()>();
        tokio::select! {
            result = &mut self.interrupt => match result {
                Ok(()) => Signal::Interrupt,
                // The handler failed: never report this signal again.
                Err(_) => pending().await,
            },
            () = terminate => Signal::Terminate,
        }
    }
}

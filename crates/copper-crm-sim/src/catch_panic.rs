//! A handler that panics answers 500 instead of dropping its connection.
//!
//! Without this, a bug in the simulator looks to a client exactly like the `drop_after` fault (the
//! connection closes without an answer), which clients must treat as "maybe applied". A 500 in
//! Copper's error shape says what happened; the panic message is also printed to stderr by the
//! panic hook.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

/// Polls `F`, turning a panic inside it into `Err(message)`.
pub(crate) struct CatchPanic<F>(Pin<Box<F>>);

impl<F: Future> CatchPanic<F> {
    pub(crate) fn new(future: F) -> Self {
        CatchPanic(Box::pin(future))
    }
}

impl<F: Future> Future for CatchPanic<F> {
    type Output = Result<F::Output, String>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(payload) => Poll::Ready(Err(panic_message(payload.as_ref()))),
        }
    }
}

/// The text of a panic payload (`panic!` with a literal or a formatted message).
fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_value_passes_through() {
        assert_eq!(CatchPanic::new(async { 7 }).await, Ok(7));
    }

    #[tokio::test]
    async fn a_panic_after_an_await_becomes_its_message() {
        let future = async {
            tokio::task::yield_now().await;
            let bounds: Vec<u8> = Vec::new();
            if bounds.is_empty() {
                panic!("index {} out of range", 3);
            }
            1
        };
        assert_eq!(
            CatchPanic::new(future).await,
            Err("index 3 out of range".to_string())
        );
    }

    #[tokio::test]
    async fn a_literal_panic_keeps_its_text() {
        let future = async {
            if std::hint::black_box(true) {
                panic!("literal");
            }
        };
        assert_eq!(CatchPanic::new(future).await, Err("literal".to_string()));
    }
}

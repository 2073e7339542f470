//! With its own recovery on (needed for it to honour the server's close signal), the core does not fail a
//! stream on a retryable error: it logs the error and starts a reconnection, which the binding refuses so
//! that the core stream of `@zerobus/core` recovers instead. The structured error is gone by then; only
//! the supervisor's log line `Stream failure detected: <error>` carries it. This module turns that text
//! back into the core error it was printed from, so the TS side sees the same code as with recovery off.

use databricks_zerobus_ingest_sdk::ZerobusError;
use tonic::{Code, Status};

/// The supervisor's message before the error's text.
pub const FAILURE_PREFIX: &str = "Stream failure detected: ";

/// `ZerobusError::StreamClosedError`'s text before the status (`Stream is closed: {status}`).
const STREAM_CLOSED_PREFIX: &str = "Stream is closed: code: '";
/// `ZerobusError::UnexpectedStreamResponseError`'s text before its payload.
const UNEXPECTED_RESPONSE_PREFIX: &str = "Unexpected response from server. Response: ";

/// Rebuilds the core error from its `Display` text. Every error that reaches the supervisor's recovery is
/// one the core judged retryable; a text of another shape becomes an unexpected-response error (retryable,
/// reported as a protocol error) with the text as it was.
pub fn parse_core_error(text: &str) -> ZerobusError {
    if let Some(status) = text
        .strip_prefix(STREAM_CLOSED_PREFIX)
        .and_then(parse_status)
    {
        return ZerobusError::StreamClosedError(status);
    }
    let payload = text
        .strip_prefix(UNEXPECTED_RESPONSE_PREFIX)
        .unwrap_or(text);
    ZerobusError::UnexpectedStreamResponseError(payload.to_string())
}

/// Parses `<code description>', message: "<escaped message>"…` (tonic's `Display` of a status, after
/// `code: '`). The code is printed as its description (which may hold a quote), so every code's is tried.
fn parse_status(text: &str) -> Option<Status> {
    let (code, rest) = (0..=16).map(Code::from_i32).find_map(|code| {
        let rest = text.strip_prefix(code.description())?.strip_prefix('\'')?;
        Some((code, rest))
    })?;
    let message = rest
        .strip_prefix(", message: \"")
        .map(unescape_debug_string)
        .unwrap_or_default();
    Some(Status::new(code, message))
}

/// Reads a Rust `Debug`-quoted string up to its closing quote (the opening one already consumed).
fn unescape_debug_string(quoted: &str) -> String {
    let mut out = String::new();
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some('0') => out.push('\0'),
                Some('u') => {
                    // `\u{hex}`
                    let hex: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                    if let Some(c) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        out.push(c);
                    }
                }
                Some(other) => out.push(other),
                None => break,
            },
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(error: ZerobusError) -> ZerobusError {
        parse_core_error(&error.to_string())
    }

    #[test]
    fn rebuilds_a_closed_stream_status_from_its_text() {
        let parsed = round_trip(ZerobusError::StreamClosedError(Status::unavailable(
            "server \"restarting\"\n\tsoon \u{1F600} \\ done",
        )));
        let ZerobusError::StreamClosedError(status) = parsed else {
            panic!("expected StreamClosedError, got {parsed:?}");
        };
        assert_eq!(status.code(), Code::Unavailable);
        assert_eq!(
            status.message(),
            "server \"restarting\"\n\tsoon \u{1F600} \\ done"
        );
    }

    #[test]
    fn rebuilds_every_status_code() {
        for number in 0..=16 {
            let code = Code::from_i32(number);
            let parsed = round_trip(ZerobusError::StreamClosedError(Status::new(code, "m")));
            let ZerobusError::StreamClosedError(status) = parsed else {
                panic!("code {number}: {parsed:?}");
            };
            assert_eq!((status.code(), status.message()), (code, "m"));
        }
    }

    #[test]
    fn keeps_an_empty_message_empty() {
        let parsed = round_trip(ZerobusError::StreamClosedError(Status::internal("")));
        let ZerobusError::StreamClosedError(status) = parsed else {
            panic!("{parsed:?}")
        };
        assert_eq!((status.code(), status.message()), (Code::Internal, ""));
    }

    #[test]
    fn keeps_an_unexpected_response_and_any_other_text() {
        let parsed = round_trip(ZerobusError::UnexpectedStreamResponseError(
            "Receiver task panicked".into(),
        ));
        assert!(
            matches!(&parsed, ZerobusError::UnexpectedStreamResponseError(m) if m == "Receiver task panicked"),
            "{parsed:?}"
        );
        let parsed = parse_core_error("Connection timeout: 5s");
        assert!(
            matches!(&parsed, ZerobusError::UnexpectedStreamResponseError(m) if m == "Connection timeout: 5s"),
            "{parsed:?}"
        );
    }
}

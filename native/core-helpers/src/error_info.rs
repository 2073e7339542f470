//! The one place where a core error becomes our error shape: a stable `code` (API.md), `retryable`
//! (PROTOCOL.md A.3) and the gRPC status number when there was one. TypeScript turns this shape into a
//! `ZerobusError` in one function (`src/native-error.ts`).

use databricks_zerobus_ingest_sdk::ZerobusError;
use tonic::Code;

/// Marks errors that our headers provider returned to the core: the TS layer replaces them with the
/// provider's own error, which it kept.
pub const HEADERS_PROVIDER_MARKER: &str = "zerobus-ts: headers provider failed";

/// The error our headers provider gives the core when it tries to reconnect (reconnecting is the core
/// stream's). The core logs it as its recovery's failure; those lines are ours, not news for the user.
pub const RECONNECTION_REFUSED: &str = "zerobus-ts: the core stream reconnects, not the Rust core";

/// Where an error surfaced; the core loses information that the place restores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorOrigin {
    /// Opening the stream (all attempts failed).
    Create,
    /// A stream that was open failed for good (reported by the core's waiters).
    LiveStream,
    /// A call on the stream (ingest, close).
    Call,
}

/// Our error shape, ready to cross into JS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub retryable: bool,
    pub grpc_code: Option<i32>,
    pub message: String,
    /// True when the error is our headers provider's refusal (see [`HEADERS_PROVIDER_MARKER`]).
    pub from_headers_provider: bool,
    /// What the core reported, kept as the `cause` of the TS error; `None` when the binding raised
    /// the error itself. Boxed: errors travel in `Result`s, which should stay small.
    pub cause: Option<Box<CoreCause>>,
}

/// A core error as the core reported it: its variant and, when it carried a gRPC status, the status.
/// Built from the variant's fields, never from a status's `Display` (which prints the response
/// metadata); the core's own texts never hold a token (it stopped quoting header values in 2.x).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoreCause {
    /// The core's `ZerobusError` variant, e.g. `CreateStreamError`.
    pub variant: String,
    /// `<variant>: <code> <NAME>: <status message>` for a status, else `<variant>: <core's text>`.
    pub message: String,
    /// The status code and message, when the core reported a status.
    pub status: Option<(i32, String)>,
}

impl CoreCause {
    /// Describes `error` as the core reported it.
    pub fn of(error: &ZerobusError) -> Self {
        let variant = variant_name(error);
        match error {
            ZerobusError::CreateStreamError(status) | ZerobusError::StreamClosedError(status) => {
                let code = status.code();
                Self {
                    message: format!(
                        "{variant}: {} {}: {}",
                        code as i32,
                        status_name(code),
                        status.message()
                    ),
                    variant,
                    status: Some((code as i32, status.message().to_string())),
                }
            }
            _ => Self {
                message: format!("{variant}: {error}"),
                variant,
                status: None,
            },
        }
    }
}

/// The variant's name, read off its `Debug` form so that variants a newer core adds are named too.
fn variant_name(error: &ZerobusError) -> String {
    format!("{error:?}")
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The status name as grpc-js prints it in its errors (`7 PERMISSION_DENIED: …`).
fn status_name(code: Code) -> String {
    match code {
        Code::Ok => "OK".to_string(),
        code => code_name(code).to_ascii_uppercase(),
    }
}

impl ErrorInfo {
    fn new(code: &'static str, retryable: bool, message: impl Into<String>) -> Self {
        Self {
            code,
            retryable,
            grpc_code: None,
            message: message.into(),
            from_headers_provider: false,
            cause: None,
        }
    }

    /// An error raised by the binding itself (bad input, a closed handle).
    pub fn binding(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(code, is_retryable_code(code), message)
    }

    /// Converts a core error. Every message comes from the core's `Display` text, which never holds a
    /// token (the core does not quote header values since 2.x).
    pub fn from_core(error: &ZerobusError, origin: ErrorOrigin) -> Self {
        Self {
            cause: Some(Box::new(CoreCause::of(error))),
            ..Self::mapped(error, origin)
        }
    }

    fn mapped(error: &ZerobusError, origin: ErrorOrigin) -> Self {
        match error {
            ZerobusError::CreateStreamError(status) | ZerobusError::StreamClosedError(status) => {
                from_status(status.code(), status.message())
            }
            // The core rewrites a live stream's INVALID_ARGUMENT status to this variant (§1.8);
            // on a live stream it can only have come from the server, so the status is restored.
            ZerobusError::InvalidArgument(message) if origin == ErrorOrigin::LiveStream => {
                let mut info = Self::new("invalid_argument", false, message.clone());
                info.grpc_code = Some(Code::InvalidArgument as i32);
                info
            }
            ZerobusError::InvalidArgument(message) => {
                Self::new("invalid_argument", false, message.clone())
            }
            ZerobusError::InvalidSchema { message, .. } => {
                let mut info = Self::new("invalid_argument", false, message.clone());
                info.grpc_code = Some(Code::InvalidArgument as i32);
                info
            }
            ZerobusError::InvalidStateError(message) | ZerobusError::TokenFetchError(message)
                if message.starts_with(HEADERS_PROVIDER_MARKER) =>
            {
                let mut info = Self::new("auth_failed", error.is_retryable(), message.clone());
                info.from_headers_provider = true;
                info
            }
            ZerobusError::ChannelCreationError(_)
            | ZerobusError::InvalidZerobusEndpointError(_)
            | ZerobusError::InvalidTableName(_)
            | ZerobusError::InvalidUCEndpointError(_) => {
                Self::new("invalid_argument", false, error.to_string())
            }
            ZerobusError::InvalidUCTokenError(_) => {
                Self::new("auth_failed", false, error.to_string())
            }
            ZerobusError::FailedToEstablishTlsConnectionError
            | ZerobusError::ConnectionTimeout(_)
            | ZerobusError::TokenFetchError(_) => Self::new("unavailable", true, error.to_string()),
            ZerobusError::UnexpectedStreamResponseError(_) => {
                Self::new("protocol_error", true, error.to_string())
            }
            ZerobusError::InvalidStateError(_) => {
                Self::new("invalid_state", false, error.to_string())
            }
            // `ZerobusError` is non-exhaustive: a variant added by a newer core stays an error.
            #[allow(unreachable_patterns)]
            _ => Self::new("unknown", error.is_retryable(), error.to_string()),
        }
    }
}

/// Messages the core puts into a status that mean something more specific than the status code.
fn from_status(code: Code, message: &str) -> ErrorInfo {
    let grpc = code as i32;
    let (our_code, retryable) = match (code, message) {
        (Code::Ok, _) => ("stream_closed", true),
        // The core's own "this stream object is closed" (ingest after close or failure).
        (Code::Internal, "Stream closed") => ("stream_closed", false),
        (Code::DeadlineExceeded, "Server ack timeout") => ("ack_timeout", true),
        (Code::DeadlineExceeded, m) if m.ends_with("timed out") && m.starts_with("Flush") => {
            ("flush_timeout", true)
        }
        (
            Code::Internal,
            "Missing ack offset in server response"
            | "Unexpected response from server"
            | "Successfully created a stream but stream_id is None",
        ) => ("protocol_error", true),
        (code, _) => (code_name(code), is_retryable_status(code)),
    };
    let mut info = ErrorInfo::new(our_code, retryable, status_message(code, message));
    // Statuses the core made up locally carry no server code worth keeping, except OK (server end).
    if our_code != "protocol_error" && !(our_code == "stream_closed" && code != Code::Ok) {
        info.grpc_code = Some(grpc);
    }
    info
}

fn status_message(code: Code, message: &str) -> String {
    match (code, message.is_empty()) {
        (Code::Ok, true) => "the server ended the stream".to_string(),
        (Code::Ok, false) => format!("the server ended the stream: {message}"),
        (_, true) => format!("gRPC status {}", code as i32),
        (_, false) => message.to_string(),
    }
}

/// PROTOCOL.md A.3 / B §5.2: everything but these six is worth retrying.
fn is_retryable_status(code: Code) -> bool {
    !matches!(
        code,
        Code::InvalidArgument
            | Code::NotFound
            | Code::PermissionDenied
            | Code::Unauthenticated
            | Code::OutOfRange
            | Code::Unimplemented
    )
}

/// Retryability of a code the binding raises itself (mirrors `isRetryableByDefault` in core).
fn is_retryable_code(code: &str) -> bool {
    matches!(
        code,
        "unavailable"
            | "deadline_exceeded"
            | "resource_exhausted"
            | "aborted"
            | "internal"
            | "unknown"
            | "data_loss"
            | "already_exists"
            | "failed_precondition"
            | "protocol_error"
            | "ack_timeout"
            | "flush_timeout"
    )
}

/// The snake-case gRPC status name (API.md error codes).
pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "stream_closed",
        Code::Cancelled => "cancelled",
        Code::Unknown => "unknown",
        Code::InvalidArgument => "invalid_argument",
        Code::DeadlineExceeded => "deadline_exceeded",
        Code::NotFound => "not_found",
        Code::AlreadyExists => "already_exists",
        Code::PermissionDenied => "permission_denied",
        Code::ResourceExhausted => "resource_exhausted",
        Code::FailedPrecondition => "failed_precondition",
        Code::Aborted => "aborted",
        Code::OutOfRange => "out_of_range",
        Code::Unimplemented => "unimplemented",
        Code::Internal => "internal",
        Code::Unavailable => "unavailable",
        Code::DataLoss => "data_loss",
        Code::Unauthenticated => "unauthenticated",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonic::Status;

    fn live(status: Status) -> ErrorInfo {
        ErrorInfo::from_core(&ZerobusError::StreamClosedError(status), ErrorOrigin::LiveStream)
    }

    #[test]
    fn keeps_the_grpc_code_and_classifies_retryability() {
        let info = live(Status::unavailable("node restarting"));
        assert_eq!(
            (info.code, info.retryable, info.grpc_code),
            ("unavailable", true, Some(14))
        );
        assert_eq!(info.message, "node restarting");
        let info = ErrorInfo::from_core(
            &ZerobusError::CreateStreamError(Status::permission_denied("no")),
            ErrorOrigin::Create,
        );
        assert_eq!(
            (info.code, info.retryable, info.grpc_code),
            ("permission_denied", false, Some(7))
        );
    }

    #[test]
    fn every_non_retryable_status_is_not_retryable() {
        for code in [
            Code::InvalidArgument,
            Code::NotFound,
            Code::PermissionDenied,
            Code::Unauthenticated,
            Code::OutOfRange,
            Code::Unimplemented,
        ] {
            let info = live(Status::new(code, "x"));
            assert!(!info.retryable, "{code:?}");
            assert_eq!(info.grpc_code, Some(code as i32));
        }
        for code in [Code::Cancelled, Code::Aborted, Code::Internal, Code::DataLoss] {
            assert!(live(Status::new(code, "x")).retryable, "{code:?}");
        }
    }

    #[test]
    fn a_clean_server_end_is_a_retryable_stream_closed_with_grpc_ok() {
        let info = live(Status::ok("Stream closed by server without errors."));
        assert_eq!(
            (info.code, info.retryable, info.grpc_code),
            ("stream_closed", true, Some(0))
        );
    }

    #[test]
    fn the_cores_own_closed_status_is_not_retryable_and_has_no_grpc_code() {
        let info = ErrorInfo::from_core(
            &ZerobusError::StreamClosedError(Status::internal("Stream closed")),
            ErrorOrigin::Call,
        );
        assert_eq!(
            (info.code, info.retryable, info.grpc_code),
            ("stream_closed", false, None)
        );
    }

    #[test]
    fn local_timeouts_and_protocol_errors_get_their_own_codes() {
        assert_eq!(live(Status::deadline_exceeded("Server ack timeout")).code, "ack_timeout");
        let info = live(Status::internal("Missing ack offset in server response"));
        assert_eq!((info.code, info.retryable, info.grpc_code), ("protocol_error", true, None));
        assert_eq!(
            live(Status::deadline_exceeded("Stream creation timed out")).code,
            "deadline_exceeded"
        );
    }

    #[test]
    fn a_live_invalid_argument_gets_its_grpc_code_back() {
        let error = ZerobusError::InvalidArgument("bad record".into());
        let info = ErrorInfo::from_core(&error, ErrorOrigin::LiveStream);
        assert_eq!(
            (info.code, info.retryable, info.grpc_code),
            ("invalid_argument", false, Some(3))
        );
        assert_eq!(ErrorInfo::from_core(&error, ErrorOrigin::Call).grpc_code, None);
    }

    #[test]
    fn headers_provider_refusals_are_marked_and_keep_retryability() {
        let retryable = ZerobusError::TokenFetchError(format!("{HEADERS_PROVIDER_MARKER}: 503"));
        let info = ErrorInfo::from_core(&retryable, ErrorOrigin::Create);
        assert!(info.from_headers_provider && info.retryable);
        let fatal = ZerobusError::InvalidStateError(HEADERS_PROVIDER_MARKER.to_string());
        let info = ErrorInfo::from_core(&fatal, ErrorOrigin::LiveStream);
        assert!(info.from_headers_provider && !info.retryable);
        assert_eq!(info.code, "auth_failed");
    }

    #[test]
    fn other_core_variants_map_to_stable_codes() {
        let cases = [
            (ZerobusError::UnexpectedStreamResponseError("x".into()), "protocol_error", true),
            (ZerobusError::InvalidStateError("x".into()), "invalid_state", false),
            (ZerobusError::FailedToEstablishTlsConnectionError, "unavailable", true),
            (ZerobusError::InvalidTableName("x".into()), "invalid_argument", false),
            (ZerobusError::InvalidUCTokenError("x".into()), "auth_failed", false),
        ];
        for (error, code, retryable) in cases {
            let info = ErrorInfo::from_core(&error, ErrorOrigin::Create);
            assert_eq!((info.code, info.retryable), (code, retryable), "{error:?}");
        }
    }

    #[test]
    fn every_core_error_keeps_what_the_core_reported_as_its_cause() {
        let info = ErrorInfo::from_core(
            &ZerobusError::CreateStreamError(Status::permission_denied("no access")),
            ErrorOrigin::Create,
        );
        let cause = info.cause.expect("a cause");
        assert_eq!(cause.variant, "CreateStreamError");
        assert_eq!(
            cause.message,
            "CreateStreamError: 7 PERMISSION_DENIED: no access"
        );
        assert_eq!(cause.status, Some((7, "no access".to_string())));
        let cause = live(Status::ok("")).cause.expect("a cause");
        assert_eq!(cause.message, "StreamClosedError: 0 OK: ");
        let errors = [
            ZerobusError::InvalidArgument("bad row".into()),
            ZerobusError::UnexpectedStreamResponseError("x".into()),
            ZerobusError::InvalidStateError("x".into()),
            ZerobusError::FailedToEstablishTlsConnectionError,
            ZerobusError::ConnectionTimeout("x".into()),
            ZerobusError::TokenFetchError("x".into()),
            ZerobusError::InvalidTableName("x".into()),
            ZerobusError::InvalidUCTokenError("x".into()),
            ZerobusError::ChannelCreationError("x".into()),
        ];
        for error in errors {
            let cause = ErrorInfo::from_core(&error, ErrorOrigin::LiveStream)
                .cause
                .expect("a cause");
            assert!(
                format!("{error:?}").starts_with(&cause.variant),
                "{error:?}"
            );
            assert_eq!(cause.message, format!("{}: {error}", cause.variant));
            assert_eq!(cause.status, None);
        }
    }

    #[test]
    fn a_status_cause_leaves_out_the_response_metadata() {
        let mut status = Status::unavailable("node restarting");
        status
            .metadata_mut()
            .insert("x-debug", "internal".parse().expect("a header value"));
        let cause = live(status).cause.expect("a cause");
        assert_eq!(
            cause.message,
            "StreamClosedError: 14 UNAVAILABLE: node restarting"
        );
    }

    #[test]
    fn binding_errors_have_no_core_cause() {
        assert_eq!(ErrorInfo::binding("invalid_state", "x").cause, None);
    }

    #[test]
    fn binding_errors_follow_the_default_retryability() {
        assert!(!ErrorInfo::binding("invalid_argument", "x").retryable);
        assert!(ErrorInfo::binding("unavailable", "x").retryable);
    }
}

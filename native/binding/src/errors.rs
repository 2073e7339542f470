//! How an [`ErrorInfo`] crosses into JS: as the `error` of an event, or as the message of a rejected
//! promise / thrown error, prefixed so that `src/native-error.ts` can tell it from any other error.

use napi_derive::napi;
use zerobus_native_helpers::error_info::CoreCause;
use zerobus_native_helpers::ErrorInfo;

/// Prefix of a napi error's message that carries an [`ErrorInfo`] as JSON.
pub const ERROR_PREFIX: &str = "ZEROBUS_NATIVE_ERROR:";

/// An [`ErrorInfo`] as a JS object.
#[napi(object)]
pub struct NativeErrorInfo {
    pub code: String,
    pub retryable: bool,
    pub grpc_code: Option<i32>,
    pub message: String,
    pub from_headers_provider: bool,
    /// What the core reported; absent when the binding raised the error itself.
    pub cause: Option<NativeErrorCause>,
}

/// A [`CoreCause`] as a JS object: `code` and `details` as on grpc-js's `ServiceError`.
#[napi(object)]
pub struct NativeErrorCause {
    /// The core's error variant, e.g. `CreateStreamError`.
    pub variant: String,
    pub message: String,
    /// The gRPC status code, when the core reported a status.
    pub code: Option<i32>,
    /// The status message, when the core reported a status.
    pub details: Option<String>,
}

impl From<&CoreCause> for NativeErrorCause {
    fn from(cause: &CoreCause) -> Self {
        Self {
            variant: cause.variant.clone(),
            message: cause.message.clone(),
            code: cause.status.as_ref().map(|(code, _)| *code),
            details: cause.status.as_ref().map(|(_, details)| details.clone()),
        }
    }
}

impl From<&ErrorInfo> for NativeErrorInfo {
    fn from(info: &ErrorInfo) -> Self {
        Self {
            code: info.code.to_string(),
            retryable: info.retryable,
            grpc_code: info.grpc_code,
            message: info.message.clone(),
            from_headers_provider: info.from_headers_provider,
            cause: info.cause.as_deref().map(NativeErrorCause::from),
        }
    }
}

/// A napi error whose message is [`ERROR_PREFIX`] followed by the error as JSON.
pub fn to_napi(info: &ErrorInfo) -> napi::Error {
    let json = serde_json::json!({
        "code": info.code,
        "retryable": info.retryable,
        "grpcCode": info.grpc_code,
        "message": info.message,
        "fromHeadersProvider": info.from_headers_provider,
        "cause": info.cause.as_ref().map(|cause| serde_json::json!({
            "variant": cause.variant,
            "message": cause.message,
            "code": cause.status.as_ref().map(|(code, _)| code),
            "details": cause.status.as_ref().map(|(_, details)| details),
        })),
    });
    napi::Error::new(napi::Status::GenericFailure, format!("{ERROR_PREFIX}{json}"))
}

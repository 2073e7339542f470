//! How an [`ErrorInfo`] crosses into JS: as the `error` of an event, or as the message of a rejected
//! promise / thrown error, prefixed so that `src/native-error.ts` can tell it from any other error.

use napi_derive::napi;
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
}

impl From<&ErrorInfo> for NativeErrorInfo {
    fn from(info: &ErrorInfo) -> Self {
        Self {
            code: info.code.to_string(),
            retryable: info.retryable,
            grpc_code: info.grpc_code,
            message: info.message.clone(),
            from_headers_provider: info.from_headers_provider,
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
    });
    napi::Error::new(napi::Status::GenericFailure, format!("{ERROR_PREFIX}{json}"))
}

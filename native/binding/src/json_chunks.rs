//! A JSON request's chunks (strings joined in JS from consecutive records) written by V8 straight into the
//! one buffer the request's records are then held in: napi-rs's `String` would first ask V8 for each
//! string's UTF-8 length (a pass over it) and zero a buffer of that length (another), then copy; here the
//! records' lengths, measured in JS, size the buffer, and V8's copy is the only pass.

use std::ptr;

use napi::bindgen_prelude::{FromNapiValue, TypeName, ValidateNapiValue, ValueType};
use napi::sys;
use zerobus_native_helpers::held_records::PackedRecords;
use zerobus_native_helpers::ErrorInfo;

use crate::errors::to_napi;

/// Room past the records' bytes for one more character (at most 4 bytes) and V8's terminating NUL: a
/// chunk longer than its records then shows as such instead of being cut to fit.
const SLACK: usize = 5;

/// One chunk as JS passed it, read during the call it was passed to.
pub struct JsChunk {
    env: sys::napi_env,
    value: sys::napi_value,
}

impl JsChunk {
    fn utf16_length(&self) -> napi::Result<usize> {
        let mut length = 0;
        // SAFETY: as in `pack_chunks`; without a buffer V8 only reports the length.
        let status = unsafe {
            sys::napi_get_value_string_utf16(self.env, self.value, ptr::null_mut(), 0, &mut length)
        };
        if status != sys::Status::napi_ok {
            return Err(not_a_string());
        }
        Ok(length)
    }
}

impl TypeName for JsChunk {
    fn type_name() -> &'static str {
        "string"
    }

    fn value_type() -> ValueType {
        ValueType::String
    }
}

impl ValidateNapiValue for JsChunk {}

impl FromNapiValue for JsChunk {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        Ok(Self { env, value })
    }
}

/// The request's records from its chunks and each record's UTF-8 length; `None` when the lengths do not
/// cut the chunks into their records (`PackedRecords::from_chunks`).
pub fn pack_chunks(chunks: &[JsChunk], lengths: &[u32]) -> napi::Result<Option<PackedRecords>> {
    let total = lengths.iter().map(|&length| length as usize).sum::<usize>();
    // Lengths that cannot be the chunks' (3 UTF-8 bytes at most per UTF-16 unit) allocate nothing.
    let mut units = 0usize;
    for chunk in chunks {
        units += chunk.utf16_length()?;
    }
    if total > units.saturating_mul(3) {
        return Ok(None);
    }
    let mut bytes = Vec::<u8>::with_capacity(total + SLACK);
    let mut chunk_ends = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        let spare = bytes.spare_capacity_mut();
        let mut written = 0;
        // SAFETY: `chunk` was passed to the call running now, so its value is alive; V8 writes at most
        // `spare.len()` bytes (its text cut at a character, then a NUL) and reports those before the NUL.
        let (buffer, size) = (spare.as_mut_ptr().cast(), spare.len());
        let status =
            unsafe { sys::napi_get_value_string_utf8(chunk.env, chunk.value, buffer, size, &mut written) };
        if status != sys::Status::napi_ok {
            return Err(not_a_string());
        }
        // SAFETY: the `written` bytes after the length are initialised (above), within the capacity.
        unsafe { bytes.set_len(bytes.len() + written) };
        chunk_ends.push(bytes.len());
    }
    Ok(PackedRecords::from_chunks(bytes, &chunk_ends, lengths))
}

fn not_a_string() -> napi::Error {
    to_napi(&ErrorInfo::binding("invalid_argument", "a JSON chunk is not a string"))
}

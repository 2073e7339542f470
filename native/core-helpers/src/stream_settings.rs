//! Everything a stream needs from the JS side, turned into the core's SDK and stream settings. The
//! engine in TypeScript owns offsets, limits, validation and waiting, so some core options are set so
//! that the core never interferes with it (see the comments on each).

use std::sync::Arc;

use databricks_zerobus_ingest_sdk::{
    StreamBuilder, TlsConfig, ZerobusError, ZerobusResult, ZerobusSdk, ZerobusSdkBuilder,
};
use prost::Message;
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint};

use crate::error_info::ErrorInfo;

/// The core keeps this many batches before its ingest waits (asynchronously, on the binding's
/// per-stream task). The engine bounds what is in flight; a smaller core limit only bounds the
/// core's up-front allocation (it pre-allocates its queues to this size).
pub const MAX_CORE_INFLIGHT_BATCHES: u32 = 65_536;

/// How long the core may drain queued ack callbacks at close; they only touch atomics.
pub const CALLBACK_DRAIN_MS: u64 = 1_000;

/// A wait that never ends in practice: the engine enforces `flushTimeoutMs` itself, and the binding
/// waits on the core only to learn about a terminal failure.
pub const UNBOUNDED_WAIT_MS: u64 = 100 * 365 * 24 * 3600 * 1000;

/// Settings of one stream, as given by the TS layer (already validated by `resolveStreamOptions`).
#[derive(Clone, Debug, Default)]
pub struct StreamSettings {
    pub endpoint: String,
    pub table_name: String,
    /// Serialized `DescriptorProto` for Proto streams; `None` means a JSON stream.
    pub descriptor_proto: Option<Vec<u8>>,
    pub tls: TlsSettings,
    pub sdk_identifier: String,
    pub application_name: Option<String>,
    pub max_inflight_records: u32,
    pub max_message_bytes: u32,
    pub recovery: bool,
    pub recovery_timeout_ms: u32,
    pub recovery_backoff_ms: u32,
    pub recovery_retries: u32,
    pub server_lack_of_ack_timeout_ms: u32,
    pub stream_paused_max_wait_time_ms: Option<u32>,
}

/// Extra trust for the gRPC connection; TLS is used only for `https://` endpoints (tonic connects
/// `http://` in plaintext whatever the TLS settings).
#[derive(Clone, Debug, Default)]
pub struct TlsSettings {
    /// PEM certificates trusted in addition to the system roots.
    pub ca_pem: Option<Vec<u8>>,
}

impl TlsConfig for TlsSettings {
    fn configure_endpoint(&self, endpoint: Endpoint) -> ZerobusResult<Endpoint> {
        let mut config = ClientTlsConfig::new().with_native_roots();
        if let Some(pem) = &self.ca_pem {
            config = config.ca_certificate(Certificate::from_pem(pem));
        }
        endpoint
            .tls_config(config)
            .map_err(|e| ZerobusError::InvalidArgument(format!("TLS settings were refused: {e}")))
    }
}

impl StreamSettings {
    /// The core SDK object for this stream (one channel per stream, as the core's default).
    pub fn build_sdk(&self) -> Result<ZerobusSdk, ErrorInfo> {
        let mut builder = ZerobusSdkBuilder::new()
            .endpoint(self.endpoint.clone())
            .tls_config(Arc::new(self.tls.clone()))
            .sdk_identifier(self.sdk_identifier.clone())
            .token_cache_enabled(false);
        if let Some(name) = &self.application_name {
            builder = builder.application_name(name.clone());
        }
        builder
            .build()
            .map_err(|e| ErrorInfo::from_core(&e, crate::ErrorOrigin::Create))
    }

    /// Applies the table, record type and options to a stream builder.
    pub fn configure<'a>(&self, builder: StreamBuilder<'a>) -> Result<StreamBuilder<'a>, ErrorInfo> {
        let builder = builder.table(self.table_name.clone());
        let builder = match &self.descriptor_proto {
            None => builder.json(),
            Some(bytes) => builder.compiled_proto(decode_descriptor(bytes)?),
        };
        Ok(builder
            .max_inflight_requests(self.max_inflight_records.min(MAX_CORE_INFLIGHT_BATCHES) as usize)
            // The engine measures whole requests against maxMessageBytes before accepting; the core
            // sums payloads only, so with the same bound it never refuses what the engine accepted.
            .max_ingest_payload_bytes(self.max_message_bytes as usize)
            .recovery(self.recovery)
            .recovery_timeout_ms(self.recovery_timeout_ms.into())
            .recovery_backoff_ms(self.recovery_backoff_ms.into())
            .recovery_retries(self.recovery_retries)
            .server_lack_of_ack_timeout_ms(self.server_lack_of_ack_timeout_ms.into())
            .flush_timeout_ms(UNBOUNDED_WAIT_MS)
            .stream_paused_max_wait_time_ms(self.stream_paused_max_wait_time_ms.map(u64::from))
            .callback_max_wait_time_ms(Some(CALLBACK_DRAIN_MS)))
    }
}

/// Decodes the serialized `DescriptorProto` the SDK derived.
pub fn decode_descriptor(bytes: &[u8]) -> Result<prost_types::DescriptorProto, ErrorInfo> {
    prost_types::DescriptorProto::decode(bytes).map_err(|e| {
        ErrorInfo::binding(
            "invalid_argument",
            format!("descriptorProto is not a serialized DescriptorProto: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_descriptor_and_refuses_garbage() {
        let descriptor = prost_types::DescriptorProto {
            name: Some("Row".into()),
            ..Default::default()
        };
        let decoded = decode_descriptor(&descriptor.encode_to_vec()).unwrap();
        assert_eq!(decoded.name.as_deref(), Some("Row"));
        let error = decode_descriptor(&[0xff, 0xff, 0xff]).unwrap_err();
        assert_eq!(error.code, "invalid_argument");
    }

    #[test]
    fn builds_an_sdk_for_plaintext_and_tls_endpoints() {
        for endpoint in ["http://127.0.0.1:1", "https://123.zerobus.example.com"] {
            let settings = StreamSettings {
                endpoint: endpoint.into(),
                sdk_identifier: "zerobus-node/0.1.0".into(),
                application_name: Some("my-app/1.0".into()),
                ..Default::default()
            };
            let sdk = settings.build_sdk().unwrap();
            assert_eq!(sdk.zerobus_endpoint, endpoint);
        }
    }

    #[test]
    fn refuses_an_application_name_that_is_not_a_header_value() {
        let settings = StreamSettings {
            endpoint: "http://127.0.0.1:1".into(),
            sdk_identifier: "zerobus-node/0.1.0".into(),
            application_name: Some("bad\u{7f}name".into()),
            ..Default::default()
        };
        assert_eq!(settings.build_sdk().err().map(|e| e.code), Some("invalid_argument"));
    }
}

//! rustls set-up for the probe: accept any certificate (the engine judges the chain), record
//! whether the server asked for a client certificate, never resume sessions.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ResolvesClientCert, Resumption};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::sign::CertifiedKey;
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme, SupportedProtocolVersion};

pub const ALPN_POSTGRESQL: &[u8] = b"postgresql";

/// Accepts whatever chain the server presents, so that the probe can record it; the handshake
/// signature is still verified, so the server must hold the key of the certificate it sent.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// Notes a CertificateRequest and answers it with no certificate, as libpq does without
/// `sslcert`; PostgreSQL only fails such a client later, in pg_hba's `cert`/`clientcert` check.
#[derive(Debug, Default)]
pub struct CertificateRequestSeen(AtomicBool);

impl CertificateRequestSeen {
    pub fn seen(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

impl ResolvesClientCert for CertificateRequestSeen {
    fn resolve(&self, _root_hint_subjects: &[&[u8]], _sigschemes: &[SignatureScheme]) -> Option<Arc<CertifiedKey>> {
        self.0.store(true, Ordering::Relaxed);
        None
    }

    fn has_certs(&self) -> bool {
        true
    }
}

/// A client configuration for one probe connection.
pub fn client_config(
    versions: &[&'static SupportedProtocolVersion],
    alpn: bool,
    seen: Arc<CertificateRequestSeen>,
) -> Result<Arc<ClientConfig>, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(versions)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider)))
        .with_client_cert_resolver(seen);
    config.resumption = Resumption::disabled();
    if alpn {
        config.alpn_protocols = vec![ALPN_POSTGRESQL.to_vec()];
    }
    Ok(Arc::new(config))
}

/// The server name to send: the SNI override, else the host; address literals give an
/// `IpAddress` name, for which rustls sends no SNI (as libpq does).
pub fn server_name(host: &str, sni: Option<&str>) -> ServerName<'static> {
    let name = sni.unwrap_or(host).trim_start_matches('[').trim_end_matches(']');
    ServerName::try_from(name.to_string())
        .unwrap_or_else(|_| ServerName::try_from("invalid.invalid".to_string()).expect("a valid DNS name"))
}

/// `TLSv1.3` from rustls' version, as `pg_stat_ssl` writes it.
pub fn version_label(v: rustls::ProtocolVersion) -> String {
    match v {
        rustls::ProtocolVersion::TLSv1_3 => "TLSv1.3".into(),
        rustls::ProtocolVersion::TLSv1_2 => "TLSv1.2".into(),
        other => format!("{other:?}"),
    }
}

/// The IANA name of a suite (rustls spells TLS 1.3 suites `TLS13_...`).
pub fn suite_label(s: rustls::CipherSuite) -> String {
    let name = s.as_str().map_or_else(|| format!("{s:?}"), str::to_string);
    name.strip_prefix("TLS13_").map_or(name.clone(), |rest| format!("TLS_{rest}"))
}

/// PEM text of one DER certificate.
pub fn pem(der: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or(""));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

//! OpenSSL 3.0's TLS 1.2-and-below cipher table and its cipher-string aliases.
//!
//! The suites are those `openssl ciphers -v 'ALL:COMPLEMENTOFALL'` lists for OpenSSL 3.0 with
//! the default provider (3DES, RC4, DES, IDEA, SEED and GOST suites are not built or not
//! loadable there, so no cipher string can enable them). They are listed in OpenSSL's default
//! preference order: the order `ssl_create_cipher_list` leaves its list in before the user's
//! string is applied (ECDHE before others, AEAD first, strongest first, ...). Every operator
//! of the cipher-string algebra works on that order, so it is kept as data rather than
//! re-derived from OpenSSL's source table.
//!
//! The masks mirror `ssl_local.h`: each suite has one bit in each of the key-exchange,
//! authentication, encryption and MAC masks, and aliases are unions of bits.

use serde::{Deserialize, Serialize};

/// Key-exchange bits (`SSL_k*`).
pub mod kx {
    pub const RSA: u32 = 1 << 0;
    pub const DHE: u32 = 1 << 1;
    pub const ECDHE: u32 = 1 << 2;
    pub const PSK: u32 = 1 << 3;
    pub const GOST: u32 = 1 << 4;
    pub const SRP: u32 = 1 << 5;
    pub const RSAPSK: u32 = 1 << 6;
    pub const ECDHEPSK: u32 = 1 << 7;
    pub const DHEPSK: u32 = 1 << 8;
    pub const GOST18: u32 = 1 << 9;
    /// Every pre-shared-key exchange (`SSL_PSK`).
    pub const ANY_PSK: u32 = PSK | RSAPSK | ECDHEPSK | DHEPSK;
    /// Exchanges with forward secrecy.
    pub const FORWARD_SECRET: u32 = DHE | ECDHE | DHEPSK | ECDHEPSK;
}

/// Authentication bits (`SSL_a*`).
pub mod au {
    pub const RSA: u32 = 1 << 0;
    pub const DSS: u32 = 1 << 1;
    pub const NULL: u32 = 1 << 2;
    pub const ECDSA: u32 = 1 << 3;
    pub const PSK: u32 = 1 << 4;
    pub const GOST01: u32 = 1 << 5;
    pub const SRP: u32 = 1 << 6;
    pub const GOST12: u32 = 1 << 7;
}

/// Bulk-encryption bits (`SSL_*` in the encryption mask).
pub mod enc {
    pub const DES: u32 = 1 << 0;
    pub const TDES: u32 = 1 << 1;
    pub const RC4: u32 = 1 << 2;
    pub const RC2: u32 = 1 << 3;
    pub const IDEA: u32 = 1 << 4;
    pub const NULL: u32 = 1 << 5;
    pub const AES128: u32 = 1 << 6;
    pub const AES256: u32 = 1 << 7;
    pub const CAMELLIA128: u32 = 1 << 8;
    pub const CAMELLIA256: u32 = 1 << 9;
    pub const GOST89: u32 = 1 << 10;
    pub const SEED: u32 = 1 << 11;
    pub const AES128GCM: u32 = 1 << 12;
    pub const AES256GCM: u32 = 1 << 13;
    pub const AES128CCM: u32 = 1 << 14;
    pub const AES256CCM: u32 = 1 << 15;
    pub const AES128CCM8: u32 = 1 << 16;
    pub const AES256CCM8: u32 = 1 << 17;
    pub const GOST89_12: u32 = 1 << 18;
    pub const CHACHA20POLY1305: u32 = 1 << 19;
    pub const ARIA128GCM: u32 = 1 << 20;
    pub const ARIA256GCM: u32 = 1 << 21;
    pub const MAGMA: u32 = 1 << 22;
    pub const KUZNYECHIK: u32 = 1 << 23;
    pub const AESGCM: u32 = AES128GCM | AES256GCM;
    pub const AESCCM: u32 = AES128CCM | AES256CCM | AES128CCM8 | AES256CCM8;
    pub const AES: u32 = AES128 | AES256 | AESGCM | AESCCM;
    pub const CAMELLIA: u32 = CAMELLIA128 | CAMELLIA256;
    pub const ARIAGCM: u32 = ARIA128GCM | ARIA256GCM;
    pub const CBC: u32 = DES | TDES | RC2 | IDEA | AES128 | AES256 | CAMELLIA128 | CAMELLIA256 | SEED;
}

/// MAC bits (`SSL_MD5`, `SSL_SHA1`, ...).
pub mod mac {
    pub const MD5: u32 = 1 << 0;
    pub const SHA1: u32 = 1 << 1;
    pub const GOST94: u32 = 1 << 2;
    pub const GOST89MAC: u32 = 1 << 3;
    pub const SHA256: u32 = 1 << 4;
    pub const SHA384: u32 = 1 << 5;
    pub const AEAD: u32 = 1 << 6;
    pub const GOST12_256: u32 = 1 << 7;
    pub const GOST89MAC12: u32 = 1 << 8;
    pub const GOST12_512: u32 = 1 << 9;
}

/// Strength-class bits (`algo_strength`): the first five are `SSL_STRONG_MASK`, the last is
/// `SSL_DEFAULT_MASK`.
pub mod strength {
    pub const NONE: u8 = 0x01;
    pub const LOW: u8 = 0x02;
    pub const MEDIUM: u8 = 0x04;
    pub const HIGH: u8 = 0x08;
    pub const FIPS: u8 = 0x10;
    pub const NOT_DEFAULT: u8 = 0x20;
    pub const STRONG_MASK: u8 = 0x1F;
    pub const DEFAULT_MASK: u8 = 0x20;
}

/// The lowest protocol version a suite can be used with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Protocol {
    #[serde(rename = "SSLv3")]
    Ssl3,
    #[serde(rename = "TLSv1")]
    Tls1,
    #[serde(rename = "TLSv1.2")]
    Tls12,
    #[serde(rename = "TLSv1.3")]
    Tls13,
}

impl Protocol {
    /// As `openssl ciphers -v` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Ssl3 => "SSLv3",
            Protocol::Tls1 => "TLSv1",
            Protocol::Tls12 => "TLSv1.2",
            Protocol::Tls13 => "TLSv1.3",
        }
    }
}

/// One TLS 1.2-and-below cipher suite.
#[derive(Debug, PartialEq, Eq)]
pub struct Suite {
    /// OpenSSL's name, e.g. `ECDHE-RSA-AES128-GCM-SHA256`.
    pub name: &'static str,
    /// The IANA (RFC) name, e.g. `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`.
    pub iana: &'static str,
    /// The two-byte code point.
    pub id: u16,
    pub min_tls: Protocol,
    /// One bit of [`kx`].
    pub kx: u32,
    /// One bit of [`au`].
    pub au: u32,
    /// One bit of [`enc`].
    pub enc: u32,
    /// One bit of [`mac`].
    pub mac: u32,
    /// Bits of [`strength`].
    pub strength: u8,
    /// Symmetric key bits (OpenSSL's `strength_bits`, which equals `alg_bits` for every suite
    /// in this table).
    pub bits: u16,
}

impl Suite {
    /// `Kx=` of `openssl ciphers -v`.
    pub fn kx_name(&self) -> &'static str {
        match self.kx {
            kx::RSA => "RSA",
            kx::DHE => "DH",
            kx::ECDHE => "ECDH",
            kx::PSK => "PSK",
            kx::RSAPSK => "RSAPSK",
            kx::ECDHEPSK => "ECDHEPSK",
            kx::DHEPSK => "DHEPSK",
            kx::SRP => "SRP",
            _ => "unknown",
        }
    }

    /// `Au=` of `openssl ciphers -v`.
    pub fn au_name(&self) -> &'static str {
        match self.au {
            au::RSA => "RSA",
            au::DSS => "DSS",
            au::NULL => "None",
            au::ECDSA => "ECDSA",
            au::PSK => "PSK",
            au::SRP => "SRP",
            _ => "unknown",
        }
    }

    /// The cipher family of `Enc=`, without the bits.
    pub fn enc_family(&self) -> &'static str {
        match self.enc {
            enc::AES128 | enc::AES256 => "AES",
            enc::AES128GCM | enc::AES256GCM => "AESGCM",
            enc::AES128CCM | enc::AES256CCM => "AESCCM",
            enc::AES128CCM8 | enc::AES256CCM8 => "AESCCM8",
            enc::CAMELLIA128 | enc::CAMELLIA256 => "Camellia",
            enc::ARIA128GCM | enc::ARIA256GCM => "ARIAGCM",
            enc::CHACHA20POLY1305 => "CHACHA20/POLY1305",
            enc::NULL => "None",
            enc::TDES => "3DES",
            enc::RC4 => "RC4",
            _ => "unknown",
        }
    }

    /// `Enc=` of `openssl ciphers -v`, e.g. `AESGCM(256)` or `None`.
    pub fn enc_name(&self) -> String {
        if self.enc == enc::NULL {
            "None".to_string()
        } else {
            format!("{}({})", self.enc_family(), self.bits)
        }
    }

    /// `Mac=` of `openssl ciphers -v`.
    pub fn mac_name(&self) -> &'static str {
        match self.mac {
            mac::MD5 => "MD5",
            mac::SHA1 => "SHA1",
            mac::SHA256 => "SHA256",
            mac::SHA384 => "SHA384",
            mac::AEAD => "AEAD",
            _ => "unknown",
        }
    }

    /// One line of `openssl ciphers -v` (`SSL_CIPHER_description`), without the newline.
    pub fn description(&self) -> String {
        format!(
            "{:<30} {:<7} Kx={:<8} Au={:<5} Enc={:<22} Mac={:<4}",
            self.name,
            self.min_tls.as_str(),
            self.kx_name(),
            self.au_name(),
            self.enc_name(),
            self.mac_name()
        )
    }

    pub fn is_forward_secret(&self) -> bool {
        self.kx & kx::FORWARD_SECRET != 0
    }

    pub fn is_aead(&self) -> bool {
        self.mac == mac::AEAD
    }

    pub fn is_cbc(&self) -> bool {
        self.enc & enc::CBC != 0
    }

    /// Pre-shared-key and SRP suites: a server negotiates them only when the application
    /// installs a PSK or SRP callback, which PostgreSQL never does.
    pub fn needs_psk_or_srp(&self) -> bool {
        self.kx & (kx::ANY_PSK | kx::SRP) != 0 || self.au & (au::PSK | au::SRP) != 0
    }
}

use strength::{FIPS, HIGH, NONE as STRONG_NONE, NOT_DEFAULT};
use Protocol::{Ssl3, Tls1, Tls12};

#[allow(clippy::too_many_arguments)]
const fn suite(
    name: &'static str,
    iana: &'static str,
    id: u16,
    min_tls: Protocol,
    kx: u32,
    au: u32,
    enc: u32,
    mac: u32,
    strength: u8,
    not_default: bool,
) -> Suite {
    let bits = match enc {
        enc::NULL => 0,
        enc::AES128 | enc::AES128GCM | enc::AES128CCM | enc::AES128CCM8 | enc::CAMELLIA128
        | enc::ARIA128GCM => 128,
        _ => 256,
    };
    let strength = if not_default { strength | NOT_DEFAULT } else { strength };
    Suite { name, iana, id, min_tls, kx, au, enc, mac, strength, bits }
}

const KRSA: u32 = kx::RSA;
const KDHE: u32 = kx::DHE;
const KECDHE: u32 = kx::ECDHE;
const KPSK: u32 = kx::PSK;
const KRSAPSK: u32 = kx::RSAPSK;
const KECDHEPSK: u32 = kx::ECDHEPSK;
const KDHEPSK: u32 = kx::DHEPSK;
const KSRP: u32 = kx::SRP;
const ARSA: u32 = au::RSA;
const ADSS: u32 = au::DSS;
const ANULL: u32 = au::NULL;
const AECDSA: u32 = au::ECDSA;
const APSK: u32 = au::PSK;
const ASRP: u32 = au::SRP;
use enc::{
    AES128 as Aes128, AES128CCM as Aes128Ccm, AES128CCM8 as Aes128Ccm8, AES128GCM as Aes128Gcm,
    AES256 as Aes256, AES256CCM as Aes256Ccm, AES256CCM8 as Aes256Ccm8, AES256GCM as Aes256Gcm,
    ARIA128GCM as Aria128Gcm, ARIA256GCM as Aria256Gcm, CAMELLIA128 as Camellia128,
    CAMELLIA256 as Camellia256, CHACHA20POLY1305 as Chacha20Poly1305, NULL as Null,
};
use mac::{AEAD as Aead, MD5 as Md5, SHA1 as Sha1, SHA256 as Sha256, SHA384 as Sha384};

/// Every suite, in OpenSSL's default preference order.
pub static SUITES: [Suite; 155] = [
    suite("ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 0xC02C, Tls12, KECDHE, AECDSA, Aes256Gcm, Aead, HIGH | FIPS, false),
    suite("ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0xC030, Tls12, KECDHE, ARSA, Aes256Gcm, Aead, HIGH | FIPS, false),
    suite("DHE-DSS-AES256-GCM-SHA384", "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", 0x00A3, Tls12, KDHE, ADSS, Aes256Gcm, Aead, HIGH | FIPS, true),
    suite("DHE-RSA-AES256-GCM-SHA384", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", 0x009F, Tls12, KDHE, ARSA, Aes256Gcm, Aead, HIGH | FIPS, false),
    suite("ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA9, Tls12, KECDHE, AECDSA, Chacha20Poly1305, Aead, HIGH, false),
    suite("ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA8, Tls12, KECDHE, ARSA, Chacha20Poly1305, Aead, HIGH, false),
    suite("DHE-RSA-CHACHA20-POLY1305", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCAA, Tls12, KDHE, ARSA, Chacha20Poly1305, Aead, HIGH, false),
    suite("ECDHE-ECDSA-AES256-CCM8", "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", 0xC0AF, Tls12, KECDHE, AECDSA, Aes256Ccm8, Aead, HIGH, true),
    suite("ECDHE-ECDSA-AES256-CCM", "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", 0xC0AD, Tls12, KECDHE, AECDSA, Aes256Ccm, Aead, HIGH, true),
    suite("DHE-RSA-AES256-CCM8", "TLS_DHE_RSA_WITH_AES_256_CCM_8", 0xC0A3, Tls12, KDHE, ARSA, Aes256Ccm8, Aead, HIGH, true),
    suite("DHE-RSA-AES256-CCM", "TLS_DHE_RSA_WITH_AES_256_CCM", 0xC09F, Tls12, KDHE, ARSA, Aes256Ccm, Aead, HIGH, true),
    suite("ECDHE-ECDSA-ARIA256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384", 0xC05D, Tls12, KECDHE, AECDSA, Aria256Gcm, Aead, HIGH, true),
    suite("ECDHE-ARIA256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384", 0xC061, Tls12, KECDHE, ARSA, Aria256Gcm, Aead, HIGH, true),
    suite("DHE-DSS-ARIA256-GCM-SHA384", "TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384", 0xC057, Tls12, KDHE, ADSS, Aria256Gcm, Aead, HIGH, true),
    suite("DHE-RSA-ARIA256-GCM-SHA384", "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384", 0xC053, Tls12, KDHE, ARSA, Aria256Gcm, Aead, HIGH, true),
    suite("ADH-AES256-GCM-SHA384", "TLS_DH_anon_WITH_AES_256_GCM_SHA384", 0x00A7, Tls12, KDHE, ANULL, Aes256Gcm, Aead, HIGH | FIPS, true),
    suite("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xC02B, Tls12, KECDHE, AECDSA, Aes128Gcm, Aead, HIGH | FIPS, false),
    suite("ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xC02F, Tls12, KECDHE, ARSA, Aes128Gcm, Aead, HIGH | FIPS, false),
    suite("DHE-DSS-AES128-GCM-SHA256", "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", 0x00A2, Tls12, KDHE, ADSS, Aes128Gcm, Aead, HIGH | FIPS, true),
    suite("DHE-RSA-AES128-GCM-SHA256", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", 0x009E, Tls12, KDHE, ARSA, Aes128Gcm, Aead, HIGH | FIPS, false),
    suite("ECDHE-ECDSA-AES128-CCM8", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", 0xC0AE, Tls12, KECDHE, AECDSA, Aes128Ccm8, Aead, HIGH, true),
    suite("ECDHE-ECDSA-AES128-CCM", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", 0xC0AC, Tls12, KECDHE, AECDSA, Aes128Ccm, Aead, HIGH, true),
    suite("DHE-RSA-AES128-CCM8", "TLS_DHE_RSA_WITH_AES_128_CCM_8", 0xC0A2, Tls12, KDHE, ARSA, Aes128Ccm8, Aead, HIGH, true),
    suite("DHE-RSA-AES128-CCM", "TLS_DHE_RSA_WITH_AES_128_CCM", 0xC09E, Tls12, KDHE, ARSA, Aes128Ccm, Aead, HIGH, true),
    suite("ECDHE-ECDSA-ARIA128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256", 0xC05C, Tls12, KECDHE, AECDSA, Aria128Gcm, Aead, HIGH, true),
    suite("ECDHE-ARIA128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256", 0xC060, Tls12, KECDHE, ARSA, Aria128Gcm, Aead, HIGH, true),
    suite("DHE-DSS-ARIA128-GCM-SHA256", "TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256", 0xC056, Tls12, KDHE, ADSS, Aria128Gcm, Aead, HIGH, true),
    suite("DHE-RSA-ARIA128-GCM-SHA256", "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256", 0xC052, Tls12, KDHE, ARSA, Aria128Gcm, Aead, HIGH, true),
    suite("ADH-AES128-GCM-SHA256", "TLS_DH_anon_WITH_AES_128_GCM_SHA256", 0x00A6, Tls12, KDHE, ANULL, Aes128Gcm, Aead, HIGH | FIPS, true),
    suite("ECDHE-ECDSA-AES256-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", 0xC024, Tls12, KECDHE, AECDSA, Aes256, Sha384, HIGH | FIPS, false),
    suite("ECDHE-RSA-AES256-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", 0xC028, Tls12, KECDHE, ARSA, Aes256, Sha384, HIGH | FIPS, false),
    suite("DHE-RSA-AES256-SHA256", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", 0x006B, Tls12, KDHE, ARSA, Aes256, Sha256, HIGH | FIPS, false),
    suite("DHE-DSS-AES256-SHA256", "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", 0x006A, Tls12, KDHE, ADSS, Aes256, Sha256, HIGH | FIPS, true),
    suite("ECDHE-ECDSA-CAMELLIA256-SHA384", "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384", 0xC073, Tls12, KECDHE, AECDSA, Camellia256, Sha384, HIGH, true),
    suite("ECDHE-RSA-CAMELLIA256-SHA384", "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384", 0xC077, Tls12, KECDHE, ARSA, Camellia256, Sha384, HIGH, true),
    suite("DHE-RSA-CAMELLIA256-SHA256", "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256", 0x00C4, Tls12, KDHE, ARSA, Camellia256, Sha256, HIGH, true),
    suite("DHE-DSS-CAMELLIA256-SHA256", "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256", 0x00C3, Tls12, KDHE, ADSS, Camellia256, Sha256, HIGH, true),
    suite("ADH-AES256-SHA256", "TLS_DH_anon_WITH_AES_256_CBC_SHA256", 0x006D, Tls12, KDHE, ANULL, Aes256, Sha256, HIGH | FIPS, true),
    suite("ADH-CAMELLIA256-SHA256", "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256", 0x00C5, Tls12, KDHE, ANULL, Camellia256, Sha256, HIGH, true),
    suite("ECDHE-ECDSA-AES128-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", 0xC023, Tls12, KECDHE, AECDSA, Aes128, Sha256, HIGH | FIPS, false),
    suite("ECDHE-RSA-AES128-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", 0xC027, Tls12, KECDHE, ARSA, Aes128, Sha256, HIGH | FIPS, false),
    suite("DHE-RSA-AES128-SHA256", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", 0x0067, Tls12, KDHE, ARSA, Aes128, Sha256, HIGH | FIPS, false),
    suite("DHE-DSS-AES128-SHA256", "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", 0x0040, Tls12, KDHE, ADSS, Aes128, Sha256, HIGH | FIPS, true),
    suite("ECDHE-ECDSA-CAMELLIA128-SHA256", "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256", 0xC072, Tls12, KECDHE, AECDSA, Camellia128, Sha256, HIGH, true),
    suite("ECDHE-RSA-CAMELLIA128-SHA256", "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", 0xC076, Tls12, KECDHE, ARSA, Camellia128, Sha256, HIGH, true),
    suite("DHE-RSA-CAMELLIA128-SHA256", "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", 0x00BE, Tls12, KDHE, ARSA, Camellia128, Sha256, HIGH, true),
    suite("DHE-DSS-CAMELLIA128-SHA256", "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256", 0x00BD, Tls12, KDHE, ADSS, Camellia128, Sha256, HIGH, true),
    suite("ADH-AES128-SHA256", "TLS_DH_anon_WITH_AES_128_CBC_SHA256", 0x006C, Tls12, KDHE, ANULL, Aes128, Sha256, HIGH | FIPS, true),
    suite("ADH-CAMELLIA128-SHA256", "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256", 0x00BF, Tls12, KDHE, ANULL, Camellia128, Sha256, HIGH, true),
    suite("ECDHE-ECDSA-AES256-SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", 0xC00A, Tls1, KECDHE, AECDSA, Aes256, Sha1, HIGH | FIPS, false),
    suite("ECDHE-RSA-AES256-SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", 0xC014, Tls1, KECDHE, ARSA, Aes256, Sha1, HIGH | FIPS, false),
    suite("DHE-RSA-AES256-SHA", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", 0x0039, Ssl3, KDHE, ARSA, Aes256, Sha1, HIGH | FIPS, false),
    suite("DHE-DSS-AES256-SHA", "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", 0x0038, Ssl3, KDHE, ADSS, Aes256, Sha1, HIGH | FIPS, true),
    suite("DHE-RSA-CAMELLIA256-SHA", "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA", 0x0088, Ssl3, KDHE, ARSA, Camellia256, Sha1, HIGH, true),
    suite("DHE-DSS-CAMELLIA256-SHA", "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA", 0x0087, Ssl3, KDHE, ADSS, Camellia256, Sha1, HIGH, true),
    suite("AECDH-AES256-SHA", "TLS_ECDH_anon_WITH_AES_256_CBC_SHA", 0xC019, Tls1, KECDHE, ANULL, Aes256, Sha1, HIGH | FIPS, true),
    suite("ADH-AES256-SHA", "TLS_DH_anon_WITH_AES_256_CBC_SHA", 0x003A, Ssl3, KDHE, ANULL, Aes256, Sha1, HIGH | FIPS, true),
    suite("ADH-CAMELLIA256-SHA", "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA", 0x0089, Ssl3, KDHE, ANULL, Camellia256, Sha1, HIGH, true),
    suite("ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xC009, Tls1, KECDHE, AECDSA, Aes128, Sha1, HIGH | FIPS, false),
    suite("ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 0xC013, Tls1, KECDHE, ARSA, Aes128, Sha1, HIGH | FIPS, false),
    suite("DHE-RSA-AES128-SHA", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", 0x0033, Ssl3, KDHE, ARSA, Aes128, Sha1, HIGH | FIPS, false),
    suite("DHE-DSS-AES128-SHA", "TLS_DHE_DSS_WITH_AES_128_CBC_SHA", 0x0032, Ssl3, KDHE, ADSS, Aes128, Sha1, HIGH | FIPS, true),
    suite("DHE-RSA-CAMELLIA128-SHA", "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA", 0x0045, Ssl3, KDHE, ARSA, Camellia128, Sha1, HIGH, true),
    suite("DHE-DSS-CAMELLIA128-SHA", "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA", 0x0044, Ssl3, KDHE, ADSS, Camellia128, Sha1, HIGH, true),
    suite("AECDH-AES128-SHA", "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", 0xC018, Tls1, KECDHE, ANULL, Aes128, Sha1, HIGH | FIPS, true),
    suite("ADH-AES128-SHA", "TLS_DH_anon_WITH_AES_128_CBC_SHA", 0x0034, Ssl3, KDHE, ANULL, Aes128, Sha1, HIGH | FIPS, true),
    suite("ADH-CAMELLIA128-SHA", "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA", 0x0046, Ssl3, KDHE, ANULL, Camellia128, Sha1, HIGH, true),
    suite("ECDHE-ECDSA-NULL-SHA", "TLS_ECDHE_ECDSA_WITH_NULL_SHA", 0xC006, Tls1, KECDHE, AECDSA, Null, Sha1, STRONG_NONE, false),
    suite("ECDHE-RSA-NULL-SHA", "TLS_ECDHE_RSA_WITH_NULL_SHA", 0xC010, Tls1, KECDHE, ARSA, Null, Sha1, STRONG_NONE, false),
    suite("AECDH-NULL-SHA", "TLS_ECDH_anon_WITH_NULL_SHA", 0xC015, Tls1, KECDHE, ANULL, Null, Sha1, STRONG_NONE, false),
    suite("RSA-PSK-AES256-GCM-SHA384", "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384", 0x00AD, Tls12, KRSAPSK, ARSA, Aes256Gcm, Aead, HIGH | FIPS, false),
    suite("DHE-PSK-AES256-GCM-SHA384", "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384", 0x00AB, Tls12, KDHEPSK, APSK, Aes256Gcm, Aead, HIGH | FIPS, false),
    suite("RSA-PSK-CHACHA20-POLY1305", "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256", 0xCCAE, Tls12, KRSAPSK, ARSA, Chacha20Poly1305, Aead, HIGH, false),
    suite("DHE-PSK-CHACHA20-POLY1305", "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256", 0xCCAD, Tls12, KDHEPSK, APSK, Chacha20Poly1305, Aead, HIGH, false),
    suite("ECDHE-PSK-CHACHA20-POLY1305", "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256", 0xCCAC, Tls12, KECDHEPSK, APSK, Chacha20Poly1305, Aead, HIGH, false),
    suite("DHE-PSK-AES256-CCM8", "TLS_PSK_DHE_WITH_AES_256_CCM_8", 0xC0AB, Tls12, KDHEPSK, APSK, Aes256Ccm8, Aead, HIGH, true),
    suite("DHE-PSK-AES256-CCM", "TLS_DHE_PSK_WITH_AES_256_CCM", 0xC0A7, Tls12, KDHEPSK, APSK, Aes256Ccm, Aead, HIGH, true),
    suite("RSA-PSK-ARIA256-GCM-SHA384", "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384", 0xC06F, Tls12, KRSAPSK, ARSA, Aria256Gcm, Aead, HIGH, true),
    suite("DHE-PSK-ARIA256-GCM-SHA384", "TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384", 0xC06D, Tls12, KDHEPSK, APSK, Aria256Gcm, Aead, HIGH, true),
    suite("AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384", 0x009D, Tls12, KRSA, ARSA, Aes256Gcm, Aead, HIGH | FIPS, false),
    suite("AES256-CCM8", "TLS_RSA_WITH_AES_256_CCM_8", 0xC0A1, Tls12, KRSA, ARSA, Aes256Ccm8, Aead, HIGH, true),
    suite("AES256-CCM", "TLS_RSA_WITH_AES_256_CCM", 0xC09D, Tls12, KRSA, ARSA, Aes256Ccm, Aead, HIGH, true),
    suite("ARIA256-GCM-SHA384", "TLS_RSA_WITH_ARIA_256_GCM_SHA384", 0xC051, Tls12, KRSA, ARSA, Aria256Gcm, Aead, HIGH, true),
    suite("PSK-AES256-GCM-SHA384", "TLS_PSK_WITH_AES_256_GCM_SHA384", 0x00A9, Tls12, KPSK, APSK, Aes256Gcm, Aead, HIGH | FIPS, false),
    suite("PSK-CHACHA20-POLY1305", "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256", 0xCCAB, Tls12, KPSK, APSK, Chacha20Poly1305, Aead, HIGH, false),
    suite("PSK-AES256-CCM8", "TLS_PSK_WITH_AES_256_CCM_8", 0xC0A9, Tls12, KPSK, APSK, Aes256Ccm8, Aead, HIGH, true),
    suite("PSK-AES256-CCM", "TLS_PSK_WITH_AES_256_CCM", 0xC0A5, Tls12, KPSK, APSK, Aes256Ccm, Aead, HIGH, true),
    suite("PSK-ARIA256-GCM-SHA384", "TLS_PSK_WITH_ARIA_256_GCM_SHA384", 0xC06B, Tls12, KPSK, APSK, Aria256Gcm, Aead, HIGH, true),
    suite("RSA-PSK-AES128-GCM-SHA256", "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256", 0x00AC, Tls12, KRSAPSK, ARSA, Aes128Gcm, Aead, HIGH | FIPS, false),
    suite("DHE-PSK-AES128-GCM-SHA256", "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256", 0x00AA, Tls12, KDHEPSK, APSK, Aes128Gcm, Aead, HIGH | FIPS, false),
    suite("DHE-PSK-AES128-CCM8", "TLS_PSK_DHE_WITH_AES_128_CCM_8", 0xC0AA, Tls12, KDHEPSK, APSK, Aes128Ccm8, Aead, HIGH, true),
    suite("DHE-PSK-AES128-CCM", "TLS_DHE_PSK_WITH_AES_128_CCM", 0xC0A6, Tls12, KDHEPSK, APSK, Aes128Ccm, Aead, HIGH, true),
    suite("RSA-PSK-ARIA128-GCM-SHA256", "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256", 0xC06E, Tls12, KRSAPSK, ARSA, Aria128Gcm, Aead, HIGH, true),
    suite("DHE-PSK-ARIA128-GCM-SHA256", "TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256", 0xC06C, Tls12, KDHEPSK, APSK, Aria128Gcm, Aead, HIGH, true),
    suite("AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256", 0x009C, Tls12, KRSA, ARSA, Aes128Gcm, Aead, HIGH | FIPS, false),
    suite("AES128-CCM8", "TLS_RSA_WITH_AES_128_CCM_8", 0xC0A0, Tls12, KRSA, ARSA, Aes128Ccm8, Aead, HIGH, true),
    suite("AES128-CCM", "TLS_RSA_WITH_AES_128_CCM", 0xC09C, Tls12, KRSA, ARSA, Aes128Ccm, Aead, HIGH, true),
    suite("ARIA128-GCM-SHA256", "TLS_RSA_WITH_ARIA_128_GCM_SHA256", 0xC050, Tls12, KRSA, ARSA, Aria128Gcm, Aead, HIGH, true),
    suite("PSK-AES128-GCM-SHA256", "TLS_PSK_WITH_AES_128_GCM_SHA256", 0x00A8, Tls12, KPSK, APSK, Aes128Gcm, Aead, HIGH | FIPS, false),
    suite("PSK-AES128-CCM8", "TLS_PSK_WITH_AES_128_CCM_8", 0xC0A8, Tls12, KPSK, APSK, Aes128Ccm8, Aead, HIGH, true),
    suite("PSK-AES128-CCM", "TLS_PSK_WITH_AES_128_CCM", 0xC0A4, Tls12, KPSK, APSK, Aes128Ccm, Aead, HIGH, true),
    suite("PSK-ARIA128-GCM-SHA256", "TLS_PSK_WITH_ARIA_128_GCM_SHA256", 0xC06A, Tls12, KPSK, APSK, Aria128Gcm, Aead, HIGH, true),
    suite("AES256-SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256", 0x003D, Tls12, KRSA, ARSA, Aes256, Sha256, HIGH | FIPS, false),
    suite("CAMELLIA256-SHA256", "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256", 0x00C0, Tls12, KRSA, ARSA, Camellia256, Sha256, HIGH, true),
    suite("AES128-SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256", 0x003C, Tls12, KRSA, ARSA, Aes128, Sha256, HIGH | FIPS, false),
    suite("CAMELLIA128-SHA256", "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256", 0x00BA, Tls12, KRSA, ARSA, Camellia128, Sha256, HIGH, true),
    suite("NULL-SHA256", "TLS_RSA_WITH_NULL_SHA256", 0x003B, Tls12, KRSA, ARSA, Null, Sha256, STRONG_NONE, false),
    suite("ECDHE-PSK-AES256-CBC-SHA384", "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384", 0xC038, Tls1, KECDHEPSK, APSK, Aes256, Sha384, HIGH | FIPS, false),
    suite("ECDHE-PSK-AES256-CBC-SHA", "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA", 0xC036, Tls1, KECDHEPSK, APSK, Aes256, Sha1, HIGH | FIPS, false),
    suite("SRP-DSS-AES-256-CBC-SHA", "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA", 0xC022, Ssl3, KSRP, ADSS, Aes256, Sha1, HIGH, true),
    suite("SRP-RSA-AES-256-CBC-SHA", "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA", 0xC021, Ssl3, KSRP, ARSA, Aes256, Sha1, HIGH, false),
    suite("SRP-AES-256-CBC-SHA", "TLS_SRP_SHA_WITH_AES_256_CBC_SHA", 0xC020, Ssl3, KSRP, ASRP, Aes256, Sha1, HIGH, false),
    suite("RSA-PSK-AES256-CBC-SHA384", "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384", 0x00B7, Tls1, KRSAPSK, ARSA, Aes256, Sha384, HIGH | FIPS, false),
    suite("DHE-PSK-AES256-CBC-SHA384", "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384", 0x00B3, Tls1, KDHEPSK, APSK, Aes256, Sha384, HIGH | FIPS, false),
    suite("RSA-PSK-AES256-CBC-SHA", "TLS_RSA_PSK_WITH_AES_256_CBC_SHA", 0x0095, Ssl3, KRSAPSK, ARSA, Aes256, Sha1, HIGH | FIPS, false),
    suite("DHE-PSK-AES256-CBC-SHA", "TLS_DHE_PSK_WITH_AES_256_CBC_SHA", 0x0091, Ssl3, KDHEPSK, APSK, Aes256, Sha1, HIGH | FIPS, false),
    suite("ECDHE-PSK-CAMELLIA256-SHA384", "TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384", 0xC09B, Tls1, KECDHEPSK, APSK, Camellia256, Sha384, HIGH, true),
    suite("RSA-PSK-CAMELLIA256-SHA384", "TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384", 0xC099, Tls1, KRSAPSK, ARSA, Camellia256, Sha384, HIGH, true),
    suite("DHE-PSK-CAMELLIA256-SHA384", "TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384", 0xC097, Tls1, KDHEPSK, APSK, Camellia256, Sha384, HIGH, true),
    suite("AES256-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA", 0x0035, Ssl3, KRSA, ARSA, Aes256, Sha1, HIGH | FIPS, false),
    suite("CAMELLIA256-SHA", "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA", 0x0084, Ssl3, KRSA, ARSA, Camellia256, Sha1, HIGH, true),
    suite("PSK-AES256-CBC-SHA384", "TLS_PSK_WITH_AES_256_CBC_SHA384", 0x00AF, Tls1, KPSK, APSK, Aes256, Sha384, HIGH | FIPS, false),
    suite("PSK-AES256-CBC-SHA", "TLS_PSK_WITH_AES_256_CBC_SHA", 0x008D, Ssl3, KPSK, APSK, Aes256, Sha1, HIGH | FIPS, false),
    suite("PSK-CAMELLIA256-SHA384", "TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384", 0xC095, Tls1, KPSK, APSK, Camellia256, Sha384, HIGH, true),
    suite("ECDHE-PSK-AES128-CBC-SHA256", "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256", 0xC037, Tls1, KECDHEPSK, APSK, Aes128, Sha256, HIGH | FIPS, false),
    suite("ECDHE-PSK-AES128-CBC-SHA", "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA", 0xC035, Tls1, KECDHEPSK, APSK, Aes128, Sha1, HIGH | FIPS, false),
    suite("SRP-DSS-AES-128-CBC-SHA", "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA", 0xC01F, Ssl3, KSRP, ADSS, Aes128, Sha1, HIGH, true),
    suite("SRP-RSA-AES-128-CBC-SHA", "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA", 0xC01E, Ssl3, KSRP, ARSA, Aes128, Sha1, HIGH, false),
    suite("SRP-AES-128-CBC-SHA", "TLS_SRP_SHA_WITH_AES_128_CBC_SHA", 0xC01D, Ssl3, KSRP, ASRP, Aes128, Sha1, HIGH, false),
    suite("RSA-PSK-AES128-CBC-SHA256", "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256", 0x00B6, Tls1, KRSAPSK, ARSA, Aes128, Sha256, HIGH | FIPS, false),
    suite("DHE-PSK-AES128-CBC-SHA256", "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256", 0x00B2, Tls1, KDHEPSK, APSK, Aes128, Sha256, HIGH | FIPS, false),
    suite("RSA-PSK-AES128-CBC-SHA", "TLS_RSA_PSK_WITH_AES_128_CBC_SHA", 0x0094, Ssl3, KRSAPSK, ARSA, Aes128, Sha1, HIGH | FIPS, false),
    suite("DHE-PSK-AES128-CBC-SHA", "TLS_DHE_PSK_WITH_AES_128_CBC_SHA", 0x0090, Ssl3, KDHEPSK, APSK, Aes128, Sha1, HIGH | FIPS, false),
    suite("ECDHE-PSK-CAMELLIA128-SHA256", "TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256", 0xC09A, Tls1, KECDHEPSK, APSK, Camellia128, Sha256, HIGH, true),
    suite("RSA-PSK-CAMELLIA128-SHA256", "TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256", 0xC098, Tls1, KRSAPSK, ARSA, Camellia128, Sha256, HIGH, true),
    suite("DHE-PSK-CAMELLIA128-SHA256", "TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256", 0xC096, Tls1, KDHEPSK, APSK, Camellia128, Sha256, HIGH, true),
    suite("AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA", 0x002F, Ssl3, KRSA, ARSA, Aes128, Sha1, HIGH | FIPS, false),
    suite("CAMELLIA128-SHA", "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA", 0x0041, Ssl3, KRSA, ARSA, Camellia128, Sha1, HIGH, true),
    suite("PSK-AES128-CBC-SHA256", "TLS_PSK_WITH_AES_128_CBC_SHA256", 0x00AE, Tls1, KPSK, APSK, Aes128, Sha256, HIGH | FIPS, false),
    suite("PSK-AES128-CBC-SHA", "TLS_PSK_WITH_AES_128_CBC_SHA", 0x008C, Ssl3, KPSK, APSK, Aes128, Sha1, HIGH | FIPS, false),
    suite("PSK-CAMELLIA128-SHA256", "TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256", 0xC094, Tls1, KPSK, APSK, Camellia128, Sha256, HIGH, true),
    suite("ECDHE-PSK-NULL-SHA384", "TLS_ECDHE_PSK_WITH_NULL_SHA384", 0xC03B, Tls1, KECDHEPSK, APSK, Null, Sha384, STRONG_NONE, false),
    suite("ECDHE-PSK-NULL-SHA256", "TLS_ECDHE_PSK_WITH_NULL_SHA256", 0xC03A, Tls1, KECDHEPSK, APSK, Null, Sha256, STRONG_NONE, false),
    suite("ECDHE-PSK-NULL-SHA", "TLS_ECDHE_PSK_WITH_NULL_SHA", 0xC039, Tls1, KECDHEPSK, APSK, Null, Sha1, STRONG_NONE, false),
    suite("RSA-PSK-NULL-SHA384", "TLS_RSA_PSK_WITH_NULL_SHA384", 0x00B9, Tls1, KRSAPSK, ARSA, Null, Sha384, STRONG_NONE, false),
    suite("RSA-PSK-NULL-SHA256", "TLS_RSA_PSK_WITH_NULL_SHA256", 0x00B8, Tls1, KRSAPSK, ARSA, Null, Sha256, STRONG_NONE, false),
    suite("DHE-PSK-NULL-SHA384", "TLS_DHE_PSK_WITH_NULL_SHA384", 0x00B5, Tls1, KDHEPSK, APSK, Null, Sha384, STRONG_NONE, false),
    suite("DHE-PSK-NULL-SHA256", "TLS_DHE_PSK_WITH_NULL_SHA256", 0x00B4, Tls1, KDHEPSK, APSK, Null, Sha256, STRONG_NONE, false),
    suite("RSA-PSK-NULL-SHA", "TLS_RSA_PSK_WITH_NULL_SHA", 0x002E, Ssl3, KRSAPSK, ARSA, Null, Sha1, STRONG_NONE, false),
    suite("DHE-PSK-NULL-SHA", "TLS_DHE_PSK_WITH_NULL_SHA", 0x002D, Ssl3, KDHEPSK, APSK, Null, Sha1, STRONG_NONE, false),
    suite("NULL-SHA", "TLS_RSA_WITH_NULL_SHA", 0x0002, Ssl3, KRSA, ARSA, Null, Sha1, STRONG_NONE, false),
    suite("NULL-MD5", "TLS_RSA_WITH_NULL_MD5", 0x0001, Ssl3, KRSA, ARSA, Null, Md5, STRONG_NONE, false),
    suite("PSK-NULL-SHA384", "TLS_PSK_WITH_NULL_SHA384", 0x00B1, Tls1, KPSK, APSK, Null, Sha384, STRONG_NONE, false),
    suite("PSK-NULL-SHA256", "TLS_PSK_WITH_NULL_SHA256", 0x00B0, Tls1, KPSK, APSK, Null, Sha256, STRONG_NONE, false),
    suite("PSK-NULL-SHA", "TLS_PSK_WITH_NULL_SHA", 0x002C, Ssl3, KPSK, APSK, Null, Sha1, STRONG_NONE, false),
];

/// A cipher-string alias (`cipher_aliases[]` in `ssl_ciph.c`): masks that select suites.
#[derive(Debug)]
pub struct Alias {
    pub name: &'static str,
    pub kx: u32,
    pub au: u32,
    pub enc: u32,
    pub mac: u32,
    pub min_tls: Option<Protocol>,
    pub strength: u8,
}

const fn alias(name: &'static str, kx: u32, au: u32, enc: u32, mac: u32) -> Alias {
    Alias { name, kx, au, enc, mac, min_tls: None, strength: 0 }
}

const fn version_alias(name: &'static str, min_tls: Protocol) -> Alias {
    Alias { name, kx: 0, au: 0, enc: 0, mac: 0, min_tls: Some(min_tls), strength: 0 }
}

const fn strength_alias(name: &'static str, enc: u32, strength: u8) -> Alias {
    Alias { name, kx: 0, au: 0, enc, mac: 0, min_tls: None, strength }
}

/// The aliases of OpenSSL 3.0, in its order (the first match wins, after the suite names).
pub static ALIASES: &[Alias] = &[
    alias("ALL", 0, 0, !enc::NULL, 0),
    alias("COMPLEMENTOFALL", 0, 0, enc::NULL, 0),
    strength_alias("COMPLEMENTOFDEFAULT", 0, NOT_DEFAULT),
    alias("kRSA", kx::RSA, 0, 0, 0),
    alias("kEDH", kx::DHE, 0, 0, 0),
    alias("kDHE", kx::DHE, 0, 0, 0),
    alias("DH", kx::DHE, 0, 0, 0),
    alias("kEECDH", kx::ECDHE, 0, 0, 0),
    alias("kECDHE", kx::ECDHE, 0, 0, 0),
    alias("ECDH", kx::ECDHE, 0, 0, 0),
    alias("kPSK", kx::PSK, 0, 0, 0),
    alias("kRSAPSK", kx::RSAPSK, 0, 0, 0),
    alias("kECDHEPSK", kx::ECDHEPSK, 0, 0, 0),
    alias("kDHEPSK", kx::DHEPSK, 0, 0, 0),
    alias("kSRP", kx::SRP, 0, 0, 0),
    alias("kGOST", kx::GOST, 0, 0, 0),
    alias("kGOST18", kx::GOST18, 0, 0, 0),
    alias("aRSA", 0, au::RSA, 0, 0),
    alias("aDSS", 0, au::DSS, 0, 0),
    alias("DSS", 0, au::DSS, 0, 0),
    alias("aNULL", 0, au::NULL, 0, 0),
    alias("aECDSA", 0, au::ECDSA, 0, 0),
    alias("ECDSA", 0, au::ECDSA, 0, 0),
    alias("aPSK", 0, au::PSK, 0, 0),
    alias("aGOST01", 0, au::GOST01, 0, 0),
    alias("aGOST12", 0, au::GOST12, 0, 0),
    alias("aGOST", 0, au::GOST01 | au::GOST12, 0, 0),
    alias("aSRP", 0, au::SRP, 0, 0),
    alias("EDH", kx::DHE, !au::NULL, 0, 0),
    alias("DHE", kx::DHE, !au::NULL, 0, 0),
    alias("EECDH", kx::ECDHE, !au::NULL, 0, 0),
    alias("ECDHE", kx::ECDHE, !au::NULL, 0, 0),
    alias("NULL", 0, 0, enc::NULL, 0),
    alias("RSA", kx::RSA, au::RSA, 0, 0),
    alias("ADH", kx::DHE, au::NULL, 0, 0),
    alias("AECDH", kx::ECDHE, au::NULL, 0, 0),
    alias("PSK", kx::ANY_PSK, 0, 0, 0),
    alias("SRP", kx::SRP, 0, 0, 0),
    alias("3DES", 0, 0, enc::TDES, 0),
    alias("RC4", 0, 0, enc::RC4, 0),
    alias("RC2", 0, 0, enc::RC2, 0),
    alias("IDEA", 0, 0, enc::IDEA, 0),
    alias("SEED", 0, 0, enc::SEED, 0),
    alias("eNULL", 0, 0, enc::NULL, 0),
    alias("GOST89", 0, 0, enc::GOST89 | enc::GOST89_12 | enc::MAGMA | enc::KUZNYECHIK, 0),
    alias("AES128", 0, 0, enc::AES128 | enc::AES128GCM | enc::AES128CCM | enc::AES128CCM8, 0),
    alias("AES256", 0, 0, enc::AES256 | enc::AES256GCM | enc::AES256CCM | enc::AES256CCM8, 0),
    alias("AES", 0, 0, enc::AES, 0),
    alias("AESGCM", 0, 0, enc::AESGCM, 0),
    alias("AESCCM", 0, 0, enc::AESCCM, 0),
    alias("AESCCM8", 0, 0, enc::AES128CCM8 | enc::AES256CCM8, 0),
    alias("CAMELLIA128", 0, 0, enc::CAMELLIA128, 0),
    alias("CAMELLIA256", 0, 0, enc::CAMELLIA256, 0),
    alias("CAMELLIA", 0, 0, enc::CAMELLIA, 0),
    alias("CHACHA20", 0, 0, enc::CHACHA20POLY1305, 0),
    alias("GOST2012-GOST8912-GOST8912", 0, 0, enc::GOST89_12, 0),
    alias("ARIA", 0, 0, enc::ARIAGCM, 0),
    alias("ARIAGCM", 0, 0, enc::ARIAGCM, 0),
    alias("ARIA128", 0, 0, enc::ARIA128GCM, 0),
    alias("ARIA256", 0, 0, enc::ARIA256GCM, 0),
    alias("CBC", 0, 0, enc::CBC, 0),
    alias("MD5", 0, 0, 0, mac::MD5),
    alias("SHA1", 0, 0, 0, mac::SHA1),
    alias("SHA", 0, 0, 0, mac::SHA1),
    alias("GOST94", 0, 0, 0, mac::GOST94),
    alias("GOST89MAC", 0, 0, 0, mac::GOST89MAC | mac::GOST89MAC12),
    alias("SHA256", 0, 0, 0, mac::SHA256),
    alias("SHA384", 0, 0, 0, mac::SHA384),
    alias("GOST12", 0, 0, 0, mac::GOST12_256),
    version_alias("SSLv3", Ssl3),
    version_alias("TLSv1", Tls1),
    version_alias("TLSv1.0", Tls1),
    version_alias("TLSv1.2", Tls12),
    strength_alias("LOW", 0, strength::LOW),
    strength_alias("MEDIUM", 0, strength::MEDIUM),
    strength_alias("HIGH", 0, HIGH),
    strength_alias("FIPS", !enc::NULL, FIPS),
    Alias {
        name: "EDH-DSS-DES-CBC3-SHA",
        kx: kx::DHE,
        au: au::DSS,
        enc: enc::TDES,
        mac: mac::SHA1,
        min_tls: None,
        strength: HIGH | FIPS,
    },
    Alias {
        name: "EDH-RSA-DES-CBC3-SHA",
        kx: kx::DHE,
        au: au::RSA,
        enc: enc::TDES,
        mac: mac::SHA1,
        min_tls: None,
        strength: HIGH | FIPS,
    },
];

/// The suite named `name` (OpenSSL or IANA name, case-sensitive as in OpenSSL).
pub fn suite_by_name(name: &str) -> Option<&'static Suite> {
    SUITES.iter().find(|s| s.name == name || s.iana == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ids_are_unique() {
        let mut names = std::collections::BTreeSet::new();
        let mut ids = std::collections::BTreeSet::new();
        for s in &SUITES {
            assert!(names.insert(s.name), "{}", s.name);
            assert!(names.insert(s.iana), "{}", s.iana);
            assert!(ids.insert(s.id), "{:#06x}", s.id);
        }
    }

    #[test]
    fn description_matches_openssl_layout() {
        let s = suite_by_name("ECDHE-ECDSA-AES256-GCM-SHA384").unwrap();
        assert_eq!(
            s.description(),
            "ECDHE-ECDSA-AES256-GCM-SHA384  TLSv1.2 Kx=ECDH     Au=ECDSA Enc=AESGCM(256)            Mac=AEAD"
        );
        let s = suite_by_name("TLS_RSA_WITH_NULL_MD5").unwrap();
        assert_eq!(
            s.description(),
            "NULL-MD5                       SSLv3   Kx=RSA      Au=RSA   Enc=None                   Mac=MD5 "
        );
    }
}

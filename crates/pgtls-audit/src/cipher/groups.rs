//! Key-exchange group names: `ssl_groups` (PostgreSQL 18+, `SSL_CTX_set1_groups_list`) and
//! `ssl_ecdh_curve` (PostgreSQL 17 and older, `OBJ_sn2nid` + `EC_KEY_new_by_curve_name`).

use crate::source::Span;

/// The group names OpenSSL 3.0's default provider accepts in a groups list, each with its
/// TLS group id (names sharing an id are aliases; naming one group twice is an error).
/// Names are case-sensitive: `x25519` and `X25519` are both listed names, `p-256` is not.
pub static GROUP_NAMES: &[(&str, u16)] = &[
    ("sect163k1", 1), ("K-163", 1), ("sect163r1", 2), ("sect163r2", 3), ("B-163", 3),
    ("sect193r1", 4), ("sect193r2", 5), ("sect233k1", 6), ("K-233", 6), ("sect233r1", 7),
    ("B-233", 7), ("sect239k1", 8), ("sect283k1", 9), ("K-283", 9), ("sect283r1", 10),
    ("B-283", 10), ("sect409k1", 11), ("K-409", 11), ("sect409r1", 12), ("B-409", 12),
    ("sect571k1", 13), ("K-571", 13), ("sect571r1", 14), ("B-571", 14), ("secp160k1", 15),
    ("secp160r1", 16), ("secp160r2", 17), ("secp192k1", 18), ("secp192r1", 19), ("P-192", 19),
    ("prime192v1", 19), ("secp224k1", 20), ("secp224r1", 21), ("P-224", 21), ("secp256k1", 22),
    ("secp256r1", 23), ("P-256", 23), ("prime256v1", 23), ("secp384r1", 24), ("P-384", 24),
    ("secp521r1", 25), ("P-521", 25), ("brainpoolP256r1", 26), ("brainpoolP384r1", 27),
    ("brainpoolP512r1", 28), ("x25519", 29), ("X25519", 29), ("x448", 30), ("X448", 30),
    ("ffdhe2048", 256), ("ffdhe3072", 257), ("ffdhe4096", 258), ("ffdhe6144", 259),
    ("ffdhe8192", 260),
];

/// Curve short names `OBJ_sn2nid` knows and `EC_KEY_new_by_curve_name` can build
/// (`openssl ecparam -list_curves` of OpenSSL 3.0), for `ssl_ecdh_curve` on PostgreSQL ≤ 17.
pub static EC_CURVE_SHORT_NAMES: &[&str] = &[
    "secp112r1", "secp112r2", "secp128r1", "secp128r2", "secp160k1", "secp160r1", "secp160r2",
    "secp192k1", "secp224k1", "secp224r1", "secp256k1", "secp384r1", "secp521r1", "prime192v1",
    "prime192v2", "prime192v3", "prime239v1", "prime239v2", "prime239v3", "prime256v1",
    "sect113r1", "sect113r2", "sect131r1", "sect131r2", "sect163k1", "sect163r1", "sect163r2",
    "sect193r1", "sect193r2", "sect233k1", "sect233r1", "sect239k1", "sect283k1", "sect283r1",
    "sect409k1", "sect409r1", "sect571k1", "sect571r1", "c2pnb163v1", "c2pnb163v2",
    "c2pnb163v3", "c2pnb176v1", "c2tnb191v1", "c2tnb191v2", "c2tnb191v3", "c2pnb208w1",
    "c2tnb239v1", "c2tnb239v2", "c2tnb239v3", "c2pnb272w1", "c2pnb304w1", "c2tnb359v1",
    "c2pnb368w1", "c2tnb431r1", "wap-wsg-idm-ecid-wtls1", "wap-wsg-idm-ecid-wtls3",
    "wap-wsg-idm-ecid-wtls4", "wap-wsg-idm-ecid-wtls5", "wap-wsg-idm-ecid-wtls6",
    "wap-wsg-idm-ecid-wtls7", "wap-wsg-idm-ecid-wtls8", "wap-wsg-idm-ecid-wtls9",
    "wap-wsg-idm-ecid-wtls10", "wap-wsg-idm-ecid-wtls11", "wap-wsg-idm-ecid-wtls12",
    "Oakley-EC2N-3", "Oakley-EC2N-4", "brainpoolP160r1", "brainpoolP160t1", "brainpoolP192r1",
    "brainpoolP192t1", "brainpoolP224r1", "brainpoolP224t1", "brainpoolP256r1",
    "brainpoolP256t1", "brainpoolP320r1", "brainpoolP320t1", "brainpoolP384r1",
    "brainpoolP384t1", "brainpoolP512r1", "brainpoolP512t1", "SM2",
];

/// Why OpenSSL refuses a groups list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupError {
    /// A name no group has.
    Unknown { name: String, span: Span },
    /// A group named twice (perhaps under two of its names).
    Duplicate { name: String, span: Span },
    /// An empty element: an empty value, `::`, or a leading or trailing `:`.
    Empty { span: Span },
}

impl GroupError {
    pub fn describe(&self) -> String {
        match self {
            GroupError::Unknown { name, .. } => format!("OpenSSL knows no group named \"{name}\""),
            GroupError::Duplicate { name, .. } => {
                format!("the group \"{name}\" is named twice (OpenSSL refuses repeats, also under another name)")
            }
            GroupError::Empty { .. } => "the list has an empty element (an empty value, `::`, or a `:` at either end)".to_string(),
        }
    }

    pub fn span(&self) -> Span {
        match self {
            GroupError::Unknown { span, .. } | GroupError::Duplicate { span, .. } | GroupError::Empty { span } => *span,
        }
    }
}

/// Checks a groups list as `SSL_CTX_set1_groups_list` reads it: `:`-separated, blanks
/// around names trimmed, every element must name a distinct group. Returns the groups' names.
pub fn parse_groups(value: &str) -> Result<Vec<&str>, GroupError> {
    let mut ids = Vec::new();
    let mut names = Vec::new();
    let mut offset = 0;
    for element in value.split(':') {
        let lead = element.len() - element.trim_start_matches(|c: char| c.is_ascii_whitespace()).len();
        let name = element.trim_matches(|c: char| c.is_ascii_whitespace());
        let span = Span::new(offset + lead, offset + lead + name.len());
        offset += element.len() + 1;
        if name.is_empty() {
            return Err(GroupError::Empty { span });
        }
        let Some(&(_, id)) = GROUP_NAMES.iter().find(|(n, _)| *n == name) else {
            return Err(GroupError::Unknown { name: name.to_string(), span });
        };
        if ids.contains(&id) {
            return Err(GroupError::Duplicate { name: name.to_string(), span });
        }
        ids.push(id);
        names.push(name);
    }
    Ok(names)
}

/// Why PostgreSQL 17 and older refuse `ssl_ecdh_curve`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CurveError {
    /// Not a curve short name: "ECDH: unrecognized curve name: %s".
    Unrecognized,
    /// A known name that is no EC curve (X25519, X448): "ECDH: could not create key".
    NotAnEcCurve,
}

/// Checks `ssl_ecdh_curve` as PostgreSQL ≤ 17 does: one curve short name, case-sensitive.
pub fn check_ecdh_curve(value: &str) -> Result<(), CurveError> {
    if EC_CURVE_SHORT_NAMES.contains(&value) {
        Ok(())
    } else if matches!(value, "X25519" | "X448" | "ED25519" | "ED448") {
        Err(CurveError::NotAnEcCurve)
    } else {
        Err(CurveError::Unrecognized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_like_openssl() {
        assert_eq!(parse_groups("X25519:prime256v1").unwrap(), vec!["X25519", "prime256v1"]);
        assert_eq!(parse_groups(" x25519 : P-256 ").unwrap().len(), 2);
        for bad in ["bad:value", "X25519:bad", "", "X25519::P-256", "X25519,P-256", "p-256", "X25519:x25519", "X25519:"] {
            assert!(parse_groups(bad).is_err(), "{bad}");
        }
        assert!(matches!(parse_groups("X25519:prime256v1:P-256"), Err(GroupError::Duplicate { .. })));
    }

    #[test]
    fn ecdh_curve_like_postgresql() {
        assert!(check_ecdh_curve("prime256v1").is_ok());
        assert_eq!(check_ecdh_curve("secp256r1"), Err(CurveError::Unrecognized));
        assert_eq!(check_ecdh_curve("P-256"), Err(CurveError::Unrecognized));
        assert_eq!(check_ecdh_curve("X25519"), Err(CurveError::NotAnEcCurve));
    }
}

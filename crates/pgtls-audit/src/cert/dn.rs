//! Distinguished names as text: `CN=db.example.com, O=Example`, in the certificate's order.
//!
//! x509-parser's `Display` for names looks each attribute type up in its whole OID registry
//! (every algorithm and extension it knows), which is built on first use and would put about
//! 50 KB of code and tables into the page for the dozen attribute types names really use.
//! This reads the same way for those (same abbreviations, ` + ` inside a multi-valued RDN,
//! `, ` between RDNs) and names any other type by its dotted OID.

use x509_parser::der_parser::asn1_rs::{Any, Tag};
use x509_parser::x509::X509Name;

/// Short names of the attribute types seen in certificate names (X.520, RFC 4519, PKCS #9,
/// and the EV jurisdiction attributes), as OpenSSL and x509-parser print them.
const ATTRIBUTE_NAMES: &[(&str, &str)] = &[
    ("2.5.4.3", "CN"),
    ("2.5.4.6", "C"),
    ("2.5.4.7", "L"),
    ("2.5.4.8", "ST"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("1.2.840.113549.1.9.1", "Email"),
    ("2.5.4.4", "surname"),
    ("2.5.4.5", "serialNumber"),
    ("2.5.4.9", "streetAddress"),
    ("2.5.4.12", "title"),
    ("2.5.4.13", "description"),
    ("2.5.4.15", "businessCategory"),
    ("2.5.4.17", "postalCode"),
    ("2.5.4.41", "name"),
    ("2.5.4.42", "givenName"),
    ("2.5.4.43", "initials"),
    ("2.5.4.44", "generationQualifier"),
    ("2.5.4.45", "uniqueIdentifier"),
    ("2.5.4.46", "dnQualifier"),
    ("0.9.2342.19200300.100.1.1", "uid"),
    ("1.3.6.1.4.1.311.60.2.1.1", "msJurisdictionLocality"),
    ("1.3.6.1.4.1.311.60.2.1.2", "msJurisdictionStateOrProvince"),
    ("1.3.6.1.4.1.311.60.2.1.3", "msJurisdictionCountry"),
];

/// The name as one line of text.
pub fn name_text(name: &X509Name<'_>) -> String {
    let mut out = String::new();
    for (i, rdn) in name.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        for (j, attr) in rdn.iter().enumerate() {
            if j > 0 {
                out.push_str(" + ");
            }
            let oid = attr.attr_type().to_id_string();
            match ATTRIBUTE_NAMES.iter().find(|(dotted, _)| *dotted == oid) {
                Some((_, short)) => out.push_str(short),
                None => out.push_str(&oid),
            }
            out.push('=');
            value_text(attr.attr_value(), &mut out);
        }
    }
    out
}

/// A string value as its text; anything else (or a string that is not valid in its encoding)
/// as upper-case hex of its content bytes, so that nothing in a name is silently dropped.
fn value_text(value: &Any<'_>, out: &mut String) {
    match value.tag() {
        Tag::NumericString
        | Tag::VisibleString
        | Tag::PrintableString
        | Tag::GeneralString
        | Tag::ObjectDescriptor
        | Tag::GraphicString
        | Tag::T61String
        | Tag::VideotexString
        | Tag::Utf8String
        | Tag::Ia5String => {
            if let Ok(text) = std::str::from_utf8(value.data) {
                out.push_str(text);
                return;
            }
        }
        Tag::BmpString if value.data.len().is_multiple_of(2) => {
            let units = value.data.chunks_exact(2).map(|b| u16::from_be_bytes([b[0], b[1]]));
            if let Ok(text) = char::decode_utf16(units).collect::<Result<String, _>>() {
                out.push_str(&text);
                return;
            }
        }
        _ => {}
    }
    for b in value.data {
        out.push_str(&format!("{b:02X}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_parser::prelude::FromDer;

    /// DER of a Name: SEQUENCE of SETs of SEQUENCE { OID, value }.
    fn name_der(rdns: &[&[(&[u8], u8, &[u8])]]) -> Vec<u8> {
        fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
            assert!(body.len() < 128);
            let mut v = vec![tag, body.len() as u8];
            v.extend_from_slice(body);
            v
        }
        let mut seq = Vec::new();
        for rdn in rdns {
            let mut set = Vec::new();
            for (oid, tag, value) in *rdn {
                let mut atv = tlv(0x06, oid);
                atv.extend(tlv(*tag, value));
                set.extend(tlv(0x30, &atv));
            }
            seq.extend(tlv(0x31, &set));
        }
        tlv(0x30, &seq)
    }

    const CN: &[u8] = &[0x55, 0x04, 0x03];
    const O: &[u8] = &[0x55, 0x04, 0x0a];
    const OU: &[u8] = &[0x55, 0x04, 0x0b];
    const PRIVATE: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x01];

    fn text(der: &[u8]) -> String {
        let (_, name) = X509Name::from_der(der).expect("a valid name");
        name_text(&name)
    }

    #[test]
    fn reads_like_x509_parser_for_common_attributes() {
        let der = name_der(&[&[(O, 0x0c, b"Example")], &[(CN, 0x13, b"db.example.com")]]);
        assert_eq!(text(&der), "O=Example, CN=db.example.com");
        let (_, name) = X509Name::from_der(&der).unwrap();
        assert_eq!(text(&der), name.to_string(), "same text as x509-parser's own Display");
    }

    #[test]
    fn joins_a_multi_valued_rdn_with_plus() {
        let der = name_der(&[&[(OU, 0x0c, b"db"), (CN, 0x0c, b"a")]]);
        assert_eq!(text(&der), "OU=db + CN=a");
    }

    #[test]
    fn decodes_bmp_strings_and_names_unknown_types_by_oid() {
        let der = name_der(&[&[(CN, 0x1e, &[0x00, b'p', 0x00, b'g', 0x00, 0xe9])], &[(PRIVATE, 0x0c, b"x")]]);
        assert_eq!(text(&der), "CN=pgé, 1.3.6.1.4.1.311.1=x");
    }

    #[test]
    fn shows_non_string_and_broken_values_as_hex() {
        let der = name_der(&[&[(CN, 0x04, &[0xde, 0xad])], &[(O, 0x0c, &[0xff, 0xfe])]]);
        assert_eq!(text(&der), "CN=DEAD, O=FFFE");
    }
}

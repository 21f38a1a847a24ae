//! Writes pg_hba.conf records back as text that `tokenize_auth_file` and `parse_hba_line`
//! read to the same record: tokens keep whether they were quoted (which decides whether `all`
//! is a keyword), and characters the tokenizer treats specially are put inside quotes.

use super::record::{display_ip, HbaAddress, HbaFile, HbaRecord};
use super::token::{AuthField, AuthToken};

/// Characters that end or split an unquoted token, start a comment, or (as the last
/// character of a line) continue it.
fn is_special(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | ',' | '#' | '"' | '\\')
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// One token as written. A token read without an initial quote may still have had quotes
/// inside (`a"b c"`); it is written with its first character bare and the rest quoted, which
/// reads back as the same text, still not "quoted".
pub fn print_token(token: &AuthToken) -> String {
    if token.quoted {
        return quoted(&token.text);
    }
    if !token.text.chars().any(is_special) {
        return token.text.clone();
    }
    let mut chars = token.text.chars();
    match chars.next() {
        Some(first) if !is_special(first) => format!("{first}{}", quoted(chars.as_str())),
        // Not produced by the tokenizer (blanks, commas and quotes cannot start a bare token).
        _ => quoted(&token.text),
    }
}

/// A comma list of tokens.
pub fn print_field(field: &AuthField) -> String {
    field.tokens.iter().map(print_token).collect::<Vec<_>>().join(",")
}

/// The ADDRESS field, with the mask as a separate field for an address and mask.
pub fn print_address(address: &HbaAddress) -> String {
    match address {
        HbaAddress::All => "all".into(),
        HbaAddress::SameHost => "samehost".into(),
        HbaAddress::SameNet => "samenet".into(),
        HbaAddress::Ip { addr, mask } => format!("{} {}", display_ip(*addr), display_ip(*mask)),
        // Quoted, so that a host called `all` or `samenet` stays a host name.
        HbaAddress::Hostname(host) => quoted(host),
    }
}

/// One record on one line, without its terminator.
pub fn print_record(record: &HbaRecord) -> String {
    let mut fields = vec![record.conn_type.as_str().to_string(), print_field(&record.databases), print_field(&record.users)];
    if let Some(address) = &record.address {
        fields.push(print_address(address));
    }
    fields.push(print_token(&record.method_token));
    for option in &record.options {
        let text = format!("{}={}", option.name, option.value);
        // Quoting does not change what an option means, so the whole token may be quoted.
        fields.push(if text.chars().any(is_special) { quoted(&text) } else { text });
    }
    fields.join(" ")
}

/// The valid records of a file (and of what it includes), one a line, in scan order.
pub fn print_file(file: &HbaFile) -> String {
    file.records().map(|r| print_record(r) + "\n").collect()
}

//! Writes parsed postgresql.conf lines back as text that PostgreSQL reads to the same
//! assignments: every value single-quoted, so that no value depends on the lexer's
//! longest-match rules (an unquoted `server.crt` is a syntax error, a quoted one is not).

use super::parser::Item;
use super::ConfModel;

/// A value as a quoted string that `DeescapeQuotedString` turns back into `value`: a quote is
/// doubled, a backslash and a newline are escaped (a raw newline would end the string).
pub fn quote_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `name = 'value'` (or `include = 'path'`), without a line terminator.
pub fn print_item(item: &Item) -> String {
    match item {
        Item::Assignment(a) => format!("{} = {}", a.name, quote_value(&a.value)),
        Item::Include { kind, path, .. } => format!("{} = {}", kind.directive(), quote_value(path)),
    }
}

/// The items of one file, one a line.
pub fn print_items(items: &[Item]) -> String {
    items.iter().map(|item| print_item(item) + "\n").collect()
}

/// Every assignment of the model in the order PostgreSQL applies them, as one flat file with
/// the includes already followed: reading it gives the same effective settings.
pub fn print_model(model: &ConfModel) -> String {
    model
        .assignments
        .iter()
        .map(|a| format!("{} = {}\n", a.written_name, quote_value(&a.setting.value)))
        .collect()
}

//! Applying a finding's fix edits to the documents they name.

use pgtls_audit::report::FixOut;

use crate::document::Document;

/// The new text of every document a fix edits, as `(document id, text)`. Edits are applied from
/// the end of each file backwards so that earlier offsets stay valid; an edit whose range no
/// longer fits the text (the user typed since) is skipped rather than corrupting the file.
pub fn apply(documents: &[Document], fix: &FixOut) -> Vec<(u32, String)> {
    let mut changed: Vec<(u32, String)> = Vec::new();
    for doc in documents.iter().filter(|d| !d.is_binary()) {
        let mut edits: Vec<_> = fix.edits.iter().filter(|e| e.file == doc.name).collect();
        if edits.is_empty() {
            continue;
        }
        pgtls_audit::sorting::sort_by_key(&mut edits, |e| std::cmp::Reverse((e.start, e.end)));
        let mut text = doc.text.clone();
        let mut applied = false;
        for edit in edits {
            let fits = edit.start <= edit.end
                && edit.end <= text.len()
                && text.is_char_boundary(edit.start)
                && text.is_char_boundary(edit.end);
            if fits {
                text.replace_range(edit.start..edit.end, &edit.replacement);
                applied = true;
            }
        }
        if applied {
            changed.push((doc.id, text));
        }
    }
    changed
}

/// Byte offset → UTF-16 offset in `text`, for the browser's selection APIs.
pub fn utf16_offset(text: &str, byte: usize) -> u32 {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    text[..byte].encode_utf16().count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use pgtls_audit::report::EditOut;
    use pgtls_audit::InputKind;

    fn fix(edits: Vec<EditOut>) -> FixOut {
        FixOut { summary: "s".into(), edits, snippet: None, activation: None }
    }

    #[test]
    fn edits_apply_back_to_front() {
        let docs = vec![Document::text(7, "postgresql.conf", InputKind::PostgresqlConf, "ssl = off\nport = 1\n")];
        let f = fix(vec![
            EditOut { file: "postgresql.conf".into(), start: 6, end: 9, replacement: "on".into() },
            EditOut { file: "postgresql.conf".into(), start: 19, end: 19, replacement: "ssl_min_protocol_version = 'TLSv1.2'\n".into() },
        ]);
        let out = apply(&docs, &f);
        assert_eq!(out, vec![(7, "ssl = on\nport = 1\nssl_min_protocol_version = 'TLSv1.2'\n".to_string())]);
    }

    #[test]
    fn stale_edits_are_skipped() {
        let docs = vec![Document::text(1, "a", InputKind::PgHba, "short")];
        let f = fix(vec![EditOut { file: "a".into(), start: 3, end: 40, replacement: "x".into() }]);
        assert!(apply(&docs, &f).is_empty());
    }

    #[test]
    fn utf16_offsets_count_code_units() {
        assert_eq!(utf16_offset("Οδ x", "Οδ".len()), 2);
        assert_eq!(utf16_offset("é", 1), 0);
        assert_eq!(utf16_offset("a😀b", 5), 3);
    }
}

//! The cipher-string algebra of OpenSSL 3.0 (`ssl_cipher_process_rulestr` and
//! `ssl_cipher_apply_rule` in `ssl/ssl_ciph.c`), rewritten over [`SUITES`].
//!
//! Written by hand because no crate implements OpenSSL's cipher strings; rustls and ring do
//! not have them, and binding to OpenSSL would break the engine's wasm build. Every quirk that
//! changes a result is kept: a term is a `+`-joined conjunction of aliases, unknown words make
//! the whole term a no-op, `!` removes suites for good while `-` only disables them, `DEFAULT`
//! is special only at the very start, a stray character rejects the whole string, and so on.

use serde::{Deserialize, Serialize};

use super::table::{strength, Alias, Protocol, Suite, ALIASES, SUITES};
use crate::source::Span;

/// What OpenSSL's `DEFAULT` expands to (`OSSL_default_cipher_list`).
pub const DEFAULT_CIPHER_LIST: &str = "ALL:!COMPLEMENTOFDEFAULT:!eNULL";

/// Why OpenSSL rejects a whole cipher string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum StringError {
    /// A character that is neither part of a word, an operator nor a separator
    /// (`SSL_R_INVALID_COMMAND`), at `offset`.
    InvalidCharacter { offset: usize },
    /// An `@` command other than `@STRENGTH` and `@SECLEVEL=0`…`5`.
    InvalidCommand { span: Span, command: String },
    /// The string is valid but enables no TLS 1.2-and-below suite (`SSL_R_NO_CIPHER_MATCH`).
    NoCipherMatch,
}

impl StringError {
    pub fn describe(&self, string: &str) -> String {
        match self {
            StringError::InvalidCharacter { offset } => {
                let c = string.get(*offset..).and_then(|s| s.chars().next());
                match c {
                    Some(c) => format!("OpenSSL rejects the character {c:?} at position {}", offset + 1),
                    None => "OpenSSL rejects a term that ends without a word (a trailing `+`, `!`, `-` or `@`)".to_string(),
                }
            }
            StringError::InvalidCommand { command, .. } => {
                format!("OpenSSL rejects the command `@{command}` (only @STRENGTH and @SECLEVEL=0 to 5 exist)")
            }
            StringError::NoCipherMatch => "the string enables no cipher suite at all".to_string(),
        }
    }
}

/// The operator in front of a term.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Operator {
    /// No prefix: append the matching suites that are not yet enabled.
    Add,
    /// `!`: remove the matching suites for good; later terms cannot add them back.
    Kill,
    /// `-`: disable the matching suites; later terms may add them again.
    Delete,
    /// `+`: move the matching enabled suites to the end.
    MoveToEnd,
    /// `@`: a command (`@STRENGTH`, `@SECLEVEL=n`).
    Command,
}

/// What became of one word of the string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WordStatus {
    /// A suite name or alias that OpenSSL knows.
    Known,
    /// OpenSSL knows no such word: the term it belongs to is ignored.
    Unknown,
    /// Known, but the `+` conjunction with the words before it can match nothing, so the term
    /// is ignored (e.g. `AES128+AES256`).
    Contradiction,
}

/// One word of the string, where it is, and what OpenSSL made of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Word {
    pub text: String,
    /// Byte span in the evaluated string.
    pub span: Span,
    pub operator: Operator,
    pub status: WordStatus,
    /// How many suites the whole term matched when it was applied (0 for ignored terms).
    pub matched: usize,
}

/// The outcome of the algebra before any security-level filter: what `openssl ciphers -v
/// -ciphersuites '' STRING` lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expansion {
    /// The enabled suites in order; empty when the string is rejected.
    pub suites: Vec<&'static Suite>,
    /// The last `@SECLEVEL=n` in the string.
    pub seclevel: Option<u8>,
    pub words: Vec<Word>,
    pub error: Option<StringError>,
}

/// Selection masks of one term (the `alg_*` variables of `ssl_cipher_process_rulestr`).
#[derive(Clone, Copy, Default)]
struct Selector {
    suite: Option<usize>,
    kx: u32,
    au: u32,
    enc: u32,
    mac: u32,
    min_tls: Option<Protocol>,
    strength: u8,
}

impl Selector {
    fn matches(&self, index: usize, s: &Suite) -> bool {
        if self.suite.is_some_and(|i| i != index) {
            return false;
        }
        (self.kx == 0 || self.kx & s.kx != 0)
            && (self.au == 0 || self.au & s.au != 0)
            && (self.enc == 0 || self.enc & s.enc != 0)
            && (self.mac == 0 || self.mac & s.mac != 0)
            && self.min_tls.is_none_or(|v| v == s.min_tls)
            && (self.strength & strength::STRONG_MASK == 0
                || self.strength & strength::STRONG_MASK & s.strength != 0)
            && (self.strength & strength::DEFAULT_MASK == 0
                || self.strength & strength::DEFAULT_MASK & s.strength != 0)
    }

    /// ANDs one more word into the selector; false when the conjunction becomes empty.
    fn and(&mut self, kx: u32, au: u32, enc: u32, mac: u32, st: u8) -> bool {
        fn and_mask(acc: &mut u32, m: u32) -> bool {
            if m != 0 {
                if *acc != 0 {
                    *acc &= m;
                    return *acc != 0;
                }
                *acc = m;
            }
            true
        }
        if !(and_mask(&mut self.kx, kx)
            && and_mask(&mut self.au, au)
            && and_mask(&mut self.enc, enc)
            && and_mask(&mut self.mac, mac))
        {
            return false;
        }
        if st & strength::STRONG_MASK != 0 {
            if self.strength & strength::STRONG_MASK != 0 {
                self.strength &= (st & strength::STRONG_MASK) | !strength::STRONG_MASK;
                if self.strength & strength::STRONG_MASK == 0 {
                    return false;
                }
            } else {
                // OpenSSL assigns here rather than ORs, dropping a COMPLEMENTOFDEFAULT seen
                // earlier in the same term; kept for identical results.
                self.strength = st & strength::STRONG_MASK;
            }
        }
        if st & strength::DEFAULT_MASK != 0 {
            if self.strength & strength::DEFAULT_MASK != 0 {
                self.strength &= (st & strength::DEFAULT_MASK) | !strength::DEFAULT_MASK;
                if self.strength & strength::DEFAULT_MASK == 0 {
                    return false;
                }
            } else {
                self.strength |= st & strength::DEFAULT_MASK;
            }
        }
        true
    }
}

enum Entry {
    Suite(usize),
    Alias(&'static Alias),
}

/// Suite names first, then aliases, as in OpenSSL's `ca_list`. OpenSSL 3.0 matches only its
/// own suite names here; IANA names are accepted in cipher strings from 3.2 on.
fn lookup(word: &[u8]) -> Option<Entry> {
    let word = std::str::from_utf8(word).ok()?;
    if let Some(i) = SUITES.iter().position(|s| s.name == word) {
        return Some(Entry::Suite(i));
    }
    ALIASES.iter().find(|a| a.name == word).map(Entry::Alias)
}

fn is_separator(b: u8) -> bool {
    matches!(b, b':' | b' ' | b';' | b',')
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'=')
}

/// The working list: every suite not yet killed, in order, and which are enabled.
struct CipherOrder {
    list: Vec<usize>,
    active: [bool; SUITES.len()],
    seclevel: Option<u8>,
}

impl CipherOrder {
    fn new() -> Self {
        CipherOrder { list: (0..SUITES.len()).collect(), active: [false; SUITES.len()], seclevel: None }
    }

    /// `ssl_cipher_apply_rule`. Returns how many suites the rule touched.
    fn apply(&mut self, sel: &Selector, op: Operator) -> usize {
        let mut matched = [false; SUITES.len()];
        let mut count = 0;
        for &i in &self.list {
            if sel.matches(i, &SUITES[i]) {
                matched[i] = true;
                count += 1;
            }
        }
        let moved = |active: &[bool], i: usize| match op {
            Operator::Add => !active[i],
            Operator::MoveToEnd | Operator::Delete => active[i],
            Operator::Kill | Operator::Command => true,
        };
        let (mut take, mut keep) = (Vec::new(), Vec::new());
        for &i in &self.list {
            if matched[i] && moved(&self.active, i) {
                take.push(i);
            } else {
                keep.push(i);
            }
        }
        match op {
            Operator::Add => {
                for &i in &take {
                    self.active[i] = true;
                }
                keep.extend(take);
                self.list = keep;
            }
            Operator::MoveToEnd => {
                keep.extend(take);
                self.list = keep;
            }
            Operator::Delete => {
                // OpenSSL walks backwards moving each to the head, which keeps their order.
                for &i in &take {
                    self.active[i] = false;
                }
                take.extend(keep);
                self.list = take;
            }
            Operator::Kill => {
                for &i in &take {
                    self.active[i] = false;
                }
                self.list = keep;
            }
            Operator::Command => {}
        }
        count
    }

    /// `ssl_cipher_strength_sort`: enabled suites by key bits, strongest first, stable.
    fn strength_sort(&mut self) {
        let (mut enabled, disabled): (Vec<usize>, Vec<usize>) =
            self.list.iter().partition(|&&i| self.active[i]);
        crate::sorting::sort_by_key(&mut enabled, |&i| std::cmp::Reverse(SUITES[i].bits));
        self.list = disabled;
        self.list.extend(enabled);
    }

    /// `ssl_cipher_process_rulestr` over `s`, whose first byte is at `base` in the whole
    /// string. Stops at the first invalid character, as OpenSSL does.
    fn process(&mut self, s: &[u8], base: usize, words: &mut Vec<Word>) -> Option<StringError> {
        let at = |i: usize| s.get(i).copied().unwrap_or(0);
        let mut first_error = None;
        let mut l = 0usize;
        loop {
            let ch = at(l);
            if ch == 0 {
                break;
            }
            let op = match ch {
                b'-' => Operator::Delete,
                b'+' => Operator::MoveToEnd,
                b'!' => Operator::Kill,
                b'@' => Operator::Command,
                _ => Operator::Add,
            };
            if op != Operator::Add {
                l += 1;
            }
            if is_separator(ch) {
                l += 1;
                continue;
            }
            let mut sel = Selector::default();
            let mut found = false;
            let term_words = words.len();
            let (mut start, mut len);
            loop {
                start = l;
                len = 0;
                while is_word_byte(at(l)) {
                    l += 1;
                    len += 1;
                }
                if len == 0 {
                    return Some(StringError::InvalidCharacter { offset: base + l });
                }
                if op == Operator::Command {
                    break;
                }
                let multi = at(l) == b'+';
                if multi {
                    l += 1;
                }
                let word = &s[start..start + len];
                let mut push = |status| {
                    words.push(Word {
                        text: String::from_utf8_lossy(word).into_owned(),
                        span: Span::new(base + start, base + start + len),
                        operator: op,
                        status,
                        matched: 0,
                    })
                };
                found = false;
                let Some(entry) = lookup(word) else {
                    push(WordStatus::Unknown);
                    break;
                };
                let ok = match entry {
                    Entry::Suite(i) => {
                        let x = &SUITES[i];
                        let ok = sel.and(x.kx, x.au, x.enc, x.mac, x.strength);
                        // An explicit suite: its protocol version is not part of the pattern.
                        sel.suite = Some(i);
                        ok
                    }
                    Entry::Alias(a) => {
                        let mut ok = sel.and(a.kx, a.au, a.enc, a.mac, a.strength);
                        if ok {
                            if let Some(v) = a.min_tls {
                                if sel.min_tls.is_some_and(|m| m != v) {
                                    ok = false;
                                } else {
                                    sel.min_tls = Some(v);
                                }
                            }
                        }
                        ok
                    }
                };
                if !ok {
                    push(WordStatus::Contradiction);
                    break;
                }
                push(WordStatus::Known);
                found = true;
                if !multi {
                    break;
                }
            }
            if op == Operator::Command {
                let command = &s[start..start + len];
                let span = Span::new(base + start, base + start + len);
                let mut ok = false;
                if command == b"STRENGTH" {
                    self.strength_sort();
                    ok = true;
                } else if len == 10 && command.starts_with(b"SECLEVEL=") {
                    let level = command[9].wrapping_sub(b'0');
                    if level <= 5 {
                        self.seclevel = Some(level);
                        ok = true;
                    }
                }
                words.push(Word {
                    text: String::from_utf8_lossy(command).into_owned(),
                    span,
                    operator: op,
                    status: if ok { WordStatus::Known } else { WordStatus::Unknown },
                    matched: 0,
                });
                if !ok && first_error.is_none() {
                    first_error = Some(StringError::InvalidCommand {
                        span,
                        command: String::from_utf8_lossy(command).into_owned(),
                    });
                }
                while at(l) != 0 && !is_separator(at(l)) {
                    l += 1;
                }
            } else if found {
                let n = self.apply(&sel, op);
                for w in &mut words[term_words..] {
                    w.matched = n;
                }
            } else {
                while at(l) != 0 && !is_separator(at(l)) {
                    l += 1;
                }
            }
            if at(l) == 0 {
                break;
            }
        }
        first_error
    }
}

/// Expands a cipher string exactly as OpenSSL 3.0's `SSL_CTX_set_cipher_list` does.
pub fn expand(cipher_string: &str) -> Expansion {
    // C strings end at the first NUL.
    let bytes = cipher_string.as_bytes();
    let bytes = &bytes[..bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len())];
    let mut order = CipherOrder::new();
    let mut words = Vec::new();
    let mut error = None;
    let mut rest = bytes;
    let mut base = 0;
    if bytes.starts_with(b"DEFAULT") {
        error = order.process(DEFAULT_CIPHER_LIST.as_bytes(), 0, &mut Vec::new());
        words.push(Word {
            text: "DEFAULT".to_string(),
            span: Span::new(0, 7),
            operator: Operator::Add,
            status: WordStatus::Known,
            matched: order.list.iter().filter(|&&i| order.active[i]).count(),
        });
        base = if bytes.get(7) == Some(&b':') { 8 } else { 7 };
        rest = &bytes[base..];
    }
    if error.is_none() && !rest.is_empty() {
        error = order.process(rest, base, &mut words);
    }
    let mut suites: Vec<&'static Suite> =
        order.list.iter().filter(|&&i| order.active[i]).map(|&i| &SUITES[i]).collect();
    if error.is_none() && suites.is_empty() {
        error = Some(StringError::NoCipherMatch);
    }
    if error.is_some() {
        suites.clear();
    }
    Expansion { suites, seclevel: order.seclevel, words, error }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<&'static str> {
        expand(s).suites.iter().map(|s| s.name).collect()
    }

    #[test]
    fn kill_is_final_delete_is_not() {
        assert!(!names("ALL:!kRSA:kRSA").contains(&"AES128-SHA"));
        let n = names("ALL:-kRSA:kRSA");
        assert_eq!(n.last(), Some(&"NULL-MD5"));
        assert!(n.contains(&"AES128-SHA"));
    }

    #[test]
    fn default_is_special_only_at_the_start() {
        assert_eq!(names("DEFAULT").len(), 57);
        assert_eq!(names("DEFAULTS"), names("DEFAULT"));
        assert_eq!(names("kRSA:DEFAULT"), names("kRSA"));
    }

    #[test]
    fn rejections() {
        assert_eq!(expand("HIGH(").error, Some(StringError::InvalidCharacter { offset: 4 }));
        assert!(matches!(expand("@SECLEVEL=9").error, Some(StringError::InvalidCommand { .. })));
        assert_eq!(expand("").error, Some(StringError::NoCipherMatch));
        assert_eq!(expand("MEDIUM").error, Some(StringError::NoCipherMatch));
        assert_eq!(expand("HIGH+").error, Some(StringError::InvalidCharacter { offset: 5 }));
    }

    #[test]
    fn words_are_located_and_classified() {
        let e = expand("HIGH:!aNUL:AES128+AES256");
        let w: Vec<(&str, WordStatus)> = e.words.iter().map(|w| (w.text.as_str(), w.status)).collect();
        assert_eq!(
            w,
            vec![
                ("HIGH", WordStatus::Known),
                ("aNUL", WordStatus::Unknown),
                ("AES128", WordStatus::Known),
                ("AES256", WordStatus::Contradiction)
            ]
        );
        assert_eq!(e.words[1].span, Span::new(6, 10));
    }
}

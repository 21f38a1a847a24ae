//! OpenSSL cipher strings: the cipher table, the string algebra, and the TLS 1.3 suites.

pub mod rules;

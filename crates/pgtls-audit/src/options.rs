//! What the user tells an audit beyond its files.

use serde::{Deserialize, Serialize};

/// The PostgreSQL major version assumed when none is given.
pub const DEFAULT_PG_VERSION: u32 = 18;

/// Major versions whose rules the engine knows.
pub const KNOWN_PG_VERSIONS: std::ops::RangeInclusive<u32> = 12..=19;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditOptions {
    /// Target PostgreSQL major version (server and libpq): defaults and validity depend on it.
    pub pg_version: u32,
    /// The host name clients connect to, for verify-full checks.
    pub host: Option<String>,
    /// The clock, as Unix seconds. The engine never reads a clock itself, so that reports are
    /// reproducible and the same in the browser and the terminal.
    pub now: i64,
}

impl AuditOptions {
    pub fn new(now: i64) -> Self {
        AuditOptions { pg_version: DEFAULT_PG_VERSION, host: None, now }
    }
}

//! Live TLS checks of PostgreSQL servers.

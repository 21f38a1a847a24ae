//! One module a subcommand.

pub mod audit;
pub mod cert;
pub mod ciphers;
pub mod conninfo;
pub mod hba;

//! One module a subcommand.

pub mod audit;
pub mod calendar;
pub mod cert;
pub mod check;
pub mod ciphers;
pub mod conninfo;
pub mod explain;
pub mod fix;
pub mod generate;
pub mod hba;
pub mod link;
pub mod monitoring;
pub mod rules;

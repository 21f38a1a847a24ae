//! Per-driver fixtures: each row of tests/fixtures/conn/drivers.txt is one client string, the
//! driver it must be read as, and exactly the CONN rules it must raise.

use std::collections::BTreeSet;

use pgtls_audit::{audit, AuditOptions, InputKind, Inputs, SourceFile};

#[test]
fn every_driver_row_raises_exactly_its_rules() {
    let table = include_str!("fixtures/conn/drivers.txt");
    let mut rows = 0;
    let mut failures = Vec::new();
    for line in table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let mut cols = line.splitn(3, " | ");
        let (want_rules, want_driver, string) = (cols.next().unwrap(), cols.next().unwrap(), cols.next().unwrap());
        rows += 1;
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("clients.txt", InputKind::Conninfo, string));
        let mut options = AuditOptions::new(0);
        options.pg_version = 16;
        let analysis = audit(&inputs, &options);
        let got: BTreeSet<&str> = analysis.diagnostics.iter().map(|d| d.rule.id).filter(|id| id.starts_with("CONN")).collect();
        let want: BTreeSet<&str> = want_rules.split(',').filter(|r| *r != "-").collect();
        let driver = analysis.model.clients.clients.first().map(|c| c.driver.name()).unwrap_or("(none)");
        if got != want || driver != want_driver {
            let messages: Vec<String> = analysis.diagnostics.iter().map(|d| format!("{}: {}", d.rule.id, d.message)).collect();
            failures.push(format!("{string}\n  want {want:?} {want_driver}\n  got  {got:?} {driver}\n  {}", messages.join("\n  ")));
        }
    }
    println!("driver fixtures: {}/{rows} rows as expected", rows - failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(rows >= 50);
}

//! `pgtls fix`: apply every safe fix, print the diffs, list what needs a person, and with
//! `--write` replace the files.

use crate::input;

#[derive(clap::Args)]
pub struct Args {
    /// The files to fix, and the other inputs the audit should see (certificates, `--conn`
    /// strings, which are audited but not rewritten).
    #[command(flatten)]
    pub input: input::AuditInputArgs,
    /// Replace the files with their fixed versions (otherwise only print the diffs).
    #[arg(long)]
    pub write: bool,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> u8 {
    match fix(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("pgtls fix: {message}");
            2
        }
    }
}

fn fix(args: &Args) -> Result<u8, String> {
    if args.input.files.is_empty() && args.input.kinds.is_empty() {
        return Err("name the files to fix".into());
    }
    let inputs = args.input.inputs()?;
    let options = args.input.options()?;
    let outcome = pgtls_audit::fix::fix_all(&inputs, &options);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&outcome).map_err(|e| e.to_string())?);
    } else {
        for f in &outcome.files {
            print!("{}", f.diff);
        }
        if outcome.files.is_empty() {
            println!("No automatic fix applies.");
        }
        if !outcome.applied.is_empty() {
            println!("\nFixed automatically:");
            for n in &outcome.applied {
                println!("  {} {}:{}: {}", n.rule, n.file, n.line, n.fix);
            }
        }
        if !outcome.manual.is_empty() {
            println!("\nNeeds a decision (not changed):");
            for n in &outcome.manual {
                let fix = if n.fix.is_empty() { String::new() } else { format!(" — {}", n.fix) };
                println!("  {} {}:{}: {}{}", n.rule, n.file, n.line, n.message, fix);
            }
        }
        println!("\nScore: {} before, {} after the automatic fixes.", outcome.score_before, outcome.score_after);
    }
    if args.write {
        for f in &outcome.files {
            if f.name.starts_with("--conn") || f.name == crate::input::STDIN_NAME {
                continue;
            }
            std::fs::write(&f.name, &f.after).map_err(|e| format!("cannot write {}: {e}", f.name))?;
            eprintln!("wrote {}", f.name);
        }
    }
    Ok(0)
}

//! `pgtls rules`: the rules pgtls knows, as a table or as docs/rules.md.

#[derive(clap::Args)]
pub struct Args {
    /// Print the full Markdown documentation (docs/rules.md) instead of the table.
    #[arg(long)]
    pub markdown: bool,
}

pub fn run(args: Args) -> u8 {
    if args.markdown {
        print!("{}", pgtls_audit::rules::rules_markdown());
        return 0;
    }
    let mut rules: Vec<_> = pgtls_audit::rules::all().collect();
    rules.sort_by_key(|r| r.meta.id);
    for r in rules {
        let m = r.meta;
        let item = m.item.map_or("-".to_string(), |i| i.to_string());
        println!("{:<8} {:<8} item {:<2} {}", m.id, m.severity.as_str(), item, m.title);
    }
    0
}

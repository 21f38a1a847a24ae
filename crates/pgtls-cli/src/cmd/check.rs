#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> u8 {
    eprintln!("pgtls: this command is not available in this build");
    2
}

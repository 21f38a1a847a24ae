#[derive(clap::Subcommand)]
pub enum HbaCommand {}

pub fn run(command: HbaCommand) -> u8 {
    match command {}
}

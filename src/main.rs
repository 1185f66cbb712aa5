//! The `vanthu` binary: the command line of [`vanthu::cmd`], exiting with its code.

fn main() {
    std::process::exit(vanthu::cmd::main());
}

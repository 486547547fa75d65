// `sqlx::migrate!` embeds migrations/ at compile time but cannot see new files by itself.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}

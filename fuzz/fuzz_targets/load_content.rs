//! The content loader on arbitrary bytes as a section file beside the fixture's other file:
//! never panics, and every error names a file of the directory and a line in it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/content");
    let dir = tempfile::tempdir().unwrap();
    for name in ["checklist.md", "01-more.toml"] {
        std::fs::copy(fixture.join(name), dir.path().join(name)).unwrap();
    }
    std::fs::write(dir.path().join("00-basics.toml"), data).unwrap();
    if let Err(errors) = studybot::content::load_catalog(dir.path(), false) {
        for e in &errors.0 {
            assert!(e.file.starts_with(dir.path()), "{e}");
            assert!(e.line >= 1 || e.message.starts_with("cannot read"), "{e}");
        }
    }
});

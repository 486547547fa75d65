//! The command parser on arbitrary bytes (as UTF-8, lossily): never panics, and an accepted
//! command reads back as itself from its canonical text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use studybot::core::{ParseOptions, parse_command};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for bare_letters in [false, true] {
        let opts = ParseOptions {
            bot_name: Some("studybot"),
            bare_letters,
        };
        if let Ok(Some(cmd)) = parse_command(&text, &opts) {
            let again = parse_command(&cmd.to_text(), &opts);
            assert_eq!(again, Ok(Some(cmd)), "{text:?}");
        }
    }
});

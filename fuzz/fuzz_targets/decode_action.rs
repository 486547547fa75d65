//! Callback data / custom ids: never panics, and a decoded button encodes to data that decodes
//! to the same button within Telegram's 64 bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use studybot::core::Action;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(action) = Action::decode(text) {
        let encoded = action.encode();
        assert!(encoded.len() <= 64);
        assert_eq!(Action::decode(&encoded), Some(action));
    }
});

//! Fuzz target: the parallel cut. A large input is cut into pieces that
//! parse independently (whole documents, the items of a kubectl List); read
//! in pieces of any size it must read exactly as front to back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portolan_core::read::{read, read_in_pieces};
use portolan_core::source::Source;
use portolan_core::yaml::Limits;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let sources = [Source::new("fuzz.yaml", text)];
    let limits = Limits::default();
    let whole = read(&sources, &limits, "default", 1);
    let whole = format!(
        "{} {:?} {:?}",
        whole.documents, whole.objects, whole.diagnostics
    );
    for piece in [1, 64] {
        let cut = read_in_pieces(&sources, &limits, "default", 1, piece);
        assert_eq!(
            whole,
            format!("{} {:?} {:?}", cut.documents, cut.objects, cut.diagnostics),
            "pieces of {piece} bytes"
        );
    }
});

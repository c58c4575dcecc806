//! Fuzz target: the parallel cut. A large input is cut into pieces that
//! parse independently (whole documents, the items of a kubectl List); read
//! in pieces of any size it must read exactly as front to back. The two
//! sides of a diff (the input, and its second half moved before its first),
//! read as a pair, read as each alone.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portolan_core::read::{read, read_in_pieces, read_pair_in_pieces};
use portolan_core::source::Source;
use portolan_core::yaml::Limits;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let sources = [Source::new("fuzz.yaml", text)];
    let limits = Limits::default();
    let whole = read(&sources, &limits, "default", 1);
    let print = |r: &portolan_core::read::Read| {
        format!("{} {:?} {:?}", r.documents, r.objects, r.diagnostics)
    };
    let whole = print(&whole);
    for piece in [1, 64] {
        let cut = read_in_pieces(&sources, &limits, "default", 1, piece);
        assert_eq!(whole, print(&cut), "pieces of {piece} bytes");
    }
    let mid = (sources[0].text.len() / 2..sources[0].text.len())
        .find(|&i| sources[0].text.is_char_boundary(i))
        .unwrap_or(0);
    let text = &sources[0].text;
    let head = [Source::new(
        "head.yaml",
        format!("{}{}", &text[mid..], &text[..mid]),
    )];
    let head_alone = print(&read(&head, &limits, "default", 1));
    let (b, h) = read_pair_in_pieces((&sources, &head), &limits, "default", 1, 64);
    assert_eq!(whole, print(&b), "the base of a pair");
    assert_eq!(head_alone, print(&h), "the head of a pair");
});

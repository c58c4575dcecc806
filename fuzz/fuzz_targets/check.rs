//! Fuzz target: arbitrary bytes → YAML → objects → validation → snapshot →
//! endpoints → lints → every output format. Nothing may panic or hang,
//! and reading in parallel pieces gives exactly the front-to-back read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portolan_core::analysis::analyze;
use portolan_core::profile::Profile;
use portolan_core::read::{read, read_in_pieces};
use portolan_core::yaml::Limits;
use portolan_core::source::Source;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    // Read in pieces on several threads, the input reads exactly as front
    // to back (the cut at documents and List items, and every fallback).
    let sources = [Source::new("fuzz.yaml", text.clone())];
    let limits = Limits::default();
    let whole = read(&sources, &limits, "default", 1);
    for piece in [1, 64] {
        let cut = read_in_pieces(&sources, &limits, "default", 2, piece);
        assert_eq!(
            format!("{} {:?} {:?}", whole.documents, whole.objects, whole.diagnostics),
            format!("{} {:?} {:?}", cut.documents, cut.objects, cut.diagnostics),
            "pieces of {piece} bytes"
        );
    }
    let Ok(a) = analyze(vec![Source::new("fuzz.yaml", text)], &Profile::default()) else { return };
    let _ = portolan_core::output::human::check(&a, false);
    let _ = portolan_core::output::sarif::check(&a);
    let _ = portolan_core::output::junit::check(&a);
    let g = portolan_core::graph::build(&a);
    let _ = portolan_core::graph::to_json(&a, &g);
});

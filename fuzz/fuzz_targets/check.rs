//! Fuzz target: arbitrary bytes → YAML → objects → validation → snapshot →
//! endpoints → lints → every output format. Nothing may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portolan_core::analysis::analyze;
use portolan_core::profile::Profile;
use portolan_core::source::Source;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let Ok(a) = analyze(vec![Source::new("fuzz.yaml", text)], &Profile::default()) else { return };
    let _ = portolan_core::output::human::check(&a, false);
    let _ = portolan_core::output::sarif::check(&a);
    let _ = portolan_core::output::junit::check(&a);
    let g = portolan_core::graph::build(&a);
    let _ = portolan_core::graph::to_json(&a, &g);
});

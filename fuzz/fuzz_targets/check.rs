//! Fuzz target: the full check — arbitrary bytes → YAML → objects →
//! validation → snapshot → endpoints → lints → the human format and the
//! routing graph, on one
//! thread. Nothing may panic or hang. (The parallel cut has its own target,
//! `cut`.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use portolan_core::analysis::analyze_with;
use portolan_core::options::Options;
use portolan_core::profile::Profile;
use portolan_core::source::Source;
use portolan_core::yaml::Limits;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    // A few hundred pods say as much as a million (the limit itself is
    // tested natively) and keep the fuzzer fast.
    let options = Options {
        threads: 1,
        limits: Limits {
            max_synthesized_pods: 256,
            ..Limits::default()
        },
        ..Options::default()
    };
    let Ok(a) = analyze_with(
        vec![Source::new("fuzz.yaml", text)],
        &Profile::default(),
        &options,
    ) else {
        return;
    };
    // The human format reads every finding's span (line, column, caret);
    // the serialisers of the other formats do not depend on the input's
    // shape and only slowed the fuzzer (the npm and native tests run them).
    let _ = portolan_core::output::human::check(&a, false);
    let _ = portolan_core::graph::build(&a);
});

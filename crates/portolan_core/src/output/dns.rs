//! `portolan dns` in the human format (the JSON is the `DnsAnswer` itself).

use std::fmt::Write as _;

use crate::dns::{Answer, DnsAnswer};

/// `qtype` as the question was asked (upper case).
pub fn human(a: &DnsAnswer, qtype: &str) -> String {
    let mut s = format!("{} {qtype} {}\n", a.name, a.rcode);
    for ans in &a.answers {
        match ans {
            Answer::Text(t) => {
                let _ = writeln!(s, "  {t}");
            }
            Answer::Srv { port, target } => {
                let _ = writeln!(s, "  {port} {target}");
            }
        }
    }
    let _ = writeln!(s, "; {}", a.explanation);
    s
}

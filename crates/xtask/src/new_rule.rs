//! `cargo xtask new-rule NAME`: a new lint rule is one file and one
//! registry line. This writes both: `crates/portolan_core/src/rules/NAME.rs`
//! from `crates/xtask/templates/rule.rs` (which the core's tests compile),
//! and `NAME,` at the end of the `lints!` list in `rules/mod.rs`.

use crate::util::root;

const TEMPLATE: &str = include_str!("../templates/rule.rs");
const TEMPLATE_CODE: &str = "new-rule";

/// A rule code: lowercase letters, digits and single hyphens, starting with
/// a letter (the codes `portolan rules` lists look like this).
fn valid_code(code: &str) -> bool {
    code.len() <= 60
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && !code.ends_with('-')
        && !code.contains("--")
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The rule file for `code`.
fn rule_file(code: &str) -> String {
    TEMPLATE
        .replace(TEMPLATE_CODE, code)
        .replace(&TEMPLATE_CODE.replace('-', "_"), &code.replace('-', "_"))
}

/// `rules/mod.rs` with `module` registered last in `lints!`.
fn register(mod_rs: &str, module: &str) -> Result<String, String> {
    let start = mod_rs
        .find("\nlints! {\n")
        .ok_or("rules/mod.rs has no `lints! {` list")?;
    let end = start
        + mod_rs[start..]
            .find("\n}\n")
            .ok_or("the `lints!` list in rules/mod.rs is not closed")?;
    let list = &mod_rs[start..end];
    if list
        .lines()
        .any(|l| l.trim().trim_end_matches(',') == module)
    {
        return Err(format!("{module} is already registered"));
    }
    Ok(format!(
        "{}\n    {module},{}",
        &mod_rs[..end],
        &mod_rs[end..]
    ))
}

pub fn run(args: &[String]) -> Result<(), String> {
    let [code] = args else {
        return Err(
            "usage: cargo xtask new-rule NAME   (e.g. new-rule service-port-unnamed)".into(),
        );
    };
    if !valid_code(code) {
        return Err(format!(
            "'{code}' is not a rule code: lowercase letters, digits and single hyphens, starting with a letter"
        ));
    }
    let module = code.replace('-', "_");
    let rules = root().join("crates/portolan_core/src/rules");
    let file = rules.join(format!("{module}.rs"));
    if file.exists() {
        return Err(format!("{} exists already", file.display()));
    }
    let mod_rs = rules.join("mod.rs");
    let text =
        std::fs::read_to_string(&mod_rs).map_err(|e| format!("{}: {e}", mod_rs.display()))?;
    let registered = register(&text, &module)?;
    std::fs::write(&file, rule_file(code)).map_err(|e| format!("{}: {e}", file.display()))?;
    std::fs::write(&mod_rs, registered).map_err(|e| format!("{}: {e}", mod_rs.display()))?;
    println!("wrote {}", file.display());
    println!("registered {module} in {}", mod_rs.display());
    println!("next: write its documentation and `fires`, then");
    println!(
        "  cargo test -p portolan_core --test rule_docs   # the Example fires, the Use instead does not"
    );
    println!("  cargo xtask docs                              # the README's rule table");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_checked() {
        assert!(valid_code("service-port-unnamed"));
        assert!(valid_code("a1"));
        for bad in ["", "Service", "-a", "a-", "a--b", "a_b", "1a", "a b"] {
            assert!(!valid_code(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_file_carries_the_code_and_the_registry_gains_one_line() {
        let file = rule_file("service-port-unnamed");
        assert!(file.contains("code: \"service-port-unnamed\""));
        assert!(!file.contains(TEMPLATE_CODE));
        let mod_rs = "mod x;\n\nlints! {\n    a,\n    b,\n}\n\nfn f() {}\n";
        let after = register(mod_rs, "service_port_unnamed").unwrap();
        assert_eq!(
            after,
            "mod x;\n\nlints! {\n    a,\n    b,\n    service_port_unnamed,\n}\n\nfn f() {}\n"
        );
        assert_eq!(after.lines().count(), mod_rs.lines().count() + 1);
        assert!(register(&after, "a").is_err(), "registered twice");
    }

    #[test]
    fn the_registry_in_the_tree_can_take_a_rule() {
        let mod_rs =
            std::fs::read_to_string(root().join("crates/portolan_core/src/rules/mod.rs")).unwrap();
        let after = register(&mod_rs, "scaffold_probe").unwrap();
        assert_eq!(after.lines().count(), mod_rs.lines().count() + 1);
    }
}

//! `cargo xtask docs [--check]`: the README's table of rules, generated
//! from the registry (`portolan rules`), between the markers below.
//! `--check` (run by the native CI layer) fails when the table is stale.

use crate::util::root;

const BEGIN: &str = "<!-- rules:begin (cargo xtask docs) -->\n";
const END: &str = "<!-- rules:end -->\n";

/// The Markdown table of `portolan rules`' human output (code, severity,
/// origin, summary per line).
fn table(rules: &str) -> Result<String, String> {
    let mut out = String::from("| code | severity | origin | what it finds |\n|---|---|---|---|\n");
    for line in rules.lines().filter(|l| !l.trim().is_empty()) {
        let mut words = line.split_whitespace();
        let (Some(code), Some(severity), Some(origin)) = (words.next(), words.next(), words.next())
        else {
            return Err(format!("unexpected `portolan rules` line: {line:?}"));
        };
        let summary = words.collect::<Vec<_>>().join(" ").replace('|', "\\|");
        out.push_str(&format!(
            "| `{code}` | {severity} | {origin} | {summary} |\n"
        ));
    }
    Ok(out)
}

/// `readme` with its rule table replaced by `table`.
fn splice(readme: &str, table: &str) -> Result<String, String> {
    let start = readme
        .find(BEGIN)
        .ok_or("README.md has no rules:begin marker")?
        + BEGIN.len();
    let end = readme[start..]
        .find(END)
        .ok_or("README.md has no rules:end marker")?
        + start;
    Ok(format!("{}{table}{}", &readme[..start], &readme[end..]))
}

/// The README as the registry says it should read.
pub fn expected() -> Result<(String, String), String> {
    let rules = portolan_core::output::rules::render("human");
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).map_err(|e| format!("README.md: {e}"))?;
    let fresh = splice(&readme, &table(&rules)?)?;
    Ok((readme, fresh))
}

pub fn run(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [a] if a == "--check" => true,
        _ => return Err("usage: cargo xtask docs [--check]".into()),
    };
    let (readme, fresh) = expected()?;
    if readme == fresh {
        println!("README.md: the rule table is current");
        return Ok(());
    }
    if check {
        return Err("README.md: the rule table is stale; run `cargo xtask docs`".into());
    }
    std::fs::write(root().join("README.md"), fresh).map_err(|e| format!("README.md: {e}"))?;
    println!("README.md: rule table written");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_spliced_between_the_markers() {
        let rules = "yaml-syntax                  error    kubernetes The document is not valid YAML.\nx  warning lint a | b\n";
        let t = table(rules).unwrap();
        assert_eq!(
            t,
            "| code | severity | origin | what it finds |\n|---|---|---|---|\n| `yaml-syntax` | error | kubernetes | The document is not valid YAML. |\n| `x` | warning | lint | a \\| b |\n"
        );
        let readme = format!("intro\n{BEGIN}old\n{END}outro\n");
        assert_eq!(
            splice(&readme, "new\n").unwrap(),
            format!("intro\n{BEGIN}new\n{END}outro\n")
        );
        assert!(splice("no markers", "t").is_err());
        assert!(table("only-code\n").is_err());
    }
}

//! Label selectors as apimachinery's `pkg/labels` implements them: the
//! requirement model, matching (spec B.2), the string syntax parser (B.3),
//! Service map selectors (B.1) and `metav1.LabelSelector` (B.1.4).

use std::collections::BTreeMap;
use std::fmt;

use crate::model::LabelSelector;
use crate::names;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Op {
    Equals,
    DoubleEquals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

impl Op {
    /// The `selection.Operator` name.
    pub fn name(self) -> &'static str {
        match self {
            Op::Equals => "=",
            Op::DoubleEquals => "==",
            Op::NotEquals => "!=",
            Op::In => "in",
            Op::NotIn => "notin",
            Op::Exists => "exists",
            Op::DoesNotExist => "!",
            Op::GreaterThan => "gt",
            Op::LessThan => "lt",
        }
    }
}

/// Whether a Service's selector (`spec.selector`: every pair must be a
/// label of the pod, spec B.1) selects a pod with these labels. Every place
/// that asks whether a Service selects a pod asks here.
pub fn service_selects(
    selector: &BTreeMap<String, String>,
    labels: &BTreeMap<String, String>,
) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// One requirement: key, operator and a set of values (sorted, deduplicated).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Requirement {
    pub key: String,
    pub op: Op,
    pub values: Vec<String>,
}

impl Requirement {
    /// `NewRequirement`: validates key, operator arity and values.
    pub fn new(
        key: &str,
        op: Op,
        values: impl IntoIterator<Item = String>,
    ) -> Result<Self, String> {
        let mut values: Vec<String> = values.into_iter().collect();
        values.sort();
        values.dedup();
        if let Some(e) = names::qualified_name(key).into_iter().next() {
            return Err(format!("key: Invalid value: {key:?}: {e}"));
        }
        match op {
            Op::In | Op::NotIn if values.is_empty() => {
                return Err(
                    "values: Invalid value: for 'in', 'notin' operators, values set can't be empty"
                        .into(),
                );
            }
            Op::Equals | Op::DoubleEquals | Op::NotEquals if values.len() != 1 => {
                return Err(
                    "values: Invalid value: exact-match compatibility requires one single value"
                        .into(),
                );
            }
            Op::Exists | Op::DoesNotExist if !values.is_empty() => {
                return Err(
                    "values: Invalid value: values set must be empty for exists and does not exist"
                        .into(),
                );
            }
            Op::GreaterThan | Op::LessThan
                if (values.len() != 1 || values[0].parse::<i64>().is_err()) =>
            {
                return Err("values[0]: Invalid value: for 'Gt', 'Lt' operators, the value must be an integer".into());
            }
            _ => {}
        }
        for v in &values {
            if let Some(e) = names::label_value(v).into_iter().next() {
                return Err(format!("values: Invalid value: {v:?}: {e}"));
            }
        }
        Ok(Requirement {
            key: key.to_owned(),
            op,
            values,
        })
    }

    /// `Requirement.Matches` (spec B.2).
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let value = labels.get(&self.key);
        match self.op {
            Op::In | Op::Equals | Op::DoubleEquals => {
                value.is_some_and(|v| self.values.contains(v))
            }
            Op::NotIn | Op::NotEquals => value.is_none_or(|v| !self.values.contains(v)),
            Op::Exists => value.is_some(),
            Op::DoesNotExist => value.is_none(),
            Op::GreaterThan | Op::LessThan => {
                let (Some(v), Some(r)) = (value, self.values.first()) else {
                    return false;
                };
                let (Ok(v), Ok(r)) = (v.parse::<i64>(), r.parse::<i64>()) else {
                    return false;
                };
                if self.op == Op::GreaterThan {
                    v > r
                } else {
                    v < r
                }
            }
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = || self.values.join(",");
        match self.op {
            Op::Exists => write!(f, "{}", self.key),
            Op::DoesNotExist => write!(f, "!{}", self.key),
            Op::Equals => write!(f, "{}={}", self.key, join()),
            Op::DoubleEquals => write!(f, "{}=={}", self.key, join()),
            Op::NotEquals => write!(f, "{}!={}", self.key, join()),
            Op::In => write!(f, "{} in ({})", self.key, join()),
            Op::NotIn => write!(f, "{} notin ({})", self.key, join()),
            Op::GreaterThan => write!(f, "{}>{}", self.key, join()),
            Op::LessThan => write!(f, "{}<{}", self.key, join()),
        }
    }
}

/// A selector: the AND of its requirements, or `Nothing`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Selector {
    /// `labels.Nothing()`: a nil `*metav1.LabelSelector`.
    Nothing,
    /// Zero requirements = `labels.Everything()`.
    All(Vec<Requirement>),
}

impl Selector {
    pub fn everything() -> Self {
        Selector::All(Vec::new())
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        match self {
            Selector::Nothing => false,
            Selector::All(reqs) => reqs.iter().all(|r| r.matches(labels)),
        }
    }

    pub fn requirements(&self) -> &[Requirement] {
        match self {
            Selector::Nothing => &[],
            Selector::All(r) => r,
        }
    }

    /// A Service's map selector (B.1.1): equality on every entry.
    pub fn from_map(map: &BTreeMap<String, String>) -> Self {
        Selector::All(
            map.iter()
                .map(|(k, v)| Requirement {
                    key: k.clone(),
                    op: Op::Equals,
                    values: vec![v.clone()],
                })
                .collect(),
        )
    }

    /// `LabelSelectorAsSelector` (B.1.4): `None` → Nothing, `{}` → Everything.
    /// Invalid expressions make the selector match nothing (the API server
    /// would have rejected the object).
    pub fn from_label_selector(sel: Option<&LabelSelector>) -> Self {
        let Some(sel) = sel else {
            return Selector::Nothing;
        };
        let mut reqs: Vec<Requirement> = Vec::new();
        for (k, v) in sel.match_labels.map.iter() {
            reqs.push(Requirement {
                key: k.clone(),
                op: Op::In,
                values: vec![v.clone()],
            });
        }
        for e in &sel.match_expressions {
            let op = match e.operator.as_ref().map(|o| o.value.as_str()) {
                Some("In") => Op::In,
                Some("NotIn") => Op::NotIn,
                Some("Exists") => Op::Exists,
                Some("DoesNotExist") => Op::DoesNotExist,
                _ => return Selector::Nothing,
            };
            let key = e.key.as_ref().map_or("", |k| k.value.as_str());
            match Requirement::new(key, op, e.values.iter().map(|v| v.value.clone())) {
                Ok(r) => reqs.push(r),
                Err(_) => return Selector::Nothing,
            }
        }
        reqs.sort();
        Selector::All(reqs)
    }

    /// `labels.Parse` (B.3).
    pub fn parse(input: &str) -> Result<Self, String> {
        let mut p = Parser {
            tokens: lex(input),
            pos: 0,
        };
        let mut reqs = p.parse()?;
        reqs.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(Selector::All(reqs))
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Nothing => f.write_str("<none>"),
            Selector::All(reqs) => {
                for (i, r) in reqs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{r}")?;
                }
                Ok(())
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Ident(String),
    In,
    NotIn,
    Bang,
    NotEquals,
    Equals,
    DoubleEquals,
    Gt,
    Lt,
    Open,
    Close,
    Comma,
    End,
}

impl Tok {
    fn text(&self) -> String {
        match self {
            Tok::Ident(s) => s.clone(),
            Tok::In => "in".into(),
            Tok::NotIn => "notin".into(),
            Tok::Bang => "!".into(),
            Tok::NotEquals => "!=".into(),
            Tok::Equals => "=".into(),
            Tok::DoubleEquals => "==".into(),
            Tok::Gt => ">".into(),
            Tok::Lt => "<".into(),
            Tok::Open => "(".into(),
            Tok::Close => ")".into(),
            Tok::Comma => ",".into(),
            Tok::End => String::new(),
        }
    }
}

fn is_special(c: char) -> bool {
    matches!(c, '=' | '!' | '(' | ')' | ',' | '>' | '<')
}

fn lex(input: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, ' ' | '\t' | '\r' | '\n') {
            i += 1;
        } else if is_special(c) {
            let next = chars.get(i + 1).copied();
            let (tok, len) = match (c, next) {
                ('!', Some('=')) => (Tok::NotEquals, 2),
                ('=', Some('=')) => (Tok::DoubleEquals, 2),
                ('!', _) => (Tok::Bang, 1),
                ('=', _) => (Tok::Equals, 1),
                ('>', _) => (Tok::Gt, 1),
                ('<', _) => (Tok::Lt, 1),
                ('(', _) => (Tok::Open, 1),
                (')', _) => (Tok::Close, 1),
                _ => (Tok::Comma, 1),
            };
            out.push(tok);
            i += len;
        } else {
            let start = i;
            while i < chars.len()
                && !is_special(chars[i])
                && !matches!(chars[i], ' ' | '\t' | '\r' | '\n')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            out.push(match word.as_str() {
                "in" => Tok::In,
                "notin" => Tok::NotIn,
                _ => Tok::Ident(word),
            });
        }
    }
    out.push(Tok::End);
    out
}

struct Parser {
    tokens: Vec<Tok>,
    pos: usize,
}

impl Parser {
    /// Look ahead in "values" mode: `in`/`notin` read as identifiers.
    fn peek_value(&self) -> Tok {
        match &self.tokens[self.pos] {
            Tok::In => Tok::Ident("in".into()),
            Tok::NotIn => Tok::Ident("notin".into()),
            t => t.clone(),
        }
    }

    fn next_value(&mut self) -> Tok {
        let t = self.peek_value();
        self.pos = (self.pos + 1).min(self.tokens.len() - 1);
        t
    }

    fn next_raw(&mut self) -> Tok {
        let t = self.tokens[self.pos].clone();
        self.pos = (self.pos + 1).min(self.tokens.len() - 1);
        t
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, String> {
        let mut reqs = Vec::new();
        loop {
            match self.peek_value() {
                Tok::Ident(_) | Tok::Bang => {
                    reqs.push(self.requirement()?);
                    match self.next_value() {
                        Tok::End => return Ok(reqs),
                        Tok::Comma => {
                            let t = self.peek_value();
                            if !matches!(t, Tok::Ident(_) | Tok::Bang) {
                                return Err(format!(
                                    "found '{}', expected: identifier after ','",
                                    t.text()
                                ));
                            }
                        }
                        t => {
                            return Err(format!(
                                "found '{}', expected: ',' or 'end of string'",
                                t.text()
                            ));
                        }
                    }
                }
                Tok::End => return Ok(reqs),
                t => {
                    return Err(format!(
                        "found '{}', expected: !, identifier, or 'end of string'",
                        t.text()
                    ));
                }
            }
        }
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        let mut tok = self.next_value();
        let mut op = None;
        if tok == Tok::Bang {
            op = Some(Op::DoesNotExist);
            tok = self.next_value();
        }
        let Tok::Ident(key) = tok else {
            return Err(format!("found '{}', expected: identifier", tok.text()));
        };
        if let Some(e) = names::qualified_name(&key).into_iter().next() {
            return Err(format!("invalid label key {key:?}: {e}"));
        }
        if matches!(self.peek_value(), Tok::End | Tok::Comma) {
            let op = op.unwrap_or(Op::Exists);
            return Requirement::new(&key, op, Vec::new());
        }
        if op.is_some() {
            return Err(format!(
                "found '{}', expected: ',' or 'end of string'",
                self.peek_value().text()
            ));
        }
        let op = match self.next_raw() {
            Tok::In => Op::In,
            Tok::NotIn => Op::NotIn,
            Tok::Equals => Op::Equals,
            Tok::DoubleEquals => Op::DoubleEquals,
            Tok::NotEquals => Op::NotEquals,
            Tok::Gt => Op::GreaterThan,
            Tok::Lt => Op::LessThan,
            t => {
                return Err(format!(
                    "found '{}', expected: '=', '!=', '==', 'in', notin'",
                    t.text()
                ));
            }
        };
        let values = if matches!(op, Op::In | Op::NotIn) {
            self.set_values()?
        } else {
            self.exact_value()?
        };
        Requirement::new(&key, op, values)
    }

    fn exact_value(&mut self) -> Result<Vec<String>, String> {
        if matches!(self.peek_value(), Tok::End | Tok::Comma) {
            return Ok(vec![String::new()]);
        }
        match self.next_value() {
            Tok::Ident(v) => Ok(vec![v]),
            t => Err(format!("found '{}', expected: identifier", t.text())),
        }
    }

    fn set_values(&mut self) -> Result<Vec<String>, String> {
        let t = self.next_value();
        if t != Tok::Open {
            return Err(format!("found '{}' expected: '('", t.text()));
        }
        match self.peek_value() {
            Tok::Ident(_) | Tok::Comma => {
                let set = self.identifiers()?;
                let t = self.next_value();
                if t != Tok::Close {
                    return Err(format!("found '{}', expected: ')'", t.text()));
                }
                Ok(set)
            }
            Tok::Close => {
                self.next_value();
                Ok(vec![String::new()])
            }
            t => Err(format!(
                "found '{}', expected: ',', ')' or identifier",
                t.text()
            )),
        }
    }

    fn identifiers(&mut self) -> Result<Vec<String>, String> {
        let mut set = Vec::new();
        loop {
            match self.next_value() {
                Tok::Ident(v) => {
                    set.push(v);
                    match self.peek_value() {
                        Tok::Comma => {}
                        Tok::Close => return Ok(set),
                        t => return Err(format!("found '{}', expected: ',' or ')'", t.text())),
                    }
                }
                Tok::Comma => {
                    if set.is_empty() {
                        set.push(String::new());
                    }
                    match self.peek_value() {
                        Tok::Close => {
                            set.push(String::new());
                            return Ok(set);
                        }
                        // `,,`: an empty value; the second comma is read next round.
                        Tok::Comma => set.push(String::new()),
                        _ => {}
                    }
                }
                t => {
                    return Err(format!(
                        "found '{}', expected: ',', or identifier",
                        t.text()
                    ));
                }
            }
        }
    }
}

/// Selectors indexed by the labels they require, so that the selectors
/// that may match a label set are found without trying every one: each
/// selector is filed under the values of one of its `=`/`in`
/// requirements (a label set has one value per key, so it meets each
/// selector at most once), or under its `exists` key; the others are
/// tried for every label set.
#[derive(Debug, Default)]
pub struct SelectorIndex {
    by_value: std::collections::HashMap<String, std::collections::HashMap<String, Vec<usize>>>,
    by_key: std::collections::HashMap<String, Vec<usize>>,
    rest: Vec<usize>,
}

impl SelectorIndex {
    /// Index `selectors`; their positions are the ids `candidates` yields.
    pub fn new<'s>(selectors: impl IntoIterator<Item = &'s Selector>) -> Self {
        let mut index = SelectorIndex::default();
        for (i, sel) in selectors.into_iter().enumerate() {
            let reqs = sel.requirements();
            let equality = reqs
                .iter()
                .filter(|r| matches!(r.op, Op::Equals | Op::DoubleEquals | Op::In))
                .min_by_key(|r| r.values.len());
            if let Some(r) = equality {
                for v in &r.values {
                    index
                        .by_value
                        .entry(r.key.clone())
                        .or_default()
                        .entry(v.clone())
                        .or_default()
                        .push(i);
                }
            } else if let Some(r) = reqs.iter().find(|r| r.op == Op::Exists) {
                index.by_key.entry(r.key.clone()).or_default().push(i);
            } else {
                index.rest.push(i);
            }
        }
        index
    }

    /// The ids of the selectors that may match `labels` (each at most
    /// once, in increasing order); the caller still checks each.
    pub fn candidates(&self, labels: &BTreeMap<String, String>) -> Vec<usize> {
        let mut out: Vec<usize> = self.rest.clone();
        for (k, v) in labels {
            if let Some(ids) = self.by_value.get(k).and_then(|vs| vs.get(v)) {
                out.extend(ids);
            }
            if let Some(ids) = self.by_key.get(k) {
                out.extend(ids);
            }
        }
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod index_tests {
    use super::*;

    #[test]
    fn candidates_cover_every_match() {
        let sels: Vec<Selector> = ["app=web", "app in (web,api)", "tier", "!legacy", "app=db"]
            .iter()
            .map(|s| Selector::parse(s).unwrap())
            .collect();
        let index = SelectorIndex::new(&sels);
        let labels: BTreeMap<String, String> =
            [("app".into(), "web".into()), ("tier".into(), "1".into())].into();
        let c = index.candidates(&labels);
        for (i, s) in sels.iter().enumerate() {
            if s.matches(&labels) {
                assert!(c.contains(&i), "{s} matches but is no candidate");
            }
        }
        assert!(!c.contains(&4), "app=db is not a candidate for app=web");
    }
}

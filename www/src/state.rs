//! The app state and its reducer: every change is an [`Action`].

use std::rc::Rc;

use yew::Reducible;

use crate::examples::{DEFAULT, EXAMPLES};
use crate::view::{View, compute};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub text: Rc<str>,
    /// The bundled example last loaded (the text may have been edited since).
    pub example: usize,
    pub view: Rc<View>,
    /// The text `view` was computed from (re-analysis is debounced).
    pub analysed: Rc<str>,
    pub selected: Option<String>,
    pub theme: Theme,
    /// Bumped to ask the editor to move its caret to a line.
    pub goto: Option<(usize, u32)>,
}

pub enum Action {
    /// The editor's text changed (analysis follows after a pause).
    Edit(String),
    /// Analyse the current text now.
    Analyse,
    LoadExample(usize),
    Select(Option<String>),
    /// Jump the editor to a line and select the node the finding is about.
    Goto {
        line: usize,
        node: Option<String>,
    },
    ToggleTheme,
}

impl State {
    pub fn initial() -> Self {
        let text: Rc<str> = EXAMPLES[DEFAULT].text.into();
        State {
            view: Rc::new(compute(&text)),
            analysed: text.clone(),
            text,
            example: DEFAULT,
            selected: None,
            theme: Theme::Light,
            goto: None,
        }
    }
}

impl Default for State {
    fn default() -> Self {
        State::initial()
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(text) => next.text = text.into(),
            Action::Analyse => {
                if next.analysed == next.text {
                    return self;
                }
                next.view = Rc::new(compute(&next.text));
                next.analysed = next.text.clone();
                if next
                    .selected
                    .as_ref()
                    .is_some_and(|s| !next.view.details.contains_key(s))
                {
                    next.selected = None;
                }
            }
            Action::LoadExample(i) => {
                let Some(ex) = EXAMPLES.get(i) else {
                    return self;
                };
                next.text = ex.text.into();
                next.example = i;
                next.view = Rc::new(compute(ex.text));
                next.analysed = next.text.clone();
                next.selected = None;
            }
            Action::Select(id) => next.selected = id,
            Action::Goto { line, node } => {
                let n = next.goto.map_or(0, |g| g.1.wrapping_add(1));
                next.goto = Some((line, n));
                if node.is_some() {
                    next.selected = node;
                }
            }
            Action::ToggleTheme => {
                next.theme = if next.theme == Theme::Light {
                    Theme::Dark
                } else {
                    Theme::Light
                };
            }
        }
        Rc::new(next)
    }
}

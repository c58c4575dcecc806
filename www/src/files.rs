//! Manifest files dropped on the editor or picked with *Open…*: read in the
//! page (never uploaded) and put into the editor one after another, each
//! after a comment naming it, as separate YAML documents.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::file::File;
use gloo::file::callbacks::{FileReader, read_as_bytes};
use portolan_core::source::{Span, decode};

use crate::components::AppContext;
use crate::state::Action;

/// A file's name, its text, and where its bytes were not UTF-8.
pub type Read = (String, String, Vec<(Span, u8)>);

/// Each file, once read, in the order picked.
type Slots = Vec<Option<Read>>;

/// Read every file of `list` and replace the editor's text with them.
pub fn open(list: &web_sys::FileList, state: &AppContext) {
    let files: Vec<File> = (0..list.length())
        .filter_map(|i| list.get(i))
        .map(File::from)
        .collect();
    if files.is_empty() {
        return;
    }
    let total = files.len();
    let texts: Rc<RefCell<Slots>> = Rc::new(RefCell::new(vec![None; total]));
    // The readers must live until their callbacks ran.
    let readers: Rc<RefCell<Vec<FileReader>>> = Rc::default();
    for (i, file) in files.into_iter().enumerate() {
        let name = file.name();
        let (texts, readers_done, state) = (texts.clone(), readers.clone(), state.clone());
        // Bytes, decoded as the CLIs decode files: bytes that are not UTF-8
        // are findings at their line and column (`invalid-utf8`).
        let reader = read_as_bytes(&file, move |result| {
            let (text, invalid) = match result {
                Ok(bytes) => decode(bytes),
                Err(e) => (format!("# {name} could not be read: {e}\n"), Vec::new()),
            };
            texts.borrow_mut()[i] = Some((name, text, invalid));
            if texts.borrow().iter().all(Option::is_some) {
                let (joined, invalid) = join(texts.borrow().iter().flatten());
                state.dispatch(Action::Load(joined, invalid));
                state.dispatch(Action::Analyse);
                // Drop the finished readers (not from inside this callback's
                // own reader: clear on the next turn of the event loop).
                let readers = readers_done.clone();
                gloo::timers::callback::Timeout::new(0, move || readers.borrow_mut().clear())
                    .forget();
            }
        });
        readers.borrow_mut().push(reader);
    }
}

/// The files as one multi-document stream, each after a comment naming it,
/// with their invalid UTF-8 moved to where they stand in it.
pub fn join<'a>(files: impl Iterator<Item = &'a Read>) -> (String, Vec<(Span, u8)>) {
    let mut out = String::new();
    let mut moved = Vec::new();
    for (i, (name, text, invalid)) in files.enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str("# file: ");
        out.push_str(&name.replace(['\n', '\r'], " "));
        out.push('\n');
        let at = out.len();
        moved.extend(
            invalid
                .iter()
                .map(|(s, b)| (Span::new(s.start() + at, s.end() + at), *b)),
        );
        out.push_str(text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    (out, moved)
}

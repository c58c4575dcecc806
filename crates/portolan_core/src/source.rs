//! Source files, byte spans and the line/column index used by every diagnostic.
//!
//! Positions are byte offsets into the original text. Lines and columns are
//! 1-based; columns count Unicode scalar values (as interfaces.md §4 fixes),
//! so a tab is one column and `é` is one column. A leading BOM is not part of
//! line 1's columns. `\n`, `\r\n` and a lone `\r` each end a line.

use serde::Serialize;

/// A half-open byte range `[start, end)` into one source's text.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    /// A zero-width span at `at`.
    pub const fn point(at: usize) -> Self {
        Span::new(at, at)
    }

    pub const fn start(self) -> usize {
        self.start as usize
    }

    pub const fn end(self) -> usize {
        self.end as usize
    }

    /// The same span `delta` bytes further on (or back): the position of
    /// the same text found elsewhere.
    #[must_use]
    pub fn shifted(self, delta: i64) -> Span {
        let at = |x: u32| u32::try_from(i64::from(x) + delta).unwrap_or(0);
        Span {
            start: at(self.start),
            end: at(self.end),
        }
    }

    /// The smallest span covering both.
    #[must_use]
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// Identifies one input source within an analysis.
pub type SourceId = usize;

/// One input file (or standard input) and its text.
#[derive(Clone, Debug)]
pub struct Source {
    pub name: String,
    pub text: String,
    /// Where the file's bytes were not UTF-8: each invalid sequence is a
    /// U+FFFD in `text` (this span) and its first byte was this one.
    pub invalid_utf8: Vec<(Span, u8)>,
    /// Built the first time a position is asked for: a clean input of
    /// millions of lines never pays for it.
    index: std::sync::OnceLock<LineIndex>,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
            invalid_utf8: Vec::new(),
            index: std::sync::OnceLock::new(),
        }
    }

    /// A file's bytes. Bytes that are not UTF-8 do not lose the file: each
    /// invalid sequence is read as U+FFFD (as `String::from_utf8_lossy`
    /// and a browser's `TextDecoder` replace it) and remembered, so that the
    /// analysis reports it at its line and column and reads everything else.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        let (text, invalid) = decode(bytes);
        Source {
            invalid_utf8: invalid,
            ..Source::new(name, text)
        }
    }
}

/// Bytes as text: each sequence that is not UTF-8 becomes U+FFFD, and its
/// span in the text and first byte are returned beside it (the page decodes
/// dropped files with this too, so that it reports what the CLIs report).
pub fn decode(bytes: Vec<u8>) -> (String, Vec<(Span, u8)>) {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return (text, Vec::new()),
        Err(e) => e.into_bytes(),
    };
    let mut text = String::with_capacity(bytes.len() + 8);
    let mut invalid = Vec::new();
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if let Some(&first) = chunk.invalid().first() {
            invalid.push((Span::new(text.len(), text.len() + 3), first));
            text.push('\u{fffd}');
        }
    }
    (text, invalid)
}

impl Source {
    pub fn line_index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// 1-based line and column of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        self.line_index().position(&self.text, offset)
    }

    /// The text of a 1-based line without its line terminator.
    pub fn line_text(&self, line: usize) -> &str {
        self.line_index().line_text(&self.text, line)
    }
}

/// A 1-based line and column (column in Unicode scalar values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Byte offsets of line starts; O(lines) memory, O(log lines) lookups.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
    bom: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let bom = text.starts_with('\u{feff}');
        let mut starts = vec![if bom { 3 } else { 0 }];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push((i + 1) as u32);
            }
        }
        LineIndex { starts, bom }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    pub fn has_bom(&self) -> bool {
        self.bom
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.clamp(1, self.starts.len()) - 1] as usize
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self
            .starts
            .partition_point(|&s| s as usize <= offset)
            .max(1);
        let start = (self.starts[line - 1] as usize).min(offset);
        let column = text[start..offset].chars().count() + 1;
        Position { line, column }
    }

    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> &'a str {
        if line == 0 || line > self.starts.len() {
            return "";
        }
        let start = self.starts[line - 1] as usize;
        let end = self.starts.get(line).map_or(text.len(), |&s| s as usize);
        text[start..end].trim_end_matches(['\n', '\r'])
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_read_as_replacement_characters_and_remembered() {
        let src = Source::from_bytes("t", b"a: \xff\nb: ok\nc: \xe2\x82\n".to_vec());
        assert_eq!(src.text, "a: \u{fffd}\nb: ok\nc: \u{fffd}\n");
        let at: Vec<_> = src
            .invalid_utf8
            .iter()
            .map(|(s, b)| (src.position(s.start()), *b))
            .collect();
        assert_eq!(
            at,
            [
                (Position { line: 1, column: 4 }, 0xff),
                (Position { line: 3, column: 4 }, 0xe2)
            ]
        );
        assert!(
            Source::from_bytes("t", b"ok".to_vec())
                .invalid_utf8
                .is_empty()
        );
    }

    #[test]
    fn lf_crlf_cr_and_mixed_endings() {
        let text = "a: 1\r\nb: 2\rc: 3\nd: 4";
        let src = Source::new("t", text);
        assert_eq!(src.line_index().line_count(), 4);
        assert_eq!(
            src.position(text.find('b').unwrap()),
            Position { line: 2, column: 1 }
        );
        assert_eq!(
            src.position(text.find('c').unwrap()),
            Position { line: 3, column: 1 }
        );
        assert_eq!(
            src.position(text.find('4').unwrap()),
            Position { line: 4, column: 4 }
        );
        assert_eq!(src.line_text(1), "a: 1");
        assert_eq!(src.line_text(2), "b: 2");
    }

    #[test]
    fn bom_is_not_a_column() {
        let text = "\u{feff}kind: Service\n";
        let src = Source::new("t", text);
        assert_eq!(
            src.position(text.find('k').unwrap()),
            Position { line: 1, column: 1 }
        );
        assert_eq!(src.line_text(1), "kind: Service");
    }

    #[test]
    fn columns_count_scalar_values_and_tabs() {
        let text = "name: \"é\u{1F600}\"\tx: y\n";
        let src = Source::new("t", text);
        assert_eq!(
            src.position(text.find('x').unwrap()),
            Position {
                line: 1,
                column: 12
            }
        );
    }

    #[test]
    fn offsets_past_the_end_or_inside_a_char_are_clamped() {
        let text = "é";
        let src = Source::new("t", text);
        assert_eq!(src.position(1), Position { line: 1, column: 1 });
        assert_eq!(src.position(99), Position { line: 1, column: 2 });
    }
}

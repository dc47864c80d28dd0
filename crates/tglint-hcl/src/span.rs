//! Where a value came from: files are numbered by the caller, spans are byte ranges.

use std::fmt;

/// A file known to the caller (the model's source cache numbers them). `FileId(0)` is
/// fine for single-file use such as tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A byte range in one file. `start..end`, zero-based, as hcl-edit reports them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Span {
        Span {
            file,
            start: clamp(range.start),
            end: clamp(range.end),
        }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "file#{}@{}..{}", self.file.0, self.start, self.end)
    }
}

/// The origin of a value: the expression that produced it (for a value passed through a
/// traversal, `merge`, `lookup`, `try` or a conditional, the expression it came from),
/// and whether it came from a dependency's `mock_outputs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Origin {
    pub span: Span,
    pub mock: bool,
}

impl Origin {
    pub fn new(span: Span) -> Origin {
        Origin { span, mock: false }
    }
}

/// Line and column lookup for one file's text. Lines and columns are 1-based; columns
/// count Unicode scalar values (UTF-16 columns are the reporters' business). Columns are
/// counted from the nearest checkpoint, one every [`CHECKPOINT`] bytes, so a lookup costs
/// at most that many bytes however long the line (a minified JSON file is one line).
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<u32>,
    /// `(byte offset, column - 1)` at char boundaries, every `CHECKPOINT` bytes or so.
    marks: Vec<(u32, u32)>,
}

/// How many bytes lie between two column checkpoints.
const CHECKPOINT: usize = 4096;

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0u32];
        let mut marks = Vec::new();
        let mut col = 0u32;
        let mut next = CHECKPOINT;
        for (i, c) in text.char_indices() {
            if i >= next {
                marks.push((clamp(i), col));
                next = i + CHECKPOINT;
            }
            if c == '\n' {
                starts.push(clamp(i + 1));
                col = 0;
            } else {
                col = col.saturating_add(1);
            }
        }
        LineIndex { starts, marks }
    }

    /// `(line, column)` of a byte offset, both 1-based.
    pub fn line_col(&self, text: &str, offset: u32) -> (u32, u32) {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let mut start = self.starts[line] as usize;
        let mut base = 0usize;
        let end = (offset as usize).min(text.len()).max(start);
        let m = self.marks.partition_point(|(o, _)| *o as usize <= end);
        if let Some(&(o, c)) = m.checked_sub(1).and_then(|i| self.marks.get(i))
            && o as usize >= start
        {
            start = o as usize;
            base = c as usize;
        }
        let col = text
            .get(start..end)
            .map(|s| s.chars().count())
            .unwrap_or(end - start);
        (clamp(line + 1), clamp(base + col + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let text = "a = 1\nbé = 2\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 6), (2, 1));
        // "bé" is 3 bytes; the space after it is column 3.
        assert_eq!(idx.line_col(text, 9), (2, 3));
    }

    #[test]
    fn long_lines_count_from_checkpoints_with_the_same_result() {
        let line: String = (0..3000)
            .map(|i| if i % 7 == 0 { 'é' } else { 'a' })
            .collect();
        let text = format!("x\n{line}{line}{line}\n{line}");
        let idx = LineIndex::new(&text);
        assert!(!idx.marks.is_empty());
        for (off, _) in text.char_indices().step_by(97) {
            let start = text[..off].rfind('\n').map_or(0, |i| i + 1);
            let want = text[start..off].chars().count() + 1;
            let line = text[..off].matches('\n').count() + 1;
            assert_eq!(
                idx.line_col(&text, off as u32),
                (line as u32, want as u32),
                "offset {off}"
            );
        }
    }
}

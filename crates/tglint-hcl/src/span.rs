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
/// count Unicode scalar values (UTF-16 columns are the reporters' business).
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0u32];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                starts.push(clamp(i + 1));
            }
        }
        LineIndex { starts }
    }

    /// `(line, column)` of a byte offset, both 1-based.
    pub fn line_col(&self, text: &str, offset: u32) -> (u32, u32) {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line] as usize;
        let end = (offset as usize).min(text.len()).max(start);
        let col = text
            .get(start..end)
            .map(|s| s.chars().count())
            .unwrap_or(end - start);
        (clamp(line + 1), clamp(col + 1))
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
}

//! Finds sign-in records in a JSON byte stream without building the file as one tree.
//!
//! Exports arrive as a bare array (`[{...},{...}]`), a Graph page (`{"value":[...],
//! "@odata.nextLink":...}`), one object per line (NDJSON), several arrays or pages one after the
//! other (what appending tools write), or a single object. The scanner walks the bytes once,
//! tracking only strings and nesting, and hands each record's exact bytes to a callback together
//! with its position. Peak memory is one record.
//!
//! Broken input is reported, never fatal: a text value that runs past the end of its line (JSON
//! forbids raw line breaks inside strings) ends that record with a problem and the scan resumes
//! at the next line that starts a record, which is exactly right for NDJSON and a fair recovery
//! for pretty-printed arrays.

use crate::messages::Message as Problem;
use std::io::{self, BufRead};

/// Where a record starts in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based count of record-shaped objects seen so far in the file, good or bad.
    pub record: u64,
    /// 1-based line of the record's first byte.
    pub line: u64,
    /// Byte offset of the record's first byte.
    pub offset: u64,
}

/// How the records were wrapped, for format detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// Inside a top-level `[...]`.
    Array,
    /// Inside the `value` (or `records`) list of a top-level object.
    Page,
    /// A top-level object that is itself the record.
    TopLevel,
}

/// What the scanner reports.
#[derive(Debug)]
pub enum Found {
    /// A record's exact bytes.
    Record {
        bytes: Vec<u8>,
        position: Position,
        container: Container,
    },
    /// A page wrapper starts: the properties and records that follow belong to it.
    PageStart,
    /// A property of a page wrapper other than its record list, such as `@odata.nextLink`.
    PageProperty { key: String, value: Vec<u8> },
    /// Something that could not be read; `record` is set when it belongs to one.
    Problem {
        line: u64,
        record: Option<u64>,
        problem: Problem,
    },
}

/// Why the file cannot be scanned at all.
#[derive(Debug)]
pub enum ScanError {
    /// The file holds nothing but whitespace.
    Empty,
    /// The first thing in the file is not `[` or `{`; carries the start of the first line.
    NotJson { first_line: String },
    /// Reading failed.
    Io(io::Error),
}

impl From<io::Error> for ScanError {
    fn from(e: io::Error) -> Self {
        ScanError::Io(e)
    }
}

/// Scans `reader`, calling `found` for each record, page property and problem. Returns the
/// start of the file's first non-blank line, to describe a file that held no records.
pub fn scan<R: BufRead>(reader: R, found: &mut dyn FnMut(Found)) -> Result<String, ScanError> {
    let mut scanner = Scanner {
        reader,
        line: 1,
        offset: 0,
        records: 0,
        tee: None,
        found,
    };
    scanner.skip_bom()?;
    scanner.skip_ws()?;
    let first_line = scanner.peek_line()?;
    match scanner.peek()? {
        None => return Err(ScanError::Empty),
        Some(b'[' | b'{') => {}
        Some(_) => return Err(ScanError::NotJson { first_line }),
    }
    scanner.top_level()?;
    Ok(first_line)
}

/// A structural problem inside one value.
enum Broken {
    /// The input ended inside the value.
    Eof,
    /// A text value was still open at a line break.
    OpenString,
    /// A byte that cannot start or continue a value here.
    Unexpected(u8),
    Io(io::Error),
}

impl From<io::Error> for Broken {
    fn from(e: io::Error) -> Self {
        Broken::Io(e)
    }
}

struct Scanner<'a, R> {
    reader: R,
    line: u64,
    offset: u64,
    records: u64,
    /// When set, every consumed byte is copied here: the bytes of the record being read.
    tee: Option<Vec<u8>>,
    found: &'a mut dyn FnMut(Found),
}

impl<R: BufRead> Scanner<'_, R> {
    fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(self.reader.fill_buf()?.first().copied())
    }

    /// Consumes `n` bytes of the current buffer, keeping line, offset and tee up to date.
    fn consume(&mut self, n: usize) -> io::Result<()> {
        let buf = self.reader.fill_buf()?;
        let taken = &buf[..n];
        self.line += memchr::memchr_iter(b'\n', taken).count() as u64;
        self.offset += n as u64;
        if let Some(tee) = &mut self.tee {
            tee.extend_from_slice(taken);
        }
        self.reader.consume(n);
        Ok(())
    }

    fn skip_bom(&mut self) -> io::Result<()> {
        if self.reader.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
            self.reader.consume(3);
            self.offset += 3;
        }
        Ok(())
    }

    fn skip_ws(&mut self) -> io::Result<()> {
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(());
            }
            let n = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
            let all = n == buf.len();
            self.consume(n)?;
            if !all {
                return Ok(());
            }
        }
    }

    /// The start of the current line as far as the buffer holds it, without consuming it.
    fn peek_line(&mut self) -> io::Result<String> {
        let buf = self.reader.fill_buf()?;
        let end = memchr::memchr(b'\n', buf).unwrap_or(buf.len()).min(240);
        let text = String::from_utf8_lossy(&buf[..end]);
        Ok(text.trim().chars().take(80).collect())
    }

    fn report(&mut self, line: u64, record: Option<u64>, problem: Problem) {
        (self.found)(Found::Problem {
            line,
            record,
            problem,
        });
    }

    fn top_level(&mut self) -> io::Result<()> {
        loop {
            self.skip_ws()?;
            match self.peek()? {
                None => return Ok(()),
                Some(b'[') => {
                    self.consume(1)?;
                    if !self.array(Container::Array)? {
                        return Ok(());
                    }
                }
                Some(b'{') => {
                    if !self.top_object()? {
                        return Ok(());
                    }
                }
                // Tools that join arrays by stripping brackets leave commas between values.
                Some(b',') => self.consume(1)?,
                Some(byte) => {
                    let line = self.line;
                    self.report(
                        line,
                        None,
                        describe(Problem::new("import.unexpected-between"), byte),
                    );
                    self.skip_rest_of_line()?;
                }
            }
        }
    }

    /// Reads list elements up to the closing `]`. Returns false when the input ended.
    fn array(&mut self, container: Container) -> io::Result<bool> {
        loop {
            self.skip_ws()?;
            match self.peek()? {
                None => {
                    let line = self.line;
                    self.report(line, None, Problem::new("import.list-not-closed"));
                    return Ok(false);
                }
                Some(b']') => {
                    self.consume(1)?;
                    return Ok(true);
                }
                Some(b',') => self.consume(1)?,
                Some(b'{') => {
                    if !self.element(container)? {
                        return Ok(false);
                    }
                }
                Some(b'[') => {
                    self.consume(1)?;
                    if !self.array(container)? {
                        return Ok(false);
                    }
                }
                Some(byte) => {
                    let line = self.line;
                    self.tee = None;
                    match self.value() {
                        Ok(()) => self.report(
                            line,
                            None,
                            describe(Problem::new("import.not-a-record"), byte),
                        ),
                        Err(broken) => {
                            if !self.recover(line, None, broken)? {
                                return Ok(false);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Reads one record object inside a list. Returns false when the input ended.
    fn element(&mut self, container: Container) -> io::Result<bool> {
        let position = self.start_record();
        self.tee = Some(Vec::new());
        if self.take_whole(position, container)? {
            return Ok(true);
        }
        let result = self.value();
        let bytes = self.tee.take().unwrap_or_default();
        match result {
            Ok(()) => {
                (self.found)(Found::Record {
                    bytes,
                    position,
                    container,
                });
                Ok(true)
            }
            Err(broken) => self.recover(position.line, Some(position.record), broken),
        }
    }

    /// A top-level object: a record, or a page whose `value`/`records` list holds the records.
    fn top_object(&mut self) -> io::Result<bool> {
        let position = self.start_record();
        self.tee = Some(Vec::new());
        if self.take_whole(position, Container::TopLevel)? {
            return Ok(true);
        }
        self.consume(1)?; // `{`
        let mut is_page = false;
        // `@odata.*` properties seen before we know whether this object is a page.
        let mut early_properties: Vec<(String, Vec<u8>)> = Vec::new();
        loop {
            if let Err(e) = self.skip_ws() {
                self.tee = None;
                return Err(e);
            }
            match self.peek()? {
                None => {
                    self.tee = None;
                    return self.recover(position.line, Some(position.record), Broken::Eof);
                }
                Some(b'}') => {
                    self.consume(1)?;
                    break;
                }
                Some(b',') => self.consume(1)?,
                Some(b'"') => {
                    let key = match self.key() {
                        Ok(key) => key,
                        Err(broken) => {
                            self.tee = None;
                            return self.recover(position.line, Some(position.record), broken);
                        }
                    };
                    self.skip_ws()?;
                    let is_list = self.peek()? == Some(b'[');
                    let record_list = key == "value" || key == "records";
                    if record_list && is_list && !is_page {
                        // A page: its own bytes are not a record. Undo the count taken for it.
                        is_page = true;
                        self.tee = None;
                        self.records -= 1;
                        (self.found)(Found::PageStart);
                        for (key, value) in early_properties.drain(..) {
                            (self.found)(Found::PageProperty { key, value });
                        }
                        self.consume(1)?;
                        if !self.array(Container::Page)? {
                            return Ok(false);
                        }
                    } else if is_page {
                        self.tee = Some(Vec::new());
                        let line = self.line;
                        let result = self.value();
                        let value = self.tee.take().unwrap_or_default();
                        match result {
                            Ok(()) => (self.found)(Found::PageProperty { key, value }),
                            Err(broken) => return self.recover(line, None, broken),
                        }
                    } else {
                        let before = self.tee.as_ref().map_or(0, Vec::len);
                        if let Err(broken) = self.value() {
                            self.tee = None;
                            return self.recover(position.line, Some(position.record), broken);
                        }
                        if key.starts_with('@') {
                            let value = self
                                .tee
                                .as_ref()
                                .map(|t| t[before..].to_vec())
                                .unwrap_or_default();
                            early_properties.push((key, value));
                        }
                    }
                }
                Some(byte) => {
                    self.tee = None;
                    let record = (!is_page).then_some(position.record);
                    return self.recover(position.line, record, Broken::Unexpected(byte));
                }
            }
        }
        if let Some(bytes) = self.tee.take() {
            (self.found)(Found::Record {
                bytes,
                position,
                container: Container::TopLevel,
            });
        }
        Ok(true)
    }

    /// Takes the record that opens the buffer in one pass, when [`quick_close`] can; `true`
    /// if it did. The caller has set `tee` to collect the record's bytes.
    fn take_whole(&mut self, position: Position, container: Container) -> io::Result<bool> {
        let top_level = container == Container::TopLevel;
        let Some(n) = quick_close(self.reader.fill_buf()?, top_level) else {
            return Ok(false);
        };
        self.consume(n)?;
        let bytes = self.tee.take().unwrap_or_default();
        (self.found)(Found::Record {
            bytes,
            position,
            container,
        });
        Ok(true)
    }

    fn start_record(&mut self) -> Position {
        self.records += 1;
        Position {
            record: self.records,
            line: self.line,
            offset: self.offset,
        }
    }

    /// Reads `"key":` and returns the key (escapes are kept as written; record keys have none).
    fn key(&mut self) -> Result<String, Broken> {
        let start = self.tee.as_ref().map_or(0, Vec::len);
        let mut own = None;
        if self.tee.is_none() {
            own = Some(());
            self.tee = Some(Vec::new());
        }
        self.consume(1)?;
        self.string_body()?;
        let tee = self
            .tee
            .as_ref()
            .map(|t| t[start + 1..t.len() - 1].to_vec())
            .unwrap_or_default();
        if own.is_some() {
            self.tee = None;
        }
        self.skip_ws()?;
        match self.peek()? {
            Some(b':') => self.consume(1)?,
            Some(byte) => return Err(Broken::Unexpected(byte)),
            None => return Err(Broken::Eof),
        }
        Ok(String::from_utf8_lossy(&tee).into_owned())
    }

    /// Consumes one complete JSON value of any kind.
    fn value(&mut self) -> Result<(), Broken> {
        self.skip_ws()?;
        match self.peek()? {
            None => Err(Broken::Eof),
            Some(b'{' | b'[') => self.container(),
            Some(b'"') => {
                self.consume(1)?;
                self.string_body()
            }
            Some(b'}' | b']' | b',' | b':') => {
                Err(Broken::Unexpected(self.peek()?.unwrap_or(b' ')))
            }
            Some(_) => self.scalar(),
        }
    }

    /// Consumes a balanced `{...}` or `[...]`.
    fn container(&mut self) -> Result<(), Broken> {
        let mut depth = 0usize;
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Err(Broken::Eof);
            }
            let mut i = 0;
            let mut string_at = None;
            let mut closed = false;
            while i < buf.len() {
                match buf[i] {
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            closed = true;
                            i += 1;
                            break;
                        }
                    }
                    b'"' => {
                        string_at = Some(i);
                        i += 1;
                        break;
                    }
                    _ => {}
                }
                i += 1;
            }
            if closed {
                self.consume(i)?;
                return Ok(());
            }
            if let Some(at) = string_at {
                self.consume(at + 1)?;
                self.string_body()?;
            } else {
                self.consume(i)?;
            }
        }
    }

    /// Consumes the rest of a string whose opening quote was consumed.
    fn string_body(&mut self) -> Result<(), Broken> {
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Err(Broken::Eof);
            }
            match memchr::memchr3(b'"', b'\\', b'\n', buf) {
                None => {
                    let n = buf.len();
                    self.consume(n)?;
                }
                Some(i) => match buf[i] {
                    b'"' => {
                        self.consume(i + 1)?;
                        return Ok(());
                    }
                    b'\\' => {
                        self.consume(i + 1)?;
                        // The escaped byte may sit in the next buffer.
                        match self.peek()? {
                            None => return Err(Broken::Eof),
                            Some(b'\n') => return Err(Broken::OpenString),
                            Some(_) => self.consume(1)?,
                        }
                    }
                    _ => {
                        self.consume(i)?;
                        return Err(Broken::OpenString);
                    }
                },
            }
        }
    }

    /// Consumes a number, `true`, `false` or `null` (checked later by the JSON parser).
    fn scalar(&mut self) -> Result<(), Broken> {
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(());
            }
            let n = buf
                .iter()
                .take_while(|b| {
                    !matches!(b, b',' | b'}' | b']' | b'"' | b'{' | b'[')
                        && !b.is_ascii_whitespace()
                })
                .count();
            let all = n == buf.len();
            self.consume(n)?;
            if !all {
                return Ok(());
            }
        }
    }

    /// Reports a broken value and moves to the next line that starts a record.
    /// Returns false when the input ended.
    fn recover(&mut self, line: u64, record: Option<u64>, broken: Broken) -> io::Result<bool> {
        self.tee = None;
        let (problem, more) = match broken {
            Broken::Io(e) => return Err(e),
            Broken::Eof => (Problem::new("import.ends-inside"), false),
            Broken::OpenString => (Problem::new("import.open-text").with("at", self.line), true),
            Broken::Unexpected(byte) => (
                describe(Problem::new("import.unexpected"), byte).with("at", self.line),
                true,
            ),
        };
        self.report(line, record, problem);
        if !more {
            return Ok(false);
        }
        loop {
            self.skip_rest_of_line()?;
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let first = buf
                .iter()
                .copied()
                .find(|b| *b != b' ' && *b != b'\t' && *b != b'\r');
            if matches!(first, Some(b'{' | b']' | b'[')) {
                return Ok(true);
            }
        }
    }

    fn skip_rest_of_line(&mut self) -> io::Result<()> {
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(());
            }
            match memchr::memchr(b'\n', buf) {
                Some(i) => return self.consume(i + 1),
                None => {
                    let n = buf.len();
                    self.consume(n)?;
                }
            }
        }
    }
}

/// The length of the object that opens `buf`, when all of it is there and nothing in it needs
/// the careful reading: a line break inside a text (which that reading reports), or, for an
/// object at the top level, a `value` or `records` key (a Graph page, whose list holds the
/// records). One pass over the bytes instead of a step per text: most records are read so.
fn quick_close(buf: &[u8], top_level: bool) -> Option<usize> {
    if buf.first() != Some(&b'{') {
        return None;
    }
    let mut depth = 0usize;
    let mut i = 0;
    while i < buf.len() {
        match buf[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'"' => {
                let start = i + 1;
                let mut end = start;
                loop {
                    end += memchr::memchr3(b'"', b'\\', b'\n', &buf[end..])?;
                    match buf[end] {
                        b'"' => break,
                        b'\\' if !matches!(buf.get(end + 1), None | Some(b'\n')) => end += 2,
                        _ => return None,
                    }
                }
                let text = &buf[start..end];
                if top_level && depth == 1 && (text == b"value" || text == b"records") {
                    return None;
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Names an unexpected byte in `problem` as `{what}`: a kind of JSON value in the reader's
/// language, or the character itself.
fn describe(problem: Problem, byte: u8) -> Problem {
    match byte {
        b'"' => problem.with_message("what", "import.byte.text"),
        b'0'..=b'9' | b'-' => problem.with_message("what", "import.byte.number"),
        b't' | b'f' => problem.with_message("what", "import.byte.true-false"),
        b'n' => problem.with("what", "null"),
        b if b.is_ascii_graphic() => problem.with("what", format!("'{}'", b as char)),
        b => problem.with("what", format!("0x{b:02x}")),
    }
}

#[cfg(test)]
mod tests;

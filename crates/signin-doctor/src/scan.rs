//! Searching and counting export files directly, for `search` and `stats` without
//! `--workspace`: each file is read once and only what the answer needs is kept, so no
//! workspace is built and memory stays small whatever the file's size.
//!
//! Files with one sign-in per line (NDJSON, the portal's JSON download) are read in pieces on
//! every core by [`signin_core::import::lines`], which looks closely only at lines that may
//! match. A large CSV is read in two halves at once, and a quick look at each portal row
//! settles most of them without building the sign-in. Every other file (a small CSV,
//! pretty-printed JSON, archives, other encodings) is read the ordinary way, passing over
//! records that lack a word searched for. Either way the answer is
//! exactly the workspace's: the first record of a request ID wins (later ones are repeats, as
//! the workspace's de-duplication treats them), a file that fails part-way contributes
//! nothing (the workspace rolls it back), and results are ordered newest first.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use signin_core::import::ImportedRecord;
use signin_core::import::glance::{Glance, glance};
use signin_core::import::lines::{
    IdSet, LineMerge, LineReader, Picked, Piece, Want, add_seen, id_key, record_of_line,
};
use signin_core::messages::tr;
use signin_core::stats::Count;
use signin_core::{Criteria, ImportError, ImportSink, Item, Lang, ReadSummary};
use signin_store::{Found, StoredSignIn};

/// A file (or archive member) whose records could not all be read.
#[derive(Debug)]
pub struct Problems {
    pub name: String,
    pub warnings: usize,
}

/// The sign-ins of `files` that meet `criteria`: every match counted, the newest `limit` kept
/// (all when 0).
pub fn find_in_files(
    files: &[PathBuf],
    criteria: &Criteria,
    limit: usize,
    lang: Lang,
) -> anyhow::Result<(Found, Vec<Problems>)> {
    let mut events = Vec::new();
    let problems = read_files(files, criteria, Want::Records, lang, &mut |name, picked| {
        if let Picked::Record(r) = picked {
            let ImportedRecord {
                event,
                raw,
                position,
                ..
            } = *r;
            events.push(StoredSignIn {
                event,
                raw: raw.into(),
                source: name.to_owned(),
                position,
            });
        }
    })?;
    events.sort_by(|a, b| signin_core::search::newest_first_order(&a.event, &b.event));
    let total = events.len() as u64;
    if limit > 0 {
        events.truncate(limit);
    }
    Ok((Found { total, events }, problems))
}

/// One row of a count: what, and how many.
pub type Row = (String, u64);

/// What `stats` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountBy {
    /// Failures per error code.
    Code,
    /// Failed Conditional Access policies per name, among failures.
    Policy,
}

/// Counts over the sign-ins of `files` that meet `criteria`, as rows of (what, how many), most
/// first; `top` rows at most (all when 0).
pub fn count_in_files(
    files: &[PathBuf],
    criteria: &Criteria,
    by: CountBy,
    top: usize,
    lang: Lang,
) -> anyhow::Result<(Vec<Row>, Vec<Problems>)> {
    let mut codes: HashMap<i64, u64> = HashMap::new();
    let mut policies: HashMap<String, u64> = HashMap::new();
    let want = match by {
        CountBy::Code => Want::Codes,
        CountBy::Policy => Want::FailedPolicies,
    };
    let problems = read_files(files, criteria, want, lang, &mut |_, picked| match picked {
        Picked::Code(code) => *codes.entry(code).or_default() += 1,
        Picked::FailedPolicies(names) => {
            for name in names {
                *policies.entry(name).or_default() += 1;
            }
        }
        Picked::Record(_) => {}
    })?;
    let rows = |rows: Vec<Count<String>>| rows.into_iter().map(|r| (r.key, r.count)).collect();
    Ok(match by {
        CountBy::Code => (
            rows(
                signin_core::stats::ranked(codes, top)
                    .into_iter()
                    .map(|r| Count {
                        key: r.key.to_string(),
                        count: r.count,
                    })
                    .collect(),
            ),
            problems,
        ),
        CountBy::Policy => (rows(signin_core::stats::ranked(policies, top)), problems),
    })
}

/// Reads every file, handing over (file name, pick) for each first-seen sign-in that meets the
/// criteria, once its file has been read to the end.
fn read_files(
    files: &[PathBuf],
    criteria: &Criteria,
    want: Want,
    lang: Lang,
    out: &mut dyn FnMut(&str, Picked),
) -> anyhow::Result<Vec<Problems>> {
    let reader = LineReader::new(criteria, want);
    let mut earlier = IdSet::default();
    let mut problems = Vec::new();
    for path in files {
        let name = path.display().to_string();
        let file = File::open(path)
            .with_context(|| tr(lang, "cli.error.cannot-open", &[("path", &name)]))?;
        let cannot_read = || tr(lang, "cli.error.cannot-read", &[("path", &name)]);
        if let Some(warnings) = by_lines(path, &file, &reader, &mut earlier, &mut |p| out(&name, p))
            .with_context(cannot_read)?
        {
            if warnings > 0 {
                problems.push(Problems { name, warnings });
            }
            continue;
        }
        if let Some(warnings) =
            csv_in_parts(path, &name, &reader, &mut earlier, &mut |p| out(&name, p))
                .with_context(cannot_read)?
        {
            if warnings > 0 {
                problems.push(Problems { name, warnings });
            }
            continue;
        }
        by_records(file, &name, &reader, &mut earlier, &mut problems, lang, out)?;
    }
    Ok(problems)
}

/// Reads a large CSV export in two halves at once, cut at a row boundary (a line end outside
/// quotes). `None` when the file is not such a file, or when the second half had anything to
/// warn about or rows of another width than the header (a sign of a wrong cut): the file is
/// then read the ordinary way, whose warnings say exactly where. Else the number of warnings.
fn csv_in_parts(
    path: &Path,
    name: &str,
    reader: &LineReader<'_>,
    earlier: &mut IdSet,
    out: &mut dyn FnMut(Picked),
) -> std::io::Result<Option<usize>> {
    let mut file = File::open(path)?;
    let size = file.metadata()?.len();
    if size < split_above() || std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        return Ok(None);
    }
    let mut head = Vec::with_capacity(BLOCK);
    (&mut file).take(BLOCK as u64).read_to_end(&mut head)?;
    // Plain UTF-8 text (not an archive, not UTF-16) that does not open like JSON.
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    let opens_json = text
        .trim_ascii_start()
        .first()
        .is_some_and(|b| matches!(b, b'[' | b'{'));
    if opens_json
        || head.starts_with(&[0x1f, 0x8b])
        || head.starts_with(b"PK")
        || head.contains(&0)
        || std::str::from_utf8(&head).is_err_and(|e| e.error_len().is_some())
    {
        return Ok(None);
    }
    // The header row: up to the first line end outside quotes.
    let Some(header_end) = row_end(&head, 0, false) else {
        return Ok(None);
    };
    let header = &head[..header_end];
    // The cut: the first line end after the middle, taken to lie outside quotes. Whether it
    // does is known once the first half has been read, its quotes counted on the way: an odd
    // count before the cut means it fell inside a quoted cell, and the file is read the
    // ordinary way instead. (Counting them first, on one core, cost about a twelfth of a
    // count's time.)
    let mid = size / 2;
    file.seek(SeekFrom::Start(mid))?;
    let mut rest = Vec::new();
    (&mut file).take(BLOCK as u64).read_to_end(&mut rest)?;
    let Some(end) = row_end(&rest, 0, false) else {
        return Ok(None);
    };
    let cut = mid + end as u64;

    let prefilter = reader.criteria().prefilter();
    // Rows per byte, from the first block: each half's list of request IDs is sized once.
    let row_bytes = head.len() / memchr::memchr_iter(b'\n', &head).count().max(1);
    let read_part = |from: u64,
                     to: u64,
                     with_header: bool,
                     counts: Option<&Cell<Counts>>|
     -> std::io::Result<PartRead> {
        let mut part = File::open(path)?;
        part.seek(SeekFrom::Start(from))?;
        let part = Counted {
            inner: part.take(to - from),
            counts,
        };
        let part = BufReader::with_capacity(1 << 16, part);
        let rows = (to - from) as usize / row_bytes.max(1);
        let taken = RefCell::new(Taken {
            keys: Vec::with_capacity(rows + rows / 8),
            picks: Vec::new(),
        });
        // Rows a quick look settles, and rows read in full, in file order.
        let mut quick = |glance: &Glance<'_>| match reader.glanced(glance) {
            Some((key, picked)) => {
                taken.borrow_mut().push(key, picked);
                true
            }
            None => false,
        };
        let mut sink = |item| {
            if let Item::SignIn(r) = item {
                let key = id_key(&r.event.id);
                taken.borrow_mut().push(key, reader.pick(*r));
            }
        };
        let header: &[u8] = if with_header { header } else { &[] };
        let read = signin_core::import::read_csv_part(
            header, part, name, &prefilter, &mut quick, &mut sink,
        );
        Ok(read.map(|(summary, rows)| (taken.into_inner(), summary, rows)))
    };
    let first_counts = Cell::new(Counts::default());
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| read_part(cut, size, true, None));
        let first = read_part(0, cut, false, Some(&first_counts));
        (
            first,
            second
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("a reader failed"))),
        )
    });
    let (Ok((first, summary, rows)), Ok((mut second, more_summary, more_rows))) = (first?, second?)
    else {
        return Ok(None);
    };
    let Counts {
        quotes,
        line_ends: cut_lines,
    } = first_counts.get();
    if quotes % 2 == 1
        || !more_summary.warnings.is_empty()
        || rows.ragged > 0
        || more_rows.ragged > 0
    {
        return Ok(None);
    }
    // The second half's positions, moved to their place after the first half.
    let header_len = header_end as u64;
    for (_, picked) in &mut second.picks {
        if let Picked::Record(r) = picked {
            r.position.record += rows.rows;
            r.position.line += cut_lines - 1;
            r.position.offset = r.position.offset + cut - header_len;
        }
    }
    let mut seen = IdSet::default();
    seen.reserve(first.keys.len() + second.keys.len());
    let mut picks = Vec::new();
    for part in [first, second] {
        let mut taken = part.picks.into_iter().peekable();
        for (index, key) in part.keys.into_iter().enumerate() {
            let first_seen = !earlier.contains(&key) && seen.insert(key);
            while let Some((_, picked)) = taken.next_if(|(at, _)| *at == index) {
                if first_seen {
                    picks.push(picked);
                }
            }
        }
    }
    add_seen(earlier, seen);
    picks.into_iter().for_each(out);
    Ok(Some(summary.warnings.len()))
}

/// Quotes and line ends read through a [`Counted`].
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    quotes: u64,
    line_ends: u64,
}

/// Counts the quotes and line ends of what is read through it (if given somewhere to).
struct Counted<'a, R> {
    inner: R,
    counts: Option<&'a Cell<Counts>>,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let Some(cell) = self.counts else {
            return Ok(n);
        };
        let mut counts = cell.get();
        counts.quotes += memchr::memchr_iter(b'"', &buf[..n]).count() as u64;
        counts.line_ends += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        cell.set(counts);
        Ok(n)
    }
}

/// What one half of a CSV export gave: its outcome, and what [`csv_in_parts`] needs of it.
type PartRead = Result<
    (
        Taken,
        signin_core::ReadSummary,
        signin_core::import::CsvRows,
    ),
    ImportError,
>;

/// Each sign-in's request-ID key, in file order, and what the sign-ins that meet the criteria
/// hand over (by their place among the keys): only what the answer needs, not the records.
struct Taken {
    keys: Vec<u128>,
    picks: Vec<(usize, Picked)>,
}

impl Taken {
    fn push(&mut self, key: u128, picked: Option<Picked>) {
        if let Some(picked) = picked {
            self.picks.push((self.keys.len(), picked));
        }
        self.keys.push(key);
    }
}

/// The end (just after the line end) of the row that starts at `from`, or `None` when `bytes`
/// ends first; `quoted` says whether `from` lies inside a quoted field.
fn row_end(bytes: &[u8], from: usize, mut quoted: bool) -> Option<usize> {
    for at in memchr::memchr2_iter(b'"', b'\n', &bytes[from..]) {
        match bytes[from + at] {
            b'"' => quoted = !quoted,
            _ if !quoted => return Some(from + at + 1),
            _ => {}
        }
    }
    None
}

/// Bytes a thread reads at a time: a few hundred lines, small enough to stay in the cache.
const BLOCK: usize = 1 << 20;

/// Files larger than this are read by several threads at once (4 MiB: smaller ones are read
/// before a thread would have started). Tests set `SIGNIN_DOCTOR_SPLIT_ABOVE` to split even
/// small files, so that every way of reading is held to the same answers.
fn split_above() -> u64 {
    std::env::var("SIGNIN_DOCTOR_SPLIT_ABOVE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4 * BLOCK as u64)
}

/// Reads a file of one sign-in per line on every core. `None` when the file is not such a
/// file (it is then read the ordinary way); else the number of warnings.
fn by_lines(
    path: &Path,
    file: &File,
    reader: &LineReader<'_>,
    earlier: &mut IdSet,
    out: &mut dyn FnMut(Picked),
) -> std::io::Result<Option<usize>> {
    let size = file.metadata()?.len();
    let Some(bom) = starts_with_a_record_line(file)? else {
        return Ok(None);
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
        .min(1 + (size / split_above().max(1)) as usize);
    let mut cuts = vec![0];
    for t in 1..threads {
        cuts.push(line_start_after(path, size * t as u64 / threads as u64)?);
    }
    cuts.push(size);
    cuts.dedup();
    let ranges: Vec<(u64, u64)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    let pieces: Vec<std::io::Result<Vec<Piece>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = ranges
            .iter()
            .map(|&(from, to)| scope.spawn(move || read_range(path, from, to, bom, reader)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("a reader failed")))
            })
            .collect()
    });
    let mut all = Vec::new();
    for part in pieces {
        all.extend(part?);
    }
    if all.iter().any(|p| p.irregular.is_some()) {
        return Ok(None);
    }
    let mut merge = LineMerge::new(reader);
    merge.reserve(all.iter().map(Piece::records).sum());
    // Hand over only once the whole file is read: a file that fails contributes nothing.
    let mut picked = Vec::new();
    for piece in all {
        merge.add(piece, earlier, &mut |p| picked.push(p));
    }
    let warnings = merge.finish(earlier);
    picked.into_iter().for_each(out);
    Ok(Some(warnings.len()))
}

/// Whether the file's first line that holds anything is a sign-in record a glance can read
/// (after an opening `[` line), so that the fast reading applies: then the length of its
/// byte-order mark (0 or 3), which the ordinary reading does not count in positions. Gzip and
/// zip archives, other encodings and every other layout answer `None`.
fn starts_with_a_record_line(mut file: &File) -> std::io::Result<Option<u64>> {
    let mut head = Vec::with_capacity(BLOCK);
    file.take(BLOCK as u64).read_to_end(&mut head)?;
    file.seek(SeekFrom::Start(0))?;
    let bom = if head.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let mut lines = head[bom..].split(|&b| b == b'\n');
    let mut first = lines.next().unwrap_or_default();
    let trimmed = first.trim_ascii();
    if trimmed == b"[" || trimmed.is_empty() {
        first = lines.next().unwrap_or_default();
    }
    // The line must be whole (not cut off by the head's end) and one record.
    let fits = head.len() > bom + first.len()
        && record_of_line(first).is_some_and(|(_, record)| glance(record).is_some());
    Ok(fits.then_some(bom as u64))
}

/// The start of the first line that begins at or after `at`.
fn line_start_after(path: &Path, at: u64) -> std::io::Result<u64> {
    let mut file = File::open(path)?;
    // From the byte before `at`: a line end there means a line starts at `at`.
    let mut pos = at.saturating_sub(1);
    file.seek(SeekFrom::Start(pos))?;
    let mut buf = vec![0; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(pos);
        }
        if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
            return Ok(pos + i as u64 + 1);
        }
        pos += n as u64;
    }
}

/// Reads bytes `from..to` (whole lines) in blocks of whole lines.
fn read_range(
    path: &Path,
    from: u64,
    to: u64,
    bom: u64,
    reader: &LineReader<'_>,
) -> std::io::Result<Vec<Piece>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(from))?;
    let mut file = file.take(to - from);
    let mut pieces = Vec::new();
    let mut buf = vec![0u8; BLOCK];
    let mut filled = 0;
    let mut offset = from;
    loop {
        if filled == buf.len() {
            // A line longer than the buffer.
            buf.resize(buf.len() * 2, 0);
        }
        let n = file.read(&mut buf[filled..])?;
        filled += n;
        let cut = if n == 0 {
            filled
        } else {
            match memchr::memrchr(b'\n', &buf[..filled]) {
                Some(i) => i + 1,
                None => continue,
            }
        };
        if cut > 0 {
            // Positions count from after the byte-order mark, as the ordinary reading's do.
            let skip = if offset == 0 { bom as usize } else { 0 };
            let piece = reader.read(&buf[skip.min(cut)..cut], offset + skip as u64 - bom);
            let irregular = piece.irregular.is_some();
            pieces.push(piece);
            if irregular {
                // The file will be read the ordinary way; no need to go on.
                return Ok(pieces);
            }
        }
        buf.copy_within(cut..filled, 0);
        filled -= cut;
        offset += cut as u64;
        if n == 0 {
            return Ok(pieces);
        }
    }
}

/// Reads a file the ordinary way, record by record.
fn by_records(
    file: File,
    name: &str,
    reader: &LineReader<'_>,
    earlier: &mut IdSet,
    problems: &mut Vec<Problems>,
    lang: Lang,
    out: &mut dyn FnMut(&str, Picked),
) -> anyhow::Result<()> {
    let mut sink = Records {
        reader,
        earlier,
        file_seen: IdSet::default(),
        file_picks: Vec::new(),
        picks: Vec::new(),
        outcomes: Vec::new(),
    };
    signin_core::read_source_where(
        BufReader::with_capacity(1 << 16, file),
        name,
        &reader_prefilter(reader),
        &mut sink,
    );
    let any_ok = sink.outcomes.iter().any(|(_, o)| o.is_ok());
    for (member, outcome) in sink.outcomes.drain(..) {
        match outcome {
            Ok(warnings) if warnings > 0 => problems.push(Problems {
                name: member,
                warnings,
            }),
            Ok(_) => {}
            Err(e) if any_ok && member != name => {
                crate::note_skipped(&member, &e.describe(lang), lang);
            }
            Err(e) => return Err(anyhow::Error::new(e).context(member)),
        }
    }
    for (member, picked) in sink.picks {
        out(&member, picked);
    }
    Ok(())
}

fn reader_prefilter(reader: &LineReader<'_>) -> signin_core::Prefilter {
    reader.criteria().prefilter()
}

struct Records<'a> {
    reader: &'a LineReader<'a>,
    /// Request IDs of the files read completely so far.
    earlier: &'a mut IdSet,
    /// Request IDs and picks of the file being read, kept only if it reads to the end.
    file_seen: IdSet,
    file_picks: Vec<Picked>,
    picks: Vec<(String, Picked)>,
    /// Each file of the source: its warnings, or why it could not be read.
    outcomes: Vec<(String, Result<usize, ImportError>)>,
}

impl ImportSink for Records<'_> {
    fn begin(&mut self, _: &str) {
        self.file_seen.clear();
        self.file_picks.clear();
    }

    fn item(&mut self, item: Item) {
        // Authentication steps do not change what a search or count selects.
        let Item::SignIn(record) = item else { return };
        let key = id_key(&record.event.id);
        if self.earlier.contains(&key) || !self.file_seen.insert(key) {
            return;
        }
        if let Some(picked) = self.reader.pick(*record) {
            self.file_picks.push(picked);
        }
    }

    fn end(&mut self, name: &str, outcome: Result<ReadSummary, ImportError>) {
        let outcome = outcome.map(|summary| {
            self.earlier.extend(self.file_seen.drain());
            for picked in self.file_picks.drain(..) {
                self.picks.push((name.to_owned(), picked));
            }
            summary.warnings.len()
        });
        self.outcomes.push((name.to_owned(), outcome));
    }
}

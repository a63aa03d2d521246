//! Searching and counting exports that hold one sign-in per line at close to the speed of
//! reading the file: NDJSON, and the portal's JSON download (`[`, then one record per line).
//!
//! The caller cuts the file into pieces of whole lines and hands them to [`LineReader::read`],
//! on as many threads as it likes; each piece's outcome is then given, in file order, to a
//! [`LineMerge`], which de-duplicates by request ID and hands over what was asked for. Inside a
//! piece one vectorised pass finds the line ends and every place a searched-for word could
//! start; only those lines are looked at ([`super::glance`]), and only the records that match
//! are read in full. Every record's request ID is still taken (from its first key), so "the
//! first record of a request ID wins" holds as in a workspace.
//!
//! A piece with a line that is not exactly one record (a pretty-printed file, several records
//! on a line) reports it, and the caller reads the file the ordinary way instead. Records the
//! quick look cannot vouch for are read in full, so the answers are the workspace's answers.
//! What it does not do: report problems in records that cannot match (an import does), or
//! check that such a record would be accepted before its request ID counts as seen.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use super::glance::{Glance, glance, leading_id};
use super::scan::Position;
use super::{ImportWarning, ImportedRecord, Item, Prefilter, ReadState};
use crate::SignInEvent;
use crate::model::PolicyResult;
use crate::search::Criteria;

/// What a read hands over for each first-seen record that meets the criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// The whole record.
    Records,
    /// Its error code, when it is not 0.
    Codes,
    /// The names of its Conditional Access policies that failed, when its error code is not 0.
    FailedPolicies,
}

/// What [`LineMerge`] hands over.
#[derive(Debug)]
pub enum Picked {
    Record(Box<ImportedRecord>),
    Code(i64),
    FailedPolicies(Vec<String>),
}

/// Reads pieces of a file; shared by the threads reading them.
#[derive(Debug)]
pub struct LineReader<'a> {
    criteria: &'a Criteria,
    prefilter: Prefilter,
    want: Want,
    /// The longest word every match contains, lower case, and where two of its rarer bytes lie.
    anchor: Option<Anchor>,
}

#[derive(Debug)]
struct Anchor {
    word: Vec<u8>,
    first: usize,
    second: usize,
    /// The vectorised search for the two bytes, when neither is a letter.
    search: Option<PairSearch>,
}

/// The memchr crate's search for two bytes of a word at their distance ("packed pair"), on
/// the widest vectors the processor has: it reports every place the word may start.
#[derive(Debug, Clone, Copy)]
enum PairSearch {
    #[cfg(target_arch = "x86_64")]
    Avx2(memchr::arch::x86_64::avx2::packedpair::Finder),
    #[cfg(target_arch = "x86_64")]
    Sse2(memchr::arch::x86_64::sse2::packedpair::Finder),
    #[cfg(target_arch = "aarch64")]
    Neon(memchr::arch::aarch64::neon::packedpair::Finder),
    /// Elsewhere there is none (never made: `new` says `None`).
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    Unavailable(std::convert::Infallible),
}

impl PairSearch {
    /// `None` where the processor has no such search (the caller then looks byte by byte).
    fn new(word: &[u8], first: usize, second: usize) -> Option<PairSearch> {
        let pair = memchr::arch::all::packedpair::Pair::with_indices(
            word,
            u8::try_from(first).ok()?,
            u8::try_from(second).ok()?,
        )?;
        #[cfg(target_arch = "x86_64")]
        {
            use memchr::arch::x86_64::{avx2, sse2};
            avx2::packedpair::Finder::with_pair(word, pair)
                .map(PairSearch::Avx2)
                .or_else(|| sse2::packedpair::Finder::with_pair(word, pair).map(PairSearch::Sse2))
        }
        #[cfg(target_arch = "aarch64")]
        {
            memchr::arch::aarch64::neon::packedpair::Finder::with_pair(word, pair)
                .map(PairSearch::Neon)
        }
        #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
        {
            let _ = pair;
            None
        }
    }

    /// The shortest text it may be given.
    fn min_haystack_len(&self) -> usize {
        match self {
            #[cfg(target_arch = "x86_64")]
            PairSearch::Avx2(f) => f.min_haystack_len(),
            #[cfg(target_arch = "x86_64")]
            PairSearch::Sse2(f) => f.min_haystack_len(),
            #[cfg(target_arch = "aarch64")]
            PairSearch::Neon(f) => f.min_haystack_len(),
            #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
            PairSearch::Unavailable(never) => match *never {},
        }
    }

    /// The first place in `text` where the word may start.
    fn find(&self, text: &[u8]) -> Option<usize> {
        match self {
            #[cfg(target_arch = "x86_64")]
            PairSearch::Avx2(f) => f.find_prefilter(text),
            #[cfg(target_arch = "x86_64")]
            PairSearch::Sse2(f) => f.find_prefilter(text),
            #[cfg(target_arch = "aarch64")]
            PairSearch::Neon(f) => f.find_prefilter(text),
            #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
            PairSearch::Unavailable(never) => match *never {},
        }
    }
}

/// What one piece held, to be given to [`LineMerge::add`] in file order.
#[derive(Debug, Default)]
pub struct Piece {
    /// The piece's byte offset in the file.
    pub offset: u64,
    /// Line ends in the piece.
    pub lines: u64,
    /// The request-ID key of every record, in order.
    keys: Vec<u128>,
    /// Records with something to hand over, or to read again in full, in order.
    picks: Vec<Pick>,
    /// The first line (0-based in the piece) that is not one record, if any.
    pub irregular: Option<u64>,
}

impl Piece {
    /// How many records the piece holds.
    pub fn records(&self) -> usize {
        self.keys.len()
    }
}

#[derive(Debug)]
struct Pick {
    /// The record's number in the piece (0-based).
    index: usize,
    line: u64,
    offset: u64,
    what: PickState,
}

#[derive(Debug)]
enum PickState {
    Ready(Picked),
    /// The record meets the criteria (or could not be vouched for) and had problems reading;
    /// it is read again once its place in the file is known, so its warnings say where.
    Again(Vec<u8>),
}

/// A key no record has: the record is read again at merge time to learn its ID.
const UNKNOWN: u128 = u128::MAX;

impl<'a> LineReader<'a> {
    pub fn new(criteria: &'a Criteria, want: Want) -> Self {
        let prefilter = criteria.prefilter();
        let anchor = prefilter
            .words()
            .iter()
            .max_by_key(|w| w.len())
            .filter(|w| w.len() >= 2)
            .map(|word| {
                // Two bytes that are not letters, if the word has them (an ID's digits, a
                // UPN's `@` and `.`), are found the same in any case, so the memchr crate's
                // vectorised search for a pair of bytes can look for them.
                if let Some((first, second)) =
                    rare_pair_among(word, |b| !b.is_ascii_alphabetic() && b != b'-')
                    && let Some(search) = PairSearch::new(word, first, second)
                {
                    return Anchor {
                        word: word.clone(),
                        first,
                        second,
                        search: Some(search),
                    };
                }
                let (first, second) = rare_pair(word);
                Anchor {
                    word: word.clone(),
                    first,
                    second,
                    search: None,
                }
            });
        LineReader {
            criteria,
            prefilter,
            want,
            anchor,
        }
    }

    /// The criteria read for.
    pub fn criteria(&self) -> &Criteria {
        self.criteria
    }

    /// Reads `bytes`, whole lines of the file (the last may lack its line end), starting at
    /// byte `offset`.
    pub fn read(&self, bytes: &[u8], offset: u64) -> Piece {
        let mut piece = Piece {
            offset,
            ..Piece::default()
        };
        let mut events = Marks::default();
        marks(bytes, self.anchor.as_ref(), &mut events);
        piece.lines = events.line_ends.len() as u64;
        let mut candidates = events.candidates.iter().peekable();
        let mut start = 0;
        let ends = events.line_ends.iter().copied().chain(
            // The last line, when the piece does not end with a line end.
            (events.line_ends.last().map_or(0, |e| e + 1) < bytes.len()).then_some(bytes.len()),
        );
        for (line, end) in ends.enumerate() {
            let line = line as u64;
            let text = &bytes[start..end];
            // A searched-for word may be on this line (a candidate lies inside the word).
            let mut hit = self.anchor.is_none();
            while let Some(&&at) = candidates.peek() {
                if at >= end {
                    break;
                }
                hit |= self.holds_word(bytes, at);
                candidates.next();
            }
            if self.line(text, start, line, hit, &mut piece).is_err() {
                piece.irregular = Some(line);
                return piece;
            }
            start = end + 1;
        }
        piece
    }

    /// Whether the candidate at `at` (see [`marks`]) may begin a match: the anchor word,
    /// in any case, stands where its rarer bytes were found, or the byte there is one every
    /// reading must see. Checking the word here, not the whole line, keeps a word of common
    /// bytes (an ID's digits) from sending most lines to the prefilter.
    fn holds_word(&self, bytes: &[u8], at: usize) -> bool {
        let Some(anchor) = &self.anchor else {
            return true;
        };
        if always_seen(bytes[at]) {
            return true;
        }
        at.checked_sub(anchor.first)
            .and_then(|start| bytes.get(start..start + anchor.word.len()))
            .is_some_and(|text| text.eq_ignore_ascii_case(&anchor.word))
    }

    /// One line: blank, an array bracket, or one record. `Err` when it is none of these.
    fn line(
        &self,
        text: &[u8],
        start: usize,
        line: u64,
        hit: bool,
        piece: &mut Piece,
    ) -> Result<(), ()> {
        let Some((from, record)) = record_of_line(text) else {
            return if is_filler(text) { Ok(()) } else { Err(()) };
        };
        let index = piece.keys.len();
        let place = |what| Pick {
            index,
            line,
            offset: (start + from) as u64,
            what,
        };
        if !hit || !self.prefilter.admits(text) {
            // Cannot match: only its request ID is needed.
            let key = match leading_id(record).or_else(|| glance(record).map(|g| g.id)) {
                Some(id) => id_key(id),
                None => match read_alone(record) {
                    Some(r) => id_key(&r.event.id),
                    None => {
                        not_json(record)?;
                        piece.picks.push(place(PickState::Again(record.to_vec())));
                        UNKNOWN
                    }
                },
            };
            piece.keys.push(key);
            return Ok(());
        }
        let (key, what) = match glance(record).and_then(|g| self.glanced(&g)) {
            Some(taken) => taken,
            None => match read_alone(record) {
                Some(r) => (id_key(&r.event.id), self.pick(r)),
                None => {
                    not_json(record)?;
                    piece.picks.push(place(PickState::Again(record.to_vec())));
                    piece.keys.push(UNKNOWN);
                    return Ok(());
                }
            },
        };
        piece.keys.push(key);
        if let Some(what) = what {
            piece.picks.push(place(PickState::Ready(what)));
        }
        Ok(())
    }

    /// What a quick look at a record settles: its request-ID key and what it hands over, if
    /// anything; `None` when the record must be read in full to say (it meets the criteria
    /// and more than its error code is wanted).
    pub fn glanced(&self, g: &Glance<'_>) -> Option<(u128, Option<Picked>)> {
        let key = id_key(g.id);
        if !self.criteria.matches_fields(g) {
            return Some((key, None));
        }
        match self.want {
            Want::Codes => Some((
                key,
                (g.error_code != 0).then_some(Picked::Code(g.error_code)),
            )),
            Want::FailedPolicies if g.error_code == 0 => Some((key, None)),
            _ => None,
        }
    }

    /// What a record read in full hands over, if it meets the criteria.
    pub fn pick(&self, record: ImportedRecord) -> Option<Picked> {
        if !self.criteria.matches(&record.event) {
            return None;
        }
        let code = record.event.error_code();
        match self.want {
            Want::Records => Some(Picked::Record(Box::new(record))),
            Want::Codes => (code != 0).then_some(Picked::Code(code)),
            Want::FailedPolicies => {
                (code != 0).then(|| Picked::FailedPolicies(failed(&record.event)))
            }
        }
    }
}

/// The names of a sign-in's Conditional Access policies that failed (not report-only), as the
/// per-policy count names them.
pub fn failed(event: &SignInEvent) -> Vec<String> {
    event
        .applied_conditional_access_policies
        .iter()
        .filter(|p| p.result == Some(PolicyResult::Failure))
        .map(crate::stats::policy_name)
        .collect()
}

/// Puts the pieces of one file together, in order, and hands over what was asked for.
#[derive(Debug)]
pub struct LineMerge<'a> {
    reader: &'a LineReader<'a>,
    /// Lines and records before the next piece.
    lines: u64,
    records: u64,
    state: ReadState,
    /// Request IDs of this file's records so far.
    seen: IdSet,
}

impl<'a> LineMerge<'a> {
    pub fn new(reader: &'a LineReader<'a>) -> Self {
        LineMerge {
            reader,
            lines: 0,
            records: 0,
            state: ReadState {
                // Past the first record: the file is known to hold sign-ins.
                seen: 1,
                accepted: 1,
                ..ReadState::default()
            },
            seen: IdSet::default(),
        }
    }

    /// Makes room for the request IDs of `records` more records at once: growing the set piece
    /// by piece would leave each smaller table behind for the allocator to give back.
    pub fn reserve(&mut self, records: usize) {
        self.seen.reserve(records);
    }

    /// Adds the next piece; `earlier` holds the request IDs of the files read before, whose
    /// records win over this file's. Hands over the first-seen records' picks.
    pub fn add(&mut self, piece: Piece, earlier: &IdSet, out: &mut dyn FnMut(Picked)) {
        self.seen.reserve(piece.keys.len());
        let mut picks = piece.picks.into_iter().peekable();
        for (index, &key) in piece.keys.iter().enumerate() {
            let pick = picks.next_if(|p| p.index == index);
            let key = match (key, &pick) {
                (UNKNOWN, Some(p)) => {
                    let PickState::Again(bytes) = &p.what else {
                        unreachable!("an unknown key comes with its record's text")
                    };
                    let position = Position {
                        record: self.records + index as u64 + 1,
                        line: self.lines + p.line + 1,
                        offset: piece.offset + p.offset,
                    };
                    let mut read = None;
                    self.state.record(bytes.clone(), position, &mut |item| {
                        if let Item::SignIn(r) = item {
                            read = Some(*r);
                        }
                    });
                    // Not a sign-in: a warning says why, and it takes no request ID.
                    if let Some(r) = read {
                        let key = id_key(&r.event.id);
                        if !earlier.contains(&key)
                            && self.seen.insert(key)
                            && let Some(what) = self.reader.pick(r)
                        {
                            out(what);
                        }
                    }
                    continue;
                }
                (key, _) => key,
            };
            if earlier.contains(&key) || !self.seen.insert(key) {
                continue;
            }
            if let Some(Pick {
                what: PickState::Ready(mut what),
                line,
                offset,
                ..
            }) = pick
            {
                if let Picked::Record(r) = &mut what {
                    r.position = Position {
                        record: self.records + index as u64 + 1,
                        line: self.lines + line + 1,
                        offset: piece.offset + offset,
                    };
                }
                out(what);
            }
        }
        self.records += piece.keys.len() as u64;
        self.lines += piece.lines;
    }

    /// The file is done: its warnings, and the request IDs it adds to `earlier`.
    pub fn finish(self, earlier: &mut IdSet) -> Vec<ImportWarning> {
        add_seen(earlier, self.seen);
        self.state.warnings
    }
}

/// Adds the request IDs a file held to those of the files before it (taking the set over
/// when it is the first, rather than hashing a large set again).
pub fn add_seen(earlier: &mut IdSet, seen: IdSet) {
    if earlier.is_empty() {
        *earlier = seen;
    } else {
        earlier.extend(seen);
    }
}

/// Request IDs as 128-bit keys: a GUID by its value (case does not matter, as in a workspace),
/// any other ID by a 128-bit hash of its lower-case form.
pub type IdSet = HashSet<u128, BuildHasherDefault<KeyHasher>>;

/// Keys are GUIDs or hashes already: fold them into 64 bits and spread them.
#[derive(Debug, Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x100_0000_01B3);
        }
    }
    fn write_u128(&mut self, key: u128) {
        self.0 = (key as u64) ^ ((key >> 64) as u64);
    }
}

/// The key of a request ID (see [`IdSet`]).
pub fn id_key(id: &str) -> u128 {
    let id = id.trim();
    if let Some(value) = guid_value(id.as_bytes()) {
        return value;
    }
    use std::hash::Hash;
    let lower = id.to_lowercase();
    let mut halves = [0u64; 2];
    for (salt, half) in halves.iter_mut().enumerate() {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (salt, &lower).hash(&mut h);
        *half = h.finish();
    }
    // The top bit set: a GUID's value could otherwise meet a hash (and never equals UNKNOWN,
    // whose low half is all ones too, unless both hashes are; then it is nudged).
    let key = (u128::from(halves[0]) << 64 | u128::from(halves[1])) | 1 << 127;
    if key == UNKNOWN { key - 1 } else { key }
}

fn guid_value(text: &[u8]) -> Option<u128> {
    if text.len() != 36 || [8, 13, 18, 23].iter().any(|&i| text[i] != b'-') {
        return None;
    }
    // Each half of the 32 digits in a machine word, through a table (every request ID of a
    // file is read so, so this is on the hot path).
    let digits = |parts: &[&[u8]]| {
        let mut word = 0u64;
        let mut bad = 0u8;
        for &c in parts.iter().flat_map(|p| p.iter()) {
            let d = HEX[usize::from(c)];
            bad |= d;
            word = word << 4 | u64::from(d & 0x0F);
        }
        (bad & 0x80 == 0).then_some(word)
    };
    let high = digits(&[&text[..8], &text[9..13], &text[14..18]])?;
    let low = digits(&[&text[19..23], &text[24..]])?;
    let value = u128::from(high) << 64 | u128::from(low);
    // Keep GUID values below the hashes' half (a GUID with its top bit set is folded down;
    // two GUIDs differing only there would share a key, which random IDs never do).
    Some(value & !(1 << 127))
}

/// Each byte's value as a hexadecimal digit, or 0x80 for bytes that are not one.
const HEX: [u8; 256] = {
    let mut table = [0x80u8; 256];
    let mut c = 0;
    while c < 256 {
        table[c] = match c as u8 {
            b @ b'0'..=b'9' => b - b'0',
            b @ b'a'..=b'f' => b - b'a' + 10,
            b @ b'A'..=b'F' => b - b'A' + 10,
            _ => 0x80,
        };
        c += 1;
    }
    table
};

/// The one record on a line: its offset in the line and its text, without a separating comma
/// before or after. `None` when the line is not a single `{…}`.
pub fn record_of_line(text: &[u8]) -> Option<(usize, &[u8])> {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\r');
    let mut from = text.iter().position(|b| !is_space(b))?;
    if text[from] == b',' {
        from += 1 + text[from + 1..].iter().position(|b| !is_space(b))?;
    }
    let mut to = text.len() - text.iter().rev().position(|b| !is_space(b))?;
    if text[to - 1] == b',' {
        to = from.max(to - 1 - text[from..to - 1].iter().rev().position(|b| !is_space(b))?);
    }
    let record = &text[from..to];
    (record.len() >= 2 && record[0] == b'{' && record[record.len() - 1] == b'}')
        .then_some((from, record))
}

/// `Err` when a line that looks like one record is not JSON: the ordinary reading may then
/// read it together with the next lines, so the file is read that way.
/// So is text that is not UTF-8, which the ordinary reading decodes with replacements.
fn not_json(record: &[u8]) -> Result<(), ()> {
    if std::str::from_utf8(record).is_err() {
        return Err(());
    }
    serde_json::from_slice::<serde::de::IgnoredAny>(record)
        .map(|_| ())
        .map_err(|_| ())
}

/// A line of nothing but white space and array brackets (`[`, `]`, `],`), and an optional BOM.
fn is_filler(text: &[u8]) -> bool {
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    let mut brackets = 0;
    text.iter().all(|b| match b {
        b' ' | b'\t' | b'\r' => true,
        b'[' | b']' | b',' => {
            brackets += 1;
            brackets <= 2
        }
        _ => false,
    })
}

/// Reads one record in full, alone; `None` when it has any problem (read again later, where
/// its place in the file is known).
fn read_alone(record: &[u8]) -> Option<ImportedRecord> {
    let mut state = ReadState {
        seen: 1,
        accepted: 1,
        ..ReadState::default()
    };
    let mut read = None;
    let here = Position {
        record: 0,
        line: 0,
        offset: 0,
    };
    state.record(record.to_vec(), here, &mut |item| {
        if let Item::SignIn(r) = item {
            read = Some(*r);
        }
    });
    read.filter(|_| state.warnings.is_empty())
}

/// Where lines end and where a searched-for word may start.
#[derive(Default)]
struct Marks {
    line_ends: Vec<usize>,
    candidates: Vec<usize>,
}

/// One pass over `bytes` (vectorised by the compiler: 64 bytes a step, no branches inside).
/// Candidates are places where two chosen bytes of the anchor word stand at the right distance
/// in any case, and every backslash and the lead bytes of the two non-ASCII letters that
/// lower-case to ASCII, which the prefilter must see (see [`Prefilter::admits`]).
fn marks(bytes: &[u8], anchor: Option<&Anchor>, out: &mut Marks) {
    const BLOCK: usize = 64;
    let Some(a) = anchor else {
        // No word: every line is looked at, so only line ends matter.
        out.line_ends.extend(memchr::memchr_iter(b'\n', bytes));
        return;
    };
    if let Some(pairs) = a.search {
        // Three vectorised passes, each finding rare bytes: line ends, the pair, and the
        // bytes every reading must see.
        out.line_ends.extend(memchr::memchr_iter(b'\n', bytes));
        let mut at = 0;
        while at + pairs.min_haystack_len() <= bytes.len() {
            let Some(start) = pairs.find(&bytes[at..]) else {
                at = bytes.len();
                break;
            };
            out.candidates.push(at + start + a.first);
            at += start + 1;
        }
        // A tail shorter than the search takes: byte by byte.
        out.candidates.extend((at..bytes.len()).filter_map(|start| {
            (bytes.get(start + a.first) == Some(&a.word[a.first])
                && bytes.get(start + a.second) == Some(&a.word[a.second]))
            .then_some(start + a.first)
        }));
        let [b0, b1, b2] = ALWAYS_SEEN;
        out.candidates
            .extend(memchr::memchr3_iter(b0, b1, b2, bytes));
        out.candidates.sort_unstable();
        return;
    }
    // A candidate lies inside the word it may start, so on the word's line.
    let (n0, n1, k) = (
        a.word[a.first] | 0x20,
        a.word[a.second] | 0x20,
        a.second - a.first,
    );
    let end = bytes.len().saturating_sub(k);
    let mut i = 0;
    while i + BLOCK <= end {
        let block = &bytes[i..i + BLOCK];
        let c = &bytes[i + k..i + k + BLOCK];
        // Whether the block has any line end or candidate at all (most have neither): folded
        // straight from the bytes, so nothing is stored unless there is something to find.
        let is_hit =
            |j: usize| (((block[j] | 0x20) == n0) & ((c[j] | 0x20) == n1)) | always_seen(block[j]);
        let any_nl = block.iter().fold(false, |acc, &x| acc | (x == b'\n'));
        let any_hit = (0..BLOCK).fold(false, |acc, j| acc | is_hit(j));
        if any_nl {
            out.line_ends
                .extend((0..BLOCK).filter(|&j| block[j] == b'\n').map(|j| i + j));
        }
        if any_hit {
            out.candidates
                .extend((0..BLOCK).filter(|&j| is_hit(j)).map(|j| i + j));
        }
        i += BLOCK;
    }
    for j in i..bytes.len() {
        let b = bytes[j];
        if b == b'\n' {
            out.line_ends.push(j);
        }
        let pair = j + k < bytes.len() && (b | 0x20) == n0 && (bytes[j + k] | 0x20) == n1;
        if pair || always_seen(b) {
            out.candidates.push(j);
        }
    }
}

/// The bytes every reading must see, wherever they stand: a backslash (an escape may spell any
/// character) and the lead bytes of the two non-ASCII letters that lower-case to ASCII (see
/// [`Prefilter::admits`]).
const ALWAYS_SEEN: [u8; 3] = [b'\\', 0xE2, 0xC4];

#[inline(always)]
fn always_seen(b: u8) -> bool {
    let [b0, b1, b2] = ALWAYS_SEEN;
    (b == b0) | (b == b1) | (b == b2)
}

/// Two bytes of `word` to look for: the rarest by a rough ranking of bytes in sign-in JSON,
/// as far apart as ties allow.
fn rare_pair(word: &[u8]) -> (usize, usize) {
    rare_pair_among(word, |_| true).unwrap_or((0, 0))
}

/// [`rare_pair`] among the bytes `eligible` admits; `None` when fewer than two are.
fn rare_pair_among(word: &[u8], eligible: impl Fn(u8) -> bool) -> Option<(usize, usize)> {
    // Lower is rarer. Letters common in English and JSON keys, digits and GUID dashes are
    // common in sign-in records; `@`, rare letters and punctuation are not.
    let rank = |b: u8| -> u32 {
        match b.to_ascii_lowercase() {
            b'@' | b'#' | b'\'' | b'&' | b'+' | b'!' => 0,
            b'q' | b'z' | b'x' | b'j' | b'k' | b'v' | b'w' | b'y' | b'_' => 1,
            b'b' | b'f' | b'g' | b'h' | b'm' | b'p' | b'u' => 2,
            b'c' | b'd' | b'l' | b'.' | b' ' => 3,
            b'a' | b'e' | b'i' | b'n' | b'o' | b'r' | b's' | b't' => 4,
            b'0'..=b'9' | b'-' | b':' => 5,
            _ => 2,
        }
    };
    let mut order: Vec<usize> = (0..word.len()).filter(|&i| eligible(word[i])).collect();
    order.sort_by_key(|&i| (rank(word[i]), i));
    let first = *order.first()?;
    let second = order[1..]
        .iter()
        .copied()
        .min_by_key(|&i| (rank(word[i]), usize::MAX - i.abs_diff(first)))?;
    Some((first.min(second), first.max(second)))
}

#[cfg(test)]
mod tests;

//! How a sign-in's two texts, its canonical record and the record exactly as in its file, are
//! kept small: both in one zstd frame, compressed with a dictionary the workspace learnt from
//! its own sign-ins.
//!
//! Sign-in records repeat the same keys and many of the same values, and the two texts of one
//! sign-in mostly repeat each other. One frame per sign-in keeps each readable on its own (the
//! detail view reads one; a search reads a few hundred), and a dictionary trained on the first
//! sign-ins a workspace receives (stored in its `dictionary` table) gives that small frame the
//! context it lacks: about 4.3 kB become about 0.25 kB on the bench kit's data. Sign-ins stored before
//! a dictionary existed (the first few hundred of a small workspace) say `dict = 0` and are
//! compressed without one.
//!
//! A body is the canonical text's length (4 bytes, little-endian) and then the frame, whose
//! header holds the two texts' total length. A JSON record's canonical text is not kept at all
//! (the length says [`RAW_ONLY`]): it is what reading the raw text again gives
//! ([`signin_core::import::reread`]), and leaving it out saves writing it, half the packing, and
//! about an eighth of the workspace's size. CSV rows, and sign-ins that gained authentication
//! steps from another file, keep both.

use std::cell::RefCell;
use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use zstd::bulk::{Compressor, Decompressor};
use zstd::dict::DecoderDictionary;

use crate::StoreError;

/// A dictionary is trained once this many sign-ins wait for one (fewer in the tests, which
/// go through the same steps with two demo weeks instead of seven)...
pub(crate) const TRAIN_AFTER: usize = if cfg!(test) { 500 } else { 2000 };
/// ...or at the end of an import that brought at least this many. Fewer are stored without.
pub(crate) const TRAIN_AT_LEAST: usize = 200;
/// Big enough for the keys and common values of sign-in records; training takes about 0.4 s.
const DICTIONARY_SIZE: usize = 256 * 1024;
/// Measured on the bench kit's data with both texts: level 3 packed a sign-in into about 325
/// bytes in 6 µs, level 5 into about 240 bytes in 24 µs, levels above gain little for twice the
/// time. Once reading got quicker the writing thread, packing included, held the import back:
/// level 1 then imported a million sign-ins 3–5 s sooner than level 3 (a tenth; the processor
/// time 6–9 s less) for a workspace of 0.41 times the export's size instead of 0.40.
const LEVEL: i32 = 1;

/// The canonical-text length of a body that holds only the raw text.
const RAW_ONLY: u32 = u32::MAX;

/// Compresses sign-ins for writing, with the workspace's dictionary when it has one.
pub(crate) struct Packer {
    /// The dictionary's row id, 0 for none.
    pub dict: i64,
    compressor: Compressor<'static>,
}

impl Packer {
    /// The packer for the workspace's current dictionary (the newest), or one without.
    pub fn current(conn: &Connection) -> Result<Packer, StoreError> {
        let newest: Option<(i64, Vec<u8>)> = conn
            .query_row(
                "SELECT id, bytes FROM dictionary ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match newest {
            Some((id, bytes)) => Packer::with(id, &bytes),
            None => Ok(Packer {
                dict: 0,
                compressor: Compressor::new(LEVEL).map_err(compression)?,
            }),
        }
    }

    fn with(id: i64, dictionary: &[u8]) -> Result<Packer, StoreError> {
        Ok(Packer {
            dict: id,
            compressor: Compressor::with_dictionary(LEVEL, dictionary).map_err(compression)?,
        })
    }

    /// Learns a dictionary from `samples` (each a sign-in's two texts), keeps it in the
    /// workspace and packs with it from now on. Too few or too alike samples leave the packer
    /// as it was.
    pub fn train(&mut self, conn: &Connection, samples: &[Vec<u8>]) -> Result<(), StoreError> {
        if samples.len() < TRAIN_AT_LEAST {
            return Ok(());
        }
        let Ok(dictionary) = zstd::dict::from_samples(samples, DICTIONARY_SIZE) else {
            return Ok(());
        };
        conn.execute(
            "INSERT INTO dictionary (bytes) VALUES (?1)",
            params![dictionary],
        )?;
        *self = Packer::with(conn.last_insert_rowid(), &dictionary)?;
        Ok(())
    }

    /// The stored form of a sign-in's texts: the canonical one (`None` when reading the raw
    /// one again gives it) and the raw one.
    pub fn pack(&mut self, event: Option<&str>, raw: &str) -> Result<Vec<u8>, StoreError> {
        let frame = match event {
            Some(event) => self.compressor.compress(&sample(Some(event), raw)),
            None => self.compressor.compress(raw.as_bytes()),
        }
        .map_err(compression)?;
        let length = event.map_or(RAW_ONLY, |e| e.len() as u32);
        let mut body = Vec::with_capacity(4 + frame.len());
        body.extend_from_slice(&length.to_le_bytes());
        body.extend_from_slice(&frame);
        Ok(body)
    }
}

/// A sample for [`Packer::train`]: the texts as they will be packed.
pub(crate) fn sample(event: Option<&str>, raw: &str) -> Vec<u8> {
    [event.unwrap_or_default().as_bytes(), raw.as_bytes()].concat()
}

/// Reads packed sign-ins back, loading each dictionary from the workspace once.
#[derive(Default)]
pub(crate) struct Unpacker {
    dictionaries: RefCell<HashMap<i64, DecoderDictionary<'static>>>,
}

impl std::fmt::Debug for Unpacker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Unpacker")
    }
}

impl Unpacker {
    /// The canonical text (`None` when only the raw one was kept) and the raw text of a
    /// stored body.
    pub fn unpack(
        &self,
        conn: &Connection,
        dict: i64,
        body: &[u8],
    ) -> Result<(Option<String>, String), StoreError> {
        let damaged = || StoreError::Damaged("a stored sign-in is cut short".into());
        let (length, frame) = body.split_first_chunk::<4>().ok_or_else(damaged)?;
        let event_len = u32::from_le_bytes(*length) as usize;
        let size = zstd::zstd_safe::get_frame_content_size(frame)
            .ok()
            .flatten()
            .ok_or_else(damaged)? as usize;
        let both = if dict == 0 {
            Decompressor::new()
                .and_then(|mut d| d.decompress(frame, size))
                .map_err(compression)?
        } else {
            let mut cache = self.dictionaries.borrow_mut();
            if let std::collections::hash_map::Entry::Vacant(entry) = cache.entry(dict) {
                let bytes: Vec<u8> = conn
                    .query_row(
                        "SELECT bytes FROM dictionary WHERE id = ?1",
                        params![dict],
                        |r| r.get(0),
                    )
                    .optional()?
                    .ok_or_else(|| {
                        StoreError::Damaged(format!("the compression dictionary {dict} is missing"))
                    })?;
                entry.insert(DecoderDictionary::copy(&bytes));
            }
            Decompressor::with_prepared_dictionary(&cache[&dict])
                .and_then(|mut d| d.decompress(frame, size))
                .map_err(compression)?
        };
        let mut event = String::from_utf8(both).map_err(|_| damaged())?;
        if event_len == RAW_ONLY as usize {
            return Ok((None, event));
        }
        if !event.is_char_boundary(event_len) {
            return Err(damaged());
        }
        let raw = event.split_off(event_len);
        Ok((Some(event), raw))
    }

    /// Forgets the dictionaries read (the workspace was emptied).
    pub fn forget(&self) {
        self.dictionaries.borrow_mut().clear();
    }
}

fn compression(e: std::io::Error) -> StoreError {
    StoreError::Damaged(format!("compression failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE dictionary (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL);",
        )
        .unwrap();
        conn
    }

    fn record(i: usize) -> (String, String) {
        let event = format!(
            r#"{{"id":"0000{i:04}-aaaa-4bbb-8ccc-000000000000","createdDateTime":"2026-11-20T10:{:02}:00Z","userPrincipalName":"user{}@contoso.com","appDisplayName":"Office 365 Exchange Online","status":{{"errorCode":{},"failureReason":"Other."}},"location":{{"city":"Rotterdam","countryOrRegion":"NL"}}}}"#,
            i % 60,
            i % 37,
            [0, 50126, 50074][i % 3]
        );
        let raw = format!("{{\"Request ID\": \"{i}\", \"Ünïcode\": \"naïve café {i}\"}}");
        (event, raw)
    }

    #[test]
    fn both_texts_come_back_exactly_with_and_without_a_dictionary() {
        let conn = workspace();
        let unpacker = Unpacker::default();
        let mut packer = Packer::current(&conn).unwrap();
        assert_eq!(packer.dict, 0);
        let (event, raw) = record(1);
        let plain = packer.pack(Some(&event), &raw).unwrap();
        assert_eq!(
            unpacker.unpack(&conn, 0, &plain).unwrap(),
            (Some(event.clone()), raw.clone())
        );

        let samples: Vec<Vec<u8>> = (0..TRAIN_AFTER)
            .map(|i| {
                let (e, r) = record(i);
                sample(Some(&e), &r)
            })
            .collect();
        packer.train(&conn, &samples).unwrap();
        assert_ne!(packer.dict, 0, "a dictionary was learnt and kept");
        let packed = packer.pack(Some(&event), &raw).unwrap();
        assert!(
            packed.len() < plain.len(),
            "{} < {}",
            packed.len(),
            plain.len()
        );
        assert_eq!(
            unpacker.unpack(&conn, packer.dict, &packed).unwrap(),
            (Some(event), raw.clone())
        );
        // The raw text alone, smaller still.
        let alone = packer.pack(None, &raw).unwrap();
        assert!(alone.len() < packed.len());
        assert_eq!(
            unpacker.unpack(&conn, packer.dict, &alone).unwrap(),
            (None, raw)
        );
        // A new packer for the same workspace finds the dictionary.
        assert_eq!(Packer::current(&conn).unwrap().dict, packer.dict);
        // Empty texts, and a canonical text ending inside the raw one's first character.
        let empty = packer.pack(Some(""), "").unwrap();
        assert_eq!(
            unpacker.unpack(&conn, packer.dict, &empty).unwrap(),
            (Some(String::new()), String::new())
        );
    }

    #[test]
    fn too_few_samples_train_nothing_and_damage_is_an_error_not_a_panic() {
        let conn = workspace();
        let mut packer = Packer::current(&conn).unwrap();
        packer.train(&conn, &vec![b"{}".to_vec(); 3]).unwrap();
        assert_eq!(packer.dict, 0);
        let unpacker = Unpacker::default();
        let body = packer.pack(Some("{\"a\":1}"), "x").unwrap();
        for bad in [
            &body[..2],
            &body[..body.len() - 1],
            &b"\x05\0\0\0garbage"[..],
        ] {
            assert!(unpacker.unpack(&conn, 0, bad).is_err());
        }
        assert!(
            unpacker.unpack(&conn, 42, &body).is_err(),
            "a missing dictionary"
        );
        let mut wrong_length = body.clone();
        wrong_length[0] = 200;
        assert!(unpacker.unpack(&conn, 0, &wrong_length).is_err());
    }
}

//! Recordings at rest: a caller's voice is personal data like the database
//! it sits beside, so a recording's file is sealed with the desk's key.
//!
//! A sealed file is the magic line, then records, each sealed on its own
//! (XChaCha20-Poly1305, a random 24-byte nonce per record): one FLAC frame
//! per record as it is recorded, so a crash loses only the record being
//! written, as with a plain file; and an end record once the recording is
//! finished. Each record's position and kind are authenticated with it, so
//! records cannot be reordered, dropped from the middle or passed off as
//! the end; a file cut short (a crash) reads up to its last whole record.
//!
//! ```text
//! "JJREC\0\x01\n" { kind: u8 (0 data, 1 end) | len: u32 LE | nonce: [u8; 24] | sealed: [u8; len] }*
//! ```

use std::io::Write;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

pub(crate) const MAGIC: &[u8; 8] = b"JJREC\0\x01\n";
const DATA: u8 = 0;
const END: u8 = 1;
const HEAD: usize = 1 + 4 + 24;

/// The key recordings are sealed with: 32 bytes the desk derives from its
/// database key, so whoever can open the database can hear its calls and
/// nobody else.
pub struct SealKey(zeroize::Zeroizing<[u8; 32]>);

impl SealKey {
    pub fn new(bytes: [u8; 32]) -> SealKey {
        SealKey(zeroize::Zeroizing::new(bytes))
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new((&*self.0).into())
    }
}

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealKey(…)")
    }
}

/// What a record is bound to: the file's kind, its place, what it is.
fn aad(index: u64, kind: u8) -> [u8; 17] {
    let mut a = [0u8; 17];
    a[..8].copy_from_slice(MAGIC);
    a[8..16].copy_from_slice(&index.to_le_bytes());
    a[16] = kind;
    a
}

/// Writes sealed records to `out`.
pub(crate) struct SealedWriter<W: Write> {
    out: W,
    cipher: XChaCha20Poly1305,
    index: u64,
}

impl<W: Write> SealedWriter<W> {
    pub(crate) fn new(mut out: W, key: &SealKey) -> std::io::Result<Self> {
        out.write_all(MAGIC)?;
        Ok(SealedWriter {
            out,
            cipher: key.cipher(),
            index: 0,
        })
    }

    /// Goes on writing a sealed file whose first `index` records are kept
    /// (the magic line is already there).
    pub(crate) fn continuing(out: W, key: &SealKey, index: u64) -> Self {
        SealedWriter {
            out,
            cipher: key.cipher(),
            index,
        }
    }

    /// One record of data, written through to the file.
    pub(crate) fn data(&mut self, plain: &[u8]) -> std::io::Result<()> {
        self.record(DATA, plain)
    }

    /// The end record: the recording is whole.
    pub(crate) fn end(&mut self) -> std::io::Result<()> {
        self.record(END, &[])
    }

    fn record(&mut self, kind: u8, plain: &[u8]) -> std::io::Result<()> {
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).map_err(|e| std::io::Error::other(e.to_string()))?;
        let aad = aad(self.index, kind);
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: &aad,
                },
            )
            .map_err(|_| std::io::Error::other("a record could not be sealed"))?;
        let len = u32::try_from(sealed.len()).map_err(std::io::Error::other)?;
        let mut rec = Vec::with_capacity(HEAD + sealed.len());
        rec.push(kind);
        rec.extend_from_slice(&len.to_le_bytes());
        rec.extend_from_slice(&nonce);
        rec.extend_from_slice(&sealed);
        // One write per record: a crash leaves whole records and one torn.
        self.out.write_all(&rec)?;
        self.out.flush()?;
        self.index += 1;
        Ok(())
    }
}

/// A sealed file opened: its data records in order, where each ends in
/// the file, and whether it ended.
pub(crate) struct Opened {
    pub records: Vec<Vec<u8>>,
    pub ends: Vec<usize>,
    pub complete: bool,
}

/// Opens every whole record of `bytes`. A last record cut short (a crash)
/// ends the reading; a whole record the key does not open is an error
/// (another desk's recording, or a file altered).
pub(crate) fn open(bytes: &[u8], key: &SealKey) -> Result<Opened, String> {
    if !bytes.starts_with(MAGIC) {
        return Err("not a sealed recording".into());
    }
    let cipher = key.cipher();
    let (mut pos, mut index) = (MAGIC.len(), 0u64);
    let (mut records, mut ends) = (Vec::new(), Vec::new());
    while bytes.len() - pos >= HEAD {
        let kind = bytes[pos];
        let len = u32::from_le_bytes(bytes[pos + 1..pos + 5].try_into().unwrap_or_default());
        let nonce = XNonce::from_slice(&bytes[pos + 5..pos + HEAD]);
        let body = pos + HEAD;
        let Some(sealed) = bytes.get(body..body + len as usize) else {
            break; // cut short
        };
        let aad = aad(index, kind);
        let plain = cipher
            .decrypt(
                nonce,
                Payload {
                    msg: sealed,
                    aad: &aad,
                },
            )
            .map_err(|_| match index {
                0 => {
                    "this desk's key does not open it (another desk's file, or altered)".to_string()
                }
                n => format!("record {n} was altered"),
            })?;
        match kind {
            END => {
                return Ok(Opened {
                    records,
                    ends,
                    complete: true,
                })
            }
            _ => records.push(plain),
        }
        pos = body + len as usize;
        ends.push(pos);
        index += 1;
    }
    Ok(Opened {
        records,
        ends,
        complete: false,
    })
}

/// A small file sealed whole: one record and the end.
pub(crate) fn seal_bytes(plain: &[u8], key: &SealKey) -> std::io::Result<Vec<u8>> {
    let mut w = SealedWriter::new(Vec::new(), key)?;
    w.data(plain)?;
    w.end()?;
    Ok(w.out)
}

/// What [`seal_bytes`] sealed; a file cut short is an error here (a small
/// file is written whole, then renamed into place).
pub(crate) fn open_bytes(bytes: &[u8], key: &SealKey) -> Result<Vec<u8>, String> {
    let o = open(bytes, key)?;
    match (o.complete, o.records.as_slice()) {
        (true, [one]) => Ok(one.clone()),
        _ => Err("the file is cut short".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed(key: &SealKey, end: bool) -> Vec<u8> {
        let mut w = SealedWriter::new(Vec::new(), key).unwrap();
        for r in [&b"first"[..], b"second", b"third"] {
            w.data(r).unwrap();
        }
        if end {
            w.end().unwrap();
        }
        w.out
    }

    #[test]
    fn records_come_back_in_order_and_nothing_is_in_the_clear() {
        let key = SealKey::new([7; 32]);
        let bytes = sealed(&key, true);
        assert!(!bytes.windows(6).any(|w| w == b"second"));
        let o = open(&bytes, &key).unwrap();
        assert_eq!(o.records, [&b"first"[..], b"second", b"third"]);
        assert!(o.complete);
    }

    #[test]
    fn a_file_cut_short_reads_to_its_last_whole_record() {
        let key = SealKey::new([7; 32]);
        let bytes = sealed(&key, true);
        // Torn inside the end record, then inside the third data record.
        for (cut, whole) in [(bytes.len() - 1, 3), (bytes.len() - HEAD - 16 - 3, 2)] {
            let o = open(&bytes[..cut], &key).unwrap();
            assert!(!o.complete);
            assert_eq!(o.records.len(), whole, "cut at {cut}");
        }
    }

    #[test]
    fn another_key_an_altered_byte_or_a_dropped_record_is_refused() {
        let key = SealKey::new([7; 32]);
        let bytes = sealed(&key, false);
        let e = open(&bytes, &SealKey::new([8; 32])).err().unwrap();
        assert!(e.contains("does not open"), "{e}");
        let mut altered = bytes.clone();
        let last = altered.len() - 2;
        altered[last] ^= 1;
        assert!(open(&altered, &key).err().unwrap().contains("record 2"));
        // The first record taken out: the second now sits at place 0.
        let first_len = HEAD + 5 + 16;
        let mut dropped = bytes[..MAGIC.len()].to_vec();
        dropped.extend_from_slice(&bytes[MAGIC.len() + first_len..]);
        assert!(open(&dropped, &key).is_err());
    }
}

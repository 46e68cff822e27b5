//! Checking a ggml Whisper model file before whisper.cpp sees it: the C++
//! loader gives little more than "failed to load" (and may abort on some
//! damage), so the file is walked here first — magic, hyper-parameters,
//! filterbank, vocabulary, every tensor header — and must end exactly
//! where its last tensor does. A truncated download or a file that is not
//! a model is named with what is wrong.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use serde::Serialize;

/// What a valid model file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelInfo {
    pub n_vocab: u32,
    pub n_audio_layer: u32,
    pub n_text_layer: u32,
    pub n_mels: u32,
    pub tensors: u32,
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: {what}")]
pub struct ModelError {
    pub path: String,
    pub what: String,
}

/// Walks the file; see the module comment.
///
/// # Errors
/// [`ModelError`] saying what is wrong.
pub fn check(path: &Path) -> Result<ModelInfo, ModelError> {
    let bad = |what: String| ModelError {
        path: path.display().to_string(),
        what,
    };
    let mut f = std::fs::File::open(path).map_err(|e| bad(format!("cannot open: {e}")))?;
    let len = f.metadata().map_err(|e| bad(e.to_string()))?.len();
    let i32_ = |f: &mut std::fs::File, what: &str| -> Result<i64, ModelError> {
        let mut b = [0u8; 4];
        f.read_exact(&mut b)
            .map_err(|_| bad(format!("truncated while reading {what}")))?;
        Ok(i64::from(i32::from_le_bytes(b)))
    };
    if i32_(&mut f, "the magic number")? as u32 != 0x6767_6d6c {
        return Err(bad("not a ggml Whisper model (wrong magic number)".into()));
    }
    let h: Vec<i64> = (0..11)
        .map(|_| i32_(&mut f, "the model's dimensions"))
        .collect::<Result<_, _>>()?;
    // ftype: 0 f32, 1 f16, 7 q8_0 (plus 1000 × the quantisation version).
    let ok =
        h[..10].iter().all(|v| (1..=1 << 20).contains(v)) && [0, 1, 7].contains(&(h[10] % 1000));
    if !ok {
        return Err(bad(format!(
            "implausible model dimensions {h:?}: not a Whisper model"
        )));
    }
    let (n_mel, n_fft) = (
        i32_(&mut f, "the filterbank")?,
        i32_(&mut f, "the filterbank")?,
    );
    if !(1..=512).contains(&n_mel) || !(1..=2048).contains(&n_fft) {
        return Err(bad(format!("implausible filterbank {n_mel}×{n_fft}")));
    }
    f.seek(SeekFrom::Current(n_mel * n_fft * 4))
        .map_err(|e| bad(e.to_string()))?;
    let words = i32_(&mut f, "the vocabulary size")?;
    if !(1..=h[0]).contains(&words) {
        return Err(bad(format!(
            "vocabulary of {words} words for a model of {}",
            h[0]
        )));
    }
    for i in 0..words {
        let n = i32_(&mut f, "the vocabulary")?;
        if !(0..=256).contains(&n) {
            return Err(bad(format!("vocabulary word {i} is {n} bytes long")));
        }
        f.seek(SeekFrom::Current(n))
            .map_err(|e| bad(e.to_string()))?;
    }
    let mut tensors = 0;
    loop {
        let at = f.stream_position().map_err(|e| bad(e.to_string()))?;
        if at == len {
            break;
        }
        let (dims, name_len, ttype) = (
            i32_(&mut f, "a tensor header")?,
            i32_(&mut f, "a tensor header")?,
            i32_(&mut f, "a tensor header")?,
        );
        if !(1..=4).contains(&dims) || !(1..=256).contains(&name_len) {
            return Err(bad(format!("damaged tensor header at byte {at}")));
        }
        let shape = (0..dims)
            .map(|_| i32_(&mut f, "a tensor shape"))
            .collect::<Result<Vec<_>, _>>()?;
        // Each side positive and the whole no larger than the file: a
        // crafted shape must not overflow, or seek backwards.
        let count = shape
            .iter()
            .try_fold(1i64, |n, &d| (d > 0).then(|| n.checked_mul(d)).flatten())
            .filter(|&n| n <= len as i64)
            .ok_or_else(|| bad(format!("damaged tensor shape {shape:?} at byte {at}")))?;
        let mut name = vec![0u8; name_len as usize];
        f.read_exact(&mut name)
            .map_err(|_| bad("truncated in a tensor name".into()))?;
        let bytes = match ttype {
            0 => count * 4,
            1 => count * 2,
            8 if count % 32 == 0 => count / 32 * 34, // Q8_0
            t => {
                return Err(bad(format!(
                    "tensor {} has type {t}; this app loads f16, f32 and q8_0 models",
                    String::from_utf8_lossy(&name)
                )))
            }
        };
        let end = f.stream_position().map_err(|e| bad(e.to_string()))? + bytes as u64;
        // The tensor's data lies after its header, never before it.
        if end <= at {
            return Err(bad(format!("damaged tensor header at byte {at}")));
        }
        if end > len {
            return Err(bad(format!(
                "truncated: tensor {} needs {} more bytes than the file has (an incomplete download?)",
                String::from_utf8_lossy(&name),
                end - len
            )));
        }
        f.seek(SeekFrom::Start(end))
            .map_err(|e| bad(e.to_string()))?;
        tensors += 1;
    }
    if tensors == 0 {
        return Err(bad("no tensors: the file ends after the vocabulary".into()));
    }
    Ok(ModelInfo {
        n_vocab: h[0] as u32,
        n_audio_layer: h[4] as u32,
        n_text_layer: h[8] as u32,
        n_mels: h[9] as u32,
        tensors,
        bytes: len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A model file's header, filterbank and one-word vocabulary, then one
    /// f32 tensor of `shape` with `data` bytes after it.
    fn model(shape: &[i32], data: usize) -> Vec<u8> {
        let mut b = Vec::new();
        let mut put = |v: i32| b.extend_from_slice(&v.to_le_bytes());
        put(0x6767_6d6c);
        for v in [51865, 1500, 512, 8, 6, 448, 512, 8, 6, 80, 1] {
            put(v);
        }
        put(1); // filterbank 1 × 1
        put(1);
        put(0); // its one value
        put(1); // one vocabulary word, empty
        put(0);
        put(shape.len() as i32);
        put(1);
        put(0);
        for &d in shape {
            put(d);
        }
        b.push(b'w');
        b.extend(std::iter::repeat_n(0u8, data));
        b
    }

    fn checked(bytes: &[u8]) -> Result<ModelInfo, ModelError> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.bin");
        std::fs::write(&p, bytes).unwrap();
        check(&p)
    }

    #[test]
    fn a_well_formed_file_passes() {
        let info = checked(&model(&[2, 3], 24)).unwrap();
        assert_eq!(info.tensors, 1);
    }

    #[test]
    fn crafted_shapes_are_refused_not_followed() {
        for shape in [
            vec![-6],
            vec![2, -3],
            vec![0],
            vec![i32::MAX, i32::MAX, i32::MAX, i32::MAX],
            vec![1 << 30, 1 << 30],
        ] {
            let e = checked(&model(&shape, 24)).unwrap_err().to_string();
            assert!(e.contains("damaged tensor shape"), "{shape:?}: {e}");
        }
    }
}

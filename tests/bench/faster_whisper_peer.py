"""The peer of `cargo bench -p jiejing-speech --bench transcribe`:
faster-whisper 1.2.1 (PyPI) on the same Whisper base weights (the CTranslate2
model the ggml file is converted from), the same clips, prompt and greedy
decoding, 2 threads, float32 and int8. Prints latency p50/p95 and CER, and writes what it heard for the Rust
bench to score the same way as whisper.cpp's output.
Run by `make bench` in its own venv (.venv-peer); not part of the product."""

import sys
import time
import unicodedata
from pathlib import Path

from faster_whisper import WhisperModel

model_dir, dev = Path(sys.argv[1]), Path(sys.argv[2])
# What it heard, for the Rust bench to score with the app's own normaliser
# and scorer (run after this one by `make bench`).
out_dir = Path(sys.argv[3]) if len(sys.argv) > 3 else None
rows = [l.split("\t") for l in (dev / "truth.tsv").read_text().splitlines()[1:] if l.strip()]


def chars(s: str) -> list[str]:
    return [c for c in s if unicodedata.category(c)[0] in "LN"]


def distance(a, b):
    row = list(range(len(b) + 1))
    for i, x in enumerate(a):
        diag, row[0] = row[0], i + 1
        for j, y in enumerate(b):
            diag, row[j + 1] = row[j + 1], min(diag + (x != y), row[j] + 1, row[j + 1] + 1)
    return row[-1]


for compute in ["float32", "int8"]:
    m = WhisperModel(str(model_dir), device="cpu", compute_type=compute, cpu_threads=2)
    lat, err, total, heard = [], 0, 0, []
    for r in rows:
        t = time.time()
        segs, _ = m.transcribe(str(dev / f"{r[0]}.wav"), language="zh", beam_size=1, temperature=0.0,
                               initial_prompt="以下是常州110报警电话的普通话录音。",
                               condition_on_previous_text=False, vad_filter=False)
        text = "".join(s.text for s in segs)
        lat.append(time.time() - t)
        heard.append(f"{r[0]}\t{text.strip()}")
        # Digits as written: the truth writes 110 and phone numbers in digits.
        err += distance(chars(text), chars(r[2]))
        total += len(chars(r[2]))
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / f"faster-whisper-{compute}.tsv").write_text("\n".join(heard) + "\n")
    lat.sort()
    print(f"faster-whisper base {compute:<8} per utterance p50 {lat[len(lat)//2]:.2f} s, "
          f"p95 {lat[len(lat)*95//100]:.2f} s; CER {100*err/total:.1f} % ({err}/{total}) [no number normalisation]")

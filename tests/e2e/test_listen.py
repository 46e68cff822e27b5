"""The headless desk on a real device: `jiejing listen` captures the
PulseAudio null sink's monitor through cpal while a whole call (two rings,
the greeting, a caller giving a number) is played into the sink — the path
the app runs, without a window."""

import json
import subprocess

from conftest import CLI, pulse_null_sink
from test_speech import MODEL, call_wav


def test_listen_on_a_device_takes_the_call_as_the_app_would(tmp_path):
    data = tmp_path / "desk"
    (data / "models").mkdir(parents=True)
    (data / "models" / MODEL.name).symlink_to(MODEL)
    wav = tmp_path / "call.wav"
    call_wav(wav)
    with pulse_null_sink():
        listen = subprocess.Popen([str(CLI), "--data-dir", str(data), "listen", "--for", "26", "--json"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            # The model loads while the first seconds of silence are heard.
            subprocess.run(["sleep", "2"], check=True)
            subprocess.run(["paplay", str(wav)], check=True, timeout=40)
            out, err = listen.communicate(timeout=90)
        finally:
            listen.kill()
    assert listen.returncode == 0, err
    calls = json.loads(out)
    assert len(calls) == 1, (calls, err)
    c = calls[0]["call"]
    assert c["answerSource"] == "audio" and len(c["rings"]) == 2, c
    assert c["greetingAt"] is not None and c["state"] == "in_progress", (c, calls[0]["speech"])
    assert any(s["suggestions"]["phone"] == ["15961234567"] for s in calls[0]["speech"]), calls[0]["speech"]
    assert "still in progress" in err
    # Kept in the desk's database like any call.
    shown = subprocess.run([str(CLI), "--data-dir", str(data), "calls", "show", str(c["id"]), "--json"],
                           check=True, capture_output=True, text=True)
    assert json.loads(shown.stdout) == calls[0]

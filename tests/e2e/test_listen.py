"""The headless desk on a real device: `jiejing listen` captures the
PulseAudio null sink's monitor through cpal while a whole call (two rings,
the greeting, a caller giving a number) is played into the sink — the path
the app runs, without a window."""

import json
import os
import subprocess
from pathlib import Path

from conftest import CLI, pulse_null_sink
from test_speech import MODEL, call_wav, line_in_wavs


def desk_with_model(tmp_path: Path) -> Path:
    """A data folder as the desk makes it, with the speech model."""
    data = tmp_path / "desk"
    data.mkdir(mode=0o700)
    (data / "models").mkdir()
    (data / "models" / MODEL.name).symlink_to(MODEL)
    return data


def listen_while_playing(data: Path, seconds: int, args: list[str], plays: list[list[str]],
                         env: dict | None = None) -> tuple[list, str]:
    """`jiejing listen --for SECONDS --json ARGS` on the null sink while
    each `paplay` command of `plays` runs at once; the calls and stderr."""
    listen = subprocess.Popen([str(CLI), "--data-dir", str(data), "listen", "--for", str(seconds), *args, "--json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        # The model loads while the first seconds of silence are heard.
        subprocess.run(["sleep", "2"], check=True)
        players = [subprocess.Popen(p) for p in plays]
        for p in players:
            assert p.wait(40) == 0
        out, err = listen.communicate(timeout=90)
    finally:
        listen.kill()
    assert listen.returncode == 0, err
    calls = json.loads(out)
    assert len(calls) == 1, (calls, err)
    return calls, err


def assert_who_spoke(calls: list) -> None:
    """The greeting from the microphone, the caller's number from the line."""
    c, speech = calls[0]["call"], calls[0]["speech"]
    assert c["greetingAt"] is not None and len(c["rings"]) == 2, (c, speech)
    assert speech[0]["speaker"] == "taker" and speech[0]["greeting"], speech
    caller = [s for s in speech if s["speaker"] == "caller"]
    assert any(s["suggestions"]["phone"] == ["15961234567"] for s in caller), speech


def test_listen_on_a_device_takes_the_call_as_the_app_would(tmp_path):
    data = desk_with_model(tmp_path)
    wav = tmp_path / "call.wav"
    call_wav(wav)
    with pulse_null_sink():
        calls, err = listen_while_playing(data, 26, [], [["paplay", str(wav)]])
    c = calls[0]["call"]
    assert c["answerSource"] == "audio" and len(c["rings"]) == 2, c
    assert c["greetingAt"] is not None and c["state"] == "in_progress", (c, calls[0]["speech"])
    assert any(s["suggestions"]["phone"] == ["15961234567"] for s in calls[0]["speech"]), calls[0]["speech"]
    assert "still in progress" in err
    # Kept in the desk's database like any call.
    shown = subprocess.run([str(CLI), "--data-dir", str(data), "calls", "show", str(c["id"]), "--json"],
                           check=True, capture_output=True, text=True)
    assert json.loads(shown.stdout) == calls[0]


def test_listen_with_the_callers_line_on_the_right_channel(tmp_path):
    """A stereo line-in: the desk microphone on the left (rings, greeting),
    the caller's line on the right (the caller giving a number), played
    into the null sink; `jiejing listen --caller-line right` hears both
    through cpal and says who spoke."""
    data = desk_with_model(tmp_path)
    left, right = line_in_wavs(tmp_path)
    stereo = tmp_path / "stereo.wav"
    subprocess.run(["sox", "-M", str(left), str(right), str(stereo)], check=True)
    with pulse_null_sink():
        calls, _ = listen_while_playing(data, 28, ["--caller-line", "right"], [["paplay", str(stereo)]])
    assert_who_spoke(calls)


def test_listen_with_the_callers_line_on_a_second_null_sink(tmp_path):
    """Two PulseAudio null sinks: the desk microphone is the first one's
    monitor (rings, greeting), the caller's line a second one's (the
    caller giving a number), reached through an ALSA device the test
    defines; both play at once."""
    data = desk_with_model(tmp_path)
    left, right = line_in_wavs(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text(
        'pcm.jiejing_line {\n type pulse\n device "jiejing_line.monitor"\n'
        ' hint { show on description "Jiejing caller line (test)" }\n}\n')
    with pulse_null_sink():
        sinks = subprocess.run(["pactl", "list", "short", "sinks"], check=True, capture_output=True, text=True).stdout
        if "jiejing_line" not in sinks:
            subprocess.run(["pactl", "load-module", "module-null-sink", "sink_name=jiejing_line",
                            "sink_properties=device.description=JiejingLine"], check=True, capture_output=True)
        # The ALSA device is defined in this test's own home; the sound
        # server's cookie stays where the server wrote it.
        env = {**os.environ, "HOME": str(home), "PULSE_COOKIE": str(Path.home() / ".config" / "pulse" / "cookie")}
        calls, _ = listen_while_playing(data, 28, ["--caller-line", "alsa:jiejing_line"],
                                        [["paplay", str(left)], ["paplay", "-d", "jiejing_line", str(right)]], env)
    assert_who_spoke(calls)

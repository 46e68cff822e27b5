"""A desk that dies in the middle of a call (killed, as a crash or a power
cut would) and is started again while the call is still open goes on
recording that call in the same file: the time it was down is silence, and
the call's timeline says so. Rings and a voice are played into the
PulseAudio null sink; the app hears them through cpal."""

import os
import signal
import subprocess
import time
from datetime import datetime
from pathlib import Path

from conftest import LEAD, cli
from test_speech import call_wav


def _t(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def _kill_app(data: Path) -> None:
    """SIGKILL to the app on `data`: no exit handler, no last frame."""
    found = subprocess.run(["pgrep", "-f", "--", f"--data-dir {data}"], capture_output=True, text=True).stdout.split()
    pids = [int(p) for p in found if int(p) != os.getpid()]
    assert pids, "the app's process"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)


def test_a_desk_killed_mid_call_goes_on_recording_it_after_the_restart(launch, tmp_path):
    from selenium.webdriver.common.keys import Keys
    data = tmp_path / "data"
    app = launch(data)
    app.wait_for("document.querySelector('#audio').dataset.state === 'listening'", timeout=20)
    wav = tmp_path / "call.wav"
    call_wav(wav)
    player = subprocess.Popen(["paplay", str(wav)])
    try:
        app.wait_for("['answered', 'in_progress'].includes(document.body.dataset.callState)", timeout=25)
        time.sleep(2.0)  # some of the call after the answer is recorded
    finally:
        _kill_app(data)
        app.quit()
        player.wait(40)
    killed_at = time.time()

    # Started again, the open call is back on the screen and listened to.
    app = launch(data)
    app.wait_for("['answered', 'in_progress'].includes(document.body.dataset.callState)", timeout=20)
    app.wait_for("document.querySelector('#audio').dataset.state === 'listening'", timeout=20)
    # A tone the room hears after the restart: it must be in the recording.
    tone = tmp_path / "after.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(tone), "synth", "3.0", "sine", "700",
                    "vol", "0.3", "pad", "0", "1"], check=True)
    subprocess.run(["paplay", str(tone)], check=True, timeout=20)
    app.close_confirming_missing()
    call_id = cli(data, "calls", "list", "--json")[0]["id"]
    view = {}
    for _ in range(50):
        view = cli(data, "calls", "show", str(call_id), "--json")
        if (view["recording"] or {}).get("seconds"):
            break
        time.sleep(0.2)
    app.quit()
    c, rec = view["call"], view["recording"]
    assert rec and rec["seconds"], view
    # One file from half a second before the first ring to the close, the
    # time the desk was down included (as silence).
    assert c["rings"], c
    whole = _t(c["closedAt"]) - _t(c["rings"][0]["onset"]) + 0.5
    assert abs(rec["seconds"] - whole) < 0.5, (rec, c["closedAt"], c["rings"][0])
    assert whole > time.time() - killed_at, "the part after the restart is in it"

    # The lead hears it whole, and the timeline says where the desk was down.
    lead = launch(data, user=LEAD)
    lead.keys(Keys.F12)
    lead.wait_for("document.querySelector('#log-table tbody tr')", timeout=20)
    lead.js("document.querySelector('#log-table tbody tr').click()")
    lead.wait_for("document.querySelector('#rv-player.player')", timeout=20)
    P = "document.querySelector('#rv-player')"
    assert abs(float(lead.js(f"return {P}.dataset.seconds")) - rec["seconds"]) < 0.5
    assert not lead.js(f"return {P}.querySelector('.partial')"), "whole, not cut short at the crash"
    lead.wait_for("document.querySelector('#timeline li[data-kind=recording_resumed]')")
    resumed = lead.js("return document.querySelector('#timeline li[data-kind=recording_resumed]').textContent")
    assert "重启后续录" in resumed and resumed.endswith(" s"), resumed
    down = float(resumed.split(" — ")[-1].removesuffix(" s"))
    assert 1.0 < down < 60.0, resumed
    lead.js("document.querySelector('#timeline li[data-kind=recording_resumed]').scrollIntoView()")
    lead.shot("recording-resumed")

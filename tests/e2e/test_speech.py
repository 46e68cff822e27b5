"""Listening to the call, for real: rings, the call-taker's greeting and a
caller's words are played into the PulseAudio null sink; the app hears them
through cpal, times the call, transcribes offline with Whisper, marks the
greeting as spoken, shows the transcript, and offers the caller's phone
number — which one key (Ctrl+Shift+8) puts into 联系方式."""

import json
import subprocess
import time
from pathlib import Path

from conftest import LEAD, ROOT, cli

SPEECH = ROOT / "tests" / "fixtures" / "speech-dev"
MODEL = ROOT / "models" / "ggml-base-q8_0.bin"


def choose_model(data: Path, model: str, **more) -> None:
    """Settings → 模型文件 (and `more` settings), written before the app
    opens the folder."""
    data.mkdir(parents=True, exist_ok=True, mode=0o700)  # as the desk makes it
    for name, value in {"speechModel": model, **more}.items():
        cli(data, "settings", "set", name, json.dumps(value))


def call_wav(path: Path) -> None:
    """Two rings of 450 Hz (1 s on, 4 s off); 1 s after the second the
    greeting (u01); a pause; the caller giving a phone number (u17)."""
    parts = []
    for i, pause in enumerate([4.0, 1.0]):
        p = path.with_name(f"ring{i}.wav")
        subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(p), "synth", "1.0", "sine", "450",
                        "vol", "0.3", "pad", "0", str(pause)], check=True)
        parts.append(str(p))
    for clip, after in [("u01", 1.5), ("u17", 3.0)]:
        p = path.with_name(f"{clip}.wav")
        subprocess.run(["sox", str(SPEECH / f"{clip}.wav"), "-r", "16000", "-c", "1", "-b", "16", str(p),
                        "gain", "-n", "-1", "pad", "0", str(after)], check=True)
        parts.append(str(p))
    subprocess.run(["sox", *parts, str(path)], check=True)


def line_in_wavs(tmp_path: Path) -> tuple[Path, Path]:
    """The call of `call_wav` split as a desk with the caller's line hears
    it: the microphone (left) has the rings and the greeting, the line
    (right) the caller giving a number. Returns (left, right)."""
    mic = tmp_path / "mic.wav"
    call_wav(mic)
    split = 7.0 + float(subprocess.run(["soxi", "-D", str(SPEECH / "u01.wav")], check=True,
                                       capture_output=True, text=True).stdout) + 1.5
    left, right = tmp_path / "left.wav", tmp_path / "right.wav"
    subprocess.run(["sox", str(mic), str(left), "trim", "0", str(split), "pad", "0", "8"], check=True)
    subprocess.run(["sox", str(mic), str(right), "trim", str(split), "pad", str(split), "0"], check=True)
    return left, right


def test_with_the_callers_line_the_transcript_says_who_spoke(launch, tmp_path):
    """Settings → 报警人线路 = the input's right channel: the call-taker's
    greeting (left) marks the greeting, the caller's number (right) is
    offered, and each transcript line says who spoke."""
    data = tmp_path / "data"
    choose_model(data, str(MODEL), callerLine="right")
    app = launch(data)
    app.wait_for("document.querySelector('#audio').dataset.state === 'listening'", timeout=20)
    app.wait_for("document.querySelector('#speech').dataset.state === 'ready'", timeout=30)
    left, right = line_in_wavs(tmp_path)
    stereo = tmp_path / "stereo.wav"
    subprocess.run(["sox", "-M", str(left), str(right), str(stereo)], check=True)
    player = subprocess.Popen(["paplay", str(stereo)])
    try:
        app.wait_for("document.querySelector('#transcript-lines li[data-speaker=taker].greeting')", timeout=40)
        app.wait_for("!document.querySelector('#offer-contact').hidden", timeout=40)
    finally:
        player.wait(40)
    lines = app.js("return [...document.querySelectorAll('#transcript-lines li')].map(li => [li.dataset.speaker, li.textContent])")
    assert any(who == "caller" and "报警人" in text and "15961234567" in text for who, text in lines), lines
    assert "15961234567" in app.js("return document.querySelector('#offer-contact').textContent")
    app.shot("caller-line-transcript")


def test_speech_marks_the_greeting_shows_the_transcript_and_offers_the_phone(launch, tmp_path):
    from selenium.webdriver.common.keys import Keys
    data = tmp_path / "data"
    choose_model(data, str(MODEL))
    app = launch(data)
    app.wait_for("document.querySelector('#audio').dataset.state === 'listening'", timeout=20)
    app.wait_for("document.querySelector('#speech').dataset.state === 'ready'", timeout=30)
    wav = tmp_path / "call.wav"
    call_wav(wav)
    player = subprocess.Popen(["paplay", str(wav)])
    try:
        app.wait_for("document.body.dataset.callState === 'ringing'", timeout=10)
        # Answered by the voice, then the greeting heard and marked.
        app.wait_for("['answered', 'in_progress'].includes(document.body.dataset.callState)", timeout=20)
        app.wait_for("document.querySelector('#transcript-lines .greeting')", timeout=20)
        assert app.js("return document.querySelector('#greeting-done').textContent").startswith("✓")
        app.shot("greeting-heard")
        # While the caller talks, the words so far show greyed after the
        # transcript, before their line (and its offers) come.
        app.wait_for("document.querySelector('#transcript-partial')", timeout=30)
        said = app.js("return document.querySelector('#transcript-partial').textContent")
        assert said.strip(" …") and app.js("return document.querySelector('#offer-contact').hidden"), said
        app.shot("words-while-speaking")
        # The caller's words: transcript line and the phone offered beside 联系方式.
        app.wait_for("!document.querySelector('#offer-contact').hidden", timeout=30)
    finally:
        player.wait(40)
    offer = app.js("return document.querySelector('#offer-contact').textContent")
    assert "15961234567" in offer and "Ctrl+Shift+8" in offer, offer
    # Also listed under the transcript, where it is seen without scrolling.
    listed = app.js("return [...document.querySelectorAll('#offers .offer')].map(b => b.textContent)")
    assert any("联系方式" in x and "15961234567" in x for x in listed), listed
    lines = app.js("return [...document.querySelectorAll('#transcript-lines li')].map(li => li.textContent)")
    assert len(lines) >= 2 and any("15961234567" in x for x in lines), lines
    assert app.js("return document.querySelector('#el-contact').value") == "", "offered, not applied"
    app.shot("phone-offered")
    # One key accepts it.
    app.js("document.querySelector('#el-where').focus()")
    from selenium.webdriver.common.action_chains import ActionChains
    ActionChains(app.driver).key_down(Keys.CONTROL).key_down(Keys.SHIFT).send_keys("8").key_up(Keys.SHIFT).key_up(Keys.CONTROL).perform()
    app.wait_for("document.querySelector('#el-contact').value === '15961234567'")
    app.wait_for("document.querySelector('#offer-contact').hidden")
    assert not app.js("return document.querySelector('#offers [data-key=contact]')")
    app.shot("phone-accepted")

    calls = cli(data, "calls", "list", "--json")
    view = cli(data, "calls", "show", str(calls[0]["id"]), "--json")
    c = view["call"]
    assert c["answerSource"] == "audio" and c["greetingAt"] is not None, c
    contact = next(e for e in c["elements"] if e["key"] == "contact")
    assert contact["value"] == "15961234567" and contact["state"] == "answered", contact
    speech = view["speech"]
    # Whisper base hears this clip's 常州 as 长州 on some cuts of the live
    # capture (and its 请讲 as 指，新疆 on every cut): the mark is the product's
    # promise, the characters are the recogniser's.
    assert speech[0]["greeting"] and "110" in speech[0]["text"], speech
    # The greeting's time is its first words, within a second of the answer.
    assert abs(_t(c["greetingAt"]) - _t(c["answeredAt"])) < 1.0, (c["greetingAt"], c["answeredAt"])
    assert all(s["startAt"] <= s["endAt"] for s in speech)
    app.close_confirming_missing()
    # The listening thread finishes the recording within a moment of the close.
    call_id = cli(data, "calls", "list", "--json")[0]["id"]
    for _ in range(50):
        if (cli(data, "calls", "show", str(call_id), "--json")["recording"] or {}).get("seconds"):
            break
        time.sleep(0.1)
    app.quit()

    # The shift lead sees the transcript with the call's record.
    lead = launch(data, user=LEAD)
    lead.keys(Keys.F12)
    lead.wait_for("document.querySelector('#log-table tbody tr')", timeout=20)
    lead.js("document.querySelector('#log-table tbody tr').click()")
    lead.wait_for("document.querySelector('#rv-transcript li')")
    lines = lead.js("return [...document.querySelectorAll('#rv-transcript li')].map(li => li.textContent)")
    assert "问候语" in lines[0] and any("15961234567" in x for x in lines), lines
    lead.js("document.querySelector('#rv-transcript').scrollIntoView()")
    lead.shot("review-transcript")

    # The call's recording: from just before the first ring to the close.
    lead.wait_for("document.querySelector('#rv-player.player')", timeout=20)
    P = "document.querySelector('#rv-player')"
    seconds = float(lead.js(f"return {P}.dataset.seconds"))
    assert 20 < seconds < 120, seconds
    assert not lead.js(f"return {P}.querySelector('.partial')"), "finished, not cut short"
    marks = lead.js("return [...document.querySelectorAll('#rv-wave .mark')].map(m => m.dataset.kind)")
    assert marks.count("ring") == 2 and "answer" in marks and "greeting" in marks, marks
    # The greeting's transcript line plays from the greeting: 0.5 s of
    # lead-in, two rings of 5 s, then a second of silence before it.
    lead.js("document.querySelector('#rv-transcript li.greeting').click()")
    lead.wait_for(f"{P}.dataset.state === 'playing'", timeout=10)
    at = float(lead.js(f"return {P}.dataset.pos"))
    assert 6.0 < at < 9.0, at
    # It plays: the position moves on with the clock.
    lead.wait_for(f"Number({P}.dataset.pos) > {at + 0.8}", timeout=5)
    lead.js(f"{P}.scrollIntoView()")
    lead.shot("review-player")
    # 2× at the same pitch (the desk stretches it): the position runs twice as fast.
    lead.js(f"{P}.querySelector('[data-speed=\"2\"]').click()")
    lead.wait_for(f"{P}.dataset.speed === '2' && {P}.dataset.state === 'playing'", timeout=10)
    sample = f"return [Number({P}.dataset.pos), performance.now() / 1000]"
    (p0, w0) = lead.js(sample)
    time.sleep(1.0)
    (p1, w1) = lead.js(sample)
    rate = (p1 - p0) / (w1 - w0)
    assert 1.6 < rate < 2.4, (p0, p1, w1 - w0)
    # Space pauses; → goes five seconds on.
    lead.js("document.activeElement.blur()")
    lead.keys(" ")
    lead.wait_for(f"{P}.dataset.state === 'paused'")
    before = float(lead.js(f"return {P}.dataset.pos"))
    lead.keys(Keys.ARROW_RIGHT)
    lead.wait_for(f"Math.abs(Number({P}.dataset.pos) - {min(before + 5, seconds)}) < 0.2")
    assert lead.js(f"return {P}.dataset.state") == "paused"
    # Hearing it is on the record, in the call's timeline.
    lead.js("document.querySelector('#log-table tbody tr').click()")
    lead.wait_for("document.querySelector('#timeline li[data-kind=recording_heard]')")


def _t(iso: str) -> float:
    from datetime import datetime
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def test_a_broken_model_is_named_and_calls_go_on_without_speech(launch, tmp_path):
    from selenium.webdriver.common.keys import Keys
    data = tmp_path / "data"
    broken = tmp_path / "half.bin"
    with open(MODEL, "rb") as f:
        broken.write_bytes(f.read(4096))
    choose_model(data, str(broken))
    app = launch(data, user=LEAD)
    app.wait_for("document.querySelector('#speech').dataset.state === 'bad'", timeout=20)
    title = app.js("return document.querySelector('#speech').title")
    assert "half.bin" in title and "truncated" in title, title
    app.shot("bad-model")
    app.ring_and_answer()
    assert app.state() == "answered"
    # The lead chooses the good model in Settings: it loads, no restart.
    app.keys(Keys.F10)
    app.wait_for("document.querySelector('#settings-dialog').open && document.querySelector('#set-speechModel')")
    assert "truncated" in app.js("return document.querySelector('#speech-msg').textContent")
    app.js("const i = document.querySelector('#set-speechModel'); i.value = arguments[0]; i.focus();", str(MODEL))
    app.shot("settings-speech")
    app.keys(Keys.ENTER)
    app.wait_for("!document.querySelector('#settings-dialog').open")
    app.wait_for("document.querySelector('#speech').dataset.state === 'ready'", timeout=30)
    assert cli(data, "calls", "list", "--json")[0]["state"] != "closed", "the call went on"

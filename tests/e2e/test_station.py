"""Two seats, one station (issue #12): the real app as seat A and then as
seat B on their own data folders, a real PostgreSQL, the CLI checking the
station's record. A caller who rang seat A and rings again at seat B is
flagged there, with A's call shown; the header shows the link, also when
the server goes away and comes back."""

import time

import pytest
from selenium.webdriver.common.keys import Keys

from conftest import cli
from pg import TempPg

NUMBER = "139 5555 0101"


@pytest.fixture
def station():
    pg = TempPg()
    yield pg
    pg.close()


def take_call(app, number: str, where: str):
    app.ring_and_answer()
    app.keys(number, Keys.ENTER)
    try:
        app.wait_for("document.activeElement.id === 'el-when'")
    except Exception:
        app.shot("number-not-taken")
        raise AssertionError(app.js("return document.querySelector('#number-msg').textContent + ' | focus: ' + document.activeElement.id"))
    app.js("document.querySelector('#el-where').focus()")
    app.keys(where, Keys.ENTER)
    app.wait_for("document.querySelector('#row-where').dataset.state === 'answered'")


def wait_until(check, timeout=15.0):
    end = time.monotonic() + timeout
    while True:
        if check():
            return
        assert time.monotonic() < end, "timed out"
        time.sleep(0.2)


def test_a_repeat_caller_is_flagged_across_seats(launch, tmp_path, station):
    a, b = tmp_path / "seat-a", tmp_path / "seat-b"
    cli(a, "station", "init", station.url)
    cli(a, "station", "join", station.url, "--seat", "A")
    cli(b, "station", "join", station.url, "--seat", "B")

    app = launch(a)
    app.wait_for("!document.querySelector('#station').hidden && document.querySelector('#station').dataset.state === 'online'")
    take_call(app, NUMBER, "天宁区红梅新村5栋")
    app.close_confirming_missing()
    # The app's own worker ships the closed call; nothing to press.
    wait_until(lambda: any(c["seat"] == "A" and c["state"] == "closed" for c in cli(b, "calls", "list", "--json")))
    app.quit()

    app = launch(b)
    app.wait_for("document.querySelector('#station').textContent.includes('站点 B') && "
                 "document.querySelector('#station').dataset.state === 'online'", timeout=15)
    take_call(app, NUMBER.replace(" ", ""), "红梅公园门口")
    app.wait_for("!document.querySelector('#earlier').hidden")
    earlier = app.js("return document.querySelector('#earlier').textContent")
    assert "席位 A" in earlier and "天宁区红梅新村5栋" in earlier, earlier
    app.wait_for("document.querySelector('#sit-repeat_urging').classList.contains('on')")
    app.shot("repeat-from-seat-a")

    # The urge is recorded on A's call at the station.
    wait_until(lambda: any(c["seat"] == "A" and c["urges"] == 1 for c in cli(b, "calls", "list", "--json")))

    # The server goes away: the desk keeps working, the header says so.
    station.stop()
    app.close_confirming_missing()
    app.wait_for("document.querySelector('#station').dataset.state === 'offline'", timeout=20)
    assert "站点离线" in app.js("return document.querySelector('#station').textContent")
    app.shot("station-offline")
    station.start()
    app.wait_for("document.querySelector('#station').dataset.state === 'online'", timeout=20)
    status = cli(b, "station", "status", "--json")
    assert status["online"] and status["backlog"] == 0, status
    app.shot("station-back")

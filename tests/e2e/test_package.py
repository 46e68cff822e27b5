"""The package a station installs (issue #13): `make dist`'s .deb is
installed with dpkg; the installed app starts under Xvfb with speech ready
(the model where the package put it) and takes a call; the installed
`jiejing` is on the PATH and reads the same data folder; removing the
package leaves the data folder alone."""

import glob
import json
import os
import subprocess
from pathlib import Path

from conftest import ACCOUNTS, LEAD, TARGET, App, add_account


def root(*cmd: str) -> list[str]:
    return list(cmd) if os.geteuid() == 0 else ["sudo", *cmd]


def test_the_deb_installs_starts_and_leaves_the_data_when_removed(driver_url, tmp_path):
    debs = sorted(glob.glob(str(TARGET / "release" / "bundle" / "deb" / "*.deb")), key=os.path.getmtime)
    assert debs, "no .deb: run `make dist`"
    deb = debs[-1]
    package = subprocess.run(["dpkg-deb", "-f", deb, "Package"], check=True, capture_output=True, text=True).stdout.strip()
    files = subprocess.run(["dpkg-deb", "-c", deb], check=True, capture_output=True, text=True).stdout
    for want in ["usr/bin/jiejing-app", "usr/bin/jiejing", "usr/share/jiejing/models/ggml-base-q8_0.bin",
                 "usr/share/doc/jiejing/LICENSE.OpenCC"]:
        assert f" {want}\n" in files, (want, files)
    assert ".desktop\n" in files and "usr/share/icons/hicolor/" in files, files
    subprocess.run(root("dpkg", "-i", deb), check=True, capture_output=True)
    data = tmp_path / "data"
    try:
        # The CLI is on the PATH and makes the first accounts.
        for uid, (name, role, pin) in ACCOUNTS.items():
            add_account(data, uid, name, role, pin, cli_path="jiejing")
        app = App(driver_url, data, "test_package", application=Path("/usr/bin/jiejing-app"), user=LEAD)
        # Speech is ready with no setup: the package's model is found.
        app.wait_for("document.querySelector('#speech').dataset.state === 'ready'", timeout=60)
        app.ring_and_answer()
        app.keys("13812345678")
        app.wait_for("document.querySelector('#number-msg').textContent !== ''")
        app.shot("installed-app")
        app.quit()
        calls = json.loads(subprocess.run(["jiejing", "--data-dir", str(data), "--as", LEAD, "calls", "list", "--json"],
                                          check=True, capture_output=True, text=True,
                                          env={**os.environ, "JIEJING_PIN": ACCOUNTS[LEAD][2]}).stdout)
        assert len(calls) == 1 and calls[0]["state"] in ("answered", "in_progress"), calls
    finally:
        subprocess.run(root("dpkg", "-r", package), check=True, capture_output=True)
    assert not Path("/usr/bin/jiejing-app").exists() and not Path("/usr/bin/jiejing").exists()
    assert (data / "jiejing.sqlite3").exists(), "removing the package must leave the data folder"

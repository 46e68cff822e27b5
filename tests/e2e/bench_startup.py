"""Cold start to first paint, and memory of the running app.

Launches the real app N times under Xvfb through tauri-driver (each on a
fresh data folder) and reports:
- process start -> first paint: the app's process start time (from /proc)
  to the frontend's first requestAnimationFrame after its first render;
- navigation -> first paint: the same end point, from the webview's own
  time origin (what the frontend controls);
- memory after a call: PSS of the app and its WebKit processes (PSS
  divides shared pages, so the sum is what the app really costs), with
  WebKit's compositing on (the default: the peer) and off
  (`--low-memory`), before the speech model is loaded and with it loaded.

Run: `make bench` (or .venv/bin/python tests/e2e/bench_startup.py [N]).
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import conftest  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")


def boot_time() -> float:
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("btime "):
            return float(line.split()[1])
    raise RuntimeError("no btime")


def process_start_epoch(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return boot_time() + int(fields[19]) / CLK_TCK  # field 22: starttime


def pss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def tree(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    pids = [pid]
    for c in out:
        pids += tree(int(c))
    return pids


def speech_off(data: Path) -> None:
    """Settings → speech off, written before the app opens the folder: the
    desk before any model is loaded."""
    subprocess.run([str(conftest.CLI), "--data-dir", str(data), "settings", "set", "speech", "false"],
                   check=True, capture_output=True)


def main(n: int) -> None:
    with conftest.x_display(), conftest.webdriver_server() as url:
        print("Jiejing app, debug build, under Xvfb (software rendering), signed in, after one call")
        # The peer in the same run: the default, WebKit's compositing on.
        for label, args, speech in [
            ("default (compositing on), no model", (), False),
            ("--low-memory (compositing off), no model", ("--low-memory",), False),
            ("--low-memory, speech model loaded", ("--low-memory",), True),
            ("default, speech model loaded", (), True),
        ]:
            measure(url, n, label, args, speech)


def measure(url: str, n: int, label: str, args: tuple[str, ...], speech: bool) -> None:
    starts, navs, mems, webs = [], [], [], []
    for i in range(n):
        with tempfile.TemporaryDirectory() as d:
            conftest.ensure_accounts(Path(d))
            if not speech:
                speech_off(Path(d))
            app = conftest.App(url, Path(d), f"bench{i}", args=args)
            pid = int(subprocess.run(["pgrep", "-n", "-f", f"jiejing-app --data-dir {d}"],
                                     capture_output=True, text=True).stdout.split()[0])
            origin = app.js("return performance.timeOrigin")
            ready_ms = float(app.js("return document.body.dataset.readyMs"))
            starts.append((origin + ready_ms) / 1000 - process_start_epoch(pid))
            navs.append(ready_ms / 1000)
            want = "ready" if speech else "off"
            app.wait_for(f"document.querySelector('#speech').dataset.state === '{want}'", timeout=60)
            # Take a short call so memory reflects a working screen.
            app.ring_and_answer()
            app.keys("13812345678", Keys.ENTER)
            app.wait_for("document.activeElement.id === 'el-when'")
            app.keys("十分钟前", Keys.ENTER)
            app.wait_for("document.querySelector('#row-when').dataset.state === 'answered'")
            time.sleep(1.0)
            pids = tree(pid)
            # WebKit's web and network processes are children of the app.
            mems.append(sum(pss_kib(p) for p in pids) / 1024)
            webs.append(sum(pss_kib(p) for p in pids if "WebKitWebProcess" in cmdline(p)) / 1024)
            app.quit()

    def line(name, xs, unit, scale=1.0):
        xs = sorted(x * scale for x in xs)
        print(f"  {name:<32} n={len(xs)}  median={statistics.median(xs):8.1f} {unit}  min={xs[0]:8.1f}  max={xs[-1]:8.1f}")

    print(label)
    line("process start -> first paint", starts, "ms", 1000)
    line("navigation -> first paint", navs, "ms", 1000)
    line("PSS, app + WebKit", mems, "MiB")
    line("PSS, WebKit web process", webs, "MiB")


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:
        return ""


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)

"""End-to-end fixtures: the real app under Xvfb, driven through tauri-driver
and WebKitWebDriver. Each test gets its own data folder."""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
APP = TARGET / "debug" / "jiejing-app"
CLI = TARGET / "debug" / "jiejing"
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
# The data folders' database keys (paths::key_file): this run's own, not
# the user's ~/.config/jiejing/keys. Every app and CLI the tests start
# inherits it.
os.environ.setdefault("JIEJING_KEY_DIR", tempfile.mkdtemp(prefix="jiejing-test-keys-"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, timeout: float = 20) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listening on port {port}")


@contextlib.contextmanager
def x_display():
    """Uses $DISPLAY if set, else starts a private Xvfb for the duration."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    # Pick a free display ourselves: -displayfd proved flaky under pytest.
    for num in range(90, 200):
        if not (Path(f"/tmp/.X{num}-lock").exists() or Path(f"/tmp/.X11-unix/X{num}").exists()):
            break
    xvfb = subprocess.Popen(["Xvfb", f":{num}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 15
    while not Path(f"/tmp/.X11-unix/X{num}").exists():
        if xvfb.poll() is not None or time.time() > deadline:
            raise RuntimeError(f"Xvfb :{num} did not start (exit {xvfb.poll()})")
        time.sleep(0.05)
    os.environ["DISPLAY"] = f":{num}"
    try:
        yield os.environ["DISPLAY"]
    finally:
        del os.environ["DISPLAY"]
        xvfb.terminate()
        xvfb.wait()


@contextlib.contextmanager
def webdriver_server():
    """tauri-driver on a free port; yields its URL."""
    assert APP.exists(), f"{APP} not built: run `make test`"
    port, native = _free_port(), _free_port()
    exe = shutil.which("tauri-driver") or str(Path.home() / ".cargo" / "bin" / "tauri-driver")
    proc = subprocess.Popen([exe, "--port", str(port), "--native-port", str(native)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def pulse_null_sink():
    """A sound card without hardware (tests/fixtures/pulse-null.sh): the app
    captures the null sink's monitor, and a test plays into it with paplay."""
    run_dir = f"/tmp/jiejing-pulse-{os.getuid()}"
    os.environ["XDG_RUNTIME_DIR"] = run_dir
    subprocess.run([str(ROOT / "tests" / "fixtures" / "pulse-null.sh"), "start"], check=True,
                   stdout=subprocess.DEVNULL)
    yield run_dir


@pytest.fixture(scope="session")
def driver_url():
    # Every app the tests launch listens for rings (the default), on the
    # null sink: silent unless a test plays into it.
    with pulse_null_sink(), x_display(), webdriver_server() as url:
        yield url


# Every data folder gets these accounts before the app first opens it (the
# first account must be a lead). Tests sign in as the call-taker unless
# they ask for someone else.
ACCOUNTS = {"9001": ("李值班", "lead", "999999"), "0001": ("王接警", "taker", "111111")}
TAKER, LEAD = "0001", "9001"


def add_account(data_dir: Path, uid: str, name: str, role: str, pin: str, cli_path: Path | str | None = None) -> None:
    """`users add`: the first account as the desk's administrator, any
    other as lead LEAD (the CLI acts only as a lead once accounts exist)."""
    lead = [] if uid == LEAD else ["--as", LEAD]
    subprocess.run([str(cli_path or CLI), "--data-dir", str(data_dir), *lead,
                    "users", "add", uid, "--name", name, "--role", role],
                   check=True, capture_output=True,
                   env={**os.environ, "JIEJING_PIN": ACCOUNTS[LEAD][2], "JIEJING_NEW_PIN": pin})


def ensure_accounts(data_dir: Path) -> None:
    listed = cli(data_dir, "users", "list")
    for uid, (name, role, pin) in ACCOUNTS.items():
        if f"{uid} " not in listed:
            add_account(data_dir, uid, name, role, pin)


class App:
    """One running app window on a data folder."""

    shots: dict[str, int] = {}  # screenshots per test, across relaunches

    def __init__(self, url: str, data_dir: Path, name: str, args: tuple[str, ...] = (), user: str | None = TAKER,
                 application: Path = APP):
        opts = ArgOptions()
        opts.set_capability("browserName", "wry")
        opts.set_capability("tauri:options", {"application": str(application), "args": ["--data-dir", str(data_dir), *args]})
        self.t0 = time.monotonic()
        # A command that gets no answer fails the test in two minutes
        # rather than holding the whole run (once, under heavy load, a new
        # session was never answered and no app had started).
        from selenium.webdriver.remote.client_config import ClientConfig
        self.driver = webdriver.Remote(command_executor=url, options=opts,
                                       client_config=ClientConfig(remote_server_addr=url, timeout=120))
        self.data_dir = data_dir
        self.name = name
        # The first launch after a build maps a cold binary and WebKit: be patient.
        self.wait_for("document.body.dataset.ready === '1'", timeout=60)
        self.ready_s = time.monotonic() - self.t0
        if user is not None:
            self.sign_in(user)

    def sign_in(self, user: str, pin: str | None = None):
        """Types the account and PIN into the sign-in (or unlock) screen."""
        from selenium.webdriver.common.keys import Keys
        self.wait_for("document.body.dataset.auth")
        if self.js("return document.body.dataset.auth") == "ok":
            return
        if self.js("return !document.querySelector('#auth-id-row').hidden"):
            self.js("document.querySelector('#auth-id').value = arguments[0]", user)
        self.js("document.querySelector('#auth-pin').focus()")
        self.keys(pin or ACCOUNTS[user][2], Keys.ENTER)
        self.wait_for("document.body.dataset.auth === 'ok'")

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def wait_for(self, expr: str, timeout: float = 10):
        """Waits until a JavaScript expression is truthy."""
        WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(
            lambda d: d.execute_script(f"return !!({expr})"), message=f"timed out waiting for: {expr}")

    def keys(self, *keys):
        """Types keys into whatever has focus, like a call-taker would."""
        from selenium.webdriver.common.action_chains import ActionChains
        ActionChains(self.driver).send_keys(*keys).perform()

    def chord(self, modifier, key):
        from selenium.webdriver.common.action_chains import ActionChains
        ActionChains(self.driver).key_down(modifier).send_keys(key).key_up(modifier).perform()

    def state(self) -> str:
        return self.js("return document.body.dataset.callState")

    def focused(self) -> str:
        return self.js("return document.activeElement && document.activeElement.id")

    def ring_and_answer(self):
        """F2 then F3, as when the phone rings and is picked up."""
        from selenium.webdriver.common.keys import Keys
        self.keys(Keys.F2)
        self.wait_for("document.body.dataset.callState === 'ringing'")
        self.keys(Keys.F3)
        self.wait_for("document.activeElement.id === 'caller-number'")

    def close_confirming_missing(self):
        """F9, Enter; the dialog asks once about missing items; Enter again."""
        from selenium.webdriver.common.keys import Keys
        self.keys(Keys.F9)
        self.wait_for("document.querySelector('#close-dialog').open")
        self.keys(Keys.ENTER)
        self.wait_for("document.querySelector('#close-msg').textContent.includes('未问清')")
        self.keys(Keys.ENTER)
        self.wait_for("document.body.dataset.callState === 'closed'")

    def shot(self, label: str):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        App.shots[self.name] = App.shots.get(self.name, 0) + 1
        # WebKit may hand back the previous frame: let two frames paint first.
        self.driver.execute_async_script("requestAnimationFrame(() => requestAnimationFrame(arguments[0]))")
        self.driver.save_screenshot(str(ARTIFACTS / f"{self.name}-{App.shots[self.name]:02d}-{label}.png"))

    def quit(self):
        try:
            self.driver.quit()
        except Exception:
            pass


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test, so `launch` knows it failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def launch(driver_url, tmp_path, request):
    apps = []

    def _launch(data_dir: Path | None = None, *args: str, user: str | None = TAKER) -> App:
        data_dir = data_dir or tmp_path / "data"
        ensure_accounts(data_dir)
        app = App(driver_url, data_dir, request.node.name, args, user)
        apps.append(app)
        return app

    yield _launch
    failed = getattr(request.node, "report_call", None)
    for a in apps:
        if failed is not None and failed.failed:
            # A failure in CI leaves what the app showed: the screen, and the
            # transcript, which decides most speech failures.
            with contextlib.suppress(Exception):
                a.shot("failed")
                print("transcript at failure:", a.js(
                    "return [...document.querySelectorAll('#transcript-lines li')].map(li => li.textContent)"))
        a.quit()


_HAS_ACCOUNTS: set[str] = set()


def cli(data_dir: Path, *args: str):
    """Runs the jiejing CLI; returns parsed JSON for --json commands. Once
    the folder has accounts the CLI acts only as a signed-in lead: then as
    LEAD, with its PIN (unless the test names someone with --as)."""
    def run(extra: list[str]):
        return subprocess.run([str(CLI), "--data-dir", str(data_dir), *extra, *args], capture_output=True, text=True,
                              env={**os.environ, "JIEJING_PIN": ACCOUNTS[LEAD][2]})
    # A folder once refused stays one with accounts: asked as LEAD at once.
    as_lead = [] if "--as" in args or str(data_dir) not in _HAS_ACCOUNTS else ["--as", LEAD]
    out = run(as_lead)
    if out.returncode == 2 and "this data folder has accounts" in out.stderr and not as_lead and "--as" not in args:
        _HAS_ACCOUNTS.add(str(data_dir))
        out = run(["--as", LEAD])
    if out.returncode != 0:
        raise AssertionError(f"jiejing {' '.join(args)}: exit {out.returncode}: {out.stderr}")
    return json.loads(out.stdout) if "--json" in args else out.stdout

"""The shift lead's review, end to end: a call-taker takes two calls and is
refused the review (by the backend, not only the hidden button); the lead
signs in, filters the failed call, opens its timeline, scores it, exports
the log as XLSX (opened here with openpyxl), locks and unlocks the desk."""

import re
import subprocess

import openpyxl
from selenium.webdriver.common.keys import Keys

from conftest import ARTIFACTS, LEAD, cli

ORDER = ["when", "where", "what", "who", "why", "object", "result", "contact"]


def take_call(app, number: str, items: list[str], greet: bool):
    app.ring_and_answer()
    if greet:
        app.keys(Keys.F4)
        app.wait_for("document.querySelector('#greeting-box').classList.contains('done')")
    app.keys(number, Keys.ENTER)
    for key in items:
        app.wait_for(f"document.activeElement.id === 'el-{key}'")
        app.keys(f"{key} 值", Keys.ENTER)
        app.wait_for(f"document.querySelector('#row-{key}').dataset.state === 'answered'")
    if len(items) == len(ORDER):
        app.keys(Keys.F9)
        app.wait_for("document.querySelector('#close-dialog').open")
        app.keys(Keys.ENTER)
        app.wait_for("document.body.dataset.callState === 'closed'")
    else:
        app.close_confirming_missing()


def test_lead_finds_scores_and_exports_a_failed_call(launch, tmp_path):
    data = tmp_path / "data"
    app = launch(data)
    take_call(app, "13812345678", ORDER, greet=True)
    take_call(app, "13900001111", ["when", "where"], greet=False)

    # A call-taker: the review key says no, and so does the backend when the
    # command is called directly, bypassing the screen.
    assert app.js("return document.querySelector('#review-btn').hidden")
    app.keys(Keys.F12)
    app.wait_for("document.querySelector('#toast').textContent.includes('无权操作')")
    assert app.js("return document.querySelector('#review').hidden")
    err = app.driver.execute_async_script("""
        const done = arguments[0];
        window.__TAURI_INTERNALS__.invoke('export_records', {kind: 'log', format: 'xlsx',
            scope: {from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z', taker: null, shift: null},
            filter: {disposition: null, situation: null, caller: null, failed: false, text: null, review: null}})
          .then(() => done('exported?!'), (e) => done(e));""")
    assert err["code"] == "FORBIDDEN", err
    assert not (data / "exports").exists()

    # Shift change: the lead signs in.
    app.js("document.querySelector('#signout-btn').click()")
    app.wait_for("document.body.dataset.auth === 'signed_out'")
    app.shot("sign-in")
    app.sign_in(LEAD)
    assert not app.js("return document.querySelector('#review-btn').hidden")
    # The call-taker's "not allowed" is not left on the lead's screen.
    assert app.js("return document.querySelector('#toast').hidden")
    app.keys(Keys.F12)
    app.wait_for("!document.querySelector('#review').hidden && document.body.dataset.logRows === '2'")
    # Dates read YYYY-MM-DD whatever the system's locale; a bad one is named.
    day = app.js("return document.querySelector('#rv-from').value")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", day), day
    app.js("const f = document.querySelector('#rv-from'); f.value = '2026-13-01'; f.dispatchEvent(new Event('change'))")
    app.wait_for("document.querySelector('#rv-msg').textContent.includes('年-月-日')")
    assert app.js("return document.querySelector('#rv-from').getAttribute('aria-invalid')") == "true"
    app.js(f"const f = document.querySelector('#rv-from'); f.value = '{day}'; f.dispatchEvent(new Event('change'))")
    app.wait_for("document.querySelector('#rv-from').getAttribute('aria-invalid') === 'false'")
    app.js("document.querySelector('#f-failed').click()")
    app.wait_for("document.body.dataset.logRows === '1'")
    row = app.js("return document.querySelector('#log-table tbody tr').textContent")
    assert "13900001111" in row and "未标记问候语" in row and "要素缺失" in row, row
    app.js("document.querySelector('#log-table tbody tr').click()")
    app.wait_for("document.querySelector('#timeline li[data-kind=\"answer\"]')")
    kinds = app.js("return [...document.querySelectorAll('#timeline li')].map(li => li.dataset.kind)")
    assert kinds[:2] == ["rang", "answer"] and kinds[-1] == "close" and kinds.count("element") == 2, kinds
    # The checklist comes filled from the record: greeting and six items off.
    assert app.js("return document.querySelector('#qa-greeting-deviation').classList.contains('on')")
    assert app.js("return document.querySelector('#qa-where-pass').classList.contains('on')")
    app.js("document.querySelector('#qa-manner-deviation').click()")
    app.js("document.querySelector('#qa-notes').value = '未使用规范问候语，未问清案情'")
    app.js("document.querySelector('#qa-save').click()")
    app.wait_for("document.querySelector('#qa-score').textContent.includes('得分')")
    score = app.js("return document.querySelector('#qa-score').textContent")
    # Weights: 47; three rings n/a (5) → 42; greeting 3 + what 5 + who 3 +
    # why 1 + object 1 + result 3 + contact 5 + manner 3 = 24 off → 18/42.
    assert "得分 42.9" in score, score
    app.shot("review-scored")

    app.js("document.querySelector('#f-xlsx').click()")
    app.wait_for("document.body.dataset.lastExport")
    path = app.js("return document.body.dataset.lastExport")
    said = app.js("return document.querySelector('#rv-msg').textContent")
    assert "未加密" in said and "用后删除" in said, said
    app.shot("exported")
    book = openpyxl.load_workbook(path)
    sheet = book["通话记录"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("编号", "来电时间", "接警员", "来电号码", "状态", "处置"), rows[0]
    assert len(rows) == 2, rows  # the header and the one failed call
    head = list(rows[0])
    got = dict(zip(head, rows[1]))
    assert got["接警员"] == "0001" and got["来电号码"] == "13900001111"
    assert "要素缺失" in got["不合格项"] and got["审核"] == "已审核" and got["审核得分"] == 42.9, got

    # The scored call's 接警登记表, from its detail: a PDF with the record
    # and the review on it (this desk has no PDF viewer, and says so).
    app.js("delete document.body.dataset.lastExport; document.querySelector('#form-print').click()")
    app.wait_for("document.body.dataset.lastExport")
    form = app.js("return document.body.dataset.lastExport")
    said = app.js("return document.querySelector('#rv-msg').textContent")
    assert "1 份接警登记表" in said and form.endswith(".pdf"), said
    text = subprocess.run(["pdftotext", "-layout", form, "-"], check=True, capture_output=True, text=True).stdout
    for field in ["接警登记表", "13900001111", "when 值", "where 值", "质量审核", "42.9", "未使用规范问候语，未问清案情"]:
        assert field in text, (field, text)
    app.shot("form-printed")
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", form, str(ARTIFACTS / "form-page")], check=True)
    # The day's forms: both calls, one PDF.
    app.js("delete document.body.dataset.lastExport; document.querySelector('#f-forms').click()")
    app.wait_for("document.body.dataset.lastExport")
    day = subprocess.run(["pdftotext", app.js("return document.body.dataset.lastExport"), "-"], check=True,
                         capture_output=True, text=True).stdout
    assert day.count("110报警服务台") == 2 and "13812345678" in day and "13900001111" in day, day

    app.js("document.querySelector('#tab-dash').click()")
    app.wait_for("document.querySelector('#dash-cards') && document.querySelectorAll('svg.chart').length === 4")
    cards = app.js("return document.querySelector('#dash-cards').textContent")
    assert "来电2" in cards.replace(" ", ""), cards
    app.shot("dashboard")

    # Stepping away: the lock hides the screen; the PIN brings it back.
    app.js("document.querySelector('#lock-btn').click()")
    app.wait_for("document.body.dataset.auth === 'locked'")
    app.shot("locked")
    app.sign_in(LEAD)
    assert "the audit trail is intact" in cli(data, "audit", "verify")

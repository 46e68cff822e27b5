"""Complaint follow-ups in the real app: due by the official calendar,
overdue when the clock passes the due time, closed by a reply."""

import subprocess

from selenium.webdriver.common.keys import Keys

from conftest import APP, add_account, cli


def test_complaint_followup_due_overdue_and_closed_by_reply(launch, tmp_path):
    data = tmp_path / "data"
    # A desk with real calls refuses a set clock: it would misdate them.
    real = tmp_path / "real"
    cli(real, "demo-data", "--calls", "3")
    refused = subprocess.run([str(APP), "--data-dir", str(real), "--now", "2026-09-30T15:00:00+08:00"],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "only a training desk" in refused.stderr, refused.stderr
    refused = subprocess.run([str(APP), "--data-dir", str(real), "--training"], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "already holds calls" in refused.stderr, refused.stderr
    # A training desk, new, on Wednesday before the National Day holiday
    # (the example); it stays one, so later starts set the clock.
    app = launch(data, "--training", "--now", "2026-09-30T15:00:00+08:00")
    assert not app.js("return document.querySelector('#training').hidden")
    assert app.js("return document.querySelector('#training').textContent") == "培训模式 · 非真实来电"
    app.ring_and_answer()
    app.chord(Keys.ALT, "7")
    app.wait_for("document.activeElement.id === 'cp-name'")
    app.keys("王芳", Keys.TAB, "13912345678", Keys.TAB)
    app.wait_for("[...document.querySelectorAll('#complaint-fields .msg')].slice(0,2).every(m => m.textContent === '已保存')")
    app.close_confirming_missing()

    app.keys(Keys.F11)
    app.wait_for("document.body.dataset.view === 'queue' && document.querySelector('#queue-table tbody tr')")
    row = app.js("const r = document.querySelector('#queue-table tbody tr'); return [r.dataset.status, r.querySelector('.due').textContent, r.textContent]")
    assert row[0] == "open"
    assert row[1] == "2026-10-10 23:59", row
    assert "王芳" in row[2] and "3 个工作日" in row[2]
    app.shot("queue-open")
    app.quit()

    # Another call-taker sees that a reply is due, not who is owed it.
    add_account(data, "0002", "赵接警", "taker", "222222")
    app = launch(data, "--now", "2026-09-30T16:00:00+08:00", user=None)
    app.sign_in("0002", "222222")
    app.keys(Keys.F11)
    app.wait_for("document.querySelector('#queue-table tbody tr')")
    row = app.js("return document.querySelector('#queue-table tbody tr').textContent")
    assert "王芳" not in row and "13912345678" not in row and "投诉人信息不公开" in row, row
    app.keys(Keys.ENTER)
    assert not app.js("return document.querySelector('#reply-dialog').open"), "no reply form for them"
    assert "仅值班长" in app.js("return document.querySelector('#queue-detail').textContent")
    app.shot("queue-another-taker")
    app.quit()

    # The next day after the due date: overdue, said at start-up.
    app = launch(data, "--now", "2026-10-11T09:00:00+08:00")
    app.wait_for("!document.querySelector('#queue-banner').hidden")
    assert "1 件已逾期" in app.js("return document.querySelector('#queue-banner').textContent")
    overdue = cli(data, "followups", "list", "--overdue", "--json")
    assert len(overdue) == 1 and overdue[0]["followup"]["dueDate"] == "2026-10-10"
    app.keys(Keys.F11)
    app.wait_for("document.querySelector('#queue-table tbody tr[data-status=overdue]')")
    app.shot("queue-overdue")
    app.keys(Keys.ENTER)
    app.wait_for("document.querySelector('#reply-dialog').open && document.activeElement.id === 'reply-content'")
    app.keys("已电话告知处理结果")
    app.js("document.querySelector('#reply-outcome').focus()")
    app.keys("投诉人表示满意")
    app.shot("reply-form")
    app.keys(Keys.ENTER)
    app.wait_for("!document.querySelector('#reply-dialog').open")
    app.wait_for("document.querySelector('#queue-empty') && !document.querySelector('#queue-empty').hidden")

    f = cli(data, "followups", "list", "--all", "--json")[0]
    assert f["status"] == "closed"
    assert f["followup"]["closedAt"]
    assert [r["content"] for r in f["followup"]["replies"]] == ["已电话告知处理结果"]
    assert [r["by"] for r in f["followup"]["replies"]] == ["王接警 (0001)"], "the signed-in call-taker"
    assert f["followup"]["complaint"]["name"] == "王芳"

// Words of the sign-in and review screens, in both languages.
import type { Failure, Language, QaItem, Role, Severity, Verdict } from "./bindings";
import type { PlayerText } from "./player";

type ReviewDict = {
  r: Record<string, string>;
  failure: Record<Failure, string>;
  item: Record<QaItem, string>;
  severity: Record<Severity, string>;
  verdict: Record<Verdict, string>;
  role: Record<Role, string>;
  event: Record<string, string>;
  /** How a call was answered (the timeline's 接听 line). */
  source: Record<string, string>;
  conflict: Record<string, string>;
  player: PlayerText & { loading: string };
};

const zh: ReviewDict = {
  r: {
    signIn: "登录", signInTitle: "接警 — 登录", unlockTitle: "已锁定", unlockHint: "{name}，请输入密码解锁", firstRun: "首次使用：创建值班长账户",
    firstHint: "值班长负责审核与导出，并为接警员开设账户。", id: "工号", name: "姓名", pin: "密码", pin2: "再次输入密码", create: "创建并登录",
    other: "换人登录（交班）", unlock: "解锁", lock: "锁定", signOut: "交班", pinMismatch: "两次输入的密码不一致", review: "审核",
    title: "值班审核", from: "从", to: "至", badDate: "日期写作 年-月-日，如 2026-11-23", shift: "班次", allShifts: "全部班次", taker: "接警员", log: "通话记录", dash: "统计", users: "账户",
    disp: "处置", anyDisp: "全部处置", sit: "情形", anySit: "全部情形", caller: "来电号码", text: "搜索要素和备注", failed: "仅不合格",
    rev: "审核状态", anyRev: "全部", sampled: "待审核（抽样）", reviewed: "已审核", not_reviewed: "未审核", sample: "随机抽样", pct: "%",
    drawn: "已抽取 {n} 通电话待审核", exportCsv: "导出 CSV", exportXlsx: "导出 Excel", exported: "已导出 {rows} 行：{path}（未加密，含报警人个人信息：请存放在加密介质上，用后删除）",
    inEnglish: "用英语接警", inDialect: "用方言接警", forms: "打印登记表", formsHint: "所选日期内每通电话的接警登记表，合为一个 PDF", form: "打印登记表", printed: "已生成 {n} 份接警登记表：{path}（已用 PDF 阅读器打开，请在其中打印；未加密，打印归档后删除）",
    printedClosed: "已生成 {n} 份接警登记表：{path}（本机没有 PDF 阅读器可打开：请用 PDF 阅读器打开后打印；未加密，打印归档后删除）",
    prev: "上一页", next: "下一页", page: "第 {n} 页", empty: "没有符合条件的通话", time: "来电时间", no: "编号", rings: "响铃", answer: "接听(秒)",
    items: "要素", problems: "问题", score: "得分", pick: "选择左侧通话查看详情", timeline: "时间线", record: "记录", qa: "质量审核",
    notes: "审核意见", saveReview: "保存审核", scoreIs: "得分 {score}", critical: "严重偏差：不合格", correct: "更正", correctPrompt: "更正为：",
    reviewedBy: "{who} 于 {at} 审核", calls: "来电", answered: "接听", missed: "未接", threeRing: "三声内接听", answerTimes: "接听用时",
    complete: "要素完整", greeted: "问候语", followups: "投诉回复", due: "到期", onTime: "按时", late: "逾期回复", openOverdue: "逾期未回复",
    qaMean: "平均得分", reviewedN: "已审核", criticalN: "严重偏差", perDay: "每日来电与三声内接听率", byTaker: "各接警员三声内接听率",
    within: "接听用时达标（NENA：90% ≤15 秒，95% ≤20 秒）", mix: "处置构成", add: "添加账户", active: "在用", disabled: "已停用",
    disable: "停用", enable: "启用", resetPin: "重置密码", newPin: "新密码（至少 {n} 位）", added: "已添加账户 {id}", saved: "已保存",
    notes2: "备注", none: "无", today: "今天", week: "近 7 天", all: "全部", s: "秒",
  },
  failure: { missed: "未接", over_three_rings: "超过三声", no_greeting: "未标记问候语", elements_missing: "要素缺失", complaint_overdue: "投诉回复逾期" },
  item: { greeting: "问候语", three_rings: "三声内接听", when: "何时", where: "何地", what: "何事", who: "何人", why: "何因", object: "何物", result: "何果",
    contact: "联系方式", situation: "情形处置得当", manner: "态度与用语" },
  severity: { minor: "轻微", moderate: "一般", major: "较重", critical: "严重" },
  verdict: { pass: "合格", deviation: "偏差", na: "不适用" },
  role: { taker: "接警员", lead: "值班长" },
  source: { audio: "听到", manual: "按键" },
  event: { rang: "来电（F2）", ring: "响铃", answer: "接听", greeting: "问候语", element: "要素", situation: "情形", referral: "转介", urged: "被催促",
    close: "结束", review: "审核", amend: "更正", rings: "铃声记录", sample: "抽样", urged_by: "催促",
    recording_heard: "收听录音", recording_exported: "导出录音", recording_purged: "录音到期删除", recording_resumed: "重启后续录（中断处为静音）", followup_reply: "投诉答复" },
  player: { title: "通话录音", play: "▶ 播放", pause: "❚❚ 暂停", loading: "正在载入录音…",
    partial: "录音时本台曾中断，录音比通话略短。", marks: { ring: "响铃", answer: "接听", greeting: "问候语" } },
  conflict: {
    tab: "冲突", hint: "两个席位各自修改了同一记录、彼此未见：两份都已保留，请核对。", none: "站点没有记录冲突",
    at: "时间", kind: "类型", record: "记录（席位 编号）", from: "后到席位", detail: "说明",
    reply_crossed: "答复交叉", closed_twice: "重复结案", correction_crossed: "更正交叉", reviewed_twice: "重复审核", account_crossed: "账户修改冲突", account_refused: "账户修改未获站点接受",
    "says.reply_crossed": "席位 {from} 答复席位 {seat} 的投诉回访 #{id} 时，另一答复已先到；两份答复都已保留。",
    "says.closed_twice": "席位 {seat} 的投诉回访 #{id} 被两份答复各自结案（后到：席位 {from}）。",
    "says.correction_crossed": "席位 {from} 更正席位 {seat} 通话 #{id} 时，站点已有另一更正；两次更正都已保留，按到达顺序生效。",
    "says.reviewed_twice": "席位 {seat} 的通话 #{id} 在席位 {from} 又审核了一次；显示较新的得分，两份审核都已保留。",
    "says.account_crossed": "席位 {from} 对账户的修改早于另一席位的修改，以较新的为准。",
    "says.account_refused": "席位 {from} 的账户修改不是由本站值班长登录后做出的，站点未接受；请值班长重新办理。",
    raw: "站点原文",
  },
};

const en: ReviewDict = {
  r: {
    signIn: "Sign in", signInTitle: "Jiejing — sign in", unlockTitle: "Locked", unlockHint: "{name}, enter your PIN to unlock", firstRun: "First start: create the shift lead's account",
    firstHint: "The shift lead reviews and exports, and opens accounts for call-takers.", id: "ID", name: "Name", pin: "PIN", pin2: "PIN again", create: "Create and sign in",
    other: "Someone else (shift change)", unlock: "Unlock", lock: "Lock", signOut: "Sign out", pinMismatch: "The two PINs differ", review: "Review",
    title: "Shift review", from: "From", to: "To", badDate: "write the date as YYYY-MM-DD, e.g. 2026-11-23", shift: "Shift", allShifts: "All shifts", taker: "Call-taker", log: "Call log", dash: "Dashboard", users: "Accounts",
    disp: "Disposition", anyDisp: "Any disposition", sit: "Situation", anySit: "Any situation", caller: "Caller number", text: "Search items and notes", failed: "Failed only",
    rev: "Review", anyRev: "Any", sampled: "Sampled", reviewed: "Reviewed", not_reviewed: "Not reviewed", sample: "Draw a random sample", pct: "%",
    drawn: "{n} calls drawn for review", exportCsv: "Export CSV", exportXlsx: "Export Excel", exported: "{rows} rows exported: {path} (not encrypted, and it holds callers' personal data: keep it on an encrypted medium and delete it after use)",
    inEnglish: "Answered in English", inDialect: "Answered in the dialect", forms: "Print forms", formsHint: "The registration form of every call of the chosen days, in one PDF", form: "Print form", printed: "{n} registration form(s) written: {path} (opened in the PDF viewer: print from there; not encrypted, delete it once filed)",
    printedClosed: "{n} registration form(s) written: {path} (this desk has no PDF viewer to open it: open it in one to print; not encrypted, delete it once filed)",
    prev: "Previous", next: "Next", page: "Page {n}", empty: "No calls match", time: "Rang at", no: "No.", rings: "Rings", answer: "Answer (s)",
    items: "Items", problems: "Problems", score: "Score", pick: "Pick a call on the left", timeline: "Timeline", record: "Record", qa: "QA review",
    notes: "Reviewer's notes", saveReview: "Save review", scoreIs: "Score {score}", critical: "Critical deviation: fail", correct: "Correct", correctPrompt: "Correct to:",
    reviewedBy: "Reviewed by {who} at {at}", calls: "Calls", answered: "Answered", missed: "Missed", threeRing: "Within three rings", answerTimes: "Answer time",
    complete: "Complete", greeted: "Greeted", followups: "Complaint replies", due: "Due", onTime: "On time", late: "Late", openOverdue: "Open, overdue",
    qaMean: "Mean QA score", reviewedN: "Reviewed", criticalN: "Critical", perDay: "Calls per day and three-ring %", byTaker: "Three-ring % by call-taker",
    within: "Answer-time targets (NENA: 90% ≤15 s, 95% ≤20 s)", mix: "Dispositions", add: "Add account", active: "active", disabled: "disabled",
    disable: "Disable", enable: "Enable", resetPin: "Reset PIN", newPin: "New PIN ({n}+ characters)", added: "Account {id} added", saved: "Saved",
    notes2: "Notes", none: "none", today: "Today", week: "Last 7 days", all: "All", s: "s",
  },
  failure: { missed: "missed", over_three_rings: "over three rings", no_greeting: "greeting not marked", elements_missing: "items missing", complaint_overdue: "complaint reply overdue" },
  item: { greeting: "Greeting", three_rings: "Within three rings", when: "When", where: "Where", what: "What", who: "Who", why: "Why", object: "What object", result: "Result",
    contact: "Contact", situation: "Situation handled right", manner: "Manner and wording" },
  severity: { minor: "minor", moderate: "moderate", major: "major", critical: "critical" },
  verdict: { pass: "pass", deviation: "deviation", na: "n/a" },
  role: { taker: "Call-taker", lead: "Shift lead" },
  source: { audio: "heard", manual: "by key" },
  event: { rang: "Rang (F2)", ring: "Ring", answer: "Answered", greeting: "Greeting", element: "Item", situation: "Situation", referral: "Referral", urged: "Urged",
    close: "Closed", review: "Review", amend: "Correction", rings: "Rings recorded", sample: "Sample", urged_by: "Urged",
    recording_heard: "Recording heard", recording_exported: "Recording exported", recording_purged: "Recording deleted (retention)", recording_resumed: "Recording resumed after a restart (silence while down)", followup_reply: "Complaint reply" },
  player: { title: "Recording", play: "▶ Play", pause: "❚❚ Pause", loading: "Loading the recording…",
    partial: "The desk stopped while recording: the audio ends a little before the call.", marks: { ring: "Ring", answer: "Answered", greeting: "Greeting" } },
  conflict: {
    tab: "Conflicts", hint: "Two seats changed the same record without seeing each other's change: both are kept; check them.", none: "No conflicts at the station",
    at: "When", kind: "Kind", record: "Record (seat, no.)", from: "Later seat", detail: "What happened",
    reply_crossed: "Replies crossed", closed_twice: "Closed twice", correction_crossed: "Corrections crossed", reviewed_twice: "Reviewed twice", account_crossed: "Account changes crossed", account_refused: "Account change refused",
    "says.reply_crossed": "Seat {from} replied to seat {seat}'s follow-up #{id} after another reply had landed; both replies are kept.",
    "says.closed_twice": "Seat {seat}'s follow-up #{id} was closed by two replies (the later from seat {from}).",
    "says.correction_crossed": "Seat {from} corrected seat {seat}'s call #{id} when the station already held another correction; both are kept and apply in arrival order.",
    "says.reviewed_twice": "Seat {seat}'s call #{id} was reviewed again at seat {from}; the newer score shows, both reviews are kept.",
    "says.account_crossed": "Seat {from}'s change to the account was older than another seat's, which stands.",
    "says.account_refused": "Seat {from}'s account change was not made by a signed-in lead of this station, so the station did not take it; a lead should make it again.",
    raw: "As the station recorded it",
  },
};

export function rdict(lang: Language): ReviewDict {
  return lang === "en" ? en : zh;
}

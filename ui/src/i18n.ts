// UI chrome in both languages. The norm's phrases come from the phrase
// packs (assets/phrases), not from here.
import type { AppError, CallState, ComplaintField, Disposition, ElementState, ErrorCode, FollowUpStatus, Language, ReplyMethod } from "./bindings";

type Dict = {
  state: Record<CallState | "idle", string>;
  elementState: Record<ElementState, string>;
  disposition: Record<Disposition, string>;
  complaint: Record<ComplaintField, string>;
  errors: Record<ErrorCode, string>;
  ui: Record<string, string>;
  audio: Record<string, string>;
  speech: Record<string, string>;
  station: Record<string, string>;
  q: Record<string, string>;
  method: Record<ReplyMethod, string>;
  fstatus: Record<FollowUpStatus, string>;
};

const zh: Dict = {
  state: { idle: "等待来电", ringing: "振铃中", answered: "已接听", in_progress: "通话中", closed: "已结束" },
  elementState: { not_asked: "未问", asked: "已问", answered: "已答", not_applicable: "不适用" },
  disposition: {
    police_incident: "警情", emergency_help: "紧急求助", consultation: "咨询/转介", complaint: "投诉",
    harassment: "骚扰", repeat_urging: "重复/催促", other: "其他",
  },
  complaint: { name: "姓名", address: "住址", work_unit: "工作单位", phone: "联系电话", what_happened: "投诉事由", subject: "被投诉对象" },
  errors: {
    TOO_LONG: "{field}：内容过长，最多 {limit} 个字",
    REQUIRED: "{field}：必填",
    INVALID_NUMBER: "{field}：号码无效（只能包含数字、+、- 和空格，3–20 位数字）",
    INVALID_VALUE: "{field}：{message}",
    WRONG_STATE: "当前状态不能执行此操作：{message}",
    CALL_CLOSED: "通话已结束，不能再修改",
    CALL_ACTIVE: "当前通话尚未结束，请先按 F9 结束",
    NO_ACTIVE_CALL: "没有进行中的通话，电话响铃时按 F2",
    NOT_FOUND: "未找到：{message}",
    MISSING_ELEMENTS: "以下要素未问清：{missing}。再按 Enter 确认结束。",
    BAD_FILE: "数据文件有误：{message}",
    STORAGE: "数据库错误，刚才的修改未保存：{message}",
    AUDIO: "铃声监听：{message}",
    SIGN_IN_REQUIRED: "请先登录",
    LOCKED: "已锁定：请输入密码解锁",
    BAD_CREDENTIALS: "工号或密码不正确",
    TOO_MANY_ATTEMPTS: "密码连续输错次数过多，请 {limit} 秒后再试",
    FORBIDDEN: "无权操作：仅限值班长，或本人经手的通话",
    STATION_OFFLINE: "站点连不上，此操作需要站点：{message}",
    INTERNAL: "内部错误：{message}",
  },
  station: {
    section: "站点（多席位）", alone: "本机为单席位，未加入站点", url: "站点数据库地址", seat: "本席位名称",
    init: "初始化站点数据库", initDone: "站点数据库结构已就绪（版本 {v}）", join: "加入站点", joined: "已加入，{n} 条记录排队上传",
    leave: "退出站点", leaveQueued: "还有 {n} 条未上传到站点，仍要退出吗？", left: "已退出站点，本机单独工作",
    reportSeatOnly: "站点连不上，只统计本席位的来电", online: "站点 {seat} · 在线", behind: "站点 {seat} · 待上传 {n} 条", offline: "站点离线（{t} 起）· 待传 {n}",
    seatOnly: "站点暂不可达：只查了本席位的来电", otherSeat: "席位 {seat}" },
  audio: { off: "未监听铃声", starting: "正在打开麦克风…", listening: "正在监听铃声", no_device: "没有输入设备：请用 F2/F3 记录", failed: "麦克风出错，正在重试：F2/F3 可用",
    section: "铃声监听（三声内接听）", listen: "监听电话铃声", callerLine: "报警人线路（第二输入）", noLine: "无（一个麦克风听双方）", rightChannel: "输入设备右声道（左声道为麦克风）", record: "通话录音（首声铃响至结束）", recordingDays: "录音保存天数", systemDefault: "系统默认输入", isDefault: "默认", missing: "未连接",
    learn: "学习本机铃声（录 8 秒）", forget: "忘记已学铃声", learned: "已学铃声", forgotten: "已恢复内置铃声", recording: "正在录音：请让电话响铃… {s}/{of} 秒",
    learnHint: "未学习铃声：使用内置铃声（中国 450 Hz、北美 440+480 Hz、电子铃、机械铃）。让电话响铃时按“学习”，识别最准。" },
  speech: { off: "语音识别已关闭", loading: "正在载入语音模型…", ready: "语音识别就绪", missing: "无语音模型", bad: "语音模型无法使用",
    model: "模型", last: "上一句用时", skipped: "跳过的语句", title: "通话转写（离线）", empty: "接听后，听到的话会显示在这里",
    suggest: "建议", greeting: "问候语", taker: "接警员", caller: "报警人", heardHint: "转写中听到此情形：按 Alt+数字记录",
    section: "语音识别（离线转写）", on: "通话中转写语音，提示要素", modelPath: "模型文件（ggml，留空为默认）" },
  ui: {
    training: "培训模式 · 非真实来电",
    title: "接警", greeting: "问候语", greetingDone: "已问候", ringCount: "响铃次数", ringPending: "未检测铃声", ringNth: "第 {n} 声", ringOver: "已超过三声！", ringOk: "三声内接听", ringLate: "超过三声", missed: "未接来电",
    answerTime: "接听用时", seconds: "秒", callerNumber: "报警人号码", checklist: "七要素与联系方式",
    situations: "来电情形", phrases: "规范用语", complaintForm: "投诉登记", referral: "转介部门",
    referralSearch: "搜索部门：事项、关键词或电话", refer: "已告知", notes: "备注", earlier: "前次来电",
    idleHint: "电话响铃时按 F2 开始计时", closeTitle: "结束通话 — 选择处置结果", confirm: "确认",
    cancel: "取消", saved: "已保存", saving: "保存中…", settings: "设置", save: "保存", city: "城市（问候语）",
    cityEn: "城市（英文）", operatorNumber: "接警员工号（可空）", takerId: "默认接警员编号（无人登录时）", stationId: "接警台编号",
    repeatWindow: "重复来电判定时长（分钟）", language: "界面语言", dataFiles: "数据文件", dataDir: "数据目录",
    builtin: "内置", notSet: "未设置", phraseLanguage: "本通用语（普通话/English/方言）", editFile: "编辑", saveFile: "检查并保存", resetFile: "恢复内置", closeFile: "关闭", fileSaved: "已保存并启用：{name}", fileReset: "已恢复内置：{name}", fileBuiltin: "（内置文件的内容；保存后写入数据目录，内置文件不变）", lastCall: "上一通电话", urgedBy: "此后催促", callNo: "电话 #", missingAtClose: "结束时未问清",
    none: "无", done: "完成", legendElements: "要素", legendSituations: "情形", fileWarning: "数据文件问题",
    lgQueue: "回复队列", lgRing: "来电振铃", lgAnswer: "接听", lgClose: "结束通话", lgNext: "下一项", prompt: "询问", next: "全部要素已处理，按 F9 结束通话", disposition: "处置",
    workingDays: "答复时限（工作日）", endOfDay: "到期时刻（当日）", timeZone: "时区", audioDevice: "铃声输入设备（留空为系统默认）", importCalendar: "导入下一年度节假日文件（路径）",
    importHint: "输入文件路径后按 Enter 导入", imported: "已导入 {year} 年日历", calendarYears: "已载入日历年份",
    misconduct: "正在发生的违法违纪 — 立即报告督察", misconductAlert: "⚠ 请立即报告督察",
    idleLock: "无操作自动锁定（分钟）", signInAttempts: "连续输错密码次数上限", signInWait: "超过后等待（秒，每次加倍）", pinMinLength: "密码最少位数", personalDataDays: "个人信息保存天数（0 为不限）", lgReview: "审核（值班长）", shifts: "班次（开始时间 名称，逗号分隔）",
  },
  q: {
    title: "投诉回复队列", hint: "↑↓ 选择 · Enter 填写答复 · Esc 返回接警", showClosed: "显示已办结", id: "编号", call: "来电",
    complainant: "投诉人", phone: "电话", subject: "被投诉对象", received: "受理", due: "应答复", left: "剩余",
    status: "状态", empty: "没有待办的投诉回复", days: "{n} 个工作日", hours: "{n} 小时", overdueBy: "逾期 {n} 小时",
    provisional: "暂定（缺 {years} 年日历）", replyTitle: "记录答复 — 投诉 #{id}", at: "答复时间", by: "答复人",
    method: "方式", content: "答复内容", outcome: "结果", closes: "已兑现承诺，办结", save: "保存答复（Enter）",
    hidden: "投诉人信息不公开", hiddenWhy: "投诉人信息仅值班长和受理该来电的接警员可见，也由他们答复。",
    banner: "⚠ 投诉回复：{today} 件今日到期，{overdue} 件已逾期（F11 查看）", missing: "⚠ 未导入 {years} 年官方节假日安排，相关到期日为暂定（F10 设置中导入）",
    entered: "有投诉回复进入最后一个工作日（F11 查看）", replies: "答复记录", history: "变更记录", misconduct: "督察",
    seat: "席位", atSeat: "席位 {seat}", seatOnly: "站点连不上，只显示本席位的投诉",
  },
  method: { phone: "电话", sms: "短信", in_person: "当面", letter: "信函" },
  fstatus: { open: "待回复", due_today: "今日到期", overdue: "已逾期", closed: "已办结" },
};

const en: Dict = {
  state: { idle: "Waiting for a call", ringing: "Ringing", answered: "Answered", in_progress: "In progress", closed: "Closed" },
  elementState: { not_asked: "not asked", asked: "asked", answered: "answered", not_applicable: "n/a" },
  disposition: {
    police_incident: "Police incident", emergency_help: "Emergency help", consultation: "Consultation / referral",
    complaint: "Complaint", harassment: "Harassment", repeat_urging: "Repeat / urging", other: "Other",
  },
  complaint: { name: "Name", address: "Address", work_unit: "Work unit", phone: "Phone", what_happened: "What happened", subject: "Complained about" },
  errors: {
    TOO_LONG: "{field}: too long, at most {limit} characters",
    REQUIRED: "{field}: required",
    INVALID_NUMBER: "{field}: not a valid number (digits, +, - and spaces; 3–20 digits)",
    INVALID_VALUE: "{field}: {message}",
    WRONG_STATE: "Not possible now: {message}",
    CALL_CLOSED: "The call is closed and cannot be changed",
    CALL_ACTIVE: "The current call is still open: press F9 to close it first",
    NO_ACTIVE_CALL: "No call in progress: press F2 when the phone rings",
    NOT_FOUND: "Not found: {message}",
    MISSING_ELEMENTS: "Not established: {missing}. Press Enter again to close anyway.",
    BAD_FILE: "Data file problem: {message}",
    STORAGE: "Database error, the last change was NOT saved: {message}",
    AUDIO: "Ring listening: {message}",
    SIGN_IN_REQUIRED: "Sign in first",
    LOCKED: "Locked: enter your PIN",
    BAD_CREDENTIALS: "Wrong account or PIN",
    TOO_MANY_ATTEMPTS: "Too many wrong PINs; try again in {limit} s",
    FORBIDDEN: "Not allowed: {message}",
    STATION_OFFLINE: "The station cannot be reached, and this needs it: {message}",
    INTERNAL: "Internal error: {message}",
  },
  station: {
    section: "Station (many seats)", alone: "This desk is on its own (not joined to a station)", url: "Station database URL", seat: "This seat's name",
    init: "Set up the station database", initDone: "The station database is ready (version {v})", join: "Join the station", joined: "Joined; {n} records queued to upload",
    leave: "Leave the station", leaveQueued: "{n} changes have not reached the station yet. Leave anyway?", left: "Left the station; this desk is on its own",
    reportSeatOnly: "The station cannot be reached: this seat's calls only", online: "Station {seat} · online", behind: "Station {seat} · {n} to upload", offline: "Station offline since {t} · {n} to upload",
    seatOnly: "Station unreachable: only this seat's calls were checked", otherSeat: "seat {seat}" },
  audio: { off: "Not listening for rings", starting: "Opening the microphone…", listening: "Listening for rings", no_device: "No input device: use F2/F3", failed: "Microphone error, retrying: F2/F3 work",
    section: "Ring listening (three-ring rule)", listen: "Listen for the phone ringing", callerLine: "Caller's line (second input)", noLine: "None (one microphone hears both)", rightChannel: "Right channel of the input (microphone on the left)", record: "Record calls (first ring to close)", recordingDays: "Keep recordings (days)", systemDefault: "System default input", isDefault: "default", missing: "not connected",
    learn: "Learn this phone's ring (records 8 s)", forget: "Forget the learned ring", learned: "Learned ring", forgotten: "Back to the built-in rings", recording: "Recording: let the phone ring… {s}/{of} s",
    learnHint: "No ring learned: built-in rings (China 450 Hz, North America 440+480 Hz, trills, bells). Press Learn while the phone rings for the best accuracy." },
  speech: { off: "Speech off", loading: "Loading the speech model…", ready: "Speech ready", missing: "No speech model", bad: "Speech model unusable",
    model: "Model", last: "Last utterance took", skipped: "Utterances skipped", title: "Transcript (offline)", empty: "After the answer, what is said appears here",
    suggest: "Suggested", greeting: "greeting", taker: "Call-taker", caller: "Caller", heardHint: "Heard in the transcript: Alt+digit records it",
    section: "Speech (offline transcription)", on: "Transcribe calls and suggest checklist values", modelPath: "Model file (ggml; empty for the default)" },
  ui: {
    training: "Training · not real calls",
    title: "Jiejing", greeting: "Greeting", greetingDone: "Greeted", ringCount: "Rings", ringPending: "no rings heard", ringNth: "Ring {n}", ringOver: "Over three rings!", ringOk: "within three rings", ringLate: "over three rings", missed: "Missed call",
    answerTime: "Answered in", seconds: "s", callerNumber: "Caller number", checklist: "Seven elements and contact",
    situations: "Caller situation", phrases: "Phrases", complaintForm: "Complaint", referral: "Refer to",
    referralSearch: "Search departments: matter, keyword or phone", refer: "Told caller", notes: "Notes", earlier: "Earlier call",
    idleHint: "Press F2 when the phone rings", closeTitle: "Close the call — choose the disposition", confirm: "Confirm",
    cancel: "Cancel", saved: "saved", saving: "saving…", settings: "Settings", save: "Save", city: "City (greeting)",
    cityEn: "City (English)", operatorNumber: "Call-taker number (optional)", takerId: "Default call-taker id (nobody signed in)", stationId: "Station id",
    repeatWindow: "Repeat-call window (minutes)", language: "Language", dataFiles: "Data files", dataDir: "Data folder",
    builtin: "built-in", notSet: "not set", phraseLanguage: "This call's phrases (Mandarin/English/dialect)", editFile: "Edit", saveFile: "Check and save", resetFile: "Back to built-in", closeFile: "Close", fileSaved: "Saved and in use: {name}", fileReset: "Back to the built-in file: {name}", fileBuiltin: "(the built-in file's text; saving writes it into the data folder, the built-in file stays as it is)", lastCall: "Last call", urgedBy: "Urged later by", callNo: "Call #", missingAtClose: "Missing at close",
    none: "none", done: "done", legendElements: "elements", legendSituations: "situations", fileWarning: "Data file problem",
    lgQueue: "Follow-ups", lgRing: "Phone rings", lgAnswer: "Answer", lgClose: "Close call", lgNext: "next item", prompt: "Ask", next: "All items handled: press F9 to close the call", disposition: "Disposition",
    workingDays: "Reply within (working days)", endOfDay: "Due at (time of day)", timeZone: "Time zone", audioDevice: "Ring input device (empty: system default)", importCalendar: "Import next year's holiday file (path)",
    importHint: "Type the file's path and press Enter", imported: "Imported the {year} calendar", calendarYears: "Calendar years loaded",
    misconduct: "Misconduct happening now — refer to 督察 at once", misconductAlert: "⚠ Refer to 督察 now",
    idleLock: "Lock after idle (minutes)", signInAttempts: "Wrong PINs in a row allowed", signInWait: "Then wait (seconds, doubling)", pinMinLength: "Shortest PIN (characters)", personalDataDays: "Days callers' personal data is kept (0: no limit)", lgReview: "Review (lead)", shifts: "Shifts (start time and name, comma-separated)",
  },
  q: {
    title: "Complaint follow-ups", hint: "↑↓ select · Enter record a reply · Esc back to calls", showClosed: "Show closed", id: "No.", call: "Call",
    complainant: "Complainant", phone: "Phone", subject: "About", received: "Received", due: "Due", left: "Left",
    status: "Status", empty: "No complaint replies pending", days: "{n} working days", hours: "{n} h", overdueBy: "{n} h overdue",
    provisional: "provisional (no {years} calendar)", replyTitle: "Record a reply — complaint #{id}", at: "Replied at", by: "By",
    method: "Method", content: "What was said", outcome: "Outcome", closes: "Promise kept: close it", save: "Save reply (Enter)",
    hidden: "Complainant not shown", hiddenWhy: "Only shift leads and the call-taker who took the call see who complained, and they reply.",
    banner: "⚠ Complaint replies: {today} due today, {overdue} overdue (F11)", missing: "⚠ The official {years} holiday schedule is not loaded: those due dates are provisional (import in F10 Settings)",
    entered: "A complaint reply has entered its last working day (F11)", replies: "Replies", history: "History", misconduct: "督察",
    seat: "Seat", atSeat: "seat {seat}", seatOnly: "the station cannot be reached: this seat's only",
  },
  method: { phone: "Phone", sms: "SMS", in_person: "In person", letter: "Letter" },
  fstatus: { open: "open", due_today: "due today", overdue: "overdue", closed: "closed" },
};

const dicts: Record<Language, Dict> = { "zh-CN": zh, en };

export function dict(lang: Language): Dict {
  return dicts[lang];
}

/** Field names in errors, as the user sees them. */
const FIELD_NAMES: Record<Language, Record<string, string>> = {
  "zh-CN": { at: "答复时间", by: "答复人", content: "答复内容", outcome: "结果", followupWorkingDays: "答复时限", followupEndOfDay: "到期时刻", timeZone: "时区", audioDevice: "铃声输入设备", caller_number: "报警人号码", notes: "备注", department: "部门", city: "城市", operatorNumber: "工号", takerId: "接警员编号", stationId: "接警台编号", repeatWindowMinutes: "重复来电判定时长", idleLockMinutes: "无操作自动锁定", signInAttempts: "连续输错密码次数上限", signInWaitSeconds: "输错后等待秒数", pinMinLength: "密码最少位数", personalDataDays: "个人信息保存天数", shifts: "班次", id: "工号", name: "姓名", pin: "密码", role: "角色", pct: "抽样比例", to: "结束日期", shift: "班次", review: "审核", reviewNotes: "审核意见" },
  en: { at: "Replied at", by: "By", content: "What was said", outcome: "Outcome", followupWorkingDays: "Reply within", followupEndOfDay: "Due at", timeZone: "Time zone", audioDevice: "Ring input device", caller_number: "Caller number", notes: "Notes", department: "Department", city: "City", operatorNumber: "Call-taker number", takerId: "Call-taker id", stationId: "Station id", repeatWindowMinutes: "Repeat-call window", idleLockMinutes: "Lock after idle", signInAttempts: "Wrong PINs allowed", signInWaitSeconds: "Wait after wrong PINs", pinMinLength: "Shortest PIN", personalDataDays: "Personal data kept", shifts: "Shifts", id: "ID", name: "Name", pin: "PIN", role: "Role", pct: "Sample size", to: "End date", shift: "Shift", review: "Review", reviewNotes: "Review notes" },
};

/** Localizes a backend error by its code; labels resolve element and complaint keys. */
export function errorText(lang: Language, e: AppError, labels: (key: string) => string | undefined): string {
  const d = dicts[lang];
  const field = e.field ? labels(e.field) ?? FIELD_NAMES[lang][e.field] ?? e.field : "";
  const missing = e.missing.map((k) => labels(k) ?? k).join(lang === "en" ? ", " : "、");
  return d.errors[e.code]
    .replace("{field}", field)
    .replace("{limit}", String(e.limit ?? ""))
    .replace("{missing}", missing)
    .replace("{message}", e.message);
}

/** Fills {name} placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ""));
}

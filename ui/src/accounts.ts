// The review screen's accounts tab (leads only): call-takers and leads,
// added, disabled, given another role or a new PIN. On a joined desk the
// accounts are the station's.
import type { Language, Role, User } from "./bindings";
import { call } from "./api";
import { $, h } from "./dom";
import { fill } from "./i18n";
import { rdict } from "./review-text";
import { s } from "./shared";

export async function renderAccounts(lang: Language, showError: (e: unknown, where?: HTMLElement) => void) {
  const again = () => renderAccounts(lang, showError);
  const say = (msg: string) => ($("rv-msg").textContent = msg);
  const list: User[] = await call("listUsers");
  const r = rdict(lang).r;
  const roles = rdict(lang).role;
  const roleSel = (id: string, v: Role) => {
    const s = h("select", { id }, ...(["taker", "lead"] as Role[]).map((x) => h("option", { value: x }, roles[x])));
    s.value = v;
    return s;
  };
  const rowsEl = list.map((u) => {
    const toggle = h("button", { type: "button", id: `user-toggle-${u.id}` }, u.active ? r.disable : r.enable);
    const role = roleSel(`user-role-${u.id}`, u.role);
    const pin = h("input", { type: "password", placeholder: fill(r.newPin, { n: s.desk.settings.pinMinLength }), id: `user-pin-${u.id}`, maxlength: "128" });
    const save = async (active: boolean) => {
      try {
        await call("updateUser", u.id, role.value as Role, active, pin.value || null);
        await again();
        say(r.saved);
      } catch (e) {
        showError(e, $("rv-msg"));
      }
    };
    toggle.addEventListener("click", () => void save(!u.active));
    role.addEventListener("change", () => void save(u.active));
    pin.addEventListener("keydown", (e) => { if (e.key === "Enter") void save(u.active); });
    return h("tr", {}, h("td", {}, u.id), h("td", {}, u.name), h("td", {}, role), h("td", {}, u.active ? r.active : r.disabled), h("td", {}, toggle), h("td", {}, pin));
  });
  const id = h("input", { id: "new-id", placeholder: r.id, size: "6", maxlength: "64" });
  const name = h("input", { id: "new-name", placeholder: r.name, maxlength: "64" });
  const role = roleSel("new-role", "taker");
  const pin = h("input", { id: "new-pin", type: "password", placeholder: fill(r.newPin, { n: s.desk.settings.pinMinLength }), maxlength: "128" });
  const add = h("button", { id: "new-add", type: "button" }, r.add);
  add.addEventListener("click", async () => {
    try {
      const u = await call("addUser", id.value, name.value, role.value as Role, pin.value);
      await again();
      say(fill(r.added, { id: u.id }));
    } catch (e) {
      showError(e, $("rv-msg"));
    }
  });
  $("rv-users").replaceChildren(h("table", { id: "users-table" }, ...rowsEl), h("div", { class: "rv-filters" }, id, name, role, pin, add));
}

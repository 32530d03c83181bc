// The page of `haizhi serve`: the 申报表 as a form, checked as it is typed.
// Plain ES2020, no third-party code. Field names, labels, help, clauses and choices come from the server
// (GET /api/form, built from the same models and schema as the CLI); only the page's own chrome is here.
"use strict";

/** The words the page shows before the server has answered; every other word is the server's (/api/form `ui`). */
const UI = {
  zh: { loading: "正在载入…", network: "无法连接本地服务：请确认终端里的 haizhi serve 仍在运行。" },
  en: { loading: "Loading…", network: "Cannot reach the local server: check that haizhi serve still runs in the terminal." },
};

const STATUS_ORDER = ["fail", "warn", "review", "pass"];
const CHECK_DELAY_MS = 400;

const state = {
  form: null, data: null, version: null, dirty: false, report: null, counts: {},
  verdict: null, errors: [], notes: [], attachments: [], checkTimer: 0, checkAbort: null,
};

const $ = (selector, root = document) => root.querySelector(selector);

function t(key) {
  const lang = state.form?.lang === "en" ? "en" : "zh";
  return state.form?.ui?.[key] ?? UI[lang][key] ?? key;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

/** Replace a node's children, leaving out the ones that are absent (replaceChildren would print "null"). */
function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
}

// ---- paths: "base.leader.name", "plan.targets[0].unit", "plan.targets[]" ----

function idFor(path) {
  return "field-" + path.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/-+$/, "");
}

/** A key path's steps; `index` marks a list position written `[n]` (a key like `values.2024` is not one). */
function pathSteps(path) {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) => (match[2] === undefined
    ? { key: match[1], index: false } : { key: match[2], index: true }));
}

function splitPath(path) {
  return pathSteps(path).map((step) => step.key);
}

function getPath(object, path) {
  let node = object;
  for (const part of splitPath(path)) {
    if (node === null || typeof node !== "object") return undefined;
    node = node[part];
  }
  return node;
}

function setPath(object, path, value) {
  const steps = pathSteps(path);
  let node = object;
  steps.slice(0, -1).forEach((step, index) => {
    if (node[step.key] === null || typeof node[step.key] !== "object") {
      node[step.key] = steps[index + 1].index ? [] : {};
    }
    node = node[step.key];
  });
  const leaf = steps[steps.length - 1].key;
  if (value === undefined) {
    if (Array.isArray(node)) node[leaf] = null;
    else delete node[leaf];
  } else {
    node[leaf] = value;
  }
}

/** The element a finding's key path belongs to: the path itself, or the nearest enclosing field shown. */
function elementForPath(path) {
  if (!path) return null;
  const tries = [];
  let rest = path;
  while (rest) {
    tries.push(rest, rest.replace(/\[\d+\]/g, "[]"));
    const cut = Math.max(rest.lastIndexOf("."), rest.lastIndexOf("["));
    rest = cut > 0 ? rest.slice(0, cut) : "";
  }
  for (const candidate of tries) {
    const found = document.querySelector(`[data-path="${CSS.escape(candidate)}"]`);
    if (found) return found;
  }
  return null;
}

// ---- server calls ----

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `${status}`);
    this.status = status;
    this.code = body?.error;
    this.body = body;
  }
}

async function api(path, { method = "GET", json, form, signal } = {}) {
  const options = { method, signal, credentials: "same-origin", headers: {} };
  if (json !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(json);
  } else if (form !== undefined) {
    options.body = form;
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, { error: "network", message: t("network") });
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

// ---- dialog ----

/** Ask with a modal dialog; resolves to the chosen button's value (the last one on Escape). */
function ask(text, buttons) {
  const dialog = $("#dialog");
  $("#dialog-text").textContent = text;
  const row = $("#dialog-buttons");
  row.replaceChildren();
  return new Promise((resolve) => {
    const finish = (value) => {
      dialog.close();
      resolve(value);
    };
    for (const { label, value, primary } of buttons) {
      row.append(el("button", { type: "button", class: primary ? "primary" : null, text: label,
        onclick: () => finish(value) }));
    }
    dialog.oncancel = (event) => {
      event.preventDefault();
      finish(buttons[buttons.length - 1].value);
    };
    dialog.showModal();
    row.querySelector(".primary, button")?.focus();
  });
}

function tell(text) {
  return ask(text, [{ label: t("ok"), value: true, primary: true }]);
}

// ---- unsaved marker ----

function setDirty(dirty) {
  state.dirty = dirty;
  const marker = $("#unsaved");
  marker.hidden = !dirty;
  marker.textContent = t("unsaved");
}

window.addEventListener("beforeunload", (event) => {
  if (!state.dirty) return;
  event.preventDefault();
  event.returnValue = t("leave");
});

// ---- values typed into inputs ----

function parseNumber(text) {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function parseValue(kind, text) {
  if (kind === "number" || kind === "integer") return parseNumber(text);
  if (kind === "boolean") return text === "" ? undefined : text === "true";
  if (kind === "date" || kind === "choice") return text === "" ? undefined : text;
  return text;
}

function shown(value) {
  if (value === undefined || value === null) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function changed(path, value) {
  setPath(state.data, path, value);
  setDirty(true);
  scheduleCheck(path);
  if (path === "base_type" && value && value !== state.form.base_type) relayout(value);
}

/** Another base type asks other conditions and items: show its form, keeping every value typed. */
async function relayout(baseType) {
  try {
    state.form = await api(`/api/form?base_type=${encodeURIComponent(baseType)}`);
    renderForm();
    document.getElementById(idFor("base_type"))?.focus();
  } catch (error) {
    await tell(error.message);
  }
}

// ---- inputs ----

function describedBy(field, id) {
  return field.help || field.clause ? `${id}-help` : null;
}

function choiceSelect(field, id, value, path) {
  const select = el("select", { id, "data-path": path, "aria-describedby": describedBy(field, id),
    onchange: () => changed(path, parseValue(field.kind, select.value)) });
  const choices = field.kind === "boolean"
    ? [{ value: "true", label: t("yes") }, { value: "false", label: t("no") }]
    : field.choices || [];
  select.append(el("option", { value: "", text: t("none_selected") }));
  for (const choice of choices) select.append(el("option", { value: String(choice.value), text: choice.label }));
  const current = value === undefined || value === null ? "" : String(value);
  if (current && !choices.some((choice) => String(choice.value) === current)) {
    select.append(el("option", { value: current, text: current }));
  }
  select.value = current;
  return select;
}

function textInput(field, id, value, path) {
  const kind = field.kind;
  const attrs = { id, "data-path": path, "aria-describedby": describedBy(field, id), "aria-required": field.required ? "true" : null };
  if (kind === "date") {
    return el("input", { ...attrs, type: "date", value: shown(value),
      onchange: (event) => changed(path, parseValue(kind, event.target.value)) });
  }
  if (kind === "number" || kind === "integer") {
    // text, not type=number: the form also takes 无 where the applicant has none (填表说明四)
    attrs.inputmode = kind === "integer" ? "numeric" : "decimal";
  }
  return el("input", { ...attrs, type: "text", value: shown(value),
    oninput: (event) => changed(path, parseValue(kind, event.target.value)) });
}

function textArea(field, id, value, path) {
  const area = el("textarea", { id, "data-path": path, rows: field.limit ? (field.limit > 600 ? 10 : 6) : 3,
    "aria-describedby": [describedBy(field, id), field.limit ? `count-${id}` : null].filter(Boolean).join(" ") || null,
    "aria-required": field.required ? "true" : null,
    oninput: () => changed(path, area.value) });
  area.value = value === undefined || value === null ? "" : String(value);
  return area;
}

function choiceList(field, id, value, path) {
  const chosen = new Set(Array.isArray(value) ? value : []);
  const box = el("fieldset", { id, class: "choice-list", "data-path": path, tabindex: -1,
    "aria-describedby": describedBy(field, id) }, el("legend", { class: "visually-hidden", text: field.label }));
  const update = () => {
    const ticked = [...box.querySelectorAll("input:checked")].map((input) => input.value);
    const unknown = (Array.isArray(value) ? value : []).filter((item) => !field.choices.some((c) => c.value === item));
    value = field.choices.map((c) => c.value).filter((v) => ticked.includes(v)).concat(unknown);
    changed(path, value);
  };
  field.choices.forEach((choice, index) => {
    const inputId = `${id}-${index}`;
    box.append(el("span", { class: "choice" },
      el("input", { type: "checkbox", id: inputId, value: choice.value, checked: chosen.has(choice.value), onchange: update }),
      el("label", { for: inputId, text: choice.label })));
  });
  return box;
}

/** A list of rows as an editable table, one column for each of the layout's `columns` (an item written as a
 * bare path shows in its `file` column). */
function tableEditor(field, id, value, path) {
  const wrap = el("div", { class: "table-editor", id, "data-path": path, tabindex: -1 });
  const render = () => {
    const rows = Array.isArray(getPath(state.data, path)) ? getPath(state.data, path) : [];
    const columns = field.columns;
    const head = el("tr", {}, columns.map((c) => el("th", { scope: "col", text: c.label })),
      el("th", { scope: "col", class: "row-actions" }, el("span", { class: "visually-hidden", text: t("remove_row") })));
    const body = rows.map((row, index) => tableRow(field, path, columns, row, index, render));
    const add = el("button", { type: "button", class: "small", text: t("add_row"), onclick: () => {
      const list = Array.isArray(getPath(state.data, path)) ? getPath(state.data, path) : [];
      list.push({});
      changed(path, list);
      render();
      wrap.querySelector("tbody tr:last-child input")?.focus();
    } });
    wrap.replaceChildren(el("table", { class: "grid" }, el("thead", {}, head), el("tbody", {}, body)), add);
  };
  render();
  return wrap;
}

function tableRow(field, path, columns, row, index, render) {
  const cells = columns.map((column) => {
    const key = column.key;
    const cellPath = key ? `${path}[${index}].${key}` : `${path}[${index}]`;
    const cellValue = key ? (row && typeof row === "object" ? getPath(row, key) : (key === "file" ? row : undefined)) : row;
    const input = el(column.kind === "textarea" ? "textarea" : "input", { type: column.kind === "textarea" ? null : "text",
      id: idFor(cellPath), "data-path": cellPath, rows: column.kind === "textarea" ? 2 : null,
      "aria-label": `${field.label} ${index + 1} ${column.label}`,
      inputmode: column.kind === "number" || column.kind === "integer" ? "decimal" : null,
      oninput: (event) => {
        const list = getPath(state.data, path);
        if (key && (list[index] === null || typeof list[index] !== "object")) list[index] = list[index] ? { file: list[index] } : {};
        const parsed = parseValue(column.kind === "textarea" ? "text" : column.kind || "text", event.target.value);
        if (key) setPath(list[index], key, parsed);
        else list[index] = parsed ?? "";
        setDirty(true);
        scheduleCheck(cellPath);
      } });
    input.value = shown(cellValue);
    return el("td", {}, input);
  });
  const remove = el("button", { type: "button", class: "small", text: t("remove_row"),
    "aria-label": `${t("remove_row")} ${field.label} ${index + 1}`, onclick: () => {
      getPath(state.data, path).splice(index, 1);
      changed(path, getPath(state.data, path));
      render();
    } });
  return el("tr", {}, cells, el("td", { class: "row-actions" }, remove));
}

function inputFor(field, id, path) {
  const value = getPath(state.data, path);
  const kind = field.kind;
  if (kind === "textarea") return textArea(field, id, value, path);
  if (kind === "choice" || kind === "boolean") return choiceSelect(field, id, value, path);
  if (kind === "list" && field.choices?.length) return choiceList(field, id, value, path);
  if (kind === "list" || kind === "table") return tableEditor(field, id, value, path);
  return textInput(field, id, value, path);
}

// ---- labels, help, counters, notes ----

/** A label as the printed form writes it, its unit in brackets kept on one line. */
function labelText(field) {
  if (field.unit) return [field.label, el("span", { class: "nowrap", text: `（${field.unit}）` })];
  const match = /^(.*?)(（[^（）]*）)$/.exec(field.label || "");
  if (!match || !match[1]) return [field.label || ""];
  return [match[1], el("span", { class: "nowrap", text: match[2] })];
}

function helpParts(field, id) {
  if (!field.help && !field.clause) return { toggle: null, text: null };
  const text = el("div", { id: `${id}-help`, class: "help", hidden: true },
    field.clause ? el("span", { class: "clause", text: field.clause }) : null, field.help ? ` ${field.help}` : null);
  const toggle = el("button", { type: "button", class: "help-toggle", "aria-expanded": "false",
    "aria-controls": `${id}-help`, title: [field.clause, field.help].filter(Boolean).join(" "),
    "aria-label": `${t("help_toggle")}：${field.label}`, text: "?", onclick: () => {
      text.hidden = !text.hidden;
      toggle.setAttribute("aria-expanded", String(!text.hidden));
    } });
  return { toggle, text };
}

function counter(field, id) {
  if (!field.limit) return null;
  return el("p", { id: `count-${id}`, class: "counter pending", "data-count-for": field.path, text: t("counting") });
}

function groupLabel(field) {
  return ["list", "table"].includes(field.kind) || (field.columns?.length && field.kind !== "textarea");
}

/** A field as label, help, input, counter and notes: everything outside section 一's table. */
function fieldBlock(field) {
  const id = idFor(field.path);
  const { toggle, text } = helpParts(field, id);
  const label = groupLabel(field)
    ? el("span", { class: "label", id: `${id}-label` }, labelText(field))
    : el("label", { for: id, class: "label" }, labelText(field));
  const input = inputFor(field, id, field.path);
  if (groupLabel(field)) input.setAttribute("aria-labelledby", `${id}-label`);
  return el("div", { class: `field kind-${field.kind}`, "data-field": field.path },
    field.instruction ? el("p", { class: "section-help", text: field.instruction }) : null,
    el("div", { class: "field-head" }, label, field.required ? el("span", { class: "required", text: "*", "aria-hidden": "true" }) : null,
      field.clause ? el("span", { class: "clause", text: field.clause }) : null, toggle),
    text, input, counter(field, id), el("ul", { class: "notes", hidden: true }));
}

// ---- sections ----

/** Section 一 as the printed form's table: label cell, value cell, two pairs a row. */
function basicInfoTable(section) {
  const table = el("table", { class: "form-table" });
  const fields = section.fields || [];
  for (let index = 0; index < fields.length; index += 2) {
    const row = el("tr");
    for (const field of fields.slice(index, index + 2)) {
      const id = idFor(field.path);
      const { toggle, text } = helpParts(field, id);
      row.append(el("th", { scope: "row" }, el("label", { for: id }, labelText(field)), toggle),
        el("td", { class: "field", "data-field": field.path }, inputFor(field, id, field.path), text,
          el("ul", { class: "notes", hidden: true })));
    }
    table.append(row);
  }
  return table;
}

function staticBlock(section) {
  const block = el("div", { class: "printed" });
  if (section.opinions) {
    block.classList.add("bare");
    block.append(el("table", { class: "opinions" }, section.opinions.map((opinion) => el("tr", {},
      el("th", { scope: "row", text: opinion.label }),
      el("td", {}, opinion.with_name ? el("p", { class: "unit-name", text: t("sign_unit") }) : null,
        el("div", { class: "signature" }, [t("sign_leader"), t("sign_stamp"), t("sign_date")].map((line) =>
          el("p", { text: line }))))))));
    return block;
  }
  const [pledge, ...signature] = section.printed ?? [];
  if (pledge) block.append(el("p", { text: pledge }));
  if (signature.length) block.append(el("div", { class: "signature" }, signature.map((line) => el("p", { text: line }))));
  return block;
}

function isStatic(section) {
  return section.id === "六" || section.id === "八";
}

function sectionHeading(section) {
  const on = section.on_form !== false;
  const text = on && section.id ? `${section.id}、${section.title}` : section.title;
  return el("h2", { id: `section-${section.id ?? section.title}` }, text);
}

function renderSection(section) {
  const box = el("section", { class: `form-section${isStatic(section) ? " static" : ""}`,
    "aria-labelledby": `section-${section.id ?? section.title}` }, sectionHeading(section));
  if (isStatic(section)) {
    box.append(staticBlock(section));
  } else if (section.id === "一") {
    box.append(basicInfoTable(section));
  } else if (section.items) {
    for (const item of section.items) box.append(materialItem(section, item));
  } else {
    for (const field of section.fields || []) {
      box.append(fieldBlock(field));
    }
  }
  if (section.id === "七") box.append(attachmentsList());
  return box;
}

function renderForm() {
  const form = $("#applicant-form");
  const sections = state.form.sections;
  const firstOff = sections.findIndex((section) => section.on_form === false);
  form.replaceChildren(...sections.flatMap((section, index) => (index === firstOff
    ? [el("h2", { class: "part-heading", text: t("not_on_form") }), renderSection(section)] : [renderSection(section)])));
  form.hidden = false;
  $("#create").hidden = true;
  $("#loading").hidden = true;
  renderAttachments();
  renderNotes();
  renderFindings();
}

// ---- section 七: uploads and the attachments folder ----

/** One item of 七 as printed (`1. 地方政府支持函；`), with its files, their fields and an upload. */
function materialItem(section, item) {
  const keys = item.fields || [];
  const fields = (section.fields || []).filter((field) => keys.some((key) => field.path === key
    || field.path.startsWith(`${key}.`)));
  const box = el("div", { class: `material${item.asked === false ? " not-asked" : ""}`, "data-item": item.number });
  box.append(el("h3", { text: item.text }));
  if (item.generated) box.append(el("p", { class: "muted", text: t("generated") }));
  if (item.asked === false) box.append(el("p", { class: "muted", text: t("not_asked") }));
  for (const field of fields) box.append(fieldBlock(field));
  if (keys.length && item.asked !== false) box.append(uploadControl({ path: keys[0], label: item.text }, fields));
  return box;
}

function uploadControl(field, shownFields = []) {
  const id = `upload-${idFor(field.path)}`;
  const status = el("p", { class: "upload-status", "aria-live": "polite" });
  const input = el("input", { type: "file", id, accept: ".pdf,application/pdf", class: "visually-hidden", tabindex: -1,
    onchange: () => upload(field, input, status, shownFields) });
  return el("div", { class: "upload" },
    el("label", { for: id, class: "button small", tabindex: 0, text: t("upload"),
      onkeydown: (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); input.click(); } } }),
    input, el("ul", { class: "item-files", "data-files-for": field.path }), status);
}

async function sendUpload(file, overwrite) {
  const body = new FormData();
  body.append("file", file);
  if (overwrite) body.append("overwrite", "1");
  return api("/api/attachments", { method: "POST", form: body });
}

async function upload(field, input, status, shownFields) {
  const file = input.files?.[0];
  if (!file) return;
  status.className = "upload-status";
  status.textContent = t("uploading");
  try {
    let result;
    try {
      result = await sendUpload(file, false);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409)) throw error;
      const replace = await ask(`${file.name}：${t("overwrite")}`,
        [{ label: t("replace"), value: true, primary: true }, { label: t("cancel"), value: false }]);
      if (!replace) { status.textContent = ""; return; }
      result = await sendUpload(file, true);
    }
    refer(field, result.file.path, shownFields);
    status.textContent = `${t("uploaded")}：${result.file.name}`;
    await loadAttachments();
  } catch (error) {
    status.className = "upload-status error";
    status.textContent = error.message;
  } finally {
    input.value = "";
  }
}

/** Point the item at an uploaded file, unless it already does; then show its fields again. */
function refer(field, path, shownFields) {
  const current = getPath(state.data, field.path);
  const listed = shownFields.some((shown) => shown.path === field.path && ["list", "table"].includes(shown.kind));
  if (listed || Array.isArray(current)) {
    const list = Array.isArray(current) ? current : [];
    if (!list.some((item) => (typeof item === "string" ? item : item?.file) === path)) list.push({ file: path });
    changed(field.path, list);
  } else {
    const object = current && typeof current === "object" ? current : {};
    object.file = path;
    changed(field.path, object);
  }
  for (const shown of shownFields.length ? shownFields : [field]) {
    const editor = document.getElementById(idFor(shown.path));
    if (!editor) continue;
    const fresh = inputFor(shown, idFor(shown.path), shown.path);
    if (editor.hasAttribute("aria-labelledby")) fresh.setAttribute("aria-labelledby", editor.getAttribute("aria-labelledby"));
    editor.replaceWith(fresh);
  }
}

async function loadAttachments() {
  try {
    state.attachments = (await api("/api/attachments")).files || [];
  } catch (error) {
    state.attachments = [];
  }
  renderAttachments();
}

function fileLine(file) {
  const pages = file.pages === null || file.pages === undefined ? "" : `${file.pages} ${t("page_unit")}`;
  const problems = file.problems || [];
  return el("li", { class: problems.length ? "has-problems" : null },
    el("a", { href: `/files/${file.path.split("/").map(encodeURIComponent).join("/")}`, target: "_blank",
      rel: "noopener", text: file.name }),
    pages ? el("span", { class: "pages", text: ` · ${pages}` }) : null,
    problems.length ? el("ul", { class: "problems" }, problems.map((p) => el("li", { text: p }))) : null);
}

function attachmentsList() {
  return el("div", { class: "attachments-folder" }, el("h3", { text: t("attachments") }),
    el("ul", { id: "attachments-files" }));
}

function referencedFiles(value) {
  const items = Array.isArray(value) ? value : value ? [value] : [];
  return items.map((item) => (typeof item === "string" ? item : item?.file)).filter(Boolean);
}

function renderAttachments() {
  const list = $("#attachments-files");
  if (list) {
    list.replaceChildren(...(state.attachments.length ? state.attachments.map(fileLine)
      : [el("li", { class: "muted", text: t("no_files") })]));
  }
  const byPath = new Map(state.attachments.map((file) => [file.path, file]));
  for (const box of document.querySelectorAll("[data-files-for]")) {
    const paths = referencedFiles(getPath(state.data, box.dataset.filesFor));
    box.replaceChildren(...paths.map((path) => fileLine(byPath.get(path) ?? { name: path, path, pages: null,
      problems: [] })));
  }
}

// ---- live check ----

function scheduleCheck(path) {
  const counterBox = path && document.querySelector(`[data-count-for="${CSS.escape(path)}"]`);
  if (counterBox) {
    counterBox.classList.add("pending");
    counterBox.textContent = t("counting");
  }
  $("#findings-state").textContent = t("checking");
  clearTimeout(state.checkTimer);
  state.checkTimer = setTimeout(runCheck, CHECK_DELAY_MS);
}

async function runCheck() {
  state.checkAbort?.abort();
  const abort = new AbortController();
  state.checkAbort = abort;
  try {
    const result = await api("/api/check", { method: "POST", json: { data: state.data }, signal: abort.signal });
    if (abort.signal.aborted) return;
    state.report = result.report;
    state.counts = result.counts || {};
    state.errors = result.errors || [];
    state.verdict = result.verdict;
    $("#findings-state").textContent = "";
    renderFindings();
  } catch (error) {
    if (error.name === "AbortError") return;
    $("#findings-state").textContent = `${t("error")}：${error.message}`;
  }
}

function renderVerdict() {
  const verdict = state.verdict;
  const line = $("#verdict");
  line.textContent = verdict?.text ?? t("verdict_unknown");
  line.className = "verdict " + (!verdict || verdict.eligible === null ? "unknown"
    : verdict.eligible && verdict.complete ? "good" : "bad");
}

function renderCounts() {
  for (const box of document.querySelectorAll("[data-count-for]")) {
    const count = state.counts[box.dataset.countFor];
    if (!count) continue;
    box.classList.remove("pending");
    box.classList.toggle("over", count.limit !== null && count.count > count.limit);
    box.textContent = `${count.count} / ${count.limit} ${t("char_unit")}`;
  }
}

/** The report's findings; for data that does not fit the format, its problems (`errors` of the check, each with
 * the key it concerns) as failed findings at their keys. */
function findingsOf(report, errors) {
  const findings = [...(report?.findings || [])];
  const problems = errors?.length ? errors : report?.error ? [{ path: null, message: report.error.message }] : [];
  for (const problem of problems) {
    findings.push({ rule: null, status: "fail", message: problem.message, field: problem.path ?? null });
  }
  return findings;
}

function renderFindings() {
  renderVerdict();
  renderCounts();
  markFields();
  const box = $("#findings");
  const findings = findingsOf(state.report, state.errors);
  box.replaceChildren(...STATUS_ORDER.map((status) => {
    const group = findings.filter((finding) => finding.status === status);
    if (!group.length) return null;
    const summary = el("summary", {}, el("span", { class: `badge ${status}`, text: t(`status.${status}`) }),
      ` ${group.length}`);
    return el("details", { class: `group ${status}`, "data-status": status, open: status !== "pass" },
      summary, el("ul", { class: "finding-list" }, group.map(findingItem)));
  }).filter(Boolean));
}

function findingItem(finding) {
  const target = finding.field ?? null;
  const item = el("li", { class: `finding ${finding.status}`, "data-status": finding.status,
    "data-rule": finding.rule ?? "", "data-field": target ?? "" });
  const go = el("button", { type: "button", class: "finding-main", disabled: !target,
    title: target ? t("go_to_field") : null, onclick: () => goTo(target) },
  el("span", { class: `badge ${finding.status}`, text: t(`status.${finding.status}`) }),
  finding.clause ? el("span", { class: "clause", text: finding.clause }) : null,
  el("span", { class: "message", text: finding.message }));
  item.append(go);
  if (finding.rule) item.append(quoteToggle(finding.rule));
  return item;
}

function quoteToggle(rule) {
  const box = el("div", { class: "quote", hidden: true });
  const button = el("button", { type: "button", class: "link quote-toggle", "aria-expanded": "false", text: t("explain") });
  button.addEventListener("click", async () => {
    const open = box.hidden;
    box.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    button.textContent = open ? t("quote_hide") : t("explain");
    if (open && !box.childElementCount) {
      try {
        const explained = await api(`/api/explain/${encodeURIComponent(rule)}`);
        fill(box,
          explained.quote ? el("blockquote", {}, el("span", { class: "clause", text: explained.clause ?? "" }),
            ` ${explained.quote}`) : null,
          explained.text ? el("details", { open: !explained.quote }, el("summary", { text: t("explain_more") }),
            el("pre", { text: explained.text })) : null);
      } catch (error) {
        box.textContent = error.message;
      }
    }
  });
  return el("div", { class: "quote-wrap" }, button, box);
}

/** Mark the inputs that a failing finding names, for the eye and for screen readers. */
function markFields() {
  for (const node of document.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  for (const finding of findingsOf(state.report, state.errors)) {
    if (finding.status !== "fail") continue;
    const node = elementForPath(finding.field);
    node?.setAttribute("aria-invalid", "true");
  }
}

function goTo(path) {
  const node = elementForPath(path);
  if (!node) return;
  node.scrollIntoView({ block: "center", behavior: "smooth" });
  const focusable = node.matches("input, select, textarea, button") ? node : node.querySelector("input, select, textarea");
  (focusable ?? node).focus({ preventScroll: true });
  const wrap = node.closest(".field") ?? node;
  wrap.classList.remove("flash");
  void wrap.offsetWidth;
  wrap.classList.add("flash");
}

// ---- notes from an import ----

function renderNotes() {
  for (const list of document.querySelectorAll("ul.notes")) {
    list.replaceChildren();
    list.hidden = true;
  }
  const box = $("#import-notes");
  box.hidden = !state.notes.length;
  box.replaceChildren();
  if (!state.notes.length) return;
  box.append(el("h2", { text: t("import_notes") }), el("p", { text: t("imported") }));
  const list = el("ul");
  for (const note of state.notes) {
    const node = elementForPath(note.path);
    const beside = node?.closest(".field")?.querySelector("ul.notes");
    if (beside) {
      beside.hidden = false;
      beside.append(el("li", { text: note.message }));
    }
    list.append(el("li", {}, note.path && node
      ? el("button", { type: "button", class: "link", text: note.message, onclick: () => goTo(note.path) })
      : note.message));
  }
  box.append(list);
}

// ---- loading, creating, saving, importing, building ----

function loaded(body) {
  state.data = body.data ?? {};
  state.version = body.version;
  state.notes = [];
  setDirty(false);
  renderForm();
  scheduleCheck(null);
}

async function reload() {
  await showApplicant(await api("/api/applicant"));
}

/** The applicant file as the server has it: a choice of type when there is none, its error when it cannot
 * be read, else the form. At the start and on a reload alike. */
async function showApplicant(applicant) {
  if (!applicant.exists || applicant.error || !applicant.data) {
    $("#applicant-form").hidden = true;
    setDirty(false);
    if (applicant.exists) unreadable(applicant);
    else showCreate();
    return;
  }
  await loadAttachments();
  loaded(applicant);
}

function showCreate() {
  const box = $("#create-types");
  box.querySelectorAll(".choice").forEach((node) => node.remove());
  (state.form.types || []).forEach((type, index) => {
    const id = `type-${type.value}`;
    box.append(el("span", { class: "choice" },
      el("input", { type: "radio", name: "base_type", id, value: type.value, checked: index === 0 }),
      el("label", { for: id, text: type.label })));
  });
  $("#loading").hidden = true;
  $("#create").hidden = false;
}

async function create() {
  const chosen = $("#create-types input:checked")?.value;
  if (!chosen) return;
  try {
    const created = await api("/api/new", { method: "POST", json: { base_type: chosen } });
    state.form = await api(`/api/form?base_type=${encodeURIComponent(chosen)}`);
    await loadAttachments();
    loaded(created);
  } catch (error) {
    await tell(error.message);
  }
}

async function save() {
  if (!state.data) return false;
  try {
    const body = await api("/api/save", { method: "POST", json: { data: state.data, version: state.version } });
    state.version = body.version;
    setDirty(false);
    state.notes = [];
    renderNotes();
    $("#findings-state").textContent = t("saved");
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.code === "changed_on_disk") {
      const choice = await ask(error.message || t("changed_on_disk"),
        [{ label: t("reload_discard"), value: "reload" }, { label: t("cancel"), value: "cancel", primary: true }]);
      if (choice === "reload") await reload();
    } else {
      await tell(error.message);
    }
    return false;
  }
}

async function importWord(input) {
  const file = input.files?.[0];
  if (!file) return;
  const body = new FormData();
  body.append("file", file);
  try {
    const result = await api("/api/import", { method: "POST", form: body });
    if (result.base_type && result.base_type !== state.form.base_type) {
      state.form = await api(`/api/form?base_type=${encodeURIComponent(result.base_type)}`);
    }
    state.data = result.data ?? {};
    state.notes = result.notes || [];
    renderForm();
    setDirty(true);
    scheduleCheck(null);
    $("#import-notes").scrollIntoView({ block: "nearest" });
  } catch (error) {
    await tell(error.message);
  } finally {
    input.value = "";
  }
}

async function build() {
  if (state.dirty) {
    const choice = await ask(t("unsaved_build"),
      [{ label: t("save_then_build"), value: "save", primary: true }, { label: t("cancel"), value: "cancel" }]);
    if (choice !== "save" || !(await save())) return;
  }
  const box = $("#build-result");
  box.hidden = false;
  box.className = "";
  box.replaceChildren(el("p", { text: t("building") }));
  try {
    let result;
    try {
      result = await api("/api/build", { method: "POST", json: { replace: false } });
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "exists")) throw error;
      const replace = await ask(error.message || t("build_exists"),
        [{ label: t("replace"), value: true, primary: true }, { label: t("cancel"), value: false }]);
      if (!replace) { box.hidden = true; return; }
      result = await api("/api/build", { method: "POST", json: { replace: true } });
    }
    showBuild(result);
  } catch (error) {
    box.className = "error";
    box.replaceChildren(el("p", { text: error.message }));
  }
}

function showBuild(result) {
  const box = $("#build-result");
  box.className = result.draft ? "draft" : "final";
  const packetFirst = [...(result.files || [])].sort((a, b) => (b.name === "packet.pdf") - (a.name === "packet.pdf"));
  const files = packetFirst.map((file) => {
    const pdf = /\.pdf$/i.test(file.name);
    const link = el("a", { href: file.url, target: pdf ? "_blank" : null, rel: pdf ? "noopener" : null,
      download: pdf ? null : file.name, text: file.name });
    const pages = file.pages ? ` · ${file.pages} ${t("page_unit")}` : "";
    return el("li", { class: file.name === "packet.pdf" ? "packet" : null }, link, el("span", { class: "muted", text: `${file.purpose ? ` · ${file.purpose}` : ""}${pages}` }));
  });
  fill(box, el("h2", { text: t("built_files") }),
    result.draft ? el("p", { class: "draft-mark", text: t("draft") }) : null,
    result.verdict?.text ? el("p", { text: result.verdict.text }) : null,
    el("ul", { class: "built-files" }, files),
    result.notes?.length ? el("ul", { class: "build-notes" }, result.notes.map((note) =>
      el("li", { text: note }))) : null);
  box.scrollIntoView({ block: "nearest" });
}

// ---- start ----

/** applicant.yaml is there but not readable as YAML: say why, and offer nothing that would overwrite it. */
function unreadable(applicant) {
  const box = $("#loading");
  box.hidden = false;
  box.className = "unreadable";
  box.textContent = `${applicant.path ?? "applicant.yaml"}：${applicant.error ?? t("error")} ${t("fix_then_reload")}`;
  for (const id of ["#btn-save", "#btn-import", "#btn-build"]) $(id).disabled = true;
}

function applyChrome() {
  document.documentElement.lang = state.form.lang === "en" ? "en" : "zh-CN";
  document.title = t("title");
  $("#title").textContent = t("title");
  for (const node of document.querySelectorAll("[data-ui]")) node.textContent = t(node.dataset.ui);
}

async function start() {
  $("#loading").textContent = UI.zh.loading;
  $("#btn-save").addEventListener("click", save);
  $("#btn-import").addEventListener("click", () => $("#import-file").click());
  $("#import-file").addEventListener("change", (event) => importWord(event.target));
  $("#btn-build").addEventListener("click", build);
  $("#btn-create").addEventListener("click", create);
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      event.preventDefault();
      if (!$("#btn-save").disabled) save();
    }
  });
  try {
    state.form = await api("/api/form");
    applyChrome();
    renderVerdict();
    await showApplicant(await api("/api/applicant"));
  } catch (error) {
    $("#loading").textContent = error.message;
  }
}

start();

// The signing playground: builds a request, signs it here (PROTOCOL.md section 3) with Web Crypto
// and md5.js, sends it to this server, verifies the answer's sign, and asks /query/diagnose why a
// sign is wrong. The key is used only in this page: it is never sent anywhere.
"use strict";
(() => {
  const PREFIX = document.querySelector('meta[name="leopard-prefix"]').content;
  const DEMO = { mid: "100000510983456", key: "kx5hd8wq3mzt7rvn2cpb", orderNo: "M201611101010100002" };
  const TEXT = {
    zh: {
      title: "签名调试台", keyNote: "签名在浏览器中计算：密钥不会离开本页面。", endpoint: "接口",
      single: "单笔查询 /query/single", multi: "批量查询 /query/multi", brushcard: "刷卡订单查询 /query/brushcard",
      mid: "商户号 mid", key: "密钥 key", orderNo: "订单号 orderNo（批量用逗号分隔）", noise: "随机串 noise",
      newNoise: "换一个", signType: "签名类型 signType", signTypeNone: "不传（MD5）",
      extra: "其他参数（每行一个 name=value）", bodyKind: "请求格式", form: "表单", demo: "填入演示商户",
      send: "签名并发送", signing: "签名", stringSignTemp: "stringSignTemp（密钥已隐藏）", formBody: "请求（表单）",
      jsonBody: "请求（JSON）", answer: "应答", whyTitle: "为什么签名错误？",
      whyNote: "把您发送的请求原样贴在这里（表单或JSON）：服务器说明它构造的stringA、跳过的参数，以及最可能的错误做法。仅对开启调试的沙箱商户可用；不需要密钥。",
      diagKind: "请求格式", diagnose: "诊断签名", docs: "接口文档（OpenAPI）",
      verified: "✓ 验签通过：应答签名正确", notVerified: "✗ 应答签名不正确", brokenField: "✗ 应答签名不正确；去掉字段 {0} 后可通过",
      unsigned: "协议失败（不签名）：{0} — {1}", businessFail: "✓ 验签通过；业务结果 {0} — {1}", notJson: "应答不是JSON",
      needKey: "请填写密钥", noCrypto: "此页面不在安全上下文中（需HTTPS或localhost），浏览器不提供Web Crypto：仅MD5可用",
      sending: "发送中…", networkError: "请求失败：{0}", diagUnavailable: "无法诊断：{0} — {1}（诊断仅对开启调试的商户可用）",
      diagCorrect: "签名正确（{0}）", diagWrong: "签名错误：{0}", skipped: "跳过的参数", diagEmpty: "请先贴入请求"
    },
    en: {
      title: "Signing playground", keyNote: "Signs are computed in your browser: the key never leaves this page.",
      endpoint: "Endpoint", single: "Single order /query/single", multi: "Several orders /query/multi",
      brushcard: "Card-present order /query/brushcard", mid: "Merchant number mid", key: "Key",
      orderNo: "Order number orderNo (comma-separated for several)", noise: "Random string noise", newNoise: "New",
      signType: "Sign type signType", signTypeNone: "not sent (MD5)", extra: "Other parameters (one name=value a line)",
      bodyKind: "Body", form: "Form", demo: "Fill in the demo merchant", send: "Sign and send", signing: "Signature",
      stringSignTemp: "stringSignTemp (key masked)", formBody: "Request (form)", jsonBody: "Request (JSON)",
      answer: "Answer", whyTitle: "Why is my sign wrong?",
      whyNote: "Paste the request exactly as you sent it (form or JSON): the server shows the stringA it built, the parameters it skipped and the most likely wrong recipe. For sandbox merchants with debug on; no key needed.",
      diagKind: "Body", diagnose: "Diagnose", docs: "API reference (OpenAPI)",
      verified: "✓ verified: the answer's sign is right", notVerified: "✗ the answer's sign does not verify",
      brokenField: "✗ the answer's sign does not verify; it does without the field {0}",
      unsigned: "Protocol failure (unsigned): {0} — {1}", businessFail: "✓ verified; business result {0} — {1}",
      notJson: "The answer is not JSON", needKey: "Enter the key",
      noCrypto: "This page is not in a secure context (HTTPS or localhost), so the browser offers no Web Crypto: only MD5 works",
      sending: "Sending…", networkError: "The request failed: {0}",
      diagUnavailable: "No diagnosis: {0} — {1} (diagnosis is for merchants with debug on)",
      diagCorrect: "The sign is right ({0})", diagWrong: "Wrong sign: {0}", skipped: "Skipped parameters",
      diagEmpty: "Paste a request first"
    }
  };
  const $ = (id) => document.getElementById(id);
  let lang = (navigator.language || "zh").toLowerCase().startsWith("zh") ? "zh" : "en";
  let lastDiagnosis = null;
  const t = (name, ...args) => TEXT[lang][name].replace(/\{(\d)\}/g, (_, n) => String(args[Number(n)]));

  const said = new Map();
  /** Shows message {@code name} with {@code args} on {@code el} in the current language, and again after a language switch. */
  function say(el, state, name, ...args) {
    el.dataset.state = state;
    said.set(el, [name, args]);
    el.textContent = t(name, ...args);
  }

  function applyLanguage() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    $("lang").textContent = lang === "zh" ? "English" : "中文";
    document.title = t("title") + " · Leopard";
    said.forEach(([name, args], el) => { el.textContent = t(name, ...args); });
    if (lastDiagnosis) { showDiagnosis(lastDiagnosis); }
  }

  function randomNoise() {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
  }

  /** The parameters in the order the form shows them; extra lines as name=value. */
  function params() {
    const p = new Map();
    p.set("mid", $("mid").value);
    p.set("orderNo", $("orderNo").value);
    p.set("noise", $("noise").value);
    if ($("signType").value) { p.set("signType", $("signType").value); }
    $("extra").value.split("\n").filter((line) => line.length > 0).forEach((line) => {
      const eq = line.indexOf("=");
      p.set(eq < 0 ? line : line.slice(0, eq), eq < 0 ? "" : line.slice(eq + 1));
    });
    return p;
  }

  /** stringA: every field but sign with a value, sorted by name in code point order, name=value joined with &. */
  function stringA(fields) {
    const names = [...fields.keys()].filter((n) => n !== "sign" && fields.get(n) !== "" && fields.get(n) != null);
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return names.map((n) => n + "=" + fields.get(n)).join("&");
  }

  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();

  async function digest(text, key, type) {
    const bytes = new TextEncoder().encode(text);
    if (type === "MD5") { return hex(LeopardMd5.digest(bytes)); }
    if (!window.crypto || !crypto.subtle) { throw new Error(t("noCrypto")); }
    if (type === "HMAC-SHA256") {
      const k = await crypto.subtle.importKey("raw", new TextEncoder().encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      return hex(await crypto.subtle.sign("HMAC", k, bytes));
    }
    return hex(await crypto.subtle.digest(type === "SHA1" ? "SHA-1" : "SHA-256", bytes));
  }

  const signTypeOf = (value) => (value ? value.toUpperCase() : "MD5");
  const sign = (fields, key) => digest(stringA(fields) + "&" + key, key, signTypeOf(fields.get("signType")));

  const formOf = (fields) => [...fields].map(([n, v]) => encodeURIComponent(n) + "=" + encodeURIComponent(v)).join("&");
  const jsonOf = (fields) => JSON.stringify(Object.fromEntries(fields));
  const quote = (s) => "'" + s.replace(/'/g, "'\\''") + "'";
  const contentType = (kind) => (kind === "json" ? "application/json; charset=UTF-8" : "application/x-www-form-urlencoded; charset=UTF-8");

  /** A flat JSON object with every value as text: strings decoded, numbers as their literal (5230.00 stays 5230.00). */
  function parseFlat(text) {
    let i = 0;
    const fields = new Map();
    const space = () => { while (i < text.length && " \t\r\n".includes(text[i])) { i++; } };
    const expect = (c) => { space(); if (text[i] !== c) { throw new Error("expected " + c); } i++; };
    const string = () => {
      space();
      const start = i;
      if (text[i] !== '"') { throw new Error("expected a string"); }
      for (i++; text[i] !== '"'; i++) { if (i >= text.length) { throw new Error("unterminated"); } if (text[i] === "\\") { i++; } }
      i++;
      return JSON.parse(text.slice(start, i));
    };
    expect("{");
    space();
    if (text[i] === "}") { return fields; }
    for (;;) {
      const name = string();
      expect(":");
      space();
      let value;
      if (text[i] === '"') {
        value = string();
      } else {
        const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
        if (!m) { throw new Error("not a flat object"); }
        value = m[0];
        i += m[0].length;
      }
      fields.set(name, value);
      space();
      if (text[i] === ",") { i++; continue; }
      expect("}");
      return fields;
    }
  }

  async function verifyAnswer(raw, key, requestSignType) {
    const out = $("verification");
    let fields;
    try { fields = parseFlat(raw); } catch (e) { say(out, "error", "notJson"); return; }
    if (fields.get("code") !== "SUCCESS") {
      say(out, "failed", "unsigned", fields.get("errCode"), fields.get("msg"));
      return;
    }
    const type = fields.get("signType") || requestSignType;
    const check = async (f) => (await digest(stringA(f) + "&" + key, key, signTypeOf(type))) === String(f.get("sign")).toUpperCase();
    if (await check(fields)) {
      if (fields.get("resultCode") === "SUCCESS") {
        say(out, "verified", "verified");
      } else {
        say(out, "verified", "businessFail", fields.get("errCode"), fields.get("errCodeDes"));
      }
      return;
    }
    for (const name of fields.keys()) {
      if (name === "sign") { continue; }
      const without = new Map(fields);
      without.delete(name);
      if (await check(without)) { say(out, "failed", "brokenField", name); return; }
    }
    say(out, "failed", "notVerified");
  }

  async function signAndSend(event) {
    event.preventDefault();
    const key = $("key").value;
    const out = $("verification");
    if (!key) { say(out, "error", "needKey"); return; }
    const fields = params();
    const type = fields.get("signType");
    let signature;
    try { signature = await sign(fields, key); } catch (e) { said.delete(out); out.dataset.state = "error"; out.textContent = e.message; return; }
    fields.set("sign", signature);
    const kind = $("bodyKind").value;
    const body = kind === "json" ? jsonOf(fields) : formOf(fields);
    const url = location.origin + PREFIX + $("endpoint").value;
    $("stringA").textContent = stringA(fields);
    $("stringSignTemp").textContent = stringA(fields) + "&" + "*".repeat(8);
    $("sign").textContent = signature;
    $("formBody").textContent = formOf(fields);
    $("jsonBody").textContent = jsonOf(fields);
    $("curl").textContent = "curl -s -X POST " + quote(url) + " -H " + quote("Content-Type: " + contentType(kind)) + " --data-raw " + quote(body);
    $("diagKind").value = kind;
    $("diagRequest").value = body;
    say(out, "sending", "sending");
    $("answer").textContent = "";
    try {
      const response = await fetch(url, { method: "POST", headers: { "Content-Type": contentType(kind) }, body });
      const raw = await response.text();
      $("answer").textContent = "HTTP " + response.status + "\n" + raw;
      await verifyAnswer(raw, key, type);
    } catch (e) {
      say(out, "error", "networkError", e.message);
    }
  }

  function showDiagnosis(fields) {
    const verdict = $("diagVerdict");
    if (fields.get("code") !== "SUCCESS") {
      say(verdict, "error", "diagUnavailable", fields.get("errCode"), fields.get("msg"));
      $("diagResult").textContent = "";
      return;
    }
    const hint = lang === "zh" ? fields.get("hint") : fields.get("hintEn");
    const ok = fields.get("verified") === "true";
    said.delete(verdict);
    verdict.dataset.state = ok ? "correct" : "wrong";
    verdict.dataset.recipe = fields.get("recipe");
    verdict.textContent = (ok ? t("diagCorrect", fields.get("recipe")) : t("diagWrong", fields.get("recipe"))) + " — " + hint;
    $("diagResult").textContent = "stringA: " + (fields.get("stringA") || "") + "\nstringSignTemp: " + (fields.get("stringSignTemp") || "")
      + "\n" + t("skipped") + ": " + (fields.get("skipped") || "—");
  }

  async function diagnose() {
    const body = $("diagRequest").value;
    const verdict = $("diagVerdict");
    lastDiagnosis = null;
    verdict.dataset.recipe = "";
    if (!body) { say(verdict, "error", "diagEmpty"); return; }
    say(verdict, "sending", "sending");
    try {
      const response = await fetch(location.origin + PREFIX + "/query/diagnose",
        { method: "POST", headers: { "Content-Type": contentType($("diagKind").value) }, body });
      const raw = await response.text();
      try {
        lastDiagnosis = parseFlat(raw);
      } catch (e) {
        lastDiagnosis = null;
        say(verdict, "error", "notJson");
        return;
      }
      showDiagnosis(lastDiagnosis);
    } catch (e) {
      say(verdict, "error", "networkError", e.message);
    }
  }

  $("lang").addEventListener("click", () => { lang = lang === "zh" ? "en" : "zh"; applyLanguage(); });
  $("newNoise").addEventListener("click", () => { $("noise").value = randomNoise(); });
  $("demo").addEventListener("click", () => {
    $("mid").value = DEMO.mid;
    $("key").value = DEMO.key;
    $("orderNo").value = DEMO.orderNo;
    $("endpoint").value = "/query/single";
  });
  $("request").addEventListener("submit", signAndSend);
  $("diagnose").addEventListener("click", diagnose);
  $("noise").value = randomNoise();
  applyLanguage();
})();

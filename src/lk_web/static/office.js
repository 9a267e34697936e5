// The announcement editor's live SMS preview; the «Предпросмотр» button does the same
// on the server without this file. Mirrors lk_core/announcements (message.py, sms_length.py).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("announcement-form");
  if (!form) return;
  const GSM = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  const EXT = "^{}\\[~]|€\f";
  const LABELS = { news: "новость", planned_outage: "плановое отключение", emergency: "авария" };
  const ddmm = (iso) => { const p = iso.split("-"); return p.length === 3 ? `${p[2]}.${p[1]}` : ""; };
  const words = (s) => s.split(/\s+/).filter(Boolean).join(" ");
  const today = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  const todayIso = `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`;
  function length(text) {
    const chars = Array.from(text);
    if (chars.every((c) => GSM.includes(c) || EXT.includes(c))) {
      const units = chars.reduce((n, c) => n + (EXT.includes(c) ? 2 : 1), 0);
      return units <= 160 ? [units, units ? 1 : 0, 160, false] : [units, Math.ceil(units / 153), 153, false];
    }
    const units = text.length;  // UTF-16 code units, as UCS-2 counts them
    return units <= 70 ? [units, units ? 1 : 0, 70, true] : [units, Math.ceil(units / 67), 67, true];
  }
  function update() {
    const data = new FormData(form);
    const kind = LABELS[data.get("kind")] ? data.get("kind") : "news";
    const title = words(String(data.get("title") || ""));
    let head = title.replace(/\.+$/, "");
    const starts = String(data.get("starts_on") || "") || todayIso;
    const ends = String(data.get("ends_on") || "") || starts;
    const label = LABELS[kind].charAt(0).toUpperCase() + LABELS[kind].slice(1);
    if (kind !== "news") {
      const dates = ends === starts ? ddmm(starts) : `${ddmm(starts)}–${ddmm(ends)}`;
      head = `${label} ${dates}: ${head}`;
    }
    const body = String(data.get("text") || "").replace(/\r\n/g, "\n").trim();
    const text = body ? `${head}. ${body}` : `${head}.`;
    const [units, segments, per, unicode] = length(text);
    document.getElementById("sms-text").textContent = text;
    document.getElementById("sms-length").textContent =
      `${units} знаков · ${segments} SMS (${per} знаков в SMS${unicode ? ", кириллица" : ""})`;
    document.getElementById("sms-subject").textContent = kind === "news" ? title : `${label}: ${title}`;
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
});

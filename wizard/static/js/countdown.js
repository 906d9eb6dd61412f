// Keeps the deadline countdown live from the server's time (SPEC §3): the device clock is never read,
// only how long this page has been open (performance.now), added to the server's "now" sent with the page.
(function () {
  "use strict";
  var box = document.querySelector("[data-countdown]");
  if (!box || box.dataset.phase !== "open") return;  // upcoming and closed pages are already right
  var MINUTE = 60000, DAY = 1440 * MINUTE, TONES = ["calm", "soon", "urgent", "closed"];
  var loadedAt = performance.now();
  var serverNow = Number(box.dataset.serverNowMs), deadline = Number(box.dataset.deadlineMs);
  var live = box.querySelector("[data-countdown-text]");
  var persian = document.documentElement.lang === "fa";

  function digits(n) {
    var text = String(n);
    return persian ? text.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x6f0 + Number(d)); }) : text;
  }

  function left() { return deadline - (serverNow + performance.now() - loadedAt); }

  // The deadline instant itself is still open, as on the server (rules/countdown.py).
  function tone(ms) { return ms < 0 ? "closed" : ms <= DAY ? "urgent" : ms <= 3 * DAY ? "soon" : "calm"; }

  function setTone(name) {
    TONES.forEach(function (t) { box.classList.toggle("tone-" + t, t === name); });
  }

  function setUnit(unit, n) {
    var el = live.querySelector('[data-unit="' + unit + '"]'), text = digits(n);
    if (el && el.textContent !== text) el.textContent = text;  // untouched text is not re-announced
  }

  function lock(area) {
    var notice = document.createElement("p");
    var hadFocus = area.contains(document.activeElement);
    notice.className = "notice notice-error";
    notice.tabIndex = -1;
    notice.textContent = box.dataset.closedNotice;
    area.querySelectorAll("input, select, textarea, button, fieldset").forEach(function (el) { el.disabled = true; });
    if ("disabled" in area) area.disabled = true;  // the marked element may itself be a button or fieldset
    area.setAttribute("aria-disabled", "true");
    area.before(notice);
    if (hadFocus) notice.focus();  // focus would otherwise fall to the page's start
  }

  function close() {
    setTone("closed");
    live.textContent = box.dataset.closedText;
    document.querySelectorAll("[data-window-write]").forEach(lock);
  }

  function tick() {
    var ms = left(), minutes = Math.floor(ms / MINUTE);
    if (ms < 0) return close();
    setTone(tone(ms));
    setUnit("days", Math.floor(minutes / 1440));
    setUnit("hours", Math.floor(minutes / 60) % 24);
    setUnit("minutes", minutes % 60);
    setTimeout(tick, ms % MINUTE + 1);  // just past the next minute boundary (or the deadline)
  }

  tick();
})();

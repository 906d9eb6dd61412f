// The session-timeout warning: two minutes before the idle timeout a modal dialog offers to stay signed in.
// Escape counts as "stay signed in" (pressing a key shows the user is there); after a failure it just closes.
(function () {
  "use strict";
  var dialog = document.getElementById("session-dialog");
  var idle = Number(document.body.dataset.idleSeconds) * 1000;
  if (!dialog || !idle) return;
  var WARN = 120000;
  // The server stamps its idle clock at most once a minute: it started (idle - left) before this page.
  var left = Number(document.body.dataset.idleLeft) * 1000;
  var started = performance.now() - (idle - left), timer = null, busy = false, failed = false;
  var stay = dialog.querySelector("[data-session-stay]"), closer = dialog.querySelector("[data-session-close]");
  var persian = document.documentElement.lang === "fa";

  function digits(text) {
    return persian ? text.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x6f0 + Number(d)); }) : text;
  }

  function show(selector, visible) {
    dialog.querySelectorAll(selector).forEach(function (el) { el.hidden = !visible; });
  }

  function mirrorDeadline() {
    var source = document.querySelector("[data-countdown-text]"), mirror = dialog.querySelector("[data-countdown-mirror]");
    if (!source) return;
    mirror.textContent = source.textContent.replace(/\s+/g, " ").trim();
    mirror.hidden = false;
  }

  // Runs at the warning time, then once a second while the dialog shows the session's last two minutes.
  function tick() {
    var ms = idle - (performance.now() - started), seconds = Math.ceil(ms / 1000);
    clearTimeout(timer);
    if (ms > WARN) { timer = setTimeout(tick, ms - WARN); return; }
    if (ms <= 0) return fail();
    dialog.querySelector("[data-session-left]").textContent =
      digits(Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0"));
    mirrorDeadline();
    if (!dialog.open) { dialog.showModal(); stay.focus(); }
    timer = setTimeout(tick, ms % 1000 || 1000);
  }

  function fail() {
    clearTimeout(timer);
    failed = true;
    show("[data-session-warning]", false);
    show("[data-session-expired]", true);
    stay.hidden = true;
    closer.hidden = false;
    if (!dialog.open) dialog.showModal();
    closer.focus();
  }

  function useToken(token) {
    document.querySelector('meta[name="csrf-token"]').content = token;
    document.querySelectorAll('input[name="csrf_token"]').forEach(function (input) { input.value = token; });
  }

  function keepAlive() {
    if (busy || failed) return;
    busy = true;
    var sentAt = performance.now();  // the server restarts its idle timer at or after this instant
    // redirect: manual, so an ended session's redirect to the sign-in page counts as a failure
    // and leaves its "session ended" message for the next page instead of spending it here.
    fetch(document.body.dataset.keepaliveUrl, {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: {"X-CSRFToken": document.querySelector('meta[name="csrf-token"]').content, "Accept": "application/json"}
    }).then(function (response) {
      if (!response.ok) throw new Error("keep-alive refused: " + response.status);
      return response.json();
    }).then(function (data) {
      useToken(data.csrf_token);
      started = sentAt;
      dialog.close();
      tick();
    }).catch(fail).finally(function () { busy = false; });
  }

  // The browser's modal makes the page inert but lets Tab leave for its own toolbar; wrap instead.
  function wrapTab(event) {
    if (event.key !== "Tab") return;
    var buttons = [].filter.call(dialog.querySelectorAll("button"), function (b) { return !b.hidden; });
    var edge = event.shiftKey ? buttons[0] : buttons[buttons.length - 1];
    if (document.activeElement === edge || !dialog.contains(document.activeElement)) {
      event.preventDefault();
      (event.shiftKey ? buttons[buttons.length - 1] : buttons[0]).focus();
    }
  }

  stay.addEventListener("click", keepAlive);
  dialog.addEventListener("keydown", wrapTab);
  closer.addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("cancel", function (event) {
    if (failed) return;
    event.preventDefault();
    keepAlive();
  });
  tick();
})();

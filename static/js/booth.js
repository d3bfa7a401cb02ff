/* The booth tablet on bad Wi-Fi: every write (a form with data-retry) is sent with fetch; when it
   fails the page says "Not saved" and keeps retrying with the same nonce (so nothing is made twice)
   until the server has it. What is typed into a form with data-draft is kept in localStorage until
   it is saved, so a reload or a dead battery loses nothing. Without JavaScript the forms post as usual. */
(function () {
  "use strict";

  var RETRY_MAX_MS = 30000;

  function statusBox() { return document.getElementById("save-status"); }

  function say(text, kind, withRetryButton, onRetry) {
    var box = statusBox();
    if (!box) return;
    box.hidden = !text;
    box.className = "save-status" + (kind ? " save-status--" + kind : "");
    box.textContent = text || "";
    if (withRetryButton) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--secondary";
      button.textContent = "Retry now";
      button.addEventListener("click", onRetry);
      box.appendChild(document.createTextNode(" "));
      box.appendChild(button);
    }
  }

  // --- Drafts ---------------------------------------------------------------------------------
  function draftKey(form) { return "hireday-booth-draft:" + form.getAttribute("data-draft"); }

  function saveDraft(form) {
    if (!form.hasAttribute("data-draft")) return;
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") return;
      if (el.type === "checkbox" || el.type === "radio") { data[el.name + "=" + el.value] = el.checked; }
      else { data[el.name] = el.value; }
    });
    data.__chosen = form.getAttribute("data-chosen") || "";
    try { localStorage.setItem(draftKey(form), JSON.stringify(data)); } catch (e) { /* private mode: no drafts */ }
  }

  function restoreDraft(form) {
    var raw = null;
    try { raw = localStorage.getItem(draftKey(form)); } catch (e) { return; }
    if (!raw) return;
    var data;
    try { data = JSON.parse(raw); } catch (e) { return; }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") return;
      if (el.type === "checkbox" || el.type === "radio") {
        var key = el.name + "=" + el.value;
        if (key in data) el.checked = data[key];
      } else if (el.name in data) {
        el.value = data[el.name];
      }
    });
    if (data.__chosen) reveal(form, data.__chosen);
    var note = document.getElementById("draft-restored");
    if (note) note.hidden = false;
  }

  function clearDraft(form) {
    if (!form.hasAttribute("data-draft")) return;
    try { localStorage.removeItem(draftKey(form)); } catch (e) { /* nothing kept */ }
  }

  // --- Outcomes that need details: show their fields without a round trip ---------------------
  function reveal(form, outcome) {
    form.setAttribute("data-chosen", outcome);
    form.querySelectorAll("[data-details]").forEach(function (section) {
      section.hidden = section.getAttribute("data-details").split(" ").indexOf(outcome) < 0;
    });
    form.querySelectorAll("[data-save], [data-title]").forEach(function (el) {
      el.hidden = (el.getAttribute("data-save") || el.getAttribute("data-title")) !== outcome;
    });
    form.querySelectorAll("[data-only]").forEach(function (el) {
      el.hidden = el.getAttribute("data-only").split(" ").indexOf(outcome) < 0;
    });
    form.querySelectorAll("[data-reveal]").forEach(function (button) {
      button.setAttribute("aria-expanded", button.value === outcome ? "true" : "false");
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-reveal]");
    if (!button || !button.form) return;
    event.preventDefault();
    reveal(button.form, button.value);
    saveDraft(button.form);
    var section = button.form.querySelector("[data-details]:not([hidden])");
    var first = section && section.querySelector("select, input:not([type=hidden]), textarea");
    if (first) first.focus();
  });

  document.addEventListener("input", function (event) {
    if (event.target.form) saveDraft(event.target.form);
  });
  document.addEventListener("change", function (event) {
    if (event.target.form) saveDraft(event.target.form);
  });

  // --- Writes with retry ------------------------------------------------------------------------
  // Each tap gets the tablet's own sequence number (its clock in ms, never going back). A save
  // that waits for the network carries the newest tap on that form, and the server keeps an older
  // tap from overwriting a newer one, so "Not selected" then "No-show" offline saves "No-show".
  var lastSeq = 0;
  function nextSeq() {
    var stored = 0;
    try { stored = parseInt(localStorage.getItem("hireday-booth-seq") || "0", 10) || 0; } catch (e) { /* none */ }
    lastSeq = Math.max(Date.now(), lastSeq + 1, stored + 1);
    try { localStorage.setItem("hireday-booth-seq", String(lastSeq)); } catch (e) { /* private mode */ }
    return lastSeq;
  }

  function carry(form, name, value) {
    var input = form.querySelector("input[type=hidden][name='" + name + "'][data-carried]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden"; input.name = name; input.setAttribute("data-carried", "");
      form.appendChild(input);
    }
    input.value = value;
  }

  function send(form, attempt) {
    var tap = form._tap;
    if (form.querySelector("input[name=seq]")) form.querySelector("input[name=seq]").value = tap.seq;
    var body = new FormData(form);
    if (tap.submitter && tap.submitter.name) body.append(tap.submitter.name, tap.submitter.value);
    form.setAttribute("data-busy", "1");
    form._timer = null;
    say("Saving…", "saving");
    fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (response.status >= 500 || response.status === 408 || response.status === 429) throw new Error("server");
      if (response.ok) {
        return response.json().then(function (answer) {
          if (form._tap !== tap) { send(form, 0); return; }  // tapped again meanwhile: save that too
          clearDraft(form);
          say("Saved.", "ok");
          window.location.assign(answer.redirect);
        });
      }
      // The server wants something fixed (or the form expired): let it show the page. The same
      // nonce goes again, so nothing is made twice; what was typed is still in the draft.
      form.removeAttribute("data-retry");
      form.removeAttribute("data-busy");
      if (tap.submitter && tap.submitter.name) carry(form, tap.submitter.name, tap.submitter.value);
      HTMLFormElement.prototype.submit.call(form);
    }).catch(function () {
      var wait = Math.min(RETRY_MAX_MS, 2000 * Math.pow(2, attempt));
      form._timer = setTimeout(function () { send(form, attempt + 1); }, wait);
      say("Not saved — no connection. Retrying in " + Math.round(wait / 1000) + " s; nothing you typed is lost.",
          "error", true, function () { clearTimeout(form._timer); send(form, attempt + 1); });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-retry") || !window.fetch) return;
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-reveal")) return;
    event.preventDefault();
    form._tap = { submitter: submitter, seq: nextSeq() };
    if (form.getAttribute("data-busy")) {
      // A save is waiting: it now carries this newer tap. One waiting for a retry goes at once;
      // one on the wire sends this tap when its answer comes back.
      if (form._timer) { clearTimeout(form._timer); send(form, 0); }
      return;
    }
    send(form, 0);
  });

  // --- Camera: a badge's QR code read by the tablet's camera goes into the search box ------------
  function setUpCamera() {
    var toggle = document.getElementById("booth-camera-toggle");
    var video = document.getElementById("booth-camera-view");
    if (!toggle || !window.QrScanner || !navigator.mediaDevices) return;
    var scanner = null;
    toggle.hidden = false;

    function stop() {
      if (scanner) { scanner.stop(); scanner.destroy(); scanner = null; }
      video.hidden = true;
      toggle.textContent = "Scan a badge with the camera";
    }

    toggle.addEventListener("click", function () {
      if (scanner) { stop(); return; }
      video.hidden = false;
      toggle.textContent = "Stop the camera";
      scanner = new window.QrScanner(video, function (found) {
        var input = document.getElementById("find");
        if (navigator.vibrate) navigator.vibrate(60);
        input.value = found.data;
        stop();
        input.form.submit();
      }, { returnDetailedScanResult: true, preferredCamera: "environment", maxScansPerSecond: 8 });
      scanner.start().catch(function () {
        stop();
        say("The camera did not start. Allow camera access for this site, or type the name.", "error");
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-draft]").forEach(restoreDraft);
    setUpCamera();
  });
})();

/* The door scanner: handheld-scanner and camera input, results at arm's length, and offline mode.
 *
 * Every scan gets a nonce made here. Online, it is posted to the server (which logs it and
 * answers). When the network is down (or the server does not answer in time) the scan is checked
 * against the roster kept in IndexedDB (badge-code hashes, first name + last initial), the answer
 * is shown at once, and the scan waits in an IndexedDB queue with its nonce and scan time until
 * it can be uploaded in a batch. A retried upload carries the same nonces, so nothing is doubled.
 */
(function () {
  "use strict";

  const root = document.getElementById("door-scanner");
  if (!root) return;

  const cfg = root.dataset;
  const form = document.getElementById("scan-form");
  const codeInput = form.querySelector("[name=code]");
  const csrfToken = form.querySelector("[name=csrf_token]").value;
  const resultBox = () => document.getElementById("scan-result");
  const ONLINE_TIMEOUT_MS = 4000;
  const timeFormat = new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit", timeZone: cfg.timezone });

  // --- Small helpers ---------------------------------------------------------------------------

  function newNonce() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function badgeCodeFrom(scanned) {
    let text = (scanned || "").trim();
    const at = text.lastIndexOf("/b/");
    if (at >= 0) text = text.slice(at + 3).split(/[/?#\s]/)[0];
    return text;
  }

  async function sha256Hex(text) {
    if (!(window.crypto && crypto.subtle)) return null; // plain http on a LAN address: no hashing
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function at(iso) {
    return iso ? timeFormat.format(new Date(iso)) : "";
  }

  // --- IndexedDB: the roster and the queue -------------------------------------------------------

  const DB_NAME = "hireday-door";
  let dbPromise = null;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = () => {
          const db = request.result;
          db.createObjectStore("queue", { keyPath: "nonce" });
          db.createObjectStore("roster", { keyPath: "event" });
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return dbPromise;
  }

  async function store(name, mode, work) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(name, mode);
      const result = work(tx.objectStore(name));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  const queue = {
    add: (item) => store("queue", "readwrite", (s) => s.put(item)),
    all: () => store("queue", "readonly", (s) => s.getAll()),
    remove: (nonces) => store("queue", "readwrite", (s) => nonces.forEach((n) => s.delete(n))),
    clear: () => store("queue", "readwrite", (s) => s.clear()),
  };

  let roster = new Map(); // code hash -> {n, s, c}
  let rosterMeta = null;

  async function loadRosterFromDb() {
    const saved = await store("roster", "readonly", (s) => s.get(cfg.event));
    if (saved && saved.identity === cfg.identity) {
      roster = new Map(saved.people.map((p) => [p.h, p]));
      rosterMeta = saved;
    } else if (saved) {
      await store("roster", "readwrite", (s) => s.delete(cfg.event)); // another person's device
    }
    showRosterState();
  }

  async function downloadRoster() {
    try {
      const response = await fetch(cfg.rosterUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      const body = await response.json();
      const saved = { event: cfg.event, identity: cfg.identity, generated_at: body.generated_at, people: body.people };
      await store("roster", "readwrite", (s) => s.put(saved));
      roster = new Map(body.people.map((p) => [p.h, p]));
      rosterMeta = saved;
      // Scans still waiting to upload are not in the server's roster yet: keep them marked.
      for (const item of await queue.all()) markLocally(item);
      showRosterState();
    } catch (error) {
      /* offline: keep the roster we have */
    }
  }

  function showRosterState() {
    const node = document.getElementById("roster-state");
    if (!node) return;
    node.textContent = rosterMeta
      ? `Offline list ready: ${roster.size.toLocaleString("en-US")} people (${at(rosterMeta.generated_at)})`
      : "Offline list not loaded";
    root.dataset.rosterReady = rosterMeta ? "true" : "false";
  }

  async function markLocally(item) {
    const hash = item.hash || (await sha256Hex(badgeCodeFrom(item.code)));
    const person = hash && roster.get(hash);
    if (person && item.kind === "entry" && !person.c) person.c = item.scanned_at;
  }

  // --- Showing an answer -------------------------------------------------------------------------

  function show(tone, headline, detail, extra) {
    const box = resultBox();
    box.className = `scan-result scan-result--${tone}`;
    box.replaceChildren(el("p", "scan-result__headline", headline));
    if (detail) box.appendChild(el("p", "scan-result__detail", detail));
    if (extra) box.appendChild(extra);
    box.dataset.tone = tone;
  }

  function interviews(n) {
    if (!n) return "No interviews booked";
    return n === 1 ? "1 interview booked today" : `${n} interviews booked today`;
  }

  function undoButton(answer) {
    if (!answer.checkin_id || !["checked_in", "checked_out"].includes(answer.status) || answer.replayed) return null;
    const button = el("button", "button button--secondary scan-result__undo", "Undo this scan");
    button.type = "button";
    button.addEventListener("click", async () => {
      button.disabled = true;
      const body = new FormData();
      body.append("csrf_token", csrfToken);
      body.append("nonce", newNonce());
      const url = cfg.undoUrl.replace("/0/undo", `/${answer.checkin_id}/undo`);
      try {
        const response = await fetch(url, { method: "POST", body, headers: { Accept: "application/json" } });
        show(response.ok ? "idle" : "bad", response.ok ? "Scan undone" : "Could not undo that scan", "Ready for the next scan.");
      } catch (error) {
        show("bad", "Could not undo that scan", "No connection. Try again when online.");
      }
      focusCode();
    });
    return button;
  }

  function showAnswer(answer) {
    const person = answer.registration ? answer.registration.name : "";
    switch (answer.status) {
      case "checked_in": {
        return show("ok", `Checked in — ${person}`, interviews(answer.registration && answer.registration.interviews_booked), undoButton(answer));
      }
      case "already_checked_in": {
        const where = answer.first_checked_in_by ? ` (${answer.first_checked_in_by})` : "";
        return show("warn", `Already checked in at ${at(answer.first_checked_in_at)}${where}`, person);
      }
      case "checked_out":
        return show("ok", `Checked out — ${person}`, "Scan them again when they come back in.", undoButton(answer));
      case "not_checked_in":
        return show("bad", `Not checked in — ${person}`, "Nothing to check out: scan them in first.");
      case "cancelled":
        return show("bad", "Registration cancelled", `${person} cancelled. Register them as a walk-in if there is room.`);
      case "waitlisted":
        return show("bad", "On the waitlist — not admitted", `${person} has no place yet. Staff can admit them: search their name and choose “Admit from waitlist”.`);
      case "wrong_event":
        return show("bad", "Not registered for this event", "This badge is for another event. Register them as a walk-in.");
      case "unknown_code":
        return show("bad", "Unknown badge", "No registration has this code. Search by name, or register a walk-in.");
      default:
        return show("bad", "Could not check that scan", answer.message || "Try again.");
    }
  }

  async function showOffline(item) {
    const hash = await sha256Hex(badgeCodeFrom(item.code));
    item.hash = hash;
    const person = hash && roster.get(hash);
    const saved = "Saved on this device; it uploads when the connection returns.";
    if (!person) {
      return show("bad", "Not on the offline list", `Unknown badge, or registered after the list was loaded. ${saved}`);
    }
    if (person.s === "cancelled") return show("bad", "Registration cancelled", `${person.n} cancelled. ${saved}`);
    if (person.s === "waitlisted" && item.kind !== "exit") {
      return show("bad", "On the waitlist — not admitted", `${person.n} has no place yet. Ask staff. ${saved}`);
    }
    if (item.kind === "exit") {
      return show("ok", `Checked out (offline) — ${person.n}`, saved);
    }
    if (person.c) return show("warn", `Already checked in at ${at(person.c)}`, `${person.n} · ${saved}`);
    person.c = item.scanned_at;
    return show("ok", `Checked in (offline) — ${person.n}`, saved);
  }

  // --- Scanning ----------------------------------------------------------------------------------

  function focusCode() {
    codeInput.value = "";
    codeInput.focus({ preventScroll: true });
  }

  async function postScan(item) {
    const body = new FormData();
    body.append("csrf_token", csrfToken);
    body.append("code", item.code);
    body.append("nonce", item.nonce);
    body.append("kind", item.kind);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ONLINE_TIMEOUT_MS);
    try {
      const response = await fetch(cfg.scanUrl, {
        method: "POST", body, signal: controller.signal, credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.status >= 500 || response.status === 429) return null; // keep it for later
      if (response.redirected && new URL(response.url).pathname === "/login") {
        signedOut = true; // the session ended: keep the scan until they sign in again
        return null;
      }
      const type = response.headers.get("Content-Type") || "";
      if (!type.includes("application/json")) return null; // something in between: keep it
      const answer = await response.json();
      if (answer.error === "csrf_failed") {
        signedOut = true; // signed in again in another tab: this page's token is stale
        return null;
      }
      return answer;
    } finally {
      clearTimeout(timer);
    }
  }

  let busy = Promise.resolve();
  let signedOut = false;

  function showSignedOut() {
    const link = el("a", "button button--secondary", "Sign in again");
    link.href = `/login?next=${encodeURIComponent(window.location.pathname)}`;
    show("bad", "Signed out — sign in again", "This scan is saved on this device and uploads after you sign in.", link);
  }

  function scan(code, kind) {
    const item = {
      code: code.trim(), nonce: newNonce(), kind: kind || "entry",
      scanned_at: new Date().toISOString(), event: cfg.event,
    };
    if (!item.code) return;
    // One scan at a time, in order, so a handheld scanner's quick second scan sees the first.
    busy = busy.then(() => handle(item)).catch(() => undefined);
    return busy;
  }

  async function handle(item) {
    root.dataset.busy = "true";
    let answer = null;
    if (navigator.onLine) {
      try {
        answer = await postScan(item);
      } catch (error) {
        answer = null; // network error or timeout
      }
    }
    if (answer) {
      showAnswer(answer);
      markLocally(item);
    } else {
      await queue.add(item);
      if (signedOut) showSignedOut();
      else await showOffline(item);
      await showQueueState();
    }
    root.dataset.busy = "false";
    root.dataset.scans = String(Number(root.dataset.scans || 0) + 1);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const kind = (form.querySelector("[name=kind]:checked") || {}).value;
    const code = codeInput.value;
    focusCode();
    scan(code, kind);
  });

  // Search results: "Check in" buttons go through the same path (offline too).
  document.addEventListener("submit", (event) => {
    const target = event.target;
    if (target === form || !target.classList || !target.classList.contains("js-scan")) return;
    event.preventDefault();
    scan(target.querySelector("[name=code]").value, "entry");
    focusCode();
  });

  // The button says what a scan will do.
  const submitButton = form.querySelector("button[type=submit]");
  form.querySelectorAll("[name=kind]").forEach((radio) => radio.addEventListener("change", () => {
    submitButton.textContent = radio.value === "exit" && radio.checked ? "Check out" : "Check in";
    focusCode();
  }));

  // The field keeps focus for handheld scanners, unless the volunteer is using another control.
  codeInput.addEventListener("blur", () => {
    setTimeout(() => {
      const active = document.activeElement;
      if (!active || active === document.body) codeInput.focus({ preventScroll: true });
    }, 150);
  });

  // --- Uploading the queue -----------------------------------------------------------------------

  async function showQueueState() {
    const waiting = (await queue.all()).length;
    const node = document.getElementById("queue-state");
    node.textContent = waiting === 1 ? "1 scan waiting to upload" : `${waiting} scans waiting to upload`;
    root.dataset.queued = String(waiting);
    return waiting;
  }

  function showConnection() {
    const online = navigator.onLine;
    document.getElementById("connection-state").textContent = online ? "Online" : "Offline";
    root.dataset.online = online ? "true" : "false";
  }

  let syncing = null;

  function sync() {
    if (!syncing) syncing = doSync().finally(() => { syncing = null; });
    return syncing;
  }

  async function doSync() {
    const items = await queue.all();
    if (!items.length || !navigator.onLine) return showQueueState();
    const scans = items.slice(0, 500).map((i) => ({ code: i.code, nonce: i.nonce, scanned_at: i.scanned_at, kind: i.kind, offline: true }));
    try {
      const response = await fetch(cfg.batchUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
        body: JSON.stringify({ scans }),
      });
      const type = response.headers.get("Content-Type") || "";
      if (response.ok && type.includes("application/json")) {
        const body = await response.json();
        // Every answered scan is in the server's log (or can never be: malformed); drop them all.
        await queue.remove(body.results.map((r) => r.nonce).filter(Boolean));
        const duplicates = body.results.filter((r) => r.duplicate).length;
        if (duplicates) root.dataset.duplicates = String(duplicates);
        downloadRoster();
      }
    } catch (error) {
      /* still offline */
    }
    const left = await showQueueState();
    if (left && navigator.onLine && items.length > 500) return doSync();
    return left;
  }

  window.addEventListener("online", () => { showConnection(); sync(); });
  window.addEventListener("offline", showConnection);
  setInterval(() => { if (navigator.onLine) sync(); }, 15000);
  setInterval(() => { if (navigator.onLine) downloadRoster(); }, 5 * 60 * 1000);

  // --- Signing out: upload what we can, then forget the roster and the queue ---------------------

  async function forgetEverything() {
    await store("roster", "readwrite", (s) => s.clear());
    await queue.clear();
    if (window.caches) for (const key of await caches.keys()) await caches.delete(key);
  }

  document.querySelectorAll('form[action$="/logout"], form.js-signout').forEach((signOut) => {
    signOut.addEventListener("submit", async (event) => {
      if (signOut.dataset.cleared) return;
      event.preventDefault();
      const left = await sync();
      if (left && !window.confirm(`${left} scans could not be uploaded (no connection). Sign out anyway and lose them?`)) return;
      await forgetEverything();
      signOut.dataset.cleared = "true";
      signOut.submit();
    });
  });

  // --- Camera ------------------------------------------------------------------------------------

  function setUpCamera() {
    const toggle = document.getElementById("camera-toggle");
    const video = document.getElementById("camera-view");
    if (!toggle || !window.QrScanner || !navigator.mediaDevices) return;
    toggle.hidden = false;
    let scanner = null;
    let lastCode = "";
    let lastAt = 0;

    toggle.addEventListener("click", async () => {
      if (scanner) {
        scanner.stop();
        scanner.destroy();
        scanner = null;
        video.hidden = true;
        toggle.textContent = "Scan with the camera";
        focusCode();
        return;
      }
      video.hidden = false;
      toggle.textContent = "Stop the camera";
      scanner = new QrScanner(video, (found) => {
        const now = Date.now();
        // The same badge held in front of the camera reads many times a second: once is enough.
        if (found.data === lastCode && now - lastAt < 3000) return;
        lastCode = found.data;
        lastAt = now;
        if (navigator.vibrate) navigator.vibrate(60);
        scan(found.data, (form.querySelector("[name=kind]:checked") || {}).value);
      }, { returnDetailedScanResult: true, preferredCamera: "environment", maxScansPerSecond: 8 });
      try {
        await scanner.start();
      } catch (error) {
        show("bad", "The camera did not start", "Allow camera access for this site, or use a handheld scanner or the search.");
        scanner.destroy();
        scanner = null;
        video.hidden = true;
        toggle.textContent = "Scan with the camera";
      }
    });
  }

  // --- Start -------------------------------------------------------------------------------------

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(cfg.swUrl, { scope: "/door/" }).catch(() => undefined);
  }
  showConnection();
  setUpCamera();
  focusCode();
  openDb()
    .then(loadRosterFromDb)
    .then(() => { if (navigator.onLine) return downloadRoster(); })
    .then(sync)
    .then(() => { root.dataset.ready = "true"; })
    .catch(() => { root.dataset.ready = "true"; });
})();

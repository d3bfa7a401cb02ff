/* The door scanner: handheld-scanner and camera input, answers at arm's length, and offline mode.
 *
 * Every scan gets a nonce made here. It is posted to the server, which logs it and answers. When
 * there is no answer that works (no network, a timeout, a 5xx from a server whose database is
 * down) the scan is checked against the roster kept in IndexedDB (short badge-code hashes, first
 * name + last initial), the answer is shown at once, and the scan waits in an IndexedDB queue with
 * its nonce and scan time. The queue uploads at the first answer from the server that works; a
 * retried upload carries the same nonces, so nothing is doubled. What the server then says
 * differently (someone already let in at another door, a cancelled badge) is shown once.
 *
 * The service worker (door-sw.js) keeps this page and its files from the first visit, so the
 * scanner reopens without a network or while the server answers with errors.
 */
(function () {
  "use strict";

  const root = document.getElementById("door-scanner");
  if (!root) return;

  const cfg = root.dataset;
  const text = JSON.parse(document.getElementById("door-messages").textContent);
  const locale = document.documentElement.lang || "en";
  const form = document.getElementById("scan-form");
  const codeInput = form.querySelector("[name=code]");
  const csrfToken = form.querySelector("[name=csrf_token]").value;
  const resultBox = document.getElementById("scan-result");
  const ONLINE_TIMEOUT_MS = 4000;
  const RETRY_MS = 5000; // while scans wait and the server has not answered: try again this often
  const EXIT_MODE_MS = 30000; // check-out mode ends by itself after this long without a scan
  const SAME_CODE_MS = 4000; // the camera ignores the badge it just read until it is out of view this long
  const timeFormat = new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", timeZone: cfg.timezone });
  const numberFormat = new Intl.NumberFormat(locale);

  // --- Small helpers ---------------------------------------------------------------------------

  /** A message of the page's language with {name} placeholders filled in. */
  function t(key, values) {
    return (text[key] || key).replace(/\{(\w+)\}/g, (_, name) => (values && name in values ? String(values[name]) : ""));
  }

  /** "1 scan" or "3 scans": the message key's _one or _many form. */
  function tn(key, n, values) {
    return t(n === 1 ? `${key}_one` : `${key}_many`, { n: numberFormat.format(n), ...values });
  }

  function newNonce() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // The server's rule for the badge code in what was scanned (services/badge_scan.py), from the page.
  const badgeInUrl = new RegExp(cfg.badgeInUrl, "is");

  function badgeCodeFrom(scanned) {
    const text = (scanned || "").trim();
    const inUrl = badgeInUrl.exec(text);
    return inUrl ? inUrl[1] : text;
  }

  /** Every failure in the scan pipeline is logged here, with what it was doing, for whoever
   * looks at the device's console afterwards; the volunteer is told in words by the caller. */
  function logFailure(what, error) {
    console.error(`door scanner: ${what}`, error);
  }

  /** A scan that could not be kept on this device (IndexedDB refused the write). */
  class NotSaved extends Error {
    constructor(cause) {
      super("the scan could not be saved on this device");
      this.name = "NotSaved";
      this.cause = cause;
    }
  }

  /** How the roster names a badge: the start of the SHA-256 of its code in lower case
   * (checkin.code_hash on the server). Codes match whatever case a scanner typed. */
  async function codeHash(scanned) {
    if (!(window.crypto && crypto.subtle)) return null; // plain http on a LAN address: no hashing
    const code = badgeCodeFrom(scanned).toLowerCase();
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(code));
    const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    return hex.slice(0, rosterMeta ? rosterMeta.hash_digits : 12);
  }

  function el(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function at(when) {
    return when ? timeFormat.format(new Date(when)) : "";
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

  // The roster: code hash -> {name, status ("" registered, "w" waitlisted, "x" cancelled), arrived (ms)}
  let roster = new Map();
  let rosterMeta = null;

  function useRoster(saved) {
    roster = new Map(saved.people.map(([hash, name, status, arrived]) => [
      hash, { name, status: status || "", arrived: arrived ? arrived * 1000 : null },
    ]));
    rosterMeta = saved;
  }

  async function loadRosterFromDb() {
    const saved = await store("roster", "readonly", (s) => s.get(cfg.event));
    if (saved && saved.identity === cfg.identity && Array.isArray(saved.people[0] || [])) {
      useRoster(saved);
    } else if (saved) {
      await store("roster", "readwrite", (s) => s.delete(cfg.event)); // another person's device, or an old format
    }
    showState();
  }

  async function downloadRoster() {
    try {
      const response = await fetch(cfg.rosterUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.status >= 500) serverFailed(); // opened from the kept copy while the server fails
      if (!response.ok || !(response.headers.get("Content-Type") || "").includes("application/json")) return;
      const body = await response.json();
      const saved = {
        event: cfg.event, identity: cfg.identity, generated_at: body.generated_at,
        hash_digits: body.hash_digits, people: body.people,
      };
      await store("roster", "readwrite", (s) => s.put(saved));
      useRoster(saved);
      // Scans still waiting to upload are not in the server's roster yet: keep them marked.
      for (const item of await queue.all()) await markLocally(item);
      serverAnswered();
    } catch (error) {
      logFailure("the offline list could not be downloaded or kept; using the one this device has", error);
    }
    showState();
  }

  async function markLocally(item) {
    const person = roster.get(item.hash || (await codeHash(item.code)));
    if (!person) return;
    if (item.kind === "entry" && !person.arrived) person.arrived = Date.parse(item.scanned_at);
  }

  // --- The status banner: connection, what waits on this device, the offline list --------------

  // "online": the server answers; "offline": no network; "trouble": the network is there but the
  // server fails or does not answer in time.
  let connection = navigator.onLine ? "online" : "offline";
  let waiting = 0;

  async function countWaiting() {
    waiting = (await queue.all()).length;
    root.dataset.queued = String(waiting);
    showState();
    return waiting;
  }

  function showState() {
    const saving = connection !== "online" || waiting > 0;
    const banner = document.getElementById("door-status");
    banner.className = `door-status door-status--${saving ? "saving" : "online"}`;
    root.dataset.online = connection === "online" ? "true" : "false";
    root.dataset.connection = connection;
    document.getElementById("connection-state").textContent = t(`connection_${connection}`);
    document.getElementById("queue-state").textContent = waiting
      ? t("saving_waiting", { n: numberFormat.format(waiting) })
      : t("nothing_waiting");
    const rosterState = document.getElementById("roster-state");
    if (rosterMeta) {
      const minutes = Math.max(0, Math.round((Date.now() - Date.parse(rosterMeta.generated_at)) / 60000));
      rosterState.textContent = tn("roster_ready", roster.size, {
        time: at(rosterMeta.generated_at), age: minutes < 1 ? t("just_now") : tn("minutes_ago", minutes),
      });
    } else {
      rosterState.textContent = t("roster_missing");
    }
    root.dataset.rosterReady = rosterMeta ? "true" : "false";
  }

  function serverAnswered() {
    const was = connection;
    connection = "online";
    if (was !== "online") showState();
    if (waiting) sync(); // the first answer that works uploads what waits
  }

  function serverFailed() {
    connection = navigator.onLine ? "trouble" : "offline";
    showState();
    scheduleRetry();
  }

  // --- Feedback: vibration and a short tone where the device allows -----------------------------

  let audio = null;
  function unlockAudio() {
    // Browsers only let a page make sound after a tap or key press.
    if (!audio && (window.AudioContext || window.webkitAudioContext)) {
      try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (error) { audio = null; }
    }
  }
  document.addEventListener("pointerdown", unlockAudio, { once: true });
  document.addEventListener("keydown", unlockAudio, { once: true });

  const FEEDBACK = { // tone -> [vibration pattern, tone frequencies]
    ok: [[60], [880]], out: [[60, 60, 60], [660, 520]], warn: [[120, 80, 120], [440, 440]], bad: [[300], [220]],
  };

  function feedback(tone) {
    const [pattern, notes] = FEEDBACK[tone] || [[], []];
    if (navigator.vibrate) navigator.vibrate(pattern);
    if (!audio || audio.state === "closed") return;
    notes.forEach((frequency, n) => {
      const start = audio.currentTime + n * 0.16;
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.15, start);
      gain.gain.exponentialRampToValueAtTime(0.001, start + 0.13);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.14);
    });
  }

  // --- Showing an answer -------------------------------------------------------------------------

  /** What a scan's answer says: {tone, headline, detail}. Used for the big answer and search rows. */
  function describe(answer) {
    const person = answer.registration ? answer.registration.name : "";
    switch (answer.status) {
      case "checked_in": {
        const booked = answer.registration && answer.registration.interviews_booked;
        return { tone: "ok", headline: t("checked_in", { name: person }), detail: booked ? tn("interviews", booked) : t("no_interviews") };
      }
      case "already_checked_in":
        return {
          tone: "warn",
          headline: answer.first_checked_in_by
            ? t("already_by", { time: at(answer.first_checked_in_at), by: answer.first_checked_in_by })
            : t("already", { time: at(answer.first_checked_in_at) }),
          detail: person,
        };
      case "checked_out":
        return { tone: "out", headline: t("checked_out", { name: person }), detail: t("checked_out_detail") };
      case "not_checked_in":
        return { tone: "bad", headline: t("not_checked_in", { name: person }), detail: t("not_checked_in_detail") };
      case "waitlisted":
        return { tone: "bad", headline: t("waitlisted", { name: person }), detail: answer.message || t("waitlisted_detail") };
      case "cancelled":
        return { tone: "bad", headline: t("cancelled"), detail: t("cancelled_detail", { name: person }) };
      case "wrong_event":
        return { tone: "bad", headline: t("wrong_event"), detail: t("wrong_event_detail") };
      case "unknown_code":
        return { tone: "bad", headline: t("unknown"), detail: t("unknown_detail") };
      default:
        return { tone: "bad", headline: t("error"), detail: answer.message || t("try_again") };
    }
  }

  function show(tone, headline, detail, extra) {
    resultBox.className = `scan-result scan-result--${tone}`;
    resultBox.replaceChildren(el("p", "scan-result__headline", headline));
    if (detail) resultBox.appendChild(el("p", "scan-result__detail", detail));
    if (extra) resultBox.appendChild(extra);
    resultBox.dataset.tone = tone;
    const box = resultBox.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) resultBox.scrollIntoView({ block: "nearest" });
  }

  function undoButton(answer) {
    if (!answer.undo_url) return null; // the server offers an undo only for a scan that can be undone
    const button = el("button", "button button--secondary scan-result__undo", t("undo"));
    button.type = "button";
    button.addEventListener("click", async () => {
      button.disabled = true;
      const body = new FormData();
      body.append("csrf_token", csrfToken);
      body.append("nonce", newNonce());
      try {
        const response = await fetch(answer.undo_url, { method: "POST", body, headers: { Accept: "application/json" } });
        if (!response.ok) logFailure(`undo answered ${response.status}`, await response.text());
        show(response.ok ? "idle" : "bad", response.ok ? t("undone") : t("undo_failed"), t("ready_next"));
      } catch (error) {
        logFailure("undo got no answer", error);
        show("bad", t("undo_failed"), t("undo_offline"));
      }
      focusCode();
    });
    return button;
  }

  function showAnswer(answer) {
    const said = describe(answer);
    show(said.tone, said.headline, said.detail, undoButton(answer));
    feedback(said.tone);
  }

  /** The answer from the offline list; returns what the device said, to compare after upload.
   * The list marks the arrival only once the scan is kept (``markLocally``). */
  async function answerOffline(item) {
    item.hash = await codeHash(item.code);
    const person = item.hash && roster.get(item.hash);
    const saved = t("saved_here");
    let said;
    if (!person) said = ["unknown_code", "bad", t("not_on_list"), `${t("not_on_list_detail")} ${saved}`];
    else if (person.status === "x") said = ["cancelled", "bad", t("cancelled"), `${t("cancelled_detail", { name: person.name })} ${saved}`];
    else if (item.kind === "exit") said = ["checked_out", "out", t("checked_out_offline", { name: person.name }), saved];
    // No place yet: the server refuses them too (409 waitlisted), so the device does not let them in.
    else if (person.status === "w") said = ["waitlisted", "bad", t("waitlisted", { name: person.name }), `${t("waitlisted_detail")} ${saved}`];
    else if (person.arrived) said = ["already_checked_in", "warn", t("already", { time: at(person.arrived) }), `${person.name} · ${saved}`];
    else said = ["checked_in", "ok", t("checked_in_offline", { name: person.name }), saved];
    item.shown = said[0];
    return { status: said[0], tone: said[1], headline: said[2], detail: said[3] };
  }

  // --- Scanning ----------------------------------------------------------------------------------

  function focusCode() {
    codeInput.value = "";
    codeInput.focus({ preventScroll: true });
  }

  /** The server's answer to one scan, or null when there is none that works (kept for later). */
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
      if (response.status >= 500 || response.status === 429) {
        logFailure(`the server answered ${response.status}; checking offline`, response.statusText);
        return null;
      }
      if (response.redirected && new URL(response.url).pathname === new URL(cfg.loginUrl, window.location.href).pathname) {
        signedOut = true; // the session ended: keep the scan until they sign in again
        return null;
      }
      const type = response.headers.get("Content-Type") || "";
      if (!type.includes("application/json")) { // something in between (a captive portal): keep it
        logFailure(`the answer was not JSON (${response.status} ${type}); checking offline`, response.url);
        return null;
      }
      const answer = await response.json(); // a broken body throws: no answer that works
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
    const link = el("a", "button button--secondary", t("sign_in_again"));
    const login = new URL(cfg.loginUrl, window.location.href);
    login.searchParams.set("next", window.location.pathname);
    link.href = login.pathname + login.search;
    show("bad", t("signed_out"), t("signed_out_detail"), link);
    feedback("bad");
  }

  /** One scan, in order after the ones before it (a handheld scanner's quick second scan sees
   * the first). ``row`` is a search result to answer on instead of the big answer. */
  function scan(code, kind, row) {
    const item = {
      code: code.trim(), nonce: newNonce(), kind: kind || "entry",
      scanned_at: new Date().toISOString(), event: cfg.event,
    };
    if (!item.code) return busy;
    busy = busy.then(() => handle(item, row));
    return busy;
  }

  /** One scan from start to answer. Whatever fails is said on the screen and logged, and the
   * scanner is ready for the next scan afterwards: it never stays busy. */
  async function handle(item, row) {
    root.dataset.busy = "true";
    try {
      const said = await answerScan(item, row);
      if (row) answerOnRow(row, said);
      afterScan(item);
    } catch (error) {
      scanFailed(error, row);
    } finally {
      root.dataset.busy = "false";
      root.dataset.scans = String(Number(root.dataset.scans || 0) + 1);
    }
  }

  async function answerScan(item, row) {
    let answer = null;
    // While the server is failing, answer from the offline list at once instead of making the
    // line wait for each timeout; the queue's retries find out when it is back.
    if (navigator.onLine && connection === "online") {
      try {
        answer = await postScan(item);
      } catch (error) {
        logFailure("the scan got no answer that works (network, timeout or a broken answer); checking offline", error);
      }
    }
    if (answer) {
      if (!row) showAnswer(answer);
      await markLocally(item);
      serverAnswered();
      return describe(answer);
    }
    const said = await answerOffline(item);
    try {
      await queue.add(item);
    } catch (error) {
      throw new NotSaved(error);
    }
    await markLocally(item);
    if (signedOut) showSignedOut();
    else if (!row) { show(said.tone, said.headline, said.detail); feedback(said.tone); }
    await countWaiting();
    if (!signedOut) serverFailed();
    return said;
  }

  function scanFailed(error, row) {
    const notSaved = error instanceof NotSaved;
    logFailure(notSaved ? "the scan could not be saved on this device" : "the scan could not be handled", error.cause || error);
    const said = notSaved
      ? { tone: "bad", headline: t("not_saved"), detail: t("not_saved_detail") }
      : { tone: "bad", headline: t("scan_failed"), detail: t("scan_failed_detail") };
    if (row) answerOnRow(row, said);
    else { show(said.tone, said.headline, said.detail); feedback(said.tone); }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = codeInput.value;
    focusCode();
    scan(code, mode);
  });

  // --- Check-out mode: deliberate, one scan, time-limited, its own colour ------------------------

  let mode = "entry";
  let exitTimer = null;
  const submitButton = form.querySelector("button[type=submit]");
  const exitButton = document.getElementById("exit-mode");
  const exitBanner = document.getElementById("exit-banner");
  const exitLock = document.getElementById("exit-lock");

  function setMode(next) {
    mode = next;
    clearTimeout(exitTimer);
    const exit = mode === "exit";
    root.classList.toggle("door-scanner--exit", exit);
    root.dataset.mode = mode;
    exitBanner.hidden = !exit;
    exitButton.textContent = exit ? t("back_to_entry") : t("exit_mode");
    exitButton.setAttribute("aria-pressed", exit ? "true" : "false");
    submitButton.textContent = exit ? t("check_out") : t("check_in");
    if (exit && !(exitLock && exitLock.checked)) exitTimer = setTimeout(() => setMode("entry"), EXIT_MODE_MS);
  }

  function afterScan(item) {
    if (item.kind !== "exit") return;
    if (exitLock && exitLock.checked) return; // staff keep a dedicated exit door in check-out mode
    setMode("entry");
  }

  document.querySelector(".door-kind").hidden = true; // the no-JavaScript choice; the page uses modes
  document.getElementById("exit-controls").hidden = false;
  exitButton.addEventListener("click", () => { setMode(mode === "exit" ? "entry" : "exit"); focusCode(); });
  if (exitLock) exitLock.addEventListener("change", () => setMode(mode));

  // --- Search: check in from a result, answered on its row and aloud ----------------------------

  const searchStatus = document.getElementById("search-status");

  function answerOnRow(row, said) {
    const state = row.querySelector(".search-result__state");
    state.textContent = said.headline;
    state.className = `search-result__state search-result__state--${said.tone}`;
    const action = row.querySelector(".search-result__action");
    if (action && said.tone !== "bad") action.hidden = true;
    searchStatus.textContent = `${said.headline}${said.detail ? `. ${said.detail}` : ""}`;
    feedback(said.tone);
  }

  document.addEventListener("submit", (event) => {
    const target = event.target;
    if (target === form || !target.classList || !target.classList.contains("js-scan")) return;
    event.preventDefault();
    const row = target.closest(".search-result");
    target.querySelector("button").disabled = true;
    scan(target.querySelector("[name=code]").value, "entry", row).then(() => {
      target.querySelector("button").disabled = false;
    });
  });

  document.body.addEventListener("htmx:afterSwap", (event) => {
    const results = event.detail && event.detail.target && event.detail.target.id === "search-results"
      ? document.getElementById("search-results") : null;
    if (!results || !results.dataset.query) { if (results) searchStatus.textContent = ""; return; }
    const found = Number(results.dataset.found || 0);
    searchStatus.textContent = found ? tn("found", found) : t("found_none");
  });

  // The field keeps focus for handheld scanners, unless the volunteer is using another control.
  codeInput.addEventListener("blur", () => {
    setTimeout(() => {
      const active = document.activeElement;
      if (!active || active === document.body) codeInput.focus({ preventScroll: true });
    }, 150);
  });

  // --- Uploading the queue -----------------------------------------------------------------------

  let syncing = null;
  let retryTimer = null;

  function sync() {
    if (!syncing) {
      syncing = doSync()
        .catch((error) => {
          logFailure("the scans saved on this device could not be read or cleared", error);
          showStorageFailed();
          return waiting;
        })
        .finally(() => { syncing = null; });
    }
    return syncing;
  }

  function showStorageFailed() {
    document.getElementById("queue-state").textContent = t("storage_failed");
  }

  function scheduleRetry() {
    if (retryTimer || !waiting) return;
    retryTimer = setTimeout(() => { retryTimer = null; sync(); }, RETRY_MS);
  }

  async function doSync() {
    const items = await queue.all();
    if (!items.length || !navigator.onLine) return countWaiting();
    const batch = items.slice(0, 500);
    const scans = batch.map((i) => ({ code: i.code, nonce: i.nonce, scanned_at: i.scanned_at, kind: i.kind, offline: true }));
    let uploaded = false;
    try {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 3 * ONLINE_TIMEOUT_MS);
      const response = await fetch(cfg.batchUrl, {
        method: "POST", credentials: "same-origin", signal: controller.signal,
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
        body: JSON.stringify({ scans }),
      }).finally(() => clearTimeout(timer));
      const type = response.headers.get("Content-Type") || "";
      if (response.ok && type.includes("application/json") && !response.redirected) {
        const body = await response.json();
        // Every answered scan is in the server's log (or can never be: malformed); drop them all.
        await queue.remove(body.results.map((r) => r.nonce).filter(Boolean));
        reportUpload(batch, body.results);
        uploaded = true;
      } else {
        logFailure(`uploading saved scans was answered ${response.status} ${type}; trying again later`, response.url);
      }
    } catch (error) {
      logFailure("uploading saved scans failed; trying again later (the same nonces: nothing doubles)", error);
    }
    const left = await countWaiting();
    if (uploaded) {
      connection = "online";
      showState();
      downloadRoster();
      if (left) return doSync();
    } else {
      serverFailed();
    }
    return left;
  }

  /** After an upload: say so, and list what the server decided differently from this device
   * (already let in at another door, cancelled, refused), until the volunteer has seen it. */
  function reportUpload(batch, results) {
    const shown = new Map(batch.map((i) => [i.nonce, i.shown]));
    const problems = results.filter((r) => {
      if (["checked_in", "checked_out"].includes(r.status)) return false;
      return shown.get(r.nonce) !== r.status; // the device already showed this one as it is
    });
    const already = problems.filter((r) => r.status === "already_checked_in").length;
    const refused = problems.length - already;
    // The "saved on this device" answer is out of date once its scan has uploaded.
    if (resultBox.querySelector(".scan-result__detail") && resultBox.textContent.includes(t("saved_here"))) {
      show("idle", tn("uploaded", results.length), t("ready_next"));
    }
    if (!problems.length) return;
    const panel = document.getElementById("sync-report");
    const list = el("ul", "sync-report__list");
    for (const r of problems) {
      const said = describe(r);
      list.appendChild(el("li", `sync-report__item sync-report__item--${said.tone}`,
        r.registration ? `${r.registration.name}: ${said.headline}` : said.headline));
    }
    const summary = [];
    if (already) summary.push(tn("report_already", already));
    if (refused) summary.push(tn("report_refused", refused));
    const dismiss = el("button", "button button--secondary", t("report_dismiss"));
    dismiss.type = "button";
    dismiss.addEventListener("click", () => { panel.hidden = true; panel.replaceChildren(); focusCode(); });
    panel.replaceChildren(el("h2", "sync-report__title", summary.join(" · ")), list, dismiss);
    panel.hidden = false;
    feedback("warn");
  }

  window.addEventListener("online", () => { connection = "online"; showState(); sync(); });
  window.addEventListener("offline", () => { connection = "offline"; showState(); });
  setInterval(() => { if (navigator.onLine) sync(); }, 15000);
  setInterval(() => { if (navigator.onLine) downloadRoster(); else showState(); }, 60 * 1000);
  // The live counts answer every few seconds (htmx): an answer that works means the server is back.
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const xhr = event.detail && event.detail.xhr;
    if (!xhr) return;
    if (xhr.status >= 200 && xhr.status < 400) serverAnswered();
    else if (xhr.status === 0 || xhr.status >= 500) serverFailed();
  });

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
      if (left && !window.confirm(tn("sign_out_confirm", left))) return;
      await forgetEverything();
      signOut.dataset.cleared = "true";
      signOut.submit();
    });
  });

  // --- Camera: the preview at the top with the answer over it ------------------------------------

  function setUpCamera() {
    const toggle = document.getElementById("camera-toggle");
    const video = document.getElementById("camera-view");
    const stage = document.getElementById("door-stage");
    if (!toggle || !window.QrScanner || !navigator.mediaDevices) return;
    toggle.hidden = false;
    let scanner = null;
    let lastCode = "";
    let lastSeen = 0;

    function stop() {
      scanner.stop();
      scanner.destroy();
      scanner = null;
      video.hidden = true;
      stage.classList.remove("door-stage--camera");
      toggle.textContent = t("camera_start");
      toggle.setAttribute("aria-pressed", "false");
    }

    toggle.addEventListener("click", async () => {
      if (scanner) {
        stop();
        focusCode();
        return;
      }
      video.hidden = false;
      stage.classList.add("door-stage--camera");
      toggle.textContent = t("camera_stop");
      toggle.setAttribute("aria-pressed", "true");
      stage.scrollIntoView({ block: "start" });
      scanner = new QrScanner(video, (found) => {
        const now = Date.now();
        // A badge held in front of the camera reads many times a second: it counts once, until it
        // has been out of view for a few seconds.
        const same = found.data === lastCode && now - lastSeen < SAME_CODE_MS;
        lastCode = found.data;
        lastSeen = now;
        if (same) return;
        scan(found.data, mode);
      }, { returnDetailedScanResult: true, preferredCamera: "environment", maxScansPerSecond: 8 });
      try {
        await scanner.start();
      } catch (error) {
        stop();
        show("bad", t("camera_failed"), t("camera_failed_detail"));
      }
    });
  }

  // --- Keeping this page for offline use ----------------------------------------------------------

  /** Ask the service worker to keep this page and every file it loads, so one visit is enough
   * to reopen the scanner with no network or while the server fails. */
  async function keepForOffline() {
    if (!("serviceWorker" in navigator && window.isSecureContext)) return;
    try {
      await navigator.serviceWorker.register(cfg.swUrl, { scope: "/door/" });
      const registration = await navigator.serviceWorker.ready;
      const files = new Set([cfg.manifestUrl]);
      document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=prefetch], link[rel=icon]").forEach((node) => {
        files.add(node.getAttribute("src") || node.getAttribute("href"));
      });
      document.querySelectorAll("[data-worker-url]").forEach((node) => files.add(node.dataset.workerUrl));
      const kept = await new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (event) => resolve(event.data && event.data.kept);
        registration.active.postMessage({ type: "keep", page: window.location.pathname, files: [...files] }, [channel.port2]);
        setTimeout(() => resolve(false), 30000);
      });
      root.dataset.offlineReady = kept ? "true" : "false";
    } catch (error) {
      root.dataset.offlineReady = "false";
    }
  }

  // --- Start -------------------------------------------------------------------------------------

  setMode("entry");
  showState();
  setUpCamera();
  focusCode();
  keepForOffline();
  openDb()
    .then(loadRosterFromDb)
    .then(countWaiting)
    .then(() => { if (navigator.onLine) return downloadRoster(); })
    .then(sync)
    .catch((error) => {
      logFailure("this device's offline storage (IndexedDB) could not be opened", error);
      showStorageFailed();
    })
    .finally(() => { root.dataset.ready = "true"; });
})();

// Brightside Home chat UI inside the iframe: renders the conversation and long-polls for news.
// Message text is always set with textContent: chat text is untrusted.
(function () {
  "use strict";
  var cfg = window.BRIGHTSIDE_CHAT || {};
  var pollMs = cfg.pollMs || 500;
  var log = document.querySelector(".bs-log");
  var typing = document.querySelector(".bs-typing");
  var typingWho = document.querySelector(".bs-typing__who");
  var quick = document.querySelector(".bs-quick");
  var form = document.querySelector(".bs-composer");
  var input = document.getElementById("bs-input");
  var endButton = document.querySelector(".bs-end");
  var STORE = "brightside-chat-id";
  var cid = null;
  var seen = {};
  var lastId = 0;
  var lastGroup = null;
  var lastSender = null;
  var ended = false;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function clock(at) {
    var d = new Date(at * 1000);
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  function label(m) {
    if (m.role === "bot") return m.sender + " · Virtual assistant";
    return m.dept ? m.sender + " · " + m.dept : m.sender;
  }

  function render(m) {
    if (seen[m.id]) return;
    seen[m.id] = true;
    lastId = Math.max(lastId, m.id);
    if (m.role === "system") {
      log.insertBefore(el("div", "bs-system", m.text), typing);
      lastGroup = null;
      lastSender = null;
    } else {
      // Consecutive messages from one sender share one avatar and one name label.
      var key = m.role + ":" + m.sender;
      if (!lastGroup || lastSender !== key) {
        lastGroup = el("div", "bs-group bs-group--" + m.role);
        lastGroup.setAttribute("data-sender", m.sender);
        if (m.role !== "customer") {
          var avatar = el("div", "bs-avatar", m.sender.charAt(0));
          avatar.setAttribute("aria-hidden", "true");
          lastGroup.appendChild(avatar);
        }
        var body = el("div", "bs-group__body");
        if (m.role !== "customer") body.appendChild(el("div", "bs-sender", label(m)));
        lastGroup.appendChild(body);
        log.insertBefore(lastGroup, typing);
        lastSender = key;
      }
      var bubble = el("div", "bs-bubble bs-bubble--" + m.role);
      bubble.appendChild(el("span", "bs-bubble__text", m.text));
      var time = el("time", "bs-time", clock(m.at));
      bubble.appendChild(time);
      lastGroup.querySelector(".bs-group__body").appendChild(bubble);
    }
    quick.textContent = "";
    (m.quick_replies || []).forEach(function (choice) {
      var b = el("button", "bs-quick__btn", choice);
      b.type = "button";
      b.addEventListener("click", function () { send(choice); });
      quick.appendChild(b);
    });
    log.scrollTop = log.scrollHeight;
  }

  function apply(snap) {
    (snap.messages || []).forEach(render);
    if (snap.typing) {
      typingWho.textContent = snap.typing;
      typing.hidden = false;
    } else {
      typing.hidden = true;
    }
    if (snap.ended && !ended) {
      ended = true;
      document.body.classList.add("bs-ended");
      input.disabled = true;
      quick.textContent = "";
    }
  }

  async function start() {
    cid = sessionStorage.getItem(STORE);
    if (cid) {
      var again = await fetch("/chat/api/conversations/" + cid + "/messages?after=0");
      if (again.ok) {
        apply(await again.json());
        return;
      }
    }
    var res = await fetch("/chat/api/conversations" + window.location.search, { method: "POST" });
    var snap = await res.json();
    cid = snap.id;
    sessionStorage.setItem(STORE, cid);
    apply(snap);
  }

  async function poll() {
    while (!ended) {
      try {
        var res = await fetch("/chat/api/conversations/" + cid + "/messages?wait=2&after=" + lastId);
        if (res.ok) apply(await res.json());
      } catch (e) {
        // The lab restarts between runs; keep polling quietly.
      }
      await new Promise(function (r) { setTimeout(r, pollMs); });
    }
  }

  async function send(text) {
    text = text.trim();
    if (!text || ended) return;
    quick.textContent = "";
    var res = await fetch("/chat/api/conversations/" + cid + "/messages", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: text }),
    });
    if (res.ok) render(await res.json());
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = input.value;
    input.value = "";
    send(text);
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey) {
      ev.preventDefault();
      form.requestSubmit();
    }
  });
  endButton.addEventListener("click", async function () {
    if (!cid || ended) return;
    await fetch("/chat/api/conversations/" + cid + "/end", { method: "POST" });
  });

  start().then(poll);
})();

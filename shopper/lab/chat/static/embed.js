// Brightside Home chat embed: adds a launcher button that opens the conversation iframe.
// window.BRIGHTSIDE_CHAT is prepended by the server with the lab's settings.
(function () {
  "use strict";
  if (window.__brightsideChatLoaded) return;
  window.__brightsideChatLoaded = true;
  var cfg = window.BRIGHTSIDE_CHAT || {};

  function mount() {
    var style = document.createElement("style");
    style.textContent =
      ".bs-chat-launcher{position:fixed;right:24px;bottom:24px;z-index:2147483000;" +
      "border:0;border-radius:24px;padding:12px 20px;background:#f2a900;color:#1d1d1d;" +
      "font:600 15px/1 system-ui,sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer}" +
      ".bs-chat-frame{position:fixed;right:24px;bottom:84px;z-index:2147483000;width:360px;" +
      "height:520px;max-height:calc(100vh - 110px);border:0;border-radius:12px;" +
      "box-shadow:0 8px 30px rgba(0,0,0,.3);background:#fff}";
    document.head.appendChild(style);

    var button = document.createElement("button");
    button.type = "button";
    button.className = "bs-chat-launcher";
    button.setAttribute("aria-haspopup", "dialog");
    button.textContent = "Chat with us";
    var frame = null;

    button.addEventListener("click", function () {
      if (frame) {
        // A second click hides the widget; the conversation lives on in the iframe.
        frame.hidden = !frame.hidden;
        return;
      }
      frame = document.createElement("iframe");
      frame.className = "bs-chat-frame";
      frame.title = (cfg.company || "Brightside Home") + " chat";
      // The lab lets a visit be "after hours" (?chat_hours=closed) so one lab shows both.
      var closed = /[?&]chat_hours=closed\b/.test(window.location.search);
      // ... and in another language (?chat_lang=de)
      var lang = (/[?&]chat_lang=(\w+)/.exec(window.location.search) || [])[1];
      var query = [closed ? "hours=closed" : "", lang ? "lang=" + lang : ""].filter(Boolean);
      frame.src = "/chat/frame" + (query.length ? "?" + query.join("&") : "");
      document.body.appendChild(frame);
    });
    document.body.appendChild(button);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();

"""Widget (d): "Pine Outfitters", built to carry every failure class of the chat truth issue.

- a toaster (an ARIA log, first in the page, that grows with "New message" notices) beside
  a transcript that is a plain scrolling box in an iframe, with no ARIA role at all;
- a floating "Message us" div (not a button) as the launcher, marked with a vendor attribute;
- furniture in every message: a screen-reader prefix, an avatar, a shared label and a
  relative time ("just now");
- quick replies inside the bot's message that disappear once one is clicked;
- replies streamed word by word, after a typing row inside the transcript;
- a welcome that only shows up after the customer's first line (a late welcome);
- bot and person with the same label and style: the bot announces a colleague and a person
  who introduces themselves answers after a pause.
"""

from __future__ import annotations

from aiohttp import web

from . import html_app

HOST = """<!doctype html><html lang=en><head><meta charset=utf-8><title>Pine Outfitters</title>
<style>.toasts{position:fixed;top:10px;right:10px;width:260px}.toast{background:#333;color:#fff;
padding:6px;margin:4px;border-radius:4px}.pine-fab{position:fixed;right:20px;bottom:20px;
background:#2a5;color:#fff;padding:12px 18px;border-radius:20px;cursor:pointer}
iframe{position:fixed;right:20px;bottom:70px;width:360px;height:460px;border:1px solid #ccc}</style>
</head><body><h1>Pine Outfitters</h1><p>Camping gear. Need us? Call 0800 555 0101.</p>
<div class="toasts" role="log" aria-live="polite"><div class="toast">Welcome back! Free
shipping this week.</div></div>
<div class="pine-fab" data-pine-widget="launcher">Message us</div>
<script>
document.querySelector('.pine-fab').addEventListener('click', function () {
  if (document.querySelector('iframe')) return;
  var f = document.createElement('iframe'); f.src = '/frame'; f.title = 'Pine chat';
  document.body.appendChild(f);
});
window.addEventListener('message', function (e) {
  var t = document.createElement('div'); t.className = 'toast'; t.textContent = 'New message';
  document.querySelector('.toasts').appendChild(t);
});
</script></body></html>"""

FRAME = """<!doctype html><html lang=en><head><meta charset=utf-8>
<style>.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)}
.scroll{height:360px;overflow-y:auto;padding:6px}.row{display:flex;gap:6px;margin:6px 0}
.row.me{justify-content:flex-end}.av{width:24px;height:24px}.label{font-size:11px;color:#777}
.stamp{font-size:10px;color:#999}.chips button{margin:2px}</style></head><body>
<div class="scroll"></div>
<textarea placeholder="Write a message" rows="2"></textarea>
<script>
var box = document.querySelector('.scroll'), input = document.querySelector('textarea');
var turn = 0, stage = 'bot';
function stamp(row) { row.setAttribute('data-inserted', String(Date.now())); }
function row(me) {
  var r = document.createElement('div'); r.className = 'row ' + (me ? 'me' : 'them');
  if (!me) { var av = document.createElement('img'); av.className = 'av'; av.alt = 'Pine avatar';
             av.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; r.appendChild(av); }
  var body = document.createElement('div'); body.className = 'body'; r.appendChild(body);
  var sr = document.createElement('span'); sr.className = 'sr-only';
  sr.textContent = me ? 'You said:' : 'Pine Outfitters said:'; body.appendChild(sr);
  if (!me) { var l = document.createElement('div'); l.className = 'label';
             l.textContent = 'Pine Outfitters'; body.appendChild(l); }
  var p = document.createElement('p'); p.className = 'text'; body.appendChild(p);
  var s = document.createElement('span'); s.className = 'stamp'; s.textContent = 'just now';
  body.appendChild(s);
  box.appendChild(r); stamp(r);
  return p;
}
function company(text, chips, then) {
  var typing = document.createElement('div'); typing.className = 'row them typing';
  typing.textContent = 'Pine Outfitters is typing…'; box.appendChild(typing);
  setTimeout(function () {
    typing.remove();
    var p = row(false), words = text.split(' '), i = 0;
    (function step() {
      p.textContent = words.slice(0, ++i).join(' ');
      if (i < words.length) return setTimeout(step, 30);
      if (chips) {
        var c = document.createElement('div'); c.className = 'chips';
        chips.forEach(function (label) {
          var b = document.createElement('button'); b.textContent = label;
          b.addEventListener('click', function () { c.remove(); customer(label); });
          c.appendChild(b);
        });
        p.parentNode.appendChild(c);
      }
      parent.postMessage('new', '*');
      if (then) then();
    })();
  }, 150);
}
function customer(text) {
  row(true).textContent = text;
  turn++;
  if (turn === 1) {
    // The welcome only appears once the customer has written (a late welcome).
    setTimeout(function () {
      var p = row(false); p.textContent = 'Hi there! Welcome to Pine Outfitters. How can I help you today?';
      company("I can check refunds for you. What's the order number?",
              ['Order status', 'Talk to a person']);
    }, 80);
  } else if (stage === 'bot' && /person|human|someone|agent/i.test(text)) {
    stage = 'wait';
    company('Let me get a colleague for you, one moment.', null, function () {
      setTimeout(function () { stage = 'agent';
        company("Hi, this is Jo from the Refunds team. I'm picking this up now.");
      }, 1500);
    });
  } else if (stage === 'agent') {
    var n = (text.match(/\\d{5,}/) || [''])[0];
    company(n ? 'Thanks, I have refunded order ' + n + '; it shows in 3 days.'
              : 'Could you give me the order number?');
  } else {
    company("Sorry, I can only check refunds. What's the order number?");
  }
}
input.addEventListener('keydown', function (e) {
  if (e.key === 'Enter') { e.preventDefault(); var t = input.value; input.value = ''; if (t.trim()) customer(t); }
});
</script></body></html>"""

#: The whole transcript as the customer sees it for TIMINGS' journeys (role, text).
TRUTH = [
    ("customer", "Hello, my refund hasn't arrived"),
    ("bot", "Hi there! Welcome to Pine Outfitters. How can I help you today?"),
    ("bot", "I can check refunds for you. What's the order number?"),
    ("customer", "Talk to a person"),
    ("bot", "Let me get a colleague for you, one moment."),
    ("agent", "Hi, this is Jo from the Refunds team. I'm picking this up now."),
    ("customer", "It is 778899"),
    ("agent", "Thanks, I have refunded order 778899; it shows in 3 days."),
]


def app() -> web.Application:
    """Serve the host page and the chat frame."""
    return html_app({"/": HOST, "/frame": FRAME})

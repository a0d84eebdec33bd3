// Installed in every frame before the page's own scripts (an init script). Watches the DOM
// with a MutationObserver (also inside shadow roots, even closed ones, by wrapping
// attachShadow) and tells shopper that something changed through the __shopperNotify binding;
// shopper then calls __shopperChat.read(). Reading never writes to the DOM, so it cannot
// wake the observer itself. Returns plain data only.
(() => {
  if (window.__shopperChat) return;
  const shadows = [];
  const ids = new WeakMap();  // message element -> {id, text, first, changed}
  let nextId = 1, pending = false, region = null, lastMutation = Date.now();
  const observer = new MutationObserver(() => {
    lastMutation = Date.now();
    if (pending || typeof window.__shopperNotify !== 'function') return;
    pending = true;
    // One call per burst: a streamed reply changes the DOM many times a second.
    setTimeout(() => { pending = false; try { window.__shopperNotify(lastMutation); } catch (e) {} }, 25);
  });
  const OPTS = {childList: true, subtree: true, characterData: true, attributes: true,
                attributeFilter: ['class', 'hidden', 'style', 'aria-hidden']};
  const watch = (root) => { try { observer.observe(root, OPTS); } catch (e) {} };
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    shadows.push(root);
    watch(root);
    return root;
  };
  if (document.documentElement) watch(document.documentElement);
  else document.addEventListener('DOMContentLoaded', () => watch(document.documentElement));

  const SENDERISH = '[class*=sender],[class*=author],[class*=name],[class*=who]';
  const NOT_TEXT = /(^|[-_\s])(typing|avatar|timestamp|time|meta|status|loader|spinner|watermark|powered)([-_\s]|$)/i;
  const TIME = /^(\d{1,2}[:.]\d{2}(\s?[ap]\.?m\.?)?|just now|now|today|yesterday|\d+\s?(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)( ago)?|(mon|tue|wed|thu|fri|sat|sun)\w*,? \d{1,2}[:.]\d{2}.*)$/i;
  const CLICKABLE = 'button, [role=button], a[href], [role=option], [role=menuitem]';

  function rootsOf(root) {
    const out = [root];
    const all = root === document ? shadows.filter((s) => s.host && s.host.isConnected) : [];
    for (const s of all) out.push(s);
    if (root !== document) {
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) out.push(el.shadowRoot);
    }
    return out;
  }
  function qAll(root, sel) {
    const found = [];
    for (const r of rootsOf(root)) {
      try { r.querySelectorAll(sel).forEach((e) => found.push(e)); }
      catch (e) { throw new Error('invalid CSS selector: ' + sel); }
    }
    return found;
  }
  function parentOf(e) {
    if (e.parentElement) return e.parentElement;
    const r = e.getRootNode && e.getRootNode();
    return r && r.host ? r.host : null;
  }
  function contains(a, b) {
    for (let e = b; e; e = parentOf(e)) if (e === a) return true;
    return false;
  }
  function srOnly(e, cs) {
    const r = e.getBoundingClientRect();
    const positioned = cs.position === 'absolute' || cs.position === 'fixed';
    if (r.width <= 1 && r.height <= 1 && (positioned || cs.overflow === 'hidden')) return true;
    if (cs.clip && /^rect\(0(px)?,? 0(px)?/.test(cs.clip)) return true;
    if (cs.clipPath === 'inset(50%)') return true;
    if (positioned && (r.right < -100 || r.bottom < -100)) return true;
    return false;
  }
  function hidden(el) {
    if (el.checkVisibility && !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return true;
    for (let e = el; e && e.nodeType === 1; e = parentOf(e)) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || cs.opacity === '0') return true;
      if (srOnly(e, cs)) return true;
    }
    return false;
  }
  function matches(e, sel) { try { return !!sel && e.matches(sel); } catch (x) { return false; } }
  function clean(t) { return t.replace(/[ \t\u00a0]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim(); }
  function norm(t) { return clean(t).toLowerCase().replace(/\s+/g, ' '); }
  function cls(e) { return typeof e.className === 'string' ? e.className : ''; }
  function isClickable(e) { return matches(e, CLICKABLE); }
  function visibleText(el, skip) {
    let out = '';
    for (const n of (el.shadowRoot ? el.shadowRoot : el).childNodes) {
      if (n.nodeType === 3) { out += n.nodeValue; continue; }
      if (n.nodeType !== 1 || skip(n)) continue;
      const cs = getComputedStyle(n);
      if (cs.display === 'none' || cs.visibility === 'hidden' || srOnly(n, cs)) continue;
      if (n.tagName === 'BR') { out += '\n'; continue; }
      const block = !cs.display.startsWith('inline');
      // A small picture is an avatar or an icon, not words of the message.
      const small = n.tagName === 'IMG' && (n.getBoundingClientRect().width < 64 || n.naturalWidth < 64);
      const inner = n.tagName === 'IMG' ? (small ? '' : (n.getAttribute('alt') || '')) : visibleText(n, skip);
      out += block ? '\n' + inner + '\n' : inner;
    }
    return out;
  }
  function describe(e) {
    let d = e.tagName.toLowerCase();
    if (e.id) d += '#' + e.id;
    if (cls(e).trim()) d += '.' + cls(e).trim().split(/\s+/).slice(0, 3).join('.');
    const role = e.getAttribute('role');
    if (role) d += '[role=' + role + ']';
    return d;
  }
  function scrollable(e) {
    const cs = getComputedStyle(e);
    return /(auto|scroll)/.test(cs.overflowY) && e.clientHeight > 40;
  }
  function blockOf(textNode, stop) {
    let b = textNode.parentElement || parentOf(textNode);
    while (b && b !== stop && getComputedStyle(b).display.startsWith('inline')) b = parentOf(b);
    return b;
  }
  // Text blocks under `scope` (light DOM and shadow roots), in document order.
  function textBlocks(scope, skip) {
    const blocks = [];
    const visit = (root) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.nodeType === 1) {
          if (n.shadowRoot) visit(n.shadowRoot);
          continue;
        }
        if (!n.nodeValue.trim()) continue;
        const b = blockOf(n, scope);
        if (!b || b === scope || blocks.includes(b)) continue;
        let skipped = false;
        // Text inside an SVG (an icon's <title>) is never words of a message.
        for (let e = n.parentElement; e && e !== scope; e = parentOf(e)) {
          if (skip(e) || e instanceof SVGElement) { skipped = true; break; }
        }
        if (!skipped) blocks.push(b);
      }
    };
    visit(scope.shadowRoot || scope);
    if (scope.shadowRoot) visit(scope);
    return blocks;
  }

  // -- the transcript region -------------------------------------------------------------
  // Candidates: declared logs and feeds, and scrolling boxes that hold text.
  function candidates(scope) {
    const out = [];
    for (const e of qAll(scope, '[role=log], [role=feed], div, main, section, ul, ol')) {
      if (out.length > 200) break;
      const role = e.getAttribute('role');
      if (role !== 'log' && role !== 'feed' && !scrollable(e)) continue;
      if (hidden(e)) continue;
      out.push(e);
    }
    return out;
  }
  // Where the customer's own words showed up: the smallest candidate holding them, else the
  // lowest scrolling/log ancestor of the echo, else the echo's grandparent.
  function regionOf(text, scope) {
    const want = norm(text);
    if (!want) return null;
    let echo = null;
    for (const b of textBlocks(scope, editable)) {
      if (hidden(b)) continue;
      const t = norm(visibleText(b, () => false));
      if (t === want || (t.includes(want) && t.length < want.length + 40)) echo = b;  // the last one
    }
    if (!echo) return null;
    let best = null;
    for (let a = parentOf(echo); a; a = parentOf(a)) {
      if (a === document.body || a === document.documentElement) break;
      const role = a.getAttribute && a.getAttribute('role');
      if (role === 'log' || role === 'feed' || scrollable(a)) { best = a; break; }
    }
    if (!best) {
      best = parentOf(echo);
      for (let i = 0; i < 2 && best && parentOf(best) && parentOf(best) !== document.body; i++) best = parentOf(best);
    }
    return best;
  }
  function guessRegion(scope) {
    let best = null, score = -1;
    for (const c of candidates(scope)) {
      const n = textBlocks(c, (e) => isClickable(e)).filter((b) => !hidden(b)).length;
      if (!n) continue;
      const r = c.getBoundingClientRect();
      const role = c.getAttribute('role');
      // Toasters and live announcers are small or off to the side; a transcript is tall.
      const s = n * 10 + Math.min(r.height, 800) / 20 + (role === 'log' || role === 'feed' ? 5 : 0);
      if (score < s) { best = c; score = s; }
    }
    return best;
  }

  // The message box itself holds the customer's words before they are sent: never an echo.
  function editable(e) {
    return e.isContentEditable || e.tagName === 'TEXTAREA' || e.tagName === 'INPUT' ||
           matches(e, '[role=textbox]');
  }
  function timeLike(t) { return TIME.test(t.trim()); }

  function read(cfg) {
    let scope = document;
    if (cfg.host) {
      const host = qAll(document, cfg.host)[0];
      if (!host) return {error: 'host'};
      const root = host.shadowRoot || shadows.find((s) => s.host === host);
      if (!root) return {error: 'closed_shadow'};
      scope = root;
    }
    const now = Date.now();
    const isSender = (e) => matches(e, cfg.sender);
    const isIgnored = (e) => e.tagName === 'TIME' || matches(e, cfg.ignore);
    let items, container = null, how;
    if (cfg.messages) {
      how = 'selector';
      items = qAll(scope, cfg.messages).filter((e) => !hidden(e));
      items = items.filter((e) => !items.some((o) => o !== e && contains(e, o)));
    } else {
      if (cfg.sent && (!region || !region.isConnected || !contains(region, findEcho(cfg.sent, region)))) {
        const found = regionOf(cfg.sent, scope);
        if (found) region = found;
      }
      if (!region || !region.isConnected) region = null;
      container = region || guessRegion(scope);
      if (!container) return {items: [], how: 'none', container: null, confirmed: false, now: now};
      how = region ? 'region where the customer\'s text appeared' : 'largest log or scrolling box';
      const skip = (e) => isIgnored(e) || isClickable(e) || e.tagName === 'TEXTAREA' || e.tagName === 'INPUT';
      items = textBlocks(container, skip).filter((b) => {
        if (hidden(b) || isIgnored(b) || isSender(b)) return false;
        // Headings and headers inside the scrolling box are the widget's title, not a message.
        if (/^H[1-6]$/.test(b.tagName) || (b.closest && b.closest('header, [role=banner]'))) return false;
        if (!cfg.sender && matches(b, SENDERISH) && visibleText(b, skip).length < 40) return false;
        if (NOT_TEXT.test(cls(b))) return false;
        const t = clean(visibleText(b, skip));
        if (!t || /\bis typing\b/i.test(t) || timeLike(t)) return false;
        if (t.length <= 2 && (b.getAttribute('aria-hidden') === 'true' || /avatar/i.test(cls(b)))) return false;
        return true;
      });
      items = items.filter((e) => !items.some((o) => o !== e && contains(e, o)));
    }
    if (!container && items.length) {
      container = items[0];
      while (container && !items.every((i) => contains(container, i))) container = parentOf(container);
      if (container === items[0]) container = parentOf(items[0]);
    }
    const senderSel = cfg.sender || (cfg.messages ? null : SENDERISH);
    const skipInText = (e) => isIgnored(e) || isClickable(e) || (senderSel ? matches(e, senderSel) : false);
    function rowOf(el) {
      let row = el;
      while (row && parentOf(row) && parentOf(row) !== container) row = parentOf(row);
      return row || el;
    }
    function senderOf(el) {
      if (!senderSel) return '';
      const inside = el.querySelector && el.querySelector(senderSel);
      if (inside && !timeLike(inside.innerText || '')) return clean(inside.innerText || inside.textContent || '');
      for (let a = parentOf(el); a && a !== container && a.nodeType === 1; a = parentOf(a)) {
        const labels = Array.from(a.querySelectorAll(senderSel)).filter(
          (l) => !contains(l, el) && !hidden(l) && (l.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)
                 && !timeLike(l.innerText || ''));
        if (labels.length) return clean(labels[labels.length - 1].innerText || '');
      }
      return '';
    }
    function timeOf(el) {
      const row = rowOf(el);
      for (const e of [el, row]) {
        if (!e || !e.querySelectorAll) continue;
        for (const t of e.querySelectorAll('time, [class*=time], [class*=stamp], [class*=date]')) {
          const s = clean(t.innerText || t.textContent || '');
          if (s && s.length < 30 && !hidden(t)) return s;
        }
      }
      return '';
    }
    function optionsAfter(el, next) {
      const row = rowOf(el);
      const out = [];
      const scopeEl = next && rowOf(next) === row ? el : row;
      for (const b of (scopeEl.querySelectorAll ? scopeEl.querySelectorAll(CLICKABLE) : [])) {
        if (hidden(b)) continue;
        const t = clean(b.innerText || b.getAttribute('aria-label') || '');
        if (t && t.length < 60 && !out.includes(t)) out.push(t);
      }
      return out;
    }
    // The picture beside a message (its address, cut short): people and bots often differ.
    function avatarOf(el) {
      const row = rowOf(el);
      const img = row && row.querySelector ? row.querySelector('img') : null;
      if (!img || contains(el, img) && el !== row) return '';
      const src = img.getAttribute('src') || '';
      return src.length > 80 ? src.slice(0, 40) + '…' + src.slice(-30) : src;
    }
    function marks(el) {
      const out = [];
      for (let e = el; e && e !== container && e.nodeType === 1; e = parentOf(e)) {
        out.push(...cls(e).split(/\s+/).filter(Boolean));
        for (const a of e.attributes) {
          if (a.name.startsWith('data-') || a.name === 'aria-label') out.push(a.name + '=' + a.value);
        }
      }
      return out;
    }
    // A short line heading a row that holds more text ("Pine Outfitters" above the bubble)
    // is the row's sender label, not a message; so is one the widget marks as a label.
    const labels = new Map();
    if (!cfg.messages && !cfg.sender) {
      items = items.filter((el, i) => {
        const next = items[i + 1];
        if (!next || rowOf(next) !== rowOf(el) || rowOf(el) === el) return true;
        const t = clean(visibleText(el, skipInText));
        const marked = /(^|[-_\s])(label|name|author|sender|title)([-_\s]|$)/i.test(cls(el));
        if (t.length > 40 || /[.?!…]$/.test(t) || (cfg.sent && norm(t) === norm(cfg.sent))) return true;
        if (!marked && t.split(/\s+/).length > 4) return true;
        labels.set(next, t);
        return false;
      });
    }
    const box = container ? container.getBoundingClientRect() : null;
    const rules = cfg.rules || [];
    const out = [];
    items.forEach((el, i) => {
      const text = clean(visibleText(el, skipInText));
      if (!text) return;
      let rec = ids.get(el);
      if (!rec) { rec = {id: nextId++, text: text, first: now, changed: now}; ids.set(el, rec); }
      else if (rec.text !== text) { rec.text = text; rec.changed = now; }
      const r = el.getBoundingClientRect();
      const m = marks(el);
      // Which side the message sits on; long bubbles fill the width and tell nothing.
      let side = '';
      if (box && box.width > 0) {
        const left = r.left - box.left, right = box.right - r.right, w = box.width;
        if (Math.abs(left - right) < 12 && left > 0.1 * w) side = 'center';
        else if (left > 0.15 * w && left > right + 20) side = 'right';
        else if (right > 0.15 * w && right > left + 20) side = 'left';
      }
      out.push({
        id: rec.id, text: text, sender: labels.get(el) || senderOf(el), time: timeOf(el),
        options: cfg.messages ? [] : optionsAfter(el, items[i + 1]),
        marks: m.join(' ').slice(0, 400), side: side, first: rec.first, changed: rec.changed,
        avatar: avatarOf(el),
        rules: rules.map((r2) => r2.selector ? (matches(el, r2.selector) || !!(el.closest && (() => { try { return el.closest(r2.selector); } catch (x) { return null; } })()))
                                             : r2.class ? m.includes(r2.class) : false),
      });
    });
    return {items: out, how: how, container: container ? describe(container) : null,
            confirmed: !!cfg.messages || !!region, now: now};
  }
  function findEcho(text, within) {
    const want = norm(text);
    for (const b of textBlocks(within, editable)) {
      const t = norm(visibleText(b, () => false));
      if (t === want || (t.includes(want) && t.length < want.length + 40)) return b;
    }
    return null;
  }

  // -- finding the widget ----------------------------------------------------------------
  const CHATTY = /\b(chat|help|support|message us|messenger|talk to us|ask us|contact us|live agent|assistant|bot|widget|launcher|bubble)\b|chat|launcher|bubble|messenger|widget/i;
  function visibleBox(e) {
    const r = e.getBoundingClientRect();
    return r.width > 8 && r.height > 8 && !hidden(e) ? r : null;
  }
  function fixedAncestor(e) {
    for (let a = e; a && a.nodeType === 1; a = parentOf(a)) {
      const p = getComputedStyle(a).position;
      if (p === 'fixed' || p === 'sticky') return true;
    }
    return false;
  }
  function launchers() {
    const out = [];
    const seen = new Set();
    for (const e of qAll(document, 'button, [role=button], a, div, span, img, [tabindex]')) {
      if (seen.has(e)) continue;
      const r = visibleBox(e);
      if (!r || r.width > 420 || r.height > 200) continue;
      const cs = getComputedStyle(e);
      const clickable = matches(e, 'button, [role=button], a, [tabindex]') || cs.cursor === 'pointer';
      if (!clickable) continue;
      const words = [e.innerText || '', e.getAttribute('aria-label') || '', e.title || '', e.id, cls(e),
                     ...Array.from(e.attributes).filter((a) => a.name.startsWith('data-')).map((a) => a.name + ' ' + a.value),
                     e.getRootNode().host ? e.getRootNode().host.tagName : ''].join(' ');
      const fixed = fixedAncestor(e);
      let score = 0;
      if (CHATTY.test(words)) score += 3;
      if (fixed) score += 2;
      if (fixed && r.right > innerWidth * 0.6 && r.bottom > innerHeight * 0.5) score += 2;
      if (e.getRootNode().host) score += 1;  // widgets mount in shadow roots
      if (score < 3) continue;
      seen.add(e);
      out.push({score: score, el: e, what: describe(e) + ((e.innerText || e.getAttribute('aria-label') || '').trim() ? ' "' + (e.innerText || e.getAttribute('aria-label')).trim().slice(0, 30) + '"' : '')});
    }
    // The outermost of nested clickables (a div wrapping a button) adds nothing.
    const keep = out.filter((c) => !out.some((o) => o !== c && o.score >= c.score && contains(c.el, o.el)));
    keep.sort((a, b) => b.score - a.score);
    return keep.slice(0, 5);
  }
  function clickLauncher(i) {
    const c = launchers()[i];
    if (!c) return null;
    c.el.click();
    return c.what;
  }
  function inputs() {
    const out = [];
    for (const e of qAll(document, 'textarea, input[type=text], input:not([type]), [contenteditable=true], [contenteditable=""], [role=textbox]')) {
      if (!visibleBox(e) || e.disabled || e.readOnly) continue;
      const words = [e.placeholder || '', e.getAttribute('aria-label') || '', e.id, cls(e), e.name || ''].join(' ');
      let score = 1;
      if (/message|type|ask|question|chat|reply|answer|write/i.test(words)) score += 3;
      if (/search|email|name|phone|zip|post/i.test(words) && !/message/i.test(words)) score -= 3;
      if (fixedAncestor(e)) score += 2;
      if (e.getRootNode().host) score += 1;
      out.push({score: score, el: e, what: describe(e)});
    }
    out.sort((a, b) => b.score - a.score);
    return out.filter((c) => c.score > 0);
  }
  function markInput() {
    // Mark the best message box for Playwright: a property, not an attribute, so the DOM
    // (and the observer) is untouched.
    const best = inputs()[0];
    window.__shopperInput = best ? best.el : null;
    return best ? {what: best.what, score: best.score} : null;
  }
  // The send button next to a message box whose Enter did nothing: the nearest visible
  // button after the box, preferring one called "send" (text, label, title or type).
  function clickSend() {
    const box = window.__shopperInput;
    if (!box) return null;
    for (let scope = parentOf(box), up = 0; scope && up < 4; scope = parentOf(scope), up++) {
      const buttons = Array.from(scope.querySelectorAll('button, [role=button], input[type=submit]'))
        .filter((b) => visibleBox(b) && !b.disabled && (box.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING));
      if (!buttons.length) continue;
      const named = buttons.find((b) => /send|submit|reply/i.test([b.innerText, b.getAttribute('aria-label'),
                                                                   b.title, b.type, cls(b)].join(' ')));
      const b = named || buttons[0];
      b.click();
      return describe(b);
    }
    return null;
  }
  window.__shopperChat = {clickSend: clickSend,read: read, launchers: () => launchers().map((c) => c.what),
                          clickLauncher: clickLauncher, markInput: markInput,
                          input: () => window.__shopperInput || null,
                          resetRegion: () => { region = null; }};
})();

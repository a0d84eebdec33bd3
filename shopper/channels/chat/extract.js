// Reads a chat widget's messages as a sighted customer sees them.
// Runs inside the frame that holds the widget; walks open shadow roots. Returns plain data.
(cfg) => {
  const SENDERISH = '[class*=sender],[class*=author],[class*=name],[class*=who]';
  const NOT_TEXT = /(^|[-_\s])(typing|avatar|timestamp|time|meta|status)([-_\s]|$)/i;

  function roots(root) {
    const out = [root];
    const walk = (r) => {
      for (const el of r.querySelectorAll('*')) {
        if (el.shadowRoot) { out.push(el.shadowRoot); walk(el.shadowRoot); }
      }
    };
    walk(root);
    return out;
  }
  function qAll(root, sel) {
    const found = [];
    for (const r of roots(root)) {
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
  // Visually hidden on purpose for screen readers ("sr-only", clipped, off-screen).
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
  function visibleText(el, skip) {
    let out = '';
    for (const n of el.childNodes) {
      if (n.nodeType === 3) { out += n.nodeValue; continue; }
      if (n.nodeType !== 1 || skip(n)) continue;
      const cs = getComputedStyle(n);
      if (cs.display === 'none' || cs.visibility === 'hidden' || srOnly(n, cs)) continue;
      if (n.tagName === 'BR') { out += '\n'; continue; }
      const block = !cs.display.startsWith('inline');
      const inner = n.tagName === 'IMG' ? (n.getAttribute('alt') || '') : visibleText(n, skip);
      out += block ? '\n' + inner + '\n' : inner;
    }
    return out;
  }
  function clean(t) { return t.replace(/[ \t\u00a0]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim(); }
  function describe(e) {
    let d = e.tagName.toLowerCase();
    if (e.id) d += '#' + e.id;
    if (typeof e.className === 'string' && e.className.trim()) d += '.' + e.className.trim().split(/\s+/).slice(0, 3).join('.');
    const role = e.getAttribute('role');
    if (role) d += '[role=' + role + ']';
    return d;
  }
  function seenInstead(scope) {
    const out = [];
    for (const e of qAll(scope, '[role], [class], [id]')) {
      if (out.length >= 12 || hidden(e)) continue;
      const t = clean(e.innerText || '').split('\n')[0].slice(0, 40);
      const d = describe(e) + (t ? ' "' + t + '"' : '');
      if (!out.includes(d)) out.push(d);
    }
    return out;
  }

  let scope = document;
  if (cfg.host) {
    const host = qAll(document, cfg.host)[0];
    if (!host) return {error: 'host', instead: seenInstead(document)};
    if (!host.shadowRoot) return {error: 'closed_shadow', instead: [describe(host)]};
    scope = host.shadowRoot;
  }

  const isSender = (e) => matches(e, cfg.sender);
  const isIgnored = (e) => e.tagName === 'TIME' || matches(e, cfg.ignore);
  let items, container = null, how;
  if (cfg.messages) {
    how = 'selector';
    items = qAll(scope, cfg.messages).filter((e) => !hidden(e));
    // Keep the innermost match when a selector matches a group and its bubbles.
    items = items.filter((e) => !items.some((o) => o !== e && e.contains(o)));
  } else {
    const logs = qAll(scope, '[role=log], [role=feed]').filter((e) => !hidden(e));
    if (!logs.length) return {error: 'no_log', instead: seenInstead(scope)};
    container = logs[0];
    how = 'aria-' + container.getAttribute('role');
    if (container.getAttribute('role') === 'feed') {
      items = qAll(container, '[role=article], article').filter((e) => !hidden(e));
    } else {
      // Each block of visible text inside the log is one message, except labels and meta.
      const blocks = [];
      const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.nodeValue.trim()) continue;
        let b = n.parentElement;
        while (b && b !== container && getComputedStyle(b).display.startsWith('inline')) b = b.parentElement;
        if (!b || b === container || blocks.includes(b)) continue;
        blocks.push(b);
      }
      items = blocks.filter((b) => {
        if (hidden(b) || isIgnored(b) || isSender(b) || matches(b, SENDERISH)) return false;
        const cls = typeof b.className === 'string' ? b.className : '';
        if (NOT_TEXT.test(cls)) return false;
        const t = clean(visibleText(b, isIgnored));
        if (!t || /\bis typing\b/i.test(t)) return false;
        if (t.length <= 2 && (b.getAttribute('aria-hidden') === 'true' || /avatar/i.test(cls))) return false;
        return true;
      });
      items = items.filter((e) => !items.some((o) => o !== e && e.contains(o)));
    }
  }
  if (!container && items.length) {
    // The list holding every message; a message's group is its ancestor just below it.
    // Prefer the list the widget declares; else the lowest element holding every message
    // (with few messages that may be one group, so a declared list is safer).
    const listish = items[0].closest('[role=log],[role=feed],[role=list],ul,ol');
    if (listish && items.every((i) => listish.contains(i))) {
      container = listish;
    } else {
      container = items[0];
      while (container && !items.every((i) => container.contains(i))) container = parentOf(container);
      if (container === items[0]) container = parentOf(items[0]);
    }
  }
  const senderSel = cfg.sender || (cfg.messages ? null : SENDERISH);
  const skipInText = (e) => isIgnored(e) || (senderSel ? matches(e, senderSel) : false);
  function senderOf(el) {
    if (!senderSel) return '';
    const inside = el.querySelector(senderSel);
    if (inside) return clean(inside.innerText || inside.textContent || '');
    for (let a = parentOf(el); a && a !== container && a.nodeType === 1; a = parentOf(a)) {
      const labels = Array.from(a.querySelectorAll(senderSel)).filter(
        (l) => !l.contains(el) && (l.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING));
      if (labels.length) {
        const l = labels[labels.length - 1];
        return clean(l.innerText || l.textContent || '');
      }
    }
    return '';
  }
  function marks(el) {
    const out = [];
    for (let e = el; e && e !== container && e.nodeType === 1; e = parentOf(e)) {
      if (typeof e.className === 'string') out.push(...e.className.split(/\s+/).filter(Boolean));
      for (const a of e.attributes) {
        if (a.name.startsWith('data-') || a.name === 'aria-label') out.push(a.name + '=' + a.value);
      }
    }
    return out;
  }
  const rules = cfg.rules || [];
  const out = items.map((el) => {
    const m = marks(el);
    return {
      text: clean(visibleText(el, skipInText)),
      sender: senderOf(el),
      marks: m.join(' ').slice(0, 400),
      rules: rules.map((r) => r.selector ? (matches(el, r.selector) || !!(el.closest && (() => { try { return el.closest(r.selector); } catch (x) { return null; } })()))
                                         : r.class ? m.includes(r.class) : false),
    };
  }).filter((i) => i.text);
  return {items: out, how: how, container: container ? describe(container) : null};
}

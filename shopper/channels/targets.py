"""Finding the element a web step names, as a customer would: controls before plain text,
exact before partial, visible before hidden, fields by the label they sit next to.

Ambiguity is never settled silently: the candidates are returned so the driver records them.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .network import WATCH_JS
from .pages import LINK_JS, ROOTS_JS, TARGET_JS, evaluate

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

#: Private-use code points: icon-font glyphs that sit in a control's accessible name.
GLYPHS = "\ue000-\uf8ff"

#: Every element carrying `text` under `root` (and in the open shadow roots of its web
#: components), best first, as a customer would pick:
#: visible before hidden, controls before plain text, exact before partial (page order
#: within a rank).
RANK_JS = r"""((root, text, exact) => {
  const doc = root.ownerDocument || root;
  const norm = s => (s || '').replace(/[\ue000-\uf8ff]/g, '').replace(/\s+/g, ' ').trim();
  const want = norm(text).toLowerCase();
  const CONTROL = 'a[href], button, [role=button], [role=link], [role=tab], [role=menuitem], ' +
    '[role=option], input[type=submit], input[type=button], input[type=reset], summary, [onclick]';
  const shown = el => { const r = el.getBoundingClientRect(), st = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none'; };
  const cands = [];
  const add = (el, name, control) => {
    const n = name.toLowerCase();
    if (!(exact ? n === want : n.includes(want))) return;
    cands.push({el, name, control, same: n === want, visible: shown(el),
                href: (LINK)(el.closest('a'))});
  };
  const roots = (ROOTS)(root);  // web components' shadow roots too
  for (const r of roots)
    for (const el of r.querySelectorAll(CONTROL))
      add(el, norm(el.innerText || el.value || el.getAttribute('aria-label') || el.title), true);
  const parents = new Set();
  for (const r of roots) {
    const walk = doc.createTreeWalker(r.body || r, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
      const p = walk.currentNode.parentElement;
      if (!p || parents.has(p) || p.closest(CONTROL) || /^(SCRIPT|STYLE|NOSCRIPT)$/.test(p.tagName)) continue;
      parents.add(p);
      add(p, norm(p.innerText || p.textContent), false);
    }
  }
  const rank = c => (c.visible ? 4 : 0) + (c.control ? 2 : 0) + (c.same ? 1 : 0);
  cands.forEach(c => { c.rank = rank(c); });
  return cands.sort((a, b) => b.rank - a.rank);  // stable: page order within a rank
})""".replace("LINK", LINK_JS).replace("ROOTS", ROOTS_JS)

#: The form control a visible text labels under `root`, by `for`, nesting or proximity.
LABELLED_JS = r"""((root, text, exact) => {
  const norm = s => (s || '').replace(/[\ue000-\uf8ff]/g, '').replace(/[\s*:]+/g, ' ').trim().toLowerCase();
  const want = norm(text);
  const FIELD = 'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea';
  const fields = Array.from(root.querySelectorAll(FIELD));
  const labels = Array.from(root.querySelectorAll('label, legend, dt, th, span, p, div'))
    .filter(l => { const n = norm(l.innerText); return exact ? n === want : n.includes(want); })
    .filter(l => !l.querySelector('label, p, div') || l.tagName === 'LABEL')
    .sort((a, b) => norm(a.innerText).length - norm(b.innerText).length);
  for (const l of labels) {
    const f = (l.control && fields.includes(l.control)) ? l.control : (l.querySelector(FIELD) ||
      fields.find(x => l.compareDocumentPosition(x) & Node.DOCUMENT_POSITION_FOLLOWING));
    if (f) return f;
  }
  return null;
})"""

#: The field a step names by its label under `root`, as a customer would pick it: exact
#: before partial, visible before hidden, and a text merely near a field last (LABELLED).
#: A field's labels are what Playwright's `get_by_label` reads: the elements its
#: `aria-labelledby` names, else its `aria-label`, else its own <label> elements (the text
#: of each, shadow roots included, whitespace collapsed). Exact compares case and all;
#: partial is a case-blind part of a label.
LABEL_JS = r"""((root, text, exact) => {
  const ws = s => (s || '').replace(/\u200b/g, '').trim().replace(/\s+/g, ' ');
  const want = ws(text), low = want.toLowerCase();
  const textOf = node => {
    if (node.nodeType === 1 && (/^(SCRIPT|NOSCRIPT|STYLE)$/.test(node.nodeName) ||
        (node.ownerDocument.head && node.ownerDocument.head.contains(node)))) return '';
    if (node instanceof HTMLInputElement && /^(submit|button|reset)$/.test(node.type)) return node.value;
    let s = '';
    for (let c = node.firstChild; c; c = c.nextSibling)
      s += c.nodeType === 3 ? (c.nodeValue || '') : c.nodeType === 1 ? textOf(c) : '';
    return node.shadowRoot ? s + textOf(node.shadowRoot) : s;
  };
  const labelsOf = el => {
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    const home = el.getRootNode();
    const refs = [...new Set(ids.map(id => home.getElementById ? home.getElementById(id) : null))]
      .filter(Boolean);
    if (refs.length) return refs.map(textOf);
    const aria = el.getAttribute('aria-label');
    if (aria !== null && aria.trim()) return [aria];
    if ((el.nodeName === 'INPUT' && el.type !== 'hidden') ||
        /^(BUTTON|METER|OUTPUT|PROGRESS|SELECT|TEXTAREA)$/.test(el.nodeName))
      return Array.from(el.labels || [], textOf);
    return [];
  };
  const shown = el => { const st = getComputedStyle(el), r = el.getBoundingClientRect();
    return st.visibility === 'visible' && r.width > 0 && r.height > 0; };
  const all = [];
  const collect = r => { for (const el of r.querySelectorAll('*')) {
    all.push(el); if (el.shadowRoot) collect(el.shadowRoot); } };
  collect(root);
  const same = [], part = [];
  for (const el of all) {
    const names = labelsOf(el).map(ws);
    if (names.some(n => n === want)) same.push(el);
    else if (!exact && names.some(n => n.toLowerCase().includes(low))) part.push(el);
  }
  return same.find(shown) || same[0] || part.find(shown) || part[0] || (LABELLED)(root, text, exact);
})""".replace("LABELLED", LABELLED_JS)

#: The attribute the `shopper-stamp` engine sets for a moment (READ_JS removes it).
STAMP = "data-shopper-found"

#: Selector engines (registered with Playwright by the browser pool) that name an element
#: the way the lookups above find it: `shopper-words=<words>` and `shopper-label=<label
#: text>`, each `<encoded JSON [text, exact]>`. Playwright resolves them again each time
#: it acts, so an element the page renders again between a lookup and the click (a
#: framework re-rendering when data arrives) is still the one acted on; and an action on
#: `shopper-label` waits for its field as for any locator, with no lookup before it.
ENGINES = {
    "shopper-words": """{
  query(root, body) { const [t, e] = JSON.parse(decodeURIComponent(body));
    const c = (RANK)(root, t, e); return c.length ? c[0].el : null; },
  queryAll(root, body) { const [t, e] = JSON.parse(decodeURIComponent(body));
    const c = (RANK)(root, t, e); return c.length ? [c[0].el] : []; }
}""".replace("RANK", RANK_JS),
    # chained after a locator narrowed to one element (`... >> shopper-stamp=<token>`):
    # stamps that element so READ_JS can read it, in the same isolated world as the
    # action that follows (a lookup in the page's own world would make Playwright set up
    # its machinery twice on every new page)
    "shopper-stamp": """{
  query(root, token) { if (root.nodeType !== 1) return null;
    root.setAttribute('STAMP', token); return root; },
  queryAll(root, token) { if (root.nodeType !== 1) return [];
    root.setAttribute('STAMP', token); return [root]; }
}""".replace("STAMP", STAMP),
    "shopper-label": """{
  query(root, body) { const [t, e] = JSON.parse(decodeURIComponent(body));
    return (LABEL)(root, t, e); },
  queryAll(root, body) { const [t, e] = JSON.parse(decodeURIComponent(body));
    const f = (LABEL)(root, t, e); return f ? [f] : []; }
}""".replace("LABEL", LABEL_JS),
}

#: Runs in the page: what `shopper-words` picks, what acting on it does, and its rivals
#: (several different elements that matched equally well), in one call.
PICK_JS = r"""([text, exact]) => {
  const cands = (RANK)(document, text, exact);
  if (!cands.length) return {found: false, candidates: []};
  const rivals = cands.filter(c => c.rank === cands[0].rank &&
    (c.href || c.name) !== (cands[0].href || cands[0].name));
  const show = c => ({text: c.name.slice(0, 80), control: c.control, visible: c.visible,
                      href: c.href});
  WATCH;
  return {found: true, picked: show(cands[0]), info: (TARGET)(cands[0].el),
          candidates: rivals.length ? [cands[0], ...rivals].slice(0, 6).map(show) : []};
}""".replace("RANK", RANK_JS).replace("TARGET", TARGET_JS).replace("WATCH", WATCH_JS)

def engine_selector(engine: str, text: str, exact: bool) -> str:
    """A selector for one of ENGINES (its body encoded: words may hold `>>` or quotes)."""
    return f"{engine}={quote(json.dumps([text, exact]), safe='')}"


async def register_engines(selectors: Any) -> None:
    """Register ENGINES with a Playwright instance's `selectors` (once per instance)."""
    for name, script in ENGINES.items():
        await selectors.register(name, script=script, content_script=True)


#: Runs in the page: where acting on the element the `shopper-stamp` engine stamped leads
#: (null when it is gone), in the document or a web component; the stamp is removed.
READ_JS = r"""(token) => {
  const sel = '[STAMP="' + token + '"]';
  let el = document.querySelector(sel);
  if (!el)  // inside a web component
    for (const r of (ROOTS)(document)) if ((el = r.querySelector(sel))) break;
  if (!el) return null;
  el.removeAttribute('STAMP');
  WATCH;
  return (TARGET)(el);
}""".replace("STAMP", STAMP).replace("TARGET", TARGET_JS).replace("ROOTS", ROOTS_JS) \
    .replace("WATCH", WATCH_JS)

#: Runs in the page: the fields a customer can see, named by their label or placeholder.
FIELDS_JS = r"""() => (ROOTS)(document).flatMap(r => Array.from(r.querySelectorAll(
    'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea')))
  .filter(f => f.getBoundingClientRect().width > 0)
  .map(f => { const prev = f.previousElementSibling;  // the text a person reads beside it
    return ((f.labels && f.labels[0] && f.labels[0].innerText) || f.getAttribute('aria-label')
            || (prev && /^(LABEL|SPAN|B|STRONG|DT|TH)$/.test(prev.tagName) && prev.innerText)
            || f.placeholder || f.name || '').replace(/\s+/g, ' ').trim(); })
  .filter(Boolean)""".replace("ROOTS", ROOTS_JS)

def locate(root: "Page", args: dict[str, Any]) -> tuple["Locator", str]:
    """A Playwright locator from a step's locator keys, and a human description of it."""
    exact = bool(args.get("exact", False))
    if "role" in args:
        name = args.get("name")
        loc = root.get_by_role(args["role"], name=name, exact=exact) if name else root.get_by_role(args["role"])
        desc = f'{args["role"]} "{name}"' if name else f'any {args["role"]}'
    elif "label" in args:
        loc, desc = root.get_by_label(args["label"], exact=exact), f'field labelled "{args["label"]}"'
    elif "placeholder" in args:
        loc = root.get_by_placeholder(args["placeholder"], exact=exact)
        desc = f'field with placeholder "{args["placeholder"]}"'
    elif "css" in args:
        loc, desc = root.locator(args["css"]), f'element "{args["css"]}"'
    elif "testid" in args:
        loc, desc = root.get_by_test_id(args["testid"]), f'element with test id "{args["testid"]}"'
    else:
        text = args.get("text", "")
        loc = root.get_by_role("link", name=text, exact=exact).or_(
            root.get_by_role("button", name=text, exact=exact)).or_(root.get_by_text(text, exact=exact))
        desc = f'"{text}"'
    nth = args.get("nth")
    return (loc.nth(nth - 1) if nth else loc.first), desc


_stamps = itertools.count(1)


async def _first(loc: "Locator", info: bool, pick_visible: bool = True) -> tuple["Locator | None", dict[str, Any]]:
    """The first visible match of `loc` (else its first match), and with `info` what acting
    on it will do; (None, {}) when nothing matches yet. The locator returned is the step's
    own, narrowed: Playwright resolves it again when it acts, so an element the page
    renders again in between is still found. The lookup runs where the action will
    (Playwright's isolated world); `info` is then read by one evaluation in the page."""
    page = loc.page
    for narrowed in (loc.filter(visible=True).first, loc.first) if pick_visible else (loc,):
        token = str(next(_stamps))
        try:
            n = await (narrowed.locator(f"shopper-stamp={token}") if info else narrowed).count()
            if not n:
                continue
            read = await evaluate(page, READ_JS, token) if info else {}
        except Exception:  # the page is navigating: nothing found yet, the caller looks again
            return None, {}
        if read is None:  # rendered again between the two calls: look again
            return None, {}
        return narrowed, read
    return None, {}


async def find_target(page: "Page", args: dict[str, Any], info: bool = True, look: bool = True
                      ) -> tuple["Locator | None", str, dict[str, Any]]:
    """The element a step names (None when nothing matches yet), a description, and what
    was weighed: `info`, where acting on it leads (TARGET_JS), and `candidates` when
    several different elements matched equally well.

    `info=False` (typing into a field): only whether the element is there. The action
    then resolves the step's locator once more itself. `look=False` as well: the action
    waits for the element itself, so a field named by its label is not looked up first
    (`shopper-label` ranks in the page what the lookup would); its locator is returned at
    once, whether or not the field is there yet."""
    if args.get("nth") or not any(k in args for k in ("text", "label", "role")):
        loc, desc = locate(page, args)  # already narrowed to one: .first or .nth()
        found, read = await _first(loc, info, pick_visible=False)
        return found, desc, {"info": read}
    exact = bool(args.get("exact", False))
    if "text" in args:
        try:
            picked = await evaluate(page, PICK_JS, [args["text"], exact])
        except Exception:  # the page is navigating: look again
            return None, f'"{args["text"]}"', {}
        if not picked["found"]:
            return None, f'"{args["text"]}"', picked
        loc = page.locator(engine_selector("shopper-words", args["text"], exact))
        return loc, f'"{args["text"]}"', picked
    if "label" in args:
        loc = page.locator(engine_selector("shopper-label", args["label"], exact))
        desc = f'field labelled "{args["label"]}"'
        if not (look or info):
            return loc, desc, {"info": {}}
        found, read = await _first(loc, info, pick_visible=False)
        return found, desc, {"info": read}
    role, name = args["role"], args.get("name")
    desc = f'{role} "{name}"' if name else f"any {role}"
    if not name:
        found, read = await _first(page.get_by_role(role), info)
        return found, desc, {"info": read}
    for strict in ((True, False) if not exact else (True,)):
        found, read = await _first(page.get_by_role(role, name=name, exact=strict), info)
        if found is not None:
            return found, desc, {"info": read}
    # icon fonts put glyphs in the accessible name: match the visible words alone
    pattern = re.compile(rf"^[\s{GLYPHS}]*{re.escape(name)}[\s{GLYPHS}]*$" if exact
                         else re.escape(name), re.I)
    found, read = await _first(page.get_by_role(role, name=pattern), info)
    return found, desc, {"info": read}


async def visible_fields(page: "Page", limit: int = 12) -> list[str]:
    """Names of the form fields on the page, to say what was there instead of a field."""
    try:
        names = await evaluate(page, FIELDS_JS)
    except Exception:  # page gone or navigating
        return []
    return list(dict.fromkeys(n[:60] for n in names))[:limit]

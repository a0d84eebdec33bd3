"""Finding the element a web step names, as a customer would: controls before plain text,
exact before partial, visible before hidden, fields by the label they sit next to.

Ambiguity is never settled silently: the candidates are returned so the driver records them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

MARK = "data-shopper-target"
#: Private-use code points: icon-font glyphs that sit in a control's accessible name.
GLYPHS = "\ue000-\uf8ff"

#: Runs in the page: rank every element carrying `text`; mark the best with MARK=token.
PICK_JS = r"""([text, exact, token]) => {
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
                href: el.closest('a') ? el.closest('a').href : null});
  };
  for (const el of document.querySelectorAll(CONTROL))
    add(el, norm(el.innerText || el.value || el.getAttribute('aria-label') || el.title), true);
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parents = new Set();
  while (walk.nextNode()) {
    const p = walk.currentNode.parentElement;
    if (!p || parents.has(p) || p.closest(CONTROL) || /^(SCRIPT|STYLE|NOSCRIPT)$/.test(p.tagName)) continue;
    parents.add(p);
    add(p, norm(p.innerText || p.textContent), false);
  }
  const rank = c => (c.visible ? 4 : 0) + (c.control ? 2 : 0) + (c.same ? 1 : 0);
  cands.sort((a, b) => rank(b) - rank(a));  // stable: page order within a rank
  document.querySelectorAll('[' + MARK + ']').forEach(e => e.removeAttribute(MARK));
  if (!cands.length) return {found: false, candidates: []};
  cands[0].el.setAttribute(MARK, token);
  const top = rank(cands[0]);
  const rivals = cands.filter(c => rank(c) === top &&
    (c.href || c.name) !== (cands[0].href || cands[0].name));
  const show = c => ({text: c.name.slice(0, 80), control: c.control, visible: c.visible,
                      href: c.href});
  return {found: true, picked: show(cands[0]),
          candidates: rivals.length ? [cands[0], ...rivals].slice(0, 6).map(show) : []};
}""".replace("MARK", repr(MARK))

#: Runs in the page: the form control a visible text labels, by `for`, nesting or proximity.
FIELD_JS = r"""([text, exact, token]) => {
  const norm = s => (s || '').replace(/[\ue000-\uf8ff]/g, '').replace(/[\s*:]+/g, ' ').trim().toLowerCase();
  const want = norm(text);
  const FIELD = 'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea';
  const fields = Array.from(document.querySelectorAll(FIELD));
  const labels = Array.from(document.querySelectorAll('label, legend, dt, th, span, p, div'))
    .filter(l => { const n = norm(l.innerText); return exact ? n === want : n.includes(want); })
    .filter(l => !l.querySelector('label, p, div') || l.tagName === 'LABEL')
    .sort((a, b) => norm(a.innerText).length - norm(b.innerText).length);
  document.querySelectorAll('[' + MARK + ']').forEach(e => e.removeAttribute(MARK));
  for (const l of labels) {
    const f = (l.control && fields.includes(l.control)) ? l.control : (l.querySelector(FIELD) ||
      fields.find(x => l.compareDocumentPosition(x) & Node.DOCUMENT_POSITION_FOLLOWING));
    if (f) { f.setAttribute(MARK, token); return true; }
  }
  return false;
}""".replace("MARK", repr(MARK))

#: Runs in the page: the fields a customer can see, named by their label or placeholder.
FIELDS_JS = r"""() => Array.from(document.querySelectorAll(
    'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea'))
  .filter(f => f.getBoundingClientRect().width > 0)
  .map(f => { const prev = f.previousElementSibling;  // the text a person reads beside it
    return ((f.labels && f.labels[0] && f.labels[0].innerText) || f.getAttribute('aria-label')
            || (prev && /^(LABEL|SPAN|B|STRONG|DT|TH)$/.test(prev.tagName) && prev.innerText)
            || f.placeholder || f.name || '').replace(/\s+/g, ' ').trim(); })
  .filter(Boolean)"""

_token = 0


def _next_token() -> str:
    global _token
    _token += 1
    return str(_token)


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


async def _best(loc: "Locator") -> "Locator | None":
    """The first visible match, else the first match, else None."""
    if await loc.filter(visible=True).count():
        return loc.filter(visible=True).first
    return loc.first if await loc.count() else None


async def find_target(page: "Page", args: dict[str, Any]) -> tuple["Locator | None", str, dict[str, Any]]:
    """The element a step names (None when nothing matches yet), a description, and what
    was weighed (`candidates` when several different elements matched equally well)."""
    if args.get("nth") or not any(k in args for k in ("text", "label", "role")):
        loc, desc = locate(page, args)
        return loc, desc, {}
    exact = bool(args.get("exact", False))
    if "text" in args:
        token = _next_token()
        info = await page.evaluate(PICK_JS, [args["text"], exact, token])
        loc = page.locator(f'[{MARK}="{token}"]') if info["found"] else None
        return loc, f'"{args["text"]}"', info
    if "label" in args:
        text, desc = args["label"], f'field labelled "{args["label"]}"'
        for strict in ((True, False) if not exact else (True,)):
            found = await _best(page.get_by_label(text, exact=strict))
            if found is not None:
                return found, desc, {}
        token = _next_token()
        if await page.evaluate(FIELD_JS, [text, exact, token]):
            return page.locator(f'[{MARK}="{token}"]'), desc, {"by": "nearby label text"}
        return None, desc, {}
    role, name = args["role"], args.get("name")
    desc = f'{role} "{name}"' if name else f"any {role}"
    if not name:
        return page.get_by_role(role).first, desc, {}
    for strict in ((True, False) if not exact else (True,)):
        found = await _best(page.get_by_role(role, name=name, exact=strict))
        if found is not None:
            return found, desc, {}
    # icon fonts put glyphs in the accessible name: match the visible words alone
    pattern = re.compile(rf"^[\s{GLYPHS}]*{re.escape(name)}[\s{GLYPHS}]*$" if exact
                         else re.escape(name), re.I)
    found = await _best(page.get_by_role(role, name=pattern))
    return found, desc, {}


async def visible_fields(page: "Page", limit: int = 12) -> list[str]:
    """Names of the form fields on the page, to say what was there instead of a field."""
    try:
        names = await page.evaluate(FIELDS_JS)
    except Exception:  # page gone or navigating
        return []
    return list(dict.fromkeys(n[:60] for n in names))[:limit]

"""CSS and the small client-side script of the chat window (no external resources)."""
from __future__ import annotations

import json

CSS = r"""
#rag-question button.submit-button {
  background: var(--button-primary-background-fill); color: var(--button-primary-text-color);
  padding: 0 16px; border-radius: 8px; font-weight: 600; width: auto; min-width: 64px;
}
#rag-question button.submit-button:hover { background: var(--button-primary-background-fill-hover); }
.rag-header h1 { margin: 0 0 2px 0; font-size: 1.45rem; }
.rag-header p { margin: 0; color: var(--body-text-color-subdued); }

/* messages: text exactly as written, line breaks kept */
.rag-msg .rag-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.rag-msg.rag-bot { cursor: default; }
.rag-msg.rag-selected .rag-text { text-decoration: none; }
.rag-cite {
  display: inline-block; cursor: pointer; user-select: none;
  margin: 0 1px; padding: 0 5px; border-radius: 6px; line-height: 1.35;
  font-size: 0.82em; font-weight: 600; vertical-align: 1px;
  color: #1d4ed8; background: #dbeafe; border: 1px solid #bfdbfe;
}
.rag-cite:hover, .rag-cite:focus { background: #bfdbfe; outline: none; }
.rag-cite.rag-cite-active { background: #1d4ed8; color: #fff; border-color: #1d4ed8; }
.rag-status { display: flex; align-items: center; gap: 8px; color: var(--body-text-color-subdued); font-style: italic; }
.rag-streaming .rag-text { margin-top: 4px; }
.rag-spinner {
  width: 12px; height: 12px; border-radius: 50%; flex: none;
  border: 2px solid #93c5fd; border-top-color: #1d4ed8; animation: rag-spin 0.8s linear infinite;
}
@keyframes rag-spin { to { transform: rotate(360deg); } }
.rag-flag { margin-top: 8px; padding: 4px 8px; border-radius: 6px; font-size: 0.86em; }
.rag-flag-abstain { background: #fef3c7; color: #78350f; border: 1px solid #fcd34d; }
.rag-flag-fallback { background: #ffedd5; color: #7c2d12; border: 1px solid #fdba74; }
.rag-flag-checks { background: var(--background-fill-secondary); color: var(--body-text-color); border: 1px solid var(--border-color-primary); }
.rag-flag-error { margin: 0 0 6px 0; background: #fee2e2; color: #7f1d1d; border: 1px solid #fca5a5; display: inline-block; font-weight: 600; }

/* sources panel */
#rag-sources-panel { max-height: 660px; overflow-y: auto; }
.rag-sources-title { margin: 2px 0 0 0; font-size: 1.05rem; font-weight: 600; }
.rag-sources { display: flex; flex-direction: column; gap: 10px; font-size: 0.93rem; }
.rag-turn { display: none; flex-direction: column; gap: 10px; }
.rag-turn.active { display: flex; }
.rag-turn-q { color: var(--body-text-color-subdued); font-size: 0.88em; }
.rag-turn-q q { color: var(--body-text-color); font-style: italic; }
.rag-empty { color: var(--body-text-color-subdued); padding: 12px 4px; line-height: 1.5; }
.rag-banner { padding: 8px 10px; border-radius: 8px; font-weight: 600; }
.rag-banner-abstain { background: #fef3c7; color: #78350f; border: 1px solid #fcd34d; }
.rag-banner-fallback { background: #ffedd5; color: #7c2d12; border: 1px solid #fdba74; }
.rag-card {
  border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 10px 12px;
  background: var(--background-fill-primary); transition: box-shadow 0.2s, border-color 0.2s;
}
.rag-card.focus { border-color: #2563eb; box-shadow: 0 0 0 3px rgba(37, 99, 235, 0.25); }
.rag-card-head { line-height: 1.35; }
.rag-num { font-weight: 700; color: #1d4ed8; margin-right: 5px; }
.rag-title { font-weight: 600; }
.rag-card-head .rag-badge { margin-left: 6px; vertical-align: 1px; }
.rag-meta { color: var(--body-text-color-subdued); font-size: 0.86em; margin: 2px 0 6px 0; }
.rag-passage { white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.5; font-size: 0.92em; color: var(--body-text-color); }
.rag-passage mark.rag-quote, mark.rag-quote { background: #fde68a; color: #1f2937; padding: 1px 0; border-radius: 2px; }
.rag-quote-alone { margin-top: 6px; font-style: italic; }
.rag-badge {
  display: inline-block; padding: 1px 7px; border-radius: 999px; font-size: 0.74rem; font-weight: 700;
  letter-spacing: 0.02em; text-transform: uppercase; white-space: nowrap;
}
.rag-badge-opinion { background: #fee2e2; color: #991b1b; border: 1px solid #fca5a5; }
.rag-badge-analysis { background: #ede9fe; color: #5b21b6; border: 1px solid #c4b5fd; }
.rag-badge-mt { background: #e0f2fe; color: #075985; border: 1px solid #7dd3fc; }
.rag-badge-report { background: #f1f5f9; color: #475569; border: 1px solid #cbd5e1; }
.rag-checks {
  border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 6px 10px;
  background: var(--background-fill-secondary); color: var(--body-text-color); font-size: 0.88em;
}
.rag-checks summary { cursor: pointer; font-weight: 600; color: var(--body-text-color); }
.rag-checks b { color: var(--body-text-color); }
.rag-checks ul { margin: 6px 0 2px 0; padding-left: 18px; }
.rag-check { margin: 3px 0; }
.rag-check-detail, .rag-check-sentence { color: var(--body-text-color); opacity: 0.78; }
.rag-check-sentence { font-style: italic; margin-top: 1px; }

/* articles tab */
.rag-articles-caption { margin: 4px 0 8px 0; color: var(--body-text-color-subdued); }
.rag-articles table.rag-table { width: 100%; border-collapse: collapse; font-size: 0.92rem; border: none; margin: 0; }
.rag-articles .rag-table th, .rag-articles .rag-table td {
  text-align: left; padding: 7px 8px; vertical-align: top;
  border: none; border-bottom: 1px solid var(--border-color-primary);
}
.rag-articles .rag-table thead th { border-bottom: 2px solid var(--border-color-primary); }
.rag-table th { font-weight: 600; color: var(--body-text-color-subdued); }
.rag-art-title { font-weight: 600; }
.rag-art-id { font-weight: 400; font-size: 0.8em; color: var(--body-text-color-subdued); font-family: monospace; }
.rag-num-col { text-align: right; }
.rag-notice { padding: 8px 10px; border-radius: 8px; white-space: pre-wrap; }
.rag-notice-info { background: #eff6ff; color: #1e3a8a; border: 1px solid #bfdbfe; }
.rag-notice-ok { background: #ecfdf5; color: #065f46; border: 1px solid #a7f3d0; }
.rag-notice-error { background: #fee2e2; color: #7f1d1d; border: 1px solid #fca5a5; }
"""

# Runs once per page (installed by the sources panel's js_on_load):
# - a click on a citation marker [n] shows that answer's sources and focuses card n;
#   a click elsewhere on an answer shows that answer's sources;
# - the chatbot's copy button copies the answer as plain text, not the HTML around it.
_JS = r"""
(function () {
  if (window.__ragUi) return;
  window.__ragUi = true;
  if (!document.getElementById('rag-style')) {
    const st = document.createElement('style');
    st.id = 'rag-style';
    st.textContent = __CSS__;
    document.head.appendChild(st);
  }
  // which answer / citation an element belongs to is in its classes (the chat's
  // sanitizer keeps classes but drops data- attributes)
  function num(el, re) { const m = (el.className || '').match(re); return m ? m.slice(1) : null; }
  function activate(turn, n) {
    const panel = document.querySelector('.rag-sources');
    if (turn == null) return;
    document.querySelectorAll('.rag-card.focus').forEach(c => c.classList.remove('focus'));
    document.querySelectorAll('.rag-cite.rag-cite-active').forEach(c => c.classList.remove('rag-cite-active'));
    document.querySelectorAll('.rag-msg.rag-selected').forEach(m => m.classList.remove('rag-selected'));
    document.querySelectorAll('.rag-msg.rag-for-' + turn).forEach(m => m.classList.add('rag-selected'));
    if (!panel) return;
    panel.querySelectorAll('.rag-turn').forEach(s => s.classList.toggle('active', s.classList.contains('rag-sec-' + turn)));
    if (n == null) return;
    document.querySelectorAll('.rag-cite.rag-ref-' + turn + '-' + n).forEach(c => c.classList.add('rag-cite-active'));
    const card = panel.querySelector('.rag-card-' + turn + '-' + n);
    if (card) {
      card.classList.add('focus');
      card.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }
  }
  window.ragShowSource = activate;
  function citeOf(t) {
    const cite = t.closest('.rag-cite');
    const ids = cite ? num(cite, /\brag-ref-(\d+)-(\d+)\b/) : null;
    return ids ? { turn: ids[0], n: ids[1] } : null;
  }
  document.addEventListener('click', function (e) {
    const t = e.target instanceof Element ? e.target : null;
    if (!t) return;
    const c = citeOf(t);
    if (c) { e.preventDefault(); activate(c.turn, c.n); return; }
    const msg = t.closest('.rag-msg.rag-bot');
    const ids = msg ? num(msg, /\brag-for-(\d+)\b/) : null;
    if (ids) activate(ids[0], null);
  }, true);
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    const c = e.target instanceof Element ? citeOf(e.target) : null;
    if (c) { e.preventDefault(); activate(c.turn, c.n); }
  }, true);
  function plain(text) {
    if (typeof text !== 'string' || text.indexOf('class="rag-msg') < 0) return text;
    const doc = new DOMParser().parseFromString(text, 'text/html');
    const msgs = Array.from(doc.querySelectorAll('.rag-msg'));
    if (!msgs.length) return text;
    return msgs.map(m => { const x = m.querySelector('.rag-text'); return (x || m).textContent; }).join('\n\n');
  }
  window.ragPlainText = plain;
  // Gradio labels each message for screen readers with its raw content: read the text instead
  function fixLabels(root) {
    (root || document).querySelectorAll('[aria-label*="rag-msg"]').forEach(function (el) {
      const label = el.getAttribute('aria-label');
      const i = label.indexOf('<');
      el.setAttribute('aria-label', label.slice(0, i) + plain(label.slice(i)));
    });
  }
  new MutationObserver(function (records) {
    for (const r of records) {
      if (r.type === 'attributes' || r.addedNodes.length) { fixLabels(document); return; }
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
  fixLabels(document);
  const cb = navigator.clipboard;
  if (cb && typeof cb.writeText === 'function' && !cb.__ragWrapped) {
    const orig = cb.writeText.bind(cb);
    cb.writeText = function (text) { return orig(plain(text)); };
    cb.__ragWrapped = true;
  }
})();
"""

JS_ON_LOAD = _JS.replace("__CSS__", json.dumps(CSS))

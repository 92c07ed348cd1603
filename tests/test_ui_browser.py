"""The chat window in a real headless Chromium (Debian's `chromium`, driven by Playwright).

The app runs in-process on a free localhost port with the REAL embedding model and
a REAL index (built once into a temporary store) and a scripted FakeLLM, so each
answer takes about a second. Screenshots of the main states go to
test-artifacts/screenshots/ (not committed); RAG_UPDATE_SCREENSHOT=1 also copies the
answered-question screenshot to docs/screenshot.png.

Needs: `make browser-deps` (apt's chromium) and the `playwright` package (no
`playwright install`: the system Chromium is used).

The first tests in this file check the HTML rendering without a browser and run
in the fast suite.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from rag.types import Answer, Check, Citation

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

GERMAN_Q = "In welcher Stadt fand im Oktober 2024 der BRICS-Gipfel statt?"
FOLLOW_UP = "Und wer war als UN-Generalsekretär dort?"
UNANSWERABLE = "Wie wird das Wetter morgen in Kasan?"  # the scripted LLM declines this one
INJECT_Q = "Testbild: Was geschah beim BRICS-Gipfel in Kasan?"
PAYLOAD = "![x](http://evil.example/a.png) <img src=x onerror=alert(1)>"
EVIL_ARTICLE_Q = "Was meldete die Stadtverwaltung von Kasan über das Testbild im Rathaus?"

browser_test = [pytest.mark.browser, pytest.mark.slow]


# -- fast: the HTML the UI builds (no browser, no models) -----------------------

def _answer(text: str, **kw) -> Answer:
    passage = "Erster Satz. Zweiter Satz mit <b>Markup</b> & ${x} {{y}}. Dritter Satz."
    a, b = passage.index("Zweiter"), passage.index(". Dritter") + 1
    cit = Citation(n=1, doc_id="d1", title="<i>Titel</i>", outlet="Blatt & Co", author="A. Autor", date="2024-10",
                   kind="opinion", text=passage, quote=passage[a:b], start=100 + a, end=100 + b,
                   passage_start=100, passage_end=100 + len(passage))
    return Answer(question="q", text=text, citations=[cit], **kw)


def test_render_escapes_answer_and_makes_markers_clickable():
    from ui import render

    html = render.answer_message(3, _answer(f"Satz {PAYLOAD} [1] und [7]."))
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "![x](http://evil.example/a.png)" in html  # markdown stays literal text (rendering is off)
    assert 'class="rag-cite rag-ref-3-1"' in html
    assert "[7]" in html and "rag-ref-3-7" not in html  # a marker without a citation is plain text


def test_render_sources_panel_highlights_quote_and_marks_kind():
    from ui import render

    ans = _answer("Satz [1].", checks=[Check("claim_removed", "not supported", "<script>x</script>", "removed")])
    html = render.sources_panel([{"question": "<q>?", "answer": ans}])
    assert '<mark class="rag-quote">Zweiter Satz mit &lt;b&gt;Markup&lt;/b&gt; &amp; &#36;&#123;x&#125; &#123;&#123;y&#125;&#125;.</mark>' in html
    assert "rag-badge-opinion" in html and "&lt;i&gt;Titel&lt;/i&gt;" in html and "Blatt &amp; Co" in html
    assert "Claim removed" in html and "&lt;script&gt;" in html and "<script" not in html


def test_render_abstained_and_fallback_are_said_plainly():
    from ui import render

    abst = render.answer_message(0, Answer(question="q", text="Die Artikel enthalten dazu keine Angaben.", abstained=True))
    assert "do not answer this question" in abst
    fb = render.answer_message(1, _answer("„Zitat“ [1]", fallback=True))
    assert "failed the source checks" in fb
    panel = render.sources_panel([{"question": "q", "answer": _answer("„Zitat“ [1]", fallback=True)}])
    assert "Fallback" in panel


def test_highlight_falls_back_to_search_when_offsets_disagree():
    from ui import render

    c = _answer("x [1]").citations[0]
    c.start += 5  # offsets off by a few characters: the quote is found by search
    a, b = render.highlight_span(c)
    assert c.text[a:b] == c.quote


# -- the browser tests ---------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _first_sentence(prompt: str) -> str:
    m = re.search(r'<passage id="1"[^>]*>\s*(.+?[.!?])(\s|<)', prompt, re.S)
    return m.group(1).strip() if m else ""


# (words of the question, a phrase of the passage to cite, the answer): what a good model would write
SCRIPTED = [
    ("BRICS-Gipfel statt", "BRICS-Gipfel in Kasan aus", "Russland richtete den BRICS-Gipfel am 22. Oktober in Kasan aus [{n}]."),
    ("UN-Generalsekretär", "Guterres war vor Ort", "Auch UN-Generalsekretär António Guterres war vor Ort [{n}]."),
]


def _script(messages: list[dict]) -> str:
    """The scripted LLM: passage [1]'s first sentence, cited; declines or misbehaves on cue."""
    prompt = messages[-1]["content"]
    if "<passage id=" not in prompt:  # the follow-up rewriting prompt: keep the question
        m = re.search(r"(?:Follow-up question|Folgefrage):\s*(.+)", prompt)
        return m.group(1).strip() if m else ""
    question = prompt.rsplit("</passage>", 1)[-1]
    passages = re.findall(r'<passage id="(\d+)"[^>]*>(.*?)</passage>', prompt, re.S)
    for words, phrase, answer in SCRIPTED:
        n = next((i for i, text in passages if phrase in text), None)
        if words in question and n:
            return answer.format(n=n)
    if "Wetter" in question:
        return "Die Auszüge enthalten dazu keine Angaben."
    if "Testbild:" in question:
        return f"{_first_sentence(prompt)} {PAYLOAD} [1]"
    return f"{_first_sentence(prompt)} [1]"


class App:
    def __init__(self, url, assistant, llm, answers, settings, demo):
        self.url, self.assistant, self.llm, self.answers, self.settings, self.demo = url, assistant, llm, answers, settings, demo

    def answer_for(self, question: str) -> Answer:
        found = [a for q, a in self.answers if q == question]
        assert found, f"no answer recorded for {question!r}"
        return found[-1]

    def condense_prompts(self) -> list[str]:
        return [m[-1]["content"] for m in list(self.llm.calls) if "<passage id=" not in m[-1]["content"]]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    from index.embedding import load_embed_model
    from index.store import build_index
    from rag.generation.llm import FakeLLM
    from rag.pipeline import Assistant
    from rag.settings import load_settings
    from ui.app import build_app, serve

    store = tmp_path_factory.mktemp("ui-index")
    settings = load_settings(llm_backend="fake", store_dir=store)
    embed = load_embed_model(settings, threads=os.cpu_count() or 2)
    build_index(settings, progress=False, embed_model=embed)
    llm = FakeLLM(_script, delay_s=0.1)
    assistant = Assistant(settings, llm=llm, embed_model=embed)

    answers: list[tuple[str, Answer]] = []
    real_stream = assistant.stream

    def recording_stream(question, history=None, top_k=None):
        for ev in real_stream(question, history, top_k):
            if ev.kind == "answer":
                if question.startswith("Testbild:") and PAYLOAD not in ev.answer.text:
                    # as if the checks had let the model's markup through: the UI must still show it as text
                    ev.answer.text = ev.answer.text + " " + PAYLOAD
                answers.append((question, ev.answer))
            yield ev

    assistant.stream = recording_stream
    demo = build_app(assistant, settings)
    port = _free_port()
    serve(demo, host="127.0.0.1", port=port, prevent_thread_lock=True, quiet=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield App(f"http://127.0.0.1:{port}/", assistant, llm, answers, settings, demo)
    demo.close()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).exists():
        pytest.skip("Debian's chromium is not installed (make browser-deps)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """One browser session (its own context): the page plus what it requested."""

    def __init__(self, browser, app):
        self.ctx = browser.new_context(viewport={"width": 1400, "height": 950}, permissions=["clipboard-read", "clipboard-write"])
        self.ctx.set_default_timeout(30_000)
        self.page = self.ctx.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(app.url)
        self.page.wait_for_selector("#rag-question textarea")
        self.page.wait_for_function("window.__ragUi === true")

    def shot(self, name: str) -> Path:
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path

    def answers_shown(self) -> int:
        return self.page.locator("#rag-chat .rag-msg.rag-bot:not(.rag-streaming)").count()

    def submit(self, text: str) -> None:
        self.page.fill("#rag-question textarea", text)
        self.page.press("#rag-question textarea", "Enter")

    def ask(self, text: str) -> None:
        n = self.answers_shown()
        self.submit(text)
        self.wait_answers(n + 1)

    def wait_answers(self, n: int) -> None:
        self.page.wait_for_function(
            f"document.querySelectorAll('#rag-chat .rag-msg.rag-bot:not(.rag-streaming)').length >= {n}")

    def last_answer(self):
        return self.page.locator("#rag-chat .rag-msg.rag-bot").last

    def outside_requests(self) -> list[str]:
        bad = []
        for u in self.requests:
            p = urlparse(u)
            if p.scheme in ("data", "blob", "about"):
                continue
            if p.hostname not in ("127.0.0.1", "localhost") or p.path.rstrip("/").endswith("/x"):
                bad.append(u)
        return bad

    def close(self) -> None:
        self.ctx.close()


@pytest.fixture
def session(browser, app):
    s = Page(browser, app)
    yield s
    try:
        assert not s.outside_requests(), f"requests left localhost: {s.outside_requests()}"
        assert not s.dialogs, f"a script ran: {s.dialogs}"
    finally:
        s.close()


def _clipboard(page, expected: str, timeout_s: float = 5.0) -> str:
    """The clipboard's text, once it equals `expected` or the time is up."""
    deadline = time.monotonic() + timeout_s
    while True:
        text = page.evaluate("navigator.clipboard.readText()")
        if text == expected or time.monotonic() > deadline:
            return text
        page.wait_for_timeout(100)


WATCH_STREAM = """() => {
  window.__seen = {status: [], lens: []};
  new MutationObserver(() => {
    const m = document.querySelector('#rag-chat .rag-streaming');
    if (!m) return;
    const st = m.querySelector('.rag-status');
    if (st && !__seen.status.includes(st.textContent)) __seen.status.push(st.textContent);
    const tx = m.querySelector('.rag-text');
    if (tx && !__seen.lens.includes(tx.textContent.length)) __seen.lens.push(tx.textContent.length);
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


@pytest.mark.browser
@pytest.mark.slow
def test_german_question_streams_cites_and_shows_source_then_follow_up(app, session):
    page = session.page
    for example in ("BRICS-Gipfel statt?", "What did Xi Jinping"):  # example questions on the empty chat
        assert page.get_by_text(example).count() >= 1
    session.shot("01-empty-chat")

    page.evaluate(WATCH_STREAM)
    session.submit(GERMAN_Q)
    page.wait_for_selector("#rag-chat .rag-streaming .rag-text")  # tokens arrive while the answer is written
    session.shot("02-streaming")
    session.wait_answers(1)
    seen = page.evaluate("window.__seen")
    assert "Searching the articles…" in seen["status"], seen
    assert len([n for n in seen["lens"] if n > 0]) >= 2, f"the answer did not stream: {seen}"

    ans = app.answer_for(GERMAN_Q)
    assert ans.citations and not ans.abstained
    msg = session.last_answer()
    assert msg.locator(".rag-cite").count() >= 1
    shown = msg.locator(".rag-text").inner_text()
    assert shown.replace("\n", " ").split() == ans.text.replace("\n", " ").split()  # the final text replaced the tokens

    label = page.locator("#rag-chat [data-testid='bot']").last.get_attribute("aria-label") or ""
    assert "<" not in label and ans.text in label, label  # screen readers get the text, not the markup

    c = ans.citations[0]
    msg.locator(".rag-cite").first.click()
    card = page.locator(f"#rag-sources-panel .rag-card-0-{c.n}")
    card.wait_for(state="visible")
    assert "focus" in (card.get_attribute("class") or "")
    head = card.locator(".rag-card-head").inner_text()
    assert c.title in head
    meta = card.locator(".rag-meta").inner_text()
    assert c.outlet.split(" (")[0] in meta and c.date in meta
    marked = [t.split() for t in card.locator("mark.rag-quote").all_inner_texts()]
    assert marked == [q.split() for q in c.quotes()] and c.quote.split() in marked
    if c.kind in ("opinion", "analysis", "machine-translated"):
        assert card.locator(".rag-badge").count() == 1
    time.sleep(0.4)  # let the smooth scroll settle for the screenshot
    path = session.shot("03-answer-with-source")
    if os.environ.get("RAG_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(path, ROOT / "docs" / "screenshot.png")

    # the copy button copies the answer as plain text
    page.locator("#rag-chat button[aria-label='Copy message']").last.click()  # the answer is the last message
    assert _clipboard(page, ans.text) == ans.text

    # a follow-up: the conversation goes to the pipeline
    session.ask(FOLLOW_UP)
    assert any(GERMAN_Q in p and FOLLOW_UP in p for p in app.condense_prompts()), "the follow-up did not get the history"
    assert page.locator("#rag-chat .rag-msg.rag-user").count() == 2
    follow = app.answer_for(FOLLOW_UP)
    assert session.last_answer().locator(".rag-text").inner_text().split() == follow.text.split()
    session.shot("04-follow-up")

    # the sources of the first answer come back when its marker is clicked
    page.locator("#rag-chat .rag-cite.rag-ref-0-1").first.click()
    page.locator("#rag-sources-panel .rag-sec-0").wait_for(state="visible")
    assert not page.locator("#rag-sources-panel .rag-sec-1").is_visible()

    # a new conversation forgets the old one; top-k from the settings applies to the next question
    page.click("#rag-new")
    page.wait_for_function("document.querySelectorAll('#rag-chat .rag-msg').length === 0")
    assert "Sources appear here" in page.inner_text("#rag-sources-panel")
    page.click("#rag-settings >> text=Settings")
    topk = page.locator("#rag-topk input[type=number]")
    topk.wait_for(state="visible")
    for attempt in range(3):  # under CPU load the accordion may still be opening when typed into
        topk.fill("3")
        topk.press("Tab")
        try:
            page.wait_for_function("document.querySelector('#rag-topk input[type=range]').value === '3'", timeout=10_000)
            break
        except Exception:
            if attempt == 2:
                raise
    page.wait_for_timeout(300)  # the new value reaches the app's state before the next question
    n_condense = len(app.condense_prompts())
    session.ask("Welche Rolle spielte China beim BRICS-Gipfel?")
    assert len(app.condense_prompts()) == n_condense, "history leaked into the new conversation"
    # three chunks retrieved (the sentence windows the model read come first, each "<chunk>@<span>")
    retrieved = [p for p in app.answer_for("Welche Rolle spielte China beim BRICS-Gipfel?").passages if "@" not in p.chunk_id]
    assert len(retrieved) == 3
    assert page.locator("#rag-chat .rag-msg.rag-user").count() == 1


@pytest.mark.browser
@pytest.mark.slow
def test_example_question_and_unanswerable_question(app, session):
    page = session.page
    # the English example on the empty chat; the German-only scripted LLM's answer fails the
    # language check, so today this shows the fallback (quoted passages)
    page.get_by_text("What did Xi Jinping").first.click()
    session.wait_answers(1)
    question, ans = app.answers[-1]
    assert question.startswith("What did Xi Jinping")
    msg = session.last_answer()
    assert (msg.locator(".rag-flag-fallback").count() == 1) == (ans.fallback and not ans.abstained)
    if ans.fallback:
        assert "failed the source checks" in msg.inner_text()
        assert "Fallback" in page.inner_text("#rag-sources-panel")
        assert page.locator("#rag-sources-panel .rag-checks li").count() >= 1
    session.shot("05-example-question")

    session.ask(UNANSWERABLE)
    ans = app.answer_for(UNANSWERABLE)
    assert ans.abstained
    msg = session.last_answer()
    assert "rag-abstained" in msg.get_attribute("class")
    assert "The articles do not answer this question." in msg.inner_text()
    assert msg.locator(".rag-cite").count() == 0
    assert "do not answer this question" in page.inner_text("#rag-sources-panel")
    session.shot("06-unanswerable")

    # bad input: the one-line message in the chat, no traceback
    session.ask("Warum? " * 400)
    msg = session.last_answer()
    assert "rag-error" in msg.get_attribute("class")
    assert "too long" in msg.inner_text() and "Traceback" not in page.inner_text("body")


@pytest.mark.browser
@pytest.mark.slow
def test_markdown_and_html_in_model_output_render_as_text(app, session):
    page = session.page
    page.evaluate("""() => { window.__imgs = 0; new MutationObserver(() => {
        window.__imgs = Math.max(window.__imgs, document.querySelectorAll('#rag-chat .rag-msg img, #rag-chat .rag-msg a').length);
      }).observe(document.body, {subtree: true, childList: true}); }""")
    session.ask(INJECT_Q)
    ans = app.answer_for(INJECT_Q)
    assert PAYLOAD in ans.text
    text = session.last_answer().locator(".rag-text").inner_text()
    assert "![x](http://evil.example/a.png)" in text and "<img src=x onerror=alert(1)>" in text
    assert page.locator("#rag-chat .rag-msg img, #rag-chat .rag-msg a, #rag-sources-panel img").count() == 0
    assert page.evaluate("window.__imgs") == 0, "an image or link was rendered while streaming"
    session.shot("07-markup-as-text")
    time.sleep(0.3)  # a request an image would have made has had time to go out (checked by the fixture)


@pytest.mark.browser
@pytest.mark.slow
def test_two_sessions_keep_separate_conversations(app, browser):
    a, b = Page(browser, app), Page(browser, app)
    try:
        qa, qb = GERMAN_Q, "In welcher Hafenstadt gingen laut NIS die ersten nordkoreanischen Soldaten an Land?"
        a.submit(qa)
        b.submit(qb)  # both at once
        a.wait_answers(1)
        b.wait_answers(1)
        b.ask("Wie viele Soldaten waren es?")
        ta, tb = a.page.inner_text("#rag-chat"), b.page.inner_text("#rag-chat")
        assert qa in ta and qb not in ta and "Wie viele Soldaten" not in ta
        assert qb in tb and qa not in tb
        condense = [p for p in app.condense_prompts() if "Wie viele Soldaten waren es?" in p]
        assert condense and qb in condense[-1] and qa not in condense[-1]
        assert "Hafenstadt" not in a.page.inner_text("#rag-sources-panel")
        a.shot("08-session-a")
        b.shot("08-session-b")
        for s in (a, b):
            assert not s.outside_requests() and not s.dialogs
    finally:
        a.close()
        b.close()


@pytest.mark.browser
@pytest.mark.slow
def test_articles_tab_lists_articles_and_reindexes_a_folder(app, session, tmp_path):
    page = session.page
    page.get_by_role("tab", name="Articles").click()
    rows = page.locator("#rag-articles tbody tr")
    rows.first.wait_for()
    from index.store import read_manifest

    docs = read_manifest(app.settings.store_dir)["docs"]
    assert rows.count() == len(docs) == 5  # the shipped corpus
    table = page.inner_text("#rag-articles")
    for d in docs.values():
        assert d["meta"]["title"] in table
    kinds = [d["meta"]["kind"] for d in docs.values()]
    assert page.locator("#rag-articles .rag-badge-opinion").count() == kinds.count("opinion") >= 1
    session.shot("09-articles")

    # re-index a folder: the five articles plus one whose text and metadata carry markup
    folder = tmp_path / "articles"
    shutil.copytree(ROOT / "data" / "articles", folder)
    (folder / "005_evil.txt").write_text(
        "Die Stadtverwaltung von Kasan meldete am Montag ein Testbild im Rathaus, das niemand bestellt hatte. "
        f"Auf dem Bildschirm stand der Text {PAYLOAD} und darunter ${{alert(2)}} {{{{x}}}}. "
        "Die Verwaltung prüft den Vorfall.\n", encoding="utf-8")
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    meta["005_evil.txt"] = {"title": "<b>Testbild</b> im Rathaus ${alert(3)}", "outlet": "<i>Stadtblatt</i>",
                            "author": "Ann & Bob", "date": "2024-10-28", "kind": "opinion", "language": "de"}
    (folder / "metadata.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    page.evaluate(r"""() => { window.__progress = []; new MutationObserver(() => {
        const t = document.body.innerText.match(/(Reading the folder|Embedding passages \([^)]*\)|Re-opening the index)/g) || [];
        for (const x of t) if (!window.__progress.includes(x)) window.__progress.push(x);
      }).observe(document.body, {subtree: true, childList: true, characterData: true}); }""")
    page.fill("#rag-folder textarea, #rag-folder input", str(folder))
    page.click("#rag-reindex")
    page.wait_for_selector("#rag-index-status .rag-notice", timeout=120_000)
    assert page.evaluate("window.__progress"), "no progress was shown while re-indexing"
    status = page.inner_text("#rag-index-status")
    assert "1 added" in status, status
    assert rows.count() == len(docs) + 1
    assert "<b>Testbild</b> im Rathaus ${alert(3)}" in page.inner_text("#rag-articles")
    session.shot("10-reindexed")

    # the new article answers, and its passage is shown as text
    page.get_by_role("tab", name="Chat").click()
    session.ask(EVIL_ARTICLE_Q)
    ans = app.answer_for(EVIL_ARTICLE_Q)
    cits = [c for c in ans.citations if c.doc_id.startswith("005")]
    assert cits, f"the new article was not cited: {ans.text!r}"
    card = page.locator(f"#rag-sources-panel .rag-card-0-{cits[0].n}")
    assert "<img src=x onerror=alert(1)>" in card.inner_text() and "${alert(2)} {{x}}" in card.inner_text()
    assert "<b>Testbild</b>" in card.locator(".rag-title").inner_text()
    assert "<i>Stadtblatt</i>" in card.locator(".rag-meta").inner_text()
    assert page.locator("#rag-sources-panel img, #rag-articles img, #rag-articles b").count() == 0
    session.shot("11-article-markup-as-text")

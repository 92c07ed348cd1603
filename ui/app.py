"""The chat window: a Gradio app over one loaded `Assistant`.

    build_app(assistant, settings) -> gr.Blocks   the UI (no server started)
    serve(demo, host, port, ...)                  start it (offline launch options)
    launch(settings, host, port)                  what `rag chat` runs: index if needed, load, serve

Per browser session, the conversation lives in a `gr.State` (a list of turns);
the chatbot only shows it. Messages are HTML that `ui.render` builds from
escaped text, with Markdown rendering off, so nothing the model or an article
says is ever rendered as markup.
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported: no telemetry
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import gradio as gr  # noqa: E402

from rag.settings import Settings, replace  # noqa: E402
from rag.types import RagError  # noqa: E402

from . import render  # noqa: E402
from .assets import CSS, JS_ON_LOAD  # noqa: E402

log = logging.getLogger(__name__)

BACKENDS = ["llama-cpp", "openai", "ollama", "fake"]


def examples(settings: Settings) -> list[str]:
    """The example questions offered under the input box, from `settings.examples_file` (a JSON
    object with an "examples" list); none when the file is missing or unreadable."""
    import json

    path = settings.examples_file
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    items = data.get("examples", []) if isinstance(data, dict) else data
    return [q for q in items if isinstance(q, str) and q.strip()][:8] if isinstance(items, list) else []


STATUS_LABELS = {  # the pipeline's progress texts, as the user reads them
    "resolving the follow-up question": "Reading the conversation to understand the follow-up…",
    "searching the articles": "Searching the articles…",
    "writing the answer": "Writing the answer…",
}
PLACEHOLDER = (
    "<div style='text-align:center;opacity:.75'><b>Ask about the indexed news articles.</b><br>"
    "Answers come only from the articles and cite them; click a marker such as [1] to see the passage.</div>"
)

THEME = gr.themes.Default(
    primary_hue="blue",
    # system fonts only: nothing is fetched, not even from this server
    font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
)


def _history(turns: list[dict]) -> list[dict]:
    """The conversation as the pipeline reads it: answered turns only (errors left out)."""
    out = []
    for t in turns:
        if t.get("answer") is not None:
            out.append({"role": "user", "content": t["question"]})
            out.append({"role": "assistant", "content": t["answer"].text})
    return out


def _messages(turns: list[dict]) -> list[dict]:
    out = []
    for t in turns:
        out.append({"role": "user", "content": render.user_message(t["question"])})
        out.append({"role": "assistant", "content": t["html"]})
    return out


def build_app(assistant, settings: Settings | None = None) -> gr.Blocks:
    """The chat window over `assistant` (shared by all sessions; conversations are per session)."""
    settings = settings or assistant.settings
    llm_lock = threading.Lock()
    index_lock = threading.Lock()

    # -- chat -----------------------------------------------------------------
    def respond(message: str, top_k, turns: list[dict]):
        message = (message or "").strip()
        turns = list(turns or [])
        if not message:
            yield gr.skip(), gr.skip(), turns, gr.skip()
            return
        turn_no = len(turns)
        history = _history(turns)
        turn = {"question": message, "answer": None, "html": render.streaming_message(turn_no, "Starting…", "")}
        turns.append(turn)
        yield _messages(turns), "", turns, gr.skip()
        status, text = "Starting…", ""
        try:
            k = int(top_k) if top_k else None
            for ev in assistant.stream(message, history, k):
                if ev.kind == "status":
                    status = STATUS_LABELS.get(ev.text, ev.text[:1].upper() + ev.text[1:] + "…")
                elif ev.kind == "token":
                    text += ev.text
                    status = STATUS_LABELS["writing the answer"]
                elif ev.kind == "answer" and ev.answer is not None:
                    turn["answer"] = ev.answer
                    turn["html"] = render.answer_message(turn_no, ev.answer)
                    yield _messages(turns), gr.skip(), turns, render.sources_panel(turns)
                    return
                else:
                    continue
                turn["html"] = render.streaming_message(turn_no, status, text)
                yield _messages(turns), gr.skip(), turns, gr.skip()
            raise RagError("the assistant stopped without an answer")
        except RagError as e:
            turn["html"] = render.error_message(turn_no, str(e))
        except Exception as e:  # never a traceback in the chat; the log has it
            log.exception("answering failed")
            turn["html"] = render.error_message(turn_no, f"internal error ({type(e).__name__}); see the server log")
        yield _messages(turns), gr.skip(), turns, render.sources_panel(turns)

    def new_conversation():
        return [], [], "", render.EMPTY_PANEL

    def use_example(evt: gr.SelectData):
        v = evt.value
        return v.get("text", "") if isinstance(v, dict) else str(v or "")

    # -- settings ---------------------------------------------------------------
    def apply_llm(backend: str, model: str, base_url: str):
        from rag.generation.llm import make_backend

        current = assistant.settings
        changes = {"llm_backend": backend, "llm_base_url": (base_url or "").strip()}
        if (model or "").strip():
            changes["llm_model"] = model.strip()
        try:
            new = replace(current, **changes)
            llm = make_backend(new)
        except RagError as e:
            return render.notice(str(e), "error")
        except Exception as e:
            log.exception("cannot switch the LLM")
            return render.notice(f"cannot switch the LLM: {type(e).__name__}: {e}", "error")
        with llm_lock:
            assistant.llm = llm
            assistant.settings = new
        return render.notice(f"Now answering with {new.llm_backend}" + (f" ({new.llm_model})" if new.llm_backend != "fake" else "") + " for everyone using this server.", "ok")

    # -- articles ---------------------------------------------------------------
    def articles_html():
        from index.store import read_manifest

        return render.articles_table(read_manifest(assistant.settings.store_dir))

    def reindex(folder: str, progress=gr.Progress()):
        from index.store import build_index

        path = Path((folder or "").strip() or str(settings.corpus_dir)).expanduser().resolve()
        progress(0, desc="Reading the folder")

        def on_progress(done: int, total: int, doc_id: str) -> None:
            progress((done, total), desc=f"Embedding passages ({doc_id})", unit="passages")

        if not index_lock.acquire(blocking=False):
            return render.notice("Another re-index is running; try again when it has finished.", "error"), articles_html()
        try:
            import torch

            threads = torch.get_num_threads()
            torch.set_num_threads(max(threads, os.cpu_count() or 1))  # indexing may use all cores
            try:
                report = build_index(assistant.settings, corpus_dir=path, progress=False,
                                     embed_model=assistant.embed_model, on_progress=on_progress)
            finally:
                torch.set_num_threads(threads)
            progress(1.0, desc="Re-opening the index")
            assistant.reload_index()
        except RagError as e:
            return render.notice(str(e), "error"), articles_html()
        except Exception as e:
            log.exception("re-indexing failed")
            return render.notice(f"re-indexing failed: {type(e).__name__}: {e}", "error"), articles_html()
        finally:
            index_lock.release()
        lines = [("Rebuilt: " if report.rebuilt else "Indexed: ") + report.summary()]
        lines += [f"warning: {w}" for w in report.warnings]
        return render.notice("\n".join(lines), "ok" if not report.warnings else "info"), articles_html()

    # -- layout -----------------------------------------------------------------
    with gr.Blocks(title="News assistant", analytics_enabled=False, fill_width=True) as demo:
        turns_state = gr.State([])
        with gr.Row(elem_classes="rag-header"):
            gr.HTML(
                "<h1>News assistant</h1><p>Answers only from the indexed news articles, "
                "each claim with its source. Questions in German or English.</p>"
            )
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360):
                        chatbot = gr.Chatbot(
                            elem_id="rag-chat",
                            label="Conversation",
                            show_label=False,
                            height=560,
                            render_markdown=False,  # text stays text: no links, no images
                            sanitize_html=True,
                            latex_delimiters=[],
                            allow_tags=False,
                            buttons=["copy"],
                            feedback_options=None,
                            layout="bubble",
                            placeholder=PLACEHOLDER,
                            examples=[{"text": q} for q in examples(settings)] or None,
                            autoscroll=True,
                        )
                        question = gr.Textbox(
                            elem_id="rag-question", show_label=False, lines=1, max_lines=5, submit_btn="Ask",
                            placeholder="Ask a question about the articles (German or English)…", autofocus=True,
                        )
                        with gr.Row():
                            new_btn = gr.Button("New conversation", size="sm", variant="secondary", elem_id="rag-new",
                                                scale=0, min_width=160)
                        with gr.Accordion("Settings", open=False, elem_id="rag-settings"):
                            top_k = gr.Slider(1, max(20, settings.top_k), value=settings.top_k, step=1, label="Passages to retrieve per question (top-k)",
                                              elem_id="rag-topk")
                            with gr.Row():
                                backend = gr.Dropdown(BACKENDS, value=settings.llm_backend, label="LLM backend", elem_id="rag-backend")
                                model = gr.Textbox(value=settings.llm_model, label="LLM model (GGUF path or model name)", elem_id="rag-model")
                                base_url = gr.Textbox(value=settings.llm_base_url, label="Server URL (openai / ollama)",
                                                      placeholder="http://localhost:11434/v1", elem_id="rag-base-url")
                            apply_btn = gr.Button("Apply LLM settings", size="sm", elem_id="rag-apply")
                            llm_status = gr.HTML("", elem_id="rag-llm-status")
                    with gr.Column(scale=2, min_width=320):
                        sources = gr.HTML(render.EMPTY_PANEL, elem_id="rag-sources-panel", js_on_load=JS_ON_LOAD,
                                          apply_default_css=True, padding=False)
            with gr.Tab("Articles", id="articles"):
                articles = gr.HTML(articles_html(), elem_id="rag-articles")
                folder = gr.Textbox(value=str(settings.corpus_dir), label="Folder of articles (.txt / .md, optional metadata.json)",
                                    info="Re-indexing makes the index match the folder: new or changed articles are embedded, "
                                    "articles no longer in the folder are removed.", elem_id="rag-folder")
                with gr.Row():
                    reindex_btn = gr.Button("Re-index folder", variant="primary", scale=0, min_width=180, elem_id="rag-reindex")
                index_status = gr.HTML("", elem_id="rag-index-status")

        # UI-only endpoints: the programmatic API is `rag ask` / `from rag import ask`
        ui = dict(api_visibility="private")
        # One answer is worked on at a time (the LLM is one generation at a time anyway):
        # the others wait in Gradio's queue, which shows each user their position.
        chat_io = dict(inputs=[question, top_k, turns_state], outputs=[chatbot, question, turns_state, sources],
                       concurrency_id="answer", concurrency_limit=1, show_progress="hidden", **ui)
        ev_submit = question.submit(respond, **chat_io)
        ev_example = chatbot.example_select(use_example, None, question, show_progress="hidden", **ui).then(respond, **chat_io)
        for reset in (new_btn.click, chatbot.clear):
            reset(new_conversation, None, [chatbot, turns_state, question, sources],
                  cancels=[ev_submit, ev_example], show_progress="hidden", **ui)
        apply_btn.click(apply_llm, [backend, model, base_url], llm_status, concurrency_limit=1, **ui)
        reindex_btn.click(reindex, folder, [index_status, articles], concurrency_limit=1, **ui)
        demo.load(articles_html, None, articles, show_progress="hidden", **ui)

        def ask_api(question: str, history: list | None = None, top_k: int | None = None) -> dict:
            """Answer one question over HTTP (same pipeline and queue as the chat): the Answer as JSON."""
            try:
                return assistant.ask(question, history or None, int(top_k) if top_k else None).to_dict()
            except RagError as e:
                return {"error": str(e)}

        gr.api(ask_api, api_name="ask", concurrency_id="answer", concurrency_limit=1)
    demo.queue(default_concurrency_limit=4, max_size=64)  # beyond 64 waiting, a clear "queue full"
    return demo


def serve(demo: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, prevent_thread_lock: bool = False, quiet: bool = False):
    """Start the server with the offline options (no analytics, no share link, no run history)."""
    return demo.launch(
        server_name=host,
        server_port=port,
        prevent_thread_lock=prevent_thread_lock,
        share=False,
        quiet=quiet,
        theme=THEME,
        css=CSS,
        footer_links=[],  # no links off this page
        run_history=False,
        ssr_mode=False,
        pwa=False,
        mcp_server=False,
        enable_monitoring=False,
        show_error=False,
    )


def launch(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> None:
    """`rag chat`: prepare models and index when missing, load them once, then serve."""
    from index.store import build_index, read_manifest
    from rag.model_files import ensure_models
    from rag.pipeline import Assistant

    ensure_models(settings)
    manifest = read_manifest(settings.store_dir)
    if manifest is None or manifest.get("state") != "complete":
        print(f"Indexing the articles in {settings.corpus_dir} (first start) …", flush=True)
        report = build_index(settings, progress=True)
        print(report.summary(), flush=True)
    print("Loading the models …", flush=True)
    assistant = Assistant(settings)
    demo = build_app(assistant, settings)
    print(f"Chat window on http://{host}:{port}  (Ctrl+C to stop)", flush=True)
    serve(demo, host=host, port=port)

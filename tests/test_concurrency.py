"""Eight sessions at once against the running app on localhost (real index and
embeddings, a fake LLM that streams slowly): no request fails, each answer belongs
to its own question, and the queue serves everyone."""
import socket
import threading

import pytest

pytestmark = [pytest.mark.slow]

QUESTIONS = [
    "Wie viele Soldaten will Pjöngjang bereitstellen?", "Wer ist Nico Lange?", "Was kritisiert Roderich Kiesewetter?",
    "Wo fand der BRICS-Gipfel statt?", "Welche Rolle spielt China?", "Was sagt Kori Schake?",
    "Wer ist Andrei Lankov?", "Was berichtete der Telegram-Kanal Dwa Majora?",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(settings, embed_model, built_index):
    from rag.generation.llm import FakeLLM
    from rag.pipeline import Assistant
    from ui.app import build_app, serve

    assistant = Assistant(settings, llm=FakeLLM(delay_s=0.02), embed_model=embed_model)
    port = _free_port()
    demo = build_app(assistant, settings)
    serve(demo, port=port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def test_eight_concurrent_sessions(app_url):
    from gradio_client import Client

    results, errors = {}, []

    def session(i: int) -> None:
        try:
            client = Client(app_url, verbose=False)
            for rnd in range(2):
                q = QUESTIONS[i]
                out = client.predict(q, [], 0, api_name="/ask")
                results[(i, rnd)] = (q, out)
        except Exception as e:  # recorded and asserted below
            errors.append(f"session {i}: {type(e).__name__}: {e}")

    threads = [threading.Thread(target=session, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not errors, errors
    assert len(results) == 16
    for (i, _), (q, out) in results.items():
        assert "error" not in out, out
        assert out["question"] == q  # never another session's answer
        passage_docs = {p["doc_id"] for p in out["passages"]}
        assert {c["doc_id"] for c in out["citations"]} <= passage_docs


def test_api_reports_bad_input_as_error(app_url):
    from gradio_client import Client

    out = Client(app_url, verbose=False).predict("   ", [], 0, api_name="/ask")
    assert out == {"error": "the question is empty"}

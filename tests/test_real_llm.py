"""The real default LLM (Qwen2.5-Coder-1.5B GGUF) through the whole pipeline.

The model is weak; these tests assert what the pipeline guarantees whatever it
writes: markers resolve, quotes sit at their offsets, the language matches or the
answer is an honest fallback/abstention.
"""
import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real(settings, embed_model, built_index):
    from rag.pipeline import Assistant
    from rag.settings import replace

    s = replace(settings, llm_backend="llama-cpp", llm_model=settings.__class__().llm_model)
    if not s.llm_model_path.exists():
        pytest.fail(f"{s.llm_model_path} is missing: run `make setup`")
    return Assistant(s, embed_model=embed_model)


@pytest.mark.parametrize("question,lang", [
    ("Wie viele Soldaten will Pjöngjang laut dem südkoreanischen Geheimdienst bereitstellen?", "de"),
    ("Who is Nico Lange?", "en"),
])
def test_real_answers_are_checked(real, articles, question, lang):
    import re

    a = real.ask(question)
    assert a.language == lang
    assert a.raw_text  # the model did generate
    cited = {c.n for c in a.citations}
    for n in map(int, re.findall(r"\[(\d+)\]", a.text)):
        assert n in cited
    for c in a.citations:
        assert articles[c.doc_id].text[c.start : c.end] == c.quote
    if not (a.abstained or a.fallback):
        from rag.language import detect_language

        assert detect_language(a.text) == lang
        assert a.citations


def test_real_follow_up_and_unanswerable(real):
    h = [{"role": "user", "content": "Was kritisiert Roderich Kiesewetter?"},
         {"role": "assistant", "content": "Er nennt es ein fatales Versäumnis, dass Europa nicht reagiert hat [1]."}]
    a = real.ask("Welcher Partei gehört er an?", history=h)
    assert a.standalone_question != "Welcher Partei gehört er an?"
    assert any(p.doc_id == "003_f33e8c0018bd0e24" for p in a.passages[:3])
    b = real.ask("What is a good recipe for apple pie?")
    assert b.abstained and not b.citations

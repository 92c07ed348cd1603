from hypothesis import given, settings as hsettings, strategies as st

from index.chunking import chunk_article, split_sentences


def test_every_chunk_equals_article_text_at_its_offsets(articles):
    for a in articles.values():
        chunks = chunk_article(a.doc_id, a.text, "de", size=800, overlap=1)
        assert chunks
        for c in chunks:
            assert c.text == a.text[c.start : c.end]
            assert len(c.text) <= 800


def test_chunks_cover_every_sentence(articles):
    a = articles["003_f33e8c0018bd0e24"]
    chunks = chunk_article(a.doc_id, a.text, "de", size=800, overlap=1)
    for s in split_sentences(a.text, "de"):
        assert any(c.start <= s.start and s.end <= c.end for c in chunks), a.text[s.start : s.end]


def test_sentences_are_not_split_at_abbreviations_or_numbers():
    text = "Dr. Christian Osthold schrieb am 24. Oktober 2024 über 12.000 Soldaten. Das ist ein zweiter Satz."
    spans = split_sentences(text, "de")
    assert [text[s.start : s.end] for s in spans] == [
        "Dr. Christian Osthold schrieb am 24. Oktober 2024 über 12.000 Soldaten.",
        "Das ist ein zweiter Satz.",
    ]


def test_overlong_sentence_is_split_at_whitespace():
    text = ("wort " * 400).strip() + "."
    chunks = chunk_article("d", text, "de", size=300, overlap=0)
    assert all(len(c.text) <= 300 and c.text == text[c.start : c.end] for c in chunks)
    assert chunks[-1].end == len(text)


@hsettings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=3000), st.integers(50, 900))
def test_offsets_hold_for_any_text(text, size):
    for c in chunk_article("x", text, "de", size=size, overlap=1):
        assert c.text == text[c.start : c.end]

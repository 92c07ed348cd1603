import json

import pytest

from index.corpus import load_corpus
from rag.types import RagError


def test_default_corpus_has_metadata(articles):
    assert len(articles) == 5
    kinds = {a.kind for a in articles.values()}
    assert kinds == {"analysis", "machine-translated", "report", "opinion"}
    assert articles["004_19993641bb6fd41a"].author == "Jürgen Meyer"


def test_bad_files_are_skipped_with_warnings(tmp_path):
    (tmp_path / "good.txt").write_text("Ein guter Artikel über Nordkorea. Er hat zwei Sätze.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# Notiz\nMarkdown wird auch gelesen.", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (tmp_path / "latin1.txt").write_bytes("Grüße aus Köln".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "zcopy.txt").write_text("Ein guter Artikel über Nordkorea. Er hat zwei Sätze.", encoding="utf-8")
    (tmp_path / "huge.txt").write_text("x" * 2000, encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "metadata.json").write_text(json.dumps({
        "good.txt": {"title": "Gut", "kind": "rant", "author": ["not", "text"]},
        "missing.txt": {"title": "Fehlt"},
    }), encoding="utf-8")
    arts, warnings = load_corpus(tmp_path, max_bytes=1000)
    assert sorted(a.doc_id for a in arts) == ["good", "notes"]
    text = "\n".join(warnings)
    for needle in ("binary.txt", "latin1.txt: skipped, not UTF-8", "empty.txt", "zcopy.txt: skipped, same text as good.txt",
                   "huge.txt", "unknown kind 'rant'", "'author' has a list", "'missing.txt' names no article"):
        assert needle in text, needle
    good = next(a for a in arts if a.doc_id == "good")
    assert good.title == "Gut" and good.kind == "unknown"
    assert next(a for a in arts if a.doc_id == "notes").title == "# Notiz"


def test_broken_metadata_file_is_a_warning(tmp_path):
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    (tmp_path / "metadata.json").write_text("{not json", encoding="utf-8")
    arts, warnings = load_corpus(tmp_path)
    assert len(arts) == 1 and "not valid JSON" in warnings[0]


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(RagError, match="not found"):
        load_corpus(tmp_path / "nope")


def test_invisible_characters_are_dropped(tmp_path):
    (tmp_path / "a.txt").write_text("Nord\u200bkorea\u202e schickt\x07 Soldaten.", encoding="utf-8")
    arts, _ = load_corpus(tmp_path)
    assert arts[0].text == "Nordkorea schickt Soldaten."

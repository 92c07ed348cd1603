"""Evaluation against the fixed question set (`rag eval`), and the GermanQuAD benchmark.

- dataset:    the question set, article texts, gold evidence spans
- metrics:    per-question metrics of an Answer, and their aggregation
- runner:     questions through `ask()` (assistant, baseline), scored
- baseline:   plain llama-index CitationQueryEngine over the same index and models
- report:     the report folder (JSONL, summary.json, summary.md), `--compare`
- rescore:    `--rescore DIR`: a finished folder's metrics recomputed from its stored answers
- replay:     `--replay DIR`: a finished folder's model outputs through the current pipeline
- plots:      PNG plots (scores by type, latency)
- germanquad: the external retrieval benchmark
- cli:        the `rag eval` options
"""

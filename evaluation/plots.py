"""PNG plots of a run (matplotlib, Agg backend: no display needed)."""
from __future__ import annotations

from pathlib import Path

from .metrics import LATENCIES

COLORS = {"assistant": "#1f6fb4", "baseline": "#bbbbbb"}


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def scores_by_type(metrics: dict, path: Path) -> None:
    """Pass rate per question type, assistant next to the baseline, with n under each type."""
    plt = _plt()
    systems = [s for s in ("assistant", "baseline") if s in metrics]
    types = list(metrics["assistant"]["by_type"])
    width = 0.8 / len(systems)
    fig, ax = plt.subplots(figsize=(max(7, 0.9 * len(types) + 2), 4.2))
    for i, s in enumerate(systems):
        vals = [metrics[s]["by_type"].get(t, {}).get("score") or 0.0 for t in types]
        xs = [j + (i - (len(systems) - 1) / 2) * width for j in range(len(types))]
        bars = ax.bar(xs, vals, width, label=s, color=COLORS.get(s))
        for b, v in zip(bars, vals):
            ax.text(b.get_x() + b.get_width() / 2, v + 0.01, f"{v:.2f}", ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(types)))
    ax.set_xticklabels([f"{t}\n(n={metrics['assistant']['by_type'][t]['n']})" for t in types], rotation=30, ha="right", fontsize=8)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("pass rate")
    ax.set_title("Pass rate by question type (correct / abstained / resisted)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def latency(records: list[dict], path: Path) -> None:
    """Distribution of retrieval, first-token and total latency per system (box plots + points)."""
    plt = _plt()
    systems = [s for s in ("assistant", "baseline") if records and s in records[0]]
    fig, axes = plt.subplots(1, len(LATENCIES), figsize=(4 * len(LATENCIES), 3.8))
    for ax, name in zip(axes, LATENCIES):
        data = [[r[s]["metrics"].get(f"t_{name}") for r in records if r[s]["metrics"].get(f"t_{name}") is not None] for s in systems]
        ax.boxplot([d or [0.0] for d in data], showfliers=False)
        ax.set_xticks(range(1, len(systems) + 1))
        ax.set_xticklabels(systems)
        for i, (s, d) in enumerate(zip(systems, data), 1):
            jitter = [i + ((k % 7) - 3) * 0.03 for k in range(len(d))]
            ax.scatter(jitter, d, s=8, alpha=0.6, color=COLORS.get(s), edgecolors="none")
        ax.set_title(name.replace("_", " "))
        ax.set_ylabel("seconds")
        ax.grid(axis="y", alpha=0.3)
    fig.suptitle(f"Latency per question (n={len(records)})")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)

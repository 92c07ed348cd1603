"""The citation markers the model is asked to write ("[2]") and the shapes it writes them in
("[1, 2]", "[Quelle 3]", "[1] und [2]"): one pattern, shared by the output guard, the
checks and the chat window."""
from __future__ import annotations

import re

MARKER = re.compile(r"\[(?:(?:Auszug|Passage|Quelle|Source|Nr\.?)\s*)?(\d+(?:\s*(?:,|;|und|and|&)\s*\d+)*)\]", re.I)

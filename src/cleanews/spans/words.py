"""jieba, loaded on first use: word boundaries and dictionary frequencies for span features.

jieba reads its dictionary of about 350,000 words when first asked (a second or two), so
it is loaded only when a page has a line worth segmenting; a page without one never
pays for it. One tokenizer per process, behind a lock (jieba's own set-up is not
thread-safe).
"""

from __future__ import annotations

import logging
import math
import threading
from typing import Any

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_tokenizer: Any = None


def tokenizer() -> Any:
    """The process's jieba tokenizer, initialised once."""
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            tok.initialize()
            _tokenizer = tok
            logger.debug("jieba dictionary loaded: %d words", len(tok.FREQ))
        return _tokenizer


def segment(text: str) -> list[str]:
    """The words of ``text`` in order (they concatenate back to ``text``). jieba's HMM for
    unknown words is off: an unknown name falls apart into short pieces, which is itself
    a sign the dictionary does not know it."""
    return list(tokenizer().cut(text, HMM=False))


def frequency_band(word: str) -> int:
    """How common a word is in jieba's dictionary: 0 unknown, else 1 + log10 of its count (at most 7)."""
    freq = tokenizer().FREQ.get(word, 0)
    return 0 if freq <= 0 else min(7, 1 + int(math.log10(freq)))

"""The span, the one result object of the span model."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """Injected spam inside a line: code-point offsets into the line's text (end exclusive),
    its label (always ``"spam"``, LABELS.md defines no other span), a calibrated confidence
    and the text itself, so that a report can be read without the page."""

    start: int
    end: int
    confidence: float
    text: str
    label: str = "spam"

    def as_dict(self) -> dict[str, object]:
        """The JSON form written by ``--format jsonl``."""
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "confidence": round(self.confidence, 4),
            "text": self.text,
        }

"""Site templates: each writes one whole HTML page for a `Ctx` (site, article, text pools).

A template is registered with `@template(name, kind)`; the builder renders every
registered template with every renderer.  Names use hyphens, never underscores, so the
template can be read back from an output file name `html_<template>_<renderer>_<nn>.tsv`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from templates.common import Ctx

Template = Callable[[Ctx], str]


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str
    make: Template


REGISTRY: dict[str, Entry] = {}


def template(name: str, kind: str) -> Callable[[Template], Template]:
    if "_" in name:
        raise ValueError(f"template name {name!r}: use hyphens, the file name splits on underscores")

    def register(fn: Template) -> Template:
        REGISTRY[name] = Entry(name, kind, fn)
        return fn

    return register


def load_all() -> dict[str, Entry]:
    """Import every template module (registration happens on import), in name order."""
    import importlib
    import pkgutil

    for mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        if mod not in ("common", "layouts"):
            importlib.import_module(f"templates.{mod}")
    return dict(sorted(REGISTRY.items()))

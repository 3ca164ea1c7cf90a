"""cleanews inside the corpus tools people already run, with the in-process API's results.

- :mod:`cleanews.integrations.datatrove`: :class:`~cleanews.integrations.datatrove.CleanewsStep`,
  a datatrove ``PipelineStep`` (``pip install 'cleanews[datatrove]'``);
- :mod:`cleanews.integrations.hf`: :func:`~cleanews.integrations.hf.clean_batch` for
  Hugging Face ``datasets.Dataset.map(..., batched=True)``; it needs nothing beyond cleanews.

Both clean each document with :func:`cleanews.label_page` and the same options, so a
document's text and decisions are exactly what the Python API gives for it. Each module
imports its tool only when it is imported itself; this package imports neither.
"""

"""Run cleanews on a Ray cluster: a callable class for Ray Data, and two helpers on top.

Install the extra first: ``pip install 'cleanews[ray]'`` (Ray Data, pandas, pyarrow).
This package imports without Ray; Ray is imported only when one of its functions runs,
and a missing Ray raises :class:`RayNotInstalled` saying what to install.

Three ways in, from the most control to the least:

* :class:`PageCleaner`, for your own pipeline. Batches are **pyarrow tables**
  (``batch_format="pyarrow"``): the output columns get explicit Arrow types, so every
  block has the same schema whatever its pages are (a batch of failed pages still
  yields ``list<string>`` labels, not a column of unknown type)::

      ds = ray.data.read_parquet("s3://crawl/pages/")          # a "text" column: str or bytes
      ds = ds.map_batches(PageCleaner, batch_format="pyarrow", batch_size=32,
                          fn_constructor_kwargs={"text_column": "text"},
                          compute=ray.data.ActorPoolStrategy(size=8))
      ds.write_parquet("s3://crawl/cleaned/")

  :func:`clean_dataset` does that ``map_batches`` call with the right arguments.
* :func:`clean_folder_with_ray`: a folder of pages (``*.txt``) or JSON Lines files with a
  text column in, one JSONL or Parquet file out, one row per page, in input order.
* :func:`run_clean_on_ray`: what ``cleanews clean --engine ray`` runs. The same jobs and
  the same output files as the local engine (:func:`cleanews.run.pool.run`), with the
  pages cleaned by actors on the cluster.

Every actor loads the model once, in its constructor. A page that cannot be cleaned
(binary data, no text, unreadable file) becomes a row with a message in ``error``,
never a crashed job: rows in equals rows out.

Columns added by :class:`PageCleaner` (a failed page has nulls in all but ``error``):

==============  ======================  ===============================================
``cleaned``     string                  the kept lines as text (``PageResult.text``)
``labels``      list<string>            one label per line of the page, null when blank
``confidences`` list<double>            one calibrated confidence per line, null when blank
``kept``        list<bool>              whether each line was kept (labels and options)
``spans``       list<list<struct>>      per line, its spam spans: start, end (code points,
                                        end exclusive), label, confidence, text
``encoding``    string                  how the page was decoded ("str" for text input)
``replaced``    bool                    whether undecodable bytes were replaced
``error``       string                  null, or why the page could not be cleaned
==============  ======================  ===============================================

On a cluster of several machines, the paths given to the helpers are opened by the
workers: they must name the same files on every node (a shared file system). The
output of :func:`clean_folder_with_ray` is written by the driver; the outputs of
:func:`run_clean_on_ray` are written by the workers. The README's "Cleaning a crawl on a
Ray cluster" shows both, and ``benchmarks/ray_bench.py`` measures them.

The package follows the seams of the job: ``rows`` (one page in, one row out),
``actors`` (the classes Ray builds), ``cluster`` (importing and connecting to Ray),
``io`` (files in and out) and ``drivers`` (the helpers that run a whole job).
"""

from cleanews.run.ray.actors import JobRunner, PageCleaner, clean_dataset
from cleanews.run.ray.cluster import BATCH_SIZE, INSTALL_HINT, RayEngineError, RayNotInstalled, connected
from cleanews.run.ray.drivers import clean_folder_with_ray, run_clean_on_ray
from cleanews.run.ray.io import OUTPUT_FORMATS
from cleanews.run.ray.rows import (
    CLEANED,
    CONFIDENCES,
    ENCODING,
    ERROR,
    KEPT,
    LABELS,
    OUTPUT_COLUMNS,
    PATH,
    REPLACED,
    SPANS,
    PageRow,
    add_columns,
    clean_one,
    output_schema,
)

__all__ = [
    "BATCH_SIZE",
    "CLEANED",
    "CONFIDENCES",
    "ENCODING",
    "ERROR",
    "INSTALL_HINT",
    "KEPT",
    "LABELS",
    "OUTPUT_COLUMNS",
    "OUTPUT_FORMATS",
    "PATH",
    "REPLACED",
    "SPANS",
    "JobRunner",
    "PageCleaner",
    "PageRow",
    "RayEngineError",
    "RayNotInstalled",
    "add_columns",
    "clean_dataset",
    "clean_folder_with_ray",
    "clean_one",
    "connected",
    "output_schema",
    "run_clean_on_ray",
]

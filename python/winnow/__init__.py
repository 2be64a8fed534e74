"""winnow: turn raw web crawl into clean text, from Python.

A thin layer over the C++ engine (the extension module ``winnow._winnow``):

    >>> import winnow
    >>> winnow.extract("<html><body><article><p>Hello ...</p></article></body></html>")
    {'text': 'Hello ...', 'blocks': [...], 'metadata': {...}, 'reason': '', ...}
    >>> winnow.text_lines("Home | About\\nA real sentence of the article.\\n(c) 2024")
    'A real sentence of the article.'
    >>> winnow.identify_language("Ceci est une phrase en français.")["lang"]
    'fr'
    >>> p = winnow.Pipeline({"filter": {"gopher_quality": {"min_doc_words": 50}}})
    >>> p.process([{"id": "1", "url": "https://a.example/", "html": "<html>..."}])
    [{'id': '1', 'keep': False, 'stage': 'filter.gopher_quality', 'reason': ..., 'text': ...}]

Runs over files: :func:`run_clean` (one process, many threads) and
:mod:`winnow.dask` (the same run's tasks scheduled on a Dask cluster). See
doc/python.md.

Threads: every native call releases the GIL, so a ``ThreadPoolExecutor``
calling :meth:`Pipeline.process` or :func:`extract` scales with cores.
Results are plain ``dict``/``list``/``str`` values owned by Python.
"""

import json as _json
import os as _os

from . import _winnow

__all__ = [
    "Pipeline", "extract", "text_lines", "identify_language", "run_clean",
    "read_documents", "list_inputs", "load_config", "flatten_config",
    "merge_stats", "stats_table", "list_stages", "default_stages",
    "settings", "check_config", "Classifier",
]

#: A fastText classifier (winnow/classifier.h): ``Classifier(path).predict(texts)``
#: gives ``{label: score}`` per text with the GIL released, normalised as the
#: ``filter.classifier`` stage does; the model is loaded once per file per
#: process (a Pipeline with that model shares it).
Classifier = _winnow.Classifier


def _scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def flatten_config(config, prefix=""):
    """A nested dict as winnow's flat dotted keys, every value a string.

    ``{"filter": {"c4": {"enabled": False}}}`` gives
    ``{"filter.c4.enabled": "false"}``; a list gives its items joined by ','
    (as the YAML loader does). Keys already dotted are kept as they are.
    """
    flat = {}
    if config is None:
        return flat
    if not isinstance(config, dict):
        raise TypeError(f"config must be a dict, got {type(config).__name__}")
    for key, value in config.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten_config(value, name + "."))
        elif isinstance(value, (list, tuple)):
            flat[name] = ",".join(_scalar(v) for v in value)
        elif value is None:
            continue
        else:
            flat[name] = _scalar(value)
    return flat


def load_config(config=None, sets=()):
    """The flat config of a run: ``config`` is None, a dict, or the path of a
    YAML file; ``sets`` are "key=value" strings applied over it (later wins),
    like ``winnow clean --config FILE --set k=v``."""
    if config is None or isinstance(config, dict):
        flat = flatten_config(config)
        if sets:
            flat.update(_winnow.load_config("", list(sets)))
        return flat
    if isinstance(config, (str, bytes, _os.PathLike)):
        return dict(_winnow.load_config(_os.fsdecode(config), list(sets)))
    raise TypeError(f"config must be a dict or a YAML path, got {type(config).__name__}")


class Pipeline:
    """The chain of per-document stages of a config.

    ``config`` is a dict (nested or with dotted keys) or the path of a YAML
    file; keyword arguments are dotted keys with '__' for '.' and override it
    (``Pipeline(stages=["extract", "langid"])``). The stages are built once;
    :meth:`process` may be called from many threads at once.
    """

    def __init__(self, config=None, **overrides):
        flat = load_config(config)
        flat.update(flatten_config({k.replace("__", "."): v for k, v in overrides.items()}))
        self._config = flat
        self._native = _winnow.Pipeline(flat)

    @property
    def stages(self):
        """The names of the stages, in order."""
        return list(self._native.stage_names())

    @property
    def config(self):
        return dict(self._config)

    def process(self, docs):
        """Runs the stages on ``docs``, a list of dicts with ``id``, ``url``
        and ``text`` (plain text) or ``html``, optionally ``lang``.

        Returns one dict per document, in order: ``id``, ``url``, ``keep``,
        ``stage``/``reason``/``detail`` (who rejected it and why; empty when
        kept), ``text`` (the clean text), ``blocks``, ``lang``, ``script``,
        ``lang_confidence``, ``quality``, ``tags``, ``pii_counts``,
        ``metadata``. A single dict is accepted too and gives a single dict.
        """
        if isinstance(docs, dict):
            return self._native.process([docs])[0]
        return self._native.process(list(docs))

    def __repr__(self):
        return f"winnow.Pipeline(stages={self.stages!r})"


def extract(html, url=None, format="text", *, include_comments=False,
            include_tables=True, include_links=False, include_images=False):
    """The main content of an HTML page (str, or bytes in UTF-8).

    Returns a dict: ``text`` (rendered as ``format``: "text", "markdown" or
    "json"), ``blocks`` (list of dicts kind/text/lang/level), ``metadata``
    (title, authors, date, site_name, description, language, canonical_url),
    ``reason`` (why there is no content, else "") and ``truncated``.
    """
    if isinstance(html, (bytes, bytearray)):
        html = bytes(html).decode("utf-8", errors="replace")
    return _winnow.extract(html, url or "", format, include_comments,
                           include_tables, include_links, include_images)


def text_lines(text, lang=None):
    """The ``text.lines`` stage on one plain text: the lines of ``text``
    that are main content (navigation, cookie notices, "read more" tails...
    removed), joined by newlines. ``lang`` (ISO 639-1) helps the stop-word features; by default
    the language is guessed. Returns "" when no line is kept."""
    return _winnow.text_lines(text, lang or "")


def identify_language(text):
    """The language of ``text``: a dict with ``lang`` (ISO 639, "un" when
    unknown), ``script`` (ISO 15924), ``confidence`` (0..1), ``reliable``,
    ``shares`` (up to three (lang, share) pairs) and ``text_bytes``."""
    return _winnow.identify_language(text)


def run_clean(inputs, output, config=None, sets=(), threads=1, strict=False):
    """``winnow clean`` in this process: reads ``inputs`` (files/folders),
    writes kept-*, rejected-*, unreadable.jsonl and stats.json into
    ``output`` and returns the stats as a dict."""
    if isinstance(inputs, (str, _os.PathLike)):
        inputs = [inputs]
    flat = load_config(config, sets)
    stats = _winnow.run_clean([_os.fspath(p) for p in inputs], _os.fspath(output), flat,
                              "", int(threads), bool(strict))
    return _json.loads(stats)


def read_documents(path):
    """The documents of one winnow JSONL file (plain, .gz or .zst), in order,
    as dicts like :meth:`Pipeline.process` returns."""
    return _winnow.read_documents(_os.fspath(path))


def list_inputs(paths):
    """Files and folders expanded (recursively) to the sorted list of input
    files, as ``winnow clean`` reads them."""
    if isinstance(paths, (str, _os.PathLike)):
        paths = [paths]
    return list(_winnow.list_inputs([_os.fspath(p) for p in paths]))


def merge_stats(stats):
    """Sums run stats (dicts as in stats.json) into one dict."""
    stats = list(stats)
    if not stats:
        return {}
    return _json.loads(_winnow.merge_stats([_json.dumps(s) for s in stats]))


def stats_table(stats):
    """The human-readable table of a stats dict (what ``winnow stats`` prints)."""
    return _winnow.stats_table(_json.dumps(stats))


def list_stages():
    """(name, help) of every registered per-document stage."""
    return list(_winnow.list_stages())


def default_stages():
    """The stage names a config without ``stages`` runs (those in this build)."""
    return list(_winnow.default_stages())


def settings():
    """Every setting winnow reads, from the engine's one settings table: a list
    of dicts with ``name``, ``type``, ``default`` (as text), ``allowed``,
    ``min``/``max`` (numbers), ``choices`` and ``doc``. ``winnow config``
    prints the same table."""
    return list(_winnow.settings())


def check_config(config=None, sets=()):
    """Raises ValueError naming the key for an unknown key ("did you mean
    ...") or a value of the wrong type or out of range; returns the flat
    config otherwise. ``config`` and ``sets`` as in :func:`load_config`."""
    flat = load_config(config, sets)
    _winnow.check_config(flat)
    return flat

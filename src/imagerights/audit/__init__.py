"""``imagerights audit``: every check of ``imagerights check`` over a folder tree.

* :mod:`.runner` walks (``sources.walk``), consults the cache, farms files out to worker
  processes (:mod:`.pool`, :mod:`.worker`) and evaluates the facts with the rules;
* :mod:`.cache` keeps facts of unchanged files between runs (``--incremental``);
* :mod:`.similar` and :mod:`.thumbnail` derive the per-file extras an audit needs
  (perceptual hash for near-duplicates, a small preview for the HTML report);
* :mod:`.summary` computes the numbers a manager reads (renderers only format them);
* :mod:`.report` assembles the ``imagerights.audit/1`` document every renderer takes.
"""

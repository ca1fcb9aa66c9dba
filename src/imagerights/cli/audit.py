"""``imagerights audit`` — every check of ``imagerights check`` over a folder tree, as one report."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from imagerights.cli.common import (
    EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, build_use, default_lang, fail_on_option, fail_threshold, is_tty,
    lang_option, policy_option, registry_option, split_codes, use_options,
)

FORMATS = ("text", "html", "json", "csv", "sarif")
EXIT_INTERRUPTED = 130


@click.command("audit")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, file_okay=True, dir_okay=True))
@use_options
@lang_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: summary table; html: one self-contained report file; json/csv/sarif: for scripts, "
                   "spreadsheets and code-scanning tools.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file (default: standard output).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default="one per core",
              help="Worker processes.")
@click.option("--incremental", is_flag=True,
              help="Keep a cache in the user's cache folder; the next run re-analyses only changed files.")
@click.option("--fast", is_flag=True, help="Metadata and hashes only: no faces, logos or registry matching.")
@click.option("--timeout", type=click.FloatRange(min=0), default=30.0, show_default=True, metavar="SECONDS",
              help="Time limit per file (0 = none); a file over it gets a FIL003 finding.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip matching files/folders: 'archive', '*.tmp', 'old/2019/*' (repeatable).")
@click.option("--all-files", is_flag=True, help="Audit every file, not only images and files named like images.")
@fail_on_option
@policy_option
@registry_option
@click.option("--no-registry", is_flag=True, help="Do not match against the registry.")
@click.option("--no-logos", is_flag=True, help="Do not look for platform logos.")
@click.option("--no-faces", is_flag=True, help="Do not detect faces (use --people instead).")
@click.option("--no-thumbnails", is_flag=True, help="HTML report without image previews (smaller file).")
@click.option("--max-memory", type=click.IntRange(min=256), default=4096, show_default=True, metavar="MB",
              help="Memory limit of each worker process.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def command(paths, use_, account, edits, publish_license, channel, people, select, ignore, lang, fmt, output, jobs,
            incremental, fast, timeout, exclude, all_files, fail_on, policy_path, registry_url, no_registry,
            no_logos, no_faces, no_thumbnails, max_memory, quiet):
    """Audit a whole folder of images: which may be published, which need review, which must not.

    Runs every check of `imagerights check` on each image under PATHS (recursively; file types
    are recognised from their content), in parallel, and writes one report. Nothing in the folder
    is changed or created.

    \b
    Examples:
      imagerights audit ./media
      imagerights audit ./media --format html -o rapport.html
      imagerights audit ./media --format json -o audit.json --jobs 2 --incremental
      imagerights audit ./media --format sarif -o audit.sarif --fail-on warning
    """
    from imagerights.audit.forkserver import start as start_forkserver
    from imagerights.audit.pool import PoolError

    # (cli/entry.py has usually started it already; this covers other ways in, e.g. tests)
    start_forkserver(heavy=not fast)  # the workers' fork server loads its readers while we load ours
    from imagerights.audit.cache import CacheError
    from imagerights.audit.report import build_report
    from imagerights.audit.runner import AuditOptions, run_audit
    from imagerights.audit.summary import rules_used, summarise
    from imagerights.evaluate import evaluate
    from imagerights.licensing.catalogue import default_catalogue
    from imagerights.policy import load_policy
    from imagerights.sources.walk import walk

    lang = lang or default_lang()
    use = build_use(use_, account, edits, publish_license, channel, people)
    catalogue = default_catalogue()
    _prepare_in_background(catalogue)
    if use.publish_license and catalogue.get(use.publish_license) is None:
        raise click.BadParameter(f"unknown licence id {use.publish_license!r}", param_hint="--publish-license")
    try:
        policy = load_policy(policy_path)
    except (OSError, ValueError) as exc:
        raise click.BadParameter(str(exc), param_hint="--policy") from None
    registry = not (no_registry or fast) and _registry_usable(registry_url)
    options = AuditOptions(jobs=jobs, timeout=timeout, incremental=incremental, fast=fast,
                           thumbnails=fmt == "html" and not no_thumbnails, exclude=tuple(exclude),
                           all_files=all_files, registry=registry, registry_url=registry_url,
                           logos=not (no_logos or fast), faces=not (no_faces or fast), memory_mb=max_memory)
    selected, ignored = split_codes(select), split_codes(ignore)

    def evaluator(facts):
        return evaluate(facts, use, policy, catalogue, lang=lang, select=selected, ignore=ignored)

    show_progress = not quiet and is_tty(sys.stderr)
    try:
        with _progress(show_progress, lang) as progress:
            tree = walk(list(paths), exclude=options.exclude, all_files=options.all_files, progress=progress.scanning)
            run = run_audit(list(paths), options, evaluator, progress=progress.advance, walked=tree)
    except KeyboardInterrupt:  # during the walk: nothing to report yet
        click.echo("imagerights: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except CacheError as exc:
        raise click.UsageError(str(exc)) from None
    except PoolError as exc:
        click.echo(f"imagerights: {exc}", err=True)
        sys.exit(EXIT_USAGE)

    summary = summarise(run, today=use.today, expiry_days=policy.expiry_warning_days)
    report = build_report(run, summary, lang=lang, use=use.to_dict(), policy=policy, rules=rules_used(run.rows))
    text = _render(fmt, report, run, output)
    _write(text, output)
    if run.partial:
        click.echo(f"imagerights: interrupted — the report is partial ({len(run.not_audited)} file(s) not checked)"
                   + ("; run again with --incremental to continue" if incremental else ""), err=True)
        sys.exit(EXIT_INTERRUPTED)
    threshold = fail_threshold(fail_on)
    if threshold is not None and any(r.result.at_or_above(threshold) for r in run.rows):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


def _prepare_in_background(catalogue) -> None:
    """The licence look-up tables the rules need are built while the folder is walked and the
    workers start (a first file's evaluation would otherwise wait ~0.25 s for them)."""
    import threading

    from imagerights.licensing.identify import prepare

    threading.Thread(target=prepare, args=(catalogue,), name="imagerights-prepare", daemon=True).start()


def _registry_usable(registry_url: str | None) -> bool:
    """Open the registry once up front: a broken one is said once here, not per file."""
    try:
        from imagerights.registry import open_matcher
    except ImportError:
        return False
    try:
        matcher = open_matcher(registry_url)
    except Exception as exc:  # noqa: BLE001
        click.echo(f"imagerights: registry not used: {exc}", err=True)
        return False
    close = getattr(matcher, "close", None)
    if callable(close):
        close()
    return matcher is not None


def _render(fmt: str, report: dict, run, output: str | None) -> str:
    from imagerights.audit.report import thumbnails

    if fmt == "json":
        from imagerights.render.audit_json import render
        return render(report) + "\n"
    if fmt == "csv":
        from imagerights.render.csv import render
        return render(report)
    if fmt == "sarif":
        from imagerights.render.sarif import render
        return render(report) + "\n"
    if fmt == "html":
        from imagerights.render.html import render
        return render(report, thumbnails(run))
    from imagerights.render.audit_text import render

    color = output is None and is_tty(sys.stdout)
    width = None
    if color:
        try:
            width = os.get_terminal_size(sys.stdout.fileno()).columns
        except OSError:
            width = None
    return render(report, color=color, width=width)


def _write(text: str, output: str | None) -> None:
    """Standard output, or the file written whole (a temporary file renamed over it, so an
    interrupted write never leaves half a report)."""
    if output is None:
        click.echo(text, nl=False)
        return
    target = Path(output)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=str(target.parent.resolve()))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class _NoProgress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def scanning(self, n: int) -> None:
        pass

    def advance(self, done: int, total: int, rel: str) -> None:
        pass


class _RichProgress(_NoProgress):
    """A rich progress bar on standard error: a counter while scanning, then a bar with the rate."""

    def __init__(self, lang: str):
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                   TimeRemainingColumn)

        self.lang = lang
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                                 console=Console(file=sys.stderr), transient=True)
        self.scan = None
        self.task = None

    def __enter__(self):
        self.progress.__enter__()
        self.scan = self.progress.add_task("Söker filer" if self.lang == "sv" else "Finding files", total=None, rate="")
        return self

    def __exit__(self, *exc):
        return self.progress.__exit__(*exc)

    def scanning(self, n: int) -> None:
        if n % 50 == 0:
            self.progress.update(self.scan, completed=n)

    def advance(self, done: int, total: int, rel: str) -> None:
        if self.task is None:
            self.progress.remove_task(self.scan)
            self.task = self.progress.add_task("Granskar" if self.lang == "sv" else "Auditing", total=total, rate="")
        task = self.progress.tasks[0] if self.progress.tasks else None
        speed = f"{task.speed:.1f}/s" if task is not None and task.speed else ""
        self.progress.update(self.task, completed=done, rate=speed)


def _progress(enabled: bool, lang: str):
    return _RichProgress(lang) if enabled else _NoProgress()

"""``imagerights registry`` — the organisation's asset registry: add, import, list, show, set,
remove, export, and match (what is this image, and how was it changed?).

The contract of ``--format json`` is documented in docs/registry.md.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import click

from imagerights.cli.common import EXIT_OK, EXIT_USAGE, registry_option

MATCH_SCHEMA = "imagerights.match/1"
EXPORT_SCHEMA = "imagerights.registry/1"


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _store(registry_url: str | None, *, create: bool = True, readonly: bool = False):
    from imagerights.registry.store import RegistryError, open_store

    try:
        return open_store(registry_url, create=create, readonly=readonly)
    except RegistryError as exc:
        _fail(str(exc))


def _dump(doc: Any) -> None:
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))


# The options that describe an asset, shared by add, import, import-csv and set.
def asset_options(fn):
    options = [
        click.option("--title", default=None, help="Title of the image."),
        click.option("--creator", "creators", multiple=True, metavar="NAME",
                     help="Creator (repeat for several; or ';'-separated)."),
        click.option("--source", "source_url", default=None, metavar="URL", help="Where the image came from."),
        click.option("--license", "license_id", default=None, metavar="ID|URL|NAME",
                     help="Licence: an id (CC-BY-SA-4.0, LicenseRef-Colourbox), a licence URL or a name."),
        click.option("--expires", default=None, metavar="YYYY-MM-DD", help="Date the licence ends."),
        click.option("--channel", "channels", multiple=True, metavar="NAME",
                     help="Channel the licence allows (repeat or comma-separate; none = any channel). "
                          "'social' covers every social platform."),
        click.option("--editorial-only/--not-editorial-only", "editorial_only", default=None,
                     help="The licence allows editorial use only (never marketing/advertising)."),
        click.option("--consent", default=None,
                     type=click.Choice(["none", "oral", "written", "model-release", "not-needed"]),
                     help="Consent of the people shown, as on record."),
        click.option("--consent-ref", default=None, metavar="TEXT", help="Where the consent is filed (case no., form)."),
        click.option("--people", "people_present", default=None, type=click.Choice(["yes", "no", "unknown"]),
                     help="Does the image show identifiable people?"),
        click.option("--status", default=None, type=click.Choice(["active", "do-not-use"]),
                     help="do-not-use stops every use of the image."),
        click.option("--notes", default=None, help="Free text."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _flag_fields(**given) -> dict[str, Any]:
    from imagerights.registry.ingest import normalise_fields
    from imagerights.registry.store import RegistryError

    raw = dict(given)
    raw["creators"] = list(raw.get("creators") or [])
    raw["channels"] = list(raw.get("channels") or [])
    if raw.get("people_present") == "unknown":
        raw.pop("people_present")
    try:
        return normalise_fields(raw)
    except RegistryError as exc:
        _fail(str(exc))
    return {}


def _report(report, fmt: str) -> None:
    if fmt == "json":
        _dump(report.to_dict())
        return
    for a in report.added:
        click.echo(f"added    {a['asset_id']}  {a['path']}")
    for s in report.skipped:
        click.echo(f"skipped  {s['path']}: {s['reason']}")
    for n in report.notes:
        click.echo(f"note     {n['path']}: {n['note']}", err=True)
    click.echo(f"{len(report.added)} added, {len(report.skipped)} skipped", err=True)


def _run_register(registry_url, items, flags, fmt, read_metadata=True, added_by=None) -> None:
    from imagerights.registry.ingest import register
    from imagerights.registry.store import RegistryError

    store = _store(registry_url)
    try:
        report = register(store, items, flags, read_file_metadata=read_metadata, added_by=added_by)
    except RegistryError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        click.echo("interrupted: nothing was registered", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the transaction was rolled back: say so plainly
        _fail(f"import failed, nothing was registered: {type(exc).__name__}: {exc}")
    finally:
        store.close()
    _report(report, fmt)
    sys.exit(EXIT_OK)


format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)


@click.group("registry")
def command() -> None:
    """The organisation's registry of images it knows the rights to (licensed, CC, own).

    \b
    Examples:
      imagerights registry add bank/*.jpg --license CC-BY-SA-4.0 --creator "Anna Andersson" \\
          --source https://flickr.com/... --consent written
      imagerights registry add colourbox/4711.jpg --id colourbox-4711 --license LicenseRef-Colourbox \\
          --expires 2027-03-31 --editorial-only
      imagerights registry import ./bildbank
      imagerights registry match post.jpg --format json

    The registry is a SQLite file in your data directory unless --registry or
    IMAGERIGHTS_REGISTRY names another file or a postgresql:// URL.
    """


@command.command("add")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--id", "asset_id", default=None, help="Asset id (one file only; default: from the file's sha256).")
@asset_options
@click.option("--no-metadata", is_flag=True, help="Do not read creator/licence from the files' metadata.")
@click.option("--added-by", default=None, help="Who registers (default: the user name).")
@format_option
@registry_option
def add_command(paths, asset_id, no_metadata, added_by, fmt, registry_url, **given):
    """Register image files (one transaction: all or nothing if interrupted)."""
    from imagerights.registry.ingest import Item

    if asset_id and len(paths) > 1:
        raise click.BadParameter("--id names one asset: give one file", param_hint="--id")
    flags = _flag_fields(asset_id=asset_id, **given)
    items = [Item(Path(p), display=p) for p in paths]
    _run_register(registry_url, items, flags, fmt, not no_metadata, added_by)


@command.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--csv", "sidecar", default=None, type=click.Path(exists=True, dir_okay=False),
              help="CSV with a row per file (default: imagerights.csv/registry.csv/assets.csv in FOLDER).")
@asset_options
@click.option("--no-metadata", is_flag=True, help="Do not read creator/licence from the files' metadata.")
@click.option("--added-by", default=None, help="Who registers (default: the user name).")
@format_option
@registry_option
def import_command(folder, sidecar, no_metadata, added_by, fmt, registry_url, **given):
    """Register every image under FOLDER: licence and creator from each file's metadata, a CSV
    sidecar row, or the options given here (CSV row > options > metadata)."""
    from imagerights.registry.ingest import items_from_folder
    from imagerights.registry.store import RegistryError

    flags = _flag_fields(**given)
    try:
        items = items_from_folder(Path(folder), Path(sidecar) if sidecar else None)
    except (RegistryError, OSError, UnicodeDecodeError) as exc:
        _fail(str(exc))
    _run_register(registry_url, items, flags, fmt, not no_metadata, added_by)


@command.command("import-csv")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False))
@asset_options
@click.option("--no-metadata", is_flag=True, help="Do not read creator/licence from the files' metadata.")
@click.option("--added-by", default=None, help="Who registers (default: the user name).")
@format_option
@registry_option
def import_csv_command(csv_file, no_metadata, added_by, fmt, registry_url, **given):
    """Register the files a CSV lists (column 'path', relative to the CSV; other columns as in
    `registry export --format csv`)."""
    from imagerights.registry.ingest import items_from_csv
    from imagerights.registry.store import RegistryError

    flags = _flag_fields(**given)
    try:
        items = items_from_csv(Path(csv_file))
    except (RegistryError, OSError, UnicodeDecodeError) as exc:
        _fail(str(exc))
    _run_register(registry_url, items, flags, fmt, not no_metadata, added_by)


def _asset_line(a) -> str:
    bits = [a.asset_id, a.license_id or "-", a.expires.isoformat() if a.expires else "-"]
    flags = []
    if a.editorial_only:
        flags.append("editorial")
    if a.status != "active":
        flags.append(a.status)
    if a.channels:
        flags.append("channels=" + ",".join(a.channels))
    title = a.title or a.file_name
    who = "; ".join(a.creators)
    return "  ".join(bits) + (f"  [{' '.join(flags)}]" if flags else "") + f"  {title}" + (f" — {who}" if who else "")


@command.command("list")
@click.option("--status", type=click.Choice(["active", "do-not-use"]), default=None)
@click.option("--license", "license_id", default=None, metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@registry_option
def list_command(status, license_id, fmt, registry_url):
    """List registered assets."""
    store = _store(registry_url)
    try:
        assets = list(store.assets(status=status, license_id=license_id))
    finally:
        store.close()
    _print_assets(assets, fmt)


def _print_assets(assets, fmt: str, out=None) -> None:
    from imagerights.registry.ingest import CSV_COLUMNS, export_rows

    if fmt == "json":
        text = json.dumps({"schema": EXPORT_SCHEMA, "assets": [a.to_dict() for a in assets]},
                          ensure_ascii=False, indent=2)
        click.echo(text, file=out)
    elif fmt == "csv":
        stream = out or sys.stdout
        writer = csv.DictWriter(stream, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
        writer.writeheader()
        for row in export_rows(assets):
            writer.writerow(row)
    else:
        for a in assets:
            click.echo(_asset_line(a), file=out)
        if out is None:
            click.echo(f"{len(assets)} asset(s)", err=True)


@command.command("show")
@click.argument("asset_id")
@format_option
@registry_option
def show_command(asset_id, fmt, registry_url):
    """Show one asset (an id or a unique prefix of one)."""
    from imagerights.registry.store import RegistryError

    store = _store(registry_url)
    try:
        a = store.get(store.resolve(asset_id))
        fp = store.fingerprint(a.asset_id)
    except RegistryError as exc:
        _fail(str(exc))
    finally:
        store.close()
    d = a.to_dict()
    d["fingerprint_bytes"] = fp.nbytes if fp else 0
    if fmt == "json":
        _dump(d)
        return
    width = max(len(k) for k in d)
    for k, v in d.items():
        if isinstance(v, list):
            v = "; ".join(v) if v else "-"
        click.echo(f"{k:<{width}}  {'-' if v in (None, '') else v}")


@command.command("set")
@click.argument("asset_id")
@asset_options
@registry_option
def set_command(asset_id, registry_url, **given):
    """Change an asset's record, e.g. `registry set 4711 --status do-not-use` or `--expires 2028-12-31`."""
    from imagerights.registry.store import RegistryError

    changes = _flag_fields(**given)
    if given.get("people_present") == "unknown":
        changes["people_present"] = None
    if not changes:
        raise click.UsageError("nothing to change: give at least one option")
    store = _store(registry_url)
    try:
        a = store.update(store.resolve(asset_id), **changes)
    except RegistryError as exc:
        _fail(str(exc))
    finally:
        store.close()
    click.echo(_asset_line(a))


@command.command("remove")
@click.argument("asset_ids", nargs=-1, required=True)
@registry_option
def remove_command(asset_ids, registry_url):
    """Remove assets (and their fingerprints) from the registry."""
    from imagerights.registry.store import RegistryError

    store = _store(registry_url)
    try:
        with store.transaction():
            ids = [store.resolve(i) for i in asset_ids]
            for i in ids:
                store.remove(i)
    except RegistryError as exc:
        _fail(str(exc))
    finally:
        store.close()
    for i in ids:
        click.echo(f"removed  {i}")


@command.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@registry_option
def export_command(fmt, output, registry_url):
    """Export every asset record (not the fingerprints) as CSV (re-importable) or JSON."""
    store = _store(registry_url)
    try:
        assets = list(store.assets())
    finally:
        store.close()
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            _print_assets(assets, fmt, out=fh)
    else:
        _print_assets(assets, fmt)


@command.command("match")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@format_option
@click.option("--explain", is_flag=True, help="Also show the candidates that were not accepted, and why.")
@registry_option
def match_command(paths, fmt, explain, registry_url):
    """What is this image, and how was it changed? Matches against the registry with the same
    threshold `check` uses; only accepted matches are listed."""
    from imagerights.imaging import ImageError, open_source
    from imagerights.registry.match import Matcher, Query
    from imagerights.registry.store import RegistryError

    store = _store(registry_url)
    try:
        matcher = Matcher(store)
    except RegistryError as exc:
        _fail(str(exc))
    results, failed = [], False
    try:
        for p in paths:
            entry: dict[str, Any] = {"path": p, "matches": []}
            try:
                src = open_source(p)
                if src.pil is None or src.open_stage is not None:
                    raise ImageError(src.open_stage or "open", src.open_error or "not an image")
                matches = matcher.match_source(src)
                entry["matches"] = [_match_dict(m) for m in matches]
                if explain:
                    evidence = matcher.evaluate(Query.from_source(src), all_candidates=True)
                    entry["candidates"] = [_evidence_dict(e) for e in evidence]
            except (ImageError, OSError) as exc:
                failed = True
                entry["error"] = getattr(exc, "reason", None) or str(exc)
            results.append(entry)
    finally:
        matcher.close()
    if fmt == "json":
        _dump({"schema": MATCH_SCHEMA, "results": results})
    else:
        for r in results:
            _print_match(r)
    sys.exit(EXIT_USAGE if failed else EXIT_OK)


def _match_dict(m) -> dict[str, Any]:
    a = m.asset
    return {
        "asset_id": m.asset_id,
        "confidence": round(float(m.confidence), 4),
        "edits": m.edits,
        "asset": {k: a.get(k) for k in ("title", "creators", "license_id", "expires", "editorial_only",
                                        "channels", "consent", "status", "source_url")},
    }


def _evidence_dict(e) -> dict[str, Any]:
    return {"asset_id": e.asset_id, "accepted": e.accepted, "confidence": round(e.confidence, 4),
            "hash_distance": e.hash_distance, "hash_pair": list(e.hash_pair), "inliers": e.inliers,
            "candidate_distance": e.candidate_distance}


def _print_match(r: dict) -> None:
    if "error" in r:
        click.echo(f"{r['path']}: cannot read: {r['error']}")
        return
    if not r["matches"]:
        click.echo(f"{r['path']}: no registered asset")
    for m in r["matches"]:
        a = m["asset"]
        lic = a.get("license_id") or "no licence recorded"
        exp = f", expires {a['expires']}" if a.get("expires") else ""
        click.echo(f"{r['path']}: {m['asset_id']} ({m['confidence']:.0%}) {a.get('title') or ''} — {lic}{exp}"
                   + (", editorial only" if a.get("editorial_only") else "")
                   + (", DO NOT USE" if a.get("status") == "do-not-use" else ""))
        if m["edits"]:
            click.echo("    edits: " + ", ".join(_edit_text(k, v) for k, v in m["edits"].items()))
    for c in r.get("candidates", []):
        click.echo(f"    candidate {c['asset_id']}: {'accepted' if c['accepted'] else 'rejected'} "
                   f"confidence {c['confidence']:.2f}, hash distance {c['hash_distance']}/256 "
                   f"({c['hash_pair'][0]}~{c['hash_pair'][1]}), {c['inliers']} feature inliers")


def _edit_text(key: str, value: Any) -> str:
    if key == "crop":
        return f"cropped to {value['kept']:.0%} of the original"
    if key == "covered":
        return f"{value['fraction']:.0%} covered (text, logo or sticker)"
    if key == "scale":
        return f"scaled ×{value}"
    if key == "rotation":
        return f"turned {value}°"
    if key == "border":
        return f"frame/border ({value['added']:.0%} of the copy)"
    if key == "flip":
        return "mirrored"
    if key == "greyscale":
        return "black and white"
    if key == "recoloured":
        return "colours/brightness changed"
    return key


try:  # administration commands of the PostgreSQL work (migrate, copy, prune-changes)
    from imagerights.cli.registry_admin import register as _register_admin

    _register_admin(command)
except ImportError:  # pragma: no cover
    pass

"""``imagerights attribute``: from an image's XMP (generated JPEGs) and from flags."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from PIL import Image

from imagerights.cli.attribute import command as attribute

XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:cc="http://creativecommons.org/ns#"
  xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/">
{body}
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""

CC_BODY = """<dc:creator><rdf:Seq><rdf:li>Anna Andersson</rdf:li></rdf:Seq></dc:creator>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Stortorget i snö</rdf:li></rdf:Alt></dc:title>
<cc:license rdf:resource="https://creativecommons.org/licenses/by-sa/4.0/"/>
<cc:attributionURL rdf:resource="https://www.flickr.com/photos/example/123"/>"""

OWN_BODY = """<dc:creator><rdf:Seq><rdf:li>Anna Andersson</rdf:li></rdf:Seq></dc:creator>
<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">Malmö stad</rdf:li></rdf:Alt></dc:rights>"""

HOSTILE_BODY = """<dc:creator><rdf:Seq><rdf:li>&lt;script&gt;alert(1)&lt;/script&gt;</rdf:li></rdf:Seq></dc:creator>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">&lt;img src=x onerror=alert(1)&gt;</rdf:li></rdf:Alt></dc:title>
<xmpRights:UsageTerms><rdf:Alt><rdf:li xml:lang="x-default">CC BY 4.0</rdf:li></rdf:Alt></xmpRights:UsageTerms>"""


def jpeg(path, body: str):
    Image.new("RGB", (64, 48), (120, 140, 160)).save(path, "JPEG", xmp=XMP.format(body=body).encode("utf-8"))
    return str(path)


def run(*args):
    return CliRunner().invoke(attribute, list(args), catch_exceptions=False)


def test_file_metadata_to_swedish_html(tmp_path):
    path = jpeg(tmp_path / "photo.jpg", CC_BODY)
    before = (tmp_path / "photo.jpg").read_bytes()
    res = run(path, "--lang", "sv", "--format", "html")
    assert res.exit_code == 0, res.output
    assert res.output.strip() == (
        '<p class="attribution">Foto: Anna Andersson. '
        '<a href="https://www.flickr.com/photos/example/123" rel="noopener noreferrer">\u201dStortorget i snö\u201d</a>. '
        'Licens: <a href="https://creativecommons.org/licenses/by-sa/4.0/deed.sv" rel="license noopener noreferrer">'
        "CC BY-SA 4.0</a>.</p>")
    assert (tmp_path / "photo.jpg").read_bytes() == before  # the original is never modified


def test_flags_win_over_the_file(tmp_path):
    path = jpeg(tmp_path / "photo.jpg", CC_BODY)
    res = run(path, "--title", "Annan titel", "--license", "CC BY 4.0", "--lang", "en")
    assert res.exit_code == 0, res.output
    assert res.output.strip().startswith('"Annan titel" by Anna Andersson is licensed under CC BY 4.0.')


def test_flags_only_worked_example():
    res = run("--title", "Stortorget i snö", "--author", "Anna Andersson", "--source",
              "https://www.flickr.com/photos/example/123", "--license",
              "https://creativecommons.org/licenses/by-sa/4.0/deed.sv", "--changes", "crop,text", "--by", "Malmö stad",
              "--lang", "en")
    assert res.exit_code == 0, res.output
    assert res.output.strip() == (
        '"Stortorget i snö" by Anna Andersson is licensed under CC BY-SA 4.0. To view a copy of this license, '
        "visit https://creativecommons.org/licenses/by-sa/4.0/. Source: https://www.flickr.com/photos/example/123. "
        "Cropped and text added by Malmö stad. The adaptation is licensed under CC BY-SA 4.0.")


@pytest.mark.parametrize("fmt", ["text", "html", "markdown", "social"])
def test_every_format(fmt):
    res = run("--author", "Anna A", "--license", "flickr:12", "--format", fmt, "--lang", "sv")
    assert res.exit_code == 0, res.output
    assert "CC BY-SA 4.0" in res.output


def test_json_output(tmp_path):
    res = run(jpeg(tmp_path / "p.jpg", CC_BODY), "--format", "json", "--lang", "sv", "--changes", "crop")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["schema"] == "imagerights.attribution/1"
    assert doc["license"]["id"] == "CC-BY-SA-4.0" and doc["license"]["found_in"] == "XMP-cc:License"
    assert doc["credit"]["changes"] == ["crop"] and doc["credit"]["platform"] == "Flickr"
    assert set(doc["attribution"]) == {"text", "html", "markdown", "social"}
    assert doc["attribution"]["social"].startswith("Foto: Anna Andersson/Flickr (CC BY-SA 4.0), beskuren")


def test_note_for_a_port_that_does_not_exist():
    res = CliRunner().invoke(attribute, ["--author", "A", "--license", "Erkännande 4.0 Sverige", "--lang", "sv"])
    assert res.exit_code == 0
    assert "ingen anpassad licens CC BY 4.0 SE" in res.stderr
    assert res.stdout.strip() == "Foto: A. Licens: CC BY 4.0, https://creativecommons.org/licenses/by/4.0/deed.sv."


def test_own_image_house_style(tmp_path):
    path = jpeg(tmp_path / "own.jpg", OWN_BODY)
    res = run(path, "--lang", "sv")
    assert res.exit_code == 0, res.output
    assert res.output.strip() == "Foto: Malmö stad/Anna Andersson"
    res = run(path, "--lang", "sv", "--publish-license", "CC-BY-NC-ND-4.0", "--people", "no")
    assert res.output.strip() == "Foto: Malmö stad/Anna Andersson (CC BY-NC-ND 4.0)"
    res = run(path, "--lang", "sv", "--publish-license", "CC-BY-NC-ND-4.0", "--people", "yes")
    assert res.output.strip() == "Foto: Malmö stad/Anna Andersson"


def test_html_from_a_hostile_file_is_escaped(tmp_path):
    res = run(jpeg(tmp_path / "h.jpg", HOSTILE_BODY), "--format", "html", "--lang", "en")
    assert res.exit_code == 0, res.output
    assert "<script>" not in res.output and "<img" not in res.output
    assert "&lt;script&gt;" in res.output


def test_usage_errors_exit_2(tmp_path):
    assert run("--license", "no such licence at all").exit_code == 2
    assert run("--author", "A", "--changes", "rotate").exit_code == 2
    assert run("--author", "A", "--publish-license", "NOPE-9.9").exit_code == 2
    assert run("--format", "pdf").exit_code == 2
    assert run(str(tmp_path / "missing.jpg")).exit_code == 2


def test_a_damaged_file_gives_its_metadata_up_but_never_crashes(tmp_path):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 truncated")
    res = run(str(bad), "--author", "A", "--license", "CC BY 4.0", "--lang", "en")
    assert res.exit_code == 0, res.output
    assert res.output.strip().startswith("This work by A is licensed under CC BY 4.0.")


def test_nothing_to_credit_exits_1(tmp_path):
    plain = tmp_path / "plain.jpg"
    Image.new("RGB", (8, 8)).save(plain, "JPEG")
    res = run(str(plain))
    assert res.exit_code == 1

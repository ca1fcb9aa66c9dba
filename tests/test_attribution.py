"""Credit lines: the worked examples of research/licenses.md §(b) (golden strings) and the
identification and attribution parts of the fifteen cases of §(c). The findings of those
cases (R-rules) are tested in test_rules_licence_cases.py."""

from __future__ import annotations

import dataclasses
import re

import pytest

from imagerights.facts import Facts, LicenseMatch, Metadata
from imagerights.licensing.attribution import (
    CreditInput, change_note, clean_url, credit_from_context, credit_from_metadata, platform_of, render_attribution,
)
from imagerights.licensing.catalogue import default_catalogue
from imagerights.licensing.identify import identify, identify_flickr_id, identify_from_metadata
from imagerights.policy import default_policy
from imagerights.rules.context import build_context
from imagerights.use import EDITS, IntendedUse, parse_edits

FLICKR_PAGE = "https://www.flickr.com/photos/example/123"


@pytest.fixture(scope="module")
def cat():
    return default_catalogue()


@pytest.fixture(scope="module")
def policy():
    return default_policy()


def lic_of(text, cat):
    found = identify(text, cat)
    assert found is not None, text
    return cat[found.id]


def render(credit, lang, policy):
    return render_attribution(credit, lang, policy)


def context(cat, policy, *, license=None, flickr=None, edits="", publish_license=None, people="unknown",
            asset=None, **md):
    facts = Facts(path="t.jpg", metadata=Metadata(**md))
    if license is not None:
        facts.license = LicenseMatch(identify(license, cat).id, "XMP-cc:license", license)
    if flickr is not None:
        facts.license = LicenseMatch(identify_flickr_id(flickr, cat).id, "flickr", str(flickr))
    if asset is not None:
        from imagerights.facts import RegistryMatch
        facts.registry_matches = [RegistryMatch(asset_id="A1", confidence=0.99, asset=asset)]
    use = IntendedUse(edits=parse_edits(edits), publish_license=publish_license, people=people)
    return build_context(facts, use, policy, cat)


# ------------------------------------------------------------------------------- worked examples (golden)
@pytest.fixture()
def worked(cat):
    return CreditInput(title="Stortorget i snö", author="Anna Andersson",
                       author_url="https://www.flickr.com/people/example/", source_url=FLICKR_PAGE,
                       license=cat["CC-BY-SA-4.0"], changes=frozenset({"crop", "text"}), changed_by="Malmö stad",
                       organisation="Malmö stad", platform="Flickr")


def test_worked_example_en_plain(worked, policy):
    assert render(worked, "en", policy)["text"] == (
        '"Stortorget i snö" by Anna Andersson is licensed under CC BY-SA 4.0. To view a copy of this license, '
        "visit https://creativecommons.org/licenses/by-sa/4.0/. Source: https://www.flickr.com/photos/example/123. "
        "Cropped and text added by Malmö stad.")


def test_worked_example_sv_plain(worked, policy):
    assert render(worked, "sv", policy)["text"] == (
        "Foto: Anna Andersson. \u201dStortorget i snö\u201d. Licens: CC BY-SA 4.0, "
        "https://creativecommons.org/licenses/by-sa/4.0/deed.sv. Källa: https://www.flickr.com/photos/example/123. "
        "Beskuren och med tillagd text av Malmö stad.")


def test_worked_example_adaptation_of_bysa_states_its_licence(worked, cat, policy):
    adapted = dataclasses.replace(worked, adaptation_license=cat["CC-BY-SA-4.0"])
    sv = render(adapted, "sv", policy)["text"]
    assert sv.endswith("Beskuren och med tillagd text av Malmö stad. Bearbetningen är licensierad under CC BY-SA 4.0.")
    assert render(adapted, "en", policy)["text"].endswith("The adaptation is licensed under CC BY-SA 4.0.")


def test_worked_example_sv_social(worked, policy):
    assert render(worked, "sv", policy)["social"] == (
        "Foto: Anna Andersson/Flickr (CC BY-SA 4.0), beskuren och med tillagd text\n"
        "creativecommons.org/licenses/by-sa/4.0/deed.sv")
    assert render(worked, "en", policy)["social"] == (
        "Photo: Anna Andersson/Flickr (CC BY-SA 4.0), cropped and text added\n"
        "creativecommons.org/licenses/by-sa/4.0/")


def test_worked_example_markdown_en(worked, policy):
    assert render(worked, "en", policy)["markdown"] == (
        '["Stortorget i snö"](https://www.flickr.com/photos/example/123) by '
        "[Anna Andersson](https://www.flickr.com/people/example/) is licensed under "
        "[CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/). Cropped and text added by Malmö stad.")


def test_worked_example_markdown_and_html_sv(worked, policy):
    out = render(worked, "sv", policy)
    assert out["markdown"] == (
        "Foto: [Anna Andersson](https://www.flickr.com/people/example/). "
        "[\u201dStortorget i snö\u201d](https://www.flickr.com/photos/example/123). "
        "Licens: [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/deed.sv). "
        "Beskuren och med tillagd text av Malmö stad.")
    assert out["html"] == (
        '<p class="attribution">Foto: <a href="https://www.flickr.com/people/example/" rel="noopener noreferrer">'
        'Anna Andersson</a>. <a href="https://www.flickr.com/photos/example/123" rel="noopener noreferrer">'
        '\u201dStortorget i snö\u201d</a>. Licens: <a href="https://creativecommons.org/licenses/by-sa/4.0/deed.sv" '
        'rel="license noopener noreferrer">CC BY-SA 4.0</a>. Beskuren och med tillagd text av Malmö stad.</p>')


def test_worked_example_html_en(worked, policy):
    assert render(worked, "en", policy)["html"] == (
        '<p class="attribution"><a href="https://www.flickr.com/photos/example/123" rel="noopener noreferrer">'
        '&quot;Stortorget i snö&quot;</a> by <a href="https://www.flickr.com/people/example/" '
        'rel="noopener noreferrer">Anna Andersson</a> is licensed under '
        '<a href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license noopener noreferrer">CC BY-SA 4.0</a>. '
        "Cropped and text added by Malmö stad.</p>")


def test_worked_example_own_photo_with_account_licence(cat, policy):
    own = CreditInput(author="Anna Andersson", own=True, organisation="Malmö stad", license=cat["CC-BY-NC-ND-4.0"])
    assert render(own, "sv", policy)["text"] == "Foto: Malmö stad/Anna Andersson (CC BY-NC-ND 4.0)"
    assert render(own, "sv", policy)["social"] == (
        "Foto: Malmö stad/Anna Andersson (CC BY-NC-ND 4.0)\ncreativecommons.org/licenses/by-nc-nd/4.0/deed.sv")
    assert render(own, "en", policy)["text"] == "Photo: City of Malmö/Anna Andersson (CC BY-NC-ND 4.0)"


def test_flags_path_gives_the_worked_example(cat, policy):
    """The CLI path: credit_from_metadata with overrides gives the golden line (+ the R5 sentence)."""
    credit = credit_from_metadata(Metadata(), lic_of("https://creativecommons.org/licenses/by-sa/4.0/deed.sv", cat),
                                  policy, title="Stortorget i snö", author="Anna Andersson", source=FLICKR_PAGE,
                                  changes="crop,text", by="Malmö stad", catalogue=cat)
    assert credit.platform == "Flickr"
    assert credit.adaptation_license.id == "CC-BY-SA-4.0"
    text = render(credit, "en", policy)["text"]
    assert text == (
        '"Stortorget i snö" by Anna Andersson is licensed under CC BY-SA 4.0. To view a copy of this license, '
        "visit https://creativecommons.org/licenses/by-sa/4.0/. Source: https://www.flickr.com/photos/example/123. "
        "Cropped and text added by Malmö stad. The adaptation is licensed under CC BY-SA 4.0.")


# ------------------------------------------------------------------------------- the fifteen cases
def test_case01_openverse_url_without_ref(cat, policy):
    lic = lic_of("https://creativecommons.org/licenses/by/4.0/?ref=openverse", cat)
    assert lic.id == "CC-BY-4.0"
    out = render(CreditInput(title="Title", author="Creator", license=lic), "en", policy)
    assert out["text"] == ('"Title" by Creator is licensed under CC BY 4.0. To view a copy of this license, '
                           "visit https://creativecommons.org/licenses/by/4.0/.")
    assert "ref=openverse" not in "".join(out.values())


def test_case02_no_title_4_0_short_form(cat, policy):
    lic = lic_of("CC BY-SA 4.0", cat)
    c = CreditInput(author="Anna A", source_url="https://www.flickr.com/photos/a/1", license=lic)
    assert render(c, "en", policy)["text"].startswith("This work by Anna A is licensed under CC BY-SA 4.0.")
    assert render(c, "sv", policy)["text"] == (
        "Foto: Anna A. Licens: CC BY-SA 4.0, https://creativecommons.org/licenses/by-sa/4.0/deed.sv. "
        "Källa: https://www.flickr.com/photos/a/1.")
    assert not lic.conditions.title_required


def test_case03_by20_title(cat, policy):
    lic = lic_of("http://creativecommons.org/licenses/by/2.0", cat)
    assert lic.id == "CC-BY-2.0" and identify_flickr_id(4, cat).id == "CC-BY-2.0"
    assert lic.conditions.title_required
    c = CreditInput(title="Creative Commons 10th Birthday Celebration San Francisco", author="tvol",
                    source_url="https://www.flickr.com/photos/tvol/1", license=lic, platform="Flickr")
    out = render(c, "en", policy)
    assert out["text"].startswith('"Creative Commons 10th Birthday Celebration San Francisco" by tvol is licensed '
                                  "under CC BY 2.0. To view a copy of this license, visit "
                                  "https://creativecommons.org/licenses/by/2.0/.")
    # ≤3.0: the title stays even in the short form
    assert out["social"].startswith('Photo: tvol/Flickr, "Creative Commons 10th Birthday Celebration San Francisco" '
                                    "(CC BY 2.0)")


def test_case04_swedish_port(cat, policy):
    lic = lic_of("Creative Commons Erkännande-IckeKommersiell-DelaLika 2.5 Sverige licens.", cat)
    assert lic.id == "LicenseRef-CC-BY-NC-SA-2.5-SE"
    assert lic.canonical_url == "https://creativecommons.org/licenses/by-nc-sa/2.5/se/"
    assert lic.ported and lic.nc and lic.conditions.title_required
    c = CreditInput(title="Logga", author="Linnéuniversitetet", license=lic)
    assert render(c, "sv", policy)["text"] == (
        "Foto: Linnéuniversitetet. \u201dLogga\u201d. Licens: CC BY-NC-SA 2.5 SE, "
        "https://creativecommons.org/licenses/by-nc-sa/2.5/se/deed.sv.")
    assert render(c, "sv", policy)["social"] == (
        "Foto: Linnéuniversitetet, \u201dLogga\u201d (CC BY-NC-SA 2.5 SE)\n"
        "creativecommons.org/licenses/by-nc-sa/2.5/se/deed.sv")


def test_case05_nd_with_text_is_noted(cat, policy):
    lic = lic_of("https://creativecommons.org/licenses/by-nd/4.0/deed.sv", cat)
    assert lic.id == "CC-BY-ND-4.0" and lic.nd
    c = CreditInput(title="Bron", author="Erik E", source_url="https://example.org/bron", license=lic,
                    changes=frozenset({"text"}), changed_by="Malmö stad")
    assert render(c, "sv", policy)["text"].endswith("Med tillagd text av Malmö stad.")


def test_case06_nd_resize_needs_no_note(cat, policy):
    ctx = context(cat, policy, license="https://creativecommons.org/licenses/by-nd/4.0/deed.sv", creators=["Erik E"],
                  title="Bron", cc_attribution_url="https://example.org/bron", edits="resize", people="no")
    credit = credit_from_context(ctx)
    assert render(credit, "sv", policy)["text"] == (
        "Foto: Erik E. \u201dBron\u201d. Licens: CC BY-ND 4.0, https://creativecommons.org/licenses/by-nd/4.0/deed.sv. "
        "Källa: https://example.org/bron.")


def test_case07_flickr_2(cat, policy):
    ctx = context(cat, policy, flickr=2, creators=["Lisa L"], title="Konsert",
                  cc_attribution_url="https://www.flickr.com/photos/l/2")
    assert ctx.license.id == "CC-BY-NC-2.0"
    out = render(credit_from_context(ctx), "sv", policy)
    assert out["text"] == ("Foto: Lisa L. \u201dKonsert\u201d. Licens: CC BY-NC 2.0, "
                           "https://creativecommons.org/licenses/by-nc/2.0/deed.sv. Källa: https://www.flickr.com/photos/l/2.")
    assert out["social"].startswith("Foto: Lisa L/Flickr, \u201dKonsert\u201d (CC BY-NC 2.0)")


def test_case08_bysa20_adapted_keeps_share_alike(cat, policy):
    ctx = context(cat, policy, flickr=5, creators=["Per P"], title="Torg",
                  cc_attribution_url="https://www.flickr.com/photos/p/5", edits="crop,text",
                  publish_license="CC-BY-NC-ND-4.0")
    credit = credit_from_context(ctx)
    assert credit.license.id == "CC-BY-SA-2.0"
    # the account's BY-NC-ND is not a possible adapter's licence: the credit states the ShareAlike obligation
    assert credit.adaptation_license.id == "CC-BY-SA-2.0"
    sv = render(credit, "sv", policy)["text"]
    assert "Beskuren och med tillagd text av Malmö stad." in sv
    assert sv.endswith("Bearbetningen är licensierad under CC BY-SA 2.0.")
    assert "BY-NC-ND" not in sv
    later = credit_from_context(context(cat, policy, flickr=5, creators=["Per P"], title="Torg", edits="crop,text",
                                        publish_license="CC-BY-SA-4.0"))
    assert later.adaptation_license.id == "CC-BY-SA-4.0"
    assert render(later, "sv", policy)["text"].endswith(
        "Bearbetningen är licensierad under CC BY-SA 4.0, https://creativecommons.org/licenses/by-sa/4.0/deed.sv.")


def test_case09_cc0(cat, policy):
    lic = lic_of("https://creativecommons.org/publicdomain/zero/1.0/deed.sv", cat)
    assert lic.id == "CC0-1.0"
    c = CreditInput(title="Title", author="Creator", license=lic)
    assert render(c, "en", policy)["text"] == (
        '"Title" by Creator is marked with CC0 1.0. To view the terms, visit https://creativecommons.org/publicdomain/zero/1.0/.')
    assert render(c, "sv", policy)["text"] == (
        "Foto: Creator. \u201dTitle\u201d. Märkt med CC0 1.0, https://creativecommons.org/publicdomain/zero/1.0/deed.sv.")


def test_case10_public_domain_mark(cat, policy):
    assert lic_of("https://creativecommons.org/publicdomain/mark/1.0//", cat).id == "CC-PDM-1.0"
    lic = lic_of("Public Domain Mark 1.0", cat)
    assert lic.id == "CC-PDM-1.0"
    c = CreditInput(title="Title", author="Creator", license=lic)
    assert render(c, "en", policy)["text"] == (
        '"Title" by Creator is marked with Public Domain Mark 1.0. '
        "To view the terms, visit https://creativecommons.org/publicdomain/mark/1.0/.")


def test_case11_flickr_commons(cat, policy):
    lic = lic_of("No known copyright restrictions", cat)
    assert lic.id == identify_flickr_id(7, cat).id and lic.kind == "statement"
    c = CreditInput(author="Example Museum", license=lic, platform="Flickr")
    assert render(c, "sv", policy)["text"] == "Foto: Example Museum via Flickr Commons"
    with_photographer = dataclasses.replace(c, photographer="Karl Karlsson", title="Hamnen",
                                            source_url="https://www.flickr.com/photos/museum/1")
    assert render(with_photographer, "sv", policy)["text"] == (
        "Foto: Karl Karlsson/Example Museum via Flickr Commons. \u201dHamnen\u201d. "
        "Källa: https://www.flickr.com/photos/museum/1.")
    assert render(with_photographer, "en", policy)["text"].startswith(
        "Photo: Karl Karlsson/Example Museum via Flickr Commons.")


def test_case12_sampling_plus(cat, policy):
    lic = lic_of("https://creativecommons.org/licenses/sampling+/1.0/", cat)
    assert lic.id == "LicenseRef-CC-SAMPLING-PLUS-1.0" and not lic.spdx
    assert lic.retired and lic.conditions.attribution == "required"
    assert render(CreditInput(title="Y", author="X", license=lic), "en", policy)["text"] == (
        '"Y" by X is licensed under CC Sampling+ 1.0. To view a copy of this license, '
        "visit https://creativecommons.org/licenses/sampling+/1.0/.")


def test_case13_by_nd_nc(cat, policy):
    lic = lic_of("http://creativecommons.org/licenses/by-nd-nc/1.0/", cat)
    assert lic.id == "CC-BY-NC-ND-1.0" and lic.spdx == "CC-BY-NC-ND-1.0"
    assert lic.conditions.title_required and lic.nd and lic.nc
    text = render(CreditInput(title="Y", author="X", license=lic), "en", policy)["text"]
    assert text.startswith('"Y" by X is licensed under CC BY-ND-NC 1.0.')
    assert "https://creativecommons.org/licenses/by-nd-nc/1.0/" in text


def test_case14_unsplash(cat, policy):
    ctx = context(cat, policy, license="Unsplash License", creators=["Jane Doe"],
                  cc_attribution_url="https://unsplash.com/photos/abc", people="yes")
    assert ctx.license.kind == "platform-license" and ctx.origin == "free_bank"
    credit = credit_from_context(ctx)
    assert render(credit, "sv", policy)["text"] == "Foto: Jane Doe/Unsplash"
    assert render(credit, "en", policy)["text"] == "Photo by Jane Doe on Unsplash"
    # also recognised from the page URL alone
    assert identify("https://unsplash.com/photos/abc", cat).id == "LicenseRef-Unsplash"


def test_case15_own_image_with_people_never_gets_a_cc_licence(cat, policy):
    md = dict(creators=["Anna Andersson"], copyright="Malmö stad")
    with_people = credit_from_context(context(cat, policy, people="yes", publish_license="CC-BY-NC-ND-4.0", **md))
    assert with_people.own and with_people.license is None
    assert render(with_people, "sv", policy)["text"] == "Foto: Malmö stad/Anna Andersson"
    assert render(with_people, "sv", policy)["social"] == "Foto: Malmö stad/Anna Andersson"
    without = credit_from_context(context(cat, policy, people="no", publish_license="CC-BY-NC-ND-4.0", **md))
    assert render(without, "sv", policy)["text"] == "Foto: Malmö stad/Anna Andersson (CC BY-NC-ND 4.0)"


# ------------------------------------------------------------------------------- reserve cases
def test_reserve_badge_and_no_4_0_port(cat):
    assert lic_of("https://i.creativecommons.org/l/by-sa/3.0/88x31.png", cat).id == "CC-BY-SA-3.0"
    found = identify("Creative Commons Erkännande 4.0 Sverige", cat)
    assert found.id == "CC-BY-4.0" and "no CC BY 4.0 SE port" in found.note


def test_reserve_pixabay_before_2019_is_cc0(cat, policy):
    import datetime as dt

    pix = cat["LicenseRef-Pixabay"]
    assert pix.license_on(dt.date(2018, 5, 1)) == "CC0-1.0"
    c = CreditInput(author="Hans", license=pix)
    assert render(c, "en", policy)["text"] == "Image by Hans from Pixabay"
    assert render(c, "sv", policy)["text"] == "Bild: Hans/Pixabay"


def test_reserve_colourbox_credit(cat, policy):
    cb = cat["LicenseRef-Colourbox"]
    editorial = CreditInput(license=cb, photographer="Per Persson", editorial=True)
    assert render(editorial, "sv", policy)["text"] == "Colourbox.com / Per Persson"
    assert render(editorial, "en", policy)["text"] == "Colourbox.com / Per Persson"
    assert render(dataclasses.replace(editorial, editorial=False), "sv", policy)["text"] == "Foto: Per Persson/Colourbox"
    # a stock asset from the registry: photographer from the creators, editorial from the asset record
    ctx = context(cat, policy, asset={"license_id": "LicenseRef-Colourbox", "creators": ["Per Persson"],
                                      "editorial": True})
    assert render(credit_from_context(ctx), "sv", policy)["text"] == "Colourbox.com / Per Persson"


# ------------------------------------------------------------------------------- change notes
@pytest.mark.parametrize("edit,en,sv", [
    ("crop", "Cropped by Malmö stad.", "Beskuren av Malmö stad."),
    ("text", "Text added by Malmö stad.", "Med tillagd text av Malmö stad."),
    ("filter", "Filtered by Malmö stad.", "Filtrerad av Malmö stad."),
    ("composite", "Combined with other images by Malmö stad.", "Sammanfogad med andra bilder av Malmö stad."),
    ("ai_edit", "Edited with AI tools by Malmö stad.", "Redigerad med AI-verktyg av Malmö stad."),
    ("resize", "", ""),
])
def test_change_note_for_every_edit_kind(edit, en, sv):
    assert edit in EDITS
    assert change_note({edit}, "Malmö stad", "en") == en
    assert change_note({edit}, "Malmö stad", "sv") == sv


def test_change_notes_combine_in_a_fixed_order():
    assert change_note({"text", "crop"}, "Malmö stad", "en") == "Cropped and text added by Malmö stad."
    assert change_note({"filter", "text", "crop", "resize"}, None, "sv") == "Beskuren, med tillagd text och filtrerad."
    assert change_note(set(), "X", "en") == ""


def test_resize_only_gives_no_note_and_no_adaptation_sentence(cat, policy):
    c = CreditInput(title="T", author="A", license=cat["CC-BY-SA-4.0"], changes=frozenset({"resize"}),
                    changed_by="Malmö stad", adaptation_license=cat["CC-BY-SA-4.0"])
    text = render(c, "en", policy)["text"]
    assert "by Malmö stad" not in text and "adaptation" not in text


# ------------------------------------------------------------------------------- formats
def test_html_escapes_everything_from_the_file(cat, policy):
    c = CreditInput(title='<script>alert("x")</script>', author="A & B <b>", author_url='https://ex.org/a"onmouseover="x',
                    source_url="javascript:alert(1)", license=cat["CC-BY-4.0"])
    out = render(c, "en", policy)["html"]
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;script&gt;" in out and "A &amp; B &lt;b&gt;" in out
    assert "javascript:" not in out
    assert '"onmouseover' not in out
    assert out.startswith('<p class="attribution">') and out.endswith("</p>")
    for a in re.findall(r"<a [^>]*>", out):
        assert 'rel="license noopener noreferrer"' in a or 'rel="noopener noreferrer"' in a
    assert out.count('rel="license noopener noreferrer"') == 1


def test_markdown_escapes_its_specials(cat, policy):
    c = CreditInput(title="[Link](x) *bold* _it_ `code` \\", author="A_B", license=cat["CC-BY-4.0"],
                    source_url="https://ex.org/wiki/File:a_(b).jpg")
    md = render(c, "en", policy)["markdown"]
    assert r"\[Link\](x) \*bold\* \_it\_ \`code\` \\" in md
    assert "A\\_B" in md
    assert "(https://ex.org/wiki/File:a_%28b%29.jpg)" in md


def test_links_never_carry_tracking_parameters(cat, policy):
    c = CreditInput(title="T", author="A", license=cat["CC-BY-4.0"],
                    source_url="https://www.flickr.com/photos/x/1/?utm_source=fb&utm_medium=x&fbclid=abc&page=2&ref=openverse")
    out = render(c, "en", policy)
    for v in out.values():
        assert "utm_" not in v and "fbclid" not in v and "ref=openverse" not in v
    assert "https://www.flickr.com/photos/x/1/?page=2" in out["text"]
    assert clean_url("ftp://x/y") is None and clean_url("javascript:alert(1)") is None


def test_swedish_links_the_swedish_deed_english_the_canonical_url(cat, policy):
    c = CreditInput(author="A", license=cat["CC-BY-NC-4.0"])
    assert "https://creativecommons.org/licenses/by-nc/4.0/deed.sv" in render(c, "sv", policy)["html"]
    en = render(c, "en", policy)["html"]
    assert 'href="https://creativecommons.org/licenses/by-nc/4.0/"' in en and "deed" not in en


def test_every_format_is_produced(cat, policy):
    out = render(CreditInput(author="A", license=cat["CC-BY-4.0"]), "sv", policy)
    assert set(out) == {"text", "html", "markdown", "social"}
    assert all(isinstance(v, str) and v for v in out.values())


def test_own_format_order_is_configurable_by_policy(cat, policy):
    custom = dataclasses.replace(policy, own_format_sv="Foto: {name}/{organisation}")
    c = CreditInput(author="Anna Andersson", own=True, organisation="Malmö stad")
    assert render(c, "sv", custom)["text"] == "Foto: Anna Andersson/Malmö stad"
    assert render(c, "sv", policy)["text"] == "Foto: Malmö stad/Anna Andersson"


def test_platform_from_source_host():
    assert platform_of("https://www.flickr.com/photos/x/1") == "Flickr"
    assert platform_of("https://unsplash.com/photos/x") == "Unsplash"
    assert platform_of("https://pixabay.com/photos/x") == "Pixabay"
    assert platform_of("https://www.colourbox.se/bild/x") == "Colourbox"
    assert platform_of("https://example.org/x") is None


# ------------------------------------------------------------------------------- building credits
def test_credit_from_context_prefers_attribution_name_and_skips_licence_urls(cat, policy):
    ctx = context(cat, policy, license="CC BY 4.0", creators=["Photographer"], cc_attribution_name="Jane (Flickr)",
                  web_statement="https://creativecommons.org/licenses/by/4.0/", title="Hamn",
                  asset=None)
    credit = credit_from_context(ctx)
    assert credit.author == "Jane (Flickr)"
    assert credit.source_url is None  # the web statement is the licence, not the source
    ctx = context(cat, policy, license="CC BY 4.0", creators=["P"],
                  web_statement="https://www.flickr.com/photos/p/9")
    assert credit_from_context(ctx).source_url == "https://www.flickr.com/photos/p/9"


def test_credit_from_context_uses_the_registry_record(cat, policy):
    ctx = context(cat, policy, asset={"license_id": "CC-BY-SA-4.0", "title": "Kalas", "creators": ["Bo Ek"],
                                      "source_url": "https://www.flickr.com/photos/bo/3"})
    credit = credit_from_context(ctx)
    assert (credit.title, credit.author, credit.license.id, credit.platform) == ("Kalas", "Bo Ek", "CC-BY-SA-4.0", "Flickr")


def test_overrides_win_over_metadata(cat, policy):
    ctx = context(cat, policy, license="CC BY 4.0", creators=["Meta"], title="Meta title", edits="crop")
    credit = credit_from_context(ctx, {"title": "Flag title", "author": "Flag author", "license": cat["CC-BY-SA-3.0"],
                                       "changes": frozenset({"text"}), "by": "Kommunikation", "source": FLICKR_PAGE,
                                       "author_url": "https://ex.org/me"})
    assert (credit.title, credit.author, credit.license.id) == ("Flag title", "Flag author", "CC-BY-SA-3.0")
    assert credit.changes == frozenset({"text"}) and credit.changed_by == "Kommunikation"
    assert credit.source_url == FLICKR_PAGE and credit.author_url == "https://ex.org/me"
    assert credit.adaptation_license.id == "CC-BY-SA-3.0"


def test_nothing_to_credit(cat, policy):
    assert credit_from_context(context(cat, policy)) is None
    assert credit_from_metadata(Metadata(), None, policy, catalogue=cat) is None


def test_credit_from_metadata_for_own_images(cat, policy):
    md = Metadata(creators=["Malmö stad/Anna Andersson"], copyright="© Malmö stad")
    credit = credit_from_metadata(md, identify_from_metadata(md, cat), policy, catalogue=cat)
    assert credit.own and render(credit, "sv", policy)["text"] == "Foto: Malmö stad/Anna Andersson"
    nameless = credit_from_metadata(Metadata(copyright="Malmö stad"), None, policy, catalogue=cat)
    assert render(nameless, "sv", policy)["text"] == "Foto: Malmö stad"


def test_all_rights_reserved_and_unknown_licence_still_name_the_creator(cat, policy):
    arr = CreditInput(title="T", author="A", license=cat["LicenseRef-All-Rights-Reserved"])
    assert render(arr, "sv", policy)["text"] == "Foto: A. \u201dT\u201d. \u00a9 Alla rättigheter förbehållna."
    unknown = CreditInput(author="A", source_url="https://example.org/p")
    assert render(unknown, "en", policy)["text"] == "Photo: A. Source: https://example.org/p."


def test_each_language_gets_the_files_title_in_that_language():
    """A file that gives its title in Swedish and English (XMP dc:title lang-alt): the Swedish
    credit line quotes the Swedish title, the English line the English one (x-default when the
    file has no 'en' variant); a title given by the user is used as it is in both."""
    from imagerights.facts import Candidate, Metadata
    from imagerights.licensing.attribution import credit_from_metadata, render_attribution
    from imagerights.licensing.catalogue import default_catalogue
    from imagerights.policy import load_policy

    lic = default_catalogue()["CC-BY-3.0"]  # 3.0 requires the title
    policy = load_policy(None)
    md = Metadata(title="Torget i snö", creators=["Anna Berg"],
                  candidates={"title": [Candidate("XMP-dc:Title", "The square in snow"),
                                        Candidate("XMP-dc:Title-sv-SE", "Torget i snö")]})
    credit = credit_from_metadata(md, lic, policy)
    assert "Torget i snö" in render_attribution(credit, "sv", policy)["text"]
    en = render_attribution(credit, "en", policy)["text"]
    assert "The square in snow" in en and "Torget" not in en
    given = credit_from_metadata(md, lic, policy, title="Vinter")
    assert "Vinter" in render_attribution(given, "en", policy)["text"]
    plain = credit_from_metadata(Metadata(title="Torget", creators=["Anna Berg"]), lic, policy)
    assert "Torget" in render_attribution(plain, "en", policy)["text"]

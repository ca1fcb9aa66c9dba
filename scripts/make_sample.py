"""Generate samples/stortorget.jpg: the bundled sample a first-time user checks.

The pixels are drawn here (a stylised town square in snow) and the file is dedicated to the
public domain (CC0 1.0). Its metadata is *fictional demo data* written the way real tools write
it: EXIF Artist/Copyright (UTF-8) and GPS, and an XMP packet with dc:creator, dc:title, dc:rights,
xmpRights, photoshop:Credit, Iptc4xmpExt:DigitalSourceType and the Creative Commons cc: fields —
so `imagerights check samples/stortorget.jpg` shows a real licence, a credit line and a GPS finding.

Run: python scripts/make_sample.py  (deterministic output)
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parent.parent / "samples" / "stortorget.jpg"

XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
    xmlns:cc="http://creativecommons.org/ns#"
    photoshop:Credit="Anna Andersson/Flickr"
    photoshop:DateCreated="2026-01-14"
    xmpRights:Marked="True"
    Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture">
   <dc:creator><rdf:Seq><rdf:li>Anna Andersson</rdf:li></rdf:Seq></dc:creator>
   <dc:title><rdf:Alt>
     <rdf:li xml:lang="x-default">Stortorget in snow</rdf:li>
     <rdf:li xml:lang="sv-SE">Stortorget i snö</rdf:li>
   </rdf:Alt></dc:title>
   <dc:rights><rdf:Alt>
     <rdf:li xml:lang="x-default">© 2026 Anna Andersson</rdf:li>
   </rdf:Alt></dc:rights>
   <xmpRights:UsageTerms><rdf:Alt>
     <rdf:li xml:lang="x-default">This work is licensed under a Creative Commons Attribution-ShareAlike 4.0 International License.</rdf:li>
     <rdf:li xml:lang="sv-SE">Detta verk är licensierat under en Creative Commons Erkännande-DelaPåSammaVillkor 4.0 Internationell-licens.</rdf:li>
   </rdf:Alt></xmpRights:UsageTerms>
   <xmpRights:WebStatement>https://creativecommons.org/licenses/by-sa/4.0/</xmpRights:WebStatement>
   <cc:license rdf:resource="https://creativecommons.org/licenses/by-sa/4.0/"/>
   <cc:attributionName>Anna Andersson</cc:attributionName>
   <cc:attributionURL rdf:resource="https://www.flickr.com/photos/example/123"/>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""


def draw(width: int = 960, height: int = 640) -> Image.Image:
    rnd = random.Random(2026)
    im = Image.new("RGB", (width, height))
    d = ImageDraw.Draw(im)
    for y in range(height):  # winter sky
        t = y / height
        d.line([(0, y), (width, y)], fill=(int(70 + 90 * t), int(90 + 100 * t), int(140 + 90 * t)))
    x = 0
    while x < width:  # gabled houses around the square
        w = rnd.randint(70, 130)
        h = rnd.randint(180, 320)
        top = height - 170 - h
        colour = rnd.choice([(158, 72, 56), (196, 160, 92), (120, 132, 112), (170, 120, 90), (210, 200, 180)])
        d.rectangle([x, top, x + w, height - 170], fill=colour)
        d.polygon([(x, top), (x + w // 2, top - rnd.randint(30, 70)), (x + w, top)], fill=(90, 60, 55))
        for wy in range(top + 20, height - 190, 42):
            for wx in range(x + 12, x + w - 20, 28):
                d.rectangle([wx, wy, wx + 14, wy + 22], fill=(250, 222, 140) if rnd.random() < 0.5 else (60, 70, 90))
        x += w + rnd.randint(0, 6)
    d.rectangle([0, height - 170, width, height], fill=(236, 240, 246))  # snow on the square
    d.rectangle([width // 2 - 8, height - 330, width // 2 + 8, height - 170], fill=(40, 44, 50))  # statue plinth
    d.ellipse([width // 2 - 30, height - 380, width // 2 + 30, height - 320], fill=(40, 44, 50))
    im = im.filter(ImageFilter.GaussianBlur(0.6))
    d = ImageDraw.Draw(im)
    for _ in range(900):  # falling snow
        sx, sy, r = rnd.randint(0, width), rnd.randint(0, height), rnd.choice([1, 1, 2, 2, 3])
        d.ellipse([sx - r, sy - r, sx + r, sy + r], fill=(255, 255, 255))
    return im


def exif() -> Image.Exif:
    ex = Image.Exif()
    ex[0x013B] = "Anna Andersson".encode("utf-8")  # Artist
    ex[0x8298] = "© 2026 Anna Andersson".encode("utf-8")  # Copyright
    ex[0x0131] = "imagerights scripts/make_sample.py"  # Software
    gps = {1: "N", 2: (55.0, 36.0, 21.2), 3: "E", 4: (13.0, 0.0, 2.5)}  # Stortorget, Malmö
    ex[0x8825] = gps
    return ex


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    draw().save(OUT, "JPEG", quality=88, exif=exif(), xmp=XMP.encode("utf-8"), optimize=True)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

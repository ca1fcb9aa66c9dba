"""Signals that an image came out of a generator: facts only (rules weigh them).

Generators rarely use the IPTC fields. AUTOMATIC1111 writes its settings into a PNG
``parameters`` text chunk (or EXIF UserComment for JPEG/WebP), ComfyUI writes ``prompt``
and ``workflow`` JSON, InvokeAI ``invokeai_metadata``, NovelAI a ``Comment`` JSON with
``Software: NovelAI``. IPTC 2025.1 added AI System Used / Version / Prompt / Prompt Writer.
"""

from __future__ import annotations

import re

from imagerights.facts import Candidate

MAX_HINT_CHARS = 2000  # a ComfyUI workflow can be megabytes; the hint needs the start only

PNG_AI_KEYWORDS = {
    "parameters": "AUTOMATIC1111 / Stable Diffusion web UI generation parameters",
    "prompt": "ComfyUI prompt graph",
    "workflow": "ComfyUI workflow",
    "Dream": "InvokeAI (legacy) dream command",
    "sd-metadata": "InvokeAI (legacy) metadata",
    "invokeai_metadata": "InvokeAI metadata",
    "invokeai_graph": "InvokeAI graph",
    "generation_data": "generation data",
    "aigc": "AIGC label (China GB 45438)",
}

_PARAMS = re.compile(r"\b(Steps|Sampler|CFG scale|Seed|Negative prompt|Model hash|Denoising strength)\s*:", re.I)

# substrings of Software / CreatorTool values that name an image generator
GENERATOR_NAMES = (
    "midjourney", "dall-e", "dall·e", "dalle", "stable diffusion", "stablediffusion", "automatic1111",
    "comfyui", "invokeai", "novelai", "adobe firefly", "bing image creator", "microsoft designer",
    "leonardo.ai", "ideogram", "chatgpt", "gpt-4o", "google imagen",
)


def clip(text: str) -> str:
    return text if len(text) <= MAX_HINT_CHARS else text[:MAX_HINT_CHARS] + "…"


def looks_like_generation_parameters(text: str) -> bool:
    """A1111-style "Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: …" text (two markers or more)."""
    return len({m.group(1).lower() for m in _PARAMS.finditer(text[:20000])}) >= 2


def generator_name(software: str) -> str | None:
    low = software.casefold()
    for name in GENERATOR_NAMES:
        if name in low:
            return name
    return None


def png_hints(chunks: list[tuple[str, str]]) -> list[Candidate]:
    """(keyword, text) pairs from PNG text chunks → AI hints."""
    hints: list[Candidate] = []
    for keyword, text in chunks:
        if keyword in PNG_AI_KEYWORDS:
            hints.append(Candidate(f"PNG:{keyword}", clip(text)))
        elif keyword in ("Comment", "Description") and looks_like_generation_parameters(text):
            hints.append(Candidate(f"PNG:{keyword}", clip(text)))
        elif keyword == "Software" and generator_name(text):
            hints.append(Candidate("PNG:Software", text))
    return hints

"""From raw bytes to text: the encodings news scrapes come in, and what is not text at all."""

from __future__ import annotations

import re

from tui.core.errors import IngestError


#: C0 and C1 control characters other than the white-space ones text uses.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
#: A byte 0x80-0x9f, which latin-1 reads as a C1 control and cp1252 mostly as a character.
_C1_BYTE = re.compile(rb"[\x80-\x9f]")
#: Share of control characters above which a "text" is really binary.
_MAX_CONTROL_SHARE = 0.10


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    controls = len(text) - len(_CONTROL.sub("", text))
    return controls > _MAX_CONTROL_SHARE * len(text)


def decode(data: bytes) -> tuple[str, str]:
    """Decode raw file bytes into text, returning ``(text, encoding)``.

    Scrapes are UTF-8 most of the time, but Windows-era sites still serve
    cp1252 (curly quotes as 0x93/0x94) and some latin-1; those are tried in
    turn, so any file decodes to *something* and the real test of being text
    is what the characters look like. A UTF-8 byte-order mark is removed so it
    never shows up in the reader or shifts offsets.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", data[3:], "utf-8")]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [("utf-16", data, "utf-16")]
    else:
        if b"\x00" in data:
            raise IngestError("looks like a binary file (it contains NUL bytes), not text")
        candidates = [("utf-8", data, "utf-8")]
        if _C1_BYTE.search(data):  # bytes cp1252 reads as curly quotes, dashes, the euro sign
            candidates.append(("cp1252", data, "cp1252"))
        candidates.append(("latin-1", data, "latin-1"))
    for name, payload, codec in candidates:
        try:
            text = payload.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec == "utf-16":
            text = text.lstrip("\ufeff")
        if _looks_binary(text):
            raise IngestError("looks like a binary file (mostly control characters), not text")
        return text, name
    raise IngestError("cannot be decoded as text (not UTF-8, cp1252 or latin-1)")

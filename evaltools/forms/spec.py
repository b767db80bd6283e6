"""What every form writer shares: the :class:`FormSpec` (instrument, wave,
session, OPD list), the wave labels, and :func:`stable_xlsx`, which makes an
.xlsx the same bytes for the same content. The stamp a form shows is
written (and read back) by ``evaltools.layout``.

Example:
    >>> spec = FormSpec(inst, "pre", None, ("Kesbangpol Prov. Kaltim",))
    >>> spec.basename, spec.stamp
    ('netralitas-asn-pilkada-2024-pre', 'netralitas-asn-pilkada-2024 v2024.1 pre')
    >>> WAVE_LABEL["post"][0]
    'Post-test (sesudah sosialisasi)'
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..instrument import Instrument
from ..layout import stamp
from ..overwrite import atomic_path

WAVES = ("pre", "post")
WAVE_LABEL = {"pre": ("Pre-test (sebelum sosialisasi)", "Pre-test (before the session)"),
              "post": ("Post-test (sesudah sosialisasi)", "Post-test (after the session)"),
              "followup": ("Tes lanjutan", "Follow-up test")}
_FIXED_TIME = "2024-01-01T00:00:00Z"


@dataclass(frozen=True)
class FormSpec:
    """What every writer needs: the instrument, the wave, the optional fixed
    session id and the OPD names for dropdowns."""
    instrument: Instrument
    wave: str
    session: str | None
    opds: tuple  # OPD names (the registry's `singkatan`), in registry order
    opd_codes: tuple = ()  # their registry codes, same order ("6400-001")

    @property
    def basename(self) -> str:
        return f"{self.instrument.id}-{self.wave}"

    @property
    def stamp(self) -> str:
        """The line every form shows: instrument, version, wave (and session)."""
        return stamp(self.instrument.id, self.instrument.version, self.wave, self.session)

    def likert_items(self):
        return self.instrument.items_for(self.wave)

    def open_items(self):
        return tuple(o for o in self.instrument.open_items if self.wave in o.waves)


def stable_xlsx(path) -> Path:
    """Rewrite an .xlsx so the same content gives the same bytes: fixed zip
    entry times and fixed document created/modified dates (openpyxl stamps
    "now"), so committed forms can be checked byte for byte.

    Example:
        >>> import tempfile
        >>> from openpyxl import Workbook
        >>> path = Path(tempfile.mkdtemp()) / "x.xlsx"
        >>> Workbook().save(path)
        >>> first = stable_xlsx(path).read_bytes()
        >>> Workbook().save(path)
        >>> stable_xlsx(path).read_bytes() == first
        True
    """
    path = Path(path)
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
                              rb"\g<1>" + _FIXED_TIME.encode(), data)
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return path

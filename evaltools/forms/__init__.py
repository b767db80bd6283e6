"""Every collection form, generated from the one instrument.

For each wave (pre, post) ``write_forms`` writes:

- ``<id>-<wave>-kobo.xlsx``: XLSForm for KoboToolbox / ODK Collect (``xlsform``)
- ``<id>-<wave>-entri.xlsx``: Excel data-entry template for paper forms (``template``)
- ``<id>-<wave>-kertas.pdf`` and ``.html``: printable A4 paper form with answer key (``paper``)
- ``<id>-<wave>-google-forms.gs``: Apps Script that creates the Google Forms quiz (``gforms``)

Every form carries the instrument id and version and the wave, so a response
cannot be scored with the wrong key.

Example:
    >>> from evaltools.forms import write_forms
    >>> paths = write_forms(inst, "survey/forms")   # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..instrument import Instrument
from ..read.opd import load_opd_registry
from ..layout import stamp
from ..overwrite import claim

WAVES = ("pre", "post")
WAVE_LABEL = {"pre": ("Pre-test (sebelum sosialisasi)", "Pre-test (before the session)"),
              "post": ("Post-test (sesudah sosialisasi)", "Post-test (after the session)"),
              "followup": ("Tes lanjutan", "Follow-up test")}


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


_FIXED_TIME = "2024-01-01T00:00:00Z"


def stable_xlsx(path) -> Path:
    """Rewrite an .xlsx so the same content gives the same bytes: fixed zip
    entry times and fixed document created/modified dates (openpyxl stamps
    "now"), so committed forms can be checked byte for byte.

    Example:
        >>> stable_xlsx("survey/forms/x-pre-entri.xlsx")  # doctest: +SKIP
    """
    import re
    import zipfile
    path = Path(path)
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
                              rb"\g<1>" + _FIXED_TIME.encode(), data)
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    tmp.replace(path)
    return path


def write_forms(instrument: Instrument, out_dir, *, session: str | None = None,
                registry="data/opd.csv", waves=WAVES, overwrite: bool = False) -> list[Path]:
    """Write all four forms for each wave into ``out_dir``; return the paths.
    A form already there that evaltools did not write, or that was edited
    since, is refused before anything is written unless ``overwrite=True``
    (``evaltools.overwrite``).

    Example:
        >>> write_forms(load_instrument("survey/netralitas-asn-pilkada-2024.yaml"),
        ...             "survey/forms")                      # doctest: +SKIP
    """
    from .gforms import write_apps_script
    from .paper import write_paper_form
    from .template import write_entry_template
    from .xlsform import write_xlsform
    out = Path(out_dir)
    reg = load_opd_registry(registry)
    opds, codes = tuple(reg["singkatan"]), tuple(reg["kode"])
    specs = [FormSpec(instrument, wave, session, opds, codes) for wave in waves]
    names = [f"{spec.basename}-{end}" for spec in specs
             for end in ("kobo.xlsx", "entri.xlsx", "kertas.pdf", "kertas.html", "google-forms.gs")]
    written = []
    with claim(out, names, overwrite=overwrite):  # checked before anything is written
        for spec in specs:
            written.append(stable_xlsx(write_xlsform(spec, out / f"{spec.basename}-kobo.xlsx")))
            written.append(stable_xlsx(write_entry_template(spec, out / f"{spec.basename}-entri.xlsx")))
            written.extend(write_paper_form(spec, out / f"{spec.basename}-kertas.pdf"))  # and .html
            written.append(write_apps_script(spec, out / f"{spec.basename}-google-forms.gs"))
    return written

"""Every collection form, generated from the one instrument.

For each wave (pre, post) ``write_forms`` writes:

- ``<id>-<wave>-kobo.xlsx``: XLSForm for KoboToolbox / ODK Collect (``xlsform``)
- ``<id>-<wave>-entri.xlsx``: Excel data-entry template for paper forms (``template``)
- ``<id>-<wave>-kertas.pdf`` and ``.html``: printable A4 paper form with answer key (``paper``)
- ``<id>-<wave>-google-forms.gs``: Apps Script that creates the Google Forms quiz (``gforms``)

Every form carries the instrument id and version and the wave (the stamp,
``evaltools.layout``), so a response cannot be scored with the wrong key.
What the writers share is in ``spec``.

Example:
    >>> import tempfile
    >>> paths = write_forms(inst, tempfile.mkdtemp(), waves=("pre",))
    >>> [p.name.removeprefix("netralitas-asn-pilkada-2024-") for p in paths]
    ['pre-kobo.xlsx', 'pre-entri.xlsx', 'pre-kertas.pdf', 'pre-kertas.html', 'pre-google-forms.gs']
"""

from __future__ import annotations

from pathlib import Path

from ..instrument import Instrument
from ..read.opd import load_opd_registry
from ..overwrite import claim
from .gforms import write_apps_script
from .paper import write_paper_form
from .spec import WAVE_LABEL, WAVES, FormSpec, stable_xlsx
from .template import write_entry_template
from .xlsform import write_xlsform

__all__ = ["WAVES", "WAVE_LABEL", "FormSpec", "stable_xlsx", "write_forms"]


def write_forms(instrument: Instrument, out_dir, *, session: str | None = None,
                registry=None, waves=WAVES, overwrite: bool = False) -> list[Path]:
    """Write all four forms for each wave into ``out_dir``; return the paths
    (``registry``: the OPD list for the OPD choices, by default the project's
    ``data/opd.csv``).
    A form already there that evaltools did not write, or that was edited
    since, is refused before anything is written unless ``overwrite=True``
    (``evaltools.overwrite``).

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp())
        >>> len(write_forms(inst, out, session="loa-janan-2024-11-22"))
        10
        >>> script = (out / "netralitas-asn-pilkada-2024-post-google-forms.gs").read_text()
        >>> "[netralitas-asn-pilkada-2024 v2024.1 post loa-janan-2024-11-22]" in script
        True
    """
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

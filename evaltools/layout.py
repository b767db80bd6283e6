"""What the forms evaltools writes carry, and the readers read back.

Two contracts between ``forms`` (which writes) and ``read`` (which reads),
kept in one place so that neither can drift from the other:

- the form stamp ``<id> v<version> <wave>[ <session>]`` that every form
  shows; Google Forms keeps it, in square brackets, in the title and so in
  the name of the downloaded file;
- the layout of the Excel entry template for paper forms: its sheets, the
  keys of its Petunjuk sheet, and the row its data starts on;
- the groups of the XLSForm and the question labels, which KoboToolbox and
  ODK put in front of each header ("peserta/nip", "Data peserta.NIP / NI PPPK").

Example:
    >>> s = stamp("netralitas-asn-pilkada-2024", "2024.1", "pre")
    >>> s
    'netralitas-asn-pilkada-2024 v2024.1 pre'
    >>> parse_stamp(f"Tes Netralitas [{s}] (Responses).csv")["wave"]
    'pre'
"""

from __future__ import annotations

import re

# The Excel entry template (forms.template writes it, read.files reads it back)
TEMPLATE_DATA_SHEET, TEMPLATE_INFO_SHEET, TEMPLATE_OPD_SHEET = "Jawaban", "Petunjuk", "Daftar OPD"
TEMPLATE_FIRST_DATA_ROW = 3  # row 1: column ids, row 2: labels for the typist
TEMPLATE_INFO_KEYS = ("instrumen", "versi", "gelombang", "sesi")

# The XLSForm's groups: name -> (Indonesian label, English label). The Likert
# groups are labelled with their scales' labels (joined with "; ").
FORM_GROUPS = {"peserta": ("Data peserta", "Participant data"),
               "pengetahuan": ("Tes pengetahuan", "Knowledge test")}
LIKERT_GROUPS = {"attitude": "sikap", "reaction": "reaksi"}
OTHER_OPD_LABELS = ("Nama OPD / unit kerja lainnya", "Other OPD / work unit")


def item_form_label(number: int, text: str) -> str:
    """A knowledge item's label on every form: numbered as on paper.

    Example:
        >>> item_form_label(7, "PNS dilarang ...")
        '7. PNS dilarang ...'
    """
    return f"{number}. {text}"


_STAMP = re.compile(r"\[(?P<id>[a-z0-9][a-z0-9_-]*) v(?P<version>\S+) (?P<wave>pre|post|followup)"
                    r"(?: (?P<session>[^\]]+))?\]")


def stamp(instrument_id: str, version: str, wave: str, session: str | None = None) -> str:
    """The line every form shows: instrument, version, wave (and session).

    Example:
        >>> stamp("x", "1", "post", "loa-janan-2024-11-22")
        'x v1 post loa-janan-2024-11-22'
    """
    return f"{instrument_id} v{version} {wave}" + (f" {session}" if session else "")


def parse_stamp(text: str) -> dict:
    """The stamp in square brackets within ``text`` (a file name, a form
    title): instrument, instrument_version, wave and session ("" when the
    form fixed none); {} when ``text`` holds no stamp.

    Example:
        >>> parse_stamp("Tes [x v1 post loa-janan-2024-11-22].csv")["session"]
        'loa-janan-2024-11-22'
        >>> parse_stamp("jawaban.csv")
        {}
    """
    hit = _STAMP.search(text or "")
    if not hit:
        return {}
    return {"instrument": hit["id"], "instrument_version": hit["version"], "wave": hit["wave"],
            "session": hit["session"] or ""}

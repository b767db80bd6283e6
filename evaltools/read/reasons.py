"""What each ledger reason means, for the evaluator reading the data-quality
section (Indonesian and English).

Example:
    >>> explain_reasons().set_index("reason").loc["duplicate_submission", "action"]
    'excluded'
"""

from __future__ import annotations

import pandas as pd

# reason: (action, Indonesian, English)
REASONS = {
    "empty_row": ("excluded", "baris kosong", "an empty row"),
    "duplicate_submission": ("excluded", "orang yang sama mengirim lebih dari sekali di gelombang yang "
                             "sama; kiriman terakhir yang dipakai",
                             "the same person submitted twice in one wave; the latest one is used"),
    "wrong_instrument": ("excluded", "jawaban dari instrumen atau versi lain (formulir lama)",
                         "answers to another instrument or version (an old form)"),
    "unknown_wave": ("excluded", "tidak jelas pre-test atau post-test", "neither pre nor post"),
    "unknown_session": ("excluded", "baris milik sesi lain", "a row of another session"),
    "no_identifier": ("excluded", "tanpa NIP, kode peserta maupun nama: tidak dapat dipasangkan",
                      "no NIP, code or name: cannot be matched"),
    "extra_cells": ("excluded", "baris bergeser karena koma tanpa tanda kutip: isinya tidak dapat "
                    "dipercaya", "a row shifted by an unquoted comma: its cells cannot be trusted"),
    "nip_cleaned": ("repaired", "spasi, titik, tanda hubung atau label 'NIP' dihapus dari NIP",
                    "spaces, dots, dashes or a 'NIP' label removed from the NIP"),
    "nip_mangled_by_excel": ("repaired", "NIP sudah dirusak Excel (1,98E+17 atau digit akhir 000): "
                             "dikosongkan, peserta dicocokkan lewat kode atau nama",
                             "NIP damaged by Excel (1.98E+17 or trailing 000): emptied, matched by code "
                             "or name instead"),
    "nip_invalid": ("repaired", "NIP bukan 18 digit; dipakai apa adanya",
                    "NIP not 18 digits; used as written"),
    "opd_canonical": ("repaired", "nama OPD diganti nama baku dari daftar OPD (singkatan atau alias)",
                      "OPD name replaced by its registry name (short name or alias)"),
    "opd_fuzzy": ("repaired", "nama OPD salah ketik, dikenali dari kemiripannya dengan daftar OPD",
                  "misspelt OPD name recognised by its closeness to the registry"),
    "invalid_answer": ("repaired", "jawaban di luar pilihan: dihitung kosong",
                       "an answer outside the options: counted as blank"),
    "invalid_choice": ("repaired", "pilihan data diri di luar daftar: dikosongkan",
                       "a participant field outside its options: emptied"),
    "invalid_likert": ("repaired", "nilai skala di luar 1-5: dikosongkan", "a scale value outside 1-5: emptied"),
    "nip_implausible": ("flagged", "NIP 18 digit tetapi tanggal lahir, tahun pengangkatan atau digit jenis "
                        "kelamin tidak masuk akal: periksa", "an 18-digit NIP whose birth date, appointment "
                        "or sex digit is implausible: check it"),
    "opd_unknown": ("flagged", "OPD tidak ada di daftar OPD: tambahkan ke data/opd.csv bila benar",
                    "OPD not in the registry: add it to data/opd.csv if it is right"),
    "short_row": ("flagged", "baris lebih pendek dari judul kolom (sel akhir kosong)",
                  "a row shorter than the header (last cells empty)"),
    "time_unreadable": ("flagged", "waktu kirim tidak terbaca; urutan kiriman ganda tidak dapat dipastikan",
                        "submission time unreadable; which duplicate is latest is uncertain"),
}


def explain_reasons(lang: str = "id") -> pd.DataFrame:
    """Every ledger reason with its action and meaning (``lang`` "id" or "en").

    Example:
        >>> explain_reasons("en").iloc[0].tolist()
        ['excluded', 'empty_row', 'an empty row']
    """
    col = 1 if lang == "id" else 2
    return pd.DataFrame([(a[0], r, a[col]) for r, a in REASONS.items()],
                        columns=["action", "reason", "arti" if lang == "id" else "meaning"])

"""Every ledger reason in one catalogue: its action, what it means for the
evaluator reading the data-quality section (Indonesian and English), and
the detail the ledger writes on each row it concerns.

A detail is a ``str.format`` template: the fixed text lives here, the facts
of the row (the session asked for, the OPD as written, the row that was
kept instead) are filled in by :func:`detail`.

Example:
    >>> explain_reasons().set_index("reason").loc["duplicate_submission", "action"]
    'excluded'
    >>> detail("duplicate_submission", row=7, source="pre.csv")
    'peserta sama mengisi lagi; dipakai baris 7 (pre.csv)'
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

ACTIONS = ("excluded", "repaired", "flagged")


class Reason(NamedTuple):
    """One ledger reason. ``action``: what happens to the row ("excluded":
    not kept; "repaired": kept, a value changed; "flagged": kept as it is,
    worth a look); ``meaning``/``meaning_en``: the explanation;
    ``detail``: the ledger's text on each row, a template of that row's facts."""
    action: str
    meaning: str
    meaning_en: str
    detail: str


REASONS = {
    "empty_row": Reason("excluded", "baris kosong", "an empty row", "baris kosong"),
    "same_submission": Reason(
        "excluded", "kiriman yang sama terbaca dua kali (ekspor yang sama diunduh sebagai CSV dan "
        "XLSX, atau .csv dan .csv.zip): dipakai sekali", "the same submission read twice (one export "
        "downloaded as CSV and XLSX, or .csv and .csv.zip): used once",
        "kiriman yang sama juga ada di baris {row} ({source})"),
    "review_rejected": Reason(
        "excluded", "kiriman ditolak saat pemeriksaan di Kobo (Not Approved) atau ODK Central "
        "(rejected)", "submission rejected in review in Kobo (Not Approved) or ODK Central (rejected)",
        "status pemeriksaan '{status}': ditolak"),
    "duplicate_submission": Reason(
        "excluded", "orang yang sama mengirim lebih dari sekali di gelombang yang sama; kiriman "
        "terakhir yang dipakai", "the same person submitted twice in one wave; the latest one is used",
        "peserta sama mengisi lagi; dipakai baris {row} ({source})"),
    "wrong_instrument": Reason(
        "excluded", "jawaban dari instrumen atau versi lain (formulir lama)",
        "answers to another instrument or version (an old form)",
        "dibuat dengan formulir versi lain (bukan {instrument} v{version})"),
    "unknown_wave": Reason("excluded", "tidak jelas pre-test atau post-test", "neither pre nor post",
                           "isi kolom wave bukan pre/post/followup"),
    "unknown_session": Reason("excluded", "baris milik sesi lain", "a row of another session",
                              "sesi berbeda dari '{session}'"),
    "no_identifier": Reason("excluded", "tanpa NIP, kode peserta maupun nama: tidak dapat dipasangkan",
                            "no NIP, code or name: cannot be matched",
                            "tidak ada NIP, kode peserta maupun nama"),
    "extra_cells": Reason(
        "excluded", "baris bergeser karena koma tanpa tanda kutip: isinya tidak dapat dipercaya",
        "a row shifted by an unquoted comma: its cells cannot be trusted",
        "baris berisi lebih banyak sel daripada judul kolom (mis. koma di dalam nama tanpa tanda "
        "kutip): isinya bergeser, tidak dapat dipakai"),
    "nip_cleaned": Reason("repaired", "spasi, titik, tanda hubung atau label 'NIP' dihapus dari NIP",
                          "spaces, dots, dashes or a 'NIP' label removed from the NIP",
                          "spasi/titik/tanda hubung/apostrof/label 'NIP' dihapus"),
    "nip_mangled_by_excel": Reason(
        "repaired", "NIP sudah dirusak Excel (1,98E+17 atau digit akhir 000): dikosongkan, peserta "
        "dicocokkan lewat kode atau nama", "NIP damaged by Excel (1.98E+17 or trailing 000): emptied, "
        "matched by code or name instead",
        "NIP rusak oleh Excel (notasi ilmiah atau digit akhir jadi 0); dikosongkan, tidak dipakai "
        "untuk mencocokkan"),
    "nip_invalid": Reason("repaired", "NIP bukan 18 digit; dipakai apa adanya",
                          "NIP not 18 digits; used as written", "NIP bukan 18 digit; dipakai apa adanya"),
    "opd_canonical": Reason("repaired", "nama OPD diganti nama baku dari daftar OPD (singkatan atau "
                            "alias)", "OPD name replaced by its registry name (short name or alias)",
                            "'{written}' -> '{opd}'"),
    "opd_fuzzy": Reason("repaired", "nama OPD salah ketik, dikenali dari kemiripannya dengan daftar OPD",
                        "misspelt OPD name recognised by its closeness to the registry",
                        "'{written}' -> '{opd}' (kemiripan {score:.0f})"),
    "opd_corrected": Reason("repaired", "nama OPD dibetulkan oleh evaluator untuk sesi ini (koreksi.csv "
                            "atau koreksi_opd di sesi.yaml)", "OPD name corrected by the evaluator for "
                            "this session (koreksi.csv or koreksi_opd in sesi.yaml)",
                            "'{written}' -> '{opd}' ({where})"),
    "invalid_answer": Reason("repaired", "jawaban di luar pilihan: dihitung kosong",
                             "an answer outside the options: counted as blank",
                             "jawaban bukan salah satu pilihan ({options}); dianggap kosong"),
    "invalid_choice": Reason("repaired", "pilihan data diri di luar daftar: dikosongkan",
                             "a participant field outside its options: emptied",
                             "bukan salah satu pilihan ({options}); dikosongkan"),
    "invalid_likert": Reason("repaired", "nilai skala di luar 1-5: dikosongkan",
                             "a scale value outside 1-5: emptied", "nilai skala bukan 1-5; dianggap kosong"),
    "nip_implausible": Reason(
        "flagged", "NIP 18 digit tetapi tanggal lahir, tahun pengangkatan atau digit jenis kelamin "
        "tidak masuk akal: periksa", "an 18-digit NIP whose birth date, appointment or sex digit is "
        "implausible: check it", "{problem}; NIP tetap dipakai"),
    "opd_unknown": Reason("flagged", "OPD tidak ada di daftar OPD: tidak masuk tabel per OPD; betulkan "
                          "lewat koreksi.csv di folder sesi (docs/opd.md)",
                          "OPD not in the registry: left out of the per-OPD tables; correct it with "
                          "koreksi.csv in the session folder (docs/opd.md)",
                          "'{written}' tidak ada di daftar OPD; dipakai apa adanya{suggestions}"),
    "review_on_hold": Reason(
        "flagged", "kiriman ditandai bermasalah saat pemeriksaan di Kobo (On Hold) atau ODK Central "
        "(hasIssues): tetap dipakai, periksa", "submission put on hold in review in Kobo (On Hold) or "
        "ODK Central (hasIssues): kept, check it", "status pemeriksaan '{status}': tetap dipakai"),
    "review_rejected_kept": Reason(
        "flagged", "kiriman ditolak saat pemeriksaan (Not Approved / rejected) tetapi tetap dipakai "
        "karena review='flag'", "submission rejected in review (Not Approved / rejected) but kept "
        "because review='flag'", "status pemeriksaan '{status}': ditolak, tetap dipakai (review='flag')"),
    "short_row": Reason("flagged", "baris lebih pendek dari judul kolom (sel akhir kosong)",
                        "a row shorter than the header (last cells empty)",
                        "baris berisi lebih sedikit sel daripada judul kolom; sel yang hilang "
                        "dianggap kosong"),
    "time_unreadable": Reason(
        "flagged", "waktu kirim tidak terbaca; urutan kiriman ganda tidak dapat dipastikan",
        "submission time unreadable; which duplicate is latest is uncertain",
        "waktu isi tidak terbaca; bila peserta mengisi dua kali, baris ini dianggap yang lebih awal"),
    "date_order_assumed": Reason(
        "flagged", "urutan hari dan bulan tanggal kirim tidak tampak dari isinya (semua seperti "
        "11/5/2024): dipilih dari tanggal sesi, atau hari dulu seperti di Indonesia; periksa bila "
        "urutan kiriman ganda penting", "the day/month order of the submission dates cannot be "
        "told from the values (all like 11/5/2024): chosen from the session's date, else day first "
        "as in Indonesia; check it where the order of two submissions matters",
        "tanggal dibaca {order} ('{example}' = {read}): {why}"),
}
# the closest registry names after an unknown OPD (``suggestions`` of "opd_unknown")
OPD_SUGGESTIONS = "; mungkin: {names}"
# the ``why`` of "date_order_assumed", by what chose the order (``TimeOrder.basis``)
DATE_ORDER_WHY = {
    "session": "hanya urutan ini yang menaruh tanggalnya dekat tanggal sesi {day}",
    "default": "tidak ada tanggal yang memastikan urutannya, juga tanggal sesi tidak; "
                          "dipakai kebiasaan Indonesia (hari dulu)",
}
# the file's note (``Responses.sources["notes"]``) on the order chosen
DATE_ORDER_NOTE = {
    "session": "tanggal kirim dibaca {order} (dipilih dari tanggal sesi {day})",
    "default": "tanggal kirim dibaca {order} (kebiasaan Indonesia; isinya tidak memastikan urutan)",
}
DATE_ORDER_NOTE_EN = {
    "session": "submission dates read {order} (chosen by the session date {day})",
    "default": "submission dates read {order} (the Indonesian custom; the values do not settle "
               "the order)",
}


def detail(reason: str, **facts) -> str:
    """The ledger's text for one row: the reason's template filled with the
    row's facts.

    Example:
        >>> detail("unknown_session", session="loa-janan-2024-11-22")
        "sesi berbeda dari 'loa-janan-2024-11-22'"
    """
    return REASONS[reason].detail.format(**facts)


def explain_reasons(lang: str = "id") -> pd.DataFrame:
    """Every ledger reason with its action and meaning (``lang`` "id" or "en").

    Example:
        >>> explain_reasons("en").iloc[0].tolist()
        ['excluded', 'empty_row', 'an empty row']
    """
    return pd.DataFrame([(r.action, code, r.meaning if lang == "id" else r.meaning_en)
                         for code, r in REASONS.items()],
                        columns=["action", "reason", "arti" if lang == "id" else "meaning"])

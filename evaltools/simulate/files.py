"""The sample folders: each wave written as its collection tool exports it
(KoboToolbox CSV, Google Forms CSV, the Excel entry template typed by hand,
or the canonical CSV), with ``sesi.yaml`` marked synthetic.

Example:
    >>> _export_name(FormSpec(inst, "pre", "x", ()), "kobo", "2024-11-22")
    'CONTOH SINTETIS Tes Pemahaman Netralitas ASN pre - all versions - xml - 2024-11-22-10-05-11.csv'
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..forms import FormSpec, stable_xlsx
from ..forms.gforms import google_export_csv, quiz_model
from ..forms.template import fill_entry_template
from ..forms.xlsform import kobo_export_csv
from ..instrument import Instrument
from ..read.opd import load_opd_registry
from ..overwrite import atomic_path, claim, write_text
from .model import SYNTHETIC_NOTE, simulate_followup, simulate_session
from .specs import FOLLOWUPS, LATER_FOLLOWUPS, SESSIONS

_TITLE = "CONTOH SINTETIS Tes Pemahaman Netralitas ASN"


def _typist(df: pd.DataFrame, rng, registry) -> list[dict]:
    """Rows as a typist enters paper forms: some OPDs by a short name, a few
    names with titles, a few NIPs typed into a number cell (Excel keeps 15
    digits); empty rows stay empty."""
    alias = {s: a.split(";")[0] for s, a in zip(registry["singkatan"], registry["alias"]) if a}
    rows = []
    for rec in df.drop(columns=["keterangan", "submitted_at", "session", "wave"]).to_dict("records"):
        if not any(str(v).strip() for v in rec.values()):
            rows.append({})
            continue
        u = rng.random(3)
        if u[0] < 0.15 and rec["opd"] in alias:
            rec["opd"] = alias[rec["opd"]]
        if u[1] < 0.08:
            rec["nama"] = f"Drs. {rec['nama']}" if u[1] < 0.04 else f"{rec['nama']}, S.Pd."
        if u[2] < 0.05 and rec["nip"] and " " not in rec["nip"]:
            rec["nip"] = float(rec["nip"])
        rows.append(rec)
    return rows


def _write_meta(folder: Path, spec, inst: Instrument, **extra) -> Path:
    """``sesi.yaml``: the session facts, marked synthetic with its seed."""
    meta = {"id": spec.id, "nama": spec.nama, "tanggal": spec.tanggal, "tempat": spec.tempat,
            "penyelenggara": spec.penyelenggara, "pengumpulan": spec.pengumpulan,
            "instrumen": inst.id, "versi_instrumen": inst.version, "sintetis": True,
            **({"format": spec.held} if hasattr(spec, "held") else {}), **extra,
            "catatan": SYNTHETIC_NOTE + f"; seed {spec.seed}"}
    path = folder / "sesi.yaml"
    return write_text(path, yaml.safe_dump(meta, allow_unicode=True, sort_keys=False))


def _export_name(fs, tool: str, tanggal: str) -> str:
    """The name ``tool`` gives its download of the wave ``fs.wave``."""
    if tool == "kobo":
        clock = "10-05-11" if fs.wave == "pre" else "13-20-40"
        return f"{_TITLE} {fs.wave} - all versions - xml - {tanggal}-{clock}.csv"
    if tool == "google":
        title = quiz_model(fs)["title"].replace(fs.instrument.title.replace(": ", " - "), _TITLE)
        return f"{title} (Responses).csv"
    return f"{fs.wave}-entri-kertas-sintetis.xlsx" if tool == "template" else f"{fs.wave}.csv"


def _write_wave(fs: FormSpec, tool: str, df: pd.DataFrame, path: Path, rng, registry) -> Path:
    """One wave's responses as ``tool`` exports them."""
    if tool == "kobo":
        return kobo_export_csv(fs, df.to_dict("records"), path)
    if tool == "google":
        return google_export_csv(fs, df.to_dict("records"), path)
    if tool == "template":
        return stable_xlsx(fill_entry_template(fs, _typist(df, rng, registry), path))
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, lineterminator="\n")
    return path


def write_sample(out_dir, inst: Instrument, sessions=None, registry=None,
                 followups=None, *, overwrite: bool = False) -> list[Path]:
    """Write each sample session as its collection tool exports it (see
    ``SessionSpec.formats``), plus ``sesi.yaml``; then each follow-up survey
    (``followups``: ids of ``FOLLOWUPS``, the default, or ``LATER_FOLLOWUPS``)
    as a Google Forms CSV with ``tindak_lanjut_dari`` in its ``sesi.yaml``. A file in the way (to be replaced, or an older export to be
    removed) that evaltools did not write, or that was changed since, is
    refused before anything is written unless ``overwrite=True``.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp())
        >>> written = write_sample(out, inst, sessions=["loa-janan-2024-11-22"], followups=[])
        >>> [p.suffix for p in written]
        ['.csv', '.xlsx', '.yaml']
        >>> all(p.read_bytes() == (Path(folder) / p.name).read_bytes() for p in written)  # the seed
        True
    """
    if registry is None:
        registry = Path(inst.path).resolve().parent.parent / "data" / "opd.csv"
    reg = registry if isinstance(registry, pd.DataFrame) else load_opd_registry(registry)
    sessions = list(sessions or SESSIONS)
    followups = list(followups if followups is not None else FOLLOWUPS)

    def form(sid, wave):
        return FormSpec(inst, wave, sid, tuple(reg["singkatan"]), tuple(reg["kode"]))

    # every name is known before anything is written
    files = {sid: [_export_name(form(sid, wave), tool, SESSIONS[sid].tanggal)
                   for wave, tool in zip(("pre", "post"), SESSIONS[sid].formats)] for sid in sessions}
    known = FOLLOWUPS | LATER_FOLLOWUPS
    files |= {fid: [_export_name(form(fid, "followup"), "google", known[fid].tanggal)]
              for fid in followups}
    out = Path(out_dir)
    # a format change must not leave the old file behind
    stale = [f"{sid}/{p.name}" for sid in sessions if (out / sid).is_dir()
             for p in sorted((out / sid).iterdir())
             if p.suffix in (".csv", ".xlsx") and p.name not in files[sid]]
    names = [f"{sid}/{name}" for sid, own in files.items() for name in [*own, "sesi.yaml"]]
    written = []
    with claim(out, names + stale, overwrite=overwrite):
        for name in stale:
            (out / name).unlink()
        for sid in sessions:
            spec = SESSIONS[sid]
            rng = np.random.default_rng(spec.seed + 1)
            frames = simulate_session(spec, inst)
            for wave, tool, df, name in zip(("pre", "post"), spec.formats, frames, files[sid]):
                written.append(_write_wave(form(sid, wave), tool, df, out / sid / name, rng, reg))
            written.append(_write_meta(out / sid, spec, inst))
        for fid in followups:
            spec = known[fid]
            df = simulate_followup(spec, inst)
            written.append(google_export_csv(form(fid, "followup"), df.to_dict("records"),
                                             out / fid / files[fid][0]))
            written.append(_write_meta(out / fid, spec, inst, tindak_lanjut_dari=[spec.of]))
    return written

"""``evaltools pull``: fetch a session's responses from KoboToolbox or ODK
Central into its folder (the forms listed under ``formulir`` in its
``sesi.yaml``; docs/pull.md)."""

from __future__ import annotations

from pathlib import Path

from ..project import paths
from ..pull import kobo, pull_session
from .common import overwrite_option, say


def _pull(args) -> int:
    """Pull every form of the session and say, per file, how many submissions and how many are new."""
    folder = Path(args.data) / args.session
    lang = args.lang
    results = pull_session(folder, timeout=args.timeout, page_size=args.page_size,
                           overwrite=args.overwrite, pyodk_config=args.pyodk_config)
    print(say(lang, f"Sesi {args.session}: {len(results)} formulir diambil ke {folder}",
              f"Session {args.session}: {len(results)} forms pulled into {folder}"))
    for r in results:
        n, new = r["submissions"], r["new"]
        news = say(lang, "pengambilan pertama" if r["first"] else f"{new} baru",
                   "first pull" if r["first"] else f"{new} new")
        print(f"  {r['file']}: {r['form']} ({r['server']})")
        print("    " + say(lang, f"{n} kiriman, {news}", f"{n} submissions, {news}"))
    print(say(lang, f"Berikutnya: evaltools validate {folder}", f"Next: evaltools validate {folder}"))
    return 0


def register(sub) -> None:
    """Add ``pull`` to the command line's sub-commands.

    Example:
        >>> import argparse
        >>> sub = argparse.ArgumentParser().add_subparsers()
        >>> register(sub)
        >>> sub.choices["pull"].parse_args(["kukar-2024-11-22"]).timeout
        60.0
    """
    p = sub.add_parser(
        "pull", help="ambil jawaban dari server (KoboToolbox, ODK Central) / pull responses from the server",
        description="Ambil jawaban formulir sesi dari KoboToolbox atau ODK Central ke folder sesi "
                    "(daftar formulir: kunci formulir di sesi.yaml; lihat docs/pull.md). / "
                    "Fetch the session's form responses from KoboToolbox or ODK Central into the "
                    "session folder (forms: key formulir in sesi.yaml; see docs/pull.md).")
    p.add_argument("session", help="id sesi (nama foldernya di --data) / session id (its folder in --data)")
    p.add_argument("--data", default=str(paths()["data"]),
                   help="folder berisi satu folder per sesi / folder of session folders "
                        "(default: data/ di folder proyek / data/ in the project folder)")
    p.add_argument("--timeout", type=float, default=60.0,
                   help="detik menunggu jawaban server / seconds to wait for the server (default 60)")
    p.add_argument("--page-size", type=int, default=kobo.PAGE_SIZE,
                   help=f"kiriman per permintaan ke Kobo / submissions per Kobo request "
                        f"(default {kobo.PAGE_SIZE})")
    p.add_argument("--pyodk-config", default=None,
                   help="berkas konfigurasi pyodk untuk ODK Central / pyodk config file for ODK Central "
                        "(default: PYODK_CONFIG_FILE, else ~/.pyodk_config.toml)")
    p.add_argument("--lang", default="id", choices=["id", "en"], help="bahasa / language (default id)")
    overwrite_option(p)
    p.set_defaults(func=_pull)

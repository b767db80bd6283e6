"""A damaged pull record (``.evaltools-pull.json``, written by ``evaltools
pull`` beside the files it fetched) loses only the provenance columns of
``sources``, never a file's rows."""

from __future__ import annotations

import shutil

import pytest
from conftest import LOA_JANAN

import evaltools as et
from evaltools.read.pulled import PULL_RECORD, read_pull_records


@pytest.mark.parametrize("content", [
    "{not json", "[1, 2]", '{"pre.csv": 3}', "[" * 100_000 + "]" * 100_000, b"\xff\xfe"])
def test_a_damaged_record_gives_no_provenance_and_the_rows_are_read(inst, tmp_path, content):
    folder = tmp_path / LOA_JANAN.name
    shutil.copytree(LOA_JANAN, folder)
    record = folder / PULL_RECORD
    (record.write_bytes if isinstance(content, bytes) else record.write_text)(content)
    assert read_pull_records(folder) == {}
    r = et.read_responses(folder, inst)
    assert r.n_input_rows == 58 + 56  # the Kobo CSV's 58 records, the workbook's 56 rows
    assert r.sources["server"].tolist() == ["", ""]

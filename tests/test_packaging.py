"""Set-up files agree: pyproject, environment.yml and the pins make installs."""

import re
import tomllib

import yaml

from conftest import ROOT


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req.strip(), maxsplit=1)[0].lower()


def _pins():
    pins = {}
    for line in (ROOT / "requirements" / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version.strip()
    return pins


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    wanted |= {_name(r) for r in project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    conda = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str):
            name, _, version = dep.partition("=")
            conda[_name(name)] = version.lstrip("=")
    conda.pop("python"), conda.pop("pip")
    assert set(conda) == wanted
    # and each conda pin is the version make installs
    pins = _pins()
    assert {k: v for k, v in conda.items()} == {k: pins[k] for k in conda}


def test_every_dependency_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = _pins()
    for req in project["dependencies"] + project["optional-dependencies"]["test"]:
        assert _name(req) in pins, f"{req} has no exact pin in requirements/constraints.txt"
    # pandas 3 is the target: copy-on-write and the string dtype
    assert pins["pandas"].startswith("3.")


def test_makefile_uses_the_pins():
    make = (ROOT / "Makefile").read_text()
    assert "-c $(CONSTRAINTS)" in make and "CONSTRAINTS := requirements/constraints.txt" in make
    assert "make test" in (ROOT / ".ci" / "run").read_text()

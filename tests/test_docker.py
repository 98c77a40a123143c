"""The deployment files are consistent (Docker itself cannot run on our CI machines)."""

from pathlib import Path

import yaml

DOCKER = Path(__file__).resolve().parent.parent / "docker"


def test_compose_defines_the_whole_stack():
    compose = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    assert set(compose["services"]) == {"db", "redis", "migrate", "web", "worker", "video-worker", "beat"}
    for name in ("web", "worker", "video-worker", "beat", "migrate"):
        service = compose["services"][name]
        assert service["build"]["dockerfile"] == "docker/Dockerfile"
        assert "DATABASE_URL" in service["environment"]
        assert service["depends_on"]["db"]["condition"] == "service_healthy"


def test_migrations_run_as_the_owner_and_everything_else_as_the_applications_role():
    compose = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    services = compose["services"]
    assert services["migrate"]["environment"]["DATABASE_URL"].startswith("postgres://anpr_owner:")
    for name in ("web", "worker", "video-worker", "beat"):
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://anpr_app:"), name
    assert "./postgres-roles.sh:/docker-entrypoint-initdb.d/10-roles.sh:ro" in services["db"]["volumes"]
    script = (DOCKER / "postgres-roles.sh").read_text()
    assert "CREATE ROLE anpr_app LOGIN" in script and "ALTER DATABASE anpr OWNER TO anpr_owner" in script


def test_no_application_service_holds_the_owners_or_superusers_password():
    compose = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    shared = (DOCKER / "anpr.env.example").read_text()
    assert "POSTGRES_PASSWORD" not in shared and "ANPR_OWNER_PASSWORD" not in shared
    for name in ("web", "worker", "video-worker", "beat"):
        environment = str(compose["services"][name]["environment"])
        assert "ANPR_OWNER_PASSWORD" not in environment and "POSTGRES_PASSWORD" not in environment, name
    assert compose["services"]["web"]["ports"] == ["127.0.0.1:8000:8000"]


def test_gunicorn_believes_no_forwarded_address_unless_told(monkeypatch):
    import runpy

    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    config = runpy.run_path(str(DOCKER.parent / "anpr_site" / "gunicorn.conf.py"))
    assert config["forwarded_allow_ips"] == ""


def test_the_image_runs_production_settings_under_gunicorn():
    dockerfile = (DOCKER / "Dockerfile").read_text()
    assert "DJANGO_SETTINGS_MODULE=anpr_site.settings.production" in dockerfile
    assert "gunicorn" in dockerfile
    assert "USER anpr" in dockerfile
    # The recognition models are built in a stage of their own and only they are copied over.
    assert "bash scripts/models/build" in dockerfile
    assert "COPY --from=models" in dockerfile


def test_the_video_worker_takes_only_the_video_queue():
    compose = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    worker, video = compose["services"]["worker"]["command"], compose["services"]["video-worker"]["command"]
    assert worker[worker.index("--queues") + 1] == "default"
    assert video[video.index("--queues") + 1] == "video"
    assert (DOCKER / "anpr.env.example").exists()

"""Clients of the real server (uvicorn, the asgi_server fixture or start_asgi_server) over HTTP:
/api/v1/videos/ with a token, and the portal's video upload form with a signed-in session."""

import re
import time

import requests
from django.test import Client

VIDEOS = "/api/v1/videos/"


class VideoApi:
    """/api/v1/videos/ with a user's token; reads through faults (a restarting server)."""

    def __init__(self, base: str, token: str) -> None:
        self.videos = f"{base}{VIDEOS}"
        self.headers = {"Authorization": f"Token {token}"}

    def post(self, content: bytes, name: str = "video.mp4", content_type: str = "video/mp4", **fields):
        """The answer to an upload of `content` as `name`, with the form's other `fields`."""
        return requests.post(
            self.videos,
            files={"file": (name, content, content_type)},
            data=fields,
            headers=self.headers,
            timeout=120,
        )

    def upload(self, content: bytes, **fields) -> int:
        """Upload a video that must be accepted: its job's id."""
        response = self.post(content, **fields)
        assert response.status_code == 202, response.text
        return response.json()["id"]

    def retry(self, job_id: int) -> None:
        response = requests.post(f"{self.videos}{job_id}/retry/", headers=self.headers, timeout=30)
        assert response.status_code == 202, response.text

    def job(self, job_id: int) -> dict:
        return requests.get(f"{self.videos}{job_id}/", headers=self.headers, timeout=30).json()

    def wait_until_finished(self, job_id: int, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            try:
                job = self.job(job_id)
            except (requests.RequestException, ValueError):  # the server or its database restarting
                job = {"status": "unknown"}
            if job["status"] in ("done", "failed"):
                return job
            assert time.monotonic() < deadline, f"the job did not finish: {job}"
            time.sleep(0.5)


class VideoForm:
    """The portal's upload form (/videos/), posted as a browser signed in as `user` would."""

    def __init__(self, base: str, user, sign_in_client) -> None:
        signed_in = sign_in_client(user, Client())  # a session with the second factor verified
        self.url, self.session = f"{base}/videos/", requests.Session()
        self.session.cookies.set("sessionid", signed_in.cookies["sessionid"].value)
        form = self.session.get(self.url, timeout=30)
        assert form.status_code == 200, form.status_code
        self.csrf_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)

    def post(self, content: bytes, name: str = "video.mp4", **fields):
        return self.session.post(
            self.url,
            data={"csrfmiddlewaretoken": self.csrf_token, **fields},
            files={"file": (name, content, "video/mp4")},
            allow_redirects=False,
            timeout=120,
        )

    def upload(self, content: bytes, name: str = "video.mp4", **fields) -> int | None:
        """The job's id, or None when the form comes back with the file's error."""
        response = self.post(content, name, **fields)
        if response.status_code == 302:  # to the job's page
            return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        assert response.status_code == 200, (response.status_code, response.text[:500])
        assert 'class="field-error"' in response.text, response.text[:2000]
        return None

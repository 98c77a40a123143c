"""Locust users for make bench-load: officers searching reads through the API, as people do.

Each simulated officer has an account and token of its own (BENCH_TOKENS) and searches every
1-3 seconds: mostly exact plates, sometimes a prefix pattern, always with a purpose.
"""

import itertools
import os
import random

from locust import HttpUser, between, task

TOKENS = itertools.cycle(os.environ["BENCH_TOKENS"].split(","))
with open(os.environ["BENCH_PLATES"]) as plates_file:
    PLATES = plates_file.read().split()


class Officer(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.token = next(TOKENS)
        self.rng = random.Random()

    @task(3)
    def exact_plate(self) -> None:
        self.search(self.rng.choice(PLATES), "search exact plate")

    @task(1)
    def prefix_pattern(self) -> None:
        self.search(self.rng.choice(PLATES)[:3] + "*", "search prefix pattern")

    def search(self, vrm: str, name: str) -> None:
        self.client.get(
            "/api/v1/reads/",
            params={"vrm": vrm, "purpose": "intelligence", "reference": "LOAD-1"},
            headers={"Authorization": f"Token {self.token}"},
            name=name,
        )

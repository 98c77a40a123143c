"""How many bytes of PostgreSQL one read takes (heap, TOAST and indexes), for sizing a deployment.

    python -m dev.launcher python -m benchmarks.read_size [--reads 100000]

Loads reads as a fixed camera sends them (both image names, three candidates, a position,
direction, lane and the camera's read id) over ten days into the benchmark database, then
divides the growth of the read table and its indexes, all partitions together, by the reads
added. Images are files in MEDIA_ROOT, not in the database (docs/deployment.md, "Sizing").
"""

import argparse
from datetime import UTC, datetime, timedelta

from benchmarks.common import accounts, setup_django

DAYS = 10
# A database of its own: another benchmark loading anpr_bench at the same time would skew the sum.
DATABASE = "anpr_bench_read_size"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reads", type=int, default=100_000)
    args = parser.parse_args()
    setup_django(DATABASE)
    accounts()
    from django.db import connection

    from apps.reads.partitions import ensure_partitions

    today = datetime.now(UTC).date()
    ensure_partitions({today - timedelta(days=d) for d in range(-1, DAYS + 1)})
    with connection.cursor() as cursor:
        before = _read_bytes(cursor)
        cursor.execute("SELECT array_agg(id) FROM cameras_camera WHERE code LIKE 'BENCH-%%'")
        cameras = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO reads_read (seen_at, camera_id, vrm, vrm_as_read, confidence, candidates,
                                    plate_image, overview_image, direction, lane, source,
                                    latitude, longitude, read_uuid)
            SELECT now() - random() * %(days)s * interval '1 day', (%(cameras)s::bigint[])[1 + (g %% %(n)s)],
                   p, p, 0.7 + random() * 0.3,
                   jsonb_build_array(
                       jsonb_build_object('vrm', p, 'confidence', 0.91),
                       jsonb_build_object('vrm', overlay(p placing '8' from 3), 'confidence', 0.05),
                       jsonb_build_object('vrm', overlay(p placing '0' from 4), 'confidence', 0.02)),
                   'evidence/' || substr(h, 1, 2) || '/' || substr(h, 3, 2) || '/' || h || '.jpg',
                   'evidence/' || substr(o, 1, 2) || '/' || substr(o, 3, 2) || '/' || o || '.jpg',
                   'towards', 1 + g %% 3, 'camera', 51.5 + random() / 10, -0.1 + random() / 10,
                   gen_random_uuid()
            FROM generate_series(1, %(reads)s) AS g,
                 LATERAL (SELECT translate(substr(md5(g::text), 1, 2), '0123456789abcdef',
                                           'ABCDEFGHJKLMNPRS')
                                 || lpad((g %% 100)::text, 2, '0')
                                 || translate(substr(md5(g::text), 3, 3), '0123456789abcdef',
                                              'TUVWXYZABCDEFGHJ') AS p,
                                 encode(sha256(g::text::bytea), 'hex') AS h,
                                 encode(sha256((-g)::text::bytea), 'hex') AS o) AS made
            """,
            {"days": DAYS, "cameras": cameras, "n": len(cameras), "reads": args.reads},
        )
        cursor.execute("VACUUM (ANALYZE) reads_read")
        after = _read_bytes(cursor)
    added = after - before
    print(
        f"{args.reads:,} reads: {added:,} bytes of table and indexes, {added / args.reads:,.0f} bytes a read"
    )
    return 0


def _read_bytes(cursor) -> int:
    cursor.execute(
        "SELECT coalesce(sum(pg_total_relation_size(relid)), 0) FROM pg_partition_tree('reads_read') "
        "WHERE isleaf"
    )
    return int(cursor.fetchone()[0])


if __name__ == "__main__":
    raise SystemExit(main())

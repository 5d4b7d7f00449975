"""A real server on loopback against a scratch database, clients that use it as people do, and
the concurrent-write probes run through them (lib/tests/test_concurrency.py, bench/concurrency_bench.py).

Nothing here is imported by the site itself."""

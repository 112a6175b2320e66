import os

from hypothesis import HealthCheck, settings

# Timing varies on shared machines: no per-example deadline. CI runs a fixed seed set.
settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True, max_examples=200)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "default")

"""A job from start to resume: the per-image pipeline, the workspace and its journal.

Separate because it ties the other sub-packages together (inputs in, engine, results
out) and owns the state that survives a crash: the job's folder in the cache, the
journal of finished images, and the cancel token every long call checks.
"""

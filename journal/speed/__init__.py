"""Every speed device, above the stages: the build cache and what it records of the last
build (cache.py, lastbuild.py), the process pool and the garbage-collector policy
(parallel.py, memory.py), the Markdown converted ahead of a cold build (prefetch.py), the
pages a preview's first build serves before it has written them (ondemand.py) and the
preview's memory between saves (incremental.py).

Only the commands import this package (build.py, publish.py, serve.py, cli.py); the stages
(pipeline.py and what it calls) never do: a stage that can reuse work takes a `map` or a
`remember` from its caller, and tests/test_architecture.py holds every module to that.
"""

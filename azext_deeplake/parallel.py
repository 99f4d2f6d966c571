# --------------------------------------------------------------------------------------------
# Running independent requests at the same time.
# --------------------------------------------------------------------------------------------

from concurrent.futures import ThreadPoolExecutor, wait

WORKERS = 16  # enough for one round of reads (per container and per subscription) at once


def executor():
    """The pool for one command's concurrent requests (a seam: recording tests make it serial)."""
    return ThreadPoolExecutor(max_workers=WORKERS)


def succeeded(futures):
    wait(futures)
    return all(f.exception() is None for f in futures)


def raise_first_error(futures):
    """Let every started request finish, then raise the first failure."""
    wait(futures)
    for future in futures:
        if future.exception() is not None:
            raise future.exception()

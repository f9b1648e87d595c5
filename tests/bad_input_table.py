"""Classifying one bad input: shared by dlcore's two bad-input tables
(tests/test_bad_inputs.py for the library, tests/test_bad_inputs_widgets.py for the widgets).

A case calls one function with one bad input and names a word its error message must
contain (usually the parameter). It is
- clear:   a ValueError, TypeError or RuntimeError whose message contains that word;
- obscure: any other exception, or a message without the word;
- silent:  no exception at all;
- slow:    over TIME_LIMIT seconds, or asking for more than MEMORY_LIMIT bytes of address
           space on top of what the process has (Linux: /proc/self/statm).
"""

import resource
import signal
from collections import Counter

import numpy as np

TIME_LIMIT = 10  # seconds per case (generous: a loaded 2-core machine imports slowly)
MEMORY_LIMIT = 2**30  # bytes of address space a case may add before it counts as slow


class TooSlow(Exception):
    pass


def _alarm(signum, frame):
    raise TooSlow


def _address_space():
    """Bytes of address space this process uses now (Linux: /proc/self/statm)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * resource.getpagesize()


def classify(call, word):
    """('clear' | 'obscure' | 'silent' | 'slow', detail) for one case."""
    old_handler = signal.signal(signal.SIGALRM, _alarm)
    old_limits = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + MEMORY_LIMIT
    if old_limits[1] != resource.RLIM_INFINITY:
        limit = min(limit, old_limits[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, old_limits[1]))
    signal.alarm(TIME_LIMIT)
    try:
        with np.errstate(all="raise"):
            call()
    except TooSlow:
        return "slow", f"over {TIME_LIMIT} s"
    except MemoryError:
        return "slow", f"asked for more than {MEMORY_LIMIT / 2**30:g} GiB"
    except (ValueError, TypeError, RuntimeError, FloatingPointError) as error:
        message = str(error)
        is_numpy_warning = isinstance(error, FloatingPointError) and "encountered" in message
        if not is_numpy_warning and word.lower() in message.lower():
            return "clear", f"{type(error).__name__}: {message}"
        return "obscure", f"{type(error).__name__}: {message}"
    except Exception as error:  # noqa: BLE001 (any other exception is obscure by definition)
        return "obscure", f"{type(error).__name__}: {error}"
    finally:
        signal.alarm(0)
        resource.setrlimit(resource.RLIMIT_AS, old_limits)
        signal.signal(signal.SIGALRM, old_handler)
    return "silent", "no error"


def report(cases, title):
    """Classify every case, print the counts and the cases that are not clear, and return
    the counts (a Counter of 'clear', 'obscure', 'silent', 'slow')."""
    results = {name: classify(call, word) for name, call, word in cases}
    counts = Counter(kind for kind, _ in results.values())
    print(f"\n{title}: {len(results)} cases: clear {counts['clear']}, obscure "
          f"{counts['obscure']}, silent {counts['silent']}, slow {counts['slow']}")
    for name, (kind, detail) in results.items():
        if kind != "clear":
            print(f"  {kind:8s} {name}: {detail[:160]}")
    return counts


def assert_table(cases, minimum, title):
    """The checks both tables make: at least ``minimum`` cases with unique names; no case
    silent or slow; at least 95 % clear (the counts are printed)."""
    names = [name for name, _, _ in cases]
    assert len(names) >= minimum, len(names)
    assert len(set(names)) == len(names), [n for n, k in Counter(names).items() if k > 1]
    counts = report(cases, title)
    assert counts["silent"] == 0 and counts["slow"] == 0
    assert counts["clear"] >= 0.95 * sum(counts.values())


def assert_clear(name, call, word):
    """One case: its error must be clear."""
    kind, detail = classify(call, word)
    assert kind == "clear", f"{name}: {kind}: {detail}"

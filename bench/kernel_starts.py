"""Count kernel-start stalls: start N kernels, run a tiny notebook in each, time every phase.

    python bench/kernel_starts.py [--starts 100] [--path nbclient|nbval|both]
                                  [--transport tcp|ipc] [--threshold 10] [--timeout 30]
                                  [--burst 0] [--no-busy] [--max-minutes 15]

Each start runs the tiny notebook through one of the two paths the course uses:

  nbclient  ``NotebookClient.execute`` as tools/export_html.py and the student-edition test
            run it: start the kernel and wait until it answers (``startup_timeout``), ask
            for ``kernel_info`` once more, execute the cells.
  nbval     nbval's own kernel class ``nbval.kernel.RunningKernel`` with the current
            environment's kernel, as ``pytest --nbval-lax --nbval-current-env`` uses it:
            start and wait until ready, make sure IOPub delivers, execute a cell.

Phases timed per start: "start" (until the kernel is ready for the path's first request) and
"reply" (from then until the first cell's results are back; for nbclient this includes the
second ``kernel_info``). A start is a *stall* when a phase takes longer than --threshold
seconds or fails (a timeout raises after --timeout seconds).

--burst K sends K extra kernel_info requests just before the path's first request after the
start, so that request reaches the kernel while it is still sending replies. That is what
happens when the kernel is slow to come up and jupyter_client's wait_for_ready has asked
more than once (it asks every second), and in JupyterLab when widget messages overlap. It
is the window of ipykernel issue #1554: since ipykernel 7 the shell thread sends replies on
the ROUTER socket directly, which can swallow the wake-up for a request arriving meanwhile,
so that request is not read until some later message arrives.

The kernel's own ipykernel
version is read from inside it (the first cell prints it), so the numbers belong to the
environment whose python runs this script: run it with each venv to compare versions.

While it runs, one busy-loop process keeps a core busy (as pytest or another user does on a
2-core machine); --no-busy leaves it out. The run stops after --max-minutes at the latest.
The 1-minute load average is sampled before every start: other work on the machine
lengthens the times, so report it with the numbers.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

PROBE = "import ipykernel, sys\nprint(ipykernel.__version__)"
WORK = "total = sum(i * i for i in range(10_000))\nprint(total)"


def tiny_notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(PROBE), nbformat.v4.new_code_cell(WORK)]
    return nb


def transport_config(transport, folder):
    """KernelManager settings for the transport: TCP ports, or socket files in ``folder``."""
    config = Config()
    if transport == "ipc":
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = os.path.join(folder, "kernel")
    return config


def send_burst(kc, burst):
    """Send ``burst`` kernel_info requests 1 ms apart (replies come back meanwhile)."""
    for _ in range(burst):
        kc.kernel_info()
        time.sleep(0.001)


def start_nbclient(transport, timeout, folder, burst=0):
    """One start through nbclient. Returns (start s, reply s, kernel's ipykernel version)."""
    marks = {}

    def ready(**_):
        marks.setdefault("ready", time.perf_counter())
        send_burst(client.kc, burst)  # nbclient's own kernel_info request follows at once

    client = NotebookClient(
        tiny_notebook(), kernel_name="python3", timeout=timeout, startup_timeout=timeout,
        config=transport_config(transport, folder),
        on_notebook_start=ready,
        on_cell_executed=lambda cell_index, **_: marks.setdefault(cell_index,
                                                                   time.perf_counter()),
        resources={"metadata": {"path": folder}})
    t0 = time.perf_counter()
    try:
        nb = client.execute()
    except Exception as exc:
        phase = "reply" if "ready" in marks else "start"
        raise StartFailed(phase, time.perf_counter() - t0, exc) from exc
    version = nb.cells[0].outputs[0]["text"].strip()
    return marks["ready"] - t0, marks[0] - marks["ready"], version


def start_nbval(transport, timeout, folder, burst=0):
    """One start through nbval's RunningKernel (TCP only: nbval passes no transport)."""
    from nbval.kernel import CURRENT_ENV_KERNEL_NAME, RunningKernel

    if transport != "tcp":
        raise SystemExit("nbval's RunningKernel always uses TCP; use --transport tcp")
    t0 = time.perf_counter()
    try:
        kernel = RunningKernel(CURRENT_ENV_KERNEL_NAME, cwd=folder, startup_timeout=timeout)
    except Exception as exc:
        raise StartFailed("start", time.perf_counter() - t0, exc) from exc
    t1 = time.perf_counter()
    try:
        send_burst(kernel.kc, burst)  # the cell's execute request follows at once
        msg_id = kernel.execute_cell_input(PROBE, allow_stdin=False)
        kernel.await_reply(msg_id, timeout=timeout)
        version = None
        while version is None:
            msg = kernel.get_message("iopub", timeout=timeout)
            if (msg["parent_header"].get("msg_id") == msg_id
                    and msg["msg_type"] == "stream"):
                version = msg["content"]["text"].strip()
        kernel.await_idle(msg_id, timeout)
    except Exception as exc:
        raise StartFailed("reply", time.perf_counter() - t0, exc) from exc
    finally:
        kernel.stop()
    return t1 - t0, time.perf_counter() - t1, version


class StartFailed(Exception):
    def __init__(self, phase, seconds, error):
        super().__init__(f"{phase} failed after {seconds:.1f} s: "
                         f"{type(error).__name__}: {error}")
        self.phase = phase


def percentile(values, q):
    """The q-th percentile (nearest rank) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def spread(values):
    if not values:
        return "-"
    return (f"{percentile(values, 50):.2f} / {percentile(values, 90):.2f} / "
            f"{max(values):.2f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starts", type=int, default=100, help="kernel starts per path")
    parser.add_argument("--path", choices=["nbclient", "nbval", "both"], default="both")
    parser.add_argument("--transport", choices=["tcp", "ipc"], default="tcp")
    parser.add_argument("--threshold", type=float, default=10.0,
                        help="a phase longer than this (s) counts as a stall")
    parser.add_argument("--timeout", type=int, default=30,
                        help="start and reply timeouts (s) given to nbclient / nbval")
    parser.add_argument("--burst", type=int, default=0,
                        help="extra kernel_info requests sent right before the first request")
    parser.add_argument("--no-busy", action="store_true", help="no busy-loop process")
    parser.add_argument("--max-minutes", type=float, default=15.0,
                        help="stop starting kernels after this many minutes")
    args = parser.parse_args(argv)
    paths = ["nbclient", "nbval"] if args.path == "both" else [args.path]
    if args.transport == "ipc" and "nbval" in paths:
        parser.error("nbval always uses TCP: use --path nbclient with --transport ipc")

    import jupyter_client
    import nbclient
    import nbval
    import zmq
    print(f"python {sys.version.split()[0]}, jupyter_client {jupyter_client.__version__}, "
          f"pyzmq {zmq.__version__}, nbclient {nbclient.__version__}, "
          f"nbval {nbval.__version__}; transport {args.transport}; burst {args.burst}; "
          f"busy loop {'off' if args.no_busy else 'on'}", flush=True)

    busy = None if args.no_busy else subprocess.Popen(
        [sys.executable, "-c", "while True: pass"])
    deadline = time.monotonic() + 60 * args.max_minutes
    results = {path: {"start": [], "reply": [], "stalls": [], "versions": set()}
               for path in paths}
    loads = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            for i in range(args.starts):
                for path in paths:
                    if time.monotonic() > deadline:
                        break
                    loads.append(os.getloadavg()[0])
                    run = start_nbclient if path == "nbclient" else start_nbval
                    result = results[path]
                    try:
                        start, reply, version = run(args.transport, args.timeout, folder,
                                                    args.burst)
                    except StartFailed as failed:
                        result["stalls"].append(str(failed))
                        print(f"  {path} #{i + 1}: STALL, {failed}", flush=True)
                        continue
                    result["start"].append(start)
                    result["reply"].append(reply)
                    result["versions"].add(version)
                    if max(start, reply) > args.threshold:
                        result["stalls"].append(f"start {start:.1f} s, reply {reply:.1f} s")
                        print(f"  {path} #{i + 1}: STALL, start {start:.1f} s, "
                              f"reply {reply:.1f} s", flush=True)
                if time.monotonic() > deadline:
                    print(f"stopped after {args.max_minutes} minutes", flush=True)
                    break
                if (i + 1) % 25 == 0:
                    print(f"  {i + 1} starts per path done", flush=True)
    finally:
        if busy is not None:
            busy.kill()
            busy.wait()

    print(f"\n1-minute load average over the run: mean {statistics.mean(loads):.2f}, "
          f"max {max(loads):.2f} (2 cores)" if loads else "")
    print("| path | ipykernel | transport | starts | stalls | start p50 / p90 / max (s) "
          "| reply p50 / p90 / max (s) |")
    print("|---|---|---|---:|---:|---|---|")
    for path, result in results.items():
        starts = len(result["start"]) + sum(1 for s in result["stalls"] if "failed" in s)
        print(f"| {path} | {', '.join(sorted(result['versions'])) or '?'} | "
              f"{args.transport if path == 'nbclient' else 'tcp'} | {starts} | "
              f"{len(result['stalls'])} | {spread(result['start'])} | "
              f"{spread(result['reply'])} |")
    return 1 if any(r["stalls"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: dlcore's MLP against scikit-learn's MLPClassifier and PyTorch on one workload.

The workload (the "standard workload" of the course):
    data       sklearn's load_digits (1797 images of 8x8 pixels, 10 classes),
               stratified 80/20 train/test split with random_state=0,
               standardized with the mean and standard deviation of the training set
    model      MLP 64-100-10, ReLU, softmax cross-entropy, He initialization, float64
    training   Adam (lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8), batch size 32,
               30 epochs, training set reshuffled every epoch

Each implementation trains a fresh model in every repeat; the implementations run
alternately in the same process (the order rotates from repeat to repeat, so none of them
always runs first), and only the training itself is timed (time.perf_counter around
train / fit). The table shows the median time over the repeats, the median test accuracy,
and the paired ratios dlcore/peer: for each repeat the ratio of the two times measured
side by side, then the median of those ratios.

What each implementation does per epoch (all train on the same batches-per-epoch count):
    dlcore   dlcore.train(progress=False, train_metrics="running"): shuffle, 45 Adam steps,
             recording the mean batch loss and the share of samples the batches got right.
    sklearn  MLPClassifier(solver="adam"): shuffle, 45 Adam steps, records the mean batch
             loss. Its initialization is Glorot-uniform (not configurable).
    PyTorch  the textbook loop: randperm, 45 Adam steps, summing the batch losses and the
             correct predictions of the batches, like dlcore.
Two more rows are references, not peers:
    dlcore (exact History)  dlcore.train's default, train_metrics="exact": the same training
             plus one pass over the whole training set in evaluation mode per epoch.
    NumPy floor  run_numpy_floor: the same arithmetic as one hand-fused loop with no layers,
             checks or History and every buffer reused -- about the fastest that NumPy in
             float64 can run this workload here, so dlcore / NumPy floor says how much
             dlcore's readable structure costs.

Environment variables (OPENBLAS_*, OMP_*, ...) are left alone: the script reports what
it ran with. Usage:

    python bench/mlp_vs_peers.py [--repeats 5] [--epochs 30] [--blas-threads N] [--wait-idle]
"""

import argparse
import contextlib
import os
import platform
import statistics
import sys
import time
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

import dlcore

HIDDEN = 100
LR = 1e-3
BATCH_SIZE = 32


# --- data ----------------------------------------------------------------------------------

def load_workload():
    """Digits, stratified 80/20 split (random_state=0), standardized with train statistics."""
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=0
    )
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std[std == 0] = 1.0  # pixels that are always 0 in the training set stay 0
    X_train = (X_train - mean) / std
    X_test = (X_test - mean) / std
    return (X_train.astype(np.float64), y_train.astype(np.int64),
            X_test.astype(np.float64), y_test.astype(np.int64))


# --- the three implementations -------------------------------------------------------------
# Each run_* function trains a fresh model with the given seed and returns
# (training seconds, test accuracy). Only the training is inside the timer.

def run_dlcore(data, seed, epochs, train_metrics="running"):
    X_train, y_train, X_test, y_test = data
    n_classes = int(y_train.max()) + 1
    model = dlcore.build_mlp((X_train.shape[1], HIDDEN, n_classes), activation="relu",
                             init="he", seed=seed)
    optimizer = dlcore.Adam(lr=LR)
    start = time.perf_counter()
    dlcore.train(model, optimizer, X_train, y_train, epochs=epochs, batch_size=BATCH_SIZE,
                 seed=seed, progress=False, train_metrics=train_metrics)
    seconds = time.perf_counter() - start
    return seconds, model.accuracy(X_test, y_test)


def run_sklearn(data, seed, epochs):
    X_train, y_train, X_test, y_test = data
    model = MLPClassifier(
        hidden_layer_sizes=(HIDDEN,), activation="relu", solver="adam",
        alpha=0.0,                      # no L2 penalty (dlcore and PyTorch have none)
        batch_size=BATCH_SIZE, learning_rate_init=LR,
        beta_1=0.9, beta_2=0.999, epsilon=1e-8,
        max_iter=epochs, shuffle=True,
        tol=0.0, n_iter_no_change=epochs + 1,  # never stop before max_iter epochs
        early_stopping=False, random_state=seed,
    )
    # Reaching max_iter is the point here, so its ConvergenceWarning is expected noise.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=ConvergenceWarning)
        start = time.perf_counter()
        model.fit(X_train, y_train)
        seconds = time.perf_counter() - start
    assert model.n_iter_ == epochs, f"sklearn stopped after {model.n_iter_} epochs"
    return seconds, float(np.mean(model.predict(X_test) == y_test))


def run_numpy_floor(data, seed, epochs):
    """The same training as one hand-fused NumPy loop: no layers, no checks, no History,
    every buffer reused, one Adam update of one parameter vector per step. Not something to
    teach from; it shows the floor for any NumPy float64 implementation on this machine."""
    X_train, y_train, X_test, y_test = data
    rng = np.random.default_rng(seed)
    n, d = X_train.shape
    k = int(y_train.max()) + 1
    theta = np.zeros(HIDDEN * d + HIDDEN + k * HIDDEN + k)
    grad = np.zeros_like(theta)
    shapes = [(HIDDEN, d), (HIDDEN,), (k, HIDDEN), (k,)]
    views, gviews, start = [], [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        views.append(theta[start:start + size].reshape(shape))
        gviews.append(grad[start:start + size].reshape(shape))
        start += size
    W1, b1, W2, b2 = views
    gW1, gb1, gW2, gb2 = gviews
    W1[...] = rng.normal(0.0, np.sqrt(2.0 / d), W1.shape)
    W2[...] = rng.normal(0.0, np.sqrt(2.0 / HIDDEN), W2.shape)
    m, v, buf = np.zeros_like(theta), np.zeros_like(theta), np.empty_like(theta)
    rows = np.arange(BATCH_SIZE)
    beta1, beta2, eps, t = 0.9, 0.999, 1e-8, 0

    from threadpoolctl import threadpool_limits

    start_time = time.perf_counter()
    with threadpool_limits(limits=1, user_api="blas"):
        for _ in range(epochs):
            order = rng.permutation(n)
            X_epoch, y_epoch = X_train[order], y_train[order]
            loss_sum = 0.0
            for i in range(0, n, BATCH_SIZE):
                x, y = X_epoch[i:i + BATCH_SIZE], y_epoch[i:i + BATCH_SIZE]
                r = rows[:len(y)]
                u1 = x @ W1.T
                u1 += b1
                mask = u1 > 0
                h = np.maximum(u1, 0.0)
                u2 = h @ W2.T
                u2 += b2
                shifted = u2 - u2.max(axis=1, keepdims=True)
                e = np.exp(shifted)
                total = e.sum(axis=1, keepdims=True)
                loss_sum += float(np.log(total).sum() - shifted[r, y].sum())
                dU2 = e / total
                dU2[r, y] -= 1.0
                dU2 /= len(y)
                np.dot(dU2.T, h, out=gW2)
                dU2.sum(axis=0, out=gb2)
                dU1 = dU2 @ W2
                dU1 *= mask
                np.dot(dU1.T, x, out=gW1)
                dU1.sum(axis=0, out=gb1)
                t += 1
                m *= beta1
                m += (1.0 - beta1) * grad
                v *= beta2
                v += (1.0 - beta2) * (grad * grad)
                c2 = np.sqrt(1.0 - beta2 ** t)
                np.sqrt(v, out=buf)
                buf += eps * c2
                np.divide(m, buf, out=buf)
                buf *= LR * c2 / (1.0 - beta1 ** t)
                theta -= buf
    seconds = time.perf_counter() - start_time
    scores = np.maximum(X_test @ W1.T + b1, 0.0) @ W2.T + b2
    return seconds, float(np.mean(scores.argmax(axis=1) == y_test))


def make_torch_runner():
    """run_torch(data, seed, epochs), or None when PyTorch cannot be imported."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)

    def run_torch(data, seed, epochs):
        X_train, y_train, X_test, y_test = (torch.from_numpy(a) for a in data)
        torch.manual_seed(seed)
        model = torch.nn.Sequential(
            torch.nn.Linear(X_train.shape[1], HIDDEN),
            torch.nn.ReLU(),
            torch.nn.Linear(HIDDEN, int(y_train.max()) + 1),
        )
        for layer in (model[0], model[2]):  # He initialization, zero bias, like dlcore
            torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            torch.nn.init.zeros_(layer.bias)
        optimizer = torch.optim.Adam(model.parameters(), lr=LR, betas=(0.9, 0.999), eps=1e-8)
        loss_fn = torch.nn.CrossEntropyLoss()
        n = X_train.shape[0]

        start = time.perf_counter()
        model.train()
        for _ in range(epochs):
            order = torch.randperm(n)
            loss_sum, n_correct = 0.0, 0
            for i in range(0, n, BATCH_SIZE):
                idx = order[i:i + BATCH_SIZE]
                optimizer.zero_grad()
                scores = model(X_train[idx])
                loss = loss_fn(scores, y_train[idx])
                loss.backward()
                optimizer.step()
                # the epoch's mean batch loss and accuracy, as dlcore's "running" History
                loss_sum += loss.item() * len(idx)
                n_correct += (scores.argmax(dim=1) == y_train[idx]).sum().item()
            _train_loss, _train_acc = loss_sum / n, n_correct / n
        seconds = time.perf_counter() - start
        model.eval()

        with torch.no_grad():
            acc = (model(X_test).argmax(dim=1) == y_test).double().mean().item()
        return seconds, acc

    return run_torch


# --- environment -----------------------------------------------------------------------------

def print_environment():
    import sklearn

    print("## Environment\n")
    print(f"- Python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} logical CPUs")
    print(f"- numpy {np.__version__}, scikit-learn {sklearn.__version__}, "
          f"dlcore {dlcore.__version__}")
    try:
        import torch
        print(f"- torch {torch.__version__} (intra-op threads: {torch.get_num_threads()})")
    except ImportError:
        pass
    thread_vars = {k: v for k, v in sorted(os.environ.items())
                   if k.startswith(("OPENBLAS", "OMP_", "MKL", "GOTO", "BLIS", "NVPL"))}
    print(f"- thread/BLAS environment variables: {thread_vars or 'none set'}")
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        print("- threadpoolctl not importable: no BLAS thread information")
        return
    for pool in threadpool_info():
        extra = ", ".join(f"{k} {pool[k]}" for k in ("architecture", "threading_layer")
                          if pool.get(k))
        print(f"- {pool['user_api']}: {pool['internal_api']} {pool.get('version')} "
              f"({os.path.basename(pool['filepath'])}), {pool['num_threads']} threads"
              + (f", {extra}" if extra else ""))


def wait_until_idle(threshold=0.9, window=0.5, timeout=60.0):
    """Wait until the CPUs were at least ``threshold`` idle over ``window`` seconds (or until
    ``timeout``); returns the idle share seen last. Reads /proc/stat (Linux)."""
    def idle_and_total():
        with open("/proc/stat") as f:
            ticks = [int(v) for v in f.readline().split()[1:]]
        return ticks[3] + ticks[4], sum(ticks)  # idle + iowait, all

    deadline = time.monotonic() + timeout
    while True:
        idle0, total0 = idle_and_total()
        time.sleep(window)
        idle1, total1 = idle_and_total()
        share = (idle1 - idle0) / max(1, total1 - total0)
        if share >= threshold or time.monotonic() > deadline:
            return share


# --- main -----------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each (>= 1)")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="limit the BLAS thread pools (threadpoolctl) while timing; "
                             "default: leave them as they are")
    parser.add_argument("--wait-idle", action="store_true",
                        help="before each repeat, wait (up to 60 s) until the CPUs are idle "
                             "(Linux only; for machines shared with other work)")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be >= 1")

    data = load_workload()
    implementations = {
        "dlcore": run_dlcore,
        "scikit-learn": run_sklearn,
        "dlcore (exact History)":
            lambda data, seed, epochs: run_dlcore(data, seed, epochs, train_metrics="exact"),
        "NumPy floor": run_numpy_floor,
    }
    run_torch = make_torch_runner()
    if run_torch is None:
        print("Note: `import torch` failed, so PyTorch is skipped.\n")
    else:
        implementations["PyTorch"] = run_torch

    # The torch import above also loads its own OpenMP runtime, so report afterwards.
    print_environment()
    print(f"\nWorkload: digits, {len(data[0])} train / {len(data[2])} test samples, "
          f"MLP 64-{HIDDEN}-10, Adam lr {LR}, batch {BATCH_SIZE}, {args.epochs} epochs, "
          f"float64; {args.repeats} repeats\n")

    limits = contextlib.nullcontext()
    if args.blas_threads is not None:
        from threadpoolctl import threadpool_limits

        limits = threadpool_limits(limits=args.blas_threads, user_api="blas")
        print(f"BLAS thread pools limited to {args.blas_threads} while timing "
              "(--blas-threads)\n")

    names = list(implementations)
    seconds = {name: [] for name in names}
    accuracy = {name: [] for name in names}
    with limits:
        # One short untimed run of each, so that first-call costs (imports, allocations,
        # thread start-up) do not land in the first timed repeat.
        for run in implementations.values():
            run(data, seed=0, epochs=1)

        for repeat in range(args.repeats):
            idle = wait_until_idle() if args.wait_idle else None
            # rotate the order so that no implementation always runs first or last
            shift = repeat % len(names)
            for name in names[shift:] + names[:shift]:
                s, acc = implementations[name](data, seed=repeat, epochs=args.epochs)
                seconds[name].append(s)
                accuracy[name].append(acc)
            print(f"repeat {repeat + 1}/{args.repeats}: "
                  + ", ".join(f"{name} {seconds[name][-1]:.3f} s" for name in names)
                  + (f" (CPUs {100 * idle:.0f} % idle before)" if idle is not None else ""),
                  file=sys.stderr)

    print("## Results\n")
    print("| implementation | median training time (s) | min (s) | median test accuracy |")
    print("|---|---:|---:|---:|")
    for name in names:
        print(f"| {name} | {statistics.median(seconds[name]):.3f} | {min(seconds[name]):.3f} "
              f"| {100 * statistics.median(accuracy[name]):.2f} % |")
    print()
    for peer in names[1:]:
        ratios = [a / b for a, b in zip(seconds["dlcore"], seconds[peer])]
        print(f"- dlcore / {peer}: {statistics.median(ratios):.2f}x "
              f"(median of {len(ratios)} paired ratios; range "
              f"{min(ratios):.2f}-{max(ratios):.2f})")


if __name__ == "__main__":
    main()

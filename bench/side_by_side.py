"""Times two benchmark commands in turns, one run each at a time, so that both see the same machine.

On a shared VM the speed drifts by 10-30 % from minute to minute: two benchmarks run one after the other measure the
drift as much as the code. Here both stay loaded (model built, warmed up) and take turns, run by run, in the order
A B B A A B ..., and each run of A is compared with the run of B next to it. The one waiting is stopped (SIGSTOP)
until its turn, so that nothing of it runs meanwhile: an OpenMP pool told to spin (OMP_WAIT_POLICY=ACTIVE) would
otherwise keep both cores busy while it waits and slow the other side down.

    python3 bench/side_by_side.py --pairs 10 --tokens 1024 \\
        --a "./blt bench --preset released --seq 1024 --paced" \\
        --b "python3 bench/pytorch_reference.py --seq 1024 --paced"

A command speaks the protocol of `./blt bench --paced`: after its warm-up it prints a line `ready`; then, for each
line it reads on stdin, it runs once and prints `seconds=<wall seconds>`; at end of input it finishes. Lines it
prints besides these are passed through to stderr. Prints one line per pair and, last, `ratio_a_over_b=<median>`:
A's speed over B's (above 1: A is faster), the median of the pairs.
"""
import argparse
import ctypes
import os
import shlex
import signal
import statistics
import subprocess
import sys
import time


def _die_with_parent():
    """A contender kept stopped must not outlive a driver that is killed (Linux: PR_SET_PDEATHSIG = 1)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _state(stat_file):
    """A thread's scheduler state letter from its /proc stat line ('' if it has ended)."""
    try:
        with open(stat_file) as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return ""


class Contender:
    """A benchmark process that runs once per request."""

    def __init__(self, label, command):
        self.label = label
        self.command = command
        self.proc = subprocess.Popen(shlex.split(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, bufsize=1, preexec_fn=_die_with_parent)
        self._expect(lambda line: line == "ready", "'ready'")
        self._pause()

    def _pause(self):
        os.kill(self.proc.pid, signal.SIGSTOP)
        self._await_stopped()

    def _await_stopped(self, timeout=5.0):
        """SIGSTOP takes effect asynchronously: wait until every thread of the process is stopped (Linux /proc),
        so that the other side never starts while this one still runs."""
        tasks = f"/proc/{self.proc.pid}/task"
        if not os.path.isdir(tasks):
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                states = [_state(os.path.join(tasks, t, "stat")) for t in os.listdir(tasks)]
            except FileNotFoundError:  # a thread ended meanwhile: look again
                continue
            if all(s in "Tt" for s in states if s):
                return
            time.sleep(0.0005)
        raise SystemExit(f"side_by_side: {self.label} ({self.command}) did not stop within {timeout:.0f} s")

    def _resume(self):
        os.kill(self.proc.pid, signal.SIGCONT)

    def _expect(self, accept, what):
        for line in self.proc.stdout:
            line = line.strip()
            value = accept(line)
            if value:
                return value
            print(f"[{self.label}] {line}", file=sys.stderr)
        code = self.proc.wait()
        raise SystemExit(f"side_by_side: {self.label} ({self.command}) ended with exit code {code} "
                         f"before printing {what}")

    def run_once(self):
        self._resume()
        try:
            self.proc.stdin.write("go\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            raise SystemExit(f"side_by_side: {self.label} ({self.command}) is no longer reading its input")
        seconds = float(self._expect(lambda line: line.startswith("seconds=") and line[len("seconds="):],
                                     "seconds=<s>"))
        self._pause()
        return seconds

    def finish(self):
        self._resume()
        self.proc.stdin.close()
        for line in self.proc.stdout:
            print(f"[{self.label}] {line.rstrip()}", file=sys.stderr)
        return self.proc.wait()


def turns(pairs):
    """A B, B A, A B, ...: a drift that runs through a pair favours each side equally often."""
    return [("a", "b") if i % 2 == 0 else ("b", "a") for i in range(pairs)]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--a", required=True, help="first command (speaks the --paced protocol)")
    p.add_argument("--b", required=True, help="second command")
    p.add_argument("--pairs", type=int, default=10, help="runs of each command")
    p.add_argument("--tokens", type=int, help="tokens per run, to print tokens/s beside the seconds")
    a = p.parse_args(argv)
    if a.pairs < 1:
        p.error("--pairs must be positive")
    contenders = {}
    try:
        contenders["a"] = Contender("a", a.a)
        contenders["b"] = Contender("b", a.b)
        ratios = []
        for i, order in enumerate(turns(a.pairs)):
            seconds = {side: contenders[side].run_once() for side in order}
            ratios.append(seconds["b"] / seconds["a"])
            speed = "" if a.tokens is None else \
                f" a_tokens_per_second={a.tokens / seconds['a']:.2f} b_tokens_per_second={a.tokens / seconds['b']:.2f}"
            print(f"pair={i} a_seconds={seconds['a']:.4f} b_seconds={seconds['b']:.4f}{speed} "
                  f"ratio_a_over_b={ratios[-1]:.3f}", flush=True)
    finally:
        for c in contenders.values():
            if c.proc.poll() is None:
                c.finish()
    faster = sum(r > 1 for r in ratios)
    print(f"a_faster_in={faster}/{len(ratios)} min_ratio={min(ratios):.3f} max_ratio={max(ratios):.3f}")
    print(f"ratio_a_over_b={statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()

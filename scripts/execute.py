"""Executes one notebook with nbclient and writes the executed notebook and a JSON report.

Run by scripts/reproduce.ts with the Jupyter interpreter. tslab reports a failing cell only through
its stderr stream, and logs an unawaited promise rejection or an exception in a callback without
failing any cell (and nbclient drops output that arrives after a cell finished). So the notebook is
run between two hidden cells: a prologue that records such faults in the kernel, and an epilogue
that waits briefly and prints them. Both are removed from the executed notebook, which carries no
timing metadata, so two runs with the same seed give identical files.

Stopping: jupyter_client starts the kernel in a session (and process group) of its own, so a
signal to the runner's group never reaches it. On SIGINT, SIGTERM or SIGHUP this script kills the
kernel's process group (the kernel and its children) and exits with 128 + the signal's number; it
does the same when its parent (the runner) dies, and the prologue makes the kernel kill its own
group when this script dies. The kernel's pid and the cell in flight are written to the state
folder (--state-dir), which also holds the kernel's connection file, so that the runner can finish
the job and remove everything by removing that folder.
"""
import argparse
import json
import os
import signal
import sys
import tempfile
import threading
import time

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

MARKER = "__FRAGILITY_FAULTS__"
PROLOGUE = """(globalThis as any).__fragilityFaults = [];
process.on("unhandledRejection", (r: unknown) => (globalThis as any).__fragilityFaults.push("unhandled promise rejection (a promise nobody awaited): " + (r instanceof Error ? r.stack : String(r))));
process.on("uncaughtException", (e: unknown) => (globalThis as any).__fragilityFaults.push("uncaught exception in a callback: " + (e instanceof Error ? e.stack : String(e))));
{
  const executor = %d;
  setInterval(() => {
    try {
      process.kill(executor, 0);
    } catch (e) {
      if ((e as { code?: string }).code !== "ESRCH") return;
      try { process.kill(-process.pid, "SIGKILL"); } catch { process.exit(1); }
    }
  }, 1000).unref();
}
""" % os.getpid()
EPILOGUE = """await new Promise((r) => setTimeout(r, 300));
console.log("%s" + JSON.stringify((globalThis as any).__fragilityFaults));
""" % MARKER

STOP_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]


def kernel_process(client):
    """The kernel's Popen object, or None before it was started."""
    km = getattr(client, "km", None)
    if km is None:
        return None
    provisioner = getattr(km, "provisioner", None)  # jupyter_client 7 and later
    process = getattr(provisioner, "process", None) if provisioner is not None else None
    return process if process is not None else getattr(km, "kernel", None)


def kill_kernel(client, grace=2.0):
    """TERM, then KILL, to the kernel's process group (never our own); waits for the kernel."""
    process = kernel_process(client)
    if process is None:
        return
    pid = process.pid
    try:
        group = os.getpgid(pid)
    except OSError:
        group = None
    if group == os.getpgrp():
        group = None

    def send(sig):
        try:
            if group is not None:
                os.killpg(group, sig)
            else:
                os.kill(pid, sig)
        except OSError:
            pass

    send(signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    send(signal.SIGKILL)  # also to children that ignore TERM or outlive the kernel
    try:
        process.wait(timeout=grace)
    except Exception:
        pass


def kill_run_processes():
    """SIGKILL to every other process whose environment carries this run's FRAGILITY_RUN_DIR: the
    kernel's children that left its process group (Linux only: /proc)."""
    run_dir = os.environ.get("FRAGILITY_RUN_DIR")
    if not run_dir or not os.path.isdir("/proc"):
        return
    needle = ("\0FRAGILITY_RUN_DIR=%s\0" % run_dir).encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open("/proc/%s/environ" % entry, "rb") as f:
                if needle in b"\0" + f.read():
                    os.kill(int(entry), signal.SIGKILL)
        except OSError:
            pass


def write_json(file, data):
    """Atomically (a uniquely named temporary file beside it, then a rename)."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(file), prefix=os.path.basename(file) + ".")
    with os.fdopen(fd, "w") as f:
        json.dump(data, f)
    os.replace(tmp, file)


def append_event(file, event):
    """One line of JSON per event, appended and flushed (the runner follows the file)."""
    with open(file, "a") as f:
        f.write(json.dumps(event) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("report")
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--timeout", type=int, required=True, help="seconds per cell")
    ap.add_argument("--cwd", required=True, help="the kernel's working directory")
    ap.add_argument("--state-dir", required=True,
                    help="where the kernel's pid, the cell in flight and the connection file go")
    args = ap.parse_args()

    nb = nbformat.read(args.input, as_version=4)
    user_cells = list(nb.cells)
    prologue = nbformat.v4.new_code_cell(PROLOGUE)
    epilogue = nbformat.v4.new_code_cell(EPILOGUE)
    nb.cells = [prologue] + user_cells + [epilogue]
    config = Config()
    config.KernelManager.connection_file = os.path.join(args.state_dir, "kernel-connection.json")
    client = NotebookClient(
        nb,
        timeout=args.timeout,
        kernel_name=args.kernel,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": args.cwd}},
        config=config,
    )

    stopping = threading.Lock()

    def stop(signum, why):
        if not stopping.acquire(blocking=False):
            return
        try:
            sys.stderr.write("execute.py: %s; stopping the kernel\n" % why)
            sys.stderr.flush()
        except OSError:
            pass  # the runner, which reads our stderr, may be gone
        try:
            kill_kernel(client)
            kill_run_processes()
        finally:
            os._exit(128 + signum)

    for sig in STOP_SIGNALS:
        signal.signal(sig, lambda signum, _frame: stop(signum, signal.Signals(signum).name))

    parent = os.getppid()

    def watch_parent():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                stop(signal.SIGHUP, "the runner (pid %d) is gone" % parent)

    threading.Thread(target=watch_parent, daemon=True).start()

    report = {"failed": None, "faults": [], "hidden_failed": None}
    executed = set()
    # The kernel first, its pid recorded before it is waited for, then the client. tslab can die
    # at start-up when nbclient's first kernel_info request reaches a ZeroMQ socket still being
    # bound ("Socket is blocked by a bind or unbind operation", EBUSY; seen once in a fresh clone's
    # npm test): before any cell has run, a kernel that does not come up is started again, at most
    # three times in all.
    for attempt in range(3):
        client.km = client.create_kernel_manager()
        client.start_new_kernel()
        kernel = kernel_process(client)
        if kernel is not None:
            write_json(os.path.join(args.state_dir, "kernel.json"), {"pid": kernel.pid})
        try:
            client.start_new_kernel_client()
            break
        except Exception as e:  # the kernel died or never answered kernel_info
            if attempt == 2:
                raise
            print("kernel start failed (%s); starting it again" % type(e).__name__, file=sys.stderr)
            try:
                client.km.shutdown_kernel(now=True)
            except Exception:
                pass
    # progress.jsonl: a "start" and an "end" event (with the seconds it took) per code cell of the
    # user's notebook, for the runner's progress line and its log (build/logs/<stem>.log).
    events = os.path.join(args.state_dir, "progress.jsonl")
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            executed.add(id(cell))
            hidden = cell is prologue or cell is epilogue
            write_json(os.path.join(args.state_dir, "progress.json"), {"cell": index - 1})
            if not hidden:
                append_event(events, {"cell": index - 1, "event": "start"})
            started = time.monotonic()
            try:
                client.execute_cell(cell, index)
            except Exception as e:  # CellExecutionError, CellTimeoutError, DeadKernelError
                kind = type(e).__name__
                if hidden:
                    report["hidden_failed"] = {"kind": kind, "message": str(e)[:2000]}
                else:
                    report["failed"] = {"index": index - 1, "kind": kind, "message": str(e)[:2000]}
                    append_event(events, {"cell": index - 1, "event": "end", "ok": False,
                                          "seconds": round(time.monotonic() - started, 3)})
                break
            if not hidden:
                append_event(events, {"cell": index - 1, "event": "end", "ok": True,
                                      "seconds": round(time.monotonic() - started, 3)})
    for out in epilogue.get("outputs", []):
        text = out.get("text", "")
        for line in text.splitlines():
            if line.startswith(MARKER):
                report["faults"] = json.loads(line[len(MARKER):])

    # tslab sends no execute_input message, so nbclient leaves execution counts empty: number the
    # cells that ran (up to a failure) ourselves.
    nb.cells = user_cells
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if id(cell) in executed:
            count += 1
            cell.execution_count = count
        else:
            cell.execution_count = None
    nbformat.write(nb, args.output)
    with open(args.report, "w") as f:
        json.dump(report, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

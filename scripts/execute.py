"""Executes one notebook with nbclient and writes the executed notebook and a JSON report.

Run by scripts/reproduce.ts with the Jupyter interpreter. tslab reports a failing cell only through
its stderr stream, and logs an unawaited promise rejection or an exception in a callback without
failing any cell (and nbclient drops output that arrives after a cell finished). So the notebook is
run between two hidden cells: a prologue that records such faults in the kernel, and an epilogue
that waits briefly and prints them. Both are removed from the executed notebook, which carries no
timing metadata, so two runs with the same seed give identical files.
"""
import argparse
import json
import sys

import nbformat
from nbclient import NotebookClient

MARKER = "__FRAGILITY_FAULTS__"
PROLOGUE = """(globalThis as any).__fragilityFaults = [];
process.on("unhandledRejection", (r: unknown) => (globalThis as any).__fragilityFaults.push("unhandled promise rejection (a promise nobody awaited): " + (r instanceof Error ? r.stack : String(r))));
process.on("uncaughtException", (e: unknown) => (globalThis as any).__fragilityFaults.push("uncaught exception in a callback: " + (e instanceof Error ? e.stack : String(e))));
"""
EPILOGUE = """await new Promise((r) => setTimeout(r, 300));
console.log("%s" + JSON.stringify((globalThis as any).__fragilityFaults));
""" % MARKER


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("report")
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--timeout", type=int, required=True, help="seconds per cell")
    ap.add_argument("--cwd", required=True, help="the kernel's working directory")
    args = ap.parse_args()

    nb = nbformat.read(args.input, as_version=4)
    user_cells = list(nb.cells)
    prologue = nbformat.v4.new_code_cell(PROLOGUE)
    epilogue = nbformat.v4.new_code_cell(EPILOGUE)
    nb.cells = [prologue] + user_cells + [epilogue]
    client = NotebookClient(
        nb,
        timeout=args.timeout,
        kernel_name=args.kernel,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": args.cwd}},
    )
    report = {"failed": None, "faults": [], "hidden_failed": None}
    executed = set()
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            executed.add(id(cell))
            try:
                client.execute_cell(cell, index)
            except Exception as e:  # CellExecutionError, CellTimeoutError, DeadKernelError
                kind = type(e).__name__
                if cell is prologue or cell is epilogue:
                    report["hidden_failed"] = {"kind": kind, "message": str(e)[:2000]}
                else:
                    report["failed"] = {"index": index - 1, "kind": kind, "message": str(e)[:2000]}
                break
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

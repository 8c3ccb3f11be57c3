"""PyTorch reference for test/unit/pytorch.test.ts: trains section 6's networks as the paper did.

Reads one JSON object on stdin:
  {"d", "hidden", "activation": "identity" | "relu", "X": N*d floats (row-major), "y": N labels,
   "init": {"W1", "b1", "W2", "b2"} (row-major, nn.Linear's layout), "lr", "beta1", "beta2", "eps",
   "batches": [[point indices], ...]}   (every epoch's batches in order, as the trainers drew them)
or, for a ReLU network of any depth, "widths": [d, h_1, ..., 2] with "init": {"weights": [...],
"biases": [...]} (one row-major list per layer) instead of "hidden", "activation" and the four
arrays; and writes {"float32": {...}, "float64": {...}, "torch": version}: the parameters after the
batches, trained with nn.Linear layers, nn.CrossEntropyLoss (mean over the batch) and
torch.optim.Adam, once in float32 (the paper's stack) and once in float64 from the same start
(the size of float32 rounding's effect on the run, which the test reports beside its tolerance).

With {"defaults": [d, h]} instead it writes torch.optim.Adam's defaults and the largest |weight| and
|bias| of a fresh nn.Linear(d, h) and nn.Linear(h, 2) (the trainers copy both from PyTorch).
"""
import json
import sys

import torch


def train(job, dtype):
    torch.set_num_threads(1)
    if "widths" in job:
        return train_deep(job, dtype)
    d, h = job["d"], job["hidden"]
    act = torch.nn.Identity() if job["activation"] == "identity" else torch.nn.ReLU()
    model = torch.nn.Sequential(torch.nn.Linear(d, h), act, torch.nn.Linear(h, 2)).to(dtype)
    init = job["init"]
    with torch.no_grad():
        # Parameters start from the float32 values the trainers start from (exact in float64 too).
        model[0].weight.copy_(torch.tensor(init["W1"], dtype=torch.float32).reshape(h, d))
        model[0].bias.copy_(torch.tensor(init["b1"], dtype=torch.float32))
        model[2].weight.copy_(torch.tensor(init["W2"], dtype=torch.float32).reshape(2, h))
        model[2].bias.copy_(torch.tensor(init["b2"], dtype=torch.float32))
    fit(model, job, dtype)
    flat = lambda t: t.detach().to(torch.float64).reshape(-1).tolist()
    return {
        "W1": flat(model[0].weight),
        "b1": flat(model[0].bias),
        "W2": flat(model[2].weight),
        "b2": flat(model[2].bias),
    }


def fit(model, job, dtype):
    """Adam on the job's batches with nn.CrossEntropyLoss (mean over the batch)."""
    X = torch.tensor(job["X"], dtype=torch.float32).reshape(-1, job["d"]).to(dtype)
    y = torch.tensor(job["y"], dtype=torch.int64)
    opt = torch.optim.Adam(
        model.parameters(), lr=job["lr"], betas=(job["beta1"], job["beta2"]), eps=job["eps"]
    )
    loss_fn = torch.nn.CrossEntropyLoss()
    for idx in job["batches"]:
        i = torch.tensor(idx, dtype=torch.int64)
        opt.zero_grad()
        loss_fn(model(X[i]), y[i]).backward()
        opt.step()


def train_deep(job, dtype):
    """Linear(w_0, w_1), ReLU, ..., Linear(w_{k-1}, w_k): section 6's deeper networks."""
    widths = job["widths"]
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
        if i + 2 < len(widths):
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers).to(dtype)
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        for i, lin in enumerate(linears):
            w = torch.tensor(job["init"]["weights"][i], dtype=torch.float32)
            lin.weight.copy_(w.reshape(widths[i + 1], widths[i]))
            lin.bias.copy_(torch.tensor(job["init"]["biases"][i], dtype=torch.float32))
    fit(model, job, dtype)
    flat = lambda t: t.detach().to(torch.float64).reshape(-1).tolist()
    return {
        "weights": [flat(lin.weight) for lin in linears],
        "biases": [flat(lin.bias) for lin in linears],
    }


def defaults(d, h):
    torch.manual_seed(0)
    adam = torch.optim.Adam([torch.zeros(1, requires_grad=True)]).defaults
    first, second = torch.nn.Linear(d, h), torch.nn.Linear(h, 2)
    big = lambda t: t.detach().abs().max().item()
    return {
        "torch": torch.__version__,
        "adam": {"lr": adam["lr"], "betas": list(adam["betas"]), "eps": adam["eps"]},
        "linear": [
            {"fanIn": d, "weight": big(first.weight), "bias": big(first.bias)},
            {"fanIn": h, "weight": big(second.weight), "bias": big(second.bias)},
        ],
    }


def main():
    job = json.load(sys.stdin)
    if "defaults" in job:
        json.dump(defaults(*job["defaults"]), sys.stdout)
        return
    out = {
        "torch": torch.__version__,
        "float32": train(job, torch.float32),
        "float64": train(job, torch.float64),
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

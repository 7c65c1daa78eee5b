"""PyTorch CPU reference for `npm run bench`: the same training steps as the lab.

bench/pytorch.ts starts this with OPENBLAS_NUM_THREADS=1 and talks JSON
lines: this prints {"type": "setup", ...} first, then answers each workload
line on stdin,
  {"name", "arch", "hidden", "batch", "warmup", "warmupSeconds", "steps", "threads"},
with {"type": "workload", "name", "msPerStep", "imagesPerSecond"}, and each
{"kind": "gemm", "m", "k", "n", "threads"} with {"type": "gemm", "gflops"} (or
{"type": "error", "message"}), until stdin closes. One process serves every
workload, so tfjs and PyTorch can take turns per workload on a busy machine.

The networks mirror src/engine/models (same layer shapes, projection shortcuts,
PyTorch's NCHW layout as a PyTorch user would train them); the step is the
lab's: forward, cross-entropy, backward, SGD with momentum and weight decay,
loss read back. No masks: PyTorch is the dense reference.
"""

import json
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def mlp(hidden):
    widths = [784, *hidden, 10]
    layers = [nn.Flatten()]
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers), (1, 28, 28)


def lenet5():
    # MNIST's 28×28 gets 2 pixels of padding on the first conv, as the lab does.
    return (
        nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(400, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10),
        ),
        (1, 28, 28),
    )


class BasicBlock(nn.Module):
    def __init__(self, inputs, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Identity()
        if stride != 1 or inputs != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(inputs, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(h)) + self.shortcut(x))


class Resnet(nn.Module):
    def __init__(self, stem, planes, blocks_per_stage):
        super().__init__()
        self.conv1 = nn.Conv2d(3, stem, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(stem)
        blocks, channels = [], stem
        for stage, width in enumerate(planes):
            for i in range(blocks_per_stage):
                blocks.append(BasicBlock(channels, width, 2 if i == 0 and stage > 0 else 1))
                channels = width
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(channels, 10)

    def forward(self, x):
        h = self.blocks(F.relu(self.bn1(self.conv1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(h, 1), 1))


def network(arch, hidden):
    if arch == "mlp":
        return mlp(hidden)
    if arch == "lenet5":
        return lenet5()
    if arch == "resnet20":
        return Resnet(16, [16, 32, 64], 3), (3, 32, 32)
    if arch == "resnet18":
        return Resnet(64, [64, 128, 256, 512], 2), (3, 32, 32)
    raise ValueError(f"unknown architecture {arch}")


def time_steps(workload):
    torch.set_num_threads(workload["threads"])
    torch.manual_seed(1)
    model, image = network(workload["arch"], workload.get("hidden", [300, 100]))
    model.train()
    batch = workload["batch"]
    x = torch.randn(batch, *image)
    labels = torch.arange(batch) % 10
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=2e-4)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), labels)
        loss.backward()
        optimizer.step()
        return loss.item()

    # At least `warmup` steps and at least `warmupSeconds` of them, as the tfjs side warms up.
    warm_start = time.perf_counter()
    warmed = 0
    while warmed < workload["warmup"] or time.perf_counter() - warm_start < workload.get("warmupSeconds", 0):
        step()
        warmed += 1
    times = []
    for _ in range(workload["steps"]):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    ms = statistics.median(times)
    return {"type": "workload", "name": workload["name"], "threads": torch.get_num_threads(), "msPerStep": ms, "imagesPerSecond": batch * 1000 / ms}


def time_gemm(request):
    """GFLOP/s of the median of repeated [m×k]·[k×n] products (bench/gemm.ts does the same in tfjs)."""
    torch.set_num_threads(request["threads"])
    m, k, n = request["m"], request["k"], request["n"]
    a, b = torch.randn(m, k), torch.randn(k, n)
    start = time.perf_counter()
    a @ b
    first = time.perf_counter() - start
    reps = max(5, min(200, round(request.get("seconds", 1) / max(first, 1e-5))))
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - start)
    return {"type": "gemm", "threads": torch.get_num_threads(), "gflops": 2 * m * k * n / statistics.median(times) / 1e9}


def blas_libraries():
    """The BLAS shared objects actually mapped into this process (Debian picks one through alternatives)."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    return sorted({os.path.realpath(p) for p in paths})


def main():
    config = torch.__config__.show()
    setup = {
        "type": "setup",
        "torch": torch.__version__,
        "blasInfo": next((part.split("=")[1] for part in config.replace(",", "\n").split() if part.startswith("BLAS_INFO=")), "?"),
        "blasLibraries": blas_libraries(),
    }
    print(json.dumps(setup), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            answer = time_gemm(request) if request.get("kind") == "gemm" else time_steps(request)
        except Exception as error:  # reported to the caller, which prints it in the table
            answer = {"type": "error", "message": f"{type(error).__name__}: {error}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()

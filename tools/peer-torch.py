#!/usr/bin/python3
"""The PyTorch CPU peer of `losslab bench`: the notebook's CNN (the same layers, padding and
Glorot-uniform init as losslab's), trained with Adam (lr 1e-3, eps 1e-7 as Keras) and
cross-entropy on synthetic 28x28 data, one optimizer step per batch. Prints samples/s at batch 32
and 128 as JSON. --memory-format channels_last follows PyTorch's own CPU performance guidance (NHWC
activations, which oneDNN's convolutions prefer); contiguous (NCHW) is PyTorch's default. Usage:
tools/peer-torch.py [--padding same|valid] [--threads N] [--steps 300] [--classes 2]
[--memory-format contiguous|channels_last]
"""
import argparse, json, time
import torch
import torch.nn as nn
import torch.nn.functional as F


class Cnn(nn.Module):
    def __init__(self, padding, classes):
        super().__init__()
        same = padding == "same"
        self.same = same
        self.c1 = nn.Conv2d(1, 64, 3, padding=1 if same else 0)
        self.c2 = nn.Conv2d(64, 32, 3, padding=1 if same else 0)
        self.c3 = nn.Conv2d(32, 32, 3, padding=1 if same else 0)
        side = 28
        for _ in range(3):
            side = side if same else side - 2
            side = (side + 1) // 2 if same else side // 2
        self.flat = side * side * 32
        self.d1 = nn.Linear(self.flat, 100)
        self.out = nn.Linear(100, 1 if classes == 2 else classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)

    def pool(self, x):
        # Keras/TF SAME pooling on odd sizes pads bottom/right with cells that never win
        if self.same and x.shape[-1] % 2 == 1:
            x = F.pad(x, (0, 1, 0, 1), value=float("-inf"))
        return F.max_pool2d(x, 2)

    def forward(self, x):
        x = self.pool(F.relu(self.c1(x)))
        x = self.pool(F.relu(self.c2(x)))
        x = self.pool(F.relu(self.c3(x)))
        x = F.relu(self.d1(torch.flatten(x, 1)))
        return self.out(x)


def throughput(model, opt, x, y, batch, steps, binary):
    n = x.shape[0]
    warm = max(5, steps // 10)
    for i in range(warm + steps):
        if i == warm:
            start = time.perf_counter()
        lo = (i * batch) % (n - batch)
        xb, yb = x[lo:lo + batch], y[lo:lo + batch]
        opt.zero_grad(set_to_none=True)
        logits = model(xb)
        loss = (F.binary_cross_entropy_with_logits(logits[:, 0], yb.float()) if binary
                else F.cross_entropy(logits, yb))
        loss.backward()
        opt.step()
    return steps * batch / (time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--padding", default="same")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--classes", type=int, default=2)
    ap.add_argument("--memory-format", default="contiguous", choices=["contiguous", "channels_last"])
    a = ap.parse_args()
    fmt = torch.channels_last if a.memory_format == "channels_last" else torch.contiguous_format
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    x = torch.rand(4096, 1, 28, 28).contiguous(memory_format=fmt)
    y = torch.randint(0, a.classes, (4096,))
    out = {"peer": "pytorch " + torch.__version__, "padding": a.padding, "threads": torch.get_num_threads(),
           "memory_format": a.memory_format}
    for batch, steps in ((32, a.steps), (128, max(10, a.steps // 4))):
        model = Cnn(a.padding, a.classes).to(memory_format=fmt)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        out[f"train_samples_per_s_b{batch}"] = throughput(model, opt, x, y, batch, steps, a.classes == 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()

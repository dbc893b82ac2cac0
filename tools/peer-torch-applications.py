#!/usr/bin/python3
"""The PyTorch CPU peer of `losslab bench --keras` on keras.applications networks: MobileNetV2 (alpha 0.35) and
ResNet50, written layer for layer as Keras 3 builds them (keras/src/applications/mobilenet_v2.py, resnet.py), so
the trainable parameter counts equal Keras' (`--check` prints both and exits non-zero when they differ; Keras'
counts are in configs/keras-applications/counts.json, for 3 classes there). Trained with Adam (lr 1e-3, eps 1e-7
as Keras) and cross-entropy on synthetic images, one optimizer step per batch; prints samples/s at the given batch
as JSON. --memory-format channels_last follows PyTorch's CPU performance guidance (NHWC, which oneDNN prefers);
contiguous (NCHW) is PyTorch's default. Usage:
  tools/peer-torch-applications.py --network mobilenetv2|resnet50 [--size 96] [--classes 5] [--batch 32]
      [--steps 20] [--threads N] [--memory-format contiguous|channels_last] [--check]
"""
import argparse, json, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_divisible(v, divisor=8, min_value=None):
    """Keras' _make_divisible (mobilenet_v2.py)."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def bn(c, eps):
    return nn.BatchNorm2d(c, eps=eps, momentum=0.001 if eps == 1e-3 else 0.01)


class CorrectPad(nn.Module):
    """Keras' imagenet_utils.correct_pad before a stride-2 'valid' convolution: (k//2 - 1, k//2) per side when even."""

    def __init__(self, k):
        super().__init__()
        self.k = k

    def forward(self, x):
        h, w = x.shape[-2:]
        c = self.k // 2
        ah = 1 - h % 2
        aw = 1 - w % 2
        return F.pad(x, (c - aw, c, c - ah, c))


class InvertedResidual(nn.Module):
    """Keras' _inverted_res_block: expand 1x1 (not for block 0), depthwise 3x3, project 1x1; add when shapes allow."""

    def __init__(self, cin, filters, alpha, stride, expansion, block_id):
        super().__init__()
        pointwise = make_divisible(int(filters * alpha), 8)
        layers = []
        c = cin
        if block_id:
            layers += [nn.Conv2d(cin, expansion * cin, 1, bias=False), bn(expansion * cin, 1e-3), nn.ReLU6()]
            c = expansion * cin
        if stride == 2:
            layers.append(CorrectPad(3))
        layers += [nn.Conv2d(c, c, 3, stride=stride, padding=0 if stride == 2 else 1, groups=c, bias=False),
                   bn(c, 1e-3), nn.ReLU6(), nn.Conv2d(c, pointwise, 1, bias=False), bn(pointwise, 1e-3)]
        self.body = nn.Sequential(*layers)
        self.residual = cin == pointwise and stride == 1
        self.out = pointwise

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


class MobileNetV2(nn.Module):
    def __init__(self, alpha, classes):
        super().__init__()
        first = make_divisible(32 * alpha, 8)
        layers = [CorrectPad(3), nn.Conv2d(3, first, 3, stride=2, bias=False), bn(first, 1e-3), nn.ReLU6()]
        c = first
        block = 0
        for filters, stride, expansion, repeats in ((16, 1, 1, 1), (24, 2, 6, 2), (32, 2, 6, 3), (64, 2, 6, 4),
                                                    (96, 1, 6, 3), (160, 2, 6, 3), (320, 1, 6, 1)):
            for i in range(repeats):
                b = InvertedResidual(c, filters, alpha, stride if i == 0 else 1, expansion, block)
                layers.append(b)
                c = b.out
                block += 1
        last = make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
        layers += [nn.Conv2d(c, last, 1, bias=False), bn(last, 1e-3), nn.ReLU6()]
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(last, classes)

    def forward(self, x):
        return self.head(torch.flatten(F.adaptive_avg_pool2d(self.features(x), 1), 1))


class Bottleneck(nn.Module):
    """Keras' resnet.block1: 1x1 (carrying the stride, as Keras' v1), 3x3, 1x1 x4; a projection shortcut when asked."""

    def __init__(self, cin, filters, stride, conv_shortcut):
        super().__init__()
        eps = 1.001e-5
        self.shortcut = (nn.Sequential(nn.Conv2d(cin, 4 * filters, 1, stride=stride), bn(4 * filters, eps))
                         if conv_shortcut else None)
        self.body = nn.Sequential(
            nn.Conv2d(cin, filters, 1, stride=stride), bn(filters, eps), nn.ReLU(),
            nn.Conv2d(filters, filters, 3, padding=1), bn(filters, eps), nn.ReLU(),
            nn.Conv2d(filters, 4 * filters, 1), bn(4 * filters, eps))

    def forward(self, x):
        s = self.shortcut(x) if self.shortcut is not None else x
        return F.relu(s + self.body(x))


class ResNet50(nn.Module):
    def __init__(self, classes):
        super().__init__()
        layers = [nn.ZeroPad2d(3), nn.Conv2d(3, 64, 7, stride=2), bn(64, 1.001e-5), nn.ReLU(), nn.ZeroPad2d(1),
                  nn.MaxPool2d(3, stride=2)]
        c = 64
        for filters, blocks, stride in ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)):
            layers.append(Bottleneck(c, filters, stride, True))
            c = 4 * filters
            for _ in range(blocks - 1):
                layers.append(Bottleneck(c, filters, 1, False))
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(c, classes)

    def forward(self, x):
        return self.head(torch.flatten(F.adaptive_avg_pool2d(self.features(x), 1), 1))


def network(name, classes):
    return MobileNetV2(0.35, classes) if name == "mobilenetv2" else ResNet50(classes)


def trainable(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def check():
    """The trainable counts against Keras' (configs/keras-applications/counts.json, 3 classes)."""
    import os
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    keras = json.load(open(os.path.join(root, "configs", "keras-applications", "counts.json")))["networks"]
    ok = True
    for name, key in (("mobilenetv2", "MobileNetV2-035-96"), ("resnet50", "ResNet50-64")):
        want = keras[key]["trainable"]
        got = trainable(network(name, keras[key]["classes"]))
        print(f"{name}: pytorch {got:,} trainable, keras {want:,}" + ("" if got == want else "  DIFFERENT"))
        ok &= got == want
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--network", choices=["mobilenetv2", "resnet50"], default="mobilenetv2")
    ap.add_argument("--size", type=int, default=0, help="image side (default 96 for MobileNetV2, 64 for ResNet50)")
    ap.add_argument("--classes", type=int, default=5)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--memory-format", default="contiguous", choices=["contiguous", "channels_last"])
    ap.add_argument("--check", action="store_true", help="compare the trainable counts with Keras' and exit")
    a = ap.parse_args()
    if a.check:
        sys.exit(check())
    fmt = torch.channels_last if a.memory_format == "channels_last" else torch.contiguous_format
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    size = a.size or (96 if a.network == "mobilenetv2" else 64)
    model = network(a.network, a.classes).to(memory_format=fmt)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    x = torch.rand(4 * a.batch, 3, size, size).contiguous(memory_format=fmt)
    y = torch.randint(0, a.classes, (4 * a.batch,))
    warm = 3
    for i in range(warm + a.steps):
        if i == warm:
            start = time.perf_counter()
        lo = (i % 4) * a.batch
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x[lo:lo + a.batch]), y[lo:lo + a.batch])
        loss.backward()
        opt.step()
    rate = a.steps * a.batch / (time.perf_counter() - start)
    print(json.dumps({"peer": "pytorch " + torch.__version__, "network": a.network, "size": size,
                      "classes": a.classes, "trainable": trainable(model), "threads": torch.get_num_threads(),
                      "memory_format": a.memory_format, f"train_samples_per_s_b{a.batch}": rate}))


if __name__ == "__main__":
    main()

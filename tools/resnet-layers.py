#!/usr/bin/env python3
"""Prints a ResNet for small images (He et al. 2016, sec. 4.2, the CIFAR networks: 6n+2 layers, three stages of
16/32/64 channels, stride-2 stage transitions, BatchNormalization, global average pooling) as a losslab layer
list ("model": {"layers": [...]}), Keras vocabulary, functional through "name"/"inputs". Shortcuts across a
stage transition are 1x1 convolutions with BatchNormalization (option B); the others are identities.

  tools/resnet-layers.py N CLASSES [WIDTH [L2]]   # N blocks per stage: 1 -> ResNet-8, 3 -> ResNet-20

L2 puts Keras' L2 kernel regularizer on every kernel: the field's (PyTorch's) coupled weight decay wd is
L2 = wd / 2 (the regularizer's gradient is 2 * L2 * w).
"""
import json
import sys


L2 = None  # Keras' L2 regularizer factor on every kernel, set from the command line


def regularized(config):
    if L2:
        config["kernel_regularizer"] = {"class_name": "L2", "config": {"l2": L2}}
    return config


def conv(name, filters, kernel, stride, inputs):
    return {"Conv2D": regularized({"name": name, "filters": filters, "kernel_size": kernel, "strides": stride,
                                   "padding": "same", "use_bias": False, "kernel_initializer": "he_normal",
                                   "inputs": [inputs]})}


def bn(name, inputs):
    return {"BatchNormalization": {"name": name, "inputs": [inputs]}}


def relu(name, inputs):
    return {"ReLU": {"name": name, "inputs": [inputs]}}


def layers(n, classes, width=16):
    out = [conv("stem_conv", width, 3, 1, "input"), bn("stem_bn", "stem_conv"), relu("stem_relu", "stem_bn")]
    previous = "stem_relu"
    channels = width
    for stage in range(3):
        filters = width * 2 ** stage
        for block in range(n):
            p = f"s{stage + 1}b{block + 1}"
            stride = 2 if stage > 0 and block == 0 else 1
            out += [conv(p + "_conv1", filters, 3, stride, previous), bn(p + "_bn1", p + "_conv1"),
                    relu(p + "_relu1", p + "_bn1"), conv(p + "_conv2", filters, 3, 1, p + "_relu1"),
                    bn(p + "_bn2", p + "_conv2")]
            shortcut = previous
            if stride != 1 or channels != filters:
                out += [conv(p + "_proj", filters, 1, stride, previous), bn(p + "_proj_bn", p + "_proj")]
                shortcut = p + "_proj_bn"
            out += [{"Add": {"name": p + "_add", "inputs": [p + "_bn2", shortcut]}}, relu(p + "_out", p + "_add")]
            previous = p + "_out"
            channels = filters
    out += [{"GlobalAveragePooling2D": {"name": "pool", "inputs": [previous]}},
            {"Dense": regularized({"name": "logits", "units": classes, "activation": "softmax", "inputs": ["pool"]})}]
    return out


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    n, classes = int(sys.argv[1]), int(sys.argv[2])
    width = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    L2 = float(sys.argv[4]) if len(sys.argv) > 4 else None
    print(json.dumps(layers(n, classes, width), indent=1))

#!/usr/bin/env python3
"""Writes the JSON Keras itself gives for keras.applications networks, with Keras' parameter counts, so losslab's
tests check every application against Keras rather than against our reading of it.

No TensorFlow or JAX can be installed here (no PyPI), so this runs Keras' own source (a checkout of the
keras-team/keras tag, e.g. v3.15.1) on its numpy backend, which builds models symbolically: every output shape
comes from the layer's own compute_output_shape and every weight from its own build(), and nothing is run.
Three stand-ins make the numpy backend import without PyPI packages (tools/keras-stubs/): optree (a pure-Python
pytree), ml_dtypes (numpy's finfo), jax (names only; calling one fails). One line of the checkout is patched:
keras/src/backend/numpy/math.py borrows fft from the jax backend at import time; those two imports become None.

  apt-get install python3-numpy python3-scipy python3-h5py python3-absl python3-rich python3-packaging
  git -C keras archive v3.15.1 keras | tar -x -C /tmp/keras315
  sed -i 's/^from keras.src.backend.jax.math import fft as jax_fft$/jax_fft = None/; \
          s/^from keras.src.backend.jax.math import fft2 as jax_fft2$/jax_fft2 = None/' \
      /tmp/keras315/keras/src/backend/numpy/math.py
  PYTHONPATH=tools/keras-stubs:/tmp/keras315 KERAS_BACKEND=numpy python3 tools/keras-applications.py \
      src/test/resources/keras/applications

Writes <name>.json.gz (model.to_json(), gzipped) and counts.json (total, trainable, non_trainable, input).
Naming networks after the folder writes only those; the benchmark's two (MobileNetV2-035-96, ResNet50-64) are
written only when named:
  ... tools/keras-applications.py configs/keras-applications MobileNetV2-035-96 ResNet50-64
"""
import gzip, json, os, sys
import keras
from keras import applications as A

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
K = 3  # classes of the top each network is built with
NETWORKS = {  # name: (constructor, input side, extra arguments); the smallest inputs Keras accepts, to keep files small
    "VGG16": (A.VGG16, 32, {}),
    "VGG19": (A.VGG19, 32, {}),
    "ResNet50": (A.ResNet50, 32, {}),
    "ResNet101": (A.ResNet101, 32, {}),
    "ResNet50V2": (A.ResNet50V2, 32, {}),
    "DenseNet121": (A.DenseNet121, 32, {}),
    "MobileNet": (A.MobileNet, 32, {"alpha": 0.25}),
    "MobileNetV2": (A.MobileNetV2, 32, {"alpha": 0.35}),
    "MobileNetV3Small": (A.MobileNetV3Small, 32, {}),
    "MobileNetV3Large": (A.MobileNetV3Large, 32, {}),
    "EfficientNetB0": (A.EfficientNetB0, 32, {}),
    "EfficientNetV2B0": (A.EfficientNetV2B0, 32, {}),
    "Xception": (A.Xception, 71, {}),
    "InceptionV3": (A.InceptionV3, 75, {}),
    "InceptionResNetV2": (A.InceptionResNetV2, 75, {}),
    "NASNetMobile": (A.NASNetMobile, 32, {}),
    "ConvNeXtTiny": (A.ConvNeXtTiny, 32, {}),
}
# the benchmark's networks (docs/performance.md), at the sizes Keras' own fit was timed at; named explicitly
BENCH = {
    "MobileNetV2-035-96": (A.MobileNetV2, 96, {"alpha": 0.35}),
    "ResNet50-64": (A.ResNet50, 64, {}),
}
only = set(sys.argv[2:])
if only & BENCH.keys():
    NETWORKS = {**NETWORKS, **BENCH}
counts = {}
for name, (make, side, extra) in NETWORKS.items():
    if only and name not in only:
        continue
    keras.backend.clear_session()
    m = make(input_shape=(side, side, 3), weights=None, classes=K, classifier_activation="softmax", **extra)
    t = sum(int(w.numpy().size) for w in m.trainable_weights)
    total = int(m.count_params())
    counts[name] = {"input": [side, side, 3], "classes": K, "total": total, "trainable": t, "non_trainable": total - t,
                    "layers": len(m.layers), "arguments": extra}
    with gzip.open(f"{out}/{name}.json.gz", "wt") as f:
        f.write(m.to_json())
    print(name, counts[name], flush=True)
with open(f"{out}/counts.json", "w") as f:
    json.dump({"keras": keras.__version__, "backend": keras.backend.backend(), "networks": counts}, f, indent=1)

# a stand-in for ml_dtypes (not packaged in Debian): only what Keras' numpy backend touches for float32 models
import numpy as _np
finfo = _np.finfo
iinfo = _np.iinfo
class _Missing:
    def __init__(self, name): self.name = name
    def __repr__(self): return "ml_dtypes." + self.name
def __getattr__(name):
    return _Missing(name)

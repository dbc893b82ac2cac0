# a stand-in for jax so Keras' numpy backend imports; models are built symbolically (shapes from each layer's
# compute_output_shape), never run, so no jax function is called
class _Missing:
    def __init__(self, name): self.name = name
    def __getattr__(self, n): return _Missing(self.name + "." + n)
    def __call__(self, *a, **k): raise RuntimeError("jax stand-in: " + self.name + " was called")
def __getattr__(name):
    return _Missing("jax." + name)

"""A pure-Python stand-in for optree's pytree API, as far as keras/src/tree/optree_impl.py uses it
(optree is not packaged in Debian). Nodes: list, tuple, namedtuple, dict (sorted keys), OrderedDict
(insertion order), None (unless none_is_leaf), and registered classes."""
import collections
from . import utils

_REGISTRY = {}

def register_pytree_node(cls, flatten_func, unflatten_func, namespace=""):
    _REGISTRY[cls] = (flatten_func, unflatten_func)
    return cls

def register_pytree_node_class(cls=None, namespace=""):
    def reg(c):
        _REGISTRY[c] = (lambda x: x.tree_flatten(), lambda meta, ch: c.tree_unflatten(meta, ch))
        return c
    return reg(cls) if cls is not None else reg

def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")

def _node(x, none_is_leaf):
    """(children, keys, rebuild) for an inner node, or None for a leaf."""
    if x is None:
        return None if none_is_leaf else ([], [], lambda ch: None)
    t = type(x)
    if t in _REGISTRY:
        f, u = _REGISTRY[t]
        out = f(x)
        children, meta = out[0], out[1]
        keys = list(out[2]) if len(out) > 2 and out[2] is not None else list(range(len(children)))
        return list(children), keys, lambda ch, meta=meta, u=u: u(meta, ch)
    if _is_namedtuple(x):
        return list(x), list(x._fields), lambda ch, t=t: t(*ch)
    if isinstance(x, tuple):
        return list(x), list(range(len(x))), lambda ch, t=t: tuple(ch) if t is tuple else t(ch)
    if isinstance(x, list):
        return list(x), list(range(len(x))), lambda ch, t=t: list(ch) if t is list else t(ch)
    if isinstance(x, collections.OrderedDict):
        keys = list(x.keys())
        return [x[k] for k in keys], keys, lambda ch, keys=keys, t=t: t(zip(keys, ch))
    if isinstance(x, collections.defaultdict):
        keys = sorted(x.keys())
        return [x[k] for k in keys], keys, lambda ch, keys=keys, x=x: collections.defaultdict(x.default_factory, zip(keys, ch))
    if isinstance(x, dict):
        try:
            keys = sorted(x.keys())
        except TypeError:
            keys = list(x.keys())
        return [x[k] for k in keys], keys, lambda ch, keys=keys, t=t: (dict if t is dict else t)(zip(keys, ch))
    return None

class PyTreeSpec:
    def __init__(self, kind, rebuild=None, children=(), none_is_leaf=False):
        self.kind = kind  # "leaf" or "node"
        self.rebuild = rebuild
        self.children = list(children)
        self.none_is_leaf = none_is_leaf
        self.num_leaves = 1 if kind == "leaf" else sum(c.num_leaves for c in self.children)
        self.num_nodes = 1 + sum(c.num_nodes for c in self.children)

    def unflatten(self, leaves):
        it = iter(leaves)
        out = self._build(it)
        return out

    def _build(self, it):
        if self.kind == "leaf":
            return next(it)
        return self.rebuild([c._build(it) for c in self.children])

def _flatten(x, is_leaf, none_is_leaf, leaves, paths, path):
    if is_leaf is not None and is_leaf(x):
        leaves.append(x); paths.append(path)
        return PyTreeSpec("leaf")
    n = _node(x, none_is_leaf)
    if n is None:
        leaves.append(x); paths.append(path)
        return PyTreeSpec("leaf")
    children, keys, rebuild = n
    specs = [_flatten(c, is_leaf, none_is_leaf, leaves, paths, path + (k,)) for c, k in zip(children, keys)]
    return PyTreeSpec("node", rebuild, specs, none_is_leaf)

def tree_flatten(tree, is_leaf=None, *, none_is_leaf=False, namespace=""):
    leaves, paths = [], []
    spec = _flatten(tree, is_leaf, none_is_leaf, leaves, paths, ())
    return leaves, spec

def tree_flatten_with_path(tree, is_leaf=None, *, none_is_leaf=False, namespace=""):
    leaves, paths = [], []
    spec = _flatten(tree, is_leaf, none_is_leaf, leaves, paths, ())
    return paths, leaves, spec

def tree_paths(tree, is_leaf=None, *, none_is_leaf=False, namespace=""):
    return tree_flatten_with_path(tree, is_leaf, none_is_leaf=none_is_leaf)[0]

def tree_unflatten(treespec, leaves):
    return treespec.unflatten(leaves)

def tree_leaves(tree, is_leaf=None, *, none_is_leaf=False, namespace=""):
    return tree_flatten(tree, is_leaf, none_is_leaf=none_is_leaf)[0]

def tree_structure(tree, is_leaf=None, *, none_is_leaf=False, namespace=""):
    return tree_flatten(tree, is_leaf, none_is_leaf=none_is_leaf)[1]

def tree_is_leaf(tree, is_leaf=None, *, none_is_leaf=False, namespace=""):
    if is_leaf is not None and is_leaf(tree):
        return True
    return _node(tree, none_is_leaf) is None

def _map(func, spec, trees, is_leaf, none_is_leaf):
    first = trees[0]
    if spec.kind == "leaf":
        return func(*trees)
    children_per_tree = []
    for t in trees:
        n = _node(t, none_is_leaf)
        if n is None:
            raise ValueError("Structures don't have the same nested structure.")
        children_per_tree.append(n[0])
    if any(len(c) != len(spec.children) for c in children_per_tree):
        raise ValueError("Structures don't have the same nested structure.")
    out = [_map(func, s, [c[i] for c in children_per_tree], is_leaf, none_is_leaf) for i, s in enumerate(spec.children)]
    return spec.rebuild(out)

def tree_map(func, tree, *rests, is_leaf=None, none_is_leaf=False, namespace=""):
    _, spec = tree_flatten(tree, is_leaf, none_is_leaf=none_is_leaf)
    if not rests:
        leaves, spec = tree_flatten(tree, is_leaf, none_is_leaf=none_is_leaf)
        return spec.unflatten([func(x) for x in leaves])
    return _map(func, spec, [tree] + list(rests), is_leaf, none_is_leaf)

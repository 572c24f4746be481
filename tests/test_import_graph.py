"""The layout stays as designed: the shared base imports no feature app, and nothing imports in circles.

Read from the source (ast), counting imports inside functions too: an import moved into a function
to dodge a cycle is still a cycle.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "portal"
FEATURE_APPS = ("news", "ratings", "feedback", "stats", "documents", "services", "pages", "polls", "search", "accounts")
PROJECT = "kimson_portal"
PACKAGES = (BASE, *FEATURE_APPS)


def _modules():
    """{module name: path} of every first-party module except migrations."""
    found = {}
    for package in (*PACKAGES, PROJECT):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(module, node):
    """The first-party modules an import node names (relative imports resolved)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".")
            if not MODULES[module].name == "__init__.py":
                package = package[:-1]
            package = package[: len(package) - node.level + 1]
            base = ".".join([*package, base] if base else package)
        names = [f"{base}.{alias.name}" for alias in node.names] + [base]
    found = set()
    for name in names:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name and name != module:
            found.add(name)
    return found


def _imports():
    """{module: (set of modules it imports, how many of those imports sit inside functions)}."""
    graph = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(), str(path))
        targets, inside = set(), 0
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                inside += sum(isinstance(child, ast.Import | ast.ImportFrom) for child in ast.walk(node))
            if isinstance(node, ast.Import | ast.ImportFrom):
                targets |= _resolve(module, node)
        graph[module] = (targets, inside)
    return graph


GRAPH = _imports()


def _cycles(edges):
    """Strongly connected components with more than one node (Tarjan), sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def _app(module):
    return module.split(".")[0]


def test_the_shared_base_imports_no_feature_app():
    wrong = {
        module: sorted(target for target in targets if _app(target) in FEATURE_APPS)
        for module, (targets, _) in GRAPH.items()
        if _app(module) == BASE
    }
    assert {module: targets for module, targets in wrong.items() if targets} == {}


def test_no_import_cycle_between_apps():
    edges = {}
    for module, (targets, _) in GRAPH.items():
        if _app(module) == PROJECT:
            continue  # the project package wires the apps together
        edges.setdefault(_app(module), set()).update(
            _app(target) for target in targets if _app(target) != _app(module) and _app(target) != PROJECT
        )
    assert _cycles(edges) == []


def test_no_import_cycle_inside_an_app():
    edges = {module: {t for t in targets if _app(t) == _app(module)} for module, (targets, _) in GRAPH.items()}
    assert _cycles(edges) == []


def test_imports_inside_functions_are_few():
    """Imports inside functions only where truly needed (app registry not ready, optional tools)."""
    inside = {module: count for module, (_, count) in GRAPH.items() if count}
    assert sum(inside.values()) <= 20, inside


def test_the_checks_see_a_cycle_when_there_is_one():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []

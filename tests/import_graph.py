"""The project's import graph, read from the source (``ast``), and the cycles in it.

Every import counts, wherever it is written: at the top of a module, inside a function (often how a
cycle is dodged: the import runs later, but the two modules still need each other), or under
``if TYPE_CHECKING:``. ``from package import name`` is an import of ``package.name`` when that is a
module, else of ``package``; relative imports are resolved. Importing ``a.b.c`` also runs ``a`` and
``a.b`` first, but that is not counted: a package's ``__init__`` that registers its own modules
(``adapters/cli/__init__.py``) is not a cycle, since Python runs the package first and then the
modules it names, which import their siblings, never the package.
"""

from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Edge:
    """``source`` imports ``target`` at ``line``; ``deferred`` when inside a function or TYPE_CHECKING."""

    source: str
    target: str
    line: int
    deferred: bool

    def __str__(self) -> str:
        where = "inside a function or TYPE_CHECKING" if self.deferred else "at module level"
        return f"{self.source} → {self.target} (line {self.line}, {where})"


def modules(root: Path, packages: tuple[str, ...]) -> dict[str, tuple[Path, bool]]:
    """Every module of ``packages`` under ``root``: its dotted name → (its file, whether it is a package)."""
    found: dict[str, tuple[Path, bool]] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            found[".".join(parts)] = (path, is_package)
    return found


class _Imports(ast.NodeVisitor):
    """Collects (module imported, line, deferred) for every import statement of one module."""

    def __init__(self, module: str, is_package: bool, known: set[str]) -> None:
        self.package = module if is_package else module.rpartition(".")[0]
        self.known = known
        self.found: list[tuple[str, int, bool]] = []
        self._depth = 0

    def _deferred(self, node: ast.AST) -> None:
        self._depth += 1
        self.generic_visit(node)
        self._depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _deferred

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
        if name == "TYPE_CHECKING":
            self._deferred(node)
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.found.append((alias.name, node.lineno, self._depth > 0))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            package = self.package
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{base}" if base else package
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            self.found.append((submodule if submodule in self.known else base, node.lineno, self._depth > 0))


def edges(root: Path, packages: tuple[str, ...]) -> list[Edge]:
    """Every import from one of the project's modules to another (not to itself), once per statement."""
    known = modules(root, packages)
    result: list[Edge] = []
    for module, (path, is_package) in known.items():
        visitor = _Imports(module, is_package, set(known))
        visitor.visit(ast.parse(path.read_text(), filename=str(path)))
        for target, line, deferred in dict.fromkeys(visitor.found):
            if target in known and target != module:
                result.append(Edge(module, target, line, deferred))
    return result


@dataclass(frozen=True)
class Cycle:
    """Modules that import each other, however indirectly, and the shortest loop of imports among them."""

    modules: frozenset[str]
    loop: tuple[Edge, ...]

    def __str__(self) -> str:
        steps = "\n    ".join(str(edge) for edge in self.loop)
        return f"{', '.join(sorted(self.modules))} import each other; for one:\n    {steps}"


def cycles(found: list[Edge]) -> list[Cycle]:
    """Each group of modules that import each other, however indirectly, with one shortest loop."""
    graph: dict[str, set[str]] = {}
    for edge in found:
        graph.setdefault(edge.source, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    return [
        Cycle(frozenset(group), tuple(_shortest_cycle(sorted(group)[0], group, found)))
        for group in _strongly_connected(graph)
        if len(group) > 1
    ]


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, without recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                groups.append(group)
    return groups


def _shortest_cycle(start: str, group: set[str], found: list[Edge]) -> list[Edge]:
    """The shortest path of imports from ``start`` back to itself, within ``group`` (breadth first)."""
    out: dict[str, list[Edge]] = {}
    for edge in found:
        if edge.source in group and edge.target in group:
            out.setdefault(edge.source, []).append(edge)
    came_by: dict[str, Edge] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for edge in sorted(out.get(node, []), key=lambda e: (e.target, e.line)):
            if edge.target == start:
                path = [edge]
                while path[0].source != start:
                    path.insert(0, came_by[path[0].source])
                return path
            if edge.target not in came_by:
                came_by[edge.target] = edge
                queue.append(edge.target)
    raise AssertionError(f"{start} is in a cycle but no path leads back to it")

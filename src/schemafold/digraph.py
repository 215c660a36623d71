"""A small directed graph: the few operations the planner and the file planner use.

Owns: ``DiGraph`` (nodes and edges in insertion order), ``ancestors``, ``find_cycle`` and
``lexicographical_topological_sort``, with the results networkx 3 gives for the same graph --
the same order, the same cycle -- so the output did not change when it replaced networkx, whose
import alone cost more than folding a small history.

Must not know: what the nodes mean.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from typing import Any

Node = Any  # keys, foreign-key nodes, file parts: anything hashable


class CycleError(Exception):
    """The graph has a cycle (no topological order exists)."""


class DiGraph:
    """Nodes and edges, each kept in the order first added."""

    __slots__ = ("_pred", "_succ")

    def __init__(self) -> None:
        self._succ: dict[Node, dict[Node, None]] = {}
        self._pred: dict[Node, dict[Node, None]] = {}

    def add_node(self, node: Node) -> None:
        if node not in self._succ:
            self._succ[node] = {}
            self._pred[node] = {}

    def add_nodes_from(self, nodes: Iterable[Node]) -> None:
        for node in nodes:
            self.add_node(node)

    def add_edge(self, before: Node, after: Node) -> None:
        self.add_node(before)
        self.add_node(after)
        self._succ[before][after] = None
        self._pred[after][before] = None

    def __contains__(self, node: object) -> bool:
        try:
            return node in self._succ
        except TypeError:
            return False

    def __iter__(self) -> Iterator[Node]:
        return iter(self._succ)

    def __len__(self) -> int:
        return len(self._succ)

    @property
    def nodes(self) -> list[Node]:
        return list(self._succ)

    @property
    def edges(self) -> list[tuple[Node, Node]]:
        return [(u, v) for u, after in self._succ.items() for v in after]

    def predecessors(self, node: Node) -> Iterator[Node]:
        return iter(self._pred[node])

    def successors(self, node: Node) -> Iterator[Node]:
        return iter(self._succ[node])

    def has_edge(self, before: Node, after: Node) -> bool:
        return before in self._succ and after in self._succ[before]


def ancestors(graph: DiGraph, node: Node) -> set[Node]:
    """Every node with a path to ``node`` (``node`` itself excluded)."""
    found: set[Node] = set()
    stack = [node]
    while stack:
        for before in graph._pred[stack.pop()]:
            if before not in found:
                found.add(before)
                stack.append(before)
    found.discard(node)
    return found


def _edge_dfs(graph: DiGraph, start: Node) -> Iterator[tuple[Node, Node]]:
    """Every edge reachable from ``start``, depth first (networkx's ``edge_dfs``)."""
    visited_edges: set[tuple[Node, Node]] = set()
    visited_nodes: set[Node] = set()
    pending: dict[Node, Iterator[Node]] = {}
    stack = [start]
    while stack:
        current = stack[-1]
        if current not in visited_nodes:
            pending[current] = iter(graph._succ[current])
            visited_nodes.add(current)
        head = next(pending[current], _END)
        if head is _END:
            stack.pop()
            continue
        edge = (current, head)
        if edge not in visited_edges:
            visited_edges.add(edge)
            stack.append(head)
            yield edge


_END: Any = object()


def find_cycle(graph: DiGraph) -> list[tuple[Node, Node]] | None:
    """The edges of a cycle, found depth first from the nodes in order; None when there is none
    (the cycle networkx's ``find_cycle`` reports)."""
    explored: set[Node] = set()
    for start in graph:
        if start in explored:
            continue
        edges: list[tuple[Node, Node]] = []
        seen = {start}
        active = {start}
        previous_head: Node | None = None
        final: Node | None = None
        for tail, head in _edge_dfs(graph, start):
            if head in explored:
                continue
            if previous_head is not None and tail != previous_head:
                while True:  # backtracking: back to the edge whose head is this tail
                    if not edges:
                        active = {tail}
                        break
                    active.remove(edges.pop()[1])
                    if edges and edges[-1][1] == tail:
                        break
            edges.append((tail, head))
            if head in active:
                final = head
                break
            seen.add(head)
            active.add(head)
            previous_head = head
        if final is not None:
            for i, (tail, _) in enumerate(edges):
                if tail == final:
                    return edges[i:]
            return edges
        explored.update(seen)
    return None


def lexicographical_topological_sort(
    graph: DiGraph, key: Callable[[Any], Any]
) -> list[Node]:
    """The nodes, each after its predecessors; among the ready ones the least ``key`` first,
    then the first added. Raises :class:`CycleError` when the graph has a cycle."""
    order = {node: i for i, node in enumerate(graph._succ)}
    indegree = {node: len(before) for node, before in graph._pred.items() if before}
    ready = [(key(node), order[node], node) for node, before in graph._pred.items()
             if not before]
    heapq.heapify(ready)
    out: list[Node] = []
    while ready:
        node = heapq.heappop(ready)[2]
        for child in graph._succ[node]:
            left = indegree[child] - 1
            if left:
                indegree[child] = left
            else:
                del indegree[child]
                heapq.heappush(ready, (key(child), order[child], child))
        out.append(node)
    if indegree:
        raise CycleError("the graph has a cycle")
    return out

"""schemafold.digraph gives what networkx gives for the same graph: the order, the cycle, the
ancestors (the output of squash did not change when it replaced networkx)."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from schemafold.digraph import (
    CycleError,
    DiGraph,
    ancestors,
    find_cycle,
    lexicographical_topological_sort,
)


def graphs(acyclic: bool) -> list[tuple[DiGraph, nx.DiGraph]]:
    out = []
    for seed in range(300):
        draw = random.Random(seed)
        nodes = [f"n{draw.randrange(40)}" for _ in range(draw.randrange(1, 30))]
        ours, theirs = DiGraph(), nx.DiGraph()
        for _ in range(draw.randrange(0, 60)):
            if draw.random() < 0.2:
                node = draw.choice(nodes)
                ours.add_node(node)
                theirs.add_node(node)
                continue
            a, b = draw.choice(nodes), draw.choice(nodes)
            if acyclic and not a < b:
                continue
            ours.add_edge(a, b)
            theirs.add_edge(a, b)
        out.append((ours, theirs))
    return out


@pytest.mark.parametrize("acyclic", [True, False])
def test_same_results_as_networkx(acyclic: bool) -> None:
    def key(node: str) -> tuple[int, str]:
        return (int(node[1:]) % 7, "")  # ties, so the order of addition decides

    for ours, theirs in graphs(acyclic):
        assert list(ours) == list(theirs)
        assert ours.edges == list(theirs.edges)
        try:
            expected = find_cycle_nx(theirs)
        except nx.NetworkXNoCycle:
            expected = None
        assert find_cycle(ours) == expected
        if expected is None:
            assert lexicographical_topological_sort(ours, key=key) == list(
                nx.lexicographical_topological_sort(theirs, key=key))
        else:
            with pytest.raises(CycleError):
                lexicographical_topological_sort(ours, key=key)
        for node in ours:
            assert ancestors(ours, node) == nx.ancestors(theirs, node)
            assert list(ours.predecessors(node)) == list(theirs.predecessors(node))
            assert list(ours.successors(node)) == list(theirs.successors(node))


def find_cycle_nx(graph: nx.DiGraph) -> list[tuple[str, str]]:
    return list(nx.find_cycle(graph))

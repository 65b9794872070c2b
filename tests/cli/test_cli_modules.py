"""The verbs' modules import the shared helpers (scl_tui.cli.common), never the root
group that registers them by name: no circle of modules (issue #15)."""

from __future__ import annotations

import grimp

from scl_tui.cli import cli


def test_no_module_of_a_registered_verb_imports_the_root_group_back():
    graph = grimp.build_graph("scl_tui", cache_dir=None)
    root = cli.callback.__module__  # where the root group is defined
    modules = {target.partition(":")[0] for target in cli.lazy_commands.values()}
    chains = {
        module: graph.find_shortest_chain(importer=module, imported=root) for module in modules
    }
    assert {module: chain for module, chain in chains.items() if chain} == {}

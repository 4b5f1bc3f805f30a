"""Reading PostgreSQL's plans (EXPLAIN (FORMAT JSON)) in tests."""


def nested_loops(node: dict, *, tables_only: bool = False) -> list[str]:
    """What each nested loop of a plan reads once per row of its outer side: the relation of
    its inner side, or that side's node type when it reads none (a function scan: an action's
    structure codes unnested per row), left out with `tables_only`."""
    found = []
    children = node.get("Plans", [])
    if node["Node Type"] == "Nested Loop":
        inner = children[1]
        while "Relation Name" not in inner and inner.get("Plans"):
            inner = inner["Plans"][0]
        if "Relation Name" in inner or not tables_only:
            found.append(inner.get("Relation Name", inner["Node Type"]))
    for child in children:
        found += nested_loops(child, tables_only=tables_only)
    return found

#!/usr/bin/python3
"""Fails if the agent's source files call each other in a circle.

Reads the built objects (build/**/*.o) with nm: a file depends on another when it uses a symbol the other defines
(a call, or a global it reads). A cycle among files is a module boundary crossed both ways; a callee that must
reach back to its caller takes a callback instead (which nm does not see as a dependency of the callee)."""
import pathlib
import subprocess
import sys


def symbols(obj):
    out = subprocess.run(["nm", "--defined-only", "-g", str(obj)], capture_output=True, text=True, check=True).stdout
    defined = {line.split()[-1] for line in out.splitlines() if line.strip()}
    out = subprocess.run(["nm", "-u", str(obj)], capture_output=True, text=True, check=True).stdout
    used = {line.split()[-1] for line in out.splitlines() if line.strip()}
    return defined, used


def cycles(graph):
    """Strongly connected components with more than one file (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def main(build):
    objects = sorted(p for p in pathlib.Path(build).rglob("*.o") if p.name not in ("jail_init_image.o", "bootstraps.o"))
    if not objects:
        print(f"call_cycles: no objects under {build}: build the agent first", file=sys.stderr)
        return 2
    name = {o: str(o.relative_to(build).with_suffix(".c")) for o in objects}
    owner, uses = {}, {}
    for o in objects:
        defined, used = symbols(o)
        for s in defined:
            owner[s] = name[o]
        uses[name[o]] = used
    graph = {f: sorted({owner[s] for s in used if s in owner and owner[s] != f}) for f, used in uses.items()}
    found = cycles(graph)
    for component in found:
        calls = [f"{a} -> {b}" for a in component for b in graph[a] if b in component]
        print("call cycle among " + ", ".join(component) + ": " + "; ".join(calls))
    if not found:
        print(f"call_cycles: no cycle among {len(graph)} files")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build"))

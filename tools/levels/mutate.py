#!/usr/bin/env python3
"""Mutants of a Python source, for measuring how strong a level's test cases are.

Reads Python source on stdin; prints a JSON array of mutants on stdout:
    [{"operator": "...", "line": N, "description": "...", "source": "..."}, ...]
Exit 2 (message on stderr) when the input is not valid Python.

Operators (docs/levels.md, "Authoring checks"):
    compare         <-><=, >->=, ==-!=, <->>           (each operator of a comparison)
    int_const       integer constant +1 / -1            (bool constants excluded)
    range_bound     each argument of range(...) +1 / -1
    if_swap         if/else bodies swapped (if with an else; also `a if c else b`)
    if_negate       if test negated (if without an else)
    drop_statement  a statement replaced by `pass`, in bodies of more than one statement
                    (bare constant expressions such as docstrings are never dropped)
    return_param    `return <expr>` -> `return <first parameter>` (methods: first after self/cls)
    arith           + <-> -, * -> // and /, // -> *, / -> *   (binary and augmented assignment)
    bool_op         and <-> or
    bool_const      True <-> False
Mutants are unique (by ast.dump of the re-parsed source), differ from the original, compile, and come
out in a fixed order (by line; within a line, tree traversal order). Self-contained: stdlib only, no file
access, so it can be embedded and run inside a sandbox.
"""
import ast
import copy
import json
import sys

COMPARE_SWAPS = {
    ast.Lt: (ast.LtE, ast.Gt), ast.LtE: (ast.Lt,), ast.Gt: (ast.GtE, ast.Lt), ast.GtE: (ast.Gt,),
    ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,),
}
ARITH_SWAPS = {
    ast.Add: (ast.Sub,), ast.Sub: (ast.Add,), ast.Mult: (ast.FloorDiv, ast.Div),
    ast.FloorDiv: (ast.Mult,), ast.Div: (ast.Mult,),
}
OP_TEXT = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.FloorDiv: "//", ast.Div: "/",
    ast.And: "and", ast.Or: "or",
}
STMT_LIST_FIELDS = ("body", "orelse", "finalbody")


def snippet(node, limit=60):
    """Short one-line source text of a node, for descriptions."""
    try:
        text = " ".join(ast.unparse(node).split())
    except Exception:  # noqa: BLE001 - a description must never stop the run
        text = type(node).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def const_plus(node, delta):
    """node + delta, folded into an integer constant when node is one or ends in `+/- constant`."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return ast.Constant(node.value + delta)
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant) and type(node.operand.value) is int):
        return ast.UnaryOp(ast.USub(), ast.Constant(node.operand.value - delta))
    if (isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub))
            and isinstance(node.right, ast.Constant) and type(node.right.value) is int):
        sign = 1 if isinstance(node.op, ast.Add) else -1
        return ast.BinOp(node.left, node.op, ast.Constant(node.right.value + sign * delta))
    return ast.BinOp(node, ast.Add() if delta > 0 else ast.Sub(), ast.Constant(abs(delta)))


def negate(test):
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return test.operand
    return ast.UnaryOp(ast.Not(), test)


def first_params(tree):
    """id(Return node) -> name of the parameter a `return_param` mutant returns (or None)."""
    result = {}

    def visit(node, param, in_class):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = [a.arg for a in child.args.posonlyargs + child.args.args]
                is_method = in_class and not any(
                    isinstance(d, ast.Name) and d.id == "staticmethod" for d in child.decorator_list)
                if is_method and names:
                    names = names[1:]
                visit(child, names[0] if names else None, False)
            elif isinstance(child, ast.ClassDef):
                visit(child, None, True)
            elif isinstance(child, ast.Lambda):
                visit(child, None, False)
            else:
                if isinstance(child, ast.Return):
                    result[id(child)] = param
                visit(child, param, False)

    visit(tree, None, False)
    return result


def points(tree):
    """Yield (node_index, operator, line, description, edit) for every mutation point.

    edit(node) changes the node with that index (in ast.walk order) in place."""
    nodes = list(ast.walk(tree))
    params = first_params(tree)
    for index, node in enumerate(nodes):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare):
            for k, op in enumerate(node.ops):
                for new in COMPARE_SWAPS.get(type(op), ()):
                    def edit(n, k=k, new=new):
                        n.ops[k] = new()
                    yield (index, "compare", line,
                           f"`{OP_TEXT[type(op)]}` -> `{OP_TEXT[new]}` in `{snippet(node)}`", edit)
        elif isinstance(node, ast.Constant) and type(node.value) is bool:
            def edit(n):
                n.value = not n.value
            yield index, "bool_const", line, f"`{node.value}` -> `{not node.value}`", edit
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            for delta in (1, -1):
                def edit(n, delta=delta):
                    n.value = n.value + delta
                yield index, "int_const", line, f"`{node.value}` -> `{node.value + delta}`", edit
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id == "range"):
            for k, arg in enumerate(node.args):
                if isinstance(arg, ast.Starred):
                    continue
                for delta in (1, -1):
                    def edit(n, k=k, delta=delta):
                        n.args[k] = const_plus(n.args[k], delta)
                    new = snippet(const_plus(copy.deepcopy(arg), delta))
                    yield (index, "range_bound", line,
                           f"range argument {k + 1} `{snippet(arg)}` -> `{new}`", edit)
        elif isinstance(node, ast.If):
            if node.orelse:
                def edit(n):
                    n.body, n.orelse = n.orelse, n.body
                yield index, "if_swap", line, f"if/else bodies swapped in `if {snippet(node.test)}`", edit
            else:
                def edit(n):
                    n.test = negate(n.test)
                yield index, "if_negate", line, f"`if {snippet(node.test)}` negated", edit
        elif isinstance(node, ast.IfExp):
            def edit(n):
                n.body, n.orelse = n.orelse, n.body
            yield index, "if_swap", line, f"branches swapped in `{snippet(node)}`", edit
        elif isinstance(node, (ast.BinOp, ast.AugAssign)):
            for new in ARITH_SWAPS.get(type(node.op), ()):
                def edit(n, new=new):
                    n.op = new()
                yield (index, "arith", line,
                       f"`{OP_TEXT[type(node.op)]}` -> `{OP_TEXT[new]}` in `{snippet(node)}`", edit)
        elif isinstance(node, ast.BoolOp):
            new = ast.Or if isinstance(node.op, ast.And) else ast.And
            def edit(n, new=new):
                n.op = new()
            yield (index, "bool_op", line,
                   f"`{OP_TEXT[type(node.op)]}` -> `{OP_TEXT[new]}` in `{snippet(node)}`", edit)
        elif isinstance(node, ast.Return) and node.value is not None and params.get(id(node)):
            name = params[id(node)]
            def edit(n, name=name):
                n.value = ast.Name(name, ast.Load())
            yield index, "return_param", line, f"`return {snippet(node.value)}` -> `return {name}`", edit
        for field in STMT_LIST_FIELDS:
            body = getattr(node, field, None)
            if not isinstance(body, list) or len(body) < 2:
                continue
            for k, stmt in enumerate(body):
                if isinstance(stmt, ast.Pass) or (
                        isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)):
                    continue
                def edit(n, field=field, k=k):
                    getattr(n, field)[k] = ast.Pass()
                yield (index, "drop_statement", getattr(stmt, "lineno", line),
                       f"statement dropped: `{snippet(stmt)}`", edit)


def mutants(source):
    """The list of mutant dicts for a source (raises SyntaxError/ValueError on invalid input)."""
    tree = ast.parse(source)
    original = ast.dump(tree)
    seen = {original}
    out = []
    nodes = list(ast.walk(tree))
    for index, operator, line, description, edit in points(tree):
        node = nodes[index]
        saved = {f: list(v) if isinstance(v, list) else v for f, v in ast.iter_fields(node)}
        try:
            edit(node)  # in place; every edit only replaces this node's own fields or list items
            ast.fix_missing_locations(node)
            text = ast.unparse(tree)
            reparsed = ast.parse(text)
            key = ast.dump(reparsed)
            compile(reparsed, "<mutant>", "exec")
        except (SyntaxError, ValueError, TypeError, RecursionError, MemoryError, AttributeError):
            continue
        finally:
            for field, value in saved.items():
                setattr(node, field, value)
        if key in seen:
            continue
        seen.add(key)
        out.append({"operator": operator, "line": line, "description": description,
                    "source": text + "\n"})
    out.sort(key=lambda m: m["line"])  # stable: traversal order within a line
    return out


def main(argv):
    if len(argv) > 1:
        print("usage: mutate.py < source.py > mutants.json", file=sys.stderr)
        return 2
    source = sys.stdin.buffer.read()
    try:
        text = source.decode("utf-8-sig")
        ast.parse(text)
    except (SyntaxError, ValueError, UnicodeDecodeError) as err:
        print(f"mutate.py: not valid Python: {err}", file=sys.stderr)
        return 2
    except (RecursionError, MemoryError):
        print("mutate.py: source too deeply nested to mutate", file=sys.stderr)
        return 2
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    json.dump(mutants(text), sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

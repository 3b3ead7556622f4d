#!/usr/bin/env python3
"""Checks spanlog's sources against the layer table (layers.txt at the project root).

Every `#include "..."` of a file under a layer's folder must name a file of its own layer
or of a layer the table lets it include; a function or variable of another file declared
by hand (a prototype or an `extern` in a .c file) counts as an include of that file, and
so does any use of a function or variable that a file of another layer defines (reached
through a public header, say). The
modules (x.c with x.h) must not include each other in a circle, within a layer or across.

Usage: check_layers.py [ROOT]        checks the tree at ROOT (default: this file's project)
       check_layers.py --self-test   proves the checker fails on an upward include, on a
                                      hand-written declaration and on a cycle
Prints one line per violation, "file:line: what", and exits 1 if there is any."""

import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
# A function defined at file scope, in this code base's style: the name and its opening
# parenthesis on a line that starts at column 0 and is not static.
DEFINITION = re.compile(r'^(?!static\b)(?!typedef\b)[A-Za-z_][\w \t\*]*?\b([A-Za-z_]\w*)\s*\([^;]*$')
# A variable defined at file scope, not static and not extern.
VARIABLE = re.compile(r'^(?!static\b)(?!typedef\b)(?!extern\b)(?!_Static_assert)[A-Za-z_][\w \t\*]*?\b([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*(?:=|;)')
IDENT = re.compile(r'\b[A-Za-z_]\w*\b')
# A declaration by hand in a .c file: a prototype or an extern, at column 0, ending in ';'.
DECLARATION = re.compile(r'^(?!static\b)(?!typedef\b)(?:extern\s+)?[A-Za-z_][\w \t\*]*?\b([A-Za-z_]\w*)\s*(\([^{]*\))?\s*;')


def read_table(root):
    layers, order = {}, []
    with open(os.path.join(root, 'layers.txt')) as f:
        for line in f:
            words = line.split('#', 1)[0].split()
            if not words:
                continue
            name, folder, allowed = words[0], words[1].rstrip('/'), set(words[2:])
            layers[name] = (folder, allowed)
            order.append(name)
    for name, (_, allowed) in layers.items():
        unknown = allowed - set(layers)
        if unknown:
            sys.exit(f'layers.txt: layer {name} names unknown layers {sorted(unknown)}')
    return layers, order


def layer_of(path, layers):
    for name, (folder, _) in layers.items():
        if path == folder or path.startswith(folder + '/'):
            return name
    return None


def sources(root, layers):
    for folder, _ in layers.values():
        top = os.path.join(root, folder)
        for dirpath, _, names in os.walk(top):
            for n in sorted(names):
                if n.endswith(('.c', '.h')):
                    yield os.path.relpath(os.path.join(dirpath, n), root)


def resolve(root, including, target):
    """The project file an #include "target" of `including` reads, as the build finds it
    (the including file's folder, then src/ and the project root), or None."""
    for base in (os.path.dirname(including), 'src', '.'):
        candidate = os.path.normpath(os.path.join(base, target))
        if os.path.isfile(os.path.join(root, candidate)):
            return candidate
    return None


def module(path):
    return os.path.splitext(path)[0]


def strip_comments(text):
    """Blanks comments and string literals, keeping line numbers."""
    def blank(m):
        return re.sub(r'[^\n]', ' ', m.group(0))
    return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"', blank, text, flags=re.S)


def definitions(root, files):
    """name -> file of every non-static function defined in files."""
    where = {}
    for path in files:
        if not path.endswith('.c'):
            continue
        with open(os.path.join(root, path), errors='replace') as f:
            text = strip_comments(f.read())
        depth = 0
        for line in text.splitlines():
            if depth == 0:
                m = DEFINITION.match(line)
                if m and not line.rstrip().endswith(';'):
                    where.setdefault(m.group(1), path)
                elif not line.startswith('#'):
                    v = VARIABLE.match(line)
                    if v and '(' not in line.split('=')[0]:
                        where.setdefault(v.group(1), path)
            depth += line.count('{') - line.count('}')
    return where


def edges(root, files, defined):
    """(from file, line, to file, how) for every include and hand-written declaration."""
    for path in files:
        with open(os.path.join(root, path), errors='replace') as f:
            raw = f.read()
        for no, line in enumerate(raw.splitlines(), 1):
            m = INCLUDE.match(line)
            if m:
                target = resolve(root, path, m.group(1))
                if target:
                    yield path, no, target, f'#include "{m.group(1)}"'
        if not path.endswith('.c'):
            continue
        depth = 0
        for no, line in enumerate(strip_comments(raw).splitlines(), 1):
            if line.startswith('#'):
                continue
            m = DECLARATION.match(line) if depth == 0 else None
            if m and m.group(1) in defined and module(defined[m.group(1)]) != module(path):
                yield path, no, defined[m.group(1)], f'declares {m.group(1)} by hand'
            elif depth > 0 or not m:
                for name in set(IDENT.findall(line)):
                    if name in defined and module(defined[name]) != module(path):
                        yield path, no, defined[name], f'uses {name}'
            depth += line.count('{') - line.count('}')


def find_cycle(graph):
    """One cycle of the module graph as a list of modules, or None."""
    state, stack = {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def check(root):
    layers, _ = read_table(root)
    files = list(sources(root, layers))
    defined = definitions(root, files)
    problems, graph, where = [], {}, {}
    for src, line, dst, how in edges(root, files, defined):
        a, b = layer_of(src, layers), layer_of(dst, layers)
        if b is None:
            continue  # tests' helpers, generated files: not part of the layering
        if a != b and b not in layers[a][1]:
            problems.append(f'{src}:{line}: {how}: layer {a} may not include layer {b} ({dst})')
        ma, mb = module(src), module(dst)
        # A use is judged by direction only: the include that made the name visible is
        # what joins the two in the module graph.
        if ma != mb and not how.startswith('uses'):
            graph.setdefault(ma, set()).add(mb)
            where.setdefault((ma, mb), f'{src}:{line}')
    cycle = find_cycle(graph)
    if cycle:
        steps = ' -> '.join(cycle)
        links = ', '.join(where[(x, y)] for x, y in zip(cycle, cycle[1:]))
        problems.append(f'include cycle: {steps} (at {links})')
    return problems, len(files)


def write(root, path, text):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, 'w') as f:
        f.write(text)


def self_test():
    """The checker must fail on each kind of violation it exists for."""
    table = 'top src/top low\nlow src/low\n'
    cases = {
        'upward include': {'src/low/a.c': '#include "top/b.h"\n', 'src/top/b.h': ''},
        'declaration by hand': {'src/low/a.c': 'void top_fn(void);\n',
                                'src/top/b.c': 'void top_fn(void) {\n}\n'},
        'use of an upper function': {'src/low/a.c': 'int f(void) { return top_fn(); }\n',
                                     'src/top/b.c': 'int top_fn(void) {\n  return 1;\n}\n'},
        'cycle': {'src/low/a.c': '#include "low/b.h"\n', 'src/low/a.h': '',
                  'src/low/b.c': '#include "low/a.h"\n', 'src/low/b.h': ''},
    }
    clean = {'src/top/b.c': '#include "low/a.h"\nvoid low_fn(void);\n',
             'src/low/a.h': '', 'src/low/a.c': 'void low_fn(void) {\n}\n'}
    ok = True
    for name, files in list(cases.items()) + [('clean tree', clean)]:
        with tempfile.TemporaryDirectory() as root:
            write(root, 'layers.txt', table)
            for path, text in files.items():
                write(root, path, text)
            problems, _ = check(root)
            want_fail = name != 'clean tree'
            if bool(problems) != want_fail:
                print(f'self-test {name}: expected {"a violation" if want_fail else "none"}, got {problems}')
                ok = False
            else:
                print(f'self-test {name}: {problems[0] if problems else "clean"}')
    return 0 if ok else 1


def main():
    if sys.argv[1:] == ['--self-test']:
        return self_test()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..')
    problems, nfiles = check(os.path.abspath(root))
    for p in problems:
        print(p)
    print(f'{nfiles} files checked, {len(problems)} violations')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())

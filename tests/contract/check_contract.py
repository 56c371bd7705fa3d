#!/usr/bin/python3
"""The contract test: every copy of a run status, a language, a limit or a retry delay agrees with its source.

The contract crosses three languages (the agent in C, the service in Java with its SQL schema and OpenAPI document,
the SDK in JavaScript) and their documents, so some values are written more than once. This script reads each copy
from the real files, never from a list kept here, and fails naming the file and the difference when one disagrees.
Definitions are found by their content, not their path (a Java class or a C declaration may move between files):
`enum RunStatus` wherever it is, `enum run_status` in whichever kata-agent source declares it.

Sources, by topic (the first one named is the reference the others are compared with):
- statuses: kata-agent/PROTOCOL.md's status table; C `enum run_status` and its wire names (`[ST_X] = "x"`); Java
  `enum RunStatus` (wire name = lower-case constant, see WireNames). Runs that started (billed): PROTOCOL.md's
  precedence line, Java `RunStatus.started()`, the SQL CHECK on usage_record.status (newest migration that sets it),
  the SDK's `ExecutionStatus`, the README and SDK README lists. The OpenAPI enum of ExecutionResponse.status (MicroProfile
  OpenAPI annotations; the document is generated from them at run time) = those plus the statuses the service
  answers itself (string literals in ExecutionResponse, e.g. "infra_error" for a 503).
- languages: PROTOCOL.md, C `enum language` and its name tables, Java `enum Language`, the SQL CHECK, the OpenAPI
  enum of ExecutionRequest.language, the SDK's `Language`, the README.
- limits: the agent's defaults in C (KA_DEFAULT_*, KA_MAX_*) against PROTOCOL.md's request example, the READMEs, the
  SDK's types and README, the Java constant and OpenAPI texts (code size, request body), the timeout exit code.
- retry delays: every Java `static final int *RETRY*` constant (busy / unavailable), documented in the README;
  the SDK must wait at least as long as the service asks.
- the network hand-shake: the agent's `AUTH_*` defines and labels (kata-agent/src/auth.*) against the service's
  (AgentHandshake, AgentSecret) and PROTOCOL.md's "Authentication" section (greeting, labels, sizes, deadline).

Run: /usr/bin/python3 tests/contract/check_contract.py [-v] (or `make test-contract`); -v prints every comparison. Python 3 standard library only.
"""
import ast
import operator
import pathlib
import re
import sys
import typing

ROOT = pathlib.Path(__file__).resolve().parents[2]
VERBOSE = "-v" in sys.argv[1:]  # print every comparison

SIZE = r"(\d[\d_,]*(?:\.\d+)?)\s*(?:UTF-8\s+)?(bytes?|KiB|KB|MiB|MB)\b"
UNITS = {"byte": 1, "bytes": 1, "KB": 1024, "KiB": 1024, "MB": 1 << 20, "MiB": 1 << 20}


class Unreadable(Exception):
    """A copy could not be found or parsed: the test fails rather than skip it."""


# ---- reading files -------------------------------------------------------------------------------------------------

def rel(path):
    return str(path.relative_to(ROOT))


def read(path):
    return (ROOT / path).read_text(encoding="utf-8")


def files(under, *suffixes):
    return sorted(p for p in (ROOT / under).rglob("*")
                  if p.is_file() and p.name.endswith(suffixes) and "node_modules" not in p.parts)


COMMENT_OR_STRING = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S)


def strip_comments(code):
    """C, Java and JavaScript source without comments (string literals kept)."""
    return COMMENT_OR_STRING.sub(lambda m: m.group(0) if m.group(0)[0] in "\"'" else " ", code)


def find_source(paths, pattern, what):
    """The one file among paths whose code (comments stripped) matches pattern: (path, code, match)."""
    hits = []
    for path in paths:
        code = strip_comments(path.read_text(encoding="utf-8"))
        match = re.search(pattern, code, re.S)
        if match:
            hits.append((path, code, match))
    if len(hits) != 1:
        where = ", ".join(rel(h[0]) for h in hits) or "no file"
        raise Unreadable(f"{what}: expected exactly one definition, found {where}")
    return hits[0]


def java_main():
    return files("src/main/java", ".java")


def agent_sources():
    return files("kata-agent/src", ".c", ".h")


# ---- values --------------------------------------------------------------------------------------------------------

OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.FloorDiv: operator.floordiv,
       ast.LShift: operator.lshift}


def int_expr(text):
    """An integer constant expression as C or Java writes it: 102_400, (256LL * 1024 * 1024), 1 << 20."""
    text = re.sub(r"(?<=\d)_(?=\d)", "", text)
    text = re.sub(r"(\d+)(?:[uU]?[lL]{1,2}|[lL]{0,2}[uU])\b", r"\1", text).replace("/", "//")

    def value(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in OPS:
            return OPS[type(node.op)](value(node.left), value(node.right))
        raise Unreadable(f"not an integer constant expression: {text.strip()}")

    try:
        return value(ast.parse(text.strip(), mode="eval").body)
    except SyntaxError:
        raise Unreadable(f"not an integer constant expression: {text.strip()}") from None


def size(number, unit):
    amount = float(number.replace(",", "").replace("_", "")) * UNITS[unit]
    return int(amount) if amount == int(amount) else amount


class Found(typing.NamedTuple):
    line: int
    value: object


def mentions(path, pattern, convert, at_least=1):
    """Every value pattern finds in a document, with its line; at least at_least (a copy that vanished is reported)."""
    text = read(path)
    found = [Found(text.count("\n", 0, m.start()) + 1, convert(*m.groups())) for m in re.finditer(pattern, text, re.S)]
    if len(found) < at_least:
        raise Unreadable(f"{path}: no mention found for /{pattern}/ (reworded? update tests/contract)")
    return found


def c_define(name):
    path, code, match = find_source(agent_sources(), rf"#\s*define\s+{name}\s+([^\n]+)", f"#define {name}")
    return rel(path), int_expr(match.group(1))


def string_literals(text):
    return re.findall(r'"((?:\\.|[^"\\\n])*)"', text)


def quoted(text):
    """The names in "python" | "javascript", 'completed' | 'failed', ('python', 'javascript'), `a`, `b`."""
    return re.findall(r"[\"'`]([A-Za-z_][\w-]*)[\"'`]", text)


# ---- Java annotations ----------------------------------------------------------------------------------------------

def balanced(code, open_at):
    """Index just past the parenthesis that closes the one at open_at (string literals skipped)."""
    depth, i = 0, open_at
    while i < len(code):
        if code[i] == '"':
            i = re.compile(r'"(?:\\.|[^"\\\n])*"').match(code, i).end()
            continue
        depth += {"(": 1, ")": -1}.get(code[i], 0)
        i += 1
        if depth == 0:
            return i
    raise Unreadable("unbalanced parentheses")


def schema_of(code, member):
    """The arguments of the @Schema annotating a record component or field named member."""
    for match in re.finditer(r"@Schema\s*\(", code):
        end = balanced(code, match.end() - 1)
        rest = re.match(r"(?:\s*@\w+(?:\s*\([^)]*\))?)*\s*[\w.<>]+\s+(\w+)\b", code[end:])
        if rest and rest.group(1) == member:
            return code[match.end():end - 1]
    raise Unreadable(f"no @Schema on {member}")


def schema_enumeration(code, member):
    match = re.search(r"enumeration\s*=\s*\{([^}]*)\}", schema_of(code, member))
    if not match:
        raise Unreadable(f"@Schema of {member} has no enumeration")
    return quoted(match.group(1))


def java_enum(name):
    path, code, match = find_source(java_main(), rf"\benum\s+{name}\s*\{{\s*([A-Z0-9_,\s]*?)\s*[;}}]",
                                    f"Java enum {name}")
    if "WireNames.of(this)" not in code:
        raise Unreadable(f"{rel(path)}: {name}'s wire names are no longer WireNames.of(this)")
    return path, code, [c.strip().lower() for c in match.group(1).split(",") if c.strip()]


def check_wire_names_are_lower_case():
    path, code, _ = find_source(java_main(), r"\bclass\s+WireNames\b", "class WireNames")
    if not re.search(r"\bname\(\)\s*\.\s*toLowerCase\s*\(", code):
        raise Unreadable(f"{rel(path)}: WireNames.of no longer lower-cases the constant's name")


# ---- the comparison ------------------------------------------------------------------------------------------------

class Report:
    def __init__(self):
        self.failures = []
        self.passed = 0

    def run(self, topic, check):
        before = len(self.failures)
        try:
            check(lambda where, value, ref_where, ref_value: self.compare(topic, where, value, ref_where, ref_value))
        except (Unreadable, OSError) as e:
            self.failures.append(f"{topic}: {e}")
        if len(self.failures) == before:
            self.passed += 1
            print(f"ok   {topic}")
        else:
            for failure in self.failures[before:]:
                print(f"FAIL {failure}")

    def compare(self, topic, where, value, ref_where, ref_value):
        if VERBOSE:
            print(f"     {where}: {value!r}  vs  {ref_where}: {ref_value!r}")
        if isinstance(ref_value, (set, list)):
            value, ref_value = list(value), list(ref_value)
            if len(set(value)) != len(value):
                dups = sorted({v for v in value if value.count(v) > 1})
                self.failures.append(f"{topic}: {where} lists {', '.join(dups)} twice")
            missing = [v for v in ref_value if v not in value]
            extra = [v for v in value if v not in ref_value]
            if missing or extra:
                diff = "; ".join(part for part in (
                    missing and "missing " + ", ".join(missing), extra and "extra " + ", ".join(extra)) if part)
                self.failures.append(f"{topic}: {where} disagrees with {ref_where}: {diff}"
                                     f" (has {', '.join(value)}; expected {', '.join(ref_value)})")
        elif value != ref_value:
            self.failures.append(f"{topic}: {where} says {value}, {ref_where} says {ref_value}")


# ---- statuses ------------------------------------------------------------------------------------------------------

PROTOCOL = "kata-agent/PROTOCOL.md"


def protocol_table():
    """PROTOCOL.md's status table: {status: {column: cell}} in its order."""
    lines = read(PROTOCOL).splitlines()
    for i, line in enumerate(lines):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("|") and cells[0] == "status":
            rows = {}
            for row in lines[i + 2:]:
                if not row.lstrip().startswith("|"):
                    break
                values = [c.strip() for c in row.strip().strip("|").split("|")]
                rows[values[0].strip("`")] = dict(zip(cells, values))
            return rows
    raise Unreadable(f"{PROTOCOL}: no table with a 'status' column")


def protocol_statuses():
    return list(protocol_table())


def protocol_started():
    match = re.search(r"Precedence[^:]*:(.*?)\.(?:\s|$)", read(PROTOCOL), re.S)
    if not match:
        raise Unreadable(f"{PROTOCOL}: no 'Precedence ...:' line")
    return quoted(match.group(1))


def check_statuses(same):
    ref = f"{PROTOCOL} (status table)"
    statuses = protocol_statuses()

    path, code, match = find_source(agent_sources(), r"\benum\s+run_status\s*\{([^}]*)\}", "C enum run_status")
    members = [m.split("=")[0].strip() for m in match.group(1).split(",") if m.strip()]
    same(f"{rel(path)} (enum run_status)", [m.removeprefix("ST_").lower() for m in members], ref, statuses)

    names = {}
    for path in agent_sources():
        for member, name in re.findall(r"\[\s*(ST_\w+)\s*\]\s*=\s*\"([^\"]*)\"", strip_comments(read(rel(path)))):
            names[member] = (rel(path), name)
    if not names:
        raise Unreadable("kata-agent/src: no wire names ([ST_X] = \"x\") found")
    where = sorted({w for w, _ in names.values()})
    same(f"{', '.join(where)} (wire names)", [n for _, n in names.values()], ref, statuses)
    for member in members:
        if member in names and names[member][1] != member.removeprefix("ST_").lower():
            same(f"{names[member][0]} ([{member}])", names[member][1], f"enum run_status ({member})",
                 member.removeprefix("ST_").lower())

    check_wire_names_are_lower_case()
    path, code, constants = java_enum("RunStatus")
    same(f"{rel(path)} (enum RunStatus)", constants, ref, statuses)


def check_started_statuses(same):
    ref = f"{PROTOCOL} (precedence line)"
    started = protocol_started()
    same(f"{PROTOCOL} (precedence line)", started, f"{PROTOCOL} (status table)",
         [s for s in protocol_statuses() if s in started] + [s for s in started if s not in protocol_statuses()])

    path, code, constants = java_enum("RunStatus")
    body = re.search(r"\bboolean\s+started\s*\(\s*\)\s*\{(.*?)\}", code, re.S)
    not_started = re.findall(r"\bthis\s*!=\s*(\w+)", body.group(1)) if body else []
    if not not_started:
        raise Unreadable(f"{rel(path)}: cannot read RunStatus.started() (expected `this != X && ...`)")
    java_started = [c for c in constants if c.upper() not in not_started]
    same(f"{rel(path)} (RunStatus.started())", java_started, ref, started)

    sql_path, sql_values = sql_check("status")
    same(f"{sql_path} (CHECK status IN)", sql_values, ref, started)

    for path, values in sdk_type("ExecutionStatus"):
        same(f"{path} (type ExecutionStatus)", values, ref, started)

    for found in mentions("README.md", r"then `status` \(([^)]*)\)", quoted):
        same(f"README.md, line {found.line} (Response: `status`)", found.value, ref, started)
    for found in mentions("sdk/node/README.md", r"\|\s*`status`\s*\|\s*string\s*\|([^\n]*)\|", quoted):
        same(f"sdk/node/README.md, line {found.line} (`status` row)", found.value, ref, started)

    path, code, _ = find_source(java_main(), r"\brecord\s+ExecutionResponse\b", "record ExecutionResponse")
    published = schema_enumeration(code, "status")
    without_schemas = re.sub(r"@Schema\s*\((?:[^()\"]|\"(?:\\.|[^\"\\])*\"|\([^()]*\))*\)", " ", code)
    own = [s for s in protocol_statuses() if s in string_literals(without_schemas) and s not in started]
    same(f"{rel(path)} (OpenAPI @Schema enumeration of status)", published,
         f"{ref} plus the statuses {rel(path)} answers itself", started + own)


def sql_check(column):
    """The newest migration's CHECK (column IN (...)): (file, values)."""
    def version(p):
        m = re.match(r"V(\d+(?:[._]\d+)*)__", p.name)
        return [int(x) for x in re.split(r"[._]", m.group(1))] if m else [-1]

    found = None
    for path in sorted(files("sql", ".sql"), key=version):
        for match in re.finditer(rf"CHECK\s*\(\s*{column}\s+IN\s*\(([^)]*)\)", read(rel(path)), re.I):
            found = (rel(path), quoted(match.group(1)))
    if not found:
        raise Unreadable(f"sql/: no CHECK ({column} IN (...))")
    return found


def sdk_type(name):
    found = []
    for path in files("sdk/node", ".d.ts", ".d.mts", ".d.cts"):
        if "test" in path.relative_to(ROOT / "sdk/node").parts:
            continue
        for match in re.finditer(rf"\btype\s+{name}\s*=\s*([^;]*);", strip_comments(read(rel(path)))):
            found.append((rel(path), quoted(match.group(1))))
    if not found:
        raise Unreadable(f"sdk/node: no `type {name} = ...` in the .d.ts files")
    return found


# ---- languages -----------------------------------------------------------------------------------------------------

def check_languages(same):
    match = re.search(r'"language":\s*"\w+",\s*//([^\n]*)', read(PROTOCOL))
    if not match:
        raise Unreadable(f'{PROTOCOL}: no `"language": ..., // "a" | "b"` in the request example')
    ref, languages = f"{PROTOCOL} (run request)", quoted(match.group(1))

    path, code, match = find_source(agent_sources(), r"\benum\s+language\s*\{([^}]*)\}", "C enum language")
    members = [m.split("=")[0].strip() for m in match.group(1).split(",")]
    members = [m for m in members if m.startswith("LANG_")]
    same(f"{rel(path)} (enum language)", [m.removeprefix("LANG_").lower() for m in members], ref, languages)
    for path in agent_sources():
        code = strip_comments(read(rel(path)))
        # tables of the languages' names (other tables indexed by language hold settings, not names)
        for table in re.findall(r"\w*names?\s*\[\s*KA_LANGUAGES\s*\]\s*=\s*\{([^}]*)\}", code):
            in_order = [m.removeprefix("LANG_").lower() for m in members]
            same(f"{rel(path)} (table indexed by enum language)", quoted(table), "enum language", in_order)
            if sorted(quoted(table)) == sorted(in_order) and quoted(table) != in_order:
                same(f"{rel(path)} (order of the table)", ", ".join(quoted(table)), "enum language's order",
                     ", ".join(in_order))
        for name, member in re.findall(r'strcmp\s*\(\s*\w+\s*,\s*"(\w+)"\s*\)\s*==\s*0\s*\)\s*\*\s*\w+\s*=\s*'
                                       r"(LANG_\w+)", code):
            same(f"{rel(path)} (\"{name}\" parsed as {member})", name, f"enum language ({member})",
                 member.removeprefix("LANG_").lower())

    path, _, constants = java_enum("Language")
    same(f"{rel(path)} (enum Language)", constants, ref, languages)

    path, code, _ = find_source(java_main(), r"\brecord\s+ExecutionRequest\b", "record ExecutionRequest")
    same(f"{rel(path)} (OpenAPI @Schema enumeration of language)", schema_enumeration(code, "language"), ref,
         languages)

    sql_path, values = sql_check("language")
    same(f"{sql_path} (CHECK language IN)", values, ref, languages)

    for path, values in sdk_type("Language"):
        same(f"{path} (type Language)", values, ref, languages)

    for found in mentions("README.md", r"`language` \(((?:`\"\w+\"`(?:, | or )?)+)", quoted):
        same(f"README.md, line {found.line} (Request: `language`)", found.value, ref, languages)


# ---- limits --------------------------------------------------------------------------------------------------------

def protocol_limit(key):
    match = re.search(rf'"{key}":\s*(\d+)', read(PROTOCOL))
    if not match:
        raise Unreadable(f'{PROTOCOL}: no "{key}": N in the run request example')
    return int(match.group(1))


def agree_all(same, where, values, ref_where, ref_value):
    for value in values:
        if isinstance(value, Found):
            path, _, label = where.partition(" (")
            same(f"{path}, line {value.line}" + (f" ({label}" if label else ""), value.value, ref_where, ref_value)
        else:
            same(where, value, ref_where, ref_value)


def java_constant(name):
    path, _, match = find_source(java_main(), rf"\b{name}\s*=\s*([^;]+);", f"Java constant {name}")
    return rel(path), int_expr(match.group(1))


def check_code_limit(same):
    ref, limit = c_define("KA_MAX_CODE_BYTES")
    ref = f"{ref} (KA_MAX_CODE_BYTES)"
    for path in agent_sources():
        for literal in string_literals(strip_comments(read(rel(path)))):
            for m in re.finditer(r"code[^\"]*?(?:larger than|over|at most)\s+" + SIZE, literal):
                same(f"{rel(path)} (message \"{literal}\")", size(*m.groups()), ref, limit)

    path, value = java_constant("MAX_CODE_BYTES")
    same(f"{path} (MAX_CODE_BYTES)", value, ref, limit)
    for path in java_main():
        for literal in string_literals(strip_comments(read(rel(path)))):
            for m in re.finditer(r"\bcode\b[^\"]*?(?:larger than|over|at most)\s+" + SIZE, literal):
                same(f"{rel(path)} (text \"{literal}\")", size(*m.groups()), ref, limit)

    phrase = r"\bcode\b[^\n|.;]{0,30}?\b(?:larger than|over|at most|up to)\s+" + SIZE
    agree_all(same, f"{PROTOCOL} (run request: code)", mentions(PROTOCOL, r'"code":[^\n]*?at most ' + SIZE, size),
              ref, limit)
    for doc, at_least in (("kata-agent/README.md", 1), ("README.md", 2), ("sdk/node/README.md", 1)):
        agree_all(same, f"{doc} (code ... N bytes)", mentions(doc, phrase, size, at_least), ref, limit)
    agree_all(same, "README.md (Limits: Code size)",
              mentions("README.md", r"\|\s*Code size\s*\|\s*" + SIZE + r"(?:\s*\(" + SIZE + r")?",
                       lambda *g: {size(*g[i:i + 2]) for i in (0, 2) if g[i]}.pop()), ref, limit)
    for path in files("sdk/node", ".d.ts"):
        for m in re.finditer(r"source to run \(at most " + SIZE, read(rel(path))):
            same(f"{rel(path)} (ExecuteRequest.code)", size(*m.groups()), ref, limit)


def check_limits(same):
    wall_ref, wall_ms = c_define("KA_DEFAULT_WALL_MS")
    wall_ref += " (KA_DEFAULT_WALL_MS)"
    same(f"{PROTOCOL} (limits.wallTimeMs)", protocol_limit("wallTimeMs"), wall_ref, wall_ms)
    seconds = lambda n: int(n) * 1000  # noqa: E731
    agree_all(same, "README.md (Limits: Wall time)", mentions("README.md", r"\|\s*Wall time\s*\|\s*(\d+) s\b", seconds),
              wall_ref, wall_ms)
    agree_all(same, "README.md (intro: at most N s)", mentions("README.md", r"with at most (\d+) s\b", seconds),
              wall_ref, wall_ms)
    agree_all(same, "sdk/node/README.md (the N s limit)",
              mentions("sdk/node/README.md", r"the (\d+) s limit", seconds), wall_ref, wall_ms)

    mem_ref, mem = c_define("KA_DEFAULT_MEM_BYTES")
    mem_ref += " (KA_DEFAULT_MEM_BYTES)"
    same(f"{PROTOCOL} (limits.memoryBytes)", protocol_limit("memoryBytes"), mem_ref, mem)
    agree_all(same, "README.md (Limits: Memory)", mentions("README.md", r"\|\s*Memory\s*\|\s*" + SIZE, size),
              mem_ref, mem)
    agree_all(same, "README.md (intro)", mentions("README.md", r"with at most \d+ s, " + SIZE, size), mem_ref, mem)
    agree_all(same, "kata-agent/README.md (cgroups: memory)",
              mentions("kata-agent/README.md", r"\(memory " + SIZE, size), mem_ref, mem)

    _, quota = c_define("KA_DEFAULT_CPU_QUOTA_US")
    _, period = c_define("KA_CPU_PERIOD_US")
    cpu_ref, cores = "agent KA_DEFAULT_CPU_QUOTA_US / KA_CPU_PERIOD_US", quota / period
    same(f"{PROTOCOL} (limits.cpuQuotaUs)", protocol_limit("cpuQuotaUs"), "KA_DEFAULT_CPU_QUOTA_US", quota)
    agree_all(same, f"{PROTOCOL} (cpuQuotaUs: N core)", mentions(PROTOCOL, r"\(([\d.]+) core\)", float),
              cpu_ref, cores)
    agree_all(same, "README.md (Limits: CPU)", mentions("README.md", r"\|\s*CPU\s*\|\s*([\d.]+) core", float),
              cpu_ref, cores)
    agree_all(same, "kata-agent/README.md (cgroups: N CPU)", mentions("kata-agent/README.md", r"([\d.]+) CPU\b", float),
              cpu_ref, cores)
    agree_all(same, "kata-agent/README.md (cfs_quota_us N per M period)",
              mentions("kata-agent/README.md", r"cfs_quota_us`?\s+(\d+) per (\d+)", lambda q, p: int(q) / int(p)),
              cpu_ref, cores)

    out_ref, out = c_define("KA_DEFAULT_OUTPUT_BYTES")
    out_ref += " (KA_DEFAULT_OUTPUT_BYTES)"
    same(f"{PROTOCOL} (limits.outputBytes)", protocol_limit("outputBytes"), out_ref, out)
    agree_all(same, "README.md (Limits: Output)", mentions("README.md", r"\|\s*Output\s*\|\s*" + SIZE, size),
              out_ref, out)
    agree_all(same, "sdk/node/README.md (cut at the N limit)",
              mentions("sdk/node/README.md", r"cut at the " + SIZE + " limit", size), out_ref, out)

    pids_ref, pids = c_define("KA_DEFAULT_PIDS")
    pids_ref += " (KA_DEFAULT_PIDS)"
    same(f"{PROTOCOL} (limits.pids)", protocol_limit("pids"), pids_ref, pids)
    agree_all(same, "kata-agent/README.md (N pids, pids.max N)",
              mentions("kata-agent/README.md", r"(?:(\d+) pids\b|pids\.max`?\s+(\d+))",
                       lambda a, b: int(a or b), at_least=2), pids_ref, pids)

    stdin_ref, stdin = c_define("KA_MAX_STDIN_BYTES")
    agree_all(same, f"{PROTOCOL} (stdin at most)", mentions(PROTOCOL, r'"stdin":[^\n]*?at most ' + SIZE, size),
              f"{stdin_ref} (KA_MAX_STDIN_BYTES)", stdin)

    frame_ref, frame = c_define("KA_MAX_FRAME_BYTES")
    frame_ref += " (KA_MAX_FRAME_BYTES)"
    for doc in (PROTOCOL, "kata-agent/README.md"):
        agree_all(same, f"{doc} (frame over)", mentions(doc, r"frame over " + SIZE, size), frame_ref, frame)

    body_ref, body = java_constant("MAX_BODY_BYTES")
    body_ref += " (MAX_BODY_BYTES)"
    agree_all(same, "README.md (request body)",
              mentions("README.md", r"(?i)request body\s*(?:over|\|)\s*" + SIZE, size, at_least=2), body_ref, body)
    for path in java_main():
        for literal in string_literals(strip_comments(read(rel(path)))):
            for m in re.finditer(r"\bbody over " + SIZE, literal):
                same(f"{rel(path)} (text \"{literal}\")", size(*m.groups()), body_ref, body)
    if body > frame:
        same("the service's request body limit", f"{body} bytes", "the agent's frame limit (must hold it)",
             f"at most {frame} bytes")


def check_timeout_exit_code(same):
    ref = f"{PROTOCOL} (status table: timed_out exitCode)"
    code = int(protocol_table()["timed_out"]["exitCode"])
    path, _, match = find_source(agent_sources(), r"ST_TIMED_OUT\s*;\s*\w+->exit_code\s*=\s*(\d+)\s*;",
                                 "the C timeout exit code")
    same(f"{rel(path)} (exit_code of ST_TIMED_OUT)", int(match.group(1)), ref, code)
    path, java, _ = find_source(java_main(), r"\brecord\s+ExecutionResponse\b", "record ExecutionResponse")
    documented = [int(n) for n in re.findall(r"(\d+)\s*=\s*timeout", schema_of(java, "exitCode"))]
    if not documented:
        raise Unreadable(f"{rel(path)}: the @Schema of exitCode no longer says `N = timeout`")
    agree_all(same, f"{rel(path)} (@Schema of exitCode)", documented, ref, code)
    agree_all(same, "README.md (exitCode)", mentions("README.md", r"\b(\d+) timeout\b", int), ref, code)
    for doc in ("sdk/node/types.d.ts", "sdk/node/README.md"):
        agree_all(same, f"{doc} (N on timeout)", mentions(doc, r"\b(\d+) on timeout", int), ref, code)


# ---- files, env, args and per-run limits ---------------------------------------------------------------------------

# the service's checks of a run request (Java constant) against the agent's (C define): the agent checks again, so
# a service that let more through would have it refused by the agent, and one that let less through refuses runs
# the agent would take
REQUEST_LIMITS = (
    ("MAX_FILES", "KA_MAX_FILES", 1),
    ("MAX_TOTAL_BYTES", "KA_MAX_FILES_BYTES", 1),
    ("MAX_PATH_BYTES", "KA_MAX_PATH_BYTES", 1),
    ("MAX_SEGMENT_BYTES", "KA_MAX_PATH_SEGMENT_BYTES", 1),
    ("MAX_ENV_ENTRIES", "KA_MAX_ENV", 1),
    ("MAX_ENV_BYTES", "KA_MAX_ENV_BYTES", 1),
    ("MAX_ARGS", "KA_MAX_ARGS", 1),
    ("MAX_ARGS_BYTES", "KA_MAX_ARGS_BYTES", 1),
    ("MAX_STDIN_BYTES", "KA_MAX_STDIN_BYTES", 1),
    # the plan's limits: a per-run limit may lower them, never raise them
    ("MAX_TIMEOUT_MS", "KA_DEFAULT_WALL_MS", 1),
    ("MAX_MEMORY_MB", "KA_DEFAULT_MEM_BYTES", 1 << 20),
)


def check_request_limits(same):
    for java_name, c_name, unit in REQUEST_LIMITS:
        ref, limit = c_define(c_name)
        path, value = java_constant(java_name)
        same(f"{path} ({java_name}" + (f" x {unit}" if unit != 1 else "") + ")", value * unit, f"{ref} ({c_name})",
             limit)


def c_string_table(name):
    path, _, match = find_source(agent_sources(), rf"\b{name}\s*\[\s*\]\s*=\s*\{{([^}}]*)\}}", f"C table {name}")
    return rel(path), string_literals(match.group(1))


def java_string_list(name):
    path, _, match = find_source(java_main(), rf"\b{name}\s*=\s*List\.of\s*\(([^)]*)\)", f"Java list {name}")
    return rel(path), string_literals(match.group(1))


def check_reserved_env(same):
    for c_name, java_name in (("denied_names", "RESERVED_NAMES"), ("denied_prefixes", "RESERVED_PREFIXES")):
        ref, denied = c_string_table(c_name)
        if not denied:
            raise Unreadable(f"{ref}: {c_name} is empty")
        path, reserved = java_string_list(java_name)
        same(f"{path} ({java_name})", reserved, f"{ref} ({c_name})", denied)


# ---- retry delays --------------------------------------------------------------------------------------------------

README_RETRY_AFTER = {"busy": r"\b(\d+) s when all sandboxes are busy", "unavailable": r"are busy, else (\d+) s\b"}


def check_retry_after(same):
    delays = {"busy": [], "unavailable": []}
    for path in java_main():
        code = strip_comments(read(rel(path)))
        # the delays' one definition: a class of them (RetryDelays), or constants named for them
        in_delays_class = re.search(r"\bclass\s+RetryDelays\b", code) is not None
        for name, expr in re.findall(r"\bstatic\s+final\s+int\s+(\w+)\s*=\s*([^;]+);", code):
            if in_delays_class or "RETRY_AFTER" in name or "RETRY_SECONDS" in name:
                delays["busy" if "BUSY" in name else "unavailable"].append((f"{rel(path)} ({name})", int_expr(expr)))
        for m in re.finditer(r"(?:\"Retry-After\"|RETRY_AFTER)\s*,\s*(?:Integer\.toString\s*\(\s*)?(\d+)", code):
            same(f"{rel(path)} (Retry-After {m.group(1)})", "a literal", "the contract test",
                 "a named *RETRY* constant")
    for kind, found in delays.items():
        if not found:
            raise Unreadable(f"src/main/java: no Retry-After constant (RetryDelays, or *RETRY*) for the {kind} delay")
        doc = mentions("README.md", README_RETRY_AFTER[kind], int)
        ref = f"README.md, line {doc[0].line} (Retry-After when {kind})"
        agree_all(same, "README.md (Retry-After)", doc[1:], ref, doc[0].value)
        for where, value in found:
            same(where, value, ref, doc[0].value)

    match = re.search(r"\bMAX_RETRY_WAIT_MS\s*=\s*([^;]+);", strip_comments(read("sdk/node/client.js")))
    if not match:
        raise Unreadable("sdk/node/client.js: no MAX_RETRY_WAIT_MS")
    longest = max(v for found in delays.values() for _, v in found)
    if int_expr(match.group(1)) < longest * 1000:
        same("sdk/node/client.js (MAX_RETRY_WAIT_MS)", int_expr(match.group(1)),
             "the service's longest Retry-After (ms; the SDK must wait that long)", longest * 1000)


def check_sdk_defaults(same):
    client = strip_comments(read("sdk/node/client.js"))
    for constant, option in (("DEFAULT_TIMEOUT_MS", "timeoutMs"), ("DEFAULT_MAX_RETRIES", "maxRetries")):
        match = re.search(rf"\b{constant}\s*=\s*([^;]+);", client)
        if not match:
            raise Unreadable(f"sdk/node/client.js: no {constant}")
        ref, value = f"sdk/node/client.js ({constant})", int_expr(match.group(1))
        agree_all(same, f"sdk/node/types.d.ts ({option})",
                  mentions("sdk/node/types.d.ts", rf"Default (\d+)\.\s*\*/\s*{option}\?", int), ref, value)
        agree_all(same, f"sdk/node/README.md ({option} row)",
                  mentions("sdk/node/README.md", rf"\|\s*`{option}`\s*\|\s*`(\d+)`", int), ref, value)
    _, wall_ms = c_define("KA_DEFAULT_WALL_MS")
    timeout = int_expr(re.search(r"\bDEFAULT_TIMEOUT_MS\s*=\s*([^;]+);", client).group(1))
    if timeout <= wall_ms:
        same("sdk/node/client.js (DEFAULT_TIMEOUT_MS)", timeout, "more than the agent's wall limit", wall_ms)
    path, java, match = find_source(java_main(), r"\bRUN_TIMEOUT_MS\s*=\s*([^;]+);",
                                    "the service's agent timeout (AgentDeadlines.RUN_TIMEOUT_MS)")
    if int_expr(match.group(1)) <= wall_ms:
        same(f"{rel(path)} (RUN_TIMEOUT_MS)", int_expr(match.group(1)), "more than the agent's wall limit", wall_ms)


def c_string_define(name):
    path, _, match = find_source(agent_sources(), rf'#\s*define\s+{name}\s+"((?:\\.|[^"\\\n])*)"', f"#define {name}")
    return rel(path), match.group(1)


def java_string_constant(name):
    path, _, match = find_source(java_main(), rf'\b{name}\s*=\s*"((?:\\.|[^"\\\n])*)"', f"Java constant {name}")
    return rel(path), match.group(1)


def check_agent_handshake(same):
    """Both sides of the network hand-shake, and its description, byte for byte."""
    for c_name, java_name in (("AUTH_MAGIC", "GREETING"), ("LABEL_CLIENT", "CLIENT_LABEL"),
                              ("LABEL_AGENT", "AGENT_LABEL")):
        ref_where, ref_value = c_string_define(c_name)
        same(*java_string_constant(java_name), f"{ref_where} ({c_name})", ref_value)
    section = read(PROTOCOL).partition("## Authentication")[2].partition("\n## ")[0]
    if not section:
        raise Unreadable(f"{PROTOCOL}: no Authentication section")
    _, magic = c_string_define("AUTH_MAGIC")
    if f"`{magic}`" not in section:
        same(f"{PROTOCOL} (the greeting)", "absent", "#define AUTH_MAGIC", magic)
    for label in ("LABEL_CLIENT", "LABEL_AGENT"):
        where, text = c_string_define(label)
        if f'HMAC("{text}"' not in section:
            same(f"{PROTOCOL} (HMAC label)", "absent", f"{where} ({label})", text)
    for c_name, java_name in (("AUTH_NONCE_BYTES", "NONCE_BYTES"), ("AUTH_MAC_BYTES", "PROOF_BYTES"),
                              ("AUTH_MIN_SECRET_BYTES", "MIN_BYTES"), ("AUTH_MAX_SECRET_BYTES", "MAX_BYTES")):
        ref_where, ref_value = c_define(c_name)
        same(*java_constant(java_name), f"{ref_where} ({c_name})", ref_value)
    bounds = re.search(r"at least (\d+) and at most\s+(\d+) bytes", section)
    if not bounds:
        raise Unreadable(f"{PROTOCOL}: the secret's length bounds are not stated (reworded? update tests/contract)")
    same(f"{PROTOCOL} (shortest secret)", int(bounds.group(1)), *c_define("AUTH_MIN_SECRET_BYTES"))
    same(f"{PROTOCOL} (longest secret)", int(bounds.group(2)), *c_define("AUTH_MAX_SECRET_BYTES"))
    for name, pattern in (("AUTH_NONCE_BYTES", r"`An` = (\d+) fresh random bytes"),
                          ("AUTH_NONCE_BYTES", r"`Cn` = (\d+) fresh random bytes")):
        match = re.search(pattern, section)
        if not match:
            raise Unreadable(f"{PROTOCOL}: no /{pattern}/ (reworded? update tests/contract)")
        same(f"{PROTOCOL} (nonce size)", int(match.group(1)), *c_define(name))
    deadline = re.search(r"within \*\*(\d+) s\*\*", section)
    if not deadline:
        raise Unreadable(f"{PROTOCOL}: the hand-shake deadline is not stated (reworded? update tests/contract)")
    same(f"{PROTOCOL} (hand-shake deadline, ms)", int(deadline.group(1)) * 1000, *c_define("AUTH_HANDSHAKE_TIMEOUT_MS"))


def main():
    report = Report()
    report.run("run statuses (agent, protocol, Java)", check_statuses)
    report.run("statuses of runs that started (SQL, OpenAPI, SDK, docs)", check_started_statuses)
    report.run("languages", check_languages)
    report.run("code size limit", check_code_limit)
    report.run("run limits (wall, memory, CPU, output, pids, stdin, frame, body)", check_limits)
    report.run("timeout exit code", check_timeout_exit_code)
    report.run("run request limits (files, env, args, stdin, per-run limits)", check_request_limits)
    report.run("reserved environment variables (agent, service)", check_reserved_env)
    report.run("Retry-After delays", check_retry_after)
    report.run("SDK defaults (docs; timeouts above the wall limit)", check_sdk_defaults)
    report.run("the agent's network hand-shake (agent, service, protocol)", check_agent_handshake)
    if report.failures:
        print(f"\ncontract test: {len(report.failures)} disagreement(s); each names the copy and its reference. "
              "Fix the copy (or the test, if the copy only moved).", file=sys.stderr)
        return 1
    print(f"\ncontract test: all {report.passed} topics agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())

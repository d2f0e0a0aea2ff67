"""Find the AWS API calls a Lambda entry point can make, by reading its code (no imports).

Starting from the entry module, follow `app.*` imports (the import closure), then find every
call on a boto3 client: `client("s3").head_object(...)`, `db.dynamodb().query(...)`, a
variable or a helper returning a client (`_s3()`), and `getattr(client, method)` dispatchers
(`_call("sign_up", ...)`). Each call maps to the IAM actions it needs.
"""

import ast
import re
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).parents[2]

# Cognito operations authorised by the caller's token or client id, never by IAM.
COGNITO_PUBLIC = {
    "associate_software_token",
    "change_password",
    "confirm_forgot_password",
    "confirm_sign_up",
    "delete_user",
    "forgot_password",
    "get_user",
    "global_sign_out",
    "initiate_auth",
    "resend_confirmation_code",
    "respond_to_auth_challenge",
    "revoke_token",
    "set_user_mfa_preference",
    "sign_up",
    "update_user_attributes",
    "verify_software_token",
}
S3_ACTIONS = {
    "abort_multipart_upload": {"s3:AbortMultipartUpload"},
    "complete_multipart_upload": {"s3:PutObject"},
    "copy_object": {"s3:GetObject", "s3:PutObject"},
    "create_multipart_upload": {"s3:PutObject"},
    "delete_object": {"s3:DeleteObject"},
    "delete_objects": {"s3:DeleteObject"},
    "download_fileobj": {"s3:GetObject"},
    "generate_presigned_post": {"s3:PutObject"},
    "get_object": {"s3:GetObject"},
    "head_object": {"s3:GetObject"},
    "list_object_versions": {"s3:ListBucketVersions"},
    "list_objects_v2": {"s3:ListBucket"},
    "list_parts": {"s3:ListMultipartUploadParts"},
    "put_object": {"s3:PutObject"},
    "upload_fileobj": {"s3:PutObject"},
    "upload_part": {"s3:PutObject"},
}
# A call naming a VersionId needs the version's action instead (S3's authorization docs).
S3_VERSION_ACTIONS = {
    "delete_object": "s3:DeleteObjectVersion",
    "get_object": "s3:GetObjectVersion",
    "head_object": "s3:GetObjectVersion",
}
TRANSACT_ACTIONS = {
    "ConditionCheck": "dynamodb:ConditionCheckItem",
    "Delete": "dynamodb:DeleteItem",
    "Put": "dynamodb:PutItem",
    "Update": "dynamodb:UpdateItem",
}
NAMED_CLIENTS = {
    "s3": "s3",
    "dynamodb": "dynamodb",
    "ddb": "dynamodb",
    "sqs": "sqs",
    "cognito": "cognito-idp",
}
NOT_API_CALLS = {"close", "can_paginate", "get_waiter"}
# Services whose IAM actions are named under another prefix (SES's API v2 is still `ses:`).
IAM_PREFIXES = {"sesv2": "ses"}


@dataclass(frozen=True)
class AwsCall:
    service: str
    method: str
    where: str  # path:line
    local_only: bool = False  # under `if ...local_mode...`: never runs on AWS
    on_index: bool = False  # a DynamoDB query naming an IndexName
    via: str | None = None  # a query whose parameters come from the callers of this function
    # "always": the call passes VersionId=; "maybe": its function may put one in its params
    version: str | None = None


@dataclass(frozen=True)
class Discovery:
    calls: list[AwsCall]
    transact_kinds: set[str]  # "Put", "Update"... found in reachable transaction items
    modules: list[str]
    reachable: set[tuple[str, str]]  # (module, top-level function/class or "<module>")


def _module_path(name: str) -> Path | None:
    base = ROOT / Path(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _import_source(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = (module if is_package else module.rpartition(".")[0]).split(".")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


Target = tuple[str, str | None]
Fn = (
    ast.FunctionDef | ast.AsyncFunctionDef
)  # (module, name in it) or (module, None) for the module itself


class _Module:
    """One app module: its AST, the names it binds by import, and its top-level units."""

    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.path = path
        self.tree = ast.parse(path.read_text(), filename=str(path))
        self.is_package = path.name == "__init__.py"
        self.bindings: dict[str, Target] = {}
        self.imported: set[str] = set()  # every module named, though two imports bind one name
        self.units: dict[str, ast.AST] = {}
        for node in ast.walk(self.tree):  # imports inside functions bind too (conservative)
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.bindings[alias.asname] = (alias.name, None)
                    else:
                        top = alias.name.split(".")[0]
                        self.bindings[top] = (top, None)
            elif isinstance(node, ast.ImportFrom):
                source = _import_source(node, name, self.is_package)
                for alias in node.names:
                    full = f"{source}.{alias.name}"
                    target: Target = (full, None) if _module_path(full) else (source, alias.name)
                    self.bindings[alias.asname or alias.name] = target
                    self.imported.add(target[0])
        for node in self.tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.units[node.name] = node

    def imported_modules(self) -> set[str]:
        found = {target[0] for target in self.bindings.values()} | self.imported
        return {m for m in found if m == "app" or m.startswith("app.")}

    def module_level(self) -> list[ast.AST]:
        """Statements run at import, and decorators/defaults evaluated then."""
        nodes: list[ast.AST] = []
        for node in self.tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                nodes.extend(node.decorator_list)
            else:
                nodes.append(node)
        return nodes


def import_closure(entry: str) -> dict[str, _Module]:
    """Every app module `entry` imports, directly or not (parents' __init__ included)."""
    modules: dict[str, _Module] = {}
    pending = [entry]
    while pending:
        name = pending.pop()
        path = _module_path(name)
        if name in modules or path is None:
            continue
        module = modules[name] = _Module(name, path)
        pending.extend(".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1))
        pending.extend(module.imported_modules())
    return modules


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _const_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


_ROUTE_DECORATORS = {"get", "post", "put", "patch", "delete", "head", "options", "api_route"}


def _is_route(unit: ast.AST) -> bool:
    """FastAPI calls route functions itself; nothing in the code references them."""
    decorators = getattr(unit, "decorator_list", [])
    return any(
        isinstance(d, ast.Call)
        and isinstance(d.func, ast.Attribute)
        and d.func.attr in _ROUTE_DECORATORS
        for d in decorators
    )


class _Graph:
    """Which top-level functions and classes an entry point can reach, by reference."""

    def __init__(self, modules: dict[str, _Module]) -> None:
        self.modules = modules

    def resolve(self, module: _Module, node: ast.AST) -> tuple[str, str] | None:
        target = self._target(module, node)
        if target is None or target[1] is None:
            return None
        return self._definition(target[0], target[1], depth=0)

    def _target(self, module: _Module, node: ast.AST) -> Target | None:
        if isinstance(node, ast.Name):
            if node.id in module.units:
                return (module.name, node.id)
            return module.bindings.get(node.id)
        if isinstance(node, ast.Attribute):
            owner = self._target(module, node.value)
            if owner is not None and owner[1] is None:
                full = f"{owner[0]}.{node.attr}"
                return (full, None) if full in self.modules else (owner[0], node.attr)
        return None

    def _definition(self, module_name: str, name: str, depth: int) -> tuple[str, str] | None:
        module = self.modules.get(module_name)
        if module is None or depth > 10:
            return None
        if name in module.units:
            return (module_name, name)
        target = module.bindings.get(name)  # a re-export
        if target and target[1]:
            return self._definition(target[0], target[1], depth + 1)
        return None

    def reachable(self, entry_module: str, entry_name: str) -> set[tuple[str, str]]:
        roots = {(entry_module, entry_name), (entry_module, "<module>")}
        for module in self.modules.values():
            roots.add((module.name, "<module>"))
            roots.update((module.name, n) for n, unit in module.units.items() if _is_route(unit))
        seen: set[tuple[str, str]] = set()
        pending = list(roots)
        while pending:
            key = pending.pop()
            if key in seen:
                continue
            seen.add(key)
            module = self.modules[key[0]]
            for node in self.unit_nodes(module, key[1]):
                for child in ast.walk(node):
                    if isinstance(child, ast.Name | ast.Attribute):
                        found = self.resolve(module, child)
                        if found and found not in seen:
                            pending.append(found)
        return seen

    @staticmethod
    def unit_nodes(module: _Module, name: str) -> list[ast.AST]:
        if name == "<module>":
            return module.module_level()
        unit = module.units.get(name)
        return [unit] if unit is not None else []


class _Scanner:
    def __init__(self, modules: dict[str, _Module]) -> None:
        self.modules = modules
        self.factories: dict[str, str] = {}  # function name -> service of the client it returns
        self.dispatchers: dict[str, tuple[str, int]] = {}  # name -> (service, method arg index)

    def service_of(self, node: ast.AST, variables: dict[str, str]) -> str | None:
        """The service whose client `node` evaluates to, if it does."""
        if isinstance(node, ast.Call):
            name = _called_name(node)
            if name == "client" and node.args and _const_str(node.args[0]):
                return _const_str(node.args[0])
            if name in self.factories:
                return self.factories[name]
        if isinstance(node, ast.Name) and node.id in variables:
            return variables[node.id]
        if isinstance(node, ast.Attribute) and f"self.{node.attr}" in variables:
            return variables[f"self.{node.attr}"]
        if isinstance(node, ast.BoolOp):  # `self._sqs or client("sqs")`
            for value in node.values:
                service = self.service_of(value, variables)
                if service:
                    return service
        return None

    def find_factories(self) -> None:
        changed = True
        while changed:
            changed = False
            for module in self.modules.values():
                for fn in ast.walk(module.tree):
                    if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                        changed |= self._learn(fn)

    def _learn(self, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        changed = False
        for ret in ast.walk(fn):
            if isinstance(ret, ast.Return) and ret.value is not None:
                service = self.service_of(ret.value, {})
                if service and self.factories.get(fn.name) != service:
                    self.factories[fn.name] = service
                    changed = True
        params = [a.arg for a in fn.args.args]
        for node in ast.walk(fn):
            if (
                isinstance(node, ast.Call)
                and _called_name(node) == "getattr"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Name)
                and node.args[1].id in params
            ):
                service = self.service_of(node.args[0], {})
                if service and fn.name not in self.dispatchers:
                    self.dispatchers[fn.name] = (service, params.index(node.args[1].id))
                    changed = True
        return changed

    def calls(self, module: _Module, nodes: list[ast.AST]) -> list[AwsCall]:
        variables: dict[str, str] = {}
        for top in nodes:
            for node in ast.walk(top):
                if isinstance(node, ast.arg) and node.arg.lstrip("_") in NAMED_CLIENTS:
                    # A client passed in (`def head(key, s3=None)`), named after its service.
                    variables[node.arg] = NAMED_CLIENTS[node.arg.lstrip("_")]
                if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                    service = self.service_of(node.value, {})
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets if service else []:
                        if isinstance(target, ast.Name):
                            variables[target.id] = service  # type: ignore[assignment]
                        elif isinstance(target, ast.Attribute):
                            variables[f"self.{target.attr}"] = service  # type: ignore[assignment]
        found: list[AwsCall] = []
        for top in nodes:
            for node, local_only, function in _walk_with_context(top):
                if isinstance(node, ast.Call):
                    call = self._call(module, node, variables, local_only, function)
                    if call:
                        found.append(call)
        return found

    def _call(
        self,
        module: _Module,
        node: ast.Call,
        variables: dict[str, str],
        local_only: bool,
        function: Fn | None,
    ) -> AwsCall | None:
        where = f"{module.path.relative_to(ROOT)}:{node.lineno}"
        name = _called_name(node)
        if name in self.dispatchers and node.args:
            service, index = self.dispatchers[name]
            method = _const_str(node.args[index]) if len(node.args) > index else None
            return AwsCall(service, method, where, local_only) if method else None
        if not isinstance(node.func, ast.Attribute):
            return None
        service = self.service_of(node.func.value, variables)
        if not service or node.func.attr in NOT_API_CALLS:
            return None
        method = node.func.attr
        if method in {"generate_presigned_url", "get_paginator"}:
            target = node.args[0] if node.args else None
            for keyword in node.keywords:
                if keyword.arg in {"ClientMethod", "operation_name"}:
                    target = keyword.value
            method = _const_str(target) or method
        on_index = _names_index(function)
        splat = any(keyword.arg is None for keyword in node.keywords)  # `query(**params)`
        via = function.name if splat and not on_index and function is not None else None
        version = _version_use(node, method, function) if service == "s3" else None
        return AwsCall(service, method, where, local_only, on_index, via, version)


def _walk_with_context(top: ast.AST) -> list[tuple[ast.AST, bool, Fn | None]]:
    """Nodes under `top`, each with: guarded by a `local_mode` test? the innermost function."""
    result: list[tuple[ast.AST, bool, Fn | None]] = []

    def visit(node: ast.AST, guarded: bool, function: Fn | None) -> None:
        result.append((node, guarded, function))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node
        if isinstance(node, ast.If) and "local_mode" in ast.unparse(node.test):
            visit(node.test, guarded, function)
            for stmt in node.body:
                visit(stmt, True, function)
            for stmt in node.orelse:
                visit(stmt, guarded, function)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, guarded, function)

    visit(top, False, None)
    return result


def _version_use(node: ast.Call, method: str, function: Fn | None) -> str | None:
    if method not in S3_VERSION_ACTIONS:
        return None
    if any(keyword.arg == "VersionId" for keyword in node.keywords):
        return "always"
    if function is not None and any(_sets_version(n) for n in ast.walk(function)):
        return "maybe"  # `params["VersionId"] = ...` when there is one, then `**params`
    return None


def _sets_version(node: ast.AST) -> bool:
    """`{"VersionId": ...}` or `params["VersionId"] = ...` (reading one back does not count)."""
    if isinstance(node, ast.Dict):
        return any(_const_str(key) == "VersionId" for key in node.keys if key is not None)
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.ctx, ast.Store)
        and _const_str(node.slice) == "VersionId"
    )


def _names_index(function: Fn | None) -> bool:
    return function is not None and "IndexName" in ast.unparse(function)


def _transact_kinds(nodes: list[ast.AST]) -> set[str]:
    kinds: set[str] = set()
    for top in nodes:
        for node in ast.walk(top):
            if isinstance(node, ast.Dict) and len(node.keys) == 1:
                key = _const_str(node.keys[0])
                if key in TRANSACT_ACTIONS:
                    kinds.add(key)
    return kinds


def _through_callers(
    call: AwsCall, units: list[tuple[_Module, list[ast.AST]]], depth: int = 0
) -> list[AwsCall]:
    """A query built from a helper's parameters (`db.query_page(params)`) is on an index
    where a caller's function names an IndexName, on the table where none does."""
    found: list[AwsCall] = []
    for module, nodes in units:
        for top in nodes:
            for node, local_only, function in _walk_with_context(top):
                if not (isinstance(node, ast.Call) and _called_name(node) == call.via):
                    continue
                where = f"{module.path.relative_to(ROOT)}:{node.lineno}"
                site = replace(call, where=where, local_only=call.local_only or local_only)
                params = {a.arg for a in function.args.args} if function else set()
                # The query's parameters are the helper's first argument; a site that hands on
                # its own parameter there is a helper too, decided by its callers in turn.
                first = node.args[0] if node.args else None
                passes_params = isinstance(first, ast.Name) and first.id in params
                if _names_index(function):
                    found.append(replace(site, on_index=True, via=None))
                elif function is not None and passes_params and depth < 3:
                    found.extend(
                        _through_callers(replace(site, via=function.name), units, depth + 1)
                    )
                else:
                    found.append(replace(site, via=None))
    return found or [replace(call, via=None)]


def discover(handler: str) -> Discovery:
    """The AWS calls the Lambda `handler` ("app.main.handler") can reach."""
    entry_module, _, entry_name = handler.rpartition(".")
    modules = import_closure(entry_module)
    graph = _Graph(modules)
    reachable = graph.reachable(entry_module, entry_name)
    scanner = _Scanner(modules)
    scanner.find_factories()
    units = [
        (modules[module_name], graph.unit_nodes(modules[module_name], unit))
        for module_name, unit in sorted(reachable)
    ]
    calls: set[AwsCall] = set()
    for module, nodes in units:
        for call in scanner.calls(module, nodes):
            calls.update(_through_callers(call, units) if call.via else [call])
    ordered = sorted(calls, key=lambda c: (c.service, c.method, c.where))
    all_nodes = [node for _, nodes in units for node in nodes]
    return Discovery(ordered, _transact_kinds(all_nodes), sorted(modules), reachable)


def _pascal(method: str) -> str:
    return "".join(part.capitalize() for part in method.split("_"))


def iam_actions(call: AwsCall, transact_kinds: set[str]) -> set[str]:
    """The IAM actions one call needs ("" for none: Cognito's token-authorised operations)."""
    if call.service == "s3":
        plain = S3_ACTIONS.get(call.method, {f"s3:{_pascal(call.method)}"})
        if call.version == "always":
            return {S3_VERSION_ACTIONS[call.method]}
        if call.version == "maybe":
            return plain | {S3_VERSION_ACTIONS[call.method]}
        return plain
    if call.service == "cognito-idp" and call.method in COGNITO_PUBLIC:
        return set()
    if call.service == "dynamodb" and call.method == "transact_write_items":
        return {TRANSACT_ACTIONS[kind] for kind in transact_kinds}
    if call.service == "dynamodb" and call.method == "transact_get_items":
        return {"dynamodb:GetItem"}
    prefix = IAM_PREFIXES.get(call.service) or re.sub(r"[^a-z0-9-]", "", call.service)
    return {f"{prefix}:{_pascal(call.method)}"}

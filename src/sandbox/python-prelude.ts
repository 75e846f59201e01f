// The Python half of the sandbox bridge: Python source run once while the interpreter's snapshot
// is made (python-instance.ts), defining the module `_cemcp`. Per run, the worker calls
// `_cemcp.run(...)`: it compiles the program as the body of an async function, installs
// ToolError and the namespaces, awaits the program and answers one JSON text. Never raises.
// `_loop`, the event loop host calls resume the program on, is python-loop.ts's, executed after this.

/** File name of the program in Python tracebacks and positions. */
export const PYTHON_PROGRAM_FILE = 'program.py';

/**
 * `_cemcp.run(source, api_json, forms_json, host_call)` -> JSON text, one of
 * `{"ok": true}` (None returned), `{"ok": true, "value": <json text>}`, or
 * `{"ok": false, "kind": "syntax"|"thrown"|"interrupted"|"stack"|"memory"|"output", "name", "message",
 *   "line"?, "column"?, "tool"?, "code"?, "dataJson"?}`.
 * `host_call(namespace, fn, args_json)` returns a call id (> 0) or a refusal (< 0); the worker
 * answers a call with `_cemcp.deliver(call_id, ok, text, or_text)`.
 */
export const PYTHON_PRELUDE = String.raw`
import ast, asyncio, builtins, inspect, json, sys, traceback, types

# Captured before any program runs: a program that patches json changes only its own view.
_dumps = json.dumps
_loads = json.loads
_ensure_future = asyncio.ensure_future
_extract_tb = traceback.extract_tb
_coroutine_state = inspect.getcoroutinestate

PROGRAM = ${JSON.stringify(PYTHON_PROGRAM_FILE)}
MAX_TEXT = 8192
_pending = {}
# Every call made in this run, with the program line it was made at: one never awaited never ran.
_made = []
_refusals = {
    -1: 'is not an operation of this run',
    -2: 'arguments are too large',
    -3: 'was called after the program ended',
}


class ToolError(Exception):
    """A tool call failed: .code (TOOL_ERROR, ARGUMENT_INVALID, ...), .message and .data."""

    def __init__(self, message='', code='TOOL_ERROR', data=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.data = data

    def __str__(self):
        return str(self.message)


ToolError.__module__ = 'builtins'


def _clip(text):
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + ' [...]'


def _not_json(value):
    if inspect.iscoroutine(value):
        value.close()
        raise TypeError(value.__qualname__ + '(...) was not awaited: put await before the call')
    raise TypeError('Object of type ' + type(value).__name__ + ' is not JSON serializable')


def _program_line():
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename != PROGRAM:
        frame = frame.f_back
    return frame.f_lineno if frame is not None else None


def _make_call(namespace, fn, positional, host_call):
    label = namespace + '.' + fn

    def call(*args, **kwargs):
        coroutine = start(*args, **kwargs)
        _made.append((coroutine, _program_line()))
        return coroutine

    async def start(*args, **kwargs):
        if positional:
            payload = list(args)
        elif kwargs and not args:
            payload = kwargs
        elif not args and not kwargs:
            payload = {}
        elif len(args) == 1 and not kwargs:
            payload = args[0]
        else:
            raise TypeError(label + ': takes one dict of arguments, e.g. ' + label + '({"key": "value"})')
        try:
            text = _dumps(payload, ensure_ascii=False, allow_nan=False, default=_not_json)
        except (TypeError, ValueError, RecursionError) as e:
            raise TypeError(label + ': arguments must be JSON data (' + _clip(str(e)) + ')') from None
        call_id = int(host_call(namespace, fn, text))
        if call_id < 0:
            error = ValueError if call_id == -2 else RuntimeError
            raise error(label + ': ' + _refusals.get(call_id, 'was refused'))
        future = _loop.create_future()
        _pending[call_id] = future
        return await future

    call.__name__ = start.__name__ = fn
    call.__qualname__ = start.__qualname__ = label
    return call


def _namespace(name, calls):
    def missing(self, attr):
        if attr.startswith('__') and attr.endswith('__'):
            raise AttributeError(attr)
        # Worded as in JavaScript: the host adds what was probably meant (runtime/unknown-python-name.ts).
        raise AttributeError(name + '.' + attr + ' is not a function')

    return type(name, (types.SimpleNamespace,), {'__getattr__': missing})(**calls)


def _never_awaited():
    # Python runs a call only once it is awaited: one the program forgot did nothing, unlike in JavaScript.
    for coroutine, line in _made:
        if _coroutine_state(coroutine) == inspect.CORO_CREATED:
            info = {'ok': False, 'kind': 'thrown', 'name': 'RuntimeError',
                    'message': coroutine.__qualname__ + '(...) was called without await, so it never ran: put await before it'}
            if line is not None:
                info['line'], info['column'] = line, 1
            return _dumps(info)
    return None


def _close_made():
    # Closed, a call never awaited ends quietly (no "never awaited" warning in the program's console).
    for coroutine, _ in _made:
        coroutine.close()
    _made.clear()


def deliver(call_id, ok, text, or_text):
    future = _pending.pop(call_id, None)
    if future is None or future.done():
        return
    _loop.holding = True
    try:
        _settle(future, ok, text, or_text)
    finally:
        _loop.holding = False
    # The program goes on in this call (python-loop.ts), not in a later turn of the JS event loop.
    _loop.run_ready()


def _settle(future, ok, text, or_text):
    if ok:
        try:
            future.set_result(_loads(text))
        except ValueError:
            if or_text:
                future.set_result(text)
            else:
                future.set_exception(ToolError('the host answered with text that is not JSON', 'HOST_REPLY_INVALID'))
        return
    try:
        info = _loads(text)
    except ValueError:
        info = {}
    if not isinstance(info, dict):
        info = {}
    future.set_exception(ToolError(str(info.get('message', '')), str(info.get('code', 'TOOL_ERROR')), info.get('data')))


def _compile(source):
    tree = compile(source, PROGRAM, 'exec', flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    body = tree.body or [ast.Pass()]
    arguments = ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
    fn = ast.AsyncFunctionDef(name='<program>', args=arguments, body=body, decorator_list=[], returns=None, type_comment=None, type_params=[])
    fn.lineno, fn.col_offset, fn.end_lineno, fn.end_col_offset = 1, 0, 1, 0
    module = ast.Module(body=[fn], type_ignores=[])
    ast.fix_missing_locations(module)
    return compile(module, PROGRAM, 'exec', dont_inherit=True)


def _position(info, error):
    frames = [f for f in _extract_tb(error.__traceback__) if f.filename == PROGRAM]
    if frames:
        last = frames[-1]
        info['line'] = last.lineno
        info['column'] = (last.colno or 0) + 1
        if len(frames) > 1:
            lines = ['  line %d, in %s' % (f.lineno, 'the program' if f.name == '<program>' else f.name) for f in frames]
            info['traceback'] = _clip('\n'.join(lines))


def _describe(error):
    kind = 'thrown'
    if isinstance(error, KeyboardInterrupt):
        kind = 'interrupted'
    elif isinstance(error, RecursionError):
        kind = 'stack'
    elif isinstance(error, MemoryError):
        kind = 'memory'
    info = {'ok': False, 'kind': kind, 'name': type(error).__name__}
    try:
        info['message'] = _clip(str(error))
    except BaseException:
        info['message'] = 'an error that cannot be described'
    try:
        _position(info, error)
    except BaseException:
        pass
    if isinstance(error, ToolError):
        info['tool'] = True
        info['code'] = str(error.code)
        try:
            info['dataJson'] = _dumps(error.data, allow_nan=False)
        except BaseException:
            pass
    return _dumps(info)


_INTERRUPTED = '{"ok": false, "kind": "interrupted", "name": "KeyboardInterrupt", "message": ""}'


async def run(source, api_json, forms_json, host_call):
    try:
        return await _run_program(source, api_json, forms_json, host_call)
    except BaseException as e:
        # A limit's interrupt that landed in this module's own code (after the program ended, or
        # while describing its error) still answers: the host names the limit.
        if isinstance(e, KeyboardInterrupt):
            return _INTERRUPTED
        try:
            return _describe(e)
        except BaseException:
            return _INTERRUPTED


async def _run_program(source, api_json, forms_json, host_call):
    try:
        code = _compile(source)
    except SyntaxError as e:
        line = e.lineno or 1
        return _dumps({'ok': False, 'kind': 'syntax', 'name': type(e).__name__, 'message': _clip(str(e.msg)), 'line': line, 'column': e.offset or 1})
    except (RecursionError, MemoryError) as e:
        return _describe(e)
    _made.clear()
    api = _loads(api_json)
    forms = _loads(forms_json)
    scope = {'__builtins__': builtins, '__name__': '__main__', 'ToolError': ToolError}
    for namespace, fns in api.items():
        form = forms.get(namespace)
        if form in ('fetch', 'library'):
            continue
        calls = {fn: _make_call(namespace, fn, form == 'positional', host_call) for fn in fns}
        scope[namespace] = _namespace(namespace, calls)
    try:
        exec(code, scope)
        program = scope.pop('<program>')
        value = await program()
    except BaseException as e:
        _close_made()
        return _describe(e)
    never = _never_awaited()
    _close_made()
    if never is not None:
        return never
    if value is None:
        return '{"ok": true}'
    try:
        text = _dumps(value, ensure_ascii=False, allow_nan=False, default=_not_json)
    except BaseException as e:
        if isinstance(e, (KeyboardInterrupt, MemoryError, RecursionError)):
            return _describe(e)
        return _dumps({'ok': False, 'kind': 'thrown', 'name': 'TypeError', 'message': 'the return value is not JSON-serializable: ' + _clip(str(e))})
    return _dumps({'ok': True, 'value': text})


def run_task(source, api_json, forms_json, host_call):
    return _ensure_future(run(source, api_json, forms_json, host_call))


def pending_tasks():
    try:
        return len([t for t in asyncio.all_tasks() if not t.done()])
    except BaseException:
        return -1
`;

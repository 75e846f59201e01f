// The event loop of the Python sandbox, executed into `_cemcp` after the prelude (python-instance.ts).
// pyodide's WebLoop sends every ready callback through the JS event loop, each in a new one-shot
// proxy: two per host call (the task's wake-up and the future's bookkeeping). This loop keeps ready
// callbacks in a queue of its own, drained by one proxy made per interpreter, and `deliver` drains it
// in its own call, so an awaited host call resumes the program without a round through JS.
// Delayed callbacks (asyncio.sleep(t > 0), call_later) still go to WebLoop.

export const PYTHON_LOOP = String.raw`
import collections as _collections
import pyodide.webloop as _webloop


class _Loop(_webloop.WebLoop):
    def __init__(self):
        super().__init__()
        self._ready = _collections.deque()
        self._drain_scheduled = False
        self._draining = False
        # Set by deliver while it settles a future: it drains the queue itself right after.
        self.holding = False
        # The proxy of _drain that JS calls: made per interpreter (bind_loop), never in the snapshot.
        self._drain_js = None

    def call_soon(self, callback, *args, context=None):
        if self._drain_js is None:
            # Not bound (before the snapshot): WebLoop's own scheduling. Its call_soon would come back
            # here through call_later, so its call_later is called directly.
            return super().call_later(0, callback, *args, context=context)
        handle = _asyncio_Handle(callback, args, self, context=context)
        self._ready.append(handle)
        if not (self._drain_scheduled or self._draining or self.holding):
            self._schedule_drain()
        return handle

    def create_future(self):
        # WebLoop's adds a done callback to count futures in progress, which nothing here reads.
        return _asyncio_Future(loop=self)

    def call_later(self, delay, callback, *args, context=None):
        if delay <= 0:
            return self.call_soon(callback, *args, context=context)
        return super().call_later(delay, callback, *args, context=context)

    def _schedule_drain(self):
        self._drain_scheduled = True
        _webloop.scheduleCallback(self._drain_js, 0)

    def _drain(self):
        self._drain_scheduled = False
        self.run_ready()

    def run_ready(self):
        """Runs the callbacks ready now; those they make ready run in a later turn of the JS event loop."""
        if self._draining:
            return
        self._draining = True
        try:
            self._install_running_loop()
            self._install_asyncgen_hooks()
            for _ in range(len(self._ready)):
                handle = self._ready.popleft()
                if not handle._cancelled:
                    handle._run()
        finally:
            self._draining = False
            if self._ready and not self._drain_scheduled:
                self._schedule_drain()


_asyncio_Handle = asyncio.Handle
_asyncio_Future = asyncio.Future
_loop = _Loop()
asyncio.set_event_loop(_loop)


def bind_loop():
    from pyodide.ffi import create_proxy
    _loop._drain_js = create_proxy(_loop._drain)
`;

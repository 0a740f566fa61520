"""Progress of a long sweep: a one-line bar on a terminal (stderr), Dask's own progress
bar when the chunks run on Dask.

The bar shows the chunks done, the GD steps per second (one step of one run counts one)
and the time left; it is drawn only when asked (``progress=True``) or, by default, when
stderr is a terminal, so logs and captured output stay clean.
"""
from __future__ import annotations

import sys
import threading
import time

__all__ = ["Progress"]


def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """Progress of ``total`` chunks (``done`` of them finished before this run) of
    ``steps`` GD steps each on average; :meth:`update` after each chunk."""

    def __init__(self, total: int, done: int, steps_per_chunk: float, enabled=None,
                 stream=None, label: str = "sweep"):
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = bool(enabled)
        self.total, self.done, self.start_done = total, done, done
        self.steps_per_chunk, self.label = steps_per_chunk, label
        self.t0 = time.perf_counter()
        self.dask_bar = False

    def start(self) -> None:
        """Draw the empty bar (the chunks are about to run here or on local workers)."""
        self._draw()

    def attach_dask(self, futures) -> None:
        """Show Dask's progress bar for ``futures`` instead (a widget in Jupyter, text on
        the terminal, drawn by a background thread)."""
        if not self.enabled:
            return
        try:
            from distributed import progress
            from distributed.utils import is_kernel
            if is_kernel():
                from IPython.display import display
                display(progress(futures, notebook=True, multi=False))
            else:
                threading.Thread(target=progress, args=(futures,),
                                 kwargs={"notebook": False, "multi": False},
                                 daemon=True).start()
            self.dask_bar = True
        except Exception:  # no widgets, no terminal: keep the plain bar
            self.dask_bar = False

    @property
    def steps_per_second(self) -> float:
        dt = time.perf_counter() - self.t0
        return (self.done - self.start_done) * self.steps_per_chunk / dt if dt > 0 else 0.0

    def update(self, chunks: int = 1) -> None:
        self.done += chunks
        self._draw()

    def _draw(self) -> None:
        if not self.enabled or self.dask_bar:
            return
        frac = self.done / self.total if self.total else 1.0
        new = self.done - self.start_done
        dt = time.perf_counter() - self.t0
        left = dt / new * (self.total - self.done) if new else 0.0
        bar = "#" * int(30 * frac)
        self.stream.write(f"\r{self.label} [{bar:<30}] {self.done}/{self.total} chunks"
                          f"  {self.steps_per_second:.3g} steps/s  {_clock(left)} left ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and not self.dask_bar:
            self.stream.write("\n")
            self.stream.flush()

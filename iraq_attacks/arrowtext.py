"""Arrow-backed text columns: the few operations that pandas runs through Python objects on
them (seconds per million cells) done with Arrow's compute kernels instead (hundredths).

Every text cell the package reads is kept in Arrow's buffers (pandas ``string[pyarrow]`` or
``str`` dtype), so these functions take and return pandas objects without copying the text.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as arrow
import pyarrow.compute as compute

LONGEST_INTEGER = 18  # digits that always fit in an int64


def _use_returning_allocator() -> None:
    """Arrow's buffers from jemalloc with no decay: freed memory goes back to the system at
    once. With the default allocator a million-row load keeps the memory of every buffer it
    freed along the way (measured: 1.76 GiB peak instead of 1.4 GiB)."""
    try:
        arrow.set_memory_pool(arrow.jemalloc_memory_pool())
        arrow.jemalloc_set_decay_ms(0)
    except (NotImplementedError, AttributeError):  # a pyarrow built without jemalloc
        pass


_use_returning_allocator()


def arrow_cells(s: pd.Series) -> arrow.ChunkedArray:
    """The Arrow array behind an Arrow-backed text column, without a copy."""
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        return s.array.__arrow_array__()
    return arrow.chunked_array([arrow.array(s.astype(str).tolist(), arrow.large_string())])


def as_mask(result: arrow.ChunkedArray | arrow.Array, s: pd.Series) -> pd.Series:
    """An Arrow boolean result as a plain boolean Series on ``s``'s index."""
    return pd.Series(result.to_numpy(zero_copy_only=False).astype(bool), index=s.index)


def fullmatch(s: pd.Series, pattern: str) -> pd.Series:
    """Cells that match ``pattern`` (RE2 syntax) from end to end."""
    return as_mask(compute.match_substring_regex(arrow_cells(s), f"^(?:{pattern})$"), s)


def filled(s: pd.Series) -> pd.Series:
    """Cells with something other than white space in them."""
    cells = arrow_cells(s)
    return as_mask(compute.and_(compute.greater(compute.utf8_length(cells), 0),
                                compute.invert(compute.utf8_is_space(cells))), s)


def digits(s: pd.Series) -> pd.Series:
    """Cells written only in ASCII digits (an empty cell is not)."""
    return as_mask(compute.ascii_is_decimal(arrow_cells(s)), s)


def whole_numbers(s: pd.Series) -> pd.Series:
    """The value (float64) of every cell that is a whole number >= 0 written in ASCII digits,
    at most 18 of them; NaN elsewhere."""
    cells = arrow_cells(s)
    countable = compute.and_(compute.ascii_is_decimal(cells),
                             compute.less_equal(compute.utf8_length(cells), LONGEST_INTEGER))
    values = compute.cast(compute.if_else(countable, cells, arrow.scalar(None, cells.type)),
                          arrow.int64())
    return pd.Series(values.to_numpy(zero_copy_only=False), index=s.index, dtype="float64")


def at_most(s: pd.Series, top: int) -> pd.Series:
    """Cells that are not whole numbers, or are at most ``top``. Cells shorter than ``top``
    written out cannot exceed it; only when some cell is as long are the numbers read."""
    cells = arrow_cells(s)
    if not compute.any(compute.greater_equal(compute.utf8_length(cells),
                                             len(str(top)))).as_py():
        return pd.Series(True, index=s.index)
    return ~digits(s) | (whole_numbers(s) <= top)


def integers(s: pd.Series) -> pd.Series:
    """Validated whole numbers as nullable Int64; empty cells are missing. (Validation
    leaves only empty cells and ASCII digits, so nothing needs trimming.)"""
    cells = arrow_cells(s)
    values = compute.cast(compute.if_else(compute.equal(cells, ""),
                                          arrow.scalar(None, cells.type), cells), arrow.int64())
    return pd.Series(pd.Int64Dtype().__from_arrow__(values), index=s.index)


def starts_with_any(s: pd.Series, prefixes: tuple[str, ...]) -> pd.Series:
    """Cells whose first character is one of the one-character ``prefixes``."""
    first = compute.utf8_slice_codeunits(arrow_cells(s), 0, 1)
    return as_mask(compute.is_in(first, value_set=arrow.array(list(prefixes))), s)


def isin(cells: pd.Series, values: pd.Series) -> pd.Series:
    """``cells.isin(values)``: pandas takes seconds to hash a million Arrow-backed values
    (it converts them to Python strings), Arrow milliseconds."""
    value_set = arrow_cells(values).combine_chunks()
    return as_mask(compute.is_in(arrow_cells(cells), value_set=value_set), cells)


def _offsets_and_bytes(chunk: arrow.Array):
    """A text chunk's cell offsets (one more than its cells) and its data buffer's bytes,
    read in place."""
    import numpy as np

    width = np.int64 if arrow.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(chunk.buffers()[1], dtype=width)[
        chunk.offset:chunk.offset + len(chunk) + 1]
    return offsets, np.frombuffer(chunk.buffers()[2] or b"", dtype=np.uint8)


def _may_have_edge_space(cells: arrow.ChunkedArray) -> bool:
    """Whether some cell may start or end with white space, judged from the first and last
    byte of every cell, read straight from Arrow's buffers: an ASCII space or control byte,
    or any non-ASCII byte (which may belong to a Unicode space: the exact check decides)."""
    import numpy as np

    for chunk in cells.chunks:
        if len(chunk) == 0:
            continue
        offsets, data = _offsets_and_bytes(chunk)
        starts, ends = offsets[:-1], offsets[1:]
        filled = ends > starts
        edges = np.concatenate([data[starts[filled]], data[ends[filled] - 1]])
        if ((edges <= 32) | (edges >= 0x7F)).any():
            return True
    return False


def _used_bytes(chunk: arrow.Array):
    """The UTF-8 bytes of a text chunk's cells (a slice's own, not the whole buffer's)."""
    offsets, data = _offsets_and_bytes(chunk)
    return data[offsets[0]:offsets[-1]]


def contains_control(s: pd.Series, allowed: frozenset[str] = frozenset()) -> pd.Series:
    """Cells holding an ASCII control character (U+0000 to U+001F, U+007F) other than the
    ``allowed`` ones. The column's bytes are scanned in place first (their smallest value,
    and any DEL), and the cells are searched one by one only when that finds one: a regular
    expression over a million cells costs up to half a second per column. Exact, because
    UTF-8 never uses an ASCII byte inside a longer character."""
    cells = arrow_cells(s)
    if not any(len(data) and (data.min() < 0x20 or (data == 0x7F).any())
               for data in (_used_bytes(chunk) for chunk in cells.chunks)):
        return pd.Series(False, index=s.index)
    codes = sorted((set(range(0x20)) | {0x7F}) - {ord(c) for c in allowed})
    pattern = "[" + "".join(f"\\x{code:02x}" for code in codes) + "]"
    return as_mask(compute.match_substring_regex(cells, pattern), s)


def stripped(s: pd.Series) -> pd.Series:
    """Text without surrounding white space, as pandas' ``str`` dtype. The common case, no
    cell to strip, is found without a copy (see _may_have_edge_space)."""
    cells = arrow_cells(s)
    if _may_have_edge_space(cells):
        edges = [compute.utf8_slice_codeunits(cells, 0, 1),
                 compute.utf8_slice_codeunits(cells, -1)]
        if any(compute.any(compute.utf8_is_space(edge)).as_py() for edge in edges):
            s = s.str.strip()
    return s.astype(str)


def lookup(keys: pd.Series, table_keys: pd.Series, table_values: pd.Series) -> pd.Series:
    """For each cell of ``keys``, the value on the row of ``table_keys`` that holds it (a
    many-to-one lookup, empty where none does) as pandas' ``str`` dtype: a merge would copy
    every other column of a million-row frame."""
    positions = compute.index_in(arrow_cells(keys),
                                 value_set=arrow_cells(table_keys).combine_chunks())
    values = compute.take(arrow_cells(table_values).combine_chunks(), positions)
    return pd.Series(pd.StringDtype("pyarrow").__from_arrow__(values), index=keys.index
                     ).astype(str)


def distinct_tokens(s: pd.Series) -> int:
    """How many different white-space-separated words the cells hold (URLs in a
    ``source_urls`` column)."""
    # the distinct cells first: a million rows repeat a few thousand cells, and splitting
    # each row's cell into words took 0.7 s of the deck's 1.9 s
    cells = compute.unique(arrow_cells(s))
    words = compute.unique(compute.list_flatten(compute.utf8_split_whitespace(cells)))
    return len(words.filter(compute.not_equal(words, "")))  # a blank cell splits to ""


def release_memory() -> None:
    """Hand the memory of freed Arrow buffers back to the system. Arrow's allocator keeps it
    for reuse otherwise, and a million-row load frees and allocates hundreds of MiB in turn."""
    arrow.default_memory_pool().release_unused()


def reordered(column: pd.Series, order) -> pd.Series:
    """``column.take(order)`` with a fresh RangeIndex. Text is first joined into one Arrow
    chunk and the column let go: taking from many chunks joins them anyway, so the column
    would otherwise exist three times at once (the peak of a million-row load)."""
    if not (isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow"):
        return column.take(order).reset_index(drop=True)
    dtype, cells = column.dtype, arrow_cells(column).combine_chunks()
    del column
    release_memory()
    return pd.Series(dtype.__from_arrow__(arrow.chunked_array([cells.take(order)])))

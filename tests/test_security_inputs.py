"""Bad command-line values found by fuzzing, each exit 2 with one line before any work:
Dask scheduler addresses (checked before connecting), --plot names of another file type,
balance starts beyond float64, init titles that would make invalid TOML."""
from __future__ import annotations


import pytest

from cli_run import one_line_error, run_cli
from lrtheory.errors import InputError
from lrtheory.sweeps.executors import check_address

SWEEP = ["sweep", "x**2/2", "--vars", "x", "--lr-range", "0.5", "1", "--lr-samples", "2",
         "--grid", "2", "--steps", "10", "--tail", "4"]
BALANCE = ["balance", "--lr", "1/10", "--steps", "100"]


def bad_input(argv, cwd) -> str:
    """The one error line of ``lrtheory ARGV``, which must print nothing on stdout."""
    p = run_cli(*argv, cwd=cwd, timeout=120)
    line = one_line_error(p)
    assert p.stdout == ""
    return line


@pytest.mark.parametrize("address, said", [
    ("tcp://", "is not a scheduler address"),
    ("tcp://host", "is not a scheduler address"),
    ("localhost", "is not a scheduler address"),
    ("tcp://:8786", "is not a scheduler address"),
    ("", "is not a scheduler address"),
    ("tcp://[::1", "is not a scheduler address"),
    ("http://x", "is not a scheduler address"),
    ("foo://x:1", "unsupported scheme 'foo'"),
    ("ucx://x:1", "unsupported scheme 'ucx'"),
    ("inproc://x:1", "unsupported scheme 'inproc'"),
    ("tcp://localhost:0", "port 0 is not from 1 to 65535"),
    ("tcp://localhost:99999", "port 99999 is not from 1 to 65535"),
    ("tcp://256.1.1.1:8786", "256.1.1.1 is not an IPv4 address"),
    ("tcp://[1::2::3]:1", "[1::2::3] is not an IPv6 address"),
])
def test_a_bad_dask_address_is_refused_before_connecting(address, said):
    with pytest.raises(InputError) as err:
        check_address(address)
    assert said in str(err.value)


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:8786", "tls://sched.example:8786",
                                     "10.0.0.1:8786", "tcp://[::1]:8786"])
def test_good_dask_addresses_pass(address):
    assert check_address(f" {address} ") == address


@pytest.mark.parametrize("argv", [
    [*SWEEP, "--dask", "tcp://host"],
    [*SWEEP, "--dask", ""],
    ["verify", "BLOG-2", "--quick", "--dask", "inproc://"],
])
def test_the_commands_refuse_a_bad_dask_address(tmp_path, argv):
    assert "argument --dask" in bad_input(argv, tmp_path)


def test_a_plot_name_of_another_file_type_is_refused(tmp_path):
    line = bad_input([*SWEEP, "--plot", "x.txt"], tmp_path)
    assert "written as PNG and PDF" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("starts, option", [(["--x0=1e500", "--y0", "1"], "--x0"),
                                            (["--x0", "1", "--y0=-1e500"], "--y0"),
                                            (["--x0", "1", "--y0", "1", "--mu", "1e400"],
                                             "--mu")])
def test_balance_refuses_starts_beyond_float64(tmp_path, starts, option):
    line = bad_input([*BALANCE, *starts], tmp_path)
    assert f"{option} is beyond float64" in line and "--dps" in line


@pytest.mark.parametrize("title", ["a\x7fb", "a\x85b", "a\nb"])
def test_init_refuses_a_title_that_is_not_one_line_of_text(tmp_path, title):
    line = bad_input(["init", "paper", "--title", title], tmp_path)
    assert "--title must be one line of text" in line
    assert not (tmp_path / "paper").exists()

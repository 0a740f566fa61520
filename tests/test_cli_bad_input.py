"""Every command refuses bad input before it starts working: exit status 2, exactly one line
`lrtheory: error: ...` on stderr naming the option and the value, nothing on stdout, no
traceback.  Each case runs the real command line in a fresh process."""
import os
import subprocess
import sys

import pytest

EXPR = ["x**2", "--vars", "x"]
ORBITS = ["orbits", *EXPR, "--lr", "1", "--max-period", "1"]
BIFURCATIONS = ["bifurcations", *EXPR, "--lr-range", "1", "2"]
LYAPUNOV = ["lyapunov", *EXPR, "--lr", "1/2", "--x0", "1"]
MULTISCALE = ["multiscale", "--f0", "x**2/2", "--f1", "sin(x)", "--eps", "0.1", "--lr", "0.1"]
BALANCE = ["balance", "--x0", "9", "--y0", "1", "--lr", "4/90"]
MODEQ = ["modeq", *EXPR]
SHARPNESS = ["sharpness", *EXPR]
HUGE = "9" * 40

CASES = [
    # counts: below, above, huge, not an integer
    (ORBITS[:-1] + ["0"], "--max-period", "'0'"),
    (ORBITS[:-1] + ["13"], "--max-period", "'13'"),
    (ORBITS + ["--starts", "0"], "--starts", "'0'"),
    (ORBITS + ["--starts", HUGE], "--starts", HUGE),
    (ORBITS + ["--starts", "1e3"], "--starts", "'1e3'"),
    (BIFURCATIONS + ["--samples", "1"], "--samples", "'1'"),
    (BIFURCATIONS + ["--samples", "1000000"], "--samples", "'1000000'"),
    (BIFURCATIONS + ["--max-period", "100"], "--max-period", "'100'"),
    (LYAPUNOV + ["--steps", "0"], "--steps", "'0'"),
    (LYAPUNOV + ["--steps", "1000000000000"], "--steps", "'1000000000000'"),
    (LYAPUNOV + ["--transient", "-1"], "--transient", "'-1'"),
    (MULTISCALE + ["--steps", "3"], "--steps", "'3'"),
    (MULTISCALE + ["--chains", "1"], "--chains", "'1'"),
    (MULTISCALE + ["--chains", HUGE], "--chains", HUGE),
    (BALANCE + ["--steps", "-5"], "--steps", "'-5'"),
    (MODEQ + ["--order", "-1"], "--order", "'-1'"),
    (MODEQ + ["--order", "201"], "--order", "'201'"),  # above options.MAX_ORDER
    # precision: one range everywhere
    (ORBITS + ["--dps", "14"], "--dps", "'14'"),
    (BIFURCATIONS + ["--dps", "1001"], "--dps", "'1001'"),
    (LYAPUNOV + ["--dps", "5"], "--dps", "'5'"),
    (BALANCE + ["--dps", "100000"], "--dps", "'100000'"),
    # seeds: non-negative 32-bit
    (ORBITS + ["--seed", "-1"], "--seed", "'-1'"),
    (MULTISCALE + ["--seed", str(2**32)], "--seed", str(2**32)),
    # numbers, points, boxes
    (["orbits", *EXPR, "--lr", "0", "--max-period", "1"], "--lr", "'0'"),
    (["lyapunov", *EXPR, "--lr", "-2", "--x0", "1"], "--lr", "'-2'"),
    (ORBITS + ["--box", "3,1"], "--box", "'3,1'"),
    (ORBITS + ["--box", "1"], "--box", "'1'"),
    (["bifurcations", *EXPR, "--lr-range", "2", "1"], "--lr-range", "2 1"),
    (["bifurcations", *EXPR, "--lr-range", "-1", "1"], "--lr-range", "'-1'"),
    (["lyapunov", *EXPR, "--lr", "1/2", "--x0", "1,,2"], "--x0", "'1,,2'"),
    (MULTISCALE[:5] + ["--eps", "0", "--lr", "0.1"], "--eps", "'0'"),
    (MULTISCALE + ["--width", "-1"], "--width", "'-1'"),
    (["balance", "--x0", "9", "--y0", "1", "--lr", "pi/10"], "--lr", "'pi/10'"),
    (["balance", "--x0", "abc", "--y0", "1", "--lr", "1/10"], "--x0", "'abc'"),
    (SHARPNESS + ["--at", "x"], "--at", "'x'"),
    (SHARPNESS + ["--at", "x=1,x=2"], "--at", "'x=1,x=2'"),
    (["modeq", "x**2", "--vars", "1x"], "--vars", "'1x'"),
    (["list", "--no-such-option"], "--no-such-option", ""),
]


def run(argv, cwd):
    return subprocess.run([sys.executable, "-m", "lrtheory", *argv], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def assert_one_line_error(p, *names):
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert p.stdout == ""
    lines = p.stderr.splitlines()
    assert len(lines) == 1, p.stderr
    assert lines[0].startswith("lrtheory: error: ") and "Traceback" not in p.stderr
    for name in names:
        assert name in lines[0], (name, lines[0])


@pytest.mark.parametrize("argv,option,value", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_bad_value_exit_2_one_line(tmp_path, argv, option, value):
    assert_one_line_error(run(argv, tmp_path), option, value)


@pytest.fixture
def paths(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.json").write_text("{}")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.json"
    outside.write_text("{}")
    os.symlink(outside, tmp_path / "link.json")  # a link leading out of its folder
    os.symlink(tmp_path / "file.json", tmp_path / "inside-link.json")
    os.symlink(tmp_path / "folder", tmp_path / "link-folder")
    return tmp_path


PATH_CASES = [
    (["verify", "BLOG-2", "--json", "/dev/null"], "--json", "/dev/null"),
    (["verify", "BLOG-2", "--json", "{tmp}/link.json"], "--json", "link.json"),
    (["verify", "BLOG-2", "--json", "{tmp}/folder"], "--json", "folder"),
    (["verify", "BLOG-2", "--json", "{tmp}/file.json/r.json"], "--json", "file.json"),
    (["verify", "BLOG-2", "--figures", "{tmp}/file.json"], "--figures", "file.json"),
    (["verify", "BLOG-2", "--report", "/dev/null"], "--report", "/dev/null"),
    (["verify", "BLOG-2", "--baseline", "{tmp}/folder"], "--baseline", "folder"),
    (["verify", "BLOG-2", "--baseline", "/dev/zero"], "--baseline", "/dev/zero"),
    (["verify", "BLOG-2", "--json", "{tmp}/r.json", "--update-baseline", "--baseline",
      "{tmp}/link.json"], "--baseline", "link.json"),
    (["verify", "BLOG-2", "--json", "{tmp}/sub/r.json", "--figures", "{tmp}/file.json/f"],
     "--figures", "file.json"),
    (["report", "--results", "{tmp}/folder"], "--results", "folder"),
    (["report", "--results", "/dev/zero"], "--results", "/dev/zero"),
    (["report", "--results", "{tmp}/file.json", "--out", "{tmp}/file.json"], "--out",
     "file.json"),
    (["report", "--results", "{tmp}/file.json", "--out", "/dev/null"], "--out", "/dev/null"),
]


@pytest.mark.parametrize("argv,option,value", PATH_CASES,
                         ids=[" ".join(c[0]) for c in PATH_CASES])
def test_bad_output_path_exit_2_before_any_work(paths, argv, option, value):
    argv = [a.replace("{tmp}", str(paths)) for a in argv]
    p = run(argv, paths)
    assert_one_line_error(p, option, value)
    assert not (paths / "r.json").exists() and not (paths / "sub").exists()
    assert (paths / "file.json").read_text() == "{}"


@pytest.fixture
def unwritable_folder(tmp_path):
    """A folder this process may not write: a read-only one of its own, or (for root, whom
    permissions do not bind) /proc/sys when the system refuses writes there."""
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        yield locked
        locked.chmod(0o700)
    elif os.path.isdir("/proc/sys") and not os.access("/proc/sys", os.W_OK):
        yield "/proc/sys"
    else:
        pytest.skip("no unwritable folder available")


@pytest.mark.parametrize("argv,option", [
    (["verify", "BLOG-2", "--json", "{dir}/r.json"], "--json"),
    (["verify", "BLOG-2", "--json", "{tmp}/r.json", "--figures", "{dir}/figures"], "--figures"),
    (["report", "--results", "{tmp}/r.json", "--out", "{dir}/out"], "--out"),
])
def test_unwritable_folder_exit_2(tmp_path, unwritable_folder, argv, option):
    argv = [a.format(dir=unwritable_folder, tmp=tmp_path) for a in argv]
    assert_one_line_error(run(argv, tmp_path), option, "not writable")
    assert not (tmp_path / "r.json").exists()


def test_a_link_inside_its_folder_is_written_through(paths):
    """The file a link names inside its own folder is replaced; the link itself stays."""
    p = run(["verify", "BLOG-2", "--json", str(paths / "inside-link.json")], paths)
    assert p.returncode == 0, p.stderr
    assert (paths / "inside-link.json").is_symlink()
    assert '"BLOG-2"' in (paths / "file.json").read_text()


def test_an_output_folder_may_be_a_symbolic_link_to_a_folder(paths):
    """Only files are written by replacement; a linked output folder is fine."""
    from lrtheory.cli.options import output_dir_problem, output_file_problem
    assert output_dir_problem(paths / "link-folder") is None
    assert output_dir_problem(paths / "new" / "deeper") is None
    assert output_file_problem(paths / "new" / "r.json") is None
    assert output_file_problem(paths / "file.json") is None

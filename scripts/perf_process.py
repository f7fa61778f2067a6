#!/usr/bin/env python3
"""Whole-process timings of gpuenv (issue 10), printed as a markdown table.

Each case is a command run N times (default 21) by fork/exec from this harness; the wall time of each
run is measured around posix_spawn + wait4, and the child's CPU time (user + system) comes from wait4's
rusage, so a loaded machine shows up as wall >> CPU. Reported: median, min, p90 and max of the wall
time, median CPU time, the load average before and after the case, and each median as a multiple of
the floor (bench/floor.cpp doing exactly the file accesses gpuenv made in that case) and, for the
live machine, as a ratio to `python3 -m torch.utils.collect_env`.

Cases:
  live        gpuenv doctor --json --no-cache on this machine
  envs-N      gpuenv doctor --json --root ROOT on generated roots with N = 50, 100, 200 environments
  fatbin-cold gpuenv doctor --json --no-cache --env VENV, VENV's torch has a sparse 1 GiB libtorch_cuda.so
  fatbin-warm the same with gpuenv's arch cache filled (XDG_CACHE_HOME in the scratch directory)
  collect_env python3 -m torch.utils.collect_env (when Debian's python3-torch is installed)

Generated trees live in a scratch directory (default: a new one under $TMPDIR or /tmp) that is removed
at the end; the 1 GiB library is sparse (only its headers are written), so it takes a few MB of disk.

  scripts/perf_process.py --gpuenv build/bench/src/cli/gpuenv --floor build/bench/bench/floor \
      [--reps 21] [--cases live,envs,fatbin,collect_env] [--markdown OUT.md]
"""
import argparse
import os
import platform
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

# ---------------------------------------------------------------------------------------------- trees


def write(path, data, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)
    os.chmod(path, mode)


def torch_metadata(version):
    s = (f"Metadata-Version: 2.1\nName: torch\nVersion: {version}\nRequires-Python: >=3.8.0\n"
         "Requires-Dist: filelock\nRequires-Dist: typing-extensions>=4.8.0\n")
    for n in ("nvidia-cuda-runtime-cu12==12.4.127", "nvidia-cudnn-cu12==9.1.0.70",
              "nvidia-cublas-cu12==12.4.5.8", "nvidia-nccl-cu12==2.21.5", "triton==3.1.0"):
        s += f'Requires-Dist: {n}; platform_system == "Linux" and platform_machine == "x86_64"\n'
    s += "\n" + "PyTorch is a Python package that provides tensor computation with GPU acceleration.\n" * 600
    return s


def conda_record(name, version, build, files):
    body = ", ".join(f'"lib/python3.10/site-packages/torch/file{i}.py"' for i in range(files))
    return (f'{{"build": "{build}", "channel": "https://conda.anaconda.org/pytorch/linux-64", '
            f'"depends": ["python >=3.10,<3.11.0a0"], "files": [{body}], "name": "{name}", '
            f'"version": "{version}"}}')


def make_venv(v, meta, torch_version="2.5.1+cu124"):
    """A pip venv with torch (+ its nvidia wheels) and thirty other packages, as `pip install torch` leaves."""
    write(f"{v}/pyvenv.cfg", "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n")
    os.makedirs(f"{v}/bin", exist_ok=True)
    if not os.path.lexists(f"{v}/bin/python3"):
        os.symlink("/usr/bin/python3.11", f"{v}/bin/python3")
    sp = f"{v}/lib/python3.11/site-packages"
    info = f"{sp}/torch-{torch_version}.dist-info"
    write(f"{info}/METADATA", meta)
    write(f"{info}/INSTALLER", "pip\n")
    write(f"{sp}/torch/version.py",
          f"__version__ = '{torch_version}'\ndebug = False\ncuda: Optional[str] = '12.4'\n")
    for n in ("nvidia_cuda_runtime_cu12-12.4.127", "nvidia_cudnn_cu12-9.1.0.70", "nvidia_cublas_cu12-12.4.5.8"):
        write(f"{sp}/{n}.dist-info/METADATA", "Metadata-Version: 2.1\nName: x\nVersion: 1\n\n")
    for k in range(30):
        write(f"{sp}/package{k}-1.0.dist-info/METADATA", f"Metadata-Version: 2.1\nName: package{k}\nVersion: 1.0\n")


def make_envs_root(root, n):
    """A machine with n environments: 60% venvs with a pip torch, 30% conda envs, 10% pyenv Pythons."""
    meta = torch_metadata("2.5.1+cu124")
    n_venv, n_conda = n * 6 // 10, n * 3 // 10
    n_pyenv = n - n_venv - n_conda
    write(f"{root}/etc/os-release", 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')
    for i in range(n_venv):
        make_venv(f"{root}/home/u{i % 2}/projects/p{i}/.venv", meta)
    big = conda_record("pytorch", "2.1.0", "py3.10_cuda12.1_cudnn8.9.2_0", 20000)
    small = [conda_record("lib", "1.0", "h0_0", 10)] * 40
    for i in range(n_conda):
        e = f"{root}/home/u0/miniconda3/envs/e{i}"
        write(f"{e}/conda-meta/python-3.10.13-h955ad1f_0.json", conda_record("python", "3.10.13", "h955ad1f_0", 50))
        write(f"{e}/conda-meta/pytorch-2.1.0-py3.10_cuda12.1_cudnn8.9.2_0.json", big)
        write(f"{e}/conda-meta/pytorch-cuda-12.1-ha16c6d3_5.json",
              conda_record("pytorch-cuda", "12.1", "ha16c6d3_5", 1))
        for k, rec in enumerate(small):
            write(f"{e}/conda-meta/lib{k}-1.0-h0_0.json", rec)
        write(f"{e}/lib/python3.10/site-packages/torch/version.py", "__version__ = '2.1.0'\ncuda: Optional[str] = '12.1'\n")
    write(f"{root}/home/u0/miniconda3/conda-meta/python-3.11.5-h955ad1f_0.json",
          conda_record("python", "3.11.5", "h955ad1f_0", 50))
    for i in range(n_pyenv):
        p = f"{root}/home/u1/.pyenv/versions/3.11.{i}"
        write(f"{p}/include/python3.11/patchlevel.h", f'#define PY_VERSION "3.11.{i}"\n')
        write(f"{p}/bin/python3.11", "", 0o755)
        write(f"{p}/lib/python3.11/site-packages/README.txt", "")


def make_fatbin_library(path, containers=8192, entries=4, total=1 << 30):
    """A sparse ELF whose .nv_fatbin section spans ~1 GiB (the layout of bench/fatbin_bench.cpp)."""
    payload = total // (containers * entries) - 64
    section_offset = 4096
    entry_span = 64 + payload
    container_span = 16 + entries * entry_span
    archs = [80, 90, 100, 100]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for c in range(containers):
            at = section_offset + c * container_span
            os.pwrite(fd, struct.pack("<IHHQ", 0xBA55ED50, 1, 16, entries * entry_span), at)
            for e in range(entries):
                ptx = e == 3
                eh = bytearray(64)
                struct.pack_into("<HHIQ", eh, 0, 1 if ptx else 2, 0x0101, 64, payload)
                struct.pack_into("<I", eh, 28, archs[e])
                struct.pack_into("<I", eh, 40, 0x8011)
                os.pwrite(fd, bytes(eh), at + 16 + e * entry_span)
        section_size = containers * container_span
        names = b"\0.nv_fatbin\0.shstrtab\0"
        names_at = section_offset + section_size
        shoff = (names_at + len(names) + 7) // 8 * 8
        os.pwrite(fd, names, names_at)
        table = bytearray(3 * 64)
        struct.pack_into("<II", table, 64, 1, 1)
        struct.pack_into("<QQ", table, 64 + 24, section_offset, section_size)
        struct.pack_into("<II", table, 128, 12, 3)
        struct.pack_into("<QQ", table, 128 + 24, names_at, len(names))
        os.pwrite(fd, bytes(table), shoff)
        eh = bytearray(64)
        eh[0:7] = b"\x7fELF\x02\x01\x01"
        struct.pack_into("<HH", eh, 0x10, 3, 62)
        struct.pack_into("<Q", eh, 0x28, shoff)
        struct.pack_into("<HHH", eh, 0x3A, 64, 3, 2)
        os.pwrite(fd, bytes(eh), 0)
    finally:
        os.close(fd)


# ------------------------------------------------------------------------------------------ timing


def run_once(argv, env):
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        t0 = time.perf_counter_ns()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=[
            (os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
        _, status, ru = os.wait4(pid, 0)
        t1 = time.perf_counter_ns()
    finally:
        os.close(devnull)
    rc = os.waitstatus_to_exitcode(status)
    return (t1 - t0) / 1e6, (ru.ru_utime + ru.ru_stime) * 1e3, rc


def percentile(xs, p):
    xs = sorted(xs)
    k = (len(xs) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


class Case:
    def __init__(self, name, argv, env, note=""):
        self.name, self.argv, self.env, self.note = name, argv, env, note
        self.walls, self.cpus, self.rcs = [], [], set()
        self.load = None
        self.floor = None  # a Case: the floor program over this case's accesses

    def run(self, reps, before=None):
        load0 = os.getloadavg()[0]
        run_once(self.argv, self.env)  # warm-up: page cache, dynamic loader
        for _ in range(reps):
            if before:
                before()
            w, c, rc = run_once(self.argv, self.env)
            self.walls.append(w)
            self.cpus.append(c)
            self.rcs.add(rc)
        self.load = (load0, os.getloadavg()[0])
        return self

    @property
    def median(self):
        return statistics.median(self.walls)


def resolve_exe(path):
    p = shutil.which(path) if os.sep not in path else path
    if not p or not os.access(p, os.X_OK):
        sys.exit(f"perf_process: cannot run {path}")
    return os.path.abspath(p)


def access_list(gpuenv_argv, env, out_path):
    """Runs gpuenv once more with -v and keeps the accesses it lists (kind + machine path)."""
    r = subprocess.run(gpuenv_argv + ["-v"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in r.stderr.splitlines():
        if line.startswith("  "):
            kind, _, path = line[2:].partition(" ")
            if kind in ("read", "list", "stat", "link") and path.startswith("/"):
                lines.append(f"{kind} {path}")
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return len(lines)


def machine_line():
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    kernel = platform.release()
    return f"{model}, {os.cpu_count()} cores, Linux {kernel}"


def fmt_ms(x):
    return f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gpuenv", required=True)
    ap.add_argument("--floor", required=True)
    ap.add_argument("--reps", type=int, default=21)
    ap.add_argument("--cases", default="live,envs,fatbin,collect_env")
    ap.add_argument("--envs", default="50,100,200", help="environment counts for the envs cases")
    ap.add_argument("--scratch", help="directory for generated trees (default: a new temporary one)")
    ap.add_argument("--markdown", help="also write the table to this file")
    ap.add_argument("--python", help="the python3 that runs collect_env (default: python3 on /usr/local/bin:/usr/bin:/bin)")
    a = ap.parse_args()
    gpuenv, floor = resolve_exe(a.gpuenv), resolve_exe(a.floor)
    wanted = set(a.cases.split(","))
    scratch = a.scratch or tempfile.mkdtemp(prefix="gpuenv-perf-")
    own_scratch = a.scratch is None
    os.makedirs(scratch, exist_ok=True)
    # A fixed environment: no user's PATH/HOME decide what gpuenv reads on the live machine.
    base_env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"),
                "LANG": "C.UTF-8", "GPUENV_TODAY": "2026-11-30"}
    cases = []
    try:
        if "live" in wanted:
            cases.append(Case("doctor --json (this machine)", [gpuenv, "doctor", "--json", "--no-cache"], base_env))
        if "envs" in wanted:
            for n in [int(x) for x in a.envs.split(",") if x]:
                root = f"{scratch}/envs{n}"
                if not os.path.isdir(root):
                    make_envs_root(root, n)
                cases.append(Case(f"doctor --json --root (envs: {n})",
                                  [gpuenv, "doctor", "--json", "--root", root], base_env))
        if "fatbin" in wanted:
            venv = f"{scratch}/fatbin/.venv"
            lib = f"{venv}/lib/python3.11/site-packages/torch/lib/libtorch_cuda.so"
            if not os.path.exists(lib):
                make_venv(venv, torch_metadata("2.5.1+cu124"))
                make_fatbin_library(lib)
            cold = Case("doctor --json, 1 GiB libtorch_cuda.so, no cache",
                        [gpuenv, "doctor", "--json", "--no-cache", "--env", venv], base_env)
            warm_env = dict(base_env, XDG_CACHE_HOME=f"{scratch}/xdg-cache")
            warm = Case("doctor --json, 1 GiB libtorch_cuda.so, cached",
                        [gpuenv, "doctor", "--json", "--env", venv], warm_env)
            cases += [cold, warm]
        collect = None
        if "collect_env" in wanted:
            # Debian's python3-torch: the python3 of the fixed PATH, not a pyenv shim of the caller's.
            py = a.python or shutil.which("python3", path=base_env["PATH"])
            probe = subprocess.run([py, "-c", "import torch.utils.collect_env"], env=base_env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if py else None
            if probe is not None and probe.returncode == 0:
                collect = Case("python3 -m torch.utils.collect_env",
                               [py, "-m", "torch.utils.collect_env"], base_env)
            else:
                print("perf_process: torch is not importable; collect_env skipped", file=sys.stderr)

        for c in cases:
            # The floor: the same accesses, made by a program that does nothing else.
            lst = f"{scratch}/accesses-{len(c.walls)}-{abs(hash(c.name))}.txt"
            root = c.argv[c.argv.index("--root") + 1] if "--root" in c.argv else "/"
            n = access_list(c.argv, c.env, lst)
            c.accesses = n
            c.floor = Case("floor", [floor, root, lst], c.env)
            print(f"== {c.name} ({n} accesses)", file=sys.stderr)
            c.run(a.reps)
            c.floor.run(a.reps)
        if collect:
            print(f"== {collect.name}", file=sys.stderr)
            collect.run(max(3, a.reps // 3))
    finally:
        if own_scratch:
            shutil.rmtree(scratch, ignore_errors=True)

    out = []
    out.append(f"Machine: {machine_line()}; {a.reps} runs per case; "
               f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; gpuenv `{os.path.relpath(gpuenv)}`.")
    out.append("")
    out.append("| case | median ms | min | p90 | max | CPU ms | floor ms | floor CPU ms | × floor | accesses | load 1m before→after |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for c in cases:
        f = c.floor
        out.append(f"| {c.name} | **{fmt_ms(c.median)}** | {fmt_ms(min(c.walls))} | {fmt_ms(percentile(c.walls, 0.9))} "
                   f"| {fmt_ms(max(c.walls))} | {fmt_ms(statistics.median(c.cpus))} | {fmt_ms(f.median)} "
                   f"| {fmt_ms(statistics.median(f.cpus))} "
                   f"| {c.median / f.median:.1f} | {c.accesses} | {c.load[0]:.2f}→{c.load[1]:.2f} |"
                   + ("" if c.rcs <= {0, 1} else f" exit codes {sorted(c.rcs)}!"))
    if collect:
        c = collect
        out.append(f"| {c.name} | **{fmt_ms(c.median)}** | {fmt_ms(min(c.walls))} | {fmt_ms(percentile(c.walls, 0.9))} "
                   f"| {fmt_ms(max(c.walls))} | {fmt_ms(statistics.median(c.cpus))} | | | | | "
                   f"{c.load[0]:.2f}→{c.load[1]:.2f} |")
    out.append("")
    live = next((c for c in cases if c.name.endswith("(this machine)")), None)
    if live and collect:
        out.append(f"collect_env / gpuenv doctor --json on this machine: **{collect.median / live.median:.0f}×** "
                   f"(medians of the wall time, same run; {statistics.median(collect.cpus) / statistics.median(live.cpus):.0f}× "
                   f"in CPU time).")
    envs = [(int(c.name.split(": ")[1].rstrip(")")), c.median) for c in cases if "(envs:" in c.name]
    if len(envs) >= 2:
        (n0, t0), (n1, t1) = envs[0], envs[-1]
        slope = (t1 - t0) / (n1 - n0)
        out.append(f"Environments: {slope:.2f} ms per environment between {n0} and {n1} "
                   + "(" + ", ".join(f"{n}: {t / n:.2f} ms/env" for n, t in envs) + ").")
    text = "\n".join(out) + "\n"
    sys.stdout.write(text)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(text)
    bad = [c.name for c in cases if not c.rcs <= {0, 1}]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

# gpuenv verify probe (issue 7; design.md section 5 "verify --json").
#
# gpuenv embeds this file and runs it with the environment's own interpreter, the way the user's code
# runs: `python -B -c <this file> [--quick]`, with the user's environment variables as they are. It does
# real work with torch and prints ONE JSON document on stdout. It runs on Python 3.6+ and never raises:
# a missing or broken torch, a failing kernel, a bug in this file all become data in that document.
# A crash inside a native library cannot be caught here; the progress lines "gpuenv-verify: step NAME"
# on stderr let gpuenv say where it happened.
#
# Options:
#   --quick              fewer and smaller steps (first device only, small sizes)
#   --gpu-steps-on cpu   run the GPU steps on the CPU device: lets gpuenv's tests exercise the GPU code
#                        path of this file on machines without a GPU (never used by gpuenv itself)
import sys

# The current directory must not shadow the modules used below (a json.py beside the user's data).
sys.path[:] = [p for p in sys.path if p not in ("", ".")]

import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import warnings  # noqa: E402

PROBE_VERSION = 1
MAX_TEXT = 4000

# Unit roundoff per dtype: the relative error bound of a product with k-term sums is 4 (sqrt(k) + 1) u
# (input rounding plus a random-walk accumulation; measured errors sit 10-20x below it).
UNIT_ROUNDOFF = {"float64": 2.0**-53, "float32": 2.0**-24, "float16": 2.0**-11, "bfloat16": 2.0**-8}


def clip(text, limit=MAX_TEXT):
    text = str(text)
    return text if len(text) <= limit else text[: limit // 2] + "\n[...]\n" + text[-limit // 2 :]


def error_text(exc):
    name = type(exc).__name__
    message = str(exc)
    return clip(name + ": " + message if message else name)


def progress(name):
    try:
        sys.stderr.write("gpuenv-verify: step " + name + "\n")
        sys.stderr.flush()
    except Exception:
        pass


def finite(x):
    """A float for JSON: NaN and infinity become None (JSON has neither)."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def plain(value):
    """The value as plain JSON data: non-finite floats become None, unknown objects their text."""
    if isinstance(value, dict):
        return dict((str(k), plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return finite(value)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return clip(value)


def run_step(report, name, device, fn):
    """Runs fn(); records ok/seconds/error (and fn's detail dict) as one step. Returns fn's value or None."""
    progress(name if device is None else name + " " + device)
    entry = {"name": name, "device": device, "ok": False, "seconds": None, "error": None}
    report["steps"].append(entry)
    start = time.perf_counter()
    value = None
    try:
        value = fn()
        entry["ok"] = True
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # SystemExit from a broken package is data too
        entry["error"] = error_text(exc)
        entry["traceback"] = clip(traceback.format_exc(), 2000)
    entry["seconds"] = round(time.perf_counter() - start, 4)
    if isinstance(value, dict) and "detail" in value:
        entry["detail"] = value["detail"]
    return value


def check_close(torch, got, want, dtype_name, k, what):
    """Relative Frobenius error of got (any dtype, on the CPU) against the float64 reference want."""
    got = got.double()
    denom = float(want.norm())
    err = float((got - want).norm()) / denom if denom > 0 else float((got - want).norm())
    bound = 4.0 * (math.sqrt(k) + 1.0) * UNIT_ROUNDOFF[dtype_name]
    detail = {"dtype": dtype_name, "rel_error": finite(err), "bound": bound}
    if not (err <= bound):  # also catches NaN
        raise ArithmeticError(
            "%s: relative error %s exceeds the %s bound %.3g (wrong results)" % (what, err, dtype_name, bound)
        )
    return detail


class Flags(object):
    """Sets torch backend flags for a strict float32 check and restores them (TF32 would loosen it)."""

    def __init__(self, torch):
        self.saved = []
        self.torch = torch

    def set(self, obj, attr, value):
        if obj is not None and hasattr(obj, attr):
            self.saved.append((obj, attr, getattr(obj, attr)))
            setattr(obj, attr, value)

    def __enter__(self):
        backends = getattr(self.torch, "backends", None)
        self.set(getattr(getattr(backends, "cuda", None), "matmul", None), "allow_tf32", False)
        self.set(getattr(backends, "cudnn", None), "allow_tf32", False)
        self.set(getattr(backends, "cudnn", None), "enabled", True)
        get_precision = getattr(self.torch, "get_float32_matmul_precision", None)
        if get_precision is not None:
            self.precision = get_precision()
            self.torch.set_float32_matmul_precision("highest")
        return self

    def __exit__(self, *exc):
        for obj, attr, value in reversed(self.saved):
            setattr(obj, attr, value)
        if getattr(self, "precision", None) is not None:
            self.torch.set_float32_matmul_precision(self.precision)
        return False


class Sizes(object):
    def __init__(self, quick):
        self.check_n = 512 if quick else 1024  # matmul correctness
        self.conv_batch = 2 if quick else 8
        self.alloc_mib = 64 if quick else 256
        self.bench_n = 2048 if quick else 4096
        self.bench_cpu_reps = 3 if quick else 5
        self.bench_cpu_budget = 3.0 if quick else 10.0  # seconds; at least one timed run
        self.bench_gpu_reps = 10 if quick else 20


def make_reference(torch, sizes):
    gen = torch.Generator().manual_seed(20240601)
    n = sizes.check_n
    a = torch.randn(n, n, dtype=torch.float64, generator=gen)
    b = torch.randn(n, n, dtype=torch.float64, generator=gen)
    x = torch.randn(sizes.conv_batch, 16, 64, 64, dtype=torch.float64, generator=gen)
    w = torch.randn(32, 16, 3, 3, dtype=torch.float64, generator=gen)
    conv = torch.nn.functional.conv2d
    return {"a": a, "b": b, "ab": a @ b, "x": x, "w": w, "xw": conv(x, w, padding=1)}


def step_matmul(torch, ref, device):
    def fn():
        with Flags(torch):
            a = ref["a"].float().to(device)
            b = ref["b"].float().to(device)
            got = (a @ b).cpu()
        return {"detail": check_close(torch, got, ref["ab"], "float32", ref["a"].shape[1], "matmul")}

    return fn


def step_conv2d(torch, ref, device, need_cudnn):
    def fn():
        detail = {}
        if need_cudnn:
            cudnn = torch.backends.cudnn
            if not cudnn.is_available():
                raise RuntimeError("cuDNN is not available to torch (torch.backends.cudnn.is_available() is False)")
            detail["cudnn"] = cudnn.version()
        with Flags(torch):
            x = ref["x"].float().to(device)
            w = ref["w"].float().to(device)
            got = torch.nn.functional.conv2d(x, w, padding=1).cpu()
        detail.update(check_close(torch, got, ref["xw"], "float32", 16 * 3 * 3, "conv2d"))
        return {"detail": detail}

    return fn


def step_allocate(torch, device, sizes, on_gpu):
    def fn():
        detail = {"mib": sizes.alloc_mib}
        block = torch.empty(sizes.alloc_mib * 1024 * 1024 // 4, dtype=torch.float32, device=device)
        block.fill_(1.0)
        pattern = torch.arange(1 << 20, dtype=torch.int32)
        back = pattern.to(device).cpu()
        if not torch.equal(back, pattern):
            raise ArithmeticError("allocate: data copied to the device and back came back changed")
        if on_gpu and hasattr(torch.cuda, "mem_get_info"):
            free, total = torch.cuda.mem_get_info(torch.device(device))
            detail["free_mib"] = int(free) // (1024 * 1024)
            detail["total_mib"] = int(total) // (1024 * 1024)
        del block
        return {"detail": detail}

    return fn


def step_synchronize(torch, device, on_gpu):
    def fn():
        x = torch.ones(1024, 1024, device=device)
        for _ in range(8):
            x = x * 1.0001
        if on_gpu:
            torch.cuda.synchronize(torch.device(device))
            if not torch.cuda.current_stream(torch.device(device)).query():
                raise RuntimeError("synchronize returned with work still queued")
        value = float(x[0, 0])
        if not abs(value - 1.0001**8) < 1e-4:
            raise ArithmeticError("synchronize: unexpected value %r after the queued work" % value)
        return None

    return fn


def step_torchvision_nms(torch, device):
    def fn():
        import torchvision

        boxes = torch.tensor([[0.0, 0.0, 10.0, 10.0], [1.0, 1.0, 11.0, 11.0], [50.0, 50.0, 60.0, 60.0]])
        scores = torch.tensor([0.9, 0.8, 0.7])
        keep = torchvision.ops.nms(boxes.to(device), scores.to(device), 0.5).cpu().tolist()
        if keep != [0, 2]:
            raise ArithmeticError("torchvision.ops.nms returned %r, expected [0, 2]" % keep)
        return None

    return fn


def median(values):
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else 0.5 * (values[mid - 1] + values[mid])


def step_benchmark(torch, device, sizes, on_gpu, report):
    """The same float32 matrix product timed on the CPU and on the device: warm-up, then the median."""

    def fn():
        n = sizes.bench_n
        gen = torch.Generator().manual_seed(7)
        a = torch.randn(n, n, generator=gen)
        b = torch.randn(n, n, generator=gen)
        a @ b  # warm-up (thread pool, first-touch)
        cpu_times = []
        begin = time.perf_counter()
        while len(cpu_times) < sizes.bench_cpu_reps:
            t0 = time.perf_counter()
            a @ b
            cpu_times.append(time.perf_counter() - t0)
            if time.perf_counter() - begin > sizes.bench_cpu_budget:
                break
        da, db = a.to(device), b.to(device)
        gpu_times = []
        if on_gpu:
            with torch.cuda.device(torch.device(device)):
                for _ in range(3):
                    da @ db
                torch.cuda.synchronize()
                for _ in range(sizes.bench_gpu_reps):
                    start = torch.cuda.Event(enable_timing=True)
                    end = torch.cuda.Event(enable_timing=True)
                    start.record()
                    da @ db
                    end.record()
                    end.synchronize()
                    gpu_times.append(start.elapsed_time(end) / 1000.0)
        else:
            da @ db
            for _ in range(sizes.bench_cpu_reps):
                t0 = time.perf_counter()
                da @ db
                gpu_times.append(time.perf_counter() - t0)
        cpu_s, gpu_s = median(cpu_times), median(gpu_times)
        flop = 2.0 * n * n * n
        matmul_flags = getattr(getattr(torch.backends, "cuda", None), "matmul", None)
        detail = {
            "n": n,
            "dtype": "float32",
            "cpu_seconds": finite(cpu_s),
            "gpu_seconds": finite(gpu_s),
            "cpu_runs": len(cpu_times),
            "gpu_runs": len(gpu_times),
            "cpu_gflops": finite(flop / cpu_s / 1e9) if cpu_s > 0 else None,
            "gpu_gflops": finite(flop / gpu_s / 1e9) if gpu_s > 0 else None,
            "cpu_threads": torch.get_num_threads(),
            "tf32": getattr(matmul_flags, "allow_tf32", None),
        }
        if gpu_s > 0:
            report["speedup"] = finite(cpu_s / gpu_s)
        return {"detail": detail}

    return fn


def torch_info(torch, report):
    info = {"version": None, "cuda": None, "hip": None, "cudnn": None, "arch_list": None, "location": None}
    report["torch"] = info
    problems = report["info_errors"]

    def get(key, fn):
        try:
            info[key] = fn()
        except Exception as exc:
            problems.append(key + ": " + error_text(exc))

    get("version", lambda: str(torch.__version__))
    get("cuda", lambda: getattr(torch.version, "cuda", None))
    get("hip", lambda: getattr(torch.version, "hip", None))
    get("location", lambda: os.path.dirname(torch.__file__))
    get("cudnn", lambda: torch.backends.cudnn.version())
    get("arch_list", lambda: list(torch.cuda.get_arch_list()) if hasattr(torch.cuda, "get_arch_list") else None)


def devices_info(torch, report):
    try:
        report["cuda_available"] = bool(torch.cuda.is_available())
    except Exception as exc:
        report["cuda_available"] = False
        report["info_errors"].append("cuda_available: " + error_text(exc))
    try:
        report["device_count"] = int(torch.cuda.device_count())
    except Exception as exc:
        report["info_errors"].append("device_count: " + error_text(exc))
    if not report["cuda_available"]:
        return
    for index in range(report["device_count"] or 0):
        entry = {"index": index, "name": None, "compute_capability": None, "memory_mib": None}
        report["devices"].append(entry)
        try:
            props = torch.cuda.get_device_properties(index)
            entry["name"] = props.name
            entry["compute_capability"] = "%d.%d" % (props.major, props.minor)
            entry["memory_mib"] = int(props.total_memory) // (1024 * 1024)
        except Exception as exc:
            report["info_errors"].append("device %d: %s" % (index, error_text(exc)))


def probe(report, quick, gpu_steps_on):
    sizes = Sizes(quick)
    if gpu_steps_on == "cpu":
        sizes.bench_n = 256  # a test of the code path, not a measurement
    state = {}

    def do_import():
        import torch

        state["torch"] = torch

    run_step(report, "import", None, do_import)
    torch = state.get("torch")
    if torch is None:
        return
    torch_info(torch, report)

    has_torchvision = False
    try:
        import importlib.util

        has_torchvision = importlib.util.find_spec("torchvision") is not None
    except Exception:
        pass
    if has_torchvision:

        def do_import_torchvision():
            import torchvision

            report["torchvision"] = {"version": str(getattr(torchvision, "__version__", None))}

        run_step(report, "import_torchvision", None, do_import_torchvision)
        has_torchvision = report.get("torchvision") is not None

    ref = run_step(report, "reference", "cpu", lambda: make_reference(torch, sizes))
    if ref is None:
        return
    run_step(report, "matmul", "cpu", step_matmul(torch, ref, "cpu"))
    run_step(report, "conv2d", "cpu", step_conv2d(torch, ref, "cpu", False))

    build = report["torch"]
    if gpu_steps_on == "cpu":
        report["cuda_available"] = False
        report["device_count"] = 0
        targets, on_gpu = ["cpu"], False
    else:
        is_gpu_build = bool(build.get("cuda") or build.get("hip"))
        if is_gpu_build:
            # The precise reason CUDA cannot start ("Found no NVIDIA driver", "driver too old", ...).
            run_step(report, "cuda_init", "cuda", lambda: (getattr(torch.cuda, "init", None) or torch.cuda._lazy_init)())
        devices_info(torch, report)
        if not report["cuda_available"]:
            return
        count = report["device_count"] or 0
        targets = ["cuda:%d" % i for i in range(1 if quick else min(count, 8))]
        on_gpu = True

    need_cudnn = on_gpu and not build.get("hip")
    usable = []
    for device in targets:
        ok = run_step(report, "allocate", device, step_allocate(torch, device, sizes, on_gpu)) is not None
        if not ok:
            continue  # nothing else can work on this device; its error says why
        usable.append(device)
        run_step(report, "matmul", device, step_matmul(torch, ref, device))
        run_step(report, "conv2d", device, step_conv2d(torch, ref, device, need_cudnn))
        run_step(report, "synchronize", device, step_synchronize(torch, device, on_gpu))
    if not usable:
        return
    if has_torchvision and not quick:
        run_step(report, "torchvision_nms", usable[0], step_torchvision_nms(torch, usable[0]))
    run_step(report, "benchmark", usable[0], step_benchmark(torch, usable[0], sizes, on_gpu, report))


def main(argv):
    quick = "--quick" in argv
    gpu_steps_on = None
    if "--gpu-steps-on" in argv and argv.index("--gpu-steps-on") + 1 < len(argv):
        gpu_steps_on = argv[argv.index("--gpu-steps-on") + 1]

    # Only the JSON document goes to the real stdout; whatever torch and its libraries print goes to stderr.
    sys.stdout.flush()
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    report = {
        "probe": PROBE_VERSION,
        "python": sys.executable,
        "python_version": platform.python_version(),
        "quick": quick,
        "torch": None,
        "torchvision": None,
        "cuda_available": None,
        "device_count": None,
        "devices": [],
        "steps": [],
        "speedup": None,
        "warnings": [],
        "info_errors": [],
        "internal_error": None,
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            probe(report, quick, gpu_steps_on)
        except KeyboardInterrupt:
            raise
        except BaseException:
            report["internal_error"] = clip(traceback.format_exc())
    seen = set()
    for w in caught:
        key = (w.category.__name__, str(w.message))
        if key in seen or len(seen) >= 50:
            continue
        seen.add(key)
        report["warnings"].append(
            {
                "category": key[0],
                "message": clip(key[1], 2000),
                "source": "%s:%s" % (os.path.basename(str(w.filename)), w.lineno),
            }
        )
    progress("done")
    out.write(json.dumps(plain(report), allow_nan=False) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

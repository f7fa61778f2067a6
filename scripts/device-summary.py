"""Summary table of a device check (scripts/device-check.sh): gpuenv's readings next to nvidia-smi's.

    python3 scripts/device-summary.py OUTDIR

Reads OUTDIR/{nvidia-smi-query,nvidia-smi,doctor-json,verify-json}.out and the *.rc files; prints a
plain-text table. Runs on Python 3.6+ with the standard library only; missing or broken files
become "-" in the table, never an error.
"""
import json
import os
import re
import sys


def read(out, name):
    try:
        with open(os.path.join(out, name), encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def load_json(out, name):
    text = read(out, name)
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def nvidia_smi(out):
    """name, memory MiB, driver, compute capability from the CSV query; CUDA Version from the banner."""
    smi = {}
    csv = read(out, "nvidia-smi-query.out")
    if csv and csv.strip() and read(out, "nvidia-smi-query.rc") == "0\n":
        fields = [f.strip() for f in csv.strip().splitlines()[0].split(",")]
        if len(fields) >= 3:
            smi["name"] = fields[0]
            m = re.match(r"(\d+)\s*MiB", fields[1])
            smi["memory_mib"] = int(m.group(1)) if m else None
            smi["driver"] = fields[2]
        if len(fields) >= 4:
            smi["cc"] = fields[3]
        smi["gpus"] = len(csv.strip().splitlines())
    banner = read(out, "nvidia-smi.out") or ""
    m = re.search(r"CUDA Version:\s*([0-9.]+)", banner)
    if m:
        smi["cuda"] = m.group(1)
    return smi


def get(obj, *path):
    for key in path:
        if isinstance(obj, dict):
            obj = obj.get(key)
        elif isinstance(obj, list) and isinstance(key, int) and -len(obj) <= key < len(obj):
            obj = obj[key]
        else:
            return None
    return obj


def same(a, b, tolerance=0.0):
    if a is None or b is None:
        return "-"
    if tolerance and isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return "yes" if abs(a - b) <= tolerance * max(abs(a), abs(b)) else "NO"
    return "yes" if str(a).strip() == str(b).strip() else "NO"


def cell(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return "-" if v is None else str(v)


def main(out):
    smi = nvidia_smi(out)
    doctor = load_json(out, "doctor-json.out") or {}
    verify = load_json(out, "verify-json.out") or {}
    gpu = get(doctor, "machine", "gpus", 0) or {}
    dev = get(verify, "devices", 0) or {}
    driver = get(doctor, "machine", "driver") or {}
    rows = [
        ("GPU name", smi.get("name"), gpu.get("name"), dev.get("name")),
        ("memory MiB", smi.get("memory_mib"), gpu.get("memory_mib"), dev.get("memory_mib")),
        ("compute capability", smi.get("cc"), gpu.get("compute_capability"), dev.get("compute_capability")),
        ("driver", smi.get("driver"), driver.get("version"), None),
        ("CUDA (driver max)", smi.get("cuda"), driver.get("cuda_max"), None),
        ("GPU count", smi.get("gpus"), len(get(doctor, "machine", "gpus") or []) if doctor else None,
         verify.get("device_count")),
    ]
    lines = ["Device check: gpuenv next to nvidia-smi", ""]
    head = ("", "nvidia-smi", "doctor", "verify", "doctor = smi", "verify = smi")
    table = [head]
    for label, s, d, v in rows:
        tol = 0.02 if label == "memory MiB" else 0.0  # torch reports usable memory, a little under the total
        table.append((label, cell(s), cell(d), cell(v), same(s, d, tol), same(s, v, tol)))
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    for r in table:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    lines.append("")
    torch = verify.get("torch") or {}
    failed = [s.get("name", "?") + (" (" + s["device"] + ")" if s.get("device") else "")
              for s in verify.get("steps") or [] if not s.get("ok")]
    lines.append("verify: ok=%s  torch=%s  cuda build=%s  cuDNN=%s  speed-up=%s" % (
        cell(verify.get("ok")), cell(torch.get("version")), cell(torch.get("cuda")), cell(torch.get("cudnn")),
        cell(verify.get("speedup"))))
    bench = verify.get("benchmark") or {}
    if bench:
        lines.append("benchmark: n=%s  CPU %s s (%s threads)  GPU %s s  tf32=%s" % (
            cell(bench.get("n")), cell(bench.get("cpu_seconds")), cell(bench.get("cpu_threads")),
            cell(bench.get("gpu_seconds")), cell(bench.get("tf32"))))
    if failed:
        lines.append("failed steps: " + ", ".join(failed))
    findings = ["%s (%s)" % (f.get("id"), f.get("severity")) for f in verify.get("findings") or []]
    if findings:
        lines.append("verify findings: " + ", ".join(findings))
    doctor_findings = ["%s (%s)" % (f.get("id"), f.get("severity")) for f in doctor.get("findings") or []]
    lines.append("doctor: status=%s  findings: %s" % (cell(doctor.get("status")), ", ".join(doctor_findings) or "-"))
    lines.append("")
    codes = []
    for name in sorted(os.listdir(out)):
        if name.endswith(".rc"):
            codes.append("%s=%s" % (name[:-3], (read(out, name) or "?").strip()))
    lines.append("exit codes: " + " ".join(codes))
    if (read(out, "version.rc") or "0").strip() != "0":
        lines.append("gpuenv does not run here: " + (read(out, "version.err") or "").strip()[:300])
    if os.path.exists(os.path.join(out, "nvidia-smi.absent")):
        lines.append("nvidia-smi: not found on this machine")
    if os.path.exists(os.path.join(out, "capture.skipped")):
        lines.append("capture: not in this build (skipped)")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))

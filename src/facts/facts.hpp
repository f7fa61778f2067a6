#pragma once
// The machine snapshot: plain data, each value with where it came from (design.md §2, §5).
// JSON round-trip in facts_json.cpp; absent values are std::nullopt and serialise as null.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gpuenv::facts {

using Opt = std::optional<std::string>;

struct Host {
  Opt name;
};

struct OsInfo {
  Opt id, version, pretty_name, kernel, arch, glibc;
  bool wsl = false;
  Opt container;                               ///< "docker", "podman", "kubernetes", "lxc", ... or null
  std::optional<bool> secure_boot;             ///< null when it could not be read
  std::vector<std::string> container_engines;  ///< on a host: "docker", "podman" binaries found
  bool nvidia_container_toolkit = false;       ///< nvidia-ctk / nvidia-container-cli / runtime found
  std::vector<std::string> sources;
};

struct Gpu {
  int index = 0;
  Opt pci_bus_id;     ///< "0000:01:00.0"
  Opt vendor;         ///< "nvidia", "amd", "intel", or the raw vendor id
  Opt pci_vendor_id;  ///< "0x10de"
  Opt pci_device_id;  ///< "0x2204"
  Opt name, architecture, chip, compute_capability;
  std::optional<std::int64_t> memory_mib;
  Opt kernel_driver;  ///< the driver bound: "nvidia", "nouveau", "vfio-pci", null when none
  Opt uuid, serial;
  std::string source;  ///< "sysfs+kb", "nvml", "sysfs+pci.ids", "override", ...
};

struct DeviceNode {
  std::string path;
  bool accessible = false;
};

struct Driver {
  Opt version;                              ///< the kernel module's version
  Opt cuda_max;                             ///< the newest CUDA this driver runs ("12.2")
  Opt cuda_max_source;                      ///< "nvml", "libcuda", "kb", "override"
  Opt flavor;                               ///< "proprietary" | "open"
  Opt userspace_version;                    ///< libcuda / libnvidia-ml version from file names (or NVML)
  std::vector<std::string> userspace_libs;  ///< the library files the version came from
  Opt source;
  bool module_loaded = false;
  bool uvm_loaded = false;
  bool nouveau_loaded = false;
  bool module_installed = false;  ///< an nvidia.ko exists under /lib/modules/<kernel>
  std::vector<DeviceNode> device_nodes;
};

struct CudaToolkit {
  std::string path;
  Opt version;
  std::string source;                 ///< "version.json", "version.txt", "dist-info", "cuda.h", "nvcc"
  Opt real_path;                      ///< where a symlink such as /usr/local/cuda points
  std::vector<std::string> found_by;  ///< "/usr/local/cuda-*", "$CUDA_HOME", "PATH nvcc", ...
};

struct Cudnn {
  std::string path;
  Opt version;
  std::string source;  ///< "header", "library", "dist-info", "conda-meta"
};

struct Package {
  Opt version;
  Opt cuda;      ///< torch.version.cuda / the CUDA the build targets
  Opt variant;   ///< cpu, cuXYZ, rocmX.Y, xpu, unknown
  Opt source;    ///< pip | conda | distro | unknown
  Opt location;  ///< the metadata file it was read from
  Opt build;     ///< conda build string
  std::vector<std::string> arch_list;
  Opt arch_source;                         ///< "binary" | "kb"
  std::vector<std::string> requires_dist;  ///< nvidia-* requirements (for CUDA-from-wheel checks)
  Opt installer;                           ///< INSTALLER file: pip, uv, conda
  Opt channel;                             ///< conda channel ("pytorch", "conda-forge", "pkgs/main")
  /// CUDA libraries bundled in the package's own lib directory (torch/lib: libcudart-*.so.11.0,
  /// libcudnn.so.8, ...) as file names; `libs_dir` is the directory listed, null when it was not.
  std::vector<std::string> libs;
  Opt libs_dir;
};

/// A copy of a package the interpreter also sees outside its own site-packages (user site, PYTHONPATH,
/// a .pth file, the system site of a venv), or a second record of it in the same place: what
/// `multiple-torch-installs` is made of.
struct VisiblePackage {
  std::string name;    ///< normalised: torch, torchvision, nvidia-cudnn-cu12...
  std::string via;     ///< user-site | PYTHONPATH | pth | system-site | same-site
  std::string path;    ///< the directory on sys.path that holds it
  bool ahead = false;  ///< comes before the environment's own site-packages on sys.path (it wins)
  Package package;
};

/// A problem met while reading (a broken file, a walk stopped early). Reported, never fatal.
/// `message` is the English text (the JSON's `message`); `id` and `args` are its catalog message, so
/// that a report can say it in the user's language. A snapshot read back from a file has only the
/// English (`id` empty).
struct ProbeWarning {
  std::string probe;
  std::string path;
  std::string message;
  std::string id;
  std::vector<std::pair<std::string, std::string>> args;
};

struct PythonEnv {
  std::string path;
  std::string kind;      ///< venv | conda | system | pyenv | uv | interpreter
  Opt python;            ///< "3.10.12"
  Opt python_source;     ///< where `python` was read: pyvenv.cfg, conda-meta, patchlevel.h, dpkg, ...
  Opt interpreter;       ///< the python executable
  Opt base_interpreter;  ///< the venv's base (pyvenv.cfg home)
  bool base_missing = false;
  bool active = false;  ///< $VIRTUAL_ENV / $CONDA_PREFIX
  bool on_path = false;
  Opt name;  ///< conda env name
  std::vector<std::string> found_by;
  std::vector<std::string> site_packages;
  bool include_system_site = false;
  bool user_site_visible = true;
  std::map<std::string, Package> packages;   ///< normalised names: torch, torchvision, nvidia-cudnn-cu12...
  std::vector<std::string> extra_paths;      ///< from .pth files and PYTHONPATH
  Opt user_site;                             ///< the user site this interpreter sees, when it exists
  std::vector<VisiblePackage> also_visible;  ///< other copies of the packages that matter
  std::vector<std::string> kernels;          ///< Jupyter kernels that run this environment
  /// Problems of this environment (its base interpreter is gone, ...): probe "python", the path it is
  /// about; the JSON keeps only their English `message` strings (design.md §5).
  std::vector<ProbeWarning> warnings;
};

struct JupyterKernel {
  std::string path;  ///< the kernel.json
  Opt display_name;
  Opt argv0;
  Opt env;  ///< the environment it runs, when known
};

/// A directory of `LD_LIBRARY_PATH` and the CUDA-family libraries in it (file names only: their
/// versions are read from the names, nothing is loaded): what `ld-library-path-shadows` compares.
struct LibraryDir {
  std::string dir;
  std::vector<std::string> libraries;  ///< "libcudnn.so.8.9.7", "libcublas.so.12.1.3.1", ...
  std::string source = "LD_LIBRARY_PATH";
};

struct Machine {
  Host host;
  OsInfo os;
  std::vector<Gpu> gpus;
  std::vector<Gpu> other_display_devices;  ///< non-NVIDIA display controllers
  Driver driver;
  std::vector<CudaToolkit> cuda_toolkits;
  std::vector<Cudnn> cudnn;
  std::vector<PythonEnv> python_envs;
  std::vector<JupyterKernel> jupyter_kernels;
  std::vector<std::string> user_sites;   ///< ~/.local/lib/python3.X/site-packages with packages
  std::map<std::string, Opt> env_vars;   ///< exactly the variables of design.md §5
  std::vector<LibraryDir> library_path;  ///< the LD_LIBRARY_PATH directories, in order
  std::vector<ProbeWarning> warnings;
};

/// The variables the rules read, and the only ones ever reported (design.md §5).
const std::vector<std::string>& reported_env_vars();

}  // namespace gpuenv::facts

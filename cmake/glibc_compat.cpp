// Linked into the static-runtime (device) build only. The static libstdc++ of GCC 12 on Debian 12
// calls arc4random (std::random_device, pulled in by libstdc++'s own string instantiations), which
// glibc has only since 2.36; that one symbol would make the carried binary refuse to start on
// glibc 2.35 (Ubuntu 22.04, the base of many CUDA images) with "GLIBC_2.36 not found". Defining it
// here, on top of getrandom (glibc 2.25), keeps the floor at 2.35, set by libgcc's unwinder.
#include <sys/random.h>

#include <cstdint>

extern "C" std::uint32_t arc4random(void) {
  std::uint32_t v = 0;
  auto* p = reinterpret_cast<unsigned char*>(&v);
  std::size_t got = 0;
  while (got < sizeof v) {
    ssize_t n = ::getrandom(p + got, sizeof v - got, 0);
    if (n > 0) got += static_cast<std::size_t>(n);
  }
  return v;
}

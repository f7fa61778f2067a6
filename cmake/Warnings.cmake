# One INTERFACE target carries the warning flags; every gpuenv target links it.
add_library(gpuenv_warnings INTERFACE)
target_compile_options(gpuenv_warnings INTERFACE
  -Wall -Wextra            # the baseline
  -Wpedantic               # keep to ISO C++20
  -Wshadow                 # a shadowed name in a parser is a classic source of wrong values
  -Wnon-virtual-dtor       # seams (FileSystem, CommandRunner) are used through base pointers
  -Wold-style-cast         # casts in binary readers must be visible and deliberate
  -Wcast-align
  -Woverloaded-virtual
  -Wnull-dereference
  -Wimplicit-fallthrough
  -Wformat=2
)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # GCC 12 reports -Wrestrict inside libstdc++ for ordinary `a + "/" + b` string concatenation
  # (GCC bug 105651, fixed in 13): a false positive that -Werror would turn into a broken build.
  target_compile_options(gpuenv_warnings INTERFACE -Wno-restrict)
endif()
if(GPUENV_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # ASan instrumentation defeats GCC 12's flow analysis: -Wmaybe-uninitialized fires inside libstdc++
  # (std::regex, std::function, std::optional) on code that is clean in the Release build, which still
  # checks it with -Werror (GCC bugs 105562, 106199).
  target_compile_options(gpuenv_warnings INTERFACE -Wno-maybe-uninitialized)
endif()
if(GPUENV_WERROR)
  target_compile_options(gpuenv_warnings INTERFACE -Werror)
endif()
